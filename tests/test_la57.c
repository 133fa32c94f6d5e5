/* 5-level paging (CR4.LA57): 57-bit canonical addresses and a PML5. */
#include "util.h"

#define HIGH57 0x00ff123456789000ull /* lower half of 57 bits, far beyond 48 */

TEST(la57_space_maps_and_walks_through_five_levels)
{
	struct env e;
	struct xpt_space sp;
	struct xpt_mapping m;
	struct xpt_walk w;
	REQUIRE(env_init(&e, 1024, 40));
	CHECK_ERR(xpt_space_init_levels(&sp, &e.mem, &e.fa, 40, 3), XPT_E_INVAL);
	REQUIRE_OK(xpt_space_init_levels(&sp, &e.mem, &e.fa, 40, 5));
	CHECK_EQ(xpt_space_va_bits(&sp), 57);
	uint64_t nfree = e.fa.nfree;
	REQUIRE_OK(xpt_map(&sp, HIGH57, 0x7000, XPT_4K, XPT_WRITE | XPT_USER, NULL));
	CHECK_EQ(nfree - e.fa.nfree, 4); /* PML4, PDPT, PD, PT below the PML5 */
	REQUIRE_OK(xpt_translate(&sp, HIGH57 + 0x10, &m));
	CHECK_EQ(m.pa + m.offset, 0x7010);

	struct xpt_ctl ctl = xpt_space_ctl(&sp, XPT_CTL_WP, 0);
	CHECK(ctl.flags & XPT_CTL_LA57);
	REQUIRE_OK(xpt_walk(&e.mem, &ctl, HIGH57, XPT_ACC_USER | XPT_ACC_WRITE, &w));
	CHECK_EQ(w.fault, XPT_FAULT_NONE);
	CHECK_EQ(w.levels, 5);
	CHECK_EQ(w.entry_pa[0], (sp.root << 12) + 8 * ((HIGH57 >> 48) & 511));
	CHECK_EQ(w.set_a, 0x1f);
	/* Canonical in 57 bits is not canonical in 48, and the reverse hole moves. */
	CHECK(!xpt_canonical(HIGH57));
	REQUIRE_OK(xpt_walk(&e.mem, &ctl, 0x0100000000000000ull, XPT_ACC_READ, &w));
	CHECK_EQ(w.fault, XPT_FAULT_GP);
	REQUIRE_OK(xpt_walk(&e.mem, &ctl, 0xff00000000000000ull, XPT_ACC_READ, &w));
	CHECK_EQ(w.fault, XPT_FAULT_PF);
	CHECK_ERR(xpt_map(&sp, 0x0100000000000000ull, 0, XPT_4K, 0, NULL), XPT_E_NONCANONICAL);
	CHECK_ERR(xpt_map_range(&sp, 0x00fffffffffff000ull, 0, 0x2000, 0, 0, NULL),
	          XPT_E_NONCANONICAL);

	/* PS is reserved in a PML5E as in a PML4E. */
	uint64_t *pml5e = env_entry(&e, sp.root, (HIGH57 >> 48) & 511);
	*pml5e |= XPT_PTE_PS;
	REQUIRE_OK(xpt_walk(&e.mem, &ctl, HIGH57, XPT_ACC_READ, &w));
	CHECK_EQ(w.error_code, XPT_PF_P | XPT_PF_RSVD);
	CHECK_EQ(w.levels, 1);
	*pml5e &= ~XPT_PTE_PS;

	/* The dump walks the PML5 too. */
	struct xpt_dump d;
	struct xpt_range r;
	int err;
	xpt_dump_init(&d);
	REQUIRE(xpt_dump_next(&sp, &d, &r, &err));
	CHECK_EQ(r.va, HIGH57);
	CHECK(!xpt_dump_next(&sp, &d, &r, &err));
	CHECK_ERR(err, XPT_OK);

	REQUIRE_OK(xpt_unmap_range(&sp, HIGH57, 4096, XPT_OPT_FREE_TABLES, NULL));
	CHECK_EQ(e.fa.nfree, nfree);
	REQUIRE_OK(xpt_map_range(&sp, 0xff00000000000000ull, 0, 4 * GiB, XPT_WRITE, 0, NULL));
	CHECK_ERR(xpt_space_destroy(&sp, true), XPT_OK);
	CHECK_EQ(e.fa.nfree, nfree + 1);
	env_free(&e);
}

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

TEST(entry_at_finds_entries_below_reserved_bits_and_stops_at_leaves)
{
	struct env e;
	uint64_t pa, pa2;
	REQUIRE(env_init(&e, 1024, 40));
	REQUIRE_OK(xpt_map(&e.sp, 0x40201000, 0x5000, XPT_4K, 0, NULL));
	REQUIRE_OK(xpt_map(&e.sp, 0x80000000, 0x200000, XPT_2M, 0, NULL));
	REQUIRE_OK(xpt_entry_at(&e.sp, 0x40201000, 4, &pa));
	CHECK_EQ(pa, (e.sp.root << 12));
	REQUIRE_OK(xpt_entry_at(&e.sp, 0x40201000, 1, &pa));
	CHECK_EQ(*env_word(&e, pa) & ~0xfffull, 0x5000);
	/* A reserved bit in the PDE does not stop the descent. */
	REQUIRE_OK(xpt_entry_at(&e.sp, 0x40201000, 2, &pa2));
	*env_word(&e, pa2) |= 1ull << 51;
	CHECK_ERR(xpt_entry_at(&e.sp, 0x40201000, 1, &pa2), XPT_OK);
	CHECK_EQ(pa2, pa);
	/* Below a 2 MiB leaf there is no level 1; absent entries end the descent. */
	CHECK_ERR(xpt_entry_at(&e.sp, 0x80001000, 1, &pa), XPT_E_NOT_MAPPED);
	CHECK_ERR(xpt_entry_at(&e.sp, 0x80001000, 2, &pa), XPT_OK);
	CHECK_ERR(xpt_entry_at(&e.sp, 0xc0000000, 1, &pa), XPT_E_NOT_MAPPED);
	CHECK_ERR(xpt_entry_at(&e.sp, 0x40201000, 5, &pa), XPT_E_INVAL);
	CHECK_ERR(xpt_entry_at(&e.sp, 0x0000900000000000ull, 1, &pa), XPT_E_NONCANONICAL);
	env_free(&e);
}

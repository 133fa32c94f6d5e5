/* PCIDs, global pages and the invalidations that reach them (software TLB). */
#include "util.h"

#define VA 0x0000000040000000ull

static struct xpt_walk access_ok(struct xpt_tlb *t, uint64_t va)
{
	struct xpt_walk w;
	CHECK_ERR(xpt_tlb_access(t, va, XPT_ACC_READ, &w), XPT_OK);
	CHECK_EQ(w.fault, XPT_FAULT_NONE);
	return w;
}

TEST(pcid_global_entries_survive_cr3_loads_until_invlpg)
{
	struct env e;
	struct xpt_tlb t;
	REQUIRE(env_init(&e, 1024, 40));
	REQUIRE_OK(xpt_map(&e.sp, VA, 0x10000, XPT_4K, XPT_GLOBAL, NULL));
	REQUIRE_OK(xpt_map(&e.sp, VA + 0x1000, 0x11000, XPT_4K, 0, NULL));
	struct xpt_ctl ctl = xpt_space_ctl(&e.sp, XPT_CTL_PGE, 0);
	xpt_tlb_init(&t, &e.mem, &ctl);
	struct xpt_arch arch = xpt_tlb_arch(&t);
	access_ok(&t, VA);
	access_ok(&t, VA + 0x1000);
	/* Retarget both pages behind the TLB's back. */
	xpt_flush_init(&e.fl);
	REQUIRE_OK(xpt_unmap_range(&e.sp, VA, 0x2000, 0, &e.fl));
	CHECK(e.fl.global);
	REQUIRE_OK(xpt_map(&e.sp, VA, 0x20000, XPT_4K, XPT_GLOBAL, NULL));
	REQUIRE_OK(xpt_map(&e.sp, VA + 0x1000, 0x21000, XPT_4K, 0, NULL));
	/* A CR3 reload drops the ordinary entry and keeps the global one. */
	arch.load_cr3(arch.ctx, xpt_space_cr3(&e.sp));
	CHECK_EQ(access_ok(&t, VA).pa, 0x10000);
	CHECK_EQ(access_ok(&t, VA + 0x1000).pa, 0x21000);
	/* The flush record reaches it. */
	xpt_flush_apply(&arch, &e.fl);
	CHECK_EQ(access_ok(&t, VA).pa, 0x20000);
	env_free(&e);
}

TEST(pcid_tags_keep_two_spaces_apart_and_noflush_keeps_entries)
{
	struct env a;
	struct xpt_tlb t;
	REQUIRE(env_init(&a, 1024, 40));
	/* Two spaces in one window. */
	REQUIRE_OK(xpt_map(&a.sp, VA, 0x30000, XPT_4K, 0, NULL));
	struct xpt_space sb;
	REQUIRE_OK(xpt_space_init(&sb, &a.mem, &a.fa, 40));
	REQUIRE_OK(xpt_map(&sb, VA, 0x40000, XPT_4K, 0, NULL));
	uint64_t cr3a = xpt_space_cr3(&a.sp) | 1, cr3b = xpt_space_cr3(&sb) | 2;
	struct xpt_ctl ctl = { cr3a, XPT_CTL_PCIDE, 0, 40 };
	xpt_tlb_init(&t, &a.mem, &ctl);
	CHECK_EQ(access_ok(&t, VA).pa, 0x30000);
	xpt_tlb_load_cr3(&t, cr3b | XPT_CR3_NOFLUSH);
	CHECK_EQ(access_ok(&t, VA).pa, 0x40000); /* PCID 1's entry does not match */
	uint64_t hits = t.hits;
	xpt_tlb_load_cr3(&t, cr3a | XPT_CR3_NOFLUSH);
	CHECK_EQ(access_ok(&t, VA).pa, 0x30000);
	CHECK_EQ(t.hits, hits + 1); /* served from PCID 1's entry, kept across the switch */
	/* Without the no-flush bit the new PCID's entries go. */
	xpt_tlb_load_cr3(&t, cr3b);
	access_ok(&t, VA);
	CHECK_EQ(t.hits, hits + 1);
	env_free(&a);
}

TEST(pcid_invpcid_types_drop_exactly_their_entries)
{
	struct env e;
	struct xpt_tlb t;
	REQUIRE(env_init(&e, 1024, 40));
	REQUIRE_OK(xpt_map(&e.sp, VA, 0x10000, XPT_4K, 0, NULL));
	REQUIRE_OK(xpt_map(&e.sp, VA + 0x1000, 0x11000, XPT_4K, XPT_GLOBAL, NULL));
	uint64_t cr3 = xpt_space_cr3(&e.sp);
	struct xpt_ctl ctl = { cr3 | 5, XPT_CTL_PCIDE | XPT_CTL_PGE, 0, 40 };
	unsigned type;
	for (type = 0; type < 4; type++) {
		xpt_tlb_init(&t, &e.mem, &ctl);
		access_ok(&t, VA);
		access_ok(&t, VA + 0x1000);
		uint64_t misses = t.misses;
		xpt_tlb_invpcid(&t, type, type == 1 ? 6 : 5, VA);
		access_ok(&t, VA);
		access_ok(&t, VA + 0x1000);
		/* Misses: ADDR and ALL drop the ordinary entry; CONTEXT names
		 * another PCID; ALL_GLOBAL drops both. */
		static const unsigned want[4] = { 1, 0, 2, 1 };
		CHECK_EQ(t.misses - misses, want[type]);
	}
	env_free(&e);
}

static unsigned calls[4], pages;
static void count_invlpg(void *ctx, uint64_t va)
{
	(void)ctx;
	(void)va;
	pages++;
}
static void count_invpcid(void *ctx, unsigned type, uint16_t pcid, uint64_t va)
{
	(void)ctx;
	(void)va;
	CHECK_EQ(pcid, 9);
	calls[type & 3]++;
}

TEST(pcid_flush_apply_uses_invpcid_and_invlpg_for_global_pages)
{
	struct xpt_arch arch = { count_invlpg, NULL, NULL, count_invpcid, NULL };
	struct xpt_flush fl;
	xpt_flush_init(&fl);
	xpt_flush_add(&fl, 0x1000);
	xpt_flush_add(&fl, 0x2000);
	xpt_flush_apply_pcid(&arch, 9, &fl);
	CHECK_EQ(calls[XPT_INVPCID_ADDR], 2);
	CHECK_EQ(pages, 0);
	xpt_flush_add(&fl, 0x1000);
	fl.global = true;
	xpt_flush_apply_pcid(&arch, 9, &fl);
	CHECK_EQ(calls[XPT_INVPCID_ADDR], 3);
	CHECK_EQ(pages, 1);
	for (uint64_t i = 0; i <= XPT_FLUSH_PAGES; i++)
		xpt_flush_add(&fl, i << 12);
	CHECK(fl.all);
	xpt_flush_apply_pcid(&arch, 9, &fl);
	CHECK_EQ(calls[XPT_INVPCID_CONTEXT], 1);
	for (uint64_t i = 0; i <= XPT_FLUSH_PAGES; i++)
		xpt_flush_add(&fl, i << 12);
	fl.global = true;
	xpt_flush_apply_pcid(&arch, 9, &fl);
	CHECK_EQ(calls[XPT_INVPCID_ALL_GLOBAL], 1);
	CHECK(!fl.all && !fl.global && fl.npages == 0);
}

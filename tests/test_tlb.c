/* The software TLB: what a missing flush does, and what each flush undoes. */
#include "util.h"

#include <string.h>

#define NF 256u
#define VA 0x400000ull
#define FRAME_A 0x100000ull
#define FRAME_B 0x200000ull

struct tenv {
	struct env e;
	struct xpt_tlb tlb;
	struct xpt_arch arch;
	struct xpt_walk w;
};

static bool tenv_init(struct tenv *t, uint32_t flags)
{
	memset(t, 0, sizeof *t);
	if (!env_init(&t->e, NF, 52))
		return false;
	struct xpt_ctl ctl = xpt_space_ctl(&t->e.sp, flags, 0);
	xpt_tlb_init(&t->tlb, &t->e.mem, &ctl);
	t->arch = xpt_tlb_arch(&t->tlb);
	return true;
}

/* One access; the physical address it reached, or ~0 on a fault. */
static uint64_t acc(struct tenv *t, uint64_t va, unsigned access)
{
	if (!CHECK_ERR(xpt_tlb_access(&t->tlb, va, access, &t->w), XPT_OK))
		return 0xdead;
	return t->w.fault == XPT_FAULT_NONE ? t->w.pa : ~0ull;
}

TEST(tlb_init_and_arch_hooks)
{
	struct tenv t;
	if (!tenv_init(&t, XPT_CTL_NXE | XPT_CTL_WP))
		return;
	CHECK(t.tlb.mem == &t.e.mem);
	CHECK_EQ(t.tlb.ctl.cr3, xpt_space_cr3(&t.e.sp));
	CHECK_EQ(t.tlb.ctl.flags, XPT_CTL_NXE | XPT_CTL_WP);
	CHECK_EQ(t.tlb.ctl.maxphyaddr, 52);
	CHECK_EQ(t.tlb.hits + t.tlb.misses + t.tlb.invlpgs + t.tlb.flushes, 0);
	for (unsigned i = 0; i < XPT_TLB_ENTRIES; i++)
		CHECK(!t.tlb.e[i].valid);
	CHECK(t.arch.ctx == &t.tlb);
	CHECK(t.arch.invlpg == xpt_tlb_hook_invlpg && t.arch.flush_all == xpt_tlb_hook_flush_all);
	CHECK(t.arch.load_cr3 == xpt_tlb_hook_load_cr3 && t.arch.invpcid == xpt_tlb_hook_invpcid);
	env_free(&t.e);
}

/* Each hook, called on its context, is its instruction on that TLB. */
TEST(tlb_hooks_act_on_their_context)
{
	struct tenv t;
	if (!tenv_init(&t, XPT_CTL_NXE))
		return;
	REQUIRE_OK(xpt_map(&t.e.sp, VA, FRAME_A, XPT_4K, XPT_WRITE, &t.e.fl));
	REQUIRE_OK(xpt_map(&t.e.sp, VA + 0x1000, FRAME_B, XPT_4K, XPT_WRITE, &t.e.fl));
	CHECK_EQ(acc(&t, VA, XPT_ACC_READ), FRAME_A);
	CHECK_EQ(acc(&t, VA + 0x1000, XPT_ACC_READ), FRAME_B);
	CHECK_EQ(t.tlb.misses, 2);
	xpt_tlb_hook_invlpg(&t.tlb, VA + 0x123); /* the page of VA only */
	CHECK_EQ(t.tlb.invlpgs, 1);
	CHECK_EQ(acc(&t, VA + 0x1000, XPT_ACC_READ), FRAME_B);
	CHECK_EQ(t.tlb.misses, 2);
	CHECK_EQ(acc(&t, VA, XPT_ACC_READ), FRAME_A);
	CHECK_EQ(t.tlb.misses, 3);
	xpt_tlb_hook_flush_all(&t.tlb);
	for (unsigned i = 0; i < XPT_TLB_ENTRIES; i++)
		CHECK(!t.tlb.e[i].valid);
	uint64_t cr3 = t.tlb.ctl.cr3;
	xpt_tlb_hook_load_cr3(&t.tlb, cr3 | XPT_CR3_NOFLUSH);
	CHECK_EQ(t.tlb.ctl.cr3, cr3); /* stored without the no-flush bit */
	CHECK_EQ(acc(&t, VA, XPT_ACC_READ), FRAME_A);
	xpt_tlb_hook_invpcid(&t.tlb, XPT_INVPCID_ALL, 0, 0);
	for (unsigned i = 0; i < XPT_TLB_ENTRIES; i++)
		CHECK(!t.tlb.e[i].valid);
	env_free(&t.e);
}

/* The demonstration: remap a page without applying the flush record. */
TEST(tlb_stale_translation_until_flush_applied)
{
	struct tenv t;
	if (!tenv_init(&t, XPT_CTL_NXE))
		return;
	REQUIRE_OK(xpt_map(&t.e.sp, VA, FRAME_A, XPT_4K, XPT_WRITE, &t.e.fl));
	CHECK_EQ(acc(&t, VA + 0x10, XPT_ACC_READ), FRAME_A + 0x10);
	CHECK_EQ(t.tlb.misses, 1);
	CHECK_EQ(acc(&t, VA + 0x20, XPT_ACC_READ), FRAME_A + 0x20);
	CHECK_EQ(t.tlb.hits, 1);

	struct xpt_mapping old;
	REQUIRE_OK(xpt_unmap(&t.e.sp, VA, 0, &old, &t.e.fl));
	CHECK_EQ(old.pa, FRAME_A);
	/* Unmapped in memory, still translated by the TLB. */
	CHECK_EQ(acc(&t, VA, XPT_ACC_READ), FRAME_A);
	REQUIRE_OK(xpt_map(&t.e.sp, VA, FRAME_B, XPT_4K, XPT_WRITE, &t.e.fl));
	struct xpt_mapping now;
	REQUIRE_OK(xpt_translate(&t.e.sp, VA, &now));
	CHECK_EQ(now.pa, FRAME_B);
	/* The tables say B; the TLB still says A. */
	CHECK_EQ(acc(&t, VA + 0x30, XPT_ACC_READ), FRAME_A + 0x30);
	CHECK_EQ(t.tlb.hits, 3);
	CHECK_FLUSH(&t.e.fl, VA);

	xpt_flush_apply(&t.arch, &t.e.fl);
	CHECK_EQ(t.tlb.invlpgs, 1);
	CHECK_EQ(t.tlb.flushes, 0);
	CHECK_EQ(t.e.fl.npages, 0);
	CHECK_EQ(acc(&t, VA + 0x30, XPT_ACC_READ), FRAME_B + 0x30);
	CHECK_EQ(t.tlb.misses, 2);
	env_free(&t.e);
}

TEST(tlb_stale_after_unmap_and_protect)
{
	struct tenv t;
	if (!tenv_init(&t, XPT_CTL_NXE | XPT_CTL_WP))
		return;
	REQUIRE_OK(xpt_map(&t.e.sp, VA, FRAME_A, XPT_4K, XPT_WRITE, &t.e.fl));
	REQUIRE_OK(xpt_map(&t.e.sp, VA + 0x1000, FRAME_B, XPT_4K, XPT_WRITE, &t.e.fl));
	CHECK_EQ(acc(&t, VA, XPT_ACC_WRITE), FRAME_A);          /* cached dirty */
	CHECK_EQ(acc(&t, VA + 0x1000, XPT_ACC_READ), FRAME_B);
	/* Made read-only but not flushed: the write still goes through. */
	REQUIRE_OK(xpt_protect(&t.e.sp, VA, 0, &t.e.fl));
	CHECK_EQ(acc(&t, VA, XPT_ACC_WRITE), FRAME_A);
	/* Unmapped but not flushed: still readable. */
	REQUIRE_OK(xpt_unmap(&t.e.sp, VA + 0x1000, 0, NULL, &t.e.fl));
	CHECK_EQ(acc(&t, VA + 0x1000, XPT_ACC_READ), FRAME_B);
	CHECK_FLUSH(&t.e.fl, VA, VA + 0x1000);
	xpt_flush_apply(&t.arch, &t.e.fl);
	CHECK_EQ(t.tlb.invlpgs, 2);
	CHECK_EQ(acc(&t, VA, XPT_ACC_WRITE), ~0ull);
	CHECK_EQ(t.w.error_code, XPT_PF_P | XPT_PF_W);
	CHECK_EQ(acc(&t, VA, XPT_ACC_READ), FRAME_A);
	CHECK_EQ(acc(&t, VA + 0x1000, XPT_ACC_READ), ~0ull);
	CHECK_EQ(t.w.error_code, 0);
	env_free(&t.e);
}

TEST(tlb_flush_all_and_overflowing_record)
{
	struct tenv t;
	if (!tenv_init(&t, XPT_CTL_NXE))
		return;
	/* 40 pages: more than the record holds. */
	REQUIRE_OK(xpt_map_range(&t.e.sp, VA, FRAME_A, 40 * 0x1000, 0, 0, &t.e.fl));
	for (uint64_t i = 0; i < 40; i++)
		CHECK_EQ(acc(&t, VA + i * 0x1000, XPT_ACC_READ), FRAME_A + i * 0x1000);
	CHECK_EQ(t.tlb.misses, 40);
	REQUIRE_OK(xpt_map_range(&t.e.sp, VA + 0x200000, FRAME_B, 40 * 0x1000, 0, 0, &t.e.fl));
	REQUIRE_OK(xpt_unmap_range(&t.e.sp, VA, 40 * 0x1000, 0, &t.e.fl));
	CHECK(t.e.fl.all);
	CHECK_EQ(t.e.fl.npages, XPT_FLUSH_PAGES);
	CHECK_EQ(acc(&t, VA + 39 * 0x1000, XPT_ACC_READ), FRAME_A + 39 * 0x1000);
	xpt_flush_apply(&t.arch, &t.e.fl);
	CHECK_EQ(t.tlb.flushes, 1);
	CHECK_EQ(t.tlb.invlpgs, 0);
	CHECK(!t.e.fl.all);
	for (unsigned i = 0; i < XPT_TLB_ENTRIES; i++)
		CHECK(!t.tlb.e[i].valid);
	for (uint64_t i = 0; i < 40; i++)
		if (!CHECK_EQ(acc(&t, VA + i * 0x1000, XPT_ACC_READ), ~0ull))
			break;
	/* Direct flush_all too. */
	CHECK_EQ(acc(&t, VA + 0x200000, XPT_ACC_READ), FRAME_B);
	xpt_tlb_flush_all(&t.tlb);
	CHECK_EQ(t.tlb.flushes, 2);
	uint64_t misses = t.tlb.misses;
	CHECK_EQ(acc(&t, VA + 0x200000, XPT_ACC_READ), FRAME_B);
	CHECK_EQ(t.tlb.misses, misses + 1);
	env_free(&t.e);
}

TEST(tlb_invlpg_inside_a_huge_page)
{
	struct tenv t;
	if (!tenv_init(&t, XPT_CTL_NXE | XPT_CTL_GBPAGES))
		return;
	REQUIRE_OK(xpt_map(&t.e.sp, 2 * MiB, 0x40000000, XPT_2M, 0, &t.e.fl));
	REQUIRE_OK(xpt_map(&t.e.sp, 1 * GiB, 0x80000000, XPT_1G, 0, &t.e.fl));
	CHECK_EQ(acc(&t, 2 * MiB + 0x12345, XPT_ACC_READ), 0x40012345);
	CHECK_EQ(acc(&t, 1 * GiB + 0x1234567, XPT_ACC_READ), 0x81234567);
	CHECK_EQ(acc(&t, 2 * MiB + 0x1ff000, XPT_ACC_READ), 0x401ff000);
	CHECK_EQ(t.tlb.hits, 1);
	/* Any address inside the page drops its entry. */
	xpt_tlb_invlpg(&t.tlb, 2 * MiB + 0x5000);
	xpt_tlb_invlpg(&t.tlb, 1 * GiB + 0x3ff00000);
	CHECK_EQ(t.tlb.invlpgs, 2);
	uint64_t misses = t.tlb.misses;
	CHECK_EQ(acc(&t, 2 * MiB, XPT_ACC_READ), 0x40000000);
	CHECK_EQ(acc(&t, 1 * GiB, XPT_ACC_READ), 0x80000000);
	CHECK_EQ(t.tlb.misses, misses + 2);
	env_free(&t.e);
}

TEST(tlb_load_cr3_switches_space_and_flushes)
{
	struct tenv t;
	struct xpt_space other;
	if (!tenv_init(&t, XPT_CTL_NXE))
		return;
	REQUIRE_OK(xpt_space_init(&other, &t.e.mem, &t.e.fa, 52));
	REQUIRE_OK(xpt_map(&t.e.sp, VA, FRAME_A, XPT_4K, 0, &t.e.fl));
	REQUIRE_OK(xpt_map(&other, VA, FRAME_B, XPT_4K, 0, &t.e.fl));
	CHECK_EQ(acc(&t, VA, XPT_ACC_READ), FRAME_A);
	t.arch.load_cr3(t.arch.ctx, xpt_space_cr3(&other));
	CHECK_EQ(t.tlb.ctl.cr3, xpt_space_cr3(&other));
	CHECK_EQ(t.tlb.flushes, 1);
	CHECK_EQ(acc(&t, VA, XPT_ACC_READ), FRAME_B);
	xpt_tlb_load_cr3(&t.tlb, xpt_space_cr3(&t.e.sp));
	CHECK_EQ(acc(&t, VA, XPT_ACC_READ), FRAME_A);
	CHECK_EQ(t.tlb.misses, 3);
	CHECK_EQ(t.tlb.hits, 0);
	env_free(&t.e);
}

TEST(tlb_miss_sets_accessed_and_dirty_in_memory)
{
	struct tenv t;
	if (!tenv_init(&t, XPT_CTL_NXE))
		return;
	REQUIRE_OK(xpt_map(&t.e.sp, VA, FRAME_A, XPT_4K, XPT_WRITE, &t.e.fl));
	struct xpt_walk w;
	REQUIRE_OK(xpt_walk(&t.e.mem, &t.tlb.ctl, VA, XPT_ACC_READ, &w));
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(w.entry[i] & (XPT_PTE_A | XPT_PTE_D), 0);
	CHECK_EQ(acc(&t, VA, XPT_ACC_READ), FRAME_A);
	REQUIRE_OK(xpt_walk(&t.e.mem, &t.tlb.ctl, VA, XPT_ACC_READ, &w));
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(w.entry[i] & (XPT_PTE_A | XPT_PTE_D), XPT_PTE_A);
	/* A write through the clean entry walks again to set D. */
	CHECK_EQ(acc(&t, VA, XPT_ACC_WRITE), FRAME_A);
	CHECK_EQ(t.tlb.misses, 2);
	REQUIRE_OK(xpt_walk(&t.e.mem, &t.tlb.ctl, VA, XPT_ACC_READ, &w));
	CHECK_EQ(w.entry[3] & (XPT_PTE_A | XPT_PTE_D), XPT_PTE_A | XPT_PTE_D);
	CHECK_EQ(w.entry[2] & XPT_PTE_D, 0);
	/* Now it is dirty: writes hit. */
	CHECK_EQ(acc(&t, VA + 8, XPT_ACC_WRITE), FRAME_A + 8);
	CHECK_EQ(t.tlb.hits, 1);
	/* A hit sets nothing: clear A in memory, hit again, A stays clear. */
	uint64_t *pte = &t.e.mem.words[w.entry_pa[3] / 8];
	*pte &= ~XPT_PTE_A;
	CHECK_EQ(acc(&t, VA, XPT_ACC_READ), FRAME_A);
	CHECK_EQ(*pte & XPT_PTE_A, 0);
	/* The mapper keeps A and D across a protect. */
	*pte |= XPT_PTE_A;
	REQUIRE_OK(xpt_protect(&t.e.sp, VA, XPT_WRITE | XPT_NOEXEC, &t.e.fl));
	CHECK_EQ(*pte & (XPT_PTE_A | XPT_PTE_D), XPT_PTE_A | XPT_PTE_D);
	env_free(&t.e);
}

TEST(tlb_fault_drops_entry_and_capacity_evicts)
{
	struct tenv t;
	if (!tenv_init(&t, XPT_CTL_NXE))
		return;
	REQUIRE_OK(xpt_map(&t.e.sp, VA, FRAME_A, XPT_4K, 0, &t.e.fl));
	CHECK_EQ(acc(&t, VA, XPT_ACC_READ), FRAME_A);
	/* A user access the cached rights refuse walks, faults and drops the entry. */
	CHECK_EQ(acc(&t, VA, XPT_ACC_USER), ~0ull);
	CHECK_EQ(t.w.error_code, XPT_PF_P | XPT_PF_U);
	uint64_t misses = t.tlb.misses;
	CHECK_EQ(acc(&t, VA, XPT_ACC_READ), FRAME_A);
	CHECK_EQ(t.tlb.misses, misses + 1);
	/* XPT_TLB_ENTRIES + 1 pages: round robin evicts the oldest. */
	xpt_tlb_flush_all(&t.tlb);
	REQUIRE_OK(xpt_map_range(&t.e.sp, 8 * MiB, FRAME_B, (XPT_TLB_ENTRIES + 1) * 0x1000ull, 0,
	                         XPT_OPT_NO_2M, &t.e.fl));
	for (uint64_t i = 0; i <= XPT_TLB_ENTRIES; i++)
		CHECK_EQ(acc(&t, 8 * MiB + i * 0x1000, XPT_ACC_READ), FRAME_B + i * 0x1000);
	misses = t.tlb.misses;
	CHECK_EQ(acc(&t, 8 * MiB + XPT_TLB_ENTRIES * 0x1000ull, XPT_ACC_READ),
	         FRAME_B + XPT_TLB_ENTRIES * 0x1000ull);
	CHECK_EQ(t.tlb.misses, misses);     /* the newest is cached */
	CHECK_EQ(acc(&t, 8 * MiB, XPT_ACC_READ), FRAME_B);
	CHECK_EQ(t.tlb.misses, misses + 1); /* the oldest was evicted */
	/* A window error passes through. */
	t.tlb.ctl.cr3 = (uint64_t)NF << 12;
	xpt_tlb_flush_all(&t.tlb);
	struct xpt_walk w;
	CHECK_ERR(xpt_tlb_access(&t.tlb, VA, XPT_ACC_READ, &w), XPT_E_WINDOW);
	env_free(&t.e);
}

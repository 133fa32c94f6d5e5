/* Flush records: building them, overflowing them, applying them through hooks. */
#include "util.h"

#include <string.h>

/* Hooks that log what they are asked to do. */
struct log {
	uint64_t invlpg[64];
	unsigned ninvlpg, nflush_all, nload_cr3;
};

static void log_invlpg(void *ctx, uint64_t va)
{
	struct log *l = ctx;
	if (l->ninvlpg < 64)
		l->invlpg[l->ninvlpg] = va;
	l->ninvlpg++;
}

static void log_flush_all(void *ctx)
{
	((struct log *)ctx)->nflush_all++;
}

static void log_load_cr3(void *ctx, uint64_t cr3)
{
	(void)cr3;
	((struct log *)ctx)->nload_cr3++;
}

static struct xpt_arch log_arch(struct log *l)
{
	struct xpt_arch a;
	memset(l, 0, sizeof *l);
	memset(&a, 0, sizeof a);
	a.invlpg = log_invlpg;
	a.flush_all = log_flush_all;
	a.load_cr3 = log_load_cr3;
	a.ctx = l;
	return a;
}

TEST(flush_init_and_add)
{
	struct xpt_flush fl;
	memset(&fl, 0xff, sizeof fl);
	xpt_flush_init(&fl);
	CHECK_EQ(fl.npages, 0);
	CHECK(!fl.all);
	CHECK(!fl.global);
	/* Pages, not addresses; each once, in order. */
	xpt_flush_add(&fl, 0x1234);
	xpt_flush_add(&fl, 0x1fff);
	xpt_flush_add(&fl, 0xffffffff80000123ull);
	xpt_flush_add(&fl, 0x1000);
	xpt_flush_add(&fl, 0);
	CHECK_FLUSH(&fl, 0x1000, 0xffffffff80000000ull, 0);
}

TEST(flush_overflow_escalates_to_all)
{
	struct xpt_flush fl;
	xpt_flush_init(&fl);
	for (uint64_t i = 0; i < XPT_FLUSH_PAGES; i++)
		xpt_flush_add(&fl, i * 0x1000);
	CHECK_EQ(fl.npages, XPT_FLUSH_PAGES);
	CHECK(!fl.all);
	/* A page already listed does not overflow a full record. */
	xpt_flush_add(&fl, 5 * 0x1000 + 8);
	CHECK(!fl.all);
	CHECK_EQ(fl.npages, XPT_FLUSH_PAGES);
	/* One more distinct page does. */
	xpt_flush_add(&fl, XPT_FLUSH_PAGES * 0x1000ull);
	CHECK(fl.all);
	CHECK_EQ(fl.npages, XPT_FLUSH_PAGES);
	xpt_flush_add(&fl, 0x123456000ull);
	CHECK(fl.all);
	CHECK_EQ(fl.npages, XPT_FLUSH_PAGES);
}

TEST(flush_apply_calls_the_hooks)
{
	struct log l;
	struct xpt_arch a = log_arch(&l);
	struct xpt_flush fl;
	xpt_flush_init(&fl);
	xpt_flush_apply(&a, &fl);
	CHECK_EQ(l.ninvlpg + l.nflush_all + l.nload_cr3, 0);
	xpt_flush_add(&fl, 0x7000);
	xpt_flush_add(&fl, 0x3000);
	xpt_flush_add(&fl, 0xffff800000000000ull);
	xpt_flush_apply(&a, &fl);
	CHECK_EQ(l.ninvlpg, 3);
	CHECK_EQ(l.invlpg[0], 0x7000);
	CHECK_EQ(l.invlpg[1], 0x3000);
	CHECK_EQ(l.invlpg[2], 0xffff800000000000ull);
	CHECK_EQ(l.nflush_all, 0);
	CHECK_EQ(l.nload_cr3, 0);
	CHECK_EQ(fl.npages, 0);
	/* Applying again does nothing: the record was emptied. */
	xpt_flush_apply(&a, &fl);
	CHECK_EQ(l.ninvlpg, 3);
	/* An overflowed record: one full flush, no invlpg. */
	for (uint64_t i = 0; i <= XPT_FLUSH_PAGES; i++)
		xpt_flush_add(&fl, i << 12);
	xpt_flush_apply(&a, &fl);
	CHECK_EQ(l.ninvlpg, 3);
	CHECK_EQ(l.nflush_all, 1);
	CHECK(!fl.all);
	CHECK_EQ(fl.npages, 0);
}

/* What each mutation records, accumulated in one record and applied once. */
TEST(flush_records_of_mutations_applied_once)
{
	struct env e;
	struct log l;
	struct xpt_arch a = log_arch(&l);
	if (!env_init(&e, 1024, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 0x8040201000ull, 0x1000, XPT_4K, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 6 * MiB, 6 * MiB, XPT_2M, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 8 * MiB, 8 * MiB, XPT_2M, XPT_GLOBAL, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 1 * GiB, 1 * GiB, XPT_1G, 0, &e.fl));
	CHECK_EQ(e.fl.npages, 0);                                    /* maps record nothing */
	REQUIRE_OK(xpt_protect(&e.sp, 6 * MiB, XPT_NOEXEC, &e.fl));  /* 6M */
	REQUIRE_OK(xpt_protect(&e.sp, 6 * MiB, XPT_NOEXEC, &e.fl));  /* unchanged: nothing */
	CHECK(!e.fl.global);
	REQUIRE_OK(xpt_unmap_range(&e.sp, 8 * MiB + 4 * KiB, 4 * KiB, XPT_OPT_SPLIT, &e.fl));
	CHECK(e.fl.global);                                          /* the G page was split */
	REQUIRE_OK(xpt_unmap(&e.sp, 1 * GiB, 0, NULL, &e.fl));       /* 1G */
	REQUIRE_OK(xpt_unmap(&e.sp, 0x8040201000ull, XPT_OPT_FREE_TABLES, NULL, &e.fl));
	CHECK_FLUSH(&e.fl, 6 * MiB, 8 * MiB, 8 * MiB + 4 * KiB, 1 * GiB, 0x8040201000ull,
	            0x8040200000ull, 0x8040000000ull, 0x8000000000ull);
	xpt_flush_apply(&a, &e.fl);
	CHECK_EQ(l.ninvlpg, 8);
	CHECK_EQ(l.invlpg[0], 6 * MiB);
	CHECK_EQ(l.invlpg[7], 0x8000000000ull);
	CHECK_EQ(l.nflush_all, 0);
	CHECK_EQ(e.fl.npages, 0);
	CHECK(!e.fl.global);
	env_free(&e);
}

/*
 * All or nothing: a mutation that fails, whether for want of frames or for
 * an error found late in its range, leaves the window, the allocator (its
 * struct and every metadata word) and the flush record byte-identical.
 */
#include "util.h"

#include <string.h>

#define NF 1024u

enum kind { MAP, MAP_RANGE, UNMAP, UNMAP_RANGE, PROTECT_RANGE };

struct req {
	enum kind kind;
	uint64_t va, pa, len;
	xpt_attr attr;
	unsigned opts;
	enum xpt_size size;
};

static int run_req(struct env *e, const struct req *r)
{
	switch (r->kind) {
	case MAP:
		return xpt_map(&e->sp, r->va, r->pa, r->size, r->attr, &e->fl);
	case MAP_RANGE:
		return xpt_map_range(&e->sp, r->va, r->pa, r->len, r->attr, r->opts, &e->fl);
	case UNMAP:
		return xpt_unmap(&e->sp, r->va, r->opts, NULL, &e->fl);
	case UNMAP_RANGE:
		return xpt_unmap_range(&e->sp, r->va, r->len, r->opts, &e->fl);
	case PROTECT_RANGE:
		return xpt_protect_range(&e->sp, r->va, r->len, r->attr, r->opts, &e->fl);
	}
	return -1;
}

/*
 * With k = 0 .. need-1 free frames the request fails with XPT_E_NOMEM and
 * changes nothing; with exactly `need` it succeeds, leaving `left` free.
 * The flush record holds a pending page throughout.
 */
static bool nomem_sweep(struct env *e, const struct req *r, uint64_t need, uint64_t left)
{
	bool ok = true;
	xpt_flush_add(&e->fl, 0xabc000);
	for (uint64_t k = 0; k < need; k++) {
		struct snap s;
		if (!env_hold(e, k))
			return false;
		snap_take(&s, e);
		ok = CHECK_ERR(run_req(e, r), XPT_E_NOMEM) && ok;
		if (!CHECK_UNCHANGED(&s, e)) {
			ok = false;
			check_fail(__FILE__, __LINE__, "state changed with %llu free frames",
			           (unsigned long long)k);
		}
		snap_free(&s);
		env_release(e);
	}
	if (!env_hold(e, need))
		return false;
	ok = CHECK_ERR(run_req(e, r), XPT_OK) && ok;
	ok = CHECK_EQ(e->fa.nfree, left) && ok;
	ok = CHECK_EQ(e->fl.va[0], 0xabc000) && ok;
	env_release(e);
	return ok;
}

TEST(atomic_map_range_fresh_space)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	/* [1G - 8K, 1G + 8K): PDPT, then a PD and a PT on each side of 1 GiB. */
	struct req r = { MAP_RANGE, 1 * GiB - 8 * KiB, 0x100000, 16 * KiB, XPT_WRITE, 0, 0 };
	nomem_sweep(&e, &r, 5, 0);
	REQUIRE_OK(xpt_translate(&e.sp, 1 * GiB + 4 * KiB, &m));
	CHECK_EQ(m.pa, 0x100000 + 12 * KiB);
	env_free(&e);
}

TEST(atomic_map_range_with_some_tables_present)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 0, 0, XPT_4K, 0, &e.fl)); /* PDPT, PD 0 and a PT */
	struct req r = { MAP_RANGE, 1 * GiB - 8 * KiB, 0x100000, 16 * KiB, 0, 0, 0 };
	nomem_sweep(&e, &r, 3, 0);
	REQUIRE_OK(xpt_translate(&e.sp, 1 * GiB - 8 * KiB, &m));
	CHECK_EQ(m.pa, 0x100000);
	env_free(&e);
}

TEST(atomic_map_range_mixed_sizes)
{
	struct env e;
	uint64_t va = 2 * MiB - 8 * KiB, end = 2 * GiB + 2 * MiB + 12 * KiB;
	if (!env_init(&e, NF, 52))
		return;
	struct req r = { MAP_RANGE, va, va, end - va, 0, 0, 0 };
	nomem_sweep(&e, &r, 5, 0);
	struct leaf_count c = count_leaves(&e.sp, va, end - va, 0);
	CHECK_EQ(c.n[XPT_4K], 5);
	CHECK_EQ(c.n[XPT_2M], 512);
	CHECK_EQ(c.n[XPT_1G], 1);
	env_free(&e);
}

TEST(atomic_map_single_pages)
{
	struct env e;
	if (!env_init(&e, NF, 52))
		return;
	struct req r4 = { MAP, 7 * 512 * GiB + 0x5000, 0x5000, 0, 0, 0, XPT_4K };
	nomem_sweep(&e, &r4, 3, 0);
	struct req r2 = { MAP, 8 * 512 * GiB, 0x200000, 0, 0, 0, XPT_2M };
	nomem_sweep(&e, &r2, 2, 0);
	struct req r1 = { MAP, 9 * 512 * GiB, 0, 0, 0, 0, XPT_1G };
	nomem_sweep(&e, &r1, 1, 0);
	/* Into existing tables nothing is needed, even with no frame free. */
	struct req r0 = { MAP, 7 * 512 * GiB + 0x6000, 0x6000, 0, 0, 0, XPT_4K };
	nomem_sweep(&e, &r0, 0, 0);
	env_free(&e);
}

TEST(atomic_unmap_range_split_2m)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map_range(&e.sp, 2 * MiB, 2 * MiB, 6 * MiB, XPT_WRITE, 0, &e.fl));
	/* [4M - 4K, 6M + 4K): cuts two 2 MiB pages and removes one whole. */
	struct req r = { UNMAP_RANGE, 4 * MiB - 4 * KiB, 0, 2 * MiB + 8 * KiB, 0, XPT_OPT_SPLIT, 0 };
	nomem_sweep(&e, &r, 2, 0);
	CHECK_ERR(xpt_translate(&e.sp, 4 * MiB - 4 * KiB, &m), XPT_E_NOT_MAPPED);
	CHECK_ERR(xpt_translate(&e.sp, 6 * MiB, &m), XPT_E_NOT_MAPPED);
	REQUIRE_OK(xpt_translate(&e.sp, 4 * MiB - 8 * KiB, &m));
	CHECK_EQ(m.size, XPT_4K);
	REQUIRE_OK(xpt_translate(&e.sp, 6 * MiB + 4 * KiB, &m));
	CHECK_EQ(m.size, XPT_4K);
	env_free(&e);
}

TEST(atomic_unmap_split_1g)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 1 * GiB, 1 * GiB, XPT_1G, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 2 * GiB, 2 * GiB, XPT_1G, 0, &e.fl));
	struct req r = { UNMAP_RANGE, 1 * GiB + 4 * KiB, 0, 4 * KiB, 0, XPT_OPT_SPLIT, 0 };
	nomem_sweep(&e, &r, 2, 0);
	CHECK_ERR(xpt_translate(&e.sp, 1 * GiB + 4 * KiB, &m), XPT_E_NOT_MAPPED);
	struct req one = { UNMAP, 2 * GiB + 8 * KiB, 0, 0, 0, XPT_OPT_SPLIT, 0 };
	nomem_sweep(&e, &one, 2, 0);
	CHECK_ERR(xpt_translate(&e.sp, 2 * GiB + 8 * KiB, &m), XPT_E_NOT_MAPPED);
	REQUIRE_OK(xpt_translate(&e.sp, 2 * GiB + 12 * KiB, &m));
	CHECK_EQ(m.pa, 2 * GiB + 12 * KiB);
	env_free(&e);
}

TEST(atomic_protect_range_split)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map_range(&e.sp, 2 * MiB, 2 * MiB, 6 * MiB, XPT_WRITE, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 1 * GiB, 1 * GiB, XPT_1G, XPT_WRITE, &e.fl));
	struct req r = { PROTECT_RANGE, 4 * MiB - 4 * KiB, 0, 2 * MiB + 8 * KiB, XPT_NOEXEC,
		         XPT_OPT_SPLIT, 0 };
	nomem_sweep(&e, &r, 2, 0);
	REQUIRE_OK(xpt_translate(&e.sp, 6 * MiB, &m));
	CHECK_EQ(m.attr, XPT_NOEXEC);
	REQUIRE_OK(xpt_translate(&e.sp, 6 * MiB + 4 * KiB, &m));
	CHECK_EQ(m.attr, XPT_WRITE);
	/* Across a 1 GiB page: a PD and two PTs. */
	struct req g = { PROTECT_RANGE, GiB + 2 * MiB - 4 * KiB, 0, 2 * MiB + 8 * KiB, 0,
		         XPT_OPT_SPLIT, 0 };
	nomem_sweep(&e, &g, 3, 0);
	REQUIRE_OK(xpt_translate(&e.sp, GiB + 3 * MiB, &m));
	CHECK_EQ(m.attr, 0);
	CHECK_EQ(m.size, XPT_2M);
	env_free(&e);
}

TEST(atomic_split_with_free_tables)
{
	struct env e;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 0x1000, 0x1000, XPT_4K, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 2 * MiB, 2 * MiB, XPT_2M, 0, &e.fl));
	/* The PT of 0x1000 empties and goes back, but only after the check
	 * pass counted the split's table: one frame must be free up front. */
	struct req r = { UNMAP_RANGE, 0, 0, 2 * MiB + 4 * KiB, 0,
		         XPT_OPT_SPLIT | XPT_OPT_FREE_TABLES, 0 };
	nomem_sweep(&e, &r, 1, 1);
	env_free(&e);
}

/* Errors found late in a range, after tables were counted or pages passed. */
TEST(atomic_late_errors_change_nothing)
{
	struct env e;
	if (!env_init(&e, NF, 52))
		return;
	xpt_flush_add(&e.fl, 0x777000);
	REQUIRE_OK(xpt_map(&e.sp, 1 * GiB + 4 * KiB, 0, XPT_4K, 0, &e.fl));
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, 1 * GiB - 8 * KiB, 0, 16 * KiB, 0, 0, &e.fl),
	                    XPT_E_EXISTS);
	REQUIRE_OK(xpt_map(&e.sp, 4 * MiB, 4 * MiB, XPT_2M, 0, &e.fl));
	/* A split at the start, a table outside the window at the end. */
	*env_entry(&e, e.sp.root, 1) = ((uint64_t)(NF + 9) << 12) | XPT_PTE_P | XPT_PTE_RW;
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, 4 * MiB + 4 * KiB, 512 * GiB, XPT_OPT_SPLIT,
	                                        &e.fl), XPT_E_WINDOW);
	CHECK_ERR_UNCHANGED(&e, xpt_protect_range(&e.sp, 4 * MiB + 4 * KiB, 512 * GiB, 0,
	                                          XPT_OPT_SPLIT, &e.fl), XPT_E_NOT_MAPPED);
	/* A split at the start, a hole at the end. */
	CHECK_ERR_UNCHANGED(&e, xpt_protect_range(&e.sp, 4 * MiB + 4 * KiB, 2 * MiB, 0,
	                                          XPT_OPT_SPLIT, &e.fl), XPT_E_NOT_MAPPED);
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, 511 * GiB, 0, 2 * GiB, 0, 0, &e.fl),
	                    XPT_E_WINDOW);
	CHECK_EQ(e.fl.npages, 1);
	env_free(&e);
}

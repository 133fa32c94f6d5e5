/* Range forms, unmap, protect, splitting huge pages, freeing tables, destroy. */
#include "util.h"

#include <string.h>

#define E_P   XPT_PTE_P
#define E_RW  XPT_PTE_RW
#define E_US  XPT_PTE_US
#define E_TBL (XPT_PTE_P | XPT_PTE_RW | XPT_PTE_US)
#define E_AD  (XPT_PTE_A | XPT_PTE_D)
#define NF    1024u

static unsigned idx(uint64_t va, unsigned level)
{
	return (unsigned)((va >> (12u + 9u * (level - 1u))) & 511u);
}

static uint64_t *entry_at(struct env *e, uint64_t va, unsigned level)
{
	xpt_pfn t = e->sp.root;
	for (unsigned l = XPT_LEVELS; l > level; l--) {
		uint64_t v = *env_entry(e, t, idx(va, l));
		if (!(v & E_P) || (v & XPT_PTE_PS))
			return NULL;
		t = (v & 0x000ffffffffff000ull) >> 12;
	}
	return env_entry(e, t, idx(va, level));
}

static bool leaves_are(const struct leaf_count *c, uint64_t n4k, uint64_t n2m, uint64_t n1g,
                       uint64_t holes)
{
	return CHECK_EQ(c->n[XPT_4K], n4k) && CHECK_EQ(c->n[XPT_2M], n2m) &&
	       CHECK_EQ(c->n[XPT_1G], n1g) && CHECK_EQ(c->holes, holes) && CHECK(c->identity_ok);
}

/* ------------------------------------------------------------ map_range */

TEST(range_map_chooses_largest_pages)
{
	struct env e;
	struct xpt_mapping m;
	uint64_t va = 2 * MiB - 8 * KiB, end = 2 * GiB + 2 * MiB + 12 * KiB;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map_range(&e.sp, va, va, end - va, XPT_WRITE, 0, &e.fl));
	/* 2 x 4K, 511 x 2M, 1 x 1G, 1 x 2M, 3 x 4K. */
	struct leaf_count c = count_leaves(&e.sp, va, end - va, 0);
	leaves_are(&c, 5, 512, 1, 0);
	/* PDPT, PD and PT for the first GiB, PD and PT for the third. */
	CHECK_EQ(e.fa.nfree, NF - 1 - 5);
	REQUIRE_OK(xpt_translate(&e.sp, 1 * GiB + 77, &m));
	CHECK_EQ(m.size, XPT_1G);
	CHECK_EQ(m.pa, 1 * GiB);
	REQUIRE_OK(xpt_translate(&e.sp, 2 * GiB, &m));
	CHECK_EQ(m.size, XPT_2M);
	REQUIRE_OK(xpt_translate(&e.sp, 2 * GiB + 2 * MiB + 8 * KiB, &m));
	CHECK_EQ(m.size, XPT_4K);
	CHECK_EQ(m.attr, XPT_WRITE);
	CHECK_ERR(xpt_translate(&e.sp, end, &m), XPT_E_NOT_MAPPED);
	CHECK_ERR(xpt_translate(&e.sp, va - 4 * KiB, &m), XPT_E_NOT_MAPPED);
	CHECK_EQ(e.fl.npages, 0);
	env_free(&e);
}

TEST(range_map_follows_pa_alignment_and_options)
{
	struct env e;
	struct leaf_count c;
	if (!env_init(&e, NF, 52))
		return;
	/* pa only 2 MiB aligned: no 1 GiB page. */
	REQUIRE_OK(xpt_map_range(&e.sp, 1 * GiB, 1 * GiB + 2 * MiB, 1 * GiB, 0, 0, &e.fl));
	c = count_leaves(&e.sp, 1 * GiB, 1 * GiB, 2 * MiB);
	leaves_are(&c, 0, 512, 0, 0);
	CHECK_EQ(e.fa.nfree, NF - 3);
	/* pa only 4 KiB aligned: 4 KiB pages throughout. */
	REQUIRE_OK(xpt_map_range(&e.sp, 4 * GiB, 4 * GiB + 4 * KiB, 8 * MiB, 0, 0, &e.fl));
	c = count_leaves(&e.sp, 4 * GiB, 8 * MiB, 4 * KiB);
	leaves_are(&c, 2048, 0, 0, 0);
	CHECK_EQ(e.fa.nfree, NF - 3 - 5); /* PD and 4 PTs */
	/* XPT_OPT_NO_1G: 2 MiB pages where a 1 GiB one would fit. */
	REQUIRE_OK(xpt_map_range(&e.sp, 8 * GiB, 8 * GiB, 1 * GiB, 0, XPT_OPT_NO_1G, &e.fl));
	c = count_leaves(&e.sp, 8 * GiB, 1 * GiB, 0);
	leaves_are(&c, 0, 512, 0, 0);
	/* XPT_OPT_NO_2M: no huge page at all. */
	REQUIRE_OK(xpt_map_range(&e.sp, 9 * GiB, 9 * GiB, 4 * MiB, 0, XPT_OPT_NO_2M, &e.fl));
	c = count_leaves(&e.sp, 9 * GiB, 4 * MiB, 0);
	leaves_are(&c, 1024, 0, 0, 0);
	/* Shorter than 2 MiB at a 1 GiB boundary: 4 KiB pages. */
	REQUIRE_OK(xpt_map_range(&e.sp, 10 * GiB, 10 * GiB, 2 * MiB - 4 * KiB, 0, 0, &e.fl));
	c = count_leaves(&e.sp, 10 * GiB, 2 * MiB - 4 * KiB, 0);
	leaves_are(&c, 511, 0, 0, 0);
	/* Without options the 1 GiB page is used. */
	REQUIRE_OK(xpt_map_range(&e.sp, 11 * GiB, 11 * GiB, 1 * GiB, 0, 0, &e.fl));
	c = count_leaves(&e.sp, 11 * GiB, 1 * GiB, 0);
	leaves_are(&c, 0, 0, 1, 0);
	env_free(&e);
}

TEST(range_map_fills_an_existing_table_with_small_pages)
{
	struct env e;
	struct leaf_count c;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 2 * MiB, 0, XPT_4K, 0, &e.fl));
	REQUIRE_OK(xpt_unmap(&e.sp, 2 * MiB, 0, NULL, &e.fl)); /* the empty PT stays */
	uint64_t nfree = e.fa.nfree;
	REQUIRE_OK(xpt_map_range(&e.sp, 2 * MiB, 2 * MiB, 4 * MiB, 0, 0, &e.fl));
	c = count_leaves(&e.sp, 2 * MiB, 4 * MiB, 0);
	leaves_are(&c, 512, 1, 0, 0); /* the table is used, then a 2 MiB leaf */
	CHECK_EQ(e.fa.nfree, nfree);
	/* With the table given back, the same range takes two 2 MiB pages. */
	REQUIRE_OK(xpt_unmap_range(&e.sp, 2 * MiB, 4 * MiB, XPT_OPT_FREE_TABLES, &e.fl));
	CHECK_EQ(e.fa.nfree, NF - 1);
	REQUIRE_OK(xpt_map_range(&e.sp, 2 * MiB, 2 * MiB, 4 * MiB, 0, 0, &e.fl));
	c = count_leaves(&e.sp, 2 * MiB, 4 * MiB, 0);
	leaves_are(&c, 0, 2, 0, 0);
	CHECK_EQ(e.fa.nfree, NF - 3);
	env_free(&e);
}

TEST(range_forms_reach_the_top_of_the_address_space)
{
	struct env e;
	struct xpt_mapping m;
	const uint64_t kva = 0xffffffff80000000ull;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map_range(&e.sp, kva, 0, 2 * GiB, XPT_GLOBAL, 0, &e.fl));
	struct leaf_count c = count_leaves(&e.sp, kva, 2 * GiB, 0 - kva);
	leaves_are(&c, 0, 0, 2, 0);
	REQUIRE_OK(xpt_translate(&e.sp, UINT64_MAX, &m));
	CHECK_EQ(m.pa + m.offset, 2 * GiB - 1);
	REQUIRE_OK(xpt_protect_range(&e.sp, kva, 2 * GiB, XPT_NOEXEC, 0, &e.fl));
	REQUIRE_OK(xpt_translate(&e.sp, UINT64_MAX, &m));
	CHECK_EQ(m.attr, XPT_NOEXEC);
	CHECK_FLUSH(&e.fl, kva, kva + GiB);
	xpt_flush_init(&e.fl);
	REQUIRE_OK(xpt_unmap_range(&e.sp, kva + GiB, GiB, XPT_OPT_FREE_TABLES, &e.fl));
	CHECK_ERR(xpt_translate(&e.sp, UINT64_MAX, &m), XPT_E_NOT_MAPPED);
	REQUIRE_OK(xpt_translate(&e.sp, kva, &m));
	CHECK_FLUSH(&e.fl, kva + GiB);
	env_free(&e);
}

/* ----------------------------------------------------------------- unmap */

TEST(range_unmap_skips_holes_and_records_each_leaf)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 0x1000, 0x1000, XPT_4K, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 0x400000, 0x400000, XPT_2M, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 1 * GiB + 0x5000, 0x5000, XPT_4K, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 512 * GiB, 0, XPT_1G, 0, &e.fl));
	uint64_t nfree = e.fa.nfree;
	REQUIRE_OK(xpt_unmap_range(&e.sp, 0, 1 * TiB, 0, &e.fl));
	CHECK_FLUSH(&e.fl, 0x1000, 0x400000, 1 * GiB + 0x5000, 512 * GiB);
	CHECK_EQ(e.fa.nfree, nfree); /* tables stay without XPT_OPT_FREE_TABLES */
	CHECK_ERR(xpt_translate(&e.sp, 0x1000, &m), XPT_E_NOT_MAPPED);
	CHECK_ERR(xpt_translate(&e.sp, 0x400000, &m), XPT_E_NOT_MAPPED);
	CHECK_ERR(xpt_translate(&e.sp, 1 * GiB + 0x5000, &m), XPT_E_NOT_MAPPED);
	CHECK_ERR(xpt_translate(&e.sp, 512 * GiB, &m), XPT_E_NOT_MAPPED);
	CHECK_EQ(*entry_at(&e, 0x1000, 1), 0);
	CHECK_EQ(*entry_at(&e, 0x400000, 2), 0);
	CHECK_EQ(*entry_at(&e, 512 * GiB, 3), 0);
	/* Unmapping nothing succeeds and changes nothing. */
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, 0, 1 * TiB, 0, &e.fl), XPT_OK);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, 0xffff800000000000ull, 4 * GiB, 0, &e.fl),
	                    XPT_OK);
	/* The single form needs a leaf. */
	CHECK_ERR_UNCHANGED(&e, xpt_unmap(&e.sp, 0x1000, 0, NULL, &e.fl), XPT_E_NOT_MAPPED);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap(&e.sp, 8 * TiB, 0, NULL, &e.fl), XPT_E_NOT_MAPPED);
	env_free(&e);
}

TEST(range_unmap_cutting_a_huge_page_needs_split)
{
	struct env e;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 0x3ff000, 0x3ff000, XPT_4K, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 0x400000, 0x400000, XPT_2M, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 1 * GiB, 1 * GiB, XPT_1G, 0, &e.fl));
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, 0x3ff000, 0x2000, 0, &e.fl), XPT_E_HUGE);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, 0x401000, 0x1000, 0, &e.fl), XPT_E_HUGE);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, 1 * GiB, 2 * MiB, 0, &e.fl), XPT_E_HUGE);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap(&e.sp, 0x401000, 0, NULL, &e.fl), XPT_E_HUGE);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap(&e.sp, 1 * GiB + 2 * MiB, 0, NULL, &e.fl), XPT_E_HUGE);
	/* Whole huge pages need no split. */
	REQUIRE_OK(xpt_unmap_range(&e.sp, 0x3ff000, 0x201000, 0, &e.fl));
	CHECK_FLUSH(&e.fl, 0x3ff000, 0x400000);
	env_free(&e);
}

TEST(range_unmap_out_param)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 0x5000, 0x77000, XPT_4K, XPT_WRITE | XPT_PKEY(2), &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 0x600000, 0xa00000, XPT_2M, XPT_USER | XPT_CACHE(4), &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 3 * GiB, 5 * GiB, XPT_1G, XPT_NOEXEC, &e.fl));
	REQUIRE_OK(xpt_unmap(&e.sp, 0x5000, 0, &m, &e.fl));
	CHECK_EQ(m.va, 0x5000);
	CHECK_EQ(m.pa, 0x77000);
	CHECK_EQ(m.offset, 0);
	CHECK_EQ(m.size, XPT_4K);
	CHECK_EQ(m.attr, XPT_WRITE | XPT_PKEY(2));
	CHECK_EQ(m.entry, 0x77000 | E_P | E_RW | (2ull << 59));
	REQUIRE_OK(xpt_unmap(&e.sp, 0x600000, 0, &m, &e.fl));
	CHECK_EQ(m.va, 0x600000);
	CHECK_EQ(m.pa, 0xa00000);
	CHECK_EQ(m.size, XPT_2M);
	CHECK_EQ(m.attr, XPT_USER | XPT_CACHE(4));
	CHECK_EQ(m.entry, 0xa00000 | E_P | E_US | XPT_PTE_PS | XPT_PTE_PAT_HUGE);
	REQUIRE_OK(xpt_unmap(&e.sp, 3 * GiB, 0, &m, &e.fl));
	CHECK_EQ(m.pa, 5 * GiB);
	CHECK_EQ(m.size, XPT_1G);
	CHECK_EQ(m.attr, XPT_NOEXEC);
	CHECK_FLUSH(&e.fl, 0x5000, 0x600000, 3 * GiB);
	/* A failed unmap leaves *out alone. */
	memset(&m, 0x3c, sizeof m);
	struct xpt_mapping before = m;
	CHECK_ERR(xpt_unmap(&e.sp, 0x5000, 0, &m, &e.fl), XPT_E_NOT_MAPPED);
	CHECK(memcmp(&m, &before, sizeof m) == 0);
	env_free(&e);
}

/* ------------------------------------------------------ freeing tables */

TEST(range_unmap_free_tables_returns_each_table)
{
	struct env e;
	const uint64_t va = 0x8040201000ull; /* PML4 1, PDPT 1, PD 1, PT 1 */
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, va, 0x1000, XPT_4K, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, va + 0x1000, 0x2000, XPT_4K, 0, &e.fl));
	CHECK_EQ(e.fa.nfree, NF - 4);
	/* The PT still holds a page: nothing but the leaf goes. */
	REQUIRE_OK(xpt_unmap(&e.sp, va, XPT_OPT_FREE_TABLES, NULL, &e.fl));
	CHECK_EQ(e.fa.nfree, NF - 4);
	CHECK_FLUSH(&e.fl, va);
	xpt_flush_init(&e.fl);
	/* The last page: PT, PD and PDPT go, each recorded by the region it covered. */
	REQUIRE_OK(xpt_unmap(&e.sp, va + 0x1000, XPT_OPT_FREE_TABLES, NULL, &e.fl));
	CHECK_EQ(e.fa.nfree, NF - 1);
	CHECK_FLUSH(&e.fl, va + 0x1000, 0x8040200000ull, 0x8040000000ull, 0x8000000000ull);
	CHECK_EQ(*env_entry(&e, e.sp.root, 1), 0);
	for (xpt_pfn f = 1; f < 4; f++)
		CHECK(xpt_frame_is_free(&e.fa, f));
	CHECK(!xpt_frame_is_free(&e.fa, e.sp.root));
	/* The root stays, and the space works on. */
	REQUIRE_OK(xpt_map(&e.sp, va, 0x1000, XPT_4K, 0, &e.fl));
	CHECK_EQ(e.fa.nfree, NF - 4);
	env_free(&e);
}

TEST(range_unmap_free_tables_over_a_busy_lower_half)
{
	struct env e;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map_range(&e.sp, 2 * MiB - 8 * KiB, 0x100000, 4 * MiB, XPT_WRITE, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 1 * GiB, 0, XPT_1G, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 5 * GiB + 6 * MiB, 0, XPT_2M, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 100 * TiB + 0x3000, 0, XPT_4K, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 0xffff800000001000ull, 0, XPT_4K, 0, &e.fl)); /* upper half */
	CHECK(e.fa.nfree < NF - 10);
	REQUIRE_OK(xpt_unmap_range(&e.sp, 0, (uint64_t)1 << 47, XPT_OPT_FREE_TABLES, &e.fl));
	/* Only the root and the upper half's three tables remain. */
	CHECK_EQ(e.fa.nfree, NF - 4);
	for (unsigned i = 0; i < 256; i++)
		if (!CHECK_EQ(*env_entry(&e, e.sp.root, i), 0))
			break;
	struct xpt_mapping m;
	REQUIRE_OK(xpt_translate(&e.sp, 0xffff800000001000ull, &m));
	env_free(&e);
}

TEST(range_unmap_free_tables_leaves_raw_tables_it_does_not_own)
{
	struct env e;
	if (!env_init(&e, NF, 52))
		return;
	/* PDPT and PD in frames the allocator thinks free: the unmap cannot give them back. */
	*env_entry(&e, e.sp.root, 2) = (900ull << 12) | E_TBL;
	*env_entry(&e, 900, 0) = (901ull << 12) | E_TBL;
	*env_entry(&e, 901, 3) = 0x600000 | E_P | XPT_PTE_PS;
	uint64_t nfree = e.fa.nfree;
	REQUIRE_OK(xpt_unmap_range(&e.sp, 2 * 512 * GiB, 1 * GiB, XPT_OPT_FREE_TABLES, &e.fl));
	CHECK_EQ(*env_entry(&e, 901, 3), 0);
	CHECK_EQ(*env_entry(&e, 900, 0), (901ull << 12) | E_TBL);
	CHECK_EQ(*env_entry(&e, e.sp.root, 2), (900ull << 12) | E_TBL);
	CHECK_EQ(e.fa.nfree, nfree);
	CHECK_FLUSH(&e.fl, 2 * 512 * GiB + 6 * MiB);
	env_free(&e);
}

/* ---------------------------------------------------------------- protect */

TEST(range_protect_single_leaves)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 0x1000, 0x9000, XPT_4K, XPT_WRITE | XPT_USER, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 0x400000, 0x800000, XPT_2M, XPT_WRITE, &e.fl));
	*entry_at(&e, 0x1000, 1) |= E_AD; /* set by an access */
	REQUIRE_OK(xpt_protect(&e.sp, 0x1000, XPT_NOEXEC | XPT_CACHE(4), &e.fl));
	CHECK_EQ(*entry_at(&e, 0x1000, 1), 0x9000 | E_P | E_AD | XPT_PTE_PAT_4K | XPT_PTE_NX);
	REQUIRE_OK(xpt_translate(&e.sp, 0x1000, &m));
	CHECK_EQ(m.attr, XPT_NOEXEC | XPT_CACHE(4));
	CHECK_FLUSH(&e.fl, 0x1000);
	/* The same attributes again change no entry and record nothing. */
	xpt_flush_init(&e.fl);
	CHECK_ERR_UNCHANGED(&e, xpt_protect(&e.sp, 0x1000, XPT_NOEXEC | XPT_CACHE(4), &e.fl),
	                    XPT_OK);
	/* A huge leaf, at its base: PAT moves to bit 12. */
	REQUIRE_OK(xpt_protect(&e.sp, 0x400000, XPT_CACHE(4) | XPT_PKEY(15), &e.fl));
	CHECK_EQ(*entry_at(&e, 0x400000, 2),
	         0x800000 | E_P | XPT_PTE_PS | XPT_PTE_PAT_HUGE | (15ull << 59));
	CHECK_FLUSH(&e.fl, 0x400000);
	/* Inside a huge leaf the single form refuses; it never splits. */
	CHECK_ERR_UNCHANGED(&e, xpt_protect(&e.sp, 0x401000, 0, &e.fl), XPT_E_HUGE);
	CHECK_ERR_UNCHANGED(&e, xpt_protect(&e.sp, 0x2000, 0, &e.fl), XPT_E_NOT_MAPPED);
	env_free(&e);
}

TEST(range_protect_range_and_holes)
{
	struct env e;
	struct xpt_mapping m;
	uint64_t va = 2 * MiB - 8 * KiB, len = 4 * MiB + 24 * KiB;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map_range(&e.sp, va, va, len, XPT_WRITE, 0, &e.fl));
	REQUIRE_OK(xpt_protect_range(&e.sp, va, len, XPT_USER, 0, &e.fl));
	/* 2 x 4K, 2 x 2M, 4 x 4K, each recorded at its base. */
	CHECK_FLUSH(&e.fl, va, va + 0x1000, 2 * MiB, 4 * MiB, 6 * MiB, 6 * MiB + 0x1000,
	            6 * MiB + 0x2000, 6 * MiB + 0x3000);
	for (uint64_t a = va; a < va + len; a += 0x1000) {
		REQUIRE_OK(xpt_translate(&e.sp, a, &m));
		if (!CHECK_EQ(m.attr, XPT_USER))
			break;
	}
	/* A hole anywhere in the range refuses it whole. */
	REQUIRE_OK(xpt_unmap(&e.sp, 6 * MiB + 0x2000, 0, NULL, &e.fl));
	CHECK_ERR_UNCHANGED(&e, xpt_protect_range(&e.sp, va, len, XPT_WRITE, 0, &e.fl),
	                    XPT_E_NOT_MAPPED);
	CHECK_ERR_UNCHANGED(&e, xpt_protect_range(&e.sp, va - 0x1000, 0x3000, XPT_WRITE, 0, &e.fl),
	                    XPT_E_NOT_MAPPED);
	CHECK_ERR_UNCHANGED(&e, xpt_protect_range(&e.sp, 1 * GiB, 0x1000, 0, 0, &e.fl),
	                    XPT_E_NOT_MAPPED);
	CHECK_ERR_UNCHANGED(&e, xpt_protect_range(&e.sp, 4 * MiB + 4 * KiB, 0x1000, 0, 0, &e.fl),
	                    XPT_E_HUGE);
	env_free(&e);
}

/* ----------------------------------------------------------------- split */

TEST(range_split_unmap_part_of_2m)
{
	struct env e;
	struct xpt_mapping m;
	const uint64_t va = 6 * MiB, pa = 0x10600000;
	const xpt_attr a = XPT_WRITE | XPT_NOEXEC | XPT_CACHE(4) | XPT_PKEY(3) | XPT_GLOBAL;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, va, pa, XPT_2M, a, &e.fl));
	*entry_at(&e, va, 2) |= E_AD;
	uint64_t nfree = e.fa.nfree;
	REQUIRE_OK(xpt_unmap_range(&e.sp, va + 0x3000, 0x2000, XPT_OPT_SPLIT, &e.fl));
	CHECK_EQ(e.fa.nfree, nfree - 1);
	/* The split is recorded at the huge page's base, then each page removed. */
	CHECK_FLUSH(&e.fl, va, va + 0x3000, va + 0x4000);
	CHECK(e.fl.global);
	CHECK_EQ(*entry_at(&e, va, 2) & 0xfff, E_TBL);
	struct leaf_count c = count_leaves(&e.sp, va, 2 * MiB, pa - va);
	CHECK_EQ(c.n[XPT_4K], 510);
	CHECK_EQ(c.holes, 2);
	CHECK(c.identity_ok);
	/* Every piece keeps the attributes, A and D; PAT moves from bit 12 to bit 7. */
	CHECK_EQ(*entry_at(&e, va + 0x5000, 1), (pa + 0x5000) | E_P | E_RW | E_AD | XPT_PTE_PAT_4K |
	                                            XPT_PTE_G | (3ull << 59) | XPT_PTE_NX);
	REQUIRE_OK(xpt_translate(&e.sp, va + 0x1ff000, &m));
	CHECK_EQ(m.attr, a);
	CHECK_EQ(m.pa, pa + 0x1ff000);
	CHECK_EQ(*entry_at(&e, va + 0x3000, 1), 0);
	env_free(&e);
}

TEST(range_split_unmap_part_of_1g)
{
	struct env e;
	const uint64_t va = 1 * GiB, pa = 4 * GiB;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, va, pa, XPT_1G, XPT_USER, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 2 * GiB, 8 * GiB, XPT_1G, XPT_USER, &e.fl));
	uint64_t nfree = e.fa.nfree;
	/* One 4 KiB page: the 1 GiB page becomes 511 x 2 MiB and 511 x 4 KiB. */
	REQUIRE_OK(xpt_unmap_range(&e.sp, va + 2 * MiB + 4 * KiB, 4 * KiB, XPT_OPT_SPLIT, &e.fl));
	CHECK_EQ(e.fa.nfree, nfree - 2);
	CHECK_FLUSH(&e.fl, va, va + 2 * MiB, va + 2 * MiB + 4 * KiB);
	CHECK(!e.fl.global);
	struct leaf_count c = count_leaves(&e.sp, va, 1 * GiB, pa - va);
	leaves_are(&c, 511, 511, 0, 1);
	/* One aligned 2 MiB piece: one table, 511 x 2 MiB. */
	xpt_flush_init(&e.fl);
	REQUIRE_OK(xpt_unmap_range(&e.sp, 2 * GiB + 4 * MiB, 2 * MiB, XPT_OPT_SPLIT, &e.fl));
	CHECK_EQ(e.fa.nfree, nfree - 3);
	CHECK_FLUSH(&e.fl, 2 * GiB, 2 * GiB + 4 * MiB);
	c = count_leaves(&e.sp, 2 * GiB, 1 * GiB, 6 * GiB);
	leaves_are(&c, 0, 511, 0, 512);
	env_free(&e);
}

TEST(range_split_protect_part_of_2m_and_1g)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 6 * MiB, 6 * MiB, XPT_2M, XPT_WRITE, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 1 * GiB, 1 * GiB, XPT_1G, XPT_WRITE, &e.fl));
	CHECK_ERR_UNCHANGED(&e, xpt_protect_range(&e.sp, 6 * MiB + 0x1000, 0x1000, 0, 0, &e.fl),
	                    XPT_E_HUGE);
	uint64_t nfree = e.fa.nfree;
	REQUIRE_OK(xpt_protect_range(&e.sp, 6 * MiB + 0x1000, 0x1000, XPT_NOEXEC, XPT_OPT_SPLIT,
	                             &e.fl));
	CHECK_EQ(e.fa.nfree, nfree - 1);
	CHECK_FLUSH(&e.fl, 6 * MiB, 6 * MiB + 0x1000);
	REQUIRE_OK(xpt_translate(&e.sp, 6 * MiB + 0x1000, &m));
	CHECK_EQ(m.size, XPT_4K);
	CHECK_EQ(m.attr, XPT_NOEXEC);
	REQUIRE_OK(xpt_translate(&e.sp, 6 * MiB + 0x2000, &m));
	CHECK_EQ(m.attr, XPT_WRITE);
	REQUIRE_OK(xpt_translate(&e.sp, 6 * MiB, &m));
	CHECK_EQ(m.attr, XPT_WRITE);
	CHECK_EQ(m.pa, 6 * MiB);
	xpt_flush_init(&e.fl);
	/* Across the 1 GiB page: [1G + 2M - 4K, 1G + 4M + 4K). */
	REQUIRE_OK(xpt_protect_range(&e.sp, GiB + 2 * MiB - 4 * KiB, 2 * MiB + 8 * KiB, XPT_USER,
	                             XPT_OPT_SPLIT, &e.fl));
	CHECK_EQ(e.fa.nfree, nfree - 4); /* a PD and two PTs */
	struct leaf_count c = count_leaves(&e.sp, 1 * GiB, 1 * GiB, 0);
	leaves_are(&c, 1024, 510, 0, 0);
	REQUIRE_OK(xpt_translate(&e.sp, GiB + 2 * MiB - 4 * KiB, &m));
	CHECK_EQ(m.attr, XPT_USER);
	REQUIRE_OK(xpt_translate(&e.sp, GiB + 2 * MiB - 8 * KiB, &m));
	CHECK_EQ(m.attr, XPT_WRITE);
	REQUIRE_OK(xpt_translate(&e.sp, GiB + 2 * MiB, &m));
	CHECK_EQ(m.size, XPT_2M);
	CHECK_EQ(m.attr, XPT_USER);
	REQUIRE_OK(xpt_translate(&e.sp, GiB + 4 * MiB, &m));
	CHECK_EQ(m.attr, XPT_USER);
	REQUIRE_OK(xpt_translate(&e.sp, GiB + 4 * MiB + 4 * KiB, &m));
	CHECK_EQ(m.attr, XPT_WRITE);
	/* Each page once: the PT of the first 2 MiB shares the 1 GiB base. */
	CHECK_FLUSH(&e.fl, 1 * GiB, GiB + 2 * MiB - 4 * KiB, GiB + 2 * MiB, GiB + 4 * MiB);
	env_free(&e);
}

TEST(range_split_single_unmap_and_whole_pages_unsplit)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 6 * MiB, 0x20000000, XPT_2M, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 8 * MiB, 0x20200000, XPT_2M, 0, &e.fl));
	uint64_t nfree = e.fa.nfree;
	REQUIRE_OK(xpt_unmap(&e.sp, 6 * MiB + 0x1ff000, XPT_OPT_SPLIT, &m, &e.fl));
	CHECK_EQ(m.va, 6 * MiB + 0x1ff000);
	CHECK_EQ(m.pa, 0x20000000 + 0x1ff000);
	CHECK_EQ(m.size, XPT_4K);
	CHECK_EQ(m.offset, 0);
	CHECK_EQ(e.fa.nfree, nfree - 1);
	CHECK_FLUSH(&e.fl, 6 * MiB, 6 * MiB + 0x1ff000);
	xpt_flush_init(&e.fl);
	/* A huge page wholly inside the range goes without a split, even with the option. */
	REQUIRE_OK(xpt_unmap_range(&e.sp, 8 * MiB, 2 * MiB, XPT_OPT_SPLIT, &e.fl));
	CHECK_EQ(e.fa.nfree, nfree - 1);
	CHECK_FLUSH(&e.fl, 8 * MiB);
	env_free(&e);
}

/* ---------------------------------------------------------------- destroy */

TEST(range_space_destroy_returns_every_table)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 0x1000, 0, XPT_4K, 0, &e.fl));                 /* 3 tables */
	REQUIRE_OK(xpt_map(&e.sp, 1 * GiB, 0, XPT_2M, 0, &e.fl));                /* + PD */
	REQUIRE_OK(xpt_map(&e.sp, 2 * GiB, 0, XPT_1G, 0, &e.fl));                /* none */
	REQUIRE_OK(xpt_map(&e.sp, 512 * GiB + 0x1000, 0, XPT_4K, 0, &e.fl));     /* 3 */
	REQUIRE_OK(xpt_map(&e.sp, 0xffff800000000000ull, 0, XPT_4K, 0, &e.fl));  /* 3 upper */
	REQUIRE_OK(xpt_map(&e.sp, 0xffffffff80000000ull, 0, XPT_2M, 0, &e.fl));  /* 2 upper */
	/* A raw entry outside the window is not followed. */
	*env_entry(&e, e.sp.root, 7) = ((uint64_t)(NF + 1) << 12) | E_TBL;
	CHECK_EQ(e.fa.nfree, NF - 1 - 7 - 5);
	REQUIRE_OK(xpt_space_destroy(&e.sp, false));
	CHECK_EQ(e.fa.nfree, NF - 1 - 5);
	for (unsigned i = 0; i < 256; i++)
		if (i != 7 && !CHECK_EQ(*env_entry(&e, e.sp.root, i), 0))
			break;
	CHECK_ERR(xpt_translate(&e.sp, 0x1000, &m), XPT_E_NOT_MAPPED);
	REQUIRE_OK(xpt_translate(&e.sp, 0xffffffff80000000ull, &m));
	REQUIRE_OK(xpt_space_destroy(&e.sp, true));
	CHECK_EQ(e.fa.nfree, NF);
	CHECK_EQ(*env_entry(&e, e.sp.root, 511), 0);
	CHECK_EQ(*env_entry(&e, e.sp.root, 256), 0);
	env_free(&e);
}

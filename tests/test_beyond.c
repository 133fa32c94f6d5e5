/* PAT memory types, cache colouring and ASLR placement. */
#include <stdlib.h>

#include "util.h"

TEST(memtype_attr_picks_the_pat_index_and_the_entry_bits_follow_the_level)
{
	xpt_attr wc, uc, wt, wb;
	struct env e;
	struct xpt_mapping m;
	REQUIRE_OK(xpt_cache_attr(XPT_PAT_FULL, XPT_MT_WC, &wc));
	REQUIRE_OK(xpt_cache_attr(XPT_PAT_FULL, XPT_MT_UC, &uc));
	REQUIRE_OK(xpt_cache_attr(XPT_PAT_FULL, XPT_MT_WT, &wt));
	REQUIRE_OK(xpt_cache_attr(XPT_PAT_FULL, XPT_MT_WB, &wb));
	CHECK_EQ(wc, XPT_CACHE(1));
	CHECK_EQ(uc, XPT_CACHE(3));
	CHECK_EQ(wt, XPT_CACHE(7));
	CHECK_EQ(wb, XPT_CACHE(0));
	CHECK_ERR(xpt_cache_attr(XPT_PAT_RESET, XPT_MT_WC, &wc), XPT_E_INVAL);
	CHECK_EQ(xpt_attr_memtype(XPT_PAT_RESET, XPT_CACHE(3)), XPT_MT_UC);
	CHECK_EQ(xpt_attr_memtype(XPT_PAT_FULL, XPT_CACHE(5)), XPT_MT_WP);

	REQUIRE(env_init(&e, 2048, 40));
	/* MMIO as UC (PWT|PCD), a frame buffer as WC (PWT), WT at index 7 needs PAT. */
	REQUIRE_OK(xpt_map(&e.sp, 0x1000, 0xfee00000, XPT_4K, XPT_WRITE | uc, NULL));
	REQUIRE_OK(xpt_translate(&e.sp, 0x1000, &m));
	CHECK_EQ(m.entry & (XPT_PTE_PWT | XPT_PTE_PCD | XPT_PTE_PAT_4K), XPT_PTE_PWT | XPT_PTE_PCD);
	REQUIRE_OK(xpt_map(&e.sp, 0x2000, 0xfd000000, XPT_4K, XPT_WRITE | wt, NULL));
	REQUIRE_OK(xpt_translate(&e.sp, 0x2000, &m));
	CHECK_EQ(m.entry & (XPT_PTE_PWT | XPT_PTE_PCD | XPT_PTE_PAT_4K),
	         XPT_PTE_PWT | XPT_PTE_PCD | XPT_PTE_PAT_4K);
	CHECK_EQ(xpt_attr_memtype(XPT_PAT_FULL, m.attr), XPT_MT_WT);
	REQUIRE_OK(xpt_map(&e.sp, 0x40000000, 0xc0000000, XPT_2M, XPT_WRITE | wt, NULL));
	REQUIRE_OK(xpt_translate(&e.sp, 0x40000000, &m));
	/* In a 2 MiB leaf PAT is bit 12, and bit 7 is PS. */
	CHECK_EQ(m.entry & XPT_PTE_PAT_HUGE, XPT_PTE_PAT_HUGE);
	CHECK_EQ(m.pa, 0xc0000000);
	CHECK_EQ(xpt_attr_memtype(XPT_PAT_FULL, m.attr), XPT_MT_WT);
	env_free(&e);
}

TEST(colour_alloc_hands_out_only_frames_of_the_colour)
{
	struct env e;
	xpt_pfn f;
	REQUIRE(env_init(&e, 64, 40)); /* the space's root takes frame 0 */
	CHECK_EQ(xpt_colours(1 << 20, 16), 16);
	CHECK_EQ(xpt_colours(4096, 0), 1);
	for (unsigned i = 0; i < 8; i++) {
		REQUIRE_OK(xpt_frame_alloc_colour(&e.fa, 3, 8, &f));
		CHECK_EQ(f, 3 + 8 * i);
	}
	uint64_t nfree = e.fa.nfree;
	CHECK_ERR(xpt_frame_alloc_colour(&e.fa, 3, 8, &f), XPT_E_NOMEM);
	CHECK_EQ(e.fa.nfree, nfree);
	REQUIRE_OK(xpt_frame_free(&e.fa, 27));
	REQUIRE_OK(xpt_frame_alloc_colour(&e.fa, 3, 8, &f));
	CHECK_EQ(f, 27);
	REQUIRE_OK(xpt_frame_alloc_colour(&e.fa, 0, 8, &f));
	CHECK_EQ(f, 8); /* frame 0 is the root */
	for (unsigned i = 0; i < 8; i++) { /* up to the last frame, 63 */
		REQUIRE_OK(xpt_frame_alloc_colour(&e.fa, 7, 8, &f));
		CHECK_EQ(f, 7 + 8 * i);
	}
	CHECK_ERR(xpt_frame_alloc_colour(&e.fa, 7, 8, &f), XPT_E_NOMEM);
	CHECK_ERR(xpt_frame_alloc_colour(&e.fa, 1, 6, &f), XPT_E_INVAL);
	CHECK_ERR(xpt_frame_alloc_colour(&e.fa, 8, 8, &f), XPT_E_INVAL);
	CHECK_ERR(xpt_frame_alloc_colour(&e.fa, 0, 0, &f), XPT_E_INVAL);
	env_free(&e);
}

TEST(colour_alloc_skips_empty_words_through_the_summaries)
{
	/* 1 GiB of frames, all taken but one far away: found via the summaries. */
	struct env e;
	xpt_pfn f, far = 200000;
	REQUIRE(env_init(&e, 262144, 40));
	REQUIRE(env_hold(&e, 0));
	REQUIRE_OK(xpt_frame_free(&e.fa, far));
	CHECK_ERR(xpt_frame_alloc_colour(&e.fa, 1, 4, &f), XPT_E_NOMEM);
	REQUIRE_OK(xpt_frame_alloc_colour(&e.fa, far % 4, 4, &f));
	CHECK_EQ(f, far);
	CHECK_EQ(e.fa.nfree, 0);
	env_release(&e); /* far among them */
	env_free(&e);
}

TEST(aslr_places_aligned_inside_the_range_and_reports_entropy)
{
	uint64_t va;
	unsigned bits;
	REQUIRE_OK(xpt_aslr_place(0x10000, 0x20000, 0x2000, 0x1000, 0, &va, &bits));
	CHECK_EQ(va, 0x10000);
	CHECK_EQ(bits, 3); /* 15 slots */
	REQUIRE_OK(xpt_aslr_place(0x10000, 0x20000, 0x2000, 0x1000, 14, &va, &bits));
	CHECK_EQ(va, 0x1e000);
	CHECK(va + 0x2000 <= 0x20000);
	REQUIRE_OK(xpt_aslr_place(0x10000, 0x20000, 0x2000, 0x1000, 15, &va, &bits));
	CHECK_EQ(va, 0x10000);
	/* A 47-bit user half with 2 MiB alignment: 2^26 slots, 26 bits. */
	REQUIRE_OK(xpt_aslr_place(0, 1ull << 47, 1ull << 21, 1ull << 21, ~0ull, &va, &bits));
	CHECK_EQ(bits, 26);
	CHECK_EQ(va, (1ull << 47) - (1ull << 21)); /* ~0 % 2^26 is the last slot */
	CHECK_EQ(va % (1ull << 21), 0);
	REQUIRE_OK(xpt_aslr_place(0x1234, 0x10000, 0x1000, 0x1000, 0, &va, &bits));
	CHECK_EQ(va, 0x2000); /* lo rounds up to the alignment */
	CHECK_ERR(xpt_aslr_place(0x10000, 0x11000, 0x2000, 0x1000, 0, &va, &bits), XPT_E_INVAL);
	CHECK_ERR(xpt_aslr_place(0, 0x10000, 0x1000, 0x1800, 0, &va, &bits), XPT_E_INVAL);
	CHECK_ERR(xpt_aslr_place(0, 0x10000, 0x800, 0x1000, 0, &va, &bits), XPT_E_INVAL);
}

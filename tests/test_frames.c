/* The frame allocator: memory maps, alloc/free, huge runs, reserve, counts. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define F2M 512u
#define F1G (512u * 512u)
#define RSV 2u /* any type other than XPT_REGION_USABLE is reserved */

struct box {
	struct xpt_frames fa;
	uint64_t *meta;
	uint64_t words;
};

static bool box_init(struct box *b, const struct xpt_region *map, size_t n)
{
	uint64_t span = 0;
	memset(b, 0, sizeof *b);
	if (!CHECK_ERR(xpt_frames_span(map, n, &span), XPT_OK))
		return false;
	b->words = xpt_frames_meta_words(span);
	b->meta = calloc(b->words, sizeof(uint64_t));
	if (!CHECK(b->meta != NULL))
		return false;
	return CHECK_ERR(xpt_frames_init(&b->fa, map, n, b->meta, b->words), XPT_OK);
}

static void box_free(struct box *b)
{
	free(b->meta);
	memset(b, 0, sizeof *b);
}

/* ------------------------------------------------ structural invariants */

static uint64_t level_words(uint64_t nbits, unsigned k)
{
	uint64_t n = nbits;
	for (unsigned i = 0; i <= k; i++)
		n = (n + 63) / 64;
	return n ? n : 1;
}

static unsigned popcount64(uint64_t w)
{
	return (unsigned)__builtin_popcountll(w);
}

/* The summary tower: bit i of level k+1 is set iff word i of level k is
 * non-zero, bits past the end are clear, and the top level is one word. */
static bool tower_ok(const struct xpt_bitmap *b, const char *what)
{
	for (unsigned k = 0; k < XPT_BITMAP_LEVELS; k++) {
		uint64_t nw = level_words(b->nbits, k);
		uint64_t nbits_k = k == 0 ? b->nbits : level_words(b->nbits, k - 1);
		for (uint64_t i = 0; i < nw; i++) {
			uint64_t w = b->w[b->off[k] + i];
			for (unsigned bit = 0; bit < 64; bit++) {
				uint64_t idx = i * 64 + bit;
				bool set = (w >> bit) & 1u;
				bool want = idx < nbits_k &&
				            (k == 0 ? set : b->w[b->off[k - 1] + idx] != 0);
				if (set != want)
					return check_fail(__FILE__, __LINE__,
					                  "%s: level %u bit %llu is %d", what, k,
					                  (unsigned long long)idx, set);
			}
		}
	}
	return CHECK_EQ(level_words(b->nbits, XPT_BITMAP_LEVELS - 1), 1);
}

/* Every invariant struct xpt_frames documents. */
static bool fa_consistent(const struct xpt_frames *fa)
{
	uint64_t n = fa->nframes, nfree = 0, nusable = 0;
	const uint64_t *f4 = fa->free4k.w + fa->free4k.off[0];
	const uint64_t *f2 = fa->free2m.w + fa->free2m.off[0];
	const uint64_t *f1 = fa->free1g.w + fa->free1g.off[0];
	bool ok = CHECK_EQ(fa->free4k.nbits, n) && CHECK_EQ(fa->free2m.nbits, (n + F2M - 1) / F2M) &&
	          CHECK_EQ(fa->free1g.nbits, (n + F1G - 1) / F1G);
	for (uint64_t i = 0; i < (n + 63) / 64; i++) {
		if (f4[i] & ~fa->usable[i])
			ok = check_fail(__FILE__, __LINE__, "free frame not usable near %llu",
			                (unsigned long long)(i * 64));
		nfree += popcount64(f4[i]);
		nusable += popcount64(fa->usable[i]);
	}
	ok = CHECK_EQ(nfree, fa->nfree) && ok;
	ok = CHECK_EQ(nusable, fa->nusable) && ok;
	for (uint64_t b = 0; b < fa->free2m.nbits; b++) {
		bool whole = (b + 1) * F2M <= n;
		for (unsigned i = 0; whole && i < 8; i++)
			whole = f4[b * 8 + i] == UINT64_MAX;
		if (bit_get(f2, b) != whole)
			ok = check_fail(__FILE__, __LINE__, "free2m bit %llu wrong",
			                (unsigned long long)b);
	}
	for (uint64_t g = 0; g < fa->free1g.nbits; g++) {
		bool whole = (g + 1) * F1G <= n;
		for (unsigned i = 0; whole && i < 8; i++)
			whole = f2[g * 8 + i] == UINT64_MAX;
		if (bit_get(f1, g) != whole)
			ok = check_fail(__FILE__, __LINE__, "free1g bit %llu wrong",
			                (unsigned long long)g);
	}
	return tower_ok(&fa->free4k, "free4k") && tower_ok(&fa->free2m, "free2m") &&
	       tower_ok(&fa->free1g, "free1g") && ok;
}

/* ------------------------------------------------------------ memory maps */

/* Unsorted, overlapping, unaligned and empty regions; reserved ones listed
 * before and after the usable ones they cut. */
static const struct xpt_region messy[] = {
	{ 0x0, 0x1000, RSV },                      /* frame 0 */
	{ 0xc8800, 0x100, RSV },                   /* unaligned: all of frame 0xc8 */
	{ 0x100800, 0x10000, XPT_REGION_USABLE },  /* unaligned: frames 0x101..0x10f */
	{ 0x0, 0xa0000, XPT_REGION_USABLE },       /* frames 0x0..0x9f */
	{ 0x9f000, 0x1000, RSV },                  /* frame 0x9f */
	{ 0x50000, 0x80000, XPT_REGION_USABLE },   /* overlaps: frames 0x50..0xcf */
	{ 0x200000, 0, XPT_REGION_USABLE },        /* empty */
	{ 0x300000, 0x800, XPT_REGION_USABLE },    /* less than a frame */
	{ 0x400000, 0x100000, RSV },               /* beyond the span */
	{ 0x10f000, 0x1000, 3 },                   /* ACPI inside usable: frame 0x10f */
	{ 0x0, 0x0, RSV },                         /* empty */
};
#define MESSY_SPAN   0x110u
#define MESSY_USABLE 219u

static bool messy_usable(uint64_t f)
{
	return (f >= 1 && f < 0xd0 && f != 0x9f && f != 0xc8) || (f >= 0x101 && f < 0x10f);
}

TEST(frames_span_of_messy_map)
{
	uint64_t span = 12345;
	CHECK_ERR(xpt_frames_span(messy, sizeof messy / sizeof messy[0], &span), XPT_OK);
	CHECK_EQ(span, MESSY_SPAN);
	CHECK_ERR(xpt_frames_span(NULL, 0, &span), XPT_OK);
	CHECK_EQ(span, 0);
	CHECK_ERR(xpt_frames_span(NULL, 1, &span), XPT_E_INVAL);
	/* Only usable regions extend the span. */
	struct xpt_region r[] = { { 0, 0x5000, XPT_REGION_USABLE }, { 0x100000, 0x1000, RSV } };
	CHECK_ERR(xpt_frames_span(r, 2, &span), XPT_OK);
	CHECK_EQ(span, 5);
	/* An unaligned usable region ending mid-frame stops at the last whole frame. */
	struct xpt_region u = { 0x1800, 0x2000, XPT_REGION_USABLE }; /* frame 2 only */
	CHECK_ERR(xpt_frames_span(&u, 1, &span), XPT_OK);
	CHECK_EQ(span, 3);
}

TEST(frames_init_messy_map_usable_minus_reserved)
{
	struct box b;
	if (!box_init(&b, messy, sizeof messy / sizeof messy[0]))
		return;
	CHECK_EQ(b.fa.nframes, MESSY_SPAN);
	CHECK_EQ(b.fa.nusable, MESSY_USABLE);
	CHECK_EQ(b.fa.nfree, MESSY_USABLE);
	for (uint64_t f = 0; f < MESSY_SPAN + 4; f++)
		if (!CHECK_EQ(xpt_frame_is_free(&b.fa, f), messy_usable(f)))
			printf("  frame 0x%llx\n", (unsigned long long)f);
	CHECK(fa_consistent(&b.fa));
	/* No 2 MiB block is whole in 0x110 frames. */
	xpt_pfn h = 77;
	CHECK_ERR(xpt_frame_alloc_huge(&b.fa, XPT_2M, &h), XPT_E_NOMEM);
	CHECK_EQ(h, 77);
	box_free(&b);
}

TEST(frames_init_same_result_in_any_region_order)
{
	enum { N = sizeof messy / sizeof messy[0] };
	struct xpt_region rev[N];
	for (unsigned i = 0; i < N; i++)
		rev[i] = messy[N - 1 - i];
	struct box a, b;
	if (!box_init(&a, messy, N) || !box_init(&b, rev, N))
		return;
	CHECK_EQ(a.words, b.words);
	CHECK(memcmp(a.meta, b.meta, a.words * sizeof(uint64_t)) == 0);
	CHECK_EQ(b.fa.nusable, MESSY_USABLE);
	box_free(&a);
	box_free(&b);
}

TEST(frames_alloc_all_of_messy_map_in_order_then_nomem)
{
	struct box b;
	if (!box_init(&b, messy, sizeof messy / sizeof messy[0]))
		return;
	uint64_t want = 0, n = 0;
	for (;;) {
		xpt_pfn f;
		while (want < MESSY_SPAN && !messy_usable(want))
			want++;
		if (want == MESSY_SPAN)
			break;
		REQUIRE_OK(xpt_frame_alloc(&b.fa, &f));
		CHECK_EQ(f, want);
		CHECK(!xpt_frame_is_free(&b.fa, f));
		n++;
		CHECK_EQ(b.fa.nfree, MESSY_USABLE - n);
		want++;
	}
	CHECK_EQ(n, MESSY_USABLE);
	xpt_pfn f = 999;
	CHECK_ERR(xpt_frame_alloc(&b.fa, &f), XPT_E_NOMEM);
	CHECK_EQ(f, 999);
	CHECK_EQ(b.fa.nfree, 0);
	CHECK_EQ(b.fa.nusable, MESSY_USABLE);
	CHECK(fa_consistent(&b.fa));
	box_free(&b);
}

TEST(frames_malformed_maps)
{
	uint64_t span = 42, meta[64];
	struct xpt_frames fa;
	const uint64_t top = (uint64_t)1 << 52;
	struct xpt_region wrap[] = { { 0, 0x10000, XPT_REGION_USABLE },
		                     { 0xfffffffffffff000ull, 0x2000, XPT_REGION_USABLE } };
	struct xpt_region wrap_rsv[] = { { 0, 0x10000, XPT_REGION_USABLE },
		                         { 0xfffffffffffff000ull, 0x2000, RSV } };
	struct xpt_region beyond[] = { { top - 0x1000, 0x2000, XPT_REGION_USABLE } };
	struct xpt_region beyond_rsv[] = { { 0, 0x10000, XPT_REGION_USABLE },
		                           { top - 0x1000, 0x1001, RSV } };
	struct xpt_region at_top_rsv[] = { { 0, 0x10000, XPT_REGION_USABLE },
		                           { top - 0x1000, 0x1000, RSV } };
	struct xpt_region too_many[] = { { (uint64_t)1 << 48, 0x1000, XPT_REGION_USABLE } };
	struct xpt_region most[] = { { ((uint64_t)1 << 48) - 0x1000, 0x1000, XPT_REGION_USABLE } };
	struct xpt_region huge_len[] = { { 0x1000, UINT64_MAX, XPT_REGION_USABLE } };

	CHECK_ERR(xpt_frames_span(wrap, 2, &span), XPT_E_MEMMAP);
	CHECK_ERR(xpt_frames_span(wrap_rsv, 2, &span), XPT_E_MEMMAP);
	CHECK_ERR(xpt_frames_span(beyond, 1, &span), XPT_E_MEMMAP);
	CHECK_ERR(xpt_frames_span(beyond_rsv, 2, &span), XPT_E_MEMMAP);
	CHECK_ERR(xpt_frames_span(huge_len, 1, &span), XPT_E_MEMMAP);
	CHECK_EQ(span, 42); /* untouched on failure */
	CHECK_ERR(xpt_frames_span(at_top_rsv, 2, &span), XPT_OK);
	CHECK_EQ(span, 16);
	/* More frames than the bitmap tower holds (64^6). */
	CHECK_ERR(xpt_frames_span(too_many, 1, &span), XPT_E_RANGE);
	CHECK_ERR(xpt_frames_span(most, 1, &span), XPT_OK);
	CHECK_EQ(span, (uint64_t)1 << 36);

	/* init refuses the same maps and writes nothing. */
	for (unsigned i = 0; i < 64; i++)
		meta[i] = 0xa5a5a5a5a5a5a5a5ull;
	memset(&fa, 0x5a, sizeof fa);
	struct xpt_frames fa_before = fa;
	CHECK_ERR(xpt_frames_init(&fa, wrap, 2, meta, 64), XPT_E_MEMMAP);
	CHECK_ERR(xpt_frames_init(&fa, beyond, 1, meta, 64), XPT_E_MEMMAP);
	CHECK_ERR(xpt_frames_init(&fa, too_many, 1, meta, 64), XPT_E_RANGE);
	CHECK_ERR(xpt_frames_init(&fa, NULL, 3, meta, 64), XPT_E_INVAL);
	CHECK(memcmp(&fa, &fa_before, sizeof fa) == 0);
	for (unsigned i = 0; i < 64; i++)
		CHECK_EQ(meta[i], 0xa5a5a5a5a5a5a5a5ull);
}

TEST(frames_meta_too_small_is_inval)
{
	struct xpt_region r = { 0, 100 * XPT_PAGE_SIZE, XPT_REGION_USABLE };
	uint64_t need = xpt_frames_meta_words(100);
	uint64_t *meta = malloc((need + 1) * sizeof(uint64_t));
	struct xpt_frames fa;
	REQUIRE(meta != NULL);
	for (uint64_t i = 0; i <= need; i++)
		meta[i] = UINT64_MAX;
	CHECK_ERR(xpt_frames_init(&fa, &r, 1, meta, need - 1), XPT_E_INVAL);
	CHECK_ERR(xpt_frames_init(&fa, &r, 1, meta, 0), XPT_E_INVAL);
	CHECK_ERR(xpt_frames_init(&fa, &r, 1, NULL, need), XPT_E_INVAL);
	CHECK_ERR(xpt_frames_init(NULL, &r, 1, meta, need), XPT_E_INVAL);
	for (uint64_t i = 0; i <= need; i++)
		CHECK_EQ(meta[i], UINT64_MAX);
	/* Exactly enough works even over garbage, and stays inside its words. */
	CHECK_ERR(xpt_frames_init(&fa, &r, 1, meta, need), XPT_OK);
	CHECK_EQ(meta[need], UINT64_MAX);
	CHECK_EQ(fa.nframes, 100);
	CHECK_EQ(fa.nusable, 100);
	CHECK_EQ(fa.nfree, 100);
	CHECK(fa_consistent(&fa));
	free(meta);
}

/* 2^36 frames (256 TiB) is the most the bitmaps track; one more needs more
 * words than any buffer holds. */
TEST(frames_meta_words_at_and_past_the_limit)
{
	uint64_t max = (uint64_t)1 << 36;
	CHECK(xpt_frames_meta_words(max) > max / 64);
	CHECK(xpt_frames_meta_words(max) < (uint64_t)1 << 32);
	CHECK_EQ(xpt_frames_meta_words(max + 1), UINT64_MAX);
	CHECK_EQ(xpt_frames_meta_words(UINT64_MAX), UINT64_MAX);
}

TEST(frames_empty_map_has_nothing_to_give)
{
	struct xpt_frames fa;
	uint64_t meta[32];
	struct xpt_region only_rsv = { 0, 0x100000, RSV };
	CHECK_EQ(xpt_frames_meta_words(0), 1 + 3 * XPT_BITMAP_LEVELS);
	REQUIRE_OK(xpt_frames_init(&fa, NULL, 0, meta, 32));
	CHECK_EQ(fa.nframes, 0);
	CHECK_EQ(fa.nfree, 0);
	xpt_pfn f;
	CHECK_ERR(xpt_frame_alloc(&fa, &f), XPT_E_NOMEM);
	CHECK_ERR(xpt_frame_alloc_huge(&fa, XPT_2M, &f), XPT_E_NOMEM);
	CHECK_ERR(xpt_frame_alloc_huge(&fa, XPT_1G, &f), XPT_E_NOMEM);
	CHECK_ERR(xpt_frame_free(&fa, 0), XPT_E_RANGE);
	CHECK(!xpt_frame_is_free(&fa, 0));
	REQUIRE_OK(xpt_frames_init(&fa, &only_rsv, 1, meta, 32));
	CHECK_EQ(fa.nframes, 0);
	CHECK_ERR(xpt_frame_alloc(&fa, &f), XPT_E_NOMEM);
}

/* ---------------------------------------------------------- alloc / free */

TEST(frames_free_errors_leave_state_alone)
{
	struct box b;
	if (!box_init(&b, messy, sizeof messy / sizeof messy[0]))
		return;
	xpt_pfn f1, f2;
	REQUIRE_OK(xpt_frame_alloc(&b.fa, &f1));
	REQUIRE_OK(xpt_frame_alloc(&b.fa, &f2));
	CHECK_EQ(f1, 1);
	CHECK_EQ(f2, 2);
	uint64_t *copy = malloc(b.words * sizeof(uint64_t));
	REQUIRE(copy != NULL);
	memcpy(copy, b.meta, b.words * sizeof(uint64_t));
	struct xpt_frames before = b.fa;

	CHECK_ERR(xpt_frame_free(&b.fa, 3), XPT_E_DOUBLE_FREE);       /* never handed out */
	CHECK_ERR(xpt_frame_free(&b.fa, 0), XPT_E_RESERVED);          /* reserved first */
	CHECK_ERR(xpt_frame_free(&b.fa, 0x9f), XPT_E_RESERVED);       /* reserved later */
	CHECK_ERR(xpt_frame_free(&b.fa, 0x10f), XPT_E_RESERVED);      /* ACPI */
	CHECK_ERR(xpt_frame_free(&b.fa, 0xe0), XPT_E_RESERVED);       /* in no region */
	CHECK_ERR(xpt_frame_free(&b.fa, MESSY_SPAN), XPT_E_RANGE);
	CHECK_ERR(xpt_frame_free(&b.fa, UINT64_MAX), XPT_E_RANGE);
	CHECK(memcmp(copy, b.meta, b.words * sizeof(uint64_t)) == 0);
	CHECK(memcmp(&before, &b.fa, sizeof before) == 0);

	CHECK_ERR(xpt_frame_free(&b.fa, f1), XPT_OK);
	CHECK_EQ(b.fa.nfree, MESSY_USABLE - 1);
	CHECK(xpt_frame_is_free(&b.fa, f1));
	memcpy(copy, b.meta, b.words * sizeof(uint64_t));
	CHECK_ERR(xpt_frame_free(&b.fa, f1), XPT_E_DOUBLE_FREE);
	CHECK(memcmp(copy, b.meta, b.words * sizeof(uint64_t)) == 0);
	CHECK_EQ(b.fa.nfree, MESSY_USABLE - 1);
	/* The lowest free frame comes back first. */
	xpt_pfn g;
	REQUIRE_OK(xpt_frame_alloc(&b.fa, &g));
	CHECK_EQ(g, f1);
	CHECK(fa_consistent(&b.fa));
	free(copy);
	box_free(&b);
}

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

/*
 * Random alloc / free / huge alloc / huge free against a shadow model that
 * knows which frames are usable and which are handed out: every result is
 * predicted exactly (lowest free frame first, lowest whole block first,
 * the error of every bad free), no frame is handed out twice, and counts
 * match after every step.
 */
TEST(frames_model_random_ops)
{
	enum { N = 2600, OPS = 6000 };
	const struct xpt_region map[] = {
		{ 0, (uint64_t)N * XPT_PAGE_SIZE, XPT_REGION_USABLE },
		{ 600 * XPT_PAGE_SIZE, 4 * XPT_PAGE_SIZE, RSV },  /* breaks block 1 */
		{ 2200 * XPT_PAGE_SIZE + 5, 10, RSV },            /* frame 2200 */
	};
	static uint64_t usable[(N + 63) / 64], held[(N + 63) / 64];
	struct box b;
	uint64_t seed = 7, nheld = 0, nusable = 0, huge_ok = 0, frees_ok = 0;
	memset(usable, 0, sizeof usable);
	memset(held, 0, sizeof held);
	for (uint64_t f = 0; f < N; f++)
		if (!((f >= 600 && f < 604) || f == 2200)) {
			bit_set(usable, f);
			nusable++;
		}
	if (!box_init(&b, map, 3))
		return;
	CHECK_EQ(b.fa.nusable, nusable);
	for (unsigned op = 0; op < OPS && check_failures() == 0; op++) {
		unsigned kind = (unsigned)(lcg(&seed) % 100);
		if (kind < 35) {
			uint64_t want = 0;
			while (want < N && (!bit_get(usable, want) || bit_get(held, want)))
				want++;
			xpt_pfn f = 0;
			int err = xpt_frame_alloc(&b.fa, &f);
			if (want == N) {
				CHECK_ERR(err, XPT_E_NOMEM);
			} else if (CHECK_ERR(err, XPT_OK) && CHECK_EQ(f, want)) {
				bit_set(held, f);
				nheld++;
			}
		} else if (kind < 85) {
			/* Free: a random frame, usually one that is held. */
			uint64_t f = lcg(&seed) % (N + 40);
			if (kind < 80)
				for (uint64_t i = 0; i < N && !(f < N && bit_get(held, f)); i++)
					f = (f + 1) % N;
			int want = f >= N ? XPT_E_RANGE
			           : !bit_get(usable, f) ? XPT_E_RESERVED
			           : !bit_get(held, f) ? XPT_E_DOUBLE_FREE : XPT_OK;
			if (CHECK_ERR(xpt_frame_free(&b.fa, f), want) && want == XPT_OK) {
				held[f / 64] &= ~((uint64_t)1 << (f % 64));
				nheld--;
				frees_ok++;
			}
		} else if (kind < 93) {
			uint64_t want = N;
			for (uint64_t blk = 0; blk < N / F2M && want == N; blk++) {
				bool whole = true;
				for (uint64_t f = blk * F2M; f < (blk + 1) * F2M && whole; f++)
					whole = bit_get(usable, f) && !bit_get(held, f);
				if (whole)
					want = blk * F2M;
			}
			xpt_pfn f = 0;
			int err = xpt_frame_alloc_huge(&b.fa, XPT_2M, &f);
			if (want == N) {
				CHECK_ERR(err, XPT_E_NOMEM);
			} else if (CHECK_ERR(err, XPT_OK) && CHECK_EQ(f, want)) {
				for (uint64_t i = f; i < f + F2M; i++)
					bit_set(held, i);
				nheld += F2M;
				huge_ok++;
			}
		} else {
			uint64_t f = (lcg(&seed) % 6) * F2M + ((lcg(&seed) % 8) == 0 ? 64 : 0);
			int want = XPT_OK;
			uint64_t nh = 0;
			if (f % F2M)
				want = XPT_E_ALIGN;
			else if (f + F2M > N)
				want = XPT_E_RANGE;
			for (uint64_t i = f; want == XPT_OK && i < f + F2M; i++)
				if (!bit_get(usable, i))
					want = XPT_E_RESERVED;
			for (uint64_t i = f; want == XPT_OK && i < f + F2M; i++)
				nh += bit_get(held, i);
			if (want == XPT_OK && nh != F2M)
				want = XPT_E_DOUBLE_FREE;
			if (CHECK_ERR(xpt_frame_free_huge(&b.fa, f, XPT_2M), want) && want == XPT_OK) {
				for (uint64_t i = f; i < f + F2M; i++)
					held[i / 64] &= ~((uint64_t)1 << (i % 64));
				nheld -= F2M;
			}
		}
		CHECK_EQ(b.fa.nfree, nusable - nheld);
		CHECK_EQ(b.fa.nusable, nusable);
		if (op % 500 == 0)
			CHECK(fa_consistent(&b.fa));
	}
	for (uint64_t f = 0; f < N; f++)
		if (CHECK_EQ(xpt_frame_is_free(&b.fa, f), bit_get(usable, f) && !bit_get(held, f)) ==
		    false)
			break;
	CHECK(fa_consistent(&b.fa));
	/* The run exercised every kind of step. */
	CHECK(huge_ok > 3);
	CHECK(frees_ok > 100);
	box_free(&b);
}

TEST(frames_exhaust_then_refill_by_frees)
{
	enum { N = 3001 };
	struct xpt_region r = { 0, (uint64_t)N * XPT_PAGE_SIZE, XPT_REGION_USABLE };
	static uint64_t taken[(N + 63) / 64];
	struct box b;
	memset(taken, 0, sizeof taken);
	if (!box_init(&b, &r, 1))
		return;
	for (uint64_t i = 0; i < N; i++) {
		xpt_pfn f;
		REQUIRE_OK(xpt_frame_alloc(&b.fa, &f));
		REQUIRE(f < N);
		CHECK(!bit_get(taken, f));
		bit_set(taken, f);
	}
	xpt_pfn f;
	CHECK_ERR(xpt_frame_alloc(&b.fa, &f), XPT_E_NOMEM);
	CHECK_EQ(b.fa.nfree, 0);
	/* Free in a scattered order; each free is counted. */
	for (uint64_t i = 0; i < N; i++) {
		REQUIRE_OK(xpt_frame_free(&b.fa, (i * 1237) % N));
		CHECK_EQ(b.fa.nfree, i + 1);
	}
	CHECK(fa_consistent(&b.fa));
	/* Everything whole again: 5 blocks of 2 MiB, no 1 GiB. */
	for (unsigned i = 0; i < 5; i++) {
		REQUIRE_OK(xpt_frame_alloc_huge(&b.fa, XPT_2M, &f));
		CHECK_EQ(f, i * F2M);
	}
	CHECK_ERR(xpt_frame_alloc_huge(&b.fa, XPT_2M, &f), XPT_E_NOMEM);
	CHECK_ERR(xpt_frame_alloc_huge(&b.fa, XPT_1G, &f), XPT_E_NOMEM);
	CHECK_EQ(b.fa.nfree, N - 5 * F2M);
	box_free(&b);
}

/* ------------------------------------------------------------- huge runs */

/* 2 GiB + 3 MiB with the first MiB reserved, like a PC. */
static const struct xpt_region pc[] = {
	{ 0, 2 * GiB + 3 * MiB, XPT_REGION_USABLE },
	{ 0, 1 * MiB, RSV },
};
#define PC_FRAMES ((2 * GiB + 3 * MiB) / XPT_PAGE_SIZE)

TEST(frames_huge_alignment_and_contiguity)
{
	struct box b;
	xpt_pfn f;
	if (!box_init(&b, pc, 2))
		return;
	uint64_t free0 = PC_FRAMES - 256;
	CHECK_EQ(b.fa.nframes, PC_FRAMES);
	CHECK_EQ(b.fa.nfree, free0);
	/* Block 0 holds the reserved MiB: the first whole 2 MiB block is block 1. */
	REQUIRE_OK(xpt_frame_alloc_huge(&b.fa, XPT_2M, &f));
	CHECK_EQ(f, 512);
	CHECK_EQ(b.fa.nfree, free0 - 512);
	CHECK(xpt_frame_is_free(&b.fa, 511));
	CHECK(xpt_frame_is_free(&b.fa, 1024));
	for (uint64_t i = 512; i < 1024; i++)
		if (!CHECK(!xpt_frame_is_free(&b.fa, i)))
			break;
	/* 1 GiB block 0 is broken (reserved MiB, the 2 MiB run): block 1. */
	REQUIRE_OK(xpt_frame_alloc_huge(&b.fa, XPT_1G, &f));
	CHECK_EQ(f, F1G);
	CHECK_EQ(b.fa.nfree, free0 - 512 - F1G);
	CHECK(xpt_frame_is_free(&b.fa, F1G - 1));
	CHECK(xpt_frame_is_free(&b.fa, 2 * F1G));
	for (uint64_t i = F1G; i < 2 * F1G; i += 97)
		if (!CHECK(!xpt_frame_is_free(&b.fa, i)))
			break;
	CHECK(!xpt_frame_is_free(&b.fa, 2 * F1G - 1));
	/* Only 3 MiB beyond 2 GiB: no third GiB. */
	CHECK_ERR(xpt_frame_alloc_huge(&b.fa, XPT_1G, &f), XPT_E_NOMEM);
	/* 2 MiB blocks left: 2..511 of the first GiB, then the one at 2 GiB. */
	for (uint64_t blk = 2; blk < 512; blk++) {
		REQUIRE_OK(xpt_frame_alloc_huge(&b.fa, XPT_2M, &f));
		CHECK_EQ(f, blk * F2M);
	}
	REQUIRE_OK(xpt_frame_alloc_huge(&b.fa, XPT_2M, &f));
	CHECK_EQ(f, 2 * F1G);
	CHECK_ERR(xpt_frame_alloc_huge(&b.fa, XPT_2M, &f), XPT_E_NOMEM);
	/* Left: frames 256..511 and the last 1 MiB. */
	CHECK_EQ(b.fa.nfree, 256 + 256);
	REQUIRE_OK(xpt_frame_alloc(&b.fa, &f));
	CHECK_EQ(f, 256);
	CHECK(fa_consistent(&b.fa));

	CHECK_ERR(xpt_frame_alloc_huge(&b.fa, XPT_4K, &f), XPT_E_INVAL);
	CHECK_ERR(xpt_frame_alloc_huge(&b.fa, (enum xpt_size)3, &f), XPT_E_INVAL);
	box_free(&b);
}

TEST(frames_huge_fails_when_fragmented)
{
	struct xpt_region r = { 0, 2 * GiB, XPT_REGION_USABLE };
	struct box b;
	xpt_pfn f;
	if (!box_init(&b, &r, 1))
		return;
	/* Take everything, then give back all but one frame of every 2 MiB block. */
	REQUIRE_OK(xpt_frame_alloc_huge(&b.fa, XPT_1G, &f));
	CHECK_EQ(f, 0);
	REQUIRE_OK(xpt_frame_alloc_huge(&b.fa, XPT_1G, &f));
	CHECK_EQ(f, F1G);
	CHECK_EQ(b.fa.nfree, 0);
	for (uint64_t i = 0; i < 2 * F1G; i++)
		if (i % F2M != 5 && !CHECK_ERR(xpt_frame_free(&b.fa, i), XPT_OK))
			return;
	CHECK_EQ(b.fa.nfree, 2 * F1G - 1024);
	CHECK_ERR(xpt_frame_alloc_huge(&b.fa, XPT_2M, &f), XPT_E_NOMEM);
	CHECK_ERR(xpt_frame_alloc_huge(&b.fa, XPT_1G, &f), XPT_E_NOMEM);
	CHECK(fa_consistent(&b.fa));
	/* Freeing the pinned frame of block 7 makes exactly that block whole. */
	REQUIRE_OK(xpt_frame_free(&b.fa, 7 * F2M + 5));
	REQUIRE_OK(xpt_frame_alloc_huge(&b.fa, XPT_2M, &f));
	CHECK_EQ(f, 7 * F2M);
	CHECK_ERR(xpt_frame_alloc_huge(&b.fa, XPT_2M, &f), XPT_E_NOMEM);
	/* Give back the rest of the second GiB: it becomes whole again. */
	for (uint64_t blk = 512; blk < 1024; blk++)
		REQUIRE_OK(xpt_frame_free(&b.fa, blk * F2M + 5));
	REQUIRE_OK(xpt_frame_alloc_huge(&b.fa, XPT_1G, &f));
	CHECK_EQ(f, F1G);
	CHECK(fa_consistent(&b.fa));
	box_free(&b);
}

TEST(frames_free_huge_errors_and_rejoining)
{
	struct box b;
	xpt_pfn f, g;
	if (!box_init(&b, pc, 2))
		return;
	REQUIRE_OK(xpt_frame_alloc_huge(&b.fa, XPT_2M, &f));
	CHECK_EQ(f, 512);
	uint64_t *copy = malloc(b.words * sizeof(uint64_t));
	REQUIRE(copy != NULL);
	memcpy(copy, b.meta, b.words * sizeof(uint64_t));
	struct xpt_frames before = b.fa;

	CHECK_ERR(xpt_frame_free_huge(&b.fa, 512 + 8, XPT_2M), XPT_E_ALIGN);
	CHECK_ERR(xpt_frame_free_huge(&b.fa, 512, XPT_4K), XPT_E_INVAL);
	CHECK_ERR(xpt_frame_free_huge(&b.fa, 512, (enum xpt_size)5), XPT_E_INVAL);
	CHECK_ERR(xpt_frame_free_huge(&b.fa, 512, XPT_1G), XPT_E_ALIGN);
	CHECK_ERR(xpt_frame_free_huge(&b.fa, 0, XPT_2M), XPT_E_RESERVED);   /* reserved MiB */
	CHECK_ERR(xpt_frame_free_huge(&b.fa, 1024, XPT_2M), XPT_E_DOUBLE_FREE);
	CHECK_ERR(xpt_frame_free_huge(&b.fa, 2 * F1G + F2M, XPT_2M), XPT_E_RANGE); /* partial */
	CHECK_ERR(xpt_frame_free_huge(&b.fa, 4 * F1G, XPT_2M), XPT_E_RANGE);
	CHECK_ERR(xpt_frame_free_huge(&b.fa, 2 * F1G, XPT_1G), XPT_E_RANGE);
	CHECK_ERR(xpt_frame_free_huge(&b.fa, F1G, XPT_1G), XPT_E_DOUBLE_FREE);
	CHECK(memcmp(copy, b.meta, b.words * sizeof(uint64_t)) == 0);
	CHECK(memcmp(&before, &b.fa, sizeof before) == 0);

	/* A run with one frame already given back is a double free, changing nothing. */
	REQUIRE_OK(xpt_frame_free(&b.fa, 700));
	memcpy(copy, b.meta, b.words * sizeof(uint64_t));
	CHECK_ERR(xpt_frame_free_huge(&b.fa, 512, XPT_2M), XPT_E_DOUBLE_FREE);
	CHECK(memcmp(copy, b.meta, b.words * sizeof(uint64_t)) == 0);
	REQUIRE_OK(xpt_frame_alloc(&b.fa, &g));
	CHECK_EQ(g, 256); /* the lowest free frame is after the reserved MiB */
	REQUIRE_OK(xpt_frame_free(&b.fa, 256));
	REQUIRE_OK(xpt_frame_alloc(&b.fa, &g));
	CHECK_EQ(g, 256);
	REQUIRE_OK(xpt_frame_free(&b.fa, 256));

	/* Freeing the other 511 frames one by one rejoins the block. */
	for (uint64_t i = 512; i < 1024; i++)
		if (i != 700)
			REQUIRE_OK(xpt_frame_free(&b.fa, i));
	CHECK_EQ(b.fa.nfree, PC_FRAMES - 256);
	REQUIRE_OK(xpt_frame_alloc_huge(&b.fa, XPT_2M, &g));
	CHECK_EQ(g, 512);
	CHECK_ERR(xpt_frame_free_huge(&b.fa, 512, XPT_2M), XPT_OK);
	CHECK_EQ(b.fa.nfree, PC_FRAMES - 256);

	/* 1 GiB out, back as 512 runs of 2 MiB, whole again. */
	REQUIRE_OK(xpt_frame_alloc_huge(&b.fa, XPT_1G, &g));
	CHECK_EQ(g, F1G);
	CHECK_EQ(b.fa.nfree, PC_FRAMES - 256 - F1G);
	for (uint64_t blk = 0; blk < 512; blk++)
		REQUIRE_OK(xpt_frame_free_huge(&b.fa, F1G + blk * F2M, XPT_2M));
	CHECK_EQ(b.fa.nfree, PC_FRAMES - 256);
	REQUIRE_OK(xpt_frame_alloc_huge(&b.fa, XPT_1G, &g));
	CHECK_EQ(g, F1G);
	CHECK_ERR(xpt_frame_free_huge(&b.fa, F1G, XPT_1G), XPT_OK);
	CHECK_ERR(xpt_frame_free_huge(&b.fa, F1G, XPT_1G), XPT_E_DOUBLE_FREE);
	CHECK_EQ(b.fa.nfree, PC_FRAMES - 256);
	CHECK(fa_consistent(&b.fa));
	free(copy);
	box_free(&b);
}

/* ---------------------------------------------------------------- reserve */

TEST(frames_reserve_counts_and_alignment)
{
	enum { N = 2048 };
	struct xpt_region r = { 0, (uint64_t)N * XPT_PAGE_SIZE, XPT_REGION_USABLE };
	struct box b;
	xpt_pfn f;
	if (!box_init(&b, &r, 1))
		return;
	/* [0x10800, 0x13001) covers frames 0x10..0x13, aligned outward. */
	REQUIRE_OK(xpt_frames_reserve(&b.fa, 0x10800, 0x2801));
	CHECK_EQ(b.fa.nusable, N - 4);
	CHECK_EQ(b.fa.nfree, N - 4);
	for (uint64_t i = 0xf; i <= 0x14; i++)
		CHECK_EQ(xpt_frame_is_free(&b.fa, i), i < 0x10 || i > 0x13);
	CHECK_ERR(xpt_frame_free(&b.fa, 0x10), XPT_E_RESERVED);
	CHECK_ERR(xpt_frame_free(&b.fa, 0x13), XPT_E_RESERVED);
	/* Block 0 is no longer whole. */
	REQUIRE_OK(xpt_frame_alloc_huge(&b.fa, XPT_2M, &f));
	CHECK_EQ(f, F2M);
	/* Reserving again, or nothing, or beyond the span, changes nothing. */
	REQUIRE_OK(xpt_frames_reserve(&b.fa, 0x10000, 0x4000));
	REQUIRE_OK(xpt_frames_reserve(&b.fa, 0x50000, 0));
	REQUIRE_OK(xpt_frames_reserve(&b.fa, (uint64_t)N * XPT_PAGE_SIZE, 1 * GiB));
	CHECK_EQ(b.fa.nusable, N - 4);
	CHECK_EQ(b.fa.nfree, N - 4 - F2M);
	/* A range sticking out of the span takes only what is inside. */
	REQUIRE_OK(xpt_frames_reserve(&b.fa, (uint64_t)(N - 2) * XPT_PAGE_SIZE, 1 * GiB));
	CHECK_EQ(b.fa.nusable, N - 6);
	CHECK_EQ(b.fa.nfree, N - 6 - F2M);
	CHECK(!xpt_frame_is_free(&b.fa, N - 1));
	CHECK_ERR(xpt_frames_reserve(&b.fa, 0xfffffffffffff000ull, 0x2000), XPT_E_MEMMAP);
	CHECK_ERR(xpt_frames_reserve(&b.fa, ((uint64_t)1 << 52) - 0x1000, 0x1001), XPT_E_MEMMAP);
	CHECK_EQ(b.fa.nusable, N - 6);
	CHECK(fa_consistent(&b.fa));
	box_free(&b);
}

TEST(frames_reserve_busy_changes_nothing)
{
	struct box b;
	xpt_pfn f;
	if (!box_init(&b, messy, sizeof messy / sizeof messy[0]))
		return;
	for (unsigned i = 0; i < 10; i++)
		REQUIRE_OK(xpt_frame_alloc(&b.fa, &f));
	CHECK_EQ(f, 10);
	uint64_t *copy = malloc(b.words * sizeof(uint64_t));
	REQUIRE(copy != NULL);
	memcpy(copy, b.meta, b.words * sizeof(uint64_t));
	struct xpt_frames before = b.fa;
	/* Frame 10 is handed out: reserving [8, 20) is refused whole. */
	CHECK_ERR(xpt_frames_reserve(&b.fa, 8 * XPT_PAGE_SIZE, 12 * XPT_PAGE_SIZE), XPT_E_BUSY);
	CHECK_ERR(xpt_frames_reserve(&b.fa, 10 * XPT_PAGE_SIZE + 100, 1), XPT_E_BUSY);
	CHECK(memcmp(copy, b.meta, b.words * sizeof(uint64_t)) == 0);
	CHECK(memcmp(&before, &b.fa, sizeof before) == 0);
	CHECK(xpt_frame_is_free(&b.fa, 11));
	/* Reserved frames inside the range do not count as busy; only usable ones are taken. */
	REQUIRE_OK(xpt_frames_reserve(&b.fa, 0x9c000, 0x30000)); /* frames 0x9c..0xcb */
	/* 0x9c..0xcb is 48 frames, of which 0x9f and 0xc8 were reserved already. */
	CHECK_EQ(b.fa.nusable, MESSY_USABLE - 46);
	CHECK_EQ(b.fa.nfree, MESSY_USABLE - 10 - 46);
	CHECK_ERR(xpt_frame_free(&b.fa, 0xa0), XPT_E_RESERVED);
	CHECK(xpt_frame_is_free(&b.fa, 0xcc));
	/* After its frame comes back, the refused reserve goes through. */
	REQUIRE_OK(xpt_frame_free(&b.fa, 10));
	CHECK_ERR(xpt_frames_reserve(&b.fa, 10 * XPT_PAGE_SIZE + 100, 1), XPT_OK);
	CHECK_EQ(b.fa.nusable, MESSY_USABLE - 47);
	CHECK_EQ(b.fa.nfree, MESSY_USABLE - 9 - 47);
	CHECK_ERR(xpt_frame_free(&b.fa, 10), XPT_E_RESERVED);
	CHECK(fa_consistent(&b.fa));
	free(copy);
	box_free(&b);
}

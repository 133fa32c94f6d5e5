/*
 * The allocator's cost does not grow with memory: shown without timing.
 *
 * 1. The metadata layout: every bitmap has XPT_BITMAP_LEVELS levels at
 *    fixed offsets, the top level is one word, at 64 MiB and at 64 GiB.
 * 2. The metadata pages one operation touches are counted: all metadata
 *    is mapped PROT_NONE, and each fault opens one page and counts it.  At
 *    64 GiB the metadata spans about a thousand pages and the only free
 *    frames sit deep inside it, yet alloc and free touch at most one page
 *    per level of each bitmap, the same bound as at 64 MiB.
 */
#include "util.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uint64_t level_words(uint64_t nbits, unsigned k)
{
	uint64_t n = nbits;
	for (unsigned i = 0; i <= k; i++)
		n = (n + 63) / 64;
	return n ? n : 1;
}

static uint64_t bitmap_words(uint64_t nbits)
{
	uint64_t w = 0;
	for (unsigned k = 0; k < XPT_BITMAP_LEVELS; k++)
		w += level_words(nbits, k);
	return w;
}

/* The layout xpt_frames_init gives the metadata of n frames. */
static void check_layout(const struct xpt_frames *fa, const uint64_t *meta, uint64_t n)
{
	const struct xpt_bitmap *bm[3] = { &fa->free4k, &fa->free2m, &fa->free1g };
	uint64_t nbits[3] = { n, (n + 511) / 512, (n + 262143) / 262144 };
	uint64_t at = (n + 63) / 64; /* the usable bitmap comes first */
	CHECK(fa->usable == meta);
	for (unsigned b = 0; b < 3; b++) {
		uint64_t off = 0;
		CHECK(bm[b]->w == meta + at);
		CHECK_EQ(bm[b]->nbits, nbits[b]);
		for (unsigned k = 0; k < XPT_BITMAP_LEVELS; k++) {
			CHECK_EQ(bm[b]->off[k], off);
			off += level_words(nbits[b], k);
		}
		/* The top level is one word: every search starts from one read. */
		CHECK_EQ(level_words(nbits[b], XPT_BITMAP_LEVELS - 1), 1);
		at += bitmap_words(nbits[b]);
	}
	CHECK_EQ(xpt_frames_meta_words(n), at);
}

TEST(flat_metadata_layout_at_64m_and_64g)
{
	static const uint64_t sizes[] = { 64 * MiB, 64 * GiB };
	for (unsigned i = 0; i < 2; i++) {
		uint64_t n = sizes[i] / XPT_PAGE_SIZE;
		struct xpt_region r = { 0, sizes[i], XPT_REGION_USABLE };
		uint64_t words = xpt_frames_meta_words(n);
		uint64_t *meta = mmap(NULL, words * 8, PROT_READ | PROT_WRITE,
		                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct xpt_frames fa;
		REQUIRE(meta != MAP_FAILED);
		REQUIRE_OK(xpt_frames_init(&fa, &r, 1, meta, words));
		check_layout(&fa, meta, n);
		CHECK_EQ(fa.nfree, n);
		munmap(meta, words * 8);
	}
	/* Level sizes at 64 GiB (2^24 frames): 2^18, 2^12, 64, 1, 1, 1 words. */
	CHECK_EQ(level_words((uint64_t)1 << 24, 0), (uint64_t)1 << 18);
	CHECK_EQ(level_words((uint64_t)1 << 24, 1), (uint64_t)1 << 12);
	CHECK_EQ(level_words((uint64_t)1 << 24, 2), 64);
	CHECK_EQ(level_words((uint64_t)1 << 24, 3), 1);
	/* The deepest tower still fits: 64^6 frames have a one-word top. */
	CHECK_EQ(level_words((uint64_t)1 << 36, XPT_BITMAP_LEVELS - 1), 1);
}

/* ------------------------------------------------ counting touched pages */

static uintptr_t guard_lo, guard_hi;
static size_t page_size;
static volatile unsigned touched;
static struct sigaction old_segv;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	uintptr_t a = (uintptr_t)si->si_addr;
	(void)uc;
	if (a < guard_lo || a >= guard_hi) {
		sigaction(sig, &old_segv, NULL); /* not ours: fault again, for real */
		return;
	}
	mprotect((void *)(a & ~(uintptr_t)(page_size - 1)), page_size, PROT_READ | PROT_WRITE);
	touched++;
}

static void guard(bool on)
{
	mprotect((void *)guard_lo, guard_hi - guard_lo, on ? PROT_NONE : PROT_READ | PROT_WRITE);
	touched = 0;
}

/* Pages of metadata touched by one alloc / free. */
static unsigned touch_alloc(struct xpt_frames *fa, xpt_pfn *f, int *err)
{
	unsigned n;
	guard(true);
	*err = xpt_frame_alloc(fa, f);
	n = touched;
	guard(false);
	return n;
}

static unsigned touch_free(struct xpt_frames *fa, xpt_pfn f, int *err)
{
	unsigned n;
	guard(true);
	*err = xpt_frame_free(fa, f);
	n = touched;
	guard(false);
	return n;
}

/* At most one page per level of each of the three bitmaps, plus the
 * usable bitmap: what a search down a fixed tower reads. */
#define PAGE_BOUND (3u * XPT_BITMAP_LEVELS + 1u)

/*
 * Fill memory wholly with huge runs, give back two frames deep inside it,
 * then alloc them back: the results are exact, and each operation touches
 * at most PAGE_BOUND pages.  Returns the most pages one operation touched.
 */
static unsigned fragmented_run(uint64_t bytes, unsigned *meta_pages)
{
	uint64_t n = bytes / XPT_PAGE_SIZE, words = xpt_frames_meta_words(n);
	size_t len = (words * 8 + page_size - 1) & ~(page_size - 1);
	struct xpt_region r = { 0, bytes, XPT_REGION_USABLE };
	struct xpt_frames fa;
	unsigned most = 0, t;
	xpt_pfn f;
	int err;
	uint64_t *meta = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!CHECK(meta != MAP_FAILED))
		return 0;
	*meta_pages = (unsigned)(len / page_size);
	guard_lo = (uintptr_t)meta;
	guard_hi = guard_lo + len;
	if (!CHECK_ERR(xpt_frames_init(&fa, &r, 1, meta, words), XPT_OK))
		goto out;
	enum xpt_size big = bytes >= GiB ? XPT_1G : XPT_2M;
	uint64_t run = xpt_size_bytes(big) / XPT_PAGE_SIZE;
	for (uint64_t i = 0; i < n / run; i++) {
		if (!CHECK_ERR(xpt_frame_alloc_huge(&fa, big, &f), XPT_OK) || !CHECK_EQ(f, i * run))
			goto out;
	}
	CHECK_EQ(fa.nfree, 0);

	/* Nothing free: the search stops at the one-word top. */
	t = touch_alloc(&fa, &f, &err);
	CHECK_ERR(err, XPT_E_NOMEM);
	CHECK_EQ(t, 1);

	/* Two frames come back, far apart and far from the start. */
	xpt_pfn lo = n / 2 + n / 16 + 45, hi = n - 1;
	t = touch_free(&fa, hi, &err);
	CHECK_ERR(err, XPT_OK);
	most = t > most ? t : most;
	t = touch_free(&fa, lo, &err);
	CHECK_ERR(err, XPT_OK);
	most = t > most ? t : most;
	CHECK_EQ(fa.nfree, 2);

	t = touch_alloc(&fa, &f, &err);
	CHECK_ERR(err, XPT_OK);
	CHECK_EQ(f, lo);
	most = t > most ? t : most;
	t = touch_alloc(&fa, &f, &err);
	CHECK_ERR(err, XPT_OK);
	CHECK_EQ(f, hi);
	most = t > most ? t : most;
	t = touch_alloc(&fa, &f, &err);
	CHECK_ERR(err, XPT_E_NOMEM);
	most = t > most ? t : most;
	/* A double free is refused after one look. */
	t = touch_free(&fa, n / 3, &err);
	CHECK_ERR(err, XPT_OK);
	t = touch_free(&fa, n / 3, &err);
	CHECK_ERR(err, XPT_E_DOUBLE_FREE);
	CHECK(t <= 2);
	CHECK_EQ(fa.nfree, 1);
out:
	munmap(meta, len);
	return most;
}

TEST(flat_alloc_free_touch_bounded_pages_at_64m_and_64g)
{
	struct sigaction sa;
	unsigned pages_small = 0, pages_big = 0;
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	REQUIRE(sigaction(SIGSEGV, &sa, &old_segv) == 0);

	unsigned small = fragmented_run(64 * MiB, &pages_small);
	unsigned big = fragmented_run(64 * GiB, &pages_big);
	sigaction(SIGSEGV, &old_segv, NULL);

	/* The counter works: operations did touch metadata. */
	CHECK(small >= 1);
	CHECK(big >= 3);
	CHECK(small <= PAGE_BOUND);
	CHECK(big <= PAGE_BOUND);
	/* A scan of the level-0 bitmap at 64 GiB would touch hundreds of pages. */
	CHECK(pages_big > 50 * PAGE_BOUND);
	if (check_failures() != 0)
		printf("  pages touched: %u of %u at 64 MiB, %u of %u at 64 GiB\n", small, pages_small,
		       big, pages_big);
}

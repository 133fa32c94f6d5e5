/*
 * Translation: xpt_translate of random mapped addresses, against the limit
 * of four dependent loads through the same entries (the walk with every
 * check taken out), in ns per call.
 *
 *   hot   512 pages in one page table, 4096 random lookups: every entry
 *         on the walk stays in L1;
 *   cold  262144 4 KiB pages (1 GiB of them) one per 2 MiB, so each has a
 *         page table of its own: 1 GiB of tables over a 512 GiB window,
 *         looked up in a random order; nearly every lookup misses the caches.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

#define ADDR_MASK 0x000ffffffffff000ull
#define VA_HOT    0x00007f0000000000ull
#define VA_COLD   0x0000008000000000ull
#define PA        0x0000000040000000ull

struct tctx {
	struct xpt_mem mem;
	struct xpt_frames fa;
	uint64_t *meta, meta_words;
	struct xpt_space sp;
	uint64_t *va; /* the addresses looked up, in order */
	uint64_t nva;
};

/* The limit: four dependent loads, no checks. */
static inline uint64_t raw_walk(const uint64_t *w, xpt_pfn root, uint64_t va)
{
	uint64_t e = w[root * 512 + ((va >> 39) & 511)];
	e = w[((e & ADDR_MASK) >> 12) * 512 + ((va >> 30) & 511)];
	e = w[((e & ADDR_MASK) >> 12) * 512 + ((va >> 21) & 511)];
	e = w[((e & ADDR_MASK) >> 12) * 512 + ((va >> 12) & 511)];
	return (e & ADDR_MASK) | (va & 4095);
}

static void limit_task(void *arg, long iters, double *out)
{
	struct tctx *c = arg;
	const uint64_t *w = c->mem.words;
	uint64_t sum = 0, t0 = now_ns();
	for (long it = 0; it < iters; it++)
		for (uint64_t i = 0; i < c->nva; i++)
			sum += raw_walk(w, c->sp.root, c->va[i]);
	out[0] = (double)(now_ns() - t0) / ((double)iters * (double)c->nva);
	sink(sum);
}

static void translate_task(void *arg, long iters, double *out)
{
	struct tctx *c = arg;
	struct xpt_mapping m;
	uint64_t sum = 0, t0 = now_ns();
	for (long it = 0; it < iters; it++)
		for (uint64_t i = 0; i < c->nva; i++) {
			if (xpt_translate(&c->sp, c->va[i], &m) != XPT_OK)
				die("translate", XPT_E_NOT_MAPPED);
			sum += m.pa + m.offset;
		}
	out[0] = (double)(now_ns() - t0) / ((double)iters * (double)c->nva);
	sink(sum);
}

/* A space over a window of `frames` frames with `npages` 4 KiB pages `stride` apart. */
static void setup(struct tctx *c, uint64_t frames, uint64_t base, uint64_t npages,
                  uint64_t stride, uint64_t nva, uint64_t seed)
{
	struct xpt_region map = { 0, frames * XPT_PAGE_SIZE, XPT_REGION_USABLE };
	struct xpt_flush fl;
	int err;
	c->mem.nframes = frames;
	c->mem.words = big_alloc(frames * XPT_PAGE_SIZE);
	c->meta_words = xpt_frames_meta_words(frames);
	c->meta = calloc(c->meta_words, 8);
	if (c->meta == NULL)
		die("calloc", 0);
	if ((err = xpt_frames_init(&c->fa, &map, 1, c->meta, c->meta_words)) != XPT_OK ||
	    (err = xpt_space_init(&c->sp, &c->mem, &c->fa, XPT_MAXPHYADDR)) != XPT_OK)
		die("translate setup", err);
	xpt_flush_init(&fl);
	for (uint64_t i = 0; i < npages; i++)
		if ((err = xpt_map(&c->sp, base + i * stride, PA + i * XPT_PAGE_SIZE, XPT_4K,
		                   XPT_WRITE | XPT_NOEXEC, &fl)) != XPT_OK)
			die("translate setup map", err);

	/* nva addresses: a random permutation of the pages (repeated if nva is
	 * larger), each at a random offset. */
	uint64_t *perm = malloc(npages * 8);
	c->va = malloc(nva * 8);
	c->nva = nva;
	if (perm == NULL || c->va == NULL)
		die("malloc", 0);
	for (uint64_t i = 0; i < npages; i++)
		perm[i] = i;
	for (uint64_t i = npages - 1; i > 0; i--) {
		uint64_t j = rnd(&seed) % (i + 1), x = perm[i];
		perm[i] = perm[j];
		perm[j] = x;
	}
	for (uint64_t i = 0; i < nva; i++)
		c->va[i] = base + perm[i % npages] * stride + rnd(&seed) % XPT_PAGE_SIZE;
	free(perm);

	/* The limit must compute what xpt computes. */
	for (uint64_t i = 0; i < nva && i < 64; i++) {
		struct xpt_mapping m;
		if (xpt_translate(&c->sp, c->va[i], &m) != XPT_OK ||
		    m.pa + m.offset != raw_walk(c->mem.words, c->sp.root, c->va[i]))
			die("raw walk disagrees with xpt_translate", XPT_E_INVAL);
	}
}

static void teardown(struct tctx *c)
{
	big_free(c->mem.words, c->mem.nframes * XPT_PAGE_SIZE);
	free(c->meta);
	free(c->va);
}

void bench_translate(void)
{
	struct tctx hot = { 0 }, cold = { 0 };
	uint64_t ncold = cfg.quick ? 4096 : 262144;
	char sz[24];

	row_heading("translation (ns per call, random mapped addresses)");
	int l_hot = row_new("limit: 4 dependent loads, same entries [hot]", "2 MiB", "ns/call", 0);
	int r_hot = row_new("xpt_translate 4K [hot: 512 pages, one table]", "2 MiB", "ns/call", l_hot);
	size_name(ncold * XPT_PAGE_SIZE, sz, sizeof sz);
	int l_cold = row_new("limit: 4 dependent loads, same entries [cold]", sz, "ns/call", 0);
	int r_cold = row_new("xpt_translate 4K [cold: a table per page, random]", sz, "ns/call",
	                     l_cold);
	tg.translate_hot = r_hot;
	tg.translate_limit_hot = l_hot;
	tg.translate_cold = r_cold;
	tg.translate_limit_cold = l_cold;

	setup(&hot, 64, VA_HOT, 512, XPT_PAGE_SIZE, 4096, 1);
	struct task th[] = {
		{ limit_task, &hot, { l_hot }, 0 },
		{ translate_task, &hot, { r_hot }, 0 },
	};
	run_group(th, 2);
	teardown(&hot);

	/* One PT per page, plus PDs, a PDPT and the PML4. */
	setup(&cold, ncold + ncold / 512 + 64, VA_COLD, ncold, 2 * MIB, ncold, 2);
	struct task tc[] = {
		{ limit_task, &cold, { l_cold }, 0 },
		{ translate_task, &cold, { r_cold }, 0 },
	};
	run_group(tc, 2);
	teardown(&cold);
}

/*
 * Mapping: map, unmap and protect, one page at a time and by range over
 * 1 GiB, in ns per page.  Limits: plain 8-byte stores, one per entry
 * written, into a buffer as large as the entries; zeroing a 4 KiB table;
 * and both together (zero each table, then store its 512 entries).
 * Baseline: an xv6-style mapper that walks from the root for every page.
 *
 * Page tables live in a 16 MiB window of simulated physical memory whose
 * frames come from an xpt allocator; the mapped physical addresses need no
 * backing.  Every sample starts from a fresh address space, so table
 * creation is part of every map sample.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "bench.h"

#define WINDOW_FRAMES 4096u
#define VA_4K  0x0000004000000000ull /* 256 GiB */
#define VA_1G  0x0000008000000000ull /* 512 GiB: one PDPT holds the 1 GiB leaves */
#define PA     0x0000000040000000ull /* 1 GiB, aligned for every page size */
#define ATTR   (XPT_WRITE | XPT_NOEXEC)
#define PTE    (XPT_PTE_P | XPT_PTE_RW | XPT_PTE_NX)

struct mctx {
	struct xpt_mem mem;
	struct xpt_frames fa;
	uint64_t *meta;
	uint64_t npages;  /* 4 KiB pages in the range: 1 GiB */
	uint64_t nhuge;   /* 2 MiB and 1 GiB leaves in their ranges */
	uint64_t ntables; /* tables the 4 KiB range needs below the PML4 */
	uint64_t *stores; /* limit buffers */
	uint8_t *zero;
};

static void check(int err, const char *what)
{
	if (err != XPT_OK)
		die(what, err);
}

static void space(struct mctx *c, struct xpt_space *sp)
{
	check(xpt_space_init(sp, &c->mem, &c->fa, XPT_MAXPHYADDR), "space init");
}

static void destroy(struct mctx *c, struct xpt_space *sp)
{
	check(xpt_space_destroy(sp, true), "space destroy");
	if (c->fa.nfree != c->fa.nusable)
		die("tables leaked", XPT_E_NOMEM);
}

static double per(uint64_t ns, long iters, uint64_t n)
{
	return (double)ns / ((double)iters * (double)n);
}

/* ---------------------------------------------------------------- limits */

static void limit_store(void *arg, long iters, double *out)
{
	struct mctx *c = arg;
	volatile uint64_t *buf = c->stores;
	uint64_t t0 = now_ns();
	for (long it = 0; it < iters; it++) {
		uint64_t e = PA | PTE;
		for (uint64_t i = 0; i < c->npages; i++, e += XPT_PAGE_SIZE)
			buf[i] = e;
	}
	out[0] = per(now_ns() - t0, iters, c->npages);
}

static void limit_zero(void *arg, long iters, double *out)
{
	struct mctx *c = arg;
	uint64_t t0 = now_ns();
	for (long it = 0; it < iters; it++)
		for (uint64_t t = 0; t < c->ntables; t++)
			memset(c->zero + t * XPT_PAGE_SIZE, 0, XPT_PAGE_SIZE);
	out[0] = per(now_ns() - t0, iters, c->ntables);
	sink(c->zero[0]);
}

/* Zero every table the range needs, then store its entries: ns per page. */
static void limit_zero_store(void *arg, long iters, double *out)
{
	struct mctx *c = arg;
	uint64_t t0 = now_ns();
	for (long it = 0; it < iters; it++) {
		uint64_t e = PA | PTE;
		for (uint64_t t = 0; t < c->ntables; t++)
			memset(c->zero + t * XPT_PAGE_SIZE, 0, XPT_PAGE_SIZE);
		for (uint64_t t = 0; t * XPT_ENTRIES < c->npages; t++) {
			volatile uint64_t *table = (uint64_t *)(c->zero + t * XPT_PAGE_SIZE);
			for (unsigned i = 0; i < XPT_ENTRIES; i++, e += XPT_PAGE_SIZE)
				table[i] = e;
		}
	}
	out[0] = per(now_ns() - t0, iters, c->npages);
}

/* ---------------------------------------------------------------- xpt */

/* out: map one page at a time, unmap one at a time (tables kept). */
static void xpt_single(void *arg, long iters, double *out)
{
	struct mctx *c = arg;
	struct xpt_space sp;
	struct xpt_flush fl;
	uint64_t t_map = 0, t_unmap = 0;
	for (long it = 0; it < iters; it++) {
		space(c, &sp);
		uint64_t t0 = now_ns();
		for (uint64_t i = 0; i < c->npages; i++) {
			xpt_flush_init(&fl);
			check(xpt_map(&sp, VA_4K + i * XPT_PAGE_SIZE, PA + i * XPT_PAGE_SIZE, XPT_4K, ATTR,
			              &fl), "map");
		}
		uint64_t t1 = now_ns();
		for (uint64_t i = 0; i < c->npages; i++) {
			xpt_flush_init(&fl);
			check(xpt_unmap(&sp, VA_4K + i * XPT_PAGE_SIZE, 0, NULL, &fl), "unmap");
		}
		uint64_t t2 = now_ns();
		destroy(c, &sp);
		t_map += t1 - t0;
		t_unmap += t2 - t1;
	}
	out[0] = per(t_map, iters, c->npages);
	out[1] = per(t_unmap, iters, c->npages);
}

/* Unmap one page at a time with XPT_OPT_FREE_TABLES. */
static void xpt_single_free(void *arg, long iters, double *out)
{
	struct mctx *c = arg;
	struct xpt_space sp;
	struct xpt_flush fl;
	uint64_t t = 0;
	for (long it = 0; it < iters; it++) {
		space(c, &sp);
		xpt_flush_init(&fl);
		check(xpt_map_range(&sp, VA_4K, PA, c->npages * XPT_PAGE_SIZE, ATTR, XPT_OPT_NO_2M, &fl),
		      "map_range");
		uint64_t t0 = now_ns();
		for (uint64_t i = 0; i < c->npages; i++) {
			xpt_flush_init(&fl);
			check(xpt_unmap(&sp, VA_4K + i * XPT_PAGE_SIZE, XPT_OPT_FREE_TABLES, NULL, &fl),
			      "unmap");
		}
		t += now_ns() - t0;
		destroy(c, &sp);
	}
	out[0] = per(t, iters, c->npages);
}

/*
 * out: map_range (new tables), protect_range, unmap_range (tables kept),
 * map_range (tables present), unmap_range with XPT_OPT_FREE_TABLES.
 */
static void xpt_range4k(void *arg, long iters, double *out)
{
	struct mctx *c = arg;
	struct xpt_space sp;
	struct xpt_flush fl;
	uint64_t len = c->npages * XPT_PAGE_SIZE, t[6] = { 0 };
	for (long it = 0; it < iters; it++) {
		uint64_t s[6];
		space(c, &sp);
		xpt_flush_init(&fl);
		s[0] = now_ns();
		check(xpt_map_range(&sp, VA_4K, PA, len, ATTR, XPT_OPT_NO_2M, &fl), "map_range");
		s[1] = now_ns();
		check(xpt_protect_range(&sp, VA_4K, len, XPT_NOEXEC, 0, &fl), "protect_range");
		s[2] = now_ns();
		check(xpt_unmap_range(&sp, VA_4K, len, 0, &fl), "unmap_range");
		s[3] = now_ns();
		check(xpt_map_range(&sp, VA_4K, PA, len, ATTR, XPT_OPT_NO_2M, &fl), "map_range");
		s[4] = now_ns();
		check(xpt_unmap_range(&sp, VA_4K, len, XPT_OPT_FREE_TABLES, &fl), "unmap_range");
		s[5] = now_ns();
		destroy(c, &sp);
		for (int k = 0; k < 5; k++)
			t[k] += s[k + 1] - s[k];
	}
	for (int k = 0; k < 5; k++)
		out[k] = per(t[k], iters, c->npages);
}

/* out: map_range and unmap_range of 2 MiB pages (opts[0]) or 1 GiB pages, per leaf. */
static void xpt_range_huge(struct mctx *c, long iters, double *out, enum xpt_size size)
{
	struct xpt_space sp;
	struct xpt_flush fl;
	uint64_t va = size == XPT_2M ? VA_4K : VA_1G;
	uint64_t len = c->nhuge * xpt_size_bytes(size), t_map = 0, t_unmap = 0;
	unsigned opts = size == XPT_2M ? XPT_OPT_NO_1G : 0;
	for (long it = 0; it < iters; it++) {
		space(c, &sp);
		xpt_flush_init(&fl);
		uint64_t t0 = now_ns();
		check(xpt_map_range(&sp, va, PA, len, ATTR, opts, &fl), "map_range huge");
		uint64_t t1 = now_ns();
		check(xpt_unmap_range(&sp, va, len, XPT_OPT_FREE_TABLES, &fl), "unmap_range huge");
		uint64_t t2 = now_ns();
		destroy(c, &sp);
		t_map += t1 - t0;
		t_unmap += t2 - t1;
	}
	out[0] = per(t_map, iters, c->nhuge);
	out[1] = per(t_unmap, iters, c->nhuge);
}

static void xpt_range2m(void *arg, long iters, double *out)
{
	xpt_range_huge(arg, iters, out, XPT_2M);
}

static void xpt_range1g(void *arg, long iters, double *out)
{
	xpt_range_huge(arg, iters, out, XPT_1G);
}

/* ------------------------------------------------------------- baseline */

/* out: xv6 mappages over the range, uvmunmap over it. */
static void xv6_task(void *arg, long iters, double *out)
{
	struct mctx *c = arg;
	struct xv6_space s;
	uint64_t t_map = 0, t_unmap = 0;
	for (long it = 0; it < iters; it++) {
		check(xv6_init(&s, &c->mem, &c->fa), "xv6 init");
		uint64_t t0 = now_ns();
		if (xv6_mappages(&s, VA_4K, c->npages * XPT_PAGE_SIZE, PA, PTE & ~XPT_PTE_P) != 0)
			die("xv6 mappages", XPT_E_NOMEM);
		uint64_t t1 = now_ns();
		if (xv6_unmap(&s, VA_4K, c->npages) != 0)
			die("xv6 unmap", XPT_E_NOT_MAPPED);
		uint64_t t2 = now_ns();
		xv6_destroy(&s);
		t_map += t1 - t0;
		t_unmap += t2 - t1;
	}
	out[0] = per(t_map, iters, c->npages);
	out[1] = per(t_unmap, iters, c->npages);
}

/* ------------------------------------------------------------------ main */

void bench_map(void)
{
	struct mctx *c = calloc(1, sizeof *c);
	struct xpt_region map = { 0, (uint64_t)WINDOW_FRAMES * XPT_PAGE_SIZE, XPT_REGION_USABLE };
	uint64_t meta_words = xpt_frames_meta_words(WINDOW_FRAMES);
	char sz[24], hsz[24], gsz[24];
	if (c == NULL)
		die("calloc", 0);
	c->npages = cfg.quick ? 4096 : 262144;
	c->nhuge = cfg.quick ? 8 : 512;
	c->ntables = c->npages / XPT_ENTRIES + 2; /* PTs, one PD, one PDPT */
	c->mem.nframes = WINDOW_FRAMES;
	c->mem.words = big_alloc((size_t)WINDOW_FRAMES * XPT_PAGE_SIZE);
	c->meta = calloc(meta_words, 8);
	c->stores = big_alloc(c->npages * 8);
	c->zero = big_alloc(c->ntables * XPT_PAGE_SIZE);
	check(xpt_frames_init(&c->fa, &map, 1, c->meta, meta_words), "frames init");
	size_name(c->npages * XPT_PAGE_SIZE, sz, sizeof sz);
	size_name(c->nhuge * 2 * MIB, hsz, sizeof hsz);
	size_name(c->nhuge * GIB, gsz, sizeof gsz);

	row_heading("mapping (ns per page; every sample starts from an empty address space)");
	int l_store = row_new("limit: 8-byte store per entry (buffer of the PTEs' size)", sz,
	                      "ns/entry", 0);
	int l_zero = row_new("limit: memset 4 KiB (one table created)", "4 KiB", "ns/table", 0);
	int l_zs = row_new("limit: memset each table + 8-byte store per entry", sz, "ns/page", 0);
	int r_map1 = row_new("xpt_map 4K one page at a time", sz, "ns/page", l_zs);
	int r_unmap1 = row_new("xpt_unmap 4K one page at a time (tables kept)", sz, "ns/page", l_store);
	int r_unmap1f = row_new("xpt_unmap 4K one at a time, XPT_OPT_FREE_TABLES", sz, "ns/page",
	                        l_store);
	int r_range = row_new("xpt_map_range 4K (XPT_OPT_NO_2M), new tables", sz, "ns/page", l_store);
	int r_range_zs = row_ratio("  the same vs memset+store limit", sz, r_range, l_zs);
	(void)r_range_zs;
	int r_range2 = row_new("xpt_map_range 4K, tables already present", sz, "ns/page", l_store);
	int r_prot = row_new("xpt_protect_range 4K", sz, "ns/page", l_store);
	int r_unr = row_new("xpt_unmap_range 4K (tables kept)", sz, "ns/page", l_store);
	int r_unrf = row_new("xpt_unmap_range 4K, XPT_OPT_FREE_TABLES", sz, "ns/page", l_store);
	int r_xv6 = row_new("baseline xv6 mappages (walk from root per page)", sz, "ns/page", r_range);
	int r_xv6u = row_new("baseline xv6 uvmunmap (walk from root per page)", sz, "ns/page", r_unr);
	row_ratio("gain of the range walk: xpt_map one at a time / map_range", sz, r_map1, r_range);
	int r_2m = row_new("xpt_map_range 2M (XPT_OPT_NO_1G)", hsz, "ns/2M page", l_store);
	int r_2mu = row_new("xpt_unmap_range 2M, XPT_OPT_FREE_TABLES", hsz, "ns/2M page", l_store);
	int r_1g = row_new("xpt_map_range 1G", gsz, "ns/1G page", l_store);
	int r_1gu = row_new("xpt_unmap_range 1G, XPT_OPT_FREE_TABLES", gsz, "ns/1G page", l_store);
	tg.range4k = r_range;
	tg.store_limit = l_store;
	tg.baseline_per_page = r_xv6;

	struct task t[] = {
		{ limit_store, c, { l_store }, 0 },
		{ limit_zero, c, { l_zero }, 0 },
		{ limit_zero_store, c, { l_zs }, 0 },
		{ xpt_single, c, { r_map1, r_unmap1 }, 0 },
		{ xpt_single_free, c, { r_unmap1f }, 0 },
		{ xpt_range4k, c, { r_range, r_prot, r_unr, r_range2, r_unrf }, 0 },
		{ xv6_task, c, { r_xv6, r_xv6u }, 0 },
		{ xpt_range2m, c, { r_2m, r_2mu }, 0 },
		{ xpt_range1g, c, { r_1g, r_1gu }, 0 },
	};
	run_group(t, (int)(sizeof t / sizeof t[0]));

	big_free(c->mem.words, (size_t)WINDOW_FRAMES * XPT_PAGE_SIZE);
	big_free(c->stores, c->npages * 8);
	big_free(c->zero, c->ntables * XPT_PAGE_SIZE);
	free(c->meta);
	free(c);
}

/*
 * Frame allocation: xpt's summary bitmap against a bit scan of one word
 * (the limit) and against flat bitmaps scanned linearly (the baselines),
 * at 64 MiB .. 1 TiB of simulated physical memory.  Only the allocator's
 * metadata exists; no frame is ever touched.
 *
 * One sample: allocate B frames (or B 2 MiB runs), then free them in the
 * same order; time per alloc+free pair.  Two states:
 *   empty  fresh allocator, everything free;
 *   frag   everything allocated, then NB2 random 2 MiB blocks and NF random
 *          single frames freed: the free frames are scattered over the whole
 *          memory, so a search has to find them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "bench.h"

#define B4K 256 /* frames per batch */
#define B2M 4   /* 2 MiB runs per batch */
#define NF  1024
#define NB2 8

enum impl { I_LIMIT, I_XPT, I_FIRST, I_NEXT };

struct fctx {
	uint64_t nframes;
	struct xpt_frames fa;
	uint64_t *meta;
	uint64_t meta_words;
	struct lin_alloc lin;
	uint64_t lim[B4K / 64];
	xpt_pfn got[B4K];
};

struct farg {
	struct fctx *c;
	enum impl impl;
	bool huge;
};

static void alloc_one(struct fctx *c, enum impl impl, int i)
{
	bool ok = true;
	switch (impl) {
	case I_LIMIT: {
		uint64_t w = c->lim[i / 64];
		c->lim[i / 64] = w & (w - 1);
		c->got[i] = (uint64_t)(i / 64) * 64 + (unsigned)__builtin_ctzll(w);
		break;
	}
	case I_XPT:
		ok = xpt_frame_alloc(&c->fa, &c->got[i]) == XPT_OK;
		break;
	case I_FIRST:
		ok = lin_alloc_first(&c->lin, &c->got[i]);
		break;
	case I_NEXT:
		ok = lin_alloc_next(&c->lin, &c->got[i]);
		break;
	}
	if (!ok)
		die("frame alloc failed", XPT_E_NOMEM);
}

static void free_one(struct fctx *c, enum impl impl, int i)
{
	xpt_pfn f = c->got[i];
	switch (impl) {
	case I_LIMIT:
		c->lim[f / 64] |= (uint64_t)1 << (f % 64);
		break;
	case I_XPT:
		if (xpt_frame_free(&c->fa, f) != XPT_OK)
			die("frame free failed", XPT_E_DOUBLE_FREE);
		break;
	case I_FIRST:
	case I_NEXT:
		lin_free(&c->lin, f);
		break;
	}
}

static void huge_batch(struct fctx *c, enum impl impl)
{
	for (int i = 0; i < B2M; i++) {
		bool ok = impl == I_XPT ? xpt_frame_alloc_huge(&c->fa, XPT_2M, &c->got[i]) == XPT_OK
		                        : lin_alloc_2m_first(&c->lin, &c->got[i]);
		if (!ok)
			die("2 MiB alloc failed", XPT_E_NOMEM);
	}
	for (int i = 0; i < B2M; i++) {
		if (impl == I_XPT) {
			if (xpt_frame_free_huge(&c->fa, c->got[i], XPT_2M) != XPT_OK)
				die("2 MiB free failed", XPT_E_DOUBLE_FREE);
		} else {
			lin_free_2m(&c->lin, c->got[i]);
		}
	}
}

/* out[0]: ns per alloc+free pair; out[1]: ns per alloc alone (single frames). */
static void frames_task(void *arg, long iters, double *out)
{
	struct farg *a = arg;
	struct fctx *c = a->c;
	uint64_t t_alloc = 0, t_all = 0;
	if (a->huge) {
		uint64_t t0 = now_ns();
		for (long it = 0; it < iters; it++)
			huge_batch(c, a->impl);
		out[0] = (double)(now_ns() - t0) / ((double)iters * B2M);
		return;
	}
	for (long it = 0; it < iters; it++) {
		uint64_t t0 = now_ns();
		for (int i = 0; i < B4K; i++)
			alloc_one(c, a->impl, i);
		uint64_t t1 = now_ns();
		for (int i = 0; i < B4K; i++)
			free_one(c, a->impl, i);
		uint64_t t2 = now_ns();
		t_alloc += t1 - t0;
		t_all += t2 - t0;
	}
	out[0] = (double)t_all / ((double)iters * B4K);
	out[1] = (double)t_alloc / ((double)iters * B4K);
}

static void ctx_init(struct fctx *c, uint64_t bytes)
{
	struct xpt_region map = { 0, bytes, XPT_REGION_USABLE };
	uint64_t n;
	int err = xpt_frames_span(&map, 1, &n);
	if (err)
		die("span", err);
	c->nframes = n;
	c->meta_words = xpt_frames_meta_words(n);
	c->meta = big_alloc(c->meta_words * 8);
	if ((err = xpt_frames_init(&c->fa, &map, 1, c->meta, c->meta_words)) != XPT_OK)
		die("frames init", err);
	c->lin.nwords = (n + 63) / 64;
	c->lin.w = big_alloc(c->lin.nwords * 8);
	memcpy(c->lin.w, c->fa.free4k.w, c->lin.nwords * 8); /* level 0: bit set = free */
	c->lin.rover = 0;
	for (unsigned i = 0; i < B4K / 64; i++)
		c->lim[i] = UINT64_MAX;
}

static void ctx_fragment(struct fctx *c)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull ^ c->nframes, nblocks = c->nframes / 512;
	xpt_pfn f;
	while (xpt_frame_alloc_huge(&c->fa, XPT_1G, &f) == XPT_OK)
		;
	while (xpt_frame_alloc_huge(&c->fa, XPT_2M, &f) == XPT_OK)
		;
	while (xpt_frame_alloc(&c->fa, &f) == XPT_OK)
		;
	for (int n = 0; n < NB2;)
		if (xpt_frame_free_huge(&c->fa, rnd(&seed) % nblocks * 512, XPT_2M) == XPT_OK)
			n++;
	for (int n = 0; n < NF;) {
		f = rnd(&seed) % c->nframes;
		if (!xpt_frame_is_free(&c->fa, f) && xpt_frame_free(&c->fa, f) == XPT_OK)
			n++;
	}
	memcpy(c->lin.w, c->fa.free4k.w, c->lin.nwords * 8);
	c->lin.rover = 0;
}

static void ctx_fini(struct fctx *c)
{
	big_free(c->meta, c->meta_words * 8);
	big_free(c->lin.w, c->lin.nwords * 8);
}

/* Rows of one (state, size): their ids in a fixed order. */
enum { R_XPT, R_XPT_ALLOC, R_FIRST, R_NEXT, R_XPT2M, R_FIRST2M, R_COUNT };

void bench_frames(void)
{
	static const uint64_t all_sizes[] = { 64 * MIB, 4 * GIB, 64 * GIB, 1 * TIB };
	static const char *state_name[] = { "empty", "frag" };
	int nsizes = cfg.quick ? 1 : 4, rows[2][4][R_COUNT];
	char sz[24], op[96];

	row_heading("frame allocator (ns per alloc+free pair; frag = all allocated, then 8 random "
	            "2 MiB blocks and 1024 random frames freed)");
	int limit = row_new("limit: ctz+clear of one word, same alloc/free loop", "-", "ns/pair", 0);
	for (int s = 0; s < 2; s++) {
		for (int z = 0; z < nsizes; z++) {
			int *r = rows[s][z];
			const char *st = state_name[s];
			size_name(all_sizes[z], sz, sizeof sz);
			snprintf(op, sizeof op, "xpt_frame_alloc+free 4K [%s]", st);
			r[R_XPT] = row_new(op, sz, "ns/pair", limit);
			snprintf(op, sizeof op, "xpt_frame_alloc alone 4K [%s]", st);
			r[R_XPT_ALLOC] = row_new(op, sz, "ns/alloc", limit);
			snprintf(op, sizeof op, "baseline first-fit word scan 4K [%s]", st);
			r[R_FIRST] = row_new(op, sz, "ns/pair", r[R_XPT]);
			snprintf(op, sizeof op, "baseline next-fit word scan 4K [%s]", st);
			r[R_NEXT] = row_new(op, sz, "ns/pair", r[R_XPT]);
			snprintf(op, sizeof op, "xpt_frame_alloc_huge+free_huge 2M [%s]", st);
			r[R_XPT2M] = row_new(op, sz, "ns/pair", limit);
			snprintf(op, sizeof op, "baseline first-fit 8-word scan 2M [%s]", st);
			r[R_FIRST2M] = row_new(op, sz, "ns/pair", r[R_XPT2M]);
			tg.alloc_only[s][z] = r[R_XPT_ALLOC];
		}
	}
	tg.nsizes = nsizes;
	if (nsizes > 1) {
		for (int s = 0; s < 2; s++) {
			snprintf(op, sizeof op, "flatness: xpt alloc+free 4K [%s] 1 TiB / 64 MiB",
			         state_name[s]);
			tg.flat[s] = row_ratio(op, "-", rows[s][nsizes - 1][R_XPT], rows[s][0][R_XPT]);
			snprintf(op, sizeof op, "flatness: xpt alloc+free 2M [%s] 1 TiB / 64 MiB",
			         state_name[s]);
			row_ratio(op, "-", rows[s][nsizes - 1][R_XPT2M], rows[s][0][R_XPT2M]);
		}
	}

	for (int z = 0; z < nsizes; z++) {
		struct fctx *c = calloc(1, sizeof *c);
		if (c == NULL)
			die("calloc", 0);
		ctx_init(c, all_sizes[z]);
		for (int s = 0; s < 2; s++) {
			int *r = rows[s][z];
			if (s == 1)
				ctx_fragment(c);
			struct farg args[] = {
				{ c, I_LIMIT, false }, { c, I_XPT, false }, { c, I_FIRST, false },
				{ c, I_NEXT, false },  { c, I_XPT, true },  { c, I_FIRST, true },
			};
			struct task t[] = {
				{ frames_task, &args[0], { limit }, 0 },
				{ frames_task, &args[1], { r[R_XPT], r[R_XPT_ALLOC] }, 0 },
				{ frames_task, &args[2], { r[R_FIRST] }, 0 },
				{ frames_task, &args[3], { r[R_NEXT] }, 0 },
				{ frames_task, &args[4], { r[R_XPT2M] }, 0 },
				{ frames_task, &args[5], { r[R_FIRST2M] }, 0 },
			};
			run_group(t, 6);
		}
		ctx_fini(c);
		free(c);
	}
}

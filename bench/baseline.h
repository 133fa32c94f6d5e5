/*
 * Baselines: what most hobby kernels do, written plainly so the gain of
 * xpt's summary bitmap and range walks can be measured against them.
 *
 *   - a flat bitmap allocator (bit set = frame free) that scans words from
 *     word 0 (first fit, the sketch of "search for the first 1") or from a
 *     next-fit rover;
 *   - an xv6-style mapper: mappages() walks from the root for every page,
 *     creating missing tables (alloc + zero), and uvmunmap() likewise.
 */
#ifndef BASELINE_H
#define BASELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "xpt.h"

struct lin_alloc {
	uint64_t *w;      /* bit f set iff frame f is free */
	uint64_t nwords;
	uint64_t rover;   /* next fit: the word the last search stopped at */
};

bool lin_alloc_first(struct lin_alloc *a, uint64_t *f);
bool lin_alloc_next(struct lin_alloc *a, uint64_t *f);
void lin_free(struct lin_alloc *a, uint64_t f);
/* 2 MiB runs: eight all-ones words at a multiple of eight, first fit. */
bool lin_alloc_2m_first(struct lin_alloc *a, uint64_t *f);
void lin_free_2m(struct lin_alloc *a, uint64_t f);

struct xv6_space {
	struct xpt_mem mem;
	struct xpt_frames *fa; /* tables come from the same allocator as xpt's */
	xpt_pfn root;
};

int xv6_init(struct xv6_space *s, const struct xpt_mem *mem, struct xpt_frames *fa);
/* Walk from the root to the PTE of va, creating tables when `alloc`. */
uint64_t *xv6_walk(struct xv6_space *s, uint64_t va, bool alloc);
int xv6_mappages(struct xv6_space *s, uint64_t va, uint64_t len, uint64_t pa, uint64_t perm);
int xv6_unmap(struct xv6_space *s, uint64_t va, uint64_t npages);
/* Give every table back (untimed clean-up). */
void xv6_destroy(struct xv6_space *s);

#endif

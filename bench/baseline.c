/* The baselines of baseline.h. */
#include <string.h>

#include "baseline.h"

bool lin_alloc_first(struct lin_alloc *a, uint64_t *f)
{
	for (uint64_t i = 0; i < a->nwords; i++) {
		uint64_t w = a->w[i];
		if (w) {
			unsigned b = (unsigned)__builtin_ctzll(w);
			a->w[i] = w & (w - 1);
			*f = i * 64 + b;
			return true;
		}
	}
	return false;
}

bool lin_alloc_next(struct lin_alloc *a, uint64_t *f)
{
	uint64_t i = a->rover;
	for (uint64_t n = 0; n < a->nwords; n++) {
		uint64_t w = a->w[i];
		if (w) {
			unsigned b = (unsigned)__builtin_ctzll(w);
			a->w[i] = w & (w - 1);
			a->rover = i;
			*f = i * 64 + b;
			return true;
		}
		if (++i == a->nwords)
			i = 0;
	}
	return false;
}

void lin_free(struct lin_alloc *a, uint64_t f)
{
	a->w[f / 64] |= (uint64_t)1 << (f % 64);
}

bool lin_alloc_2m_first(struct lin_alloc *a, uint64_t *f)
{
	for (uint64_t i = 0; i + 8 <= a->nwords; i += 8) {
		unsigned k = 0;
		while (k < 8 && a->w[i + k] == UINT64_MAX)
			k++;
		if (k == 8) {
			memset(&a->w[i], 0, 8 * sizeof(uint64_t));
			*f = i * 64;
			return true;
		}
	}
	return false;
}

void lin_free_2m(struct lin_alloc *a, uint64_t f)
{
	memset(&a->w[f / 64], 0xff, 8 * sizeof(uint64_t));
}

/* ------------------------------------------------------------ xv6 mapper */

#define ADDR_MASK 0x000ffffffffff000ull
#define TABLE (XPT_PTE_P | XPT_PTE_RW | XPT_PTE_US)

static uint64_t *table_of(struct xv6_space *s, xpt_pfn t)
{
	return &s->mem.words[t * XPT_ENTRIES];
}

int xv6_init(struct xv6_space *s, const struct xpt_mem *mem, struct xpt_frames *fa)
{
	s->mem = *mem;
	s->fa = fa;
	int err = xpt_frame_alloc(fa, &s->root);
	if (err == XPT_OK)
		memset(table_of(s, s->root), 0, XPT_PAGE_SIZE);
	return err;
}

uint64_t *xv6_walk(struct xv6_space *s, uint64_t va, bool alloc)
{
	uint64_t *table = table_of(s, s->root);
	for (unsigned level = 4; level > 1; level--) {
		uint64_t *pte = &table[(va >> (12 + 9 * (level - 1))) & 511];
		if (*pte & XPT_PTE_P) {
			table = table_of(s, (*pte & ADDR_MASK) >> 12);
		} else {
			xpt_pfn t;
			if (!alloc || xpt_frame_alloc(s->fa, &t) != XPT_OK)
				return NULL;
			table = table_of(s, t);
			memset(table, 0, XPT_PAGE_SIZE);
			*pte = (t << 12) | TABLE;
		}
	}
	return &table[(va >> 12) & 511];
}

int xv6_mappages(struct xv6_space *s, uint64_t va, uint64_t len, uint64_t pa, uint64_t perm)
{
	for (uint64_t a = va; a < va + len; a += XPT_PAGE_SIZE, pa += XPT_PAGE_SIZE) {
		uint64_t *pte = xv6_walk(s, a, true);
		if (pte == NULL)
			return -1;
		if (*pte & XPT_PTE_P)
			return -2; /* xv6: panic("mappages: remap") */
		*pte = pa | perm | XPT_PTE_P;
	}
	return 0;
}

int xv6_unmap(struct xv6_space *s, uint64_t va, uint64_t npages)
{
	for (uint64_t a = va; a < va + npages * XPT_PAGE_SIZE; a += XPT_PAGE_SIZE) {
		uint64_t *pte = xv6_walk(s, a, false);
		if (pte == NULL || !(*pte & XPT_PTE_P))
			return -1; /* xv6: panic("uvmunmap: not mapped") */
		*pte = 0;
	}
	return 0;
}

static void free_level(struct xv6_space *s, xpt_pfn t, unsigned level)
{
	uint64_t *table = table_of(s, t);
	if (level > 1)
		for (unsigned i = 0; i < XPT_ENTRIES; i++)
			if (table[i] & XPT_PTE_P)
				free_level(s, (table[i] & ADDR_MASK) >> 12, level - 1);
	xpt_frame_free(s->fa, t);
}

void xv6_destroy(struct xv6_space *s)
{
	free_level(s, s->root, 4);
}

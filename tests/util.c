#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[XPT_E_COUNT] = {
	"XPT_OK",         "XPT_E_INVAL",       "XPT_E_NONCANONICAL", "XPT_E_ALIGN",
	"XPT_E_PHYS",     "XPT_E_EXISTS",      "XPT_E_HUGE",         "XPT_E_NOT_MAPPED",
	"XPT_E_NOMEM",    "XPT_E_RANGE",       "XPT_E_DOUBLE_FREE",  "XPT_E_RESERVED",
	"XPT_E_BUSY",     "XPT_E_MEMMAP",      "XPT_E_WINDOW",       "XPT_E_RSVD_BITS",
	"XPT_E_POLICY",
};

const char *err_name(int err)
{
	return err >= 0 && err < XPT_E_COUNT ? names[err] : "(unknown)";
}

bool check_err(const char *file, int line, const char *txt, int got, int want)
{
	if (got == want)
		return true;
	return check_fail(file, line, "%s returned %s (%d), expected %s (%d)", txt, err_name(got),
	                  got, err_name(want), want);
}

bool env_init(struct env *e, uint64_t nframes, unsigned maxphyaddr)
{
	struct xpt_region r = { 0, nframes * XPT_PAGE_SIZE, XPT_REGION_USABLE };
	memset(e, 0, sizeof *e);
	e->mem.nframes = nframes;
	e->mem.words = calloc(nframes * XPT_ENTRIES, sizeof(uint64_t));
	e->meta_words = xpt_frames_meta_words(nframes);
	e->meta = calloc(e->meta_words, sizeof(uint64_t));
	e->held = calloc(nframes ? nframes : 1, sizeof(xpt_pfn));
	if (e->mem.words == NULL || e->meta == NULL || e->held == NULL)
		return check_fail(__FILE__, __LINE__, "out of host memory");
	if (!CHECK_ERR(xpt_frames_init(&e->fa, &r, 1, e->meta, e->meta_words), XPT_OK))
		return false;
	if (!CHECK_ERR(xpt_space_init(&e->sp, &e->mem, &e->fa, maxphyaddr), XPT_OK))
		return false;
	xpt_flush_init(&e->fl);
	return true;
}

void env_free(struct env *e)
{
	free(e->mem.words);
	free(e->meta);
	free(e->held);
	memset(e, 0, sizeof *e);
}

bool env_hold(struct env *e, uint64_t k)
{
	while (e->fa.nfree > k) {
		if (!CHECK_ERR(xpt_frame_alloc(&e->fa, &e->held[e->nheld]), XPT_OK))
			return false;
		e->nheld++;
	}
	return CHECK_EQ(e->fa.nfree, k);
}

void env_release(struct env *e)
{
	while (e->nheld > 0)
		CHECK_ERR(xpt_frame_free(&e->fa, e->held[--e->nheld]), XPT_OK);
}

uint64_t *env_word(struct env *e, uint64_t pa)
{
	return &e->mem.words[pa / 8u];
}

uint64_t *env_entry(struct env *e, xpt_pfn t, unsigned index)
{
	return &e->mem.words[t * XPT_ENTRIES + index];
}

void snap_take(struct snap *s, const struct env *e)
{
	memset(s, 0, sizeof *s);
	snap_retake(s, e);
}

void snap_retake(struct snap *s, const struct env *e)
{
	if (s->words == NULL || s->nwords != e->mem.nframes * XPT_ENTRIES ||
	    s->meta_words != e->meta_words) {
		free(s->words);
		free(s->meta);
		s->nwords = e->mem.nframes * XPT_ENTRIES;
		s->words = malloc(s->nwords * sizeof(uint64_t));
		s->meta_words = e->meta_words;
		s->meta = malloc(s->meta_words * sizeof(uint64_t));
	}
	if (s->words == NULL || s->meta == NULL) {
		fprintf(stderr, "snap_take: out of host memory\n");
		abort();
	}
	memcpy(s->words, e->mem.words, s->nwords * sizeof(uint64_t));
	memcpy(s->meta, e->meta, s->meta_words * sizeof(uint64_t));
	s->fa = e->fa;
	s->fl = e->fl;
	s->sp = e->sp;
}

bool snap_same(const struct snap *s, const struct env *e)
{
	bool same = true;
	if (memcmp(s->words, e->mem.words, s->nwords * sizeof(uint64_t)) != 0) {
		for (uint64_t i = 0; i < s->nwords; i++)
			if (s->words[i] != e->mem.words[i]) {
				printf("  window changed: word %llu (frame %llu entry %llu) 0x%llx -> 0x%llx\n",
				       (unsigned long long)i, (unsigned long long)(i / XPT_ENTRIES),
				       (unsigned long long)(i % XPT_ENTRIES),
				       (unsigned long long)s->words[i],
				       (unsigned long long)e->mem.words[i]);
				break;
			}
		same = false;
	}
	if (memcmp(s->meta, e->meta, s->meta_words * sizeof(uint64_t)) != 0) {
		printf("  allocator metadata changed\n");
		same = false;
	}
	if (memcmp(&s->fa, &e->fa, sizeof s->fa) != 0) {
		printf("  allocator changed: nfree %llu -> %llu\n", (unsigned long long)s->fa.nfree,
		       (unsigned long long)e->fa.nfree);
		same = false;
	}
	if (s->fl.npages != e->fl.npages || s->fl.all != e->fl.all || s->fl.global != e->fl.global ||
	    memcmp(s->fl.va, e->fl.va, sizeof s->fl.va) != 0) {
		printf("  flush record changed: %u pages -> %u\n", s->fl.npages, e->fl.npages);
		same = false;
	}
	if (memcmp(&s->sp, &e->sp, sizeof s->sp) != 0) {
		printf("  space changed\n");
		same = false;
	}
	return same;
}

void snap_free(struct snap *s)
{
	free(s->words);
	free(s->meta);
	memset(s, 0, sizeof *s);
}

struct leaf_count count_leaves(const struct xpt_space *sp, uint64_t va, uint64_t len,
                               uint64_t delta)
{
	struct leaf_count c = { .identity_ok = true };
	uint64_t end = va + len;
	while (va != end) {
		struct xpt_mapping m;
		if (xpt_translate(sp, va, &m) != XPT_OK) {
			c.holes++;
			va += XPT_PAGE_SIZE;
			continue;
		}
		uint64_t bytes = xpt_size_bytes(m.size);
		if (m.va != va || m.offset != 0 || m.pa != va + delta || end - va < bytes)
			c.identity_ok = false;
		c.n[m.size]++;
		va = m.va + bytes;
		if (end - m.va < bytes)
			break;
	}
	return c;
}

bool bit_get(const uint64_t *bits, uint64_t i)
{
	return (bits[i / 64] >> (i % 64)) & 1u;
}

void bit_set(uint64_t *bits, uint64_t i)
{
	bits[i / 64] |= (uint64_t)1 << (i % 64);
}

bool flush_equals(const struct xpt_flush *fl, const uint64_t *va, unsigned n)
{
	bool same = !fl->all && fl->npages == n;
	for (unsigned i = 0; same && i < n; i++)
		same = fl->va[i] == va[i];
	if (!same) {
		printf("  flush record:%s", fl->all ? " all," : "");
		for (unsigned i = 0; i < fl->npages && i < XPT_FLUSH_PAGES; i++)
			printf(" 0x%llx", (unsigned long long)fl->va[i]);
		printf("\n  expected:    ");
		for (unsigned i = 0; i < n; i++)
			printf(" 0x%llx", (unsigned long long)va[i]);
		printf("\n");
	}
	return same;
}

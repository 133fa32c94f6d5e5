/* Fixtures shared by the tests: a simulated machine and state snapshots. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include "check.h"
#include "xpt.h"

#include <stddef.h>

#define KiB ((uint64_t)1 << 10)
#define MiB ((uint64_t)1 << 20)
#define GiB ((uint64_t)1 << 30)
#define TiB ((uint64_t)1 << 40)

/* Compare error codes and print their names when they differ. */
#define CHECK_ERR(expr, want) check_err(__FILE__, __LINE__, #expr, (expr), (want))
#define REQUIRE_OK(expr)                                                                   \
	do {                                                                               \
		if (!CHECK_ERR(expr, XPT_OK))                                              \
			return;                                                            \
	} while (0)
bool check_err(const char *file, int line, const char *txt, int got, int want);

/* The name of an error code ("XPT_E_NOMEM"). */
const char *err_name(int err);

/*
 * A machine: a window of `nframes` frames of simulated physical memory (a
 * calloc'd word buffer), all usable, an allocator over it whose metadata
 * lives outside the window, and an address space.
 */
struct env {
	struct xpt_mem mem;
	struct xpt_frames fa;
	uint64_t *meta;
	uint64_t meta_words;
	struct xpt_space sp;
	struct xpt_flush fl;
	xpt_pfn *held;       /* frames taken by env_hold */
	uint64_t nheld;
};

/* false (with a recorded failure) if set-up fails. */
bool env_init(struct env *e, uint64_t nframes, unsigned maxphyaddr);
void env_free(struct env *e);
/* Allocate and keep frames until exactly `k` are free. */
bool env_hold(struct env *e, uint64_t k);
/* Give back the frames env_hold took. */
void env_release(struct env *e);
/* Word of physical memory at physical address pa. */
uint64_t *env_word(struct env *e, uint64_t pa);
/* Entry `index` of table frame t. */
uint64_t *env_entry(struct env *e, xpt_pfn t, unsigned index);

/* A copy of everything a mutation may change. */
struct snap {
	uint64_t *words;
	uint64_t nwords;
	uint64_t *meta;
	uint64_t meta_words;
	struct xpt_frames fa;
	struct xpt_flush fl;
	struct xpt_space sp;
};
void snap_take(struct snap *s, const struct env *e);
/* The same into a snapshot taken before (or zeroed), reusing its buffers. */
void snap_retake(struct snap *s, const struct env *e);
/* true iff window, allocator (struct and metadata), flush record and space are unchanged. */
bool snap_same(const struct snap *s, const struct env *e);
void snap_free(struct snap *s);
#define CHECK_UNCHANGED(s, e) CHECK(snap_same((s), (e)))
/* `call` returns `want` and changes nothing of env e. */
#define CHECK_ERR_UNCHANGED(e, call, want)                                                 \
	do {                                                                               \
		struct snap snap_;                                                         \
		snap_take(&snap_, (e));                                                    \
		CHECK_ERR(call, want);                                                     \
		CHECK_UNCHANGED(&snap_, (e));                                              \
		snap_free(&snap_);                                                         \
	} while (0)

/* Leaves of each size (index enum xpt_size) in [va, va+len), by translate. */
struct leaf_count {
	uint64_t n[3];
	uint64_t holes;   /* 4 KiB pages without a translation */
	bool identity_ok; /* every leaf maps va + delta */
};
struct leaf_count count_leaves(const struct xpt_space *sp, uint64_t va, uint64_t len,
                               uint64_t delta);

/* The flush record holds exactly these pages, in this order, and not `all`. */
bool flush_equals(const struct xpt_flush *fl, const uint64_t *va, unsigned n);
#define CHECK_FLUSH(fl, ...)                                                               \
	CHECK(flush_equals((fl), (const uint64_t[]){ __VA_ARGS__ },                       \
	                   (unsigned)(sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t))))

/* Bit i of a word array. */
bool bit_get(const uint64_t *bits, uint64_t i);
void bit_set(uint64_t *bits, uint64_t i);

#endif

/*
 * Benchmark harness: rows of a result table, each a set of samples (one
 * per repetition) compared with a reference row measured in the same run.
 *
 * A group of tasks is run `reps` times, interleaved (task 1, task 2, ...,
 * task 1, task 2, ...), so noise from other work on the machine falls on
 * an operation and on the limit it is compared with alike.  Rows report
 * the median and the min..max of their samples; the ratio column is the
 * median over repetitions of sample(row) / sample(reference) taken in the
 * same repetition.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xpt.h"

#define KIB (1ull << 10)
#define MIB (1ull << 20)
#define GIB (1ull << 30)
#define TIB (1ull << 40)

/* Run-wide settings. */
struct bench_cfg {
	bool quick;          /* smoke mode: tiny sizes, two repetitions */
	int reps;            /* repetitions of every group */
	double sample_ns;    /* a sample lasts at least this long */
	const char *csv;     /* where the CSV goes (NULL: nowhere) */
	const char *ext;     /* CSV rows measured by bench/external.sh */
	const char *only;    /* run only the section with this name */
};
extern struct bench_cfg cfg;

/* ---------------------------------------------------------------- rows */

enum row_kind {
	ROW_MEASURED,  /* samples of a time */
	ROW_DERIVED,   /* median(num) / median(ref): a ratio between two rows */
	ROW_TEXT,      /* a value measured elsewhere, or n/a with the reason */
};

/* A new measured row; ref is the id of the row it is compared with, or 0. */
int row_new(const char *op, const char *size, const char *unit, int ref);
/* A derived row: median(num) / median(den), printed as a ratio. */
int row_ratio(const char *op, const char *size, int num, int den);
/* A row whose values come from outside (external.sh), as text. */
int row_text(const char *op, const char *size, const char *median, const char *spread,
             const char *unit, const char *vs, const char *ratio);
void row_sample(int id, double v);
/* A section title printed above the next row. */
void row_heading(const char *title);
double row_median(int id);
/* The ratio column: median over repetitions of this row's sample divided by
 * its reference's sample of the same repetition (see harness.c). */
double row_ratio_of(int id);
double row_min(int id);
double row_max(int id);
const char *row_op(int id);
int row_ref(int id);
void rows_print(void);
int rows_csv(const char *path);
void rows_external(const char *path);

/* ---------------------------------------------------------- tasks, groups */

/*
 * A task runs `iters` times whatever it measures and writes ns per unit
 * for each of its rows into out[].  The harness picks iters so that a
 * sample lasts cfg.sample_ns, after a first call that warms caches.
 */
#define TASK_ROWS 6
struct task {
	void (*fn)(void *arg, long iters, double *out);
	void *arg;
	int rows[TASK_ROWS]; /* 0 ends the list; out[i] goes to rows[i] */
	long iters;          /* set by calibration */
};
void run_group(struct task *t, int n);
/* Samples taken again because the thread was switched out, and samples
 * kept although it was (after MAX_RETAKE attempts). */
extern long retaken, kept_switched;
#define BENCH_MAX_RETAKE 8

/* ---------------------------------------------------------------- utils */

uint64_t now_ns(void);
/* Page-aligned, zeroed, pre-faulted memory (transparent huge pages asked for). */
void *big_alloc(size_t bytes);
void big_free(void *p, size_t bytes);
/* Deterministic xorshift64*. */
uint64_t rnd(uint64_t *s);
/* Keeps a value alive so a loop computing it is not optimised away. */
void sink(uint64_t v);
void die(const char *what, int err);
const char *size_name(uint64_t bytes, char *buf, size_t len);

/* ------------------------------------------------------------- sections */

struct targets {
	int translate_hot, translate_cold, translate_limit_hot, translate_limit_cold;
	int range4k, store_limit, baseline_per_page;
	int alloc_only[2][4]; /* [empty, frag][size index]: xpt single-frame alloc */
	int flat[2];          /* flatness rows of xpt alloc+free 4K, [empty, frag] */
	int nsizes;
};
extern struct targets tg;

void bench_frames(void);
void bench_map(void);
void bench_translate(void);

#endif

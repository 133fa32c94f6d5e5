/* Rows, samples, interleaved groups, and the table and CSV they print as. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#include "bench.h"

struct bench_cfg cfg = { .reps = 15, .sample_ns = 1e6 };

#define MAX_ROWS 256

struct row {
	enum row_kind kind;
	char op[96], size[24], unit[16];
	int ref, num;          /* ROW_DERIVED: num / ref */
	double *v;             /* samples in the order taken */
	long *tag;             /* the group repetition each was taken in */
	double *sv;            /* the same, sorted */
	int n, cap;
	bool sorted;
	char t_med[32], t_spread[48], t_vs[48], t_ratio[48]; /* ROW_TEXT */
};
static struct row rows[MAX_ROWS + 1]; /* ids start at 1 */
static int nrows;
static long cur_tag; /* one per repetition of a group */

/* Section headings, each printed before row `before`. */
static struct {
	int before;
	char title[200];
} heads[64];
static int nheads;

void row_heading(const char *title)
{
	if (nheads == 64)
		return;
	heads[nheads].before = nrows + 1;
	snprintf(heads[nheads].title, sizeof heads[nheads].title, "%s", title);
	nheads++;
}

static struct row *row_alloc(const char *op, const char *size, const char *unit)
{
	if (nrows == MAX_ROWS) {
		fprintf(stderr, "bench: too many rows\n");
		exit(1);
	}
	struct row *r = &rows[++nrows];
	snprintf(r->op, sizeof r->op, "%s", op);
	snprintf(r->size, sizeof r->size, "%s", size);
	snprintf(r->unit, sizeof r->unit, "%s", unit);
	return r;
}

int row_new(const char *op, const char *size, const char *unit, int ref)
{
	struct row *r = row_alloc(op, size, unit);
	r->kind = ROW_MEASURED;
	r->ref = ref;
	return nrows;
}

int row_ratio(const char *op, const char *size, int num, int den)
{
	struct row *r = row_alloc(op, size, "x");
	r->kind = ROW_DERIVED;
	r->num = num;
	r->ref = den;
	return nrows;
}

int row_text(const char *op, const char *size, const char *median, const char *spread,
             const char *unit, const char *vs, const char *ratio)
{
	struct row *r = row_alloc(op, size, unit);
	r->kind = ROW_TEXT;
	snprintf(r->t_med, sizeof r->t_med, "%s", median);
	snprintf(r->t_spread, sizeof r->t_spread, "%s", spread);
	snprintf(r->t_vs, sizeof r->t_vs, "%s", vs);
	snprintf(r->t_ratio, sizeof r->t_ratio, "%s", ratio);
	return nrows;
}

void row_sample(int id, double v)
{
	struct row *r = &rows[id];
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->v = realloc(r->v, (size_t)r->cap * sizeof *r->v);
		r->sv = realloc(r->sv, (size_t)r->cap * sizeof *r->sv);
		r->tag = realloc(r->tag, (size_t)r->cap * sizeof *r->tag);
		if (r->v == NULL || r->sv == NULL || r->tag == NULL)
			die("realloc", 0);
	}
	r->tag[r->n] = cur_tag;
	r->v[r->n++] = v;
	r->sorted = false;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median_of(double *v, int n)
{
	if (n == 0)
		return NAN;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static struct row *sorted(int id)
{
	struct row *r = &rows[id];
	if (!r->sorted && r->n > 0) {
		memcpy(r->sv, r->v, (size_t)r->n * sizeof *r->v);
		qsort(r->sv, (size_t)r->n, sizeof *r->sv, cmp_double);
	}
	r->sorted = true;
	return r;
}

double row_median(int id)
{
	if (id <= 0 || id > nrows)
		return NAN;
	if (rows[id].kind == ROW_DERIVED)
		return row_ratio_of(id);
	struct row *r = sorted(id);
	if (r->n == 0)
		return NAN;
	return r->n % 2 ? r->sv[r->n / 2] : (r->sv[r->n / 2 - 1] + r->sv[r->n / 2]) / 2;
}

double row_min(int id)
{
	struct row *r = sorted(id);
	return r->n ? r->sv[0] : NAN;
}

double row_max(int id)
{
	struct row *r = sorted(id);
	return r->n ? r->sv[r->n - 1] : NAN;
}

/*
 * median over repetitions of a[i] / b[j], pairing the samples the two rows
 * took in the same repetition of a group (a few ms apart), so that a slow
 * spell of the machine divides out.  Rows never measured together fall
 * back to the ratio of their medians.
 */
static double paired_ratio(int a, int b)
{
	struct row *x = &rows[a], *y = &rows[b];
	double *q = malloc((size_t)(x->n + 1) * sizeof *q);
	int n = 0;
	if (q == NULL)
		die("malloc", 0);
	for (int i = 0, j = 0; i < x->n && j < y->n;) {
		if (x->tag[i] < y->tag[j])
			i++;
		else if (x->tag[i] > y->tag[j])
			j++;
		else
			q[n++] = x->v[i++] / y->v[j++];
	}
	double r = n ? median_of(q, n) : row_median(a) / row_median(b);
	free(q);
	return r;
}

/* The ratio column: this row against its reference. */
double row_ratio_of(int id)
{
	struct row *r = &rows[id];
	if (r->kind == ROW_DERIVED) {
		struct row *x = &rows[r->num], *y = &rows[r->ref];
		/* Rows measured in different groups, each against the same limit:
		 * compare their ratios to it, so each is normalised by the limit
		 * taken beside it. */
		if (x->ref && x->ref == y->ref && rows[x->ref].ref == 0)
			return row_ratio_of(r->num) / row_ratio_of(r->ref);
		return paired_ratio(r->num, r->ref);
	}
	if (r->ref == 0)
		return 1;
	return paired_ratio(id, r->ref);
}

int row_ref(int id)
{
	return rows[id].kind == ROW_MEASURED ? rows[id].ref : 0;
}

const char *row_op(int id)
{
	return rows[id].op;
}

/* Three significant digits, switching to plain integers above 1000. */
static void fmt_num(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (v >= 1000)
		snprintf(buf, len, "%.0f", v);
	else if (v >= 100)
		snprintf(buf, len, "%.1f", v);
	else if (v >= 10)
		snprintf(buf, len, "%.2f", v);
	else
		snprintf(buf, len, "%.3f", v);
}

static void fmt_ratio(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (v >= 100)
		snprintf(buf, len, "%.0fx", v);
	else
		snprintf(buf, len, "%.2fx", v);
}

/* The printed cells of row id. */
struct cells {
	char med[32], spread[72], vs[48], ratio[48], rmin[32];
};

static void row_cells(int id, struct cells *c)
{
	struct row *r = &rows[id];
	char a[32], b[32];
	snprintf(c->rmin, sizeof c->rmin, "-");
	if (r->kind == ROW_TEXT) {
		snprintf(c->med, sizeof c->med, "%s", r->t_med);
		snprintf(c->spread, sizeof c->spread, "%s", r->t_spread);
		snprintf(c->vs, sizeof c->vs, "%s", r->t_vs);
		snprintf(c->ratio, sizeof c->ratio, "%s", r->t_ratio);
		return;
	}
	if (r->kind == ROW_DERIVED) {
		snprintf(c->med, sizeof c->med, "-");
		snprintf(c->spread, sizeof c->spread, "-");
		snprintf(c->vs, sizeof c->vs, "#%d / #%d", r->num, r->ref);
		fmt_ratio(c->ratio, sizeof c->ratio, row_ratio_of(id));
		return;
	}
	fmt_num(c->med, sizeof c->med, row_median(id));
	fmt_num(a, sizeof a, row_min(id));
	fmt_num(b, sizeof b, row_max(id));
	snprintf(c->spread, sizeof c->spread, "%s..%s", a, b);
	if (r->ref) {
		snprintf(c->vs, sizeof c->vs, "#%d", r->ref);
		fmt_ratio(c->ratio, sizeof c->ratio, row_ratio_of(id));
		fmt_ratio(c->rmin, sizeof c->rmin, row_min(id) / row_min(r->ref));
	} else {
		snprintf(c->vs, sizeof c->vs, "(limit)");
		snprintf(c->ratio, sizeof c->ratio, "1");
	}
}

void rows_print(void)
{
	struct cells c;
	printf("%4s  %-58s %-8s %10s  %-21s %-11s %-9s %-9s %s\n", "#", "operation", "size",
	       "median", "spread (min..max)", "unit", "vs", "ratio", "min/min");
	for (int id = 1, h = 0; id <= nrows; id++) {
		struct row *r = &rows[id];
		for (; h < nheads && heads[h].before <= id; h++)
			printf("      -- %s\n", heads[h].title);
		row_cells(id, &c);
		printf("%4d  %-58s %-8s %10s  %-21s %-11s %-9s %-9s %s\n", id, r->op, r->size, c.med,
		       c.spread, r->unit, c.vs, c.ratio, c.rmin);
	}
}

static void csv_field(FILE *f, const char *s, bool last)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
	fputc(last ? '\n' : ',', f);
}

int rows_csv(const char *path)
{
	FILE *f = fopen(path, "w");
	struct cells c;
	char id[16];
	if (f == NULL)
		return -1;
	fprintf(f, "id,operation,size,median,spread,unit,vs,ratio,min_over_min\n");
	for (int i = 1; i <= nrows; i++) {
		row_cells(i, &c);
		snprintf(id, sizeof id, "%d", i);
		csv_field(f, id, false);
		csv_field(f, rows[i].op, false);
		csv_field(f, rows[i].size, false);
		csv_field(f, c.med, false);
		csv_field(f, c.spread, false);
		csv_field(f, rows[i].unit, false);
		csv_field(f, c.vs, false);
		csv_field(f, c.ratio, false);
		csv_field(f, c.rmin, true);
	}
	return fclose(f);
}

/* Rows written by bench/external.sh: op;size;median;spread;unit;vs;ratio per line. */
void rows_external(const char *path)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	char line[512];
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f)) {
		char *field[7] = { 0 }, *p = line;
		line[strcspn(line, "\n")] = 0;
		for (int i = 0; i < 7; i++) {
			field[i] = p;
			p = p ? strchr(p, ';') : NULL;
			if (p)
				*p++ = 0;
		}
		if (field[6] == NULL)
			continue;
		row_text(field[0], field[1], field[2], field[3], field[4], field[5], field[6]);
	}
	fclose(f);
}

/* ---------------------------------------------------------------- groups */

static void calibrate(struct task *t)
{
	double out[TASK_ROWS];
	uint64_t t0 = now_ns();
	t->fn(t->arg, 1, out); /* also warms caches */
	double once = (double)(now_ns() - t0);
	long iters = (long)ceil(cfg.sample_ns / (once > 1 ? once : 1));
	t->iters = iters < 1 ? 1 : iters;
}

/* Context switches of this thread so far, voluntary or not. */
static long switches(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_THREAD, &ru) != 0)
		return 0;
	return ru.ru_nvcsw + ru.ru_nivcsw;
}

long retaken, kept_switched;

/*
 * A sample during which the scheduler took the CPU away measures the other
 * work on the machine, not the task: it is taken again (up to
 * BENCH_MAX_RETAKE times, then kept and counted).  Samples of a single
 * long iteration (the slow baselines) are kept as they are.
 */
static void sample(struct task *t, double *out)
{
	for (int attempt = 0;; attempt++) {
		long before = switches();
		t->fn(t->arg, t->iters, out);
		if (switches() == before || t->iters == 1)
			return;
		if (attempt == BENCH_MAX_RETAKE) {
			kept_switched++;
			return;
		}
		retaken++;
	}
}

void run_group(struct task *t, int n)
{
	double out[TASK_ROWS];
	for (int i = 0; i < n; i++)
		calibrate(&t[i]);
	for (int rep = 0; rep < cfg.reps; rep++) {
		cur_tag++;
		for (int i = 0; i < n; i++) {
			sample(&t[i], out);
			for (int k = 0; k < TASK_ROWS && t[i].rows[k]; k++)
				row_sample(t[i].rows[k], out[k]);
		}
	}
}

/* ---------------------------------------------------------------- utils */

uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void *big_alloc(size_t bytes)
{
	size_t len = (bytes + 2 * MIB - 1) & ~(2 * MIB - 1);
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap", 0);
	madvise(p, len, MADV_HUGEPAGE);
	memset(p, 0, len); /* fault every page in now, not inside a timed loop */
	return p;
}

void big_free(void *p, size_t bytes)
{
	size_t len = (bytes + 2 * MIB - 1) & ~(2 * MIB - 1);
	munmap(p, len);
}

uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

static volatile uint64_t sink_word;
void sink(uint64_t v)
{
	sink_word += v;
}

void die(const char *what, int err)
{
	if (err)
		fprintf(stderr, "bench: %s: %s\n", what, xpt_strerror(err));
	else
		fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

const char *size_name(uint64_t bytes, char *buf, size_t len)
{
	if (bytes >= TIB && bytes % TIB == 0)
		snprintf(buf, len, "%llu TiB", (unsigned long long)(bytes / TIB));
	else if (bytes >= GIB && bytes % GIB == 0)
		snprintf(buf, len, "%llu GiB", (unsigned long long)(bytes / GIB));
	else if (bytes >= MIB && bytes % MIB == 0)
		snprintf(buf, len, "%llu MiB", (unsigned long long)(bytes / MIB));
	else
		snprintf(buf, len, "%llu KiB", (unsigned long long)(bytes / KIB));
	return buf;
}

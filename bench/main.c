/*
 * xpt benchmarks: one table of operations against the limits and
 * baselines measured in the same run, then the targets of the project
 * marked pass or miss.
 *
 *   bench [--quick] [--reps N] [--csv FILE] [--ext FILE] [--only frames|map|translate]
 *
 * --quick runs tiny sizes twice: it proves the benchmarks build and run,
 * and its numbers mean nothing.  --ext adds the rows bench/external.sh
 * measured from other make targets (oracle, fuzzers, proofs).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

struct targets tg;

static void usage(void)
{
	fprintf(stderr, "usage: bench [--quick] [--reps N] [--csv FILE] [--ext FILE] "
	                "[--only frames|map|translate]\n");
	exit(2);
}

static bool section(const char *name)
{
	return cfg.only == NULL || strcmp(cfg.only, name) == 0;
}

static const char *verdict(bool ok)
{
	return ok ? "pass" : "MISS";
}

/* A target compares num with den: the row's own ratio column when den is
 * its reference, else median / median. */
static double num_den_ratio(int num, int den)
{
	return row_ref(num) == den ? row_ratio_of(num) : row_median(num) / row_median(den);
}

static void target_ratio(const char *what, int num, int den, double limit, bool at_most)
{
	if (num == 0 || den == 0)
		return;
	double r = num_den_ratio(num, den);
	printf("  %-68s %8.2fx  (#%d / #%d)  %s\n", what, r, num, den,
	       verdict(at_most ? r <= limit : r >= limit));
}

static void targets_frames(void)
{
	static const char *state[] = { "empty", "frag" };
	if (tg.nsizes == 0)
		return;
	for (int s = 0; s < 2; s++) {
		double worst = 0;
		int at = 0;
		for (int z = 0; z < tg.nsizes; z++)
			if (row_median(tg.alloc_only[s][z]) > worst) {
				worst = row_median(tg.alloc_only[s][z]);
				at = tg.alloc_only[s][z];
			}
		char what[96];
		snprintf(what, sizeof what, "frame alloc (4K) under 20 ns at every size [%s]: worst",
		         state[s]);
		printf("  %-68s %7.1f ns  (#%d)        %s\n", what, worst, at, verdict(worst < 20));
	}
	if (tg.nsizes < 4)
		return;
	for (int s = 0; s < 2; s++) {
		char what[96];
		snprintf(what, sizeof what, "frame alloc+free (4K) flat, 1 TiB / 64 MiB <= 1.5x [%s]",
		         state[s]);
		double r = row_ratio_of(tg.flat[s]);
		printf("  %-68s %8.2fx  (#%d)        %s\n", what, r, tg.flat[s], verdict(r <= 1.5));
	}
}

/* Target lines written by external.sh: "target;what;value;verdict". */
static void targets_external(void)
{
	FILE *f = cfg.ext ? fopen(cfg.ext, "r") : NULL;
	char line[512];
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (strncmp(line, "target;", 7) != 0)
			continue;
		char *what = line + 7, *value = strchr(what, ';'), *v = NULL;
		if (value) {
			*value++ = 0;
			v = strchr(value, ';');
			if (v)
				*v++ = 0;
		}
		printf("  %-68s %10s  %s\n", what, value ? value : "", v ? v : "");
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *env = getenv("BENCH_REPS");
	if (env)
		cfg.reps = atoi(env);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			cfg.quick = true;
		else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
			cfg.reps = atoi(argv[++i]);
		else if (strcmp(argv[i], "--csv") == 0 && i + 1 < argc)
			cfg.csv = argv[++i];
		else if (strcmp(argv[i], "--ext") == 0 && i + 1 < argc)
			cfg.ext = argv[++i];
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			cfg.only = argv[++i];
		else
			usage();
	}
	if (cfg.quick) {
		cfg.reps = 2;
		cfg.sample_ns = 2e5;
	}
	if (cfg.reps < 1)
		usage();

	if (section("frames"))
		bench_frames();
	if (section("map"))
		bench_map();
	if (section("translate"))
		bench_translate();
	if (cfg.ext) {
		row_heading("other make targets (bench/external.sh)");
		rows_external(cfg.ext);
	}

	printf("xpt benchmarks: median and min..max over %d repetitions%s.\n"
	       "ratio = median over repetitions of (sample / sample of the row in 'vs' taken in the "
	       "same repetition);\n'#a / #b' rows divide the ratios of a and b to their common "
	       "limit; min/min = fastest sample / fastest sample of 'vs' (the least disturbed "
	       "estimate)\n\n",
	       cfg.reps, cfg.quick ? " (QUICK MODE: tiny sizes, numbers meaningless)" : "");
	rows_print();
	printf("\nsamples retaken because the scheduler switched the thread out: %ld; kept anyway "
	       "after %d tries: %ld\n", retaken, BENCH_MAX_RETAKE, kept_switched);

	printf("\ntargets%s:\n", cfg.quick ? " (quick mode: not meaningful)" : "");
	target_ratio("translate within 2x of four dependent loads [hot]", tg.translate_hot,
	             tg.translate_limit_hot, 2, true);
	target_ratio("translate within 2x of four dependent loads [cold]", tg.translate_cold,
	             tg.translate_limit_cold, 2, true);
	target_ratio("map_range 4K within 3x of the 8-byte store limit", tg.range4k, tg.store_limit,
	             3, true);
	target_ratio("map_range 4K at least 10x faster per page than per-page baseline",
	             tg.baseline_per_page, tg.range4k, 10, false);
	targets_frames();
	targets_external();

	if (cfg.csv) {
		if (rows_csv(cfg.csv) != 0)
			die(cfg.csv, 0);
		printf("\nwritten: %s\n", cfg.csv);
	}
	return 0;
}

/*
 * xpt-oracle: drive the oracle kernel.
 *
 *   xpt-oracle [options] run FILE...     text case files: results and comparison
 *   xpt-oracle [options] gen [--cases N] [--seed S] [--print] [--isolate]
 *   xpt-oracle [options] demo            the seeds' experiment (kernel on serial)
 *   xpt-oracle [options] vm              every xpt_vm mechanism in the kernel, checked
 *   xpt-oracle [options] probe           TLB probes
 *   xpt-oracle [options] quirks          verify the quirk table by experiment
 *   xpt-oracle [options] malformed       malformed batches and a hung guest
 *   xpt-oracle [options] three gen [--cases N] [--seed S] [--isolate]
 *   xpt-oracle [options] three run FILE...
 *   xpt-oracle [options] three quirks    one batch under QEMU and Bochs, judged
 *                                        three ways (fuzz/oracle/bochs.c)
 *   xpt-oracle [options] bochs-demo      the seeds' experiment under Bochs
 *
 * options: --kernel PATH --qemu PATH --cpu MODEL --accel tcg|kvm|auto
 *          --la57 (boot with 5-level paging: "la57" on the kernel's command
 *          line, +la57 added to the CPU model; batches are 5-level and ref
 *          predicts with CR4.LA57)
 *          --bios PATH|default (default: qboot if installed, else SeaBIOS)
 *          --timeout SECONDS --quiet --show N
 *          --require-coverage (fail unless every coverage class and the main
 *          #PF error codes were exercised)
 *          --save PREFIX (keep the batch, the raw results and the guest's RAM: PREFIX.batch,
 *          PREFIX.res = struct xpt_case_results + per-case results)
 *          --bochs PATH (bochs-bin) --bochs-cpu MODEL (corei7_icelake_u)
 *          --bochs-dir DIR (kernel/bochs) --bochs-e9 (results through port
 *          0xE9 instead of the debugger's memory dump) --bochs-keep
 * Exit status: 0 when everything ran and agreed (or was explained by the
 * quirk table), 1 on any unexplained disagreement or failed run, 2 on
 * usage errors.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oracle.h"

#define DEFAULT_CPU "qemu64,+smep,+smap,+pku,+pdpe1gb,+nx,phys-bits=40"
/* Bochs 2.7's model with SMEP, SMAP, PKU, NX and 1 GiB pages (skylake_x lacks PKU). */
#define DEFAULT_BOCHS_CPU "corei7_icelake_u"

struct opts {
	struct oq_opts q;
	struct obx_opts bx;
	bool quiet, print, isolate, require_cov;
	const char *save;   /* PREFIX: write PREFIX.batch and PREFIX.res */
	unsigned show;
	uint32_t ncases;
	uint64_t seed;
};

static int usage(void)
{
	fprintf(stderr, "usage: xpt-oracle [--kernel PATH] [--qemu PATH] [--cpu MODEL] [--accel tcg|kvm|auto]\n"
	                "                  [--la57] [--bios PATH|default] [--timeout S] [--quiet] [--show N]\n"
	                "                  [--require-coverage] [--save PREFIX]\n"
	                "                  [--bochs PATH] [--bochs-cpu MODEL] [--bochs-dir DIR] [--bochs-e9] [--bochs-keep]\n"
	                "                  run FILE... | gen [--cases N] [--seed S] [--print] [--isolate] | demo | vm |\n"
	                "                  probe | three gen [...] | three run FILE... | three quirks | bochs-demo |\n"
	                "                  quirks | malformed\n");
	return 2;
}

static bool tcg(const struct opts *o)
{
	return strcmp(o->q.accel, "tcg") == 0;
}

/* ----------------------------------------------------------- reporting */

static const char *end_name(enum oq_end e)
{
	static const char *const n[] = { "exited", "TIMED OUT (killed)", "crashed", "did not start" };
	return n[e];
}

/* Whether the run ended as a run should; explains it when not. */
static bool run_ok(const struct oq_run *r, FILE *f)
{
	if (r->end == OQ_EXITED && r->guest_code == XPT_CASE_EXIT_OK && r->have_hdr &&
	    r->hdr.status == XPT_CASE_S_OK)
		return true;
	fprintf(f, "guest run failed: QEMU %s after %.2f s, guest exit code %d", end_name(r->end), r->wall_s,
	        r->guest_code);
	if (r->have_hdr)
		fprintf(f, ", status %s: %.96s (%u cases done)", oq_status_name(r->hdr.status), r->hdr.msg,
		        r->hdr.ncases_done);
	else
		fprintf(f, ", no results header");
	fprintf(f, "\n");
	if (r->qemu_err && r->qemu_err[0])
		fprintf(f, "QEMU said: %s", r->qemu_err);
	if (r->serial && r->serial[0])
		fprintf(f, "guest serial: %s", r->serial);
	return false;
}

/* QEMU CPU time of a run with no cases: boot, setup, exit. */
static double baseline_cpu(const struct opts *o)
{
	struct ob b;
	struct oq_run r;
	double best = -1;
	ob_init(&b, XPT_CASE_MODE_RUN, 0);
	ob_levels(&b, oq_levels(&o->q));
	ob_finish(&b);
	for (int i = 0; i < 3; i++)
		if (oq_run(&o->q, &b, &r) == 0) {
			if (r.end == OQ_EXITED && (best < 0 || r.cpu_s < best))
				best = r.cpu_s;
			oq_free(&r);
		}
	ob_free(&b);
	return best;
}

static void print_timing(const struct opts *o, const struct oq_run *r, uint32_t ncases, FILE *f)
{
	double boot = oq_boot_s(r), cs = oq_cases_s(r);
	fprintf(f, "timing: boot %.0f ms (QEMU exec to the kernel's first instruction, QEMU exit included); "
	           "wall %.3f s, QEMU CPU %.3f s; TSC %.2f GHz\n",
	        boot * 1e3, r->wall_s, r->cpu_s, r->tsc_hz * 1e-9);
	if (cs > 0 && ncases) {
		const struct xpt_case_results *h = &r->hdr;
		double us = 1e6 / r->tsc_hz / (h->timed_cases ? h->timed_cases : 1);
		fprintf(f, "rate: %u cases in %.1f ms of guest time = %.0f cases/s (%.1f us a case: new roots + "
		           "CR3 loads %.1f, ops %.1f, accesses %.1f; %u roots)\n",
		        ncases, cs * 1e3, ncases / cs, cs * 1e6 / ncases, h->tsc_load * us, h->tsc_build * us,
		        h->tsc_access * us, h->ngroups);
	}
	/* The guest's clock also runs while QEMU waits for a CPU on a busy
	 * host; QEMU's CPU time beyond that of an empty run does not. */
	if (ncases >= 1000) {
		double base = baseline_cpu(o);
		if (base >= 0 && r->cpu_s > base)
			fprintf(f, "      in QEMU CPU time: %.3f s beyond an empty run's %.3f s = %.0f cases per CPU second\n",
			        r->cpu_s - base, base, ncases / (r->cpu_s - base));
	}
}

/* The guest's RAM as a raw physical-memory image, for tools/ptdump: the
 * tables of the last case (of every case with --isolate and one case) are
 * still there when the guest exits. */
static int save_ram(const char *prefix, const struct ob *b, const struct oq_run *r)
{
	static char buf[1 << 16];
	char path[512];
	struct oit it;
	uint64_t cr3 = 0;
	FILE *f;
	ssize_t n;
	snprintf(path, sizeof(path), "%s.ram", prefix);
	if (!(f = fopen(path, "wb")))
		return perror(path), 1;
	for (off_t off = 0; (n = pread(r->ram_fd, buf, sizeof(buf), off)) > 0; off += n)
		if (fwrite(buf, 1, (size_t)n, f) != (size_t)n)
			break;
	if (fclose(f) != 0)
		return perror(path), 1;
	oit_init(&it, b, r->res, r->res_len);
	while (oit_next(&it))
		cr3 = it.r->cr3;
	printf("saved %s; the last case's tables: build/ptdump --maxphyaddr 40%s %s %#llx\n", path,
	       b->levels == 5u ? " --la57" : "", path, (unsigned long long)cr3);
	return 0;
}

/* The batch as sent, and what came back: struct xpt_case_results, then the
 * per-case results -- enough to compare again without QEMU. */
static int save_run(const char *prefix, const struct ob *b, const struct oq_run *r)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof(path), "%s.batch", prefix);
	if (!(f = fopen(path, "wb")) || fwrite(b->buf, 1, b->len, f) != b->len || fclose(f))
		return perror(path), 1;
	snprintf(path, sizeof(path), "%s.res", prefix);
	if (!(f = fopen(path, "wb")) || fwrite(&r->hdr, sizeof(r->hdr), 1, f) != 1 ||
	    fwrite(r->res, 1, r->res_len, f) != r->res_len || fclose(f))
		return perror(path), 1;
	printf("saved %s.batch and %s.res\n", prefix, prefix);
	return r->ram_fd > 0 ? save_ram(prefix, b, r) : 0;
}

/* Run a batch, compare, report.  Returns 0 when all is explained. */
static int run_and_compare(const struct opts *o, struct ob *b, const struct onames *names, bool print_all)
{
	struct oq_run r;
	struct ocmp c;
	int rc = 0;
	struct oq_opts q = o->q;
	q.keep_ram = o->save != NULL;
	if (oq_run(&q, b, &r) != 0)
		return 1;
	if (!run_ok(&r, stdout))
		rc = 1;
	if (!r.have_hdr || r.hdr.window_nframes == 0) { /* no results, or the boot failed */
		oq_free(&r);
		return 1;
	}
	if (!o->quiet)
		oprint_header(stdout, &r);
	if (r.hdr.levels != b->levels) {
		printf("the kernel runs %u-level paging, the batch is %u-level\n", r.hdr.levels, b->levels);
		rc = 1;
	}
	if (o->save && save_run(o->save, b, &r))
		rc = 1;
	if (print_all) {
		struct oit it;
		oit_init(&it, b, r.res, r.res_len);
		while (oit_next(&it)) {
			oprint_case(stdout, &it, names);
			for (unsigned k = 0; k < it.c->naccs; k++)
				oprint_access(stdout, &it.accs[k], &it.ar[k], it.levels);
		}
	}
	ocmp_init(&c, r.hdr.window_nframes, tcg(o) ? OQ_EMU_TCG : 0);
	c.show_max = o->show;
	ocmp_run(&c, b, &r, names, stdout);
	ocmp_report(&c, stdout);
	if (r.hdr.ncases_done != b->ncases) {
		printf("only %u of %u cases ran\n", r.hdr.ncases_done, b->ncases);
		rc = 1;
	}
	if (c.skipped_cases) {
		printf("%" PRIu64 " cases skipped: the CPU lacks control bits they use (see its features)\n",
		       c.skipped_cases);
		rc = 1;
	}
	if (o->require_cov && ocmp_uncovered(&c, stdout))
		rc = 1;
	if (r.hdr.free_frames != r.hdr.free_frames_before) {
		printf("frame leak: %" PRIu64 " free before the cases, %" PRIu64 " after\n",
		       r.hdr.free_frames_before, r.hdr.free_frames);
		rc = 1;
	}
	print_timing(o, &r, r.hdr.ncases_done, stdout);
	if (c.disagree)
		rc = 1;
	printf("%s\n", rc ? "FAIL" : "PASS");
	ocmp_free(&c);
	oq_free(&r);
	return rc;
}

/* ------------------------------------------------------------ commands */

static int cmd_run(const struct opts *o, int argc, char **argv)
{
	struct ob b;
	struct onames names = { 0 };
	char err[256];
	int rc;
	if (argc < 1)
		return usage();
	ob_init(&b, XPT_CASE_MODE_RUN, 0);
	ob_levels(&b, oq_levels(&o->q));
	for (int i = 0; i < argc; i++)
		if (ocases_parse(argv[i], &b, &names, err, sizeof(err)) != 0) {
			fprintf(stderr, "xpt-oracle: %s\n", err);
			return 2;
		}
	ob_finish(&b);
	printf("%u cases from %d file(s)\n", b.ncases, argc);
	rc = run_and_compare(o, &b, &names, !o->quiet);
	onames_free(&names);
	ob_free(&b);
	return rc;
}

static int cmd_gen(const struct opts *o)
{
	struct ob b;
	int rc;
	ogen_batch(&b, o->ncases, o->seed, XPT_CASE_CTL_MASK, oq_levels(&o->q));
	if (o->isolate)
		((struct xpt_case_batch *)b.buf)->flags |= XPT_CASE_BATCH_ISOLATE;
	printf("generated %u cases (seed %" PRIu64 ", %zu bytes, %u-level paging%s)\n", b.ncases, o->seed,
	       b.len, b.levels, o->isolate ? ", every case its own root" : "");
	rc = run_and_compare(o, &b, NULL, o->print);
	ob_free(&b);
	return rc;
}

static int cmd_demo(struct opts *o)
{
	struct oq_run r;
	o->q.append = "demo";
	o->q.serial_stdout = true;
	if (oq_run(&o->q, NULL, &r) != 0)
		return 1;
	fflush(stdout);
	if (r.end != OQ_EXITED || r.guest_code != XPT_CASE_EXIT_OK) {
		printf("demo run failed: QEMU %s, guest exit code %d\n%s", end_name(r.end), r.guest_code,
		       r.qemu_err ? r.qemu_err : "");
		oq_free(&r);
		return 1;
	}
	printf("(QEMU %s%s, %.0f ms from exec to exit, boot %.0f ms)\n", o->q.cpu,
	       o->q.la57 ? " +la57, 5-level paging" : "", r.wall_s * 1e3, oq_boot_s(&r) * 1e3);
	oq_free(&r);
	return 0;
}

/* ------------------------------------------------------------ Bochs */

static int parse_gen(struct opts *o, int argc, char **argv);

static int cmd_three(struct opts *o, int argc, char **argv)
{
	struct o3_opts t = { .show = o->show, .quiet = o->quiet };
	struct ob b;
	struct onames names = { 0 };
	char err[256], title[128];
	int rc;
	if (argc < 1)
		return usage();
	if (o->q.la57) {
		fprintf(stderr, "xpt-oracle: the three-way comparison runs 4-level paging only\n");
		return 2;
	}
	if (!obx_available(&o->bx, stderr))
		return 1;
	if (strcmp(argv[0], "quirks") == 0) {
		t.title = "quirk experiments";
		return o3_quirks(&o->q, &o->bx, &t);
	}
	if (strcmp(argv[0], "gen") == 0) {
		if (parse_gen(o, argc, argv))
			return 2;
		ogen_batch(&b, o->ncases, o->seed, XPT_CASE_CTL_MASK, 4);
		if (o->isolate)
			((struct xpt_case_batch *)b.buf)->flags |= XPT_CASE_BATCH_ISOLATE;
		snprintf(title, sizeof(title), "generated batch (seed %" PRIu64 "%s)", o->seed,
		         o->isolate ? ", every case its own root" : "");
		t.title = title;
		rc = o3_run(&o->q, &o->bx, &t, &b, NULL);
		ob_free(&b);
		return rc;
	}
	if (strcmp(argv[0], "run") == 0 && argc > 1) {
		ob_init(&b, XPT_CASE_MODE_RUN, 0);
		for (int i = 1; i < argc; i++)
			if (ocases_parse(argv[i], &b, &names, err, sizeof(err)) != 0) {
				fprintf(stderr, "xpt-oracle: %s\n", err);
				return 2;
			}
		ob_finish(&b);
		t.title = argv[1];
		rc = o3_run(&o->q, &o->bx, &t, &b, &names);
		onames_free(&names);
		ob_free(&b);
		return rc;
	}
	return usage();
}

static int cmd_bochs_demo(struct opts *o)
{
	struct oq_run r;
	if (!obx_available(&o->bx, stderr))
		return 1;
	o->bx.append = "demo";
	if (obx_run(&o->bx, NULL, &r) != 0)
		return 1;
	fputs(r.serial ? r.serial : "", stdout);
	if (r.serial && r.serial[0] && r.serial[strlen(r.serial) - 1] != '\n')
		fputs("\n", stdout); /* the last bytes may still sit in the UART at the shutdown */
	if (r.end != OQ_EXITED || r.guest_code != XPT_CASE_EXIT_OK) {
		printf("Bochs demo run failed: %s, guest exit code %d\n%.4000s\n", end_name(r.end), r.guest_code,
		       r.qemu_err ? r.qemu_err : "");
		oq_free(&r);
		return 1;
	}
	printf("(Bochs %s from a GRUB ISO: %.2f s from exec to exit, ISO built in %.2f s)\n", o->bx.cpu, r.wall_s,
	       r.prep_s);
	oq_free(&r);
	return 0;
}

static int parse_opts(struct opts *o, int *argc, char ***argv)
{
	char **a = *argv;
	int n = *argc, i = 1;
	for (; i < n && strncmp(a[i], "--", 2) == 0; i++) {
		const char *k = a[i], *v = i + 1 < n ? a[i + 1] : NULL;
		if (strcmp(k, "--quiet") == 0) {
			o->quiet = true;
			continue;
		}
		if (strcmp(k, "--require-coverage") == 0) {
			o->require_cov = true;
			continue;
		}
		if (strcmp(k, "--la57") == 0) {
			o->q.la57 = true;
			continue;
		}
		if (strcmp(k, "--bochs-e9") == 0 || strcmp(k, "--bochs-keep") == 0) {
			*(k[8] == 'e' ? &o->bx.e9 : &o->bx.keep) = true;
			continue;
		}
		if (!v)
			return usage();
		i++;
		if (strcmp(k, "--kernel") == 0)
			o->q.kernel = v;
		else if (strcmp(k, "--qemu") == 0)
			o->q.qemu = v;
		else if (strcmp(k, "--cpu") == 0)
			o->q.cpu = v;
		else if (strcmp(k, "--bios") == 0)
			o->q.bios = strcmp(v, "default") == 0 ? NULL : v;
		else if (strcmp(k, "--accel") == 0)
			o->q.accel = strcmp(v, "auto") == 0 ? (oq_kvm_usable() ? "kvm" : "tcg") : v;
		else if (strcmp(k, "--timeout") == 0)
			o->q.timeout = strtod(v, NULL);
		else if (strcmp(k, "--show") == 0)
			o->show = (unsigned)strtoul(v, NULL, 0);
		else if (strcmp(k, "--save") == 0)
			o->save = v;
		else if (strcmp(k, "--bochs") == 0)
			o->bx.bochs = v;
		else if (strcmp(k, "--bochs-cpu") == 0)
			o->bx.cpu = v;
		else if (strcmp(k, "--bochs-dir") == 0)
			o->bx.dir = v;
		else
			return usage();
	}
	*argc = n - i;
	*argv = a + i;
	return 0;
}

static int parse_gen(struct opts *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--print") == 0)
			o->print = true;
		else if (strcmp(argv[i], "--isolate") == 0)
			o->isolate = true;
		else if (strcmp(argv[i], "--quiet") == 0)
			o->quiet = true;
		else if (i + 1 < argc && strcmp(argv[i], "--cases") == 0)
			o->ncases = (uint32_t)strtoul(argv[++i], NULL, 0);
		else if (i + 1 < argc && strcmp(argv[i], "--seed") == 0)
			o->seed = strtoull(argv[++i], NULL, 0);
		else
			return usage();
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .q = { .qemu = "qemu-system-x86_64", .kernel = "build/kernel/xpt-kernel.bin",
	                         .cpu = DEFAULT_CPU, .accel = "tcg" },
	                  .show = 20, .ncases = 10000, .seed = 1 };
	o.q.bios = oq_default_bios();
	o.bx = (struct obx_opts){ .bochs = "bochs-bin", .cpu = DEFAULT_BOCHS_CPU, .dir = "kernel/bochs" };
	if (parse_opts(&o, &argc, &argv) != 0 || argc < 1)
		return usage();
	o.bx.kernel = o.q.kernel;
	o.bx.timeout = o.q.timeout;
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *cmd = argv[0];
	if (strcmp(cmd, "run") == 0) {
		int i = 1;
		while (i < argc && strcmp(argv[i], "--quiet") == 0)
			o.quiet = true, i++;
		return cmd_run(&o, argc - i, argv + i);
	}
	if (strcmp(cmd, "gen") == 0)
		return parse_gen(&o, argc, argv) ? 2 : cmd_gen(&o);
	if (strcmp(cmd, "demo") == 0)
		return cmd_demo(&o);
	if (strcmp(cmd, "vm") == 0)
		return ovm_run(&o.q, o.quiet);
	if (strcmp(cmd, "probe") == 0)
		return oprobe_run(&o.q, true) < 0;
	if (strcmp(cmd, "quirks") == 0)
		return oquirks_verify(&o.q);
	if (strcmp(cmd, "malformed") == 0)
		return omalformed_run(&o.q);
	if (strcmp(cmd, "exhaustive") == 0)
		return oexhaustive_run(&o.q, argc, argv);
	if (strcmp(cmd, "three") == 0)
		return cmd_three(&o, argc - 1, argv + 1);
	if (strcmp(cmd, "bochs-demo") == 0)
		return cmd_bochs_demo(&o);
	return usage();
}

/*
 * The second oracle: the same kernel under Bochs, booted by GRUB from an
 * ISO, and the three-way comparison ref / QEMU / Bochs.
 *
 * One Bochs run: kernel/bochs/mkiso.sh puts the kernel and the batch (as a
 * Multiboot module) into a GRUB ISO; bochs-bin boots it with
 * kernel/bochs/bochsrc and a debugger command file (-rc) written here:
 *
 *   c                                   run to the kernel's magic breakpoint
 *   writemem "DIR/mbox" WINDOW+MAILBOX N  the mailbox, through the window
 *   writemem "DIR/res" rdi M            the results; rdi = their window address
 *   c                                   the kernel writes "Shutdown" to 0x8900
 *
 * so the results come back as two files (Bochs has no shared memory
 * backend).  The exit code comes on port 0xE9 as "xpt-exit N".  With
 * --bochs-e9 the kernel also sends mailbox and results through port 0xE9
 * (about 1 us a byte: Bochs flushes stdout after each one) and that copy
 * is used, after a check that it equals the dump.
 *
 * The three-way comparison runs one batch under both emulators and judges
 * every access three ways: ref's xpt_walk against each emulator (exactly,
 * then through that emulator's quirk-table entries) and the two emulators
 * against each other.  Table addresses differ between the runs (GRUB and
 * QEMU put the module in different places, so the kernel's allocators
 * hand out other frames); the emulators are compared on what an access
 * did: outcome, vector, error code, CR2, the value, and which A/D bits of
 * which entries it changed.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "oracle.h"

#define MIB (UINT64_C(1) << 20)

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "xpt-oracle: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static uint8_t *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p;
	long len;
	*n = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc(len > 0 ? (size_t)len + 1 : 1);
	if (len > 0 && fread(p, 1, (size_t)len, f) == (size_t)len)
		*n = (size_t)len;
	fclose(f);
	return p;
}

/* Fork, exec argv with stdin from /dev/null, stdout/stderr to files and
 * `extra` added to the environment (built before the fork: the QEMU run
 * may be going on in another thread). */
static pid_t spawn(char *const argv[], const char *out, const char *err, char *const extra[])
{
	extern char **environ;
	size_t n = 0, k = 0;
	while (environ[n])
		n++;
	while (extra && extra[k])
		k++;
	char **envp = calloc(n + k + 1, sizeof(char *));
	memcpy(envp, extra, k * sizeof(char *));
	memcpy(envp + k, environ, n * sizeof(char *));
	pid_t pid = fork();
	if (pid != 0) {
		free(envp);
		return pid;
	}
	/* Bochs' rfb display listens on a TCP port: where we may (as root), give
	 * the child a network namespace of its own, with nothing reachable. */
	(void)unshare(CLONE_NEWNET);
	int in = open("/dev/null", O_RDONLY);
	int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(in, 0);
	dup2(o, 1);
	dup2(e, 2);
	execvpe(argv[0], argv, envp);
	fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static void rm_dir(const char *dir)
{
	static const char *const names[] = { "batch", "iso", "rc", "mbox", "res", "serial", "log",
	                                     "out", "err", "iso-err", "iso-out" };
	char p[512];
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* "xpt-exit N" on port 0xE9, and with --bochs-e9 the results after
 * "xpt-e9 LEN". */
static int parse_exit(const char *out, size_t n)
{
	const char *key = "\nxpt-exit ";
	for (size_t i = 0; i + strlen(key) < n; i++)
		if (memcmp(out + i, key, strlen(key)) == 0)
			return atoi(out + i + strlen(key));
	return -1;
}

static const uint8_t *find_e9(const uint8_t *out, size_t n, size_t *len)
{
	const char *key = "\nxpt-e9 ";
	size_t k = strlen(key);
	for (size_t i = 0; i + k < n; i++)
		if (memcmp(out + i, key, k) == 0) {
			char *end;
			unsigned long long l = strtoull((const char *)out + i + k, &end, 10);
			size_t at = (size_t)(end - (const char *)out) + 1;
			if (*end != '\n' || at + l > n)
				return NULL;
			*len = (size_t)l;
			return out + at;
		}
	return NULL;
}

/* The results of a run: the mailbox and the per-case results, from the
 * writemem files or the port 0xE9 stream. */
static void take_results(const struct ob *b, struct oq_run *r, const uint8_t *mbox, size_t mlen,
                         const uint8_t *res, size_t rlen)
{
	if (mlen < sizeof(r->hdr))
		return;
	memcpy(&r->hdr, mbox, sizeof(r->hdr));
	if (r->hdr.magic != XPT_CASE_RMAGIC)
		return;
	r->have_hdr = true;
	if (!b)
		return;
	r->res_len = oq_res_bytes_of(b, r->hdr.ncases_done);
	if (r->res_len > rlen)
		r->res_len = 0;
	free(r->res);
	r->res = malloc(r->res_len + 1);
	memcpy(r->res, res, r->res_len);
}

int obx_run(const struct obx_opts *o, const struct ob *b, struct oq_run *r)
{
	char dir[256], p[16][512], append[256], megs[64], rc[2048];
	char *env[8];
	int status = 0;
	double t0, cpu_s = 0, timeout;
	uint64_t res_bytes = b ? b->res_bytes : 0;
	uint8_t *mbox, *res, *out;
	size_t mlen, rlen, olen;

	*r = (struct oq_run){ .guest_code = -1, .e9_match = -1 };
	r->ram_bytes = b ? oq_ram_for(b) : 64 * MIB;
	snprintf(dir, sizeof(dir), "%s/xpt-bochs-XXXXXX", oq_tmp_dir());
	if (!mkdtemp(dir)) {
		fprintf(stderr, "xpt-oracle: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	enum { P_BATCH, P_ISO, P_RC, P_MBOX, P_RES, P_SERIAL, P_LOG, P_OUT, P_ERR, P_ISO_ERR, P_ISO_OUT,
	       P_MKISO, P_RCFILE };
	static const char *const names[] = { "batch", "iso", "rc", "mbox", "res", "serial", "log",
	                                     "out", "err", "iso-err", "iso-out" };
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		snprintf(p[i], sizeof(p[i]), "%s/%s", dir, names[i]);
	snprintf(p[P_MKISO], sizeof(p[P_MKISO]), "%s/mkiso.sh", o->dir);
	snprintf(p[P_RCFILE], sizeof(p[P_RCFILE]), "%s/bochsrc", o->dir);
	if (b && write_file(p[P_BATCH], b->buf, b->len))
		goto fail;

	/* The ISO. */
	snprintf(append, sizeof(append), "%s%s", o->append ? o->append : "batch", o->e9 ? " e9dump" : "");
	t0 = now();
	{
		char *argv[] = { "sh", p[P_MKISO], (char *)o->kernel, b ? p[P_BATCH] : "-", append, p[P_ISO], NULL };
		pid_t pid = spawn(argv, p[P_ISO_OUT], p[P_ISO_ERR], NULL);
		double c;
		if (pid < 0 || oq_wait(pid, 60, &status, &c) != OQ_EXITED || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			char *e = oq_slurp(p[P_ISO_ERR]);
			fprintf(stderr, "xpt-oracle: building the GRUB ISO failed (%s):\n%s", p[P_MKISO], e);
			free(e);
			goto fail;
		}
	}
	r->prep_s = now() - t0;

	/* The debugger's commands: run, save mailbox and results at the magic
	 * breakpoint, run to the shutdown. */
	{
		int n = snprintf(rc, sizeof(rc), "c\nwritemem \"%s\" %#" PRIx64 " %zu\n", p[P_MBOX],
		                 (uint64_t)XPT_CASE_WINDOW_VA + XPT_CASE_MAILBOX_PA, sizeof(struct xpt_case_results));
		if (res_bytes)
			n += snprintf(rc + n, sizeof(rc) - (size_t)n, "writemem \"%s\" rdi %" PRIu64 "\n", p[P_RES],
			              res_bytes);
		snprintf(rc + n, sizeof(rc) - (size_t)n, "c\n");
		if (write_file(p[P_RC], rc, strlen(rc)))
			goto fail;
	}

	/* Bochs. */
	{
		char e_iso[600], e_megs[80], e_cpu[200], e_ser[600], e_log[600];
		snprintf(megs, sizeof(megs), "%" PRIu64, r->ram_bytes / MIB);
		snprintf(e_iso, sizeof(e_iso), "XPT_ISO=%s", p[P_ISO]);
		snprintf(e_megs, sizeof(e_megs), "XPT_MEGS=%s", megs);
		snprintf(e_cpu, sizeof(e_cpu), "XPT_CPU=%s", o->cpu);
		snprintf(e_ser, sizeof(e_ser), "XPT_SERIAL=%s", p[P_SERIAL]);
		snprintf(e_log, sizeof(e_log), "XPT_LOG=%s", p[P_LOG]);
		env[0] = e_iso, env[1] = e_megs, env[2] = e_cpu, env[3] = e_ser, env[4] = e_log, env[5] = NULL;
		char *argv[] = { (char *)o->bochs, "-q", "-f", p[P_RCFILE], "-rc", p[P_RC], NULL };
		timeout = o->timeout > 0 ? o->timeout : 60.0 + (b ? b->ncases * 2e-3 : 0);
		t0 = now();
		pid_t pid = spawn(argv, p[P_OUT], p[P_ERR], env);
		r->end = pid < 0 ? OQ_NO_START : oq_wait(pid, timeout, &status, &cpu_s);
		r->wall_s = now() - t0;
		r->cpu_s = cpu_s;
		r->qemu_status = status;
		if (r->end == OQ_EXITED && WIFEXITED(status) && WEXITSTATUS(status) == 127)
			r->end = OQ_NO_START;
	}

	/* What came back. */
	out = read_file(p[P_OUT], &olen);
	mbox = read_file(p[P_MBOX], &mlen);
	res = read_file(p[P_RES], &rlen);
	if (out) {
		out[olen] = 0;
		r->guest_code = parse_exit((const char *)out, olen);
	}
	if (r->end == OQ_EXITED && r->guest_code < 0)
		r->end = OQ_CRASHED;
	take_results(b, r, mbox, mlen, res, rlen);
	if (o->e9 && out) {
		size_t elen;
		const uint8_t *e9 = find_e9(out, olen, &elen);
		const size_t h = sizeof(struct xpt_case_results);
		r->e9_match = e9 && elen >= h && mlen >= h && memcmp(e9, mbox, h) == 0 &&
		              rlen >= elen - h && memcmp(e9 + h, res, elen - h) == 0;
		if (e9)
			take_results(b, r, e9, elen >= h ? h : 0, e9 + h, elen >= h ? elen - h : 0);
	}
	free(out), free(mbox), free(res);
	/* r->tsc_hz: Bochs's TSC counts instructions; ips in bochsrc makes 4e6 of them a second. */
	r->tsc_hz = 4e6;
	r->serial = oq_slurp(p[P_SERIAL]);
	{
		char *err = oq_slurp(p[P_ERR]), *log = oq_slurp(p[P_LOG]);
		size_t n = strlen(err) + strlen(log) + 64;
		r->qemu_err = malloc(n);
		snprintf(r->qemu_err, n, "%s%s%s", err, log[0] ? "Bochs log:\n" : "", log);
		free(err), free(log);
	}
	if (o->keep)
		fprintf(stderr, "xpt-oracle: Bochs run files kept in %s\n", dir);
	else
		rm_dir(dir);
	return 0;
fail:
	rm_dir(dir);
	return -1;
}

bool obx_available(const struct obx_opts *o, FILE *why)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1 && command -v grub-mkrescue >/dev/null 2>&1 "
	                           "&& command -v xorriso >/dev/null 2>&1 && command -v mformat >/dev/null 2>&1 "
	                           "&& [ -r /usr/lib/grub/i386-pc/multiboot.mod ]",
	         o->bochs);
	if (system(cmd) == 0)
		return true;
	if (why)
		fprintf(why, "Bochs or the ISO tools are missing (bochs, bochsbios, vgabios, grub-pc-bin, xorriso, "
		             "mtools: ci/deps.sh bochs)\n");
	return false;
}

uint32_t obx_sanitize(struct ob *b)
{
	uint8_t *p = b->buf + sizeof(struct xpt_case_batch);
	uint32_t changed = 0;
	for (uint32_t i = 0; i < b->ncases; i++) {
		struct xpt_case *c = (struct xpt_case *)p;
		if ((c->ctl & XPT_CTL_PKE) && (c->pkru & 2u)) {
			c->pkru &= ~2u;
			changed++;
		}
		p += xpt_case_bytes(c->nops, c->naccs);
	}
	return changed;
}

/* ------------------------------------------------------------ three-way */

enum { O3_ALL, O3_REF_QEMU, O3_REF_BOCHS, O3_EMUS, O3_NONE, O3_N };
static const char *const o3_names[O3_N] = {
	"all three agree", "ref+QEMU vs Bochs", "ref+Bochs vs QEMU", "QEMU+Bochs vs ref", "all differ",
};

struct o3 {
	uint64_t n[O3_N], explained[O3_N], accesses, skipped;
	unsigned quse[O3_N][32];   /* quirk uses by class */
	/* Each emulator's quirks judged by the other emulator: on the accesses
	 * where emulator A needed quirk i, did B side with ref (exactly, or
	 * once B's own quirk entries are applied) or with A? */
	uint64_t x_ref[32], x_ref_q[32], x_emu[32], x_other[32];
	uint64_t x_codes_self[32], x_codes_other[32]; /* #PF error codes seen, bit per code */
	unsigned shown[O3_N];
};

/* Whether the two emulators did the same thing on one access. */
static bool same_obs(const struct xpt_case_acc_res *a, const struct xpt_case_acc_res *b, uint32_t access)
{
	if (a->outcome != b->outcome || a->vector != b->vector || a->error_code != b->error_code ||
	    a->cr2 != b->cr2 || a->nwalk != b->nwalk || a->flags != b->flags)
		return false;
	if (a->outcome == XPT_CASE_DONE &&
	    ((access & XPT_ACC_FETCH) || xpt_case_is_pattern(a->value) || xpt_case_is_pattern(b->value)) &&
	    a->value != b->value)
		return false;
	for (unsigned i = 0; i < a->nwalk && i < 5; i++)
		if ((a->before[i] ^ a->after[i]) != (b->before[i] ^ b->after[i]))
			return false;
	return true;
}

static const char *verdict_name(enum overdict v)
{
	static const char *const n[] = { "agrees with ref", "explained by its quirk entries", "UNEXPLAINED",
	                                 "not comparable" };
	return n[v];
}

static void show3(FILE *f, unsigned cls, const struct oit *iq, const struct oit *ib, unsigned k,
                  const struct onames *names, enum overdict vq, enum overdict vb, const struct oexp *eq,
                  const char *wq, const char *wb)
{
	fprintf(f, "  [%s] ", o3_names[cls]);
	oprint_case(f, iq, names);
	fprintf(f, "   QEMU  (%s%s%s):\n", verdict_name(vq), wq[0] ? ": " : "", wq);
	oprint_access(f, &iq->accs[k], &iq->ar[k], iq->levels);
	fprintf(f, "   Bochs (%s%s%s):\n", verdict_name(vb), wb[0] ? ": " : "", wb);
	oprint_access(f, &ib->accs[k], &ib->ar[k], ib->levels);
	fprintf(f, "   ref: outcome %u, error code %#x, pa %#" PRIx64 "\n", eq->outcome, eq->error_code, eq->pa);
}

static void o3_compare(struct o3 *t, const struct ob *b, const struct oq_run *rq, const struct oq_run *rb,
                       const struct onames *names, unsigned show, FILE *f)
{
	struct ocmp cq, cb;
	struct oit iq, ib;
	ocmp_init(&cq, rq->hdr.window_nframes, OQ_EMU_TCG);
	ocmp_init(&cb, rb->hdr.window_nframes, OQ_EMU_BOCHS);
	oit_init(&iq, b, rq->res, rq->res_len);
	oit_init(&ib, b, rb->res, rb->res_len);
	while (oit_next(&iq) && oit_next(&ib)) {
		for (unsigned k = 0; k < iq.c->naccs; k++) {
			struct oexp eq, eb;
			unsigned mq, mb, cls;
			char wq[200], wb[200];
			enum overdict vq = ocmp_access(&cq, &iq, k, &rq->hdr, &eq, &mq, wq, sizeof(wq));
			enum overdict vb = ocmp_access(&cb, &ib, k, &rb->hdr, &eb, &mb, wb, sizeof(wb));
			bool rQ = vq == OV_AGREE, rB = vb == OV_AGREE;
			bool QB = same_obs(&iq.ar[k], &ib.ar[k], iq.accs[k].access);
			bool explained;
			t->accesses++;
			if (vq == OV_SKIPPED || vb == OV_SKIPPED) {
				t->skipped++;
				continue;
			}
			cls = rQ && rB ? O3_ALL : rQ ? O3_REF_QEMU : rB ? O3_REF_BOCHS : QB ? O3_EMUS : O3_NONE;
			explained = cls == O3_ALL || (cls == O3_REF_QEMU && vb == OV_QUIRK) ||
			            (cls == O3_REF_BOCHS && vq == OV_QUIRK) ||
			            (cls >= O3_EMUS && vq == OV_QUIRK && vb == OV_QUIRK);
			t->n[cls]++;
			t->explained[cls] += explained;
			for (unsigned i = 0; i < noquirks && i < 32; i++) {
				bool used_q = vq == OV_QUIRK && ((mq >> i) & 1u), used_b = vb == OV_QUIRK && ((mb >> i) & 1u);
				const struct xpt_case_acc_res *self, *other;
				enum overdict other_v;
				if (!used_q && !used_b)
					continue;
				t->quse[cls][i]++;
				self = used_q ? &iq.ar[k] : &ib.ar[k];
				other = used_q ? &ib.ar[k] : &iq.ar[k];
				other_v = used_q ? vb : vq;
				if (other_v == OV_AGREE)
					t->x_ref[i]++;
				else if (QB)
					t->x_emu[i]++;
				else if (other_v == OV_QUIRK)
					t->x_ref_q[i]++;
				else
					t->x_other[i]++;
				if (self->outcome == XPT_CASE_PF)
					t->x_codes_self[i] |= UINT64_C(1) << (self->error_code & 63u);
				if (other->outcome == XPT_CASE_PF)
					t->x_codes_other[i] |= UINT64_C(1) << (other->error_code & 63u);
			}
			if (!explained && t->shown[cls]++ < show && f)
				show3(f, cls, &iq, &ib, k, names, vq, vb, &eq, wq, wb);
		}
	}
	ocmp_free(&cq);
	ocmp_free(&cb);
}

static void print_codes(FILE *f, uint64_t m)
{
	bool any = false;
	for (unsigned e = 0; e < 64; e++)
		if ((m >> e) & 1u) {
			fprintf(f, "%s%#x", any ? " " : "", e);
			any = true;
		}
	if (!any)
		fprintf(f, "-");
}

static int quirk_index(const char *id)
{
	for (unsigned i = 0; i < noquirks; i++)
		if (strcmp(oquirks[i].id, id) == 0)
			return (int)i;
	return -1;
}

static const char *emu_name(unsigned emu)
{
	return emu == OQ_EMU_BOCHS ? "Bochs" : "QEMU";
}

/* Returns the number of unexplained accesses. */
static uint64_t o3_report(const struct o3 *t, FILE *f)
{
	uint64_t bad = 0;
	unsigned uses_q[32] = { 0 }, uses_b[32] = { 0 };
	int rsvd = quirk_index("tcg-rsvd-fault-without-p");

	fprintf(f, "three-way comparison: %" PRIu64 " accesses, %" PRIu64 " not comparable "
	           "(not run by the kernel, or a control bit a CPU lacks)\n",
	        t->accesses, t->skipped);
	fprintf(f, "  %-20s %10s %10s %12s\n", "class", "accesses", "explained", "UNEXPLAINED");
	for (unsigned c = 0; c < O3_N; c++) {
		fprintf(f, "  %-20s %10" PRIu64 " %10" PRIu64 " %12" PRIu64 "\n", o3_names[c], t->n[c],
		        t->explained[c], t->n[c] - t->explained[c]);
		bad += t->n[c] - t->explained[c];
	}
	fprintf(f, "  explained = the emulator(s) apart from ref match ref once their own quirk-table entries "
	           "are applied\n");
	fprintf(f, "  quirk entries used, by class:\n");
	for (unsigned i = 0; i < noquirks && i < 32; i++) {
		unsigned sum = 0;
		for (unsigned c = 0; c < O3_N; c++)
			sum += t->quse[c][i];
		if (!sum)
			continue;
		fprintf(f, "    %-28s (%s)", oquirks[i].id, emu_name(oquirks[i].emu));
		for (unsigned c = 0; c < O3_N; c++)
			if (t->quse[c][i])
				fprintf(f, "  %s: %u", o3_names[c], t->quse[c][i]);
		fprintf(f, "\n");
		if (oquirks[i].emu & OQ_EMU_TCG)
			uses_q[i] = sum;
		else
			uses_b[i] = sum;
	}
	fprintf(f, "  each emulator's quirks judged by the other one (on the accesses that needed the quirk):\n");
	for (unsigned i = 0; i < noquirks && i < 32; i++) {
		uint64_t n = t->x_ref[i] + t->x_ref_q[i] + t->x_emu[i] + t->x_other[i];
		const char *v;
		if (!oquirks[i].adjust)
			continue;
		v = n == 0 ? "not exercised by this batch"
		    : t->x_emu[i] == 0 && t->x_other[i] == 0 ? "CONFIRMED: the other emulator follows the SDM (= ref)"
		    : t->x_ref[i] + t->x_ref_q[i] == 0 && t->x_other[i] == 0 ? "SHARED: the other emulator does the same"
		                                                             : "MIXED";
		fprintf(f, "    %-28s %s: %" PRIu64 " accesses; %s with ref %" PRIu64 " (%" PRIu64
		           " more once its own quirks apply), with %s %" PRIu64 ", neither %" PRIu64 " -- %s\n",
		        oquirks[i].id, emu_name(oquirks[i].emu), n,
		        emu_name(oquirks[i].emu == OQ_EMU_TCG ? OQ_EMU_BOCHS : OQ_EMU_TCG), t->x_ref[i], t->x_ref_q[i],
		        emu_name(oquirks[i].emu), t->x_emu[i], t->x_other[i], v);
		if (n) {
			fprintf(f, "      #PF error codes: %s ", emu_name(oquirks[i].emu));
			print_codes(f, t->x_codes_self[i]);
			fprintf(f, "; %s ", emu_name(oquirks[i].emu == OQ_EMU_TCG ? OQ_EMU_BOCHS : OQ_EMU_TCG));
			print_codes(f, t->x_codes_other[i]);
			fprintf(f, "\n");
		}
	}
	if (rsvd >= 0) {
		uint64_t n = t->x_ref[rsvd] + t->x_ref_q[rsvd] + t->x_emu[rsvd] + t->x_other[rsvd];
		fprintf(f, "  QEMU quirk \"a reserved-bit fault reports RSVD without P\": ");
		if (n == 0)
			fprintf(f, "not exercised by this batch\n");
		else if (t->x_ref[rsvd] + t->x_ref_q[rsvd] == n)
			fprintf(f, "CONFIRMED by Bochs -- on all %" PRIu64 " reserved-bit faults where QEMU cleared P, "
			           "Bochs set P and RSVD as the SDM says (3A 4.7: RSVD is reported only for a present entry)\n",
			        n);
		else if (t->x_emu[rsvd] == n)
			fprintf(f, "REFUTED by Bochs -- Bochs reports RSVD without P as well, on all %" PRIu64 " faults\n", n);
		else
			fprintf(f, "UNSETTLED -- Bochs with ref on %" PRIu64 ", with QEMU on %" PRIu64 ", neither on %" PRIu64 "\n",
			        t->x_ref[rsvd] + t->x_ref_q[rsvd], t->x_emu[rsvd], t->x_other[rsvd]);
	}
	oquirks_print(f, uses_q, OQ_EMU_TCG);
	oquirks_print(f, uses_b, OQ_EMU_BOCHS);
	return bad;
}

static void o3_uses(const struct o3 *t, unsigned *uses)
{
	for (unsigned i = 0; i < noquirks && i < 32; i++)
		for (unsigned c = 0; c < O3_N; c++)
			uses[i] += t->quse[c][i];
}

static const char *end_name(enum oq_end e)
{
	static const char *const n[] = { "exited", "TIMED OUT (killed)", "crashed", "did not start" };
	return n[e];
}

static bool run_whole(const char *who, const struct ob *b, const struct oq_run *r, FILE *f)
{
	if (r->end == OQ_EXITED && r->guest_code == XPT_CASE_EXIT_OK && r->have_hdr &&
	    r->hdr.status == XPT_CASE_S_OK && r->hdr.ncases_done == b->ncases)
		return true;
	fprintf(f, "%s run failed: %s after %.2f s, guest exit code %d", who, end_name(r->end), r->wall_s,
	        r->guest_code);
	if (r->have_hdr)
		fprintf(f, ", status %s: %.96s (%u of %u cases done)", oq_status_name(r->hdr.status), r->hdr.msg,
		        r->hdr.ncases_done, b->ncases);
	else
		fprintf(f, ", no results header");
	fprintf(f, "\n");
	if (r->qemu_err && r->qemu_err[0])
		fprintf(f, "%s said: %.4000s\n", who, r->qemu_err);
	if (r->serial && r->serial[0])
		fprintf(f, "guest serial: %.4000s\n", r->serial);
	return false;
}

struct qjob {
	const struct oq_opts *q;
	const struct ob *b;
	struct oq_run r;
	int rc;
};

static void *qemu_thread(void *p)
{
	struct qjob *j = p;
	j->rc = oq_run(j->q, j->b, &j->r);
	return NULL;
}

int o3_run(const struct oq_opts *q, const struct obx_opts *x, const struct o3_opts *o, struct ob *b,
           const struct onames *names)
{
	struct qjob job = { .q = q, .b = b };
	struct oq_run rb, empty;
	struct o3 t = { 0 };
	pthread_t th;
	uint32_t changed = obx_sanitize(b);
	double t0, both_s, cmp_s;
	int rc = 0, rcb;
	bool whole;

	printf("%s: %u cases (%zu bytes); PKRU.WD of key 0 cleared in %u cases with CR4.PKE "
	       "(under Bochs 2.7 it forbids the kernel's own writes)\n",
	       o->title, b->ncases, b->len, changed);
	t0 = now();
	if (pthread_create(&th, NULL, qemu_thread, &job) != 0) {
		perror("xpt-oracle: thread");
		return 1;
	}
	rcb = obx_run(x, b, &rb);
	pthread_join(th, NULL);
	both_s = now() - t0;
	if (job.rc != 0 || rcb != 0)
		return 1;
	whole = run_whole("QEMU", b, &job.r, stdout);
	whole &= run_whole("Bochs", b, &rb, stdout);
	if (job.r.have_hdr && rb.have_hdr && !o->quiet) {
		printf("QEMU  ");
		oprint_header(stdout, &job.r);
		printf("Bochs ");
		oprint_header(stdout, &rb);
	}
	if (job.r.have_hdr && rb.have_hdr &&
	    (job.r.hdr.maxphyaddr != rb.hdr.maxphyaddr ||
	     ((job.r.hdr.cpu_features ^ rb.hdr.cpu_features) & (XPT_CASE_CPU_NX | XPT_CASE_CPU_SMEP | XPT_CASE_CPU_SMAP |
	                                                         XPT_CASE_CPU_PKU | XPT_CASE_CPU_PDPE1GB)))) {
		printf("the two CPUs differ in MAXPHYADDR or paging features: ref's expectations would differ\n");
		whole = false;
	}
	t0 = now();
	if (job.r.have_hdr && rb.have_hdr)
		o3_compare(&t, b, &job.r, &rb, names, o->show, stdout);
	cmp_s = now() - t0;
	if (o3_report(&t, stdout))
		rc = 1;
	if (o->uses)
		o3_uses(&t, o->uses);
	if (!whole)
		rc = 1;
	if (rb.e9_match == 0) {
		printf("the port 0xE9 copy of the results differs from the memory dump\n");
		rc = 1;
	}

	/* Time. */
	printf("time: both emulators side by side %.2f s wall, comparison %.2f s\n", both_s, cmp_s);
	printf("  QEMU  (TCG, -cpu %s): %.2f s wall, %.2f s CPU\n", q->cpu, job.r.wall_s, job.r.cpu_s);
	printf("  Bochs (%s, GRUB ISO built in %.2f s): %.2f s wall, %.2f s CPU; results through %s\n", x->cpu,
	       rb.prep_s, rb.wall_s, rb.cpu_s, x->e9 ? "port 0xE9" : "the debugger's writemem");
	if (rb.have_hdr && rb.hdr.tsc_end > rb.hdr.tsc_start && b->ncases)
		printf("  Bochs guest instructions: %" PRIu64 " up to the kernel (BIOS, GRUB), %" PRIu64
		       " for the cases (%.0f a case)\n",
		       rb.hdr.tsc_entry, rb.hdr.tsc_end - rb.hdr.tsc_start,
		       (double)(rb.hdr.tsc_end - rb.hdr.tsc_start) / b->ncases);
	if (b->ncases >= 1000) {
		struct ob e;
		ob_init(&e, XPT_CASE_MODE_RUN, 0);
		ob_finish(&e);
		if (obx_run(x, &e, &empty) == 0 && empty.end == OQ_EXITED) {
			double cases_s = rb.wall_s - empty.wall_s;
			printf("  Bochs run of an empty batch (boot, exit): %.2f s wall, %.2f s CPU; so the %u cases "
			       "took about %.2f s wall = %.0f cases/s\n",
			       empty.wall_s, empty.cpu_s, b->ncases, cases_s, cases_s > 0 ? b->ncases / cases_s : 0);
		}
		oq_free(&empty);
		ob_free(&e);
	}
	printf("%s\n", rc ? "FAIL" : "PASS");
	oq_free(&job.r);
	oq_free(&rb);
	return rc;
}

/* ------------------------------------------------------- experiments */

/* The TLB probes under both emulators: the TLB entries of the quirk table
 * judged by Bochs.  Returns the runs that failed. */
static int o3_probes(const struct oq_opts *q, const struct obx_opts *x)
{
	static const char *const names[] = { "", "stale PTE until invlpg", "global page across CR3 load",
	                                     "PCID no-flush CR3 load" };
	static const char *const outcome[] = { "flushed", "old translation kept", "not supported" };
	struct ob b;
	struct oq_run rq, rb;
	int out[2][4] = { { 0 } }, fails = 0;
	ob_init(&b, XPT_CASE_MODE_PROBE, 0);
	ob_finish(&b);
	if (oq_run(q, &b, &rq) != 0 || obx_run(x, &b, &rb) != 0) {
		ob_free(&b);
		return 1;
	}
	if (!rq.have_hdr || !rb.have_hdr || rq.hdr.status != XPT_CASE_S_OK || rb.hdr.status != XPT_CASE_S_OK) {
		printf("TLB probe run failed (QEMU %s, Bochs %s)\n", rq.have_hdr ? "ran" : "no results",
		       rb.have_hdr ? "ran" : "no results");
		fails = 1;
	} else {
		printf("TLB probes (SDM 3A 4.10):        %-22s %-22s\n", "QEMU", "Bochs");
		for (unsigned i = 0; i < XPT_CASE_NPROBES; i++)
			for (unsigned e = 0; e < 2; e++) {
				const struct xpt_case_probe *p = e ? &rb.hdr.probe[i] : &rq.hdr.probe[i];
				if (p->id >= 1 && p->id <= 3)
					out[e][p->id] = (int)(p->outcome & 3);
			}
		for (unsigned id = 1; id <= 3; id++)
			printf("  %-30s %-22s %-22s\n", names[id], outcome[out[0][id] % 3], outcome[out[1][id] % 3]);
		printf("  tcg-global-flushed-by-cr3: %s\n",
		       out[0][2] == 0 && out[1][2] == 1 ? "CONFIRMED by Bochs -- it keeps the global translation "
		                                          "across the CR3 load, as the SDM allows (4.10.4.1)"
		       : out[1][2] == 0 ? "Bochs flushes global translations on a CR3 load too"
		                        : "not settled (a probe did not run)");
		printf("  tcg-no-pcid: %s\n",
		       out[0][3] != 2 ? "QEMU has PCID here: the entry does not apply"
		       : out[1][3] == 1 ? "CONFIRMED as QEMU's: Bochs has PCID and keeps the translation across a "
		                          "no-flush CR3 load"
		       : out[1][3] == 0 ? "CONFIRMED as QEMU's: Bochs has PCID (its no-flush CR3 load still flushes, "
		                          "which the SDM permits: 4.10.4.1)"
		                        : "Bochs lacks PCID too");
	}
	oq_free(&rq);
	oq_free(&rb);
	ob_free(&b);
	return fails;
}

static void op(struct ob *b, uint8_t kind, uint8_t level, uint64_t va, uint64_t a, uint32_t attr)
{
	struct xpt_case_op o = { .kind = kind, .level = level, .va = va, .a = a, .attr = attr };
	ob_op(b, &o);
}

/*
 * The quirk table's experiments (reserved bits, A bits on faulting walks,
 * locked RMW, 1 GiB leaves) and protection keys on supervisor pages and
 * from supervisor accesses, where Bochs 2.7 departs from the SDM.
 */
int o3_quirks(const struct oq_opts *q, const struct obx_opts *x, const struct o3_opts *o)
{
	struct ob b;
	struct o3_opts t = *o;
	unsigned uses[32] = { 0 };
	uint64_t va = 0x10000000000;
	uint32_t pkru = 1u << (2 * 5 + 1) | 1u << (2 * 6); /* WD for key 5, AD for key 6 */
	int rc, fails = 0;

	oquirks_experiments(&b, 4);
	/* supervisor page, key 5 (WD): a supervisor write (SDM: allowed) */
	ob_case(&b, 100, XPT_CTL_WP | XPT_CTL_NXE | XPT_CTL_PKE, pkru);
	op(&b, XPT_OP_MAP, XPT_4K, va, XPT_CASE_POOL_PA, XPT_WRITE | XPT_PKEY(5));
	op(&b, XPT_OP_MAP, XPT_4K, va + 0x1000, XPT_CASE_POOL_PA + 0x1000, XPT_WRITE | XPT_PKEY(6));
	op(&b, XPT_OP_MAP, XPT_4K, va + 0x2000, XPT_CASE_POOL_PA + 0x2000, XPT_WRITE | XPT_USER | XPT_PKEY(6));
	op(&b, XPT_OP_MAP, XPT_4K, va + 0x3000, XPT_CASE_POOL_PA + 0x3000, XPT_WRITE | XPT_USER | XPT_PKEY(5));
	ob_acc(&b, va, XPT_ACC_WRITE, 0);
	/* supervisor page, key 6 (AD): a user read (SDM: U/S fault, PK clear) */
	ob_acc(&b, va + 0x1000, XPT_ACC_USER, 0);
	/* user page, key 6 (AD), SMAP off: a supervisor read (SDM: PK fault) */
	ob_acc(&b, va + 0x2000, XPT_ACC_READ, 0);
	/* user page, key 5 (WD): a user write (SDM and Bochs: PK fault) */
	ob_acc(&b, va + 0x3000, XPT_ACC_WRITE | XPT_ACC_USER, 0);
	ob_acc(&b, va + 0x3000, XPT_ACC_USER, 0);
	ob_finish(&b);
	t.uses = uses;
	rc = o3_run(q, x, &t, &b, NULL);
	printf("Bochs entries of the quirk table, verified by experiment:\n");
	for (unsigned i = 0; i < noquirks && i < 32; i++) {
		if (!(oquirks[i].emu & OQ_EMU_BOCHS))
			continue;
		printf("  %-30s %s  (%u accesses needed it)\n", oquirks[i].id, uses[i] ? "CONFIRMED" : "NOT REPRODUCED",
		       uses[i]);
		fails += !uses[i];
	}
	ob_free(&b);
	fails += o3_probes(q, x);
	return rc || fails;
}

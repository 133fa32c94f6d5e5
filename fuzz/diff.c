/*
 * Fuzz target `diff`: inputs become oracle cases, run in batches in the
 * oracle kernel under QEMU, and every access is compared with ref's
 * prediction (fault or not, error code, CR2, the physical address read,
 * A/D bits of every entry on the walk) through the quirk table -- the
 * host side of the oracle (fuzz/oracle/) does the running and judging.
 *
 * Each input is decoded into one case with the oracle's batch builder and
 * kept; every DIFF_BATCH inputs (default 2000), and once more at exit,
 * the batch runs in one QEMU boot.  An unexplained disagreement, or a
 * guest run that fails, prints the case, its result and the input (hex)
 * that made it, writes the input to DIFF_ARTIFACT_DIR (default ".") as
 * diff-disagreement-<n>, and aborts.  The input that aborts is the one that
 * completed the batch, not the culprit: keep the file that is written.
 *
 * Environment: XPT_KERNEL (default build/kernel/xpt-kernel.bin), XPT_QEMU,
 * XPT_CPU, DIFF_BATCH, DIFF_ARTIFACT_DIR, DIFF_VERBOSE (a line per batch),
 * DIFF_PRINT (every case with its results).
 *
 * Input format (bytes; a short input reads zeros past its end):
 *
 *   ctl      1  bits 0..5: CR0.WP CR4.SMEP CR4.SMAP CR4.PKE EFER.NXE RFLAGS.AC
 *   pkru     4  little-endian, loaded when PKE
 *   items       until the input ends, each a tag byte t then its fields;
 *               at most 16 ops and 16 accesses, the rest is ignored:
 *     t&7 = 0  map      size(1: %3) page(2) frame(2) attr(2)
 *           1  unmap    page(2) opts(1)
 *           2  protect  page(2) attr(2)
 *           3  range    which(1: %3 map/unmap/protect) page(2) npages(1: %32+1)
 *                       frame(2) attr(2) opts(1)
 *           4  raw mod  level(1: %4) page(2) bit(1: %64; 0x40 set, else clear)
 *           5  raw PTE  page(2) frame(2) flags(2: bits 0..11, PAT excluded)
 *                       high(1: bit 0 NX, bits 1..4 key)
 *         6,7  access   page(2) where(2); kind = t>>3: bit 0 write, 1 user,
 *                       2 fetch (not with write), 3 locked RMW (writes), 4 non-canonical
 *
 * A page number p names an address in the case's own PML4 slot: bits 0..1
 * the 1 GiB index, 2..4 the 2 MiB index, 5..8 the 4 KiB index (maps align
 * it down to their size).  Leaves made by ref point into the data pool
 * (4 KiB: pool frame `frame` % 512; 2 MiB: the pool; 1 GiB: physical 0,
 * which holds the pool).  An access lands at page + (where & 511) * 8 +
 * ((where >> 9) & 7) pages, + the pool's base when bit 12 is set (so a
 * 1 GiB leaf's accesses can reach the pool).  Ref ops after a raw write
 * are dropped (the kernel runs raw writes last).  Attributes keep W U NX G,
 * the cache index and the key.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"
#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DIFF_MAX_OPS  16u
#define DIFF_MAX_ACCS 16u
#define POOL_FRAMES   (XPT_CASE_POOL_SIZE / XPT_PAGE_SIZE)
#define DIFF_CPU      "qemu64,+smep,+smap,+pku,+pdpe1gb,+nx,phys-bits=40"
#define ATTR_KEEP     (XPT_WRITE | XPT_USER | XPT_NOEXEC | XPT_GLOBAL | XPT_CACHE_MASK | XPT_PKEY_MASK)

static uint64_t page_va(unsigned slot, uint16_t p)
{
	return (uint64_t)slot << 39 | (uint64_t)(p & 3u) << 30 | (uint64_t)((p >> 2) & 7u) << 21 |
	       (uint64_t)((p >> 5) & 15u) << 12;
}

/* Decode one input into case `id` of b, in PML4 slot `slot`. */
static void decode(struct ob *b, uint32_t id, unsigned slot, const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	uint32_t ctl = u8(&in) & 0x3fu, pkru = u32(&in);
	struct xpt_case_op ops[DIFF_MAX_OPS];
	struct xpt_case_acc accs[DIFF_MAX_ACCS];
	unsigned nops = 0, naccs = 0;
	bool raw = false;

	while (in.n && (nops < DIFF_MAX_OPS || naccs < DIFF_MAX_ACCS)) {
		uint8_t t = u8(&in);
		struct xpt_case_op op = { 0 };
		switch (t & 7u) {
		case 0: {
			unsigned size = u8(&in) % 3u;
			uint64_t va = page_va(slot, u16(&in)) & ~(xpt_size_bytes((enum xpt_size)size) - 1u);
			uint16_t frame = u16(&in);
			op = (struct xpt_case_op){ .kind = XPT_OP_MAP, .level = (uint8_t)size, .va = va,
			                           .attr = u16(&in) & ATTR_KEEP };
			op.a = size == XPT_4K ? XPT_CASE_POOL_PA + (frame % POOL_FRAMES) * XPT_PAGE_SIZE
			       : size == XPT_2M ? XPT_CASE_POOL_PA : 0;
			break;
		}
		case 1:
			op = (struct xpt_case_op){ .kind = XPT_OP_UNMAP, .va = page_va(slot, u16(&in)) };
			op.flags = u8(&in) & XPT_OPT_MASK;
			break;
		case 2:
			op = (struct xpt_case_op){ .kind = XPT_OP_PROTECT, .va = page_va(slot, u16(&in)) };
			op.attr = u16(&in) & ATTR_KEEP;
			break;
		case 3: {
			unsigned which = u8(&in) % 3u;
			uint64_t va = page_va(slot, u16(&in)), len = (u8(&in) % 32u + 1u) * XPT_PAGE_SIZE;
			uint16_t frame = u16(&in);
			op = (struct xpt_case_op){ .kind = (uint8_t)(XPT_OP_MAP_RANGE + which), .va = va, .b = len,
			                           .a = XPT_CASE_POOL_PA + (frame % (POOL_FRAMES - 32u)) * XPT_PAGE_SIZE };
			op.attr = u16(&in) & ATTR_KEEP;
			op.flags = u8(&in) & XPT_OPT_MASK;
			break;
		}
		case 4: {
			uint8_t level = u8(&in) % 4u, bit;
			op = (struct xpt_case_op){ .kind = XPT_OP_RAW_MOD, .level = level, .va = page_va(slot, u16(&in)) };
			bit = u8(&in);
			if (bit & 0x40u)
				op.a = UINT64_C(1) << (bit & 63u);
			else
				op.b = UINT64_C(1) << (bit & 63u);
			break;
		}
		case 5: {
			uint64_t va = page_va(slot, u16(&in));
			uint64_t frame = u16(&in) % POOL_FRAMES, flags = u16(&in) & 0xfffu & ~XPT_PTE_PAT_4K;
			uint8_t hi = u8(&in);
			op = (struct xpt_case_op){ .kind = XPT_OP_RAW_SET, .level = 3, .va = va, .flags = XPT_OPF_POOLREL };
			op.a = frame * XPT_PAGE_SIZE | flags | ((hi & 1u) ? XPT_PTE_NX : 0) |
			       (uint64_t)((hi >> 1) & 15u) << XPT_PTE_PK_SHIFT;
			break;
		}
		default: {
			unsigned kind = t >> 3;
			uint64_t va = page_va(slot, u16(&in));
			uint16_t where = u16(&in);
			uint32_t access = 0;
			va += (uint64_t)(where & 511u) * 8u + (uint64_t)((where >> 9) & 7u) * XPT_PAGE_SIZE +
			      ((where >> 12) & 1u ? XPT_CASE_POOL_PA : 0);
			if (kind & 16u)
				va |= UINT64_C(1) << 47; /* non-canonical: bits 63..48 stay clear */
			if (kind & 4u)
				access = XPT_ACC_FETCH;
			else if (kind & 1u)
				access = XPT_ACC_WRITE;
			if (kind & 2u)
				access |= XPT_ACC_USER;
			if (naccs < DIFF_MAX_ACCS)
				accs[naccs++] = (struct xpt_case_acc){ .va = va, .access = access,
				                                       .flags = (kind & 8u) && (access & XPT_ACC_WRITE)
				                                                  ? XPT_CASE_ACCF_RMW : 0 };
			continue;
		}
		}
		bool is_raw = op.kind == XPT_OP_RAW_MOD || op.kind == XPT_OP_RAW_SET;
		if ((raw && !is_raw) || nops >= DIFF_MAX_OPS)
			continue; /* ref ops come before raw writes */
		raw |= is_raw;
		ops[nops++] = op;
	}
	ob_case(b, id, ctl, pkru);
	for (unsigned i = 0; i < nops; i++)
		ob_op(b, &ops[i]);
	for (unsigned i = 0; i < naccs; i++)
		ob_acc(b, accs[i].va, accs[i].access, accs[i].flags);
}

/* ------------------------------------------------------------ batches */

static struct {
	struct ob b;
	bool ready;
	uint8_t **input;
	size_t *input_len;
	uint32_t cap, n;
	uint64_t batches, cases, accesses, agree, quirk, skipped;
	struct oq_opts q;
	unsigned findings;
} st;

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return v && v[0] ? v : dflt;
}

static void setup(void)
{
	if (st.ready)
		return;
	st.cap = (uint32_t)strtoul(env_or("DIFF_BATCH", "2000"), NULL, 0);
	if (st.cap == 0 || st.cap > 100000)
		st.cap = 2000;
	st.input = calloc(st.cap, sizeof(*st.input));
	st.input_len = calloc(st.cap, sizeof(*st.input_len));
	st.q = (struct oq_opts){ .qemu = env_or("XPT_QEMU", "qemu-system-x86_64"),
	                         .kernel = env_or("XPT_KERNEL", "build/kernel/xpt-kernel.bin"),
	                         .cpu = env_or("XPT_CPU", DIFF_CPU), .accel = "tcg",
	                         .bios = oq_default_bios() };
	ob_init(&st.b, XPT_CASE_MODE_RUN, 0);
	st.ready = true;
}

static void dump_input(FILE *f, uint32_t i)
{
	char path[4096];
	FILE *o;
	fprintf(f, "diff: input of case %u (%zu bytes):", i, st.input_len[i]);
	for (size_t k = 0; k < st.input_len[i]; k++)
		fprintf(f, "%s%02x", k % 32 ? "" : "\n  ", st.input[i][k]);
	fprintf(f, "\n");
	snprintf(path, sizeof(path), "%s/diff-disagreement-%" PRIu64 "-%u", env_or("DIFF_ARTIFACT_DIR", "."),
	         st.batches, i);
	if ((o = fopen(path, "wb")) != NULL) {
		fwrite(st.input[i], 1, st.input_len[i], o);
		fclose(o);
		fprintf(f, "diff: input written to %s (replay: build/fuzz/replay-diff %s)\n", path, path);
	}
}

static void run_batch(void)
{
	struct oq_run r;
	struct ocmp c;
	struct oit it;
	bool bad = false;

	if (!st.ready || st.n == 0)
		return;
	ob_finish(&st.b);
	st.batches++;
	if (oq_run(&st.q, &st.b, &r) != 0) {
		fprintf(stderr, "diff: could not start QEMU (%s, kernel %s)\n", st.q.qemu, st.q.kernel);
		abort();
	}
	if (r.end != OQ_EXITED || r.guest_code != XPT_CASE_EXIT_OK || !r.have_hdr ||
	    r.hdr.status != XPT_CASE_S_OK || r.hdr.ncases_done != st.b.ncases) {
		fprintf(stderr, "diff: guest run failed: end %d, guest exit code %d, status %s: %.96s (%u of %u cases)\n%s%s",
		        (int)r.end, r.guest_code, r.have_hdr ? oq_status_name(r.hdr.status) : "no results header",
		        r.have_hdr ? r.hdr.msg : "", r.have_hdr ? r.hdr.ncases_done : 0, st.b.ncases,
		        r.qemu_err ? r.qemu_err : "", r.serial ? r.serial : "");
		if (r.have_hdr && r.hdr.status != XPT_CASE_S_OK && r.hdr.err_case < st.n)
			dump_input(stderr, r.hdr.err_case);
		abort();
	}
	ocmp_init(&c, r.hdr.window_nframes, OQ_EMU_TCG);
	oit_init(&it, &st.b, r.res, r.res_len);
	while (oit_next(&it)) {
		if (getenv("DIFF_PRINT")) {
			oprint_case(stderr, &it, NULL);
			for (unsigned k = 0; k < it.c->naccs; k++)
				oprint_access(stderr, &it.accs[k], &it.ar[k], it.levels);
		}
		for (unsigned k = 0; k < it.c->naccs; k++) {
			struct oexp e;
			unsigned qm;
			char why[240];
			enum overdict v = ocmp_access(&c, &it, k, &r.hdr, &e, &qm, why, sizeof(why));
			st.accesses++;
			st.agree += v == OV_AGREE;
			st.quirk += v == OV_QUIRK;
			st.skipped += v == OV_SKIPPED;
			if (v != OV_DISAGREE)
				continue;
			fprintf(stderr, "diff: UNEXPLAINED disagreement with ref, batch %" PRIu64 ":\n", st.batches);
			oprint_case(stderr, &it, NULL);
			oprint_access(stderr, &it.accs[k], &it.ar[k], it.levels);
			fprintf(stderr, "    DISAGREE: %s (ref: outcome %u err %#x pa %#" PRIx64 ")\n", why, e.outcome,
			        e.error_code, e.pa);
			dump_input(stderr, it.i);
			bad = true;
			break;
		}
		if (bad)
			break;
	}
	ocmp_free(&c);
	st.cases += st.n;
	if (bad)
		abort();
	if (getenv("DIFF_VERBOSE"))
		fprintf(stderr, "diff: batch %" PRIu64 ": %u cases in %.2f s; so far %" PRIu64 " cases, %" PRIu64
		                " accesses: agree %" PRIu64 ", quirk %" PRIu64 ", skipped %" PRIu64 ", unexplained 0\n",
		        st.batches, st.n, r.wall_s, st.cases, st.accesses, st.agree, st.quirk, st.skipped);
	oq_free(&r);
	for (uint32_t i = 0; i < st.n; i++)
		free(st.input[i]);
	st.n = 0;
	ob_free(&st.b);
	ob_init(&st.b, XPT_CASE_MODE_RUN, 0);
}

__attribute__((destructor)) static void at_exit(void)
{
	if (!st.ready)
		return;
	fflush(stdout);
	run_batch();
	fprintf(stderr, "diff: %" PRIu64 " batches, %" PRIu64 " cases, %" PRIu64 " accesses compared: agree %" PRIu64
	                ", quirk %" PRIu64 ", skipped %" PRIu64 ", unexplained 0\n",
	        st.batches, st.cases, st.accesses, st.agree, st.quirk, st.skipped);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	/* PML4 slots 0..254 in turn: 255 consecutive cases with the same
	 * control bits share a root (grouping, xpt_case.h) */
	decode(&st.b, st.n, st.n % 255u, data, size);
	st.input[st.n] = malloc(size ? size : 1);
	memcpy(st.input[st.n], data, size);
	st.input_len[st.n] = size;
	if (++st.n >= st.cap)
		run_batch();
	return 0;
}

/*
 * Fuzz target `diff`: inputs become oracle cases, run in batches in the
 * oracle kernel under QEMU, and every access is compared with ref's
 * prediction (fault or not, error code, CR2, the physical address read,
 * A/D bits of every entry on the walk) through the quirk table -- the
 * host side of the oracle (fuzz/oracle/) does the running and judging.
 *
 * Each input is decoded into one case with the oracle's batch builder and
 * kept in the batch of its paging mode (4-level, or 5-level with
 * CR4.LA57: the kernel boots in one mode per run); every DIFF_BATCH inputs
 * of a mode (default 2000), and once more at exit, a batch runs in one
 * QEMU boot.  An unexplained disagreement, or a
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
 *   ctl      1  bits 0..5: CR0.WP CR4.SMEP CR4.SMAP CR4.PKE EFER.NXE RFLAGS.AC;
 *               bit 6: 5-level paging (a PML5 root, the kernel booted "la57")
 *   pkru     4  little-endian, loaded when PKE
 *   items       until the input ends, each a tag byte t then its fields;
 *               at most 16 ops and 16 accesses, the rest is ignored:
 *     t&7 = 0  map      size(1: %3) page(2) frame(2) attr(2)
 *           1  unmap    page(2) opts(1)
 *           2  protect  page(2) attr(2)
 *           3  range    which(1: %3 map/unmap/protect) page(2) npages(1: %32+1)
 *                       frame(2) attr(2) opts(1)
 *           4  raw mod  level(1: % levels, 0 the top) page(2) bit(1: %64; 0x40 set,
 *                       else clear)
 *           5  raw PTE  page(2) frame(2) flags(2: bits 0..11, PAT excluded)
 *                       high(1: bit 0 NX, bits 1..4 key)
 *         6,7  access   page(2) where(2); kind = t>>3: bit 0 write, 1 user,
 *                       2 fetch (not with write), 3 locked RMW (writes), 4 non-canonical
 *
 * A page number p names an address in the case's own top-level slot (a
 * PML4 slot in 0..254, or a PML5 slot in 1..255): bits 0..1 the 1 GiB
 * index, 2..4 the 2 MiB index, 5..8 the 4 KiB index (maps align it down to
 * their size); with 5 levels bits 9..10 the PML4 index (0, 1, 256, 511).
 * Leaves made by ref point into the data pool (4 KiB: pool frame `frame` %
 * 512; 2 MiB: the pool; 1 GiB: physical 0, which holds the pool).  An access lands at page + (where & 511) * 8 +
 * ((where >> 9) & 7) pages, + the pool's base when bit 12 is set (so a
 * 1 GiB leaf's accesses can reach the pool).  Ref ops after a raw write
 * are dropped (the kernel runs raw writes last).  Attributes keep W U NX G,
 * the cache index and the key.  A non-canonical access sets bit 47, or
 * bit 56 with 5 levels, of an address otherwise in the case's slot.
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

/* Address of page p in top-level slot `slot` of a space of `levels` levels. */
static uint64_t page_va(unsigned levels, unsigned slot, uint16_t p)
{
	static const uint64_t pml4[4] = { 0, 1, 256, 511 };
	uint64_t top = levels == 5u ? (uint64_t)slot << 48 | pml4[(p >> 9) & 3u] << 39
	                            : (uint64_t)slot << 39;
	return top | (uint64_t)(p & 3u) << 30 | (uint64_t)((p >> 2) & 7u) << 21 |
	       (uint64_t)((p >> 5) & 15u) << 12;
}

/* The paging levels an input asks for: bit 6 of its first byte. */
static unsigned input_levels(const uint8_t *data, size_t size)
{
	return size && (data[0] & 0x40u) ? 5u : 4u;
}

/* Decode one input into case `id` of b (whose levels it takes), in top-level slot `slot`. */
static void decode(struct ob *b, uint32_t id, unsigned slot, const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	uint32_t ctl = u8(&in) & 0x3fu, pkru = u32(&in);
	unsigned levels = b->levels;
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
			uint64_t va = page_va(levels, slot, u16(&in)) & ~(xpt_size_bytes((enum xpt_size)size) - 1u);
			uint16_t frame = u16(&in);
			op = (struct xpt_case_op){ .kind = XPT_OP_MAP, .level = (uint8_t)size, .va = va,
			                           .attr = u16(&in) & ATTR_KEEP };
			op.a = size == XPT_4K ? XPT_CASE_POOL_PA + (frame % POOL_FRAMES) * XPT_PAGE_SIZE
			       : size == XPT_2M ? XPT_CASE_POOL_PA : 0;
			break;
		}
		case 1:
			op = (struct xpt_case_op){ .kind = XPT_OP_UNMAP, .va = page_va(levels, slot, u16(&in)) };
			op.flags = u8(&in) & XPT_OPT_MASK;
			break;
		case 2:
			op = (struct xpt_case_op){ .kind = XPT_OP_PROTECT, .va = page_va(levels, slot, u16(&in)) };
			op.attr = u16(&in) & ATTR_KEEP;
			break;
		case 3: {
			unsigned which = u8(&in) % 3u;
			uint64_t va = page_va(levels, slot, u16(&in)), len = (u8(&in) % 32u + 1u) * XPT_PAGE_SIZE;
			uint16_t frame = u16(&in);
			op = (struct xpt_case_op){ .kind = (uint8_t)(XPT_OP_MAP_RANGE + which), .va = va, .b = len,
			                           .a = XPT_CASE_POOL_PA + (frame % (POOL_FRAMES - 32u)) * XPT_PAGE_SIZE };
			op.attr = u16(&in) & ATTR_KEEP;
			op.flags = u8(&in) & XPT_OPT_MASK;
			break;
		}
		case 4: {
			uint8_t level = (uint8_t)(u8(&in) % levels), bit;
			op = (struct xpt_case_op){ .kind = XPT_OP_RAW_MOD, .level = level,
			                           .va = page_va(levels, slot, u16(&in)) };
			bit = u8(&in);
			if (bit & 0x40u)
				op.a = UINT64_C(1) << (bit & 63u);
			else
				op.b = UINT64_C(1) << (bit & 63u);
			break;
		}
		case 5: {
			uint64_t va = page_va(levels, slot, u16(&in));
			uint64_t frame = u16(&in) % POOL_FRAMES, flags = u16(&in) & 0xfffu & ~XPT_PTE_PAT_4K;
			uint8_t hi = u8(&in);
			op = (struct xpt_case_op){ .kind = XPT_OP_RAW_SET, .level = (uint8_t)(levels - 1u), .va = va,
			                           .flags = XPT_OPF_POOLREL };
			op.a = frame * XPT_PAGE_SIZE | flags | ((hi & 1u) ? XPT_PTE_NX : 0) |
			       (uint64_t)((hi >> 1) & 15u) << XPT_PTE_PK_SHIFT;
			break;
		}
		default: {
			unsigned kind = t >> 3;
			uint64_t va = page_va(levels, slot, u16(&in));
			uint16_t where = u16(&in);
			uint32_t access = 0;
			va += (uint64_t)(where & 511u) * 8u + (uint64_t)((where >> 9) & 7u) * XPT_PAGE_SIZE +
			      ((where >> 12) & 1u ? XPT_CASE_POOL_PA : 0);
			if (kind & 16u) /* non-canonical: the bits above stay clear */
				va |= UINT64_C(1) << (levels == 5u ? 56 : 47);
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

/* The batch being filled for one paging mode, with the inputs it came from. */
struct mode {
	unsigned levels;
	struct ob b;
	uint8_t **input;
	size_t *input_len;
	uint32_t n;
	uint64_t batches;
};

static struct {
	struct mode m[2]; /* 4-level, 5-level */
	bool ready;
	uint32_t cap;
	uint64_t batches, cases, accesses, agree, quirk, skipped;
	struct oq_opts q;
} st;

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return v && v[0] ? v : dflt;
}

static void mode_restart(struct mode *m)
{
	ob_init(&m->b, XPT_CASE_MODE_RUN, 0);
	ob_levels(&m->b, m->levels);
}

static void setup(void)
{
	if (st.ready)
		return;
	st.cap = (uint32_t)strtoul(env_or("DIFF_BATCH", "2000"), NULL, 0);
	if (st.cap == 0 || st.cap > 100000)
		st.cap = 2000;
	for (unsigned k = 0; k < 2; k++) {
		struct mode *m = &st.m[k];
		m->levels = 4u + k;
		m->input = calloc(st.cap, sizeof(*m->input));
		m->input_len = calloc(st.cap, sizeof(*m->input_len));
		mode_restart(m);
	}
	st.q = (struct oq_opts){ .qemu = env_or("XPT_QEMU", "qemu-system-x86_64"),
	                         .kernel = env_or("XPT_KERNEL", "build/kernel/xpt-kernel.bin"),
	                         .cpu = env_or("XPT_CPU", DIFF_CPU), .accel = "tcg",
	                         .bios = oq_default_bios() };
	st.ready = true;
}

static void dump_input(FILE *f, const struct mode *m, uint32_t i)
{
	char path[4096];
	FILE *o;
	fprintf(f, "diff: input of case %u (%zu bytes):", i, m->input_len[i]);
	for (size_t k = 0; k < m->input_len[i]; k++)
		fprintf(f, "%s%02x", k % 32 ? "" : "\n  ", m->input[i][k]);
	fprintf(f, "\n");
	snprintf(path, sizeof(path), "%s/diff-disagreement-%s%" PRIu64 "-%u",
	         env_or("DIFF_ARTIFACT_DIR", "."), m->levels == 5u ? "la57-" : "", m->batches, i);
	if ((o = fopen(path, "wb")) != NULL) {
		fwrite(m->input[i], 1, m->input_len[i], o);
		fclose(o);
		fprintf(f, "diff: input written to %s (replay: build/fuzz/replay-diff %s)\n", path, path);
	}
}

/* Judge every access of a batch's results; false at the first unexplained one. */
static bool judge(struct mode *m, const struct oq_run *r)
{
	struct ocmp c;
	struct oit it;
	bool bad = false;
	ocmp_init(&c, r->hdr.window_nframes, OQ_EMU_TCG);
	oit_init(&it, &m->b, r->res, r->res_len);
	while (!bad && oit_next(&it)) {
		if (getenv("DIFF_PRINT")) {
			oprint_case(stderr, &it, NULL);
			for (unsigned k = 0; k < it.c->naccs; k++)
				oprint_access(stderr, &it.accs[k], &it.ar[k], it.levels);
		}
		for (unsigned k = 0; k < it.c->naccs && !bad; k++) {
			struct oexp e;
			unsigned qm;
			char why[240];
			enum overdict v = ocmp_access(&c, &it, k, &r->hdr, &e, &qm, why, sizeof(why));
			st.accesses++;
			st.agree += v == OV_AGREE;
			st.quirk += v == OV_QUIRK;
			st.skipped += v == OV_SKIPPED;
			if (v != OV_DISAGREE)
				continue;
			fprintf(stderr, "diff: UNEXPLAINED disagreement with ref, %u-level batch %" PRIu64 ":\n",
			        m->levels, m->batches);
			oprint_case(stderr, &it, NULL);
			oprint_access(stderr, &it.accs[k], &it.ar[k], it.levels);
			fprintf(stderr, "    DISAGREE: %s (ref: outcome %u err %#x pa %#" PRIx64 ")\n", why, e.outcome,
			        e.error_code, e.pa);
			dump_input(stderr, m, it.i);
			bad = true;
		}
	}
	ocmp_free(&c);
	return !bad;
}

/* Run the mode's batch in one QEMU boot (booted "la57" for 5 levels) and judge it. */
static void run_batch(struct mode *m)
{
	struct oq_run r;

	if (!st.ready || m->n == 0)
		return;
	ob_finish(&m->b);
	m->batches++;
	st.batches++;
	st.q.la57 = m->levels == 5u;
	if (oq_run(&st.q, &m->b, &r) != 0) {
		fprintf(stderr, "diff: could not start QEMU (%s, kernel %s)\n", st.q.qemu, st.q.kernel);
		abort();
	}
	if (r.end != OQ_EXITED || r.guest_code != XPT_CASE_EXIT_OK || !r.have_hdr ||
	    r.hdr.status != XPT_CASE_S_OK || r.hdr.ncases_done != m->b.ncases) {
		fprintf(stderr, "diff: %u-level guest run failed: end %d, guest exit code %d, status %s: %.96s (%u of %u cases)\n%s%s",
		        m->levels, (int)r.end, r.guest_code, r.have_hdr ? oq_status_name(r.hdr.status) : "no results header",
		        r.have_hdr ? r.hdr.msg : "", r.have_hdr ? r.hdr.ncases_done : 0, m->b.ncases,
		        r.qemu_err ? r.qemu_err : "", r.serial ? r.serial : "");
		if (r.have_hdr && r.hdr.status != XPT_CASE_S_OK && r.hdr.err_case < m->n)
			dump_input(stderr, m, r.hdr.err_case);
		abort();
	}
	if (!judge(m, &r))
		abort();
	st.cases += m->n;
	if (getenv("DIFF_VERBOSE"))
		fprintf(stderr, "diff: %u-level batch %" PRIu64 ": %u cases in %.2f s; so far %" PRIu64 " cases, %" PRIu64
		                " accesses: agree %" PRIu64 ", quirk %" PRIu64 ", skipped %" PRIu64 ", unexplained 0\n",
		        m->levels, m->batches, m->n, r.wall_s, st.cases, st.accesses, st.agree, st.quirk, st.skipped);
	oq_free(&r);
	for (uint32_t i = 0; i < m->n; i++)
		free(m->input[i]);
	m->n = 0;
	ob_free(&m->b);
	mode_restart(m);
}

__attribute__((destructor)) static void at_exit(void)
{
	if (!st.ready)
		return;
	fflush(stdout);
	run_batch(&st.m[0]);
	run_batch(&st.m[1]);
	fprintf(stderr, "diff: %" PRIu64 " batches (%" PRIu64 " 4-level, %" PRIu64 " 5-level), %" PRIu64
	                " cases, %" PRIu64 " accesses compared: agree %" PRIu64 ", quirk %" PRIu64
	                ", skipped %" PRIu64 ", unexplained 0\n",
	        st.batches, st.m[0].batches, st.m[1].batches, st.cases, st.accesses, st.agree, st.quirk,
	        st.skipped);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	struct mode *m = &st.m[input_levels(data, size) == 5u];
	/* Top-level slots 0..254 (PML5 slots 1..255) in turn: 255 consecutive
	 * cases with the same control bits share a root (grouping, xpt_case.h) */
	decode(&m->b, m->n, m->n % 255u + (m->levels == 5u), data, size);
	m->input[m->n] = malloc(size ? size : 1);
	memcpy(m->input[m->n], data, size);
	m->input_len[m->n] = size;
	if (++m->n >= st.cap)
		run_batch(m);
	return 0;
}

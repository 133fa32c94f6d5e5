/*
 * Exhaustive mode, in the spirit of kvm-unit-tests' access test: every
 * combination of the entry bits that decide an access, times every control
 * setting that bears on it, times every access kind, run in the oracle
 * kernel and compared with ref's xpt_walk through the quirk table.
 *
 * Three shapes, each varying the leaf and the level just above it; the
 * other levels are fixed permissive (P RW US A):
 *
 *   4k: PTE leaf, PDE varied          (PML4E, PDPTE fixed)
 *   2m: PDE leaf (PS=1), PDPTE varied (PML4E fixed)
 *   1g: PDPTE leaf (PS=1), PML4E varied
 *
 * so each of the four levels is varied as a table entry or as a leaf in
 * some shape, and PS is 0 (table) or 1 (leaf) at the PDE and the PDPTE.
 * With --la57 the same cases sit in PML5 slots 1..255 below a fixed
 * permissive PML5E.
 *
 * Leaf variants: all 64 of P RW US NX A D; then one reserved bit with the
 * other bits permissive, present and not present (bit 51, an address bit
 * above MAXPHYADDR), and for 2 MiB / 1 GiB leaves bit 13 (an address bit
 * below the leaf's alignment).  The leaf carries protection key 1.
 * Table-entry variants: all 32 of P RW US NX A; bit 51 present and not
 * present; D (ignored in a table entry); at the PML4E also PS (reserved).
 * NX with EFER.NXE=0 is the remaining reserved bit, covered by the product.
 *
 * Control settings: CR0.WP x CR4.SMEP x {no SMAP, SMAP with AC=0, SMAP
 * with AC=1} x {no PKE, PKE with PKRU 0, AD1, WD1, AD1|WD1} x EFER.NXE =
 * 120.  Every access kind (read, write, fetch; supervisor, user) gets a
 * translation of its own -- its own leaf and varied entry, on a separate
 * page -- so each of the six sees the entries exactly as the case wrote
 * them and an empty TLB for its address.  One case = one combination of
 * entries and control bits, six accesses.
 *
 *   xpt-oracle exhaustive [--batch N] [--every K] [--offset I] [--shape 4k|2m|1g] [--print N]
 *
 * --every K runs cases I, I+K, I+2K, ... of the enumeration only: a
 * deterministic subset that still meets every control setting and shape.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oracle.h"

#define XS_RSVD_ADDR (UINT64_C(1) << 51) /* above MAXPHYADDR unless it is 52 */
#define XS_RSVD_LOW  (UINT64_C(1) << 13) /* below a 2 MiB / 1 GiB leaf's alignment */
#define XS_LEAF_BITS (XPT_PTE_P | XPT_PTE_RW | XPT_PTE_US | XPT_PTE_NX | XPT_PTE_A | XPT_PTE_D)
#define XS_UP_BITS   (XPT_PTE_P | XPT_PTE_RW | XPT_PTE_US | XPT_PTE_NX | XPT_PTE_A)
#define XS_PERMISSIVE (XPT_PTE_P | XPT_PTE_RW | XPT_PTE_US | XPT_PTE_A)
/* What a raw write of a varied entry clears before setting the variant
 * (bit 13 is an address bit of a PTE and of a table entry). */
#define XS_CLEAR_UP   (XS_LEAF_BITS | XS_RSVD_ADDR | XPT_PTE_PS)
#define XS_CLEAR_LEAF (XS_LEAF_BITS | XS_RSVD_ADDR)

enum { XS_4K, XS_2M, XS_1G, XS_NSHAPES };
static const char *const shape_names[XS_NSHAPES] = { "4k", "2m", "1g" };

static const uint32_t access_kinds[6] = {
	XPT_ACC_READ, XPT_ACC_WRITE, XPT_ACC_FETCH,
	XPT_ACC_USER, XPT_ACC_USER | XPT_ACC_WRITE, XPT_ACC_USER | XPT_ACC_FETCH,
};

struct xs_ctl {
	uint32_t ctl, pkru;
};
#define XS_NCTL 120u

static void make_ctls(struct xs_ctl *out)
{
	static const uint32_t pkrus[4] = { 0, 1u << 2, 1u << 3, 3u << 2 }; /* key 1: -, AD, WD, AD|WD */
	unsigned n = 0;
	for (unsigned nxe = 0; nxe < 2; nxe++)
		for (unsigned wp = 0; wp < 2; wp++)
			for (unsigned smep = 0; smep < 2; smep++)
				for (unsigned smap = 0; smap < 3; smap++)
					for (unsigned pk = 0; pk < 5; pk++) {
						uint32_t c = (nxe ? XPT_CTL_NXE : 0) | (wp ? XPT_CTL_WP : 0) |
						             (smep ? XPT_CTL_SMEP : 0) |
						             (smap ? XPT_CTL_SMAP : 0) | (smap == 2 ? XPT_CTL_AC : 0) |
						             (pk ? XPT_CTL_PKE : 0);
						out[n++] = (struct xs_ctl){ c, pk ? pkrus[pk - 1] : 0 };
					}
}

/* The bit values a raw write gives the varied entries. */
static unsigned leaf_variants(unsigned shape, uint64_t *v)
{
	static const uint64_t bit[6] = { XPT_PTE_P, XPT_PTE_RW, XPT_PTE_US, XPT_PTE_NX, XPT_PTE_A, XPT_PTE_D };
	unsigned n = 0;
	for (unsigned m = 0; m < 64; m++) {
		uint64_t e = 0;
		for (unsigned i = 0; i < 6; i++)
			e |= (m >> i) & 1u ? bit[i] : 0;
		v[n++] = e;
	}
	v[n++] = XS_PERMISSIVE | XPT_PTE_D | XS_RSVD_ADDR;
	v[n++] = (XS_PERMISSIVE & ~XPT_PTE_P) | XPT_PTE_D | XS_RSVD_ADDR;
	if (shape != XS_4K)
		v[n++] = XS_PERMISSIVE | XPT_PTE_D | XS_RSVD_LOW;
	return n;
}

static unsigned upper_variants(unsigned shape, uint64_t *v)
{
	static const uint64_t bit[5] = { XPT_PTE_P, XPT_PTE_RW, XPT_PTE_US, XPT_PTE_NX, XPT_PTE_A };
	unsigned n = 0;
	for (unsigned m = 0; m < 32; m++) {
		uint64_t e = 0;
		for (unsigned i = 0; i < 5; i++)
			e |= (m >> i) & 1u ? bit[i] : 0;
		v[n++] = e;
	}
	v[n++] = XS_PERMISSIVE | XS_RSVD_ADDR;
	v[n++] = (XS_PERMISSIVE & ~XPT_PTE_P) | XS_RSVD_ADDR;
	v[n++] = XS_PERMISSIVE | XPT_PTE_D; /* ignored in a table entry */
	if (shape == XS_1G)
		v[n++] = XS_PERMISSIVE | XPT_PTE_PS; /* reserved in a PML4E */
	return n;
}

static void op(struct ob *b, uint8_t kind, uint8_t level, uint64_t va, uint64_t a, uint64_t bb, uint32_t attr)
{
	struct xpt_case_op o = { .kind = kind, .level = level, .va = va, .a = a, .b = bb, .attr = attr };
	ob_op(b, &o);
}

/* Top-level slots a case of the shape takes: the six 1 GiB translations
 * vary their PML4Es, one PML4 slot each, or six PML4Es below one PML5E. */
static unsigned slots_of(unsigned shape, unsigned levels)
{
	return shape == XS_1G && levels == 4u ? 6u : 1u;
}

/* One case: six translations with the same entries, one access each.
 * With 5 levels the slot is a PML5 slot from 1, below which the 4-level
 * layout starts at PML4E 0. */
static void emit(struct ob *b, uint32_t id, unsigned shape, const struct xs_ctl *ctl, uint64_t up,
                 uint64_t leaf, unsigned slot)
{
	const uint32_t attr = XPT_WRITE | XPT_USER | XPT_PKEY(1);
	uint64_t va[6];
	unsigned ll = b->levels - 1u - shape; /* index of the leaf: PTE, PDE or PDPTE */
	unsigned top = 12u + 9u * (b->levels - 1u), first = b->levels == 5u;
	ob_case(b, id, ctl->ctl, ctl->pkru);
	for (unsigned k = 0; k < 6; k++) {
		if (shape == XS_4K) {
			va[k] = (uint64_t)(slot + first) << top | (uint64_t)k << 21;
			op(b, XPT_OP_MAP, XPT_4K, va[k], XPT_CASE_POOL_PA + k * XPT_PAGE_SIZE, 0, attr);
		} else if (shape == XS_2M) {
			va[k] = (uint64_t)(slot + first) << top | (uint64_t)k << 30;
			op(b, XPT_OP_MAP, XPT_2M, va[k], XPT_CASE_POOL_PA, 0, attr);
		} else if (b->levels == 5u) {
			va[k] = (uint64_t)(slot + first) << top | (uint64_t)k << 39;
			op(b, XPT_OP_MAP, XPT_1G, va[k], 0, 0, attr);
		} else {
			va[k] = (uint64_t)(slot + k) << top;
			op(b, XPT_OP_MAP, XPT_1G, va[k], 0, 0, attr);
		}
	}
	/* the fixed levels, shared by the six: A preset, so no access changes them */
	for (unsigned l = 0; l + 1u < ll; l++)
		op(b, XPT_OP_RAW_MOD, (uint8_t)l, va[0], XPT_PTE_A, 0, 0);
	for (unsigned k = 0; k < 6; k++) {
		/* the leaf first: a not-present entry above would hide it */
		op(b, XPT_OP_RAW_MOD, (uint8_t)ll, va[k], leaf,
		   XS_CLEAR_LEAF | (shape == XS_4K ? 0 : XS_RSVD_LOW), 0);
		op(b, XPT_OP_RAW_MOD, (uint8_t)(ll - 1u), va[k], up, XS_CLEAR_UP, 0);
	}
	for (unsigned k = 0; k < 6; k++) {
		uint32_t acc = access_kinds[k];
		/* a frame of the pool per access; fetches run its first word,
		 * which stores never touch */
		uint64_t off = (shape == XS_1G ? XPT_CASE_POOL_PA : 0) + (shape == XS_4K ? 0 : k * XPT_PAGE_SIZE);
		ob_acc(b, va[k] + off + ((acc & XPT_ACC_FETCH) ? 0 : 8), acc, 0);
	}
}

/* ----------------------------------------------------------- the run */

struct xs_opts {
	uint32_t batch;
	uint64_t every, offset;
	int shape; /* -1: all */
	uint32_t print; /* cases printed with their results, from the first batch */
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int parse(int argc, char **argv, struct xs_opts *o)
{
	*o = (struct xs_opts){ .batch = 40000, .every = 1, .offset = 0, .shape = -1 };
	for (int i = 1; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			return -1;
		i++;
		if (strcmp(k, "--batch") == 0)
			o->batch = (uint32_t)strtoul(v, NULL, 0);
		else if (strcmp(k, "--every") == 0)
			o->every = strtoull(v, NULL, 0);
		else if (strcmp(k, "--print") == 0)
			o->print = (uint32_t)strtoul(v, NULL, 0);
		else if (strcmp(k, "--offset") == 0)
			o->offset = strtoull(v, NULL, 0);
		else if (strcmp(k, "--shape") == 0) {
			o->shape = -1;
			for (int s = 0; s < XS_NSHAPES; s++)
				if (strcmp(v, shape_names[s]) == 0)
					o->shape = s;
			if (o->shape < 0)
				return -1;
		} else
			return -1;
	}
	if (o->batch == 0 || o->batch > 200000 || o->every == 0)
		return -1;
	return 0;
}

struct xs_run {
	const struct oq_opts *q;
	uint32_t print;
	struct ocmp c;
	bool cmp_ready;
	uint64_t total, done, failed_runs, cases_not_run;
	double t0;
};

/* Run one batch and compare it; false when the run failed. */
static bool flush(struct xs_run *x, struct ob *b)
{
	struct oq_run r;
	bool ok = true;
	if (b->ncases == 0)
		return true;
	ob_finish(b);
	if (oq_run(x->q, b, &r) != 0)
		return false;
	if (r.end != OQ_EXITED || r.guest_code != XPT_CASE_EXIT_OK || !r.have_hdr || r.hdr.status != XPT_CASE_S_OK ||
	    r.hdr.ncases_done != b->ncases) {
		printf("exhaustive: guest run failed: end %d, guest code %d, status %s: %.96s (%u of %u cases)\n%s",
		       (int)r.end, r.guest_code, r.have_hdr ? oq_status_name(r.hdr.status) : "no header",
		       r.have_hdr ? r.hdr.msg : "", r.have_hdr ? r.hdr.ncases_done : 0, b->ncases,
		       r.qemu_err ? r.qemu_err : "");
		x->failed_runs++;
		ok = false;
	}
	if (r.have_hdr && x->print) {
		struct oit it;
		oit_init(&it, b, r.res, r.res_len);
		while (x->print && oit_next(&it)) {
			x->print--;
			oprint_case(stdout, &it, NULL);
			for (unsigned k = 0; k < it.c->naccs; k++)
				oprint_access(stdout, &it.accs[k], &it.ar[k], it.levels);
		}
	}
	if (r.have_hdr) {
		if (!x->cmp_ready) {
			/* room for the largest batch: the first one is a full one */
			ocmp_init(&x->c, r.hdr.window_nframes, strcmp(x->q->accel, "tcg") == 0 ? OQ_EMU_TCG : 0);
			x->c.show_max = 20;
			x->cmp_ready = true;
		}
		if (r.hdr.window_nframes > x->c.nframes) {
			printf("exhaustive: a later batch has a larger window; rerun with a smaller --batch\n");
			ok = false;
		} else {
			ocmp_run(&x->c, b, &r, NULL, stdout);
		}
	}
	x->done += r.have_hdr ? r.hdr.ncases_done : 0;
	{
		double el = now() - x->t0, left = x->done ? el * (double)(x->total - x->done) / (double)x->done : 0;
		printf("exhaustive: %" PRIu64 " / %" PRIu64 " cases, %.0f s elapsed, about %.0f s left; "
		       "agree %" PRIu64 ", quirk %" PRIu64 ", skipped %" PRIu64 ", UNEXPLAINED %" PRIu64 "\n",
		       x->done, x->total, el, left, x->cmp_ready ? x->c.agree : 0, x->cmp_ready ? x->c.quirk : 0,
		       x->cmp_ready ? x->c.skipped : 0, x->cmp_ready ? x->c.disagree : 0);
	}
	oq_free(&r);
	ob_free(b);
	ob_init(b, XPT_CASE_MODE_RUN, 0);
	ob_levels(b, oq_levels(x->q));
	return ok;
}

int oexhaustive_run(const struct oq_opts *q, int argc, char **argv)
{
	struct xs_opts o;
	struct xs_ctl ctls[XS_NCTL];
	uint64_t lv[80], uv[40];
	struct xs_run x = { .q = q };
	struct ob b;
	uint64_t index = 0, per_shape[XS_NSHAPES] = { 0 };
	unsigned slot = 0;
	uint32_t id = 0;
	int rc = 0;

	if (parse(argc, argv, &o) != 0) {
		fprintf(stderr, "usage: xpt-oracle exhaustive [--batch N] [--every K] [--offset I] [--shape 4k|2m|1g] [--print N]\n");
		return 2;
	}
	x.print = o.print;
	make_ctls(ctls);
	/* the count first, for the progress line */
	for (unsigned s = 0; s < XS_NSHAPES; s++) {
		uint64_t n = (uint64_t)XS_NCTL * upper_variants(s, uv) * leaf_variants(s, lv);
		uint64_t first = index, taken = 0;
		if (o.shape < 0 || o.shape == (int)s)
			for (uint64_t i = first; i < first + n; i++)
				taken += i >= o.offset && (i - o.offset) % o.every == 0;
		per_shape[s] = taken;
		x.total += taken;
		index += n;
	}
	printf("exhaustive: %" PRIu64 " cases of %" PRIu64 " (%" PRIu64 " accesses): 4k %" PRIu64 ", 2m %" PRIu64
	       ", 1g %" PRIu64 "; %u control settings x 6 access kinds; batches of %u\n",
	       x.total, index, x.total * 6, per_shape[0], per_shape[1], per_shape[2], XS_NCTL, o.batch);
	x.t0 = now();
	ob_init(&b, XPT_CASE_MODE_RUN, 0);
	ob_levels(&b, oq_levels(q));
	index = 0;
	for (unsigned s = 0; s < XS_NSHAPES; s++) {
		unsigned nl = leaf_variants(s, lv), nu = upper_variants(s, uv);
		for (unsigned c = 0; c < XS_NCTL; c++)
			for (unsigned u = 0; u < nu; u++)
				for (unsigned l = 0; l < nl; l++, index++) {
					if ((o.shape >= 0 && o.shape != (int)s) || index < o.offset ||
					    (index - o.offset) % o.every)
						continue;
					/* consecutive cases take fresh slots, so a run of
					 * them shares one root (grouping, xpt_case.h) */
					if (slot + slots_of(s, b.levels) > 255u)
						slot = 0;
					emit(&b, id++, s, &ctls[c], uv[u], lv[l], slot);
					slot += slots_of(s, b.levels);
					if (b.ncases >= o.batch && !flush(&x, &b))
						rc = 1;
				}
	}
	if (!flush(&x, &b))
		rc = 1;
	ob_free(&b);
	if (!x.cmp_ready) {
		printf("exhaustive: no run came back\nFAIL\n");
		return 1;
	}
	ocmp_report(&x.c, stdout);
	printf("exhaustive: %" PRIu64 " cases, %" PRIu64 " accesses in %.1f s: agree %" PRIu64 ", quirk %" PRIu64
	       ", skipped %" PRIu64 ", unexplained %" PRIu64 "\n",
	       x.c.cases, x.c.accesses, now() - x.t0, x.c.agree, x.c.quirk, x.c.skipped, x.c.disagree);
	if (x.c.disagree || x.c.skipped || x.c.skipped_cases || x.failed_runs || x.done != x.total)
		rc = 1;
	printf("%s\n", rc ? "FAIL" : "PASS");
	ocmp_free(&x.c);
	return rc;
}

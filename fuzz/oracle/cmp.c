/*
 * The comparison: for every access, ref's xpt_walk predicts the outcome
 * from the very entries the kernel recorded just before the access, laid
 * out at their guest-physical addresses in a host buffer.  The prediction
 * is compared with what the MMU did: completed or #PF/#GP, error code,
 * CR2, the physical address reached (from the value read), and the
 * entries after the access (A/D bits, nothing else changed).  A mismatch
 * is either explained by an entry of the quirk table -- counted and
 * printed -- or a failure.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "oracle.h"

enum {
	COV_NP5, COV_NP4, COV_NP3, COV_NP2, COV_NP1, /* not present at PML5E .. PTE */
	COV_LEAF_1G, COV_LEAF_2M, COV_LEAF_4K,
	COV_PS_PML5, COV_PS_PML4,             /* PS in a PML5E / PML4E: reserved */
	COV_RSVD, COV_RW, COV_US, COV_NX, COV_WP0_RO_WRITE, COV_WP1_RO_WRITE,
	COV_SMEP, COV_SMAP, COV_SMAP_AC, COV_PK, COV_PK_ALLOWED,
	COV_A_SET, COV_D_SET, COV_GP, COV_USER_OK, COV_FETCH_OK,
	COV_A_PML5, COV_LA57_OK,
	COV_N
};
static const char *const cov_names[COV_N] = {
	"not present at PML5E", "not present at PML4E", "not present at PDPTE", "not present at PDE",
	"not present at PTE", "1 GiB leaf", "2 MiB leaf", "4 KiB leaf", "PS in PML5E (reserved)",
	"PS in PML4E (reserved)", "reserved-bit fault", "write to read-only (fault)",
	"user to supervisor (fault)", "fetch from NX (fault)", "WP=0 supervisor write to read-only (ok)",
	"WP=1 supervisor write to read-only (fault)", "SMEP fault", "SMAP fault",
	"SMAP with AC=1 (ok)", "protection-key fault", "protection key checked, allowed",
	"A bit set", "D bit set", "#GP (non-canonical)", "user access completed",
	"fetch completed", "A bit set in a PML5E", "completed at an address non-canonical in 48 bits",
};

const char *ocov_name(unsigned i)
{
	return i < COV_N ? cov_names[i] : "?";
}

/* Whether class i can occur with `levels` paging levels. */
static bool cov_applies(unsigned i, unsigned levels)
{
	return levels == 5u || (i != COV_NP5 && i != COV_PS_PML5 && i != COV_A_PML5 && i != COV_LA57_OK);
}

void ocmp_init(struct ocmp *c, uint64_t nframes, unsigned emu)
{
	*c = (struct ocmp){ .emu = emu, .nframes = nframes, .show_max = 20, .levels = 4 };
	c->mem = mmap(NULL, nframes * XPT_PAGE_SIZE, PROT_READ | PROT_WRITE,
	              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (c->mem == MAP_FAILED) {
		perror("xpt-oracle: comparison buffer");
		exit(2);
	}
}

void ocmp_free(struct ocmp *c)
{
	munmap(c->mem, c->nframes * XPT_PAGE_SIZE);
	c->mem = NULL;
}

/* ------------------------------------------------------------ prediction */

void ocmp_expect(const struct oacc *x, const struct xpt_walk *w, struct oexp *e)
{
	const struct xpt_case_acc_res *obs = x->obs;
	*e = (struct oexp){ .w = *w, .access = x->a->access, .ctl_flags = x->ctl.flags };
	e->outcome = w->fault == XPT_FAULT_NONE ? XPT_CASE_DONE
	             : w->fault == XPT_FAULT_PF ? XPT_CASE_PF : XPT_CASE_GP;
	e->error_code = w->fault == XPT_FAULT_PF ? w->error_code : 0;
	e->cr2 = w->fault == XPT_FAULT_PF ? x->a->va : XPT_CASE_CR2_SENTINEL;
	e->pa = w->pa;
	e->pa_known = w->fault == XPT_FAULT_NONE;
	e->nafter = obs->nwalk;
	for (unsigned i = 0; i < obs->nwalk; i++) {
		e->after[i] = obs->before[i];
		if (w->fault != XPT_FAULT_NONE || i >= w->levels)
			continue;
		if ((w->set_a >> i) & 1u)
			e->after[i] |= XPT_PTE_A;
		if (w->set_d && i + 1u == w->levels)
			e->after[i] |= XPT_PTE_D;
	}
}

static bool pool_word(uint64_t v)
{
	return xpt_case_is_pattern(v);
}

/* Whether the MMU did what e says; if not, why. */
static bool matches(const struct oexp *e, const struct oacc *x, char *why, size_t n)
{
	const struct xpt_case_acc_res *o = x->obs;
	bool fetch = x->a->access & XPT_ACC_FETCH;
	static const char *const names[] = { "completed", "#PF", "#GP", "other exception" };
	if (o->outcome != e->outcome) {
		snprintf(why, n, "outcome: MMU %s (vector %u), ref %s", names[o->outcome & 3], o->vector,
		         names[e->outcome & 3]);
		return false;
	}
	if (o->outcome != XPT_CASE_DONE && o->error_code != e->error_code) {
		snprintf(why, n, "error code: MMU %#x, ref %#x", o->error_code, e->error_code);
		return false;
	}
	if (o->cr2 != e->cr2) {
		snprintf(why, n, "CR2: MMU %#" PRIx64 ", ref %#" PRIx64, o->cr2, e->cr2);
		return false;
	}
	if (o->flags & XPT_CASE_ARF_WRITE_LOST) {
		snprintf(why, n, "the write's mark is not where the recorded leaf points");
		return false;
	}
	if (o->outcome == XPT_CASE_DONE && e->pa_known) {
		uint64_t pa = e->pa & ~UINT64_C(7);
		bool in = xpt_case_in_pool(pa);
		uint64_t want = fetch ? xpt_case_fetch_value(pa) : xpt_case_pattern(pa);
		if (in && o->value != want) {
			snprintf(why, n, "value: MMU %#" PRIx64 ", ref's pa %#" PRIx64 " holds %#" PRIx64, o->value,
			         pa, want);
			return false;
		}
		if (!in && !fetch && pool_word(o->value)) {
			snprintf(why, n, "value: MMU read pool word %#" PRIx64 ", ref's pa %#" PRIx64 " is outside the pool",
			         o->value, pa);
			return false;
		}
	}
	for (unsigned i = 0; i < e->nafter; i++)
		if (o->after[i] != e->after[i]) {
			snprintf(why, n, "entry %u after the access: MMU %#" PRIx64 ", ref %#" PRIx64, i, o->after[i],
			         e->after[i]);
			return false;
		}
	return true;
}

/* ---------------------------------------------------------------- coverage */

static void count(struct ocmp *c, const struct oacc *x)
{
	const struct xpt_walk *w = &x->w;
	const struct xpt_case_acc_res *o = x->obs;
	unsigned acc = x->a->access;
	uint32_t ec = w->error_code;
	bool pf = w->fault == XPT_FAULT_PF, ok = w->fault == XPT_FAULT_NONE;
	uint64_t last = w->levels ? w->entry[w->levels - 1u] : 0;
	/* the level the walk ended at: 5 = PML5E .. 1 = PTE */
	unsigned end = c->levels + 1u - w->levels;

	if (pf)
		c->pf_codes |= UINT64_C(1) << (ec & 63u);
	if (pf && !(ec & XPT_PF_P) && w->levels)
		c->cov[COV_NP5 + 5u - end]++;
	if (ok)
		c->cov[w->leaf == XPT_1G ? COV_LEAF_1G : w->leaf == XPT_2M ? COV_LEAF_2M : COV_LEAF_4K]++;
	if (ok && !xpt_canonical(x->a->va))
		c->cov[COV_LA57_OK]++;
	if (pf && (ec & XPT_PF_RSVD)) {
		c->cov[COV_RSVD]++;
		if (end >= 4u && (last & XPT_PTE_PS))
			c->cov[end == 5u ? COV_PS_PML5 : COV_PS_PML4]++;
	}
	if (pf && (ec & XPT_PF_P) && !(ec & (XPT_PF_RSVD | XPT_PF_PK))) {
		bool user = acc & XPT_ACC_USER, upage = w->eff & XPT_USER;
		if (acc & XPT_ACC_FETCH)
			c->cov[user || !upage ? COV_NX : COV_SMEP]++;
		else if (user && !upage)
			c->cov[COV_US]++;
		else if (!user && upage && (x->ctl.flags & XPT_CTL_SMAP))
			c->cov[COV_SMAP]++;
		else if (acc & XPT_ACC_WRITE)
			c->cov[user ? COV_RW : COV_WP1_RO_WRITE]++;
	}
	if (pf && (ec & XPT_PF_PK))
		c->cov[COV_PK]++;
	if (ok && (x->ctl.flags & XPT_CTL_PKE) && (w->eff & XPT_USER) && !(acc & XPT_ACC_FETCH))
		c->cov[COV_PK_ALLOWED]++;
	if (ok && !(acc & XPT_ACC_USER) && (w->eff & XPT_USER) && (x->ctl.flags & XPT_CTL_SMAP) &&
	    !(acc & XPT_ACC_FETCH))
		c->cov[COV_SMAP_AC]++;
	if (ok && (acc & XPT_ACC_WRITE) && !(acc & XPT_ACC_USER) && !(w->eff & XPT_WRITE))
		c->cov[COV_WP0_RO_WRITE]++;
	if (w->fault == XPT_FAULT_GP)
		c->cov[COV_GP]++;
	if (ok && (acc & XPT_ACC_USER))
		c->cov[COV_USER_OK]++;
	if (ok && (acc & XPT_ACC_FETCH))
		c->cov[COV_FETCH_OK]++;
	for (unsigned i = 0; i < o->nwalk; i++) {
		uint64_t ch = o->before[i] ^ o->after[i];
		if (ch & XPT_PTE_A)
			c->cov[COV_A_SET]++;
		if ((ch & XPT_PTE_A) && i == 0 && c->levels == 5u)
			c->cov[COV_A_PML5]++;
		if (ch & XPT_PTE_D)
			c->cov[COV_D_SET]++;
	}
}

/* --------------------------------------------------------------- one access */

/* Lay the recorded entries out at their guest-physical addresses. */
static void place(struct ocmp *c, const struct oacc *x, uint64_t cr3, bool on)
{
	const struct xpt_case_acc_res *o = x->obs;
	uint64_t *words = (uint64_t *)c->mem;
	for (unsigned i = 0; i < o->nwalk && i < c->levels; i++) {
		uint64_t pa = xpt_case_entry_pa(i ? o->before[i - 1] : cr3, x->a->va, i, c->levels);
		if (pa / XPT_PAGE_SIZE < c->nframes)
			words[pa / 8] = on ? o->before[i] : 0;
	}
}

int ocmp_rewalk(const struct oacc *x, unsigned access, uint32_t ctl_flags, struct xpt_walk *w)
{
	struct xpt_ctl ctl = x->ctl;
	ctl.flags = ctl_flags;
	return xpt_walk(&x->mem, &ctl, x->a->va, access, w);
}

static enum overdict judge(struct ocmp *c, struct oacc *x, struct oexp *e, unsigned *qmask,
                           char *why, size_t whylen)
{
	struct oexp q;
	if (xpt_walk(&x->mem, &x->ctl, x->a->va, x->a->access, &x->w) != XPT_OK) {
		snprintf(why, whylen, "not comparable (the walk leaves the window)");
		return OV_SKIPPED;
	}
	count(c, x);
	ocmp_expect(x, &x->w, e);
	if (matches(e, x, why, whylen))
		return OV_AGREE;
	q = *e;
	for (unsigned i = 0; i < noquirks; i++)
		if ((oquirks[i].emu & c->emu) && oquirks[i].adjust && oquirks[i].adjust(x, &q))
			*qmask |= 1u << i;
	if (*qmask) {
		char why2[200];
		if (matches(&q, x, why2, sizeof(why2))) {
			*e = q;
			return OV_QUIRK;
		}
		snprintf(why + strlen(why), whylen - strlen(why), "; with quirks %#x: %s", *qmask, why2);
	}
	return OV_DISAGREE;
}

enum overdict ocmp_access(struct ocmp *c, const struct oit *it, unsigned k,
                          const struct xpt_case_results *hdr, struct oexp *e, unsigned *qmask,
                          char *why, size_t whylen)
{
	struct oacc x = { .c = it->c, .a = &it->accs[k], .obs = &it->ar[k],
	                  .cpu_features = hdr->cpu_features,
	                  .mem = { (uint64_t *)c->mem, c->nframes } };
	uint32_t gb = (hdr->cpu_features & XPT_CASE_CPU_PDPE1GB) ? XPT_CTL_GBPAGES : 0;
	uint32_t la57 = it->levels == 5u ? XPT_CTL_LA57 : 0;
	enum overdict v;

	*qmask = 0;
	why[0] = 0;
	memset(e, 0, sizeof(*e));
	c->levels = it->levels;
	x.ctl = (struct xpt_ctl){ it->r->cr3, (it->c->ctl & ~XPT_CTL_GBPAGES) | gb | la57, it->c->pkru,
	                          (uint8_t)hdr->maxphyaddr };
	if (it->r->status == XPT_CASE_SKIPPED) {
		snprintf(why, whylen, "not comparable (the CPU lacks a control bit of the case)");
		return OV_SKIPPED;
	}
	if (x.obs->outcome == XPT_CASE_NOT_RUN) {
		snprintf(why, whylen, "not run (a fetch or write whose leaf points outside the pool)");
		return OV_SKIPPED;
	}
	place(c, &x, it->r->cr3, true);
	v = judge(c, &x, e, qmask, why, whylen);
	place(c, &x, it->r->cr3, false);
	return v;
}

static void show(FILE *f, const struct oit *it, unsigned k, const struct onames *names,
                 const struct oexp *e, const char *why)
{
	oprint_case(f, it, names);
	oprint_access(f, &it->accs[k], &it->ar[k], it->levels);
	fprintf(f, "    DISAGREE: %s (ref: outcome %u err %#x pa %#" PRIx64 ")\n", why, e->outcome,
	        e->error_code, e->pa);
}

void ocmp_run(struct ocmp *c, const struct ob *b, const struct oq_run *r,
              const struct onames *names, FILE *f)
{
	struct oit it;
	oit_init(&it, b, r->res, r->res_len);
	while (oit_next(&it)) {
		c->cases++;
		c->skipped_cases += it.r->status == XPT_CASE_SKIPPED;
		for (unsigned k = 0; k < it.c->naccs; k++) {
			struct oexp e;
			unsigned qm;
			char why[200];
			enum overdict v = ocmp_access(c, &it, k, &r->hdr, &e, &qm, why, sizeof(why));
			c->accesses++;
			if (it.ar[k].outcome <= XPT_CASE_OTHER)
				c->by_outcome[it.ar[k].outcome]++;
			if (v == OV_AGREE)
				c->agree++;
			else if (v == OV_SKIPPED)
				c->skipped++;
			else if (v == OV_QUIRK) {
				c->quirk++;
				for (unsigned i = 0; i < noquirks; i++)
					c->uses[i] += (qm >> i) & 1u;
			} else {
				c->disagree++;
				if (c->shown++ < c->show_max && f)
					show(f, &it, k, names, &e, why);
			}
		}
	}
}

void ocmp_report(const struct ocmp *c, FILE *f)
{
	fprintf(f, "comparison with ref's xpt_walk: %" PRIu64 " cases, %" PRIu64 " accesses "
	           "(%" PRIu64 " completed, %" PRIu64 " #PF, %" PRIu64 " #GP, %" PRIu64 " other)\n",
	        c->cases, c->accesses, c->by_outcome[0], c->by_outcome[1], c->by_outcome[2], c->by_outcome[3]);
	fprintf(f, "  agree %" PRIu64 ", explained by a quirk %" PRIu64 ", skipped %" PRIu64
	           " (%" PRIu64 " cases the CPU cannot run), UNEXPLAINED %" PRIu64 "\n",
	        c->agree, c->quirk, c->skipped, c->skipped_cases, c->disagree);
	oquirks_print(f, c->emu ? c->uses : NULL, c->emu ? c->emu : OQ_EMU_TCG);
	fprintf(f, "  coverage (accesses, %u-level paging):", c->levels);
	for (unsigned i = 0, n = 0; i < COV_N; i++)
		if (cov_applies(i, c->levels))
			fprintf(f, "%s%s %" PRIu64, n++ % 4 ? "; " : "\n    ", cov_names[i], c->cov[i]);
	fprintf(f, "\n    distinct #PF error codes (ref's): %d (", __builtin_popcountll(c->pf_codes));
	for (unsigned e = 0, n = 0; e < 64; e++)
		if ((c->pf_codes >> e) & 1u)
			fprintf(f, "%s%#x", n++ ? " " : "", e);
	fprintf(f, ")\n");
}

/* The error codes a batch must show: not-present and protection faults for
 * each access kind, with and without U, RSVD, PK and I/D. */
#define WANTED_CODES (UINT64_C(1) << 0x00 | UINT64_C(1) << 0x02 | UINT64_C(1) << 0x04 | \
                      UINT64_C(1) << 0x06 | UINT64_C(1) << 0x01 | UINT64_C(1) << 0x03 | \
                      UINT64_C(1) << 0x05 | UINT64_C(1) << 0x07 | UINT64_C(1) << 0x09 | \
                      UINT64_C(1) << 0x11 | UINT64_C(1) << 0x15 | UINT64_C(1) << 0x25 | \
                      UINT64_C(1) << 0x27)

unsigned ocmp_uncovered(const struct ocmp *c, FILE *f)
{
	unsigned n = 0;
	for (unsigned i = 0; i < COV_N; i++)
		if (c->cov[i] == 0 && cov_applies(i, c->levels)) {
			fprintf(f, "not covered: %s\n", cov_names[i]);
			n++;
		}
	for (unsigned e = 0; e < 64; e++)
		if (((WANTED_CODES & ~c->pf_codes) >> e) & 1u) {
			fprintf(f, "not covered: #PF error code %#x\n", e);
			n++;
		}
	return n;
}

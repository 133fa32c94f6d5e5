/*
 * The quirk table: where an emulator's MMU -- QEMU's TCG, or Bochs's --
 * departs from the SDM, or settles differently from ref something the SDM
 * leaves open.  One place, applied explicitly by the comparison, each
 * entry to the runs of its own emulator only (never to KVM runs), and
 * printed with its use counts in every report.  The QEMU entries were
 * verified by experiment in QEMU 7.2 TCG (`xpt-oracle quirks`, make
 * qemu-quirks, re-runs them), the Bochs entries in Bochs 2.7
 * (`xpt-oracle three quirks`, part of make bochs-test).
 *
 * An entry rewrites ref's expectation into what its emulator does, only where
 * its condition holds; the comparison accepts the rewritten expectation
 * only after ref's own has failed, and counts the use.
 */
#include <string.h>

#include "oracle.h"

/* ------------------------------------------------------------- helpers */

static bool same(const struct oexp *a, const struct oexp *b)
{
	return a->outcome == b->outcome && a->error_code == b->error_code && a->cr2 == b->cr2 &&
	       a->pa_known == b->pa_known && a->pa == b->pa &&
	       memcmp(a->after, b->after, sizeof(a->after)) == 0;
}

static bool replace(struct oexp *e, const struct oexp *n)
{
	bool changed = !same(e, n);
	*e = *n;
	return changed;
}

static bool rmw(const struct oacc *x)
{
	return (x->a->flags & XPT_CASE_ACCF_RMW) && (x->a->access & XPT_ACC_WRITE);
}

/* Index of the PDPTE in a walk: 1, or 2 under 5-level paging. */
static unsigned pdpte_index(const struct oacc *x)
{
	return (x->ctl.flags & XPT_CTL_LA57) ? 2u : 1u;
}

/* ------------------------------------------------------------- entries */

/*
 * With one vCPU, TCG emits a locked read-modify-write as a load and then a
 * store.  The load walks and faults as a read (W clear in the error code);
 * when it succeeds it sets A along the walk, and only then does the store
 * check write permission.  The SDM makes the whole instruction one write
 * access (SDM Vol. 3A 4.7, W/R; Vol. 2A, LOCK).
 */
static bool q_rmw(const struct oacc *x, struct oexp *e)
{
	struct xpt_walk rd;
	struct oexp n;
	unsigned acc = e->access & ~XPT_ACC_WRITE;
	if (!rmw(x) || ocmp_rewalk(x, acc, e->ctl_flags, &rd) != XPT_OK)
		return false;
	if (rd.fault != XPT_FAULT_NONE) {
		ocmp_expect(x, &rd, &n);
		n.access = acc;
		n.ctl_flags = e->ctl_flags;
		return replace(e, &n);
	}
	n = *e;
	for (unsigned i = 0; i < n.nafter && i < rd.levels; i++)
		if ((rd.set_a >> i) & 1u)
			n.after[i] |= XPT_PTE_A;
	return replace(e, &n);
}

/*
 * QEMU treats PS in a PDPTE as a 1 GiB leaf whether or not CPUID reports
 * Page1GB; the SDM makes it a reserved bit then (SDM Vol. 3A 4.5, table
 * 4-16 and 4.1.4).
 */
static bool q_gbpages(const struct oacc *x, struct oexp *e)
{
	struct xpt_walk w;
	struct oexp n;
	const struct xpt_walk *o = &e->w;
	unsigned pdpte = pdpte_index(x);
	if ((x->cpu_features & XPT_CASE_CPU_PDPE1GB) || o->fault != XPT_FAULT_PF ||
	    !(o->error_code & XPT_PF_RSVD) || o->levels != pdpte + 1u || !(o->entry[pdpte] & XPT_PTE_PS))
		return false;
	if (ocmp_rewalk(x, e->access, e->ctl_flags | XPT_CTL_GBPAGES, &w) != XPT_OK)
		return false;
	ocmp_expect(x, &w, &n);
	n.access = e->access;
	n.ctl_flags = e->ctl_flags | XPT_CTL_GBPAGES;
	return replace(e, &n);
}

/* Reserved bits QEMU checks in an entry before it sets that entry's A bit:
 * address bits from MAXPHYADDR up, NX without EFER.NXE, PS in a PML4E or
 * PML5E (the levels above the PDPTE). */
static bool early_rsvd(const struct oacc *x, uint64_t entry, unsigned level, uint32_t ctl_flags)
{
	uint64_t high = ((UINT64_C(1) << 52) - 1) & ~((UINT64_C(1) << x->ctl.maxphyaddr) - 1);
	if (entry & high)
		return true;
	if ((entry & XPT_PTE_NX) && !(ctl_flags & XPT_CTL_NXE))
		return true;
	return level < pdpte_index(x) && (entry & XPT_PTE_PS);
}

/*
 * A walk that faults still sets A in the paging-structure entries QEMU
 * passed on the way: every present table entry above the faulting one
 * without an early reserved bit, and a 1 GiB leaf itself (its A bit is set
 * before its permissions and its reserved address bits are checked).  ref
 * sets no A bit when the access faults; the SDM sets A in entries "used"
 * for a translation and does not say whether a faulting one counts
 * (SDM Vol. 3A 4.8).
 */
static bool q_a_on_fault(const struct oacc *x, struct oexp *e)
{
	const struct xpt_walk *w = &e->w;
	unsigned last, upto, pdpte = pdpte_index(x);
	struct oexp n = *e;
	if (w->fault != XPT_FAULT_PF || w->levels == 0)
		return false;
	last = w->levels - 1u;
	upto = last;
	if ((w->entry[last] & XPT_PTE_P) && last == pdpte && (w->entry[pdpte] & XPT_PTE_PS) &&
	    !early_rsvd(x, w->entry[pdpte], pdpte, e->ctl_flags))
		upto = last + 1u; /* the 1 GiB leaf */
	for (unsigned i = 0; i < upto && i < n.nafter; i++)
		n.after[i] |= XPT_PTE_A;
	return replace(e, &n);
}

/*
 * QEMU reports a reserved-bit fault without P in the error code.  The SDM
 * checks reserved bits only in present entries, so RSVD comes with P=1
 * (SDM Vol. 3A 4.7, the RSVD flag).
 */
static bool q_rsvd_no_p(const struct oacc *x, struct oexp *e)
{
	(void)x;
	if (e->outcome != XPT_CASE_PF || !(e->error_code & XPT_PF_RSVD) || !(e->error_code & XPT_PF_P))
		return false;
	e->error_code &= ~XPT_PF_P;
	return true;
}

/* --------------------------------------------------------- Bochs 2.7 */

/*
 * Bochs 2.7 applies PKRU by the mode of the access, not by the U/S of the
 * page: AD is checked for user-mode accesses only (to any page), WD for
 * user-mode writes and, with CR0.WP=1, supervisor-mode writes (to any
 * page), and both before the U/S and R/W checks.  The SDM applies PKRU to
 * user-mode addresses only, for accesses of either mode (SDM Vol. 3A
 * 4.6.1, 4.6.2; 4.7, the PK flag).  So Bochs faults with PK on supervisor
 * pages, reports PK instead of a plain U/S violation for a user access to
 * a supervisor page whose key has AD, and lets a supervisor read of a user
 * page through although its key has AD.  (bochs/cpu/paging.cc
 * translate_linear_long_mode; fixed upstream in 2026 by "PKEYS: use of
 * PKRU/PKRS should be determined by user/supervisor page and not by
 * user/supervisor access".)
 */
static bool q_bochs_pkru_by_access(const struct oacc *x, struct oexp *e)
{
	struct xpt_walk w = e->w, nopk;
	struct oexp n;
	unsigned acc = e->access;
	bool user = acc & XPT_ACC_USER, write = acc & XPT_ACC_WRITE;
	bool reached = w.fault == XPT_FAULT_NONE ||
	               (w.fault == XPT_FAULT_PF && (w.error_code & XPT_PF_P) && !(w.error_code & XPT_PF_RSVD));
	bool ad, wd, pk;

	if (!(e->ctl_flags & XPT_CTL_PKE) || (acc & XPT_ACC_FETCH) || !reached || w.levels == 0)
		return false;
	ad = (x->ctl.pkru >> (2u * w.pkey)) & 1u;
	wd = (x->ctl.pkru >> (2u * w.pkey + 1u)) & 1u;
	pk = (user && ad) || (write && wd && (user || (e->ctl_flags & XPT_CTL_WP)));
	if (pk) {
		w.fault = XPT_FAULT_PF;
		w.error_code = (acc & (XPT_ACC_WRITE | XPT_ACC_USER)) | XPT_PF_P | XPT_PF_PK;
		w.set_a = 0;
		w.set_d = false;
	} else if (ocmp_rewalk(x, acc, e->ctl_flags & ~XPT_CTL_PKE, &nopk) == XPT_OK) {
		w = nopk; /* the other rights checks, as the SDM has them */
	} else {
		return false;
	}
	ocmp_expect(x, &w, &n);
	n.access = acc;
	n.ctl_flags = e->ctl_flags;
	return replace(e, &n);
}

const struct oquirk oquirks[] = {
	{ "tcg-rmw-load-then-store", "SDM 3A 4.7 W/R; 2A LOCK",
	  "a locked RMW faults as a read (W=0) when the load faults, and sets A before the store is checked",
	  "confirmed: rmw cases of the standard batch and of every generated batch", q_rmw, OQ_EMU_TCG },
	{ "tcg-1g-leaf-without-pdpe1gb", "SDM 3A 4.5 table 4-16, 4.1.4",
	  "PS in a PDPTE maps 1 GiB although CPUID lacks Page1GB (SDM: reserved bit, #PF RSVD)",
	  "confirmed: xpt-oracle quirks, -cpu ...,-pdpe1gb", q_gbpages, OQ_EMU_TCG },
	{ "tcg-rsvd-fault-without-p", "SDM 3A 4.7",
	  "a reserved-bit #PF reports RSVD with P clear (SDM: P=1 whenever RSVD=1)",
	  "confirmed: every reserved-bit fault of the standard and generated batches", q_rsvd_no_p, OQ_EMU_TCG },
	{ "tcg-a-bits-on-faulting-walk", "SDM 3A 4.8",
	  "a faulting walk sets A in the table entries above the fault (and in a 1 GiB leaf); ref sets none",
	  "confirmed: every generated batch", q_a_on_fault, OQ_EMU_TCG },
	{ "tcg-global-flushed-by-cr3", "SDM 3A 4.10.2.4, 4.10.4.1",
	  "MOV to CR3 also drops global translations (CR4.PGE=1, G=1): no stale global entry is ever seen",
	  "confirmed: TLB probe 'global page across CR3 load'", NULL, OQ_EMU_TCG },
	{ "tcg-no-pcid", "SDM 3A 4.10.1",
	  "TCG refuses CPUID.PCID (\"TCG doesn't support requested feature\"): no PCIDs, every CR3 load flushes",
	  "confirmed: -cpu ...,+pcid warns and the guest sees no PCID", NULL, OQ_EMU_TCG },
	{ "bochs-pkru-by-access-mode", "SDM 3A 4.6.1, 4.6.2, 4.7 PK",
	  "PKRU is applied by the mode of the access, not to user-mode addresses: PK faults on supervisor "
	  "pages (user access with AD; write with WD and user or CR0.WP=1), checked before U/S and R/W; "
	  "a supervisor read of a user page ignores AD",
	  "confirmed: Bochs 2.7 source (cpu/paging.cc, proc_ctrl.cc set_PKeys) and every three-way batch "
	  "with CR4.PKE", q_bochs_pkru_by_access, OQ_EMU_BOCHS },
};
const unsigned noquirks = sizeof(oquirks) / sizeof(oquirks[0]);

void oquirks_print(FILE *f, const unsigned *uses, unsigned emu)
{
	const char *name = emu == OQ_EMU_BOCHS ? "Bochs" : "QEMU TCG";
	fprintf(f, "  quirk table, %s entries (%s):\n", name, uses ? "applied" : "not applied: not TCG");
	for (unsigned i = 0; i < noquirks; i++) {
		if (!(oquirks[i].emu & emu))
			continue;
		if (oquirks[i].adjust)
			fprintf(f, "    %-28s %7u uses  [%s] %s\n", oquirks[i].id, uses ? uses[i] : 0,
			        oquirks[i].sdm, oquirks[i].what);
		else
			fprintf(f, "    %-28s     (TLB)   [%s] %s\n", oquirks[i].id, oquirks[i].sdm, oquirks[i].what);
	}
}

/* ------------------------------------------------------- verification */

static void op(struct ob *b, uint8_t kind, uint8_t level, uint64_t va, uint64_t a, uint64_t bb, uint32_t attr)
{
	struct xpt_case_op o = { .kind = kind, .level = level, .va = va, .a = a, .b = bb, .attr = attr };
	ob_op(b, &o);
}

/* Cases meant to need each walk quirk; each also holds accesses that must
 * agree with ref as they are.  With 5 levels the same cases sit in PML5
 * slot 1. */
void oquirks_experiments(struct ob *b, unsigned levels)
{
	uint64_t base = levels == 5u ? XPT_CASE_TEST_START_LA57 : 0;
	uint64_t va = base + 0x8000200000, gva = base + 0x8040000000;
	uint32_t id = 0;
	ob_init(b, XPT_CASE_MODE_RUN, 0);
	ob_levels(b, levels);
	/* RSVD without P: a reserved address bit in a PTE */
	ob_case(b, id++, XPT_CTL_WP | XPT_CTL_NXE, 0);
	op(b, XPT_OP_MAP, XPT_4K, va, XPT_CASE_POOL_PA, 0, XPT_WRITE | XPT_USER);
	op(b, XPT_OP_RAW_MOD, (uint8_t)(levels - 1u), va, UINT64_C(1) << 45, 0, 0);
	ob_acc(b, va, XPT_ACC_READ, 0);
	ob_acc(b, va, XPT_ACC_WRITE | XPT_ACC_USER, 0);
	/* A bits on a faulting walk: user access to a supervisor page, and a
	 * read below a table entry that is not present */
	ob_case(b, id++, XPT_CTL_WP | XPT_CTL_NXE, 0);
	op(b, XPT_OP_MAP, XPT_4K, va, XPT_CASE_POOL_PA, 0, XPT_WRITE);
	ob_acc(b, va, XPT_ACC_USER, 0);
	ob_acc(b, va + 0x1000, XPT_ACC_READ, 0);
	ob_acc(b, va, XPT_ACC_READ, 0);
	/* ... and a 1 GiB leaf that faults on its rights */
	ob_case(b, id++, XPT_CTL_WP | XPT_CTL_NXE, 0);
	op(b, XPT_OP_MAP, XPT_1G, gva, 0, 0, 0);
	ob_acc(b, gva + XPT_CASE_POOL_PA, XPT_ACC_USER, 0);
	/* RMW: on a page that is not there, and on a read-only one */
	ob_case(b, id++, XPT_CTL_WP | XPT_CTL_NXE, 0);
	op(b, XPT_OP_MAP, XPT_4K, va, XPT_CASE_POOL_PA, 0, XPT_USER);
	ob_acc(b, va + 0x3000, XPT_ACC_WRITE, XPT_CASE_ACCF_RMW);
	ob_acc(b, va, XPT_ACC_WRITE | XPT_ACC_USER, XPT_CASE_ACCF_RMW);
	ob_acc(b, va, XPT_ACC_WRITE | XPT_ACC_USER, 0);
	/* 1 GiB leaf: QEMU maps it whatever CPUID says */
	ob_case(b, id++, XPT_CTL_WP | XPT_CTL_NXE, 0);
	op(b, XPT_OP_MAP, XPT_1G, gva, 0, 0, XPT_WRITE | XPT_USER);
	ob_acc(b, gva + XPT_CASE_POOL_PA + 0x18, XPT_ACC_READ, 0);
}

/* The CPU model minus Page1GB. */
static void without_gbpages(const char *cpu, char *out, size_t n)
{
	const char *p = strstr(cpu, "+pdpe1gb");
	if (p)
		snprintf(out, n, "%.*s-pdpe1gb%s", (int)(p - cpu), cpu, p + 8);
	else
		snprintf(out, n, "%s,-pdpe1gb", cpu);
}

static int run_experiments(const struct oq_opts *q, unsigned *uses, uint64_t *disagree, uint32_t *features)
{
	struct ob b;
	struct oq_run r;
	struct ocmp c;
	oquirks_experiments(&b, oq_levels(q));
	ob_finish(&b);
	if (oq_run(q, &b, &r) != 0 || !r.have_hdr || r.hdr.status != XPT_CASE_S_OK) {
		ob_free(&b);
		return -1;
	}
	ocmp_init(&c, r.hdr.window_nframes, OQ_EMU_TCG);
	c.show_max = 10;
	ocmp_run(&c, &b, &r, NULL, stdout);
	for (unsigned i = 0; i < noquirks; i++)
		uses[i] += c.uses[i];
	*disagree += c.disagree;
	*features = r.hdr.cpu_features;
	ocmp_free(&c);
	oq_free(&r);
	ob_free(&b);
	return 0;
}

int oquirks_verify(const struct oq_opts *q)
{
	unsigned uses[32] = { 0 }, gb_uses[32] = { 0 };
	uint64_t disagree = 0;
	uint32_t f1 = 0, f2 = 0;
	char cpu[256], cpu_pcid[256];
	struct oq_opts q2 = *q, q3 = *q;
	int probes, fails = 0;

	without_gbpages(q->cpu, cpu, sizeof(cpu));
	q2.cpu = cpu;
	snprintf(cpu_pcid, sizeof(cpu_pcid), "%s,+pcid", q->cpu); /* TCG warns and leaves it out */
	q3.cpu = cpu_pcid;
	if (run_experiments(q, uses, &disagree, &f1) || run_experiments(&q2, gb_uses, &disagree, &f2) ||
	    (probes = oprobe_run(&q3, true)) < 0) {
		printf("a verification run failed\n");
		return 1;
	}
	printf("quirk verification, QEMU TCG, %u-level paging, -cpu %s (and %s)%s:\n", oq_levels(q), q->cpu, cpu,
	       q->la57 ? " with +la57" : "");
	for (unsigned i = 0; i < noquirks; i++) {
		const char *id = oquirks[i].id;
		bool ok;
		char how[160];
		if (!(oquirks[i].emu & OQ_EMU_TCG))
			continue; /* Bochs entries: xpt-oracle three quirks */
		if (strcmp(id, "tcg-1g-leaf-without-pdpe1gb") == 0) {
			ok = !(f2 & XPT_CASE_CPU_PDPE1GB) && gb_uses[i] > 0;
			snprintf(how, sizeof(how), "CPUID Page1GB %s; %u accesses needed it", (f2 & XPT_CASE_CPU_PDPE1GB) ? "still set" : "clear", gb_uses[i]);
		} else if (strcmp(id, "tcg-global-flushed-by-cr3") == 0) {
			ok = ((probes >> 2) & 3) == 0;
			snprintf(how, sizeof(how), "TLB probe: a global translation %s a CR3 load",
			         ((probes >> 2) & 3) == 0 ? "did not survive" : "survived (or no PGE)");
		} else if (strcmp(id, "tcg-no-pcid") == 0) {
			ok = !(f1 & XPT_CASE_CPU_PCID) && ((probes >> 4) & 3) == 2;
			snprintf(how, sizeof(how), "-cpu ...,+pcid: the guest %s PCID", ok ? "still lacks" : "has");
		} else {
			ok = uses[i] + gb_uses[i] > 0;
			snprintf(how, sizeof(how), "%u accesses needed it", uses[i] + gb_uses[i]);
		}
		printf("  %-30s %s  (%s)\n", id, ok ? "CONFIRMED" : "NOT REPRODUCED", how);
		fails += !ok;
	}
	printf("  unexplained disagreements in the experiments: %llu\n", (unsigned long long)disagree);
	printf("%s\n", fails || disagree ? "FAIL" : "PASS");
	return fails || disagree;
}

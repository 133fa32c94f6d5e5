/*
 * EPT (SDM Vol. 3C, "The Extended Page Table Mechanism"): the walk from a
 * guest-physical address, its misconfigurations and violations, and the
 * two-stage walk of a guest's linear address through its own tables and
 * EPT.  The guest stage is xpt_walk itself, run over a scratch window into
 * which the guest's entries are copied as EPT finds them.
 */
#include "format.h"

#define EPT_RWX (XPT_EPT_R | XPT_EPT_W | XPT_EPT_X)

/* Reserved bits and bad combinations of a present EPT entry (misconfiguration). */
/*@ requires 12 < maxphyaddr <= 52 && 1 <= level <= 4;
    assigns \nothing;
*/
static bool ept_misconfigured(uint64_t e, unsigned level, unsigned maxphyaddr)
{
	uint64_t rsvd = xpt_bit_range(maxphyaddr, 52);
	bool leaf = level == 1u || (level <= 3u && (e & XPT_PTE_PS));
	if ((e & (XPT_EPT_R | XPT_EPT_W)) == XPT_EPT_W) /* writable, not readable */
		return true;
	if (!leaf)
		rsvd |= xpt_bit_range(3, 8); /* memory type, ignore-PAT and PS */
	else if (!xpt_ept_memtype_valid((unsigned)(e >> XPT_EPT_MT_SHIFT) & 7u))
		return true;
	else if (level == 3u)
		rsvd |= xpt_bit_range(12, 30);
	else if (level == 2u)
		rsvd |= xpt_bit_range(12, 21);
	return (e & rsvd) != 0;
}

/* The walk; `need` holds the EPT_RWX rights the access requires (none for a lookup). */
int xpt_ept_lookup(const struct xpt_mem *mem, uint64_t eptp, unsigned maxphyaddr, uint64_t gpa,
                   uint64_t need, struct xpt_ept_walk *w)
{
	xpt_pfn table = (eptp & xpt_addr_mask(maxphyaddr)) >> XPT_PAGE_SHIFT;
	uint64_t rights = EPT_RWX;
	unsigned level;
	w->outcome = XPT_EPT_OK;
	w->levels = w->leaf = 0;
	w->qual = 0;
	w->entry[0] = w->entry[1] = w->entry[2] = w->entry[3] = 0;
	w->hpa = 0;
	/*@ loop invariant inv_level: 1 <= level <= 4 && w->levels == 4 - level;
	    loop invariant inv_open: w->outcome == XPT_EPT_OK && w->leaf == 0;
	    loop invariant inv_mem: mem->words == \at(mem->words, Pre) &&
	      mem->nframes == \at(mem->nframes, Pre);
	    loop assigns level, table, rights, w->entry[0 .. 3], w->levels, w->leaf, w->hpa, w->outcome;
	    loop variant level;
	*/
	for (level = XPT_LEVELS; level >= 1u; level--) {
		uint64_t e;
		if (table >= mem->nframes)
			return XPT_E_WINDOW;
		e = mem->words[xpt_slot(table, xpt_index(gpa, level))];
		w->entry[w->levels++] = e;
		rights &= e;
		if (!(e & EPT_RWX)) {
			rights = 0; /* as rights & EPT_RWX already is: a violation */
			break;
		}
		if (ept_misconfigured(e, level, maxphyaddr)) {
			w->outcome = XPT_EPT_MISCONFIG;
			return XPT_OK;
		}
		if (level == 1u || (level <= 3u && (e & XPT_PTE_PS))) {
			w->leaf = (uint8_t)(level - 1u);
			w->hpa = xpt_leaf_base(e, level, maxphyaddr) | (gpa & (xpt_level_bytes(level) - 1u));
			break;
		}
		table = (e & xpt_addr_mask(maxphyaddr)) >> XPT_PAGE_SHIFT;
	}
	if ((rights & EPT_RWX) == 0 || (rights & need) != need) {
		w->outcome = XPT_EPT_VIOLATION;
		w->qual = (uint32_t)((need & XPT_EPT_W) ? XPT_EPTQ_WRITE
		                     : (need & XPT_EPT_X) ? XPT_EPTQ_FETCH : XPT_EPTQ_READ) |
		          (uint32_t)(rights & EPT_RWX) << 3;
	}
	return XPT_OK;
}

/*@ assigns \nothing;
    ensures \result == XPT_EPT_R || \result == XPT_EPT_W || \result == XPT_EPT_X;
*/
static uint64_t ept_need(unsigned access)
{
	return (access & XPT_ACC_FETCH) ? XPT_EPT_X
	       : (access & XPT_ACC_WRITE) ? XPT_EPT_W : XPT_EPT_R;
}

int xpt_ept_walk(const struct xpt_mem *mem, uint64_t eptp, unsigned maxphyaddr, uint64_t gpa,
                 unsigned access, struct xpt_ept_walk *w)
{
	return xpt_ept_lookup(mem, eptp, maxphyaddr, gpa, ept_need(access), w);
}

/* Stage 2 for guest-physical `gpa`: false (with n filled) when it fails. */
/*@ requires XPT_HOST_WINDOW(mem, n) && \valid(n) && \valid(err) && 12 < maxphyaddr <= 52;
    requires \separated(err, n, mem, mem->words + (0 .. mem->nframes * 512 - 1));
    assigns n->ept, n->stage, n->final, n->gpa, *err;
    ensures err: *err == XPT_OK || *err == XPT_E_WINDOW;
    ensures \result <==> *err == XPT_OK && n->ept.outcome == XPT_EPT_OK;
    ensures failed: !\result && *err == XPT_OK ==> n->stage == 2 && n->final == final && n->gpa == gpa;
    ensures kept: \result ==> n->stage == \old(n->stage) && n->final == \old(n->final) &&
      n->gpa == \old(n->gpa);
*/
static bool stage2(const struct xpt_mem *mem, uint64_t eptp, unsigned maxphyaddr, uint64_t gpa,
                   unsigned access, bool final, struct xpt_nested *n, int *err)
{
	*err = xpt_ept_walk(mem, eptp, maxphyaddr, gpa, access, &n->ept);
	if (*err != XPT_OK || n->ept.outcome == XPT_EPT_OK)
		return *err == XPT_OK;
	n->stage = 2;
	n->final = final;
	n->gpa = gpa;
	return false;
}

/* The stage, and the address it names, as they were when the function
 * began (a macro: each part reaches the provers on its own). */
#define STAGE_KEPT(n) \
  ((n)->stage == \at((n)->stage, Pre) && (n)->final == \at((n)->final, Pre) && \
   (n)->gpa == \at((n)->gpa, Pre))

/* Stage 1: the guest's walk, each of its entries fetched through EPT and
 * copied into the scratch window until xpt_walk stops on one of them;
 * then the walk names the guest's entries and their guest-physical
 * addresses.  False when EPT (stage 2) or the host window (*err) stops it
 * first. */
/*@ requires XPT_HOST_WINDOW(mem, n) && \valid(n) && \valid_read(guest) && \valid(err);
    requires 12 < maxphyaddr <= 52 && 12 < guest->maxphyaddr <= 52;
    requires \valid(scratch + (0 .. 3071));
    requires \separated(scratch + (0 .. 3071), n, guest, mem, err,
                        mem->words + (0 .. mem->nframes * 512 - 1));
    requires \separated(err, n, guest, mem, mem->words + (0 .. mem->nframes * 512 - 1));
    requires \separated(n, guest);
    assigns n->guest, n->ept, n->stage, n->final, n->gpa, scratch[0 .. 3071], *err;
    ensures err: *err == XPT_OK || *err == XPT_E_WINDOW;
    ensures walked: \result ==> *err == XPT_OK && STAGE_KEPT(n);
    ensures stopped: !\result && *err == XPT_OK ==>
      n->stage == 2 && !n->final && n->ept.outcome != XPT_EPT_OK;
*/
static bool guest_walk(const struct xpt_mem *mem, const struct xpt_ctl *guest, uint64_t eptp,
                       unsigned maxphyaddr, uint64_t gva, unsigned access, uint64_t *scratch,
                       struct xpt_nested *n, int *err)
{
	unsigned top = (guest->flags & XPT_CTL_LA57) ? XPT_MAX_LEVELS : XPT_LEVELS;
	uint64_t mask = xpt_addr_mask(guest->maxphyaddr), table = guest->cr3 & mask;
	struct xpt_mem sw = { scratch, top + 1u };
	struct xpt_ctl sctl = *guest;
	uint64_t gpas[XPT_MAX_LEVELS], entries[XPT_MAX_LEVELS];
	/*@ loop invariant 0 <= i <= (top + 1) * 512;
	    loop assigns i, scratch[0 .. 3071];
	    loop variant (top + 1) * 512 - i;
	*/
	for (uint64_t i = 0; i < (top + 1u) * XPT_ENTRIES; i++)
		scratch[i] = 0;
	sctl.cr3 = 0; /* scratch frame k holds the guest's table of level top - k */
	/* The walk ends by level 1 at the latest (k = top - 1): the loop ends
	 * at its break. */
	/*@ loop invariant 0 <= k < top && (top == 4 || top == 5);
	    loop invariant kept: STAGE_KEPT(n);
	    loop invariant host: mem->nframes == \at(mem->nframes, Pre) &&
	      mem->words == \at(mem->words, Pre);
	    loop assigns k, table, gpas[0 .. 4], entries[0 .. 4], scratch[0 .. 3071], *err,
	                 n->guest, n->ept, n->stage, n->final, n->gpa;
	    loop variant top - k;
	*/
	for (unsigned k = 0;; k++) {
		unsigned level = top - k, i = xpt_index(gva, level);
		uint64_t e;
		gpas[k] = table + 8u * i;
		if (!stage2(mem, eptp, maxphyaddr, gpas[k], XPT_ACC_READ, false, n, err))
			return false;
		//@ assert kept_ept: STAGE_KEPT(n);
		if (n->ept.hpa / 8u >= mem->nframes * XPT_ENTRIES) {
			*err = XPT_E_WINDOW;
			return false;
		}
		e = entries[k] = mem->words[n->ept.hpa / 8u];
		if (!xpt_is_leaf(e, level) || level > 3u)
			e = (e & ~mask) | ((uint64_t)(k + 1u) << XPT_PAGE_SHIFT);
		//@ assert slot: k * 512 + i < 3072;
		scratch[xpt_slot(k, i)] = e;
		//@ assert kept_copy: STAGE_KEPT(n);
		if ((*err = xpt_walk(&sw, &sctl, gva, access, &n->guest)) != XPT_OK)
			return false;
		//@ assert kept_walk: STAGE_KEPT(n);
		//@ assert walked: n->guest.levels <= top && *err == XPT_OK;
		if (n->guest.levels <= k + 1u)
			break;
		table = entries[k] & mask;
	}
	//@ assert walked: n->guest.levels <= 5 && *err == XPT_OK;
	/*@ loop invariant 0 <= k <= n->guest.levels;
	    loop assigns k, n->guest.entry[0 .. 4], n->guest.entry_pa[0 .. 4];
	    loop variant n->guest.levels - k;
	*/
	for (unsigned k = 0; k < n->guest.levels; k++) {
		n->guest.entry[k] = entries[k];
		n->guest.entry_pa[k] = gpas[k];
	}
	return true;
}

int xpt_nested_walk(const struct xpt_mem *mem, const struct xpt_ctl *guest, uint64_t eptp,
                    unsigned maxphyaddr, uint64_t gva, unsigned access, uint64_t *scratch,
                    struct xpt_nested *n)
{
	int err;
	n->stage = 0;
	n->final = false;
	n->gpa = n->hpa = 0;
	if (!guest_walk(mem, guest, eptp, maxphyaddr, gva, access, scratch, n, &err))
		return err;
	if (n->guest.fault != XPT_FAULT_NONE) {
		n->stage = 1;
		return XPT_OK;
	}
	n->gpa = n->guest.pa;
	if (stage2(mem, eptp, maxphyaddr, n->gpa, access, true, n, &err))
		n->hpa = n->ept.hpa;
	return err;
}

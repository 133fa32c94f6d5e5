/* Flush records: what the TLB must forget after a batch of mutations. */
#include "bits.h"

void xpt_flush_init(struct xpt_flush *fl)
{
	fl->npages = 0;
	fl->all = false;
	fl->global = false;
}

void xpt_flush_add(struct xpt_flush *fl, uint64_t va)
{
	uint64_t page = va & ~(uint64_t)(XPT_PAGE_SIZE - 1u);
	if (fl == NULL || fl->all)
		return;
	/*@ loop invariant 0 <= i <= fl->npages;
	    loop invariant absent_below: \forall integer j; 0 <= j < i ==> fl->va[j] != page;
	    loop assigns i;
	    loop variant fl->npages - i;
	*/
	for (uint32_t i = 0; i < fl->npages; i++)
		if (fl->va[i] == page)
			return;
	if (fl->npages == XPT_FLUSH_PAGES) {
		fl->all = true; /* past this many invlpgs a full flush is cheaper */
		return;
	}
	fl->va[fl->npages++] = page;
}

/* The TLB the hooks drive, in the annotations below. */
#define ARCH_TLB XPT_TLB_CTX(arch->ctx)

void xpt_flush_apply(const struct xpt_arch *arch, struct xpt_flush *fl)
{
	if (fl->all) {
		//@ calls xpt_tlb_hook_flush_all;
		arch->flush_all(arch->ctx);
	} else {
		/*@ loop invariant 0 <= i <= fl->npages;
		    loop invariant ok: xpt_tlb_ok(ARCH_TLB);
		    loop invariant only_drops: xpt_tlb_only_drops{Pre, Here}(ARCH_TLB);
		    loop invariant dropped: \forall integer k, j; 0 <= k < XPT_TLB_ENTRIES && 0 <= j < i &&
		      \at(xpt_tlb_live(ARCH_TLB, k) && xpt_tlb_holds(ARCH_TLB, k, fl->va[j]), Pre) ==> !ARCH_TLB->e[k].valid;
		    loop assigns i, ARCH_TLB->invlpgs, XPT_TLB_DROP_ASSIGNS(ARCH_TLB);
		    loop variant fl->npages - i;
		*/
		for (uint32_t i = 0; i < fl->npages; i++) {
			//@ calls xpt_tlb_hook_invlpg;
			arch->invlpg(arch->ctx, fl->va[i]);
		}
	}
	xpt_flush_init(fl);
	/* The hooks changed valid flags alone: the tables, the controls and
	 * every entry still valid are as they were (tlb_flush_agrees). */
	//@ assert same_ctl: xpt_tlb_same_ctl{Pre, Here}(ARCH_TLB);
	/*@ assert words: \forall integer x; 0 <= x < ARCH_TLB->mem->nframes * 512 ==>
	      ARCH_TLB->mem->words[x] == \at(ARCH_TLB->mem->words[x], Pre); */
	/*@ assert walks: \forall integer va; pg_canonical(\at(ARCH_TLB->ctl.flags, Pre), va) &&
	      !pg_window{Pre}(XPT_TLB_PGW(ARCH_TLB, Pre), \at(ARCH_TLB->mem->nframes, Pre), va) ==>
	      pg_same_walk{Pre, Here}(XPT_TLB_PGW(ARCH_TLB, Here), va); */
	//@ assert walks_kept: xpt_tlb_walks_kept{Pre, Here}(ARCH_TLB);
	//@ assert kept: xpt_tlb_kept{Pre, Here}(ARCH_TLB);
	//@ assert gone: xpt_tlb_gone{Pre, Here}(ARCH_TLB, fl);
}

void xpt_flush_apply_pcid(const struct xpt_arch *arch, uint16_t pcid, struct xpt_flush *fl)
{
	if (fl->all) {
		//@ calls xpt_tlb_hook_invpcid;
		arch->invpcid(arch->ctx, fl->global ? XPT_INVPCID_ALL_GLOBAL : XPT_INVPCID_CONTEXT,
		              pcid, 0);
	} else {
		/*@ loop invariant 0 <= i <= fl->npages;
		    loop invariant ok: xpt_tlb_ok(ARCH_TLB);
		    loop invariant only_drops: xpt_tlb_only_drops{Pre, Here}(ARCH_TLB);
		    loop invariant dropped: \forall integer k, j; 0 <= k < XPT_TLB_ENTRIES && 0 <= j < i &&
		      \at(ARCH_TLB->e[k].valid && !ARCH_TLB->e[k].global && ARCH_TLB->e[k].pcid == pcid &&
		          xpt_tlb_holds(ARCH_TLB, k, fl->va[j]), Pre) ==> !ARCH_TLB->e[k].valid;
		    loop invariant dropped_global: fl->global ==> \forall integer k, j;
		      0 <= k < XPT_TLB_ENTRIES && 0 <= j < i &&
		      \at(xpt_tlb_live(ARCH_TLB, k) && xpt_tlb_holds(ARCH_TLB, k, fl->va[j]), Pre) ==> !ARCH_TLB->e[k].valid;
		    loop assigns i, ARCH_TLB->invlpgs, ARCH_TLB->flushes, XPT_TLB_DROP_ASSIGNS(ARCH_TLB);
		    loop variant fl->npages - i;
		*/
		for (uint32_t i = 0; i < fl->npages; i++) {
			//@ calls xpt_tlb_hook_invpcid;
			arch->invpcid(arch->ctx, XPT_INVPCID_ADDR, pcid, fl->va[i]);
			/*@ assert still: \let page = fl->va[i]; \forall integer k; 0 <= k < XPT_TLB_ENTRIES &&
			      ARCH_TLB->e[k].valid &&
			      \at(xpt_tlb_live(ARCH_TLB, k) && xpt_tlb_holds(ARCH_TLB, k, page), Pre) ==>
			      xpt_tlb_live(ARCH_TLB, k) && xpt_tlb_holds(ARCH_TLB, k, page); */
			if (fl->global) { /* INVPCID by address spares global entries */
				//@ calls xpt_tlb_hook_invlpg;
				arch->invlpg(arch->ctx, fl->va[i]);
			}
		}
	}
	xpt_flush_init(fl);
}

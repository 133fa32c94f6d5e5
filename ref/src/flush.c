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

void xpt_flush_apply(const struct xpt_arch *arch, struct xpt_flush *fl)
{
	if (fl->all)
		arch->flush_all(arch->ctx);
	else
		for (uint32_t i = 0; i < fl->npages; i++)
			arch->invlpg(arch->ctx, fl->va[i]);
	xpt_flush_init(fl);
}

void xpt_flush_apply_pcid(const struct xpt_arch *arch, uint16_t pcid, struct xpt_flush *fl)
{
	if (fl->all) {
		arch->invpcid(arch->ctx, fl->global ? XPT_INVPCID_ALL_GLOBAL : XPT_INVPCID_CONTEXT,
		              pcid, 0);
	} else {
		for (uint32_t i = 0; i < fl->npages; i++) {
			arch->invpcid(arch->ctx, XPT_INVPCID_ADDR, pcid, fl->va[i]);
			if (fl->global) /* INVPCID by address spares global entries */
				arch->invlpg(arch->ctx, fl->va[i]);
		}
	}
	xpt_flush_init(fl);
}

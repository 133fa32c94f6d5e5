/* Flush records: what the TLB must forget after a batch of mutations. */
#include "bits.h"

void xpt_flush_init(struct xpt_flush *fl)
{
	fl->npages = 0;
	fl->all = false;
}

void xpt_flush_add(struct xpt_flush *fl, uint64_t va)
{
	uint64_t page = va & ~(uint64_t)(XPT_PAGE_SIZE - 1u);
	if (fl == NULL || fl->all)
		return;
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

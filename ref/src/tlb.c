/*
 * A software TLB: caches successful translations and serves them, stale or
 * not, until invlpg or a full flush removes them (SDM 4.10.2, 4.10.4).
 */
#include "bits.h"

void xpt_tlb_init(struct xpt_tlb *t, struct xpt_mem *mem, const struct xpt_ctl *ctl)
{
	*t = (struct xpt_tlb){ .mem = mem, .ctl = *ctl };
}

static struct xpt_tlb_entry *lookup(struct xpt_tlb *t, uint64_t va)
{
	for (unsigned i = 0; i < XPT_TLB_ENTRIES; i++) {
		struct xpt_tlb_entry *e = &t->e[i];
		if (e->valid && (va & ~(xpt_size_bytes(e->size) - 1u)) == e->va)
			return e;
	}
	return NULL;
}

int xpt_tlb_access(struct xpt_tlb *t, uint64_t va, unsigned access, struct xpt_walk *w)
{
	struct xpt_tlb_entry *e = lookup(t, va);
	int err;
	/* A hit serves the cached translation and rights.  A write through a
	 * clean entry, or an access the cached rights refuse, goes back to the
	 * tables: the processor re-walks before it sets D or raises #PF. */
	if (e != NULL && (e->dirty || !(access & XPT_ACC_WRITE)) &&
	    xpt_rights_error(&t->ctl, e->eff, e->pkey, access) == 0) {
		uint64_t off = va & (xpt_size_bytes(e->size) - 1u);
		t->hits++;
		*w = (struct xpt_walk){ .leaf = (uint8_t)e->size, .pkey = e->pkey, .eff = e->eff,
		                        .pa = e->pa | off };
		return XPT_OK;
	}
	t->misses++;
	err = xpt_walk(t->mem, &t->ctl, va, access, w);
	if (err != XPT_OK || w->fault != XPT_FAULT_NONE) {
		if (e != NULL)
			e->valid = false; /* a #PF drops the entries for its address */
		return err;
	}
	xpt_walk_set_ad(t->mem, w);
	if (e == NULL) {
		e = &t->e[t->next];
		t->next = (t->next + 1u) % XPT_TLB_ENTRIES;
	}
	uint64_t bytes = xpt_size_bytes((enum xpt_size)w->leaf);
	*e = (struct xpt_tlb_entry){ .valid = true, .dirty = w->set_d, .size = (enum xpt_size)w->leaf,
	                             .pkey = w->pkey, .eff = w->eff, .va = va & ~(bytes - 1u),
	                             .pa = w->pa & ~(bytes - 1u) };
	return XPT_OK;
}

void xpt_tlb_invlpg(struct xpt_tlb *t, uint64_t va)
{
	struct xpt_tlb_entry *e;
	t->invlpgs++;
	while ((e = lookup(t, va)) != NULL)
		e->valid = false;
}

void xpt_tlb_flush_all(struct xpt_tlb *t)
{
	t->flushes++;
	for (unsigned i = 0; i < XPT_TLB_ENTRIES; i++)
		t->e[i].valid = false;
}

static void hook_invlpg(void *ctx, uint64_t va)
{
	xpt_tlb_invlpg(ctx, va);
}

static void hook_flush_all(void *ctx)
{
	xpt_tlb_flush_all(ctx);
}

static void hook_load_cr3(void *ctx, uint64_t cr3)
{
	struct xpt_tlb *t = ctx;
	t->ctl.cr3 = cr3;
	xpt_tlb_flush_all(t);
}

struct xpt_arch xpt_tlb_arch(struct xpt_tlb *t)
{
	struct xpt_arch a = { hook_invlpg, hook_flush_all, hook_load_cr3, t };
	return a;
}

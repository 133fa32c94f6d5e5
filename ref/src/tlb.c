/*
 * A software TLB: caches successful translations and serves them, stale or
 * not, until invlpg, INVPCID, a CR3 load or a full flush removes them
 * (SDM Vol. 3A 4.10.1, 4.10.2, 4.10.4).  Entries carry the PCID they were
 * made under; global ones (G leaf with CR4.PGE) match every PCID and
 * survive CR3 loads.
 */
#include "bits.h"

/*@ requires \valid_read(t);
    assigns \nothing;
    ensures \result == XPT_TLB_TAG(t);
*/
static uint16_t current_pcid(const struct xpt_tlb *t)
{
	return (t->ctl.flags & XPT_CTL_PCIDE) ? (uint16_t)(t->ctl.cr3 & XPT_CR3_PCID_MASK) : 0;
}

void xpt_tlb_init(struct xpt_tlb *t, struct xpt_mem *mem, const struct xpt_ctl *ctl)
{
	t->mem = mem;
	t->ctl = *ctl;
	t->next = 0;
	t->hits = t->misses = t->invlpgs = t->flushes = 0;
	/* Only a valid entry's other fields are ever read. */
	/*@ loop invariant 0 <= i <= XPT_TLB_ENTRIES;
	    loop invariant \forall integer k; 0 <= k < i ==> !t->e[k].valid;
	    loop assigns i, XPT_TLB_DROP_ASSIGNS(t);
	    loop variant XPT_TLB_ENTRIES - i;
	*/
	for (unsigned i = 0; i < XPT_TLB_ENTRIES; i++)
		t->e[i].valid = false;
}

/*@ requires \valid_read(e) && (e->valid ==> e->size <= XPT_1G);
    assigns \nothing;
    ensures \result <==> xpt_tlbe_holds(e, va);
*/
static bool covers(const struct xpt_tlb_entry *e, uint64_t va)
{
	return e->valid && (va & ~(xpt_size_bytes(e->size) - 1u)) == e->va;
}

static struct xpt_tlb_entry *lookup(struct xpt_tlb *t, uint64_t va)
{
	uint16_t pcid = current_pcid(t);
	for (unsigned i = 0; i < XPT_TLB_ENTRIES; i++) {
		struct xpt_tlb_entry *e = &t->e[i];
		if (covers(e, va) && (e->global || e->pcid == pcid))
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
	bool global = (t->ctl.flags & XPT_CTL_PGE) && (w->entry[w->levels - 1u] & XPT_PTE_G);
	*e = (struct xpt_tlb_entry){ .valid = true, .dirty = w->set_d, .global = global,
	                             .pcid = current_pcid(t), .size = (enum xpt_size)w->leaf,
	                             .pkey = w->pkey, .eff = w->eff, .va = va & ~(bytes - 1u),
	                             .pa = w->pa & ~(bytes - 1u) };
	return XPT_OK;
}

/*@ predicate drops{L}(struct xpt_tlb_entry *e, integer va, _Bool any, integer pcid,
                       _Bool all_pcids, _Bool globals) =
      e->valid && (any || xpt_tlbe_holds(e, va)) &&
      (e->global ? globals : (all_pcids || e->pcid == pcid));
*/
/* Whether drop() removes entry e: one of va's page (any page when `any`),
 * of PCID `pcid` (any PCID when `all_pcids`), global only when `globals`. */
/*@ requires \valid_read(e) && (e->valid ==> e->size <= XPT_1G);
    assigns \nothing;
    ensures \result <==> drops(e, va, any, pcid, all_pcids, globals);
*/
static bool drops(const struct xpt_tlb_entry *e, uint64_t va, bool any, uint16_t pcid,
                  bool all_pcids, bool globals)
{
	if (!e->valid || (!any && !covers(e, va)))
		return false;
	return e->global ? globals : (all_pcids || e->pcid == pcid);
}

/*@ requires \valid(t) && xpt_tlb_ok(t);
    assigns XPT_TLB_DROP_ASSIGNS(t);
    ensures ok: xpt_tlb_ok(t);
    ensures gone: \forall integer i; 0 <= i < XPT_TLB_ENTRIES ==>
      (t->e[i].valid <==>
       \old(t->e[i].valid) && !\old(drops(&t->e[i], va, any, pcid, all_pcids, globals)));
*/
static void drop(struct xpt_tlb *t, uint64_t va, bool any, uint16_t pcid, bool all_pcids,
                 bool globals)
{
	/*@ loop invariant 0 <= i <= XPT_TLB_ENTRIES;
	    loop invariant done: \forall integer k; 0 <= k < i ==>
	      (t->e[k].valid <==>
	       \at(t->e[k].valid, Pre) && !\at(drops(&t->e[k], va, any, pcid, all_pcids, globals), Pre));
	    loop invariant todo: \forall integer k; i <= k < XPT_TLB_ENTRIES ==>
	      t->e[k].valid == \at(t->e[k].valid, Pre);
	    loop invariant same: \forall integer k; 0 <= k < XPT_TLB_ENTRIES ==>
	      t->e[k].global == \at(t->e[k].global, Pre) && t->e[k].pcid == \at(t->e[k].pcid, Pre) &&
	      t->e[k].size == \at(t->e[k].size, Pre) && t->e[k].va == \at(t->e[k].va, Pre);
	    loop invariant ok: xpt_tlb_ok(t);
	    loop assigns i, XPT_TLB_DROP_ASSIGNS(t);
	    loop variant XPT_TLB_ENTRIES - i;
	*/
	for (unsigned i = 0; i < XPT_TLB_ENTRIES; i++) {
		/*@ assert untouched: \let k = i; drops(&t->e[k], va, any, pcid, all_pcids, globals) <==>
		      \at(drops(&t->e[k], va, any, pcid, all_pcids, globals), Pre); */
		if (drops(&t->e[i], va, any, pcid, all_pcids, globals))
			t->e[i].valid = false;
	}
}

void xpt_tlb_invlpg(struct xpt_tlb *t, uint64_t va)
{
	t->invlpgs++;
	drop(t, va, false, current_pcid(t), false, true);
}

void xpt_tlb_flush_all(struct xpt_tlb *t)
{
	t->flushes++;
	drop(t, 0, true, 0, true, true);
}

void xpt_tlb_invpcid(struct xpt_tlb *t, unsigned type, uint16_t pcid, uint64_t va)
{
	t->flushes += type != XPT_INVPCID_ADDR;
	t->invlpgs += type == XPT_INVPCID_ADDR;
	switch (type) {
	case XPT_INVPCID_ADDR:
		drop(t, va, false, pcid, false, false);
		break;
	case XPT_INVPCID_CONTEXT:
		drop(t, 0, true, pcid, false, false);
		break;
	case XPT_INVPCID_ALL_GLOBAL:
		drop(t, 0, true, 0, true, true);
		break;
	default:
		drop(t, 0, true, 0, true, false);
		break;
	}
}

void xpt_tlb_load_cr3(struct xpt_tlb *t, uint64_t cr3)
{
	bool keep = (t->ctl.flags & XPT_CTL_PCIDE) && (cr3 & XPT_CR3_NOFLUSH);
	t->ctl.cr3 = cr3 & ~XPT_CR3_NOFLUSH;
	if (!keep) {
		t->flushes++;
		drop(t, 0, true, current_pcid(t), false, false);
	}
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
	xpt_tlb_load_cr3(ctx, cr3);
}

static void hook_invpcid(void *ctx, unsigned type, uint16_t pcid, uint64_t va)
{
	xpt_tlb_invpcid(ctx, type, pcid, va);
}

struct xpt_arch xpt_tlb_arch(struct xpt_tlb *t)
{
	struct xpt_arch a = { hook_invlpg, hook_flush_all, hook_load_cr3, hook_invpcid, t };
	return a;
}

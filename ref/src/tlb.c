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

/* The base of the page of size s that holds x. */
/*@ requires s <= XPT_1G;
    assigns \nothing;
    ensures \result == xpt_page_base(x, s);
*/
static uint64_t page_base(uint64_t x, enum xpt_size s)
{
	return x & ~(xpt_size_bytes(s) - 1u);
}

/*@ requires \valid_read(e) && (e->valid ==> e->size <= XPT_1G);
    assigns \nothing;
    ensures \result <==> xpt_tlbe_holds(e, va);
*/
static bool covers(const struct xpt_tlb_entry *e, uint64_t va)
{
	return e->valid && page_base(va, e->size) == e->va;
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
    ensures same: \forall integer i; 0 <= i < XPT_TLB_ENTRIES ==>
      t->e[i].global == \old(t->e[i].global);
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

/* The first entry that serves va now, or XPT_TLB_ENTRIES when none does. */
/*@ requires \valid(t) && xpt_tlb_ok(t);
    assigns \nothing;
    ensures \result <= XPT_TLB_ENTRIES;
    ensures found: \result < XPT_TLB_ENTRIES ==>
      xpt_tlb_live(t, \result) && xpt_tlb_holds(t, \result, va);
    ensures none: \result == XPT_TLB_ENTRIES ==> \forall integer i; 0 <= i < XPT_TLB_ENTRIES ==>
      !(xpt_tlb_live(t, i) && xpt_tlb_holds(t, i, va));
*/
static unsigned lookup(const struct xpt_tlb *t, uint64_t va)
{
	uint16_t pcid = current_pcid(t);
	/*@ loop invariant 0 <= i <= XPT_TLB_ENTRIES;
	    loop invariant \forall integer k; 0 <= k < i ==>
	      !(xpt_tlb_live(t, k) && xpt_tlb_holds(t, k, va));
	    loop assigns i;
	    loop variant XPT_TLB_ENTRIES - i;
	*/
	for (unsigned i = 0; i < XPT_TLB_ENTRIES; i++) {
		const struct xpt_tlb_entry *e = &t->e[i];
		if (covers(e, va) && (e->global || e->pcid == pcid))
			return i;
	}
	return XPT_TLB_ENTRIES;
}

/* A hit: the cached page of va, its rights and key, in a record that read
 * no entry.  The entry's fields are read before w is written: the record
 * is then the entry as it was found. */
/*@ requires \valid(w) && \valid_read(e) && e->size <= XPT_1G;
    assigns *w;
    ensures none: w->fault == XPT_FAULT_NONE && w->levels == 0 && w->error_code == 0 &&
      w->set_a == 0 && !w->set_d;
    ensures page: w->leaf == \old(e->size) && w->pkey == \old(e->pkey) && w->eff == \old(e->eff);
    ensures pa: w->pa == (\old(e->pa) | (va & (pg_size(\old(e->size) + 1) - 1)));
*/
static void serve(const struct xpt_tlb_entry *e, uint64_t va, struct xpt_walk *w)
{
	enum xpt_size size = e->size;
	uint8_t pkey = e->pkey;
	xpt_attr eff = e->eff;
	uint64_t pa = e->pa | (va & (xpt_size_bytes(size) - 1u));
	w->fault = XPT_FAULT_NONE;
	w->levels = 0;
	w->error_code = 0;
	w->set_a = 0;
	w->set_d = false;
	w->leaf = (uint8_t)size;
	w->pkey = pkey;
	w->eff = eff;
	w->pa = pa;
}

/* Whether the hit entry e can serve `access`: a write through a clean
 * entry, or an access the cached rights refuse, goes back to the tables,
 * as the processor re-walks before it sets D or raises #PF. */
/*@ requires \valid_read(t) && \valid_read(e) && e->pkey < 16;
    assigns \nothing;
*/
static bool serves(const struct xpt_tlb *t, const struct xpt_tlb_entry *e, unsigned access)
{
	return (e->dirty || !(access & XPT_ACC_WRITE)) &&
	       xpt_rights_error(&t->ctl, e->eff, e->pkey, access) == 0;
}

/* The part of the contract walk_access and walk_folded share: the window
 * and control state of the walk, what it writes, and its outcome. */
#define WALK_CONTRACT                                                            \
  requires \valid(mem) && \valid_read(ctl) && \valid(w);                        \
  requires 12 < ctl->maxphyaddr <= 52 && mem->nframes <= 0x10000000000;        \
  requires \valid(mem->words + (0 .. mem->nframes * 512 - 1));                 \
  requires \separated(w, mem, ctl, mem->words + (0 .. mem->nframes * 512 - 1)); \
  requires \separated(ctl, mem->words + (0 .. mem->nframes * 512 - 1));         \
  assigns *w, mem->words[0 .. mem->nframes * 512 - 1];                          \
  ensures result: \result == XPT_OK || \result == XPT_E_WINDOW;                \
  ensures window: \result == XPT_E_WINDOW <==>                                 \
    pg_window{Old}(XPT_PGW_OLD(mem, ctl), \old(mem->nframes), va);             \
  ensures fault: \result == XPT_OK ==>                                         \
    w->fault == pg_fault{Old}(XPT_PGW_OLD(mem, ctl), \old(ctl->pkru), va, access);

/* The walk of the access, with the A and D bits it sets written when it
 * translates. */
/*@ WALK_CONTRACT
    ensures page: \result == XPT_OK && w->fault == XPT_FAULT_NONE ==>
      1 <= w->levels <= XPT_MAX_LEVELS && w->leaf <= XPT_1G &&
      w->leaf == pg_level{Old}(XPT_PGW_OLD(mem, ctl), va) - 1 &&
      w->pa == pg_pa{Old}(XPT_PGW_OLD(mem, ctl), va) &&
      w->pkey == pg_pkey{Old}(XPT_PGW_OLD(mem, ctl), va) &&
      (pg_has(w->eff, XPT_WRITE) <==> pg_writable{Old}(XPT_PGW_OLD(mem, ctl), va)) &&
      (pg_has(w->eff, XPT_USER) <==> pg_user_addr{Old}(XPT_PGW_OLD(mem, ctl), va)) &&
      (pg_has(w->eff, XPT_NOEXEC) <==> pg_noexec{Old}(XPT_PGW_OLD(mem, ctl), va)) &&
      w->entry[w->levels - 1] == pg_last{Old}(XPT_PGW_OLD(mem, ctl), va) &&
      (w->set_d <==> pg_sets_d{Old}(XPT_PGW_OLD(mem, ctl), \old(ctl->pkru), va, access));
    ensures unchanged: \result != XPT_OK || w->fault != XPT_FAULT_NONE ==>
      \forall integer k; 0 <= k < mem->nframes * 512 ==> mem->words[k] == \old(mem->words[k]);
    ensures ad_only: \forall integer k; 0 <= k < mem->nframes * 512 ==>
      PG_AD_ONLY(\old(mem->words[k]), mem->words[k]);
*/
static int walk_access(struct xpt_mem *mem, const struct xpt_ctl *ctl, uint64_t va,
                       unsigned access, struct xpt_walk *w)
{
	int err = xpt_walk(mem, ctl, va, access, w);
	if (err == XPT_OK && w->fault == XPT_FAULT_NONE) {
		xpt_walk_set_ad(mem, w);
		/*@ assert ad: \forall integer k; 0 <= k < mem->nframes * 512 ==>
		      PG_AD_ONLY(\at(mem->words[k], Pre), mem->words[k]); */
	} else {
		/*@ assert no_ad: \forall integer k; 0 <= k < mem->nframes * 512 ==>
		      mem->words[k] == \at(mem->words[k], Pre); */
	}
	return err;
}

/*@ // The record w (at L) of an access that translated is the model's walk
    // of the tables at W: the leaf, its size, frame, rights, key and D.
    predicate walked{L, W}(struct xpt_walk *w, struct xpt_mem *mem, struct xpt_ctl *ctl,
                           integer va, integer access) =
      1 <= \at(w->levels, L) <= XPT_MAX_LEVELS && \at(w->leaf, L) <= XPT_1G &&
      \at(w->leaf, L) == pg_level{W}(XPT_PGW_AT(mem, ctl, W), va) - 1 &&
      \at(w->pa, L) == pg_pa{W}(XPT_PGW_AT(mem, ctl, W), va) &&
      \at(w->pkey, L) == pg_pkey{W}(XPT_PGW_AT(mem, ctl, W), va) &&
      (pg_has(\at(w->eff, L), XPT_WRITE) <==> pg_writable{W}(XPT_PGW_AT(mem, ctl, W), va)) &&
      (pg_has(\at(w->eff, L), XPT_USER) <==> pg_user_addr{W}(XPT_PGW_AT(mem, ctl, W), va)) &&
      (pg_has(\at(w->eff, L), XPT_NOEXEC) <==> pg_noexec{W}(XPT_PGW_AT(mem, ctl, W), va)) &&
      \at(w->entry[\at(w->levels, L) - 1], L) == pg_last{W}(XPT_PGW_AT(mem, ctl, W), va) &&
      (\at(w->set_d, L) <==> pg_sets_d{W}(XPT_PGW_AT(mem, ctl, W), \at(ctl->pkru, W), va, access));
*/
/* walk_access with what a translation found in one predicate: its callers
 * then carry one fact instead of ten. */
/*@ WALK_CONTRACT
    ensures page: \result == XPT_OK && w->fault == XPT_FAULT_NONE ==>
      walked{Here, Old}(w, mem, ctl, va, access);
*/
static int walk_folded(struct xpt_mem *mem, const struct xpt_ctl *ctl, uint64_t va,
                       unsigned access, struct xpt_walk *w)
{
	return walk_access(mem, ctl, va, access, w);
}

/* A miss that translated: cache the page of va as walk w found it in
 * entry i, and leave the other entries alone. */
/*@ requires \valid(t) && \valid_read(w) && \separated(t, w) && i < XPT_TLB_ENTRIES;
    requires w->leaf <= XPT_1G && 1 <= w->levels <= XPT_MAX_LEVELS;
    assigns t->e[i];
    ensures t->e[i].valid && t->e[i].dirty == \old(w->set_d) && t->e[i].pcid == XPT_TLB_TAG(t);
    ensures t->e[i].global <==>
      pg_has(t->ctl.flags, XPT_CTL_PGE) && pg_has(\old(w->entry[w->levels - 1]), PG_G);
    ensures t->e[i].size == \old(w->leaf) && t->e[i].eff == \old(w->eff);
    ensures t->e[i].pkey == pg_key(\old(w->entry[w->levels - 1])) && t->e[i].pkey < 16;
    ensures t->e[i].va == xpt_page_base(va, \old(w->leaf));
    ensures t->e[i].pa == xpt_page_base(\old(w->pa), \old(w->leaf));
    ensures w_kept: w->fault == \old(w->fault);
    ensures others: \forall integer k; 0 <= k < XPT_TLB_ENTRIES && k != i ==>
      XPT_TLB_SAME(t, k, Old, Here);
*/
static void cache(struct xpt_tlb *t, unsigned i, uint64_t va, const struct xpt_walk *w)
{
	struct xpt_tlb_entry *e = &t->e[i];
	enum xpt_size size = (enum xpt_size)w->leaf;
	uint64_t leaf = w->entry[w->levels - 1u];
	e->valid = true;
	e->dirty = w->set_d;
	e->global = (t->ctl.flags & XPT_CTL_PGE) && (leaf & XPT_PTE_G);
	e->pcid = current_pcid(t);
	e->size = size;
	e->pkey = (uint8_t)xpt_leaf_pkey(leaf); /* = w->pkey, with its range */
	e->eff = w->eff;
	e->va = page_base(va, size);
	e->pa = page_base(w->pa, size);
}

/* The walk of the access and, when it translates, its page cached in
 * entry i. */
/*@ requires XPT_TLB_WALKABLE(t, w) && i < XPT_TLB_ENTRIES;
    assigns *w, t->e[i], t->mem->words[0 .. t->mem->nframes * 512 - 1];
    ensures result: \result == XPT_OK || \result == XPT_E_WINDOW;
    ensures window: \result == XPT_E_WINDOW <==>
      pg_window{Old}(XPT_TLB_PGW(t, Old), \old(t->mem->nframes), va);
    ensures fault: \result == XPT_OK ==>
      w->fault == pg_fault{Old}(XPT_TLB_PGW(t, Old), \old(t->ctl.pkru), va, access);
    ensures ok: xpt_tlb_ok(t);
    ensures filled: \result == XPT_OK && w->fault == XPT_FAULT_NONE ==>
      XPT_TLB_CACHES(t, i, va, access, Here, Old);
    ensures others: \forall integer k; 0 <= k < XPT_TLB_ENTRIES && k != i ==>
      XPT_TLB_SAME(t, k, Old, Here);
    ensures kept: \result != XPT_OK || w->fault != XPT_FAULT_NONE ==>
      \forall integer k; 0 <= k < XPT_TLB_ENTRIES ==> XPT_TLB_SAME(t, k, Old, Here);
    ensures misses: t->misses == \old(t->misses);
*/
static int fill(struct xpt_tlb *t, unsigned i, uint64_t va, unsigned access, struct xpt_walk *w)
{
	int err = walk_folded(t->mem, &t->ctl, va, access, w);
	/*@ assert walk_keeps: \forall integer k; 0 <= k < XPT_TLB_ENTRIES ==>
	      XPT_TLB_SAME(t, k, Pre, Here); */
	//@ assert walk_ok: xpt_tlb_ok(t);
	//@ assert walk_misses: t->misses == \at(t->misses, Pre);
	if (err == XPT_OK && w->fault == XPT_FAULT_NONE) {
		cache(t, i, va, w);
		/* What filled states, in parts (one goal each). */
		/*@ assert filled_page: t->e[i].valid &&
		      t->e[i].size == pg_level{Pre}(XPT_TLB_PGW(t, Pre), va) - 1 &&
		      t->e[i].va == xpt_page_base(va, t->e[i].size) &&
		      t->e[i].pa == xpt_page_base(pg_pa{Pre}(XPT_TLB_PGW(t, Pre), va), t->e[i].size); */
		//@ assert filled_key: t->e[i].pkey == pg_pkey{Pre}(XPT_TLB_PGW(t, Pre), va);
		/*@ assert filled_rights:
		      (pg_has(t->e[i].eff, XPT_WRITE) <==> pg_writable{Pre}(XPT_TLB_PGW(t, Pre), va)) &&
		      (pg_has(t->e[i].eff, XPT_USER) <==> pg_user_addr{Pre}(XPT_TLB_PGW(t, Pre), va)) &&
		      (pg_has(t->e[i].eff, XPT_NOEXEC) <==> pg_noexec{Pre}(XPT_TLB_PGW(t, Pre), va)); */
		//@ assert filled_pcid: t->e[i].pcid == XPT_TLB_TAG(t);
		/*@ assert filled_global: t->e[i].global <==> pg_has(t->ctl.flags, XPT_CTL_PGE) &&
		      pg_has(pg_last{Pre}(XPT_TLB_PGW(t, Pre), va), PG_G); */
		/*@ assert filled_dirty: t->e[i].dirty <==>
		      pg_sets_d{Pre}(XPT_TLB_PGW(t, Pre), \at(t->ctl.pkru, Pre), va, access); */
	}
	return err;
}

/* A hit: entry i serves va, counted in t->hits; the entries, the tables
 * and the other counters stay as they were. */
/*@ requires XPT_TLB_WALKABLE(t, w) && i < XPT_TLB_ENTRIES && t->e[i].valid;
    assigns t->hits, *w;
    ensures ok: xpt_tlb_ok(t);
    ensures none: w->fault == XPT_FAULT_NONE;
    ensures page: w->leaf == \old(t->e[i].size) && w->pkey == \old(t->e[i].pkey) &&
      w->eff == \old(t->e[i].eff);
    ensures pa: w->pa == (\old(t->e[i].pa) | (va & (pg_size(\old(t->e[i].size) + 1) - 1)));
    ensures same: \forall integer k; 0 <= k < XPT_TLB_ENTRIES ==> XPT_TLB_SAME(t, k, Old, Here);
    ensures words: \forall integer k; 0 <= k < t->mem->nframes * 512 ==>
      t->mem->words[k] == \old(t->mem->words[k]);
    ensures misses: t->misses == \old(t->misses);
*/
static void serve_hit(struct xpt_tlb *t, unsigned i, uint64_t va, struct xpt_walk *w)
{
	serve(&t->e[i], va, w);
	/* The frame of *w, field group by field group (one goal each). */
	/*@ assert served_flags: \forall integer k; 0 <= k < XPT_TLB_ENTRIES ==>
	      t->e[k].valid == \at(t->e[k].valid, Pre) && t->e[k].dirty == \at(t->e[k].dirty, Pre) &&
	      t->e[k].global == \at(t->e[k].global, Pre); */
	/*@ assert served_tags: \forall integer k; 0 <= k < XPT_TLB_ENTRIES ==>
	      t->e[k].pcid == \at(t->e[k].pcid, Pre) && t->e[k].size == \at(t->e[k].size, Pre) &&
	      t->e[k].pkey == \at(t->e[k].pkey, Pre) && t->e[k].eff == \at(t->e[k].eff, Pre); */
	/*@ assert served_addrs: \forall integer k; 0 <= k < XPT_TLB_ENTRIES ==>
	      t->e[k].va == \at(t->e[k].va, Pre) && t->e[k].pa == \at(t->e[k].pa, Pre); */
	//@ assert served_ok: xpt_tlb_ok(t);
	t->hits++;
}

/* Whether lookup's answer i is an entry that serves `access`. */
/*@ requires \valid_read(t) && xpt_tlb_ok(t) && i <= XPT_TLB_ENTRIES;
    requires i < XPT_TLB_ENTRIES ==> t->e[i].valid;
    assigns \nothing;
    ensures \result ==> i < XPT_TLB_ENTRIES;
*/
static bool hit_serves(const struct xpt_tlb *t, unsigned i, unsigned access)
{
	return i < XPT_TLB_ENTRIES && serves(t, &t->e[i], access);
}

/* Count one event in counter c (which wraps at 2^64). */
/*@ requires \valid(c);
    assigns *c;
    ensures counted: *c == (\old(*c) == UINT64_MAX ? 0 : \old(*c) + 1);
*/
static void tick(uint64_t *c)
{
	*c = *c + 1u;
}

/* What a #PF does to the TLB (SDM 4.10.4.1): the live entries holding
 * va's page go, as for invlpg. */
/*@ requires \valid(t) && xpt_tlb_ok(t);
    assigns XPT_TLB_DROP_ASSIGNS(t);
    ensures ok: xpt_tlb_ok(t);
    ensures only_drops: xpt_tlb_only_drops{Old, Here}(t);
    ensures none: \forall integer k; 0 <= k < XPT_TLB_ENTRIES ==>
      !(xpt_tlb_live(t, k) && xpt_tlb_holds(t, k, va));
*/
static void drop_page(struct xpt_tlb *t, uint64_t va)
{
	drop(t, va, false, current_pcid(t), false, true);
}

/* A miss: the walk; its page cached in entry `hit` (the entry that could
 * not serve the access, or XPT_TLB_ENTRIES for none: then the round-robin
 * victim); on a fault the live entries of va's page dropped; counted in
 * t->misses. */
/*@ requires XPT_TLB_WALKABLE(t, w);
    requires hit <= XPT_TLB_ENTRIES;
    assigns *w, t->next, t->misses, t->e[0 .. XPT_TLB_ENTRIES - 1], XPT_TLB_DROP_ASSIGNS(t),
            t->mem->words[0 .. t->mem->nframes * 512 - 1];
    ensures ok: xpt_tlb_ok(t);
    ensures counted: t->misses == (\old(t->misses) == UINT64_MAX ? 0 : \old(t->misses) + 1);
    ensures result: \result == XPT_OK || \result == XPT_E_WINDOW;
    ensures window: \result == XPT_E_WINDOW <==>
      pg_window{Old}(XPT_TLB_PGW(t, Old), \old(t->mem->nframes), va);
    ensures fault: \result == XPT_OK ==>
      w->fault == pg_fault{Old}(XPT_TLB_PGW(t, Old), \old(t->ctl.pkru), va, access);
    ensures fill: \result == XPT_OK && w->fault == XPT_FAULT_NONE ==>
      \exists integer j; 0 <= j < XPT_TLB_ENTRIES && XPT_TLB_CACHES(t, j, va, access, Here, Old) &&
        \forall integer k; 0 <= k < XPT_TLB_ENTRIES && k != j ==> XPT_TLB_SAME(t, k, Old, Here);
    ensures fault_drops: \result != XPT_OK || w->fault != XPT_FAULT_NONE ==>
      xpt_tlb_only_drops{Old, Here}(t) &&
      \forall integer k; 0 <= k < XPT_TLB_ENTRIES ==> !(xpt_tlb_live(t, k) && xpt_tlb_holds(t, k, va));
*/
static int miss(struct xpt_tlb *t, unsigned hit, uint64_t va, unsigned access,
                struct xpt_walk *w)
{
	unsigned i = hit < XPT_TLB_ENTRIES ? hit : t->next;
	int err = fill(t, i, va, access, w);
	if (err != XPT_OK || w->fault != XPT_FAULT_NONE) {
		/* A #PF drops the entries for its address (SDM 4.10.4.1). */
		tick(&t->misses);
		drop_page(t, va);
		/*@ assert counted: t->misses ==
		      (\at(t->misses, Pre) == UINT64_MAX ? 0 : \at(t->misses, Pre) + 1); */
		/*@ assert dropped: xpt_tlb_only_drops{Pre, Here}(t) &&
		      \forall integer k; 0 <= k < XPT_TLB_ENTRIES ==>
		        !(xpt_tlb_live(t, k) && xpt_tlb_holds(t, k, va)); */
		return err;
	}
	/*@ assert cached: XPT_TLB_CACHES(t, i, va, access, Here, Pre) &&
	      \forall integer k; 0 <= k < XPT_TLB_ENTRIES && k != i ==> XPT_TLB_SAME(t, k, Pre, Here); */
	tick(&t->misses);
	/*@ assert counted_at: t->misses ==
	      (\at(t->misses, Pre) == UINT64_MAX ? 0 : \at(t->misses, Pre) + 1); */
	if (hit == XPT_TLB_ENTRIES)
		t->next = (t->next + 1u) % XPT_TLB_ENTRIES;
	/*@ assert cached_at: XPT_TLB_CACHES(t, i, va, access, Here, Pre) &&
	      \forall integer k; 0 <= k < XPT_TLB_ENTRIES && k != i ==> XPT_TLB_SAME(t, k, Pre, Here); */
	return XPT_OK;
}

int xpt_tlb_access(struct xpt_tlb *t, uint64_t va, unsigned access, struct xpt_walk *w)
{
	unsigned i = lookup(t, va);
	if (hit_serves(t, i, access)) {
		serve_hit(t, i, va, w);
		/*@ assert served: \let k = i; w->fault == XPT_FAULT_NONE &&
		      \at(xpt_tlb_live(t, k) && xpt_tlb_holds(t, k, va), Pre) &&
		      w->leaf == \at(t->e[k].size, Pre) && w->pkey == \at(t->e[k].pkey, Pre) &&
		      w->eff == \at(t->e[k].eff, Pre) &&
		      w->pa == (\at(t->e[k].pa, Pre) | (va & (pg_size(\at(t->e[k].size, Pre) + 1) - 1))); */
		/*@ assert unchanged: t->misses == \at(t->misses, Pre) &&
		      (\forall integer k; 0 <= k < XPT_TLB_ENTRIES ==> XPT_TLB_SAME(t, k, Pre, Here)) &&
		      \forall integer k; 0 <= k < t->mem->nframes * 512 ==>
		        t->mem->words[k] == \at(t->mem->words[k], Pre); */
		return XPT_OK;
	}
	int err = miss(t, i, va, access, w);
	//@ assert counted: t->misses != \at(t->misses, Pre);
	/*@ assert cached: err == XPT_OK && w->fault == XPT_FAULT_NONE ==>
	      \exists integer j; 0 <= j < XPT_TLB_ENTRIES && XPT_TLB_CACHES(t, j, va, access, Here, Pre) &&
	        \forall integer k; 0 <= k < XPT_TLB_ENTRIES && k != j ==> XPT_TLB_SAME(t, k, Pre, Here); */
	/*@ assert dropped: err != XPT_OK || w->fault != XPT_FAULT_NONE ==>
	      xpt_tlb_only_drops{Pre, Here}(t) &&
	      \forall integer k; 0 <= k < XPT_TLB_ENTRIES ==> !(xpt_tlb_live(t, k) && xpt_tlb_holds(t, k, va)); */
	return err;
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

void xpt_tlb_hook_invlpg(void *ctx, uint64_t va)
{
	xpt_tlb_invlpg(ctx, va);
}

void xpt_tlb_hook_flush_all(void *ctx)
{
	xpt_tlb_flush_all(ctx);
}

void xpt_tlb_hook_load_cr3(void *ctx, uint64_t cr3)
{
	xpt_tlb_load_cr3(ctx, cr3);
}

void xpt_tlb_hook_invpcid(void *ctx, unsigned type, uint16_t pcid, uint64_t va)
{
	xpt_tlb_invpcid(ctx, type, pcid, va);
}

struct xpt_arch xpt_tlb_arch(struct xpt_tlb *t)
{
	struct xpt_arch a = { xpt_tlb_hook_invlpg, xpt_tlb_hook_flush_all, xpt_tlb_hook_load_cr3,
	                      xpt_tlb_hook_invpcid, t };
	return a;
}

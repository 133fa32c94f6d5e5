/*
 * The architectural walk of SDM Vol. 3A chapter 4 for 4-level paging:
 * 4.5 (the walk and the entry formats), 4.6 (access rights), 4.7 (the #PF
 * error code), 4.8 (accessed and dirty flags).
 */
#include "bits.h"

/* Address bits at or above MAXPHYADDR (bits M..51). */
/*@ requires 12 < maxphyaddr <= 52;
    assigns \nothing;
    ensures \result <==> (e & pg_bits(maxphyaddr, 52)) != 0;
*/
static bool beyond_maxphyaddr(uint64_t e, unsigned maxphyaddr)
{
	return (e & xpt_bit_range(maxphyaddr, 52)) != 0;
}

/* Reserved bits of a present entry at `level` (SDM 4.5, tables 4-14..4-20),
 * one rule at a time in the order of pg_rsvd. */
/*@ requires \valid_read(ctl) && 12 < ctl->maxphyaddr <= 52;
    assigns \nothing;
    ensures \result <==> pg_rsvd(e, level, ctl->flags, ctl->maxphyaddr);
    ensures level >= 4 && pg_has(e, PG_PS) ==> \result;
*/
static bool has_reserved_bits(uint64_t e, unsigned level, const struct xpt_ctl *ctl)
{
	if (beyond_maxphyaddr(e, ctl->maxphyaddr))
		return true;
	if ((e & XPT_PTE_NX) && !(ctl->flags & XPT_CTL_NXE))
		return true;
	if (!(e & XPT_PTE_PS))
		return false;
	if (level >= 4u) /* PML4E and PML5E */
		return true;
	if (level == 3u)
		return !(ctl->flags & XPT_CTL_GBPAGES) || (e & xpt_bit_range(13, 30));
	if (level == 2u)
		return (e & xpt_bit_range(13, 21)) != 0;
	return false; /* bit 7 of a PTE is PAT */
}

/* Whether the protection key of a user-mode address forbids the access (SDM 4.6.2). */
/*@ requires \valid_read(ctl) && pkey < 16;
    assigns \nothing;
    ensures \result <==>
      !pg_fetch(access) &&
      (pg_pkru_ad(ctl->pkru, pkey) ||
       (pg_write(access) && pg_pkru_wd(ctl->pkru, pkey) &&
        (pg_has(access, XPT_ACC_USER) || pg_has(ctl->flags, CTL_WP))));
*/
static bool pkey_denies(const struct xpt_ctl *ctl, unsigned pkey, unsigned access)
{
	bool ad = (ctl->pkru >> (2u * pkey)) & 1u;
	bool wd = (ctl->pkru >> (2u * pkey + 1u)) & 1u;
	bool user = access & XPT_ACC_USER;
	if (access & XPT_ACC_FETCH)
		return false;
	if (ad)
		return true;
	return (access & XPT_ACC_WRITE) && wd && (user || (ctl->flags & XPT_CTL_WP));
}

/* Access rights without protection keys (SDM 4.6.1).  `eff` combines all levels. */
/*@ requires \valid_read(ctl);
    requires !(pg_has(access, XPT_ACC_USER) && pg_has(access, XPT_ACC_IMPLICIT));
    assigns \nothing;
    ensures \result <==>
      !pg_allowed(pg_has(eff, XPT_USER), pg_has(eff, XPT_WRITE), pg_has(eff, XPT_NOEXEC),
                  ctl->flags, access);
*/
static bool rights_deny(const struct xpt_ctl *ctl, xpt_attr eff, unsigned access)
{
	bool upage = eff & XPT_USER, writable = eff & XPT_WRITE, nx = eff & XPT_NOEXEC;
	bool write = access & XPT_ACC_WRITE, fetch = access & XPT_ACC_FETCH;
	bool smap = (ctl->flags & XPT_CTL_SMAP) &&
	            ((access & XPT_ACC_IMPLICIT) || !(ctl->flags & XPT_CTL_AC));

	if (access & XPT_ACC_USER) {
		if (!upage)
			return true;
		return fetch ? nx : (write && !writable);
	}
	if (fetch)
		return (upage && (ctl->flags & XPT_CTL_SMEP)) || nx;
	if (upage && smap)
		return true;
	return write && !writable && (ctl->flags & XPT_CTL_WP);
}

uint32_t xpt_rights_error(const struct xpt_ctl *ctl, xpt_attr eff, unsigned pkey, unsigned access)
{
	if (access & XPT_ACC_IMPLICIT) /* supervisor-mode whatever the CPL (SDM 4.6) */
		access &= ~XPT_ACC_USER;
	bool pk = (ctl->flags & XPT_CTL_PKE) && (eff & XPT_USER) && pkey_denies(ctl, pkey, access);
	if (pk)
		return XPT_PF_P | XPT_PF_PK;
	return rights_deny(ctl, eff, access) ? XPT_PF_P : 0;
}

/* The rights of the levels above combined with those of entry e (SDM 4.6.1):
 * R/W and U/S ANDed, XD ORed when NXE is set. */
/*@ requires \valid_read(ctl);
    assigns \nothing;
    ensures pg_has(\result, XPT_WRITE) <==> pg_has(eff, XPT_WRITE) && pg_has(e, PG_RW);
    ensures pg_has(\result, XPT_USER) <==> pg_has(eff, XPT_USER) && pg_has(e, PG_US);
    ensures pg_has(\result, XPT_NOEXEC) <==>
      pg_has(eff, XPT_NOEXEC) || (pg_has(e, PG_NX) && pg_has(ctl->flags, CTL_NXE));
*/
static xpt_attr combine_rights(xpt_attr eff, uint64_t e, const struct xpt_ctl *ctl)
{
	if (!(e & XPT_PTE_RW))
		eff &= ~XPT_WRITE;
	if (!(e & XPT_PTE_US))
		eff &= ~XPT_USER;
	if ((e & XPT_PTE_NX) && (ctl->flags & XPT_CTL_NXE))
		eff |= XPT_NOEXEC;
	return eff;
}

/* The W, U and I/D bits of the #PF error code of an access (SDM 4.7). */
/*@ requires \valid_read(ctl);
    assigns \nothing;
    ensures !pg_has(\result, PF_P) && !pg_has(\result, PF_RSVD) && !pg_has(\result, PF_PK);
    ensures pg_has(\result, PF_W) <==> pg_ec_w(access);
    ensures pg_has(\result, PF_U) <==> pg_ec_u(access);
    ensures pg_has(\result, PF_ID) <==> pg_ec_id(ctl->flags, access);
*/
static uint32_t access_error_code(const struct xpt_ctl *ctl, unsigned access)
{
	uint32_t ec = access & (XPT_ACC_WRITE | XPT_ACC_USER);
	if (access & XPT_ACC_IMPLICIT) /* an implicit access at CPL 3 has U/S = 0 (SDM 4.7) */
		ec &= ~XPT_PF_U;
	if ((access & XPT_ACC_FETCH) && (ctl->flags & (XPT_CTL_NXE | XPT_CTL_SMEP)))
		ec |= XPT_PF_ID;
	return ec;
}

/*@ requires \valid(w);
    assigns w->fault, w->error_code;
    ensures w->fault == XPT_FAULT_PF && w->error_code == error_code;
*/
static void fault(struct xpt_walk *w, uint32_t error_code)
{
	w->fault = XPT_FAULT_PF;
	w->error_code = error_code;
}

/* Every field zero, so that a fault leaves nothing of an earlier walk. */
/*@ requires \valid(w);
    assigns *w;
    ensures w->fault == 0 && w->levels == 0 && w->error_code == 0 && w->set_a == 0 && !w->set_d;
*/
static void walk_reset(struct xpt_walk *w)
{
	/*@ loop invariant 0 <= i <= XPT_MAX_LEVELS;
	    loop assigns i, w->entry[0 .. XPT_MAX_LEVELS - 1], w->entry_pa[0 .. XPT_MAX_LEVELS - 1];
	    loop variant XPT_MAX_LEVELS - i;
	*/
	for (unsigned i = 0; i < XPT_MAX_LEVELS; i++)
		w->entry[i] = w->entry_pa[i] = 0;
	w->fault = XPT_FAULT_NONE;
	w->levels = w->leaf = w->pkey = 0;
	w->error_code = 0;
	w->pa = 0;
	w->eff = 0;
	w->set_a = 0;
	w->set_d = false;
}

int xpt_walk(const struct xpt_mem *mem, const struct xpt_ctl *ctl, uint64_t va,
             unsigned access, struct xpt_walk *w)
{
	xpt_pfn table = xpt_entry_frame(ctl->cr3, ctl->maxphyaddr);
	xpt_attr eff = XPT_WRITE | XPT_USER;
	uint32_t ec = access_error_code(ctl, access);
	bool la57 = ctl->flags & XPT_CTL_LA57;
	unsigned top = la57 ? XPT_MAX_LEVELS : XPT_LEVELS, level;

	walk_reset(w);
	/*@ assert walk_zero: w->fault == 0 && w->levels == 0 && w->error_code == 0 &&
	                      w->set_a == 0 && !w->set_d; */
	if (!xpt_canonical_width(va, la57 ? XPT_VA_BITS_LA57 : XPT_VA_BITS)) {
		w->fault = XPT_FAULT_GP;
		//@ assert gp_out: w->fault == XPT_FAULT_GP && w->error_code == 0 && w->levels == 0;
		return XPT_OK;
	}
	/*@ loop invariant inv_ctl: ctl->cr3 == \at(ctl->cr3, Pre) && ctl->flags == \at(ctl->flags, Pre) &&
	      ctl->maxphyaddr == \at(ctl->maxphyaddr, Pre) && ctl->pkru == \at(ctl->pkru, Pre);
	    loop invariant inv_mem: mem->words == \at(mem->words, Pre) &&
	      mem->nframes == \at(mem->nframes, Pre);
	    loop invariant inv_words: \forall integer j; 0 <= j < \at(mem->nframes, Pre) * 512 ==>
	      mem->words[j] == \at(mem->words[j], Pre);
	    loop invariant inv_top: top == pg_top(\at(ctl->flags, Pre));
	    loop invariant inv_level: 1 <= level <= top;
	    loop invariant inv_ends_below: pg_level{Pre}(XPT_PGW_AT(mem, ctl, Pre), va) <= level; // level_stops
	    loop invariant inv_table: table == pg_table{Pre}(XPT_PGW_AT(mem, ctl, Pre), va, level);
	    loop invariant inv_above: \forall integer L; level < L <= top ==>
	      !pg_stop(pg_entry{Pre}(XPT_PGW_AT(mem, ctl, Pre), va, L), L, \at(ctl->flags, Pre),
	               \at(ctl->maxphyaddr, Pre)) &&
	      pg_table{Pre}(XPT_PGW_AT(mem, ctl, Pre), va, L) < \at(mem->nframes, Pre);
	    loop invariant inv_levels: w->levels == top - level;
	    loop invariant inv_entries: xpt_walk_entries{Here, Pre}(w, XPT_PGW_AT(mem, ctl, Pre), va, top - level);
	    loop invariant inv_wr: pg_has(eff, XPT_WRITE) <==>
	      pg_all_rw{Pre}(XPT_PGW_AT(mem, ctl, Pre), va, level + 1);
	    loop invariant inv_us: pg_has(eff, XPT_USER) <==>
	      pg_all_us{Pre}(XPT_PGW_AT(mem, ctl, Pre), va, level + 1);
	    loop invariant inv_nx: pg_has(eff, XPT_NOEXEC) <==>
	      pg_has(\at(ctl->flags, Pre), CTL_NXE) &&
	      pg_any_nx{Pre}(XPT_PGW_AT(mem, ctl, Pre), va, level + 1);
	    loop invariant inv_zero: w->fault == 0 && w->error_code == 0 && w->set_a == 0 && !w->set_d;
	    loop assigns level, table, eff, w->entry[0 .. 4], w->entry_pa[0 .. 4], w->levels;
	    loop variant level;
	*/
	for (level = top; level >= 1u; level--) {
		unsigned i = top - level;
		uint64_t e;
		if (table >= mem->nframes) {
			//@ assert pg_level{Pre}(XPT_WALK_PRE, va) <= level;
			//@ assert pg_window{Pre}(XPT_WALK_PRE, \at(mem->nframes, Pre), va);
			return XPT_E_WINDOW;
		}
		e = mem->words[xpt_slot(table, xpt_index(va, level))];
		w->entry[i] = e;
		/* a product, not a shift: the proof reads it as arithmetic */
		w->entry_pa[i] = table * XPT_PAGE_SIZE + 8u * xpt_index(va, level);
		w->levels = (uint8_t)(i + 1u);
		/*@ assert cur_kept: \forall integer k; 0 <= k < i ==>
		      w->entry[k] == \at(w->entry[k], LoopCurrent) &&
		      w->entry_pa[k] == \at(w->entry_pa[k], LoopCurrent); */
		//@ assert cur_index: level == top - i && top == pg_top(\at(ctl->flags, Pre)) && w->levels == i + 1;
		//@ assert cur_slot: xpt_walk_entry{Here, Pre}(w, XPT_WALK_PRE, va, i);
		//@ assert cur_entries: XPT_WALK_ENTRIES(w->levels); // xpt_walk_entries_extend
		if (!(e & XPT_PTE_P)) {
			//@ assert pg_level{Pre}(XPT_WALK_PRE, va) == level;
			//@ assert !pg_window{Pre}(XPT_WALK_PRE, \at(mem->nframes, Pre), va);
			//@ assert pg_not_present{Pre}(XPT_WALK_PRE, va) && !pg_mapped{Pre}(XPT_WALK_PRE, va);
			fault(w, ec);
			//@ assert XPT_WALK_EC(w->error_code);
			//@ assert XPT_WALK_ENTRIES(w->levels);
			return XPT_OK;
		}
		if (has_reserved_bits(e, level, ctl)) {
			//@ assert pg_level{Pre}(XPT_WALK_PRE, va) == level;
			//@ assert !pg_window{Pre}(XPT_WALK_PRE, \at(mem->nframes, Pre), va);
			/*@ assert pg_reserved{Pre}(XPT_WALK_PRE, va) && !pg_not_present{Pre}(XPT_WALK_PRE, va) &&
			           !pg_mapped{Pre}(XPT_WALK_PRE, va); */
			fault(w, ec | XPT_PF_P | XPT_PF_RSVD);
			//@ assert XPT_WALK_EC(w->error_code);
			//@ assert XPT_WALK_ENTRIES(w->levels);
			return XPT_OK;
		}
		eff = combine_rights(eff, e, ctl);
		if (xpt_is_leaf(e, level))
			break;
		table = xpt_entry_frame(e, ctl->maxphyaddr);
	}

	//@ assert leaf_level: pg_level{Pre}(XPT_WALK_PRE, va) == level;
	//@ assert leaf_window: !pg_window{Pre}(XPT_WALK_PRE, \at(mem->nframes, Pre), va);
	//@ assert leaf_entry: w->entry[w->levels - 1] == pg_last{Pre}(XPT_WALK_PRE, va);
	/*@ assert leaf_valid: pg_has(w->entry[w->levels - 1], PG_P) &&
	      !pg_rsvd(w->entry[w->levels - 1], level, \at(ctl->flags, Pre), \at(ctl->maxphyaddr, Pre)); */
	//@ assert leaf_canonical: pg_canonical(\at(ctl->flags, Pre), va);
	//@ assert leaf_mapped: pg_mapped{Pre}(XPT_WALK_PRE, va); // mapped_leaf
	/*@ assert leaf_rights: (pg_has(eff, XPT_WRITE) <==> pg_writable{Pre}(XPT_WALK_PRE, va)) &&
	                        (pg_has(eff, XPT_USER) <==> pg_user_addr{Pre}(XPT_WALK_PRE, va)) &&
	                        (pg_has(eff, XPT_NOEXEC) <==> pg_noexec{Pre}(XPT_WALK_PRE, va)); */
	uint64_t leaf = w->entry[w->levels - 1u];
	w->leaf = (uint8_t)(level - 1u);
	w->eff = eff;
	w->pa = xpt_leaf_pa(leaf, level, ctl->maxphyaddr, va);
	w->pkey = (uint8_t)xpt_leaf_pkey(leaf);
	/*@ assert ctl_kept: ctl->flags == \at(ctl->flags, Pre) && ctl->pkru == \at(ctl->pkru, Pre) &&
	                     ctl->maxphyaddr == \at(ctl->maxphyaddr, Pre); */
	uint32_t denied = xpt_rights_error(ctl, eff, w->pkey, access);
	//@ assert leaf_pkey: w->pkey == pg_pkey{Pre}(XPT_WALK_PRE, va);
	/*@ assert leaf_pk_def:
	      pg_pk_fault{Pre}(XPT_WALK_PRE, \at(ctl->pkru, Pre), va, access) <==>
	      pg_pk_denied(pg_user_addr{Pre}(XPT_WALK_PRE, va), pg_pkey{Pre}(XPT_WALK_PRE, va),
	                   \at(ctl->flags, Pre), \at(ctl->pkru, Pre), access); */
	/*@ assert leaf_pk_spec:
	      pg_pk_fault{Pre}(XPT_WALK_PRE, \at(ctl->pkru, Pre), va, access) <==>
	      pg_pk_denied(pg_has(eff, XPT_USER), w->pkey, \at(ctl->flags, Pre), \at(ctl->pkru, Pre), access); */
	/*@ assert leaf_denied_spec:
	      pg_denied{Pre}(XPT_WALK_PRE, \at(ctl->pkru, Pre), va, access) <==>
	      !pg_allowed(pg_has(eff, XPT_USER), pg_has(eff, XPT_WRITE), pg_has(eff, XPT_NOEXEC),
	                  \at(ctl->flags, Pre), access) ||
	      pg_pk_denied(pg_has(eff, XPT_USER), w->pkey, \at(ctl->flags, Pre), \at(ctl->pkru, Pre), access); */
	//@ assert leaf_denied: denied != 0 <==> pg_denied{Pre}(XPT_WALK_PRE, \at(ctl->pkru, Pre), va, access);
	//@ assert leaf_pk: pg_has(denied, PF_PK) <==> pg_pk_fault{Pre}(XPT_WALK_PRE, \at(ctl->pkru, Pre), va, access);
	//@ assert leaf_p: denied != 0 ==> pg_has(denied, PF_P) && !pg_has(denied, PF_RSVD);
	if (denied) {
		fault(w, ec | denied);
		//@ assert XPT_WALK_EC(w->error_code);
		//@ assert XPT_WALK_ENTRIES(w->levels);
		return XPT_OK;
	}
	w->set_a = (uint8_t)((1u << w->levels) - 1u);
	w->set_d = (access & XPT_ACC_WRITE) != 0;
	//@ assert XPT_WALK_ENTRIES(w->levels);
	//@ assert ok_out: w->fault == XPT_FAULT_NONE && w->error_code == 0;
	return XPT_OK;
}

/* Entry e with A set when a, D when d.  A word that was `was` but for A
 * and D stays so: one case a form of e, so that each is plain arithmetic. */
/*@ assigns \nothing;
    ensures ad_a: a ==> pg_has(\result, PG_A);
    ensures ad_d: d ==> pg_has(\result, PG_D);
    ensures ad_kept: (pg_has(e, PG_A) ==> pg_has(\result, PG_A)) &&
                     (pg_has(e, PG_D) ==> pg_has(\result, PG_D));
    ensures ad_only_kept: \forall integer was;
      (e == was ==> PG_AD_ONLY(was, \result)) &&
      (e == (was | PG_A) ==> PG_AD_ONLY(was, \result)) &&
      (e == (was | PG_D) ==> PG_AD_ONLY(was, \result)) &&
      (e == (was | PG_A | PG_D) ==> PG_AD_ONLY(was, \result));
*/
static uint64_t with_ad(uint64_t e, bool a, bool d)
{
	if (a)
		e |= XPT_PTE_A;
	if (d)
		e |= XPT_PTE_D;
	return e;
}

void xpt_walk_set_ad(struct xpt_mem *mem, const struct xpt_walk *w)
{
	/*@ loop invariant 0 <= i <= w->levels;
	    loop invariant inv_mem: mem->nframes == \at(mem->nframes, Pre) &&
	      mem->words == \at(mem->words, Pre);
	    loop invariant inv_fault: i > 0 ==> w->fault == XPT_FAULT_NONE;
	    loop invariant inv_window: XPT_WALK_IN_WINDOW(w, i, mem->nframes * 512);
	    loop invariant inv_ad_only: \forall integer k; 0 <= k < mem->nframes * 512 ==>
	      PG_AD_ONLY(\at(mem->words[k], Pre), mem->words[k]);
	    loop invariant inv_frame: \forall integer k; 0 <= k < mem->nframes * 512 ==>
	      (\forall integer j; 0 <= j < i ==> w->entry_pa[j] / 8 != k) ==>
	      mem->words[k] == \at(mem->words[k], Pre);
	    loop invariant inv_set: \forall integer j; 0 <= j < i ==>
	      (((w->set_a >> j) & 1) != 0 ==> pg_has(mem->words[w->entry_pa[j] / 8], PG_A)) &&
	      (w->set_d && j == w->levels - 1 ==> pg_has(mem->words[w->entry_pa[j] / 8], PG_D));
	    loop assigns i, mem->words[0 .. \at(mem->nframes, Pre) * 512 - 1];
	    loop variant w->levels - i;
	*/
	for (unsigned i = 0; i < w->levels; i++) {
		uint64_t slot = w->entry_pa[i] / 8u;
		if (w->fault != XPT_FAULT_NONE || slot >= mem->nframes * XPT_ENTRIES)
			return;
		mem->words[slot] = with_ad(mem->words[slot], (w->set_a >> i) & 1u,
		                           w->set_d && i + 1u == w->levels);
		/*@ assert ad_only_step: \forall integer k; k == slot ==>
		      PG_AD_ONLY(\at(mem->words[k], Pre), mem->words[k]); */
	}
}

/*
 * Teardown: give a space's tables back to its allocator.  A recursion one
 * level a call, so that each call's contract carries the allocator past
 * the subtree below it; the free and the entry's store are each a
 * function of their own, whose proof sees little else (the store's is
 * store.c's).
 */
#include "format.h"
#include "store.h"

/* Next-level table of entry e at `level`, if it is one inside the window. */
/*@ requires \valid_read(sp) && \valid(t) && 12 < sp->maxphyaddr <= 52 && \separated(t, sp);
    assigns *t;
    ensures \result ==> 2 <= level && *t < sp->mem.nframes;
*/
static bool child_table(const struct xpt_space *sp, uint64_t e, unsigned level, xpt_pfn *t)
{
	*t = xpt_entry_frame(e, sp->maxphyaddr);
	return xpt_fmt_present(sp->format, e) && !(e & XPT_PTE_PS) && level > 1u &&
	       *t < sp->mem.nframes;
}

/* The parts of xpt_space_teardown, each in a context of its own: the
 * memory, and the allocator's invariant. */
/*@ ghost
  /@ requires xpt_space_teardown(sp);
     assigns \nothing;
     ensures XPT_SPACE_WRITABLE(sp) &&
       \separated(sp->mem.words + (0 .. sp->mem.nframes * 512 - 1), XPT_FRAMES_META(sp->fa)) &&
       \separated(sp, XPT_FRAMES_META(sp->fa)); @/
  static void teardown_parts(const struct xpt_space *sp) { }
*/
/*@ ghost
  /@ requires xpt_space_teardown(sp);
     assigns \nothing;
     ensures xpt_frames_ok(sp->fa); @/
  static void teardown_ok(const struct xpt_space *sp) { }
*/

/* Give table t back to the allocator.  The window lies apart from the
 * allocator's memory: every entry stays as it was. */
/*@ requires xpt_space_teardown(sp);
    assigns XPT_FRAMES_WRITES(sp->fa);
    ensures xpt_space_teardown(sp);
    ensures fixed: XPT_TEARDOWN_FIXED(sp, Pre);
    ensures words: XPT_WORDS_KEPT(sp, Pre);
    ensures result: \result == XPT_OK || \result == XPT_E_RANGE || \result == XPT_E_RESERVED ||
      \result == XPT_E_DOUBLE_FREE;
    ensures freed: \result == XPT_OK ==> fr_free(sp->fa, t);
*/
static int give_back(struct xpt_space *sp, xpt_pfn t)
{
	//@ ghost teardown_parts(sp);
	//@ ghost teardown_ok(sp);
	/* What the free writes lies apart from what must stay, field by field. */
	//@ assert a_root: XPT_FRAMES_WRITES_APART(sp->fa, &sp->root);
	//@ assert a_nframes: XPT_FRAMES_WRITES_APART(sp->fa, &sp->mem.nframes);
	//@ assert a_fa: XPT_FRAMES_WRITES_APART(sp->fa, &sp->fa->nframes);
	//@ assert a_4k: XPT_FRAMES_WRITES_APART(sp->fa, &sp->fa->free4k.off[BMP_TOP]);
	//@ assert a_2m: XPT_FRAMES_WRITES_APART(sp->fa, &sp->fa->free2m.off[BMP_TOP]);
	//@ assert a_1g: XPT_FRAMES_WRITES_APART(sp->fa, &sp->fa->free1g.off[BMP_TOP]);
	/*@ assert a_words: \forall integer k; 0 <= k < sp->mem.nframes * 512 ==>
	      XPT_FRAMES_WRITES_APART(sp->fa, sp->mem.words + k); */
	int err = xpt_frame_free(sp->fa, t);
	//@ assert f_fixed: XPT_TEARDOWN_FIXED(sp, Pre);
	/*@ assert f_words: \forall integer k; 0 <= k < \at(sp->mem.nframes, Pre) * 512 ==>
	      sp->mem.words[k] == \at(sp->mem.words[k], Pre); */
	return err;
}

/* Clear the entry at word `slot` of the window.  It lies apart from the
 * allocator's memory: the allocator stays as it was. */
/*@ requires xpt_space_teardown(sp) && slot < sp->mem.nframes * 512;
    assigns sp->mem.words[slot];
    ensures xpt_space_teardown(sp);
    ensures fixed: XPT_TEARDOWN_FIXED(sp, Pre);
    ensures cleared: sp->mem.words[slot] == 0;
    ensures others: \forall integer k; 0 <= k < sp->mem.nframes * 512 && k != slot ==>
      sp->mem.words[k] == \old(sp->mem.words[k]);
*/
static void clear_entry(struct xpt_space *sp, uint64_t slot)
{
	//@ ghost teardown_parts(sp);
	//@ ghost teardown_ok(sp);
	//@ assert apart: \separated(sp->mem.words + slot, sp, XPT_FRAMES_META(sp->fa));
	xpt_store(sp->fa, &sp->mem.words[slot], 0);
}

/* Free the table below the entry at word `slot` of the window (an entry at
 * `level`) and every table under it, then clear the entry; a table the
 * allocator refuses (not one of its frames in use) stays where it is.
 * Recursion at most five deep: one level a call. */
/*@ requires xpt_space_teardown(sp) && slot < sp->mem.nframes * 512 && 1 <= level <= 5;
    decreases level;
    assigns sp->mem.words[0 .. sp->mem.nframes * 512 - 1], XPT_FRAMES_WRITES(sp->fa);
    ensures xpt_space_teardown(sp);
    ensures fixed: XPT_TEARDOWN_FIXED(sp, Pre);
    ensures cleared: XPT_ONLY_CLEARED(sp, Pre);
*/
static void free_tree(struct xpt_space *sp, uint64_t slot, unsigned level)
{
	xpt_pfn t;
	//@ ghost teardown_parts(sp);
	if (!child_table(sp, sp->mem.words[slot], level, &t))
		return;
	/*@ loop invariant 0 <= i <= 512 && xpt_space_teardown(sp);
	    loop invariant fixed: XPT_TEARDOWN_FIXED(sp, Pre);
	    loop invariant cleared: XPT_ONLY_CLEARED(sp, Pre);
	    loop assigns i, XPT_TEARDOWN_WRITES(sp, Pre);
	    loop variant 512 - i;
	*/
	for (unsigned i = 0; i < XPT_ENTRIES; i++) {
		//@ ghost teardown_parts(sp);
		free_tree(sp, xpt_slot(t, i), level - 1u);
	}
	if (give_back(sp, t) == XPT_OK)
		clear_entry(sp, slot);
}

int xpt_space_destroy(struct xpt_space *sp, bool whole)
{
	unsigned top = whole ? XPT_ENTRIES : XPT_ENTRIES / 2u;
	/*@ loop invariant 0 <= i <= top && xpt_space_teardown(sp);
	    loop invariant fixed: XPT_TEARDOWN_FIXED(sp, Pre);
	    loop invariant cleared: XPT_ONLY_CLEARED(sp, Pre);
	    loop assigns i, XPT_TEARDOWN_WRITES(sp, Pre);
	    loop variant top - i;
	*/
	for (unsigned i = 0; i < top; i++) {
		//@ ghost teardown_parts(sp);
		free_tree(sp, xpt_slot(sp->root, i), sp->levels);
	}
	if (!whole)
		return XPT_OK;
	return give_back(sp, sp->root);
}

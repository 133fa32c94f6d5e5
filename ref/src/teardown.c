/*
 * Teardown: give a space's tables back to its allocator.  A recursion one
 * level a call, so that each call's contract carries the allocator past
 * the subtree below it; the free and the entry's store are each a
 * function of their own, whose proof sees little else.
 */
#include "format.h"

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

/*@ axiomatic TeardownBmpKept {
    // Bitmap b reads at L2 as at L1: its descriptor and every word.
    predicate teardown_bmp_kept{L1, L2}(struct xpt_bitmap *b) =
      \at(b->w, L1) == \at(b->w, L2) && \at(b->nbits, L1) == \at(b->nbits, L2) &&
      (\forall integer k; 0 <= k <= BMP_TOP ==> \at(b->off[k], L1) == \at(b->off[k], L2)) &&
      \forall integer y; 0 <= y <= \at(b->off[BMP_TOP], L1) ==> \at(b->w[y], L1) == \at(b->w[y], L2);
    lemma teardown_bmp_word{L1, L2}: \forall struct xpt_bitmap *b, integer k, i;
      bmp_offs{L1}(b) && teardown_bmp_kept{L1, L2}(b) && 0 <= k <= BMP_TOP && 0 <= i < bmp_nw{L1}(b, k) ==>
      bmp_word{L2}(b, k, i) == bmp_word{L1}(b, k, i);
    lemma teardown_bmp_sum{L1, L2}: \forall struct xpt_bitmap *b, integer k;
      bmp_offs{L1}(b) && teardown_bmp_kept{L1, L2}(b) && 0 <= k < BMP_TOP && bmp_sum{L1}(b, k) ==>
      bmp_sum{L2}(b, k);
    lemma teardown_bmp_offs{L1, L2}: \forall struct xpt_bitmap *b;
      bmp_offs{L1}(b) && teardown_bmp_kept{L1, L2}(b) ==> bmp_offs{L2}(b);
  }
*/

/* Level 0 of the 4 KiB bitmap has a bit for every frame, inside its words. */
/*@ ghost
  /@ requires xpt_frames_ok(fa);
     assigns \nothing;
     ensures \forall integer m; 0 <= m < fa->nframes ==>
       0 <= fa->free4k.off[0] + m / 64 <= fa->free4k.off[BMP_TOP]; @/
  static void frames_level0(const struct xpt_frames *fa) { }
*/

/* x lies apart from what a free of space sp's allocator writes. */
#define GIVE_BACK_APART(x) (\separated(x, &sp->fa->nfree) && \
	\separated(x, sp->fa->free4k.w + (0 .. sp->fa->free4k.off[BMP_TOP])) && \
	\separated(x, sp->fa->free2m.w + (0 .. sp->fa->free2m.off[BMP_TOP])) && \
	\separated(x, sp->fa->free1g.w + (0 .. sp->fa->free1g.off[BMP_TOP])))

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
	//@ assert a_root: GIVE_BACK_APART(&sp->root);
	//@ assert a_nframes: GIVE_BACK_APART(&sp->mem.nframes);
	//@ assert a_fa: GIVE_BACK_APART(&sp->fa->nframes);
	//@ assert a_4k: GIVE_BACK_APART(&sp->fa->free4k.off[BMP_TOP]);
	//@ assert a_2m: GIVE_BACK_APART(&sp->fa->free2m.off[BMP_TOP]);
	//@ assert a_1g: GIVE_BACK_APART(&sp->fa->free1g.off[BMP_TOP]);
	/*@ assert a_words: \forall integer k; 0 <= k < sp->mem.nframes * 512 ==>
	      GIVE_BACK_APART(sp->mem.words + k); */
	int err = xpt_frame_free(sp->fa, t);
	//@ assert f_fixed: XPT_TEARDOWN_FIXED(sp, Pre);
	/*@ assert f_words: \forall integer k; 0 <= k < \at(sp->mem.nframes, Pre) * 512 ==>
	      sp->mem.words[k] == \at(sp->mem.words[k], Pre); */
	return err;
}

/* Bitmap b reads as it did at the label Before, word by word. */
#define CLEAR_BMP_KEPT(b) ((b).nbits == \at((b).nbits, Before) && \
	(\forall integer k; 0 <= k <= BMP_TOP ==> (b).off[k] == \at((b).off[k], Before)) && \
	(\forall integer y; 0 <= y <= (b).off[BMP_TOP] ==> (b).w[y] == \at((b).w[y], Before)))

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
	//@ ghost frames_level0(sp->fa);
	/*@ assert apart: \separated(sp->mem.words + slot, sp, XPT_FRAMES_META(sp->fa)); */
	//@ ghost Before: ;
	sp->mem.words[slot] = 0;
	/*@ assert fa_kept: sp->fa->nframes == \at(sp->fa->nframes, Before) &&
	      sp->fa->nfree == \at(sp->fa->nfree, Before) && sp->fa->nusable == \at(sp->fa->nusable, Before); */
	//@ assert sp_kept: XPT_TEARDOWN_FIXED(sp, Before);
	//@ assert kept_4k: CLEAR_BMP_KEPT(sp->fa->free4k) && teardown_bmp_kept{Before, Here}(&sp->fa->free4k);
	//@ assert kept_2m: CLEAR_BMP_KEPT(sp->fa->free2m) && teardown_bmp_kept{Before, Here}(&sp->fa->free2m);
	//@ assert kept_1g: CLEAR_BMP_KEPT(sp->fa->free1g) && teardown_bmp_kept{Before, Here}(&sp->fa->free1g);
	/*@ assert kept_usable: \forall integer j; 0 <= j < fr_usable_words(sp->fa->nframes) ==>
	      sp->fa->usable[j] == \at(sp->fa->usable[j], Before); */
	/*@ assert words_4k: \forall integer m; 0 <= m < sp->fa->nframes ==>
	      bmp_word(&sp->fa->free4k, 0, m / 64) == bmp_word{Before}(&sp->fa->free4k, 0, m / 64); */
	/* Its count is the same, frame by frame (bmp_count is recursive; the
	 * provers do not induct). */
	/*@ ghost
	  /@ loop invariant 0 <= n <= sp->fa->nframes &&
	       bmp_count(&sp->fa->free4k, n) == bmp_count{Before}(&sp->fa->free4k, n);
	     loop assigns n;
	     loop variant sp->fa->nframes - n;
	  @/
	  for (uint64_t n = 0; n < sp->fa->nframes; n++) ;
	*/
	//@ assert ok_mem: xpt_frames_mem(sp->fa);
	//@ assert ok_4k: bmp_ok(&sp->fa->free4k);
	//@ assert ok_2m: bmp_ok(&sp->fa->free2m);
	//@ assert ok_1g: bmp_ok(&sp->fa->free1g);
	/*@ assert ok_usable: \forall integer f; 0 <= f < 64 * bmp_nw(&sp->fa->free4k, 0) ==>
	      bmp_bit(&sp->fa->free4k, 0, f) ==> fr_usable(sp->fa, f); */
	//@ assert ok_count: sp->fa->nfree == bmp_count(&sp->fa->free4k, sp->fa->nframes);
	//@ assert ok: xpt_frames_ok(sp->fa);
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

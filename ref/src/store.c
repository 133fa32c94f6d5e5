/*
 * Stores apart from an allocator (store.h).  Every uint64_t shares one
 * memory of WP's model with the allocator's bitmap words, so after a store
 * the provers must see that each word the allocator's invariant reads is
 * still what it was: the fields and words first, one assertion a bitmap,
 * then the summaries and offsets by the lemmas below, the free count by a
 * ghost loop (bmp_count is recursive), and the invariant part by part.
 */
#include "format.h"
#include "store.h"

/*@ axiomatic StoreBmpKept {
    // Bitmap b reads at L2 as at L1: its descriptor and every word.
    predicate store_bmp_kept{L1, L2}(struct xpt_bitmap *b) =
      \at(b->w, L1) == \at(b->w, L2) && \at(b->nbits, L1) == \at(b->nbits, L2) &&
      (\forall integer k; 0 <= k <= BMP_TOP ==> \at(b->off[k], L1) == \at(b->off[k], L2)) &&
      \forall integer y; 0 <= y <= \at(b->off[BMP_TOP], L1) ==> \at(b->w[y], L1) == \at(b->w[y], L2);
    lemma store_bmp_word{L1, L2}: \forall struct xpt_bitmap *b, integer k, i;
      bmp_offs{L1}(b) && store_bmp_kept{L1, L2}(b) && 0 <= k <= BMP_TOP && 0 <= i < bmp_nw{L1}(b, k) ==>
      bmp_word{L2}(b, k, i) == bmp_word{L1}(b, k, i);
    lemma store_bmp_sum{L1, L2}: \forall struct xpt_bitmap *b, integer k;
      bmp_offs{L1}(b) && store_bmp_kept{L1, L2}(b) && 0 <= k < BMP_TOP && bmp_sum{L1}(b, k) ==>
      bmp_sum{L2}(b, k);
    lemma store_bmp_offs{L1, L2}: \forall struct xpt_bitmap *b;
      bmp_offs{L1}(b) && store_bmp_kept{L1, L2}(b) ==> bmp_offs{L2}(b);
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

/* Bitmap b reads as it did at the label Before, word by word. */
#define STORE_BMP_KEPT(b) ((b).nbits == \at((b).nbits, Before) && \
	(\forall integer k; 0 <= k <= BMP_TOP ==> (b).off[k] == \at((b).off[k], Before)) && \
	(\forall integer y; 0 <= y <= (b).off[BMP_TOP] ==> (b).w[y] == \at((b).w[y], Before)))

void xpt_store(const struct xpt_frames *fa, uint64_t *p, uint64_t v)
{
	(void)fa; /* the proof's alone */
	//@ ghost frames_level0(fa);
	//@ ghost Before: ;
	*p = v;
	/*@ assert fa_kept: fa->nframes == \at(fa->nframes, Before) &&
	      fa->nfree == \at(fa->nfree, Before) && fa->nusable == \at(fa->nusable, Before); */
	//@ assert kept_4k: STORE_BMP_KEPT(fa->free4k) && store_bmp_kept{Before, Here}(&fa->free4k);
	//@ assert kept_2m: STORE_BMP_KEPT(fa->free2m) && store_bmp_kept{Before, Here}(&fa->free2m);
	//@ assert kept_1g: STORE_BMP_KEPT(fa->free1g) && store_bmp_kept{Before, Here}(&fa->free1g);
	/*@ assert kept_usable: \forall integer j; 0 <= j < fr_usable_words(fa->nframes) ==>
	      fa->usable[j] == \at(fa->usable[j], Before); */
	/*@ assert words_4k: \forall integer m; 0 <= m < fa->nframes ==>
	      bmp_word(&fa->free4k, 0, m / 64) == bmp_word{Before}(&fa->free4k, 0, m / 64); */
	/* Its count is the same, frame by frame (the provers do not induct). */
	/*@ ghost
	  /@ loop invariant 0 <= n <= fa->nframes &&
	       bmp_count(&fa->free4k, n) == bmp_count{Before}(&fa->free4k, n);
	     loop assigns n;
	     loop variant fa->nframes - n;
	  @/
	  for (uint64_t n = 0; n < fa->nframes; n++) ;
	*/
	//@ assert ok_mem: xpt_frames_mem(fa);
	//@ assert ok_4k: bmp_ok(&fa->free4k);
	//@ assert ok_2m: bmp_ok(&fa->free2m);
	//@ assert ok_1g: bmp_ok(&fa->free1g);
	//@ assert usable_kept: \forall integer g; fr_usable(fa, g) <==> fr_usable{Before}(fa, g);
	/*@ assert bits_kept: \forall integer f; 0 <= f < 64 * bmp_nw(&fa->free4k, 0) ==>
	      (bmp_bit(&fa->free4k, 0, f) <==> bmp_bit{Before}(&fa->free4k, 0, f)); */
	/*@ assert ok_usable: \forall integer f; 0 <= f < 64 * bmp_nw(&fa->free4k, 0) ==>
	      bmp_bit(&fa->free4k, 0, f) ==> fr_usable(fa, f); */
	//@ assert ok_count: fa->nfree == bmp_count(&fa->free4k, fa->nframes);
	//@ assert free_kept: \forall integer g; fr_free(fa, g) <==> fr_free{Before}(fa, g);
}

/* w[k] = v, with the frame spelt out: every other word of w as it was.
 * (From xpt_store's assigns alone, the provers take long to see it next
 * to the allocator's facts.) */
/*@ requires xpt_frames_ok(fa) && \valid(w + k) && \separated(w + k, XPT_FRAMES_META(fa));
    assigns w[k];
    ensures stored: w[k] == v;
    ensures others: \forall integer j; j != k ==> w[j] == \old(w[j]);
    ensures ok: xpt_frames_ok(fa);
    ensures kept: XPT_FRAMES_KEPT(fa, Pre);
*/
static void store_at(const struct xpt_frames *fa, uint64_t *w, uint64_t k, uint64_t v)
{
	xpt_store(fa, &w[k], v);
}

void xpt_store_zero(const struct xpt_frames *fa, uint64_t *w, uint64_t first, unsigned n)
{
	uint64_t end = first + n;
	//@ assert end: end == first + n;
	/*@ loop invariant first <= k <= end && xpt_frames_ok(fa);
	    loop invariant zeroed: \forall integer j; first <= j < k ==> w[j] == 0;
	    loop invariant kept: XPT_FRAMES_KEPT(fa, Pre);
	    loop assigns k, w[first .. end - 1];
	    loop variant end - k;
	*/
	for (uint64_t k = first; k < end; k++)
		store_at(fa, w, k, 0);
}

void xpt_store_leaves(const struct xpt_frames *fa, uint64_t *w, uint64_t first, uint64_t end,
                      uint64_t f, uint64_t pa, uint64_t step)
{
	uint64_t frame = pa;
	/*@ loop invariant first <= k <= end;
	    loop invariant at: frame == xpt_run_frame(pa, k - first, step);
	    loop invariant frame: frame % 4096 == 0;
	    loop invariant leaves: \forall integer j; first <= j < k ==>
	      w[j] == bits_leaf(xpt_run_frame(pa, j - first, step), f);
	    loop invariant ok: xpt_frames_ok(fa);
	    loop invariant kept: XPT_FRAMES_KEPT(fa, Pre);
	    loop assigns k, frame, w[first .. end - 1];
	    loop variant end - k;
	*/
	for (uint64_t k = first; k < end; k++) {
		//@ assert below: frame + step <= xpt_run_frame(pa, end - first, step);
		//@ assert top: frame < 0x10000000000000;
		//@ assert low: (frame & 0xfff) == 0;
		store_at(fa, w, k, xpt_leaf_set_frame(f, frame));
		//@ assert stored: w[k] == bits_leaf(frame, f);
		frame += step;
		//@ assert next: frame == xpt_run_frame(pa, k + 1 - first, step);
	}
}

/*
 * Stores apart from an allocator.  A word written outside the allocator's
 * memory leaves its invariant, its counts and every frame's state as they
 * were; the mapper writes its tables and the teardown clears entries
 * through these, so that the proofs of both carry the allocator across
 * their stores.  (The lemmas that show it stay in store.c: where they are
 * visible, the provers consider them for every goal.)
 */
#ifndef XPT_STORE_H
#define XPT_STORE_H

#include "bits.h"

/* *p = v, p apart from the memory of allocator fa. */
/*@ requires xpt_frames_ok(fa) && \valid(p) && \separated(p, XPT_FRAMES_META(fa));
    assigns *p;
    ensures stored: *p == v;
    ensures ok: xpt_frames_ok(fa);
    ensures kept: XPT_FRAMES_KEPT(fa, Pre);
*/
void xpt_store(const struct xpt_frames *fa, uint64_t *p, uint64_t v);

/* w[first .. first + n - 1] = 0, apart from the memory of allocator fa. */
/*@ requires xpt_frames_ok(fa) && first <= 0x40000000000000 && \valid(w + (first .. first + n - 1)) &&
      \separated(w + (first .. first + n - 1), XPT_FRAMES_META(fa));
    assigns w[first .. first + n - 1];
    ensures zeroed: \forall integer k; first <= k < first + n ==> w[k] == 0;
    ensures ok: xpt_frames_ok(fa);
    ensures kept: XPT_FRAMES_KEPT(fa, Pre);
*/
void xpt_store_zero(const struct xpt_frames *fa, uint64_t *w, uint64_t first, unsigned n);

/* w[first .. end - 1] = the leaves with flags f of frames pa, pa + step,
 * pa + 2 * step, ... (format.h's xpt_leaf_set_frame), apart from the
 * memory of allocator fa: a run of leaves. */
/*@ axiomatic StoreRun {
    // The frame of the j-th leaf of a run from frame pa.
    logic integer xpt_run_frame(integer pa, integer j, integer step) = pa + j * step;
    lemma run_frame_next: \forall integer pa, j, step;
      xpt_run_frame(pa, j, step) == xpt_run_frame(pa, j - 1, step) + step;
    lemma run_frame_below: \forall integer pa, j, n, step; 0 <= step && 0 <= j < n ==>
      xpt_run_frame(pa, j, step) + step <= xpt_run_frame(pa, n, step);
    // A multiple of 4 KiB has no bit below 12 (WP's Mod-Mask tactic).
    lemma run_frame_low: \forall integer x; 0 <= x && x % 4096 == 0 ==> (x & 4095) == 0;
    lemma run_frame_low_bound: \forall integer pa, j, step;
      0 <= pa && 0 <= j && 0 <= step ==> 0 <= xpt_run_frame(pa, j, step);
    }
*/
/*@ requires first < end <= first + 512 && \valid(w + (first .. end - 1));
    requires pages: pa % 4096 == 0 && step % 4096 == 0 && 4096 <= step;
    requires below: xpt_run_frame(pa, end - first, step) <= 0x10000000000000;
    requires xpt_frames_ok(fa) && \separated(w + (first .. end - 1), XPT_FRAMES_META(fa));
    assigns w[first .. end - 1];
    ensures leaves: \forall integer k; first <= k < end ==> w[k] == bits_leaf(xpt_run_frame(pa, k - first, step), f);
    ensures ok: xpt_frames_ok(fa);
    ensures kept: XPT_FRAMES_KEPT(fa, Pre);
*/
void xpt_store_leaves(const struct xpt_frames *fa, uint64_t *w, uint64_t first, uint64_t end,
                      uint64_t f, uint64_t pa, uint64_t step);

#endif

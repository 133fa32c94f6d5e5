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

/* w[first .. end - 1] = v, v + step, v + 2 * step, ... (modulo 2^64),
 * apart from the memory of allocator fa: a run of leaves. */
/*@ axiomatic StoreSteps {
    predicate xpt_stepped{L}(uint64_t *w, integer k, integer step) =
      w[k] == (uint64_t)(w[k - 1] + step);
    // A step holds where its two words are as they were.
    lemma stepped_kept{A, B}: \forall uint64_t *w, integer k, step;
      xpt_stepped{A}(w, k, step) && \at(w[k], A) == \at(w[k], B) &&
      \at(w[k - 1], A) == \at(w[k - 1], B) ==> xpt_stepped{B}(w, k, step);
    }
*/
/*@ requires first < end <= first + 512 && \valid(w + (first .. end - 1));
    requires xpt_frames_ok(fa) && \separated(w + (first .. end - 1), XPT_FRAMES_META(fa));
    assigns w[first .. end - 1];
    ensures first: w[first] == v;
    ensures next: \forall integer k; first < k < end ==> xpt_stepped(w, k, step);
    // With whole pages a step, every word keeps v's low 12 bits (and is a
    // 64-bit value, which a caller's large context does not yield).
    ensures low: step % 4096 == 0 ==> \forall integer k; first <= k < end ==>
      bits_low(w[k]) == bits_low(v) && 0 <= w[k] <= UINT64_MAX;
    ensures ok: xpt_frames_ok(fa);
    ensures kept: XPT_FRAMES_KEPT(fa, Pre);
*/
void xpt_store_steps(const struct xpt_frames *fa, uint64_t *w, uint64_t first, uint64_t end,
                     uint64_t v, uint64_t step);

#endif

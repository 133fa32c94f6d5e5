/*
 * Frame allocator: a bitmap of free frames under a fixed tower of summary
 * levels, plus the same structure over 2 MiB and 1 GiB blocks that are
 * wholly free, so single frames and aligned huge runs are found in a
 * constant number of word reads whatever the size of memory.
 */
#include "bits.h"

#define FRAMES_PER_2M 512u
#define FRAMES_PER_1G (512u * 512u)
#define MAX_FRAMES    ((uint64_t)1 << (6u * XPT_BITMAP_LEVELS))

/* ------------------------------------------------------------- bitmaps */

/*@
  // A summary that is right but at bit e of level k+1.
  predicate bmp_sum_but{L}(struct xpt_bitmap *b, integer k, integer e) =
    \forall integer j; 0 <= j < 64 * bmp_nw(b, k + 1) && j != e ==>
      (bmp_bit(b, k + 1, j) <==> (j < bmp_nw(b, k) && bmp_word(b, k, j) != 0));

  lemma wbit_set: \forall integer x, p, q; 0 <= x <= UINT64_MAX && 0 <= p < 64 && 0 <= q < 64 ==>
    (bmp_wbit(x | (1 << p), q) <==> (q == p || bmp_wbit(x, q)));
  lemma wbit_clear: \forall integer x, p, q; 0 <= x <= UINT64_MAX && 0 <= p < 64 && 0 <= q < 64 ==>
    (bmp_wbit(x & ~(1 << p), q) <==> (q != p && bmp_wbit(x, q)));
  lemma wbit_flip_u64: \forall integer x, p, q; 0 <= x <= UINT64_MAX && 0 <= p < 64 && 0 <= q < 64 ==>
    (bmp_wbit((uint64_t)(x ^ (1 << p)), q) <==> bmp_wbit(x ^ (1 << p), q));
  lemma wbit_flip: \forall integer x, p, q; 0 <= x <= UINT64_MAX && 0 <= p < 64 && 0 <= q < 64 ==>
    (bmp_wbit(x ^ (1 << p), q) <==> (q == p ? !bmp_wbit(x, q) : bmp_wbit(x, q)));
  lemma wbit_and: \forall integer x, p; 0 <= x <= UINT64_MAX && 0 <= p < 64 ==>
    ((x & (1 << p)) != 0 <==> bmp_wbit(x, p));
  lemma wbit_zero: \forall integer q; 0 <= q < 64 ==> !bmp_wbit(0, q);
  // Every bit of the all-ones word (a range split over q).
  lemma ones_bits: \forall integer q; 0 <= q < 64 ==> ((UINT64_MAX >> q) & 1) != 0;
  lemma wbit_ones: \forall integer q; 0 <= q < 64 ==> bmp_wbit(UINT64_MAX, q);
  // Word i of level k lies in the words of the layout.
  lemma bmp_in{L}: \forall struct xpt_bitmap *b, integer k, i;
    bmp_layout(b) && 0 <= k <= BMP_TOP && 0 <= i < bmp_nw(b, k) ==>
    0 <= b->off[k] + i <= b->off[BMP_TOP];
  // bmp_ok and bmp_sum unfolded, one step at a time for the provers.
  lemma bmp_ok_sum{L}: \forall struct xpt_bitmap *b, integer k;
    bmp_ok(b) && 0 <= k < BMP_TOP ==> bmp_sum(b, k);
  lemma bmp_sum_bit{L}: \forall struct xpt_bitmap *b, integer k, j;
    bmp_sum(b, k) && 0 <= j < 64 * bmp_nw(b, k + 1) ==>
    (bmp_bit(b, k + 1, j) <==> (j < bmp_nw(b, k) && bmp_word(b, k, j) != 0));
  lemma bmp_sum_at{L}: \forall struct xpt_bitmap *b, integer k, j;
    bmp_ok(b) && 0 <= k < BMP_TOP && 0 <= j < 64 * bmp_nw(b, k + 1) ==>
    (bmp_bit(b, k + 1, j) <==> (j < bmp_nw(b, k) && bmp_word(b, k, j) != 0));
  // Every bit of level k is clear.
  predicate bmp_empty{L}(struct xpt_bitmap *b, integer k) =
    \forall integer j; 0 <= j < 64 * bmp_nw(b, k) ==> !bmp_bit(b, k, j);
  // A zero top word is an empty top level, and an empty level has an empty
  // level below.
  lemma bmp_empty_top{L}: \forall struct xpt_bitmap *b;
    bmp_layout(b) && bmp_word(b, BMP_TOP, 0) == 0 ==> bmp_empty(b, BMP_TOP);
  lemma bmp_empty_below{L}: \forall struct xpt_bitmap *b, integer k;
    bmp_ok(b) && 0 <= k < BMP_TOP && bmp_empty(b, k + 1) ==> bmp_empty(b, k);

  // Clear summary bits below i: zero words below i.
  lemma bmp_words_below{L}: \forall struct xpt_bitmap *b, integer k, i;
    bmp_ok(b) && 0 <= k < BMP_TOP && 0 <= i <= bmp_nw(b, k) &&
    (\forall integer j; 0 <= j < i ==> !bmp_bit(b, k + 1, j)) ==>
    \forall integer j; 0 <= j < i ==> bmp_word(b, k, j) == 0;
  // Bit l of word i is bit 64*i + l.
  lemma bmp_bit_at{L}: \forall struct xpt_bitmap *b, integer k, i, l;
    0 <= i && 0 <= l < 64 ==> (bmp_bit(b, k, 64 * i + l) <==> bmp_wbit(bmp_word(b, k, i), l));
  lemma euclid64: \forall integer j; 0 <= j ==> j == 64 * (j / 64) + j % 64 && 0 <= j % 64 < 64;
  lemma bmp_bit_word{L}: \forall struct xpt_bitmap *b, integer k, j; 0 <= j ==>
    (bmp_bit(b, k, j) <==> bmp_wbit(bmp_word(b, k, j / 64), j % 64)) && 0 <= j % 64 < 64;
  lemma bmp_bit_zero{L}: \forall struct xpt_bitmap *b, integer k, j;
    0 <= j && bmp_word(b, k, j / 64) == 0 ==> !bmp_bit(b, k, j);
  lemma div64_below: \forall integer i, l, j; 0 <= l < 64 && 0 <= j < 64 * i + l ==>
    j / 64 < i || (j / 64 == i && j % 64 < l);
  // Zero words below i: no bit below 64*i; clear bits below l in word i:
  // none from 64*i to 64*i + l.
  lemma bmp_bits_below_words{L}: \forall struct xpt_bitmap *b, integer k, i;
    0 <= i && (\forall integer j; 0 <= j < i ==> bmp_word(b, k, j) == 0) ==>
    \forall integer j; 0 <= j < 64 * i ==> !bmp_bit(b, k, j);
  lemma div64_in: \forall integer i, j; 0 <= i && 64 * i <= j < 64 * i + 64 ==>
    j / 64 == i && j % 64 == j - 64 * i;
  lemma bmp_bit_in_word{L}: \forall struct xpt_bitmap *b, integer k, i, j;
    0 <= i && 64 * i <= j < 64 * i + 64 ==>
    (bmp_bit(b, k, j) <==> bmp_wbit(bmp_word(b, k, i), j - 64 * i));
  lemma bmp_bits_below_in{L}: \forall struct xpt_bitmap *b, integer k, i, l;
    0 <= i && 0 <= l < 64 &&
    (\forall integer p; 0 <= p < l ==> !bmp_wbit(bmp_word(b, k, i), p)) ==>
    \forall integer j; 64 * i <= j < 64 * i + l ==> !bmp_bit(b, k, j);
  // A bit of any integer is 0 or 1.
  lemma bit01: \forall integer x, p; 0 <= p ==> 0 <= ((x >> p) & 1) <= 1;
  lemma wbit_01: \forall integer x, p; 0 <= p ==>
    (bmp_wbit(x, p) ==> ((x >> p) & 1) == 1) && (!bmp_wbit(x, p) ==> ((x >> p) & 1) == 0);
  // A bit as 0 or 1.
  lemma wbit_value: \forall integer x, p; 0 <= x <= UINT64_MAX && 0 <= p < 64 ==>
    (bmp_wbit(x, p) ==> ((x >> p) & 1) == 1) && (!bmp_wbit(x, p) ==> ((x >> p) & 1) == 0);

*/

/*
 * One word of a bitmap written between L1 and L2, as the level loops of
 * bm_set and bm_clear do: what stays true of the bits and summaries.
 */
/*@
  // The descriptor of b (word array, size, level offsets) is the same.
  predicate bmp_desc_same{L1, L2}(struct xpt_bitmap *b) =
    \at(b->w, L1) == \at(b->w, L2) && \at(b->nbits, L1) == \at(b->nbits, L2) &&
    \forall integer k; 0 <= k <= BMP_TOP ==> \at(b->off[k], L1) == \at(b->off[k], L2);
  // ... and so is every word but word x of b->w.
  predicate bmp_same_but{L1, L2}(struct xpt_bitmap *b, integer x) =
    bmp_desc_same{L1, L2}(b) &&
    \forall integer y; 0 <= y <= \at(b->off[BMP_TOP], L1) && y != x ==>
      \at(b->w[y], L1) == \at(b->w[y], L2);

  lemma bmp_in_bit{L}: \forall struct xpt_bitmap *b, integer k, j;
    bmp_layout(b) && 0 <= k <= BMP_TOP && 0 <= j < 64 * bmp_nw(b, k) ==>
    0 <= j / 64 < bmp_nw(b, k) && 0 <= b->off[k] + j / 64 <= b->off[BMP_TOP];
  lemma bmp_offs_same{L1, L2}: \forall struct xpt_bitmap *b;
    bmp_offs{L1}(b) && bmp_desc_same{L1, L2}(b) ==> bmp_offs{L2}(b);
  // Level m ends where level m+1 begins, before any higher level.
  lemma bmp_level_end{L}: \forall struct xpt_bitmap *b, integer m, k;
    bmp_offs(b) && 0 <= m < k <= BMP_TOP ==> b->off[m] + bmp_nw(b, m) <= b->off[k];
  lemma bmp_nw_same{L1, L2}: \forall struct xpt_bitmap *b, integer k;
    bmp_desc_same{L1, L2}(b) && 0 <= k <= BMP_TOP ==> bmp_nw{L1}(b, k) == bmp_nw{L2}(b, k);
  lemma bmp_word_but_at{L1, L2}: \forall struct xpt_bitmap *b, integer x, k, i;
    bmp_same_but{L1, L2}(b, x) && 0 <= k <= BMP_TOP &&
    0 <= \at(b->off[k], L1) + i <= \at(b->off[BMP_TOP], L1) && \at(b->off[k], L1) + i != x ==>
    bmp_word{L2}(b, k, i) == bmp_word{L1}(b, k, i);
  lemma bmp_word_but{L1, L2}: \forall struct xpt_bitmap *b, integer x, k, i;
    bmp_layout{L1}(b) && bmp_same_but{L1, L2}(b, x) && 0 <= k <= BMP_TOP &&
    0 <= i < bmp_nw{L1}(b, k) && \at(b->off[k], L1) + i != x ==>
    bmp_word{L2}(b, k, i) == bmp_word{L1}(b, k, i);
  lemma bmp_bit_but{L1, L2}: \forall struct xpt_bitmap *b, integer x, k, j;
    bmp_layout{L1}(b) && bmp_same_but{L1, L2}(b, x) && 0 <= k <= BMP_TOP &&
    0 <= j < 64 * bmp_nw{L1}(b, k) && \at(b->off[k], L1) + j / 64 != x ==>
    (bmp_bit{L2}(b, k, j) <==> bmp_bit{L1}(b, k, j));
  // A write outside levels m and m+1 keeps their summary.
  lemma bmp_sum_frame{L1, L2}: \forall struct xpt_bitmap *b, integer x, m;
    bmp_layout{L1}(b) && bmp_same_but{L1, L2}(b, x) && 0 <= m < BMP_TOP &&
    (x < \at(b->off[m], L1) || \at(b->off[m + 1], L1) + bmp_nw{L1}(b, m + 1) <= x) &&
    bmp_sum{L1}(b, m) ==> bmp_sum{L2}(b, m);
  // No word written.
  predicate bmp_same{L1, L2}(struct xpt_bitmap *b) = bmp_same_but{L1, L2}(b, -1);
  lemma bmp_bit_same{L1, L2}: \forall struct xpt_bitmap *b, integer k, j;
    bmp_layout{L1}(b) && bmp_same{L1, L2}(b) && 0 <= k <= BMP_TOP && 0 <= j < 64 * bmp_nw{L1}(b, k) ==>
    (bmp_bit{L1}(b, k, j) <==> bmp_bit{L2}(b, k, j));
  lemma bmp_sum_same{L1, L2}: \forall struct xpt_bitmap *b, integer k;
    bmp_layout{L1}(b) && bmp_same{L1, L2}(b) && 0 <= k < BMP_TOP && bmp_sum{L1}(b, k) ==>
    bmp_sum{L2}(b, k);
  lemma bmp_ok_same{L1, L2}: \forall struct xpt_bitmap *b;
    bmp_ok{L1}(b) && bmp_same{L1, L2}(b) ==>
    bmp_offs{L2}(b) && \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum{L2}(b, k);
  // A write to word i of level k keeps the summaries of levels m, m+1 away from k.
  lemma bmp_sum_away{L1, L2}: \forall struct xpt_bitmap *b, integer x, k, i, m;
    bmp_layout{L1}(b) && 0 <= k <= BMP_TOP && 0 <= i < bmp_nw{L1}(b, k) &&
    bmp_same_but{L1, L2}(b, x) && x == \at(b->off[k], L1) + i &&
    0 <= m < BMP_TOP && m != k && m + 1 != k && bmp_sum{L1}(b, m) ==> bmp_sum{L2}(b, m);
  // ... for every such m at once.
  lemma bmp_sums_away_all{L1, L2}: \forall struct xpt_bitmap *b, integer x, k, i;
    bmp_layout{L1}(b) && 0 <= k <= BMP_TOP && 0 <= i < bmp_nw{L1}(b, k) &&
    bmp_same_but{L1, L2}(b, x) && x == \at(b->off[k], L1) + i ==>
    \forall integer m; 0 <= m < BMP_TOP && m != k && m + 1 != k && bmp_sum{L1}(b, m) ==>
      bmp_sum{L2}(b, m);
  // The summaries but level k-1's; those away from level k (neither k-1's
  // nor k's); word x of b->w lies away from those levels.
  predicate bmp_sums_below{L}(struct xpt_bitmap *b, integer k) =
    \forall integer m; 0 <= m < BMP_TOP && m + 1 != k ==> bmp_sum(b, m);
  predicate bmp_sums_away{L}(struct xpt_bitmap *b, integer k) =
    \forall integer m; 0 <= m < BMP_TOP && m != k && m + 1 != k ==> bmp_sum(b, m);
  predicate bmp_apart{L}(struct xpt_bitmap *b, integer x, integer k) =
    \forall integer m; 0 <= m < BMP_TOP && m != k && m + 1 != k ==>
      x < b->off[m] || b->off[m + 1] + bmp_nw(b, m + 1) <= x;
  lemma bmp_apart_in{L}: \forall struct xpt_bitmap *b, integer k, x;
    bmp_layout(b) && 0 <= k <= BMP_TOP && b->off[k] <= x < b->off[k] + bmp_nw(b, k) ==>
    bmp_apart(b, x, k);
  lemma bmp_sums_next{L}: \forall struct xpt_bitmap *b, integer k;
    bmp_sums_away(b, k) && (0 < k ==> bmp_sum(b, k - 1)) ==> bmp_sums_below(b, k + 1);
  lemma bmp_sums_frame{L1, L2}: \forall struct xpt_bitmap *b, integer x, k;
    bmp_layout{L1}(b) && bmp_same_but{L1, L2}(b, x) && bmp_apart{L1}(b, x, k) &&
    bmp_sums_below{L1}(b, k) ==> bmp_sums_away{L2}(b, k);
  // Every summary right: those away from level k, and those of k-1 and k.
  lemma bmp_ok_parts{L}: \forall struct xpt_bitmap *b, integer k;
    bmp_layout(b) && 0 <= k <= BMP_TOP && bmp_sums_away(b, k) &&
    (0 < k ==> bmp_sum(b, k - 1)) && (k < BMP_TOP ==> bmp_sum(b, k)) ==> bmp_ok(b);
  // A write to word i of level m: the summary holds but at bit i, and
  // wholly if the word stays zero or non-zero.
  lemma bmp_sum_to_but{L1, L2}: \forall struct xpt_bitmap *b, integer x, m, i;
    bmp_layout{L1}(b) && 0 <= m < BMP_TOP && 0 <= i < bmp_nw{L1}(b, m) &&
    bmp_same_but{L1, L2}(b, x) && x == \at(b->off[m], L1) + i && bmp_sum{L1}(b, m) ==>
    bmp_sum_but{L2}(b, m, i);
  lemma bmp_sum_nz0{L1, L2}: \forall struct xpt_bitmap *b, integer m, i;
    bmp_layout{L1}(b) && 0 <= m < BMP_TOP && 0 <= i < bmp_nw{L1}(b, m) &&
    bmp_same_but{L1, L2}(b, \at(b->off[m], L1) + i) && bmp_sum{L1}(b, m) &&
    (bmp_word{L1}(b, m, i) == 0 <==> bmp_word{L2}(b, m, i) == 0) ==>
    bmp_sum{L2}(b, m);
  lemma bmp_sum_nz{L1, L2}: \forall struct xpt_bitmap *b, integer x, m, i;
    bmp_layout{L1}(b) && 0 <= m < BMP_TOP && 0 <= i < bmp_nw{L1}(b, m) &&
    bmp_same_but{L1, L2}(b, x) && x == \at(b->off[m], L1) + i && bmp_sum{L1}(b, m) &&
    (bmp_word{L1}(b, m, i) == 0 <==> bmp_word{L2}(b, m, i) == 0) ==>
    bmp_sum{L2}(b, m);
  // A write above level m that keeps the other bits of level m+1 keeps a
  // summary right but at bit e: level m's words stay.
  lemma bmp_sum_but_keep{L1, L2}: \forall struct xpt_bitmap *b, integer x, m, e;
    bmp_layout{L1}(b) && 0 <= m < BMP_TOP &&
    bmp_same_but{L1, L2}(b, x) && \at(b->off[m + 1], L1) <= x &&
    bmp_sum_but{L1}(b, m, e) &&
    (\forall integer j; 0 <= j < 64 * bmp_nw{L1}(b, m + 1) && j != e ==>
       (bmp_bit{L2}(b, m + 1, j) <==> bmp_bit{L1}(b, m + 1, j))) ==>
    bmp_sum_but{L2}(b, m, e);
  // A write at level m+1 that puts bit e right and keeps its other bits
  // mends a summary that was right but at bit e.
  lemma bmp_sum_fix{L1, L2}: \forall struct xpt_bitmap *b, integer x, m, e;
    bmp_layout{L1}(b) && 0 <= m < BMP_TOP && 0 <= e < bmp_nw{L1}(b, m) &&
    bmp_same_but{L1, L2}(b, x) && \at(b->off[m + 1], L1) <= x &&
    bmp_sum_but{L1}(b, m, e) &&
    (bmp_bit{L2}(b, m + 1, e) <==> bmp_word{L1}(b, m, e) != 0) &&
    (\forall integer j; 0 <= j < 64 * bmp_nw{L1}(b, m + 1) && j != e ==>
       (bmp_bit{L2}(b, m + 1, j) <==> bmp_bit{L1}(b, m + 1, j))) ==>
    bmp_sum{L2}(b, m);
  // A summary right but at bit e, and right at e too.
  lemma bmp_sum_but_at{L}: \forall struct xpt_bitmap *b, integer m, e;
    0 <= m < BMP_TOP && 0 <= e < bmp_nw(b, m) && bmp_sum_but(b, m, e) &&
    (bmp_bit(b, m + 1, e) <==> bmp_word(b, m, e) != 0) ==> bmp_sum(b, m);
  // Bit i of level k set or cleared in its word: the other bits of the level keep.
  lemma bmp_word_or{L1, L2}: \forall struct xpt_bitmap *b, integer k, i;
    0 <= i && 0 <= bmp_word{L1}(b, k, i / 64) <= UINT64_MAX &&
    bmp_word{L2}(b, k, i / 64) == (bmp_word{L1}(b, k, i / 64) | (1 << (i % 64))) ==>
    \forall integer j; 0 <= j && j / 64 == i / 64 ==>
      (bmp_bit{L2}(b, k, j) <==> (j == i || bmp_bit{L1}(b, k, j)));
  lemma wbit_flip_set: \forall integer x, p, q; 0 <= x <= UINT64_MAX && 0 <= p < 64 && 0 <= q < 64 &&
    bmp_wbit(x, p) ==> (bmp_wbit(x ^ (1 << p), q) <==> (q != p && bmp_wbit(x, q)));
  lemma bmp_word_xor{L1, L2}: \forall struct xpt_bitmap *b, integer k, i;
    0 <= i && 0 <= bmp_word{L1}(b, k, i / 64) <= UINT64_MAX &&
    bmp_wbit(bmp_word{L1}(b, k, i / 64), i % 64) &&
    bmp_word{L2}(b, k, i / 64) == (uint64_t)(bmp_word{L1}(b, k, i / 64) ^ (1 << (i % 64))) ==>
    \forall integer j; 0 <= j && j / 64 == i / 64 ==>
      (bmp_bit{L2}(b, k, j) <==> (j != i && bmp_bit{L1}(b, k, j)));
  lemma bmp_bits_or{L1, L2}: \forall struct xpt_bitmap *b, integer x, k, i;
    bmp_layout{L1}(b) && 0 <= k <= BMP_TOP && 0 <= i < 64 * bmp_nw{L1}(b, k) &&
    bmp_same_but{L1, L2}(b, x) && x == \at(b->off[k], L1) + i / 64 &&
    0 <= bmp_word{L1}(b, k, i / 64) <= UINT64_MAX &&
    bmp_word{L2}(b, k, i / 64) == (bmp_word{L1}(b, k, i / 64) | (1 << (i % 64))) ==>
    bmp_bit{L2}(b, k, i) &&
    \forall integer j; 0 <= j < 64 * bmp_nw{L1}(b, k) && j != i ==>
      (bmp_bit{L2}(b, k, j) <==> bmp_bit{L1}(b, k, j));
  lemma bmp_bits_xor{L1, L2}: \forall struct xpt_bitmap *b, integer x, k, i;
    bmp_layout{L1}(b) && 0 <= k <= BMP_TOP && 0 <= i < 64 * bmp_nw{L1}(b, k) &&
    bmp_same_but{L1, L2}(b, x) && x == \at(b->off[k], L1) + i / 64 &&
    0 <= bmp_word{L1}(b, k, i / 64) <= UINT64_MAX && bmp_bit{L1}(b, k, i) &&
    bmp_word{L2}(b, k, i / 64) == (uint64_t)(bmp_word{L1}(b, k, i / 64) ^ (1 << (i % 64))) ==>
    !bmp_bit{L2}(b, k, i) &&
    \forall integer j; 0 <= j < 64 * bmp_nw{L1}(b, k) && j != i ==>
      (bmp_bit{L2}(b, k, j) <==> bmp_bit{L1}(b, k, j));
*/

/*@ requires b != 0;
    assigns \nothing;
    ensures \result == a / b + (a % b != 0 ? 1 : 0);
*/
static uint64_t div_up(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

/*@ assigns \nothing;
    ensures \result == (a > b ? a : b);
*/
static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/*@
  // Level k of an nbits-bit bitmap has nbits / 64^(k+1) words rounded up
  // (bm_up), at least one (bm_lw); the levels lie one after the other from
  // word 0, level k at bm_off(nbits, k), bm_off(nbits, XPT_BITMAP_LEVELS)
  // words in all.
  logic integer bm_up(integer nbits, integer k) =
    k < 0 ? nbits : bm_up(nbits, k - 1) / 64 + (bm_up(nbits, k - 1) % 64 != 0 ? 1 : 0);
  logic integer bm_lw(integer nbits, integer k) = bm_up(nbits, k) == 0 ? 1 : bm_up(nbits, k);
  logic integer bm_off(integer nbits, integer k) =
    k <= 0 ? 0 : bm_off(nbits, k - 1) + bm_lw(nbits, k - 1);
  // For nbits <= 2^36: bm_up(nbits, k - 1) <= bm_cap(k) and
  // bm_off(nbits, k) <= bm_wcap(k), so the levels fit 2^32 words.
  logic integer bm_cap(integer k) =
    k <= 0 ? 0x1000000000 : k == 1 ? 0x40000000 : k == 2 ? 0x1000000 : k == 3 ? 0x40000 :
    k == 4 ? 0x1000 : k == 5 ? 64 : 1;
  logic integer bm_wcap(integer k) =
    k <= 0 ? 0 : k == 1 ? 0x40000000 : k == 2 ? 0x41000000 : k == 3 ? 0x41040000 :
    k == 4 ? 0x41041000 : k == 5 ? 0x41041040 : 0x41041041;

  // Offsets as bmp_offs needs them, for an array of XPT_BITMAP_LEVELS.
  predicate bm_plan_ok{L}(uint64_t *off, integer nbits) =
    off[0] == 0 &&
    (\forall integer k; 0 <= k < BMP_TOP ==> off[k] < off[k + 1]) &&
    (\forall integer m, k; 0 <= m <= k <= BMP_TOP ==> off[m] <= off[k]) &&
    (\forall integer k; 0 <= k < BMP_TOP - 1 ==> off[k + 1] - off[k] <= 64 * (off[k + 2] - off[k + 1])) &&
    off[BMP_TOP] - off[BMP_TOP - 1] <= 64 &&
    off[BMP_TOP] < 0x100000000 && nbits <= 64 * (off[1] - off[0]);
*/

/* The level offsets of an nbits-bit bitmap into off[]; returns the words
 * of all levels. */
/*@ requires nbits <= MAX_FRAMES && \valid(off + (0 .. BMP_TOP));
    assigns off[0 .. BMP_TOP];
    ensures plan: bm_plan_ok(off, nbits);
    ensures at: \forall integer k; 0 <= k <= BMP_TOP ==> off[k] == bm_off(nbits, k);
    ensures words: \result == bm_off(nbits, XPT_BITMAP_LEVELS) && \result == off[BMP_TOP] + 1 && \result <= 0x41041041;
*/
static uint64_t bm_plan(uint64_t *off, uint64_t nbits)
{
	uint64_t words = 0, n = nbits;
	/*@ loop invariant 0 <= k <= XPT_BITMAP_LEVELS;
	    loop invariant exact: n == bm_up(nbits, k - 1) && words == bm_off(nbits, k);
	    loop invariant at: \forall integer j; 0 <= j < k ==> off[j] == bm_off(nbits, j);
	    loop invariant cap: n <= bm_cap(k) && words <= bm_wcap(k);
	    loop invariant last: 0 < k ==> words == off[k - 1] + (n == 0 ? 1 : n);
	    loop invariant first: 0 < k ==> off[0] == 0 && nbits <= 64 * ((k == 1 ? words : off[1]) - off[0]);
	    loop invariant grow: \forall integer j; 0 <= j && j + 1 < k ==> off[j] < off[j + 1];
	    loop invariant grow_last: 0 < k ==> off[k - 1] < words;
	    loop invariant ratio: \forall integer j; 0 <= j && j + 2 < k ==>
	      off[j + 1] - off[j] <= 64 * (off[j + 2] - off[j + 1]);
	    loop invariant ratio_last: 1 < k ==> off[k - 1] - off[k - 2] <= 64 * (words - off[k - 1]);
	    loop assigns k, n, words, off[0 .. BMP_TOP];
	    loop variant XPT_BITMAP_LEVELS - k;
	*/
	for (unsigned k = 0; k < XPT_BITMAP_LEVELS; k++) {
		n = div_up(n, 64);
		off[k] = words;
		words += n ? n : 1;
	}
	//@ assert chain: off[0] < off[1] && off[1] < off[2] && off[2] < off[3] && off[3] < off[4] && off[4] < off[5];
	//@ assert top: n <= 1 && words == off[BMP_TOP] + 1 && off[BMP_TOP] - off[BMP_TOP - 1] <= 64;
	//@ assert p_grow: \forall integer k; 0 <= k < BMP_TOP ==> off[k] < off[k + 1];
	//@ assert p_mono: \forall integer m, k; 0 <= m <= k <= BMP_TOP ==> off[m] <= off[k];
	/*@ assert p_ratio: \forall integer k; 0 <= k < BMP_TOP - 1 ==>
	      off[k + 1] - off[k] <= 64 * (off[k + 2] - off[k + 1]); */
	//@ assert p_size: off[BMP_TOP] < 0x100000000 && nbits <= 64 * (off[1] - off[0]) && off[0] == 0;
	return words;
}

/*@ requires nbits <= MAX_FRAMES;
    assigns \nothing;
    ensures \result == bm_off(nbits, XPT_BITMAP_LEVELS) && \result <= 0x41041041;
*/
static uint64_t bm_words(uint64_t nbits)
{
	uint64_t off[XPT_BITMAP_LEVELS];
	return bm_plan(off, nbits);
}

/* Levels one after the other from w; returns the words they take. */
/*@ requires \valid(b) && nbits <= MAX_FRAMES;
    assigns *b;
    ensures b->w == w && b->nbits == nbits && bmp_offs(b);
    ensures at: \forall integer k; 0 <= k <= BMP_TOP ==> b->off[k] == bm_off(nbits, k);
    ensures \result == bm_off(nbits, XPT_BITMAP_LEVELS) && \result == b->off[BMP_TOP] + 1;
*/
static uint64_t bm_layout(struct xpt_bitmap *b, uint64_t *w, uint64_t nbits)
{
	b->w = w;
	b->nbits = nbits;
	return bm_plan(b->off, nbits);
}

/* Words of level k, from the layout (the top level is one word). */
/*@ requires bmp_layout(b) && k < XPT_BITMAP_LEVELS;
    assigns \nothing;
    ensures \result == bmp_nw(b, k);
*/
static uint64_t bm_words_at(const struct xpt_bitmap *b, unsigned k)
{
	return k + 1u < XPT_BITMAP_LEVELS ? b->off[k + 1u] - b->off[k] : 1u;
}

/*@ requires \valid_read(b) && k < XPT_BITMAP_LEVELS && b->off[k] + i <= UINT64_MAX;
    assigns \nothing;
    ensures \result == b->w + (b->off[k] + i);
*/
static uint64_t *bm_word(const struct xpt_bitmap *b, unsigned k, uint64_t i)
{
	return &b->w[b->off[k] + i];
}

/*@ requires bmp_layout(b) && i < 64 * bmp_nw(b, 0);
    assigns \nothing;
    ensures \result <==> bmp_bit(b, 0, i);
*/
static bool bm_test(const struct xpt_bitmap *b, uint64_t i)
{
	return (*bm_word(b, 0, i / 64) >> (i % 64)) & 1u;
}

/*
 * The level loop of bm_set and bm_clear, before level k: i is the bit of
 * level k to update (below its 64 words), the descriptor is unchanged,
 * every summary is right but level k-1's, which is right but at bit i.
 */
#define BMP_CLIMB_INV(b, k, i)                                                    \
  loop invariant 0 <= k <= XPT_BITMAP_LEVELS;                                     \
  loop invariant desc: bmp_desc_same{Pre, Here}(b);                               \
  loop invariant layout: bmp_layout(b);                                           \
  loop invariant k == 0 ==> i == \at(i, Pre);                                     \
  loop invariant k < XPT_BITMAP_LEVELS ==> i < 64 * bmp_nw(b, k);                 \
  loop invariant 0 < k ==> i < bmp_nw(b, k - 1);                                  \
  loop invariant sums: bmp_sums_below(b, k);                                        \
  loop invariant sum_but: 0 < k < XPT_BITMAP_LEVELS ==> bmp_sum_but(b, k - 1, i);  \
  loop invariant others: \forall integer j; 0 <= j < 64 * bmp_nw(b, 0) && j != \at(i, Pre) ==> \
    (bmp_bit(b, 0, j) <==> bmp_bit{Pre}(b, 0, j));

/* Set bit i; a word that turns non-zero sets its bit one level up. */
/*@ requires bmp_ok(b) && i < 64 * bmp_nw(b, 0);
    assigns b->w[0 .. b->off[BMP_TOP]];
    ensures bmp_ok(b);
    ensures bmp_bit(b, 0, \old(i));
    ensures \forall integer j; 0 <= j < 64 * bmp_nw(b, 0) && j != \old(i) ==>
      (bmp_bit(b, 0, j) <==> bmp_bit{Pre}(b, 0, j));
*/
static void bm_set(struct xpt_bitmap *b, uint64_t i)
{
	/* Word i of level k-1 is non-zero now, and bit i of level 0 set. */
	/*@ BMP_CLIMB_INV(b, k, i)
	    loop invariant 0 < k ==> bmp_word(b, k - 1, i) != 0;
	    loop invariant 0 < k ==> bmp_bit(b, 0, \at(i, Pre));
	    loop assigns k, i, b->w[0 .. \at(b->off[BMP_TOP], Pre)];
	    loop variant XPT_BITMAP_LEVELS - k;
	*/
	for (unsigned k = 0; k < XPT_BITMAP_LEVELS; k++) {
		uint64_t wi = i / 64, bit = (uint64_t)1 << (i % 64);
		//@ assert wi: wi == i / 64 && 0 <= i % 64 < 64;
		//@ assert in: 0 <= wi < bmp_nw(b, k) && 0 <= b->off[k] + wi <= b->off[BMP_TOP];
		//@ assert bit: bit == 1 << (i % 64);
		//@ assert apart: b->off[k] <= b->off[k] + wi < b->off[k] + bmp_nw(b, k) && bmp_apart(b, b->off[k] + wi, k);
		uint64_t *w = bm_word(b, k, wi);
		uint64_t was = *w;
		//@ assert was: was == bmp_word(b, k, wi);
		*w = was | bit;
		//@ assert stored: *w == (was | bit);
		/* The descriptor and the other words are unchanged, so are the
		 * summaries away from level k and the other bits of level k. */
		//@ assert desc: bmp_desc_same{LoopCurrent, Here}(b);
		//@ assert offk: b->off[k] == \at(b->off[k], LoopCurrent) && b->w == \at(b->w, LoopCurrent);
		//@ assert at: b->w + (b->off[k] + wi) == w;
		//@ assert word0: bmp_word(b, k, wi) == *w;
		//@ assert step: bmp_same_but{LoopCurrent, Here}(b, \at(b->off[k], LoopCurrent) + wi);
		//@ assert word: bmp_word(b, k, wi) == (bmp_word{LoopCurrent}(b, k, wi) | bit);
		//@ assert offs: bmp_offs(b);
		//@ assert lay: bmp_layout(b);
		//@ assert sums_away: bmp_sums_away(b, k);
		/*@ assert bits: bmp_bit(b, k, i) && \forall integer j; 0 <= j < 64 * bmp_nw(b, k) && j != i ==>
		      (bmp_bit(b, k, j) <==> bmp_bit{LoopCurrent}(b, k, j)); */
		//@ assert mended: 0 < k ==> bmp_sum(b, k - 1);
		if (was != 0) {
			//@ assert nzw: bmp_word(b, k, wi) != 0 && bmp_word{LoopCurrent}(b, k, wi) != 0;
			//@ assert nz: k < BMP_TOP ==> bmp_sum(b, k);
			//@ assert ok: bmp_ok(b);
			return;
		}
		//@ assert to_but: k < BMP_TOP ==> bmp_sum_but(b, k, i / 64);
		//@ assert up: k < BMP_TOP ==> i / 64 < bmp_nw(b, k) <= 64 * bmp_nw(b, k + 1);
		//@ assert next: bmp_sums_below(b, k + 1);
		i /= 64;
	}
}

/* Clear bit i; a word that turns zero clears its bit one level up. */
/*@ requires bmp_ok(b) && i < 64 * bmp_nw(b, 0);
    assigns b->w[0 .. b->off[BMP_TOP]];
    ensures bmp_ok(b);
    ensures !bmp_bit(b, 0, \old(i));
    ensures \forall integer j; 0 <= j < 64 * bmp_nw(b, 0) && j != \old(i) ==>
      (bmp_bit(b, 0, j) <==> bmp_bit{Pre}(b, 0, j));
*/
static void bm_clear(struct xpt_bitmap *b, uint64_t i)
{
	/* Word i of level k-1 is zero now, and bit i of level 0 clear. */
	/*@ BMP_CLIMB_INV(b, k, i)
	    loop invariant 0 < k ==> bmp_word(b, k - 1, i) == 0;
	    loop invariant 0 < k ==> !bmp_bit(b, 0, \at(i, Pre));
	    loop assigns k, i, b->w[0 .. \at(b->off[BMP_TOP], Pre)];
	    loop variant XPT_BITMAP_LEVELS - k;
	*/
	for (unsigned k = 0; k < XPT_BITMAP_LEVELS; k++) {
		uint64_t wi = i / 64, bit = (uint64_t)1 << (i % 64);
		//@ assert wi: wi == i / 64 && 0 <= i % 64 < 64;
		//@ assert in: 0 <= wi < bmp_nw(b, k) && 0 <= b->off[k] + wi <= b->off[BMP_TOP];
		//@ assert bit: bit == 1 << (i % 64);
		//@ assert apart: b->off[k] <= b->off[k] + wi < b->off[k] + bmp_nw(b, k) && bmp_apart(b, b->off[k] + wi, k);
		uint64_t *w = bm_word(b, k, wi);
		uint64_t was = *w;
		//@ assert was: was == bmp_word(b, k, wi);
		if (!(was & bit)) {
			//@ assert clear: !bmp_bit(b, k, i);
			//@ assert clear_sum: 0 < k ==> bmp_sum(b, k - 1);
			//@ assert clear_ok: bmp_ok(b);
			return; /* already clear: the levels above are right */
		}
		//@ assert set: bmp_bit(b, k, i);
		*w = was ^ bit; /* bit is set: this clears it */
		//@ assert stored: *w == (uint64_t)(was ^ bit);
		/* The descriptor and the other words are unchanged, so are the
		 * summaries away from level k and the other bits of level k. */
		//@ assert desc: bmp_desc_same{LoopCurrent, Here}(b);
		//@ assert offk: b->off[k] == \at(b->off[k], LoopCurrent) && b->w == \at(b->w, LoopCurrent);
		//@ assert at: b->w + (b->off[k] + wi) == w;
		//@ assert word0: bmp_word(b, k, wi) == *w;
		//@ assert step: bmp_same_but{LoopCurrent, Here}(b, \at(b->off[k], LoopCurrent) + wi);
		//@ assert word: bmp_word(b, k, wi) == (uint64_t)(bmp_word{LoopCurrent}(b, k, wi) ^ bit);
		/* The premises of bmp_bits_xor, in its terms. */
		//@ assert word_i: bmp_word(b, k, i / 64) == (uint64_t)(bmp_word{LoopCurrent}(b, k, i / 64) ^ (1 << (i % 64)));
		//@ assert set_i: bmp_bit{LoopCurrent}(b, k, i) && 0 <= bmp_word{LoopCurrent}(b, k, i / 64) <= UINT64_MAX;
		//@ assert offs: bmp_offs(b);
		//@ assert lay: bmp_layout(b);
		//@ assert sums_away: bmp_sums_away(b, k);
		/*@ assert bits: !bmp_bit(b, k, i) && \forall integer j; 0 <= j < 64 * bmp_nw(b, k) && j != i ==>
		      (bmp_bit(b, k, j) <==> bmp_bit{LoopCurrent}(b, k, j)); */
		//@ assert mended: 0 < k ==> bmp_sum(b, k - 1);
		if (*w != 0) {
			//@ assert nzw: bmp_word(b, k, wi) != 0 && bmp_word{LoopCurrent}(b, k, wi) != 0;
			//@ assert nz: k < BMP_TOP ==> bmp_sum(b, k);
			//@ assert ok: bmp_ok(b);
			return;
		}
		//@ assert to_but: k < BMP_TOP ==> bmp_sum_but(b, k, i / 64);
		//@ assert up: k < BMP_TOP ==> i / 64 < bmp_nw(b, k) <= 64 * bmp_nw(b, k + 1);
		//@ assert next: bmp_sums_below(b, k + 1);
		i /= 64;
	}
}

/*
 * Lowest set bit, following the summaries down.  The bit returned is read
 * from level 0 itself, so it is set even if a summary were stale.
 */
/*@ requires bmp_ok(b);
    requires \valid(out) && \separated(out, b, b->w + (0 .. b->off[BMP_TOP]));
    assigns *out;
    behavior found:
      assumes \exists integer j; 0 <= j < b->nbits && bmp_bit(b, 0, j);
      ensures \result;
      ensures *out < b->nbits && bmp_bit{Pre}(b, 0, *out);
      ensures \forall integer j; 0 <= j < *out ==> !bmp_bit{Pre}(b, 0, j);
    behavior none:
      assumes \forall integer j; 0 <= j < b->nbits ==> !bmp_bit(b, 0, j);
      ensures !\result;
      ensures *out == \old(*out);
    complete behaviors;
    disjoint behaviors;
*/
static bool bm_find(const struct xpt_bitmap *b, uint64_t *out)
{
	uint64_t i = 0;
	/* i: the lowest set bit of the level above (none yet at the top). */
	/*@ loop invariant 0 <= k <= XPT_BITMAP_LEVELS;
	    loop invariant k == XPT_BITMAP_LEVELS ==> i == 0;
	    loop invariant k < XPT_BITMAP_LEVELS ==> i < 64 * bmp_nw(b, k) && bmp_bit(b, k, i);
	    loop invariant k < XPT_BITMAP_LEVELS ==> \forall integer j; 0 <= j < i ==> !bmp_bit(b, k, j);
	    loop assigns k, i;
	    loop variant k;
	*/
	for (unsigned k = XPT_BITMAP_LEVELS; k-- > 0;) {
		//@ assert k < BMP_TOP ==> i < bmp_nw(b, k) && bmp_word(b, k, i) != 0;
		//@ assert k < BMP_TOP ==> \forall integer j; 0 <= j < i ==> bmp_word(b, k, j) == 0;
		//@ ghost uint64_t up = i;
		uint64_t w = *bm_word(b, k, i);
		if (w == 0) { /* only at the top, then no bit is set */
			//@ assert k == BMP_TOP && bmp_empty(b, 5);
			//@ assert bmp_empty(b, 4);
			//@ assert bmp_empty(b, 3);
			//@ assert bmp_empty(b, 2);
			//@ assert bmp_empty(b, 1);
			//@ assert bmp_empty(b, 0);
			return false;
		}
		i = i * 64 + xpt_lowest_bit(w);
		//@ assert bmp_bit(b, k, i);
		//@ assert \forall integer j; 0 <= j < 64 * up ==> !bmp_bit(b, k, j);
		//@ assert \forall integer j; 64 * up <= j < i ==> !bmp_bit(b, k, j);
		if (i >= bm_words_at(b, k) * 64)
			return false;
	}
	if (i >= b->nbits)
		return false;
	*out = i;
	return true;
}

/*
 * The bits of the masks words_fill writes with.  An axiomatic block, so
 * that only the goals that name fr_mask see these lemmas: general facts
 * about | and & in every goal's context slow the provers down elsewhere.
 */
/*@ axiomatic FrMask {
  // Bits lo .. hi-1 (xpt_bit_range).
  logic integer fr_mask(integer lo, integer hi) = pg_bits(lo, hi);
  // One bit of an OR, an AND, a 64-bit complement; the bits of a mask.
  lemma wbit_lor: \forall integer x, y, q; 0 <= x && 0 <= y && 0 <= q ==>
    (bmp_wbit(x | y, q) <==> (bmp_wbit(x, q) || bmp_wbit(y, q)));
  lemma wbit_land: \forall integer x, y, q; 0 <= x && 0 <= y && 0 <= q ==>
    (bmp_wbit(x & y, q) <==> (bmp_wbit(x, q) && bmp_wbit(y, q)));
  lemma wbit_lnot: \forall integer x, q; 0 <= x <= UINT64_MAX && 0 <= q < 64 ==>
    (bmp_wbit((uint64_t)~x, q) <==> !bmp_wbit(x, q));
  // The bits of 2^n - 1, bmp_wbit written out so that WP's simplifier
  // computes each case of its script (a range split over n and q).
  lemma low_bits: \forall integer n, q; 0 <= n <= 63 && 0 <= q < 64 ==>
    ((((uint64_t)((uint64_t)(1 << n) - 1) >> q) & 1) != 0 <==> q < n);
  lemma wbit_low: \forall integer n, q; 0 <= n <= 63 && 0 <= q < 64 ==>
    (bmp_wbit((uint64_t)((uint64_t)(1 << n) - 1), q) <==> q < n);
  lemma pg_bits_below: \forall integer lo, hi; 0 <= lo <= hi < 64 ==>
    pg_bits(lo, hi) == ((uint64_t)((uint64_t)(1 << hi) - 1) & (uint64_t)~((uint64_t)(1 << lo) - 1));
  lemma pg_bits_top: \forall integer lo; 0 <= lo < 64 ==>
    pg_bits(lo, 64) == (UINT64_MAX & (uint64_t)~((uint64_t)(1 << lo) - 1));
  lemma low_u64: \forall integer n; 0 <= n <= 63 ==> 0 <= (uint64_t)((uint64_t)(1 << n) - 1) <= UINT64_MAX;
  lemma wbit_range_below: \forall integer lo, hi, q; 0 <= lo <= hi < 64 && 0 <= q < 64 ==>
    (bmp_wbit(pg_bits(lo, hi), q) <==> lo <= q < hi);
  lemma wbit_range_top: \forall integer lo, q; 0 <= lo < 64 && 0 <= q < 64 ==>
    (bmp_wbit(pg_bits(lo, 64), q) <==> lo <= q);
  lemma wbit_range: \forall integer lo, hi, q; 0 <= lo <= hi <= 64 && lo < 64 && 0 <= q < 64 ==>
    (bmp_wbit(pg_bits(lo, hi), q) <==> lo <= q < hi);
  lemma wbit_mask: \forall integer lo, hi, q; 0 <= lo <= hi <= 64 && lo < 64 && 0 <= q < 64 ==>
    (bmp_wbit(fr_mask(lo, hi), q) <==> lo <= q < hi);
}
*/

/*@
  // Bit i of level k covers level-0 bits from 64^k * i on, none below i0.
  // One linear case a level, which the provers split on.
  predicate bmp_covers(integer k, integer i, integer i0) =
    (k == 0 ==> i0 <= i) && (k == 1 ==> i0 <= 64 * i) && (k == 2 ==> i0 <= 4096 * i) &&
    (k == 3 ==> i0 <= 262144 * i) && (k == 4 ==> i0 <= 16777216 * i) &&
    (k == 5 ==> i0 <= 1073741824 * i);
*/

/*@ axiomatic FrBelow {
  // Level-0 bits from i0 on whose ancestor at level k lies below i are
  // clear.  One case a level, the ancestor as nested divisions by 64, so
  // that every step is linear for the provers.
  predicate bmp_clear_upto{L}(struct xpt_bitmap *b, integer k, integer i, integer i0) =
    (k == 0 ==> \forall integer x; 0 <= x && i0 <= x < 64 * bmp_nw(b, 0) && x < i ==> !bmp_bit(b, 0, x)) &&
    (k == 1 ==> \forall integer x; 0 <= x && i0 <= x < 64 * bmp_nw(b, 0) && x / 64 < i ==> !bmp_bit(b, 0, x)) &&
    (k == 2 ==> \forall integer x; 0 <= x && i0 <= x < 64 * bmp_nw(b, 0) && x / 64 / 64 < i ==> !bmp_bit(b, 0, x)) &&
    (k == 3 ==> \forall integer x; 0 <= x && i0 <= x < 64 * bmp_nw(b, 0) && x / 64 / 64 / 64 < i ==>
       !bmp_bit(b, 0, x)) &&
    (k == 4 ==> \forall integer x; 0 <= x && i0 <= x < 64 * bmp_nw(b, 0) && x / 64 / 64 / 64 / 64 < i ==>
       !bmp_bit(b, 0, x)) &&
    (k == 5 ==> \forall integer x; 0 <= x && i0 <= x < 64 * bmp_nw(b, 0) && x / 64 / 64 / 64 / 64 / 64 < i ==>
       !bmp_bit(b, 0, x));
  // A clear summary bit: the bit below it is clear.
  lemma down_bit{L}: \forall struct xpt_bitmap *b, integer k, j;
    bmp_ok(b) && 0 <= k < BMP_TOP && 0 <= j < 64 * bmp_nw(b, k) && !bmp_bit(b, k + 1, j / 64) ==>
    !bmp_bit(b, k, j);
  lemma anc_in{L}: \forall struct xpt_bitmap *b, integer k, j;
    bmp_offs(b) && 0 <= k < BMP_TOP && 0 <= j < 64 * bmp_nw(b, k) ==> j / 64 < 64 * bmp_nw(b, k + 1);
  lemma div64_lt: \forall integer y, i; 0 <= y < 64 * i ==> y / 64 < i;
  // Level-0 bit x under a clear bit of level 1 .. 5 is clear.
  lemma chain_1{L}: \forall struct xpt_bitmap *b, integer x;
    bmp_ok(b) && 0 <= x < 64 * bmp_nw(b, 0) && !bmp_bit(b, 1, x / 64) ==> !bmp_bit(b, 0, x);
  lemma chain_2{L}: \forall struct xpt_bitmap *b, integer x;
    bmp_ok(b) && 0 <= x < 64 * bmp_nw(b, 0) && !bmp_bit(b, 2, x / 64 / 64) ==> !bmp_bit(b, 0, x);
  lemma chain_3{L}: \forall struct xpt_bitmap *b, integer x;
    bmp_ok(b) && 0 <= x < 64 * bmp_nw(b, 0) && !bmp_bit(b, 3, x / 64 / 64 / 64) ==> !bmp_bit(b, 0, x);
  lemma chain_4{L}: \forall struct xpt_bitmap *b, integer x;
    bmp_ok(b) && 0 <= x < 64 * bmp_nw(b, 0) && !bmp_bit(b, 4, x / 64 / 64 / 64 / 64) ==>
    !bmp_bit(b, 0, x);
  lemma chain_5{L}: \forall struct xpt_bitmap *b, integer x;
    bmp_ok(b) && 0 <= x < 64 * bmp_nw(b, 0) && !bmp_bit(b, 5, x / 64 / 64 / 64 / 64 / 64) ==>
    !bmp_bit(b, 0, x);
  // The ancestors of a level-0 bit lie in their levels.
  lemma anc_all{L}: \forall struct xpt_bitmap *b, integer x;
    bmp_offs(b) && 0 <= x < 64 * bmp_nw(b, 0) ==>
    x / 64 < 64 * bmp_nw(b, 1) && x / 64 / 64 < 64 * bmp_nw(b, 2) &&
    x / 64 / 64 / 64 < 64 * bmp_nw(b, 3) && x / 64 / 64 / 64 / 64 < 64 * bmp_nw(b, 4) &&
    x / 64 / 64 / 64 / 64 / 64 < 64 * bmp_nw(b, 5);
  // Clear bits of level k from i to e: clear level-0 bits up to e (a
  // level at a time, then any level).
  lemma clear_extend_0{L}: \forall struct xpt_bitmap *b, integer i, e, i0;
    bmp_ok(b) && bmp_clear_upto(b, 0, i, i0) &&
    (\forall integer j; i <= j < e ==> !bmp_bit(b, 0, j)) ==> bmp_clear_upto(b, 0, e, i0);
  lemma clear_extend_1{L}: \forall struct xpt_bitmap *b, integer i, e, i0;
    bmp_ok(b) && bmp_clear_upto(b, 1, i, i0) &&
    (\forall integer j; i <= j < e ==> !bmp_bit(b, 1, j)) ==> bmp_clear_upto(b, 1, e, i0);
  lemma clear_extend_2{L}: \forall struct xpt_bitmap *b, integer i, e, i0;
    bmp_ok(b) && bmp_clear_upto(b, 2, i, i0) &&
    (\forall integer j; i <= j < e ==> !bmp_bit(b, 2, j)) ==> bmp_clear_upto(b, 2, e, i0);
  lemma clear_extend_3{L}: \forall struct xpt_bitmap *b, integer i, e, i0;
    bmp_ok(b) && bmp_clear_upto(b, 3, i, i0) &&
    (\forall integer j; i <= j < e ==> !bmp_bit(b, 3, j)) ==> bmp_clear_upto(b, 3, e, i0);
  lemma clear_extend_4{L}: \forall struct xpt_bitmap *b, integer i, e, i0;
    bmp_ok(b) && bmp_clear_upto(b, 4, i, i0) &&
    (\forall integer j; i <= j < e ==> !bmp_bit(b, 4, j)) ==> bmp_clear_upto(b, 4, e, i0);
  lemma clear_extend_5{L}: \forall struct xpt_bitmap *b, integer i, e, i0;
    bmp_ok(b) && bmp_clear_upto(b, 5, i, i0) &&
    (\forall integer j; i <= j < e ==> !bmp_bit(b, 5, j)) ==> bmp_clear_upto(b, 5, e, i0);
  lemma clear_extend{L}: \forall struct xpt_bitmap *b, integer k, i, e, i0;
    bmp_ok(b) && 0 <= k <= BMP_TOP && bmp_clear_upto(b, k, i, i0) &&
    (\forall integer j; i <= j < e ==> !bmp_bit(b, k, j)) ==> bmp_clear_upto(b, k, e, i0);
  // The same bits seen one level up or down.
  // (Word w of level k, as the bit w one level up.)
  lemma clear_up{L}: \forall struct xpt_bitmap *b, integer k, w, i0;
    0 <= k < BMP_TOP && 0 <= w && bmp_clear_upto(b, k, 64 * w + 64, i0) ==>
    bmp_clear_upto(b, k + 1, w + 1, i0);
  lemma clear_down_1{L}: \forall struct xpt_bitmap *b, integer i, i0;
    bmp_clear_upto(b, 1, i, i0) ==> bmp_clear_upto(b, 0, 64 * i, i0);
  lemma clear_down_2{L}: \forall struct xpt_bitmap *b, integer i, i0;
    bmp_clear_upto(b, 2, i, i0) ==> bmp_clear_upto(b, 1, 64 * i, i0);
  lemma clear_down_3{L}: \forall struct xpt_bitmap *b, integer i, i0;
    bmp_clear_upto(b, 3, i, i0) ==> bmp_clear_upto(b, 2, 64 * i, i0);
  lemma clear_down_4{L}: \forall struct xpt_bitmap *b, integer i, i0;
    bmp_clear_upto(b, 4, i, i0) ==> bmp_clear_upto(b, 3, 64 * i, i0);
  lemma clear_down_5{L}: \forall struct xpt_bitmap *b, integer i, i0;
    bmp_clear_upto(b, 5, i, i0) ==> bmp_clear_upto(b, 4, 64 * i, i0);
  lemma clear_down{L}: \forall struct xpt_bitmap *b, integer k, i, i0;
    0 < k <= BMP_TOP && bmp_clear_upto(b, k, i, i0) ==> bmp_clear_upto(b, k - 1, 64 * i, i0);
  // Clear up to the end of level k: every level-0 bit from i0 on is clear.
  lemma clear_all{L}: \forall struct xpt_bitmap *b, integer k, i, i0;
    bmp_offs(b) && 0 <= k <= BMP_TOP && 64 * bmp_nw(b, k) <= i && bmp_clear_upto(b, k, i, i0) ==>
    \forall integer x; 0 <= x && i0 <= x < 64 * bmp_nw(b, 0) ==> !bmp_bit(b, 0, x);
}
*/

/* clear_up as a proof step of bm_next, whose context hides the instance
 * from the provers. */
/*@ ghost
  /@ requires 0 <= k < BMP_TOP && bmp_clear_upto(b, k, 64 * w + 64, i0);
     assigns \nothing;
     ensures bmp_clear_upto(b, k + 1, w + 1, i0); @/
  static void bm_climb(const struct xpt_bitmap *b, unsigned k, uint64_t w, uint64_t i0) { }
*/

/* The lowest set bit at or above i, or false when none is: climb the
 * summaries past empty words, then descend as bm_find does.  Both loops
 * keep the level-0 bits from i0 up to what bit i of level k covers clear
 * (bmp_clear_upto). */
/*@ requires bmp_ok(b);
    requires \valid(out) && \separated(out, b, b->w + (0 .. b->off[BMP_TOP]));
    assigns *out;
    ensures found: \result ==> \old(i) <= *out < b->nbits && bmp_bit(b, 0, *out);
    ensures lowest: \result ==> \forall integer j; \old(i) <= j < *out ==> !bmp_bit(b, 0, j);
    ensures none: !\result ==> *out == \old(*out) &&
      \forall integer j; \old(i) <= j < b->nbits ==> !bmp_bit(b, 0, j);
*/
static bool bm_next(const struct xpt_bitmap *b, uint64_t i, uint64_t *out)
{
	unsigned k = 0;
	//@ ghost uint64_t i0 = i;
	/*@ loop invariant 0 <= k <= BMP_TOP;
	    loop invariant cover: bmp_covers(k, i, \at(i, Pre));
	    loop invariant clear: bmp_clear_upto(b, k, i, \at(i, Pre));
	    loop assigns k, i;
	    loop variant BMP_TOP - k;
	*/
	for (;;) {
		uint64_t wi = i / 64, word, mask, w;
		//@ assert wi: wi == i / 64 && 64 * wi <= i;
		if (wi >= bm_words_at(b, k)) {
			//@ assert all: \forall integer x; 0 <= x && \at(i, Pre) <= x < 64 * bmp_nw(b, 0) ==> !bmp_bit(b, 0, x);
			return false;
		}
		word = *bm_word(b, k, wi);
		mask = xpt_bit_range(i % 64, 64);
		w = word & mask;
		//@ assert word_v: word == bmp_word(b, k, wi);
		//@ assert mask_v: mask == fr_mask(i % 64, 64);
		//@ assert wq: \forall integer q; 0 <= q < 64 ==> (bmp_wbit(w, q) <==> bmp_wbit(word, q) && bmp_wbit(mask, q));
		//@ assert mq: \forall integer q; 0 <= q < 64 ==> (bmp_wbit(mask, q) <==> i % 64 <= q);
		if (w != 0) {
			unsigned l = xpt_lowest_bit(w);
			//@ assert low: bmp_wbit(w, l);
			//@ assert in_word: bmp_wbit(mask, l) && bmp_wbit(word, l);
			//@ assert above: i % 64 <= l;
			//@ assert skip_w: \forall integer q; 0 <= q < l ==> !bmp_wbit(w, q);
			//@ assert skip_q: \forall integer q; i % 64 <= q < l ==> !bmp_wbit(word, q);
			//@ assert skip: \forall integer j; i <= j < i / 64 * 64 + l ==> !bmp_bit(b, k, j);
			//@ ghost uint64_t from = i;
			i = i / 64 * 64 + l;
			//@ assert past: from <= i && i / 64 == from / 64 && i % 64 == l;
			//@ assert set: bmp_bit(b, k, i);
			//@ assert in: i < 64 * bmp_nw(b, k);
			//@ assert cover: bmp_covers(k, i, \at(i, Pre));
			//@ assert clear: bmp_clear_upto(b, k, i, \at(i, Pre));
			break;
		}
		//@ assert zero_w: \forall integer q; 0 <= q < 64 ==> !bmp_wbit(w, q);
		//@ assert zero_q: \forall integer q; i % 64 <= q < 64 ==> !bmp_wbit(word, q);
		//@ assert zero: \forall integer j; i <= j < 64 * (i / 64) + 64 ==> !bmp_bit(b, k, j);
		//@ assert ext: bmp_clear_upto(b, k, 64 * (i / 64) + 64, \at(i, Pre));
		if (k + 1u == XPT_BITMAP_LEVELS) {
			//@ assert top: k == BMP_TOP && i / 64 == 0 && 64 * bmp_nw(b, k) <= 64 * (i / 64) + 64;
			//@ assert all: \forall integer x; 0 <= x && \at(i, Pre) <= x < 64 * bmp_nw(b, 0) ==> !bmp_bit(b, 0, x);
			return false;
		}
		//@ assert climb: bmp_covers(k + 1, wi + 1, \at(i, Pre));
		//@ assert below_top: k < BMP_TOP;
		//@ ghost bm_climb(b, k, wi, i0);
		//@ assert climb_clear: bmp_clear_upto(b, k + 1, wi + 1, \at(i, Pre));
		//@ assert casts: (unsigned)(k + 1u) == k + 1 && (uint64_t)(wi + 1u) == wi + 1;
		//@ assert climb_next: bmp_clear_upto(b, (unsigned)(k + 1u), (uint64_t)(wi + 1u), \at(i, Pre));
		i = wi + 1u; /* the next word, as a bit one level up */
		k++;
	}
	/*@ loop invariant 0 <= k <= BMP_TOP;
	    loop invariant cover: bmp_covers(k, i, \at(i, Pre));
	    loop invariant clear: bmp_clear_upto(b, k, i, \at(i, Pre));
	    loop invariant in: i < 64 * bmp_nw(b, k);
	    loop invariant set: bmp_bit(b, k, i);
	    loop assigns k, i;
	    loop variant k;
	*/
	while (k-- > 0) {
		//@ assert lvl: k + 1 == \at(k, LoopCurrent) && k < BMP_TOP;
		//@ assert word: i < bmp_nw(b, k) && bmp_word(b, k, i) != 0;
		uint64_t w = *bm_word(b, k, i);
		if (w == 0)
			return false;
		//@ ghost uint64_t up = i;
		//@ assert from: bmp_covers(k + 1, up, \at(i, Pre));
		//@ assert down: bmp_clear_upto(b, k, 64 * up, \at(i, Pre));
		//@ assert w_v: w == bmp_word(b, k, up);
		unsigned l = xpt_lowest_bit(w);
		//@ assert low: bmp_wbit(bmp_word(b, k, up), l);
		i = i * 64 + l;
		//@ assert at: i / 64 == up && i % 64 == l;
		//@ assert set: bmp_bit(b, k, i);
		//@ assert skip: \forall integer j; 64 * up <= j < i ==> !bmp_bit(b, k, j);
		//@ assert cover: bmp_covers(k, i, \at(i, Pre));
		//@ assert clear: bmp_clear_upto(b, k, i, \at(i, Pre));
	}
	//@ assert done: bmp_bit(b, 0, i) && \at(i, Pre) <= i;
	//@ assert below: \forall integer j; \at(i, Pre) <= j < i && j < 64 * bmp_nw(b, 0) ==> !bmp_bit(b, 0, j);
	if (i >= b->nbits)
		return false;
	//@ assert at: i < 64 * bmp_nw(b, 0) && bmp_layout(b);
	/*@ ghost Found: ; */
	*out = i;
	//@ assert same: bmp_same{Found, Here}(b);
	//@ assert kept: bmp_bit(b, 0, i);
	//@ assert kept_below: \forall integer j; \at(i, Pre) <= j < i ==> !bmp_bit(b, 0, j);
	return true;
}

/* Set or clear `count` bits of a flat word array from bit `first`. */
/*@ requires 1 <= count && first + count <= 0x10000000000;
    requires \valid(w + (first / 64 .. (first + count - 1) / 64));
    assigns w[first / 64 .. (first + count - 1) / 64];
    ensures filled: \forall integer x, q; 0 <= q < 64 && first <= 64 * x + q < first + count ==>
      (bmp_wbit(w[x], q) <==> set);
    ensures kept: \forall integer x, q; first / 64 <= x <= (first + count - 1) / 64 && 0 <= q < 64 &&
      !(first <= 64 * x + q < first + count) ==> (bmp_wbit(w[x], q) <==> bmp_wbit(\old(w[x]), q));
*/
static void words_fill(uint64_t *w, uint64_t first, uint64_t count, bool set)
{
	/*@ loop invariant \at(first, Pre) <= first && first + count == \at(first, Pre) + \at(count, Pre);
	    loop invariant done: \forall integer x, q; 0 <= q < 64 && \at(first, Pre) <= 64 * x + q < first ==>
	      (bmp_wbit(w[x], q) <==> set);
	    loop invariant rest: \forall integer x, q;
	      \at(first, Pre) / 64 <= x <= (\at(first, Pre) + \at(count, Pre) - 1) / 64 && 0 <= q < 64 &&
	      !(\at(first, Pre) <= 64 * x + q < first) ==> (bmp_wbit(w[x], q) <==> bmp_wbit(\at(w[x], Pre), q));
	    loop assigns first, count, w[\at(first, Pre) / 64 .. (\at(first, Pre) + \at(count, Pre) - 1) / 64];
	    loop variant count;
	*/
	while (count > 0) {
		unsigned lo = (unsigned)(first % 64);
		unsigned n = count < 64u - lo ? (unsigned)count : 64u - lo;
		uint64_t m = xpt_bit_range(lo, lo + n);
		//@ assert at: first == 64 * (first / 64) + lo && 1 <= n && lo + n <= 64 && n <= count;
		//@ assert in: \at(first, Pre) / 64 <= first / 64 <= (\at(first, Pre) + \at(count, Pre) - 1) / 64;
		//@ assert mask0: m == fr_mask(lo, lo + n);
		//@ assert mask: \forall integer q; 0 <= q < 64 ==> (bmp_wbit(m, q) <==> lo <= q < lo + n);
		w[first / 64] = set ? w[first / 64] | m : w[first / 64] & ~m;
		//@ assert word_in: \forall integer q; lo <= q < lo + n ==> (bmp_wbit(w[first / 64], q) <==> set);
		/*@ assert word_out: \forall integer q; 0 <= q < 64 && !(lo <= q < lo + n) ==>
		      (bmp_wbit(w[first / 64], q) <==> bmp_wbit(\at(w[first / 64], LoopCurrent), q)); */
		//@ assert others: \forall integer x; x != first / 64 ==> w[x] == \at(w[x], LoopCurrent);
		first += n;
		count -= n;
	}
}

/*@
  // With level 0 first in the array, word x of level 0 is b->w[x].
  lemma bmp_word_0{L}: \forall struct xpt_bitmap *b, integer x;
    b->off[0] == 0 ==> bmp_word(b, 0, x) == b->w[x];
*/

/*
 * What bm_refresh starts from, and what stays of a bitmap when only its
 * level-0 words change.  An axiomatic block, so that only the goals that
 * name bmp_sum_out or bmp_up_same see these lemmas.
 */
/*@ axiomatic FrRefresh {
  // A summary that is right but at bits lo .. hi of level k+1.
  predicate bmp_sum_out{L}(struct xpt_bitmap *b, integer k, integer lo, integer hi) =
    \forall integer j; 0 <= j < 64 * bmp_nw(b, k + 1) && !(lo <= j <= hi) ==>
      (bmp_bit(b, k + 1, j) <==> (j < bmp_nw(b, k) && bmp_word(b, k, j) != 0));
  // The descriptor of b and the words above level 0 are the same.
  predicate bmp_up_same{L1, L2}(struct xpt_bitmap *b) =
    bmp_desc_same{L1, L2}(b) &&
    \forall integer y; \at(b->off[1], L1) <= y <= \at(b->off[BMP_TOP], L1) ==>
      \at(b->w[y], L1) == \at(b->w[y], L2);
  // ... so are those words, the bits above level 0 and their summaries.
  lemma bmp_word_keep{L1, L2}: \forall struct xpt_bitmap *b, integer m, k, i;
    bmp_desc_same{L1, L2}(b) && 0 <= m <= k <= BMP_TOP &&
    \at(b->off[m], L1) <= \at(b->off[k], L1) + i <= \at(b->off[BMP_TOP], L1) &&
    (\forall integer y; \at(b->off[m], L1) <= y <= \at(b->off[BMP_TOP], L1) ==>
       \at(b->w[y], L1) == \at(b->w[y], L2)) ==>
    bmp_word{L2}(b, k, i) == bmp_word{L1}(b, k, i);
  lemma bmp_nw_keep{L1, L2}: \forall struct xpt_bitmap *b, integer k;
    bmp_up_same{L1, L2}(b) && 0 <= k <= BMP_TOP ==> bmp_nw{L2}(b, k) == bmp_nw{L1}(b, k);
  lemma bmp_words_keep{L1, L2}: \forall struct xpt_bitmap *b, integer k;
    bmp_layout{L1}(b) && bmp_up_same{L1, L2}(b) && 1 <= k <= BMP_TOP ==>
    \forall integer i; 0 <= i < bmp_nw{L1}(b, k) ==> bmp_word{L2}(b, k, i) == bmp_word{L1}(b, k, i);
  lemma bmp_bits_keep{L1, L2}: \forall struct xpt_bitmap *b, integer k;
    bmp_layout{L1}(b) && bmp_up_same{L1, L2}(b) && 1 <= k <= BMP_TOP ==>
    \forall integer j; 0 <= j < 64 * bmp_nw{L1}(b, k) ==> (bmp_bit{L2}(b, k, j) <==> bmp_bit{L1}(b, k, j));
  lemma bmp_sum_keep{L1, L2}: \forall struct xpt_bitmap *b, integer m;
    bmp_layout{L1}(b) && bmp_up_same{L1, L2}(b) && 1 <= m < BMP_TOP &&
    bmp_sum{L1}(b, m) ==> bmp_sum{L2}(b, m);
  // Level 1 and the level-0 words but lo .. hi unchanged: the summary of
  // level 0 keeps but at bits lo .. hi.
  lemma bmp_sum_out_keep{L1, L2}: \forall struct xpt_bitmap *b, integer lo, integer hi;
    bmp_layout{L1}(b) && bmp_up_same{L1, L2}(b) &&
    (\forall integer x; 0 <= x < bmp_nw{L1}(b, 0) && !(lo <= x <= hi) ==>
       bmp_word{L2}(b, 0, x) == bmp_word{L1}(b, 0, x)) &&
    bmp_sum{L1}(b, 0) ==> bmp_sum_out{L2}(b, 0, lo, hi);
  // A right summary is right but anywhere; right but nowhere is right.
  lemma bmp_sum_out_of{L}: \forall struct xpt_bitmap *b, integer k, lo, hi;
    bmp_sum(b, k) ==> bmp_sum_out(b, k, lo, hi);
  lemma bmp_sum_out_none{L}: \forall struct xpt_bitmap *b, integer k, lo, hi;
    hi < lo && bmp_sum_out(b, k, lo, hi) ==> bmp_sum(b, k);
  // A write to word e of level m, with e among lo .. hi, keeps the summary
  // of level m right but at lo .. hi.
  lemma bmp_sum_out_in{L1, L2}: \forall struct xpt_bitmap *b, integer x, m, lo, hi, e;
    bmp_layout{L1}(b) && 0 <= m < BMP_TOP && lo <= e <= hi && 0 <= e < bmp_nw{L1}(b, m) &&
    bmp_same_but{L1, L2}(b, x) && x == \at(b->off[m], L1) + e && bmp_sum_out{L1}(b, m, lo, hi) ==>
    bmp_sum_out{L2}(b, m, lo, hi);
  // Bit i of level k+1 put right, its other bits kept, level k untouched:
  // the summary of level k, right but at i .. hi, is right but at i+1 .. hi.
  lemma bmp_sum_out_step{L1, L2}: \forall struct xpt_bitmap *b, integer x, k, i, hi;
    bmp_layout{L1}(b) && 0 <= k < BMP_TOP && 0 <= i < bmp_nw{L1}(b, k) &&
    bmp_same_but{L1, L2}(b, x) && \at(b->off[k + 1], L1) <= x &&
    bmp_sum_out{L1}(b, k, i, hi) &&
    (bmp_bit{L2}(b, k + 1, i) <==> bmp_word{L1}(b, k, i) != 0) &&
    (\forall integer j; 0 <= j < 64 * bmp_nw{L1}(b, k + 1) && j != i ==>
       (bmp_bit{L2}(b, k + 1, j) <==> bmp_bit{L1}(b, k + 1, j))) ==>
    bmp_sum_out{L2}(b, k, i + 1, hi);
}
*/

/* Bit i of level k+1 set exactly when word i of level k is non-zero. */
/*@ requires bmp_layout(b) && k < BMP_TOP && i < bmp_nw(b, k);
    assigns b->w[b->off[k + 1] + i / 64];
    ensures same: bmp_same_but{Pre, Here}(b, b->off[k + 1] + i / 64);
    ensures bit: bmp_bit(b, k + 1, i) <==> bmp_word{Pre}(b, k, i) != 0;
    ensures others: \forall integer j; 0 <= j < 64 * bmp_nw(b, k + 1) && j != i ==>
      (bmp_bit(b, k + 1, j) <==> bmp_bit{Pre}(b, k + 1, j));
*/
static void sum_bit(struct xpt_bitmap *b, unsigned k, uint64_t i)
{
	unsigned up = k + 1u;
	uint64_t wi = i / 64, bit = (uint64_t)1 << (i % 64);
	//@ assert up: up == k + 1 && up <= BMP_TOP;
	//@ assert wi: wi == i / 64 && 0 <= i % 64 < 64 && bit == 1 << (i % 64);
	//@ assert in: i < 64 * bmp_nw(b, up) && 0 <= wi < bmp_nw(b, up) && 0 <= b->off[up] + wi <= b->off[BMP_TOP];
	uint64_t *w = bm_word(b, up, wi);
	uint64_t was = *w;
	//@ assert was: was == bmp_word(b, up, wi);
	if (*bm_word(b, k, i) != 0) {
		*w = was | bit;
		//@ assert desc: bmp_desc_same{Pre, Here}(b) && b->off[up] == \at(b->off[k + 1], Pre);
		//@ assert at: b->w + (b->off[up] + wi) == w;
		//@ assert word0: bmp_word(b, up, wi) == *w;
		//@ assert step: bmp_same_but{Pre, Here}(b, \at(b->off[k + 1], Pre) + wi);
		//@ assert word: bmp_word(b, up, wi) == (bmp_word{Pre}(b, up, wi) | bit);
	} else if (was & bit) {
		//@ assert set: bmp_bit(b, up, i);
		*w = was ^ bit;
		//@ assert desc: bmp_desc_same{Pre, Here}(b) && b->off[up] == \at(b->off[k + 1], Pre);
		//@ assert at: b->w + (b->off[up] + wi) == w;
		//@ assert word0: bmp_word(b, up, wi) == *w;
		//@ assert step: bmp_same_but{Pre, Here}(b, \at(b->off[k + 1], Pre) + wi);
		//@ assert word: bmp_word(b, up, wi) == (uint64_t)(bmp_word{Pre}(b, up, wi) ^ bit);
	} else {
		//@ assert clear: !bmp_bit(b, up, i);
	}
}

/* Recompute summary bits above level-0 words [lo, hi]. */
/*@ requires bmp_layout(b) && lo <= hi < bmp_nw(b, 0);
    requires out: bmp_sum_out(b, 0, lo, hi);
    requires above: \forall integer m; 0 < m < BMP_TOP ==> bmp_sum(b, m);
    assigns b->w[b->off[1] .. b->off[BMP_TOP]];
    ensures bmp_ok(b);
*/
static void bm_refresh(struct xpt_bitmap *b, uint64_t lo, uint64_t hi)
{
	/* Before level k: the summaries below k and above k are right, k's is
	 * right but at bits lo .. hi of level k+1, and level 0 is as it was. */
	/*@ loop invariant 0 <= k <= BMP_TOP;
	    loop invariant desc: bmp_desc_same{Pre, Here}(b);
	    loop invariant layout: bmp_layout(b);
	    loop invariant range: lo <= hi && (k < BMP_TOP ==> hi < bmp_nw(b, k));
	    loop invariant below: \forall integer m; 0 <= m < k ==> bmp_sum(b, m);
	    loop invariant out: k < BMP_TOP ==> bmp_sum_out(b, k, lo, hi);
	    loop invariant above: \forall integer m; k < m < BMP_TOP ==> bmp_sum(b, m);
	    loop assigns k, lo, hi, b->w[\at(b->off[1], Pre) .. \at(b->off[BMP_TOP], Pre)];
	    loop variant BMP_TOP - k;
	*/
	for (unsigned k = 0; k < XPT_BITMAP_LEVELS - 1u; k++) {
		//@ assert up: hi < bmp_nw(b, k) <= 64 * bmp_nw(b, k + 1) && hi / 64 < bmp_nw(b, k + 1);
		//@ assert next0: k + 1 < BMP_TOP ==> bmp_sum_out(b, k + 1, lo / 64, hi / 64);
		/*@ loop invariant lo <= i <= hi + 1;
		    loop invariant desc: bmp_desc_same{Pre, Here}(b);
		    loop invariant layout: bmp_layout(b);
		    loop invariant below: \forall integer m; 0 <= m < k ==> bmp_sum(b, m);
		    loop invariant done: bmp_sum_out(b, k, i, hi);
		    loop invariant next: k + 1 < BMP_TOP ==> bmp_sum_out(b, k + 1, lo / 64, hi / 64);
		    loop invariant above: \forall integer m; k + 1 < m < BMP_TOP ==> bmp_sum(b, m);
		    loop assigns i, b->w[\at(b->off[1], Pre) .. \at(b->off[BMP_TOP], Pre)];
		    loop variant hi + 1 - i;
		*/
		for (uint64_t i = lo; i <= hi; i++) {
			//@ assert at: b->off[1] <= b->off[k + 1] + i / 64 <= b->off[BMP_TOP];
			//@ assert apart: bmp_apart(b, b->off[k + 1] + i / 64, k + 1);
			sum_bit(b, k, i);
			//@ assert step: bmp_same_but{LoopCurrent, Here}(b, \at(b->off[k + 1], LoopCurrent) + i / 64);
			//@ assert word_i: 0 <= i / 64 < bmp_nw{LoopCurrent}(b, k + 1) && bmp_layout{LoopCurrent}(b);
			/*@ assert keep: \forall integer m; 0 <= m < BMP_TOP && m != k + 1 && m != k &&
			      bmp_sum{LoopCurrent}(b, m) ==> bmp_sum(b, m); */
			//@ assert below_i: \forall integer m; 0 <= m < k ==> bmp_sum(b, m);
			//@ assert above_i: \forall integer m; k + 1 < m < BMP_TOP ==> bmp_sum(b, m);
			//@ assert next_i: k + 1 < BMP_TOP ==> bmp_sum_out(b, k + 1, lo / 64, hi / 64);
		}
		//@ assert sum_k: bmp_sum(b, k);
		lo /= 64;
		hi /= 64;
		//@ assert out_next: k + 1 < BMP_TOP ==> bmp_sum_out(b, k + 1, lo, hi);
		//@ assert range_next: lo <= hi && (k + 1 < BMP_TOP ==> hi < bmp_nw(b, k + 1));
		/* The next level as the increment computes it, so that the
		 * invariants follow without a cast to reason about. */
		//@ assert cast: (unsigned)(k + 1u) == k + 1;
		//@ assert out_cast: (unsigned)(k + 1u) < BMP_TOP ==> bmp_sum_out(b, (unsigned)(k + 1u), lo, hi);
		//@ assert range_cast: (unsigned)(k + 1u) < BMP_TOP ==> hi < bmp_nw(b, (unsigned)(k + 1u));
	}
}

/*@ requires bmp_ok(b) && 1 <= count && first + count <= 64 * bmp_nw(b, 0);
    assigns b->w[0 .. b->off[BMP_TOP]];
    ensures bmp_ok(b);
    ensures \forall integer j; \old(first) <= j < \old(first) + \old(count) ==>
      (bmp_bit(b, 0, j) <==> set);
    ensures \forall integer j; 0 <= j < 64 * bmp_nw(b, 0) &&
      !(\old(first) <= j < \old(first) + \old(count)) ==>
      (bmp_bit(b, 0, j) <==> bmp_bit{Pre}(b, 0, j));
*/
static void bm_fill(struct xpt_bitmap *b, uint64_t first, uint64_t count, bool set)
{
	if (count == 1) {
		if (set)
			bm_set(b, first);
		else
			bm_clear(b, first);
		return;
	}
	//@ assert lay: bmp_layout(b) && b->off[0] == 0 && bmp_nw(b, 0) == b->off[1];
	//@ assert range: first / 64 <= (first + count - 1) / 64 < bmp_nw(b, 0) && b->off[1] <= b->off[BMP_TOP];
	words_fill(b->w + b->off[0], first, count, set);
	/*@ ghost Filled: ; */
	//@ assert desc: bmp_desc_same{Pre, Here}(b);
	//@ assert lay1: bmp_layout(b);
	//@ assert up_same: bmp_up_same{Pre, Here}(b);
	//@ assert off0: b->off[0] == 0 && \at(b->off[0], Pre) == 0 && b->w == \at(b->w, Pre) && bmp_nw(b, 0) == bmp_nw{Pre}(b, 0);
	//@ assert w_here: \forall integer x; 0 <= x ==> bmp_word(b, 0, x) == b->w[x];
	//@ assert w_pre: \forall integer x; 0 <= x ==> bmp_word{Pre}(b, 0, x) == \at(b->w[x], Pre);
	//@ assert nw_pre: bmp_nw{Pre}(b, 0) == b->off[1];
	/*@ assert w0_same: \forall integer x; 0 <= x < b->off[1] && !(first / 64 <= x <= (first + count - 1) / 64) ==>
	      b->w[x] == \at(b->w[x], Pre); */
	/*@ assert w0_out: \forall integer x; 0 <= x < bmp_nw{Pre}(b, 0) && !(first / 64 <= x <= (first + count - 1) / 64) ==>
	      bmp_word(b, 0, x) == bmp_word{Pre}(b, 0, x); */
	//@ assert bits_in: \forall integer j; first <= j < first + count ==> (bmp_bit(b, 0, j) <==> set);
	/*@ assert kept_w: \forall integer x, q; first / 64 <= x <= (first + count - 1) / 64 && 0 <= q < 64 &&
	      !(first <= 64 * x + q < first + count) ==> (bmp_wbit(bmp_word(b, 0, x), q) <==> bmp_wbit(bmp_word{Pre}(b, 0, x), q)); */
	/*@ assert bits_near: \forall integer j; 0 <= j && first / 64 <= j / 64 <= (first + count - 1) / 64 &&
	      !(first <= j < first + count) ==> (bmp_bit(b, 0, j) <==> bmp_bit{Pre}(b, 0, j)); */
	/*@ assert bits_far: \forall integer j; 0 <= j < 64 * bmp_nw(b, 0) && !(first / 64 <= j / 64 <= (first + count - 1) / 64) ==>
	      (bmp_bit(b, 0, j) <==> bmp_bit{Pre}(b, 0, j)); */
	/*@ assert bits_out: \forall integer j; 0 <= j < 64 * bmp_nw(b, 0) && !(first <= j < first + count) ==>
	      (bmp_bit(b, 0, j) <==> bmp_bit{Pre}(b, 0, j)); */
	//@ assert sums_above: \forall integer m; 0 < m < BMP_TOP ==> bmp_sum(b, m);
	//@ assert sum_out: bmp_sum_out(b, 0, first / 64, (first + count - 1) / 64);
	bm_refresh(b, first / 64, (first + count - 1) / 64);
	//@ assert desc2: bmp_desc_same{Filled, Here}(b);
	//@ assert level0: \forall integer y; 0 <= y < b->off[1] ==> b->w[y] == \at(b->w[y], Filled);
	//@ assert nw2: bmp_nw(b, 0) == b->off[1] && b->off[0] == 0 && b->w == \at(b->w, Filled);
	//@ assert w_here2: \forall integer x; 0 <= x < b->off[1] ==> bmp_word(b, 0, x) == b->w[x];
	//@ assert words0: \forall integer x; 0 <= x < bmp_nw(b, 0) ==> bmp_word(b, 0, x) == bmp_word{Filled}(b, 0, x);
	/*@ assert bits_kept: \forall integer j; 0 <= j < 64 * bmp_nw(b, 0) ==>
	      (bmp_bit(b, 0, j) <==> bmp_bit{Filled}(b, 0, j)); */
}

/* Every summary from level 0: clear the levels above it (one after the
 * other in b->w), then sum level 0 up through all of them. */
/*@ requires bmp_layout(b);
    assigns b->w[b->off[1] .. b->off[BMP_TOP]];
    ensures bmp_ok(b);
    ensures desc: bmp_desc_same{Pre, Here}(b);
    ensures level0: \forall integer x; 0 <= x < b->off[1] ==> b->w[x] == \old(b->w[x]);
*/
static void bm_rebuild(struct xpt_bitmap *b)
{
	/*@ loop invariant b->off[1] <= y <= b->off[BMP_TOP] + 1;
	    loop invariant desc: bmp_desc_same{Pre, Here}(b);
	    loop invariant zero: \forall integer x; b->off[1] <= x < y ==> b->w[x] == 0;
	    loop invariant level0: \forall integer x; 0 <= x < b->off[1] ==> b->w[x] == \at(b->w[x], Pre);
	    loop assigns y, b->w[\at(b->off[1], Pre) .. \at(b->off[BMP_TOP], Pre)];
	    loop variant b->off[BMP_TOP] + 1 - y;
	*/
	for (uint64_t y = b->off[1]; y <= b->off[XPT_BITMAP_LEVELS - 1u]; y++)
		b->w[y] = 0;
	//@ assert lay: bmp_layout(b);
	//@ assert words: \forall integer m, i; 1 <= m <= BMP_TOP && 0 <= i < bmp_nw(b, m) ==> bmp_word(b, m, i) == 0;
	//@ assert bits: \forall integer m, j; 1 <= m <= BMP_TOP && 0 <= j < 64 * bmp_nw(b, m) ==> !bmp_bit(b, m, j);
	//@ assert above: \forall integer m; 0 < m < BMP_TOP ==> bmp_sum(b, m);
	//@ assert out: bmp_sum_out(b, 0, 0, bmp_nw(b, 0) - 1);
	/*@ assert same_off: b->w == \at(b->w, Pre) && b->off[1] == \at(b->off[1], Pre) &&
	      b->off[BMP_TOP] == \at(b->off[BMP_TOP], Pre); */
	/*@ ghost Cleared: ; */
	bm_refresh(b, 0, bm_words_at(b, 0) - 1);
	//@ assert desc_kept: bmp_desc_same{Cleared, Here}(b);
	//@ assert level0_kept: \forall integer x; 0 <= x < b->off[1] ==> b->w[x] == \at(b->w[x], Cleared);
}

/* Are the eight level-0 words from word 8*blk all ones? */
/*@ requires bmp_layout(b) && blk < 0x100000000;
    assigns \nothing;
*/
static bool bm_block_full(const struct xpt_bitmap *b, uint64_t blk)
{
	if (blk * 8 + 8 > bm_words_at(b, 0))
		return false;
	/*@ loop invariant 0 <= i <= 8;
	    loop assigns i;
	    loop variant 8 - i;
	*/
	for (unsigned i = 0; i < 8; i++)
		if (*bm_word(b, 0, blk * 8 + i) != UINT64_MAX)
			return false;
	return true;
}

/* ----------------------------------------------------------- accounting */

/* The words of bitmap B of fa lie apart from the descriptor, the usable
 * bits and the words of the other two bitmaps C and D: a call that writes
 * B's words leaves those alone. */
#define FR_WORDS(fa, B) ((fa)->B.w + (0 .. (fa)->B.off[BMP_TOP]))
#define FR_APART(fa, B, C, D)                                                     \
  (\separated(fa, FR_WORDS(fa, B)) &&                                             \
   \separated((fa)->usable + (0 .. fr_usable_words((fa)->nframes) - 1), FR_WORDS(fa, B)) && \
   \separated(FR_WORDS(fa, C), FR_WORDS(fa, B)) && \separated(FR_WORDS(fa, D), FR_WORDS(fa, B)))
/* The fields of fa, its usable bits and its bitmap descriptors at L and here. */
/* The summary levels of B's words, above level 0. */
#define FR_SUMS(fa, B) ((fa)->B.w + ((fa)->B.off[1] .. (fa)->B.off[BMP_TOP]))
#define FR_FIELDS_SAME(fa, L)                                                     \
  ((fa)->nframes == \at((fa)->nframes, L) && (fa)->nusable == \at((fa)->nusable, L) && \
   (fa)->nfree == \at((fa)->nfree, L) && (fa)->usable == \at((fa)->usable, L))
#define FR_DESCS_SAME(fa, L)                                                      \
  (bmp_desc_same{L, Here}(&(fa)->free4k) && bmp_desc_same{L, Here}(&(fa)->free2m) && \
   bmp_desc_same{L, Here}(&(fa)->free1g))
#define FR_TOPS_SAME(fa, L)                                                       \
  ((fa)->free4k.w == \at((fa)->free4k.w, L) && (fa)->free4k.off[BMP_TOP] == \at((fa)->free4k.off[BMP_TOP], L) && \
   (fa)->free2m.w == \at((fa)->free2m.w, L) && (fa)->free2m.off[BMP_TOP] == \at((fa)->free2m.off[BMP_TOP], L) && \
   (fa)->free1g.w == \at((fa)->free1g.w, L) && (fa)->free1g.off[BMP_TOP] == \at((fa)->free1g.off[BMP_TOP], L))
#define FR_USABLE_SAME(fa, L)                                                     \
  (\forall integer x; 0 <= x < fr_usable_words((fa)->nframes) ==>                 \
     (fa)->usable[x] == \at((fa)->usable[x], L))

/*@
  // The allocator's scalars, usable bits and bitmap descriptors are the
  // same at L1 and L2 (nfree aside).
  predicate fr_desc_same{L1, L2}(struct xpt_frames *fa) =
    \at(fa->nframes, L1) == \at(fa->nframes, L2) && \at(fa->nusable, L1) == \at(fa->nusable, L2) &&
    \at(fa->usable, L1) == \at(fa->usable, L2) &&
    (\forall integer x; 0 <= x < fr_usable_words(\at(fa->nframes, L1)) ==>
       \at(fa->usable[x], L1) == \at(fa->usable[x], L2)) &&
    bmp_desc_same{L1, L2}(\at(&fa->free4k, L1)) && bmp_desc_same{L1, L2}(\at(&fa->free2m, L1)) &&
    bmp_desc_same{L1, L2}(\at(&fa->free1g, L1));
  lemma fr_usable_same{L1, L2}: \forall struct xpt_frames *fa, integer g;
    fr_desc_same{L1, L2}(fa) ==> (fr_usable{L1}(fa, g) <==> fr_usable{L2}(fa, g));
  // Unchanged from L1 to L2 and from L2 to L3: unchanged from L1 to L3.
  lemma fr_desc_trans{L1, L2, L3}: \forall struct xpt_frames *fa;
    fr_desc_same{L1, L2}(fa) && fr_desc_same{L2, L3}(fa) ==> fr_desc_same{L1, L3}(fa);
  lemma bmp_same_trans{L1, L2, L3}: \forall struct xpt_bitmap *b;
    bmp_same{L1, L2}(b) && bmp_same{L2, L3}(b) ==> bmp_same{L1, L3}(b);
*/

/* fa->nfree = v: a field of the descriptor, apart from the arrays, so the
 * memory of the allocator keeps. */
/*@ requires xpt_frames_mem(fa);
    assigns fa->nfree;
    ensures fa->nfree == v;
    ensures xpt_frames_mem(fa);
*/
static void set_nfree(struct xpt_frames *fa, uint64_t v)
{
	//@ assert pre_lay: bmp_layout(&fa->free4k) && bmp_layout(&fa->free2m) && bmp_layout(&fa->free1g);
	//@ assert pre_offs: bmp_offs(&fa->free4k) && bmp_offs(&fa->free2m) && bmp_offs(&fa->free1g);
	fa->nfree = v;
	/*@ assert st_nbits0: fa->nframes == \at(fa->nframes, Pre) && fa->free4k.nbits == \at(fa->free4k.nbits, Pre) &&
	      fa->free2m.nbits == \at(fa->free2m.nbits, Pre) && fa->free1g.nbits == \at(fa->free1g.nbits, Pre); */
	//@ assert st_top_4k: fa->free4k.w == \at(fa->free4k.w, Pre) && fa->free4k.off[BMP_TOP] == \at(fa->free4k.off[BMP_TOP], Pre);
	//@ assert st_off_4k: \forall integer k; 0 <= k <= BMP_TOP ==> fa->free4k.off[k] == \at(fa->free4k.off[k], Pre);
	//@ assert st_desc_4k: bmp_desc_same{Pre, Here}(&fa->free4k);
	//@ assert st_offs_4k: bmp_offs(&fa->free4k);
	//@ assert st_lay_4k: bmp_layout(&fa->free4k);
	//@ assert st_top_2m: fa->free2m.w == \at(fa->free2m.w, Pre) && fa->free2m.off[BMP_TOP] == \at(fa->free2m.off[BMP_TOP], Pre);
	//@ assert st_off_2m: \forall integer k; 0 <= k <= BMP_TOP ==> fa->free2m.off[k] == \at(fa->free2m.off[k], Pre);
	//@ assert st_desc_2m: bmp_desc_same{Pre, Here}(&fa->free2m);
	//@ assert st_offs_2m: bmp_offs(&fa->free2m);
	//@ assert st_lay_2m: bmp_layout(&fa->free2m);
	//@ assert st_top_1g: fa->free1g.w == \at(fa->free1g.w, Pre) && fa->free1g.off[BMP_TOP] == \at(fa->free1g.off[BMP_TOP], Pre);
	//@ assert st_off_1g: \forall integer k; 0 <= k <= BMP_TOP ==> fa->free1g.off[k] == \at(fa->free1g.off[k], Pre);
	//@ assert st_desc_1g: bmp_desc_same{Pre, Here}(&fa->free1g);
	//@ assert st_offs_1g: bmp_offs(&fa->free1g);
	//@ assert st_lay_1g: bmp_layout(&fa->free1g);
	/*@ assert st_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert st_valid: \valid(fa) && \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
	/*@ assert st_sep: \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
	      FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g)); */
}

/* Blocks that hold any of frames [f, f+n) are no longer wholly free. */
/*@ requires xpt_frames_mem(fa) && bmp_ok(&fa->free2m) && bmp_ok(&fa->free1g);
    requires 1 <= n && f + n <= fa->nframes;
    assigns fa->free2m.w[0 .. fa->free2m.off[BMP_TOP]], fa->free1g.w[0 .. fa->free1g.off[BMP_TOP]];
    ensures bmp_ok(&fa->free2m) && bmp_ok(&fa->free1g);
    ensures kept: fr_desc_same{Pre, Here}(fa) && fa->nfree == \old(fa->nfree);
    ensures kept_4k: bmp_same{Pre, Here}(&fa->free4k);
*/
static void clear_blocks(struct xpt_frames *fa, xpt_pfn f, uint64_t n)
{
	uint64_t b0 = f / FRAMES_PER_2M, b1 = (f + n - 1) / FRAMES_PER_2M;
	uint64_t g0 = f / FRAMES_PER_1G, g1 = (f + n - 1) / FRAMES_PER_1G;
	//@ assert apart_2m: FR_APART(fa, free2m, free4k, free1g);
	bm_fill(&fa->free2m, b0, b1 - b0 + 1, false);
	/*@ ghost Filled: ; */
	//@ assert fill_fields: FR_FIELDS_SAME(fa, Pre);
	//@ assert fill_descs: FR_DESCS_SAME(fa, Pre);
	//@ assert fill_usable: FR_USABLE_SAME(fa, Pre);
	//@ assert fill_desc: fr_desc_same{Pre, Here}(fa);
	//@ assert fill_nfree: fa->nfree == \at(fa->nfree, Pre);
	//@ assert fill_4k: bmp_same{Pre, Here}(&fa->free4k);
	//@ assert fill_1g: bmp_same{Pre, Here}(&fa->free1g);
	//@ assert fill_top_1g: fa->free1g.w == \at(fa->free1g.w, Pre) && fa->free1g.off[BMP_TOP] == \at(fa->free1g.off[BMP_TOP], Pre);
	//@ assert fill_offs_1g: bmp_offs(&fa->free1g);
	//@ assert fill_lay_1g: bmp_layout(&fa->free1g);
	//@ assert fill_sums_1g: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free1g, k);
	//@ assert fill_ok_1g: bmp_ok(&fa->free1g);
	//@ assert apart_1g: FR_APART(fa, free1g, free4k, free2m);
	bm_fill(&fa->free1g, g0, g1 - g0 + 1, false);
	//@ assert same_fields: FR_FIELDS_SAME(fa, Filled);
	//@ assert same_descs: FR_DESCS_SAME(fa, Filled);
	//@ assert same_usable: FR_USABLE_SAME(fa, Filled);
	//@ assert same_desc: fr_desc_same{Filled, Here}(fa);
	//@ assert same_4k: bmp_same{Filled, Here}(&fa->free4k);
	//@ assert same_2m: bmp_same{Filled, Here}(&fa->free2m);
	//@ assert same_top_2m: fa->free2m.w == \at(fa->free2m.w, Filled) && fa->free2m.off[BMP_TOP] == \at(fa->free2m.off[BMP_TOP], Filled);
	//@ assert same_offs_2m: bmp_offs(&fa->free2m);
	//@ assert same_lay_2m: bmp_layout(&fa->free2m);
	//@ assert same_sums_2m: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free2m, k);
	//@ assert same_ok_2m: bmp_ok(&fa->free2m);
}

/* Free frames [f, f+n) are handed out. */
/*@ requires xpt_frames_ok(fa);
    requires 1 <= n && f + n <= fa->nframes;
    requires \forall integer g; f <= g < f + n ==> fr_free(fa, g);
    assigns XPT_FRAMES_WRITES(fa);
    ensures xpt_frames_ok(fa);
    ensures \forall integer g; \old(f) <= g < \old(f) + \old(n) ==> !fr_free(fa, g);
    ensures \forall integer g; !(\old(f) <= g < \old(f) + \old(n)) ==>
      (fr_free(fa, g) <==> fr_free{Pre}(fa, g));
    ensures fa->nfree == \old(fa->nfree) - \old(n);
    ensures kept: fr_desc_same{Pre, Here}(fa);
*/
static void mark_used(struct xpt_frames *fa, xpt_pfn f, uint64_t n)
{
	//@ assert pre_mem: xpt_frames_mem(fa);
	/*@ assert pre_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert pre_valid: \valid(fa) && \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
	/*@ assert pre_sep: \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
	      FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g)); */
	//@ assert apart_4k: FR_APART(fa, free4k, free2m, free1g);
	bm_fill(&fa->free4k, f, n, false);
	/*@ ghost Filled: ; */
	//@ assert fill_fields: FR_FIELDS_SAME(fa, Pre);
	//@ assert fill_descs: FR_DESCS_SAME(fa, Pre);
	//@ assert fill_usable: FR_USABLE_SAME(fa, Pre);
	//@ assert fill_desc: fr_desc_same{Pre, Here}(fa) && fa->nfree == \at(fa->nfree, Pre);
	//@ assert fill_2m: bmp_same{Pre, Here}(&fa->free2m);
	//@ assert fill_1g: bmp_same{Pre, Here}(&fa->free1g);
	//@ assert fill_top_2m: fa->free2m.w == \at(fa->free2m.w, Pre) && fa->free2m.off[BMP_TOP] == \at(fa->free2m.off[BMP_TOP], Pre);
	//@ assert fill_offs_2m: bmp_offs(&fa->free2m);
	//@ assert fill_lay_2m: bmp_layout(&fa->free2m);
	//@ assert fill_sums_2m: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free2m, k);
	//@ assert fill_ok_2m: bmp_ok(&fa->free2m);
	//@ assert fill_top_1g: fa->free1g.w == \at(fa->free1g.w, Pre) && fa->free1g.off[BMP_TOP] == \at(fa->free1g.off[BMP_TOP], Pre);
	//@ assert fill_offs_1g: bmp_offs(&fa->free1g);
	//@ assert fill_lay_1g: bmp_layout(&fa->free1g);
	//@ assert fill_sums_1g: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free1g, k);
	//@ assert fill_ok_1g: bmp_ok(&fa->free1g);
	//@ assert fill_top_4k: fa->free4k.w == \at(fa->free4k.w, Pre) && fa->free4k.off[BMP_TOP] == \at(fa->free4k.off[BMP_TOP], Pre);
	//@ assert fill_lay_4k: bmp_layout(&fa->free4k);
	/*@ assert fill_nbits0: fa->nframes == \at(fa->nframes, Pre) && fa->free4k.nbits == \at(fa->free4k.nbits, Pre) &&
	      fa->free2m.nbits == \at(fa->free2m.nbits, Pre) && fa->free1g.nbits == \at(fa->free1g.nbits, Pre); */
	/*@ assert fill_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert fill_valid: \valid(fa) && \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
	/*@ assert fill_sep: \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
	      FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g)); */
	//@ assert fill_mem: xpt_frames_mem(fa);
	clear_blocks(fa, f, n);
	/*@ ghost Cleared: ; */
	//@ assert clear_desc: fr_desc_same{Filled, Here}(fa) && fa->nfree == \at(fa->nfree, Pre);
	//@ assert clear_4k: bmp_same{Filled, Here}(&fa->free4k);
	//@ assert clear_fields: FR_FIELDS_SAME(fa, Filled);
	//@ assert clear_descs: FR_DESCS_SAME(fa, Filled);
	//@ assert clear_usable: FR_USABLE_SAME(fa, Filled);
	//@ assert clear_kept: fr_desc_same{Pre, Here}(fa);
	//@ assert clear_top_4k: fa->free4k.w == \at(fa->free4k.w, Filled) && fa->free4k.off[BMP_TOP] == \at(fa->free4k.off[BMP_TOP], Filled);
	//@ assert clear_offs_4k: bmp_offs(&fa->free4k);
	//@ assert clear_lay_4k: bmp_layout(&fa->free4k);
	//@ assert clear_sums_4k: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free4k, k);
	//@ assert clear_ok_4k: bmp_ok(&fa->free4k);
	/*@ assert clear_nbits0: fa->nframes == \at(fa->nframes, Filled) && fa->free4k.nbits == \at(fa->free4k.nbits, Filled) &&
	      fa->free2m.nbits == \at(fa->free2m.nbits, Filled) && fa->free1g.nbits == \at(fa->free1g.nbits, Filled); */
	/*@ assert clear_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert clear_lay: bmp_layout(&fa->free2m) && bmp_layout(&fa->free1g);
	//@ assert clear_valid: \valid(fa) && \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
	/*@ assert clear_sep: \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
	      FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g)); */
	//@ assert clear_mem: xpt_frames_mem(fa);
	set_nfree(fa, fa->nfree - n);
	//@ assert st_fields: fa->nframes == \at(fa->nframes, Cleared) && fa->nusable == \at(fa->nusable, Cleared) && fa->usable == \at(fa->usable, Cleared);
	//@ assert st_descs: FR_DESCS_SAME(fa, Cleared);
	//@ assert st_usable: FR_USABLE_SAME(fa, Cleared);
	//@ assert desc: fr_desc_same{Cleared, Here}(fa);
	//@ assert kept: fr_desc_same{Pre, Here}(fa);
	//@ assert same_4k: bmp_same{Cleared, Here}(&fa->free4k);
	//@ assert same_2m: bmp_same{Cleared, Here}(&fa->free2m);
	//@ assert same_1g: bmp_same{Cleared, Here}(&fa->free1g);
	//@ assert st_top_4k: fa->free4k.w == \at(fa->free4k.w, Cleared) && fa->free4k.off[BMP_TOP] == \at(fa->free4k.off[BMP_TOP], Cleared);
	//@ assert st_offs_4k: bmp_offs(&fa->free4k);
	//@ assert st_lay_4k: bmp_layout(&fa->free4k);
	//@ assert st_sums_4k: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free4k, k);
	//@ assert st_ok_4k: bmp_ok(&fa->free4k);
	//@ assert st_top_2m: fa->free2m.w == \at(fa->free2m.w, Cleared) && fa->free2m.off[BMP_TOP] == \at(fa->free2m.off[BMP_TOP], Cleared);
	//@ assert st_offs_2m: bmp_offs(&fa->free2m);
	//@ assert st_lay_2m: bmp_layout(&fa->free2m);
	//@ assert st_sums_2m: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free2m, k);
	//@ assert st_ok_2m: bmp_ok(&fa->free2m);
	//@ assert st_top_1g: fa->free1g.w == \at(fa->free1g.w, Cleared) && fa->free1g.off[BMP_TOP] == \at(fa->free1g.off[BMP_TOP], Cleared);
	//@ assert st_offs_1g: bmp_offs(&fa->free1g);
	//@ assert st_lay_1g: bmp_layout(&fa->free1g);
	//@ assert st_sums_1g: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free1g, k);
	//@ assert st_ok_1g: bmp_ok(&fa->free1g);
	/*@ assert st_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert st_valid: \valid(fa) && \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
	/*@ assert st_sep: \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
	      FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g)); */
	//@ assert mem: xpt_frames_mem(fa);
	/*@ assert bits: \forall integer j; 0 <= j < 64 * bmp_nw(&fa->free4k, 0) ==>
	      (bmp_bit(&fa->free4k, 0, j) <==> (bmp_bit{Pre}(&fa->free4k, 0, j) && !(f <= j < f + n))); */
	//@ assert usable: \forall integer g; fr_usable(fa, g) <==> fr_usable{Pre}(fa, g);
	/*@ assert usable_kept: \forall integer g; 0 <= g < fa->nframes && !(f <= g < f + n) ==>
	      (fr_usable(fa, g) <==> fr_usable{Pre}(fa, g)); */
	/*@ assert only_usable: \forall integer g; 0 <= g < 64 * bmp_nw(&fa->free4k, 0) ==>
	      bmp_bit(&fa->free4k, 0, g) ==> fr_usable(fa, g); */
	//@ assert in: fa->nframes <= 64 * bmp_nw(&fa->free4k, 0) && f + n <= fa->nframes;
	/* The count of free frames drops by n: bmp_count unrolled frame by frame. */
	/*@ ghost
	  uint64_t j = 0;
	  /@ loop invariant 0 <= j <= fa->nframes;
	     loop invariant nonneg: 0 <= bmp_count(&fa->free4k, j);
	     loop invariant \forall integer m; m == j ==>
	       bmp_count(&fa->free4k, m) ==
	       bmp_count{Pre}(&fa->free4k, m) - (m <= f ? 0 : m < f + n ? m - f : n);
	     loop assigns j;
	     loop variant fa->nframes - j; @/
	  while (j < fa->nframes) {
	    /@ assert jbit: bmp_bit(&fa->free4k, 0, j) <==> (bmp_bit{Pre}(&fa->free4k, 0, j) && !(f <= j < f + n)); @/
	    /@ assert jpre: f <= j < f + n ==> bmp_bit{Pre}(&fa->free4k, 0, j); @/
	    /@ assert jval: ((bmp_word(&fa->free4k, 0, j / 64) >> (j % 64)) & 1) ==
	         ((bmp_word{Pre}(&fa->free4k, 0, j / 64) >> (j % 64)) & 1) - (f <= j < f + n ? 1 : 0); @/
	    /@ assert jnn: 0 <= ((bmp_word(&fa->free4k, 0, j / 64) >> (j % 64)) & 1); @/
	    j++;
	  }
	*/
	//@ assert counted: bmp_count(&fa->free4k, fa->nframes) == bmp_count{Pre}(&fa->free4k, fa->nframes) - n;
	//@ assert enough: n <= \at(fa->nfree, Pre);
	//@ assert nfree: fa->nfree == \at(fa->nfree, Pre) - n;
	//@ assert count: fa->nfree == bmp_count(&fa->free4k, fa->nframes);
}

/*
 * bm_set on bitmap B of fa, C and D the other two: B stays a summary tower
 * with bit i set and its other bits kept, and the call leaves alone the
 * fields, the usable bits, the descriptors, nfree and the words of C and D.
 * The block loops of mark_free carry the allocator across a call through
 * this contract instead of re-deriving it step by step in their context.
 */
#define FR_SET_CONTRACT(B, C, D)                                                  \
  requires xpt_frames_mem(fa) && bmp_ok(&fa->B) && bmp_ok(&fa->C) && bmp_ok(&fa->D); \
  requires i < 64 * bmp_nw(&fa->B, 0);                                            \
  assigns fa->B.w[0 .. fa->B.off[BMP_TOP]];                                       \
  ensures set: bmp_bit(&fa->B, 0, \old(i));                                       \
  ensures others: \forall integer j; 0 <= j < 64 * bmp_nw(&fa->B, 0) && j != \old(i) ==> \
    (bmp_bit(&fa->B, 0, j) <==> bmp_bit{Pre}(&fa->B, 0, j));                      \
  ensures kept: fr_desc_same{Pre, Here}(fa) && fa->nfree == \old(fa->nfree);     \
  ensures same_##C: bmp_same{Pre, Here}(&fa->C);                                  \
  ensures same_##D: bmp_same{Pre, Here}(&fa->D);                                  \
  ensures ok: bmp_ok(&fa->B) && bmp_ok(&fa->C) && bmp_ok(&fa->D);                 \
  ensures mem: xpt_frames_mem(fa);

/*@ FR_SET_CONTRACT(free2m, free4k, free1g) */
static void block_set_2m(struct xpt_frames *fa, uint64_t i)
{
	/*@ assert pre_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert apart: FR_APART(fa, free2m, free4k, free1g);
	bm_set(&fa->free2m, i);
	//@ assert set_fields: FR_FIELDS_SAME(fa, Pre);
	//@ assert set_descs: FR_DESCS_SAME(fa, Pre);
	//@ assert set_usable: FR_USABLE_SAME(fa, Pre);
	//@ assert set_desc: fr_desc_same{Pre, Here}(fa);
	//@ assert set_4k: bmp_same{Pre, Here}(&fa->free4k);
	//@ assert set_1g: bmp_same{Pre, Here}(&fa->free1g);
	//@ assert set_top_4k: fa->free4k.w == \at(fa->free4k.w, Pre) && fa->free4k.off[BMP_TOP] == \at(fa->free4k.off[BMP_TOP], Pre);
	//@ assert set_offs_4k: bmp_offs(&fa->free4k);
	//@ assert set_lay_4k: bmp_layout(&fa->free4k);
	//@ assert set_sums_4k: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free4k, k);
	//@ assert set_ok_4k: bmp_ok(&fa->free4k);
	//@ assert set_top_1g: fa->free1g.w == \at(fa->free1g.w, Pre) && fa->free1g.off[BMP_TOP] == \at(fa->free1g.off[BMP_TOP], Pre);
	//@ assert set_offs_1g: bmp_offs(&fa->free1g);
	//@ assert set_lay_1g: bmp_layout(&fa->free1g);
	//@ assert set_sums_1g: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free1g, k);
	//@ assert set_ok_1g: bmp_ok(&fa->free1g);
	/*@ assert set_nbits0: fa->nframes == \at(fa->nframes, Pre) && fa->free4k.nbits == \at(fa->free4k.nbits, Pre) &&
	      fa->free2m.nbits == \at(fa->free2m.nbits, Pre) && fa->free1g.nbits == \at(fa->free1g.nbits, Pre); */
	/*@ assert set_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert set_valid: \valid(fa) && \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
	/*@ assert set_sep: \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
	      FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g)); */
}

/*@ FR_SET_CONTRACT(free1g, free4k, free2m) */
static void block_set_1g(struct xpt_frames *fa, uint64_t i)
{
	/*@ assert pre_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert apart: FR_APART(fa, free1g, free4k, free2m);
	bm_set(&fa->free1g, i);
	//@ assert set_fields: FR_FIELDS_SAME(fa, Pre);
	//@ assert set_descs: FR_DESCS_SAME(fa, Pre);
	//@ assert set_usable: FR_USABLE_SAME(fa, Pre);
	//@ assert set_desc: fr_desc_same{Pre, Here}(fa);
	//@ assert set_4k: bmp_same{Pre, Here}(&fa->free4k);
	//@ assert set_2m: bmp_same{Pre, Here}(&fa->free2m);
	//@ assert set_top_4k: fa->free4k.w == \at(fa->free4k.w, Pre) && fa->free4k.off[BMP_TOP] == \at(fa->free4k.off[BMP_TOP], Pre);
	//@ assert set_offs_4k: bmp_offs(&fa->free4k);
	//@ assert set_lay_4k: bmp_layout(&fa->free4k);
	//@ assert set_sums_4k: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free4k, k);
	//@ assert set_ok_4k: bmp_ok(&fa->free4k);
	//@ assert set_top_2m: fa->free2m.w == \at(fa->free2m.w, Pre) && fa->free2m.off[BMP_TOP] == \at(fa->free2m.off[BMP_TOP], Pre);
	//@ assert set_offs_2m: bmp_offs(&fa->free2m);
	//@ assert set_lay_2m: bmp_layout(&fa->free2m);
	//@ assert set_sums_2m: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free2m, k);
	//@ assert set_ok_2m: bmp_ok(&fa->free2m);
	/*@ assert set_nbits0: fa->nframes == \at(fa->nframes, Pre) && fa->free4k.nbits == \at(fa->free4k.nbits, Pre) &&
	      fa->free2m.nbits == \at(fa->free2m.nbits, Pre) && fa->free1g.nbits == \at(fa->free1g.nbits, Pre); */
	/*@ assert set_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert set_valid: \valid(fa) && \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
	/*@ assert set_sep: \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
	      FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g)); */
}

/*
 * The block loops of mark_free, x running over blocks lo .. hi of bitmap B
 * (C and D the other two): since label L only B's words were written, and
 * every bitmap is a summary tower.
 */
#define FR_BLOCKS_INV(x, lo, hi, L, B, C, D)                                      \
  loop invariant lo <= x <= hi + 1;                                               \
  loop invariant desc: fr_desc_same{L, Here}(fa) && fa->nfree == \at(fa->nfree, Pre); \
  loop invariant same_##C: bmp_same{L, Here}(&fa->C);                             \
  loop invariant same_##D: bmp_same{L, Here}(&fa->D);                             \
  loop invariant ok: bmp_ok(&fa->B) && bmp_ok(&fa->C) && bmp_ok(&fa->D);          \
  loop invariant mem: xpt_frames_mem(fa);                                         \
  loop assigns x, fa->B.w[0 .. \at(fa->B.off[BMP_TOP], Pre)];                     \
  loop variant hi + 1 - x;

/* Frames [f, f+n) become free; blocks they complete become whole. */
/*@ requires xpt_frames_ok(fa);
    requires 1 <= n && f + n <= fa->nframes;
    requires \forall integer g; f <= g < f + n ==> fr_usable(fa, g) && !fr_free(fa, g);
    assigns XPT_FRAMES_WRITES(fa);
    ensures xpt_frames_ok(fa);
    ensures \forall integer g; \old(f) <= g < \old(f) + \old(n) ==> fr_free(fa, g);
    ensures \forall integer g; !(\old(f) <= g < \old(f) + \old(n)) ==>
      (fr_free(fa, g) <==> fr_free{Pre}(fa, g));
    ensures fa->nfree == \old(fa->nfree) + \old(n);
*/
static void mark_free(struct xpt_frames *fa, xpt_pfn f, uint64_t n)
{
	//@ assert pre_mem: xpt_frames_mem(fa);
	/*@ assert pre_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert pre_valid: \valid(fa) && \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
	/*@ assert pre_sep: \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
	      FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g)); */
	//@ assert apart_4k: FR_APART(fa, free4k, free2m, free1g);
	bm_fill(&fa->free4k, f, n, true);
	/*@ ghost Filled: ; */
	//@ assert fill_fields: FR_FIELDS_SAME(fa, Pre);
	//@ assert fill_descs: FR_DESCS_SAME(fa, Pre);
	//@ assert fill_usable: FR_USABLE_SAME(fa, Pre);
	//@ assert fill_desc: fr_desc_same{Pre, Here}(fa) && fa->nfree == \at(fa->nfree, Pre);
	//@ assert fill_2m: bmp_same{Pre, Here}(&fa->free2m);
	//@ assert fill_1g: bmp_same{Pre, Here}(&fa->free1g);
	//@ assert fill_top_2m: fa->free2m.w == \at(fa->free2m.w, Pre) && fa->free2m.off[BMP_TOP] == \at(fa->free2m.off[BMP_TOP], Pre);
	//@ assert fill_offs_2m: bmp_offs(&fa->free2m);
	//@ assert fill_lay_2m: bmp_layout(&fa->free2m);
	//@ assert fill_sums_2m: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free2m, k);
	//@ assert fill_ok_2m: bmp_ok(&fa->free2m);
	//@ assert fill_top_1g: fa->free1g.w == \at(fa->free1g.w, Pre) && fa->free1g.off[BMP_TOP] == \at(fa->free1g.off[BMP_TOP], Pre);
	//@ assert fill_offs_1g: bmp_offs(&fa->free1g);
	//@ assert fill_lay_1g: bmp_layout(&fa->free1g);
	//@ assert fill_sums_1g: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free1g, k);
	//@ assert fill_ok_1g: bmp_ok(&fa->free1g);
	//@ assert fill_top_4k: fa->free4k.w == \at(fa->free4k.w, Pre) && fa->free4k.off[BMP_TOP] == \at(fa->free4k.off[BMP_TOP], Pre);
	//@ assert fill_lay_4k: bmp_layout(&fa->free4k);
	/*@ assert fill_nbits0: fa->nframes == \at(fa->nframes, Pre) && fa->free4k.nbits == \at(fa->free4k.nbits, Pre) &&
	      fa->free2m.nbits == \at(fa->free2m.nbits, Pre) && fa->free1g.nbits == \at(fa->free1g.nbits, Pre); */
	/*@ assert fill_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert fill_valid: \valid(fa) && \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
	/*@ assert fill_sep: \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
	      FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g)); */
	//@ assert fill_mem: xpt_frames_mem(fa);
	/*@ FR_BLOCKS_INV(b, f / FRAMES_PER_2M, (f + n - 1) / FRAMES_PER_2M, Filled, free2m, free4k, free1g) */
	for (uint64_t b = f / FRAMES_PER_2M; b <= (f + n - 1) / FRAMES_PER_2M; b++) {
		if (bm_block_full(&fa->free4k, b)) {
			//@ assert in_2m: b < 64 * bmp_nw(&fa->free2m, 0);
			block_set_2m(fa, b);
		}
	}
	/*@ ghost Blocks2m: ; */
	/*@ FR_BLOCKS_INV(g, f / FRAMES_PER_1G, (f + n - 1) / FRAMES_PER_1G, Blocks2m, free1g, free4k, free2m) */
	for (uint64_t g = f / FRAMES_PER_1G; g <= (f + n - 1) / FRAMES_PER_1G; g++) {
		if (bm_block_full(&fa->free2m, g)) {
			//@ assert g_bits: g < fa->free1g.nbits;
			//@ assert in_1g: g < 64 * bmp_nw(&fa->free1g, 0);
			block_set_1g(fa, g);
		}
	}
	/*@ ghost Blocks: ; */
	//@ assert blocks_4k: bmp_same{Filled, Here}(&fa->free4k);
	//@ assert blocks_kept: fr_desc_same{Pre, Here}(fa);
	set_nfree(fa, fa->nfree + n);
	//@ assert st_fields: fa->nframes == \at(fa->nframes, Blocks) && fa->nusable == \at(fa->nusable, Blocks) && fa->usable == \at(fa->usable, Blocks);
	//@ assert st_descs: FR_DESCS_SAME(fa, Blocks);
	//@ assert st_usable: FR_USABLE_SAME(fa, Blocks);
	//@ assert desc: fr_desc_same{Blocks, Here}(fa);
	//@ assert same_4k: bmp_same{Blocks, Here}(&fa->free4k);
	//@ assert same_2m: bmp_same{Blocks, Here}(&fa->free2m);
	//@ assert same_1g: bmp_same{Blocks, Here}(&fa->free1g);
	//@ assert st_top_4k: fa->free4k.w == \at(fa->free4k.w, Blocks) && fa->free4k.off[BMP_TOP] == \at(fa->free4k.off[BMP_TOP], Blocks);
	//@ assert st_offs_4k: bmp_offs(&fa->free4k);
	//@ assert st_lay_4k: bmp_layout(&fa->free4k);
	//@ assert st_sums_4k: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free4k, k);
	//@ assert st_ok_4k: bmp_ok(&fa->free4k);
	//@ assert st_top_2m: fa->free2m.w == \at(fa->free2m.w, Blocks) && fa->free2m.off[BMP_TOP] == \at(fa->free2m.off[BMP_TOP], Blocks);
	//@ assert st_offs_2m: bmp_offs(&fa->free2m);
	//@ assert st_lay_2m: bmp_layout(&fa->free2m);
	//@ assert st_sums_2m: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free2m, k);
	//@ assert st_ok_2m: bmp_ok(&fa->free2m);
	//@ assert st_top_1g: fa->free1g.w == \at(fa->free1g.w, Blocks) && fa->free1g.off[BMP_TOP] == \at(fa->free1g.off[BMP_TOP], Blocks);
	//@ assert st_offs_1g: bmp_offs(&fa->free1g);
	//@ assert st_lay_1g: bmp_layout(&fa->free1g);
	//@ assert st_sums_1g: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free1g, k);
	//@ assert st_ok_1g: bmp_ok(&fa->free1g);
	/*@ assert st_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert st_valid: \valid(fa) && \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
	/*@ assert st_sep: \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
	      FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g)); */
	//@ assert mem: xpt_frames_mem(fa);
	/*@ assert bits: \forall integer j; 0 <= j < 64 * bmp_nw(&fa->free4k, 0) ==>
	      (bmp_bit(&fa->free4k, 0, j) <==> (bmp_bit{Pre}(&fa->free4k, 0, j) || f <= j < f + n)); */
	//@ assert usable: \forall integer g; fr_usable(fa, g) <==> fr_usable{Pre}(fa, g);
	/*@ assert usable_kept: \forall integer g; 0 <= g < fa->nframes && !(f <= g < f + n) ==>
	      (fr_usable(fa, g) <==> fr_usable{Pre}(fa, g)); */
	/*@ assert only_usable: \forall integer g; 0 <= g < 64 * bmp_nw(&fa->free4k, 0) ==>
	      bmp_bit(&fa->free4k, 0, g) ==> fr_usable(fa, g); */
	//@ assert in: fa->nframes <= 64 * bmp_nw(&fa->free4k, 0) && f + n <= fa->nframes;
	/* The count of free frames grows by n: bmp_count unrolled frame by frame. */
	/*@ ghost
	  uint64_t j = 0;
	  /@ loop invariant 0 <= j <= fa->nframes;
	     loop invariant upto: bmp_count(&fa->free4k, j) <= j;
	     loop invariant \forall integer m; m == j ==>
	       bmp_count(&fa->free4k, m) ==
	       bmp_count{Pre}(&fa->free4k, m) + (m <= f ? 0 : m < f + n ? m - f : n);
	     loop assigns j;
	     loop variant fa->nframes - j; @/
	  while (j < fa->nframes) {
	    /@ assert jbit: bmp_bit(&fa->free4k, 0, j) <==> (bmp_bit{Pre}(&fa->free4k, 0, j) || f <= j < f + n); @/
	    /@ assert jpre: f <= j < f + n ==> !bmp_bit{Pre}(&fa->free4k, 0, j); @/
	    /@ assert jval: ((bmp_word(&fa->free4k, 0, j / 64) >> (j % 64)) & 1) ==
	         ((bmp_word{Pre}(&fa->free4k, 0, j / 64) >> (j % 64)) & 1) + (f <= j < f + n ? 1 : 0); @/
	    /@ assert jle: ((bmp_word(&fa->free4k, 0, j / 64) >> (j % 64)) & 1) <= 1; @/
	    j++;
	  }
	*/
	//@ assert counted: bmp_count(&fa->free4k, fa->nframes) == bmp_count{Pre}(&fa->free4k, fa->nframes) + n;
	//@ assert room: \at(fa->nfree, Pre) + n <= fa->nframes;
	//@ assert nfree: fa->nfree == \at(fa->nfree, Pre) + n;
	//@ assert count: fa->nfree == bmp_count(&fa->free4k, fa->nframes);
}

/* ----------------------------------------------------------------- init */

/*@ requires \valid_read(r) && \valid(end) && \separated(r, end);
    assigns *end;
    ensures fits: \result <==> r->base + r->len <= 0x10000000000000;
    ensures end: \result ==> *end == r->base + r->len;
*/
static bool region_end(const struct xpt_region *r, uint64_t *end)
{
	const uint64_t limit = (uint64_t)1 << XPT_MAXPHYADDR;
	*end = r->base + r->len;
	return r->base <= limit && r->len <= limit - r->base;
}

/*@ requires map == \null || \valid_read(map + (0 .. nregions - 1));
    requires \valid(nframes) && \separated(nframes, map + (0 .. nregions - 1));
    assigns *nframes;
    ensures \result == XPT_OK || \result == XPT_E_INVAL || \result == XPT_E_MEMMAP ||
            \result == XPT_E_RANGE;
    ensures \result == XPT_OK ==> *nframes <= MAX_FRAMES;
    ensures \result != XPT_OK ==> *nframes == \old(*nframes);
    ensures map == \null && nregions != 0 ==> \result == XPT_E_INVAL;
    ensures fits: \result == XPT_OK ==> \forall integer i; 0 <= i < nregions ==>
      map[i].len == 0 || map[i].base + map[i].len <= 0x10000000000000;
*/
int xpt_frames_span(const struct xpt_region *map, size_t nregions, uint64_t *nframes)
{
	uint64_t span = 0;
	if (map == NULL && nregions != 0)
		return XPT_E_INVAL;
	/*@ loop invariant 0 <= i <= nregions;
	    loop invariant span <= 0x10000000000;
	    loop invariant fits: \forall integer j; 0 <= j < i ==>
	      map[j].len == 0 || map[j].base + map[j].len <= 0x10000000000000;
	    loop assigns i, span;
	    loop variant nregions - i;
	*/
	for (size_t i = 0; i < nregions; i++) {
		uint64_t end;
		if (map[i].len == 0)
			continue;
		if (!region_end(&map[i], &end))
			return XPT_E_MEMMAP;
		uint64_t first = div_up(map[i].base, XPT_PAGE_SIZE), last = end / XPT_PAGE_SIZE;
		if (map[i].type == XPT_REGION_USABLE && last > first)
			span = max_u64(span, last);
	}
	if (span > MAX_FRAMES)
		return XPT_E_RANGE;
	*nframes = span;
	return XPT_OK;
}

/*@ assigns \nothing;
    ensures \result == fr_usable_words(nframes);
*/
static uint64_t usable_words(uint64_t nframes)
{
	return max_u64(1, div_up(nframes, 64));
}

/*@
  // The words of metadata for nframes frames: the usable bits, then the
  // 4 KiB, 2 MiB and 1 GiB bitmaps.
  logic integer fr_meta_words(integer n) =
    fr_usable_words(n) + bm_off(n, XPT_BITMAP_LEVELS) + bm_off((n + 511) / 512, XPT_BITMAP_LEVELS) +
    bm_off((n + 262143) / 262144, XPT_BITMAP_LEVELS);
*/

/* More frames than the allocator can track need more words than exist. */
/*@ assigns \nothing;
    ensures nframes <= MAX_FRAMES ==> \result == fr_meta_words(nframes) && \result <= 0x400000000 &&
      fr_usable_words(nframes) <= \result;
    ensures nframes > MAX_FRAMES ==> \result == UINT64_MAX;
*/
uint64_t xpt_frames_meta_words(uint64_t nframes)
{
	uint64_t n2m, n1g;
	if (nframes > MAX_FRAMES)
		return UINT64_MAX;
	n2m = div_up(nframes, FRAMES_PER_2M);
	n1g = div_up(nframes, FRAMES_PER_1G);
	//@ assert up: n2m == (nframes + 511) / 512 && n1g == (nframes + 262143) / 262144;
	return usable_words(nframes) + bm_words(nframes) + bm_words(n2m) + bm_words(n1g);
}

/* The usable bits of frame g, below and above nframes alike. */
#define FR_UBIT(fa, g) bmp_wbit((fa)->usable[(g) / 64], (g) % 64)
/* What fill_region and mark_usable need of fa: its usable words writable
 * and apart from the descriptor and the map. */
#define FR_USABLE_WORDS(fa) ((fa)->usable + (0 .. fr_usable_words((fa)->nframes) - 1))

/*@
  // One more region of the map: the frames it holds or touches join.
  lemma in_usable_step{L}: \forall struct xpt_region *map, integer n, g; 0 <= n ==>
    (fr_in_usable(map, n + 1, g) <==>
      (fr_in_usable(map, n, g) || (map[n].type == XPT_REGION_USABLE && fr_region_holds(map + n, g))));
  lemma in_reserved_step{L}: \forall struct xpt_region *map, integer n, g; 0 <= n ==>
    (fr_in_reserved(map, n + 1, g) <==>
      (fr_in_reserved(map, n, g) || (map[n].type != XPT_REGION_USABLE && fr_region_touches(map + n, g))));
*/

/* The frames region r holds (usable: whole frames only) or touches
 * (reserved: every frame it overlaps), below nframes, set to whether r is usable. */
/*@ requires \valid(fa) && fa->nframes <= 0x1000000000 && \valid(FR_USABLE_WORDS(fa));
    requires \valid_read(r) && (r->len == 0 || r->base + r->len <= 0x10000000000000);
    requires \separated(fa, FR_USABLE_WORDS(fa)) && \separated(r, FR_USABLE_WORDS(fa));
    assigns fa->usable[0 .. fr_usable_words(fa->nframes) - 1];
    ensures set: \forall integer g; 0 <= g < 64 * fr_usable_words(fa->nframes) ==>
      (FR_UBIT(fa, g) <==> (g < fa->nframes &&
        (r->type == XPT_REGION_USABLE ? fr_region_holds(r, g) : fr_region_touches(r, g)) ?
          r->type == XPT_REGION_USABLE : \at(FR_UBIT(fa, g), Pre)));
*/
static void fill_region(struct xpt_frames *fa, const struct xpt_region *r)
{
	bool usable = r->type == XPT_REGION_USABLE;
	uint64_t end = r->base + r->len;
	uint64_t first = usable ? div_up(r->base, XPT_PAGE_SIZE) : r->base / XPT_PAGE_SIZE;
	uint64_t last = usable ? end / XPT_PAGE_SIZE : div_up(end, XPT_PAGE_SIZE);
	if (r->len == 0)
		return;
	if (last > fa->nframes)
		last = fa->nframes;
	//@ assert span: \forall integer g; (first <= g < last) <==> (g < fa->nframes && (usable ? fr_region_holds(r, g) : fr_region_touches(r, g)));
	if (last > first)
		words_fill(fa->usable, first, last - first, usable);
}

/* Usable bits: usable regions aligned inward, minus reserved ones aligned
 * outward, below nframes; every other bit clear. */
/*@ requires \valid(fa) && fa->nframes <= 0x1000000000 && \valid(FR_USABLE_WORDS(fa));
    requires \valid_read(map + (0 .. nregions - 1));
    requires \forall integer i; 0 <= i < nregions ==>
      map[i].len == 0 || map[i].base + map[i].len <= 0x10000000000000;
    requires \separated(fa, FR_USABLE_WORDS(fa)) && \separated(map + (0 .. nregions - 1), FR_USABLE_WORDS(fa));
    requires zero: \forall integer x; 0 <= x < fr_usable_words(fa->nframes) ==> fa->usable[x] == 0;
    assigns fa->usable[0 .. fr_usable_words(fa->nframes) - 1];
    ensures \forall integer g; 0 <= g < 64 * fr_usable_words(fa->nframes) ==>
      (FR_UBIT(fa, g) <==> (g < fa->nframes && fr_map_usable{Pre}(map, nregions, g)));
*/
static void mark_usable(struct xpt_frames *fa, const struct xpt_region *map, size_t nregions)
{
	//@ assert none: \forall integer g; 0 <= g < 64 * fr_usable_words(fa->nframes) ==> !FR_UBIT(fa, g);
	/*@ loop invariant 0 <= i <= nregions;
	    loop invariant \forall integer g; 0 <= g < 64 * fr_usable_words(fa->nframes) ==>
	      (FR_UBIT(fa, g) <==> (g < fa->nframes && fr_in_usable{Pre}(map, i, g)));
	    loop invariant same: fa->nframes == \at(fa->nframes, Pre) && fa->usable == \at(fa->usable, Pre);
	    loop invariant map: \forall integer j; 0 <= j < nregions ==> map[j].base == \at(map[j].base, Pre) &&
	      map[j].len == \at(map[j].len, Pre) && map[j].type == \at(map[j].type, Pre);
	    loop assigns i, \at(fa->usable, Pre)[0 .. fr_usable_words(\at(fa->nframes, Pre)) - 1];
	    loop variant nregions - i;
	*/
	for (size_t i = 0; i < nregions; i++)
		if (map[i].type == XPT_REGION_USABLE)
			fill_region(fa, &map[i]);
	/*@ loop invariant 0 <= i <= nregions;
	    loop invariant \forall integer g; 0 <= g < 64 * fr_usable_words(fa->nframes) ==>
	      (FR_UBIT(fa, g) <==> (g < fa->nframes && fr_in_usable{Pre}(map, nregions, g) && !fr_in_reserved{Pre}(map, i, g)));
	    loop invariant same: fa->nframes == \at(fa->nframes, Pre) && fa->usable == \at(fa->usable, Pre);
	    loop invariant map: \forall integer j; 0 <= j < nregions ==> map[j].base == \at(map[j].base, Pre) &&
	      map[j].len == \at(map[j].len, Pre) && map[j].type == \at(map[j].type, Pre);
	    loop assigns i, \at(fa->usable, Pre)[0 .. fr_usable_words(\at(fa->nframes, Pre)) - 1];
	    loop variant nregions - i;
	*/
	for (size_t i = 0; i < nregions; i++) {
		/*@ assert step: \forall integer g; fr_in_reserved{Pre}(map, i + 1, g) <==>
		      (fr_in_reserved{Pre}(map, i, g) || (map[i].type != XPT_REGION_USABLE && fr_region_touches{Pre}(map + i, g))); */
		if (map[i].type != XPT_REGION_USABLE) {
			fill_region(fa, &map[i]);
			/*@ assert cleared: \forall integer g; 0 <= g < 64 * fr_usable_words(fa->nframes) ==>
			      (FR_UBIT(fa, g) <==> (!fr_region_touches{Pre}(map + i, g) && \at(FR_UBIT(fa, g), LoopCurrent))); */
		}
		//@ assert nf: fa->nframes == \at(fa->nframes, Pre) && fa->usable == \at(fa->usable, Pre);
		/*@ assert next: \forall integer g; 0 <= g < 64 * fr_usable_words(fa->nframes) ==>
		      (FR_UBIT(fa, g) <==> (g < fa->nframes && fr_in_usable{Pre}(map, nregions, g) &&
		        !fr_in_reserved{Pre}(map, i + 1, g))); */
	}
}

/* Whole-block bitmap of `blocks` over the level-0 words of `below`.
 * Stated: the summaries of `blocks` are right and `below` is untouched;
 * not yet: that bit b is set exactly when block b of `below` is full. */
/*@ requires bmp_layout(blocks) && bmp_layout(below) && blocks->nbits < 0x100000000;
    requires \separated(blocks->w + (0 .. blocks->off[BMP_TOP]), below, below->w + (0 .. below->off[BMP_TOP]));
    assigns blocks->w[0 .. blocks->off[BMP_TOP]];
    ensures bmp_ok(blocks);
    ensures below: bmp_same{Pre, Here}(below) && bmp_layout(below);
*/
static void build_blocks(struct xpt_bitmap *blocks, const struct xpt_bitmap *below)
{
	/*@ loop invariant 0 <= b <= blocks->nbits;
	    loop invariant desc: bmp_desc_same{Pre, Here}(blocks);
	    loop invariant below: bmp_layout(below) && bmp_layout(blocks);
	    loop invariant apart: \separated(blocks->w + (0 .. blocks->off[BMP_TOP]), below);
	    loop assigns b, blocks->w[0 .. \at(blocks->off[BMP_TOP], Pre)];
	    loop variant blocks->nbits - b;
	*/
	for (uint64_t b = 0; b < blocks->nbits; b++) {
		if (bm_block_full(below, b)) {
			//@ assert in: b / 64 < bmp_nw(blocks, 0) && 0 <= blocks->off[0] + b / 64 <= blocks->off[BMP_TOP];
			//@ assert apart: \separated(blocks->w + (blocks->off[0] + b / 64), blocks);
			//@ assert apart_below: \separated(blocks->w + (blocks->off[0] + b / 64), below);
			*bm_word(blocks, 0, b / 64) |= (uint64_t)1 << (b % 64);
			//@ assert desc: bmp_desc_same{LoopCurrent, Here}(blocks);
			//@ assert offs: bmp_offs(blocks);
			//@ assert below_w: below->w == \at(below->w, LoopCurrent) && below->nbits == \at(below->nbits, LoopCurrent);
			//@ assert below_off: \forall integer k; 0 <= k <= BMP_TOP ==> below->off[k] == \at(below->off[k], LoopCurrent);
			//@ assert below_desc: bmp_desc_same{LoopCurrent, Here}(below);
			//@ assert below_offs: bmp_offs(below);
			//@ assert lay: bmp_layout(below) && bmp_layout(blocks);
		}
	}
	bm_rebuild(blocks);
}

/* Frame f is usable. */
/*@ requires xpt_frames_mem(fa) && f < fa->nframes;
    assigns \nothing;
    ensures \result <==> fr_usable(fa, f);
*/
static bool frame_usable(const struct xpt_frames *fa, xpt_pfn f)
{
	return (fa->usable[f / 64] >> (f % 64)) & 1u;
}

/* Usable frames in [first, last). */
/*@ requires \valid_read(fa) && first <= last <= fa->nframes && fa->nframes <= 0x1000000000;
    requires \valid_read(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
    assigns \nothing;
    ensures \result == fr_ucount(fa, last) - fr_ucount(fa, first) && \result <= last - first;
*/
static uint64_t usable_count(const struct xpt_frames *fa, xpt_pfn first, xpt_pfn last)
{
	uint64_t n = 0;
	/*@ loop invariant first <= f <= last && n <= f - first;
	    loop invariant n == fr_ucount(fa, f) - fr_ucount(fa, first);
	    loop assigns f, n;
	    loop variant last - f;
	*/
	for (xpt_pfn f = first; f < last; f++) {
		//@ assert in: f / 64 < fr_usable_words(fa->nframes);
		n += (fa->usable[f / 64] >> (f % 64)) & 1u;
	}
	return n;
}

/* Every usable frame of [first, last) is free: none is allocated. */
/*@ requires xpt_frames_mem(fa) && first <= last <= fa->nframes;
    assigns \nothing;
    ensures \result <==> \forall integer g; first <= g < last ==> fr_usable(fa, g) ==> fr_free(fa, g);
*/
static bool none_allocated(const struct xpt_frames *fa, xpt_pfn first, xpt_pfn last)
{
	/*@ loop invariant first <= f <= last;
	    loop invariant \forall integer g; first <= g < f ==> fr_usable(fa, g) ==> fr_free(fa, g);
	    loop assigns f;
	    loop variant last - f;
	*/
	for (xpt_pfn f = first; f < last; f++)
		if (frame_usable(fa, f) && !xpt_frame_is_free(fa, f))
			return false;
	return true;
}

/* Every free frame of [first, last) handed out, a run of free frames at a time. */
/*@ requires xpt_frames_ok(fa) && first <= last <= fa->nframes;
    assigns XPT_FRAMES_WRITES(fa);
    ensures xpt_frames_ok(fa);
    ensures kept: fr_desc_same{Pre, Here}(fa);
    ensures taken: \forall integer g; \old(first) <= g < \old(last) ==> !fr_free(fa, g);
    ensures others: \forall integer g; !(\old(first) <= g < \old(last)) ==>
      (fr_free(fa, g) <==> fr_free{Pre}(fa, g));
*/
static void take_free(struct xpt_frames *fa, xpt_pfn first, xpt_pfn last)
{
	xpt_pfn f = first;
	/*@ loop invariant first <= f <= last;
	    loop invariant ok: xpt_frames_ok(fa);
	    loop invariant kept: fr_desc_same{Pre, Here}(fa);
	    loop invariant tops: FR_TOPS_SAME(fa, Pre);
	    loop invariant taken: \forall integer g; first <= g < f ==> !fr_free(fa, g);
	    loop invariant others: \forall integer g; !(first <= g < f) ==> (fr_free(fa, g) <==> fr_free{Pre}(fa, g));
	    loop assigns f, fa->nfree, fa->free4k.w[0 .. \at(fa->free4k.off[BMP_TOP], Pre)],
	      fa->free2m.w[0 .. \at(fa->free2m.off[BMP_TOP], Pre)],
	      fa->free1g.w[0 .. \at(fa->free1g.off[BMP_TOP], Pre)];
	    loop variant last - f;
	*/
	while (f < last) {
		xpt_pfn e = f;
		/*@ loop invariant f <= e <= last;
		    loop invariant run: \forall integer g; f <= g < e ==> fr_free(fa, g);
		    loop assigns e;
		    loop variant last - e;
		*/
		while (e < last && xpt_frame_is_free(fa, e))
			e++;
		if (e == f) {
			f++;
			continue;
		}
		mark_used(fa, f, e - f);
		f = e;
	}
}

/* Frames [f, f+n), none of them free, are no longer usable; `drop` of them were. */
/*@ requires xpt_frames_ok(fa);
    requires 1 <= n && f + n <= fa->nframes;
    requires \forall integer g; f <= g < f + n ==> !fr_free(fa, g);
    assigns fa->nusable, fa->usable[f / 64 .. (f + n - 1) / 64];
    ensures xpt_frames_ok(fa);
    ensures cleared: \forall integer g; \old(f) <= g < \old(f) + \old(n) ==> !fr_usable(fa, g);
    ensures others: \forall integer g; !(\old(f) <= g < \old(f) + \old(n)) ==>
      (fr_usable(fa, g) <==> fr_usable{Pre}(fa, g));
    ensures same: fa->nfree == \old(fa->nfree) && bmp_same{Pre, Here}(&fa->free4k) &&
      bmp_same{Pre, Here}(&fa->free2m) && bmp_same{Pre, Here}(&fa->free1g);
    ensures count: fa->nusable == (uint64_t)(\old(fa->nusable) - drop);
*/
static void clear_usable(struct xpt_frames *fa, xpt_pfn f, uint64_t n, uint64_t drop)
{
	//@ assert in: (f + n - 1) / 64 < fr_usable_words(fa->nframes);
	//@ assert pre_mem: xpt_frames_mem(fa);
	/*@ assert pre_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	/*@ assert pre_sep: \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
	      FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g)); */
	//@ assert apart_fa: \separated(fa, fa->usable + (f / 64 .. (f + n - 1) / 64));
	//@ assert apart_4k: \separated(fa->usable + (f / 64 .. (f + n - 1) / 64), FR_WORDS(fa, free4k));
	//@ assert apart_2m: \separated(fa->usable + (f / 64 .. (f + n - 1) / 64), FR_WORDS(fa, free2m));
	//@ assert apart_1g: \separated(fa->usable + (f / 64 .. (f + n - 1) / 64), FR_WORDS(fa, free1g));
	//@ assert apart_count: \separated(&fa->nusable, FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g));
	//@ assert apart_use: \separated(&fa->nusable, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
	words_fill(fa->usable, f, n, false);
	/*@ ghost Filled: ; */
	fa->nusable -= drop;
	/*@ assert st_usable: \forall integer x; 0 <= x < fr_usable_words(fa->nframes) ==>
	      fa->usable[x] == \at(fa->usable[x], Filled); */
	//@ assert st_fields: fa->nframes == \at(fa->nframes, Pre) && fa->nfree == \at(fa->nfree, Pre) && fa->usable == \at(fa->usable, Pre);
	//@ assert st_off_4k: \forall integer k; 0 <= k <= BMP_TOP ==> fa->free4k.off[k] == \at(fa->free4k.off[k], Pre);
	//@ assert st_off_2m: \forall integer k; 0 <= k <= BMP_TOP ==> fa->free2m.off[k] == \at(fa->free2m.off[k], Pre);
	//@ assert st_off_1g: \forall integer k; 0 <= k <= BMP_TOP ==> fa->free1g.off[k] == \at(fa->free1g.off[k], Pre);
	/*@ assert st_nbits0: fa->free4k.nbits == \at(fa->free4k.nbits, Pre) &&
	      fa->free2m.nbits == \at(fa->free2m.nbits, Pre) && fa->free1g.nbits == \at(fa->free1g.nbits, Pre); */
	//@ assert st_descs: FR_DESCS_SAME(fa, Pre);
	//@ assert st_tops: FR_TOPS_SAME(fa, Pre);
	//@ assert st_offs: bmp_offs(&fa->free4k) && bmp_offs(&fa->free2m) && bmp_offs(&fa->free1g);
	//@ assert st_lay_4k: bmp_layout(&fa->free4k);
	//@ assert st_lay_2m: bmp_layout(&fa->free2m);
	//@ assert st_lay_1g: bmp_layout(&fa->free1g);
	/*@ assert st_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert st_valid: \valid(fa) && \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
	/*@ assert st_sep: \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
	      FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g)); */
	//@ assert mem: xpt_frames_mem(fa);
	//@ assert same_4k: bmp_same{Pre, Here}(&fa->free4k);
	//@ assert same_2m: bmp_same{Pre, Here}(&fa->free2m);
	//@ assert same_1g: bmp_same{Pre, Here}(&fa->free1g);
	//@ assert st_ok_4k: bmp_ok(&fa->free4k);
	//@ assert st_ok_2m: bmp_ok(&fa->free2m);
	//@ assert st_ok_1g: bmp_ok(&fa->free1g);
	/*@ assert pre_only: \forall integer g; 0 <= g < 64 * bmp_nw{Pre}(&fa->free4k, 0) ==>
	      bmp_bit{Pre}(&fa->free4k, 0, g) ==> fr_usable{Pre}(fa, g); */
	//@ assert pre_out: \forall integer g; f <= g < f + n ==> !bmp_bit{Pre}(&fa->free4k, 0, g);
	//@ assert fill_cleared: \forall integer g; f <= g < f + n ==> !bmp_wbit(\at(fa->usable[g / 64], Filled), g % 64);
	/*@ assert fill_others: \forall integer g; 0 <= g < fa->nframes && !(f <= g < f + n) ==>
	      (bmp_wbit(\at(fa->usable[g / 64], Filled), g % 64) <==> bmp_wbit(\at(fa->usable[g / 64], Pre), g % 64)); */
	/*@ assert bits: \forall integer j; 0 <= j < 64 * bmp_nw(&fa->free4k, 0) ==>
	      (bmp_bit(&fa->free4k, 0, j) <==> bmp_bit{Pre}(&fa->free4k, 0, j)); */
	/*@ assert usable_kept: \forall integer g; 0 <= g < fa->nframes && !(f <= g < f + n) ==>
	      (fr_usable(fa, g) <==> fr_usable{Pre}(fa, g)); */
	/*@ assert only_usable: \forall integer g; 0 <= g < 64 * bmp_nw(&fa->free4k, 0) ==>
	      bmp_bit(&fa->free4k, 0, g) ==> fr_usable(fa, g); */
	/* The free count is unchanged: bmp_count unrolled frame by frame. */
	/*@ ghost
	  uint64_t j = 0;
	  /@ loop invariant 0 <= j <= fa->nframes;
	     loop invariant \forall integer m; m == j ==> bmp_count(&fa->free4k, m) == bmp_count{Pre}(&fa->free4k, m);
	     loop assigns j;
	     loop variant fa->nframes - j; @/
	  while (j < fa->nframes) {
	    /@ assert jval: ((bmp_word(&fa->free4k, 0, j / 64) >> (j % 64)) & 1) ==
	         ((bmp_word{Pre}(&fa->free4k, 0, j / 64) >> (j % 64)) & 1); @/
	    j++;
	  }
	*/
	//@ assert count: fa->nfree == bmp_count(&fa->free4k, fa->nframes);
}

/*@
  // The map read in two states that agree on its regions.
  predicate fr_map_same{L1, L2}(struct xpt_region *map, integer n) =
    \forall integer i; 0 <= i < n ==> \at(map[i].base, L1) == \at(map[i].base, L2) &&
      \at(map[i].len, L1) == \at(map[i].len, L2) && \at(map[i].type, L1) == \at(map[i].type, L2);
  lemma fr_in_usable_same{L1, L2}: \forall struct xpt_region *map, integer n, g;
    fr_map_same{L1, L2}(map, n) ==> (fr_in_usable{L1}(map, n, g) <==> fr_in_usable{L2}(map, n, g));
  lemma fr_in_reserved_same{L1, L2}: \forall struct xpt_region *map, integer n, g;
    fr_map_same{L1, L2}(map, n) ==> (fr_in_reserved{L1}(map, n, g) <==> fr_in_reserved{L2}(map, n, g));
  lemma fr_map_usable_same{L1, L2}: \forall struct xpt_region *map, integer n, g;
    fr_map_same{L1, L2}(map, n) ==> (fr_map_usable{L1}(map, n, g) <==> fr_map_usable{L2}(map, n, g));
  lemma lw0_words: \forall integer n; 0 <= n ==> bm_lw(n, 0) == fr_usable_words(n);
*/

/* xpt_frames_mem from its parts: a proof step, called where the parts are
 * known, so that the whole is proved apart from the caller's context. */
/*@ ghost
  /@ requires \valid(fa) && fa->nframes <= 0x1000000000;
     requires bmp_layout(&fa->free4k) && bmp_layout(&fa->free2m) && bmp_layout(&fa->free1g);
     requires fa->free4k.nbits == fa->nframes && fa->free2m.nbits == (fa->nframes + 511) / 512 &&
       fa->free1g.nbits == (fa->nframes + 262143) / 262144;
     requires \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
     requires \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
       FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g));
     assigns \nothing;
     ensures xpt_frames_mem(fa); @/
  static void fr_mem_intro(struct xpt_frames *fa) { }
*/

/* fr_usable unfolded below nframes: a proof step, as fr_mem_intro, for
 * callers whose context is too large to unfold it themselves. */
/*@ ghost
  /@ assigns \nothing;
     ensures \forall integer f; 0 <= f < fa->nframes ==> (fr_usable(fa, f) <==> FR_UBIT(fa, f)); @/
  static void fr_usable_bits(struct xpt_frames *fa) { }
*/

/* The rest of fa's descriptor, its usable bits in place: nusable usable
 * frames, all free, and the three bitmaps laid over meta after the usable
 * bits, one after the other. */
/*@ requires \valid(fa) && n <= MAX_FRAMES && fa->nframes == n && fa->usable == meta;
    requires \valid(meta + (0 .. fr_meta_words(n) - 1)) && \separated(fa, meta + (0 .. fr_meta_words(n) - 1));
    assigns fa->nusable, fa->nfree, fa->free4k, fa->free2m, fa->free1g;
    ensures mem: xpt_frames_mem(fa);
    ensures fields: fa->nframes == n && fa->usable == meta;
    ensures level0: fa->free4k.w == meta + fr_usable_words(n) && fa->free4k.off[0] == 0 &&
      bmp_nw(&fa->free4k, 0) == fr_usable_words(n);
    ensures inside: fr_usable_words(n) + fa->free4k.off[BMP_TOP] + 1 <= fr_meta_words(n) &&
      \forall integer x; 0 <= x <= fa->free4k.off[BMP_TOP] ==> \separated(fa->free4k.w + x, meta + (0 .. fr_usable_words(n) - 1));
    ensures counts: fa->nusable == nusable && fa->nfree == nusable;
    ensures within: \subset(FR_WORDS(fa, free4k), meta + (0 .. fr_meta_words(n) - 1)) &&
      \subset(FR_WORDS(fa, free2m), meta + (0 .. fr_meta_words(n) - 1)) &&
      \subset(FR_WORDS(fa, free1g), meta + (0 .. fr_meta_words(n) - 1));
    ensures kept: \forall integer x; 0 <= x < fr_meta_words(n) ==> meta[x] == \old(meta[x]);
    ensures count: fr_ucount(fa, n) == fr_ucount{Pre}(fa, n);
*/
static void describe(struct xpt_frames *fa, uint64_t *meta, uint64_t n, uint64_t nusable)
{
	uint64_t uw = usable_words(n), w4, w2;
	fa->nusable = nusable;
	fa->nfree = nusable;
	//@ assert k0: \forall integer x; 0 <= x < fr_meta_words(n) ==> meta[x] == \at(meta[x], Pre);
	/*@ ghost Counted: ; */
	//@ assert apart_4k: \forall integer x; 0 <= x < fr_meta_words(n) ==> \separated(&fa->free4k, meta + x);
	//@ assert apart_2m: \forall integer x; 0 <= x < fr_meta_words(n) ==> \separated(&fa->free2m, meta + x);
	//@ assert apart_1g: \forall integer x; 0 <= x < fr_meta_words(n) ==> \separated(&fa->free1g, meta + x);
	w4 = bm_layout(&fa->free4k, meta + uw, n);
	//@ assert k4: \forall integer x; 0 <= x < fr_meta_words(n) ==> meta[x] == \at(meta[x], Counted);
	/*@ ghost Laid4: ; */
	w2 = bm_layout(&fa->free2m, meta + uw + w4, div_up(n, FRAMES_PER_2M));
	//@ assert k2: \forall integer x; 0 <= x < fr_meta_words(n) ==> meta[x] == \at(meta[x], Laid4);
	//@ assert d4a: bmp_desc_same{Laid4, Here}(&fa->free4k);
	/*@ ghost Laid2: ; */
	bm_layout(&fa->free1g, meta + uw + w4 + w2, div_up(n, FRAMES_PER_1G));
	//@ assert k1: \forall integer x; 0 <= x < fr_meta_words(n) ==> meta[x] == \at(meta[x], Laid2);
	//@ assert k_words: \forall integer x; 0 <= x < fr_meta_words(n) ==> meta[x] == \at(meta[x], Pre);
	//@ assert d4: bmp_desc_same{Laid4, Here}(&fa->free4k);
	//@ assert d2: bmp_desc_same{Laid2, Here}(&fa->free2m);
	//@ assert l_fields: fa->nframes == n && fa->usable == meta && uw == fr_usable_words(n);
	//@ assert l_nbits: fa->free4k.nbits == n && fa->free2m.nbits == (n + 511) / 512 && fa->free1g.nbits == (n + 262143) / 262144;
	//@ assert l_w: fa->free4k.w == meta + uw && fa->free2m.w == meta + (uw + w4) && fa->free1g.w == meta + (uw + w4 + w2);
	//@ assert l_off0: fa->free4k.off[0] == bm_off(n, 0) && bm_off(n, 0) == 0;
	//@ assert l_level0: fa->free4k.w == meta + fr_usable_words(n) && fa->free4k.off[0] == 0;
	/*@ assert l_words: fa->free4k.off[BMP_TOP] + 1 == w4 && fa->free2m.off[BMP_TOP] + 1 == w2 &&
	      fr_meta_words(n) == uw + w4 + w2 + (fa->free1g.off[BMP_TOP] + 1); */
	//@ assert l_in4: \subset(FR_WORDS(fa, free4k), meta + (0 .. fr_meta_words(n) - 1));
	//@ assert l_in2: \subset(FR_WORDS(fa, free2m), meta + (0 .. fr_meta_words(n) - 1));
	//@ assert l_in1: \subset(FR_WORDS(fa, free1g), meta + (0 .. fr_meta_words(n) - 1));
	//@ assert l_offs: bmp_offs(&fa->free4k) && bmp_offs(&fa->free2m) && bmp_offs(&fa->free1g);
	//@ assert l_v4: \valid(fa->free4k.w + (0 .. fa->free4k.off[BMP_TOP])) && \separated(fa, fa->free4k.w + (0 .. fa->free4k.off[BMP_TOP]));
	//@ assert l_v2: \valid(fa->free2m.w + (0 .. fa->free2m.off[BMP_TOP])) && \separated(fa, fa->free2m.w + (0 .. fa->free2m.off[BMP_TOP]));
	//@ assert l_v1: \valid(fa->free1g.w + (0 .. fa->free1g.off[BMP_TOP])) && \separated(fa, fa->free1g.w + (0 .. fa->free1g.off[BMP_TOP]));
	//@ assert l_vu: \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
	//@ assert l_lay_4k: bmp_layout(&fa->free4k);
	//@ assert l_lay_2m: bmp_layout(&fa->free2m);
	//@ assert l_lay_1g: bmp_layout(&fa->free1g);
	/*@ assert l_apart: \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
	      FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g)); */
	/*@ assert l_nb: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert l_off1: fa->free4k.off[1] == bm_off(n, 1) && bm_off(n, 1) == bm_lw(n, 0);
	//@ assert l_nw0: bmp_nw(&fa->free4k, 0) == uw;
	/*@ ghost fr_mem_intro(fa); */
	/* The usable bits stayed: so did their count, frame by frame. */
	/*@ ghost
	  uint64_t j = 0;
	  /@ loop invariant 0 <= j <= n;
	     loop invariant \forall integer m; m == j ==> fr_ucount(fa, m) == fr_ucount{Pre}(fa, m);
	     loop assigns j;
	     loop variant n - j; @/
	  while (j < n) {
	    /@ assert jword: \let x = j / 64; fa->usable[x] == \at(fa->usable[x], Pre); @/
	    /@ assert jval: \let x = j / 64; ((fa->usable[x] >> (j % 64)) & 1) == ((\at(fa->usable[x], Pre) >> (j % 64)) & 1); @/
	    j++;
	  }
	*/
}


/* Level 0 of the 4 KiB bitmap holds the usable bits, word for word. */
#define FR_SEEDED(fa)                                                             \
  (\forall integer x; 0 <= x < fr_usable_words((fa)->nframes) ==>                \
     bmp_word(&(fa)->free4k, 0, x) == (fa)->usable[x])

/* Level 0 of the 4 KiB bitmap from the usable bits: every usable frame
 * free.  Level 0 has as many words as the usable bits. */
/*@ requires xpt_frames_mem(fa) && bmp_nw(&fa->free4k, 0) == fr_usable_words(fa->nframes);
    assigns fa->free4k.w[0 .. fr_usable_words(fa->nframes) - 1];
    ensures mem: xpt_frames_mem(fa);
    ensures level0: FR_SEEDED(fa);
    ensures kept: fr_desc_same{Pre, Here}(fa) && fa->nfree == \old(fa->nfree);
*/
static void seed_level0(struct xpt_frames *fa)
{
	//@ assert pre_lay: bmp_layout(&fa->free4k) && bmp_layout(&fa->free2m) && bmp_layout(&fa->free1g);
	//@ assert pre_sep: \separated(fa, FR_USABLE_WORDS(fa), FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g));
	//@ assert pre_in: fa->free4k.off[0] == 0 && fr_usable_words(fa->nframes) <= fa->free4k.off[1] <= fa->free4k.off[BMP_TOP];
	/*@ loop invariant 0 <= i <= fr_usable_words(fa->nframes);
	    loop invariant fields: FR_FIELDS_SAME(fa, Pre) && FR_DESCS_SAME(fa, Pre);
	    loop invariant copied: \forall integer x; 0 <= x < i ==> fa->free4k.w[x] == fa->usable[x];
	    loop invariant kept: FR_USABLE_SAME(fa, Pre);
	    loop assigns i, \at(fa->free4k.w, Pre)[0 .. fr_usable_words(\at(fa->nframes, Pre)) - 1];
	    loop variant fr_usable_words(fa->nframes) - i;
	*/
	for (uint64_t i = 0; i < usable_words(fa->nframes); i++) {
		//@ assert apart: \separated(fa->free4k.w + i, fa, FR_USABLE_WORDS(fa));
		fa->free4k.w[i] = fa->usable[i];
	}
	//@ assert at0: fa->free4k.off[0] == 0 && fa->free4k.w == \at(fa->free4k.w, Pre);
	//@ assert words: \forall integer x; 0 <= x < fr_usable_words(fa->nframes) ==> bmp_word(&fa->free4k, 0, x) == fa->free4k.w[x];
	//@ assert st_descs: FR_DESCS_SAME(fa, Pre);
	//@ assert st_fields: FR_FIELDS_SAME(fa, Pre);
	//@ assert st_offs: bmp_offs(&fa->free4k) && bmp_offs(&fa->free2m) && bmp_offs(&fa->free1g);
	//@ assert st_lay_4k: bmp_layout(&fa->free4k);
	//@ assert st_lay_2m: bmp_layout(&fa->free2m);
	//@ assert st_lay_1g: bmp_layout(&fa->free1g);
	/*@ assert st_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert st_valid: \valid(fa) && \valid(FR_USABLE_WORDS(fa));
	//@ assert st_sep: \separated(fa, FR_USABLE_WORDS(fa), FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g));
	/*@ ghost fr_mem_intro(fa); */
}

/* The summaries of the 4 KiB bitmap, over its level 0. */
/*@ requires xpt_frames_mem(fa) && bmp_nw(&fa->free4k, 0) == fr_usable_words(fa->nframes);
    requires seeded: FR_SEEDED(fa);
    assigns fa->free4k.w[fa->free4k.off[1] .. fa->free4k.off[BMP_TOP]];
    ensures mem: xpt_frames_mem(fa);
    ensures ok: bmp_ok(&fa->free4k);
    ensures kept: fr_desc_same{Pre, Here}(fa) && fa->nfree == \old(fa->nfree);
    ensures seeded: FR_SEEDED(fa);
*/
static void sum_4k(struct xpt_frames *fa)
{
	//@ assert s_lay: bmp_layout(&fa->free4k) && bmp_layout(&fa->free2m) && bmp_layout(&fa->free1g);
	//@ assert s_apart: FR_APART(fa, free4k, free2m, free1g);
	//@ assert s_up_fa: \separated(fa, FR_SUMS(fa, free4k));
	//@ assert s_up_use: \separated(FR_USABLE_WORDS(fa), FR_SUMS(fa, free4k));
	//@ assert s_up_2m: \separated(FR_WORDS(fa, free2m), FR_SUMS(fa, free4k));
	//@ assert s_up_1g: \separated(FR_WORDS(fa, free1g), FR_SUMS(fa, free4k));
	bm_rebuild(&fa->free4k);
	//@ assert r_fields: FR_FIELDS_SAME(fa, Pre);
	//@ assert r_descs: FR_DESCS_SAME(fa, Pre);
	//@ assert r_usable: FR_USABLE_SAME(fa, Pre);
	//@ assert r_below: fr_usable_words(fa->nframes) <= fa->free4k.off[1] && fa->free4k.off[0] == 0;
	//@ assert r_words: \forall integer x; 0 <= x < fr_usable_words(fa->nframes) ==> bmp_word(&fa->free4k, 0, x) == \at(bmp_word(&fa->free4k, 0, x), Pre);
	//@ assert r_lay: bmp_layout(&fa->free4k) && bmp_layout(&fa->free2m) && bmp_layout(&fa->free1g);
	/*@ assert r_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert r_valid: \valid(fa) && \valid(FR_USABLE_WORDS(fa));
	//@ assert r_sep: \separated(fa, FR_USABLE_WORDS(fa), FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g));
	/*@ ghost fr_mem_intro(fa); */
}

/* The 2 MiB and 1 GiB block bitmaps, over the 4 KiB and 2 MiB ones. */
/*@ requires xpt_frames_mem(fa) && bmp_ok(&fa->free4k) && bmp_nw(&fa->free4k, 0) == fr_usable_words(fa->nframes);
    requires seeded: FR_SEEDED(fa);
    assigns fa->free2m.w[0 .. fa->free2m.off[BMP_TOP]], fa->free1g.w[0 .. fa->free1g.off[BMP_TOP]];
    ensures mem: xpt_frames_mem(fa);
    ensures ok: bmp_ok(&fa->free4k) && bmp_ok(&fa->free2m) && bmp_ok(&fa->free1g);
    ensures kept: fr_desc_same{Pre, Here}(fa) && fa->nfree == \old(fa->nfree);
    ensures kept_4k: bmp_same{Pre, Here}(&fa->free4k);
    ensures seeded: FR_SEEDED(fa);
*/
static void sum_blocks(struct xpt_frames *fa)
{
	//@ assert p_lay: bmp_layout(&fa->free4k) && bmp_layout(&fa->free2m) && bmp_layout(&fa->free1g);
	//@ assert p_apart: FR_APART(fa, free2m, free4k, free1g);
	build_blocks(&fa->free2m, &fa->free4k);
	/*@ ghost Built2: ; */
	//@ assert b2_fields: FR_FIELDS_SAME(fa, Pre);
	//@ assert b2_descs: FR_DESCS_SAME(fa, Pre);
	//@ assert b2_usable: FR_USABLE_SAME(fa, Pre);
	//@ assert b2_same4: bmp_same{Pre, Here}(&fa->free4k);
	//@ assert b2_ok4: bmp_ok(&fa->free4k);
	//@ assert b2_lay: bmp_layout(&fa->free2m) && bmp_layout(&fa->free1g);
	//@ assert b2_apart: FR_APART(fa, free1g, free4k, free2m);
	build_blocks(&fa->free1g, &fa->free2m);
	//@ assert b1_fields: FR_FIELDS_SAME(fa, Built2);
	//@ assert b1_descs: FR_DESCS_SAME(fa, Built2);
	//@ assert b1_usable: FR_USABLE_SAME(fa, Built2);
	//@ assert b1_same4: bmp_same{Built2, Here}(&fa->free4k);
	//@ assert b1_lay4: bmp_layout(&fa->free4k);
	//@ assert b1_sums4: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free4k, k);
	//@ assert b1_ok4: bmp_ok(&fa->free4k);
	//@ assert b1_ok2: bmp_ok(&fa->free2m);
	//@ assert st_fields: FR_FIELDS_SAME(fa, Pre);
	//@ assert st_descs: FR_DESCS_SAME(fa, Pre);
	//@ assert st_usable: FR_USABLE_SAME(fa, Pre);
	//@ assert st_lay: bmp_layout(&fa->free4k) && bmp_layout(&fa->free2m) && bmp_layout(&fa->free1g);
	/*@ assert st_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert st_valid: \valid(fa) && \valid(FR_USABLE_WORDS(fa));
	//@ assert st_sep: \separated(fa, FR_USABLE_WORDS(fa), FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g));
	/*@ ghost fr_mem_intro(fa); */
}

/* The bitmaps from the usable bits: every usable frame free, with the
 * summaries and the block bitmaps over them.  nfree already counts the
 * usable frames. */
/*@ requires xpt_frames_mem(fa) && bmp_nw(&fa->free4k, 0) == fr_usable_words(fa->nframes);
    requires beyond: \forall integer g; fa->nframes <= g < 64 * fr_usable_words(fa->nframes) ==> !FR_UBIT(fa, g);
    requires count: fa->nfree == fr_ucount(fa, fa->nframes);
    assigns fa->free4k.w[0 .. fa->free4k.off[BMP_TOP]], fa->free2m.w[0 .. fa->free2m.off[BMP_TOP]],
      fa->free1g.w[0 .. fa->free1g.off[BMP_TOP]];
    ensures ok: xpt_frames_ok(fa);
    ensures free: \forall integer f; fr_free(fa, f) <==> fr_usable(fa, f);
    ensures kept: fr_desc_same{Pre, Here}(fa) && fa->nfree == \old(fa->nfree);
    ensures fields: fa->nframes == \old(fa->nframes) && fa->nusable == \old(fa->nusable);
    ensures usable: \forall integer f; fr_usable(fa, f) <==> fr_usable{Pre}(fa, f);
*/
static void seed_free(struct xpt_frames *fa)
{
	//@ assert in0: fr_usable_words(fa->nframes) - 1 <= fa->free4k.off[BMP_TOP];
	seed_level0(fa);
	/*@ ghost Seeded: ; */
	//@ assert s_tops: FR_TOPS_SAME(fa, Pre) && fa->free4k.off[1] == \at(fa->free4k.off[1], Pre);
	sum_4k(fa);
	/*@ ghost Summed: ; */
	//@ assert s_kept: fr_desc_same{Pre, Here}(fa) && fa->nfree == \at(fa->nfree, Pre);
	//@ assert b_tops: FR_TOPS_SAME(fa, Pre);
	sum_blocks(fa);
	//@ assert kept: fr_desc_same{Pre, Here}(fa) && fa->nfree == \at(fa->nfree, Pre);
	//@ assert level0: FR_SEEDED(fa);
	/*@ assert level0_pre: \forall integer x; 0 <= x < fr_usable_words(fa->nframes) ==>
	      bmp_word(&fa->free4k, 0, x) == \at(fa->usable[x], Pre); */
	/* nfree counted the usable bits; level 0 holds them: the same count,
	 * frame by frame. */
	/*@ ghost
	  uint64_t j = 0;
	  /@ loop invariant 0 <= j <= fa->nframes;
	     loop invariant \forall integer m; m == j ==> bmp_count(&fa->free4k, m) == fr_ucount{Pre}(fa, m);
	     loop assigns j;
	     loop variant fa->nframes - j; @/
	  while (j < fa->nframes) {
	    /@ assert in: j / 64 < fr_usable_words(fa->nframes); @/
	    /@ assert jval: \let x = j / 64; ((bmp_word(&fa->free4k, 0, x) >> (j % 64)) & 1) ==
	         ((\at(fa->usable[x], Pre) >> (j % 64)) & 1); @/
	    j++;
	  }
	*/
	//@ assert count: fa->nfree == bmp_count(&fa->free4k, fa->nframes);
	//@ assert bits: \forall integer f; 0 <= f < 64 * bmp_nw(&fa->free4k, 0) ==> (bmp_bit(&fa->free4k, 0, f) <==> FR_UBIT(fa, f));
	//@ assert only: \forall integer f; 0 <= f < 64 * bmp_nw(&fa->free4k, 0) ==> bmp_bit(&fa->free4k, 0, f) ==> fr_usable(fa, f);
}

/*@ requires map == \null || \valid_read(map + (0 .. nregions - 1));
    requires fa == \null || \valid(fa);
    requires meta == \null || \valid(meta + (0 .. meta_words - 1));
    requires \separated(fa, meta + (0 .. meta_words - 1));
    requires \separated(map + (0 .. nregions - 1), fa, meta + (0 .. meta_words - 1));
    assigns *fa, meta[0 .. meta_words - 1];
    ensures \result == XPT_OK || \result == XPT_E_INVAL || \result == XPT_E_MEMMAP || \result == XPT_E_RANGE;
    ensures ok: \result == XPT_OK ==> xpt_frames_ok(fa);
    ensures usable: \result == XPT_OK ==> \forall integer f; 0 <= f < fa->nframes ==>
      (fr_usable(fa, f) <==> fr_map_usable{Pre}(map, nregions, f));
    ensures free: \result == XPT_OK ==> \forall integer f; fr_free(fa, f) <==> fr_usable(fa, f);
    ensures counts: \result == XPT_OK ==> fa->nusable == fa->nfree;
*/
int xpt_frames_init(struct xpt_frames *fa, const struct xpt_region *map, size_t nregions,
                    uint64_t *meta, uint64_t meta_words)
{
	uint64_t n, total, count;
	int err = xpt_frames_span(map, nregions, &n);
	if (err != XPT_OK)
		return err;
	if (fa == NULL || meta == NULL || meta_words < xpt_frames_meta_words(n))
		return XPT_E_INVAL;
	total = xpt_frames_meta_words(n);
	//@ assert total: total == fr_meta_words(n) && total <= meta_words && fr_usable_words(n) <= total;
	//@ assert z_sep: \separated(fa, meta + (0 .. total - 1)) && \separated(map + (0 .. nregions - 1), meta + (0 .. total - 1));
	/*@ loop invariant 0 <= i <= total;
	    loop invariant \forall integer j; 0 <= j < i ==> meta[j] == 0;
	    loop assigns i, meta[0 .. total - 1];
	    loop variant total - i;
	*/
	for (uint64_t i = 0; i < total; i++)
		meta[i] = 0;
	/* The usable bits first, at the head of meta; then the rest of the
	 * descriptor, whose counts they give; then the bitmaps over them. */
	fa->nframes = n;
	fa->usable = meta;
	//@ assert z_map: fr_map_same{Pre, Here}(map, nregions);
	//@ assert z_fits: \forall integer i; 0 <= i < nregions ==> map[i].len == 0 || map[i].base + map[i].len <= 0x10000000000000;
	//@ assert z_uzero: \forall integer x; 0 <= x < fr_usable_words(fa->nframes) ==> fa->usable[x] == 0;
	//@ assert z_umap: \separated(map + (0 .. nregions - 1), FR_USABLE_WORDS(fa));
	//@ assert z_ufa: \separated(fa, FR_USABLE_WORDS(fa)) && \valid(FR_USABLE_WORDS(fa)) && fa->nframes <= 0x1000000000;
	mark_usable(fa, map, nregions);
	count = usable_count(fa, 0, n);
	/*@ assert m_bits: \forall integer g; 0 <= g < 64 * fr_usable_words(n) ==>
	      (FR_UBIT(fa, g) <==> (g < n && fr_map_usable{Pre}(map, nregions, g))); */
	//@ assert m_count: count == fr_ucount(fa, n);
	describe(fa, meta, n, count);
	//@ assert d_count: fa->nusable == fa->nfree && fa->nfree == fr_ucount(fa, fa->nframes);
	/*@ assert d_bits: \forall integer g; 0 <= g < 64 * fr_usable_words(fa->nframes) ==>
	      (FR_UBIT(fa, g) <==> (g < fa->nframes && fr_map_usable{Pre}(map, nregions, g))); */
	//@ assert in_4k: \subset(FR_WORDS(fa, free4k), meta + (0 .. meta_words - 1));
	//@ assert in_2m: \subset(FR_WORDS(fa, free2m), meta + (0 .. meta_words - 1));
	//@ assert in_1g: \subset(FR_WORDS(fa, free1g), meta + (0 .. meta_words - 1));
	//@ assert d_n: fa->nframes == n && fa->usable == meta;
	//@ assert d_cover: n <= 64 * fr_usable_words(n);
	//@ assert d_bits_n: \forall integer f; 0 <= f < n ==> (FR_UBIT(fa, f) <==> fr_map_usable{Pre}(map, nregions, f));
	/*@ ghost fr_usable_bits(fa); */
	/*@ assert d_usable: \forall integer f; 0 <= f < fa->nframes ==>
	      (fr_usable(fa, f) <==> fr_map_usable{Pre}(map, nregions, f)); */
	seed_free(fa);
	return XPT_OK;
}

/*
 * Reserve [base, base+len): the frames it touches, aligned outward and cut
 * at nframes, neither usable nor free afterwards.  The usable ones among
 * them must all be free (else XPT_E_BUSY); they leave nfree and nusable.
 */
int xpt_frames_reserve(struct xpt_frames *fa, uint64_t base, uint64_t len)
{
	struct xpt_region r = { base, len, 0 };
	uint64_t end, first, last;
	if (len == 0)
		return XPT_OK;
	if (!region_end(&r, &end))
		return XPT_E_MEMMAP;
	//@ assert end: end == base + len;
	first = base / XPT_PAGE_SIZE;
	last = div_up(end, XPT_PAGE_SIZE);
	//@ assert up: last == (base + len + 4095) / 4096;
	if (last > fa->nframes)
		last = fa->nframes;
	//@ assert span: first == fr_rsv_first(base) && last == fr_rsv_last(fa, base, len);
	if (first >= last)
		return XPT_OK;
	if (!none_allocated(fa, first, last))
		return XPT_E_BUSY;
	uint64_t drop = usable_count(fa, first, last);
	//@ assert drop: drop == fr_rsv_usable{Pre}(fa, base, len);
	take_free(fa, first, last);
	/*@ ghost Taken: ; */
	//@ assert taken_usable: \forall integer g; fr_usable(fa, g) <==> fr_usable{Pre}(fa, g);
	//@ assert taken_count: fa->nusable == \at(fa->nusable, Pre);
	clear_usable(fa, first, last - first, drop);
	//@ assert kept_free: \forall integer g; fr_free(fa, g) <==> fr_free{Taken}(fa, g);
	//@ assert out_free: \forall integer g; first <= g < last ==> !fr_free(fa, g);
	//@ assert out_usable: \forall integer g; first <= g < last ==> !fr_usable(fa, g);
	//@ assert count: fa->nusable == (uint64_t)(\at(fa->nusable, Pre) - drop);
	return XPT_OK;
}

/* ------------------------------------------------------ alloc and free */

/* *out = f: out lies apart from the allocator, whose memory the store keeps. */
/*@ requires xpt_frames_mem(fa);
    requires \valid(out) && \separated(out, XPT_FRAMES_META(fa));
    assigns *out;
    ensures *out == f;
    ensures xpt_frames_mem(fa);
*/
static void store_pfn(struct xpt_frames *fa, xpt_pfn *out, xpt_pfn f)
{
	(void)fa; /* only the contract reads it */
	//@ assert pre_lay: bmp_layout(&fa->free4k) && bmp_layout(&fa->free2m) && bmp_layout(&fa->free1g);
	//@ assert pre_offs: bmp_offs(&fa->free4k) && bmp_offs(&fa->free2m) && bmp_offs(&fa->free1g);
	/*@ assert pre_sep: \separated(out, &fa->free4k.off[0 .. BMP_TOP]) &&
	      \separated(out, &fa->free2m.off[0 .. BMP_TOP]) && \separated(out, &fa->free1g.off[0 .. BMP_TOP]) &&
	      \separated(out, &fa->free4k.nbits) && \separated(out, &fa->free2m.nbits) &&
	      \separated(out, &fa->free1g.nbits) && \separated(out, &fa->nframes); */
	*out = f;
	/*@ assert st_nbits0: fa->nframes == \at(fa->nframes, Pre) && fa->free4k.nbits == \at(fa->free4k.nbits, Pre) &&
	      fa->free2m.nbits == \at(fa->free2m.nbits, Pre) && fa->free1g.nbits == \at(fa->free1g.nbits, Pre); */
	//@ assert st_top_4k: fa->free4k.w == \at(fa->free4k.w, Pre) && fa->free4k.off[BMP_TOP] == \at(fa->free4k.off[BMP_TOP], Pre);
	//@ assert st_off_4k: \forall integer k; 0 <= k <= BMP_TOP ==> fa->free4k.off[k] == \at(fa->free4k.off[k], Pre);
	//@ assert st_desc_4k: bmp_desc_same{Pre, Here}(&fa->free4k);
	//@ assert st_offs_4k: bmp_offs(&fa->free4k);
	//@ assert st_lay_4k: bmp_layout(&fa->free4k);
	//@ assert st_top_2m: fa->free2m.w == \at(fa->free2m.w, Pre) && fa->free2m.off[BMP_TOP] == \at(fa->free2m.off[BMP_TOP], Pre);
	//@ assert st_off_2m: \forall integer k; 0 <= k <= BMP_TOP ==> fa->free2m.off[k] == \at(fa->free2m.off[k], Pre);
	//@ assert st_desc_2m: bmp_desc_same{Pre, Here}(&fa->free2m);
	//@ assert st_offs_2m: bmp_offs(&fa->free2m);
	//@ assert st_lay_2m: bmp_layout(&fa->free2m);
	//@ assert st_top_1g: fa->free1g.w == \at(fa->free1g.w, Pre) && fa->free1g.off[BMP_TOP] == \at(fa->free1g.off[BMP_TOP], Pre);
	//@ assert st_off_1g: \forall integer k; 0 <= k <= BMP_TOP ==> fa->free1g.off[k] == \at(fa->free1g.off[k], Pre);
	//@ assert st_desc_1g: bmp_desc_same{Pre, Here}(&fa->free1g);
	//@ assert st_offs_1g: bmp_offs(&fa->free1g);
	//@ assert st_lay_1g: bmp_layout(&fa->free1g);
	/*@ assert st_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert st_valid: \valid(fa) && \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
	/*@ assert st_sep: \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
	      FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g)); */
}

/* Free frames [f, f+n) are handed out as *out = f.  out lies apart from the
 * allocator (the caller's precondition), so the store keeps its invariant. */
/*@ requires xpt_frames_ok(fa);
    requires 1 <= n && f + n <= fa->nframes;
    requires \forall integer g; f <= g < f + n ==> fr_free(fa, g);
    requires \valid(out) && \separated(out, XPT_FRAMES_META(fa));
    assigns *out, XPT_FRAMES_WRITES(fa);
    ensures ok: xpt_frames_ok(fa);
    ensures out: *out == f;
    ensures used: \forall integer g; f <= g < f + n ==> !fr_free(fa, g);
    ensures others: \forall integer g; !(f <= g < f + n) ==> (fr_free(fa, g) <==> fr_free{Pre}(fa, g));
    ensures count: fa->nfree == \old(fa->nfree) - n;
*/
static void hand_out(struct xpt_frames *fa, xpt_pfn f, uint64_t n, xpt_pfn *out)
{
	//@ assert apart_4k: FR_APART(fa, free4k, free2m, free1g);
	//@ assert apart_2m: FR_APART(fa, free2m, free4k, free1g);
	//@ assert apart_1g: FR_APART(fa, free1g, free4k, free2m);
	mark_used(fa, f, n);
	/*@ ghost Marked: ; */
	//@ assert marked_kept: fr_desc_same{Pre, Here}(fa);
	//@ assert out_fa: \separated(out, fa);
	//@ assert marked_fields: fa->nframes == \at(fa->nframes, Pre) && fa->usable == \at(fa->usable, Pre);
	//@ assert marked_descs: FR_DESCS_SAME(fa, Pre);
	//@ assert marked_usable: FR_USABLE_SAME(fa, Pre);
	/*@ assert out_apart: \separated(out, FR_WORDS(fa, free4k)) && \separated(out, FR_WORDS(fa, free2m)) &&
	      \separated(out, FR_WORDS(fa, free1g)) &&
	      \separated(out, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1)); */
	/*@ assert out_descs: \separated(out, &fa->free4k.off[0 .. BMP_TOP]) &&
	      \separated(out, &fa->free2m.off[0 .. BMP_TOP]) && \separated(out, &fa->free1g.off[0 .. BMP_TOP]) &&
	      \separated(out, &fa->free4k.nbits) && \separated(out, &fa->free2m.nbits) &&
	      \separated(out, &fa->free1g.nbits); */
	//@ assert marked_ok: bmp_ok(&fa->free4k) && bmp_ok(&fa->free2m) && bmp_ok(&fa->free1g);
	//@ assert marked_lay: bmp_layout(&fa->free4k) && bmp_layout(&fa->free2m) && bmp_layout(&fa->free1g);
	//@ assert marked_mem: xpt_frames_mem(fa);
	/*@ assert marked_only_usable: \forall integer g; 0 <= g < 64 * bmp_nw(&fa->free4k, 0) ==>
	      bmp_bit(&fa->free4k, 0, g) ==> fr_usable(fa, g); */
	//@ assert marked_count: fa->nfree == bmp_count(&fa->free4k, fa->nframes);
	//@ assert marked_in: f + n <= fa->nframes && fa->nframes <= 64 * bmp_nw(&fa->free4k, 0);
	store_pfn(fa, out, f);
	/* out lies apart from the allocator: the store changes none of it. */
	//@ assert same_fields: FR_FIELDS_SAME(fa, Marked);
	//@ assert same_off_4k: \forall integer k; 0 <= k <= BMP_TOP ==> fa->free4k.off[k] == \at(fa->free4k.off[k], Marked);
	//@ assert same_off_2m: \forall integer k; 0 <= k <= BMP_TOP ==> fa->free2m.off[k] == \at(fa->free2m.off[k], Marked);
	//@ assert same_off_1g: \forall integer k; 0 <= k <= BMP_TOP ==> fa->free1g.off[k] == \at(fa->free1g.off[k], Marked);
	/*@ assert same_nbits: fa->free4k.nbits == \at(fa->free4k.nbits, Marked) &&
	      fa->free2m.nbits == \at(fa->free2m.nbits, Marked) && fa->free1g.nbits == \at(fa->free1g.nbits, Marked); */
	//@ assert same_descs: FR_DESCS_SAME(fa, Marked);
	//@ assert same_usable: FR_USABLE_SAME(fa, Marked);
	//@ assert same_desc: fr_desc_same{Marked, Here}(fa) && fa->nfree == \at(fa->nfree, Marked);
	//@ assert same_4k: bmp_same{Marked, Here}(&fa->free4k);
	//@ assert same_2m: bmp_same{Marked, Here}(&fa->free2m);
	//@ assert same_1g: bmp_same{Marked, Here}(&fa->free1g);
	//@ assert st_top_4k: fa->free4k.w == \at(fa->free4k.w, Marked) && fa->free4k.off[BMP_TOP] == \at(fa->free4k.off[BMP_TOP], Marked);
	//@ assert st_offs_4k: bmp_offs(&fa->free4k);
	//@ assert st_lay_4k: bmp_layout(&fa->free4k);
	//@ assert st_sums_4k: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free4k, k);
	//@ assert st_ok_4k: bmp_ok(&fa->free4k);
	//@ assert st_top_2m: fa->free2m.w == \at(fa->free2m.w, Marked) && fa->free2m.off[BMP_TOP] == \at(fa->free2m.off[BMP_TOP], Marked);
	//@ assert st_offs_2m: bmp_offs(&fa->free2m);
	//@ assert st_lay_2m: bmp_layout(&fa->free2m);
	//@ assert st_sums_2m: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free2m, k);
	//@ assert st_ok_2m: bmp_ok(&fa->free2m);
	//@ assert st_top_1g: fa->free1g.w == \at(fa->free1g.w, Marked) && fa->free1g.off[BMP_TOP] == \at(fa->free1g.off[BMP_TOP], Marked);
	//@ assert st_offs_1g: bmp_offs(&fa->free1g);
	//@ assert st_lay_1g: bmp_layout(&fa->free1g);
	//@ assert st_sums_1g: \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(&fa->free1g, k);
	//@ assert st_ok_1g: bmp_ok(&fa->free1g);
	/*@ assert st_nbits: fa->nframes <= 0x1000000000 && fa->free4k.nbits == fa->nframes &&
	      fa->free2m.nbits == (fa->nframes + 511) / 512 && fa->free1g.nbits == (fa->nframes + 262143) / 262144; */
	//@ assert st_valid: \valid(fa) && \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1));
	/*@ assert st_sep: \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
	      FR_WORDS(fa, free4k), FR_WORDS(fa, free2m), FR_WORDS(fa, free1g)); */
	//@ assert mem: xpt_frames_mem(fa);
	/*@ assert bits: \forall integer j; 0 <= j < 64 * bmp_nw(&fa->free4k, 0) ==>
	      (bmp_bit(&fa->free4k, 0, j) <==> \at(bmp_bit(&fa->free4k, 0, j), Marked)); */
	//@ assert usable: \forall integer g; fr_usable(fa, g) <==> \at(fr_usable(fa, g), Marked);
	/*@ assert usable_kept: \forall integer g; 0 <= g < fa->nframes && !(f <= g < f + n) ==>
	      (fr_usable(fa, g) <==> fr_usable{Pre}(fa, g)); */
	/*@ assert only_usable: \forall integer g; 0 <= g < 64 * bmp_nw(&fa->free4k, 0) ==>
	      bmp_bit(&fa->free4k, 0, g) ==> fr_usable(fa, g); */
	//@ assert in: fa->nframes <= 64 * bmp_nw(&fa->free4k, 0);
	/*@ ghost
	  uint64_t j = 0;
	  /@ loop invariant 0 <= j <= fa->nframes;
	     loop invariant \forall integer m; m == j ==>
	       bmp_count(&fa->free4k, m) == bmp_count{Marked}(&fa->free4k, m);
	     loop assigns j;
	     loop variant fa->nframes - j; @/
	  while (j < fa->nframes) {
	    /@ assert jbit: bmp_bit(&fa->free4k, 0, j) <==> bmp_bit{Marked}(&fa->free4k, 0, j); @/
	    /@ assert jval: ((bmp_word(&fa->free4k, 0, j / 64) >> (j % 64)) & 1) ==
	         ((bmp_word{Marked}(&fa->free4k, 0, j / 64) >> (j % 64)) & 1); @/
	    j++;
	  }
	*/
	//@ assert counted: bmp_count(&fa->free4k, fa->nframes) == bmp_count{Marked}(&fa->free4k, fa->nframes);
	//@ assert count: fa->nfree == bmp_count(&fa->free4k, fa->nframes);
	//@ assert ok: xpt_frames_ok(fa);
}

int xpt_frame_alloc(struct xpt_frames *fa, xpt_pfn *out)
{
	uint64_t f;
	if (!bm_find(&fa->free4k, &f))
		return XPT_E_NOMEM;
	hand_out(fa, f, 1, out);
	//@ assert used: !fr_free(fa, f) && *out == f;
	return XPT_OK;
}

int xpt_frame_alloc_colour(struct xpt_frames *fa, uint64_t colour, uint64_t ncolours,
                           xpt_pfn *out)
{
	uint64_t f = colour;
	if (ncolours == 0 || (ncolours & (ncolours - 1u)) || colour >= ncolours)
		return XPT_E_INVAL;
	/* f only grows: bm_next returns at or above it, then the skip to the
	 * next frame of the colour adds at least one. */
	/*@ loop invariant f < fa->nframes + ncolours;
	    loop assigns f;
	    loop variant fa->nframes + ncolours - f;
	*/
	while (bm_next(&fa->free4k, f, &f)) {
		uint64_t r = f % ncolours, skip;
		if (r == colour) {
			hand_out(fa, f, 1, out);
			//@ assert used: !fr_free(fa, f) && *out == f;
			return XPT_OK;
		}
		skip = colour > r ? colour - r : ncolours - (r - colour);
		if (skip >= fa->nframes - f)
			break; /* past the last frame */
		f += skip;
	}
	return XPT_E_NOMEM;
}

/*@ requires \valid(frames) && \valid(bm) && \separated(frames, bm);
    assigns *frames, *bm;
    behavior two_m:
      assumes size == XPT_2M;
      ensures \result && *frames == FRAMES_PER_2M && *bm == &fa->free2m;
    behavior one_g:
      assumes size == XPT_1G;
      ensures \result && *frames == FRAMES_PER_1G && *bm == &fa->free1g;
    behavior other:
      assumes size != XPT_2M && size != XPT_1G;
      assigns \nothing;
      ensures !\result;
    complete behaviors;
    disjoint behaviors;
*/
static bool huge_geometry(enum xpt_size size, uint64_t *frames, struct xpt_bitmap **bm,
                          struct xpt_frames *fa)
{
	if (size == XPT_2M) {
		*frames = FRAMES_PER_2M;
		*bm = &fa->free2m;
	} else if (size == XPT_1G) {
		*frames = FRAMES_PER_1G;
		*bm = &fa->free1g;
	} else {
		return false;
	}
	return true;
}

/* Are words [lo, hi) of w all `want`?  Indexed from w, not from w + lo,
 * so that the contract names w[x] as the callers do. */
/*@ requires lo <= hi && \valid_read(w + (lo .. hi - 1));
    assigns \nothing;
    ensures \result <==> (\forall integer x; lo <= x < hi ==> w[x] == want);
*/
static bool words_all(const uint64_t *w, uint64_t lo, uint64_t hi, uint64_t want)
{
	/*@ loop invariant lo <= x <= hi;
	    loop invariant \forall integer y; lo <= y < x ==> w[y] == want;
	    loop assigns x;
	    loop variant hi - x;
	*/
	for (uint64_t x = lo; x < hi; x++)
		if (w[x] != want)
			return false;
	return true;
}

/* Are frames [f, f+n) all free?  f and n multiples of 64: whole words. */
/*@ requires xpt_frames_mem(fa) && f % 64 == 0 && n % 64 == 0 && f + n <= 0x2000000000;
    assigns \nothing;
    ensures \result ==> f + n <= fa->nframes && \forall integer g; f <= g < f + n ==> fr_free(fa, g);
*/
static bool run_free(const struct xpt_frames *fa, xpt_pfn f, uint64_t n)
{
	if (f + n > fa->nframes)
		return false;
	//@ assert words: (f + n) / 64 <= bmp_nw(&fa->free4k, 0) && fa->free4k.off[0] == 0;
	if (!words_all(fa->free4k.w, f / 64, (f + n) / 64, UINT64_MAX))
		return false;
	//@ assert at: \forall integer g; f <= g < f + n ==> f / 64 <= g / 64 < (f + n) / 64 && 0 <= g % 64 < 64;
	//@ assert set: \forall integer g; f <= g < f + n ==> bmp_word(&fa->free4k, 0, g / 64) == UINT64_MAX;
	return true;
}

int xpt_frame_alloc_huge(struct xpt_frames *fa, enum xpt_size size, xpt_pfn *out)
{
	uint64_t n, b = 0;
	struct xpt_bitmap *bm;
	if (!huge_geometry(size, &n, &bm, fa))
		return XPT_E_INVAL;
	/* A set block bit means a free run; the run is checked against the
	 * 4 KiB bitmap too, as xpt_frames_ok does not cover the block bitmaps
	 * yet.  Blocks stay below nframes / n + 1, so b * n does not wrap. */
	/*@ loop invariant b <= bm->nbits;
	    loop assigns b;
	    loop variant bm->nbits - b;
	*/
	while (bm_next(bm, b, &b)) {
		//@ assert geo: (n == 512 && bm == &fa->free2m) || (n == 262144 && bm == &fa->free1g);
		//@ assert at_2m: n == 512 ==> b * n < fa->nframes + 512 && (b * n) % 512 == 0 && (b * n) % 64 == 0;
		//@ assert at_1g: n == 262144 ==> b * n < fa->nframes + 262144 && (b * n) % 262144 == 0 && (b * n) % 64 == 0;
		//@ assert mem: xpt_frames_mem(fa) && fa->nframes <= 0x1000000000;
		//@ assert fit: 0 <= b * n && b * n + n <= 0x2000000000 && (b * n) % 64 == 0 && n % 64 == 0;
		//@ assert cast: (uint64_t)(b * n) == b * n;
		if (run_free(fa, b * n, n)) {
			hand_out(fa, b * n, n, out);
			return XPT_OK;
		}
		b++;
	}
	return XPT_E_NOMEM;
}

int xpt_frame_free(struct xpt_frames *fa, xpt_pfn f)
{
	if (f >= fa->nframes)
		return XPT_E_RANGE;
	if (!frame_usable(fa, f))
		return XPT_E_RESERVED;
	if (bm_test(&fa->free4k, f))
		return XPT_E_DOUBLE_FREE;
	mark_free(fa, f, 1);
	//@ assert fr_free(fa, f);
	return XPT_OK;
}

int xpt_frame_free_huge(struct xpt_frames *fa, xpt_pfn f, enum xpt_size size)
{
	uint64_t n, first, nwords;
	struct xpt_bitmap *bm;
	if (!huge_geometry(size, &n, &bm, fa))
		return XPT_E_INVAL;
	if (f % n != 0)
		return XPT_E_ALIGN;
	if (f >= fa->nframes || fa->nframes - f < n)
		return XPT_E_RANGE;
	/* The run is whole words of both bitmaps: f and n are multiples of 64. */
	first = f / 64;
	nwords = n / 64;
	//@ assert n_is: (n == 512 || n == 262144) && n % 64 == 0 && nwords == n / 64 && first == f / 64;
	//@ assert f_2m: n == 512 ==> f % 64 == 0;
	//@ assert f_1g: n == 262144 ==> f % 64 == 0;
	//@ assert in: (f + n) / 64 == first + nwords && (f + n) / 64 <= fa->nframes / 64;
	//@ assert words: first + nwords <= fr_usable_words(fa->nframes);
	//@ assert words_4k: first + nwords <= bmp_nw(&fa->free4k, 0) && bmp_layout(&fa->free4k);
	//@ assert level0: fa->free4k.off[0] == 0;
	if (!words_all(fa->usable, first, first + nwords, UINT64_MAX))
		return XPT_E_RESERVED;
	if (!words_all(fa->free4k.w, first, first + nwords, 0)) /* level 0 is first */
		return XPT_E_DOUBLE_FREE;
	//@ assert usable_w: \forall integer x; first <= x < first + nwords ==> fa->usable[x] == UINT64_MAX;
	//@ assert free_w: \forall integer x; first <= x < first + nwords ==> bmp_word(&fa->free4k, 0, x) == 0;
	//@ assert at: \forall integer g; f <= g < f + n ==> first <= g / 64 < first + nwords && 0 <= g % 64 < 64;
	//@ assert usable: \forall integer g; f <= g < f + n ==> fr_usable(fa, g);
	//@ assert used: \forall integer g; f <= g < f + n ==> !fr_free(fa, g);
	mark_free(fa, f, n);
	return XPT_OK;
}

/*@ requires xpt_frames_mem(fa);
    assigns \nothing;
    ensures \result <==> fr_free(fa, f);
*/
bool xpt_frame_is_free(const struct xpt_frames *fa, xpt_pfn f)
{
	return f < fa->nframes && bm_test(&fa->free4k, f);
}

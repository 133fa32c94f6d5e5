/*
 * The frame allocator of ref/include/xpt.h (struct xpt_frames) as ACSL
 * logic: which frames are usable and free, how many are free, and the
 * invariant that ties the summary levels and counts to the level-0 bits.
 *
 * Logic definitions only: no code and no axioms.  The facts about bits
 * that the proofs use are lemmas of ref/src/frames.c.
 */
/* Outside the guard: xpt.h includes this file after struct xpt_frames, for
 * the contracts of its allocator functions, and the logic must follow the
 * struct whichever of the two files comes first. */
#include "xpt.h"

#ifndef XPT_SPEC_FRAMES_H
#define XPT_SPEC_FRAMES_H

/* The highest level of a bitmap (XPT_BITMAP_LEVELS - 1): one word. */
#define BMP_TOP 5

/*@
  // Bit p of word x.
  predicate bmp_wbit(integer x, integer p) = ((x >> p) & 1) != 0;

  // Words of level k: from the layout, the top level is one word.
  logic integer bmp_nw{L}(struct xpt_bitmap *b, integer k) =
    k < BMP_TOP ? b->off[k + 1] - b->off[k] : 1;
  // Word i of level k.
  logic integer bmp_word{L}(struct xpt_bitmap *b, integer k, integer i) = b->w[b->off[k] + i];
  // Bit j of level k.
  predicate bmp_bit{L}(struct xpt_bitmap *b, integer k, integer j) =
    bmp_wbit(bmp_word(b, k, j / 64), j % 64);

  // The levels lie one after the other in b->w, each at least one word and
  // at most 64 times the words of the level above.
  predicate bmp_offs{L}(struct xpt_bitmap *b) =
    b->off[0] == 0 &&
    (\forall integer k; 0 <= k < BMP_TOP ==> b->off[k] < b->off[k + 1]) &&
    (\forall integer m, k; 0 <= m <= k <= BMP_TOP ==> b->off[m] <= b->off[k]) &&
    (\forall integer k; 0 <= k < BMP_TOP ==> bmp_nw(b, k) <= 64 * bmp_nw(b, k + 1)) &&
    b->off[BMP_TOP] < 0x100000000 && b->nbits <= 64 * bmp_nw(b, 0);
  // ... and the words are writable and apart from the descriptor.
  predicate bmp_layout{L}(struct xpt_bitmap *b) =
    \valid_read(b) && bmp_offs(b) &&
    \valid(b->w + (0 .. b->off[BMP_TOP])) && \separated(b, b->w + (0 .. b->off[BMP_TOP]));

  // Bit j of level k+1 is set iff word j of level k exists and is non-zero.
  predicate bmp_sum{L}(struct xpt_bitmap *b, integer k) =
    \forall integer j; 0 <= j < 64 * bmp_nw(b, k + 1) ==>
      (bmp_bit(b, k + 1, j) <==> (j < bmp_nw(b, k) && bmp_word(b, k, j) != 0));

  predicate bmp_ok{L}(struct xpt_bitmap *b) =
    bmp_layout(b) && \forall integer k; 0 <= k < BMP_TOP ==> bmp_sum(b, k);

  // Level-0 bits [0, n) that are set.
  logic integer bmp_count{L}(struct xpt_bitmap *b, integer n) =
    n <= 0 ? 0 : bmp_count(b, n - 1) + ((bmp_word(b, 0, (n - 1) / 64) >> ((n - 1) % 64)) & 1);

  // ------------------------------------------------------- the allocator
  logic integer fr_usable_words(integer nframes) =
    nframes <= 64 ? 1 : (nframes + 63) / 64;

  // Frames of a huge run: 512 for 2 MiB, 262144 for 1 GiB.
  logic integer fr_run_frames(integer size) = size == XPT_2M ? 512 : 262144;

  predicate fr_usable{L}(struct xpt_frames *fa, integer f) =
    0 <= f < fa->nframes && bmp_wbit(fa->usable[f / 64], f % 64);
  predicate fr_free{L}(struct xpt_frames *fa, integer f) =
    0 <= f < fa->nframes && bmp_bit(&fa->free4k, 0, f);
  // Usable frames among [0, n).
  logic integer fr_ucount{L}(struct xpt_frames *fa, integer n) =
    n <= 0 ? 0 : fr_ucount(fa, n - 1) + ((fa->usable[(n - 1) / 64] >> ((n - 1) % 64)) & 1);

  // ------------------------------------------------------ the memory map
  // Frame f lies wholly inside region r: a usable region gives whole frames.
  predicate fr_region_holds{L}(struct xpt_region *r, integer f) =
    r->len != 0 && r->base <= 4096 * f && 4096 * (f + 1) <= r->base + r->len;
  // Frame f overlaps region r: a reserved region takes every frame it touches.
  predicate fr_region_touches{L}(struct xpt_region *r, integer f) =
    r->len != 0 && r->base < 4096 * (f + 1) && 4096 * f < r->base + r->len;
  predicate fr_in_usable{L}(struct xpt_region *map, integer n, integer f) =
    \exists integer i; 0 <= i < n && map[i].type == XPT_REGION_USABLE && fr_region_holds(map + i, f);
  predicate fr_in_reserved{L}(struct xpt_region *map, integer n, integer f) =
    \exists integer i; 0 <= i < n && map[i].type != XPT_REGION_USABLE && fr_region_touches(map + i, f);
  // Frame f is usable by map[0 .. n-1]: inside a usable region, touching
  // no reserved one.
  predicate fr_map_usable{L}(struct xpt_region *map, integer n, integer f) =
    fr_in_usable(map, n, f) && !fr_in_reserved(map, n, f);

  // The frames a reservation of [base, base+len) touches: [first, last),
  // aligned outward to whole frames and cut at nframes.
  logic integer fr_rsv_first(integer base) = base / 4096;
  logic integer fr_rsv_last{L}(struct xpt_frames *fa, integer base, integer len) =
    \min((base + len + 4095) / 4096, fa->nframes);
  // The usable frames among them.
  logic integer fr_rsv_usable{L}(struct xpt_frames *fa, integer base, integer len) =
    fr_rsv_first(base) < fr_rsv_last(fa, base, len) ?
      fr_ucount(fa, fr_rsv_last(fa, base, len)) - fr_ucount(fa, fr_rsv_first(base)) : 0;

  // The memory of the allocator: bitmaps laid out, every array in reach
  // and apart from the others and from the descriptor.
  predicate xpt_frames_mem{L}(struct xpt_frames *fa) =
    \valid(fa) && fa->nframes <= 0x1000000000 &&
    bmp_layout(&fa->free4k) && bmp_layout(&fa->free2m) && bmp_layout(&fa->free1g) &&
    fa->free4k.nbits == fa->nframes &&
    fa->free2m.nbits == (fa->nframes + 511) / 512 &&
    fa->free1g.nbits == (fa->nframes + 262143) / 262144 &&
    \valid(fa->usable + (0 .. fr_usable_words(fa->nframes) - 1)) &&
    \separated(fa, fa->usable + (0 .. fr_usable_words(fa->nframes) - 1),
               fa->free4k.w + (0 .. fa->free4k.off[BMP_TOP]),
               fa->free2m.w + (0 .. fa->free2m.off[BMP_TOP]),
               fa->free1g.w + (0 .. fa->free1g.off[BMP_TOP]));

  // The invariant of struct xpt_frames (ref/include/xpt.h): the summaries
  // agree with level 0, only usable frames are free, nfree counts them.
  predicate xpt_frames_ok{L}(struct xpt_frames *fa) =
    xpt_frames_mem(fa) &&
    bmp_ok(&fa->free4k) && bmp_ok(&fa->free2m) && bmp_ok(&fa->free1g) &&
    (\forall integer f; 0 <= f < 64 * bmp_nw(&fa->free4k, 0) ==>
       bmp_bit(&fa->free4k, 0, f) ==> fr_usable(fa, f)) &&
    fa->nfree == bmp_count(&fa->free4k, fa->nframes);
*/

#endif

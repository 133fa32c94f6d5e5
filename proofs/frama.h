/*
 * Included first in every file Frama-C reads (proofs/proofs.mk passes
 * -include proofs/frama.h): the paging model, the lemma library and the
 * contracts of the compiler builtins ref/src uses.  Never seen by a C
 * compiler.
 */
#ifndef XPT_PROOFS_FRAMA_H
#define XPT_PROOFS_FRAMA_H

#include <stdint.h>
#include "../spec/paging.h"
#include "lemmas.h"

/* Contract shorthand: the window and control state of a walk, in the
 * argument order of the pg_ functions of spec/paging.h. */
#define XPT_PGW(m, c) (m)->words, (c)->cr3, (c)->flags, (c)->maxphyaddr
/* The same, read in the pre-state of a function (\old) or at a label. */
#define XPT_PGW_OLD(m, c) \old((m)->words), \old((c)->cr3), \old((c)->flags), \old((c)->maxphyaddr)
/* In the annotations of xpt_walk: the walk of its arguments, in its pre-state. */
#define XPT_WALK_PRE XPT_PGW_AT(mem, ctl, Pre)
/* The #PF error code bits of xpt_walk's contract, in its annotations. */
#define XPT_WALK_EC(ec)                                                           \
  ((pg_has(ec, PF_P) <==> pg_ec_p{Pre}(XPT_WALK_PRE, va)) &&                      \
   (pg_has(ec, PF_W) <==> pg_ec_w(access)) &&                                     \
   (pg_has(ec, PF_U) <==> pg_ec_u(access)) &&                                     \
   (pg_has(ec, PF_RSVD) <==> pg_ec_rsvd{Pre}(XPT_WALK_PRE, va)) &&                \
   (pg_has(ec, PF_ID) <==> pg_ec_id(\at(ctl->flags, Pre), access)) &&             \
   (pg_has(ec, PF_PK) <==> pg_ec_pk{Pre}(XPT_WALK_PRE, \at(ctl->pkru, Pre), va, access)))
/* The entries of xpt_walk's contract, in its annotations. */
#define XPT_WALK_ENTRIES(n) xpt_walk_entries{Here, Pre}(w, XPT_WALK_PRE, va, n)

#define XPT_PGW_AT(m, c, L) \at((m)->words, L), \at((c)->cr3, L), \at((c)->flags, L), \at((c)->maxphyaddr, L)

/* A space whose tables can be walked: the preconditions of xpt_walk for
 * the window and control state xpt_space_ctl builds. */
#define XPT_SPACE_READABLE(sp)                                                    \
  (\valid_read(sp) && 12 < (sp)->maxphyaddr <= 52 &&                              \
   (sp)->mem.nframes <= 0x10000000000 && ((sp)->levels == 4 || (sp)->levels == 5) && \
   ((sp)->format == XPT_FMT_X86 || (sp)->format == XPT_FMT_EPT) &&                 \
   \valid_read((sp)->mem.words + (0 .. (sp)->mem.nframes * 512 - 1)) &&           \
   \separated(sp, (sp)->mem.words + (0 .. (sp)->mem.nframes * 512 - 1)))
/* A space whose tables the mapper can change. */
#define XPT_SPACE_WRITABLE(sp)                                                    \
  (XPT_SPACE_READABLE(sp) && \valid((sp)->mem.words + (0 .. (sp)->mem.nframes * 512 - 1)))
/* Allocator fa's layout as at L: its frame count and the ends of its
 * bitmaps (what the ranges of XPT_FRAMES_META and of a writes clause
 * read). */
#define XPT_FRAMES_ENDS(fa, L)                                                    \
  ((fa)->nframes == \at((fa)->nframes, L) &&                                       \
   (fa)->free4k.off[BMP_TOP] == \at((fa)->free4k.off[BMP_TOP], L) &&               \
   (fa)->free2m.off[BMP_TOP] == \at((fa)->free2m.off[BMP_TOP], L) &&               \
   (fa)->free1g.off[BMP_TOP] == \at((fa)->free1g.off[BMP_TOP], L))
/* What a teardown leaves alone: the space and the allocator's layout. */
#define XPT_TEARDOWN_FIXED(sp, L)                                                 \
  ((sp)->root == \at((sp)->root, L) && (sp)->levels == \at((sp)->levels, L) &&     \
   (sp)->mem.nframes == \at((sp)->mem.nframes, L) && XPT_FRAMES_ENDS((sp)->fa, L))
/* What a teardown writes, as the space and the allocator were at L (a
 * loop's assigns clause, so that its ends read as the function's). */
#define XPT_TEARDOWN_WRITES(sp, L)                                                \
  (sp)->mem.words[0 .. \at((sp)->mem.nframes, L) * 512 - 1], (sp)->fa->nfree,     \
  (sp)->fa->free4k.w[0 .. \at((sp)->fa->free4k.off[BMP_TOP], L)],                 \
  (sp)->fa->free2m.w[0 .. \at((sp)->fa->free2m.off[BMP_TOP], L)],                 \
  (sp)->fa->free1g.w[0 .. \at((sp)->fa->free1g.off[BMP_TOP], L)]
/* Every word of the window as it was at L. */
#define XPT_WORDS_KEPT(sp, L)                                                     \
  (\forall integer k; 0 <= k < \at((sp)->mem.nframes, L) * 512 ==>                \
     (sp)->mem.words[k] == \at((sp)->mem.words[k], L))
/* Every word of the window as it was at L, or cleared. */
#define XPT_ONLY_CLEARED(sp, L)                                                   \
  (\forall integer k; 0 <= k < \at((sp)->mem.nframes, L) * 512 ==>                \
     (sp)->mem.words[k] == \at((sp)->mem.words[k], L) || (sp)->mem.words[k] == 0)
/* The memory of allocator fa: its descriptor and its arrays. */
#define XPT_FRAMES_META(fa)                                                       \
  (fa), (fa)->usable + (0 .. fr_usable_words((fa)->nframes) - 1),                \
  (fa)->free4k.w + (0 .. (fa)->free4k.off[BMP_TOP]),                             \
  (fa)->free2m.w + (0 .. (fa)->free2m.off[BMP_TOP]),                             \
  (fa)->free1g.w + (0 .. (fa)->free1g.off[BMP_TOP])
/* Allocator fa reads as at L: its counts, the ends of its memory, and
 * which frames are usable and which free. */
#define XPT_FRAMES_KEPT(fa, L)                                                    \
  ((fa)->nframes == \at((fa)->nframes, L) && (fa)->nfree == \at((fa)->nfree, L) && \
   (fa)->nusable == \at((fa)->nusable, L) &&                                       \
   (fa)->free4k.off[BMP_TOP] == \at((fa)->free4k.off[BMP_TOP], L) &&               \
   (fa)->free2m.off[BMP_TOP] == \at((fa)->free2m.off[BMP_TOP], L) &&               \
   (fa)->free1g.off[BMP_TOP] == \at((fa)->free1g.off[BMP_TOP], L) &&               \
   (\forall integer g; fr_free(fa, g) <==> fr_free{L}(fa, g)) &&                    \
   (\forall integer g; fr_usable(fa, g) <==> fr_usable{L}(fa, g)))
/* What an allocation or a free writes: the free count and the words of the
 * three bitmaps (an assigns clause). */
#define XPT_FRAMES_WRITES(fa)                                                     \
  (fa)->nfree, (fa)->free4k.w[0 .. (fa)->free4k.off[BMP_TOP]],                    \
  (fa)->free2m.w[0 .. (fa)->free2m.off[BMP_TOP]],                                 \
  (fa)->free1g.w[0 .. (fa)->free1g.off[BMP_TOP]]
/* x lies apart from what an allocation or a free writes. */
#define XPT_FRAMES_WRITES_APART(fa, x)                                            \
  (\separated(x, &(fa)->nfree) &&                                                 \
   \separated(x, (fa)->free4k.w + (0 .. (fa)->free4k.off[BMP_TOP])) &&             \
   \separated(x, (fa)->free2m.w + (0 .. (fa)->free2m.off[BMP_TOP])) &&             \
   \separated(x, (fa)->free1g.w + (0 .. (fa)->free1g.off[BMP_TOP])))
/* The contract of the xpt_space_init functions: a space of nlev levels
 * and format fmt over window mem and allocator fa, whose root is a frame
 * the allocator held free, now zeroed. */
#define XPT_SPACE_INIT_CONTRACT(sp, mem, fa, mpa, nlev, fmt)              \
  requires \valid(sp) && \valid_read(mem) && xpt_frames_ok(fa);                     \
  requires (mem)->nframes <= 0x10000000000 &&                                       \
    \valid((mem)->words + (0 .. (mem)->nframes * 512 - 1));                         \
  requires \separated(sp, mem, (mem)->words + (0 .. (mem)->nframes * 512 - 1),       \
                      XPT_FRAMES_META(fa));                                         \
  requires \separated(mem, (mem)->words + (0 .. (mem)->nframes * 512 - 1),          \
                      XPT_FRAMES_META(fa));                                         \
  requires \forall integer f; fr_usable(fa, f) ==>                                  \
    \separated((mem)->words + (f * 512 .. f * 512 + 511), XPT_FRAMES_META(fa));     \
  assigns *(sp), (mem)->words[0 .. (mem)->nframes * 512 - 1],                       \
          (fa)->nfree, (fa)->free4k.w[0 .. (fa)->free4k.off[BMP_TOP]],              \
          (fa)->free2m.w[0 .. (fa)->free2m.off[BMP_TOP]],                           \
          (fa)->free1g.w[0 .. (fa)->free1g.off[BMP_TOP]];                           \
  ensures result: \result == XPT_OK || \result == XPT_E_INVAL || \result == XPT_E_NOMEM; \
  ensures inval: \result == XPT_E_INVAL <==>                                        \
    (mpa) < 36 || (mpa) > 52 || \old((fa)->nframes) > \old((mem)->nframes) || \
    \old((fa)->nframes) > (1 << ((mpa) - 12)) ||                                   \
    ((nlev) != 4 && (nlev) != 5);                                               \
  ensures space: \result == XPT_OK ==>                                              \
    (sp)->mem.words == \old((mem)->words) && (sp)->mem.nframes == \old((mem)->nframes) && \
    (sp)->fa == (fa) && (sp)->maxphyaddr == (mpa) && (sp)->levels == (nlev) &&  \
    (sp)->format == (fmt) && (sp)->policy == 0;                                   \
  ensures root: \result == XPT_OK ==>                                               \
    fr_free{Pre}(fa, (sp)->root) && (sp)->root < (sp)->mem.nframes &&                \
    \forall integer k; (sp)->root * 512 <= k < (sp)->root * 512 + 512 ==>            \
      (sp)->mem.words[k] == 0;
/* [v, v + len) is the one page the walk of v maps at label L, inside the
 * window: an unmap of it meets v alone, and nothing stops it there.  In
 * the argument order of the pg_ functions, the window's frame count after
 * them.  A macro, not a predicate: the provers then see its parts. */
#define XPT_ONE_PAGE(L, nf, v, len, ...)                                         \
  (!pg_window{L}(__VA_ARGS__, nf, v) && pg_mapped{L}(__VA_ARGS__, v) &&          \
   (v) % pg_size(pg_level{L}(__VA_ARGS__, v)) == 0 &&                             \
   (len) == pg_size(pg_level{L}(__VA_ARGS__, v)))
/* What an unmap of [lo, hi) promises once done, on a space whose tables
 * form a tree (ref/src/map.c's run, and xpt_unmap_range and xpt_unmap in
 * xpt.h): no canonical address of the range keeps a translation and its
 * walk ends inside the window (gone); every other one whose walk stayed
 * inside the window keeps that walk (kept); the flush record stays well
 * formed (record) and names the page of every translation the range had
 * (flushed).  Without a trailing semicolon, as XPT_LEAF_STORE. */
#define XPT_UNMAP_DONE(sp, fl, lo, hi)                                            \
  ensures record: (fl) != \null ==> xpt_flush_ok(fl);                             \
  ensures gone: \result == XPT_OK && xpt_space_tree{Pre}(sp) ==>                  \
    \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS((sp)->levels), v) &&         \
    (lo) <= v < (hi) ==>                                                          \
    !pg_mapped(XPT_SPACE_PGW(sp), v) && !pg_window(XPT_SPACE_PGW(sp), (sp)->mem.nframes, v); \
  ensures kept: \result == XPT_OK && xpt_space_tree{Pre}(sp) ==> \forall uint64_t v; \
    pg_canonical(XPT_SPACE_FLAGS((sp)->levels), v) &&                             \
    !pg_window{Pre}(XPT_SPACE_PGW(sp), (sp)->mem.nframes, v) && !((lo) <= v < (hi)) ==> \
    pg_same_walk{Pre, Post}(XPT_SPACE_PGW(sp), v);                                \
  ensures flushed: \result == XPT_OK && (fl) != \null && xpt_space_tree{Pre}(sp) ==> \
    \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS((sp)->levels), v) &&         \
    (lo) <= v < (hi) &&                                                           \
    !pg_window{Old}(XPT_SPACE_WALK(sp), \old((sp)->mem.nframes), v) &&            \
    pg_mapped{Old}(XPT_SPACE_WALK(sp), v) ==>                                     \
    xpt_flush_covers(fl, pg_page_base(v, pg_level{Old}(XPT_SPACE_WALK(sp), v)) & 0xfffffffffffff000)
/* The contract of an unmap of [start, start + len) from space sp, its pages
 * into flush record fl (may be NULL): a request refused for its arguments
 * or for want of frames changes no word of the window (refused); one that
 * fails on the tables fails on the walk of an address of the range, as it
 * was before the call (stops), and never when the range is one whole page
 * (single); a done one keeps XPT_UNMAP_DONE.  Without a trailing
 * semicolon. */
#define XPT_UNMAP_CONTRACT(sp, fl, start, len)                                    \
  requires \valid(sp) && XPT_SPACE_WRITABLE(sp) && \valid_read((sp)->fa);         \
  requires (sp)->root < (sp)->mem.nframes;                                        \
  requires (fl) == \null || (\valid(fl) && xpt_flush_ok(fl) &&                     \
    \separated(fl, sp, (sp)->mem.words + (0 .. (sp)->mem.nframes * 512 - 1)));    \
  assigns (sp)->mem.words[0 .. (sp)->mem.nframes * 512 - 1], (fl)->npages, (fl)->all, \
          (fl)->va[0 .. XPT_FLUSH_PAGES - 1], (fl)->global;                       \
  ensures errors: \result == XPT_OK || \result == XPT_E_INVAL || \result == XPT_E_PHYS || \
    \result == XPT_E_NONCANONICAL || \result == XPT_E_ALIGN || \result == XPT_E_NOMEM || \
    \result == XPT_E_HUGE || \result == XPT_E_RSVD_BITS || \result == XPT_E_WINDOW; \
  ensures refused: (\result == XPT_E_INVAL || \result == XPT_E_PHYS ||            \
    \result == XPT_E_NONCANONICAL || \result == XPT_E_ALIGN || \result == XPT_E_NOMEM) ==> \
    \forall integer k; 0 <= k < (sp)->mem.nframes * 512 ==>                        \
      (sp)->mem.words[k] == \old((sp)->mem.words[k]);                              \
  ensures stops: (\result == XPT_E_HUGE || \result == XPT_E_RSVD_BITS ||           \
    \result == XPT_E_WINDOW) && xpt_space_tree{Pre}(sp) ==> \exists uint64_t v;     \
    (start) <= v < (start) + (len) && pg_canonical(XPT_SPACE_FLAGS((sp)->levels), v) && \
    xpt_stops{Pre}(XPT_SPACE_PGW(sp), (sp)->mem.nframes, v, (start) + (len));       \
  ensures single: xpt_space_tree{Pre}(sp) &&                                      \
    pg_canonical(XPT_SPACE_FLAGS((sp)->levels), start) &&                         \
    XPT_ONE_PAGE(Pre, (sp)->mem.nframes, start, len, XPT_SPACE_PGW(sp)) ==>        \
    \result != XPT_E_HUGE && \result != XPT_E_RSVD_BITS && \result != XPT_E_WINDOW; \
  XPT_UNMAP_DONE(sp, fl, start, (start) + (len))
/* The control flags xpt_translate walks a space with: CTL_NXE | CTL_GBPAGES,
 * and CTL_LA57 for 5 levels. */
#define XPT_SPACE_FLAGS(levels) ((levels) == 5 ? 0x250 : 0x50)
/* The walk of space sp in the pre-state, in the argument order of the pg_
 * functions (with label Old). */
#define XPT_SPACE_WALK(sp)                                                        \
  \old((sp)->mem.words), (uint64_t)(\old((sp)->root) << 12),                     \
  XPT_SPACE_FLAGS(\old((sp)->levels)), \old((sp)->maxphyaddr)

/* The same walk with the space's fields read at label L (an assertion's
 * \old). */
#define XPT_SPACE_AT(sp, L)                                                       \
  \at((sp)->mem.words, L), (uint64_t)(\at((sp)->root, L) << 12),                \
  XPT_SPACE_FLAGS(\at((sp)->levels, L)), \at((sp)->maxphyaddr, L)

/* The same walk in the current state (or at the label of the clause). */
#define XPT_SPACE_PGW(sp)                                                         \
  (sp)->mem.words, (uint64_t)((sp)->root << 12), XPT_SPACE_FLAGS((sp)->levels),   \
  (sp)->maxphyaddr

/* The contract both stores of one leaf of the mapper's cursor share
 * (ref/src/map.c: replace_leaf, change_leaf): leaf e, the entry for va in
 * the cursor's table at `level`, is the one word of the window that may
 * change; a change of it puts va's page in the flush record, which keeps
 * what it covered; every walk inside the window that does not read it is
 * kept, and in a tree (map_at_walk) so is the walk of every address
 * outside va's page. */
#define XPT_LEAF_SLOT(c, level, va) ((c)->path[level].table * 512 + pg_idx(va, level))
#define XPT_LEAF_STORE(c, level, va, e)                                             \
  requires \valid(c) && XPT_SPACE_WRITABLE((c)->sp) && map_flush_ok(c);             \
  requires \separated(c, (c)->sp->mem.words + (0 .. (c)->sp->mem.nframes * 512 - 1)); \
  requires 1 <= level <= 3;                                                         \
  requires real: (c)->commit ==> !(c)->path[level].virt &&                          \
    (c)->path[level].table < (c)->sp->mem.nframes &&                                \
    (e) == (c)->sp->mem.words[XPT_LEAF_SLOT(c, level, va)];                         \
  assigns (c)->sp->mem.words[XPT_LEAF_SLOT(c, level, va)], (c)->fl->npages,         \
          (c)->fl->all, (c)->fl->va[0 .. XPT_FLUSH_PAGES - 1], (c)->fl->global;     \
  ensures ok: map_flush_ok(c);                                                      \
  ensures flushed: (c)->fl != \null && (c)->commit &&                               \
    (c)->sp->mem.words[XPT_LEAF_SLOT(c, level, va)] !=                              \
      \old((c)->sp->mem.words[XPT_LEAF_SLOT(c, level, va)]) ==>                     \
    xpt_flush_covers((c)->fl, (va) & 0xfffffffffffff000);                           \
  ensures check: !(c)->commit ==> (c)->sp->mem.words[XPT_LEAF_SLOT(c, level, va)] ==  \
    \old((c)->sp->mem.words[XPT_LEAF_SLOT(c, level, va)]);                          \
  ensures keeps: (c)->fl != \null ==> \forall integer page;                         \
    \old(xpt_flush_covers((c)->fl, page)) ==> xpt_flush_covers((c)->fl, page);      \
  ensures cursor: (c)->path[level].table == \old((c)->path[level].table) &&         \
    (c)->path[level].virt == \old((c)->path[level].virt) &&                         \
    (c)->path[level].split == \old((c)->path[level].split) &&                       \
    (c)->commit == \old((c)->commit) &&                                             \
    (c)->sp->mem.nframes == \old((c)->sp->mem.nframes) &&                           \
    (c)->sp->root == \old((c)->sp->root);                                           \
  ensures held: (c)->valid == \old((c)->valid) &&                                   \
    \forall integer l; 0 <= l <= XPT_MAX_LEVELS ==>                                 \
    (c)->path[l].table == \old((c)->path[l].table) &&                               \
    (c)->path[l].virt == \old((c)->path[l].virt);                                   \
  ensures others: \forall integer k; 0 <= k < (c)->sp->mem.nframes * 512 &&         \
    k != XPT_LEAF_SLOT(c, level, va) ==>                                            \
    (c)->sp->mem.words[k] == \old((c)->sp->mem.words[k]);                           \
  ensures frame: \forall integer cr3, fl, M, v;                                     \
    13 <= M <= 52 && pg_canonical(fl, v) &&                                         \
    !pg_window{Pre}((c)->sp->mem.words, cr3, fl, M, (c)->sp->mem.nframes, v) &&     \
    !pg_reads{Pre}((c)->sp->mem.words, cr3, fl, M, v, XPT_LEAF_SLOT(c, level, va)) ==> \
    pg_same_walk{Pre, Post}((c)->sp->mem.words, cr3, fl, M, v);                     \
  ensures kept: map_at_walk{Pre}(c, level, va) ==> \forall integer v;               \
    pg_canonical(XPT_SPACE_FLAGS((c)->sp->levels), v) &&                            \
    !pg_window{Pre}(XPT_SPACE_PGW((c)->sp), (c)->sp->mem.nframes, v) &&             \
    !(pg_same_above(va, v, level) && pg_idx(va, level) == pg_idx(v, level)) ==>     \
    pg_same_walk{Pre, Post}(XPT_SPACE_PGW((c)->sp), v)

/* The slots a run of leaves of the mapper's cursor may change (ref/src/map.c,
 * change_run): those of va's entry and the ones after it in the cursor's
 * table at `level`; and whether word k is one of the first n of them. */
#define MAP_RUN_SLOTS(c, level, va)                                               \
  (c)->path[level].table * 512 + pg_idx(va, level) .. (c)->path[level].table * 512 + 511
#define MAP_RUN_SLOTS_AT(c, level, va, L)                                         \
  \at((c)->path[level].table, L) * 512 + pg_idx(va, level) ..                    \
  \at((c)->path[level].table, L) * 512 + 511
#define MAP_IN_RUN(c, level, va, n, k)                                            \
  ((c)->path[level].table * 512 + pg_idx(va, level) <= (k) &&                     \
   (k) < (c)->path[level].table * 512 + pg_idx(va, level) + (n))

/* GCC: "Returns the number of trailing 0-bits in x, starting at the least
 * significant bit position.  If x is 0, the result is undefined."
 * Stated, not proved: see proofs/ASSUMPTIONS.md. */
/*@ requires x != 0;
    assigns \nothing;
    ensures 0 <= \result < 64;
    ensures ((x >> \result) & 1) == 1;
    ensures \forall integer j; 0 <= j < \result ==> ((x >> j) & 1) == 0;
*/
int __builtin_ctzll(unsigned long long x);

#include "../spec/frames.h"

#endif

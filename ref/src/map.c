/*
 * The mapper: map, unmap and protect over 4-level tables reached through
 * the physical-memory window.
 *
 * Every mutation runs the same cursor twice.  The check pass reads the
 * tables, validates the whole request and counts the tables the change
 * needs, writing nothing; tables it would create or split exist only as
 * "virtual" levels whose entries it synthesises.  Only when the check
 * passes and the allocator holds enough free frames does the commit pass
 * run, and then it cannot fail.  So every call succeeds wholly or changes
 * nothing, without an undo log.
 *
 * The cursor keeps the table of every level for the current address and
 * re-descends only from the level whose index changed, so a range visits
 * each table once instead of walking from the root for every page.
 */
#include "format.h"
#include "store.h"


enum op_kind { OP_MAP, OP_UNMAP, OP_PROTECT };

struct op {
	enum op_kind kind;
	uint64_t va, pa, len;
	xpt_attr attr;
	unsigned opts;
	int forced;            /* OP_MAP: the one leaf size allowed, or -1 */
};

struct level {
	xpt_pfn table;         /* when real */
	bool virt;             /* check pass: a table that does not exist yet */
	uint64_t split;        /* virtual: the huge leaf it splits, or 0 when empty */
};

struct cursor {
	struct xpt_space *sp;
	bool commit;
	unsigned valid;        /* path[l] describes the current address for l >= valid */
	struct level path[XPT_MAX_LEVELS + 1];
	uint64_t tables;       /* check pass: frames the commit pass will take */
	struct xpt_flush *fl;
	struct xpt_mapping *out;
};

/* Table entry e at `level` has a reserved bit both formats share: an
 * address bit at or above MAXPHYADDR M, or PS in a PML4E or PML5E.  (A
 * macro: WP's simplifier then folds the mask as the code computes it.) */
#define MAP_TABLE_RSVD(e, level, M) \
  (((e) & pg_bits(M, 52)) != 0 || ((level) >= 4 && pg_has(e, PG_PS)))

/*@ // The allocator of sp can hand its frames out as tables: every frame it
    // covers lies in the window, and every frame it can hand out lies apart
    // from its own memory (which sits in frames it never hands out).
    predicate map_frames_apart{L}(struct xpt_space *sp) =
      xpt_frames_ok(sp->fa) && sp->fa->nframes <= sp->mem.nframes &&
      \separated(sp, XPT_FRAMES_META(sp->fa)) &&
      \forall integer f; fr_usable(sp->fa, f) ==>
        \separated(sp->mem.words + (f * 512 .. f * 512 + 511), XPT_FRAMES_META(sp->fa));
    // The tables the walks inside the window reach are frames the
    // allocator holds in use, so that none it hands out is one of them;
    // and its frames lie below MAXPHYADDR (xpt_space_init), so that an
    // entry can name any of them (map's new tables).
    predicate map_owned{L}(struct xpt_space *sp) =
      sp->fa->nframes <= (1 << (sp->maxphyaddr - 12)) &&
      \forall integer v, K; pg_reaches(XPT_SPACE_PGW(sp), sp->mem.nframes, v, K) ==>
        !fr_free(sp->fa, pg_table(XPT_SPACE_PGW(sp), v, K));
    // The flush record of cursor c: none, or one apart from the cursor, the
    // space and the window; and from the allocator's memory.
    predicate map_flush_ok{L}(struct cursor *c) =
      c->fl == \null || (\valid(c->fl) && xpt_flush_ok(c->fl) &&
        \separated(c->fl, c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1)));
    predicate map_flush_apart{L}(struct cursor *c) =
      map_flush_ok(c) && (c->fl == \null || \separated(c->fl, XPT_FRAMES_META(c->sp->fa)));
    // Where a map's flush record lies, whatever it holds: apart from all
    // of that (a map writes none, but a new table's contract names it).
    predicate map_flush_place{L}(struct cursor *c) =
      c->fl == \null || (\valid(c->fl) &&
        \separated(c->fl, c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1),
                   XPT_FRAMES_META(c->sp->fa)));
    // The cursor's levels from `from` up to the root are real tables of
    // the window (no split has made a virtual one).
    predicate map_cursor_real{L}(struct cursor *c, integer from) =
      \forall integer l; from <= l <= c->sp->levels ==>
        !c->path[l].virt && c->path[l].table < c->sp->mem.nframes;
    // The cursor of a map from `from` up to the root: real tables of the
    // window, or (check pass) tables still to make, empty ones (a map
    // splits nothing).
    predicate map_cursor_ok{L}(struct cursor *c, integer from) =
      \forall integer l; from <= l <= c->sp->levels ==>
        (!c->path[l].virt ==> c->path[l].table < c->sp->mem.nframes) &&
        (c->path[l].virt ==> c->path[l].split == 0);
    // An x86 leaf at `level` with the rights of attributes a: present, a
    // page (PS above level 1), writable, user and no-execute as a says;
    // and for frame pa aligned to its page and below 2^M, a leaf that maps
    // pa, with no bit the model reserves where XD and 1 GiB pages are on,
    // as in every space (xpt_fmt_leaf).
    predicate map_leaf(integer e, integer a, integer level, integer pa, integer M) =
      pg_has(e, PG_P) && (level > 1 ==> pg_has(e, PG_PS)) &&
      (pg_has(e, PG_RW) <==> pg_has(a, XPT_WRITE)) &&
      (pg_has(e, PG_US) <==> pg_has(a, XPT_USER)) &&
      (pg_has(e, PG_NX) <==> pg_has(a, XPT_NOEXEC)) &&
      (pa % pg_size(level) == 0 && pa < (1 << M) ==> pg_leaf_base(e, level, M) == pa &&
       \forall integer fl; pg_has(fl, CTL_NXE) && pg_has(fl, CTL_GBPAGES) ==> !pg_rsvd(e, level, fl, M));
    // The cursor's real table at `level` is the one the space's walk of va
    // reads there (x86 format), the walk gets there inside the window, and
    // the space's tables form a tree (spec/paging.h, PgTree).
    predicate map_at_walk{L}(struct cursor *c, integer level, integer va) =
      c->sp->format == XPT_FMT_X86 && !c->path[level].virt &&
      pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes) &&
      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, level) &&
      pg_table(XPT_SPACE_PGW(c->sp), va, level) == c->path[level].table;
    // Every real table of the cursor from `from` up to the root is the one
    // the space's walk of va reads there (map_at_walk at each level, the
    // tree stated once): what a step needs of the levels it leaves behind
    // when it moves to the next address.
    predicate map_on_walk{L}(struct cursor *c, integer from, integer va) =
      c->sp->format == XPT_FMT_X86 && pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes) &&
      \forall integer l; from <= l <= c->sp->levels ==>
        !c->path[l].virt && pg_table(XPT_SPACE_PGW(c->sp), va, l) == c->path[l].table &&
        pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, l);
    // The root's level of a space with 4 and with 5 levels (WP's
    // simplifier computes each once the definition is unfolded:
    // proofs/wp/script/lemma_space_top_*.json).
    lemma space_top_4: pg_top(XPT_SPACE_FLAGS(4)) == 4;
    lemma space_top_5: pg_top(XPT_SPACE_FLAGS(5)) == 5;
    // Address bits follow the level count (both test CR4.LA57).
    lemma top_bits: \forall integer fl; pg_va_bits(fl) == (pg_top(fl) == 5 ? 57 : 48);
    lemma on_walk_at{L}: \forall struct cursor *c, integer from, va, l;
      map_on_walk(c, from, va) && from <= l <= c->sp->levels ==> map_at_walk(c, l, va);
    // The cursor moved up to `to` for the next address vb, which shares
    // va's indexes above it (the root's table is every address's).
    lemma on_walk_level{L}: \forall struct cursor *c, integer from, to, va, vb, l;
      (c->sp->levels == 4 || c->sp->levels == 5) &&
      map_on_walk(c, from, va) && from <= to <= l <= c->sp->levels &&
      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), vb) &&
      (to < c->sp->levels ==> pg_same_above(va, vb, to)) ==>
      !c->path[l].virt && pg_table(XPT_SPACE_PGW(c->sp), vb, l) == c->path[l].table &&
      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, vb, l);
    lemma on_walk_move{L}: \forall struct cursor *c, integer from, to, va, vb;
      (c->sp->levels == 4 || c->sp->levels == 5) &&
      map_on_walk(c, from, va) && from <= to <= c->sp->levels &&
      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), vb) &&
      (to < c->sp->levels ==> pg_same_above(va, vb, to)) ==>
      map_on_walk(c, to, vb);
    lemma on_walk_down{L}: \forall struct cursor *c, integer from, va;
      map_on_walk(c, from, va) && map_at_walk(c, from - 1, va) ==> map_on_walk(c, from - 1, va);
    // Memories that agree on the window agree on where a pass stops: a
    // walk leaves the window in both or in neither (window_agree, either
    // way), and one inside it reads the same entries.
    lemma stops_agree{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, v, end;
      13 <= M <= 52 && pg_canonical(fl, v) &&
      (\forall integer x; 0 <= x < nf * 512 ==> \at(w[x], A) == \at(w[x], B)) &&
      xpt_stops{A}(w, cr3, fl, M, nf, v, end) ==> xpt_stops{B}(w, cr3, fl, M, nf, v, end);
    // And on the one page of an unmap that meets one address.
    lemma one_page_agree{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, v, len;
      13 <= M <= 52 && pg_canonical(fl, v) &&
      (\forall integer x; 0 <= x < nf * 512 ==> \at(w[x], A) == \at(w[x], B)) &&
      XPT_ONE_PAGE(A, nf, v, len, w, cr3, fl, M) ==> XPT_ONE_PAGE(B, nf, v, len, w, cr3, fl, M);
    // The entry that hangs a table below MAXPHYADDR is one the walk goes
    // on through, to that table (bits_table_entry): what makes a new
    // table part of the walks (pg_link).  A block, seen only by goals
    // that name map_entry_leads (new_table's): its bit facts slow others.
    axiomatic MapTableEntry {
    predicate map_entry_leads(integer t, integer L, integer fl, integer M) =
      !pg_stop(xpt_table_entry(t), L, fl, M) && pg_next(xpt_table_entry(t), M) == t;
    lemma table_entry_is: \forall integer t; xpt_table_entry(t) == bits_entry(t);
    // The address mask and the high reserved bits of an entry, as
    // differences of powers of two (proofs/lemmas.h's, on the model's
    // names; scripts unfold the definitions).
    lemma amask_diff: \forall integer M; 13 <= M <= 52 ==> pg_amask(M) == (1 << M) - 4096;
    lemma high_diff: \forall integer M; 13 <= M <= 52 ==> pg_bits(M, 52) == (1 << 52) - (1 << M);
    // A zero word is an absent entry (a new table's).
    lemma absent_zero: pg_absent(0);
    lemma table_entry_next: \forall integer t, M;
      13 <= M <= 52 && 0 <= t < (1 << (M - 12)) ==> pg_next(xpt_table_entry(t), M) == t;
    lemma table_entry_bits: \forall integer t, M;
      13 <= M <= 52 && 0 <= t < (1 << (M - 12)) ==>
      pg_has(xpt_table_entry(t), PG_P) && !pg_has(xpt_table_entry(t), PG_PS) &&
      !pg_has(xpt_table_entry(t), PG_NX) && (xpt_table_entry(t) & pg_bits(M, 52)) == 0;
    lemma table_entry_rsvd: \forall integer t, L, fl, M;
      13 <= M <= 52 && 0 <= t < (1 << (M - 12)) ==> !pg_rsvd(xpt_table_entry(t), L, fl, M);
    lemma table_entry_goes: \forall integer t, L, fl, M;
      13 <= M <= 52 && 0 <= t < (1 << (M - 12)) && 2 <= L ==> map_entry_leads(t, L, fl, M);
    }
    // After pg_link, the walk of va reads the tables it read down to L
    // and goes on into t: the new table is on va's walk (map_step's next
    // level).  A block, seen only by goals that name map_hung.
    axiomatic MapHung {
    predicate map_hung{B}(uint64_t *w, integer cr3, integer fl, integer M, integer nf,
                          integer va, integer L, integer t) =
      pg_reaches(w, cr3, fl, M, nf, va, L - 1) && pg_table(w, cr3, fl, M, va, L - 1) == t;
    lemma hung_reach_up{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, J;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && L <= J <= pg_top(fl) ==>
      pg_reaches{A}(w, cr3, fl, M, nf, va, J);
    // Above L, va's walk reads a word of a table it reached (not t) and
    // not x (a tree reaches that table at L only): one the link kept.
    lemma hung_word{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, J;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && L < J <= pg_top(fl) ==>
      \at(w[pg_table{A}(w, cr3, fl, M, va, J) * 512 + pg_idx(va, J)], B) ==
        pg_word{A}(w, cr3, fl, M, va, J);
    // Level by level from the root (the provers do not do the induction).
    lemma hung_table_0{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) ==>
      pg_table{B}(w, cr3, fl, M, va, pg_top(fl)) == pg_table{A}(w, cr3, fl, M, va, pg_top(fl));
    lemma hung_table_1{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && L <= pg_top(fl) - 1 ==>
      pg_table{B}(w, cr3, fl, M, va, pg_top(fl) - 1) == pg_table{A}(w, cr3, fl, M, va, pg_top(fl) - 1);
    lemma hung_table_2{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && L <= pg_top(fl) - 2 ==>
      pg_table{B}(w, cr3, fl, M, va, pg_top(fl) - 2) == pg_table{A}(w, cr3, fl, M, va, pg_top(fl) - 2);
    lemma hung_table_3{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && L <= pg_top(fl) - 3 ==>
      pg_table{B}(w, cr3, fl, M, va, pg_top(fl) - 3) == pg_table{A}(w, cr3, fl, M, va, pg_top(fl) - 3);
    lemma hung_table{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, J;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && L <= J <= pg_top(fl) ==>
      pg_table{B}(w, cr3, fl, M, va, J) == pg_table{A}(w, cr3, fl, M, va, J);
    // The entries va's walk reads: A's above L, the link at L.
    lemma hung_entry{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, J;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && L < J <= pg_top(fl) ==>
      pg_entry{B}(w, cr3, fl, M, va, J) == pg_entry{A}(w, cr3, fl, M, va, J);
    lemma hung_link{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) ==>
      pg_entry{B}(w, cr3, fl, M, va, L) == \at(w[x], B);
    lemma hung_level{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) ==>
      pg_level{B}(w, cr3, fl, M, va) < L;
    lemma hung{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) ==> map_hung{B}(w, cr3, fl, M, nf, va, L, t);
    // Every address whose walk read x is linked the same way: those of
    // va's entry at L.
    lemma hung_move{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_canonical(fl, v) &&
      pg_same_above(va, v, L) && pg_idx(v, L) == pg_idx(va, L) ==>
      pg_link{A, B}(w, cr3, fl, M, nf, v, L, x, t);
    // Its walk ended at x, absent; it ends in t now, absent too.
    lemma hung_hole{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) ==>
      pg_not_present{A}(w, cr3, fl, M, va) && pg_not_present{B}(w, cr3, fl, M, va) &&
      !pg_window{B}(w, cr3, fl, M, nf, va);
    // A walk that did not read x read no word the link changed (t was
    // unreached): a word at a time, then the walk.
    lemma hung_word_kept{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, y;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_canonical(fl, v) &&
      !pg_window{A}(w, cr3, fl, M, nf, v) && pg_reads{A}(w, cr3, fl, M, v, y) && y != x ==>
      \at(w[y], A) == \at(w[y], B);
    lemma hung_reads_kept{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_canonical(fl, v) &&
      !pg_window{A}(w, cr3, fl, M, nf, v) && !pg_reads{A}(w, cr3, fl, M, v, x) ==>
      \forall integer y; pg_reads{A}(w, cr3, fl, M, v, y) ==> \at(w[y], A) == \at(w[y], B);
    lemma hung_other{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_canonical(fl, v) &&
      !pg_window{A}(w, cr3, fl, M, nf, v) && !pg_reads{A}(w, cr3, fl, M, v, x) ==>
      pg_same_walk{A, B}(w, cr3, fl, M, v);
    // So every walk inside the window has the outcome it had.
    lemma hung_outcome{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v;
      pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_canonical(fl, v) &&
      !pg_window{A}(w, cr3, fl, M, nf, v) ==>
      pg_same_outcome{A, B}(w, cr3, fl, M, nf, v);
    }
*/

/*@ axiomatic MapRunLeaf {
    // Flags f that make a leaf at `level` with the rights of attributes a:
    // present, a page (PS above level 1), R/W, U/S and XD as a says, and
    // at level 1 no bit 12 (there an address bit, the frame's alone).
    predicate map_run_flags(integer f, integer a, integer level) =
      pg_has(f, PG_P) && (level > 1 ==> pg_has(f, PG_PS)) &&
      (pg_has(f, PG_RW) <==> pg_has(a, XPT_WRITE)) && (pg_has(f, PG_US) <==> pg_has(a, XPT_USER)) &&
      (pg_has(f, PG_NX) <==> pg_has(a, XPT_NOEXEC)) && (level == 1 ==> !pg_has(f, 0x1000));
    // Such flags give a leaf of that kind for every frame p below 2^52 (a
    // run of leaves, one frame each: store.h's xpt_store_leaves).
    lemma map_leaf_run: \forall integer f, a, level, p, M;
      1 <= level <= 3 && 13 <= M <= 52 && 0 <= f < 0x10000000000000000 &&
      0 <= p < 0x10000000000000 && p % 4096 == 0 && map_run_flags(f, a, level) ==>
      map_leaf(bits_leaf(p, f), a, level, p, M);
    // The frames of a run from a frame aligned to 4 KiB are.
    lemma run_frame_4k: \forall integer pa, j, L;
      1 <= L <= 3 && 0 <= pa && 0 <= j && pa % 4096 == 0 ==>
      xpt_run_frame(pa, j, pg_size(L)) % 4096 == 0;
    }
    // In blocks of their own, seen by the goals that name their symbols:
    // as global facts they slowed unrelated goals of this file past the
    // 30 s limit (xpt_translate's offset).
    axiomatic MapRun {
    // The frame a map from va to pa gives the page of level L that holds
    // v: pa plus the distance from va to the page's first byte.
    logic integer map_frame(integer pa, integer va, integer v, integer L) =
      pa + (v - va) - v % pg_size(L);
    // Address v after a map from va to pa with attributes a: its walk
    // ends at a leaf with the rights of a that maps v's page to its frame,
    // a frame aligned to the page (so the leaf's frame, map_leaf).
    // (The space as spec/paging.h's walks take it: w, cr3, fl, M, nf.)
    predicate map_maps{L}(uint64_t *w, integer cr3, integer fl, integer M, integer nf, integer v,
                          integer a, integer pa, integer va) =
      pg_mapped(w, cr3, fl, M, v) && !pg_window(w, cr3, fl, M, nf, v) &&
      map_leaf(pg_last(w, cr3, fl, M, v), a, pg_level(w, cr3, fl, M, v),
               map_frame(pa, va, v, pg_level(w, cr3, fl, M, v)), M) &&
      map_frame(pa, va, v, pg_level(w, cr3, fl, M, v)) % pg_size(pg_level(w, cr3, fl, M, v)) == 0;
    // A later store that keeps v's outcome keeps it mapped so.
    lemma maps_kept{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, v, a, pa, va;
      map_maps{A}(w, cr3, fl, M, nf, v, a, pa, va) && pg_same_outcome{A, B}(w, cr3, fl, M, nf, v) ==>
      map_maps{B}(w, cr3, fl, M, nf, v, a, pa, va);
    // Maps with the same distance from va to pa give the same frames.
    lemma frame_offset: \forall integer pa, va, pb, vb, v, L;
      pa - va == pb - vb ==> map_frame(pa, va, v, L) == map_frame(pb, vb, v, L);
    // The frames of a run from a frame aligned to its pages are aligned.
    lemma run_frame_size: \forall integer pa, j, L;
      1 <= L <= 3 && 0 <= pa && 0 <= j && pa % pg_size(L) == 0 ==>
      xpt_run_frame(pa, j, pg_size(L)) % pg_size(L) == 0;
    }
*/
/* What new_table's link needs of the space before it: va's walk reaches
 * the cursor's table at `level`, the tables the walks reach are the
 * allocator's, the window lies apart from the allocator's memory, and the
 * entry the table goes below is absent (a macro: WP then sees the parts). */
#define MAP_LINKS(c, level, va)                                                   \
  (map_at_walk{Pre}(c, level, va) && map_owned{Pre}((c)->sp) &&                   \
   \at(\separated((c)->sp->mem.words + (0 .. (c)->sp->mem.nframes * 512 - 1),      \
                  XPT_FRAMES_META((c)->sp->fa)), Pre) &&                          \
   !pg_has(\at((c)->sp->mem.words[(c)->path[level].table * 512 + pg_idx(va, level)], Pre), PG_P))

/* The space's fields, the pass and the allocator's layout as at L: what
 * a map's steps leave alone. */
#define MAP_FIXED(c, L)                                                           \
  ((c)->sp->root == \at((c)->sp->root, L) && (c)->sp->levels == \at((c)->sp->levels, L) && \
   (c)->sp->maxphyaddr == \at((c)->sp->maxphyaddr, L) &&                          \
   (c)->sp->mem.words == \at((c)->sp->mem.words, L) &&                            \
   (c)->sp->format == \at((c)->sp->format, L) &&                                  \
   (c)->sp->mem.nframes == \at((c)->sp->mem.nframes, L) &&                        \
   (c)->commit == \at((c)->commit, L) && XPT_FRAMES_ENDS((c)->sp->fa, L))

/* ------------------------------------------------------------- entries */

/* Entry i of the table that splits huge leaf `e` at `level`. */
/*@ requires \valid_read(sp) && 12 < sp->maxphyaddr <= 52;
    requires 2 <= level <= 3 && i < 512;
    assigns \nothing;
*/
static uint64_t split_entry(const struct xpt_space *sp, uint64_t e, unsigned level, unsigned i)
{
	uint64_t pa = xpt_leaf_base(e, level, sp->maxphyaddr) + (uint64_t)i * xpt_level_bytes(level - 1u);
	uint64_t kept = e & xpt_fmt_ad(sp->format);
	return xpt_fmt_leaf(sp->format, pa, xpt_fmt_attr(sp->format, e, level), level - 1u) | kept;
}

/*@ requires \valid_read(c) && \valid_read(c->sp);
    assigns \nothing;
    ensures x86: c->sp->format != XPT_FMT_EPT ==> (\result <==> pg_has(e, PG_P));
    ensures ept: c->sp->format == XPT_FMT_EPT ==>
      (\result <==> pg_has(e, XPT_EPT_R | XPT_EPT_W | XPT_EPT_X));
    ensures \result <==> xpt_present(c->sp->format, e);
*/
static bool present(const struct cursor *c, uint64_t e)
{
	return xpt_fmt_present(c->sp->format, e);
}

/* -------------------------------------------------------------- cursor */

/* The entry for va in the real table the cursor holds at `level`: the
 * word the walk reads there (pg_rd of that table at pg_idx). */
/*@ requires \valid_read(c) && XPT_SPACE_READABLE(c->sp) && 1 <= level <= XPT_MAX_LEVELS;
    requires c->path[level].table < c->sp->mem.nframes;
    assigns \nothing;
    ensures \result == c->sp->mem.words + (c->path[level].table * 512 + pg_idx(va, level));
    ensures \valid_read(\result);
    ensures idx: 0 <= pg_idx(va, level) < 512;
*/
static uint64_t *slot(const struct cursor *c, unsigned level, uint64_t va)
{
	return &c->sp->mem.words[xpt_slot(c->path[level].table, xpt_index(va, level))];
}

/* The entry for va at `level`: the word the walk reads there for a real
 * table; for a table the commit pass will create, what it will hold
 * (nothing, or the piece of the huge leaf it splits). */
/*@ requires \valid_read(c) && XPT_SPACE_READABLE(c->sp) && 1 <= level <= XPT_MAX_LEVELS;
    requires !c->path[level].virt ==> c->path[level].table < c->sp->mem.nframes;
    requires c->path[level].virt && c->path[level].split != 0 ==> level <= 2;
    assigns \nothing;
    ensures real: !c->path[level].virt ==>
      \result == c->sp->mem.words[c->path[level].table * 512 + pg_idx(va, level)];
    ensures none: c->path[level].virt && c->path[level].split == 0 ==> \result == 0;
*/
static uint64_t read_entry(const struct cursor *c, unsigned level, uint64_t va)
{
	const struct level *l = &c->path[level];
	if (!l->virt)
		return *slot(c, level, va);
	if (l->split == 0)
		return 0;
	return split_entry(c->sp, l->split, level + 1u, xpt_index(va, level));
}

/* The commit pass writes entry e there; the check pass writes nothing. */
/*@ requires \valid_read(c) && XPT_SPACE_WRITABLE(c->sp) && 1 <= level <= XPT_MAX_LEVELS;
    requires c->path[level].table < c->sp->mem.nframes;
    requires \separated(c, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    assigns c->sp->mem.words[c->path[level].table * 512 + pg_idx(va, level)];
    ensures written: c->commit ==>
      c->sp->mem.words[\old(c->path[level].table) * 512 + pg_idx(va, level)] == e;
    ensures check: !c->commit ==>
      c->sp->mem.words[\old(c->path[level].table) * 512 + pg_idx(va, level)] ==
      \old(c->sp->mem.words[c->path[level].table * 512 + pg_idx(va, level)]);
    ensures frame: \forall integer cr3, fl, M, v;
      !pg_reads{Pre}(c->sp->mem.words, cr3, fl, M, v, \old(c->path[level].table) * 512 + pg_idx(va, level)) ==>
      pg_same_walk{Pre, Post}(c->sp->mem.words, cr3, fl, M, v);
*/
static void write_entry(struct cursor *c, unsigned level, uint64_t va, uint64_t e)
{
	if (c->commit)
		*slot(c, level, va) = e;
}

/* The TLB may hold leaf e for va: it goes into the flush record. */
/*@ requires \valid_read(c) && \valid_read(c->sp) && map_flush_ok(c);
    assigns c->fl->npages, c->fl->all, c->fl->va[0 .. XPT_FLUSH_PAGES - 1], c->fl->global;
    ensures ok: map_flush_ok(c);
    ensures covers: c->fl != \null ==> xpt_flush_covers(c->fl, va & 0xfffffffffffff000);
    ensures keeps: c->fl != \null ==> \forall integer page;
      \old(xpt_flush_covers(c->fl, page)) ==> xpt_flush_covers(c->fl, page);
*/
static void record(struct cursor *c, uint64_t va, uint64_t e)
{
	xpt_flush_add(c->fl, va);
	if (c->fl != NULL && c->sp->format == XPT_FMT_X86 && (e & XPT_PTE_G))
		c->fl->global = true;
}

/* Whether table entry e at `level` has a reserved bit both formats share. */
/*@ requires 12 < maxphyaddr <= 52;
    assigns \nothing;
    ensures \result <==> MAP_TABLE_RSVD(e, level, maxphyaddr);
*/
static bool table_rsvd(uint64_t e, unsigned level, unsigned maxphyaddr)
{
	return (e & xpt_bit_range(maxphyaddr, 52u)) != 0 || (level >= 4u && (e & XPT_PTE_PS));
}

/* A present table entry with no reserved bit of MAP_TABLE_RSVD does not
 * stop a walk with EFER.NXE set (SDM 4.5): a proof step of enter, stated
 * for it alone so that other goals do not see it. */
/*@ ghost
  /@ requires 2 <= level <= 5 && pg_has(fl, CTL_NXE);
     requires pg_has(e, PG_P) && !pg_leaf(e, level) && !MAP_TABLE_RSVD(e, level, M);
     assigns \nothing;
     ensures !pg_stop(e, level, fl, M); @/
  static void table_goes_on(uint64_t e, unsigned level, unsigned fl, unsigned M) { }
*/

/* Why a walk stops at the present table entry e at `level` short of the
 * table it names, as enter_error and enter answer: a reserved bit, or a
 * frame outside the window. */
#define MAP_ENTER_ERRORS(c, level, e)                                             \
  ensures result: \result == XPT_OK || \result == XPT_E_RSVD_BITS ||              \
    \result == XPT_E_WINDOW;                                                      \
  ensures rsvd: \result == XPT_E_RSVD_BITS <==>                                   \
    MAP_TABLE_RSVD(e, level, (c)->sp->maxphyaddr);                                \
  ensures rsvd_walk: \result == XPT_E_RSVD_BITS ==>                               \
    pg_rsvd(e, level, XPT_SPACE_FLAGS((c)->sp->levels), (c)->sp->maxphyaddr);     \
  ensures window: \result == XPT_E_WINDOW <==>                                    \
    !MAP_TABLE_RSVD(e, level, (c)->sp->maxphyaddr) &&                             \
    pg_next(e, (c)->sp->maxphyaddr) >= (c)->sp->mem.nframes;

/* Whether a walk goes on below the present table entry e at `level`:
 * not when it stops there with a reserved bit set (an address bit at or
 * above MAXPHYADDR, or PS in a PML4E or PML5E; the rules both formats
 * share), nor when the frame e names lies outside the window.  On x86
 * tables, going on from the walk of va takes it to that frame (pg_next). */
/*@ requires \valid_read(c) && XPT_SPACE_READABLE(c->sp);
    requires 2 <= level <= XPT_MAX_LEVELS && 12 < c->sp->maxphyaddr <= 52;
    assigns \nothing;
    MAP_ENTER_ERRORS(c, level, e)
    ensures below: \result == XPT_OK ==> \forall integer va;
      map_at_walk(c, level, va) && e == pg_entry(XPT_SPACE_PGW(c->sp), va, level) &&
      pg_has(e, PG_P) && !pg_leaf(e, level) ==>
      pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes) &&
      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, level - 1) &&
      pg_table(XPT_SPACE_PGW(c->sp), va, level - 1) == pg_next(e, c->sp->maxphyaddr);
*/
static int enter_error(const struct cursor *c, unsigned level, uint64_t e)
{
	xpt_pfn t = xpt_entry_frame(e, c->sp->maxphyaddr);
	if (table_rsvd(e, level, c->sp->maxphyaddr))
		return XPT_E_RSVD_BITS;
	if (t >= c->sp->mem.nframes)
		return XPT_E_WINDOW;
	/*@ ghost if ((e & XPT_PTE_P) && level != 1u && !(e & XPT_PTE_PS))
	      table_goes_on(e, level, XPT_SPACE_FLAGS(c->sp->levels), c->sp->maxphyaddr); */
	/*@ assert below: \forall integer va;
	      map_at_walk(c, level, va) && e == pg_entry(XPT_SPACE_PGW(c->sp), va, level) &&
	      pg_has(e, PG_P) && !pg_leaf(e, level) ==>
	      pg_level(XPT_SPACE_PGW(c->sp), va) < level &&
	      pg_table(XPT_SPACE_PGW(c->sp), va, level - 1) == t; */
	/*@ assert reaches: \forall integer va;
	      map_at_walk(c, level, va) && e == pg_entry(XPT_SPACE_PGW(c->sp), va, level) &&
	      pg_has(e, PG_P) && !pg_leaf(e, level) ==>
	      pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes) &&
	      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, level - 1); */
	return XPT_OK;
}

/* Follow a present table entry at `level` down to level - 1: to the frame
 * it names, as the walk does (pg_next), unless enter_error says no. */
/*@ requires \valid(c) && XPT_SPACE_READABLE(c->sp) && \separated(c, c->sp);
    requires \separated(c, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires 2 <= level <= XPT_MAX_LEVELS && 12 < c->sp->maxphyaddr <= 52;
    assigns c->path[level - 1], c->valid;
    MAP_ENTER_ERRORS(c, level, e)
    ensures next: \result == XPT_OK ==>
      c->path[level - 1].table == pg_next(e, c->sp->maxphyaddr) && !c->path[level - 1].virt &&
      c->path[level - 1].split == 0 && c->valid == level - 1;
    ensures failed: \result != XPT_OK ==> c->valid == \old(c->valid);
    ensures held: \forall integer l; level <= l <= XPT_MAX_LEVELS ==>
      c->path[l].table == \old(c->path[l].table) && c->path[l].virt == \old(c->path[l].virt);
    ensures walk: \result == XPT_OK ==> \forall integer va;
      map_at_walk{Pre}(c, level, va) &&
      e == pg_entry{Pre}(XPT_SPACE_PGW(c->sp), va, level) && pg_has(e, PG_P) &&
      !pg_leaf(e, level) ==>
      map_at_walk(c, level - 1, va);
*/
static int enter(struct cursor *c, unsigned level, uint64_t e)
{
	int err = enter_error(c, level, e);
	if (err != XPT_OK)
		return err;
	xpt_pfn t = xpt_entry_frame(e, c->sp->maxphyaddr);
	c->path[level - 1u].table = t;
	c->path[level - 1u].virt = false;
	c->path[level - 1u].split = 0;
	c->valid = level - 1u;
	/* The window is as it was: every walk in it is too (pg_cut, x kept). */
	//@ assert kept: pg_cut{Pre, Here}(c->sp->mem.words, c->sp->mem.nframes, 0);
	//@ assert back: pg_cut{Here, Pre}(c->sp->mem.words, c->sp->mem.nframes, 0);
	/*@ assert tree: \forall integer va; map_at_walk{Pre}(c, level, va) ==>
	      pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes); */
	/*@ assert reaches_now: \forall integer va;
	      map_at_walk{Pre}(c, level, va) && e == pg_entry{Pre}(XPT_SPACE_PGW(c->sp), va, level) &&
	      pg_has(e, PG_P) && !pg_leaf(e, level) ==>
	      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, level - 1) &&
	      pg_table(XPT_SPACE_PGW(c->sp), va, level - 1) == t; */
	//@ assert fmt: \forall integer va; map_at_walk{Pre}(c, level, va) ==> c->sp->format == XPT_FMT_X86;
	//@ assert cur: c->path[level - 1].table == t && !c->path[level - 1].virt;
	return XPT_OK;
}

/* Table t of the window, every entry zero: a new table maps nothing, so
 * hanging it below an entry changes no translation (an entry that is not
 * present ends the walk, SDM 4.5).  t by value: the compiler then knows
 * the stores cannot change it. */
/*@ requires \valid_read(sp) && t < sp->mem.nframes <= 0x10000000000;
    requires \valid(sp->mem.words + (t * 512 .. t * 512 + 511));
    requires \separated(sp, sp->mem.words + (t * 512 .. t * 512 + 511));
    assigns sp->mem.words[t * 512 .. t * 512 + 511];
    ensures zeroed: \forall integer k; t * 512 <= k < t * 512 + 512 ==> sp->mem.words[k] == 0;
*/
static void table_zero(const struct xpt_space *sp, xpt_pfn t)
{
	/*@ loop invariant 0 <= i <= 512;
	    loop invariant zero_below: \forall integer k; t * 512 <= k < t * 512 + i ==>
	      sp->mem.words[k] == 0;
	    loop assigns i, sp->mem.words[t * 512 .. t * 512 + 511];
	    loop variant 512 - i;
	*/
	for (unsigned i = 0; i < XPT_ENTRIES; i++)
		sp->mem.words[xpt_slot(t, i)] = 0;
}

/* Fill table t with the pieces of the huge leaf `split` at `level`. */
/*@ requires \valid_read(sp) && t < sp->mem.nframes <= 0x10000000000;
    requires 2 <= level <= 3 && 12 < sp->maxphyaddr <= 52;
    requires \valid(sp->mem.words + (t * 512 .. t * 512 + 511));
    requires \separated(sp, sp->mem.words + (t * 512 .. t * 512 + 511));
    assigns sp->mem.words[t * 512 .. t * 512 + 511];
*/
static void table_split(const struct xpt_space *sp, xpt_pfn t, uint64_t split, unsigned level)
{
	/*@ loop invariant 0 <= i <= 512;
	    loop assigns i, sp->mem.words[t * 512 .. t * 512 + 511];
	    loop variant 512 - i;
	*/
	for (unsigned i = 0; i < XPT_ENTRIES; i++)
		sp->mem.words[xpt_slot(t, i)] = split_entry(sp, split, level, i);
}

/* map_frames_apart from its parts: a ghost step whose own proof sees
 * nothing else. */
/*@ ghost
  /@ requires xpt_frames_ok(sp->fa) && sp->fa->nframes <= sp->mem.nframes;
     requires \separated(sp, XPT_FRAMES_META(sp->fa));
     requires \forall integer f; fr_usable(sp->fa, f) ==>
       \separated(sp->mem.words + (f * 512 .. f * 512 + 511), XPT_FRAMES_META(sp->fa));
     assigns \nothing;
     ensures map_frames_apart(sp); @/
  static void frames_apart(const struct xpt_space *sp) { }
*/

/* A frame for a new table: one the allocator held free, now used; or
 * NO_FRAME when none is free.  The frame comes back by value, so that no
 * store of the caller's can alias it. */
#define NO_FRAME UINT64_MAX
/*@ requires \valid_read(sp) && map_frames_apart(sp);
    assigns sp->fa->nfree, sp->fa->free4k.w[0 .. sp->fa->free4k.off[BMP_TOP]],
            sp->fa->free2m.w[0 .. sp->fa->free2m.off[BMP_TOP]],
            sp->fa->free1g.w[0 .. sp->fa->free1g.off[BMP_TOP]];
    ensures fresh: \result != NO_FRAME ==>
      fr_free{Pre}(sp->fa, \result) && fr_usable{Pre}(sp->fa, \result) &&
      \result < \old(sp->mem.nframes) && \result < 0x1000000000 &&
      sp->fa->nfree == \old(sp->fa->nfree) - 1;
    ensures apart: \result != NO_FRAME ==> \let f = \result;
      \at(\separated(sp->mem.words + (f * 512 .. f * 512 + 511), XPT_FRAMES_META(sp->fa)), Pre);
    ensures used: \result != NO_FRAME ==> !fr_free(sp->fa, \result);
    ensures others: \result != NO_FRAME ==> \forall integer g; g != \result ==>
      (fr_free(sp->fa, g) <==> fr_free{Pre}(sp->fa, g));
    ensures usable: \result != NO_FRAME ==> fr_usable(sp->fa, \result);
    ensures ok: map_frames_apart(sp);
    ensures fixed: sp->root == \old(sp->root) && XPT_FRAMES_ENDS(sp->fa, Pre);
*/
static xpt_pfn take_frame(const struct xpt_space *sp)
{
	xpt_pfn t;
	/* What must stay lies apart from what the allocation writes. */
	//@ assert a_nframes: XPT_FRAMES_WRITES_APART(sp->fa, &sp->mem.nframes);
	//@ assert a_root: XPT_FRAMES_WRITES_APART(sp->fa, &sp->root);
	//@ assert a_fa: XPT_FRAMES_WRITES_APART(sp->fa, &sp->fa->nframes);
	//@ assert a_4k: XPT_FRAMES_WRITES_APART(sp->fa, &sp->fa->free4k.off[BMP_TOP]);
	//@ assert a_2m: XPT_FRAMES_WRITES_APART(sp->fa, &sp->fa->free2m.off[BMP_TOP]);
	//@ assert a_1g: XPT_FRAMES_WRITES_APART(sp->fa, &sp->fa->free1g.off[BMP_TOP]);
	/*@ assert a_usable: \forall integer j; 0 <= j < fr_usable_words(sp->fa->nframes) ==>
	      XPT_FRAMES_WRITES_APART(sp->fa, sp->fa->usable + j); */
	int err = xpt_frame_alloc(sp->fa, &t);
	/*@ assert f_fixed: sp->mem.nframes == \at(sp->mem.nframes, Pre) && sp->root == \at(sp->root, Pre) &&
	      XPT_FRAMES_ENDS(sp->fa, Pre); */
	/*@ assert f_usable: \forall integer j; 0 <= j < fr_usable_words(sp->fa->nframes) ==>
	      sp->fa->usable[j] == \at(sp->fa->usable[j], Pre); */
	//@ assert f_fr_usable: \forall integer g; fr_usable(sp->fa, g) <==> fr_usable{Pre}(sp->fa, g);
	//@ ghost frames_apart(sp);
	if (err != XPT_OK)
		return NO_FRAME;
	//@ assert was_free: fr_free{Pre}(sp->fa, t);
	//@ assert usable: fr_usable{Pre}(sp->fa, t);
	/*@ assert apart_pre: \let f = t;
	      \at(\separated(sp->mem.words + (f * 512 .. f * 512 + 511), XPT_FRAMES_META(sp->fa)), Pre); */
	return t;
}

/*
 * Hang table t, a frame no table uses, below `entry`, the entry at `level`
 * for va, in the commit pass, filled with the pieces of the huge leaf
 * `split`, which then goes into the flush record.
 */
/*@ requires \valid(c) && XPT_SPACE_WRITABLE(c->sp) && map_flush_ok(c) && c->commit;
    requires \separated(c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires 2 <= level <= c->sp->levels && split != 0 && level <= 3;
    requires c->path[level].table < c->sp->mem.nframes;
    requires t < c->sp->mem.nframes && t < 0x1000000000 && t != c->path[level].table;
    requires \separated(c, c->sp->mem.words + (t * 512 .. t * 512 + 511));
    requires entry: entry == c->sp->mem.words + (c->path[level].table * 512 + pg_idx(va, level)) &&
      0 <= pg_idx(va, level) < 512;
    assigns c->path[level - 1], c->sp->mem.words[t * 512 .. t * 512 + 511],
            c->sp->mem.words[c->path[level].table * 512 + pg_idx(va, level)],
            c->fl->npages, c->fl->all, c->fl->va[0 .. XPT_FLUSH_PAGES - 1], c->fl->global;
    ensures path: c->path[level - 1].table == t && !c->path[level - 1].virt &&
      c->path[level - 1].split == 0;
    ensures linked: c->sp->mem.words[\old(c->path[level].table) * 512 + pg_idx(va, level)] ==
      xpt_table_entry(t);
    ensures others: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 &&
      !(t * 512 <= k < t * 512 + 512) && k != \old(c->path[level].table) * 512 + pg_idx(va, level) ==>
      c->sp->mem.words[k] == \old(c->sp->mem.words[k]);
    ensures fixed: c->sp->mem.nframes == \old(c->sp->mem.nframes) && c->sp->root == \old(c->sp->root) &&
      c->path[level].table == \old(c->path[level].table);
    ensures held: \forall integer l; level <= l <= XPT_MAX_LEVELS ==>
      c->path[l].table == \old(c->path[l].table) && c->path[l].virt == \old(c->path[l].virt) &&
      c->path[l].split == \old(c->path[l].split);
*/
static void hang_split(struct cursor *c, uint64_t *entry, unsigned level, uint64_t va, xpt_pfn t,
                       uint64_t split)
{
	//@ assert in_window: 0 <= c->path[level].table * 512 + pg_idx(va, level) < c->sp->mem.nframes * 512;
	uint64_t table = xpt_fmt_table(c->sp->format, t);
	record(c, va & ~(xpt_level_bytes(level) - 1u), split);
	table_split(c->sp, t, split, level);
	//@ assert apart_table: \separated(entry, c->sp->mem.words + (t * 512 .. t * 512 + 511));
	*entry = table;
	/*@ assert apart_level: \separated(&c->path[level - 1], entry,
	      c->sp->mem.words + (t * 512 .. t * 512 + 511)); */
	c->path[level - 1u].table = t;
	c->path[level - 1u].virt = false;
	c->path[level - 1u].split = 0;
}

/* Table t, a usable frame just taken, zeroed and linked below the entry
 * at word `at` of the window.  Both go through store.h: the window's
 * words share the provers' memory with the allocator's bitmaps, and
 * store.h's contracts carry the allocator's invariant past each. */
/*@ requires XPT_SPACE_WRITABLE(sp) && map_frames_apart(sp);
    requires \separated(sp, sp->mem.words + (0 .. sp->mem.nframes * 512 - 1));
    requires t < sp->mem.nframes && t < 0x1000000000 && fr_usable(sp->fa, t);
    requires at < sp->mem.nframes * 512 && !(t * 512 <= at < t * 512 + 512) &&
      \separated(sp->mem.words + at, XPT_FRAMES_META(sp->fa));
    assigns sp->mem.words[t * 512 .. t * 512 + 511], sp->mem.words[at];
    ensures linked: sp->mem.words[at] == xpt_table_entry(t);
    ensures empty: \forall integer k; t * 512 <= k < t * 512 + 512 ==> sp->mem.words[k] == 0;
    ensures others: \forall integer k; 0 <= k < sp->mem.nframes * 512 &&
      !(t * 512 <= k < t * 512 + 512) && k != at ==> sp->mem.words[k] == \old(sp->mem.words[k]);
    ensures fixed: sp->mem.nframes == \old(sp->mem.nframes) && sp->root == \old(sp->root);
    ensures apart: map_frames_apart(sp);
    ensures kept: XPT_FRAMES_KEPT(sp->fa, Pre);
*/
static void link_table(struct xpt_space *sp, uint64_t at, xpt_pfn t)
{
	uint64_t table = xpt_fmt_table(sp->format, t);
	xpt_store_zero(sp->fa, sp->mem.words, xpt_slot(t, 0), XPT_ENTRIES);
	//@ assert zeroed: \forall integer k; t * 512 <= k < t * 512 + 512 ==> sp->mem.words[k] == 0;
	xpt_store(sp->fa, sp->mem.words + at, table);
	//@ assert z_kept: \forall integer k; t * 512 <= k < t * 512 + 512 ==> sp->mem.words[k] == 0;
	//@ assert kept_here: XPT_FRAMES_KEPT(sp->fa, Pre);
	//@ assert fixed: XPT_FRAMES_ENDS(sp->fa, Pre);
	//@ assert usable_same: \forall integer g; fr_usable(sp->fa, g) <==> fr_usable{Pre}(sp->fa, g);
	//@ assert fields: sp->fa->nframes <= sp->mem.nframes && xpt_frames_ok(sp->fa);
	//@ assert meta: \separated(sp, XPT_FRAMES_META(sp->fa));
	/*@ assert usable_pre: \forall integer f; fr_usable(sp->fa, f) ==>
	      \at(\separated(sp->mem.words + (f * 512 .. f * 512 + 511), XPT_FRAMES_META(sp->fa)), Pre); */
	/*@ assert usable: \forall integer f; fr_usable(sp->fa, f) ==>
	      \separated(sp->mem.words + (f * 512 .. f * 512 + 511), XPT_FRAMES_META(sp->fa)); */
	//@ ghost frames_apart(sp);
}

/* The cursor's level below `level` set to table t.  Its words too go
 * through store.h (the cursor's fields share the provers' memory with
 * the allocator's bitmaps). */
/*@ requires \valid(c) && \valid_read(c->sp) && map_frames_apart(c->sp);
    requires \separated(c, c->sp, XPT_FRAMES_META(c->sp->fa));
    requires \separated(c, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires 2 <= level <= XPT_MAX_LEVELS;
    assigns c->path[level - 1];
    ensures path: c->path[level - 1].table == t && !c->path[level - 1].virt &&
      c->path[level - 1].split == 0;
    ensures fixed: c->path[level].table == \old(c->path[level].table) &&
      c->sp->mem.nframes == \old(c->sp->mem.nframes) && c->sp->root == \old(c->sp->root);
    ensures apart: map_frames_apart(c->sp);
    ensures kept: XPT_FRAMES_KEPT(c->sp->fa, Pre);
    ensures held: \forall integer l; level <= l <= XPT_MAX_LEVELS ==>
      c->path[l].table == \old(c->path[l].table) && c->path[l].virt == \old(c->path[l].virt) &&
      c->path[l].split == \old(c->path[l].split);
    ensures window: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
      c->sp->mem.words[k] == \old(c->sp->mem.words[k]);
*/
static void enter_table(struct cursor *c, unsigned level, xpt_pfn t)
{
	struct level *below = &c->path[level - 1u];
	//@ assert below: below == &c->path[level - 1];
	xpt_store(c->sp->fa, &below->table, t);
	xpt_store(c->sp->fa, &below->split, 0);
	below->virt = false;
	//@ assert fields: c->sp->fa->nframes <= c->sp->mem.nframes && xpt_frames_ok(c->sp->fa);
	//@ assert meta: \separated(c->sp, XPT_FRAMES_META(c->sp->fa));
	/*@ assert usable: \forall integer f; fr_usable(c->sp->fa, f) ==>
	      \separated(c->sp->mem.words + (f * 512 .. f * 512 + 511), XPT_FRAMES_META(c->sp->fa)); */
	//@ ghost frames_apart(c->sp);
}

/* Hang table t, a usable frame just taken, below the entry at `level` for
 * va in the commit pass, empty: zeroed, linked and entered,
 * the allocator kept (link_table, enter_table). */
/*@ requires \valid(c) && XPT_SPACE_WRITABLE(c->sp) && map_frames_apart(c->sp);
    requires \separated(c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1),
                        XPT_FRAMES_META(c->sp->fa));
    requires 2 <= level <= c->sp->levels && c->path[level].table < c->sp->mem.nframes;
    requires t < c->sp->mem.nframes && t < 0x1000000000 && t != c->path[level].table &&
      fr_usable(c->sp->fa, t);
    requires \separated(c->sp->mem.words + (c->path[level].table * 512 + pg_idx(va, level)),
                        XPT_FRAMES_META(c->sp->fa));
    assigns c->path[level - 1], c->sp->mem.words[t * 512 .. t * 512 + 511],
            c->sp->mem.words[c->path[level].table * 512 + pg_idx(va, level)];
    ensures path: c->path[level - 1].table == t && !c->path[level - 1].virt &&
      c->path[level - 1].split == 0;
    ensures linked: c->sp->mem.words[\old(c->path[level].table) * 512 + pg_idx(va, level)] ==
      xpt_table_entry(t);
    ensures empty: \forall integer k; t * 512 <= k < t * 512 + 512 ==> c->sp->mem.words[k] == 0;
    ensures others: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 &&
      !(t * 512 <= k < t * 512 + 512) && k != \old(c->path[level].table) * 512 + pg_idx(va, level) ==>
      c->sp->mem.words[k] == \old(c->sp->mem.words[k]);
    ensures fixed: MAP_FIXED(c, Pre) && c->path[level].table == \old(c->path[level].table);
    ensures apart: map_frames_apart(c->sp);
    ensures kept: XPT_FRAMES_KEPT(c->sp->fa, Pre);
    ensures held: \forall integer l; level <= l <= XPT_MAX_LEVELS ==>
      c->path[l].table == \old(c->path[l].table) && c->path[l].virt == \old(c->path[l].virt) &&
      c->path[l].split == \old(c->path[l].split);
*/
static void hang_empty(struct cursor *c, unsigned level, uint64_t va, xpt_pfn t)
{
	uint64_t at = xpt_slot(c->path[level].table, xpt_index(va, level));
	/* What the link writes lies apart from the cursor. */
	/*@ assert path_apart: \forall integer l; 0 <= l <= XPT_MAX_LEVELS ==>
	      \separated(&c->path[l].table, &c->path[l].split,
	                  c->sp->mem.words + (t * 512 .. t * 512 + 511), c->sp->mem.words + at); */
	link_table(c->sp, at, t);
	/*@ assert linked_held: \forall integer l; level <= l <= XPT_MAX_LEVELS ==>
	      c->path[l].table == \at(c->path[l].table, Pre) && c->path[l].virt == \at(c->path[l].virt, Pre) &&
	      c->path[l].split == \at(c->path[l].split, Pre); */
	//@ assert fixed: MAP_FIXED(c, Pre) && c->path[level].table == \at(c->path[level].table, Pre);
	enter_table(c, level, t);
}

/* The check pass: one more table for the commit pass to take, and the
 * level below described by the huge leaf it would split, if any.  Its
 * words go through store.h, as enter_table's do. */
/*@ requires \valid(c) && \valid_read(c->sp) && map_frames_apart(c->sp);
    requires \separated(c, c->sp, XPT_FRAMES_META(c->sp->fa));
    requires \separated(c, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires 2 <= level <= XPT_MAX_LEVELS;
    assigns c->tables, c->path[level - 1];
    ensures c->tables == (uint64_t)(\old(c->tables) + 1);
    ensures c->path[level - 1].virt && c->path[level - 1].split == split;
    ensures apart: map_frames_apart(c->sp);
    ensures fixed: XPT_FRAMES_ENDS(c->sp->fa, Pre) && c->sp->mem.nframes == \old(c->sp->mem.nframes);
    ensures held: \forall integer l; level <= l <= XPT_MAX_LEVELS ==>
      c->path[l].table == \old(c->path[l].table) && c->path[l].virt == \old(c->path[l].virt) &&
      c->path[l].split == \old(c->path[l].split);
*/
static void count_table(struct cursor *c, unsigned level, uint64_t split)
{
	struct level *below = &c->path[level - 1u];
	//@ assert below: below == &c->path[level - 1];
	xpt_store(c->sp->fa, &c->tables, c->tables + 1u);
	xpt_store(c->sp->fa, &below->table, 0);
	xpt_store(c->sp->fa, &below->split, split);
	below->virt = true;
	//@ assert fields: c->sp->fa->nframes <= c->sp->mem.nframes && xpt_frames_ok(c->sp->fa);
	//@ assert meta: \separated(c->sp, XPT_FRAMES_META(c->sp->fa));
	/*@ assert fixed: XPT_FRAMES_ENDS(c->sp->fa, Pre) && c->sp->mem.nframes == \at(c->sp->mem.nframes, Pre); */
	/*@ assert usable_was: \forall integer f; fr_usable(c->sp->fa, f) ==> fr_usable{Pre}(c->sp->fa, f); */
	/*@ assert usable_pre: \forall integer f; fr_usable(c->sp->fa, f) ==>
	      \at(\separated(c->sp->mem.words + (f * 512 .. f * 512 + 511), XPT_FRAMES_META(c->sp->fa)), Pre); */
	/*@ assert usable: \forall integer f; fr_usable(c->sp->fa, f) ==>
	      \separated(c->sp->mem.words + (f * 512 .. f * 512 + 511), XPT_FRAMES_META(c->sp->fa)); */
	//@ ghost frames_apart(c->sp);
}

/*
 * Put a new table below the entry at `level` for va: empty, or filled
 * with the pieces of the huge leaf `split`.  The check pass only counts
 * it.  The table the entry is in (`parent`) is in use, so the frame the
 * allocator hands out is another: the stores cannot hit each other.
 */
/*@ requires \valid(c) && XPT_SPACE_WRITABLE(c->sp) && map_frames_apart(c->sp);
    requires \separated(c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1),
                        XPT_FRAMES_META(c->sp->fa));
    requires 2 <= level <= c->sp->levels;
    requires split != 0 ==> level <= 3 && map_flush_apart(c);
    requires parent: c->commit ==> !c->path[level].virt && c->path[level].table < c->sp->mem.nframes &&
      !fr_free(c->sp->fa, c->path[level].table) &&
      \separated(c->sp->mem.words + (c->path[level].table * 512 .. c->path[level].table * 512 + 511),
                 XPT_FRAMES_META(c->sp->fa));
    assigns c->valid, c->tables, c->path[level - 1],
            c->sp->mem.words[0 .. c->sp->mem.nframes * 512 - 1],
            c->sp->fa->nfree, c->sp->fa->free4k.w[0 .. c->sp->fa->free4k.off[BMP_TOP]],
            c->sp->fa->free2m.w[0 .. c->sp->fa->free2m.off[BMP_TOP]],
            c->sp->fa->free1g.w[0 .. c->sp->fa->free1g.off[BMP_TOP]],
            c->fl->npages, c->fl->all, c->fl->va[0 .. XPT_FLUSH_PAGES - 1], c->fl->global;
    ensures c->valid == level - 1;
    ensures fixed: split == 0 ==> MAP_FIXED(c, Pre);
    behavior check:
      assumes !c->commit;
      ensures held: \forall integer l; level <= l <= XPT_MAX_LEVELS ==>
        c->path[l].table == \old(c->path[l].table) && c->path[l].virt == \old(c->path[l].virt) &&
        c->path[l].split == \old(c->path[l].split);
      ensures \result == XPT_OK && c->tables == (uint64_t)(\old(c->tables) + 1);
      ensures virtual: c->path[level - 1].virt && c->path[level - 1].split == split;
      ensures words: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
        c->sp->mem.words[k] == \old(c->sp->mem.words[k]);
      ensures frames: c->sp->fa->nfree == \old(c->sp->fa->nfree);
      ensures apart: map_frames_apart(c->sp);
    behavior commit:
      assumes c->commit;
      ensures held: \result == XPT_OK && split == 0 ==> \forall integer l; level <= l <= XPT_MAX_LEVELS ==>
        c->path[l].table == \old(c->path[l].table) && c->path[l].virt == \old(c->path[l].virt) &&
        c->path[l].split == \old(c->path[l].split);
      ensures \result == XPT_OK || \result == XPT_E_NOMEM;
      ensures frames: split == 0 ==> map_frames_apart(c->sp);
      ensures taken: \result == XPT_OK && split == 0 ==> \let t = c->path[level - 1].table;
        !fr_free(c->sp->fa, t) &&
        \forall integer g; g != t ==> (fr_free(c->sp->fa, g) <==> fr_free{Pre}(c->sp->fa, g));
      ensures made: \result == XPT_OK ==> \let t = c->path[level - 1].table;
        !c->path[level - 1].virt && c->path[level - 1].split == 0 && t < \old(c->sp->mem.nframes) &&
        fr_free{Pre}(c->sp->fa, t);
      ensures linked: \result == XPT_OK ==>
        c->sp->mem.words[\old(c->path[level].table) * 512 + pg_idx(va, level)] ==
          xpt_table_entry(c->path[level - 1].table);
      ensures empty: \result == XPT_OK && split == 0 ==> \let t = c->path[level - 1].table;
        \forall integer k; t * 512 <= k < t * 512 + 512 ==> c->sp->mem.words[k] == 0;
      ensures others: \result == XPT_OK ==> \let t = c->path[level - 1].table;
        \forall integer k; 0 <= k < c->sp->mem.nframes * 512 && !(t * 512 <= k < t * 512 + 512) &&
          k != \old(c->path[level].table) * 512 + pg_idx(va, level) &&
          \old(\separated(c->sp->mem.words + k, XPT_FRAMES_META(c->sp->fa))) ==>
          c->sp->mem.words[k] == \old(c->sp->mem.words[k]);
      // Below an absent entry on the walk of va, in tables that form a
      // tree and are the allocator's, with its memory outside the window:
      // the new table hangs there as spec/paging.h's pg_link says, so the
      // tables stay a tree (link_tree) and every walk reaches what it did,
      // or the new table (link_reached).
      ensures link: \result == XPT_OK && split == 0 && MAP_LINKS(c, level, va) ==>
        pg_link{Pre, Post}(XPT_SPACE_WALK(c->sp), \old(c->sp->mem.nframes), va, level,
                           \old(c->path[level].table) * 512 + pg_idx(va, level),
                           c->path[level - 1].table);
      // ... and the tables the walks reach are still the allocator's: the
      // ones they reached before, or the new one, now used.
      ensures owned: \result == XPT_OK && split == 0 && MAP_LINKS(c, level, va) ==>
        map_owned(c->sp);
    complete behaviors;
    disjoint behaviors;
*/
static int new_table(struct cursor *c, unsigned level, uint64_t va, uint64_t split)
{
	c->valid = level - 1u;
	if (!c->commit) {
		/*@ assert counted_apart: \separated(&c->tables, &c->path[level - 1], &c->sp->fa->nfree,
		      c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1)); */
		count_table(c, level, split);
		/*@ assert counted_fixed: MAP_FIXED(c, Pre); */
		/*@ assert counted_held: \forall integer l; level <= l <= XPT_MAX_LEVELS ==>
	      c->path[l].table == \at(c->path[l].table, Pre) && c->path[l].virt == \at(c->path[l].virt, Pre) &&
	      c->path[l].split == \at(c->path[l].split, Pre); */
		return XPT_OK;
	}
	uint64_t *entry = slot(c, level, va);
	/* What the allocator writes is apart from what the hanging reads. */
	/*@ assert fields_apart: \separated(&c->path[level].table, &c->sp->mem.nframes,
	      XPT_FRAMES_META(c->sp->fa)); */
	/*@ assert path_apart: \forall integer l; level <= l <= XPT_MAX_LEVELS ==>
	      \separated(&c->path[l].table, &c->path[l].split, XPT_FRAMES_META(c->sp->fa)); */
	xpt_pfn t = take_frame(c->sp);
	/*@ assert taken_fixed: MAP_FIXED(c, Pre); */
	/*@ assert taken_held: \forall integer l; level <= l <= XPT_MAX_LEVELS ==>
	      c->path[l].table == \at(c->path[l].table, Pre) && c->path[l].virt == \at(c->path[l].virt, Pre) &&
	      c->path[l].split == \at(c->path[l].split, Pre); */
	if (t == NO_FRAME)
		return XPT_E_NOMEM; /* unreachable: the check pass reserved it */
	/*@ assert taken: c->path[level].table == \at(c->path[level].table, Pre) &&
	      c->sp->mem.nframes == \at(c->sp->mem.nframes, Pre); */
	/* The allocation wrote no word of the window apart from it. */
	/*@ assert taken_words: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 &&
	      \at(\separated(c->sp->mem.words + k, XPT_FRAMES_META(c->sp->fa)), Pre) ==>
	      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Pre); */
	/*@ assert link_apart: \at(\separated(c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1),
	                                     XPT_FRAMES_META(c->sp->fa)), Pre) ==>
	      \forall integer k; 0 <= k < \at(c->sp->mem.nframes, Pre) * 512 ==>
	      \at(\separated(c->sp->mem.words + k, XPT_FRAMES_META(c->sp->fa)), Pre); */
	/*@ assert link_taken: \at(\separated(c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1),
	                                     XPT_FRAMES_META(c->sp->fa)), Pre) ==>
	      \forall integer k; 0 <= k < \at(c->sp->mem.nframes, Pre) * 512 ==>
	      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Pre); */
	/*@ ghost Taken: ; */
	if (split) {
		hang_split(c, entry, level, va, t, split);
	} else {
		hang_empty(c, level, va, t);
		/*@ assert empty_fixed: MAP_FIXED(c, Pre); */
		/*@ assert empty_held: \forall integer l; level <= l <= XPT_MAX_LEVELS ==>
		      c->path[l].table == \at(c->path[l].table, Pre) && c->path[l].virt == \at(c->path[l].virt, Pre) &&
		      c->path[l].split == \at(c->path[l].split, Pre); */
	}
	/*@ assert hung_fixed: split == 0 ==> MAP_FIXED(c, Pre); */
	/*@ assert hung_held: split == 0 ==> \forall integer l; level <= l <= XPT_MAX_LEVELS ==>
	      c->path[l].table == \at(c->path[l].table, Pre) && c->path[l].virt == \at(c->path[l].virt, Pre) &&
	      c->path[l].split == \at(c->path[l].split, Pre); */
	/* pg_link, part by part (as one predicate the provers do not unfold
	 * it), in the space's fields as they were: t was free, so no walk
	 * reached it (map_owned); it lies below MAXPHYADDR, so the new entry
	 * leads to it (table_entry_goes). */
	/*@ assert link_fresh: map_owned{Pre}(c->sp) ==>
	      t < \at(c->sp->mem.nframes, Pre) && t < (1 << (\at(c->sp->maxphyaddr, Pre) - 12)) &&
	      pg_unreached{Pre}(XPT_SPACE_AT(c->sp, Pre), \at(c->sp->mem.nframes, Pre), t); */
	/*@ assert link_entry: c->sp->mem.words[\at(c->path[level].table, Pre) * 512 + pg_idx(va, level)] ==
	      xpt_table_entry(t); */
	/*@ assert link_leads: map_owned{Pre}(c->sp) ==>
	      map_entry_leads(t, level, XPT_SPACE_FLAGS(\at(c->sp->levels, Pre)), \at(c->sp->maxphyaddr, Pre)); */
	/*@ assert link_goes: map_owned{Pre}(c->sp) ==>
	      !pg_stop(c->sp->mem.words[\at(c->path[level].table, Pre) * 512 + pg_idx(va, level)], level,
	               XPT_SPACE_FLAGS(\at(c->sp->levels, Pre)), \at(c->sp->maxphyaddr, Pre)) &&
	      pg_next(c->sp->mem.words[\at(c->path[level].table, Pre) * 512 + pg_idx(va, level)],
	              \at(c->sp->maxphyaddr, Pre)) == t; */
	/*@ assert link_zero: split == 0 ==> \forall integer i; t * 512 <= i < t * 512 + 512 ==>
	      c->sp->mem.words[i] == 0; */
	/*@ assert link_empty: split == 0 ==> \forall integer i; t * 512 <= i < t * 512 + 512 ==>
	      pg_absent(c->sp->mem.words[i]); */
	/*@ assert link_hung: \forall integer k; 0 <= k < \at(c->sp->mem.nframes, Pre) * 512 &&
	      !(t * 512 <= k < t * 512 + 512) && k != \at(c->path[level].table, Pre) * 512 + pg_idx(va, level) ==>
	      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Taken); */
	/*@ assert link_others: \at(\separated(c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1),
	                                      XPT_FRAMES_META(c->sp->fa)), Pre) ==>
	      \forall integer i; 0 <= i < \at(c->sp->mem.nframes, Pre) * 512 &&
	      i != \at(c->path[level].table, Pre) * 512 + pg_idx(va, level) && !(t * 512 <= i < t * 512 + 512) ==>
	      \at(c->sp->mem.words[i], Pre) == c->sp->mem.words[i]; */
	/*@ assert link_pre: map_at_walk{Pre}(c, level, va) ==>
	      13 <= \at(c->sp->maxphyaddr, Pre) <= 52 && 2 <= level &&
	      pg_tree{Pre}(XPT_SPACE_AT(c->sp, Pre), \at(c->sp->mem.nframes, Pre)) &&
	      pg_reaches{Pre}(XPT_SPACE_AT(c->sp, Pre), \at(c->sp->mem.nframes, Pre), va, level) &&
	      \at(c->path[level].table, Pre) * 512 + pg_idx(va, level) ==
	        pg_table{Pre}(XPT_SPACE_AT(c->sp, Pre), va, level) * 512 + pg_idx(va, level); */
	//@ assert entered_t: c->path[level - 1].table == t;
	//@ assert entered_n: c->sp->mem.nframes == \at(c->sp->mem.nframes, Pre);
	/* Every walk reaches a table it reached before (not t, not free then,
	 * so not free now) or t (used now). */
	/*@ assert sp_fixed: c->sp->root == \at(c->sp->root, Pre) && c->sp->levels == \at(c->sp->levels, Pre) &&
	      c->sp->maxphyaddr == \at(c->sp->maxphyaddr, Pre) && c->sp->mem.words == \at(c->sp->mem.words, Pre) &&
	      (split == 0 ==> c->sp->fa->nframes == \at(c->sp->fa->nframes, Pre)); */
	/*@ assert free_now: split == 0 ==> !fr_free(c->sp->fa, t) &&
	      \forall integer g; g != t ==> (fr_free(c->sp->fa, g) <==> fr_free{Pre}(c->sp->fa, g)); */
	/*@ assert owned_link: split == 0 && MAP_LINKS(c, level, va) ==>
	      pg_link{Pre, Here}(XPT_SPACE_AT(c->sp, Pre), \at(c->sp->mem.nframes, Pre), va, level,
	                         \at(c->path[level].table, Pre) * 512 + pg_idx(va, level), t); */
	/*@ assert owned_at: split == 0 && MAP_LINKS(c, level, va) ==> \forall integer v, K;
	      pg_reaches{Here}(XPT_SPACE_AT(c->sp, Pre), \at(c->sp->mem.nframes, Pre), v, K) ==>
	      pg_link_at{Pre, Here}(XPT_SPACE_AT(c->sp, Pre), \at(c->sp->mem.nframes, Pre), va, level, t, v, K); */
	/*@ assert owned_free: split == 0 && MAP_LINKS(c, level, va) ==> \forall integer v, K;
	      pg_reaches{Here}(XPT_SPACE_AT(c->sp, Pre), \at(c->sp->mem.nframes, Pre), v, K) ==>
	      !fr_free(c->sp->fa, pg_table{Here}(XPT_SPACE_AT(c->sp, Pre), v, K)); */
	/*@ assert kept_others: \forall integer k; 0 <= k < \at(c->sp->mem.nframes, Pre) * 512 &&
	      !(t * 512 <= k < t * 512 + 512) && k != \at(c->path[level].table, Pre) * 512 + pg_idx(va, level) &&
	      \at(\separated(c->sp->mem.words + k, XPT_FRAMES_META(c->sp->fa)), Pre) ==>
	      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Pre); */
	return XPT_OK;
}

/* Whether table t maps nothing: every entry zero. */
/*@ requires \valid_read(c) && XPT_SPACE_READABLE(c->sp) && t < c->sp->mem.nframes;
    assigns \nothing;
    ensures \result <==> \forall integer k; t * 512 <= k < t * 512 + 512 ==> c->sp->mem.words[k] == 0;
*/
static bool table_empty(const struct cursor *c, xpt_pfn t)
{
	/*@ loop invariant 0 <= i <= 512;
	    loop invariant \forall integer k; t * 512 <= k < t * 512 + i ==> c->sp->mem.words[k] == 0;
	    loop assigns i;
	    loop variant 512 - i;
	*/
	for (unsigned i = 0; i < XPT_ENTRIES; i++)
		if (c->sp->mem.words[xpt_slot(t, i)] != 0)
			return false;
	return true;
}

/*
 * The commit pass of an unmap with XPT_OPT_FREE_TABLES has moved off the
 * table at `level` that held va: give it back when it maps nothing any
 * more and is the allocator's.  The entry above is cleared and goes into
 * the flush record (the TLB may cache the path through it).  Returns
 * whether it gave the table back.
 */
/*@ requires \valid(c) && XPT_SPACE_WRITABLE(c->sp) && c->commit;
    requires map_frames_apart(c->sp) && map_flush_apart(c);
    requires \separated(c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1),
                        XPT_FRAMES_META(c->sp->fa));
    requires 1 <= level < c->sp->levels;
    requires !c->path[level].virt ==> c->path[level].table < c->sp->mem.nframes;
    requires !c->path[level + 1].virt && c->path[level + 1].table < c->sp->mem.nframes &&
      \separated(c->sp->mem.words + (c->path[level + 1].table * 512 ..
                                     c->path[level + 1].table * 512 + 511),
                 XPT_FRAMES_META(c->sp->fa));
    assigns c->sp->mem.words[c->path[level + 1].table * 512 + pg_idx(va, level + 1)],
            c->sp->fa->nfree, c->sp->fa->free4k.w[0 .. c->sp->fa->free4k.off[BMP_TOP]],
            c->sp->fa->free2m.w[0 .. c->sp->fa->free2m.off[BMP_TOP]],
            c->sp->fa->free1g.w[0 .. c->sp->fa->free1g.off[BMP_TOP]],
            c->fl->npages, c->fl->all, c->fl->va[0 .. XPT_FLUSH_PAGES - 1], c->fl->global;
    ensures freed: \result ==> c->sp->fa->nfree == \old(c->sp->fa->nfree) + 1;
    ensures cleared: \result ==>
      c->sp->mem.words[\old(c->path[level + 1].table) * 512 + pg_idx(va, level + 1)] == 0;
    ensures flushed: \result && c->fl != \null ==>
      xpt_flush_covers(c->fl, va & (uint64_t)~(pg_size(level + 1) - 1) & 0xfffffffffffff000);
*/
static bool leave(struct cursor *c, unsigned level, uint64_t va)
{
	xpt_pfn t = c->path[level].table;
	unsigned up = level + 1u; /* the level of the entry that names t */
	//@ assert up == level + 1;
	if (c->path[level].virt || !table_empty(c, t))
		return false;
	/* What the allocator writes is apart from what the rest reads. */
	/*@ assert fields_apart: \separated(&c->path[up].table, &c->path[up].virt,
	      &c->sp, &c->fl, &c->commit, &c->sp->mem.nframes, &c->sp->mem.words,
	      &c->sp->fa, &c->sp->format, &c->sp->levels, &c->sp->maxphyaddr,
	      XPT_FRAMES_META(c->sp->fa)); */
	uint64_t *entry = slot(c, up, va);
	//@ assert slot_apart: \separated(&c->sp->fa->nfree, entry);
	//@ assert record_apart: c->fl != \null ==> \separated(c->fl, &c->sp->fa->nfree, entry);
	if (xpt_frame_free(c->sp->fa, t) != XPT_OK)
		return false; /* not ours (a raw entry): leave it in place */
	/*@ assert kept: c->path[up].table == \at(c->path[level + 1].table, Pre) &&
	      c->sp->mem.nframes == \at(c->sp->mem.nframes, Pre); */
	*entry = 0;
	/*@ ghost Written: ; */
	//@ assert record_apart_now: c->fl != \null ==> \separated(c->fl->va + (0 .. XPT_FLUSH_PAGES - 1), &c->sp->fa->nfree, entry);
	xpt_flush_add(c->fl, va & ~(xpt_level_bytes(up) - 1u));
	//@ assert recorded: c->sp->fa->nfree == \at(c->sp->fa->nfree, Written);
	//@ assert recorded_entry: *entry == 0;
	return true;
}

/* Whether a and b share the index of every level above `level`: the
 * table the walk of a reads at `level` is then the one b's reads. */
/*@ requires 1 <= level <= XPT_MAX_LEVELS;
    assigns \nothing;
    ensures \result <==> pg_same_above(a, b, level);
*/
static bool same_above(uint64_t a, uint64_t b, unsigned level)
{
	/*@ loop invariant level <= l <= XPT_MAX_LEVELS;
	    loop invariant \forall integer j; level < j <= l ==> pg_idx(a, j) == pg_idx(b, j);
	    loop assigns l;
	    loop variant XPT_MAX_LEVELS - l;
	*/
	for (unsigned l = level; l < XPT_MAX_LEVELS; l++)
		if (xpt_index(a, l + 1u) != xpt_index(b, l + 1u))
			return false;
	return true;
}

/*
 * Move the cursor from `from` to `to`: up to the lowest table that holds
 * both, or to the root when to == 0 (the range ended).  With free_tables
 * (the commit pass of an unmap with XPT_OPT_FREE_TABLES), every table it
 * moves off goes back to the allocator when it maps nothing.  The
 * contract covers the cursor alone, not free_tables yet.
 */
/*@ requires \valid(c) && XPT_SPACE_WRITABLE(c->sp) && \separated(c, c->sp);
    requires 1 <= c->valid <= c->sp->levels;
    requires keep: !free_tables;
    assigns c->valid;
    ensures up: \old(c->valid) <= c->valid <= c->sp->levels;
    ensures end: to == 0 ==> c->valid == c->sp->levels;
    ensures shared: to != 0 && c->valid < c->sp->levels ==> pg_same_above(from, to, c->valid);
    ensures unaligned: to != 0 && from < to && from / 144115188075855872 == to / 144115188075855872 &&
      c->valid < 3 ==> !pg_aligned(to, c->valid + 1);
*/
static void advance(struct cursor *c, uint64_t from, uint64_t to, bool free_tables)
{
	/*@ loop invariant \at(c->valid, Pre) <= level <= c->sp->levels && c->valid == level;
	    loop assigns level, c->valid;
	    loop variant c->sp->levels - level;
	*/
	for (unsigned level = c->valid; level < c->sp->levels; level++) {
		if (to != 0 && same_above(from, to, level))
			return;
		c->valid = level + 1u;
		if (free_tables)
			leave(c, level, from);
	}
}

/* ----------------------------------------------------------- the steps */

/* Whether the request lets a leaf of this size be used. */
/*@ requires \valid_read(op) && size <= XPT_1G;
    assigns \nothing;
    ensures forced: op->forced >= 0 ==> (\result <==> size == op->forced);
*/
static bool size_allowed(const struct op *op, unsigned size)
{
	if (op->forced >= 0)
		return (int)size == op->forced;
	if (size == XPT_1G)
		return !(op->opts & (XPT_OPT_NO_1G | XPT_OPT_NO_2M));
	if (size == XPT_2M)
		return !(op->opts & XPT_OPT_NO_2M);
	return true;
}

/* The leaf size to use at va: the largest allowed size that fits. */
/*@ requires \valid_read(op);
    assigns \nothing;
    ensures size: XPT_4K <= \result <= XPT_1G;
    ensures fits: \result != XPT_4K ==> \let bytes = pg_size(\result + 1);
      va % bytes == 0 && pa % bytes == 0 && left >= bytes;
    ensures forced: \result != XPT_4K && op->forced >= 0 ==> \result == op->forced;
*/
static unsigned map_size(const struct op *op, uint64_t va, uint64_t pa, uint64_t left)
{
	/*@ loop invariant XPT_4K <= size <= XPT_1G;
	    loop assigns size;
	    loop variant size;
	*/
	for (unsigned size = XPT_1G; size > XPT_4K; size--) {
		uint64_t bytes = xpt_size_bytes((enum xpt_size)size);
		if (size_allowed(op, size) && va % bytes == 0 && pa % bytes == 0 && left >= bytes)
			return size;
	}
	return XPT_4K;
}

/*
 * The run helpers index the window by absolute word, so that the solvers
 * see a quantified index bare inside w[k] (an index under + gives them no
 * term to instantiate on).
 */

/* The end of the run that starts at w[first]: the first index after it
 * that is `end` or holds a present entry. */
/*@ requires first < end <= first + 512 && \valid_read(w + (first .. end - 1));
    assigns \nothing;
    ensures first < \result <= end;
    ensures holes: \forall integer k; first < k < \result ==> !xpt_present(fmt, w[k]);
*/
static uint64_t run_end(unsigned fmt, const uint64_t *w, uint64_t first, uint64_t end)
{
	uint64_t k = first + 1u;
	/*@ loop invariant first < k <= end;
	    loop invariant holes: \forall integer j; first < j < k ==> !xpt_present(fmt, w[j]);
	    loop assigns k;
	    loop variant end - k;
	*/
	while (k < end && !xpt_fmt_present(fmt, w[k]))
		k++;
	return k;
}

/* How many leaves of `level` a run from va may take: to the end of va's
 * table and of the range, one when the size is forced. */
/*@ requires \valid_read(op) && 1 <= level <= 3 && left >= pg_size(level);
    assigns \nothing;
    ensures 1 <= \result <= 512 - pg_idx(va, level) && \result <= left / pg_size(level);
    ensures bytes: \result * pg_size(level) <= left;
*/
static unsigned run_room(const struct op *op, unsigned level, uint64_t va, uint64_t left)
{
	uint64_t bytes = xpt_level_bytes(level);
	unsigned n = XPT_ENTRIES - xpt_index(va, level);
	if (op->forced >= 0)
		n = 1;
	if (n > left / bytes)
		n = (unsigned)(left / bytes);
	return n;
}

/* Each word of a run is a leaf with the rights asked for of its own frame
 * (map_leaf_run): a ghost step, in whose small context the provers find
 * the instance for each word. */
/*@ ghost
  /@ requires \valid_read(c) && \valid_read(c->sp) && \valid_read(op) && first < end;
     requires \valid_read(c->sp->mem.words + (first .. end - 1));
     requires 1 <= level <= 3 && 13 <= c->sp->maxphyaddr <= 52;
     requires pa % 4096 == 0 && xpt_run_frame(pa, end - first, pg_size(level)) <= 0x10000000000000;
     requires words: c->commit && c->sp->format == XPT_FMT_X86 ==> \forall integer k; first <= k < end ==>
       c->sp->mem.words[k] == bits_leaf(xpt_run_frame(pa, k - first, pg_size(level)), f);
     requires flags: c->sp->format == XPT_FMT_X86 ==> map_run_flags(f, op->attr, level);
     assigns \nothing;
     ensures leaves: c->commit && c->sp->format == XPT_FMT_X86 ==> \forall integer k; first <= k < end ==>
       map_leaf(c->sp->mem.words[k], op->attr, level, xpt_run_frame(pa, k - first, pg_size(level)),
                c->sp->maxphyaddr);
     ensures p: c->commit && c->sp->format == XPT_FMT_X86 ==> \forall integer k; first <= k < end ==>
       pg_has(c->sp->mem.words[k], PG_P);
     ensures ps: c->commit && c->sp->format == XPT_FMT_X86 ==> \forall integer k; first <= k < end ==>
       level > 1 ==> pg_has(c->sp->mem.words[k], PG_PS); @/
  static void run_leaves(const struct cursor *c, const struct op *op, uint64_t first, uint64_t end,
                         unsigned level, uint64_t pa, uint64_t f) { }
*/

/*
 * Leaves of `level` for va, va + size, ... while the entries of the current
 * table are absent and the range lasts; returns how many.  The entry at va
 * is absent (map_descend's `absent`).  Inside a table no later address is
 * aligned to a larger page than the first, so the run loses no chance of a
 * huge page.  An entry found present ends the run; the next step reports it.
 */
/*@ requires \valid_read(c) && \valid_read(op) && XPT_SPACE_WRITABLE(c->sp) && map_frames_apart(c->sp);
    requires \separated(c, op, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires \separated(c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1), XPT_FRAMES_META(c->sp->fa));
    requires 1 <= level <= 3 && left >= pg_size(level);
    requires pa % 4096 == 0 && pa + left <= 0x10000000000000;
    requires !c->path[level].virt ==> c->path[level].table < c->sp->mem.nframes;
    assigns c->sp->mem.words[0 .. c->sp->mem.nframes * 512 - 1];
    ensures run: 1 <= \result <= 512 - pg_idx(va, level) && \result <= left / pg_size(level);
    ensures check: !c->commit || c->path[level].virt ==>
      \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
        c->sp->mem.words[k] == \old(c->sp->mem.words[k]);
    ensures leaves: c->commit && !c->path[level].virt && c->sp->format == XPT_FMT_X86 ==>
      \let base = c->path[level].table * 512 + pg_idx(va, level);
      \forall integer k; base <= k < base + \result ==>
        map_leaf(c->sp->mem.words[k], op->attr, level, xpt_run_frame(pa, k - base, pg_size(level)),
                 c->sp->maxphyaddr);
    ensures first: c->commit && !c->path[level].virt && c->sp->format == XPT_FMT_X86 ==>
      map_leaf(c->sp->mem.words[c->path[level].table * 512 + pg_idx(va, level)], op->attr, level,
               pa, c->sp->maxphyaddr);
    ensures holes: !c->path[level].virt ==>
      \let base = \old(c->path[level].table) * 512 + pg_idx(va, level);
      \forall integer k; base < k < base + \result ==>
        !xpt_present(c->sp->format, \old(c->sp->mem.words[k]));
    ensures others: !c->path[level].virt ==>
      \let base = \old(c->path[level].table) * 512 + pg_idx(va, level);
      \forall integer k; 0 <= k < c->sp->mem.nframes * 512 && !(base <= k < base + \result) ==>
        c->sp->mem.words[k] == \old(c->sp->mem.words[k]);
    ensures walks: map_at_walk{Pre}(c, level, va) ==> \forall uint64_t v;
      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) && !pg_in_run(va, level, \result, v) ==>
      pg_same_walk{Pre, Post}(XPT_SPACE_PGW(c->sp), v);
    ensures fixed: MAP_FIXED(c, Pre) && c->valid == \old(c->valid) &&
      c->path[level].table == \old(c->path[level].table) && c->path[level].virt == \old(c->path[level].virt);
    ensures apart: map_frames_apart(c->sp);
    ensures on_walk: \old(map_on_walk(c, level, va) && map_owned(c->sp)) ==>
      map_on_walk(c, level, va) && map_owned(c->sp);
    ensures cursor: \old(map_cursor_ok(c, level)) ==> map_cursor_ok(c, level);
    ensures real: \old(map_cursor_real(c, level)) ==> map_cursor_real(c, level);
*/
static unsigned fill_run(struct cursor *c, const struct op *op, unsigned level, uint64_t va,
                         uint64_t pa, uint64_t left)
{
	const struct level *l = &c->path[level];
	uint64_t bytes = xpt_level_bytes(level), first, end;
	unsigned n = run_room(op, level, va, left);
	if (l->virt)
		return n; /* a table the commit pass will create: all absent */
	first = xpt_slot(l->table, xpt_index(va, level));
	end = run_end(c->sp->format, c->sp->mem.words, first, first + n);
	/* The leaves differ only in their frames: the flags once, a frame each. */
	uint64_t flags = xpt_fmt_leaf(c->sp->format, 0, op->attr, level);
	//@ assert room: bytes == pg_size(level) && xpt_run_frame(pa, n, bytes) <= pa + left;
	//@ assert frames: xpt_run_frame(pa, end - first, bytes) <= 0x10000000000000;
	if (c->commit)
		xpt_store_leaves(c->sp->fa, c->sp->mem.words, first, end, flags, pa, bytes);
	/* The cursor lies apart from the window. */
	/*@ assert cursor_same: c->sp->levels == \at(c->sp->levels, Pre) &&
	      c->sp->mem.nframes == \at(c->sp->mem.nframes, Pre) &&
	      \forall integer k; 0 <= k <= XPT_MAX_LEVELS ==> c->path[k] == \at(c->path[k], Pre); */
	/*@ assert on_path: \forall integer l; 0 <= l <= XPT_MAX_LEVELS ==>
	      c->path[l].table == \at(c->path[l].table, Pre) && c->path[l].virt == \at(c->path[l].virt, Pre); */
	/* The allocator as it was, apart from the window as it was. */
	//@ assert fields: c->sp->fa->nframes <= c->sp->mem.nframes && xpt_frames_ok(c->sp->fa);
	//@ assert meta: \separated(c->sp, XPT_FRAMES_META(c->sp->fa));
	/*@ assert usable_pre: \forall integer f; fr_usable(c->sp->fa, f) ==>
	      \at(\separated(c->sp->mem.words + (f * 512 .. f * 512 + 511), XPT_FRAMES_META(c->sp->fa)), Pre); */
	/*@ assert usable: \forall integer f; fr_usable(c->sp->fa, f) ==>
	      \separated(c->sp->mem.words + (f * 512 .. f * 512 + 511), XPT_FRAMES_META(c->sp->fa)); */
	//@ ghost frames_apart(c->sp);
	/*@ assert kept_cursor: \at(map_cursor_ok(c, level), Pre) ==> map_cursor_ok(c, level); */
	/*@ assert kept_real: \at(map_cursor_real(c, level), Pre) ==> map_cursor_real(c, level); */
	/* The stores went into the run's entries alone: every walk that reads
	 * none of them is as it was (run_others). */
	//@ assert walks_m: 13 <= c->sp->maxphyaddr <= 52;
	//@ assert walks_first: first == c->path[level].table * 512 + pg_idx(va, level);
	//@ assert walks_n: pg_idx(va, level) + (end - first) <= 512;
	/*@ assert walks_fields: c->sp == \at(c->sp, Pre) && c->sp->root == \at(c->sp->root, Pre) &&
	      c->sp->levels == \at(c->sp->levels, Pre) && c->sp->maxphyaddr == \at(c->sp->maxphyaddr, Pre) &&
	      c->sp->mem.nframes == \at(c->sp->mem.nframes, Pre) && c->sp->mem.words == \at(c->sp->mem.words, Pre); */
	/*@ assert walks_at: map_at_walk{Pre}(c, level, va) ==> \at(
	      pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes) &&
	      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, level) &&
	      pg_table(XPT_SPACE_PGW(c->sp), va, level) == c->path[level].table, Pre); */
	/*@ assert walks_words: \forall integer i; 0 <= i < c->sp->mem.nframes * 512 &&
	      !(first <= i < end) ==> c->sp->mem.words[i] == \at(c->sp->mem.words[i], Pre); */
	/*@ assert walks: map_at_walk{Pre}(c, level, va) ==> \forall uint64_t v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
	      !pg_in_run(va, level, end - first, v) ==>
	      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v); */
	/* Each word is a leaf of its own frame: each ends the walks that read
	 * it at this level. */
	/*@ assert words: c->commit && c->sp->format == XPT_FMT_X86 ==> \forall integer k; first <= k < end ==>
	      c->sp->mem.words[k] == bits_leaf(xpt_run_frame(pa, k - first, pg_size(level)), flags); */
	//@ ghost run_leaves(c, op, first, end, level, pa, flags);
	/*@ assert stops: c->commit && c->sp->format == XPT_FMT_X86 ==> \forall integer k; first <= k < end ==>
	      pg_has(c->sp->mem.words[k], PG_P) && pg_leaf(c->sp->mem.words[k], level); */
	/*@ assert stop: c->commit && c->sp->format == XPT_FMT_X86 ==> \forall integer k; first <= k < end ==>
	      pg_stop(c->sp->mem.words[k], level, XPT_SPACE_FLAGS(c->sp->levels), c->sp->maxphyaddr); */
	/*@ assert kept_words: \forall integer i; 0 <= i < c->sp->mem.nframes * 512 &&
	      !(c->commit && first <= i < end) ==> c->sp->mem.words[i] == \at(c->sp->mem.words[i], Pre); */
	/*@ assert t_in: map_at_walk{Pre}(c, level, va) ==>
	      c->path[level].table < c->sp->mem.nframes && c->sp->format == XPT_FMT_X86 &&
	      first == c->path[level].table * 512 + pg_idx(va, level); */
	/* The run's table is reached at this level alone (pg_tree). */
	/*@ assert once: map_at_walk{Pre}(c, level, va) ==> \forall integer v, K;
	      pg_reaches{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v, K) &&
	      pg_table{Pre}(XPT_SPACE_PGW(c->sp), v, K) == c->path[level].table ==> K == level; */
	/*@ assert filled_words: map_at_walk{Pre}(c, level, va) ==>
	      \let t = c->path[level].table; \forall integer i; t * 512 <= i < t * 512 + 512 ==>
	      c->sp->mem.words[i] == \at(c->sp->mem.words[i], Pre) ||
	      pg_stop(c->sp->mem.words[i], level, XPT_SPACE_FLAGS(c->sp->levels), c->sp->maxphyaddr); */
	/*@ assert filled_outside: map_at_walk{Pre}(c, level, va) ==>
	      \let t = c->path[level].table; \forall integer i; 0 <= i < c->sp->mem.nframes * 512 &&
	      !(t * 512 <= i < t * 512 + 512) ==> c->sp->mem.words[i] == \at(c->sp->mem.words[i], Pre); */
	/*@ assert filled_here: map_at_walk{Pre}(c, level, va) ==>
	      pg_filled{Pre, Here}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, c->path[level].table, level); */
	/* So a walk reaches what it reached before, through the same tables:
	 * the tables stay a tree the allocator owns, and the cursor stays on
	 * va's walk (pg_in_table). */
	//@ assert on_at: \at(map_on_walk(c, level, va), Pre) ==> map_at_walk{Pre}(c, level, va);
	/*@ assert on_reach: map_at_walk{Pre}(c, level, va) ==> \forall integer v, K;
	      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v, K) ==>
	      pg_reaches{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v, K) &&
	      pg_table(XPT_SPACE_PGW(c->sp), v, K) == pg_table{Pre}(XPT_SPACE_PGW(c->sp), v, K); */
	/*@ assert on_owned: \at(map_on_walk(c, level, va) && map_owned(c->sp), Pre) ==>
	      map_owned(c->sp); */
	/*@ assert on_in: map_at_walk{Pre}(c, level, va) ==>
	      pg_in_table{Pre, Here}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, level); */
	//@ assert on_top: pg_top(XPT_SPACE_FLAGS(c->sp->levels)) == c->sp->levels;
	/*@ assert on_levels: map_at_walk{Pre}(c, level, va) ==> \forall integer l; level <= l <= c->sp->levels ==>
	      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, l) &&
	      pg_table(XPT_SPACE_PGW(c->sp), va, l) == pg_table{Pre}(XPT_SPACE_PGW(c->sp), va, l); */
	/*@ assert on_each: \at(map_on_walk(c, level, va), Pre) ==> \forall integer l; level <= l <= c->sp->levels ==>
	      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, l) &&
	      pg_table(XPT_SPACE_PGW(c->sp), va, l) == c->path[l].table && !c->path[l].virt; */
	//@ assert first: xpt_run_frame(pa, 0, pg_size(level)) == pa;
	return (unsigned)(end - first);
}

/* What the commit pass of a map needs of the space at va: x86 tables, the
 * cursor's levels on va's walk (real ones), and the tables the walks
 * reach the allocator's. */
#define MAP_STEP_WALK(c, va)                                                      \
  ((c)->sp->format == XPT_FMT_X86 && map_cursor_real(c, (c)->valid) &&            \
   map_on_walk(c, (c)->valid, va) && map_owned((c)->sp))

/* What a step of a map needs of its cursor and space: the allocator's
 * memory apart from the space, the window, the cursor and the flush
 * record; the cursor's levels described (map_cursor_ok); and on x86 in the
 * commit pass, the cursor on va's walk. */
#define MAP_STEP_PRE(c, va)                                                       \
  \valid(c) && XPT_SPACE_WRITABLE((c)->sp) && map_frames_apart((c)->sp) &&        \
  map_flush_place(c) &&                                                           \
  \separated(c, (c)->sp, (c)->sp->mem.words + (0 .. (c)->sp->mem.nframes * 512 - 1), \
             XPT_FRAMES_META((c)->sp->fa)) &&                                     \
  map_cursor_ok(c, (c)->valid) && ((c)->commit ==> MAP_STEP_WALK(c, va))

/* What a step of a map may write: the cursor, the window, the allocator's
 * free maps and the flush record, with their ends as at L. */
#define MAP_STEP_WRITES(c, L)                                                     \
  (c)->valid, (c)->tables, (c)->path[1 .. XPT_MAX_LEVELS],                         \
  (c)->sp->mem.words[0 .. \at((c)->sp->mem.nframes, L) * 512 - 1],                 \
  (c)->sp->fa->nfree, (c)->sp->fa->free4k.w[0 .. \at((c)->sp->fa->free4k.off[BMP_TOP], L)], \
  (c)->sp->fa->free2m.w[0 .. \at((c)->sp->fa->free2m.off[BMP_TOP], L)],            \
  (c)->sp->fa->free1g.w[0 .. \at((c)->sp->fa->free1g.off[BMP_TOP], L)],            \
  (c)->fl->npages, (c)->fl->all, (c)->fl->va[0 .. XPT_FLUSH_PAGES - 1], (c)->fl->global

/* What a step of a map keeps since label L: the space, the pass, the
 * allocator's soundness and, in the check pass, every word of the window. */
#define MAP_STEP_KEPT(c, L)                                                       \
  MAP_FIXED(c, L) && map_frames_apart((c)->sp) &&                                \
  (!(c)->commit ==> \forall integer k; 0 <= k < (c)->sp->mem.nframes * 512 ==>    \
     (c)->sp->mem.words[k] == \at((c)->sp->mem.words[k], L))

/* map_cursor_ok from its parts, the level `from` and those above it: a
 * ghost step, so that the provers fold it in a context of its own. */
/*@ ghost
  /@ requires \valid_read(c) && \valid_read(c->sp) && from <= XPT_MAX_LEVELS;
     requires below: c->path[from].virt ? c->path[from].split == 0 :
                                          c->path[from].table < c->sp->mem.nframes;
     requires up: \forall integer l; from + 1 <= l <= c->sp->levels ==>
       (!c->path[l].virt ==> c->path[l].table < c->sp->mem.nframes) &&
       (c->path[l].virt ==> c->path[l].split == 0);
     assigns \nothing;
     ensures map_cursor_ok(c, from); @/
  static void cursor_ok_fold(struct cursor *c, unsigned from) { }
*/

/* One level down from the cursor's `level` at va, whose entry there is e:
 * into the table e names when present, else into a new table (the check
 * pass only counts it). */
/*@ requires MAP_STEP_PRE(c, va) && 2 <= level == c->valid <= c->sp->levels;
    requires entry: !c->path[level].virt ==>
      e == c->sp->mem.words[c->path[level].table * 512 + pg_idx(va, level)];
    requires none: c->path[level].virt ==> e == 0;
    requires table: xpt_present(c->sp->format, e) && level <= 3 ==> !pg_leaf(e, level);
    assigns MAP_STEP_WRITES(c, Pre);
    ensures errors: \result == XPT_OK || \result == XPT_E_RSVD_BITS || \result == XPT_E_WINDOW ||
      \result == XPT_E_NOMEM;
    ensures kept: MAP_STEP_KEPT(c, Pre);
    ensures down: \result == XPT_OK ==> c->valid == level - 1 && MAP_STEP_PRE(c, va);
    ensures outcome: \result == XPT_OK && c->commit ==> \forall uint64_t v;
      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) ==>
      pg_same_outcome{Pre, Post}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v);
*/
static int map_down(struct cursor *c, unsigned level, uint64_t va, uint64_t e)
{
	/*@ assert on: c->commit ==> map_at_walk(c, level, va) &&
	      e == pg_entry(XPT_SPACE_PGW(c->sp), va, level); */
	if (!present(c, e)) {
		/*@ assert links: c->commit ==> MAP_LINKS(c, level, va); */
		int made = new_table(c, level, va, 0);
		/* va's walk as before down to `level`, then into the new table
		 * (MapHung). */
		/*@ assert made_link: c->commit && made == XPT_OK ==>
		      pg_link{Pre, Here}(XPT_SPACE_AT(c->sp, Pre), \at(c->sp->mem.nframes, Pre), va, level,
		                         \at(c->path[level].table, Pre) * 512 + pg_idx(va, level),
		                         c->path[level - 1].table); */
		/*@ assert made_hung: c->commit && made == XPT_OK ==>
		      map_hung{Here}(XPT_SPACE_AT(c->sp, Pre), \at(c->sp->mem.nframes, Pre), va, level,
		                     c->path[level - 1].table); */
		/* Every other walk has the outcome it had (hung_outcome). */
		/*@ assert made_outcome: c->commit && made == XPT_OK &&
		      map_hung{Here}(XPT_SPACE_AT(c->sp, Pre), \at(c->sp->mem.nframes, Pre), va, level,
		                     c->path[level - 1].table) ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(\at(c->sp->levels, Pre)), v) &&
		      !pg_window{Pre}(XPT_SPACE_AT(c->sp, Pre), \at(c->sp->mem.nframes, Pre), v) ==>
		      pg_same_outcome{Pre, Here}(XPT_SPACE_AT(c->sp, Pre), \at(c->sp->mem.nframes, Pre), v); */
		/*@ assert made_above: c->commit && made == XPT_OK ==> \forall integer J;
		      level <= J <= c->sp->levels ==>
		      pg_table{Here}(XPT_SPACE_AT(c->sp, Pre), va, J) == pg_table{Pre}(XPT_SPACE_AT(c->sp, Pre), va, J); */
		/*@ assert made_tree: c->commit && made == XPT_OK ==>
		      pg_tree{Here}(XPT_SPACE_AT(c->sp, Pre), \at(c->sp->mem.nframes, Pre)); */
		//@ assert made_fields: MAP_FIXED(c, Pre);
		/*@ assert made_held: made == XPT_OK ==> \forall integer l; level <= l <= XPT_MAX_LEVELS ==>
		      c->path[l].table == \at(c->path[l].table, Pre) && c->path[l].virt == \at(c->path[l].virt, Pre) &&
		      c->path[l].split == \at(c->path[l].split, Pre); */
		/*@ assert made_at: c->commit && made == XPT_OK ==> map_at_walk(c, level - 1, va); */
		/*@ assert made_reach_up: c->commit && made == XPT_OK ==> \forall integer l; level <= l <= c->sp->levels ==>
		      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, l); */
		/*@ assert made_tables: c->commit && made == XPT_OK ==> \forall integer l; level <= l <= c->sp->levels ==>
		      !c->path[l].virt && pg_table(XPT_SPACE_PGW(c->sp), va, l) == c->path[l].table; */
		/*@ assert made_upper: c->commit && made == XPT_OK ==> map_on_walk(c, level, va); */
		/*@ assert made_on: c->commit && made == XPT_OK ==> map_on_walk(c, level - 1, va); */
		//@ assert made_frames: map_frames_apart(c->sp);
		/*@ assert made_below: made == XPT_OK ==> c->valid == level - 1 &&
		      (c->path[level - 1].virt ? c->path[level - 1].split == 0 :
		                                 c->path[level - 1].table < c->sp->mem.nframes); */
		/*@ assert made_cursor_pre: \forall integer l; level <= l <= c->sp->levels ==>
		      (!\at(c->path[l].virt, Pre) ==> \at(c->path[l].table, Pre) < c->sp->mem.nframes) &&
		      (\at(c->path[l].virt, Pre) ==> \at(c->path[l].split, Pre) == 0); */
		/*@ assert made_cursor_up: made == XPT_OK ==> \forall integer l; level <= l <= c->sp->levels ==>
		      (!c->path[l].virt ==> c->path[l].table < c->sp->mem.nframes) &&
		      (c->path[l].virt ==> c->path[l].split == 0); */
		/* Folded in a context of its own (cursor_ok_fold): here the
		 * provers lose it among the space's facts. */
		//@ ghost if (made == XPT_OK) cursor_ok_fold(c, level - 1u);
		//@ assert made_cursor: made == XPT_OK ==> map_cursor_ok(c, level - 1);
		//@ assert made_real: made == XPT_OK && c->commit ==> map_cursor_real(c, level - 1);
		//@ assert made_owned: made == XPT_OK && c->commit ==> map_owned(c->sp);
		//@ assert made_kept: MAP_STEP_KEPT(c, Pre);
		/*@ assert made_place: XPT_SPACE_WRITABLE(c->sp) && map_flush_place(c) &&
		      \separated(c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1),
		                 XPT_FRAMES_META(c->sp->fa)); */
		//@ assert made_down: made == XPT_OK ==> c->valid == level - 1 && MAP_STEP_PRE(c, va);
		return made;
	}
	int err = enter_error(c, level, e);
	if (err != XPT_OK)
		return err;
	/*@ assert go: c->commit ==> pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes) &&
	      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, level - 1) &&
	      pg_table(XPT_SPACE_PGW(c->sp), va, level - 1) == pg_next(e, c->sp->maxphyaddr); */
	enter_table(c, level, xpt_entry_frame(e, c->sp->maxphyaddr));
	c->valid = level - 1u;
	/* The window is as it was: every walk in it is too (pg_cut, x kept). */
	//@ assert kept: pg_cut{Pre, Here}(c->sp->mem.words, c->sp->mem.nframes, 0);
	//@ assert back: pg_cut{Here, Pre}(c->sp->mem.words, c->sp->mem.nframes, 0);
	/*@ assert entered_outcome: c->commit ==> \forall uint64_t v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) ==>
	      pg_same_outcome{Pre, Here}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
	/*@ assert entered_held: \forall integer l; level <= l <= XPT_MAX_LEVELS ==>
	      c->path[l].table == \at(c->path[l].table, Pre) && c->path[l].virt == \at(c->path[l].virt, Pre) &&
	      c->path[l].split == \at(c->path[l].split, Pre); */
	//@ assert entered_fields: MAP_FIXED(c, Pre);
	/*@ assert entered_tree: c->commit ==> pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes); */
	/*@ assert entered_reaches: c->commit ==>
	      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, level - 1); */
	/*@ assert entered_reach_up: c->commit ==> \forall integer l; level - 1 <= l <= c->sp->levels ==>
	      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, l); */
	/*@ assert entered_tables: c->commit ==> \forall integer l; level - 1 <= l <= c->sp->levels ==>
	      pg_table(XPT_SPACE_PGW(c->sp), va, l) == pg_table{Pre}(XPT_SPACE_PGW(c->sp), va, l); */
	/*@ assert entered: c->commit ==> pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes) &&
	      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, level - 1) &&
	      pg_table(XPT_SPACE_PGW(c->sp), va, level - 1) == c->path[level - 1].table; */
	/*@ assert entered_at: c->commit ==> map_at_walk(c, level - 1, va); */
	/*@ assert entered_upper: c->commit ==> map_on_walk(c, level, va); */
	/*@ assert entered_on: c->commit ==> map_on_walk(c, level - 1, va); */
	/*@ assert entered_below: c->valid == level - 1 && !c->path[level - 1].virt &&
	      c->path[level - 1].table < c->sp->mem.nframes; */
	//@ assert entered_cursor: map_cursor_ok(c, level - 1);
	//@ assert entered_real: c->commit ==> map_cursor_real(c, level - 1);
	/*@ assert entered_free: \forall integer g; fr_free(c->sp->fa, g) <==> fr_free{Pre}(c->sp->fa, g); */
	/*@ assert entered_back: \forall integer v, K;
	      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v, K) ==>
	      pg_reaches{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v, K) &&
	      pg_table(XPT_SPACE_PGW(c->sp), v, K) == pg_table{Pre}(XPT_SPACE_PGW(c->sp), v, K); */
	//@ assert entered_owned: c->commit ==> map_owned(c->sp);
	//@ assert entered_kept: MAP_STEP_KEPT(c, Pre);
	//@ assert entered_down: c->valid == level - 1 && MAP_STEP_PRE(c, va);
	return XPT_OK;
}

/* level_verdict's answer for a leaf to go at `level` (not an error code). */
#define MAP_HERE (-1)

/* What map_descend does at `level`, whose entry for va is e, when it
 * wants a leaf at level want + 1: put it here (an absent entry there),
 * fail (a leaf in the way, or a huge page around va), or go down (into a
 * table, which at want + 1 means a smaller leaf). */
/*@ requires \valid_read(c) && \valid_read(c->sp) && \valid_read(op) && 1 <= level && want <= XPT_1G;
    assigns \nothing;
    ensures \result == MAP_HERE || \result == XPT_OK || \result == XPT_E_EXISTS || \result == XPT_E_HUGE;
    ensures here: \result == MAP_HERE <==> level == want + 1 && !xpt_present(c->sp->format, e);
    ensures down: \result == XPT_OK ==>
      (xpt_present(c->sp->format, e) && level <= 3 ==> !pg_leaf(e, level)) &&
      (level == want + 1 ==> 2 <= level && xpt_present(c->sp->format, e));
*/
static int level_verdict(const struct cursor *c, const struct op *op, unsigned level, unsigned want,
                         uint64_t e)
{
	bool here = present(c, e);
	if (level == want + 1u) {
		if (!here)
			return MAP_HERE;
		if (xpt_is_leaf(e, level))
			return XPT_E_EXISTS;
		if (op->forced >= 0)
			return XPT_E_HUGE; /* smaller mappings' table is in the way */
		return XPT_OK;
	}
	if (here && level <= 3u && xpt_is_leaf(e, level))
		return XPT_E_HUGE; /* inside an existing huge page */
	return XPT_OK;
}

/*@ // A leaf of level L fits at va for pa: both aligned to its pages and
    // `left` bytes holding one (at level 1 the callers see to that).  A
    // block, seen only by goals that name map_fits.
    axiomatic MapFits {
    predicate map_fits(integer va, integer pa, integer left, integer L) =
      L != 1 ==> pg_aligned(va, L) && pg_aligned(pa, L) && left >= pg_size(L);
    // So does every smaller leaf (pages nest).
    lemma fits_below: \forall integer va, pa, left, K, L;
      1 <= K <= L <= 3 && map_fits(va, pa, left, L) ==> map_fits(va, pa, left, K);
    }
*/

/* Down from the cursor to the table that takes va's leaf of the size
 * map_size picks, through the tables it finds, making the missing ones.
 * Returns that leaf's level, where the cursor then is and va's entry is
 * absent, or 0 with *err.  The cursor starts no lower than that level:
 * below 3, va is not aligned to the page of the level above it (a pass
 * moves the cursor up past every table boundary va crosses). */
/*@ requires \valid_read(op) && op->kind == OP_MAP && MAP_STEP_PRE(c, va);
    requires \valid(err) && \separated(err, op, c, c->sp,
                                       c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1),
                                       XPT_FRAMES_META(c->sp->fa));
    requires c->fl == \null || \separated(err, c->fl);
    requires 1 <= c->valid <= c->sp->levels && 4096 <= left;
    requires above: c->valid < 3 ==> !pg_aligned(va, c->valid + 1);
    assigns *err, MAP_STEP_WRITES(c, Pre);
    ensures errors: *err == XPT_OK || *err == XPT_E_EXISTS || *err == XPT_E_HUGE ||
      *err == XPT_E_RSVD_BITS || *err == XPT_E_WINDOW || *err == XPT_E_NOMEM;
    ensures found: *err == XPT_OK <==> \result != 0;
    ensures kept: MAP_STEP_KEPT(c, Pre);
    ensures level: \result != 0 ==> \result <= 3 && c->valid == \result &&
      left >= pg_size(\result) && map_cursor_ok(c, c->valid) &&
      (\result > 1 ==> va % pg_size(\result) == 0 && pa % pg_size(\result) == 0);
    ensures absent: \result != 0 && !c->path[\result].virt ==>
      !xpt_present(c->sp->format, c->sp->mem.words[c->path[\result].table * 512 + pg_idx(va, \result)]);
    ensures walk: \result != 0 && c->commit ==> MAP_STEP_WALK(c, va);
    ensures outcome: \result != 0 && c->commit ==> \forall uint64_t v;
      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) ==>
      pg_same_outcome{Pre, Post}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v);
*/
static unsigned map_descend(struct cursor *c, const struct op *op, uint64_t va, uint64_t pa,
                            uint64_t left, int *err)
{
	const unsigned fit = map_size(op, va, pa, left);
	unsigned want = fit;
	/* A size whose page va is aligned to has its level at or below the
	 * cursor (above, aligned_below). */
	//@ assert start: want + 1 <= c->valid;
	//@ assert fits: map_fits(va, pa, left, fit + 1);
	*err = XPT_OK;
	/*@ loop invariant lv: want + 1 <= level == c->valid <= c->sp->levels && want <= fit <= XPT_1G;
	    loop invariant ok: *err == XPT_OK;
	    loop invariant kept: MAP_STEP_KEPT(c, Pre);
	    loop invariant pre: MAP_STEP_PRE(c, va);
	    loop invariant outcome: c->commit ==> \forall uint64_t v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) ==>
	      pg_same_outcome{Pre, Here}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v);
	    loop assigns level, want, *err, MAP_STEP_WRITES(c, Pre);
	    loop variant level;
	*/
	for (unsigned level = c->valid;; level--) {
		uint64_t e = read_entry(c, level, va);
		int verdict = level_verdict(c, op, level, want, e);
		if (verdict == MAP_HERE) {
			//@ assert fitting: map_fits(va, pa, left, level);
			/*@ assert leaf: level <= 3 && left >= pg_size(level) &&
			      (level > 1 ==> va % pg_size(level) == 0 && pa % pg_size(level) == 0); */
			return level;
		}
		if (verdict != XPT_OK) {
			*err = verdict;
			return 0;
		}
		if (level == want + 1u)
			want--; /* fill the existing table instead */
		*err = map_down(c, level, va, e);
		//@ assert stepped: MAP_STEP_KEPT(c, Pre);
		/*@ assert stepped_outcome: *err == XPT_OK && c->commit ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) ==>
		      pg_same_outcome{Pre, Here}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
		if (*err != XPT_OK)
			return 0;
	}
}

/* entry_in for every address whose table at `level` is t: a proof step
 * of map_step and change_run, in whose contexts the provers do not find
 * the instances. */
/*@ ghost
  /@ requires 1 <= level <= 3 && (levels == 4 || levels == 5);
     assigns \nothing;
     ensures \forall integer v;
       pg_table(w, cr3, XPT_SPACE_FLAGS(levels), M, v, level) == t ==>
       pg_entry(w, cr3, XPT_SPACE_FLAGS(levels), M, v, level) == w[t * 512 + pg_idx(v, level)]; @/
  static void map_entries(uint64_t *w, uint64_t cr3, unsigned levels, unsigned M,
                          unsigned level, uint64_t t) { }
*/

/* map_entries for the cursor's table at `level`, read in a context of
 * its own. */
/*@ ghost
  /@ requires \valid_read(c) && \valid_read(c->sp);
     requires 1 <= level <= 3 && (c->sp->levels == 4 || c->sp->levels == 5);
     assigns \nothing;
     ensures \forall integer v;
       pg_table(XPT_SPACE_PGW(c->sp), v, level) == c->path[level].table ==>
       pg_entry(XPT_SPACE_PGW(c->sp), v, level) ==
         c->sp->mem.words[c->path[level].table * 512 + pg_idx(v, level)]; @/
  static void map_cursor_entries(const struct cursor *c, unsigned level)
  {
    map_entries(c->sp->mem.words, c->sp->root << 12, c->sp->levels, c->sp->maxphyaddr, level,
                c->path[level].table);
  }
*/

/* Every address of a run of leaves on va's walk ends its walk at its
 * leaf, which maps its page to the frame pa plus its distance from va
 * (reach_above, run_page, leaf_block): a ghost step with a context of its
 * own.  fl is the space's flags, passed so that the provers see XD and
 * 1 GiB pages on without evaluating them. */
/* v ends its walk at `level`, inside the window, at a leaf with the
 * rights of op whose frame, aligned to its page, is pa plus the distance
 * from va to v's page: what a run of leaves gives each of its addresses. */
#define MAP_RUN_LEAF(c, op, v, level, pa, va)                                     \
  (pg_mapped(XPT_SPACE_PGW((c)->sp), v) && pg_level(XPT_SPACE_PGW((c)->sp), v) == (level) && \
   !pg_window(XPT_SPACE_PGW((c)->sp), (c)->sp->mem.nframes, v) &&                 \
   map_leaf(pg_last(XPT_SPACE_PGW((c)->sp), v), (op)->attr, level, map_frame(pa, va, v, level), \
            (c)->sp->maxphyaddr) &&                                               \
   map_frame(pa, va, v, level) % pg_size(level) == 0)

/* map_leaf's last clause with flags fl that enable XD and 1 GiB pages:
 * a ghost step, so that a caller passes its space's flags and the provers
 * see those bits on without evaluating them. */
/*@ ghost
  /@ requires pg_has(fl, CTL_NXE) && pg_has(fl, CTL_GBPAGES);
     assigns \nothing;
     ensures \forall integer e, a, level, p, M; map_leaf(e, a, level, p, M) &&
       p % pg_size(level) == 0 && p < (1 << M) ==> !pg_rsvd(e, level, fl, M); @/
  static void leaf_valid_with(unsigned fl) { }
*/

/*@ ghost
  /@ requires \valid_read(c) && \valid_read(c->sp) && \valid_read(op);
     requires 1 <= level <= 3 && (c->sp->levels == 4 || c->sp->levels == 5);
     requires 13 <= c->sp->maxphyaddr <= 52;
     requires on: map_on_walk(c, level, va);
     requires run: 1 <= n && pg_idx(va, level) + n <= 512;
     requires aligned: pg_aligned(va, level) && pa % pg_size(level) == 0;
     requires leaves: \let base = c->path[level].table * 512 + pg_idx(va, level);
       \forall integer k; base <= k < base + n ==>
         map_leaf(c->sp->mem.words[k], op->attr, level, xpt_run_frame(pa, k - base, pg_size(level)),
                  c->sp->maxphyaddr);
     assigns \nothing;
     ensures mapped: \forall uint64_t v;
       pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(va, level, n, v) && pa + (v - va) < (1 << c->sp->maxphyaddr) ==>
       MAP_RUN_LEAF(c, op, v, level, pa, va); @/
  static void run_mapped(const struct cursor *c, const struct op *op, unsigned level, uint64_t va,
                         uint64_t pa, unsigned n)
  {
    map_cursor_entries(c, level);
    leaf_valid_with(XPT_SPACE_FLAGS(c->sp->levels));
    /@ assert va_in: pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), va) && pg_aligned(va, level); @/
    /@ assert reach: \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(va, level, n, v) ==>
         pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v, level) &&
         pg_table(XPT_SPACE_PGW(c->sp), v, level) == c->path[level].table; @/
    /@ assert entry: \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(va, level, n, v) ==>
         pg_entry(XPT_SPACE_PGW(c->sp), v, level) ==
           c->sp->mem.words[c->path[level].table * 512 + pg_idx(v, level)]; @/
    /@ assert at: \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(va, level, n, v) ==>
         0 <= pg_idx(v, level) - pg_idx(va, level) && pg_run_base(va, v, level) == v - v % pg_size(level); @/
    /@ assert frame: \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(va, level, n, v) ==>
         xpt_run_frame(pa, pg_idx(v, level) - pg_idx(va, level), pg_size(level)) ==
           map_frame(pa, va, v, level); @/
    /@ assert word: \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(va, level, n, v) ==>
         map_leaf(c->sp->mem.words[c->path[level].table * 512 + pg_idx(v, level)], op->attr, level,
                  xpt_run_frame(pa, pg_idx(v, level) - pg_idx(va, level), pg_size(level)),
                  c->sp->maxphyaddr); @/
    /@ assert leaf: \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(va, level, n, v) ==>
         map_leaf(pg_entry(XPT_SPACE_PGW(c->sp), v, level), op->attr, level,
                  map_frame(pa, va, v, level), c->sp->maxphyaddr); @/
    /@ assert run_page: \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(va, level, n, v) ==>
         xpt_run_frame(pa, pg_idx(v, level) - pg_idx(va, level), pg_size(level)) % pg_size(level) == 0; @/
    /@ assert page: \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(va, level, n, v) ==>
         map_frame(pa, va, v, level) % pg_size(level) == 0; @/
    /@ assert below: \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(va, level, n, v) ==>
         map_frame(pa, va, v, level) <= pa + (v - va); @/
    /@ assert valid: \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(va, level, n, v) &&
         pa + (v - va) < (1 << c->sp->maxphyaddr) ==>
         pg_has(pg_entry(XPT_SPACE_PGW(c->sp), v, level), PG_P) &&
         pg_leaf(pg_entry(XPT_SPACE_PGW(c->sp), v, level), level) &&
         !pg_rsvd(pg_entry(XPT_SPACE_PGW(c->sp), v, level), level, XPT_SPACE_FLAGS(c->sp->levels),
                  c->sp->maxphyaddr); @/
  }
*/

/* Map at va: a run of leaves below the table map_descend finds or makes.
 * Returns the bytes mapped, or sets *err.  In the commit pass on x86
 * tables every address of the first leaf's page translates through it,
 * with the rights asked for, to pa's page (mapped), and every address
 * outside the run keeps the outcome of its walk (others). */
/*@ requires \valid_read(op) && op->kind == OP_MAP && MAP_STEP_PRE(c, va);
    requires \separated(op, c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires \valid(err) && \separated(err, op, c, c->sp,
                                       c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1),
                                       XPT_FRAMES_META(c->sp->fa));
    requires c->fl == \null || \separated(err, c->fl);
    requires 1 <= c->valid <= c->sp->levels;
    requires pa % 4096 == 0 && pa + left <= 0x10000000000000 && 4096 <= left && va % 4096 == 0;
    requires above: c->valid < 3 ==> !pg_aligned(va, c->valid + 1);
    assigns *err, MAP_STEP_WRITES(c, Pre);
    ensures errors: *err == XPT_OK || *err == XPT_E_EXISTS || *err == XPT_E_HUGE ||
      *err == XPT_E_RSVD_BITS || *err == XPT_E_WINDOW || *err == XPT_E_NOMEM;
    ensures failed: *err != XPT_OK ==> \result == 0;
    ensures kept: MAP_STEP_KEPT(c, Pre);
    ensures done: *err == XPT_OK ==> 0 < \result <= left && 1 <= c->valid <= 3 &&
      pg_count(c->valid, pg_ents(c->valid, \result), \result) && map_cursor_ok(c, c->valid) &&
      (c->valid > 1 ==> va % pg_size(c->valid) == 0) &&
      pg_idx(va, c->valid) + pg_ents(c->valid, \result) <= 512;
    ensures leaf: *err == XPT_OK && c->commit ==>
      map_leaf(c->sp->mem.words[c->path[c->valid].table * 512 + pg_idx(va, c->valid)],
               op->attr, c->valid, pa, c->sp->maxphyaddr);
    ensures walk: *err == XPT_OK && c->commit ==> MAP_STEP_WALK(c, va);
    ensures mapped: *err == XPT_OK && c->commit ==> \forall uint64_t v;
      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      pg_in_run(va, c->valid, pg_ents(c->valid, \result), v) &&
      pa + (v - va) < (1 << c->sp->maxphyaddr) ==>
      MAP_RUN_LEAF(c, op, v, c->valid, pa, va);
    ensures others: *err == XPT_OK && c->commit ==> \forall uint64_t v;
      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
      !pg_in_run(va, c->valid, pg_ents(c->valid, \result), v) ==>
      pg_same_outcome{Pre, Post}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v);
*/
static uint64_t map_step(struct cursor *c, const struct op *op, uint64_t va, uint64_t pa,
                         uint64_t left, int *err)
{
	unsigned level = map_descend(c, op, va, pa, left, err);
	if (level == 0)
		return 0;
	//@ ghost Desc: ;
	/*@ assert found: map_cursor_ok(c, level) &&
	      (c->commit ==> map_cursor_real(c, level) && c->sp->format == XPT_FMT_X86); */
	//@ assert real: c->commit ==> !c->path[level].virt;
	uint64_t bytes = xpt_level_bytes(level);
	unsigned n = fill_run(c, op, level, va, pa, left);
	/*@ assert leaf: c->commit ==>
	      map_leaf(c->sp->mem.words[c->path[level].table * 512 + pg_idx(va, level)], op->attr, level,
	               pa, c->sp->maxphyaddr); */
	/* The run kept the cursor on va's walk (fill_run's on_walk): every
	 * address of the run ends its walk at its leaf, which maps its page
	 * to pa plus its distance from va (run_mapped). */
	//@ assert mapped_on: c->commit ==> map_on_walk(c, level, va);
	//@ assert mapped_aligned: pg_aligned(va, level) && pa % pg_size(level) == 0;
	//@ ghost if (c->commit) run_mapped(c, op, level, va, pa, n);
	/*@ assert mapped: c->commit ==> \forall uint64_t v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(va, level, n, v) &&
	      pa + (v - va) < (1 << c->sp->maxphyaddr) ==>
	      MAP_RUN_LEAF(c, op, v, level, pa, va); */
	//@ assert fits: bytes == pg_size(level) && n * pg_size(level) <= left;
	//@ assert count: pg_count(level, n, n * pg_size(level));
	/* Every other walk: the outcome it had before the descent
	 * (map_descend's outcome), and the walk it had after (fill_run's
	 * walks). */
	/*@ assert others_ents: pg_ents(level, n * pg_size(level)) == n; */
	/*@ assert others_run: c->commit ==> \forall uint64_t v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      !pg_window{Desc}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) && !pg_in_run(va, level, n, v) ==>
	      pg_same_outcome{Desc, Here}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
	/*@ assert others: c->commit ==> \forall uint64_t v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) && !pg_in_run(va, level, n, v) ==>
	      pg_same_outcome{Pre, Here}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
	return n * bytes;
}

/* The leaf e for va at `level` becomes repl, and its page goes into the
 * flush record (the commit pass only). */
/*@ XPT_LEAF_STORE(c, level, va, e);
    ensures written: c->commit ==> c->sp->mem.words[XPT_LEAF_SLOT(c, level, va)] == repl;
    ensures gone: c->commit && !pg_has(repl, PG_P) && map_at_walk{Pre}(c, level, va) ==>
      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      pg_in_run(va, level, 1, v) ==>
      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v);
    ensures tree: !pg_has(repl, PG_P) && pg_tree{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes) ==>
      pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes);
*/
static void replace_leaf(struct cursor *c, unsigned level, uint64_t va, uint64_t e, uint64_t repl)
{
	/*@ assert unread: map_at_walk(c, level, va) ==> \forall integer v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
	      !(pg_same_above(va, v, level) && pg_idx(va, level) == pg_idx(v, level)) ==>
	      !pg_reads(XPT_SPACE_PGW(c->sp), v, XPT_LEAF_SLOT(c, level, va)); */
	/*@ assert page_pre: map_at_walk(c, level, va) ==> \forall integer v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(va, level, 1, v) ==>
	      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v, level) &&
	      pg_table(XPT_SPACE_PGW(c->sp), v, level) == c->path[level].table &&
	      pg_idx(v, level) == pg_idx(va, level); */
	if (c->commit && repl != e) {
		write_entry(c, level, va, repl);
		/*@ assert fl_kept: c->fl != \null ==> \forall integer page;
		      \at(xpt_flush_covers(c->fl, page), Pre) ==> xpt_flush_covers(c->fl, page); */
		record(c, va, e);
	}
	/*@ assert window_but: \forall integer i; 0 <= i < c->sp->mem.nframes * 512 &&
	      i != XPT_LEAF_SLOT(c, level, va) ==>
	      c->sp->mem.words[i] == \at(c->sp->mem.words[i], Pre); */
	/*@ assert slot_is: c->commit ==>
	      c->sp->mem.words[XPT_LEAF_SLOT(c, level, va)] == repl; */
	/*@ assert cut: c->commit && !pg_has(repl, PG_P) ==>
	      pg_cut{Pre, Here}(c->sp->mem.words, c->sp->mem.nframes,
	                        XPT_LEAF_SLOT(c, level, va)); */
	/*@ assert stored: c->commit && map_at_walk{Pre}(c, level, va) ==> \forall integer v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(va, level, 1, v) ==>
	      pg_stored{Pre, Here}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v,
	                           XPT_LEAF_SLOT(c, level, va), level); */
}

/* Leaf e of `level` with protect's new attributes: a leaf of them at
 * address 0 (xpt_fmt_leaf ORs the address in), e's frame and e's accessed
 * and dirty bits. */
/*@ requires \valid_read(c) && \valid_read(op) && \valid_read(c->sp) && 12 < c->sp->maxphyaddr <= 52;
    requires 1 <= level <= 3;
    assigns \nothing;
*/
static uint64_t protected_leaf(const struct cursor *c, const struct op *op, unsigned level,
                               uint64_t e)
{
	return xpt_fmt_leaf(c->sp->format, 0, op->attr, level) |
	       xpt_leaf_base(e, level, c->sp->maxphyaddr) | (e & xpt_fmt_ad(c->sp->format));
}

/* Remove leaf e at va, or give it the new attributes. */
/*@ requires \valid_read(op) && (op->kind == OP_UNMAP || op->kind == OP_PROTECT);
    requires \separated(op, c, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires c->fl == \null || \separated(op, c->fl);
    XPT_LEAF_STORE(c, level, va, e);
    ensures cleared: c->commit && op->kind == OP_UNMAP ==>
      c->sp->mem.words[XPT_LEAF_SLOT(c, level, va)] == 0;
    ensures gone: c->commit && op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      pg_in_run(va, level, 1, v) ==>
      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v);
    ensures tree: op->kind == OP_UNMAP && pg_tree{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes) ==>
      pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes);
*/
static void change_leaf(struct cursor *c, const struct op *op, unsigned level, uint64_t va,
                        uint64_t e)
{
	uint64_t repl = op->kind == OP_PROTECT ? protected_leaf(c, op, level, e) : 0;
	//@ assert absent: op->kind == OP_UNMAP ==> !pg_has(repl, PG_P);
	replace_leaf(c, level, va, e, repl);
}

/*
 * Change the leaf at va (whole, and inside the range) and the ones after it
 * in the same table while they are leaves of this level inside the range;
 * an unmap steps over absent entries.  Returns the bytes covered.  A table
 * entry, or a hole for protect, ends the run; the next step deals with it.
 */
/*@ requires \valid_read(op) && (op->kind == OP_UNMAP || op->kind == OP_PROTECT);
    requires \valid(c) && XPT_SPACE_WRITABLE(c->sp) && map_flush_ok(c);
    requires \separated(c, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires \separated(op, c, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires c->fl == \null || \separated(op, c->fl);
    requires 1 <= level <= 3 && pg_aligned(va, level) && pg_size(level) <= left;
    requires !c->path[level].virt ==> c->path[level].table < c->sp->mem.nframes;
    requires c->path[level].virt && c->path[level].split != 0 ==> level <= 2;
    requires real: c->commit ==> !c->path[level].virt;
    assigns c->sp->mem.words[MAP_RUN_SLOTS(c, level, va)], c->fl->npages, c->fl->all,
            c->fl->va[0 .. XPT_FLUSH_PAGES - 1], c->fl->global;
    ensures ok: map_flush_ok(c);
    ensures covered: \result <= left && pg_count(level, pg_ents(level, \result), \result) &&
      pg_idx(va, level) + pg_ents(level, \result) <= 512;
    ensures others: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 &&
      !MAP_IN_RUN(c, level, va, pg_ents(level, \result), k) ==>
      c->sp->mem.words[k] == \old(c->sp->mem.words[k]);
    ensures tree: op->kind == OP_UNMAP && pg_tree{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes) ==>
      pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes);
    ensures kept: op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==> \forall integer v;
      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
      !pg_in_run(va, level, pg_ents(level, \result), v) ==>
      pg_same_walk{Pre, Post}(XPT_SPACE_PGW(c->sp), v);
    ensures gone: c->commit && op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      pg_in_run(va, level, pg_ents(level, \result), v) ==>
      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v);
    ensures commit: c->commit == \old(c->commit);
    ensures check: !c->commit ==> \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
      c->sp->mem.words[k] == \old(c->sp->mem.words[k]);
    ensures frame: c->sp->root == \old(c->sp->root) && c->valid == \old(c->valid) &&
      c->sp->mem.nframes == \old(c->sp->mem.nframes) && \forall integer l; 0 <= l <= XPT_MAX_LEVELS ==>
      c->path[l].table == \old(c->path[l].table) && c->path[l].virt == \old(c->path[l].virt);
    ensures some: \old(!c->path[level].virt &&
      xpt_present(c->sp->format, c->sp->mem.words[XPT_LEAF_SLOT(c, level, va)]) &&
      pg_leaf(c->sp->mem.words[XPT_LEAF_SLOT(c, level, va)], level)) ==>
      pg_size(level) <= \result;
    ensures flushed: c->fl != \null && c->commit ==> \forall integer n;
      0 <= n < pg_ents(level, \result) ==>
      \let k = c->path[level].table * 512 + pg_idx(va, level) + n;
      c->sp->mem.words[k] != \old(c->sp->mem.words[k]) ==>
      xpt_flush_covers(c->fl, pg_run_addr(va, level, n) & 0xfffffffffffff000);
    ensures keeps: c->fl != \null ==> \forall integer page;
      \old(xpt_flush_covers(c->fl, page)) ==> xpt_flush_covers(c->fl, page);
    ensures unmapped: c->fl != \null && c->commit && op->kind == OP_UNMAP &&
      map_at_walk{Pre}(c, level, va) && pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), va) ==>
      \forall uint64_t v;
      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      pg_in_run(va, level, pg_ents(level, \result), v) && pg_mapped{Pre}(XPT_SPACE_PGW(c->sp), v) ==>
      pg_level{Pre}(XPT_SPACE_PGW(c->sp), v) == level &&
      xpt_flush_covers(c->fl, pg_page_base(v, level) & 0xfffffffffffff000);
*/
static uint64_t change_run(struct cursor *c, const struct op *op, unsigned level, uint64_t va,
                           uint64_t left)
{
	uint64_t bytes = xpt_level_bytes(level), done = 0;
	unsigned i = xpt_index(va, level);
	/*@ assert reach_pre: map_at_walk(c, level, va) ==> \forall integer v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_same_above(va, v, level) ==>
	      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v, level) &&
	      pg_table(XPT_SPACE_PGW(c->sp), v, level) == c->path[level].table; */
	/*@ ghost map_entries(c->sp->mem.words, c->sp->root << 12, c->sp->levels, c->sp->maxphyaddr,
	                      level, c->path[level].table); */
	/*@ assert entry_pre: \forall integer v; pg_in_run(va, level, 512 - pg_idx(va, level), v) &&
	      pg_table(XPT_SPACE_PGW(c->sp), v, level) == c->path[level].table ==>
	      pg_entry(XPT_SPACE_PGW(c->sp), v, level) ==
	        c->sp->mem.words[c->path[level].table * 512 + pg_idx(v, level)]; */
	/*@ loop invariant kind: op->kind == \at(op->kind, Pre);
	    loop invariant commit: c->commit == \at(c->commit, Pre);
	    loop invariant table: c->path[level].table == \at(c->path[level].table, Pre);
	    loop invariant virt: c->path[level].virt == \at(c->path[level].virt, Pre);
	    loop invariant split: c->path[level].split == \at(c->path[level].split, Pre);
	    loop invariant nframes: c->sp->mem.nframes == \at(c->sp->mem.nframes, Pre);
	    loop invariant root: c->sp->root == \at(c->sp->root, Pre);
	    loop invariant held: c->valid == \at(c->valid, Pre) && \forall integer l; 0 <= l <= XPT_MAX_LEVELS ==>
	      c->path[l].table == \at(c->path[l].table, Pre) && c->path[l].virt == \at(c->path[l].virt, Pre);
	    loop invariant idx: pg_idx(va, level) <= i <= 512;
	    loop invariant run: i < 512 ==> pg_run_at(XPT_SPACE_FLAGS(c->sp->levels), va, level,
	                                  i - pg_idx(va, level), va + done);
	    loop invariant count: pg_count(level, i - pg_idx(va, level), done);
	    loop invariant room: done <= left;
	    loop invariant ok: map_flush_ok(c);
	    loop invariant check: !c->commit ==> \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
	      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Pre);
	    loop invariant others: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 &&
	      !MAP_IN_RUN(c, level, va, i - pg_idx(va, level), k) ==>
	      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Pre);
	    loop invariant tree: op->kind == OP_UNMAP &&
	      pg_tree{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes) ==>
	      pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes);
	    loop invariant table_pre: map_at_walk{Pre}(c, level, va) ==> \forall integer v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      pg_in_run(va, level, 512 - pg_idx(va, level), v) ==>
	      pg_reaches{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v, level) &&
	      pg_table{Pre}(XPT_SPACE_PGW(c->sp), v, level) == c->path[level].table &&
	      pg_entry{Pre}(XPT_SPACE_PGW(c->sp), v, level) ==
	        \at(c->sp->mem.words[c->path[level].table * 512 + pg_idx(v, level)], Pre);
	    loop invariant walks: op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
	      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
	      !pg_in_run(va, level, i - pg_idx(va, level), v) ==>
	      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v);
	    loop invariant gone: c->commit && op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
	      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      pg_in_run(va, level, i - pg_idx(va, level), v) ==>
	      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
	      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v);
	    loop invariant flushed: c->fl != \null && c->commit ==> \forall integer n;
	      0 <= n < i - pg_idx(va, level) ==>
	      \let k = c->path[level].table * 512 + pg_idx(va, level) + n;
	      c->sp->mem.words[k] != \at(c->sp->mem.words[k], Pre) ==>
	      xpt_flush_covers(c->fl, pg_run_addr(va, level, n) & 0xfffffffffffff000);
	    loop invariant keeps: c->fl != \null ==> \forall integer page;
	      \at(xpt_flush_covers(c->fl, page), Pre) ==> xpt_flush_covers(c->fl, page);
	    loop invariant unmapped: c->fl != \null && c->commit && op->kind == OP_UNMAP &&
	      map_at_walk{Pre}(c, level, va) && pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), va) ==>
	      \forall uint64_t v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      pg_in_run(va, level, i - pg_idx(va, level), v) && pg_mapped{Pre}(XPT_SPACE_PGW(c->sp), v) ==>
	      pg_level{Pre}(XPT_SPACE_PGW(c->sp), v) == level &&
	      xpt_flush_covers(c->fl, pg_page_base(v, level) & 0xfffffffffffff000);
	    loop assigns i, done, c->sp->mem.words[MAP_RUN_SLOTS_AT(c, level, va, Pre)], c->fl->npages,
	      c->fl->all, c->fl->va[0 .. XPT_FLUSH_PAGES - 1], c->fl->global;
	*/
	/* The first entry always passes the test (pg_size(level) <= left), but
	 * a test at the top lets WP state the goals after the loop from the
	 * invariants alone, not from the whole body: a fifth of the time. */
	while (i < XPT_ENTRIES && left - done >= bytes) {
		uint64_t at = va + done, e;
		bool here;
		//@ assert at: at == va + done;
		//@ assert at_idx: pg_idx(at, level) == i;
		e = read_entry(c, level, at);
		here = present(c, e);
		//@ assert e_set: here ==> e != 0;
		/*@ assert first_e: i == pg_idx(va, level) && !c->path[level].virt ==>
		      e == \at(c->sp->mem.words[XPT_LEAF_SLOT(c, level, va)], Pre); */
		/*@ assert walks_here: op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
		      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
		      !pg_in_run(va, level, i + 1 - pg_idx(va, level), v) ==>
		      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v); */
		if (here && xpt_is_leaf(e, level)) {
			if (c->commit) { /* the check pass only measures the run */
				/*@ assert at_pre: map_at_walk{Pre}(c, level, va) ==>
				      pg_reaches{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, at, level) &&
				      pg_table{Pre}(XPT_SPACE_PGW(c->sp), at, level) == c->path[level].table; */
				/*@ assert slot_pre: \let k = c->path[level].table * 512 + i;
				      e == \at(c->sp->mem.words[k], Pre); */
				//@ assert stop: pg_stop(e, level, XPT_SPACE_FLAGS(c->sp->levels), c->sp->maxphyaddr);
				/*@ assert stop_pre: \let k = c->path[level].table * 512 + pg_idx(at, level);
				      pg_stop(\at(c->sp->mem.words[k], Pre), level,
				              XPT_SPACE_FLAGS(c->sp->levels), c->sp->maxphyaddr); */
				/*@ assert entry_def: map_at_walk{Pre}(c, level, va) ==>
				      \let k = c->path[level].table * 512 + pg_idx(at, level);
				      pg_entry{Pre}(XPT_SPACE_PGW(c->sp), at, level) == \at(c->sp->mem.words[k], Pre); */
				/*@ assert in_pre: map_at_walk{Pre}(c, level, va) ==>
				      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, at); */
				/*@ assert same_now: op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
				      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), at); */
				/*@ assert at_now: op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
				      map_at_walk(c, level, at); */
				/*@ assert win_leaf: op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
				      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
				      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
				      !pg_in_run(va, level, i - pg_idx(va, level), v) ==>
				      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
				/*@ assert page_leaf: \forall integer v;
				      !pg_in_run(va, level, i + 1 - pg_idx(va, level), v) ==>
				      !pg_in_run(va, level, i - pg_idx(va, level), v) &&
				      !(pg_same_above(at, v, level) && pg_idx(at, level) == pg_idx(v, level)); */
				/*@ assert walks_mid: op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
				      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
				      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
				      !pg_in_run(va, level, i + 1 - pg_idx(va, level), v) ==>
				      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v) &&
				      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
				      !(pg_same_above(at, v, level) && pg_idx(at, level) == pg_idx(v, level)); */
				/*@ ghost Leaf: ; */
				change_leaf(c, op, level, at, e);
				/*@ assert walks_leaf: op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
				      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
				      !pg_window{Leaf}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
				      !(pg_same_above(at, v, level) && pg_idx(at, level) == pg_idx(v, level)) ==>
				      pg_same_walk{Leaf, Here}(XPT_SPACE_PGW(c->sp), v); */
				/*@ assert walks_now: op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
				      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
				      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
				      !pg_in_run(va, level, i + 1 - pg_idx(va, level), v) ==>
				      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v); */
				/*@ assert slot_only: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 &&
				      k != c->path[level].table * 512 + i ==>
				      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Leaf); */
				/*@ assert at_addr: at == pg_run_addr(va, level, i - pg_idx(va, level)); */
				/* The flush record: this entry's page, the earlier ones kept. */
				/*@ assert fl_leaf: c->fl != \null ==> \forall integer page;
				      \at(xpt_flush_covers(c->fl, page), Leaf) ==> xpt_flush_covers(c->fl, page); */
				/*@ assert fl_new: c->fl != \null ==>
				      \let k = c->path[level].table * 512 + i;
				      c->sp->mem.words[k] != \at(c->sp->mem.words[k], Pre) ==>
				      xpt_flush_covers(c->fl, at & 0xfffffffffffff000); */
				/*@ assert fl_this: c->fl != \null ==> \forall integer n;
				      i - pg_idx(va, level) <= n <= i - pg_idx(va, level) ==>
				      \let k = c->path[level].table * 512 + pg_idx(va, level) + n;
				      c->sp->mem.words[k] != \at(c->sp->mem.words[k], Pre) ==>
				      xpt_flush_covers(c->fl, pg_run_addr(va, level, n) & 0xfffffffffffff000); */
				/*@ assert fl_old: c->fl != \null ==> \forall integer n;
				      0 <= n < i - pg_idx(va, level) ==>
				      \let k = c->path[level].table * 512 + pg_idx(va, level) + n;
				      c->sp->mem.words[k] != \at(c->sp->mem.words[k], Pre) ==>
				      xpt_flush_covers(c->fl, pg_run_addr(va, level, n) & 0xfffffffffffff000); */
				/*@ assert flushed_leaf: c->fl != \null ==> \forall integer n;
				      0 <= n <= i - pg_idx(va, level) ==>
				      \let k = c->path[level].table * 512 + pg_idx(va, level) + n;
				      c->sp->mem.words[k] != \at(c->sp->mem.words[k], Pre) ==>
				      xpt_flush_covers(c->fl, pg_run_addr(va, level, n) & 0xfffffffffffff000); */
				/*@ assert gone_kept: op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
				      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
				      pg_in_run(va, level, i - pg_idx(va, level), v) ==>
				      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
				      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
				/*@ assert gone_leaf: op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
				      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
				      pg_in_run(va, level, i + 1 - pg_idx(va, level), v) ==>
				      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
				      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
				/* Each address of this leaf's page: its walk ended here, and
				 * the page went into the record. */
				//@ assert at_run: pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), va) ==> pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), at) && pg_aligned(at, level);
				/*@ assert page_range: pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), va) ==> \forall uint64_t v;
				      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(at, level, 1, v) ==>
				      at <= v < at + bytes; */
				/*@ assert page_at: pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), va) ==> \forall uint64_t v;
				      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
				      pg_in_run(at, level, 1, v) ==> pg_page_base(v, level) == at; */
				/*@ assert leaf_zero: op->kind == OP_UNMAP ==>
				      c->sp->mem.words[c->path[level].table * 512 + i] == 0; */
				/*@ assert leaf_changed: op->kind == OP_UNMAP ==>
				      \let k = c->path[level].table * 512 + i;
				      c->sp->mem.words[k] != \at(c->sp->mem.words[k], Pre); */
				/*@ assert page_in: \forall uint64_t v; pg_in_run(at, level, 1, v) ==>
				      pg_in_run(va, level, 512 - pg_idx(va, level), v) && pg_idx(v, level) == i &&
				      !pg_in_run(va, level, i - pg_idx(va, level), v); */
				/*@ assert page_level: map_at_walk{Pre}(c, level, va) ==> \forall uint64_t v;
				      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(at, level, 1, v) ==>
				      pg_level{Pre}(XPT_SPACE_PGW(c->sp), v) == level; */
				/*@ assert covers_at: c->fl != \null && op->kind == OP_UNMAP ==>
				      xpt_flush_covers(c->fl, at & 0xfffffffffffff000); */
				/*@ assert covers_page: c->fl != \null && op->kind == OP_UNMAP &&
				      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), va) ==> \forall uint64_t v;
				      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(at, level, 1, v) ==>
				      xpt_flush_covers(c->fl, pg_page_base(v, level) & 0xfffffffffffff000); */
				/*@ assert unmapped_leaf: c->fl != \null && op->kind == OP_UNMAP &&
				      map_at_walk{Pre}(c, level, va) && pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), va) ==>
				      \forall uint64_t v;
				      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(at, level, 1, v) ==>
				      pg_level{Pre}(XPT_SPACE_PGW(c->sp), v) == level &&
				      xpt_flush_covers(c->fl, pg_page_base(v, level) & 0xfffffffffffff000); */
			}
		} else if (here || op->kind == OP_PROTECT) {
			/* The goals after the loop read the invariants restated at
			 * each exit. */
			/*@ assert walks_brk: op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
			      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
			      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
			      !pg_in_run(va, level, i - pg_idx(va, level), v) ==>
			      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v); */
			/*@ assert gone_brk: c->commit && op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
			      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
			      pg_in_run(va, level, i - pg_idx(va, level), v) ==>
			      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
			      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
			/* The first entry, a present leaf, never ends the run. */
			/*@ assert some_brk: \let first = \at(c->sp->mem.words[XPT_LEAF_SLOT(c, level, va)], Pre);
			      !c->path[level].virt && xpt_present(c->sp->format, first) &&
			      pg_leaf(first, level) ==>
			      pg_idx(va, level) < i; */
			break;
		}
		/* An unmap steps over an absent entry: its page had no translation
		 * and keeps none. */
		/*@ assert hole_in: !here ==> \forall integer v; pg_in_run(at, level, 1, v) ==>
		      pg_in_run(va, level, 512 - pg_idx(va, level), v) &&
		      !pg_in_run(va, level, i - pg_idx(va, level), v) &&
		      pg_idx(v, level) == i; */
		//@ assert hole_absent: !here && c->sp->format == XPT_FMT_X86 ==> !pg_has(e, PG_P);
		/*@ assert hole_slot: !here && c->commit ==>
		      \let k = c->path[level].table * 512 + i; e == \at(c->sp->mem.words[k], Pre); */
		/*@ assert hole_pre: !here && c->commit && map_at_walk{Pre}(c, level, va) ==>
		      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      pg_in_run(at, level, 1, v) ==>
		      pg_reaches{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v, level) &&
		      pg_entry{Pre}(XPT_SPACE_PGW(c->sp), v, level) == e; */
		/*@ assert hole_was: !here && c->commit && map_at_walk{Pre}(c, level, va) ==>
		      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      pg_in_run(at, level, 1, v) ==>
		      !pg_mapped{Pre}(XPT_SPACE_PGW(c->sp), v) &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
		/*@ assert hole_gone: !here && c->commit && op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
		      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      pg_in_run(at, level, 1, v) ==>
		      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
		      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
		/*@ assert gone_next: c->commit && op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
		      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      pg_in_run(va, level, i + 1 - pg_idx(va, level), v) ==>
		      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
		      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
		/*@ assert walks_next: op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
		      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
		      !pg_in_run(va, level, i + 1 - pg_idx(va, level), v) ==>
		      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v); */
		/*@ assert kept: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 &&
		      !MAP_IN_RUN(c, level, va, i + 1 - pg_idx(va, level), k) ==>
		      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Pre); */
		//@ assert next: i + 1 < 512 ==> pg_run_at(XPT_SPACE_FLAGS(c->sp->levels), va, level, i + 1 - pg_idx(va, level), va + done + bytes);
		//@ assert counted: pg_count(level, i + 1 - pg_idx(va, level), done + bytes);
		done += bytes;
		i++;
		//@ assert done_is: done == \at(done, LoopCurrent) + bytes;
		//@ assert i_is: i == \at(i, LoopCurrent) + 1;
		//@ assert count_now: pg_count(level, i - pg_idx(va, level), done);
		//@ assert some_step: pg_idx(va, level) < i;
		/* The invariants walks and gone, in the new i. */
		/*@ assert walks_step: op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
		      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
		      !pg_in_run(va, level, i - pg_idx(va, level), v) ==>
		      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v); */
		/*@ assert gone_step: c->commit && op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
		      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      pg_in_run(va, level, i - pg_idx(va, level), v) ==>
		      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
		      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
	}
	/*@ assert gone_end: c->commit && op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
	      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      pg_in_run(va, level, i - pg_idx(va, level), v) ==>
	      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
	      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
	/*@ assert unmapped_end: c->fl != \null && c->commit && op->kind == OP_UNMAP &&
	      map_at_walk{Pre}(c, level, va) && pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), va) ==>
	      \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      pg_in_run(va, level, i - pg_idx(va, level), v) && pg_mapped{Pre}(XPT_SPACE_PGW(c->sp), v) ==>
	      pg_level{Pre}(XPT_SPACE_PGW(c->sp), v) == level &&
	      xpt_flush_covers(c->fl, pg_page_base(v, level) & 0xfffffffffffff000); */
	//@ assert count_end: pg_count(level, i - pg_idx(va, level), done);
	/*@ assert some_end: \let first = \at(c->sp->mem.words[XPT_LEAF_SLOT(c, level, va)], Pre);
	      !c->path[level].virt && xpt_present(c->sp->format, first) &&
	      pg_leaf(first, level) ==>
	      pg_idx(va, level) < i; */
	//@ assert ents: pg_ents(level, done) == i - pg_idx(va, level);
	/*@ assert walks_end: op->kind == OP_UNMAP && map_at_walk{Pre}(c, level, va) ==>
	      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
	      !pg_in_run(va, level, i - pg_idx(va, level), v) ==>
	      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v); */
	return done;
}

/* Where the walk of va goes from the present entry e it reads at level L
 * inside the window: it stops there, a reserved bit set, or goes on to
 * the table e names; an entry that stops it is where it ends.  A proof
 * step of descend's and change_step's errors, in a context of its own. */
/*@ ghost
  /@ assigns \nothing;
     ensures stop: 2 <= L && pg_reaches(w, cr3, XPT_SPACE_FLAGS(levels), M, nf, va, L) &&
       e == pg_entry(w, cr3, XPT_SPACE_FLAGS(levels), M, va, L) && pg_has(e, PG_P) &&
       pg_rsvd(e, L, XPT_SPACE_FLAGS(levels), M) ==>
       pg_reserved(w, cr3, XPT_SPACE_FLAGS(levels), M, va) &&
       !pg_window(w, cr3, XPT_SPACE_FLAGS(levels), M, nf, va);
     ensures on: 2 <= L && pg_reaches(w, cr3, XPT_SPACE_FLAGS(levels), M, nf, va, L) &&
       e == pg_entry(w, cr3, XPT_SPACE_FLAGS(levels), M, va, L) && pg_has(e, PG_P) &&
       !pg_rsvd(e, L, XPT_SPACE_FLAGS(levels), M) && !pg_leaf(e, L) ==>
       pg_level(w, cr3, XPT_SPACE_FLAGS(levels), M, va) <= L - 1 &&
       pg_table(w, cr3, XPT_SPACE_FLAGS(levels), M, va, L - 1) == pg_next(e, M);
     ensures ends: 1 <= L && pg_reaches(w, cr3, XPT_SPACE_FLAGS(levels), M, nf, va, L) &&
       e == pg_entry(w, cr3, XPT_SPACE_FLAGS(levels), M, va, L) &&
       pg_stop(e, L, XPT_SPACE_FLAGS(levels), M) ==>
       pg_level(w, cr3, XPT_SPACE_FLAGS(levels), M, va) == L; @/
  static void walk_from(uint64_t *w, uint64_t cr3, unsigned levels, unsigned M, uint64_t nf,
                        uint64_t va, unsigned L, uint64_t e) { }
*/

/*
 * Down the cursor's tables from level c->valid, through present table
 * entries, to the entry for va where the walk ends: absent, or a leaf of
 * level 3 or below.  Returns that entry, c->valid its level; or sets *err
 * when an entry on the way is one the walk stops at with a fault, and
 * returns that entry, c->valid its level.  The error is then a fact of
 * the walk (rsvd_walk, window_walk), which the same tables give again.
 * Only the cursor moves.  (The entry comes back by value and the error through
 * a pointer of another type: a store of either then cannot touch a table
 * for WP.)
 */
/*@ requires \valid(c) && XPT_SPACE_READABLE(c->sp);
    requires \separated(c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires \valid(err) && \separated(err, c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires cursor: 1 <= c->valid <= c->sp->levels && map_cursor_real(c, c->valid);
    assigns c->valid, c->path[1 .. XPT_MAX_LEVELS], *err;
    ensures errors: *err == XPT_OK || *err == XPT_E_RSVD_BITS || *err == XPT_E_WINDOW;
    ensures cursor: 1 <= c->valid <= \old(c->valid) && map_cursor_real(c, c->valid);
    ensures above: \forall integer l; \old(c->valid) < l <= XPT_MAX_LEVELS ==>
      c->path[l] == \old(c->path[l]);
    ensures entry: \result == c->sp->mem.words[c->path[c->valid].table * 512 + pg_idx(va, c->valid)];
    ensures ends: *err == XPT_OK ==>
      !xpt_present(c->sp->format, \result) || (c->valid <= 3 && pg_leaf(\result, c->valid));
    ensures rsvd_walk: *err == XPT_E_RSVD_BITS && map_at_walk{Pre}(c, \old(c->valid), va) ==>
      pg_reserved(XPT_SPACE_PGW(c->sp), va) &&
      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va);
    ensures window_walk: *err == XPT_E_WINDOW && map_at_walk{Pre}(c, \old(c->valid), va) ==>
      pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va) ||
      pg_reserved(XPT_SPACE_PGW(c->sp), va);
    ensures walk: map_at_walk{Pre}(c, \old(c->valid), va) ==> map_at_walk(c, c->valid, va);
    ensures read: *err == XPT_OK && map_at_walk(c, c->valid, va) ==>
      \result == pg_entry(XPT_SPACE_PGW(c->sp), va, c->valid);
    ensures on_walk: *err == XPT_OK && map_on_walk{Pre}(c, \old(c->valid), va) ==>
      map_on_walk(c, c->valid, va);
    ensures ok: map_flush_ok{Pre}(c) ==> map_flush_ok(c);
    ensures tree: pg_tree{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes) ==>
      pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes);
    ensures walks: \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) ==>
      pg_same_walk{Pre, Post}(XPT_SPACE_PGW(c->sp), v);
*/
static uint64_t descend(struct cursor *c, uint64_t va, int *err)
{
	unsigned level = c->valid;
	uint64_t entry = read_entry(c, level, va);
	*err = XPT_OK;
	/*@ loop invariant level: 1 <= level <= \at(c->valid, Pre) && c->valid == level;
	    loop invariant real: map_cursor_real(c, level);
	    loop invariant above: \forall integer l; \at(c->valid, Pre) < l <= XPT_MAX_LEVELS ==>
	      c->path[l] == \at(c->path[l], Pre);
	    loop invariant entry: entry == c->sp->mem.words[c->path[level].table * 512 + pg_idx(va, level)];
	    loop invariant walk: map_at_walk{Pre}(c, \at(c->valid, Pre), va) ==> map_at_walk(c, level, va);
	    loop invariant on_walk: map_on_walk{Pre}(c, \at(c->valid, Pre), va) ==>
	      map_on_walk(c, level, va);
	    loop invariant ok: *err == XPT_OK;
	    loop invariant flush: map_flush_ok{Pre}(c) ==> map_flush_ok(c);
	    loop invariant words: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
	      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Pre);
	    loop assigns level, entry, c->valid, c->path[1 .. XPT_MAX_LEVELS], *err;
	    loop variant level;
	*/
	while (present(c, entry) && (level > 3u || !xpt_is_leaf(entry, level))) {
		/*@ assert top: map_at_walk(c, level, va) ==>
		      level <= pg_top(XPT_SPACE_FLAGS(c->sp->levels)) &&
		      pg_table(XPT_SPACE_PGW(c->sp), va, level) == c->path[level].table; */
		/*@ assert read: map_at_walk(c, level, va) ==>
		      entry == pg_entry(XPT_SPACE_PGW(c->sp), va, level); */
		//@ assert p: map_at_walk(c, level, va) ==> pg_has(entry, PG_P);
		*err = enter(c, level, entry);
		if (*err != XPT_OK) {
			/*@ assert same_here: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
			      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Pre); */
			//@ assert cut_here: pg_cut{Pre, Here}(c->sp->mem.words, c->sp->mem.nframes, 0);
			//@ assert flush_here: map_flush_ok{Pre}(c) ==> map_flush_ok(c);
			//@ assert real_here: 1 <= c->valid <= \at(c->valid, Pre) && map_cursor_real(c, c->valid);
			/*@ assert entry_here: c->valid == level && entry ==
			      c->sp->mem.words[c->path[c->valid].table * 512 + pg_idx(va, c->valid)]; */
			/* The error is the walk's: it stops at this entry with a
			 * reserved bit set, or goes on to a table outside the window. */
			//@ assert fail_cut: pg_cut{LoopCurrent, Here}(c->sp->mem.words, c->sp->mem.nframes, 0);
			//@ assert fail_back: pg_cut{Here, LoopCurrent}(c->sp->mem.words, c->sp->mem.nframes, 0);
			/*@ assert fail_held: c->path[level].table == \at(c->path[level].table, LoopCurrent) &&
			      c->path[level].virt == \at(c->path[level].virt, LoopCurrent); */
			/*@ assert fail_reach: map_at_walk{LoopCurrent}(c, level, va) ==>
			      pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes) &&
			      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, level) &&
			      pg_table(XPT_SPACE_PGW(c->sp), va, level) ==
			        pg_table{LoopCurrent}(XPT_SPACE_PGW(c->sp), va, level); */
			/*@ assert fail_lc: map_at_walk{Pre}(c, \at(c->valid, Pre), va) ==>
			      map_at_walk{LoopCurrent}(c, level, va) &&
			      \at(entry == pg_entry(XPT_SPACE_PGW(c->sp), va, level), LoopCurrent); */
			/*@ assert fail_walk: map_at_walk{LoopCurrent}(c, level, va) ==> map_at_walk(c, level, va); */
			/*@ assert fail_rd: map_at_walk(c, level, va) ==>
			      level <= pg_top(XPT_SPACE_FLAGS(c->sp->levels)) &&
			      pg_entry(XPT_SPACE_PGW(c->sp), va, level) ==
			        pg_rd(c->sp->mem.words, c->path[level].table, pg_idx(va, level)); */
			/*@ assert fail_entry: map_at_walk(c, level, va) ==>
			      entry == pg_entry(XPT_SPACE_PGW(c->sp), va, level); */
			/*@ assert fail_at: map_at_walk{Pre}(c, \at(c->valid, Pre), va) ==>
			      map_at_walk(c, level, va) && entry == pg_entry(XPT_SPACE_PGW(c->sp), va, level) &&
			      pg_has(entry, PG_P) && 2 <= level; */
			/*@ assert fail_rsvd: *err == XPT_E_RSVD_BITS ==>
			      pg_rsvd(entry, level, XPT_SPACE_FLAGS(c->sp->levels), c->sp->maxphyaddr); */
			/*@ assert fail_table: *err == XPT_E_WINDOW ==>
			      pg_next(entry, c->sp->maxphyaddr) >= c->sp->mem.nframes &&
			      (pg_rsvd(entry, level, XPT_SPACE_FLAGS(c->sp->levels), c->sp->maxphyaddr) ||
			       !pg_leaf(entry, level)); */
			/*@ ghost walk_from(c->sp->mem.words, c->sp->root << 12, c->sp->levels, c->sp->maxphyaddr,
			                    c->sp->mem.nframes, va, level, entry); */
			/* `above` and `walks` at each return: as one goal over both
			 * returns they took 8 and 19 s. */
			/*@ assert above_fail: \forall integer l; \at(c->valid, Pre) < l <= XPT_MAX_LEVELS ==>
			      c->path[l] == \at(c->path[l], Pre); */
			/*@ assert walks_fail: \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
			      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) ==>
			      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v); */
			return entry;
		}
		//@ assert table: !pg_leaf(entry, level);
		//@ assert fresh: !c->path[level - 1].virt && c->path[level - 1].table < c->sp->mem.nframes;
		/*@ assert held: \forall integer l; level <= l <= c->sp->levels ==>
		      c->path[l].table == \at(c->path[l].table, LoopCurrent) &&
		      c->path[l].virt == \at(c->path[l].virt, LoopCurrent); */
		/*@ assert levels: \forall integer l; level <= l <= c->sp->levels ==>
		      !c->path[l].virt && c->path[l].table < c->sp->mem.nframes; */
		/*@ assert walk_next: map_at_walk{Pre}(c, \at(c->valid, Pre), va) ==>
		      map_at_walk(c, level - 1, va); */
		/*@ assert step_words: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
		      c->sp->mem.words[k] == \at(c->sp->mem.words[k], LoopCurrent); */
		//@ assert kept: pg_cut{LoopCurrent, Here}(c->sp->mem.words, c->sp->mem.nframes, 0);
		//@ assert back: pg_cut{Here, LoopCurrent}(c->sp->mem.words, c->sp->mem.nframes, 0);
		/*@ assert on_tree: pg_tree{LoopCurrent}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes) ==>
		      pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes); */
		/*@ assert sp_same: c->sp == \at(c->sp, LoopCurrent) &&
		      c->sp->root == \at(c->sp->root, LoopCurrent) &&
		      c->sp->mem.nframes == \at(c->sp->mem.nframes, LoopCurrent); */
		/*@ assert lc_at: map_on_walk{LoopCurrent}(c, level, va) ==>
		      \at(\forall integer l; level <= l <= c->sp->levels ==>
		        pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, l) &&
		        pg_table(XPT_SPACE_PGW(c->sp), va, l) == c->path[l].table &&
		        !c->path[l].virt, LoopCurrent); */
		/*@ assert lc_levels: map_on_walk{LoopCurrent}(c, level, va) ==>
		      \forall integer l; level <= l <= c->sp->levels ==>
		      pg_reaches{LoopCurrent}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, l) &&
		      pg_table{LoopCurrent}(XPT_SPACE_PGW(c->sp), va, l) == c->path[l].table &&
		      !c->path[l].virt; */
		/*@ assert lc_reach: \forall integer l;
		      pg_reaches{LoopCurrent}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, l) ==>
		      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, l) &&
		      pg_table(XPT_SPACE_PGW(c->sp), va, l) == pg_table{LoopCurrent}(XPT_SPACE_PGW(c->sp), va, l); */
		/*@ assert on_levels: map_on_walk{LoopCurrent}(c, level, va) ==>
		      \forall integer l; level <= l <= c->sp->levels ==>
		      !c->path[l].virt && pg_table(XPT_SPACE_PGW(c->sp), va, l) == c->path[l].table &&
		      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, l); */
		/*@ assert on_held: map_on_walk{LoopCurrent}(c, level, va) ==> map_on_walk(c, level, va); */
		/*@ assert on_here: map_on_walk{Pre}(c, \at(c->valid, Pre), va) ==> map_on_walk(c, level, va); */
		/*@ assert on_low: map_on_walk{Pre}(c, \at(c->valid, Pre), va) ==>
		      map_at_walk(c, level - 1, va); */
		/*@ assert on_next: map_on_walk{Pre}(c, \at(c->valid, Pre), va) ==>
		      map_on_walk(c, level - 1, va); */
		level--;
		entry = read_entry(c, level, va);
	}
	/* Only the cursor moved: the window, and so every walk in it, is as
	 * it was (pg_cut, word 0 kept). */
	/*@ assert same: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
	      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Pre); */
	//@ assert cut: pg_cut{Pre, Here}(c->sp->mem.words, c->sp->mem.nframes, 0);
	//@ assert real_end: 1 <= c->valid <= \at(c->valid, Pre) && map_cursor_real(c, c->valid);
	/*@ assert top_end: map_at_walk(c, level, va) ==>
	      level <= pg_top(XPT_SPACE_FLAGS(c->sp->levels)) &&
	      pg_table(XPT_SPACE_PGW(c->sp), va, level) == c->path[level].table; */
	/*@ assert read_end: map_at_walk(c, level, va) ==>
	      entry == pg_entry(XPT_SPACE_PGW(c->sp), va, level); */
	/*@ assert above_done: \forall integer l; \at(c->valid, Pre) < l <= XPT_MAX_LEVELS ==>
	      c->path[l] == \at(c->path[l], Pre); */
	/*@ assert walks_done: \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) ==>
	      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v); */
	return entry;
}

/* Unmap or protect at va: the leaf there, split if it sticks out of the
 * range.  Returns the bytes covered, or sets *err. */
/*@ requires \valid_read(op) && (op->kind == OP_UNMAP || op->kind == OP_PROTECT);
    requires \valid(c) && XPT_SPACE_WRITABLE(c->sp) && map_flush_ok(c);
    requires \separated(c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires \separated(op, c, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires c->fl == \null || \separated(op, c->fl);
    requires \valid(err) && \separated(err, op, c, c->sp,
                                         c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires c->fl == \null || \separated(err, c->fl);
    requires whole: !(op->opts & XPT_OPT_SPLIT);
    requires cursor: 1 <= c->valid <= c->sp->levels && map_cursor_real(c, c->valid);
    requires 0 < left;
    decreases c->valid;
    assigns c->valid, c->path[1 .. XPT_MAX_LEVELS], c->tables, *err,
            c->sp->mem.words[0 .. c->sp->mem.nframes * 512 - 1], c->fl->npages, c->fl->all,
            c->fl->va[0 .. XPT_FLUSH_PAGES - 1], c->fl->global;
    ensures errors: *err == XPT_OK || *err == XPT_E_NOT_MAPPED || *err == XPT_E_HUGE ||
      *err == XPT_E_RSVD_BITS || *err == XPT_E_WINDOW;
    ensures hole: *err == XPT_E_NOT_MAPPED ==> \old(op->kind) == OP_PROTECT;
    ensures walk_error: (*err == XPT_E_RSVD_BITS || *err == XPT_E_WINDOW) &&
      map_at_walk{Pre}(c, \old(c->valid), va) ==>
      pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va) ||
      pg_reserved{Pre}(XPT_SPACE_PGW(c->sp), va);
    ensures huge: *err == XPT_E_HUGE && map_at_walk{Pre}(c, \old(c->valid), va) ==>
      pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va) ||
      (\let L = pg_level{Pre}(XPT_SPACE_PGW(c->sp), va);
       L <= 3 && pg_has(pg_last{Pre}(XPT_SPACE_PGW(c->sp), va), PG_P) &&
       (va % pg_size(L) != 0 || left < pg_size(L)));
    ensures page: *err == XPT_OK && map_at_walk{Pre}(c, \old(c->valid), va) &&
      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va) &&
      pg_has(pg_last{Pre}(XPT_SPACE_PGW(c->sp), va), PG_P) ==>
      pg_size(pg_level{Pre}(XPT_SPACE_PGW(c->sp), va)) <= \result;
    ensures keeps: c->fl != \null ==> \forall integer page;
      \old(xpt_flush_covers(c->fl, page)) ==> xpt_flush_covers(c->fl, page);
    ensures unmapped: *err == XPT_OK && c->fl != \null && c->commit && op->kind == OP_UNMAP &&
      map_at_walk{Pre}(c, \old(c->valid), va) && pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), va) ==>
      \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && va <= v < va + \result &&
      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
      pg_mapped{Pre}(XPT_SPACE_PGW(c->sp), v) ==>
      xpt_flush_covers(c->fl, pg_page_base(v, pg_level{Pre}(XPT_SPACE_PGW(c->sp), v)) & 0xfffffffffffff000);
    ensures ok: map_flush_ok(c);
    ensures cursor: 1 <= c->valid <= \old(c->valid) && map_cursor_real(c, c->valid);
    ensures done: *err == XPT_OK ==> 0 < \result <= left;
    ensures failed: *err != XPT_OK ==> \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
      c->sp->mem.words[k] == \old(c->sp->mem.words[k]);
    ensures tree: op->kind == OP_UNMAP && pg_tree{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes) ==>
      pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes);
    ensures gone: *err == XPT_OK && c->commit && op->kind == OP_UNMAP &&
      map_at_walk{Pre}(c, \old(c->valid), va) ==>
      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && va <= v < va + \result ==>
      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v);
    ensures kept: *err == XPT_OK && op->kind == OP_UNMAP && map_at_walk{Pre}(c, \old(c->valid), va) ==>
      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
      !(c->valid <= 3 && pg_in_run(va, c->valid, pg_ents(c->valid, \result), v)) ==>
      pg_same_walk{Pre, Post}(XPT_SPACE_PGW(c->sp), v);
    ensures outside: *err == XPT_OK && op->kind == OP_UNMAP && map_at_walk{Pre}(c, \old(c->valid), va) ==>
      \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) && !(va <= v < va + \result) ==>
      pg_same_walk{Pre, Post}(XPT_SPACE_PGW(c->sp), v);
    ensures on_walk: *err == XPT_OK && op->kind == OP_UNMAP &&
      map_on_walk{Pre}(c, \old(c->valid), va) ==> map_on_walk(c, c->valid, va);
    ensures fixed: c->sp->mem.nframes == \old(c->sp->mem.nframes) &&
      c->sp->root == \old(c->sp->root) && c->commit == \old(c->commit);
    ensures check: !c->commit ==> \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
      c->sp->mem.words[k] == \old(c->sp->mem.words[k]);
*/
static uint64_t change_step(struct cursor *c, const struct op *op, uint64_t va, uint64_t left,
                            int *err)
{
	/* Read before the cursor moves: the provers then need not show that
	 * its stores leave *op alone. */
	bool protect = op->kind == OP_PROTECT, may_split = op->opts & XPT_OPT_SPLIT;
	uint64_t e = descend(c, va, err);
	/*@ assert fl_same: c->fl != \null ==> c->fl->all == \at(c->fl->all, Pre) &&
	      c->fl->npages == \at(c->fl->npages, Pre) && \forall integer j; 0 <= j < XPT_FLUSH_PAGES ==>
	      c->fl->va[j] == \at(c->fl->va[j], Pre); */
	/*@ assert fl_descend: c->fl != \null ==> \forall integer page;
	      \at(xpt_flush_covers(c->fl, page), Pre) ==> xpt_flush_covers(c->fl, page); */
	if (*err != XPT_OK) {
		/*@ assert fixed_now: c->sp->mem.nframes == \at(c->sp->mem.nframes, Pre) &&
		      c->sp->root == \at(c->sp->root, Pre) && c->commit == \at(c->commit, Pre); */
		/*@ assert kept_walk: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
		      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Pre); */
		/* descend's walk facts, in the state before it. */
		/*@ assert err_pre: (*err == XPT_E_RSVD_BITS || *err == XPT_E_WINDOW) &&
		      map_at_walk{Pre}(c, \at(c->valid, Pre), va) &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va) ==>
		      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), va) &&
		      pg_reserved(XPT_SPACE_PGW(c->sp), va); */
		return 0;
	}
	//@ assert nframes: c->sp->mem.nframes == \at(c->sp->mem.nframes, Pre);
	//@ assert root: c->sp->root == \at(c->sp->root, Pre) && c->commit == \at(c->commit, Pre);
	/*@ assert read_only: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
	      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Pre); */
	unsigned level = c->valid;
	uint64_t bytes = xpt_level_bytes(level);
	uint64_t off = va % bytes; /* va's offset in the page of this level */
	if (!present(c, e)) {
		if (protect) {
			*err = XPT_E_NOT_MAPPED;
			return 0;
		}
		/*@ ghost walk_from(c->sp->mem.words, c->sp->root << 12, c->sp->levels, c->sp->maxphyaddr,
		                    c->sp->mem.nframes, va, level, e); */
		/*@ assert hole_last: map_at_walk{Pre}(c, \at(c->valid, Pre), va) &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va) ==>
		      !pg_has(pg_last{Pre}(XPT_SPACE_PGW(c->sp), va), PG_P); */
		/* No address of va's page at this level has a translation. */
		/*@ assert page: \forall integer v; va <= v < va + (bytes - off) ==>
		      pg_in_run(va, level, 1, v); */
		/*@ assert hole: map_at_walk(c, level, va) ==> \forall integer v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && pg_in_run(va, level, 1, v) ==>
		      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
		      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
		uint64_t n = bytes - off < left ? bytes - off : left;
		/*@ assert gone_hole: map_at_walk{Pre}(c, \at(c->valid, Pre), va) ==> \forall integer v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && va <= v < va + n ==>
		      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
		      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
		/*@ assert unmapped_hole: map_at_walk{Pre}(c, \at(c->valid, Pre), va) ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && va <= v < va + n ==>
		      !pg_mapped{Pre}(XPT_SPACE_PGW(c->sp), v); */
		/*@ assert fl_hole: c->fl != \null ==> \forall integer page;
		      \at(xpt_flush_covers(c->fl, page), Pre) ==> xpt_flush_covers(c->fl, page); */
		return n;
	}
	if (off == 0 && left >= bytes) {
		//@ assert first_real: !c->path[level].virt;
		//@ assert first_leaf: xpt_present(c->sp->format, e) && pg_leaf(e, level);
		//@ assert first_word: e == c->sp->mem.words[XPT_LEAF_SLOT(c, level, va)];
		/*@ assert kept_pre: \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) ==>
		      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v) &&
		      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
		/*@ ghost walk_from(c->sp->mem.words, c->sp->root << 12, c->sp->levels, c->sp->maxphyaddr,
		                    c->sp->mem.nframes, va, level, e); */
		/*@ assert run_level: map_at_walk{Pre}(c, \at(c->valid, Pre), va) &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va) ==>
		      pg_level{Pre}(XPT_SPACE_PGW(c->sp), va) == level; */
		//@ ghost Run: ;
		uint64_t n = change_run(c, op, level, va, left);
		/*@ assert run_fixed: c->sp->mem.nframes == \at(c->sp->mem.nframes, Pre) &&
		      c->sp->root == \at(c->sp->root, Pre); */
		//@ assert run_commit: c->commit == \at(c->commit, Run);
		/*@ assert run_check: !c->commit ==> \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
		      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Pre); */
		//@ assert some: bytes <= n;
		//@ assert real: map_cursor_real(c, level);
		/*@ assert run: \forall integer v; va <= v < va + n ==>
		      pg_in_run(va, level, pg_ents(level, n), v); */
		/*@ assert fl_run: c->fl != \null ==> \forall integer page;
		      \at(xpt_flush_covers(c->fl, page), Pre) ==> xpt_flush_covers(c->fl, page); */
		/* Every translation the run removed has its page in the record. */
		/*@ assert run_walk: map_at_walk{Pre}(c, \at(c->valid, Pre), va) ==> map_at_walk{Run}(c, level, va); */
		/*@ assert unmapped_run: c->fl != \null && c->commit && !protect &&
		      map_at_walk{Pre}(c, \at(c->valid, Pre), va) &&
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), va) ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && va <= v < va + n &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
		      pg_mapped{Pre}(XPT_SPACE_PGW(c->sp), v) ==>
		      xpt_flush_covers(c->fl, pg_page_base(v, pg_level{Pre}(XPT_SPACE_PGW(c->sp), v)) & 0xfffffffffffff000); */
		/*@ assert gone_run: c->commit && !protect && map_at_walk{Pre}(c, \at(c->valid, Pre), va) ==>
		      \forall integer v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && va <= v < va + n ==>
		      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
		      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
		/*@ assert kept_run: !protect && map_at_walk{Run}(c, level, va) ==> \forall integer v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      !pg_window{Run}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
		      !pg_in_run(va, level, pg_ents(level, n), v) ==>
		      pg_same_walk{Run, Here}(XPT_SPACE_PGW(c->sp), v); */
		/*@ assert kept: !protect && map_at_walk{Run}(c, level, va) ==> \forall integer v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
		      !pg_in_run(va, level, pg_ents(level, n), v) ==>
		      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v); */
		/* Only the run's table changed, one the walk of va reads at no
		 * level above: va's walk reaches it as before (pg_in_table). */
		/*@ assert run_frame: c->sp->root == \at(c->sp->root, Run) &&
		      c->sp->levels == \at(c->sp->levels, Run) && c->sp == \at(c->sp, Run) &&
		      \forall integer l; 0 <= l <= XPT_MAX_LEVELS ==>
		      c->path[l].table == \at(c->path[l].table, Run) &&
		      c->path[l].virt == \at(c->path[l].virt, Run); */
		/*@ assert run_reach: !protect && map_on_walk{Run}(c, level, va) ==>
		      \at(pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, level) &&
		      pg_table(XPT_SPACE_PGW(c->sp), va, level) == c->path[level].table &&
		      pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes), Run); */
		/*@ assert run_here: !protect && map_on_walk{Run}(c, level, va) ==>
		      pg_reaches{Run}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, level) &&
		      pg_table{Run}(XPT_SPACE_PGW(c->sp), va, level) == c->path[level].table &&
		      pg_tree{Run}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes); */
		/*@ assert run_apart: !protect && map_on_walk{Run}(c, level, va) ==>
		      \forall integer K; level < K <= pg_top(XPT_SPACE_FLAGS(c->sp->levels)) ==>
		      pg_table{Run}(XPT_SPACE_PGW(c->sp), va, K) != c->path[level].table; */
		/*@ assert run_table: \forall integer i; 0 <= i < c->sp->mem.nframes * 512 &&
		      !(c->path[level].table * 512 <= i < c->path[level].table * 512 + 512) ==>
		      c->sp->mem.words[i] == \at(c->sp->mem.words[i], Run); */
		/*@ assert run_words: !protect && map_on_walk{Run}(c, level, va) ==>
		      \let T = pg_table{Run}(XPT_SPACE_PGW(c->sp), va, level);
		      \forall integer i; 0 <= i < c->sp->mem.nframes * 512 && !(T * 512 <= i < T * 512 + 512) ==>
		      \at(c->sp->mem.words[i], Run) == c->sp->mem.words[i]; */
		/*@ assert run_above: !protect && map_on_walk{Run}(c, level, va) ==>
		      \let T = pg_table{Run}(XPT_SPACE_PGW(c->sp), va, level);
		      \forall integer K; level < K <= pg_top(XPT_SPACE_FLAGS(c->sp->levels)) ==>
		      pg_table{Run}(XPT_SPACE_PGW(c->sp), va, K) != T; */
		/*@ assert in_table: !protect && map_on_walk{Run}(c, level, va) ==>
		      pg_in_table{Run, Here}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, level); */
		/*@ assert on_each: !protect && map_on_walk{Run}(c, level, va) ==>
		      \forall integer l; level <= l <= pg_top(XPT_SPACE_FLAGS(c->sp->levels)) ==>
		      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, l) &&
		      pg_table(XPT_SPACE_PGW(c->sp), va, l) == pg_table{Run}(XPT_SPACE_PGW(c->sp), va, l); */
		/*@ assert on_tables: !protect && map_on_walk{Run}(c, level, va) ==>
		      \forall integer l; level <= l <= c->sp->levels ==>
		      pg_table{Run}(XPT_SPACE_PGW(c->sp), va, l) == c->path[l].table && !c->path[l].virt &&
		      l <= pg_top(XPT_SPACE_FLAGS(c->sp->levels)); */
		/*@ assert tree_here: !protect && map_on_walk{Run}(c, level, va) ==>
		      c->sp->format == XPT_FMT_X86 && pg_tree(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes); */
		/*@ assert on_walk: !protect && map_on_walk{Run}(c, level, va) ==>
		      map_on_walk(c, level, va); */
		/* The run's entries are its bytes (lemma run_in): canonical
		 * addresses share va's half. */
		/*@ assert outside: !protect && map_at_walk{Run}(c, level, va) ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) && !(va <= v < va + n) ==>
		      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v); */
		return n;
	}
	//@ assert whole: !may_split;
	if (!may_split) {
		/* va's page at this level sticks out of [va, va + left). */
		/*@ assert huge_walk: map_at_walk{Pre}(c, \at(c->valid, Pre), va) ==>
		      map_at_walk(c, level, va) && e == pg_entry(XPT_SPACE_PGW(c->sp), va, level) &&
		      pg_has(e, PG_P) && pg_stop(e, level, XPT_SPACE_FLAGS(c->sp->levels), c->sp->maxphyaddr); */
		/*@ ghost walk_from(c->sp->mem.words, c->sp->root << 12, c->sp->levels, c->sp->maxphyaddr,
		                    c->sp->mem.nframes, va, level, e); */
		/*@ assert huge_at: map_at_walk{Pre}(c, \at(c->valid, Pre), va) ==>
		      pg_level(XPT_SPACE_PGW(c->sp), va) == level &&
		      e == pg_entry(XPT_SPACE_PGW(c->sp), va, level) && pg_has(e, PG_P); */
		/*@ assert huge_pre: map_at_walk{Pre}(c, \at(c->valid, Pre), va) &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va) ==>
		      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), va) &&
		      pg_level{Pre}(XPT_SPACE_PGW(c->sp), va) == level &&
		      pg_last{Pre}(XPT_SPACE_PGW(c->sp), va) == e; */
		*err = XPT_E_HUGE;
		/*@ assert fl_huge: c->fl != \null ==> \forall integer page;
		      \at(xpt_flush_covers(c->fl, page), Pre) ==> xpt_flush_covers(c->fl, page); */
		return 0;
	}
	*err = new_table(c, level, va, e);
	/* The new table is the cursor's next level down: once more from
	 * there, at most twice in all (1 GiB, then 2 MiB). */
	return *err != XPT_OK ? 0 : change_step(c, op, va, left, err);
}

/* What a pass of a map has mapped: the addresses from lo to hi of the map
 * of op, as map_maps says (MAP_PASS_MAPPED), in the space's walks. */
#define MAP_PASS_MAPPED(c, op, lo, hi, pa0, va0)                                  \
  \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS((c)->sp->levels), v) &&        \
    (lo) <= v < (hi) && (pa0) + (v - (va0)) < (1 << (c)->sp->maxphyaddr) ==>       \
    map_maps(XPT_SPACE_PGW((c)->sp), (c)->sp->mem.nframes, v, (op)->attr, pa0, va0)

/* A step's run, as map_step's mapped gives it, mapped as the whole pass
 * says: the frames one offset from the addresses (frame_offset). */
/*@ ghost
  /@ requires \valid_read(c) && \valid_read(c->sp) && \valid_read(op) && 1 <= level <= 3;
     requires offset: pa - va == pa0 - va0;
     requires run: \forall uint64_t v;
       pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && va <= v < va + done &&
       pa + (v - va) < (1 << c->sp->maxphyaddr) ==>
       MAP_RUN_LEAF(c, op, v, level, pa, va);
     assigns \nothing;
     ensures MAP_PASS_MAPPED(c, op, va, va + done, pa0, va0); @/
  static void run_maps(const struct cursor *c, const struct op *op, unsigned level, uint64_t va,
                       uint64_t pa, uint64_t done, uint64_t pa0, uint64_t va0) { }
*/
/* Two ranges mapped side by side are one. */
/*@ ghost
  /@ requires \valid_read(c) && \valid_read(c->sp) && \valid_read(op) && lo <= mid;
     requires low: MAP_PASS_MAPPED(c, op, lo, mid, pa0, va0);
     requires high: MAP_PASS_MAPPED(c, op, mid, mid + n, pa0, va0);
     assigns \nothing;
     ensures MAP_PASS_MAPPED(c, op, lo, mid + n, pa0, va0); @/
  static void maps_join(const struct cursor *c, const struct op *op, uint64_t lo, uint64_t mid,
                        uint64_t n, uint64_t pa0, uint64_t va0) { }
*/

/*
 * One pass of a map over the whole range, a run of leaves a step, from
 * the cursor at the root.  Each step gets what it asks for: the cursor
 * described, va, pa and what is left of the range whole pages, the
 * cursor no lower than the largest page va is aligned to (advance's
 * `unaligned`) and, in the commit pass on x86 tables, on va's walk in
 * tables the allocator owns (`walk`).  The check pass writes nothing; the
 * commit pass keeps the outcome of every walk outside the range
 * (`others`).
 */
/*@ requires \valid_read(op) && op->kind == OP_MAP;
    requires \valid(c) && XPT_SPACE_WRITABLE(c->sp) && map_frames_apart(c->sp) && map_flush_place(c);
    requires \separated(c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1),
                        XPT_FRAMES_META(c->sp->fa));
    requires \separated(op, c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1),
                        XPT_FRAMES_META(c->sp->fa));
    requires c->fl == \null || \separated(op, c->fl);
    requires start: c->valid == c->sp->levels && map_cursor_ok(c, c->valid);
    requires walk: c->commit ==> MAP_STEP_WALK(c, op->va);
    requires range: 0 < op->len && op->va % 4096 == 0 && op->len % 4096 == 0 &&
      op->pa % 4096 == 0 && op->pa + op->len <= 0x10000000000000 &&
      op->va + op->len - 1 <= UINT64_MAX &&
      op->va / 144115188075855872 == (op->va + op->len - 1) / 144115188075855872;
    requires half: c->commit ==> pg_half(XPT_SPACE_FLAGS(c->sp->levels), op->va, op->va + op->len - 1);
    assigns MAP_STEP_WRITES(c, Pre);
    ensures errors: \result == XPT_OK || \result == XPT_E_EXISTS || \result == XPT_E_HUGE ||
      \result == XPT_E_RSVD_BITS || \result == XPT_E_WINDOW || \result == XPT_E_NOMEM;
    ensures kept: MAP_STEP_KEPT(c, Pre);
    ensures others: \result == XPT_OK && c->commit ==> \forall uint64_t v;
      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
      !(\old(op->va) <= v < \old(op->va) + \old(op->len)) ==>
      pg_same_outcome{Pre, Post}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v);
    ensures mapped: \result == XPT_OK && c->commit ==> \forall uint64_t v;
      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && \old(op->va) <= v < \old(op->va) + \old(op->len) &&
      \old(op->pa) + (v - \old(op->va)) < (1 << c->sp->maxphyaddr) ==>
      map_maps(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v, \old(op->attr), \old(op->pa), \old(op->va));
*/
static int map_pass(struct cursor *c, const struct op *op)
{
	uint64_t va = op->va, pa = op->pa, left = op->len;
	int err;
	//@ ghost uint64_t pa0 = op->pa, va0 = op->va;
	/*@ loop invariant left: left <= \at(op->len, Pre) && left % 4096 == 0;
	    loop invariant pa: pa % 4096 == 0 && pa + left == \at(op->pa, Pre) + \at(op->len, Pre);
	    loop invariant va: left > 0 ==> va % 4096 == 0 && \at(op->va, Pre) <= va &&
	      va + left == \at(op->va, Pre) + \at(op->len, Pre);
	    loop invariant kept: MAP_STEP_KEPT(c, Pre);
	    loop invariant cursor: 1 <= c->valid <= c->sp->levels && map_cursor_ok(c, c->valid);
	    loop invariant above: left > 0 && c->valid < 3 ==> !pg_aligned(va, c->valid + 1);
	    loop invariant walk: left > 0 && c->commit ==> MAP_STEP_WALK(c, va);
	    loop invariant others: c->commit ==> \forall uint64_t v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
	      !(\at(op->va, Pre) <= v < \at(op->va, Pre) + \at(op->len, Pre) - left) ==>
	      pg_same_outcome{Pre, Here}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v);
	    loop invariant mapped: c->commit ==>
	      MAP_PASS_MAPPED(c, op, va0, va0 + \at(op->len, Pre) - left, pa0, va0);
	    loop assigns va, pa, left, err, MAP_STEP_WRITES(c, Pre);
	    loop variant left;
	*/
	while (left > 0) {
		//@ assert step_op: op->kind == OP_MAP && \valid_read(op);
		//@ assert step_pa: pa % 4096 == 0 && pa + left <= 0x10000000000000 && 4096 <= left && va % 4096 == 0;
		//@ assert step_space: XPT_SPACE_WRITABLE(c->sp);
		/*@ assert step_place: c->fl == \null || (\valid(c->fl) &&
		      \separated(c->fl, c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1),
		                  XPT_FRAMES_META(c->sp->fa))); */
		/*@ assert step_apart: \separated(c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1),
		                                  XPT_FRAMES_META(c->sp->fa)); */
		//@ assert step_pre: MAP_STEP_PRE(c, va);
		//@ ghost Step: ;
		uint64_t done = map_step(c, op, va, pa, left, &err);
		if (err != XPT_OK)
			return err;
		//@ assert pages: 0 < done <= left && done % 4096 == 0;
		/* Every address outside the range so far and this step's run
		 * keeps the outcome its walk had before the pass: the run holds
		 * the step's bytes alone (run_in). */
		//@ assert step_aligned: pg_aligned(va, c->valid) && 1 <= c->valid <= 3;
		//@ assert step_count: pg_count(c->valid, pg_ents(c->valid, done), done);
		//@ assert step_va: c->commit ==> pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), va);
		/*@ assert step_run: c->commit ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      pg_in_run(va, c->valid, pg_ents(c->valid, done), v) ==> va <= v < va + done; */
		/*@ assert step_window: c->commit ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
		      !(\at(op->va, Pre) <= v < \at(op->va, Pre) + \at(op->len, Pre) - left) ==>
		      !pg_window{Step}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
		/*@ assert step_others: c->commit ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) &&
		      !(\at(op->va, Pre) <= v < \at(op->va, Pre) + \at(op->len, Pre) - left + done) ==>
		      pg_same_outcome{Pre, Here}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
		/* The next address, or 0 when the range ends (it may end at 2^64). */
		uint64_t next = left == done ? 0 : va + done;
		/*@ assert next: left != done ==> next == va + done && va < next &&
		      next <= \at(op->va, Pre) + \at(op->len, Pre) - 1; */
		//@ assert va_top: va / 144115188075855872 == \at(op->va, Pre) / 144115188075855872;
		/*@ assert next_top: left != done ==>
		      next / 144115188075855872 == \at(op->va, Pre) / 144115188075855872; */
		/*@ assert next_half: left != done && c->commit ==>
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), next); */
		//@ assert step_walk: c->commit ==> MAP_STEP_WALK(c, va);
		//@ ghost Moved: ;
		//@ ghost unsigned lv = c->valid;
		advance(c, va, next, false);
		/* The cursor moved up to a table that holds next as it held va:
		 * every level from there up is on next's walk (reach_above). */
		/*@ assert moved_same: c->commit ==> map_on_walk(c, \at(c->valid, Moved), va) &&
		      \at(c->valid, Moved) <= c->valid && map_cursor_real(c, c->valid) && map_owned(c->sp); */
		//@ assert moved: left != done && c->commit ==> map_on_walk(c, c->valid, next);
		/* Every address mapped so far keeps its walk (outcome_mapped), and
		 * this step's run maps its bytes (map_step's mapped, in_range),
		 * each to pa plus its distance from va, one offset for the pass. */
		/*@ assert kept_out: c->commit ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      \at(op->va, Pre) <= v < \at(op->va, Pre) + \at(op->len, Pre) - left ==>
		      !pg_in_run(va, lv, pg_ents(lv, done), v); */
		/*@ assert kept_same: c->commit ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      va0 <= v < va0 + \at(op->len, Pre) - left && pa0 + (v - va0) < (1 << c->sp->maxphyaddr) ==>
		      pg_same_outcome{Step, Here}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
		/*@ assert kept_before: c->commit ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      va0 <= v < va0 + \at(op->len, Pre) - left && pa0 + (v - va0) < (1 << c->sp->maxphyaddr) ==>
		      map_maps{Step}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v, op->attr,
		                     pa0, va0); */
		/*@ assert step_kept: c->commit ==>
		      MAP_PASS_MAPPED(c, op, va0, va0 + \at(op->len, Pre) - left, pa0, va0); */
		/*@ assert step_in: c->commit ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && va <= v < va + done ==>
		      pg_in_run(va, lv, pg_ents(lv, done), v); */
		//@ assert step_offset: pa - va == pa0 - va0;
		/*@ assert step_run_mapped: c->commit ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && va <= v < va + done &&
		      pa + (v - va) < (1 << c->sp->maxphyaddr) ==>
		      MAP_RUN_LEAF(c, op, v, lv, pa, va); */
		//@ ghost if (c->commit) run_maps(c, op, lv, va, pa, done, pa0, va0);
		/*@ assert step_mapped: c->commit ==>
		      MAP_PASS_MAPPED(c, op, va, va + done, pa0, va0); */
		/*@ ghost if (c->commit) maps_join(c, op, va0, va, done,
		                                   pa0, va0); */
		//@ assert step_joined: c->commit ==> MAP_PASS_MAPPED(c, op, va0, va + done, pa0, va0);
		va += done;
		pa += done;
		left -= done;
	}
	return XPT_OK;
}

/*
 * One pass over the whole range: a map's (map_pass), or an unmap's or a
 * protect's a step at a time here.  The contract covers an unmap without
 * XPT_OPT_SPLIT or XPT_OPT_FREE_TABLES so far: the check pass writes
 * nothing, in the commit pass no address of the range keeps a
 * translation, and in either pass every address outside it keeps its
 * walk.
 */
/*@ requires unmap: \valid_read(op) && op->kind == OP_UNMAP &&
      !(op->opts & XPT_OPT_SPLIT) && !(op->opts & XPT_OPT_FREE_TABLES);
    requires \valid(c) && XPT_SPACE_WRITABLE(c->sp) && map_flush_ok(c);
    requires \separated(c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires \separated(op, c, c->sp, c->sp->mem.words + (0 .. c->sp->mem.nframes * 512 - 1));
    requires c->fl == \null || \separated(op, c->fl);
    requires c->sp->root < c->sp->mem.nframes;
    requires range: 0 < op->len && op->va + op->len - 1 <= UINT64_MAX &&
      (c->sp->format == XPT_FMT_X86 ==> pg_half(XPT_SPACE_FLAGS(c->sp->levels), op->va, op->va + op->len - 1));
    assigns c->valid, c->path[1 .. XPT_MAX_LEVELS], c->tables,
            c->sp->mem.words[0 .. c->sp->mem.nframes * 512 - 1], c->fl->npages, c->fl->all,
            c->fl->va[0 .. XPT_FLUSH_PAGES - 1], c->fl->global;
    ensures errors: \result == XPT_OK || \result == XPT_E_HUGE ||
      \result == XPT_E_RSVD_BITS || \result == XPT_E_WINDOW;
    ensures fixed: c->sp->mem.nframes == \old(c->sp->mem.nframes) &&
      c->sp->root == \old(c->sp->root) && c->commit == \old(c->commit) &&
      op->kind == \old(op->kind) && op->opts == \old(op->opts);
    ensures ok: map_flush_ok(c);
    ensures gone: \result == XPT_OK && c->commit && xpt_space_tree{Pre}(c->sp) ==>
      \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      \old(op->va) <= v < \old(op->va) + \old(op->len) ==>
      !pg_mapped(XPT_SPACE_PGW(c->sp), v) && !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v);
    ensures check: !c->commit ==> \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
      c->sp->mem.words[k] == \old(c->sp->mem.words[k]);
    ensures stops: (\result == XPT_E_HUGE || \result == XPT_E_RSVD_BITS || \result == XPT_E_WINDOW) &&
      xpt_space_tree{Pre}(c->sp) ==> \exists uint64_t v;
      \old(op->va) <= v < \old(op->va) + \old(op->len) && pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      xpt_stops{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v, \old(op->va) + \old(op->len));
    ensures single: xpt_space_tree{Pre}(c->sp) &&
      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), \old(op->va)) &&
      XPT_ONE_PAGE(Pre, c->sp->mem.nframes, \old(op->va), \old(op->len), XPT_SPACE_PGW(c->sp)) ==>
      \result == XPT_OK;
    ensures flushed: \result == XPT_OK && c->fl != \null && c->commit && xpt_space_tree{Pre}(c->sp) ==>
      \forall uint64_t v;
      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && \old(op->va) <= v < \old(op->va) + \old(op->len) &&
      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) && pg_mapped{Pre}(XPT_SPACE_PGW(c->sp), v) ==>
      xpt_flush_covers(c->fl, pg_page_base(v, pg_level{Pre}(XPT_SPACE_PGW(c->sp), v)) & 0xfffffffffffff000);
    ensures kept: \result == XPT_OK && xpt_space_tree{Pre}(c->sp) ==> \forall uint64_t v;
      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) && !(\old(op->va) <= v < \old(op->va) + \old(op->len)) ==>
      pg_same_walk{Pre, Post}(XPT_SPACE_PGW(c->sp), v);
*/
static int pass(struct cursor *c, const struct op *op)
{
	uint64_t va = op->va, left = op->len;
	bool map = op->kind == OP_MAP;
	bool free_tables = op->kind == OP_UNMAP && (op->opts & XPT_OPT_FREE_TABLES);
	unsigned top = c->sp->levels;
	xpt_pfn root = c->sp->root;
	int err;
	c->valid = top;
	c->path[top].table = root;
	c->path[top].virt = false;
	c->path[top].split = 0;
	c->tables = 0;
	if (map)
		return map_pass(c, op);
	/*@ assert init_sp: c->sp->mem.nframes == \at(c->sp->mem.nframes, Pre) &&
	      c->sp->root == root && c->sp->levels == top; */
	/*@ assert init_words: \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
	      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Pre); */
	/*@ assert init: c->valid == top && !c->path[top].virt && c->path[top].table == root; */
	//@ assert init_real: 1 <= c->valid <= c->sp->levels && map_cursor_real(c, c->valid);
	//@ assert init_cut: pg_cut{Pre, Here}(c->sp->mem.words, c->sp->mem.nframes, 0);
	/*@ assert init_tree: xpt_space_tree{Pre}(c->sp) ==> xpt_space_tree(c->sp); */
	//@ assert init_top: pg_top(XPT_SPACE_FLAGS(top)) == top;
	/*@ assert init_root: xpt_space_tree(c->sp) ==>
	      pg_table(XPT_SPACE_PGW(c->sp), va, top) == root &&
	      pg_reaches(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, top); */
	/*@ assert start: xpt_space_tree{Pre}(c->sp) ==> map_on_walk(c, c->valid, va); */
	/*@ loop invariant range: left <= \at(op->len, Pre) &&
	      (left > 0 ==> va == \at(op->va, Pre) + \at(op->len, Pre) - left);
	    loop invariant fixed: c->sp->mem.nframes == \at(c->sp->mem.nframes, Pre) &&
	      c->sp->root == \at(c->sp->root, Pre) && c->commit == \at(c->commit, Pre) &&
	      op->kind == \at(op->kind, Pre) && op->opts == \at(op->opts, Pre);
	    loop invariant cursor: 1 <= c->valid <= c->sp->levels && map_cursor_real(c, c->valid);
	    loop invariant ok: map_flush_ok(c);
	    loop invariant check: !c->commit ==> \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
	      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Pre);
	    loop invariant tree: xpt_space_tree{Pre}(c->sp) ==> xpt_space_tree(c->sp);
	    loop invariant on: left > 0 && xpt_space_tree{Pre}(c->sp) ==> map_on_walk(c, c->valid, va);
	    loop invariant gone: c->commit && xpt_space_tree{Pre}(c->sp) ==> \forall uint64_t v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && \at(op->va, Pre) <= v < \at(op->va, Pre) + \at(op->len, Pre) - left ==>
	      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
	      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v);
	    loop invariant kept: xpt_space_tree{Pre}(c->sp) ==> \forall uint64_t v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
	      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) && !(\at(op->va, Pre) <= v < \at(op->va, Pre) + \at(op->len, Pre) - left) ==>
	      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v);
	    loop invariant single: xpt_space_tree{Pre}(c->sp) &&
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), \at(op->va, Pre)) &&
	      XPT_ONE_PAGE(Pre, c->sp->mem.nframes, \at(op->va, Pre), \at(op->len, Pre), XPT_SPACE_PGW(c->sp)) ==>
	      left == \at(op->len, Pre) || left == 0;
	    loop invariant flushed: c->fl != \null && c->commit && xpt_space_tree{Pre}(c->sp) ==>
	      \forall uint64_t v;
	      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && \at(op->va, Pre) <= v < \at(op->va, Pre) + \at(op->len, Pre) - left &&
	      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) && pg_mapped{Pre}(XPT_SPACE_PGW(c->sp), v) ==>
	      xpt_flush_covers(c->fl, pg_page_base(v, pg_level{Pre}(XPT_SPACE_PGW(c->sp), v)) & 0xfffffffffffff000);
	    loop assigns va, left, err, c->valid, c->path[1 .. XPT_MAX_LEVELS], c->tables,
	      c->sp->mem.words[0 .. \at(c->sp->mem.nframes, Pre) * 512 - 1], c->fl->npages, c->fl->all,
	      c->fl->va[0 .. XPT_FLUSH_PAGES - 1], c->fl->global;
	    loop variant left;
	*/
	while (left > 0) {
		//@ ghost Step: ;
		uint64_t done = change_step(c, op, va, left, &err);
		/*@ assert step_nframes: c->sp == \at(c->sp, Step) &&
		      c->sp->mem.nframes == \at(c->sp->mem.nframes, Step); */
		//@ assert step_root: c->sp->root == \at(c->sp->root, Step);
		//@ assert step_commit: c->commit == \at(c->commit, Step);
		//@ assert step_op: op->kind == \at(op->kind, Step) && op->opts == \at(op->opts, Step);
		if (err != XPT_OK) {
			/* The error is a fact of the walk of va, the one it had
			 * before the pass (kept). */
			/*@ assert err_walk: xpt_space_tree{Pre}(c->sp) ==>
			      map_at_walk{Step}(c, \at(c->valid, Step), va) &&
			      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), va); */
			/*@ assert err_step: (err == XPT_E_HUGE || err == XPT_E_RSVD_BITS || err == XPT_E_WINDOW) &&
			      xpt_space_tree{Pre}(c->sp) ==> xpt_stops{Step}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, va + left); */
			/*@ assert err_same: xpt_space_tree{Pre}(c->sp) &&
			      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va) ==>
			      pg_same_walk{Pre, Step}(XPT_SPACE_PGW(c->sp), va); */
			/*@ assert err_pre: (err == XPT_E_HUGE || err == XPT_E_RSVD_BITS || err == XPT_E_WINDOW) &&
			      xpt_space_tree{Pre}(c->sp) ==>
			      \at(op->va, Pre) <= va < \at(op->va, Pre) + \at(op->len, Pre) &&
			      va + left == \at(op->va, Pre) + \at(op->len, Pre) &&
			      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), va) &&
			      xpt_stops{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, va, va + left); */
			/*@ assert err_check: !c->commit ==> \forall integer k; 0 <= k < c->sp->mem.nframes * 512 ==>
			      c->sp->mem.words[k] == \at(c->sp->mem.words[k], Pre); */
			/* One whole page stops nothing where the pass meets it. */
			/*@ assert err_single: !(xpt_space_tree{Pre}(c->sp) &&
			      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), \at(op->va, Pre)) &&
			      XPT_ONE_PAGE(Pre, c->sp->mem.nframes, \at(op->va, Pre), \at(op->len, Pre), XPT_SPACE_PGW(c->sp))); */
			return err;
		}
		/* On one whole page, the first step takes all of it. */
		/*@ assert step_single: xpt_space_tree{Pre}(c->sp) &&
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), \at(op->va, Pre)) &&
		      XPT_ONE_PAGE(Pre, c->sp->mem.nframes, \at(op->va, Pre), \at(op->len, Pre), XPT_SPACE_PGW(c->sp)) ==>
		      done == left; */
		/*@ assert step_gone: c->commit && xpt_space_tree{Pre}(c->sp) ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && \at(op->va, Pre) <= v < \at(op->va, Pre) + \at(op->len, Pre) - left + done ==>
		      !pg_mapped(XPT_SPACE_PGW(c->sp), v) &&
		      !pg_window(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
		/*@ assert step_kept: xpt_space_tree{Pre}(c->sp) ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) && !(\at(op->va, Pre) <= v < \at(op->va, Pre) + \at(op->len, Pre) - left + done) ==>
		      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(c->sp), v); */
		/*@ assert step_keeps: c->fl != \null ==> \forall integer page;
		      \at(xpt_flush_covers(c->fl, page), Step) ==> xpt_flush_covers(c->fl, page); */
		/*@ assert step_walk: xpt_space_tree{Pre}(c->sp) ==>
		      map_at_walk{Step}(c, \at(c->valid, Step), va) &&
		      (c->sp->format == XPT_FMT_X86 ==> pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), va)); */
		/*@ assert step_same: xpt_space_tree{Pre}(c->sp) ==> \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && va <= v < va + done &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) ==>
		      pg_same_walk{Pre, Step}(XPT_SPACE_PGW(c->sp), v) &&
		      !pg_window{Step}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v); */
		/*@ assert step_new: c->fl != \null && c->commit && xpt_space_tree{Pre}(c->sp) ==>
		      \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && va <= v < va + done &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) && pg_mapped{Pre}(XPT_SPACE_PGW(c->sp), v) ==>
		      xpt_flush_covers(c->fl, pg_page_base(v, pg_level{Pre}(XPT_SPACE_PGW(c->sp), v)) & 0xfffffffffffff000); */
		/*@ assert step_flushed: c->fl != \null && c->commit && xpt_space_tree{Pre}(c->sp) ==>
		      \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && \at(op->va, Pre) <= v < \at(op->va, Pre) + \at(op->len, Pre) - left + done &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) && pg_mapped{Pre}(XPT_SPACE_PGW(c->sp), v) ==>
		      xpt_flush_covers(c->fl, pg_page_base(v, pg_level{Pre}(XPT_SPACE_PGW(c->sp), v)) & 0xfffffffffffff000); */
		/*@ assert step_tree: xpt_space_tree{Pre}(c->sp) ==> xpt_space_tree(c->sp); */
		/*@ assert step_on: xpt_space_tree{Pre}(c->sp) ==> map_on_walk(c, c->valid, va); */
		/* The next address, or 0 when the range ends (it may end at 2^64). */
		uint64_t next = left == done ? 0 : va + done;
		/*@ assert next: left != done ==> next == va + done && 0 < next &&
		      (c->sp->format == XPT_FMT_X86 ==> pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), next)); */
		//@ ghost Moved: ;
		advance(c, va, next, free_tables && c->commit);
		/*@ assert moved_same: xpt_space_tree{Pre}(c->sp) ==>
		      map_on_walk(c, \at(c->valid, Moved), va) && \at(c->valid, Moved) <= c->valid; */
		/*@ assert moved: left != done && xpt_space_tree{Pre}(c->sp) ==>
		      map_on_walk(c, c->valid, next); */
		/*@ assert moved_fl: c->fl != \null ==> c->fl->all == \at(c->fl->all, Moved) &&
		      c->fl->npages == \at(c->fl->npages, Moved) && \forall integer j; 0 <= j < XPT_FLUSH_PAGES ==>
		      c->fl->va[j] == \at(c->fl->va[j], Moved); */
		/*@ assert moved_keeps: c->fl != \null ==> \forall integer page;
		      \at(xpt_flush_covers(c->fl, page), Moved) ==> xpt_flush_covers(c->fl, page); */
		/*@ assert moved_flushed: c->fl != \null && c->commit && xpt_space_tree{Pre}(c->sp) ==>
		      \forall uint64_t v;
		      pg_canonical(XPT_SPACE_FLAGS(c->sp->levels), v) && \at(op->va, Pre) <= v < \at(op->va, Pre) + \at(op->len, Pre) - left + done &&
		      !pg_window{Pre}(XPT_SPACE_PGW(c->sp), c->sp->mem.nframes, v) && pg_mapped{Pre}(XPT_SPACE_PGW(c->sp), v) ==>
		      xpt_flush_covers(c->fl, pg_page_base(v, pg_level{Pre}(XPT_SPACE_PGW(c->sp), v)) & 0xfffffffffffff000); */
		va += done;
		left -= done;
	}
	return XPT_OK;
}

/* --------------------------------------------------------- validation */

/*
 * Whether the request is one the mapper can carry out as asked: the
 * attributes, options and range are well formed, the range is aligned,
 * lies in the space's addresses (canonical and in one half for x86,
 * below 2^48 for EPT) and, for a map, its frames lie below MAXPHYADDR.
 */
/*@ requires \valid_read(sp) && \valid_read(op) && 12 < sp->maxphyaddr <= 52;
    requires (sp->levels == 4 || sp->levels == 5) &&
      (sp->format == XPT_FMT_X86 || sp->format == XPT_FMT_EPT);
    assigns \nothing;
    ensures errors: \result == XPT_OK || \result == XPT_E_INVAL || \result == XPT_E_PHYS ||
      \result == XPT_E_NONCANONICAL || \result == XPT_E_ALIGN || \result == XPT_E_POLICY;
    ensures range: \result == XPT_OK ==>
      op->len != 0 && op->va + op->len - 1 <= UINT64_MAX &&
      op->va % 4096 == 0 && op->len % 4096 == 0 && op->pa % 4096 == 0;
    ensures frames: \result == XPT_OK && op->kind == OP_MAP ==>
      op->pa + op->len <= (1 << sp->maxphyaddr);
    ensures ept: \result == XPT_OK && sp->format == XPT_FMT_EPT ==> op->va + op->len <= 0x1000000000000;
    ensures canonical: \result == XPT_OK && sp->format != XPT_FMT_EPT ==>
      \let bits = sp->levels == 5 ? 57 : 48;
      pg_canonical_w(op->va, bits) && pg_canonical_w(op->va + op->len - 1, bits) &&
      (op->va >> (bits - 1)) == ((op->va + op->len - 1) >> (bits - 1));
    ensures policy: \result == XPT_E_POLICY ==> op->kind != OP_UNMAP;
    ensures half: \result == XPT_OK && sp->format != XPT_FMT_EPT ==>
      pg_half(XPT_SPACE_FLAGS(sp->levels), op->va, op->va + op->len - 1);
*/
static int check_range(const struct xpt_space *sp, const struct op *op)
{
	uint64_t last, limit = (uint64_t)1 << sp->maxphyaddr;
	unsigned bits = xpt_space_va_bits(sp);
	//@ assert va_bits: pg_va_bits(XPT_SPACE_FLAGS(sp->levels)) == bits;
	if ((op->attr & ~xpt_fmt_attrs(sp->format)) || (op->opts & ~XPT_OPT_MASK) || op->len == 0)
		return XPT_E_INVAL;
	if (sp->format == XPT_FMT_EPT && op->kind != OP_UNMAP &&
	    !xpt_ept_memtype_valid((op->attr & XPT_CACHE_MASK) >> XPT_CACHE_SHIFT))
		return XPT_E_INVAL;
	/* Guest-physical addresses for EPT (48 bits); canonical, in one half,
	 * for x86.  A range that wraps around is neither. */
	if (op->len - 1u > UINT64_MAX - op->va)
		return sp->format == XPT_FMT_EPT ? XPT_E_PHYS : XPT_E_NONCANONICAL;
	last = op->va + (op->len - 1u);
	if (sp->format == XPT_FMT_EPT) {
		if (last >= (uint64_t)1 << XPT_VA_BITS)
			return XPT_E_PHYS;
	} else if (!xpt_canonical_width(op->va, bits) || !xpt_canonical_width(last, bits) ||
	           op->va >> (bits - 1u) != last >> (bits - 1u)) {
		return XPT_E_NONCANONICAL;
	}
	//@ assert last: last == op->va + op->len - 1 && op->va <= last;
	/*@ assert ends: sp->format != XPT_FMT_EPT ==>
	      pg_canonical(XPT_SPACE_FLAGS(sp->levels), op->va) &&
	      pg_canonical(XPT_SPACE_FLAGS(sp->levels), last) &&
	      (op->va >> (pg_va_bits(XPT_SPACE_FLAGS(sp->levels)) - 1)) ==
	      (last >> (pg_va_bits(XPT_SPACE_FLAGS(sp->levels)) - 1)); */
	/*@ assert half_here: sp->format != XPT_FMT_EPT ==>
	      pg_half(XPT_SPACE_FLAGS(sp->levels), op->va, last); */
	if (op->va % XPT_PAGE_SIZE != 0 || op->len % XPT_PAGE_SIZE != 0 || op->pa % XPT_PAGE_SIZE != 0)
		return XPT_E_ALIGN;
	if (op->kind == OP_MAP && (op->pa > limit || op->len > limit - op->pa))
		return XPT_E_PHYS;
	if (op->kind != OP_UNMAP && (sp->policy & XPT_POLICY_WX) && (op->attr & XPT_WRITE) &&
	    !(op->attr & XPT_NOEXEC))
		return XPT_E_POLICY;
	return XPT_OK;
}

/*
 * Check, then commit; the commit pass cannot fail once the check passed.
 * The contract covers an unmap without XPT_OPT_SPLIT or
 * XPT_OPT_FREE_TABLES so far: a request refused for its arguments, or for
 * want of frames, changes nothing; a done one leaves no address of the
 * range a translation and every other address the walk it had.  A walk
 * error, in either pass, is one of an address of the range in the tables
 * as they were (stops).  (That the commit pass meets none once the check
 * passed is not proved yet: one there would leave the tables part done.)
 */
/*@ requires unmap: \valid_read(op) && op->kind == OP_UNMAP &&
      !(op->opts & XPT_OPT_SPLIT) && !(op->opts & XPT_OPT_FREE_TABLES);
    requires \separated(op, sp, sp->mem.words + (0 .. sp->mem.nframes * 512 - 1));
    requires fl == \null || \separated(fl, op);
    XPT_UNMAP_CONTRACT(sp, fl, \old(op->va), \old(op->len));
*/
static int run(struct xpt_space *sp, const struct op *op, struct xpt_flush *fl)
{
	struct cursor c = { .sp = sp, .fl = fl };
	int err = check_range(sp, op);
	//@ ghost Check: ;
	/*@ assert check_words: \forall integer k; 0 <= k < sp->mem.nframes * 512 ==>
	      sp->mem.words[k] == \at(sp->mem.words[k], Pre); */
	//@ assert check_tree: xpt_space_tree{Pre}(sp) ==> xpt_space_tree(sp);
	/*@ assert check_single: xpt_space_tree{Pre}(sp) &&
	      pg_canonical(XPT_SPACE_FLAGS(sp->levels), op->va) &&
	      XPT_ONE_PAGE(Pre, sp->mem.nframes, op->va, op->len, XPT_SPACE_PGW(sp)) ==>
	      XPT_ONE_PAGE(Here, sp->mem.nframes, op->va, op->len, XPT_SPACE_PGW(sp)); */
	if (err == XPT_OK)
		err = pass(&c, op);
	if (err != XPT_OK) {
		/* A walk error names an address whose walk stops the pass: the
		 * same in the tables as they were (stops_agree). */
		/*@ assert stops_check: \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(sp->levels), v) &&
		      xpt_stops{Check}(XPT_SPACE_PGW(sp), sp->mem.nframes, v, op->va + op->len) ==>
		      xpt_stops{Pre}(XPT_SPACE_PGW(sp), sp->mem.nframes, v, op->va + op->len); */
		return err;
	}
	if (c.tables > sp->fa->nfree)
		return XPT_E_NOMEM;
	/* The check pass wrote nothing: the tables are a tree still, and
	 * every walk inside the window is as it was. */
	//@ ghost Checked: ;
	//@ assert op_va: op->va == \at(op->va, Pre);
	//@ assert op_len: op->len == \at(op->len, Pre);
	//@ assert same: pg_cut{Pre, Here}(sp->mem.words, sp->mem.nframes, 0);
	//@ assert tree: xpt_space_tree{Pre}(sp) ==> xpt_space_tree(sp);
	/*@ assert walks: \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(sp->levels), v) &&
	      !pg_window{Pre}(XPT_SPACE_PGW(sp), sp->mem.nframes, v) ==>
	      !pg_window(XPT_SPACE_PGW(sp), sp->mem.nframes, v) &&
	      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(sp), v); */
	c.commit = true;
	//@ ghost Commit: ;
	/*@ assert commit_words: \forall integer k; 0 <= k < sp->mem.nframes * 512 ==>
	      sp->mem.words[k] == \at(sp->mem.words[k], Pre); */
	/*@ assert commit_single: xpt_space_tree{Pre}(sp) &&
	      pg_canonical(XPT_SPACE_FLAGS(sp->levels), op->va) &&
	      XPT_ONE_PAGE(Pre, sp->mem.nframes, op->va, op->len, XPT_SPACE_PGW(sp)) ==>
	      XPT_ONE_PAGE(Here, sp->mem.nframes, op->va, op->len, XPT_SPACE_PGW(sp)); */
	err = pass(&c, op);
	/*@ assert stops_commit: \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(sp->levels), v) &&
	      xpt_stops{Commit}(XPT_SPACE_PGW(sp), sp->mem.nframes, v, op->va + op->len) ==>
	      xpt_stops{Pre}(XPT_SPACE_PGW(sp), sp->mem.nframes, v, op->va + op->len); */
	return err;
}

/* ------------------------------------------------------------- the API */

int xpt_space_init_levels(struct xpt_space *sp, const struct xpt_mem *mem, struct xpt_frames *fa,
                          unsigned maxphyaddr, unsigned levels)
{
	xpt_pfn root;
	if (maxphyaddr < 36u || maxphyaddr > XPT_MAXPHYADDR ||
	    (levels != XPT_LEVELS && levels != XPT_MAX_LEVELS))
		return XPT_E_INVAL;
	/* Every table is a frame of the allocator, and an entry naming a frame
	 * at or above MAXPHYADDR has reserved bits set: a walk through it
	 * faults.  So every frame the allocator covers lies in the window and
	 * below MAXPHYADDR. */
	uint64_t below = (uint64_t)1 << (maxphyaddr - 12u);
	//@ assert below: below == (1 << (maxphyaddr - 12));
	if (fa->nframes > mem->nframes || fa->nframes > below)
		return XPT_E_INVAL;
	//@ assert apart: \separated(&mem->words, &mem->nframes, XPT_FRAMES_META(fa));
	if (xpt_frame_alloc(fa, &root) != XPT_OK)
		return XPT_E_NOMEM;
	//@ assert kept: mem->words == \at(mem->words, Pre) && mem->nframes == \at(mem->nframes, Pre);
	//@ assert fresh: fr_free{Pre}(fa, root) && root < mem->nframes;
	*sp = (struct xpt_space){ .mem = *mem, .fa = fa, .root = root,
	                          .maxphyaddr = (uint8_t)maxphyaddr, .levels = (uint8_t)levels };
	/*@ assert set: sp->mem.words == \at(mem->words, Pre) && sp->mem.nframes == \at(mem->nframes, Pre) &&
	      sp->root == root && sp->fa == fa && sp->levels == levels && sp->maxphyaddr == maxphyaddr &&
	      sp->format == XPT_FMT_X86 && sp->policy == 0; */
	table_zero(sp, root);
	return XPT_OK;
}

int xpt_space_init(struct xpt_space *sp, const struct xpt_mem *mem, struct xpt_frames *fa,
                   unsigned maxphyaddr)
{
	return xpt_space_init_levels(sp, mem, fa, maxphyaddr, XPT_LEVELS);
}

int xpt_space_init_ept(struct xpt_space *sp, const struct xpt_mem *mem, struct xpt_frames *fa,
                       unsigned maxphyaddr)
{
	int err = xpt_space_init_levels(sp, mem, fa, maxphyaddr, XPT_LEVELS);
	if (err == XPT_OK)
		sp->format = XPT_FMT_EPT;
	return err;
}

/* The mapping of va by `leaf`, a leaf of the given size. */
/*@ requires \valid_read(sp) && \valid(out) && \separated(out, sp);
    requires size <= XPT_1G && 12 < sp->maxphyaddr <= 52;
    assigns *out;
    ensures out->size == size && out->entry == leaf && out->eff == eff;
    ensures out->pa == pg_leaf_base(leaf, size + 1, sp->maxphyaddr);
    ensures out->offset == (va & (pg_size(size + 1) - 1));
    ensures out->va == (va & (uint64_t)~(pg_size(size + 1) - 1));
*/
static void describe(const struct xpt_space *sp, uint64_t va, unsigned size, uint64_t leaf,
                     xpt_attr eff, struct xpt_mapping *out)
{
	uint64_t bytes = xpt_size_bytes((enum xpt_size)size);
	out->va = va & ~(bytes - 1u);
	out->pa = xpt_leaf_base(leaf, size + 1u, sp->maxphyaddr);
	out->offset = va & (bytes - 1u);
	out->size = (enum xpt_size)size;
	out->attr = xpt_fmt_attr(sp->format, leaf, size + 1u);
	out->eff = eff;
	out->entry = leaf;
}

/* translate for an EPT space: any of R, W, X makes a page present. */
/*@ requires XPT_SPACE_READABLE(sp) && \valid(out) && sp->format == XPT_FMT_EPT;
    requires \separated(out, sp, sp->mem.words + (0 .. sp->mem.nframes * 512 - 1));
    assigns *out;
    ensures \result == XPT_OK || \result == XPT_E_PHYS || \result == XPT_E_WINDOW ||
            \result == XPT_E_RSVD_BITS || \result == XPT_E_NOT_MAPPED;
    ensures \result == XPT_OK ==> out->size <= XPT_1G;
*/
static int translate_ept(const struct xpt_space *sp, uint64_t gpa, struct xpt_mapping *out)
{
	struct xpt_ept_walk w;
	if (gpa >> XPT_VA_BITS != 0) /* the walk would index with bits 12..47 alone */
		return XPT_E_PHYS;
	int err = xpt_ept_lookup(&sp->mem, xpt_eptp(sp), sp->maxphyaddr, gpa, 0, &w);
	if (err != XPT_OK)
		return err;
	if (w.outcome == XPT_EPT_MISCONFIG)
		return XPT_E_RSVD_BITS;
	if (w.outcome != XPT_EPT_OK)
		return XPT_E_NOT_MAPPED;
	uint64_t leaf = w.entry[w.levels - 1u];
	xpt_attr eff = xpt_fmt_attr(XPT_FMT_EPT, leaf, w.leaf + 1u) & (XPT_WRITE | XPT_NOEXEC);
	describe(sp, gpa, w.leaf, leaf, eff, out);
	return XPT_OK;
}

int xpt_translate(const struct xpt_space *sp, uint64_t va, struct xpt_mapping *out)
{
	if (sp->format == XPT_FMT_EPT)
		return translate_ept(sp, va, out);
	struct xpt_ctl ctl = xpt_space_ctl(sp, XPT_CTL_NXE | XPT_CTL_GBPAGES, 0);
	struct xpt_walk w;
	int err = xpt_walk(&sp->mem, &ctl, va, XPT_ACC_READ, &w);
	if (err != XPT_OK)
		return err;
	/*@ assert read_fault: w.fault == (!pg_canonical(ctl.flags, va) ? FAULT_GP :
	      pg_mapped{Pre}(sp->mem.words, ctl.cr3, ctl.flags, ctl.maxphyaddr, va) ? FAULT_NONE : FAULT_PF); */
	if (w.fault == XPT_FAULT_GP)
		return XPT_E_NONCANONICAL;
	if (w.fault != XPT_FAULT_NONE)
		return (w.error_code & XPT_PF_RSVD) ? XPT_E_RSVD_BITS : XPT_E_NOT_MAPPED;
	describe(sp, va, w.leaf, w.entry[w.levels - 1u], w.eff, out);
	return XPT_OK;
}

/* An address the space can map: canonical, or for EPT below 2^48 (there is
 * no canonical form of a guest-physical address). */
/*@ requires \valid_read(sp);
    assigns \nothing;
    ensures ept: sp->format == XPT_FMT_EPT ==> (\result <==> va < 0x1000000000000);
    ensures x86: sp->format != XPT_FMT_EPT ==>
      (\result <==> pg_canonical_w(va, sp->levels == 5 ? 57 : 48));
*/
static bool space_addr(const struct xpt_space *sp, uint64_t va)
{
	if (sp->format == XPT_FMT_EPT)
		return va < (uint64_t)1 << XPT_VA_BITS;
	return xpt_canonical_width(va, xpt_space_va_bits(sp));
}

int xpt_map_range(struct xpt_space *sp, uint64_t va, uint64_t pa, uint64_t len, xpt_attr attr,
                  unsigned opts, struct xpt_flush *fl)
{
	struct op op = { OP_MAP, va, pa, len, attr, opts, -1 };
	return run(sp, &op, fl);
}

int xpt_map(struct xpt_space *sp, uint64_t va, uint64_t pa, enum xpt_size size, xpt_attr attr,
            struct xpt_flush *fl)
{
	struct op op = { OP_MAP, va, pa, 0, attr, 0, (int)size };
	if ((unsigned)size > XPT_1G)
		return XPT_E_INVAL;
	op.len = xpt_size_bytes(size);
	if ((va | pa) % op.len != 0 && space_addr(sp, va)) /* else the range check's error */
		return XPT_E_ALIGN;
	return run(sp, &op, fl);
}

int xpt_unmap_range(struct xpt_space *sp, uint64_t va, uint64_t len, unsigned opts,
                    struct xpt_flush *fl)
{
	struct op op = { OP_UNMAP, va, 0, len, 0, opts, -1 };
	return run(sp, &op, fl);
}

int xpt_protect_range(struct xpt_space *sp, uint64_t va, uint64_t len, xpt_attr attr,
                      unsigned opts, struct xpt_flush *fl)
{
	struct op op = { OP_PROTECT, va, 0, len, attr, opts, -1 };
	return run(sp, &op, fl);
}

/* The single-page forms act on the whole leaf that starts at va. */
/*@ requires XPT_SPACE_READABLE(sp) && \valid(m) && \valid(len);
    requires \separated(m, len, sp, sp->mem.words + (0 .. sp->mem.nframes * 512 - 1));
    assigns *m, *len;
    ensures errors: \result == XPT_OK || \result == XPT_E_NOT_MAPPED ||
      \result == XPT_E_NONCANONICAL || \result == XPT_E_WINDOW || \result == XPT_E_RSVD_BITS ||
      \result == XPT_E_PHYS || \result == XPT_E_ALIGN || \result == XPT_E_HUGE;
    ensures leaf: \result == XPT_OK && !(opts & XPT_OPT_SPLIT) && sp->format == XPT_FMT_X86 ==>
      *len == pg_size(pg_level{Old}(XPT_SPACE_WALK(sp), va));
    ensures what: \result == XPT_OK && !(opts & XPT_OPT_SPLIT) && sp->format == XPT_FMT_X86 ==>
      m->size == pg_level{Old}(XPT_SPACE_WALK(sp), va) - 1 &&
      m->entry == pg_last{Old}(XPT_SPACE_WALK(sp), va) && m->offset == 0;
    ensures size: \result == XPT_OK ==> *len == 4096 || *len == 2097152 || *len == 1073741824;
    ensures page: \result == XPT_OK && !(opts & XPT_OPT_SPLIT) && sp->format == XPT_FMT_X86 ==>
      pg_canonical(XPT_SPACE_FLAGS(\old(sp->levels)), va) &&
      XPT_ONE_PAGE(Old, \old(sp->mem.nframes), va, *len, XPT_SPACE_WALK(sp));
*/
static int leaf_at(const struct xpt_space *sp, uint64_t va, unsigned opts, struct xpt_mapping *m,
                   uint64_t *len)
{
	int err = xpt_translate(sp, va, m);
	if (err != XPT_OK)
		return err; /* NOT_MAPPED, NONCANONICAL, WINDOW or RSVD_BITS, as translate says */
	*len = xpt_size_bytes(m->size);
	if (m->offset == 0) {
		/* The page starts at va: the offset, a mask, is a remainder. */
		/*@ assert fields: sp->root == \at(sp->root, Pre) && sp->levels == \at(sp->levels, Pre) &&
		      sp->maxphyaddr == \at(sp->maxphyaddr, Pre) && sp->mem.words == \at(sp->mem.words, Pre) &&
		      sp->mem.nframes == \at(sp->mem.nframes, Pre); */
		/*@ assert mask: sp->format == XPT_FMT_X86 ==>
		      (*len == 4096 ==> (va & 4095) == 0) && (*len == 2097152 ==> (va & 2097151) == 0) &&
		      (*len == 1073741824 ==> (va & 1073741823) == 0); */
		//@ assert aligned: sp->format == XPT_FMT_X86 ==> pg_aligned(va, m->size + 1);
		//@ assert aligned_size: sp->format == XPT_FMT_X86 ==> va % pg_size(m->size + 1) == 0;
		//@ assert len_size: *len == pg_size(m->size + 1);
		/*@ assert mapped: sp->format == XPT_FMT_X86 ==>
		      !pg_window{Pre}(XPT_SPACE_PGW(sp), sp->mem.nframes, va) &&
		      pg_mapped{Pre}(XPT_SPACE_PGW(sp), va) &&
		      m->size + 1 == pg_level{Pre}(XPT_SPACE_PGW(sp), va); */
		/*@ assert page_here: sp->format == XPT_FMT_X86 ==>
		      XPT_ONE_PAGE(Pre, sp->mem.nframes, va, *len, XPT_SPACE_PGW(sp)); */
		return XPT_OK;
	}
	if (va % XPT_PAGE_SIZE != 0)
		return XPT_E_ALIGN;
	if (!(opts & XPT_OPT_SPLIT))
		return XPT_E_HUGE;
	*len = XPT_PAGE_SIZE; /* cut one 4 KiB page out of the huge one */
	m->pa += m->offset;
	m->va = va;
	m->offset = 0;
	m->size = XPT_4K;
	return XPT_OK;
}

int xpt_unmap(struct xpt_space *sp, uint64_t va, unsigned opts, struct xpt_mapping *out,
              struct xpt_flush *fl)
{
	struct xpt_mapping m;
	uint64_t len;
	int err = leaf_at(sp, va, opts, &m, &len);
	if (err != XPT_OK)
		return err;
	//@ assert fields: sp->root == \at(sp->root, Pre) && sp->mem.nframes == \at(sp->mem.nframes, Pre);
	/*@ assert found: \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(sp->levels), v) &&
	      !pg_window{Pre}(XPT_SPACE_PGW(sp), sp->mem.nframes, v) ==>
	      pg_same_walk{Pre, Here}(XPT_SPACE_PGW(sp), v) &&
	      !pg_window(XPT_SPACE_PGW(sp), sp->mem.nframes, v); */
	err = xpt_unmap_range(sp, va, len, opts, fl);
	//@ ghost Unmapped: ;
	if (err == XPT_OK && out != NULL)
		*out = m;
	/* *out lies outside the window: every walk inside it is as it was. */
	/*@ assert same: \forall integer k; 0 <= k < sp->mem.nframes * 512 ==>
	      sp->mem.words[k] == \at(sp->mem.words[k], Unmapped); */
	/*@ assert walks: \forall uint64_t v; pg_canonical(XPT_SPACE_FLAGS(sp->levels), v) &&
	      !pg_window{Unmapped}(XPT_SPACE_PGW(sp), sp->mem.nframes, v) ==>
	      pg_same_walk{Unmapped, Here}(XPT_SPACE_PGW(sp), v) &&
	      !pg_window(XPT_SPACE_PGW(sp), sp->mem.nframes, v); */
	/*@ assert fl_fields: fl != \null ==> fl->all == \at(fl->all, Unmapped) &&
	      fl->npages == \at(fl->npages, Unmapped) && \forall integer j; 0 <= j < XPT_FLUSH_PAGES ==>
	      fl->va[j] == \at(fl->va[j], Unmapped); */
	/*@ assert fl_same: fl != \null ==> \forall integer page;
	      \at(xpt_flush_covers(fl, page), Unmapped) ==> xpt_flush_covers(fl, page); */
	return err;
}

int xpt_protect(struct xpt_space *sp, uint64_t va, xpt_attr attr, struct xpt_flush *fl)
{
	struct xpt_mapping m;
	uint64_t len;
	int err = leaf_at(sp, va, 0, &m, &len);
	if (err == XPT_OK)
		err = xpt_protect_range(sp, va, len, attr, 0, fl);
	return err;
}

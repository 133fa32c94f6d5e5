/*
 * The lemma library: bit facts the proofs of ref/ rely on, and facts that
 * say what the masks of spec/paging.h are in plain arithmetic.
 *
 * Every `lemma` here is a proof goal of `make prove`, proved on its own by
 * WP (its simplifier evaluates the bit operations once the cases are
 * split; the tactic named next to a lemma in proofs/README.md does the
 * split).  The axioms of the blocks Bits and BitsLeaf below are facts
 * WP's provers do not find on integers, each a goal of the same name in
 * proofs/bits.mlw, which Z3 proves on 64-bit vectors (proofs/bits.sh,
 * proofs/ASSUMPTIONS.md).
 */
#ifndef XPT_PROOFS_LEMMAS_H
#define XPT_PROOFS_LEMMAS_H

/*@
  // ------------------------------------------------ pg_bits, as C computes it
  // The value xpt_bit_range computes, with its upper mask already chosen:
  // the definition of pg_bits with the case on hi taken out (first, so that
  // its proof sees no other lemma).
  lemma bits_upper: \forall integer lo, hi, upper; 0 <= lo <= hi <= 64 && lo < 64 ==>
    upper == (hi >= 64 ? 18446744073709551615 : (uint64_t)((uint64_t)(1 << hi) - 1)) ==>
    pg_bits(lo, hi) == (upper & (uint64_t)(~((uint64_t)(1 << lo) - 1)));

  // ------------------------------------------- bits, proved on bit vectors
  // Stated as in proofs/bits.mlw, term for term (proofs/bits.sh checks the
  // names; proofs/ASSUMPTIONS.md says why the statements agree).
  // In a block of its own, with a name of its own for the entry, so that
  // only goals that name it see the axiom: next to the other bit lemmas
  // it costs the provers (it slowed proofs of index lemmas past 30 s).
  axiomatic Bits {
  // The entry that hangs table frame t (format.h's xpt_table_entry).
  logic integer bits_entry(integer t) = (t << 12) | 7;
  // Below MAXPHYADDR M it is present, PS and XD are clear, no address
  // bit from M to 51 is set, and its address field gives t back.
  axiom bits_table_entry: \forall integer t, M;
    13 <= M <= 52 && 0 <= t < (1 << (M - 12)) ==>
    (bits_entry(t) & 0x1) != 0 &&
    (bits_entry(t) & 0x80) == 0 &&
    (bits_entry(t) & 0x8000000000000000) == 0 &&
    (bits_entry(t) & ((1 << 52) - (1 << M))) == 0 &&
    ((bits_entry(t) & ((1 << M) - 4096)) >> 12) == t;
  // The base a flush record names for the page of n bytes that holds va:
  // the page base in arithmetic, cut to 4 KiB (map.c's record).
  logic integer bits_flushed(integer va, integer n) = (va - va % n) & 0xfffffffffffff000;
  // It lies in va's page: masked to the page, it is va masked so (the
  // TLB's page base, xpt.h's xpt_page_base).  One axiom a page size: Z3
  // proves each in seconds, and one on a variable size not within 20 s.
  axiom bits_page_4k: \forall integer va; 0 <= va < 0x10000000000000000 ==>
    (bits_flushed(va, 4096) & 0xfffffffffffff000) == (va & 0xfffffffffffff000);
  axiom bits_page_2m: \forall integer va; 0 <= va < 0x10000000000000000 ==>
    (bits_flushed(va, 2097152) & 0xffffffffffe00000) == (va & 0xffffffffffe00000);
  axiom bits_page_1g: \forall integer va; 0 <= va < 0x10000000000000000 ==>
    (bits_flushed(va, 1073741824) & 0xffffffffc0000000) == (va & 0xffffffffc0000000);
  // Between two addresses that agree on their bits from 47 (56) up, every
  // address does too (half_in, a width at a time).  The width is a
  // variable equal to 47 (56), so that the provers can apply the axiom to
  // a width they know only by its value.
  axiom bits_half_47: \forall integer a, b, x, k; k == 47 &&
    0 <= a <= x <= b < 0x10000000000000000 && (a >> k) == (b >> k) ==> (x >> k) == (a >> k);
  axiom bits_half_56: \forall integer a, b, x, k; k == 56 &&
    0 <= a <= x <= b < 0x10000000000000000 && (a >> k) == (b >> k) ==> (x >> k) == (a >> k);
  }

  // ------------------------------------------------ masks, in arithmetic
  // bits M..51 and 12..M-1 for every MAXPHYADDR the core accepts.
  lemma amask_is_difference: \forall integer M; 13 <= M <= 52 ==>
    PG_BITS_EXPR(12, M) == (1 << M) - 4096;
  lemma high_is_difference: \forall integer M; 13 <= M <= 52 ==>
    PG_BITS_EXPR(M, 52) == (1 << 52) - (1 << M);
  // The reserved bits of huge leaves (4.5, tables 4-17 and 4-19).
  lemma bits_1g_reserved: PG_BITS_EXPR(13, 30) == PG_RSVD_1G;
  lemma bits_2m_reserved: PG_BITS_EXPR(13, 21) == PG_RSVD_2M;
  // A whole word.
  lemma bits_all: PG_BITS_EXPR(0, 64) == 0xffffffffffffffff;

  // -------------------------------------- a leaf's frame, on bit vectors
  // As the block Bits, and in a block of its own for the same reason: the
  // goals that name bits_leaf (format.h's) see it, and no other.
  axiomatic BitsLeaf {
  // A leaf as format.h's xpt_fmt_leaf returns it: frame pa, and the bits
  // of e outside 13..51.
  logic integer bits_leaf(integer pa, integer e) = pa | (e & 0xfff0000000001fff);
  // Its address field (bits 12 .. M - 1) cut to a page of n bytes is pa
  // again, for pa below 2^M and a multiple of n, and for n = 4 KiB when
  // e's bit 12 is clear or pa's.  One axiom a page size, as bits_page_*.
  axiom bits_leaf_4k: \forall integer pa, e, M; 13 <= M <= 52 &&
    0 <= pa < (1 << M) && pa % 4096 == 0 && 0 <= e < 0x10000000000000000 &&
    ((e & 0x1000) == 0 || (e & 0x1000) == (pa & 0x1000)) ==>
    (bits_leaf(pa, e) & ((1 << M) - 4096) & 0xfffffffffffff000) == pa;
  axiom bits_leaf_2m: \forall integer pa, e, M; 13 <= M <= 52 &&
    0 <= pa < (1 << M) && pa % 2097152 == 0 && 0 <= e < 0x10000000000000000 ==>
    (bits_leaf(pa, e) & ((1 << M) - 4096) & 0xffffffffffe00000) == pa;
  axiom bits_leaf_1g: \forall integer pa, e, M; 13 <= M <= 52 &&
    0 <= pa < (1 << M) && pa % 1073741824 == 0 && 0 <= e < 0x10000000000000000 ==>
    (bits_leaf(pa, e) & ((1 << M) - 4096) & 0xffffffffc0000000) == pa;
  // A leaf's page at each level: its size, and its base as a mask
  // (scripts unfold pg_leaf_base, pg_size and pg_shift).
  lemma leaf_page_4k: \forall integer x, M; pg_size(1) == 4096 &&
    pg_leaf_base(x, 1, M) == (x & pg_amask(M) & 0xfffffffffffff000);
  lemma leaf_page_2m: \forall integer x, M; pg_size(2) == 2097152 &&
    pg_leaf_base(x, 2, M) == (x & pg_amask(M) & 0xffffffffffe00000);
  lemma leaf_page_1g: \forall integer x, M; pg_size(3) == 1073741824 &&
    pg_leaf_base(x, 3, M) == (x & pg_amask(M) & 0xffffffffc0000000);
  lemma leaf_amask: \forall integer M; 13 <= M <= 52 ==> pg_amask(M) == (1 << M) - 4096;
  // So the model reads pa back from the leaf (bits_leaf_*).
  lemma leaf_frame: \forall integer pa, e, L, M; 1 <= L <= 3 && 13 <= M <= 52 &&
    0 <= pa < (1 << M) && pa % pg_size(L) == 0 && 0 <= e < 0x10000000000000000 &&
    (L == 1 ==> (e & 0x1000) == 0 || (e & 0x1000) == (pa & 0x1000)) ==>
    pg_leaf_base(bits_leaf(pa, e), L, M) == pa;
  // Its flags below bit 12 and its XD bit are e's: P, PS, R/W, U/S and XD
  // (a run of leaves shares them, a frame each: store.h).
  axiom bits_leaf_flags: \forall integer pa, e;
    0 <= pa < 0x10000000000000 && pa % 4096 == 0 && 0 <= e < 0x10000000000000000 ==>
    (pg_has(bits_leaf(pa, e), PG_P) <==> pg_has(e, PG_P)) &&
    (pg_has(bits_leaf(pa, e), PG_PS) <==> pg_has(e, PG_PS)) &&
    (pg_has(bits_leaf(pa, e), PG_RW) <==> pg_has(e, PG_RW)) &&
    (pg_has(bits_leaf(pa, e), PG_US) <==> pg_has(e, PG_US)) &&
    (pg_has(bits_leaf(pa, e), PG_NX) <==> pg_has(e, PG_NX));
  // Nor has it a reserved bit: none from M to 51, none of a huge page's
  // low address bits (the goals of the same names in proofs/bits.mlw).
  axiom bits_leaf_high: \forall integer pa, e, M; 13 <= M <= 52 &&
    0 <= pa < (1 << M) && 0 <= e < 0x10000000000000000 ==>
    (bits_leaf(pa, e) & ((1 << 52) - (1 << M))) == 0;
  axiom bits_leaf_rsvd_2m: \forall integer pa, e;
    0 <= pa < 0x10000000000000000 && pa % 2097152 == 0 && 0 <= e < 0x10000000000000000 ==>
    (bits_leaf(pa, e) & PG_RSVD_2M) == 0;
  axiom bits_leaf_rsvd_1g: \forall integer pa, e;
    0 <= pa < 0x10000000000000000 && pa % 1073741824 == 0 && 0 <= e < 0x10000000000000000 ==>
    (bits_leaf(pa, e) & PG_RSVD_1G) == 0;
  // So the model finds no reserved bit in it, with XD and 1 GiB pages
  // enabled (as in every space of the core: XPT_SPACE_FLAGS): a part at a
  // time, then whole.
  lemma leaf_high_bits: \forall integer M; 13 <= M <= 52 ==> pg_bits(M, 52) == (1 << 52) - (1 << M);
  lemma leaf_low_2m: \forall integer pa, e;
    0 <= pa < 0x10000000000000000 && pa % pg_size(2) == 0 && 0 <= e < 0x10000000000000000 ==>
    !pg_has(bits_leaf(pa, e), PG_RSVD_2M);
  lemma leaf_low_1g: \forall integer pa, e;
    0 <= pa < 0x10000000000000000 && pa % pg_size(3) == 0 && 0 <= e < 0x10000000000000000 ==>
    !pg_has(bits_leaf(pa, e), PG_RSVD_1G);
  lemma leaf_valid: \forall integer pa, e, L, fl, M; 1 <= L <= 3 && 13 <= M <= 52 &&
    0 <= pa < (1 << M) && pa % pg_size(L) == 0 && 0 <= e < 0x10000000000000000 &&
    pg_has(fl, CTL_NXE) && pg_has(fl, CTL_GBPAGES) ==>
    !pg_rsvd(bits_leaf(pa, e), L, fl, M);
  }

  // -------------------------------------- shifts are multiplications
  lemma lsl_1:  \forall integer x; (x << 1) == 2 * x;
  lemma lsl_2:  \forall integer x; (x << 2) == 4 * x;
  lemma lsl_4:  \forall integer x; (x << 4) == 16 * x;
  lemma lsl_8:  \forall integer x; (x << 8) == 256 * x;
  lemma lsl_12: \forall integer x; (x << 12) == 4096 * x;

  // ------------------------------------------ shifts are divisions
  lemma lsr_2:  \forall integer x; 0 <= x ==> (x >> 2) == x / 4;
  lemma lsr_4:  \forall integer x; 0 <= x ==> (x >> 4) == x / 16;
  lemma lsr_8:  \forall integer x; 0 <= x ==> (x >> 8) == x / 256;
  lemma lsr_12: \forall integer x; 0 <= x ==> (x >> 12) == x / 4096;

  // A one shifted left stays a positive 64-bit value: what lets the
  // provers drop the (uint64_t) conversions of PG_BITS_EXPR.
  lemma one_shifted: \forall integer n; 0 <= n <= 63 ==>
    1 <= (1 << n) <= 0x8000000000000000;

  // Small powers of two fit a byte: the A mask of a walk of up to 8 levels.
  lemma pow2_small: \forall integer n; 0 <= n <= 8 ==> 1 <= (1 << n) <= 256;
  lemma pow2_level: \forall integer n; 1 <= n <= 5 ==>
    (1 << n) == (n == 1 ? 2 : n == 2 ? 4 : n == 3 ? 8 : n == 4 ? 16 : 32);
*/

/*@
  // ------------------------------------------- the walk, one level at a time
  // (Each follows from the definitions of spec/paging.h by unfolding; stated
  // once so that a proof about a loop over the levels need not unfold them.)
  lemma entry_at{H}: \forall uint64_t *w, integer cr3, fl, M, va, L;
    1 <= L <= pg_top(fl) ==>
    pg_entry(w, cr3, fl, M, va, L) == pg_rd(w, pg_table(w, cr3, fl, M, va, L), pg_idx(va, L));
  lemma table_top{H}: \forall uint64_t *w, integer cr3, fl, M, va;
    pg_table(w, cr3, fl, M, va, pg_top(fl)) == pg_next(cr3, M);
  lemma table_below{H}: \forall uint64_t *w, integer cr3, fl, M, va, L;
    2 <= L <= pg_top(fl) ==>
    pg_table(w, cr3, fl, M, va, L - 1) == pg_next(pg_entry(w, cr3, fl, M, va, L), M);
  lemma all_rw_top{H}: \forall uint64_t *w, integer cr3, fl, M, va;
    pg_all_rw(w, cr3, fl, M, va, pg_top(fl) + 1);
  lemma all_rw_below{H}: \forall uint64_t *w, integer cr3, fl, M, va, L;
    1 <= L <= pg_top(fl) ==>
    (pg_all_rw(w, cr3, fl, M, va, L) <==>
     pg_all_rw(w, cr3, fl, M, va, L + 1) && pg_has(pg_entry(w, cr3, fl, M, va, L), PG_RW));
  lemma all_us_top{H}: \forall uint64_t *w, integer cr3, fl, M, va;
    pg_all_us(w, cr3, fl, M, va, pg_top(fl) + 1);
  lemma all_us_below{H}: \forall uint64_t *w, integer cr3, fl, M, va, L;
    1 <= L <= pg_top(fl) ==>
    (pg_all_us(w, cr3, fl, M, va, L) <==>
     pg_all_us(w, cr3, fl, M, va, L + 1) && pg_has(pg_entry(w, cr3, fl, M, va, L), PG_US));
  lemma any_nx_top{H}: \forall uint64_t *w, integer cr3, fl, M, va;
    !pg_any_nx(w, cr3, fl, M, va, pg_top(fl) + 1);
  lemma any_nx_below{H}: \forall uint64_t *w, integer cr3, fl, M, va, L;
    1 <= L <= pg_top(fl) ==>
    (pg_any_nx(w, cr3, fl, M, va, L) <==>
     pg_any_nx(w, cr3, fl, M, va, L + 1) || pg_has(pg_entry(w, cr3, fl, M, va, L), PG_NX));
  // The walk ends at the first level, from the root down, whose entry stops it.
  lemma level_is{H}: \forall uint64_t *w, integer cr3, fl, M, va, L;
    1 <= L <= pg_top(fl) ==>
    (\forall integer K; L < K <= pg_top(fl) ==> !pg_stop(pg_entry(w, cr3, fl, M, va, K), K, fl, M)) ==>
    (L == 1 || pg_stop(pg_entry(w, cr3, fl, M, va, L), L, fl, M)) ==>
    pg_level(w, cr3, fl, M, va) == L;
  // Conversely, the entry at the level where the walk ends stops it.
  lemma level_stops{H}: \forall uint64_t *w, integer cr3, fl, M, va;
    pg_level(w, cr3, fl, M, va) == 1 ||
    pg_stop(pg_entry(w, cr3, fl, M, va, pg_level(w, cr3, fl, M, va)),
            pg_level(w, cr3, fl, M, va), fl, M);
  lemma level_range{H}: \forall uint64_t *w, integer cr3, fl, M, va;
    1 <= pg_level(w, cr3, fl, M, va) <= pg_top(fl);
  lemma top_range: \forall integer fl; pg_top(fl) == 4 || pg_top(fl) == 5;

  // -------------------------------------------------- what a walk reaches
  // A canonical address whose last entry is present with no reserved bit
  // set is mapped (the definition of pg_mapped, one step at a time).
  // (e and L stand for the last entry and its level, as the walk's code
  // holds them.)
  lemma mapped_leaf{H}: \forall uint64_t *w, integer cr3, fl, M, va, e, L;
    e == pg_last(w, cr3, fl, M, va) ==> L == pg_level(w, cr3, fl, M, va) ==>
    pg_canonical(fl, va) ==> pg_has(e, PG_P) ==> !pg_rsvd(e, L, fl, M) ==>
    pg_mapped(w, cr3, fl, M, va);
  // PS is reserved in a PML5E and a PML4E, so a page is 4 KiB, 2 MiB or
  // 1 GiB: a walk that maps va ends at level 3 or below.
  lemma ps_reserved_high: \forall integer e, L, fl, M;
    L >= 4 ==> pg_has(e, PG_PS) ==> pg_rsvd(e, L, fl, M);
  lemma mapped_level{H}: \forall uint64_t *w, integer cr3, fl, M, va;
    pg_mapped(w, cr3, fl, M, va) ==> pg_level(w, cr3, fl, M, va) <= 3;
  // A supervisor-mode read is refused only by SMAP or by a protection key.
  lemma read_allowed{H}: \forall uint64_t *w, integer cr3, fl, M, pkru, va;
    !pg_has(fl, CTL_SMAP) && !pg_has(fl, CTL_PKE) ==>
    !pg_denied(w, cr3, fl, M, pkru, va, 0);
  // So such a read faults exactly when the walk does not map va.
  lemma read_fault{H}: \forall uint64_t *w, integer cr3, fl, M, pkru, va;
    !pg_has(fl, CTL_SMAP) && !pg_has(fl, CTL_PKE) ==>
    pg_fault(w, cr3, fl, M, pkru, va, 0) ==
      (!pg_canonical(fl, va) ? FAULT_GP : pg_mapped(w, cr3, fl, M, va) ? FAULT_NONE : FAULT_PF);
*/

/*@
  // ----------------------------------- consecutive entries of one table
  // The pages a run of the mapper steps through (ref/src/map.c,
  // change_run): entry after entry of one table.  The lemmas turn indexes
  // into arithmetic, so they sit in a block: only goals that name
  // pg_run_at see them.  No product of two unknowns and no remainder by
  // one reaches the provers (their logic is linear): the levels are cases.
  axiomatic PgRun {
  // A mask of low bits is a remainder (proved by WP's Mod-Mask tactic);
  // shifts are divisions (Logical Shift).
  lemma land_511: \forall integer x; 0 <= x ==> (x & 511) == x % 512;
  lemma lsr_21: \forall integer x; 0 <= x ==> (x >> 21) == x / 2097152;
  lemma lsr_30: \forall integer x; 0 <= x ==> (x >> 30) == x / 1073741824;
  lemma lsr_39: \forall integer x; 0 <= x ==> (x >> 39) == x / 549755813888;
  lemma lsr_47: \forall integer x; 0 <= x ==> (x >> 47) == x / 140737488355328;
  lemma lsr_48: \forall integer x; 0 <= x ==> (x >> 48) == x / 281474976710656;
  lemma lsr_56: \forall integer x; 0 <= x ==> (x >> 56) == x / 72057594037927936;
  // The index of each level, in arithmetic.
  lemma idx_1: \forall integer va; 0 <= va ==> pg_idx(va, 1) == va / 4096 % 512;
  lemma idx_2: \forall integer va; 0 <= va ==> pg_idx(va, 2) == va / 2097152 % 512;
  lemma idx_3: \forall integer va; 0 <= va ==> pg_idx(va, 3) == va / 1073741824 % 512;
  lemma idx_4: \forall integer va; 0 <= va ==> pg_idx(va, 4) == va / 549755813888 % 512;
  lemma idx_5: \forall integer va; 0 <= va ==> pg_idx(va, 5) == va / 281474976710656 % 512;
  lemma div_2: \forall integer x; 0 <= x ==> x / 1073741824 == x / 2097152 / 512;
  lemma div_3: \forall integer x; 0 <= x ==> x / 549755813888 == x / 1073741824 / 512;
  lemma div_4: \forall integer x; 0 <= x ==> x / 281474976710656 == x / 549755813888 / 512;
  lemma div_47: \forall integer x; 0 <= x ==> x / 140737488355328 == x / 549755813888 / 256;
  lemma div_56: \forall integer x; 0 <= x ==> x / 72057594037927936 == x / 549755813888 / 131072;
  // Addresses alike above the table of level L have its indexes above L
  // and the same canonical form (L <= 3: bits 39 and up).
  lemma above_3: \forall integer va, vb; 0 <= va && 0 <= vb && va / 549755813888 == vb / 549755813888 ==>
    pg_same_above(va, vb, 3);
  lemma above_2: \forall integer va, vb; 0 <= va && 0 <= vb && va / 1073741824 == vb / 1073741824 ==>
    pg_same_above(va, vb, 2) && va / 549755813888 == vb / 549755813888;
  lemma above_1: \forall integer va, vb; 0 <= va && 0 <= vb && va / 2097152 == vb / 2097152 ==>
    pg_same_above(va, vb, 1) && va / 549755813888 == vb / 549755813888;
  // The other way: addresses alike above bit 56 with the indexes above L
  // share the page of level L + 1 (one level at a time).
  lemma div_5: \forall integer x; 0 <= x ==> x / 144115188075855872 == x / 281474976710656 / 512;
  lemma same_48: \forall integer va, vb; 0 <= va && 0 <= vb &&
    va / 144115188075855872 == vb / 144115188075855872 && pg_idx(va, 5) == pg_idx(vb, 5) ==>
    va / 281474976710656 == vb / 281474976710656;
  lemma same_39: \forall integer va, vb; 0 <= va && 0 <= vb &&
    va / 281474976710656 == vb / 281474976710656 && pg_idx(va, 4) == pg_idx(vb, 4) ==>
    va / 549755813888 == vb / 549755813888;
  lemma same_30: \forall integer va, vb; 0 <= va && 0 <= vb &&
    va / 549755813888 == vb / 549755813888 && pg_idx(va, 3) == pg_idx(vb, 3) ==>
    va / 1073741824 == vb / 1073741824;
  lemma same_21: \forall integer va, vb; 0 <= va && 0 <= vb &&
    va / 1073741824 == vb / 1073741824 && pg_idx(va, 2) == pg_idx(vb, 2) ==>
    va / 2097152 == vb / 2097152;
  lemma canon_48: \forall integer va, vb; 0 <= va && 0 <= vb && va / 549755813888 == vb / 549755813888 ==>
    (pg_canonical_w(va, 48) <==> pg_canonical_w(vb, 48));
  lemma canon_57: \forall integer va, vb; 0 <= va && 0 <= vb && va / 549755813888 == vb / 549755813888 ==>
    (pg_canonical_w(va, 57) <==> pg_canonical_w(vb, 57));
  lemma canon_hi: \forall integer fl, va, vb; 0 <= va && 0 <= vb && va / 549755813888 == vb / 549755813888 ==>
    (pg_canonical(fl, va) <==> pg_canonical(fl, vb));
  // n entries on from an aligned va, inside its table: the same table
  // above, index n on, no carry out of 64 bits.
  lemma step_1: \forall integer va, n;
    0 <= va <= 18446744073709551615 && va % 4096 == 0 && 0 <= n && va / 4096 % 512 + n < 512 ==>
    (va + n * 4096) / 2097152 == va / 2097152 &&
    (va + n * 4096) / 4096 % 512 == va / 4096 % 512 + n && va + n * 4096 <= 18446744073709551615;
  lemma step_2: \forall integer va, n;
    0 <= va <= 18446744073709551615 && va % 2097152 == 0 && 0 <= n && va / 2097152 % 512 + n < 512 ==>
    (va + n * 2097152) / 1073741824 == va / 1073741824 &&
    (va + n * 2097152) / 2097152 % 512 == va / 2097152 % 512 + n &&
    va + n * 2097152 <= 18446744073709551615;
  lemma step_3: \forall integer va, n;
    0 <= va <= 18446744073709551615 && va % 1073741824 == 0 && 0 <= n &&
    va / 1073741824 % 512 + n < 512 ==>
    (va + n * 1073741824) / 549755813888 == va / 549755813888 &&
    (va + n * 1073741824) / 1073741824 % 512 == va / 1073741824 % 512 + n &&
    va + n * 1073741824 <= 18446744073709551615;
  lemma size_1: pg_size(1) == 4096;
  lemma size_2: pg_size(2) == 2097152;
  lemma size_3: pg_size(3) == 1073741824;
  // v is aligned to the pages of level L (1 .. 3): one linear case a level.
  predicate pg_aligned(integer v, integer L) =
    (L == 1 ==> v % 4096 == 0) && (L == 2 ==> v % 2097152 == 0) &&
    (L == 3 ==> v % 1073741824 == 0);
  lemma aligned_by_size: \forall integer v, L;
    1 <= L <= 3 ==> (pg_aligned(v, L) <==> v % pg_size(L) == 0);
  // Pages nest: aligned to the pages of L is aligned to those below it.
  lemma aligned_below: \forall integer v, K, L;
    1 <= K <= L <= 3 && pg_aligned(v, L) ==> pg_aligned(v, K);
  // An address past va that shares va's table at L (1 or 2) is not
  // the start of a page of L + 1: where a map's cursor stops, the next
  // step finds it no lower than the largest page the address takes.
  lemma unaligned_after: \forall integer va, vb, L;
    1 <= L <= 2 && 0 <= va < vb && va / 144115188075855872 == vb / 144115188075855872 &&
    pg_same_above(va, vb, L) ==> !pg_aligned(vb, L + 1);
  // Between two addresses alike above bit 56, every address is too: a
  // range of one half of the address space (a map's pass).
  lemma top_between: \forall integer a, x, b; 0 <= a <= x <= b &&
    a / 144115188075855872 == b / 144115188075855872 ==>
    x / 144115188075855872 == a / 144115188075855872;
  // vb lies n entries of level L after va, in the same table.
  predicate pg_run_at(integer fl, integer va, integer L, integer n, integer vb) =
    pg_idx(vb, L) == pg_idx(va, L) + n && pg_same_above(va, vb, L) &&
    (pg_canonical(fl, va) <==> pg_canonical(fl, vb)) &&
    0 <= vb <= 18446744073709551615 && pg_aligned(vb, L);
  lemma run_start: \forall integer fl, va, L;
    1 <= L <= 3 && 0 <= va <= 18446744073709551615 && pg_aligned(va, L) ==>
    pg_run_at(fl, va, L, 0, va);
  // One entry on from an aligned address, inside its table.
  lemma hop_1: \forall integer fl, v;
    0 <= v <= 18446744073709551615 && v % 4096 == 0 && pg_idx(v, 1) < 511 ==>
    pg_idx(v + 4096, 1) == pg_idx(v, 1) + 1 && pg_same_above(v, v + 4096, 1) &&
    (pg_canonical(fl, v) <==> pg_canonical(fl, v + 4096)) && v + 4096 <= 18446744073709551615;
  lemma hop_2: \forall integer fl, v;
    0 <= v <= 18446744073709551615 && v % 2097152 == 0 && pg_idx(v, 2) < 511 ==>
    pg_idx(v + 2097152, 2) == pg_idx(v, 2) + 1 && pg_same_above(v, v + 2097152, 2) &&
    (pg_canonical(fl, v) <==> pg_canonical(fl, v + 2097152)) &&
    v + 2097152 <= 18446744073709551615;
  lemma hop_3: \forall integer fl, v;
    0 <= v <= 18446744073709551615 && v % 1073741824 == 0 && pg_idx(v, 3) < 511 ==>
    pg_idx(v + 1073741824, 3) == pg_idx(v, 3) + 1 && pg_same_above(v, v + 1073741824, 3) &&
    (pg_canonical(fl, v) <==> pg_canonical(fl, v + 1073741824)) &&
    v + 1073741824 <= 18446744073709551615;
  // ... so a run goes on one entry at a time.
  lemma run_next_1: \forall integer fl, va, n, vb;
    pg_run_at(fl, va, 1, n, vb) && pg_idx(va, 1) + n + 1 < 512 ==>
    pg_run_at(fl, va, 1, n + 1, vb + 4096);
  lemma run_next_2: \forall integer fl, va, n, vb;
    pg_run_at(fl, va, 2, n, vb) && pg_idx(va, 2) + n + 1 < 512 ==>
    pg_run_at(fl, va, 2, n + 1, vb + 2097152);
  lemma run_next_3: \forall integer fl, va, n, vb;
    pg_run_at(fl, va, 3, n, vb) && pg_idx(va, 3) + n + 1 < 512 ==>
    pg_run_at(fl, va, 3, n + 1, vb + 1073741824);
  lemma run_next: \forall integer fl, va, L, n, vb;
    1 <= L <= 3 && pg_run_at(fl, va, L, n, vb) && pg_idx(va, L) + n + 1 < 512 ==>
    pg_run_at(fl, va, L, n + 1, vb + pg_size(L));
  // b bytes are n entries of level L; the entries b bytes cover.
  predicate pg_count(integer L, integer n, integer b) =
    (L == 1 ==> b == n * 4096) && (L == 2 ==> b == n * 2097152) &&
    (L == 3 ==> b == n * 1073741824);
  logic integer pg_ents(integer L, integer b) =
    L == 1 ? b / 4096 : L == 2 ? b / 2097152 : b / 1073741824;
  lemma ents_count: \forall integer L, n, b;
    1 <= L <= 3 && pg_count(L, n, b) ==> pg_ents(L, b) == n;
  lemma count_next: \forall integer L, n, b;
    1 <= L <= 3 && pg_count(L, n, b) ==> pg_count(L, n + 1, b + pg_size(L));
  // n entries of L are n pages of L; as many as fit in x bytes take no more.
  lemma count_size: \forall integer L, n; 1 <= L <= 3 ==> pg_count(L, n, n * pg_size(L));
  lemma count_fits: \forall integer L, n, x;
    1 <= L <= 3 && 0 <= x && 0 <= n <= x / pg_size(L) ==> n * pg_size(L) <= x;
  // Pages of any of the three levels are whole 4 KiB pages.
  lemma count_pages: \forall integer L, n, b; 1 <= L <= 3 && pg_count(L, n, b) ==> b % 4096 == 0;
  // v's page is one of the n entries of level L from va's on.
  predicate pg_in_run(integer va, integer L, integer n, integer v) =
    pg_same_above(va, v, L) && pg_idx(va, L) <= pg_idx(v, L) < pg_idx(va, L) + n;
  // A walk that reaches L and finds there an entry that stops it ends at
  // L, inside the window.
  lemma reach_stop{H}: \forall uint64_t *w, integer cr3, fl, M, nf, v, L;
    1 <= L && pg_reaches(w, cr3, fl, M, nf, v, L) &&
    pg_stop(pg_entry(w, cr3, fl, M, v, L), L, fl, M) ==>
    pg_level(w, cr3, fl, M, v) == L && !pg_window(w, cr3, fl, M, nf, v);
  // The addresses of the page of va at L, when va's walk reaches L and
  // finds there an absent entry: no translation, and inside the window.
  lemma hole_block{H}: \forall uint64_t *w, integer cr3, fl, M, nf, va, v, L;
    1 <= L <= 5 && pg_reaches(w, cr3, fl, M, nf, va, L) && pg_canonical(fl, v) &&
    pg_same_above(va, v, L) && pg_idx(v, L) == pg_idx(va, L) &&
    !pg_has(pg_entry(w, cr3, fl, M, va, L), PG_P) ==>
    !pg_mapped(w, cr3, fl, M, v) && !pg_window(w, cr3, fl, M, nf, v);
  // ... and when it finds there a leaf with no reserved bit: each ends its
  // walk at that leaf, which maps it (what a map's leaf gives its page).
  lemma leaf_block{H}: \forall uint64_t *w, integer cr3, fl, M, nf, va, v, L;
    1 <= L <= 3 && pg_reaches(w, cr3, fl, M, nf, va, L) && pg_canonical(fl, v) &&
    pg_same_above(va, v, L) && pg_idx(v, L) == pg_idx(va, L) &&
    pg_has(pg_entry(w, cr3, fl, M, va, L), PG_P) && pg_leaf(pg_entry(w, cr3, fl, M, va, L), L) &&
    !pg_rsvd(pg_entry(w, cr3, fl, M, va, L), L, fl, M) ==>
    pg_level(w, cr3, fl, M, v) == L && pg_last(w, cr3, fl, M, v) == pg_entry(w, cr3, fl, M, va, L) &&
    pg_mapped(w, cr3, fl, M, v) && !pg_window(w, cr3, fl, M, nf, v);
  // A walk inside the window that reads one of the n entries from va's at
  // L is the walk of an address of those entries (tree_reads, an entry
  // at a time).
  lemma reads_run{H}: \forall uint64_t *w, integer cr3, fl, M, nf, va, v, L, n, x;
    13 <= M <= 52 && pg_tree(w, cr3, fl, M, nf) && pg_reaches(w, cr3, fl, M, nf, va, L) &&
    pg_canonical(fl, v) && !pg_window(w, cr3, fl, M, nf, v) && pg_reads(w, cr3, fl, M, v, x) &&
    pg_table(w, cr3, fl, M, va, L) * 512 + pg_idx(va, L) <= x <
      pg_table(w, cr3, fl, M, va, L) * 512 + pg_idx(va, L) + n && pg_idx(va, L) + n <= 512 ==>
    pg_in_run(va, L, n, v);
  // So stores into those entries alone keep the walk of every other
  // address inside the window (a map's run of leaves).
  lemma run_others{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, v, L, n;
    13 <= M <= 52 && pg_tree{A}(w, cr3, fl, M, nf) && pg_reaches{A}(w, cr3, fl, M, nf, va, L) &&
    pg_idx(va, L) + n <= 512 &&
    (\forall integer i; 0 <= i < nf * 512 &&
       !(pg_table{A}(w, cr3, fl, M, va, L) * 512 + pg_idx(va, L) <= i <
         pg_table{A}(w, cr3, fl, M, va, L) * 512 + pg_idx(va, L) + n) ==>
       \at(w[i], A) == \at(w[i], B)) &&
    pg_canonical(fl, v) && !pg_window{A}(w, cr3, fl, M, nf, v) && !pg_in_run(va, L, n, v) ==>
    pg_same_walk{A, B}(w, cr3, fl, M, v);
  // A walk that reads the same entries reaches what it reached.
  lemma same_reaches{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, v, L;
    pg_same_walk{A, B}(w, cr3, fl, M, v) && pg_reaches{A}(w, cr3, fl, M, nf, v, L) ==>
    pg_reaches{B}(w, cr3, fl, M, nf, v, L) &&
    pg_table{B}(w, cr3, fl, M, v, L) == pg_table{A}(w, cr3, fl, M, v, L);
  // The entry of v at L, as a word of the window.
  lemma entry_in{H}: \forall uint64_t *w, integer cr3, fl, M, v, L;
    1 <= L < pg_top(fl) ==>
    pg_entry(w, cr3, fl, M, v, L) == w[pg_idx(v, L) + 512 * pg_table(w, cr3, fl, M, v, L)];
  lemma above_chain: \forall integer a, b, d, L;
    pg_same_above(a, b, L) && pg_same_above(b, d, L) ==> pg_same_above(a, d, L);
  // An address outside the first n + 1 entries is outside the first n,
  // and outside the page of the (n+1)-th.
  lemma out_run: \forall integer va, L, n, v;
    0 <= n && !pg_in_run(va, L, n + 1, v) ==> !pg_in_run(va, L, n, v);
  lemma out_page: \forall integer fl, va, L, n, vb, v;
    0 <= n && pg_run_at(fl, va, L, n, vb) && !pg_in_run(va, L, n + 1, v) ==>
    !(pg_same_above(vb, v, L) && pg_idx(vb, L) == pg_idx(v, L));
  // The address of the run's entry n: linear, one case a level.
  logic integer pg_run_addr(integer va, integer L, integer n) =
    L == 1 ? va + n * 4096 : L == 2 ? va + n * 2097152 : va + n * 1073741824;
  // An address of the first n + 1 entries outside the first n is in the
  // page of the (n+1)-th.
  lemma in_page: \forall integer fl, va, L, n, vb, v;
    0 <= n && pg_run_at(fl, va, L, n, vb) && pg_in_run(va, L, n + 1, v) &&
    !pg_in_run(va, L, n, v) ==> pg_in_run(vb, L, 1, v);
  // The addresses of va's page at level L (1 .. 5) read va's entry there:
  // the same indexes down to L.  One linear case a level.
  lemma size_4: pg_size(4) == 549755813888;
  lemma size_5: pg_size(5) == 281474976710656;
  lemma block_1: \forall integer va, v; 0 <= va && va - va % 4096 <= v < va - va % 4096 + 4096 ==>
    pg_same_above(va, v, 1) && pg_idx(v, 1) == pg_idx(va, 1);
  lemma block_2: \forall integer va, v;
    0 <= va && va - va % 2097152 <= v < va - va % 2097152 + 2097152 ==>
    pg_same_above(va, v, 2) && pg_idx(v, 2) == pg_idx(va, 2);
  lemma block_3: \forall integer va, v;
    0 <= va && va - va % 1073741824 <= v < va - va % 1073741824 + 1073741824 ==>
    pg_same_above(va, v, 3) && pg_idx(v, 3) == pg_idx(va, 3);
  lemma block_4: \forall integer va, v;
    0 <= va && va - va % 549755813888 <= v < va - va % 549755813888 + 549755813888 ==>
    pg_same_above(va, v, 4) && pg_idx(v, 4) == pg_idx(va, 4);
  lemma block_5: \forall integer va, v;
    0 <= va && va - va % 281474976710656 <= v < va - va % 281474976710656 + 281474976710656 ==>
    pg_same_above(va, v, 5) && pg_idx(v, 5) == pg_idx(va, 5);
  lemma in_block: \forall integer va, v, L;
    1 <= L <= 5 && 0 <= va && va - va % pg_size(L) <= v < va - va % pg_size(L) + pg_size(L) ==>
    pg_same_above(va, v, L) && pg_idx(v, L) == pg_idx(va, L);
  // The b bytes from an aligned va, n entries inside its table, are
  // those n entries.
  lemma range_1: \forall integer va, n, v;
    0 <= va && va % 4096 == 0 && 0 <= n && va / 4096 % 512 + n <= 512 &&
    va <= v < va + n * 4096 ==> pg_in_run(va, 1, n, v);
  lemma range_2: \forall integer va, n, v;
    0 <= va && va % 2097152 == 0 && 0 <= n && va / 2097152 % 512 + n <= 512 &&
    va <= v < va + n * 2097152 ==> pg_in_run(va, 2, n, v);
  lemma range_3: \forall integer va, n, v;
    0 <= va && va % 1073741824 == 0 && 0 <= n && va / 1073741824 % 512 + n <= 512 &&
    va <= v < va + n * 1073741824 ==> pg_in_run(va, 3, n, v);
  lemma in_range: \forall integer va, L, n, b, v;
    1 <= L <= 3 && 0 <= va && pg_aligned(va, L) && 0 <= n && pg_count(L, n, b) &&
    pg_idx(va, L) + n <= 512 && va <= v < va + b ==> pg_in_run(va, L, n, v);
  // The converse, for canonical addresses: the n entries from an aligned
  // va are its b bytes.  Two canonical addresses of one half agree on
  // the bits above the PML4 index (39 and up) once they agree on the
  // indexes of levels 4 and 5: the half is the top bit of the top index.
  lemma top_48: \forall integer x; 0 <= x <= 18446744073709551615 && pg_canonical_w(x, 48) ==>
    (x / 549755813888 < 256 && x / 549755813888 % 512 < 256) ||
    (x / 549755813888 >= 33554176 && x / 549755813888 % 512 >= 256 &&
     x / 549755813888 - x / 549755813888 % 256 == 33554176);
  lemma top_57: \forall integer x; 0 <= x <= 18446744073709551615 && pg_canonical_w(x, 57) ==>
    (x / 281474976710656 < 256 && x / 281474976710656 % 512 < 256) ||
    (x / 281474976710656 >= 65280 && x / 281474976710656 % 512 >= 256 &&
     x / 281474976710656 - x / 281474976710656 % 256 == 65280);
  lemma eq_512: \forall integer a, b; 0 <= a && 0 <= b && a / 512 == b / 512 && a % 512 == b % 512 ==>
    a == b;
  lemma above_39: \forall integer fl, va, v;
    0 <= va <= 18446744073709551615 && 0 <= v <= 18446744073709551615 &&
    pg_canonical(fl, va) && pg_canonical(fl, v) &&
    pg_idx(va, 4) == pg_idx(v, 4) && pg_idx(va, 5) == pg_idx(v, 5) ==>
    va / 549755813888 == v / 549755813888;
  lemma run_in_1: \forall integer va, n, v;
    0 <= va && 0 <= v && va % 4096 == 0 && va / 549755813888 == v / 549755813888 &&
    pg_in_run(va, 1, n, v) ==> va <= v < va + n * 4096;
  lemma run_in_2: \forall integer va, n, v;
    0 <= va && 0 <= v && va % 2097152 == 0 && va / 549755813888 == v / 549755813888 &&
    pg_in_run(va, 2, n, v) ==> va <= v < va + n * 2097152;
  lemma run_in_3: \forall integer va, n, v;
    0 <= va && 0 <= v && va % 1073741824 == 0 && va / 549755813888 == v / 549755813888 &&
    pg_in_run(va, 3, n, v) ==> va <= v < va + n * 1073741824;
  lemma run_top: \forall integer va, L, n, v;
    1 <= L <= 3 && pg_in_run(va, L, n, v) ==>
    pg_idx(va, 4) == pg_idx(v, 4) && pg_idx(va, 5) == pg_idx(v, 5);
  lemma run_in: \forall integer fl, va, L, n, b, v;
    1 <= L <= 3 && 0 <= va <= 18446744073709551615 && 0 <= v <= 18446744073709551615 &&
    pg_canonical(fl, va) && pg_canonical(fl, v) && pg_aligned(va, L) && pg_count(L, n, b) &&
    pg_in_run(va, L, n, v) ==> va <= v < va + b;
  // a and b canonical, in one half: so is every address between them
  // (the addresses a request covers).
  predicate pg_half(integer fl, integer a, integer b) =
    0 <= a <= b <= 18446744073709551615 && pg_canonical(fl, a) && pg_canonical(fl, b) &&
    (a >> (pg_va_bits(fl) - 1)) == (b >> (pg_va_bits(fl) - 1));
  // A width at a time: the width less one is 47 or 56, where the bits
  // above agree between a and b, and so between a and x (bits_half_47,
  // bits_half_56); then x is canonical as a is.
  lemma half_top_48: \forall integer fl, a, b, x;
    !pg_has(fl, CTL_LA57) && pg_half(fl, a, b) && a <= x <= b ==>
    (x >> (pg_va_bits(fl) - 1)) == (a >> (pg_va_bits(fl) - 1));
  lemma half_top_57: \forall integer fl, a, b, x;
    pg_has(fl, CTL_LA57) && pg_half(fl, a, b) && a <= x <= b ==>
    (x >> (pg_va_bits(fl) - 1)) == (a >> (pg_va_bits(fl) - 1));
  lemma half_in: \forall integer fl, a, b, x;
    pg_half(fl, a, b) && a <= x <= b ==> pg_canonical(fl, x);
  // A walk whose entry at L is stored absent ends there, inside the
  // window, without a page.
  lemma stored_gone{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, x, L;
    1 <= L && pg_stored{A, B}(w, cr3, fl, M, nf, va, x, L) && !pg_has(\at(w[x], B), PG_P) ==>
    !pg_mapped{B}(w, cr3, fl, M, va) && !pg_window{B}(w, cr3, fl, M, nf, va);
  // The page of level L that holds v starts at a, when a is aligned to
  // it and v lies in the page's bytes from a (the base a flush records).
  lemma page_base: \forall integer a, v, L;
    1 <= L <= 3 && 0 <= a && pg_aligned(a, L) && a <= v < a + pg_size(L) ==>
    pg_page_base(v, L) == a;
  // The masks of the three page sizes are remainders (WP's Mod-Mask
  // tactic): the offset of va in its page, as xpt_translate reports it.
  lemma offset_1: \forall integer va; 0 <= va ==> (va & 4095) == va % 4096;
  lemma offset_2: \forall integer va; 0 <= va ==> (va & 2097151) == va % 2097152;
  lemma offset_3: \forall integer va; 0 <= va ==> (va & 1073741823) == va % 1073741824;
  }

  // ---------------------------------------- the page of an address of a run
  // In a block of its own, seen by the goals that name pg_run_base alone:
  // among PgRun's lemmas they slowed others past the 30 s limit
  // (page_base, xpt_translate's offset, change_run's covers_page).
  axiomatic PgRunPage {
  // The first byte of the page of v in the run of level L from va.
  logic integer pg_run_base(integer va, integer v, integer L) =
    va + (pg_idx(v, L) - pg_idx(va, L)) * pg_size(L);
  // The page of v in the run from va is the (idx(v) - idx(va))-th after
  // va's: its first byte is va plus that many pages.  One case a level,
  // then any level as run_in.
  lemma run_page_1: \forall integer va, n, v;
    0 <= va && 0 <= v && va % 4096 == 0 && va / 549755813888 == v / 549755813888 &&
    pg_in_run(va, 1, n, v) ==> pg_run_base(va, v, 1) == v - v % 4096;
  lemma run_page_2: \forall integer va, n, v;
    0 <= va && 0 <= v && va % 2097152 == 0 && va / 549755813888 == v / 549755813888 &&
    pg_in_run(va, 2, n, v) ==> pg_run_base(va, v, 2) == v - v % 2097152;
  lemma run_page_3: \forall integer va, n, v;
    0 <= va && 0 <= v && va % 1073741824 == 0 && va / 549755813888 == v / 549755813888 &&
    pg_in_run(va, 3, n, v) ==> pg_run_base(va, v, 3) == v - v % 1073741824;
  lemma run_39: \forall integer fl, va, L, n, v;
    1 <= L <= 3 && 0 <= va <= 18446744073709551615 && 0 <= v <= 18446744073709551615 &&
    pg_canonical(fl, va) && pg_canonical(fl, v) && pg_in_run(va, L, n, v) ==>
    va / 549755813888 == v / 549755813888;
  lemma run_page: \forall integer fl, va, L, n, v;
    1 <= L <= 3 && 0 <= va <= 18446744073709551615 && 0 <= v <= 18446744073709551615 &&
    pg_canonical(fl, va) && pg_canonical(fl, v) && pg_aligned(va, L) && pg_in_run(va, L, n, v) ==>
    pg_run_base(va, v, L) == v - v % pg_size(L);
  }

  // ------------------------------------------------ a run of leaves stored
  // As the block PgRun: seen by the goals that name pg_filled.
  axiomatic PgFill {
  // Stores into one table t alone, a table the walks reach at level L and
  // at no other, each of its words now as it was or one that ends a walk
  // at L (a leaf, or an absent entry: the run of leaves one map step
  // stores): a walk reaches what it reached before, through the same
  // tables, so the tables stay a tree.  Level by level from the root, as
  // spec/paging.h's cut_table_0 .. 4, each level carrying the walk's
  // reach before.
  predicate pg_filled{A, B}(uint64_t *w, integer cr3, integer fl, integer M, integer nf,
                            integer t, integer L) =
    13 <= M <= 52 &&
    (\forall integer i; 0 <= i < nf * 512 && !(t * 512 <= i < t * 512 + 512) ==>
       \at(w[i], A) == \at(w[i], B)) &&
    (\forall integer v, K; pg_reaches{A}(w, cr3, fl, M, nf, v, K) &&
       pg_table{A}(w, cr3, fl, M, v, K) == t ==> K == L) &&
    \forall integer i; t * 512 <= i < t * 512 + 512 ==>
      \at(w[i], B) == \at(w[i], A) || pg_stop(\at(w[i], B), L, fl, M);
  lemma fill_word{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, t, L, u, i;
    pg_filled{A, B}(w, cr3, fl, M, nf, t, L) && 0 <= u < nf && u != t && 0 <= i < 512 ==>
    \at(w[u * 512 + i], B) == \at(w[u * 512 + i], A);
  // One level down: the entry the walk reads at J is as it was (a changed
  // word of t would end the walk at J), so is the table below.
  lemma fill_entry{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, t, L, v, K, J;
    pg_filled{A, B}(w, cr3, fl, M, nf, t, L) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K < J <= pg_top(fl) && pg_reaches{A}(w, cr3, fl, M, nf, v, J) &&
    pg_table{B}(w, cr3, fl, M, v, J) == pg_table{A}(w, cr3, fl, M, v, J) ==>
    pg_entry{B}(w, cr3, fl, M, v, J) == pg_entry{A}(w, cr3, fl, M, v, J);
  lemma fill_down{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, t, L, v, K, J;
    pg_filled{A, B}(w, cr3, fl, M, nf, t, L) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K < J <= pg_top(fl) && pg_reaches{A}(w, cr3, fl, M, nf, v, J) &&
    pg_table{B}(w, cr3, fl, M, v, J) == pg_table{A}(w, cr3, fl, M, v, J) ==>
    pg_table{B}(w, cr3, fl, M, v, J - 1) == pg_table{A}(w, cr3, fl, M, v, J - 1) &&
    pg_reaches{A}(w, cr3, fl, M, nf, v, J - 1);
  lemma fill_table_0{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, t, L, v, K;
    pg_filled{A, B}(w, cr3, fl, M, nf, t, L) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= pg_top(fl) - 0 ==>
    pg_table{B}(w, cr3, fl, M, v, pg_top(fl) - 0) == pg_table{A}(w, cr3, fl, M, v, pg_top(fl) - 0) &&
    pg_reaches{A}(w, cr3, fl, M, nf, v, pg_top(fl) - 0);
  lemma fill_table_1{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, t, L, v, K;
    pg_filled{A, B}(w, cr3, fl, M, nf, t, L) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= pg_top(fl) - 1 ==>
    pg_table{B}(w, cr3, fl, M, v, pg_top(fl) - 1) == pg_table{A}(w, cr3, fl, M, v, pg_top(fl) - 1) &&
    pg_reaches{A}(w, cr3, fl, M, nf, v, pg_top(fl) - 1);
  lemma fill_table_2{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, t, L, v, K;
    pg_filled{A, B}(w, cr3, fl, M, nf, t, L) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= pg_top(fl) - 2 ==>
    pg_table{B}(w, cr3, fl, M, v, pg_top(fl) - 2) == pg_table{A}(w, cr3, fl, M, v, pg_top(fl) - 2) &&
    pg_reaches{A}(w, cr3, fl, M, nf, v, pg_top(fl) - 2);
  lemma fill_table_3{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, t, L, v, K;
    pg_filled{A, B}(w, cr3, fl, M, nf, t, L) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= pg_top(fl) - 3 ==>
    pg_table{B}(w, cr3, fl, M, v, pg_top(fl) - 3) == pg_table{A}(w, cr3, fl, M, v, pg_top(fl) - 3) &&
    pg_reaches{A}(w, cr3, fl, M, nf, v, pg_top(fl) - 3);
  lemma fill_table_4{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, t, L, v, K;
    pg_filled{A, B}(w, cr3, fl, M, nf, t, L) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= pg_top(fl) - 4 ==>
    pg_table{B}(w, cr3, fl, M, v, pg_top(fl) - 4) == pg_table{A}(w, cr3, fl, M, v, pg_top(fl) - 4) &&
    pg_reaches{A}(w, cr3, fl, M, nf, v, pg_top(fl) - 4);
  lemma fill_table{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, t, L, v, K, J;
    pg_filled{A, B}(w, cr3, fl, M, nf, t, L) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= J <= pg_top(fl) ==>
    pg_table{B}(w, cr3, fl, M, v, J) == pg_table{A}(w, cr3, fl, M, v, J) &&
    pg_reaches{A}(w, cr3, fl, M, nf, v, J);
  lemma fill_tree{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, t, L;
    pg_filled{A, B}(w, cr3, fl, M, nf, t, L) && pg_tree{A}(w, cr3, fl, M, nf) ==>
    pg_tree{B}(w, cr3, fl, M, nf);
  }
*/

#endif

/*
 * The lemma library: bit facts the proofs of ref/ rely on, and facts that
 * say what the masks of spec/paging.h are in plain arithmetic.
 *
 * Every `lemma` here is a proof goal of `make prove`, proved on its own by
 * WP (its simplifier evaluates the bit operations once the cases are
 * split; the tactic named next to a lemma in proofs/README.md does the
 * split).  The only statements taken without proof are in the axiomatic
 * block `Bitwise_AC` at the end; proofs/ASSUMPTIONS.md says why they are
 * sound and where their bit-vector proof is (proofs/bits.mlw).
 */
#ifndef XPT_PROOFS_LEMMAS_H
#define XPT_PROOFS_LEMMAS_H

/*@
  // ------------------------------------------------ masks, in arithmetic
  // bits M..51 and 12..M-1 for every MAXPHYADDR the core accepts.
  lemma amask_is_difference: \forall integer M; 13 <= M <= 52 ==>
    PG_BITS_EXPR(12, M) == (1 << M) - 4096;
  lemma high_is_difference: \forall integer M; 13 <= M <= 52 ==>
    PG_BITS_EXPR(M, 52) == (1 << 52) - (1 << M);
  // The reserved bits of huge leaves (4.5, tables 4-17 and 4-19).
  lemma bits_1g_reserved: PG_BITS_EXPR(13, 30) == 0x3fffe000;
  lemma bits_2m_reserved: PG_BITS_EXPR(13, 21) == 0x1fe000;
  // A whole word.
  lemma bits_all: PG_BITS_EXPR(0, 64) == 0xffffffffffffffff;

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

  // -------------------------------------------------- index bounds
  // 4.5: each level's index is a 9-bit field.
  lemma idx_range: \forall integer va, L; 0 <= va && 1 <= L <= 5 ==>
    0 <= ((va >> (12 + 9 * (L - 1))) & 511) < 512;
*/

/*@ axiomatic Bitwise_AC {
  // WP's own theory declares land and lor associative and commutative
  // (meta AC in frama_c_wp.cbits); Z3 and CVC4 do not read that
  // declaration, so it is stated here for them.  proofs/bits.mlw proves
  // the same two facts over 64-bit vectors.
  axiom land_comm:  \forall integer x, y; (x & y) == (y & x);
  axiom lor_comm:   \forall integer x, y; (x | y) == (y | x);
} */

#endif

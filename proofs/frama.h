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
#define XPT_PGW_AT(m, c, L) \at((m)->words, L), \at((c)->cr3, L), \at((c)->flags, L), \at((c)->maxphyaddr, L)

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

#endif

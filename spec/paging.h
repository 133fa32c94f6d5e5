/*
 * x86-64 paging (4-level, and 5-level under CR4.LA57) as ACSL logic:
 * Intel SDM Vol. 3A, chapter 4.
 *
 * Logic definitions, and the lemmas of blocks PgFrame and PgTree (proof
 * goals of make prove): no code and no axioms.  spec/README.md maps
 * every definition to its SDM section.  Levels are numbered as in the
 * SDM: 5 = PML5 (only with LA57), 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT.
 * Physical memory is the window of ref/include/xpt.h: an array of 64-bit
 * words, frame f at words [f*512 .. f*512+511], frames [0, nf) present.
 *
 * Constants and single-bit tests are macros rather than logic functions:
 * Frama-C WP's simplifier only rewrites a mask test such as (e & 0x80) != 0
 * into a bit test when it sees the literal mask, and a logic function
 * would hide it.  Every other definition is an ACSL logic function.
 *
 * Integers are mathematical.  Masks that depend on MAXPHYADDR are written
 * with the (uint64_t) conversions a 64-bit C expression of the same bits
 * performs; proofs/lemmas.h states what each one is in plain arithmetic.
 */
#ifndef XPT_SPEC_PAGING_H
#define XPT_SPEC_PAGING_H

#include <stdint.h>

/* ---------------------------------------------- entry flags (4.5) */
#define PG_P        0x1
#define PG_RW       0x2
#define PG_US       0x4
#define PG_PWT      0x8
#define PG_PCD      0x10
#define PG_A        0x20
#define PG_D        0x40
#define PG_PS       0x80               /* PDPTE, PDE: the entry maps a page */
#define PG_G        0x100
#define PG_NX       0x8000000000000000 /* XD */
#define PG_PK_SHIFT 59                 /* protection key: bits 62:59 of a leaf */
#define PG_RSVD_1G  0x3fffe000         /* bits 29:13 of a PDPTE that maps 1 GByte */
#define PG_RSVD_2M  0x1fe000           /* bits 20:13 of a PDE that maps 2 MBytes */

/* --------------------------------- control state (2.5, 4.1.1, 4.6) */
/* The flag word of struct xpt_ctl. */
#define CTL_WP      0x1   /* CR0.WP */
#define CTL_SMEP    0x2   /* CR4.SMEP */
#define CTL_SMAP    0x4   /* CR4.SMAP */
#define CTL_PKE     0x8   /* CR4.PKE */
#define CTL_NXE     0x10  /* IA32_EFER.NXE */
#define CTL_AC      0x20  /* RFLAGS.AC */
#define CTL_GBPAGES 0x40  /* CPUID.80000001H:EDX.Page1GB[bit 26] */
#define CTL_LA57    0x200 /* CR4.LA57: 5-level paging */

/* ------------------------------------------------- accesses (4.6) */
#define ACC_WRITE    0x2
#define ACC_USER     0x4   /* CPL = 3 */
#define ACC_FETCH    0x10  /* instruction fetch */
#define ACC_IMPLICIT 0x100 /* implicit access to a system structure */

/* ------------------------------------------ #PF error code (4.7) */
#define PF_P    0x1
#define PF_W    0x2
#define PF_U    0x4
#define PF_RSVD 0x8
#define PF_ID   0x10
#define PF_PK   0x20

#define FAULT_NONE 0
#define FAULT_GP   13
#define FAULT_PF   14

/* Some bit of the literal mask m is set in x. */
#define pg_has(x, m) (((x) & (m)) != 0)

/* 4.8: entry `now` is entry `was` with at most A and D set on top; the
 * only change the processor makes to a paging-structure entry. */
#define PG_AD_ONLY(was, now)                                                   \
  ((now) == (was) || (now) == ((was) | PG_A) || (now) == ((was) | PG_D) ||     \
   (now) == ((was) | PG_A | PG_D))

/* 4.6: an access writes, or fetches an instruction; implicit accesses to
 * system structures are supervisor-mode accesses whatever the CPL, every
 * other access at CPL 3 is a user-mode access. */
#define pg_write(acc) pg_has(acc, ACC_WRITE)
#define pg_fetch(acc) pg_has(acc, ACC_FETCH)
#define pg_umode(acc) (pg_has(acc, ACC_USER) && !pg_has(acc, ACC_IMPLICIT))

/* 4.7: the W, U and I/D bits of the #PF error code: the access was a
 * write; it was a user-mode access; it was an instruction fetch, reported
 * only when IA32_EFER.NXE = 1 or CR4.SMEP = 1. */
#define pg_ec_w(acc)     pg_write(acc)
#define pg_ec_u(acc)     pg_umode(acc)
#define pg_ec_id(fl, acc) (pg_fetch(acc) && pg_has(fl, CTL_NXE | CTL_SMEP))

/* Bits lo..hi-1 of a 64-bit word (0 <= lo <= hi <= 64, lo < 64), as a
 * 64-bit C expression computes them; pg_bits below is this expression. */
#define PG_BITS_EXPR(lo, hi)                                             \
  (((hi) >= 64 ? 18446744073709551615                                    \
               : (uint64_t)((uint64_t)(1 << (hi)) - 1))                  \
   & (uint64_t)(~((uint64_t)(1 << (lo)) - 1)))

/* 4.5: the bits of va that index the table at level L: 12+9(L-1) .. +8. */
#define pg_shift(L) (12 + 9 * ((L) - 1))

/* ------------------------------------------------ access rights (4.6.1)
 * Whether an access is allowed, protection keys aside, given the combined
 * rights of its walk: u (user-mode address), wr (writable), nx
 * (execute-disable, NXE already folded in).
 *  - user-mode access: only to user-mode addresses; writes need R/W = 1 at
 *    every level whatever CR0.WP; fetches need XD = 0;
 *  - supervisor-mode fetch: never from a user-mode address when SMEP = 1;
 *    XD = 0 at every level when NXE = 1;
 *  - supervisor-mode data access: with SMAP = 1 a user-mode address is
 *    reachable only by an explicit access with RFLAGS.AC = 1; writes need
 *    R/W = 1 at every level when CR0.WP = 1. */
#define pg_allowed(u, wr, nx, fl, acc)                                            \
  (pg_umode(acc) ?                                                                \
     ((u) && (pg_fetch(acc) ? !(nx) : (!pg_write(acc) || (wr))))                  \
   : pg_fetch(acc) ?                                                              \
     (!((u) && pg_has(fl, CTL_SMEP)) && !(nx))                                    \
   : (!((u) && pg_has(fl, CTL_SMAP) &&                                            \
        (pg_has(acc, ACC_IMPLICIT) || !pg_has(fl, CTL_AC))) &&                    \
      (!pg_write(acc) || (wr) || !pg_has(fl, CTL_WP))))

/* 4.6.2: with CR4.PKE = 1, data accesses to user-mode addresses are checked
 * against PKRU for key k: AD_k forbids every data access; WD_k forbids
 * writes by user-mode accesses, and by supervisor-mode ones when CR0.WP = 1.
 * Fetches and supervisor-mode addresses are exempt. */
/* The key's bits are logic functions, not macros: the provers then see
 * the same application on the code's side and inside pg_pk_fault, where
 * WP's simplifier would turn only the first into a bit test at a
 * key-dependent position, which they cannot relate to the mask. */
/*@ logic boolean pg_pkru_ad(integer pkru, integer k) = (pkru & (1 << (2 * k))) != 0;
    logic boolean pg_pkru_wd(integer pkru, integer k) = (pkru & (1 << (2 * k + 1))) != 0;
*/
#define pg_pk_denied(u, k, fl, pkru, acc)                                         \
  (pg_has(fl, CTL_PKE) && (u) && !pg_fetch(acc) &&                                \
   (pg_pkru_ad(pkru, k) ||                                                        \
    (pg_write(acc) && pg_pkru_wd(pkru, k) && (pg_umode(acc) || pg_has(fl, CTL_WP)))))

/*@
  // --------------------------------------------------- bit fields
  // (Logic functions, not macros: each is compared as a value, and the
  // provers match them as whole terms.)
  logic integer pg_bits(integer lo, integer hi) = PG_BITS_EXPR(lo, hi);

  // 4.1.4: a physical address has MAXPHYADDR (M) bits; an entry, and CR3,
  // hold a frame address in bits 12..M-1.
  logic integer pg_amask(integer M) = pg_bits(12, M);

  // 4.5: the index of va in the table at level L; the bytes an entry at
  // level L maps (4 KiB, 2 MiB, 1 GiB, 512 GiB, 256 TiB).
  logic integer pg_idx(integer va, integer L) = (va >> pg_shift(L)) & 511;
  logic integer pg_size(integer L) = (uint64_t)(1 << pg_shift(L));

  // 4.5, tables 4-12 to 4-20: the frame named by the address field of an
  // entry, or of CR3 (bits M-1:12 locate the root table).
  logic integer pg_next(integer e, integer M) = (e & pg_amask(M)) >> 12;

  // ------------------------------------------- paging modes (4.1.1, 4.5)
  // The level of the root table: 4 (PML4) or, with LA57, 5 (PML5).
  logic integer pg_top(integer fl) = pg_has(fl, CTL_LA57) ? 5 : 4;
  // Linear-address width: 48 bits, or 57 with LA57.
  logic integer pg_va_bits(integer fl) = pg_has(fl, CTL_LA57) ? 57 : 48;

  // --------------------------------------- linear addresses (3.3.7.1, 4.5)
  // Bits 63:width-1 all equal: otherwise the access raises #GP, not #PF.
  logic boolean pg_canonical_w(integer va, integer bits) =
    (va >> (bits - 1)) == 0 || (va >> (bits - 1)) == (18446744073709551615 >> (bits - 1));
  logic boolean pg_canonical(integer fl, integer va) =
    pg_canonical_w(va, pg_va_bits(fl));

  // ---------------------------------------------- the walk (4.5)
  // Entry i of table frame t.
  logic integer pg_rd{H}(uint64_t *w, integer t, integer i) = w[t * 512 + i];

  // The entries the walk of va reads, level by level from the root.
  logic integer pg_e5{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_rd(w, pg_next(cr3, M), pg_idx(va, 5));
  logic integer pg_t4{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_top(fl) == 5 ? pg_next(pg_e5(w, cr3, fl, M, va), M) : pg_next(cr3, M);
  logic integer pg_e4{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_rd(w, pg_t4(w, cr3, fl, M, va), pg_idx(va, 4));
  logic integer pg_e3{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_rd(w, pg_next(pg_e4(w, cr3, fl, M, va), M), pg_idx(va, 3));
  logic integer pg_e2{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_rd(w, pg_next(pg_e3(w, cr3, fl, M, va), M), pg_idx(va, 2));
  logic integer pg_e1{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_rd(w, pg_next(pg_e2(w, cr3, fl, M, va), M), pg_idx(va, 1));

  // The table the walk reads at level L, and the entry it reads there.
  logic integer pg_table{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va,
                            integer L) =
    L >= 5 ? pg_next(cr3, M) :
    L == 4 ? pg_t4(w, cr3, fl, M, va) :
    L == 3 ? pg_next(pg_e4(w, cr3, fl, M, va), M) :
    L == 2 ? pg_next(pg_e3(w, cr3, fl, M, va), M) :
             pg_next(pg_e2(w, cr3, fl, M, va), M);
  logic integer pg_entry{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va,
                            integer L) =
    L >= 5 ? pg_e5(w, cr3, fl, M, va) :
    L == 4 ? pg_e4(w, cr3, fl, M, va) :
    L == 3 ? pg_e3(w, cr3, fl, M, va) :
    L == 2 ? pg_e2(w, cr3, fl, M, va) :
             pg_e1(w, cr3, fl, M, va);

  // ------------------------------------------ reserved bits (4.5, 4.1.4)
  // A present entry at level L has a reserved bit set: bits M..51 of any
  // entry; XD (bit 63) when IA32_EFER.NXE = 0; PS in a PML5E or PML4E;
  // in a PDPTE with PS = 1, PS itself when 1-GByte pages are not
  // supported, else bits 29:13; bits 20:13 of a PDE with PS = 1.
  // (One test per rule, each a single mask or bit test of e.)
  logic boolean pg_rsvd(integer e, integer L, integer fl, integer M) =
    (e & pg_bits(M, 52)) != 0 ||
    (!pg_has(fl, CTL_NXE) && pg_has(e, PG_NX)) ||
    (pg_has(e, PG_PS) &&
     (L >= 4 ||
      (L == 3 && (!pg_has(fl, CTL_GBPAGES) || pg_has(e, PG_RSVD_1G))) ||
      (L == 2 && pg_has(e, PG_RSVD_2M))));

  // A PTE, or a PDPTE / PDE with PS = 1, maps a page (4.5).
  logic boolean pg_leaf(integer e, integer L) = L == 1 || pg_has(e, PG_PS);

  // The walk ends at an entry that is not present, has a reserved bit
  // set, or maps a page.
  logic boolean pg_stop(integer e, integer L, integer fl, integer M) =
    !pg_has(e, PG_P) || pg_rsvd(e, L, fl, M) || pg_leaf(e, L);

  // The level at which the walk of va ends (1 .. pg_top(fl)).
  logic integer pg_level{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_top(fl) == 5 && pg_stop(pg_e5(w, cr3, fl, M, va), 5, fl, M) ? 5 :
    pg_stop(pg_e4(w, cr3, fl, M, va), 4, fl, M) ? 4 :
    pg_stop(pg_e3(w, cr3, fl, M, va), 3, fl, M) ? 3 :
    pg_stop(pg_e2(w, cr3, fl, M, va), 2, fl, M) ? 2 : 1;

  // The last entry read.
  logic integer pg_last{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_entry(w, cr3, fl, M, va, pg_level(w, cr3, fl, M, va));

  // The walk needs a table outside the window [0, nf): the model has no
  // memory there (xpt_walk reports XPT_E_WINDOW; not an MMU outcome).
  predicate pg_window{H}(uint64_t *w, integer cr3, integer fl, integer M, integer nf,
                         integer va) =
    pg_canonical(fl, va) &&
    \exists integer L; pg_level(w, cr3, fl, M, va) <= L <= pg_top(fl) &&
                       pg_table(w, cr3, fl, M, va, L) >= nf;

  logic boolean pg_not_present{H}(uint64_t *w, integer cr3, integer fl, integer M,
                                  integer va) =
    !pg_has(pg_last(w, cr3, fl, M, va), PG_P);
  logic boolean pg_reserved{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_has(pg_last(w, cr3, fl, M, va), PG_P) &&
    pg_rsvd(pg_last(w, cr3, fl, M, va), pg_level(w, cr3, fl, M, va), fl, M);
  // The walk reaches a page: va has a translation.
  logic boolean pg_mapped{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_canonical(fl, va) &&
    !pg_not_present(w, cr3, fl, M, va) && !pg_reserved(w, cr3, fl, M, va);

  // ------------------------------------- combined rights (4.6.1)
  // Every entry from the root down to level S has R/W = 1 (resp. U/S = 1);
  // some entry from the root down to level S has XD = 1.
  logic boolean pg_all_rw{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va,
                             integer S) =
    (pg_top(fl) < 5 || S > 5 || pg_has(pg_e5(w, cr3, fl, M, va), PG_RW)) &&
    (S > 4 || pg_has(pg_e4(w, cr3, fl, M, va), PG_RW)) &&
    (S > 3 || pg_has(pg_e3(w, cr3, fl, M, va), PG_RW)) &&
    (S > 2 || pg_has(pg_e2(w, cr3, fl, M, va), PG_RW)) &&
    (S > 1 || pg_has(pg_e1(w, cr3, fl, M, va), PG_RW));
  logic boolean pg_all_us{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va,
                             integer S) =
    (pg_top(fl) < 5 || S > 5 || pg_has(pg_e5(w, cr3, fl, M, va), PG_US)) &&
    (S > 4 || pg_has(pg_e4(w, cr3, fl, M, va), PG_US)) &&
    (S > 3 || pg_has(pg_e3(w, cr3, fl, M, va), PG_US)) &&
    (S > 2 || pg_has(pg_e2(w, cr3, fl, M, va), PG_US)) &&
    (S > 1 || pg_has(pg_e1(w, cr3, fl, M, va), PG_US));
  logic boolean pg_any_nx{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va,
                             integer S) =
    (pg_top(fl) == 5 && S <= 5 && pg_has(pg_e5(w, cr3, fl, M, va), PG_NX)) ||
    (S <= 4 && pg_has(pg_e4(w, cr3, fl, M, va), PG_NX)) ||
    (S <= 3 && pg_has(pg_e3(w, cr3, fl, M, va), PG_NX)) ||
    (S <= 2 && pg_has(pg_e2(w, cr3, fl, M, va), PG_NX)) ||
    (S <= 1 && pg_has(pg_e1(w, cr3, fl, M, va), PG_NX));

  // The rights of the whole walk: writable (R/W = 1 at every level);
  // user-mode address (U/S = 1 at every level; otherwise a
  // supervisor-mode address); execute-disable (XD = 1 at some level,
  // which counts only when IA32_EFER.NXE = 1).
  logic boolean pg_writable{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_all_rw(w, cr3, fl, M, va, pg_level(w, cr3, fl, M, va));
  logic boolean pg_user_addr{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_all_us(w, cr3, fl, M, va, pg_level(w, cr3, fl, M, va));
  logic boolean pg_noexec{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_has(fl, CTL_NXE) && pg_any_nx(w, cr3, fl, M, va, pg_level(w, cr3, fl, M, va));

  // 4.6.2: the protection key of the page (bits 62:59 of the leaf).
  logic integer pg_key(integer e) = (e >> PG_PK_SHIFT) & 15;
  logic integer pg_pkey{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_key(pg_last(w, cr3, fl, M, va));

  // ----------------------------------------------------- the outcome
  logic boolean pg_pk_fault{H}(uint64_t *w, integer cr3, integer fl, integer M, integer pkru,
                               integer va, integer acc) =
    pg_pk_denied(pg_user_addr(w, cr3, fl, M, va), pg_pkey(w, cr3, fl, M, va), fl, pkru, acc);
  logic boolean pg_denied{H}(uint64_t *w, integer cr3, integer fl, integer M, integer pkru,
                             integer va, integer acc) =
    !pg_allowed(pg_user_addr(w, cr3, fl, M, va), pg_writable(w, cr3, fl, M, va),
                pg_noexec(w, cr3, fl, M, va), fl, acc) ||
    pg_pk_fault(w, cr3, fl, M, pkru, va, acc);

  // The exception an access raises: none, #GP (non-canonical) or #PF.
  logic integer pg_fault{H}(uint64_t *w, integer cr3, integer fl, integer M, integer pkru,
                            integer va, integer acc) =
    !pg_canonical(fl, va) ? FAULT_GP :
    !pg_mapped(w, cr3, fl, M, va) ? FAULT_PF :
    pg_denied(w, cr3, fl, M, pkru, va, acc) ? FAULT_PF : FAULT_NONE;

  // 4.7: the bits of the #PF error code, one predicate each.
  //  P: the fault was not caused by a non-present page;
  //  W: the access was a write;  U: a user-mode access (pg_ec_w, pg_ec_u
  //  and pg_ec_id are macros, above);
  //  RSVD: a reserved bit was set in some entry;
  //  I/D: an instruction fetch, reported when NXE = 1 or SMEP = 1;
  //  PK: a protection-key violation.
  predicate pg_ec_p{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    !pg_not_present(w, cr3, fl, M, va);
  predicate pg_ec_rsvd{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_reserved(w, cr3, fl, M, va);
  predicate pg_ec_pk{H}(uint64_t *w, integer cr3, integer fl, integer M, integer pkru,
                        integer va, integer acc) =
    pg_mapped(w, cr3, fl, M, va) && pg_pk_fault(w, cr3, fl, M, pkru, va, acc);

  // -------------------------------------------- the translation (4.5)
  // The physical address of va: the leaf's frame with the page offset.
  logic integer pg_leaf_base(integer e, integer L, integer M) =
    e & pg_amask(M) & (uint64_t)~(uint64_t)(pg_size(L) - 1);
  logic integer pg_leaf_pa(integer e, integer L, integer M, integer va) =
    pg_leaf_base(e, L, M) | (va & (uint64_t)(pg_size(L) - 1));
  logic integer pg_pa{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    pg_leaf_pa(pg_last(w, cr3, fl, M, va), pg_level(w, cr3, fl, M, va), M, va);
  // The first byte of the page of level L that holds va: what a TLB entry
  // for va's translation covers from, and what INVLPG of it drops (4.10.4).
  logic integer pg_page_base(integer va, integer L) = va - va % pg_size(L);

  // ------------------------------------------ accessed and dirty (4.8)
  // A successful access sets A in every entry it used and D in the leaf
  // when it writes.  As a mask over the entries of the walk (bit k: the
  // entry at level pg_top(fl)-k), the entries used are bits 0 .. n-1 for
  // the n = pg_top(fl) - pg_level + 1 entries read.
  logic integer pg_a_mask{H}(uint64_t *w, integer cr3, integer fl, integer M, integer pkru,
                             integer va, integer acc) =
    pg_fault(w, cr3, fl, M, pkru, va, acc) == FAULT_NONE ?
      (1 << (pg_top(fl) - pg_level(w, cr3, fl, M, va) + 1)) - 1 : 0;
  predicate pg_sets_d{H}(uint64_t *w, integer cr3, integer fl, integer M, integer pkru,
                         integer va, integer acc) =
    pg_fault(w, cr3, fl, M, pkru, va, acc) == FAULT_NONE && pg_write(acc);
*/

/*@
  // ------------------------------------ what a store can change (4.5)
  // The walk of va reads only the entries pg_entry names, one a level from
  // the root down to the level where it ends: a store to any other word of
  // the window leaves it, and so every outcome above, as it was.  The
  // lemmas of this block are goals of `make prove` (proofs/README.md);
  // they are here, in a block, so that only goals that name pg_reads or
  // pg_same_walk see them.
  axiomatic PgFrame {
  // Word x of the window is an entry the walk of va reads.
  predicate pg_reads{H}(uint64_t *w, integer cr3, integer fl, integer M, integer va,
                        integer x) =
    (pg_top(fl) == 5 && x == pg_next(cr3, M) * 512 + pg_idx(va, 5)) ||
    (pg_level(w, cr3, fl, M, va) <= 4 && x == pg_t4(w, cr3, fl, M, va) * 512 + pg_idx(va, 4)) ||
    (pg_level(w, cr3, fl, M, va) <= 3 &&
     x == pg_next(pg_e4(w, cr3, fl, M, va), M) * 512 + pg_idx(va, 3)) ||
    (pg_level(w, cr3, fl, M, va) <= 2 &&
     x == pg_next(pg_e3(w, cr3, fl, M, va), M) * 512 + pg_idx(va, 2)) ||
    (pg_level(w, cr3, fl, M, va) <= 1 &&
     x == pg_next(pg_e2(w, cr3, fl, M, va), M) * 512 + pg_idx(va, 1));

  // In memories A and B the walk of va reads the same entry at every level
  // it reaches in A.
  predicate pg_same_walk{A, B}(uint64_t *w, integer cr3, integer fl, integer M, integer va) =
    (pg_top(fl) == 5 ==> pg_e5{A}(w, cr3, fl, M, va) == pg_e5{B}(w, cr3, fl, M, va)) &&
    (pg_level{A}(w, cr3, fl, M, va) <= 4 ==>
       pg_e4{A}(w, cr3, fl, M, va) == pg_e4{B}(w, cr3, fl, M, va)) &&
    (pg_level{A}(w, cr3, fl, M, va) <= 3 ==>
       pg_e3{A}(w, cr3, fl, M, va) == pg_e3{B}(w, cr3, fl, M, va)) &&
    (pg_level{A}(w, cr3, fl, M, va) <= 2 ==>
       pg_e2{A}(w, cr3, fl, M, va) == pg_e2{B}(w, cr3, fl, M, va)) &&
    (pg_level{A}(w, cr3, fl, M, va) <= 1 ==>
       pg_e1{A}(w, cr3, fl, M, va) == pg_e1{B}(w, cr3, fl, M, va));

  // The walk of va reaches level L, through tables inside the window
  // [0, nf) from the root down to L.
  predicate pg_reaches{H}(uint64_t *w, integer cr3, integer fl, integer M, integer nf,
                          integer va, integer L) =
    pg_canonical(fl, va) && pg_level(w, cr3, fl, M, va) <= L <= pg_top(fl) &&
    \forall integer K; L <= K <= pg_top(fl) ==> pg_table(w, cr3, fl, M, va, K) < nf;

  // The word the walk of v reads at level J.
  logic integer pg_word{H}(uint64_t *w, integer cr3, integer fl, integer M, integer v,
                           integer J) =
    w[pg_table(w, cr3, fl, M, v, J) * 512 + pg_idx(v, J)];
  lemma entry_word{H}: \forall uint64_t *w, integer cr3, fl, M, v, J;
    1 <= J <= pg_top(fl) ==> pg_entry(w, cr3, fl, M, v, J) == pg_word(w, cr3, fl, M, v, J);
  // A walk inside the window (4.5; pg_window) reads only words of it.
  lemma idx_bits: \forall integer x; 0 <= (511 & x) <= 511;
  lemma idx_range: \forall integer va, L; 0 <= pg_idx(va, L) <= 511;
  lemma addr_bits: \forall integer e, m; 0 <= m ==> 0 <= (e & m);
  lemma next_range: \forall integer e, M; 13 <= M <= 52 ==> 0 <= pg_next(e, M);
  lemma reads_level{H}: \forall uint64_t *w, integer cr3, fl, M, va, x;
    pg_reads(w, cr3, fl, M, va, x) ==>
    \exists integer L; pg_level(w, cr3, fl, M, va) <= L <= pg_top(fl) &&
      x == pg_table(w, cr3, fl, M, va, L) * 512 + pg_idx(va, L);
  lemma table_range{H}: \forall uint64_t *w, integer cr3, fl, M, va, L;
    13 <= M <= 52 ==> 0 <= pg_table(w, cr3, fl, M, va, L);
  lemma reads_window{H}: \forall uint64_t *w, integer cr3, fl, M, nf, va, x;
    13 <= M <= 52 && pg_canonical(fl, va) && !pg_window(w, cr3, fl, M, nf, va) &&
    pg_reads(w, cr3, fl, M, va, x) ==> 0 <= x < nf * 512;
  // Memories that agree on the words the walk reads keep it; a store to
  // a word the walk does not read is one such.
  lemma walk_agree{A, B}: \forall uint64_t *w, integer cr3, fl, M, va;
    (\forall integer x; pg_reads{A}(w, cr3, fl, M, va, x) ==> \at(w[x], A) == \at(w[x], B)) ==>
    pg_same_walk{A, B}(w, cr3, fl, M, va);
  lemma walk_frame{A, B}: \forall uint64_t *w, integer cr3, fl, M, va, x;
    (\forall integer i; i != x ==> \at(w[i], A) == \at(w[i], B)) &&
    !pg_reads{A}(w, cr3, fl, M, va, x) ==> pg_same_walk{A, B}(w, cr3, fl, M, va);

  // A store to the entry the walk of va reads at level L, and at no level
  // above, the walk reaching L inside the window and no other word of the
  // window changed: the walk reads the same entries above L and the
  // stored one at L.  Stored absent, it ends there without a page;
  // stored a leaf, it ends there with that leaf.
  predicate pg_stored{A, B}(uint64_t *w, integer cr3, integer fl, integer M, integer nf,
                            integer va, integer x, integer L) =
    13 <= M <= 52 && pg_reaches{A}(w, cr3, fl, M, nf, va, L) &&
    (\forall integer i; 0 <= i < nf * 512 && i != x ==> \at(w[i], A) == \at(w[i], B)) &&
    x == pg_table{A}(w, cr3, fl, M, va, L) * 512 + pg_idx(va, L) &&
    \forall integer K; L < K <= pg_top(fl) ==>
      x != pg_table{A}(w, cr3, fl, M, va, K) * 512 + pg_idx(va, K);
  lemma stored_above{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, x, L, K;
    pg_stored{A, B}(w, cr3, fl, M, nf, va, x, L) && L < K <= pg_top(fl) ==>
    pg_entry{B}(w, cr3, fl, M, va, K) == pg_entry{A}(w, cr3, fl, M, va, K) &&
    pg_table{B}(w, cr3, fl, M, va, K) == pg_table{A}(w, cr3, fl, M, va, K);
  lemma stored_next{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, x, L;
    pg_stored{A, B}(w, cr3, fl, M, nf, va, x, L) && L < pg_top(fl) ==>
    pg_entry{B}(w, cr3, fl, M, va, L + 1) == pg_entry{A}(w, cr3, fl, M, va, L + 1);
  lemma stored_table{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, x, L;
    pg_stored{A, B}(w, cr3, fl, M, nf, va, x, L) ==>
    pg_table{B}(w, cr3, fl, M, va, L) == pg_table{A}(w, cr3, fl, M, va, L);
  lemma stored_at{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, x, L;
    pg_stored{A, B}(w, cr3, fl, M, nf, va, x, L) ==>
    pg_entry{B}(w, cr3, fl, M, va, L) == \at(w[x], B);
  lemma stored_level{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, x, L;
    pg_stored{A, B}(w, cr3, fl, M, nf, va, x, L) && pg_stop(\at(w[x], B), L, fl, M) ==>
    pg_level{B}(w, cr3, fl, M, va) == L;
  lemma stored_absent{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, x, L;
    pg_stored{A, B}(w, cr3, fl, M, nf, va, x, L) && !pg_has(\at(w[x], B), PG_P) ==>
    pg_level{B}(w, cr3, fl, M, va) == L && !pg_mapped{B}(w, cr3, fl, M, va);
  lemma stored_leaf{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, x, L;
    pg_stored{A, B}(w, cr3, fl, M, nf, va, x, L) && pg_has(\at(w[x], B), PG_P) &&
    !pg_rsvd(\at(w[x], B), L, fl, M) && pg_leaf(\at(w[x], B), L) ==>
    pg_level{B}(w, cr3, fl, M, va) == L && pg_last{B}(w, cr3, fl, M, va) == \at(w[x], B) &&
    pg_mapped{B}(w, cr3, fl, M, va) &&
    pg_pa{B}(w, cr3, fl, M, va) == pg_leaf_pa(\at(w[x], B), L, M, va);

  // The same entries: the walk ends at the same level, at the same entry,
  // with the same rights, key and address, and needs the same tables.
  lemma same_level{A, B}: \forall uint64_t *w, integer cr3, fl, M, va;
    pg_same_walk{A, B}(w, cr3, fl, M, va) ==>
    pg_level{A}(w, cr3, fl, M, va) == pg_level{B}(w, cr3, fl, M, va);
  lemma same_last{A, B}: \forall uint64_t *w, integer cr3, fl, M, va;
    pg_same_walk{A, B}(w, cr3, fl, M, va) ==>
    pg_last{A}(w, cr3, fl, M, va) == pg_last{B}(w, cr3, fl, M, va);
  lemma same_rights{A, B}: \forall uint64_t *w, integer cr3, fl, M, va;
    pg_same_walk{A, B}(w, cr3, fl, M, va) ==>
    pg_writable{A}(w, cr3, fl, M, va) == pg_writable{B}(w, cr3, fl, M, va) &&
    pg_user_addr{A}(w, cr3, fl, M, va) == pg_user_addr{B}(w, cr3, fl, M, va) &&
    pg_noexec{A}(w, cr3, fl, M, va) == pg_noexec{B}(w, cr3, fl, M, va);
  lemma same_fault{A, B}: \forall uint64_t *w, integer cr3, fl, M, pkru, va, acc;
    pg_same_walk{A, B}(w, cr3, fl, M, va) ==>
    pg_fault{A}(w, cr3, fl, M, pkru, va, acc) == pg_fault{B}(w, cr3, fl, M, pkru, va, acc);
  lemma same_pa{A, B}: \forall uint64_t *w, integer cr3, fl, M, va;
    pg_same_walk{A, B}(w, cr3, fl, M, va) ==>
    pg_pa{A}(w, cr3, fl, M, va) == pg_pa{B}(w, cr3, fl, M, va);
  lemma same_table{A, B}: \forall uint64_t *w, integer cr3, fl, M, va, L;
    pg_same_walk{A, B}(w, cr3, fl, M, va) && pg_level{A}(w, cr3, fl, M, va) <= L ==>
    pg_table{A}(w, cr3, fl, M, va, L) == pg_table{B}(w, cr3, fl, M, va, L);
  lemma same_reads{A, B}: \forall uint64_t *w, integer cr3, fl, M, va, x;
    pg_same_walk{A, B}(w, cr3, fl, M, va) ==>
    (pg_reads{A}(w, cr3, fl, M, va, x) <==> pg_reads{B}(w, cr3, fl, M, va, x));
  lemma same_trans{A, B, C}: \forall uint64_t *w, integer cr3, fl, M, va;
    pg_same_walk{A, B}(w, cr3, fl, M, va) && pg_same_walk{B, C}(w, cr3, fl, M, va) ==>
    pg_same_walk{A, C}(w, cr3, fl, M, va);
  lemma window_agree{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va;
    13 <= M <= 52 && pg_canonical(fl, va) && !pg_window{A}(w, cr3, fl, M, nf, va) &&
    (\forall integer x; 0 <= x < nf * 512 ==> \at(w[x], A) == \at(w[x], B)) ==>
    pg_same_walk{A, B}(w, cr3, fl, M, va);
  lemma same_mapped{A, B}: \forall uint64_t *w, integer cr3, fl, M, va;
    pg_same_walk{A, B}(w, cr3, fl, M, va) ==>
    (pg_mapped{A}(w, cr3, fl, M, va) <==> pg_mapped{B}(w, cr3, fl, M, va));
  lemma same_window_at{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L;
    pg_same_walk{A, B}(w, cr3, fl, M, va) && pg_canonical(fl, va) &&
    pg_level{A}(w, cr3, fl, M, va) <= L <= pg_top(fl) && pg_table{A}(w, cr3, fl, M, va, L) >= nf ==>
    pg_window{B}(w, cr3, fl, M, nf, va);
  lemma same_window_back{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L;
    pg_same_walk{A, B}(w, cr3, fl, M, va) && pg_canonical(fl, va) &&
    pg_level{B}(w, cr3, fl, M, va) <= L <= pg_top(fl) && pg_table{B}(w, cr3, fl, M, va, L) >= nf ==>
    pg_window{A}(w, cr3, fl, M, nf, va);
  lemma same_window{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va;
    pg_same_walk{A, B}(w, cr3, fl, M, va) ==>
    (pg_window{A}(w, cr3, fl, M, nf, va) <==> pg_window{B}(w, cr3, fl, M, nf, va));
  // The walk of va has the same outcome at B as at A: the same walk, or
  // a non-present entry at both, inside the window (a #PF with P = 0 for
  // every access either way: a new, empty table below an absent entry).
  predicate pg_same_outcome{A, B}(uint64_t *w, integer cr3, integer fl, integer M, integer nf,
                                  integer va) =
    pg_same_walk{A, B}(w, cr3, fl, M, va) ||
    (pg_not_present{A}(w, cr3, fl, M, va) && pg_not_present{B}(w, cr3, fl, M, va) &&
     !pg_window{B}(w, cr3, fl, M, nf, va));
  lemma outcome_window{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va;
    !pg_window{A}(w, cr3, fl, M, nf, va) && pg_same_outcome{A, B}(w, cr3, fl, M, nf, va) ==>
    !pg_window{B}(w, cr3, fl, M, nf, va);
  lemma outcome_trans{A, B, C}: \forall uint64_t *w, integer cr3, fl, M, nf, va;
    pg_same_outcome{A, B}(w, cr3, fl, M, nf, va) && pg_same_outcome{B, C}(w, cr3, fl, M, nf, va) ==>
    pg_same_outcome{A, C}(w, cr3, fl, M, nf, va);
  // A walk that reached a page keeps it: the same walk.
  lemma outcome_mapped{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va;
    pg_same_outcome{A, B}(w, cr3, fl, M, nf, va) && pg_mapped{A}(w, cr3, fl, M, va) ==>
    pg_same_walk{A, B}(w, cr3, fl, M, va);
  }
*/

/*@
  // ------------------------------------------- tables as a tree (4.5)
  // The SDM lets tables form any graph: two entries may name one table,
  // an entry may name a table above it.  The mapper keeps a tree, and
  // needs it: a store to a table another path also reaches would change
  // translations it was not asked to change.  Tree: a table the walks
  // inside the window reach is reached at one level only, and through
  // one index a level above it.
  axiomatic PgTree {
  // va and vb agree on the indexes of the levels above L.
  predicate pg_same_above(integer va, integer vb, integer L) =
    \forall integer J; L < J <= 5 ==> pg_idx(va, J) == pg_idx(vb, J);
  predicate pg_tree{H}(uint64_t *w, integer cr3, integer fl, integer M, integer nf) =
    \forall integer va, vb, L, K;
      pg_reaches(w, cr3, fl, M, nf, va, L) && pg_reaches(w, cr3, fl, M, nf, vb, K) &&
      pg_table(w, cr3, fl, M, va, L) == pg_table(w, cr3, fl, M, vb, K) ==>
      L == K && pg_same_above(va, vb, L);

  // Entries above the level where the walk ends do not stop it.
  lemma level_above{H}: \forall uint64_t *w, integer cr3, fl, M, va, J;
    pg_level(w, cr3, fl, M, va) < J <= pg_top(fl) ==>
    !pg_stop(pg_entry(w, cr3, fl, M, va, J), J, fl, M);

  // A store of an absent entry only cuts walks short: a walk that reaches
  // a level afterwards reached it before, through the same tables; so the
  // tables stay a tree (unmap's store).  Word x may also keep its value:
  // then the window is unchanged, and so is every walk inside it (a
  // store outside the window, such as the mapper's own cursor).
  predicate pg_cut{A, B}(uint64_t *w, integer nf, integer x) =
    (\forall integer i; 0 <= i < nf * 512 && i != x ==> \at(w[i], A) == \at(w[i], B)) &&
    (!pg_has(\at(w[x], B), PG_P) || \at(w[x], B) == \at(w[x], A));
  lemma reach_slot{H}: \forall uint64_t *w, integer cr3, fl, M, nf, v, K, J;
    13 <= M <= 52 && pg_reaches(w, cr3, fl, M, nf, v, K) && K <= J <= pg_top(fl) ==>
    0 <= pg_table(w, cr3, fl, M, v, J) * 512 + pg_idx(v, J) < nf * 512;
  lemma cut_entry{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, x, v, K, J;
    13 <= M <= 52 && pg_cut{A, B}(w, nf, x) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K < J <= pg_top(fl) &&
    pg_table{B}(w, cr3, fl, M, v, J) == pg_table{A}(w, cr3, fl, M, v, J) ==>
    pg_entry{B}(w, cr3, fl, M, v, J) == pg_entry{A}(w, cr3, fl, M, v, J);
  // Level by level from the root (one lemma a level: the provers do not
  // do the induction).
  lemma cut_table_0{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, x, v, K;
    13 <= M <= 52 && pg_cut{A, B}(w, nf, x) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= pg_top(fl) - 0 ==>
    pg_table{B}(w, cr3, fl, M, v, pg_top(fl) - 0) == pg_table{A}(w, cr3, fl, M, v, pg_top(fl) - 0);
  lemma cut_table_1{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, x, v, K;
    13 <= M <= 52 && pg_cut{A, B}(w, nf, x) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= pg_top(fl) - 1 ==>
    pg_table{B}(w, cr3, fl, M, v, pg_top(fl) - 1) == pg_table{A}(w, cr3, fl, M, v, pg_top(fl) - 1);
  lemma cut_table_2{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, x, v, K;
    13 <= M <= 52 && pg_cut{A, B}(w, nf, x) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= pg_top(fl) - 2 ==>
    pg_table{B}(w, cr3, fl, M, v, pg_top(fl) - 2) == pg_table{A}(w, cr3, fl, M, v, pg_top(fl) - 2);
  lemma cut_table_3{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, x, v, K;
    13 <= M <= 52 && pg_cut{A, B}(w, nf, x) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= pg_top(fl) - 3 ==>
    pg_table{B}(w, cr3, fl, M, v, pg_top(fl) - 3) == pg_table{A}(w, cr3, fl, M, v, pg_top(fl) - 3);
  lemma cut_table_4{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, x, v, K;
    13 <= M <= 52 && pg_cut{A, B}(w, nf, x) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= pg_top(fl) - 4 ==>
    pg_table{B}(w, cr3, fl, M, v, pg_top(fl) - 4) == pg_table{A}(w, cr3, fl, M, v, pg_top(fl) - 4);
  lemma cut_table{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, x, v, K, J;
    13 <= M <= 52 && pg_cut{A, B}(w, nf, x) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= J <= pg_top(fl) ==>
    pg_table{B}(w, cr3, fl, M, v, J) == pg_table{A}(w, cr3, fl, M, v, J);
  lemma cut_reached{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, x, v, K;
    13 <= M <= 52 && pg_cut{A, B}(w, nf, x) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) ==>
    pg_reaches{A}(w, cr3, fl, M, nf, v, K);
  lemma cut_tree{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, x;
    13 <= M <= 52 && pg_cut{A, B}(w, nf, x) && pg_tree{A}(w, cr3, fl, M, nf) ==>
    pg_tree{B}(w, cr3, fl, M, nf);

  // A new table t, every entry absent, hung below the absent entry x for
  // va at L, t no table any walk reached: a walk reaches what it reached
  // before, or t at L - 1 through va's indexes; so the tables stay a tree
  // (map's new tables; a split's table of leaves is not covered yet).
  // Word indexes are absolute in the quantifiers (w[i] with t * 512 <= i),
  // so that the provers can instantiate them on any word read.
  predicate pg_unreached{H}(uint64_t *w, integer cr3, integer fl, integer M, integer nf,
                            integer t) =
    \forall integer v, K; pg_reaches(w, cr3, fl, M, nf, v, K) ==>
      pg_table(w, cr3, fl, M, v, K) != t;
  // An entry that is not present (a logic function, so that WP's
  // simplifier leaves the same term on both sides of a proof).
  logic boolean pg_absent(integer e) = !pg_has(e, PG_P);
  predicate pg_link{A, B}(uint64_t *w, integer cr3, integer fl, integer M, integer nf,
                          integer va, integer L, integer x, integer t) =
    13 <= M <= 52 && 2 <= L && pg_tree{A}(w, cr3, fl, M, nf) &&
    pg_reaches{A}(w, cr3, fl, M, nf, va, L) &&
    x == pg_table{A}(w, cr3, fl, M, va, L) * 512 + pg_idx(va, L) &&
    !pg_has(\at(w[x], A), PG_P) &&
    0 <= t < nf && pg_unreached{A}(w, cr3, fl, M, nf, t) &&
    !pg_stop(\at(w[x], B), L, fl, M) && pg_next(\at(w[x], B), M) == t &&
    (\forall integer i; t * 512 <= i < t * 512 + 512 ==> pg_absent(\at(w[i], B))) &&
    (\forall integer i; 0 <= i < nf * 512 && i != x && !(t * 512 <= i < t * 512 + 512) ==>
       \at(w[i], A) == \at(w[i], B));
  // Where the walk of v is at level J: where it was, or in t.
  predicate pg_link_at{A, B}(uint64_t *w, integer cr3, integer fl, integer M, integer nf,
                             integer va, integer L, integer t, integer v, integer J) =
    (pg_reaches{A}(w, cr3, fl, M, nf, v, J) &&
     pg_table{B}(w, cr3, fl, M, v, J) == pg_table{A}(w, cr3, fl, M, v, J)) ||
    (J == L - 1 && pg_table{B}(w, cr3, fl, M, v, J) == t && pg_same_above(va, v, L - 1));
  lemma frame_apart: \forall integer u, i, t;
    0 <= i < 512 && u != t ==> !(t * 512 <= u * 512 + i < t * 512 + 512);
  lemma link_word{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, u, i;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && 0 <= u < nf && u != t && 0 <= i < 512 &&
    u * 512 + i != x ==> \at(w[u * 512 + i], B) == \at(w[u * 512 + i], A);
  lemma link_apart{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, J;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_reaches{A}(w, cr3, fl, M, nf, v, J) ==>
    pg_table{A}(w, cr3, fl, M, v, J) != t && 0 <= pg_table{A}(w, cr3, fl, M, v, J) < nf &&
    1 <= J <= pg_top(fl);
  lemma link_entry_a{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, J;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_reaches{A}(w, cr3, fl, M, nf, v, J) ==>
    pg_entry{A}(w, cr3, fl, M, v, J) == pg_word{A}(w, cr3, fl, M, v, J);
  lemma link_entry_b{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, J;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_reaches{A}(w, cr3, fl, M, nf, v, J) &&
    pg_table{B}(w, cr3, fl, M, v, J) == pg_table{A}(w, cr3, fl, M, v, J) &&
    pg_table{A}(w, cr3, fl, M, v, J) * 512 + pg_idx(v, J) != x ==>
    pg_entry{B}(w, cr3, fl, M, v, J) == pg_word{A}(w, cr3, fl, M, v, J);
  lemma link_eq{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, J;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_reaches{A}(w, cr3, fl, M, nf, v, J) &&
    pg_table{B}(w, cr3, fl, M, v, J) == pg_table{A}(w, cr3, fl, M, v, J) &&
    pg_table{A}(w, cr3, fl, M, v, J) * 512 + pg_idx(v, J) != x ==>
    pg_entry{B}(w, cr3, fl, M, v, J) == pg_entry{A}(w, cr3, fl, M, v, J);
  lemma link_top{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, K;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) ==>
    pg_link_at{A, B}(w, cr3, fl, M, nf, va, L, t, v, pg_top(fl));
  // table_below with the level below named J (its trigger, L - 1, does
  // not match a level the provers would have to solve for).
  lemma table_under{H}: \forall uint64_t *w, integer cr3, fl, M, v, J;
    1 <= J < pg_top(fl) ==>
    pg_table(w, cr3, fl, M, v, J) == pg_next(pg_entry(w, cr3, fl, M, v, J + 1), M);
  lemma link_old{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, K, J;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= J < pg_top(fl) && pg_reaches{A}(w, cr3, fl, M, nf, v, J + 1) &&
    pg_table{B}(w, cr3, fl, M, v, J + 1) == pg_table{A}(w, cr3, fl, M, v, J + 1) &&
    pg_table{A}(w, cr3, fl, M, v, J + 1) * 512 + pg_idx(v, J + 1) != x ==>
    pg_reaches{A}(w, cr3, fl, M, nf, v, J) &&
    pg_table{B}(w, cr3, fl, M, v, J) == pg_table{A}(w, cr3, fl, M, v, J);
  lemma link_hit{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, K, J;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= J < pg_top(fl) && pg_reaches{A}(w, cr3, fl, M, nf, v, J + 1) &&
    pg_table{B}(w, cr3, fl, M, v, J + 1) == pg_table{A}(w, cr3, fl, M, v, J + 1) &&
    pg_table{A}(w, cr3, fl, M, v, J + 1) * 512 + pg_idx(v, J + 1) == x ==>
    J == L - 1 && pg_table{B}(w, cr3, fl, M, v, J) == t && pg_same_above(va, v, L - 1);
  lemma word_in{H}: \forall uint64_t *w, integer cr3, fl, M, v, J, t;
    pg_table(w, cr3, fl, M, v, J) == t ==>
    pg_word(w, cr3, fl, M, v, J) == w[t * 512 + pg_idx(v, J)];
  lemma link_t_word{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, J;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) ==>
    pg_absent(\at(w[t * 512 + pg_idx(v, J)], B));
  lemma link_t_entry{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, J;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && 1 <= J <= pg_top(fl) &&
    pg_table{B}(w, cr3, fl, M, v, J) == t ==>
    pg_absent(pg_entry{B}(w, cr3, fl, M, v, J));
  lemma link_new{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, K, J;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= J && J + 1 == L - 1 && pg_table{B}(w, cr3, fl, M, v, J + 1) == t ==> \false;
  lemma link_step_old{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, K, J;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= J < pg_top(fl) && pg_reaches{A}(w, cr3, fl, M, nf, v, J + 1) &&
    pg_table{B}(w, cr3, fl, M, v, J + 1) == pg_table{A}(w, cr3, fl, M, v, J + 1) ==>
    pg_link_at{A, B}(w, cr3, fl, M, nf, va, L, t, v, J);
  lemma link_step{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, K, J;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= J < pg_top(fl) && pg_link_at{A, B}(w, cr3, fl, M, nf, va, L, t, v, J + 1) ==>
    pg_link_at{A, B}(w, cr3, fl, M, nf, va, L, t, v, J);
  lemma link_at_1{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, K;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= pg_top(fl) - 1 ==>
    pg_link_at{A, B}(w, cr3, fl, M, nf, va, L, t, v, pg_top(fl) - 1);
  lemma link_at_2{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, K;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= pg_top(fl) - 2 ==>
    pg_link_at{A, B}(w, cr3, fl, M, nf, va, L, t, v, pg_top(fl) - 2);
  lemma link_at_3{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, K;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= pg_top(fl) - 3 ==>
    pg_link_at{A, B}(w, cr3, fl, M, nf, va, L, t, v, pg_top(fl) - 3);
  lemma link_at_4{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, K;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) &&
    K <= pg_top(fl) - 4 ==>
    pg_link_at{A, B}(w, cr3, fl, M, nf, va, L, t, v, pg_top(fl) - 4);
  lemma link_reached{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v, K;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) && pg_reaches{B}(w, cr3, fl, M, nf, v, K) ==>
    pg_link_at{A, B}(w, cr3, fl, M, nf, va, L, t, v, K);
  lemma same_above_trans: \forall integer va, v1, v2, L;
    pg_same_above(va, v1, L) && pg_same_above(va, v2, L) ==> pg_same_above(v1, v2, L);
  lemma link_tree_cases{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t, v1, K1, v2, K2;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) &&
    pg_link_at{A, B}(w, cr3, fl, M, nf, va, L, t, v1, K1) &&
    pg_link_at{A, B}(w, cr3, fl, M, nf, va, L, t, v2, K2) &&
    pg_table{B}(w, cr3, fl, M, v1, K1) == pg_table{B}(w, cr3, fl, M, v2, K2) ==>
    K1 == K2 && pg_same_above(v1, v2, K1);
  lemma link_tree{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, x, t;
    pg_link{A, B}(w, cr3, fl, M, nf, va, L, x, t) ==> pg_tree{B}(w, cr3, fl, M, nf);

  // Addresses that share the indexes above L share the walk down to L;
  // every canonical address shares the root's table.
  lemma reach_above{H}: \forall uint64_t *w, integer cr3, fl, M, nf, va, v, L;
    1 <= L <= 5 && pg_reaches(w, cr3, fl, M, nf, va, L) && pg_canonical(fl, v) &&
    pg_same_above(va, v, L) ==>
    pg_reaches(w, cr3, fl, M, nf, v, L) &&
    pg_table(w, cr3, fl, M, v, L) == pg_table(w, cr3, fl, M, va, L);
  lemma reach_root{H}: \forall uint64_t *w, integer cr3, fl, M, nf, va, v;
    pg_reaches(w, cr3, fl, M, nf, va, pg_top(fl)) && pg_canonical(fl, v) ==>
    pg_reaches(w, cr3, fl, M, nf, v, pg_top(fl)) &&
    pg_table(w, cr3, fl, M, v, pg_top(fl)) == pg_table(w, cr3, fl, M, va, pg_top(fl));

  // No table is its own ancestor: the entry for va at L is read at no
  // level above (pg_stored's last condition).
  lemma tree_not_above{H}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, K;
    pg_tree(w, cr3, fl, M, nf) && pg_reaches(w, cr3, fl, M, nf, va, L) && L < K <= pg_top(fl) ==>
    pg_table(w, cr3, fl, M, va, K) != pg_table(w, cr3, fl, M, va, L);
  // Only the addresses that share va's indexes from the top down to L
  // read the entry for va at L.
  lemma slot_apart: \forall integer t, i, u, j;
    0 <= i < 512 && 0 <= j < 512 && t * 512 + i == u * 512 + j ==> t == u && i == j;
  lemma tree_reads{H}: \forall uint64_t *w, integer cr3, fl, M, nf, va, v, L;
    13 <= M <= 52 && pg_tree(w, cr3, fl, M, nf) && pg_reaches(w, cr3, fl, M, nf, va, L) &&
    pg_canonical(fl, v) && !pg_window(w, cr3, fl, M, nf, v) &&
    pg_reads(w, cr3, fl, M, v, pg_table(w, cr3, fl, M, va, L) * 512 + pg_idx(va, L)) ==>
    pg_same_above(va, v, L) && pg_idx(va, L) == pg_idx(v, L);

  // Stores into one table alone, the one the walk of va reads at L and at
  // no level above: that walk reaches L as before, through the same
  // tables and entries (the run of leaves one unmap step changes).  Level
  // by level from the root, as cut_table_0 .. 4.
  predicate pg_in_table{A, B}(uint64_t *w, integer cr3, integer fl, integer M, integer nf,
                              integer va, integer L) =
    13 <= M <= 52 && 1 <= L && pg_reaches{A}(w, cr3, fl, M, nf, va, L) &&
    (\forall integer i; 0 <= i < nf * 512 &&
       !(pg_table{A}(w, cr3, fl, M, va, L) * 512 <= i < pg_table{A}(w, cr3, fl, M, va, L) * 512 + 512) ==>
       \at(w[i], A) == \at(w[i], B)) &&
    \forall integer K; L < K <= pg_top(fl) ==>
      pg_table{A}(w, cr3, fl, M, va, K) != pg_table{A}(w, cr3, fl, M, va, L);
  lemma in_table_0{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L;
    pg_in_table{A, B}(w, cr3, fl, M, nf, va, L) && L <= pg_top(fl) - 0 ==>
    pg_table{B}(w, cr3, fl, M, va, pg_top(fl) - 0) == pg_table{A}(w, cr3, fl, M, va, pg_top(fl) - 0) &&
    (L < pg_top(fl) - 0 ==>
     pg_entry{B}(w, cr3, fl, M, va, pg_top(fl) - 0) == pg_entry{A}(w, cr3, fl, M, va, pg_top(fl) - 0));
  lemma in_table_1{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L;
    pg_in_table{A, B}(w, cr3, fl, M, nf, va, L) && L <= pg_top(fl) - 1 ==>
    pg_table{B}(w, cr3, fl, M, va, pg_top(fl) - 1) == pg_table{A}(w, cr3, fl, M, va, pg_top(fl) - 1) &&
    (L < pg_top(fl) - 1 ==>
     pg_entry{B}(w, cr3, fl, M, va, pg_top(fl) - 1) == pg_entry{A}(w, cr3, fl, M, va, pg_top(fl) - 1));
  lemma in_table_2{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L;
    pg_in_table{A, B}(w, cr3, fl, M, nf, va, L) && L <= pg_top(fl) - 2 ==>
    pg_table{B}(w, cr3, fl, M, va, pg_top(fl) - 2) == pg_table{A}(w, cr3, fl, M, va, pg_top(fl) - 2) &&
    (L < pg_top(fl) - 2 ==>
     pg_entry{B}(w, cr3, fl, M, va, pg_top(fl) - 2) == pg_entry{A}(w, cr3, fl, M, va, pg_top(fl) - 2));
  lemma in_table_3{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L;
    pg_in_table{A, B}(w, cr3, fl, M, nf, va, L) && L <= pg_top(fl) - 3 ==>
    pg_table{B}(w, cr3, fl, M, va, pg_top(fl) - 3) == pg_table{A}(w, cr3, fl, M, va, pg_top(fl) - 3) &&
    (L < pg_top(fl) - 3 ==>
     pg_entry{B}(w, cr3, fl, M, va, pg_top(fl) - 3) == pg_entry{A}(w, cr3, fl, M, va, pg_top(fl) - 3));
  lemma in_table_4{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L;
    pg_in_table{A, B}(w, cr3, fl, M, nf, va, L) && L <= pg_top(fl) - 4 ==>
    pg_table{B}(w, cr3, fl, M, va, pg_top(fl) - 4) == pg_table{A}(w, cr3, fl, M, va, pg_top(fl) - 4) &&
    (L < pg_top(fl) - 4 ==>
     pg_entry{B}(w, cr3, fl, M, va, pg_top(fl) - 4) == pg_entry{A}(w, cr3, fl, M, va, pg_top(fl) - 4));
  lemma in_table_level{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L;
    pg_in_table{A, B}(w, cr3, fl, M, nf, va, L) ==> pg_level{B}(w, cr3, fl, M, va) <= L;
  lemma in_table_reach{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, va, L, K;
    pg_in_table{A, B}(w, cr3, fl, M, nf, va, L) && L <= K <= pg_top(fl) ==>
    pg_reaches{B}(w, cr3, fl, M, nf, va, K) &&
    pg_table{B}(w, cr3, fl, M, va, K) == pg_table{A}(w, cr3, fl, M, va, K);
  }
*/

#endif

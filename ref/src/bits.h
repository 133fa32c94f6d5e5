/* Internal helpers shared by the core: bit scans and entry fields. */
#ifndef XPT_BITS_H
#define XPT_BITS_H

#include "xpt.h"

/* Index of the lowest set bit of a non-zero word. */
/*@ requires w != 0;
    assigns \nothing;
    ensures 0 <= \result < 64;
    ensures ((w >> \result) & 1) == 1;
    ensures \forall integer j; 0 <= j < \result ==> ((w >> j) & 1) == 0;
*/
static inline unsigned xpt_lowest_bit(uint64_t w)
{
	return (unsigned)__builtin_ctzll(w);
}

/* Bits lo..hi-1 set (lo < hi <= 64). */
/*@ requires lo <= hi <= 64 && lo < 64;
    assigns \nothing;
    ensures bits_expr: \result == PG_BITS_EXPR(lo, hi);
    ensures bits: \result == pg_bits(lo, hi);
*/
static inline uint64_t xpt_bit_range(unsigned lo, unsigned hi)
{
	uint64_t upper = hi >= 64u ? UINT64_MAX : ((uint64_t)1 << hi) - 1u;
	return upper & ~(((uint64_t)1 << lo) - 1u);
}

/* Bits 12..M-1: where a 4 KiB-aligned physical address sits in an entry. */
/*@ requires 12 < maxphyaddr <= 64;
    assigns \nothing;
    ensures \result == pg_amask(maxphyaddr);
*/
static inline uint64_t xpt_addr_mask(unsigned maxphyaddr)
{
	return xpt_bit_range(XPT_PAGE_SHIFT, maxphyaddr);
}

/* Shift of the address bits that index the table at `level` (1 = PT). */
/*@ requires 1 <= level <= 5;
    assigns \nothing;
    ensures \result == pg_shift(level);
*/
static inline unsigned xpt_level_shift(unsigned level)
{
	return XPT_PAGE_SHIFT + 9u * (level - 1u);
}

/*@ requires 1 <= level <= 5;
    assigns \nothing;
    ensures \result == pg_idx(va, level);
    ensures \result < 512;
*/
static inline unsigned xpt_index(uint64_t va, unsigned level)
{
	return (unsigned)((va >> xpt_level_shift(level)) & (XPT_ENTRIES - 1u));
}

/* Bytes mapped by one entry at `level`. */
/*@ requires 1 <= level <= 5;
    assigns \nothing;
    ensures \result == pg_size(level);
    ensures level <= 4 ==> \result == 4096 || \result == 2097152 || \result == 1073741824 ||
            \result == 549755813888;
*/
static inline uint64_t xpt_level_bytes(unsigned level)
{
	return (uint64_t)1 << xpt_level_shift(level);
}

/* Word index of entry i of table frame t in the window. */
/*@ requires t < 0x40000000000000 && i < 512;
    assigns \nothing;
    ensures \result == t * 512 + i;
*/
static inline uint64_t xpt_slot(xpt_pfn t, unsigned i)
{
	return t * XPT_ENTRIES + i;
}

/* A leaf at `level`: a PTE, or a PDE / PDPTE with PS. */
/*@ assigns \nothing;
    ensures \result <==> pg_leaf(e, level);
*/
static inline bool xpt_is_leaf(uint64_t e, unsigned level)
{
	return level == 1u || (e & XPT_PTE_PS) != 0;
}

/* Physical address a leaf at `level` maps. */
/*@ requires 1 <= level <= 4 && 12 < maxphyaddr <= 64;
    assigns \nothing;
    ensures \result == pg_leaf_base(e, level, maxphyaddr);
*/
static inline uint64_t xpt_leaf_base(uint64_t e, unsigned level, unsigned maxphyaddr)
{
	return e & xpt_addr_mask(maxphyaddr) & ~(xpt_level_bytes(level) - 1u);
}

/* The frame an entry, or CR3, names: its bits 12..M-1. */
/*@ requires 12 < maxphyaddr <= 64;
    assigns \nothing;
    ensures \result == pg_next(e, maxphyaddr);
*/
static inline xpt_pfn xpt_entry_frame(uint64_t e, unsigned maxphyaddr)
{
	return (e & xpt_addr_mask(maxphyaddr)) >> XPT_PAGE_SHIFT;
}

/* Physical address of va through a leaf at `level`: frame plus offset. */
/*@ requires 1 <= level <= 4 && 12 < maxphyaddr <= 64;
    assigns \nothing;
    ensures \result == pg_leaf_pa(e, level, maxphyaddr, va);
*/
static inline uint64_t xpt_leaf_pa(uint64_t e, unsigned level, unsigned maxphyaddr, uint64_t va)
{
	return xpt_leaf_base(e, level, maxphyaddr) | (va & (xpt_level_bytes(level) - 1u));
}

/* The protection key of a leaf (bits 62:59). */
/*@ assigns \nothing;
    ensures \result == pg_key(e);
    ensures \result < 16;
*/
static inline unsigned xpt_leaf_pkey(uint64_t e)
{
	return (unsigned)((e >> XPT_PTE_PK_SHIFT) & 15u);
}

/* The attributes a leaf at `level` encodes (inverse of the mapper's encoding). */
/*@ assigns \nothing;
    ensures write: pg_has(\result, XPT_WRITE) <==> pg_has(e, PG_RW);
    ensures user: pg_has(\result, XPT_USER) <==> pg_has(e, PG_US);
    ensures noexec: pg_has(\result, XPT_NOEXEC) <==> pg_has(e, PG_NX);
*/
static inline xpt_attr xpt_leaf_attr(uint64_t e, unsigned level)
{
	uint64_t pat = level == 1u ? XPT_PTE_PAT_4K : XPT_PTE_PAT_HUGE;
	unsigned cache = ((e & XPT_PTE_PWT) ? 1u : 0u) | ((e & XPT_PTE_PCD) ? 2u : 0u) |
	                 ((e & pat) ? 4u : 0u);
	xpt_attr a = XPT_CACHE(cache) | XPT_PKEY((e & XPT_PTE_PK_MASK) >> XPT_PTE_PK_SHIFT);
	a |= (e & XPT_PTE_RW) ? XPT_WRITE : 0u;
	a |= (e & XPT_PTE_US) ? XPT_USER : 0u;
	a |= (e & XPT_PTE_NX) ? XPT_NOEXEC : 0u;
	a |= (e & XPT_PTE_G) ? XPT_GLOBAL : 0u;
	a |= (xpt_attr)((e >> XPT_PTE_SOFT_SHIFT) & 7u) << XPT_SOFT_SHIFT;
	return a;
}

/* 0 when `access` is allowed to a page with combined rights `eff` and
 * protection key `pkey`; else the P and PK bits of the #PF error code. */
/*@ requires \valid_read(ctl) && pkey < 16;
    assigns \nothing;
    ensures \result == 0 || \result == PF_P || \result == (PF_P | PF_PK);
    ensures \result != 0 ==> pg_has(\result, PF_P);
    ensures !pg_has(\result, PF_W) && !pg_has(\result, PF_U) && !pg_has(\result, PF_RSVD) &&
            !pg_has(\result, PF_ID);
    ensures \result == 0 <==>
      pg_allowed(pg_has(eff, XPT_USER), pg_has(eff, XPT_WRITE), pg_has(eff, XPT_NOEXEC),
                 ctl->flags, access) &&
      !pg_pk_denied(pg_has(eff, XPT_USER), pkey, ctl->flags, ctl->pkru, access);
    ensures pg_has(\result, PF_PK) <==>
      pg_pk_denied(pg_has(eff, XPT_USER), pkey, ctl->flags, ctl->pkru, access);
*/
uint32_t xpt_rights_error(const struct xpt_ctl *ctl, xpt_attr eff, unsigned pkey, unsigned access);

#endif

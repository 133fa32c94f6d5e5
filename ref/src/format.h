/*
 * Entry formats the mapper writes: x86 paging entries (SDM Vol. 3A 4.5) and
 * EPT entries (Vol. 3C, EPT paging-structure entries).  The mapper's
 * machinery is the same for both; only these encodings differ.
 */
#ifndef XPT_FORMAT_H
#define XPT_FORMAT_H

#include "bits.h"

/* Whether the walk goes on through e: P for x86 (SDM 4.5); for EPT any of
 * R, W, X (an entry with none of them is not present): one mask test. */
/*@ predicate xpt_present(integer fmt, uint64_t e) =
      fmt == XPT_FMT_EPT ? pg_has(e, XPT_EPT_R | XPT_EPT_W | XPT_EPT_X) : pg_has(e, PG_P);
*/
/*@ assigns \nothing;
    ensures x86: fmt != XPT_FMT_EPT ==> (\result <==> pg_has(e, PG_P));
    ensures ept: fmt == XPT_FMT_EPT ==>
      (\result <==> pg_has(e, XPT_EPT_R | XPT_EPT_W | XPT_EPT_X));
*/
static inline bool xpt_fmt_present(unsigned fmt, uint64_t e)
{
	return fmt == XPT_FMT_EPT ? (e & (XPT_EPT_R | XPT_EPT_W | XPT_EPT_X)) != 0
	                          : (e & XPT_PTE_P) != 0;
}

/*@ // The table entry the mapper writes for table t (xpt_fmt_table): the
    // frame, and bits 0..2, which are P, R/W, U/S for x86 and R, W, X for EPT.
    logic integer xpt_table_entry(integer t) = (t << 12) | 7;
*/

/* A non-leaf entry: every permission, the leaf alone restricts. */
/*@ assigns \nothing;
    ensures entry: t < 0x10000000000000 ==> \result == xpt_table_entry(t);
    ensures x86_table: fmt != XPT_FMT_EPT ==>
      pg_has(\result, PG_P) && pg_has(\result, PG_RW) && pg_has(\result, PG_US) &&
      !pg_has(\result, PG_PS);
    ensures ept_table: fmt == XPT_FMT_EPT ==>
      pg_has(\result, XPT_EPT_R) && pg_has(\result, XPT_EPT_W) && pg_has(\result, XPT_EPT_X) &&
      !pg_has(\result, PG_PS);
*/
static inline uint64_t xpt_fmt_table(unsigned fmt, xpt_pfn t)
{
	uint64_t rights = fmt == XPT_FMT_EPT ? XPT_EPT_R | XPT_EPT_W | XPT_EPT_X
	                                     : XPT_PTE_P | XPT_PTE_RW | XPT_PTE_US;
	return (t << XPT_PAGE_SHIFT) | rights;
}

/* The hardware-owned accessed and dirty bits of a leaf. */
/*@ assigns \nothing;
    ensures \result == (fmt == XPT_FMT_EPT ? 0x300 : 0x60);
*/
static inline uint64_t xpt_fmt_ad(unsigned fmt)
{
	return fmt == XPT_FMT_EPT ? XPT_EPT_A | XPT_EPT_D : XPT_PTE_A | XPT_PTE_D;
}

/* Attributes an entry of the format can hold. */
/*@ assigns \nothing; */
static inline xpt_attr xpt_fmt_attrs(unsigned fmt)
{
	return fmt == XPT_FMT_EPT ? XPT_WRITE | XPT_NOEXEC | XPT_CACHE_MASK : XPT_ATTR_MASK;
}

/* Leaf e with frame pa: bits 13 to 51 are pa's and the others e's, so
 * that a walk reads pa back.  At level 1 bit 12 is an address bit too (in
 * a huge leaf it is the PAT bit): there only if e has pa's bit 12. */
/*@ requires (pa & 0xfff) == 0 && pa < 0x10000000000000;
    assigns \nothing;
    ensures bits: \result == (pa | (e & 0xfff0000000001fff));
    ensures leaf: \result == bits_leaf(pa, e);
    ensures frame: \forall integer L, M; 1 <= L <= 3 && 13 <= M <= 52 &&
      pa % pg_size(L) == 0 && pa < (1 << M) &&
      (L == 1 ==> (pg_has(e, 0x1000) <==> pg_has(pa, 0x1000))) ==>
      pg_leaf_base(\result, L, M) == pa;
    ensures valid: \forall integer L, fl, M; 1 <= L <= 3 && 13 <= M <= 52 &&
      pa % pg_size(L) == 0 && pa < (1 << M) && pg_has(fl, CTL_NXE) && pg_has(fl, CTL_GBPAGES) ==>
      !pg_rsvd(\result, L, fl, M);
*/
static inline uint64_t xpt_leaf_set_frame(uint64_t e, uint64_t pa)
{
	//@ assert leaf: (pa | (e & 0xfff0000000001fff)) == bits_leaf(pa, e);
	return pa | (e & 0xfff0000000001fffull);
}

/* A leaf at `level` mapping frame pa with attributes a.  For x86 its
 * present, R/W and U/S bits are the ones a translation through it reads
 * (SDM 4.5, 4.6); for EPT it is readable, writable as asked, and
 * executable unless XPT_NOEXEC. */
/*@ requires 1 <= level <= 3 && (pa & 0xfff) == 0 && pa < 0x10000000000000;
    assigns \nothing;
    ensures x86_present: fmt != XPT_FMT_EPT ==> pg_has(\result, PG_P);
    ensures x86_write: fmt != XPT_FMT_EPT ==> (pg_has(\result, PG_RW) <==> pg_has(a, XPT_WRITE));
    ensures x86_user: fmt != XPT_FMT_EPT ==> (pg_has(\result, PG_US) <==> pg_has(a, XPT_USER));
    ensures ept_read: fmt == XPT_FMT_EPT ==> pg_has(\result, XPT_EPT_R);
    ensures ept_write: fmt == XPT_FMT_EPT ==> (pg_has(\result, XPT_EPT_W) <==> pg_has(a, XPT_WRITE));
    ensures ept_exec: fmt == XPT_FMT_EPT ==> (pg_has(\result, XPT_EPT_X) <==> !pg_has(a, XPT_NOEXEC));
    ensures huge: level > 1 ==> pg_has(\result, PG_PS);
    ensures x86_noexec: fmt != XPT_FMT_EPT ==> (pg_has(\result, PG_NX) <==> pg_has(a, XPT_NOEXEC));
    ensures x86_pat: fmt != XPT_FMT_EPT && level == 1 ==> (pg_has(\result, 0x1000) <==> pg_has(pa, 0x1000));
    ensures x86_frame: fmt != XPT_FMT_EPT && pa % pg_size(level) == 0 ==> \forall integer M;
      13 <= M <= 52 && pa < (1 << M) ==> pg_leaf_base(\result, level, M) == pa;
    ensures x86_valid: fmt != XPT_FMT_EPT && pa % pg_size(level) == 0 ==> \forall integer fl, M;
      13 <= M <= 52 && pa < (1 << M) && pg_has(fl, CTL_NXE) && pg_has(fl, CTL_GBPAGES) ==>
      !pg_rsvd(\result, level, fl, M);
*/
static inline uint64_t xpt_fmt_leaf(unsigned fmt, uint64_t pa, xpt_attr a, unsigned level)
{
	unsigned cache = (a & XPT_CACHE_MASK) >> XPT_CACHE_SHIFT;
	uint64_t e = pa | (level > 1u ? XPT_PTE_PS : 0);
	if (fmt == XPT_FMT_EPT) {
		e |= XPT_EPT_R | ((uint64_t)cache << XPT_EPT_MT_SHIFT);
		e |= (a & XPT_WRITE) ? XPT_EPT_W : 0;
		e |= (a & XPT_NOEXEC) ? 0 : XPT_EPT_X;
		return e;
	}
	/* Bits 63 and 12 through each OR below, a step at a time (x86_noexec;
	 * x86_frame, for which a 4 KiB leaf keeps bit 12 of pa). */
	//@ assert nx_pa: !pg_has(e, PG_NX);
	//@ assert pat_pa: pg_has(e, 0x1000) <==> pg_has(pa, 0x1000);
	e |= XPT_PTE_P;
	e |= (a & XPT_WRITE) ? XPT_PTE_RW : 0;
	e |= (a & XPT_USER) ? XPT_PTE_US : 0;
	//@ assert nx_us: !pg_has(e, PG_NX);
	//@ assert pat_us: pg_has(e, 0x1000) <==> pg_has(pa, 0x1000);
	e |= (a & XPT_NOEXEC) ? XPT_PTE_NX : 0;
	//@ assert nx_set: pg_has(e, PG_NX) <==> pg_has(a, XPT_NOEXEC);
	e |= (a & XPT_GLOBAL) ? XPT_PTE_G : 0;
	e |= (cache & 1u) ? XPT_PTE_PWT : 0;
	e |= (cache & 2u) ? XPT_PTE_PCD : 0;
	uint64_t pat = level == 1u ? XPT_PTE_PAT_4K : XPT_PTE_PAT_HUGE;
	//@ assert pat_bit: level == 1 ==> !pg_has(pat, 0x1000);
	//@ assert pat_nx: !pg_has(pat, PG_NX);
	e |= (cache & 4u) ? pat : 0;
	//@ assert nx_pat: pg_has(e, PG_NX) <==> pg_has(a, XPT_NOEXEC);
	//@ assert pat_4k: level == 1 ==> (pg_has(e, 0x1000) <==> pg_has(pa, 0x1000));
	e |= (uint64_t)((a & XPT_PKEY_MASK) >> XPT_PKEY_SHIFT) << XPT_PTE_PK_SHIFT;
	e |= (uint64_t)((a & XPT_SOFT_MASK) >> XPT_SOFT_SHIFT) << XPT_PTE_SOFT_SHIFT;
	//@ assert pat_leaf: level == 1 ==> (pg_has(e, 0x1000) <==> pg_has(pa, 0x1000));
	return xpt_leaf_set_frame(e, pa);
}

/* The attributes leaf e at `level` encodes. */
/*@ assigns \nothing;
    ensures x86_attr: fmt != XPT_FMT_EPT ==>
      (pg_has(\result, XPT_WRITE) <==> pg_has(e, PG_RW)) &&
      (pg_has(\result, XPT_USER) <==> pg_has(e, PG_US)) &&
      (pg_has(\result, XPT_NOEXEC) <==> pg_has(e, PG_NX));
    ensures ept_attr: fmt == XPT_FMT_EPT ==>
      (pg_has(\result, XPT_WRITE) <==> pg_has(e, XPT_EPT_W)) &&
      (pg_has(\result, XPT_NOEXEC) <==> !pg_has(e, XPT_EPT_X));
*/
static inline xpt_attr xpt_fmt_attr(unsigned fmt, uint64_t e, unsigned level)
{
	if (fmt == XPT_FMT_EPT)
		return ((e & XPT_EPT_W) ? XPT_WRITE : 0u) | ((e & XPT_EPT_X) ? 0u : XPT_NOEXEC) |
		       XPT_CACHE((e >> XPT_EPT_MT_SHIFT) & 7u);
	return xpt_leaf_attr(e, level);
}

/* EPT memory types 2, 3 and 7 are reserved: an EPT misconfiguration. */
/*@ assigns \nothing; */
static inline bool xpt_ept_memtype_valid(unsigned mt)
{
	return mt != 2u && mt != 3u && mt != 7u;
}

/* An EPT walk that checks the rights in `need` (XPT_EPT_R/W/X; 0: none).
 * A translation (outcome XPT_EPT_OK) ends at a leaf of level 1 to 3. */
/*@ requires \valid_read(mem) && \valid(w);
    requires 12 < maxphyaddr <= 52 && mem->nframes <= 0x10000000000;
    requires \valid_read(mem->words + (0 .. mem->nframes * 512 - 1));
    requires \separated(w, mem, mem->words + (0 .. mem->nframes * 512 - 1));
    assigns *w;
    ensures \result == XPT_OK || \result == XPT_E_WINDOW;
    ensures leaf: \result == XPT_OK && w->outcome == XPT_EPT_OK ==>
      1 <= w->levels <= 4 && w->leaf == 4 - w->levels && w->leaf <= XPT_1G;
*/
int xpt_ept_lookup(const struct xpt_mem *mem, uint64_t eptp, unsigned maxphyaddr, uint64_t gpa,
                   uint64_t need, struct xpt_ept_walk *w);

#endif

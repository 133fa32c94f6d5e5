/*
 * The case generator: deterministic from a seed.  Each case maps one page
 * (4 KiB, 2 MiB or 1 GiB) through ref, maybe a neighbour, maybe unmaps or
 * re-protects, maybe rewrites entries raw (flags, reserved bits, PS, the
 * pool as a table), then makes a few accesses in and around the page with
 * random control bits.
 *
 * With 5-level paging (CR4.LA57) each case gets a PML5 slot in 1..255
 * instead of a PML4 slot, so all its addresses are canonical in 57 bits
 * and not in 48; raw writes reach the PML5E as any other level, and the
 * non-canonical accesses are non-canonical in 57 bits.  The 4-level
 * stream of a seed is what it was before 5-level paging existed.
 *
 * Safety: every leaf the generator makes points into the data pool, so a
 * fetch always lands on a pattern ("mov eax, imm32; syscall").  A raw PS flip
 * can make a leaf out of a table and point it anywhere in low RAM: a case
 * with one makes no fetches (reads, and writes that store back what they
 * read, harm nothing).
 *
 * The pool's lower half is fetched and never written, its upper half
 * written and never fetched.  QEMU sends every store to a frame it has
 * translated code from through its self-modifying-code path (locks, a
 * search for code to throw away); kept apart, writes stay on the fast
 * path.  A 4 KiB case lands in one half, and its writes or fetches
 * become fetches or writes to match; a huge leaf covers both.
 */
#include <string.h>

#include "oracle.h"

#define POOL_FRAMES (XPT_CASE_POOL_SIZE / XPT_PAGE_SIZE)
#define CODE_FRAMES (POOL_FRAMES / 2u) /* pool frames 0..CODE_FRAMES-1: fetched, not written */

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return next(r) % n;
}

static bool chance(struct rng *r, unsigned percent)
{
	return below(r, 100) < percent;
}

/* What the generator knows about the case it is writing. */
struct gcase {
	unsigned levels;   /* 4, or 5 with LA57 */
	uint64_t slot;     /* the case's top-level slot: all its addresses are there */
	uint64_t va;       /* base of the main leaf */
	unsigned size;     /* enum xpt_size */
	uint64_t pool_off; /* where in the leaf the pool starts (1 GiB leaves map PA 0) */
	uint64_t span;     /* bytes of the leaf that are pool */
	bool no_fetch;
	bool code;         /* a 4 KiB leaf on a fetched frame */
	unsigned leaf_level;  /* entry index of the leaf: PDPTE, PDE or PTE */
	uint32_t ctl;
};

static uint32_t gen_ctl(struct rng *r, uint32_t mask)
{
	uint32_t c = 0;
	c |= chance(r, 70) ? XPT_CTL_WP : 0;
	c |= chance(r, 85) ? XPT_CTL_NXE : 0;
	c |= chance(r, 40) ? XPT_CTL_SMEP : 0;
	c |= chance(r, 45) ? XPT_CTL_SMAP : 0;
	c |= chance(r, 40) ? XPT_CTL_PKE : 0;
	c |= chance(r, 35) ? XPT_CTL_AC : 0;
	return c & mask;
}

static uint32_t gen_attr(struct rng *r)
{
	uint32_t a = 0;
	a |= chance(r, 60) ? XPT_WRITE : 0;
	a |= chance(r, 60) ? XPT_USER : 0;
	a |= chance(r, 30) ? XPT_NOEXEC : 0;
	a |= chance(r, 10) ? XPT_GLOBAL : 0;
	a |= chance(r, 40) ? XPT_PKEY(below(r, 16)) : 0;
	a |= chance(r, 15) ? XPT_CACHE(below(r, 8)) : 0;
	return a;
}

/* An address in the case's top-level slot, aligned to `size`. */
static uint64_t gen_va(struct rng *r, const struct gcase *g, unsigned size)
{
	uint64_t va;
	if (g->levels == 5u)
		va = g->slot << 48 | below(r, 512) << 39;
	else
		va = g->slot << 39;
	va |= below(r, 512) << 30 | below(r, 512) << 21 | below(r, 512) << 12;
	return va & ~(xpt_size_bytes((enum xpt_size)size) - 1u);
}

/* A written pool frame, with `room` more written frames after it. */
static uint64_t data_frame(struct rng *r, uint64_t room)
{
	return CODE_FRAMES + below(r, POOL_FRAMES - CODE_FRAMES - room);
}

static void op_map(struct ob *b, uint64_t va, uint64_t pa, unsigned size, uint32_t attr)
{
	struct xpt_case_op op = { .kind = XPT_OP_MAP, .level = (uint8_t)size, .attr = attr, .va = va, .a = pa };
	ob_op(b, &op);
}

static void main_leaf(struct rng *r, struct ob *b, struct gcase *g)
{
	unsigned pick = (unsigned)below(r, 10);
	g->size = pick < 5 ? XPT_4K : pick < 8 ? XPT_2M : XPT_1G;
	g->va = gen_va(r, g, g->size);
	g->leaf_level = g->levels - 1u - g->size;
	if (g->size == XPT_4K) {
		g->pool_off = 0;
		g->span = XPT_PAGE_SIZE;
		uint64_t frame = below(r, POOL_FRAMES);
		g->code = frame < CODE_FRAMES;
		op_map(b, g->va, XPT_CASE_POOL_PA + frame * XPT_PAGE_SIZE, XPT_4K, gen_attr(r));
	} else if (g->size == XPT_2M) {
		g->pool_off = 0;
		g->span = XPT_CASE_POOL_SIZE;
		op_map(b, g->va, XPT_CASE_POOL_PA, XPT_2M, gen_attr(r));
	} else {
		g->pool_off = XPT_CASE_POOL_PA; /* a 1 GiB leaf at PA 0 holds the pool */
		g->span = XPT_CASE_POOL_SIZE;
		op_map(b, g->va, 0, XPT_1G, gen_attr(r));
	}
}

/* A second mapping next to the first, a range, an unmap or a protect. */
static void more_ref_ops(struct rng *r, struct ob *b, struct gcase *g)
{
	struct xpt_case_op op = { .va = g->va };
	if (g->size == XPT_4K && chance(r, 30))
		op_map(b, g->va ^ (below(r, 8) + 1) << 12,
		       XPT_CASE_POOL_PA + data_frame(r, 0) * XPT_PAGE_SIZE, XPT_4K, gen_attr(r));
	if (g->size == XPT_4K && chance(r, 8)) {
		op = (struct xpt_case_op){ .kind = XPT_OP_MAP_RANGE, .va = (g->va & ~UINT64_C(0x1fffff)) + 0x100000,
		                           .a = XPT_CASE_POOL_PA + data_frame(r, 16) * XPT_PAGE_SIZE,
		                           .b = (below(r, 16) + 1) * XPT_PAGE_SIZE, .attr = gen_attr(r) };
		ob_op(b, &op);
	}
	if (chance(r, 12)) {
		op = (struct xpt_case_op){ .kind = XPT_OP_UNMAP, .va = g->va,
		                           .flags = chance(r, 50) ? XPT_OPT_FREE_TABLES : 0 };
		ob_op(b, &op);
	} else if (chance(r, 20)) {
		op = (struct xpt_case_op){ .kind = XPT_OP_PROTECT, .va = g->va, .attr = gen_attr(r) };
		ob_op(b, &op);
	}
}

/* One bit a raw write may set or clear at `level` (0 = the top entry). */
static uint64_t raw_bit(struct rng *r, const struct gcase *g, unsigned level, bool *ps_flip)
{
	unsigned m = 40; /* QEMU's pinned phys-bits; bits m..51 are reserved */
	unsigned pick = (unsigned)below(r, 16);
	*ps_flip = false;
	switch (pick) {
	case 0: case 1: return XPT_PTE_P;
	case 2: return XPT_PTE_RW;
	case 3: return XPT_PTE_US;
	case 4: return XPT_PTE_NX;
	case 5: return XPT_PTE_A;
	case 6: return XPT_PTE_D;
	case 7: return chance(r, 50) ? XPT_PTE_G : XPT_PTE_PWT << below(r, 2);
	case 8: return (uint64_t)1 << (m + below(r, 52 - m));  /* reserved address bit */
	case 9: return (uint64_t)1 << (52 + below(r, 7));      /* ignored */
	case 10: return (uint64_t)1 << (9 + below(r, 3));      /* ignored */
	case 11: return XPT_PTE_PK_MASK & ((uint64_t)1 << (59 + below(r, 4)));
	case 12: /* reserved bits of a huge leaf's address field */
		if (level == g->leaf_level && g->size == XPT_2M)
			return (uint64_t)1 << (13 + below(r, 8));
		if (level == g->leaf_level && g->size == XPT_1G)
			return (uint64_t)1 << (13 + below(r, 17));
		return XPT_PTE_PAT_HUGE;
	case 13: /* a table made a leaf (PDPTE, PDE), or reserved (PML4E, PML5E) */
		*ps_flip = xpt_case_leaf_level(level, g->levels) && level + 1u < g->levels;
		return XPT_PTE_PS;
	default:
		return XPT_PTE_P << below(r, 3);
	}
}

static void raw_ops(struct rng *r, struct ob *b, struct gcase *g)
{
	unsigned n = (unsigned)below(r, 3);
	for (unsigned i = 0; i < n; i++) {
		struct xpt_case_op op = { .kind = XPT_OP_RAW_MOD, .va = g->va };
		bool ps;
		op.level = (uint8_t)below(r, g->leaf_level + 1u);
		uint64_t bit = raw_bit(r, g, op.level, &ps);
		if (chance(r, 50))
			op.a = bit;
		else
			op.b = bit;
		/* a table turned into a leaf, or an entry made present that may
		 * hold no address (after an unmap): the leaf can point anywhere */
		g->no_fetch |= (ps || bit == XPT_PTE_P) && op.a == bit;
		ob_op(b, &op);
	}
	if (g->size == XPT_4K && chance(r, 10)) {
		/* a PTE written whole: any flags, the pool frame given pool-relative */
		struct xpt_case_op op = { .kind = XPT_OP_RAW_SET, .level = (uint8_t)(g->levels - 1u),
		                          .va = g->va, .flags = XPT_OPF_POOLREL };
		uint64_t frame = g->code ? below(r, CODE_FRAMES) : data_frame(r, 0);
		op.a = frame * XPT_PAGE_SIZE | (next(r) & 0xfff & ~XPT_PTE_PAT_4K) |
		       (chance(r, 30) ? XPT_PTE_NX : 0) | (next(r) & XPT_PTE_PK_MASK & (chance(r, 30) ? ~0ull : 0));
		ob_op(b, &op);
	}
}

/*
 * An 8-byte word of the main leaf's pool part.  Fetches mostly run the
 * first word of a frame and plain writes never store there: QEMU then
 * reuses the code it translated for that word instead of translating every
 * fetch anew (about 3 us each), and no write throws that code away.
 */
static uint64_t pool_word(struct rng *r, const struct gcase *g, uint32_t kind)
{
	uint64_t off = below(r, g->span / 8) * 8, half = CODE_FRAMES * XPT_PAGE_SIZE;
	if (g->size != XPT_4K && (kind & XPT_ACC_FETCH))
		off %= half;
	else if (g->size != XPT_4K && (kind & XPT_ACC_WRITE))
		off = half + off % half;
	if ((kind & XPT_ACC_FETCH) && !chance(r, 10))
		off &= ~(uint64_t)(XPT_PAGE_SIZE - 1u);
	if ((kind & XPT_ACC_WRITE) && (off & (XPT_PAGE_SIZE - 1u)) == 0)
		off += 8;
	return g->va + g->pool_off + off;
}

/* Elsewhere in the case's slot: absent at some level.  With 5 levels half
 * of them keep the main leaf's PML4E, so the PDPTE is reached as often as
 * with 4. */
static uint64_t elsewhere(struct rng *r, const struct gcase *g)
{
	uint64_t va = gen_va(r, g, XPT_4K) + below(r, 512) * 8;
	uint64_t below_pml4e = (UINT64_C(1) << 39) - 1u;
	if (g->levels == 5u && chance(r, 50))
		va = (g->va & ~below_pml4e) | (va & below_pml4e);
	return va;
}

/* Not canonical in the mode's width: bits 63..47 (or 63..56) not all equal. */
static uint64_t non_canonical(struct rng *r, const struct gcase *g)
{
	if (g->levels == 4u)
		return (UINT64_C(1) << 47) + (next(r) & UINT64_C(0x7ffffffffff8) & ~(UINT64_C(1) << 47));
	/* top byte 0x01..0xfe; often 0x01 (bit 56 alone) or 0xfe (63..57 without
	 * 56), the two that a canonical check one bit too wide lets through */
	uint64_t top = below(r, 4);
	top = top == 0 ? 0x01 : top == 1 ? 0xfe : below(r, 254) + 1u;
	return top << 56 | (next(r) & UINT64_C(0x00fffffffffffff8));
}

static uint64_t gen_access_va(struct rng *r, const struct gcase *g, uint64_t prev, uint32_t kind)
{
	unsigned pick = (unsigned)below(r, 100);
	if (pick < 62)
		return pool_word(r, g, kind);
	if (pick < 72 && prev)
		return prev; /* again: the TLB path, A/D already set */
	if (pick < 84 && g->size == XPT_4K)
		return (g->va ^ ((below(r, 511) + 1) << 12)) + below(r, 512) * 8; /* same PT, other page */
	if (pick < 92)
		return elsewhere(r, g);
	if (pick < 96)
		return non_canonical(r, g);
	return pool_word(r, g, kind);
}

/* Whether va is in the fetched half of the main leaf's pool part. */
static bool in_code(const struct gcase *g, uint64_t va)
{
	uint64_t base = g->va + g->pool_off;
	if (va < base || va - base >= g->span)
		return false;
	return g->size == XPT_4K ? g->code : va - base < CODE_FRAMES * XPT_PAGE_SIZE;
}

static uint32_t gen_kind(struct rng *r, const struct gcase *g)
{
	unsigned k = (unsigned)below(r, 3);
	if (g->size == XPT_4K && k != 0)
		k = g->code ? 2 : 1;
	if (k == 2 && g->no_fetch)
		k = 0;
	return (k == 1 ? XPT_ACC_WRITE : k == 2 ? XPT_ACC_FETCH : XPT_ACC_READ) |
	       (chance(r, 50) ? XPT_ACC_USER : 0);
}

static void gen_case(struct rng *r, struct ob *b, uint32_t id, uint32_t ctl, uint32_t pkru)
{
	/* PML4 slots 0..254, or PML5 slots 1..255 */
	struct gcase g = { .levels = b->levels, .ctl = ctl, .slot = id % 255u + (b->levels == 5u) };
	uint64_t prev = 0;
	ob_case(b, id, g.ctl, pkru);
	main_leaf(r, b, &g);
	if (chance(r, 4)) {
		/* nothing mapped after all: the top entry itself is not present */
		struct xpt_case_op op = { .kind = XPT_OP_UNMAP, .va = g.va, .flags = XPT_OPT_FREE_TABLES };
		ob_op(b, &op);
	} else {
		more_ref_ops(r, b, &g);
	}
	if (chance(r, 45))
		raw_ops(r, b, &g);
	unsigned n = 2 + (unsigned)below(r, 3);
	for (unsigned i = 0; i < n; i++) {
		uint32_t kind = gen_kind(r, &g);
		uint64_t va = gen_access_va(r, &g, prev, kind);
		/* Fetches only in the pool's fetched half (anywhere else a fetch
		 * would run whatever bytes it finds), and no writes there. */
		kind &= in_code(&g, va) ? ~(uint32_t)XPT_ACC_WRITE : ~(uint32_t)XPT_ACC_FETCH;
		/* A plain write stores a mark the kernel must find in the pool;
		 * where a leaf may point elsewhere, write back what is there. */
		uint32_t flags = (kind & XPT_ACC_WRITE) && (g.no_fetch || chance(r, 10)) ? XPT_CASE_ACCF_RMW : 0;
		ob_acc(b, va, kind, flags);
		prev = va;
	}
}

/* Control bits and PKRU change once every CTL_RUN cases, and case i uses
 * top-level slot i mod 255 (+1 with 5 levels): so 255 cases in a row can
 * share one root and one CR3 load (see grouping in xpt_case.h). */
#define CTL_RUN 255u

void ogen_batch(struct ob *b, uint32_t ncases, uint64_t seed, uint32_t ctl_mask, unsigned levels)
{
	struct rng r = { seed * UINT64_C(0x2545f4914f6cdd1d) + 1 };
	uint32_t ctl = 0, pkru = 0;
	ob_init(b, XPT_CASE_MODE_RUN, seed);
	ob_levels(b, levels);
	for (uint32_t i = 0; i < ncases; i++) {
		if (i % CTL_RUN == 0) {
			ctl = gen_ctl(&r, ctl_mask);
			pkru = (uint32_t)(next(&r) & next(&r));
		}
		gen_case(&r, b, i, ctl, pkru);
	}
	ob_finish(b);
}

/*
 * xpt_walk against Intel SDM Vol. 3A chapter 4 (4-level paging): the walk
 * and entry formats (4.5), access rights (4.6), the #PF error code (4.7)
 * and accessed/dirty flags (4.8).  Tables are built by raw writes, so the
 * walker sees combinations the mapper never makes.
 *
 * Error code bits: P 0x1, W 0x2, U 0x4, RSVD 0x8, I/D 0x10, PK 0x20.
 */
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define NFR   64u
#define P     XPT_PTE_P
#define RW    XPT_PTE_RW
#define US    XPT_PTE_US
#define PS    XPT_PTE_PS
#define NX    XPT_PTE_NX
#define PRU   (P | RW | US)
#define BIT(n) (1ull << (n))

/* PML4 in frame 1, PDPT 2, PD 3, PT 4; data at 0x20000. */
#define VA ((5ull << 39) | (6ull << 30) | (7ull << 21) | (8ull << 12) | 0xabcull)
#define DATA 0x20000ull

struct rig {
	uint64_t *words;
	struct xpt_mem mem;
	struct xpt_ctl ctl;
	struct xpt_walk w;
};

static void rig_init(struct rig *r, uint32_t flags, unsigned maxphyaddr)
{
	r->words = calloc(NFR * XPT_ENTRIES, sizeof(uint64_t));
	r->mem = (struct xpt_mem){ r->words, NFR };
	r->ctl = (struct xpt_ctl){ 0x1000, flags, 0, (uint8_t)maxphyaddr };
}

static void rig_free(struct rig *r)
{
	free(r->words);
}

static uint64_t *ent(struct rig *r, unsigned level)
{
	static const unsigned table[5] = { 0, 4, 3, 2, 1 };
	unsigned i = (unsigned)((VA >> (12u + 9u * (level - 1u))) & 511u);
	return &r->words[table[level] * XPT_ENTRIES + i];
}

/* The walk of VA through four levels; f4..f2 are table flags, leaf the PTE. */
static void path4k(struct rig *r, uint64_t f4, uint64_t f3, uint64_t f2, uint64_t leaf)
{
	*ent(r, 4) = 0x2000 | f4;
	*ent(r, 3) = 0x3000 | f3;
	*ent(r, 2) = 0x4000 | f2;
	*ent(r, 1) = leaf;
}

static void path2m(struct rig *r, uint64_t f4, uint64_t f3, uint64_t leaf)
{
	*ent(r, 4) = 0x2000 | f4;
	*ent(r, 3) = 0x3000 | f3;
	*ent(r, 2) = leaf | PS;
	*ent(r, 1) = 0;
}

static void path1g(struct rig *r, uint64_t f4, uint64_t leaf)
{
	*ent(r, 4) = 0x2000 | f4;
	*ent(r, 3) = leaf | PS;
	*ent(r, 2) = 0;
}

/* Walk VA; returns the error code, or ~0 without a fault. */
static uint32_t ec(struct rig *r, unsigned access)
{
	memset(&r->w, 0x5a, sizeof r->w);
	if (!CHECK_ERR(xpt_walk(&r->mem, &r->ctl, VA, access, &r->w), XPT_OK))
		return 0xdead;
	if (r->w.fault == XPT_FAULT_NONE)
		return ~0u;
	CHECK_EQ(r->w.fault, XPT_FAULT_PF);
	return r->w.error_code;
}

#define OK_   (~0u)
#define RD    XPT_ACC_READ
#define WR    XPT_ACC_WRITE
#define USR   XPT_ACC_USER
#define FE    XPT_ACC_FETCH
#define IMP   XPT_ACC_IMPLICIT

/* ------------------------------------------------------------ the walk */

TEST(walk_translates_4k_2m_1g)
{
	struct rig r;
	rig_init(&r, XPT_CTL_NXE | XPT_CTL_GBPAGES, 52);
	path4k(&r, PRU, PRU, PRU, DATA | PRU | (5ull << 59));
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(r.w.levels, 4);
	CHECK_EQ(r.w.leaf, XPT_4K);
	CHECK_EQ(r.w.pa, DATA | 0xabc);
	CHECK_EQ(r.w.eff, XPT_WRITE | XPT_USER);
	CHECK_EQ(r.w.pkey, 5);
	CHECK_EQ(r.w.error_code, 0);
	CHECK_EQ(r.w.entry[0], 0x2000 | PRU);
	CHECK_EQ(r.w.entry[3], DATA | PRU | (5ull << 59));
	CHECK_EQ(r.w.entry_pa[0], 0x1000 + 8 * 5);
	CHECK_EQ(r.w.entry_pa[1], 0x2000 + 8 * 6);
	CHECK_EQ(r.w.entry_pa[2], 0x3000 + 8 * 7);
	CHECK_EQ(r.w.entry_pa[3], 0x4000 + 8 * 8);
	CHECK_EQ(r.w.set_a, 0xf);
	CHECK_EQ(r.w.set_d, false);
	CHECK_EQ(ec(&r, WR), OK_);
	CHECK_EQ(r.w.set_d, true);

	/* 2 MiB leaf with PAT (bit 12) set: not part of the address. */
	path2m(&r, PRU, PRU, 0x40000000 | P | RW | XPT_PTE_PAT_HUGE);
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(r.w.levels, 3);
	CHECK_EQ(r.w.leaf, XPT_2M);
	CHECK_EQ(r.w.pa, 0x40000000 | (VA & 0x1fffff));
	CHECK_EQ(r.w.eff, XPT_WRITE);
	CHECK_EQ(r.w.set_a, 0x7);

	/* 1 GiB leaf, PAT set, bit 30 an address bit. */
	path1g(&r, PRU, 0xc0000000 | P | US | NX | XPT_PTE_PAT_HUGE);
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(r.w.levels, 2);
	CHECK_EQ(r.w.leaf, XPT_1G);
	CHECK_EQ(r.w.pa, 0xc0000000 | (VA & 0x3fffffff));
	CHECK_EQ(r.w.eff, XPT_USER | XPT_NOEXEC);
	CHECK_EQ(r.w.set_a, 0x3);
	rig_free(&r);
}

TEST(walk_noncanonical_is_gp)
{
	struct rig r;
	struct xpt_walk w;
	rig_init(&r, XPT_CTL_NXE, 52);
	static const uint64_t bad[] = { 0x0000800000000000ull, 0xffff7fffffffffffull,
		                        0x8000000000000000ull, 0x00ff000000000000ull };
	for (unsigned i = 0; i < 4; i++) {
		REQUIRE_OK(xpt_walk(&r.mem, &r.ctl, bad[i], WR | USR, &w));
		CHECK_EQ(w.fault, XPT_FAULT_GP);
		CHECK_EQ(w.levels, 0);
		CHECK_EQ(w.error_code, 0);
		CHECK_EQ(w.set_a, 0);
	}
	/* The edges of the canonical halves walk, and fault as not present. */
	REQUIRE_OK(xpt_walk(&r.mem, &r.ctl, 0x00007fffffffffffull, RD, &w));
	CHECK_EQ(w.fault, XPT_FAULT_PF);
	CHECK_EQ(w.levels, 1);
	REQUIRE_OK(xpt_walk(&r.mem, &r.ctl, 0xffff800000000000ull, RD, &w));
	CHECK_EQ(w.fault, XPT_FAULT_PF);
	CHECK(xpt_canonical(0xffff800000000000ull));
	CHECK(xpt_canonical(0x00007fffffffffffull));
	CHECK(!xpt_canonical(0x0000800000000000ull));
	CHECK(!xpt_canonical(0xfffe800000000000ull));
	rig_free(&r);
}

TEST(walk_not_present_at_each_level)
{
	struct rig r;
	rig_init(&r, 0, 52);
	for (unsigned level = 4; level >= 1; level--) {
		path4k(&r, PRU, PRU, PRU, DATA | PRU);
		/* Every bit but P: a non-present entry has no reserved bits. */
		*ent(&r, level) = ~P;
		CHECK_EQ(ec(&r, RD), 0x0);
		CHECK_EQ(r.w.levels, 5 - level);
		CHECK_EQ(r.w.set_a, 0);
		CHECK_EQ(r.w.set_d, false);
		CHECK_EQ(ec(&r, WR | USR), 0x6);
		CHECK_EQ(ec(&r, WR), 0x2);
		/* I/D only with NXE or SMEP. */
		r.ctl.flags = 0;
		CHECK_EQ(ec(&r, FE | USR), 0x4);
		r.ctl.flags = XPT_CTL_NXE;
		CHECK_EQ(ec(&r, FE | USR), 0x14);
		r.ctl.flags = XPT_CTL_SMEP;
		CHECK_EQ(ec(&r, FE), 0x10);
		r.ctl.flags = 0;
	}
	rig_free(&r);
}

/* ---------------------------------------------------------- reserved bits */

TEST(walk_reserved_address_bits_at_each_level)
{
	struct rig r;
	rig_init(&r, XPT_CTL_NXE, 40);
	for (unsigned level = 4; level >= 1; level--) {
		for (unsigned bit = 40; bit < 52; bit += 11) {
			path4k(&r, PRU, PRU, PRU, DATA | PRU);
			*ent(&r, level) |= BIT(bit);
			CHECK_EQ(ec(&r, RD), 0x9);           /* P | RSVD */
			CHECK_EQ(r.w.levels, 5 - level);
			CHECK_EQ(r.w.set_a, 0);
			CHECK_EQ(ec(&r, WR | USR), 0xf);     /* P | W | U | RSVD */
			CHECK_EQ(ec(&r, FE), 0x19);          /* P | RSVD | I/D */
		}
	}
	/* With MAXPHYADDR 52 the same bits are address bits (data frame far away: fine). */
	r.ctl.maxphyaddr = 52;
	path4k(&r, PRU, PRU, PRU, DATA | PRU | BIT(45));
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(r.w.pa, DATA | BIT(45) | 0xabc);
	/* Bits 52..58 are ignored at every level, 59..62 in tables. */
	r.ctl.maxphyaddr = 40;
	uint64_t ign = BIT(52) | BIT(58) | BIT(9) | BIT(11);
	path4k(&r, PRU | ign | BIT(62), PRU | ign | BIT(59), PRU | ign, DATA | PRU | ign);
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(r.w.pa, DATA | 0xabc);
	/* The first reserved bit on the walk stops it, before a later hole. */
	path4k(&r, PRU, PRU, PRU | BIT(41), 0);
	CHECK_EQ(ec(&r, RD), 0x9);
	CHECK_EQ(r.w.levels, 3);
	rig_free(&r);
}

TEST(walk_reserved_nx_without_nxe)
{
	struct rig r;
	rig_init(&r, 0, 52);
	for (unsigned level = 4; level >= 1; level--) {
		path4k(&r, PRU, PRU, PRU, DATA | PRU);
		*ent(&r, level) |= NX;
		CHECK_EQ(ec(&r, RD), 0x9);
		CHECK_EQ(r.w.levels, 5 - level);
		CHECK_EQ(ec(&r, FE), 0x9);                  /* no I/D without NXE or SMEP */
		r.ctl.flags = XPT_CTL_NXE;
		CHECK_EQ(ec(&r, RD), OK_);
		CHECK_EQ(r.w.eff, XPT_WRITE | XPT_USER | XPT_NOEXEC);
		CHECK_EQ(ec(&r, FE), 0x11);                 /* P | I/D */
		r.ctl.flags = 0;
	}
	/* Without NXE, eff never carries NOEXEC. */
	path4k(&r, PRU, PRU, PRU, DATA | PRU);
	CHECK_EQ(ec(&r, FE), OK_);
	CHECK_EQ(r.w.eff, XPT_WRITE | XPT_USER);
	rig_free(&r);
}

TEST(walk_reserved_page_size_bits)
{
	struct rig r;
	rig_init(&r, XPT_CTL_NXE, 52);
	/* PS in a PML4E. */
	path4k(&r, PRU | PS, PRU, PRU, DATA | PRU);
	CHECK_EQ(ec(&r, RD), 0x9);
	CHECK_EQ(r.w.levels, 1);
	/* PS in a PDPTE without 1 GiB pages; with them a leaf. */
	path1g(&r, PRU, 0x40000000 | PRU);
	CHECK_EQ(ec(&r, RD), 0x9);
	CHECK_EQ(r.w.levels, 2);
	r.ctl.flags |= XPT_CTL_GBPAGES;
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(r.w.leaf, XPT_1G);
	/* 1 GiB leaf: bits 13..29 reserved, 12 is PAT. */
	static const unsigned g_bits[] = { 13, 14, 20, 21, 28, 29 };
	for (unsigned i = 0; i < 6; i++) {
		path1g(&r, PRU, 0x40000000 | PRU | BIT(g_bits[i]));
		CHECK_EQ(ec(&r, WR), 0xb);
		CHECK_EQ(r.w.levels, 2);
	}
	path1g(&r, PRU, 0x40000000 | PRU | BIT(12));
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(r.w.pa, 0x40000000 | (VA & 0x3fffffff));
	/* 2 MiB leaf: bits 13..20 reserved, 12 is PAT, 21 an address bit. */
	for (unsigned b = 13; b <= 20; b++) {
		path2m(&r, PRU, PRU, 0x40000000 | PRU | BIT(b));
		CHECK_EQ(ec(&r, USR), 0xd);
		CHECK_EQ(r.w.levels, 3);
	}
	path2m(&r, PRU, PRU, 0x40000000 | PRU | BIT(12) | BIT(21));
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(r.w.pa, 0x40200000 | (VA & 0x1fffff));
	/* In a PTE bit 7 is PAT, never PS. */
	path4k(&r, PRU, PRU, PRU, DATA | PRU | XPT_PTE_PAT_4K);
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(r.w.leaf, XPT_4K);
	rig_free(&r);
}

/* --------------------------------------------------------- access rights */

TEST(walk_user_supervisor_and_write_protect)
{
	struct rig r;
	rig_init(&r, XPT_CTL_NXE, 52);
	/* Supervisor page: user accesses fault with P | U (| W). */
	path4k(&r, PRU, PRU, PRU, DATA | P | RW);
	CHECK_EQ(ec(&r, USR), 0x5);
	CHECK_EQ(ec(&r, USR | WR), 0x7);
	CHECK_EQ(ec(&r, USR | FE), 0x15);
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(ec(&r, WR), OK_);
	/* US clear in one table entry only: the page is supervisor (AND). */
	path4k(&r, PRU, P | RW, PRU, DATA | PRU);
	CHECK_EQ(ec(&r, USR), 0x5);
	CHECK_EQ(r.w.eff, XPT_WRITE);
	/* Read-only in one table entry: user writes fault whatever WP says. */
	path4k(&r, P | US, PRU, PRU, DATA | PRU);
	CHECK_EQ(ec(&r, USR), OK_);
	CHECK_EQ(r.w.eff, XPT_USER);
	CHECK_EQ(ec(&r, USR | WR), 0x7);
	/* Supervisor writes to read-only pages: allowed unless CR0.WP. */
	CHECK_EQ(ec(&r, WR), OK_);
	r.ctl.flags |= XPT_CTL_WP;
	CHECK_EQ(ec(&r, WR), 0x3);
	CHECK_EQ(ec(&r, RD), OK_);
	path4k(&r, PRU, PRU, PRU, DATA | P);
	CHECK_EQ(ec(&r, WR), 0x3);
	r.ctl.flags &= ~XPT_CTL_WP;
	CHECK_EQ(ec(&r, WR), OK_);
	rig_free(&r);
}

TEST(walk_smep)
{
	struct rig r;
	rig_init(&r, XPT_CTL_SMEP, 52);
	path4k(&r, PRU, PRU, PRU, DATA | PRU);
	CHECK_EQ(ec(&r, FE), 0x11);           /* supervisor fetch from a user page: P | I/D */
	CHECK_EQ(ec(&r, FE | USR), OK_);
	CHECK_EQ(ec(&r, RD), OK_);            /* SMEP is about fetches only */
	r.ctl.flags = 0;
	CHECK_EQ(ec(&r, FE), OK_);
	r.ctl.flags = XPT_CTL_SMEP | XPT_CTL_NXE;
	CHECK_EQ(ec(&r, FE), 0x11);
	/* A supervisor page (US clear above) is fine to fetch from. */
	path4k(&r, PRU, PRU, P | RW, DATA | PRU);
	CHECK_EQ(ec(&r, FE), OK_);
	CHECK_EQ(ec(&r, FE | USR), 0x15);
	rig_free(&r);
}

TEST(walk_smap)
{
	struct rig r;
	rig_init(&r, XPT_CTL_SMAP, 52);
	path4k(&r, PRU, PRU, PRU, DATA | PRU);
	CHECK_EQ(ec(&r, RD), 0x1);            /* supervisor read of a user page, AC = 0 */
	CHECK_EQ(ec(&r, WR), 0x3);
	CHECK_EQ(ec(&r, USR | WR), OK_);      /* user accesses are not affected */
	CHECK_EQ(ec(&r, FE), OK_);            /* nor fetches (that is SMEP) */
	r.ctl.flags |= XPT_CTL_AC;
	CHECK_EQ(ec(&r, RD), OK_);            /* explicit access with AC = 1 */
	CHECK_EQ(ec(&r, WR), OK_);
	CHECK_EQ(ec(&r, RD | IMP), 0x1);      /* implicit accesses ignore AC */
	CHECK_EQ(ec(&r, WR | IMP), 0x3);
	/* AC = 1 and a read-only user page: WP decides. */
	path4k(&r, PRU, PRU, PRU, DATA | P | US);
	CHECK_EQ(ec(&r, WR), OK_);
	r.ctl.flags |= XPT_CTL_WP;
	CHECK_EQ(ec(&r, WR), 0x3);
	/* Without SMAP, implicit accesses to user pages are fine. */
	r.ctl.flags = 0;
	CHECK_EQ(ec(&r, RD | IMP), OK_);
	/* Supervisor pages are not affected. */
	r.ctl.flags = XPT_CTL_SMAP;
	path4k(&r, PRU, PRU, PRU, DATA | P | RW);
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(ec(&r, WR | IMP), OK_);
	rig_free(&r);
}

TEST(walk_nx_combines_across_levels)
{
	struct rig r;
	rig_init(&r, XPT_CTL_NXE, 52);
	path4k(&r, PRU, PRU, PRU, DATA | PRU | NX);
	CHECK_EQ(ec(&r, FE), 0x11);
	CHECK_EQ(ec(&r, FE | USR), 0x15);
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(ec(&r, WR | USR), OK_);
	/* NX in the PML4E alone forbids fetches from every page below it (OR). */
	path4k(&r, PRU | NX, PRU, PRU, DATA | PRU);
	CHECK_EQ(ec(&r, FE), 0x11);
	CHECK_EQ(r.w.levels, 4);
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(r.w.eff, XPT_WRITE | XPT_USER | XPT_NOEXEC);
	path4k(&r, PRU, PRU, PRU, DATA | PRU);
	CHECK_EQ(ec(&r, FE), OK_);
	CHECK_EQ(r.w.eff, XPT_WRITE | XPT_USER);
	rig_free(&r);
}

TEST(walk_protection_keys)
{
	struct rig r;
	rig_init(&r, XPT_CTL_PKE, 52);
	path4k(&r, PRU, PRU, PRU, DATA | PRU | (5ull << 59));
	/* AD5 (PKRU bit 10): no data access to the user page. */
	r.ctl.pkru = BIT(10);
	CHECK_EQ(ec(&r, USR), 0x25);          /* P | U | PK */
	CHECK_EQ(ec(&r, USR | WR), 0x27);
	CHECK_EQ(ec(&r, RD), 0x21);           /* supervisor accesses too */
	CHECK_EQ(ec(&r, WR), 0x23);
	CHECK_EQ(ec(&r, USR | FE), OK_);      /* fetches are never checked */
	CHECK_EQ(r.w.pkey, 5);
	/* WD5 (bit 11): writes refused to user mode, and to supervisor with WP. */
	r.ctl.pkru = BIT(11);
	CHECK_EQ(ec(&r, USR), OK_);
	CHECK_EQ(ec(&r, USR | WR), 0x27);
	CHECK_EQ(ec(&r, WR), OK_);
	r.ctl.flags |= XPT_CTL_WP;
	CHECK_EQ(ec(&r, WR), 0x23);
	CHECK_EQ(ec(&r, RD), OK_);
	/* Other keys' bits do not matter. */
	r.ctl.pkru = (uint32_t)~(BIT(10) | BIT(11));
	CHECK_EQ(ec(&r, USR | WR), OK_);
	/* Without CR4.PKE the keys are ignored. */
	r.ctl.pkru = BIT(10) | BIT(11);
	r.ctl.flags = 0;
	CHECK_EQ(ec(&r, USR | WR), OK_);
	/* Keys apply to user-mode addresses only. */
	r.ctl.flags = XPT_CTL_PKE | XPT_CTL_WP;
	path4k(&r, PRU, PRU, P | RW, DATA | PRU | (5ull << 59));
	CHECK_EQ(ec(&r, WR), OK_);
	/* Read-only user page, WD = 0: a plain protection fault, no PK. */
	r.ctl.pkru = 0;
	path4k(&r, PRU, PRU, PRU, DATA | P | US | (5ull << 59));
	CHECK_EQ(ec(&r, USR | WR), 0x7);
	r.ctl.pkru = BIT(11);
	CHECK_EQ(ec(&r, USR | WR), 0x27);
	/* Key 15 uses PKRU bits 30 and 31. */
	path4k(&r, PRU, PRU, PRU, DATA | PRU | (15ull << 59));
	r.ctl.pkru = BIT(30);
	CHECK_EQ(ec(&r, USR), 0x25);
	CHECK_EQ(r.w.pkey, 15);
	rig_free(&r);
}

/* ----------------------------------------------------- accessed, dirty */

TEST(walk_accessed_dirty)
{
	struct rig r;
	rig_init(&r, XPT_CTL_NXE | XPT_CTL_GBPAGES, 52);
	path4k(&r, PRU, PRU, PRU, DATA | PRU);
	uint64_t *copy = malloc(NFR * XPT_ENTRIES * sizeof(uint64_t));
	REQUIRE(copy != NULL);
	memcpy(copy, r.words, NFR * XPT_ENTRIES * sizeof(uint64_t));
	CHECK_EQ(ec(&r, WR), OK_);
	/* The walk itself writes nothing. */
	CHECK(memcmp(copy, r.words, NFR * XPT_ENTRIES * sizeof(uint64_t)) == 0);
	xpt_walk_set_ad(&r.mem, &r.w);
	CHECK_EQ(*ent(&r, 4), 0x2000 | PRU | XPT_PTE_A);
	CHECK_EQ(*ent(&r, 3), 0x3000 | PRU | XPT_PTE_A);
	CHECK_EQ(*ent(&r, 2), 0x4000 | PRU | XPT_PTE_A);
	CHECK_EQ(*ent(&r, 1), DATA | PRU | XPT_PTE_A | XPT_PTE_D);
	/* A read sets A only; a 2 MiB leaf has three entries. */
	path2m(&r, PRU, PRU, 0x40000000 | PRU);
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(r.w.set_a, 0x7);
	CHECK_EQ(r.w.set_d, false);
	xpt_walk_set_ad(&r.mem, &r.w);
	CHECK_EQ(*ent(&r, 2), 0x40000000 | PRU | PS | XPT_PTE_A);
	CHECK_EQ(*ent(&r, 4), 0x2000 | PRU | XPT_PTE_A);
	/* A faulting access sets nothing, even through set_ad. */
	path4k(&r, PRU, PRU, PRU, DATA | P | US);
	CHECK_EQ(ec(&r, WR | USR), 0x7);
	CHECK_EQ(r.w.set_a, 0);
	CHECK_EQ(r.w.set_d, false);
	xpt_walk_set_ad(&r.mem, &r.w);
	CHECK_EQ(*ent(&r, 1), DATA | P | US);
	CHECK_EQ(*ent(&r, 4), 0x2000 | PRU);
	free(copy);
	rig_free(&r);
}

TEST(walk_window_and_cr3)
{
	struct rig r;
	struct xpt_walk w;
	rig_init(&r, XPT_CTL_NXE, 52);
	path4k(&r, PRU, PRU, PRU, DATA | PRU);
	/* CR3's low flag bits (PWT, PCD, a PCID) do not move the PML4. */
	r.ctl.cr3 = 0x1000 | 0x18;
	CHECK_EQ(ec(&r, RD), OK_);
	r.ctl.cr3 = 0x1000 | 0xfff;
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(r.w.pa, DATA | 0xabc);
	/* Tables outside the window. */
	r.ctl.cr3 = (uint64_t)NFR << 12;
	CHECK_ERR(xpt_walk(&r.mem, &r.ctl, VA, RD, &w), XPT_E_WINDOW);
	r.ctl.cr3 = 0x1000;
	*ent(&r, 3) = ((uint64_t)(NFR + 1) << 12) | PRU;
	CHECK_ERR(xpt_walk(&r.mem, &r.ctl, VA, RD, &w), XPT_E_WINDOW);
	/* A leaf's frame outside the window is only data. */
	path4k(&r, PRU, PRU, PRU, ((uint64_t)(NFR + 7) << 12) | PRU);
	CHECK_EQ(ec(&r, RD), OK_);
	CHECK_EQ(r.w.pa, ((uint64_t)(NFR + 7) << 12) | 0xabc);
	rig_free(&r);
}

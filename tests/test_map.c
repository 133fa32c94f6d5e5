/* The mapper: space set-up, map, translate, entry encoding, every error. */
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define E_P    XPT_PTE_P
#define E_RW   XPT_PTE_RW
#define E_US   XPT_PTE_US
#define E_TBL  (XPT_PTE_P | XPT_PTE_RW | XPT_PTE_US)
#define NF     1024u /* frames in the default window: 4 MiB */

/* The entry of table t that maps va at `level` (4 = PML4). */
static unsigned idx(uint64_t va, unsigned level)
{
	return (unsigned)((va >> (12u + 9u * (level - 1u))) & 511u);
}

/* The table below a present non-leaf entry. */
static xpt_pfn child(uint64_t e)
{
	return (e & 0x000ffffffffff000ull) >> 12;
}

/* Pointer to the entry at `level` on the walk of va, or NULL when a table is missing. */
static uint64_t *entry_at(struct env *e, uint64_t va, unsigned level)
{
	xpt_pfn t = e->sp.root;
	for (unsigned l = XPT_LEVELS; l > level; l--) {
		uint64_t v = *env_entry(e, t, idx(va, l));
		if (!(v & E_P) || (v & XPT_PTE_PS) || child(v) >= e->mem.nframes)
			return NULL;
		t = child(v);
	}
	return env_entry(e, t, idx(va, level));
}

/* ------------------------------------------------------------ spaces */

TEST(map_space_init_and_errors)
{
	struct env e;
	struct xpt_space sp;
	if (!env_init(&e, 64, 52))
		return;
	CHECK_EQ(e.sp.root, 0);          /* the allocator's first frame */
	CHECK_EQ(e.fa.nfree, 63);
	CHECK_EQ(e.sp.maxphyaddr, 52);
	CHECK_EQ(e.sp.policy, 0);
	CHECK(e.sp.fa == &e.fa);
	CHECK(e.sp.mem.words == e.mem.words);
	CHECK_EQ(xpt_space_cr3(&e.sp), 0);
	/* A second space on the same allocator: its root comes zeroed whatever the frame held. */
	for (unsigned i = 0; i < XPT_ENTRIES; i++)
		*env_entry(&e, 1, i) = 0xdeadbeefdeadbeefull;
	REQUIRE_OK(xpt_space_init(&sp, &e.mem, &e.fa, 36));
	CHECK_EQ(sp.root, 1);
	CHECK_EQ(sp.maxphyaddr, 36);
	CHECK_EQ(xpt_space_cr3(&sp), 0x1000);
	for (unsigned i = 0; i < XPT_ENTRIES; i++)
		if (!CHECK_EQ(*env_entry(&e, 1, i), 0))
			break;
	struct xpt_ctl c = xpt_space_ctl(&sp, XPT_CTL_WP | XPT_CTL_NXE, 0x55);
	CHECK_EQ(c.cr3, 0x1000);
	CHECK_EQ(c.flags, XPT_CTL_WP | XPT_CTL_NXE);
	CHECK_EQ(c.pkru, 0x55);
	CHECK_EQ(c.maxphyaddr, 36);

	uint64_t nfree = e.fa.nfree;
	CHECK_ERR(xpt_space_init(&sp, &e.mem, &e.fa, 35), XPT_E_INVAL);
	CHECK_ERR(xpt_space_init(&sp, &e.mem, &e.fa, 53), XPT_E_INVAL);
	struct xpt_mem small = { e.mem.words, 63 }; /* allocator covers more than the window */
	CHECK_ERR(xpt_space_init(&sp, &small, &e.fa, 52), XPT_E_INVAL);
	CHECK_EQ(e.fa.nfree, nfree);
	struct xpt_frames empty;
	uint64_t meta[32];
	REQUIRE_OK(xpt_frames_init(&empty, NULL, 0, meta, 32));
	CHECK_ERR(xpt_space_init(&sp, &e.mem, &empty, 52), XPT_E_NOMEM);
	env_free(&e);
}

/* Tables come from the allocator, and an entry naming a frame at or above
 * MAXPHYADDR has reserved bits: a space whose allocator reaches that far
 * is refused, whatever its frames' use. */
TEST(map_space_init_allocator_below_maxphyaddr)
{
	struct env e;
	struct xpt_space sp;
	if (!env_init(&e, 64, 52))
		return;
	/* Frames 0..63 usable, and one more, the first frame at 2^36 bytes. */
	const uint64_t top = (uint64_t)1 << (36 - 12);
	struct xpt_region map[] = { { 0, 64 * 4096, XPT_REGION_USABLE },
	                            { top * 4096, 4096, XPT_REGION_USABLE } };
	struct xpt_frames fa;
	uint64_t words = xpt_frames_meta_words(top + 1);
	uint64_t *meta = calloc(words, sizeof *meta);
	if (!CHECK(meta != NULL))
		return;
	REQUIRE_OK(xpt_frames_init(&fa, map, 2, meta, words));
	CHECK_EQ(fa.nframes, top + 1);
	/* Nothing below reads past frame 63 of the window: init refuses first. */
	struct xpt_mem wide = { e.mem.words, top + 1 };
	uint64_t nfree = fa.nfree;
	CHECK_ERR(xpt_space_init(&sp, &wide, &fa, 36), XPT_E_INVAL);
	CHECK_ERR(xpt_space_init_levels(&sp, &wide, &fa, 36, 5), XPT_E_INVAL);
	CHECK_ERR(xpt_space_init_ept(&sp, &wide, &fa, 36), XPT_E_INVAL);
	CHECK_EQ(fa.nfree, nfree);
	/* One bit more of MAXPHYADDR and every frame of it lies below. */
	REQUIRE_OK(xpt_space_init(&sp, &wide, &fa, 37));
	CHECK_EQ(sp.root, 0);
	CHECK_EQ(fa.nfree, nfree - 1);
	free(meta);
	env_free(&e);
}

/* --------------------------------------------------- map and translate */

TEST(map_4k_builds_three_tables_and_translates)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 0x400000, 0x123000, XPT_4K, XPT_WRITE | XPT_USER, &e.fl));
	CHECK_EQ(e.fa.nfree, NF - 4); /* root, PDPT, PD, PT */
	CHECK_EQ(e.fl.npages, 0);     /* mapping a hole needs no invalidation */
	/* Tables come from the allocator in order: PDPT 1, PD 2, PT 3. */
	CHECK_EQ(*env_entry(&e, 0, 0), 0x1000 | E_TBL);
	CHECK_EQ(*env_entry(&e, 1, 0), 0x2000 | E_TBL);
	CHECK_EQ(*env_entry(&e, 2, 2), 0x3000 | E_TBL);
	CHECK_EQ(*env_entry(&e, 3, 0), 0x123000 | E_P | E_RW | E_US);
	REQUIRE_OK(xpt_translate(&e.sp, 0x400567, &m));
	CHECK_EQ(m.va, 0x400000);
	CHECK_EQ(m.pa, 0x123000);
	CHECK_EQ(m.offset, 0x567);
	CHECK_EQ(m.size, XPT_4K);
	CHECK_EQ(m.attr, XPT_WRITE | XPT_USER);
	CHECK_EQ(m.eff, XPT_WRITE | XPT_USER);
	CHECK_EQ(m.entry, 0x123007);
	CHECK_ERR(xpt_translate(&e.sp, 0x401000, &m), XPT_E_NOT_MAPPED);
	CHECK_ERR(xpt_translate(&e.sp, 0x3ff000, &m), XPT_E_NOT_MAPPED);
	/* A neighbour in the same PT needs no table. */
	REQUIRE_OK(xpt_map(&e.sp, 0x401000, 0x7000, XPT_4K, 0, &e.fl));
	CHECK_EQ(e.fa.nfree, NF - 4);
	CHECK_EQ(*env_entry(&e, 3, 1), 0x7000 | E_P);
	REQUIRE_OK(xpt_translate(&e.sp, 0x401fff, &m));
	CHECK_EQ(m.pa, 0x7000);
	CHECK_EQ(m.offset, 0xfff);
	CHECK_EQ(m.attr, 0);
	CHECK_EQ(m.eff, 0);
	env_free(&e);
}

TEST(map_2m_and_1g_leaves)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	uint64_t va2 = 1 * GiB + 6 * MiB, pa2 = 0x7fe00000;
	REQUIRE_OK(xpt_map(&e.sp, va2, pa2, XPT_2M, XPT_WRITE, &e.fl));
	CHECK_EQ(e.fa.nfree, NF - 3); /* root, PDPT, PD */
	CHECK_EQ(*entry_at(&e, va2, 2), pa2 | E_P | E_RW | XPT_PTE_PS);
	REQUIRE_OK(xpt_translate(&e.sp, va2 + 0x12345, &m));
	CHECK_EQ(m.va, va2);
	CHECK_EQ(m.pa, pa2);
	CHECK_EQ(m.offset, 0x12345);
	CHECK_EQ(m.size, XPT_2M);
	CHECK_EQ(m.attr, XPT_WRITE);

	uint64_t va1 = 512 * GiB + 3 * GiB, pa1 = 7 * GiB;
	REQUIRE_OK(xpt_map(&e.sp, va1, pa1, XPT_1G, XPT_NOEXEC | XPT_USER, &e.fl));
	CHECK_EQ(e.fa.nfree, NF - 4); /* one more PDPT */
	CHECK_EQ(*entry_at(&e, va1, 3), pa1 | E_P | E_US | XPT_PTE_PS | XPT_PTE_NX);
	REQUIRE_OK(xpt_translate(&e.sp, va1 + 0x3ffffffful, &m));
	CHECK_EQ(m.va, va1);
	CHECK_EQ(m.pa, pa1);
	CHECK_EQ(m.offset, 0x3fffffff);
	CHECK_EQ(m.size, XPT_1G);
	CHECK_EQ(m.attr, XPT_NOEXEC | XPT_USER);
	CHECK_EQ(m.eff, XPT_NOEXEC | XPT_USER);

	/* The upper half, e.g. a kernel at -2 GiB. */
	uint64_t kva = 0xffffffff80000000ull;
	REQUIRE_OK(xpt_map(&e.sp, kva, 0x1000000, XPT_2M, XPT_GLOBAL, &e.fl));
	CHECK_EQ(e.fa.nfree, NF - 6);
	CHECK_EQ(idx(kva, 4), 511);
	REQUIRE_OK(xpt_translate(&e.sp, kva + 0x1234, &m));
	CHECK_EQ(m.pa, 0x1000000);
	CHECK_EQ(m.va, kva);
	CHECK_EQ(m.attr, XPT_GLOBAL);
	CHECK_EQ(m.entry, 0x1000000 | E_P | XPT_PTE_PS | XPT_PTE_G);
	CHECK_EQ(e.fl.npages, 0);
	env_free(&e);
}

TEST(map_entry_encoding_pat_pkey_nx_soft)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	/* 4 KiB: PAT is bit 7; bit 12 is an address bit. */
	REQUIRE_OK(xpt_map(&e.sp, 0x10000, 0x2000, XPT_4K, XPT_CACHE(4), &e.fl));
	CHECK_EQ(*entry_at(&e, 0x10000, 1), 0x2000 | E_P | XPT_PTE_PAT_4K);
	REQUIRE_OK(xpt_map(&e.sp, 0x11000, 0x3000, XPT_4K, XPT_CACHE(4), &e.fl));
	CHECK_EQ(*entry_at(&e, 0x11000, 1), 0x3000 | E_P | (1ull << 7));
	REQUIRE_OK(xpt_translate(&e.sp, 0x11000, &m));
	CHECK_EQ(m.pa, 0x3000);
	CHECK_EQ(m.attr, XPT_CACHE(4));
	/* Every cache index lands in PWT (3), PCD (4), PAT (7). */
	for (unsigned c = 0; c < 8; c++) {
		uint64_t va = 0x20000 + c * 0x1000;
		uint64_t want = 0x5000 | E_P | ((c & 1) ? 1ull << 3 : 0) | ((c & 2) ? 1ull << 4 : 0) |
		                ((c & 4) ? 1ull << 7 : 0);
		REQUIRE_OK(xpt_map(&e.sp, va, 0x5000, XPT_4K, XPT_CACHE(c), &e.fl));
		CHECK_EQ(*entry_at(&e, va, 1), want);
		REQUIRE_OK(xpt_translate(&e.sp, va, &m));
		CHECK_EQ(m.attr, XPT_CACHE(c));
	}
	/* 2 MiB and 1 GiB: PAT is bit 12, bit 7 is PS; bit 12 is no address bit. */
	REQUIRE_OK(xpt_map(&e.sp, 0x600000, 0x800000, XPT_2M, XPT_CACHE(7), &e.fl));
	CHECK_EQ(*entry_at(&e, 0x600000, 2),
	         0x800000 | E_P | (1ull << 3) | (1ull << 4) | XPT_PTE_PS | (1ull << 12));
	REQUIRE_OK(xpt_translate(&e.sp, 0x600000 + 0x1abc, &m));
	CHECK_EQ(m.pa, 0x800000);
	CHECK_EQ(m.offset, 0x1abc);
	CHECK_EQ(m.attr, XPT_CACHE(7));
	REQUIRE_OK(xpt_map(&e.sp, 2 * GiB, 3 * GiB, XPT_1G, XPT_CACHE(4), &e.fl));
	CHECK_EQ(*entry_at(&e, 2 * GiB, 3), 3 * GiB | E_P | XPT_PTE_PS | XPT_PTE_PAT_HUGE);
	REQUIRE_OK(xpt_translate(&e.sp, 2 * GiB + 0x1000, &m));
	CHECK_EQ(m.pa, 3 * GiB);
	CHECK_EQ(m.offset, 0x1000);
	CHECK_EQ(m.attr, XPT_CACHE(4));
	/* Protection key in 59..62, NX at 63, G at 8, software bits in 9..11. */
	xpt_attr all = XPT_WRITE | XPT_USER | XPT_NOEXEC | XPT_GLOBAL | XPT_CACHE(5) | XPT_PKEY(11) |
	               XPT_SOFT(1);
	REQUIRE_OK(xpt_map(&e.sp, 0x30000, 0xabc000, XPT_4K, all, &e.fl));
	uint64_t want = 0xabc000 | E_P | E_RW | E_US | (1ull << 3) | (1ull << 7) | (1ull << 8) |
	                (1ull << 10) | (11ull << 59) | (1ull << 63);
	CHECK_EQ(*entry_at(&e, 0x30000, 1), want);
	REQUIRE_OK(xpt_translate(&e.sp, 0x30000, &m));
	CHECK_EQ(m.attr, all);
	CHECK_EQ(m.eff, XPT_WRITE | XPT_USER | XPT_NOEXEC);
	for (unsigned k = 0; k < 16; k++) {
		uint64_t va = 0x40000 + k * 0x1000;
		REQUIRE_OK(xpt_map(&e.sp, va, 0x9000, XPT_4K, XPT_PKEY(k), &e.fl));
		CHECK_EQ(*entry_at(&e, va, 1) >> 59, k);
		REQUIRE_OK(xpt_translate(&e.sp, va, &m));
		CHECK_EQ(m.attr, XPT_PKEY(k));
	}
	REQUIRE_OK(xpt_map(&e.sp, 0x50000, 0x9000, XPT_4K, XPT_SOFT(0) | XPT_SOFT(2), &e.fl));
	CHECK_EQ(*entry_at(&e, 0x50000, 1), 0x9000 | E_P | (1ull << 9) | (1ull << 11));
	env_free(&e);
}

/* The leaf's own attributes versus eff: RW and US ANDed, NX ORed over the levels. */
TEST(map_translate_combines_levels)
{
	struct env e;
	struct xpt_mapping m;
	uint64_t va = 0x8040201000ull; /* PML4 1, PDPT 1, PD 1, PT 1 */
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, va, 0x42000, XPT_4K, XPT_WRITE | XPT_USER, &e.fl));
	uint64_t *l4 = entry_at(&e, va, 4), *l3 = entry_at(&e, va, 3), *l2 = entry_at(&e, va, 2);
	REQUIRE(l4 != NULL && l3 != NULL && l2 != NULL);
	CHECK_EQ(*l4 & 0xfff, E_TBL);
	CHECK_EQ(*l3 & 0xfff, E_TBL);
	CHECK_EQ(*l2 & 0xfff, E_TBL);

	*l2 &= ~E_RW;
	REQUIRE_OK(xpt_translate(&e.sp, va, &m));
	CHECK_EQ(m.attr, XPT_WRITE | XPT_USER);
	CHECK_EQ(m.eff, XPT_USER);
	*l3 &= ~E_US;
	REQUIRE_OK(xpt_translate(&e.sp, va, &m));
	CHECK_EQ(m.eff, 0);
	*l4 |= XPT_PTE_NX;
	REQUIRE_OK(xpt_translate(&e.sp, va, &m));
	CHECK_EQ(m.eff, XPT_NOEXEC);
	CHECK_EQ(m.attr, XPT_WRITE | XPT_USER);
	*l2 |= E_RW;
	*l3 |= E_US;
	REQUIRE_OK(xpt_translate(&e.sp, va, &m));
	CHECK_EQ(m.eff, XPT_WRITE | XPT_USER | XPT_NOEXEC);
	*l4 &= ~XPT_PTE_NX;
	REQUIRE_OK(xpt_translate(&e.sp, va, &m));
	CHECK_EQ(m.eff, XPT_WRITE | XPT_USER);
	/* With MAXPHYADDR 52, bit 51 is an address bit: the PDPT moves out of the window. */
	*l3 |= 1ull << 51;
	CHECK_ERR(xpt_translate(&e.sp, va, &m), XPT_E_WINDOW);
	*l3 &= ~(1ull << 51);
	/* PS in a PML4E is reserved: no translation. */
	*l4 |= XPT_PTE_PS;
	CHECK_ERR(xpt_translate(&e.sp, va, &m), XPT_E_RSVD_BITS);
	env_free(&e);
}

TEST(map_translate_errors)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 40))
		return;
	memset(&m, 0x77, sizeof m);
	struct xpt_mapping before = m;
	CHECK_ERR(xpt_translate(&e.sp, 0, &m), XPT_E_NOT_MAPPED);                  /* PML4E */
	REQUIRE_OK(xpt_map(&e.sp, 0x200000, 0x1000, XPT_4K, 0, &e.fl));
	CHECK_ERR(xpt_translate(&e.sp, 1 * GiB, &m), XPT_E_NOT_MAPPED);            /* PDPTE */
	CHECK_ERR(xpt_translate(&e.sp, 0x400000, &m), XPT_E_NOT_MAPPED);           /* PDE */
	CHECK_ERR(xpt_translate(&e.sp, 0x201000, &m), XPT_E_NOT_MAPPED);           /* PTE */
	CHECK_ERR(xpt_translate(&e.sp, 0x0000800000000000ull, &m), XPT_E_NONCANONICAL);
	CHECK_ERR(xpt_translate(&e.sp, 0xffff7fffffffffffull, &m), XPT_E_NONCANONICAL);
	CHECK(memcmp(&m, &before, sizeof m) == 0);
	/* A leaf with a bit above MAXPHYADDR (40 here). */
	*entry_at(&e, 0x200000, 1) |= 1ull << 40;
	CHECK_ERR(xpt_translate(&e.sp, 0x200000, &m), XPT_E_RSVD_BITS);
	/* A table outside the window. */
	*env_entry(&e, e.sp.root, 5) = ((uint64_t)(NF + 3) << 12) | E_TBL;
	CHECK_ERR(xpt_translate(&e.sp, 5 * 512 * GiB, &m), XPT_E_WINDOW);
	env_free(&e);
}

/* ------------------------------------------------------------- errors */

TEST(map_exists)
{
	struct env e;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 0x1000, 0x1000, XPT_4K, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 0x400000, 0x400000, XPT_2M, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 1 * GiB, 1 * GiB, XPT_1G, 0, &e.fl));
	xpt_flush_add(&e.fl, 0xdead000); /* a pending record must survive a failure */
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x1000, 0x9000, XPT_4K, 0, &e.fl), XPT_E_EXISTS);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x400000, 0, XPT_2M, 0, &e.fl), XPT_E_EXISTS);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 1 * GiB, 0, XPT_1G, 0, &e.fl), XPT_E_EXISTS);
	/* A range whose last page exists changes nothing before it either. */
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, 0x0, 0x0, 0x2000, 0, 0, &e.fl), XPT_E_EXISTS);
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, 0x200000, 0x200000, 0x400000, 0, 0, &e.fl),
	                    XPT_E_EXISTS);
	env_free(&e);
}

TEST(map_huge_conflicts)
{
	struct env e;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 0x1000, 0x1000, XPT_4K, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 0x400000, 0x400000, XPT_2M, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 1 * GiB, 1 * GiB, XPT_1G, 0, &e.fl));
	/* Smaller pages inside a huge one. */
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x401000, 0, XPT_4K, 0, &e.fl), XPT_E_HUGE);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x400000, 0, XPT_4K, 0, &e.fl), XPT_E_HUGE);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 1 * GiB + 0x5000, 0, XPT_4K, 0, &e.fl), XPT_E_HUGE);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 1 * GiB + 2 * MiB, 0, XPT_2M, 0, &e.fl), XPT_E_HUGE);
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, 0x3ff000, 0, 0x3000, 0, 0, &e.fl), XPT_E_HUGE);
	/* A forced huge page over a table of smaller mappings. */
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0, 0, XPT_2M, 0, &e.fl), XPT_E_HUGE);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0, 0, XPT_1G, 0, &e.fl), XPT_E_HUGE);
	env_free(&e);
}

TEST(map_align)
{
	struct env e;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 0x1000, 0x1000, XPT_4K, 0, &e.fl));
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x201000, 0x200000, XPT_2M, 0, &e.fl), XPT_E_ALIGN);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x200000, 0x201000, XPT_2M, 0, &e.fl), XPT_E_ALIGN);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 1 * GiB, 0x200000, XPT_1G, 0, &e.fl), XPT_E_ALIGN);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x3001, 0x1000, XPT_4K, 0, &e.fl), XPT_E_ALIGN);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x3000, 0x1234, XPT_4K, 0, &e.fl), XPT_E_ALIGN);
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, 0x3000, 0, 0x1800, 0, 0, &e.fl), XPT_E_ALIGN);
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, 0x3800, 0, 0x1000, 0, 0, &e.fl), XPT_E_ALIGN);
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, 0x3000, 0x10, 0x1000, 0, 0, &e.fl),
	                    XPT_E_ALIGN);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, 0x1010, 0x1000, 0, &e.fl), XPT_E_ALIGN);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, 0x1000, 0x10, 0, &e.fl), XPT_E_ALIGN);
	CHECK_ERR_UNCHANGED(&e, xpt_protect_range(&e.sp, 0x1000, 0xfff, 0, 0, &e.fl), XPT_E_ALIGN);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap(&e.sp, 0x1008, 0, NULL, &e.fl), XPT_E_ALIGN);
	CHECK_ERR_UNCHANGED(&e, xpt_protect(&e.sp, 0x1008, 0, &e.fl), XPT_E_ALIGN);
	env_free(&e);
}

TEST(map_noncanonical)
{
	struct env e;
	struct xpt_mapping m;
	const uint64_t hole = 0x0000800000000000ull, top_low = 0x00007ffffffff000ull;
	if (!env_init(&e, NF, 52))
		return;
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, hole, 0, XPT_4K, 0, &e.fl), XPT_E_NONCANONICAL);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0xffff7ffffffff000ull, 0, XPT_4K, 0, &e.fl),
	                    XPT_E_NONCANONICAL);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, hole + 0x1000, 0x1000, XPT_2M, 0, &e.fl),
	                    XPT_E_NONCANONICAL);
	/* Ranges that start canonical and run into the hole, or wrap around. */
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, top_low, 0, 0x2000, 0, 0, &e.fl),
	                    XPT_E_NONCANONICAL);
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, 0, 0, hole + 0x1000, 0, 0, &e.fl),
	                    XPT_E_NONCANONICAL);
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, 0xfffffffffffff000ull, 0, 0x2000, 0, 0, &e.fl),
	                    XPT_E_NONCANONICAL);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, top_low, 0x2000, 0, &e.fl),
	                    XPT_E_NONCANONICAL);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, top_low, 0xffff800000000000ull - top_low + 0x1000, 0, &e.fl),
	                    XPT_E_NONCANONICAL);
	CHECK_ERR_UNCHANGED(&e, xpt_protect_range(&e.sp, top_low, 0x2000, 0, 0, &e.fl),
	                    XPT_E_NONCANONICAL);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap(&e.sp, hole, 0, NULL, &e.fl), XPT_E_NONCANONICAL);
	CHECK_ERR_UNCHANGED(&e, xpt_protect(&e.sp, hole, 0, &e.fl), XPT_E_NONCANONICAL);
	/* The last page below the hole and the first above it are fine. */
	REQUIRE_OK(xpt_map(&e.sp, top_low, 0x5000, XPT_4K, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 0xffff800000000000ull, 0x6000, XPT_4K, 0, &e.fl));
	REQUIRE_OK(xpt_translate(&e.sp, top_low + 0xfff, &m));
	CHECK_EQ(m.pa, 0x5000);
	REQUIRE_OK(xpt_translate(&e.sp, 0xffff800000000000ull, &m));
	CHECK_EQ(m.pa, 0x6000);
	CHECK_EQ(idx(0xffff800000000000ull, 4), 256);
	env_free(&e);
}

TEST(map_phys_beyond_maxphyaddr)
{
	struct env e;
	struct xpt_mapping m;
	const uint64_t lim = (uint64_t)1 << 40;
	if (!env_init(&e, NF, 40))
		return;
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x1000, lim, XPT_4K, 0, &e.fl), XPT_E_PHYS);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 1 * GiB, lim, XPT_1G, 0, &e.fl), XPT_E_PHYS);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x200000, lim + 0x200000, XPT_2M, 0, &e.fl),
	                    XPT_E_PHYS);
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, 0x1000, lim - 0x1000, 0x2000, 0, 0, &e.fl),
	                    XPT_E_PHYS);
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, 0x1000, 0xfffffffffffff000ull, 0x2000, 0, 0,
	                                      &e.fl), XPT_E_PHYS);
	/* The last frame below the limit is fine, in every size. */
	REQUIRE_OK(xpt_map(&e.sp, 0x1000, lim - 0x1000, XPT_4K, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 0x400000, lim - 0x200000, XPT_2M, 0, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 1 * GiB, lim - GiB, XPT_1G, 0, &e.fl));
	REQUIRE_OK(xpt_translate(&e.sp, 1 * GiB + 5, &m));
	CHECK_EQ(m.pa, lim - GiB);
	env_free(&e);
	if (!env_init(&e, NF, 52))
		return;
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x1000, (uint64_t)1 << 52, XPT_4K, 0, &e.fl),
	                    XPT_E_PHYS);
	REQUIRE_OK(xpt_map(&e.sp, 0x1000, ((uint64_t)1 << 52) - 0x1000, XPT_4K, 0, &e.fl));
	REQUIRE_OK(xpt_translate(&e.sp, 0x1000, &m));
	CHECK_EQ(m.pa, 0x000ffffffffff000ull);
	env_free(&e);
}

TEST(map_inval)
{
	struct env e;
	if (!env_init(&e, NF, 52))
		return;
	REQUIRE_OK(xpt_map(&e.sp, 0x1000, 0x1000, XPT_4K, 0, &e.fl));
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x2000, 0, XPT_4K, 1u << 31, &e.fl), XPT_E_INVAL);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x2000, 0, XPT_4K, XPT_SOFT_MASK << 1, &e.fl),
	                    XPT_E_INVAL);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x2000, 0, (enum xpt_size)3, 0, &e.fl), XPT_E_INVAL);
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, 0x2000, 0, 0x1000, 0, 0x10, &e.fl),
	                    XPT_E_INVAL);
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, 0x2000, 0, 0, 0, 0, &e.fl), XPT_E_INVAL);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, 0x1000, 0, 0, &e.fl), XPT_E_INVAL);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, 0x1000, 0x1000, 0x20, &e.fl), XPT_E_INVAL);
	CHECK_ERR_UNCHANGED(&e, xpt_protect_range(&e.sp, 0x1000, 0, 0, 0, &e.fl), XPT_E_INVAL);
	CHECK_ERR_UNCHANGED(&e, xpt_protect_range(&e.sp, 0x1000, 0x1000, 1u << 20, 0, &e.fl),
	                    XPT_E_INVAL);
	CHECK_ERR_UNCHANGED(&e, xpt_protect_range(&e.sp, 0x1000, 0x1000, 0, 0x40, &e.fl),
	                    XPT_E_INVAL);
	CHECK_ERR_UNCHANGED(&e, xpt_protect(&e.sp, 0x1000, 1u << 20, &e.fl), XPT_E_INVAL);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap(&e.sp, 0x1000, 0x80, NULL, &e.fl), XPT_E_INVAL);
	env_free(&e);
}

TEST(map_policy_wx)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	e.sp.policy = XPT_POLICY_WX;
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x1000, 0, XPT_4K, XPT_WRITE, &e.fl), XPT_E_POLICY);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, 0x200000, 0, XPT_2M, XPT_WRITE | XPT_USER, &e.fl),
	                    XPT_E_POLICY);
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, 0x1000, 0, 0x3000, XPT_WRITE, 0, &e.fl),
	                    XPT_E_POLICY);
	REQUIRE_OK(xpt_map(&e.sp, 0x1000, 0, XPT_4K, XPT_WRITE | XPT_NOEXEC, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, 0x2000, 0, XPT_4K, 0, &e.fl)); /* read + execute */
	REQUIRE_OK(xpt_map(&e.sp, 0x3000, 0, XPT_4K, XPT_NOEXEC, &e.fl));
	CHECK_ERR_UNCHANGED(&e, xpt_protect(&e.sp, 0x1000, XPT_WRITE, &e.fl), XPT_E_POLICY);
	CHECK_ERR_UNCHANGED(&e, xpt_protect_range(&e.sp, 0x1000, 0x3000, XPT_WRITE | XPT_GLOBAL, 0,
	                                          &e.fl), XPT_E_POLICY);
	REQUIRE_OK(xpt_protect(&e.sp, 0x2000, XPT_WRITE | XPT_NOEXEC, &e.fl));
	REQUIRE_OK(xpt_translate(&e.sp, 0x2000, &m));
	CHECK_EQ(m.attr, XPT_WRITE | XPT_NOEXEC);
	REQUIRE_OK(xpt_unmap_range(&e.sp, 0x1000, 0x3000, 0, &e.fl));
	CHECK_ERR(xpt_translate(&e.sp, 0x1000, &m), XPT_E_NOT_MAPPED);
	/* Without the policy the same request is fine. */
	e.sp.policy = 0;
	REQUIRE_OK(xpt_map(&e.sp, 0x1000, 0, XPT_4K, XPT_WRITE, &e.fl));
	env_free(&e);
}

TEST(map_window_and_reserved_tables)
{
	struct env e;
	struct xpt_mapping m;
	const uint64_t va3 = 3 * 512 * GiB, va4 = 4 * 512 * GiB;
	if (!env_init(&e, NF, 52))
		return;
	/* PML4E 3 points past the window; PML4E 4 has PS, reserved in a PML4E. */
	*env_entry(&e, e.sp.root, 3) = ((uint64_t)(NF + 5) << 12) | E_TBL;
	*env_entry(&e, e.sp.root, 4) = 0x5000 | E_TBL | XPT_PTE_PS;
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, va3, 0, XPT_4K, 0, &e.fl), XPT_E_WINDOW);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, va3, 0, XPT_1G, 0, &e.fl), XPT_E_WINDOW);
	CHECK_ERR_UNCHANGED(&e, xpt_map_range(&e.sp, va3 - 0x1000, 0, 0x2000, 0, 0, &e.fl),
	                    XPT_E_WINDOW);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, va3, 0x1000, 0, &e.fl), XPT_E_WINDOW);
	CHECK_ERR_UNCHANGED(&e, xpt_protect_range(&e.sp, va3, 0x1000, 0, 0, &e.fl), XPT_E_WINDOW);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap(&e.sp, va3, 0, NULL, &e.fl), XPT_E_WINDOW);
	CHECK_ERR_UNCHANGED(&e, xpt_protect(&e.sp, va3, 0, &e.fl), XPT_E_WINDOW);
	CHECK_ERR(xpt_translate(&e.sp, va3, &m), XPT_E_WINDOW);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, va4, 0, XPT_4K, 0, &e.fl), XPT_E_RSVD_BITS);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, va4, 0x1000, 0, &e.fl), XPT_E_RSVD_BITS);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap(&e.sp, va4, 0, NULL, &e.fl), XPT_E_RSVD_BITS);
	CHECK_ERR(xpt_translate(&e.sp, va4, &m), XPT_E_RSVD_BITS);
	/* A leaf deeper down pointing past the window is only data: fine. */
	REQUIRE_OK(xpt_map(&e.sp, 0x1000, (uint64_t)(NF + 100) << 12, XPT_4K, 0, &e.fl));
	REQUIRE_OK(xpt_translate(&e.sp, 0x1000, &m));
	CHECK_EQ(m.pa, (uint64_t)(NF + 100) << 12);
	env_free(&e);
}

/* A table entry with an address bit at or above MAXPHYADDR stops the walk
 * with a reserved-bit fault (SDM 4.5): the mapper does not descend through
 * it either, whatever the request, and changes nothing. */
TEST(map_reserved_address_bit_in_table_entry)
{
	struct env e;
	struct xpt_mapping m;
	const uint64_t va = 0x40000000; /* PDPTE 1 */
	if (!env_init(&e, NF, 40))
		return;
	REQUIRE_OK(xpt_map(&e.sp, va, 0x5000, XPT_4K, XPT_WRITE, &e.fl));
	REQUIRE_OK(xpt_map(&e.sp, va + 0x200000, 0x6000, XPT_4K, XPT_WRITE, &e.fl));
	uint64_t *pdpte = entry_at(&e, va, 3), *pde = entry_at(&e, va, 2);
	*pdpte |= 1ull << 45; /* bits 40..51 are reserved with MAXPHYADDR 40 */
	CHECK_ERR(xpt_translate(&e.sp, va, &m), XPT_E_RSVD_BITS);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, va + 0x1000, 0x7000, XPT_4K, 0, &e.fl), XPT_E_RSVD_BITS);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, va + 0x400000, 0x200000, XPT_2M, 0, &e.fl),
	                    XPT_E_RSVD_BITS);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, va, 0x400000, 0, &e.fl), XPT_E_RSVD_BITS);
	CHECK_ERR_UNCHANGED(&e, xpt_protect_range(&e.sp, va, 0x1000, 0, 0, &e.fl), XPT_E_RSVD_BITS);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap(&e.sp, va, 0, NULL, &e.fl), XPT_E_RSVD_BITS);
	/* The same one level down, in a PDE. */
	*pdpte &= ~(1ull << 45);
	*pde |= 1ull << 51;
	CHECK_ERR(xpt_translate(&e.sp, va, &m), XPT_E_RSVD_BITS);
	CHECK_ERR_UNCHANGED(&e, xpt_unmap_range(&e.sp, va, 0x200000, 0, &e.fl), XPT_E_RSVD_BITS);
	CHECK_ERR_UNCHANGED(&e, xpt_map(&e.sp, va + 0x1000, 0x7000, XPT_4K, 0, &e.fl), XPT_E_RSVD_BITS);
	/* Cleared again, the tables below were left as they were. */
	*pde &= ~(1ull << 51);
	REQUIRE_OK(xpt_translate(&e.sp, va, &m));
	CHECK_EQ(m.pa, 0x5000);
	REQUIRE_OK(xpt_translate(&e.sp, va + 0x200000, &m));
	CHECK_EQ(m.pa, 0x6000);
	env_free(&e);
}

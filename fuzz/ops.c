/*
 * Fuzz target `ops`: sequences of allocator and mapper operations on a small
 * simulated physical memory, checked after every operation against an
 * independent shadow model.  The space is a 4-level x86 one, a 5-level one
 * (CR4.LA57, 57-bit addresses) or an EPT one (guest-physical addresses of
 * 48 bits, R/W/X and a memory type in the leaves), as the header says.
 *
 * The shadow model is deliberately plain: a sorted list of extents
 * (virtual range -> physical base, attributes), a bitmap of the frames the
 * harness owns as data, and the pending flush record.  After every
 * operation the harness walks the page tables itself (its own decoding of
 * the entry format) and checks:
 *
 *   - the leaves found equal the shadow, page for page (pa and attributes),
 *     and a leaf made by xpt_map has exactly the size asked for;
 *   - tables above leaves carry P, RW and US and nothing else but A;
 *     non-present entries are zero; leaves have no reserved bit set;
 *   - the tables form a tree: no frame is reachable twice, every table is
 *     inside the window, allocated and not owned as data; every allocated
 *     frame is a table or owned data (no leak);
 *   - both allocators' counts equal a recount of their bitmaps, every
 *     summary bit and whole-block bit agrees with the level below;
 *   - a call that failed left window, allocator and flush record as they
 *     were (byte for byte), and failed with an error its arguments and the
 *     shadow allow; a call that succeeded did what the shadow did;
 *   - a call whose walk meets a table entry with a reserved bit (planted
 *     for that call alone) fails with XPT_E_RSVD_BITS and changes nothing;
 *   - translate agrees with the shadow on every page an operation touched;
 *     in an EPT space so does xpt_ept_walk for a read, a write and a fetch
 *     (host address, violation and its qualification, memory type);
 *   - every leaf that changed or went away, and every table given back,
 *     is covered by the pending flush record;
 *   - the software TLB: a hit agrees with a fresh xpt_walk unless its entry
 *     is covered by the pending record; after the record is applied every
 *     cached entry agrees with a fresh walk.  An EPT space has the same
 *     checks over the harness's cache of xpt_ept_walk results (gtlb below).
 *
 * Any violation calls abort() with a message on stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xpt.h"
#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(...)                                                                      \
	do {                                                                           \
		fprintf(stderr, "ops: invariant violated (%s:%d, op %u): ", __FILE__,  \
		        __LINE__, g_opno);                                             \
		fprintf(stderr, __VA_ARGS__);                                          \
		fprintf(stderr, "\n");                                                 \
		abort();                                                               \
	} while (0)
#define CHECK(cond, ...)                                                               \
	do {                                                                           \
		if (!(cond))                                                           \
			FAIL(__VA_ARGS__);                                             \
	} while (0)

#define K4 4096ull
#define M2 (K4 * 512)
#define G1 (M2 * 512)
#define ERRBIT(e) (1u << (e))

/* Entry bits 9..11 are free for software; the mapper carries them as
 * XPT_SOFT attributes when the header has them. */
#ifdef XPT_SOFT_MASK
#define SOFT_ENTRY_BITS (7ull << 9)
#define SOFT_ATTR(e)    ((xpt_attr)(((e) >> 9) & 7) << XPT_SOFT_SHIFT)
#else
#define SOFT_ENTRY_BITS 0ull
#define SOFT_ATTR(e)    0u
#endif

/* ------------------------------------------------------------ the input */

/* ------------------------------------------------------------ the state */

#define MAX_WINDOW 1024u           /* frames of the largest window */
#define BIG_FRAMES (3u << 17)      /* the data-only allocator: 1.5 GiB of frames */
#define MAX_EXT    4096u
#define MAX_LEAF   32768u
#define MAX_TABLES MAX_WINDOW
#define MAX_OPS    96u
#define MAX_OWNED  64u

struct ext {
	uint64_t va, len, pa;
	xpt_attr attr;
	int forced;        /* xpt_map: the leaf is exactly this extent (size), else -1 */
	unsigned maxsize;  /* largest leaf size the call allowed */
	bool a, d;         /* an access / a write walked the leaf since it was mapped */
};

struct leaf {
	uint64_t va, size, pa;
	xpt_attr attr;
	bool a, d;
};

struct table {
	xpt_pfn frame;
	unsigned level;
	uint64_t va;       /* first address the table covers */
};

struct alloc {
	struct xpt_frames fa, snap_fa;
	uint64_t *meta, *snap_meta, meta_words;
	uint64_t nframes;
	uint64_t *owned;   /* bitmap: the harness holds the frame as data */
	bool ready;
};

static unsigned g_opno;
static int trace = -1; /* OPS_TRACE set in the environment: print every call */
#define TRACE(...) \
	do { \
		if (trace) \
			fprintf(stderr, __VA_ARGS__); \
	} while (0)
#define ULL(x) ((unsigned long long)(x))
static uint64_t win[MAX_WINDOW * 512u], snap_win[MAX_WINDOW * 512u];
static uint64_t window;    /* frames in the window */
static unsigned maxphy;
static struct alloc A, B; /* A: tables and data, inside the window; B: data only */
static uint64_t a_meta[2][4096];
static uint64_t a_owned[MAX_WINDOW / 64];
static uint64_t *b_meta[2];
static uint64_t *b_owned;
static struct xpt_space sp;
static bool sp_live;
static struct xpt_flush fl, snap_fl;
static struct xpt_tlb tlb;
static struct xpt_arch arch;
static unsigned levels;    /* of the space: 4, or 5 (CR4.LA57) */
static bool ept;           /* an EPT space: addresses are guest-physical */

static struct ext ext[MAX_EXT];
static unsigned next;
static struct leaf leaves[2][MAX_LEAF];
static unsigned nleaves[2], cur; /* leaves[cur]: the latest enumeration */
static struct table tables[2][MAX_TABLES];
static unsigned ntables[2];
static uint8_t is_table[MAX_WINDOW];
static struct table tinfo[MAX_WINDOW]; /* per frame, for the latest walk */
struct owned {
	xpt_pfn f;
	unsigned n;
	bool big;
};
static struct owned owned_list[MAX_OWNED];
static unsigned nowned;
static bool stop;    /* a capacity of the harness was reached: end the input */
static bool changed; /* the operation changed the tables: walk them again */

/* ------------------------------------------------------ small helpers */

/* Bits of an address of the space: 48, 57 with 5 levels, 48 under EPT. */
static unsigned va_bits(void)
{
	return levels == 5 ? 57 : 48;
}

/* An address the space can map: canonical in its width, or for EPT a
 * guest-physical address below 2^48 (there is no hole). */
static bool canon(uint64_t va)
{
	uint64_t top = va >> (va_bits() - 1);
	return ept ? va >> 48 == 0 : top == 0 || top == UINT64_MAX >> (va_bits() - 1);
}

#define GPA_MASK ((1ull << 48) - 1) /* guest-physical addresses of 4-level EPT */

/* What the mapper says of an address canon() refuses. */
static unsigned bad_addr_err(void)
{
	return ept ? XPT_E_PHYS : XPT_E_NONCANONICAL;
}

/* End of the lower half: what xpt_space_destroy(sp, false) gives back. */
static uint64_t lower_half(void)
{
	return 1ull << (va_bits() - 1);
}

static uint64_t size_bytes(unsigned s)
{
	return K4 << (9 * s);
}

static unsigned popc(uint64_t w)
{
	return (unsigned)__builtin_popcountll(w);
}

/* Does some page of the pending record fall in [va, va+len)? */
static bool record_covers(uint64_t va, uint64_t len)
{
	if (fl.all)
		return true;
	for (unsigned i = 0; i < fl.npages; i++)
		if (fl.va[i] >= va && fl.va[i] - va < len)
			return true;
	return false;
}

/* ---------------------------------------------------------- the shadow */

static uint64_t ext_last(const struct ext *e)
{
	return e->va + e->len - 1;
}

/* Index of the first extent whose last byte is >= va. */
static unsigned ext_lower(uint64_t va)
{
	unsigned lo = 0, hi = next;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (ext_last(&ext[mid]) < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct ext *shadow_find(uint64_t va)
{
	unsigned i = ext_lower(va);
	return i < next && ext[i].va <= va ? &ext[i] : NULL;
}

static void ext_insert_at(unsigned i, const struct ext *e)
{
	if (next == MAX_EXT) {
		stop = true;
		return;
	}
	memmove(&ext[i + 1], &ext[i], (next - i) * sizeof ext[0]);
	ext[i] = *e;
	next++;
}

/* Make x the first byte of an extent if an extent covers x and x-1. */
static void shadow_cut(uint64_t x)
{
	unsigned i = ext_lower(x);
	if (i == next || ext[i].va >= x)
		return;
	struct ext hi = ext[i];
	hi.va = x;
	hi.len = ext_last(&ext[i]) - x + 1;
	hi.pa = ext[i].pa + (x - ext[i].va);
	hi.forced = -1;
	ext[i].len = x - ext[i].va;
	ext[i].forced = -1;
	ext_insert_at(i + 1, &hi);
}

static void shadow_cut_range(uint64_t va, uint64_t len)
{
	shadow_cut(va);
	if (va + len != 0)
		shadow_cut(va + len);
}

/* Bytes of [va, va+len) the shadow maps. */
static uint64_t shadow_bytes(uint64_t va, uint64_t len)
{
	uint64_t last = va + len - 1, n = 0;
	for (unsigned i = ext_lower(va); i < next && ext[i].va <= last; i++) {
		uint64_t a = ext[i].va > va ? ext[i].va : va;
		uint64_t b = ext_last(&ext[i]) < last ? ext_last(&ext[i]) : last;
		n += b - a + 1;
	}
	return n;
}

static void shadow_remove(uint64_t va, uint64_t len)
{
	uint64_t last = va + len - 1;
	shadow_cut_range(va, len);
	unsigned i = ext_lower(va), j = i;
	while (j < next && ext[j].va <= last)
		j++;
	memmove(&ext[i], &ext[j], (next - j) * sizeof ext[0]);
	next -= j - i;
}

static void shadow_add(uint64_t va, uint64_t len, uint64_t pa, xpt_attr attr, int forced,
                       unsigned maxsize)
{
	struct ext e = { va, len, pa, attr, forced, maxsize, false, false };
	ext_insert_at(ext_lower(va), &e);
}

/* A walk set A (and D for a write) in the leaf over [va, va+len). */
static void shadow_accessed(uint64_t va, uint64_t len, bool write)
{
	uint64_t last = va + len - 1;
	shadow_cut_range(va, len);
	for (unsigned i = ext_lower(va); i < next && ext[i].va <= last; i++) {
		ext[i].a = true;
		ext[i].d |= write;
	}
}

static void shadow_protect(uint64_t va, uint64_t len, xpt_attr attr)
{
	uint64_t last = va + len - 1;
	shadow_cut_range(va, len);
	for (unsigned i = ext_lower(va); i < next && ext[i].va <= last; i++)
		ext[i].attr = attr;
}

/* ------------------------------------------------- allocator invariants */

static uint64_t lvl_words(uint64_t nbits, unsigned k)
{
	uint64_t n = nbits;
	for (unsigned i = 0; i <= k; i++)
		n = (n + 63) / 64;
	return n ? n : 1;
}

static bool bit(const uint64_t *w, uint64_t i)
{
	return (w[i / 64] >> (i % 64)) & 1;
}

/* The summaries of a bitmap agree with its level 0; no bit past nbits. */
static void check_bitmap(const struct xpt_bitmap *b, uint64_t nbits, const char *what)
{
	CHECK(b->nbits == nbits, "%s: nbits %llu, expected %llu", what,
	      (unsigned long long)b->nbits, (unsigned long long)nbits);
	for (uint64_t i = nbits; i < lvl_words(nbits, 0) * 64; i++)
		CHECK(!bit(b->w + b->off[0], i), "%s: bit %llu past the end", what,
		      (unsigned long long)i);
	for (unsigned k = 1; k < XPT_BITMAP_LEVELS; k++) {
		const uint64_t *up = b->w + b->off[k], *down = b->w + b->off[k - 1];
		uint64_t nup = lvl_words(nbits, k), ndown = lvl_words(nbits, k - 1);
		for (uint64_t i = 0; i < nup * 64; i++) {
			bool want = i < ndown && down[i] != 0;
			CHECK(bit(up, i) == want, "%s: summary level %u bit %llu is %d, expected %d",
			      what, k, (unsigned long long)i, bit(up, i), want);
		}
	}
}

/* Frames in use, as a word of bits: owned data and (for A) the tables of the
 * latest walk. */
static uint64_t in_use_word(const struct alloc *a, bool with_tables, uint64_t w)
{
	uint64_t u = a->owned[w];
	if (with_tables)
		for (unsigned i = 0; i < 64 && w * 64 + i < MAX_WINDOW; i++)
			u |= (uint64_t)is_table[w * 64 + i] << i;
	return u;
}

/* Every count and bitmap of an allocator against a recount; the frames
 * allocated are exactly those in use: no frame both free and in use, no leak. */
static void check_alloc(struct alloc *a, bool with_tables)
{
	const struct xpt_frames *fa = &a->fa;
	uint64_t n = a->nframes, nw = (n + 63) / 64, usable = 0, nfree = 0;
	const uint64_t *free0 = fa->free4k.w + fa->free4k.off[0];
	CHECK(fa->nframes == n, "nframes changed: %llu", (unsigned long long)fa->nframes);
	for (uint64_t w = 0; w < nw; w++) {
		uint64_t u = fa->usable[w], fr = free0[w], use = in_use_word(a, with_tables, w);
		uint64_t tail = (w + 1) * 64 > n ? ~0ull << (n % 64) : 0;
		usable += popc(u);
		nfree += popc(fr);
		CHECK(!(u & tail), "usable bit past the end");
		CHECK(!(fr & ~u), "frame %llu free but not usable",
		      (unsigned long long)(w * 64 + __builtin_ctzll(fr & ~u)));
		CHECK(!(fr & use), "frame %llu is free and in use",
		      (unsigned long long)(w * 64 + __builtin_ctzll(fr & use)));
		CHECK(!(u & ~fr & ~use), "frame %llu allocated but neither a table nor owned (leak)",
		      (unsigned long long)(w * 64 + __builtin_ctzll(u & ~fr & ~use)));
	}
	CHECK(usable == fa->nusable, "nusable %llu, recount %llu", (unsigned long long)fa->nusable,
	      (unsigned long long)usable);
	CHECK(nfree == fa->nfree, "nfree %llu, recount %llu", (unsigned long long)fa->nfree,
	      (unsigned long long)nfree);
	check_bitmap(&fa->free4k, n, "free4k");
	check_bitmap(&fa->free2m, (n + 511) / 512, "free2m");
	check_bitmap(&fa->free1g, (n + 262143) / 262144, "free1g");
	const uint64_t *w2 = fa->free2m.w + fa->free2m.off[0];
	const uint64_t *w1 = fa->free1g.w + fa->free1g.off[0];
	for (uint64_t blk = 0; blk < (n + 511) / 512; blk++) {
		bool all = true;
		for (uint64_t f = blk * 512; f < blk * 512 + 512 && all; f += 64)
			all = f + 64 <= n && free0[f / 64] == UINT64_MAX;
		CHECK(bit(w2, blk) == all, "free2m bit %llu is %d, block free %d", (unsigned long long)blk,
		      bit(w2, blk), all);
	}
	for (uint64_t g = 0; g < (n + 262143) / 262144; g++) {
		bool all = true;
		for (uint64_t b = g * 512; b < g * 512 + 512 && all; b++)
			all = b < (n + 511) / 512 && bit(w2, b);
		CHECK(bit(w1, g) == all, "free1g bit %llu is %d, block free %d", (unsigned long long)g,
		      bit(w1, g), all);
	}
}

static bool frame_free(const struct alloc *a, uint64_t f)
{
	return bit(a->fa.free4k.w + a->fa.free4k.off[0], f);
}

static bool frame_usable(const struct alloc *a, uint64_t f)
{
	return bit(a->fa.usable, f);
}

/* ------------------------------------------------------------ snapshots */

static void snap_alloc(struct alloc *a)
{
	a->snap_fa = a->fa;
	memcpy(a->snap_meta, a->meta, a->meta_words * 8);
}

static bool alloc_same(const struct alloc *a)
{
	return memcmp(&a->snap_fa, &a->fa, sizeof a->fa) == 0 &&
	       memcmp(a->snap_meta, a->meta, a->meta_words * 8) == 0;
}

static bool flush_same(void)
{
	return snap_fl.npages == fl.npages && snap_fl.all == fl.all &&
	       memcmp(snap_fl.va, fl.va, fl.npages * 8) == 0;
}

static void snap_space(void)
{
	memcpy(snap_win, win, window * K4);
	snap_alloc(&A);
	snap_fl = fl;
}

static void check_unchanged(const char *call, int err)
{
	CHECK(memcmp(snap_win, win, window * K4) == 0, "%s failed (%s) but changed memory", call,
	      xpt_strerror(err));
	CHECK(alloc_same(&A), "%s failed (%s) but changed the allocator", call, xpt_strerror(err));
	CHECK(flush_same(), "%s failed (%s) but changed the flush record", call, xpt_strerror(err));
}

/* --------------------------------------------------------- the tree walk */

static uint64_t addr_bits(void)
{
	return ((1ull << maxphy) - 1) & ~(K4 - 1);
}

#define EPT_RWX (XPT_EPT_R | XPT_EPT_W | XPT_EPT_X)

static bool present(uint64_t e)
{
	return ept ? (e & EPT_RWX) != 0 : (e & XPT_PTE_P) != 0;
}

/* The bits an x86 leaf may hold besides its address, and its attributes. */
static uint64_t x86_leaf(uint64_t e, unsigned level, xpt_attr *attr, bool *a, bool *d)
{
	uint64_t pat = level == 1 ? 1ull << 7 : 1ull << 12;
	*a = e & XPT_PTE_A;
	*d = e & XPT_PTE_D;
	*attr = ((e >> 1) & 1 ? XPT_WRITE : 0) | ((e >> 2) & 1 ? XPT_USER : 0) |
	        ((e >> 63) & 1 ? XPT_NOEXEC : 0) | ((e >> 8) & 1 ? XPT_GLOBAL : 0) |
	        XPT_CACHE(((e >> 3) & 1) | ((e >> 4) & 1) << 1 | ((e & pat) ? 4 : 0)) |
	        XPT_PKEY((e >> 59) & 15) | SOFT_ATTR(e);
	return XPT_PTE_P | XPT_PTE_RW | XPT_PTE_US | XPT_PTE_PWT | XPT_PTE_PCD | XPT_PTE_A |
	       XPT_PTE_D | XPT_PTE_G | XPT_PTE_PK_MASK | XPT_PTE_NX | SOFT_ENTRY_BITS | pat;
}

/* The same for an EPT leaf (SDM Vol. 3C 29.3.2): R W X, the memory type
 * in bits 3..5, A/D at 8/9, never ignore-PAT (bit 6); a reserved memory
 * type shows against the shadow's attributes. */
static uint64_t ept_leaf(uint64_t e, xpt_attr *attr, bool *a, bool *d)
{
	*a = e & XPT_EPT_A;
	*d = e & XPT_EPT_D;
	*attr = ((e & XPT_EPT_W) ? XPT_WRITE : 0) | ((e & XPT_EPT_X) ? 0 : XPT_NOEXEC) |
	        XPT_CACHE((e >> XPT_EPT_MT_SHIFT) & 7);
	return EPT_RWX | 7ull << XPT_EPT_MT_SHIFT | XPT_EPT_A | XPT_EPT_D;
}

static void add_leaf(uint64_t va, unsigned level, uint64_t e)
{
	uint64_t size = size_bytes(level - 1);
	xpt_attr attr;
	bool a, d;
	uint64_t allowed = ept ? ept_leaf(e, &attr, &a, &d) : x86_leaf(e, level, &attr, &a, &d);
	allowed |= (addr_bits() & ~(size - 1)) | (level > 1 ? XPT_PTE_PS : 0);
	CHECK((e & ~allowed) == 0, "leaf %#llx at level %u for va %#llx has bits %#llx set",
	      (unsigned long long)e, level, (unsigned long long)va,
	      (unsigned long long)(e & ~allowed));
	CHECK(!ept || (e & XPT_EPT_R), "EPT leaf %#llx for gpa %#llx is not readable", ULL(e), ULL(va));
	if (nleaves[cur] == MAX_LEAF) {
		stop = true;
		return;
	}
	struct leaf *l = &leaves[cur][nleaves[cur]++];
	l->va = va;
	l->size = size;
	l->pa = e & addr_bits() & ~(size - 1);
	l->a = a;
	l->d = d;
	l->attr = attr;
}

/* A table entry: x86 P|RW|US (A may be set by a walk); EPT R|W|X. */
static void check_table_entry(uint64_t e, uint64_t va, unsigned level)
{
	uint64_t flags = e & ~addr_bits();
	if (ept)
		CHECK(flags == EPT_RWX, "EPT table entry %#llx (gpa %#llx level %u) is not exactly R|W|X",
		      ULL(e), ULL(va), level);
	else
		CHECK((flags & ~XPT_PTE_A) == (XPT_PTE_P | XPT_PTE_RW | XPT_PTE_US),
		      "table entry %#llx (va %#llx level %u) is not exactly P|RW|US", ULL(e), ULL(va),
		      level);
}

/* The first address entry i of a table at `level` covers, the table's
 * first being base: in the root of an x86 space, entries 256 and up are
 * the upper half, sign-extended. */
static uint64_t entry_va(uint64_t base, unsigned level, unsigned i)
{
	uint64_t va = base | (uint64_t)i << (12 + 9 * (level - 1));
	if (level == levels && !ept && i >= 256)
		va |= ~0ull << va_bits();
	return va;
}

static void visit(xpt_pfn t, unsigned level, uint64_t base)
{
	CHECK(t < window, "table frame %llu outside the window", (unsigned long long)t);
	CHECK(!is_table[t], "frame %llu reachable twice: the tables are not a tree",
	      (unsigned long long)t);
	CHECK(t < A.nframes && frame_usable(&A, t) && !frame_free(&A, t),
	      "table frame %llu is not allocated", (unsigned long long)t);
	CHECK(!bit(A.owned, t), "table frame %llu is owned data", (unsigned long long)t);
	is_table[t] = 1;
	if (ntables[cur] == MAX_TABLES) {
		stop = true;
		return;
	}
	tables[cur][ntables[cur]++] = tinfo[t] = (struct table){ t, level, base };
	for (unsigned i = 0; i < 512 && !stop; i++) {
		uint64_t e = win[t * 512 + i], va = entry_va(base, level, i);
		if (!present(e)) {
			CHECK(e == 0, "non-present entry %#llx is not zero (va %#llx level %u)",
			      (unsigned long long)e, (unsigned long long)va, level);
			continue;
		}
		if (level > 1 && !(e & XPT_PTE_PS)) {
			check_table_entry(e, va, level);
			visit((e & addr_bits()) >> 12, level - 1, va);
			continue;
		}
		CHECK(level <= 3, "PS in a PML4 or PML5 entry");
		add_leaf(va, level, e);
	}
}

/* Enumerate leaves and tables into buffer `cur`; check the tree and allocation. */
static void walk_tree(void)
{
	memset(is_table, 0, sizeof is_table);
	nleaves[cur] = ntables[cur] = 0;
	if (sp_live)
		visit(sp.root, levels, 0);
	if (!stop)
		check_alloc(&A, true);
}

/* The leaves equal the shadow, page for page. */
static void check_leaves_vs_shadow(void)
{
	unsigned j = 0;
	uint64_t leaf_bytes = 0, ext_bytes = 0;
	for (unsigned i = 0; i < next; i++) {
		ext_bytes += ext[i].len;
		if (i > 0)
			CHECK(ext[i].va > ext_last(&ext[i - 1]), "shadow out of order (harness bug)");
	}
	for (unsigned i = 0; i < nleaves[cur]; i++) {
		const struct leaf *l = &leaves[cur][i];
		uint64_t pos = l->va, last = l->va + l->size - 1;
		leaf_bytes += l->size;
		while (j < next && ext_last(&ext[j]) < l->va)
			j++;
		for (unsigned k = j;; k++) {
			CHECK(k < next && ext[k].va <= pos,
			      "leaf va %#llx size %#llx pa %#llx: page %#llx is not in the shadow",
			      (unsigned long long)l->va, (unsigned long long)l->size,
			      (unsigned long long)l->pa, (unsigned long long)pos);
			const struct ext *e = &ext[k];
			CHECK(e->pa + (pos - e->va) == l->pa + (pos - l->va),
			      "va %#llx maps pa %#llx, shadow says %#llx", (unsigned long long)pos,
			      (unsigned long long)(l->pa + (pos - l->va)),
			      (unsigned long long)(e->pa + (pos - e->va)));
			CHECK(e->a == l->a && e->d == l->d,
			      "va %#llx: leaf A=%d D=%d, but the accesses since it was mapped say A=%d D=%d",
			      (unsigned long long)pos, l->a, l->d, e->a, e->d);
			CHECK(e->attr == l->attr, "va %#llx has attr %#x, shadow says %#x",
			      (unsigned long long)pos, l->attr, e->attr);
			CHECK(l->size <= size_bytes(e->maxsize), "va %#llx: leaf of %#llx bytes, at most %#llx allowed",
			      (unsigned long long)pos, (unsigned long long)l->size,
			      (unsigned long long)size_bytes(e->maxsize));
			if (e->forced >= 0)
				CHECK(l->va == e->va && l->size == e->len,
				      "xpt_map of %#llx bytes at %#llx became a leaf of %#llx at %#llx",
				      (unsigned long long)e->len, (unsigned long long)e->va,
				      (unsigned long long)l->size, (unsigned long long)l->va);
			if (ext_last(e) >= last)
				break;
			pos = ext_last(e) + 1;
		}
	}
	CHECK(leaf_bytes == ext_bytes, "tables map %#llx bytes, shadow %#llx",
	      (unsigned long long)leaf_bytes, (unsigned long long)ext_bytes);
}

/* Every leaf of the previous walk that changed or went away, and every table
 * given back, is covered by the pending flush record. */
static void check_flush_covers_changes(void)
{
	unsigned prev = cur ^ 1, j = 0;
	for (unsigned i = 0; i < nleaves[prev]; i++) {
		const struct leaf *o = &leaves[prev][i];
		while (j < nleaves[cur] && leaves[cur][j].va < o->va)
			j++;
		const struct leaf *n = j < nleaves[cur] ? &leaves[cur][j] : NULL;
		if (n && n->va == o->va && n->size == o->size && n->pa == o->pa && n->attr == o->attr)
			continue;
		CHECK(record_covers(o->va, o->size),
		      "leaf va %#llx size %#llx changed but the flush record does not cover it",
		      (unsigned long long)o->va, (unsigned long long)o->size);
	}
	for (unsigned i = 0; i < ntables[prev]; i++) {
		const struct table *t = &tables[prev][i];
		if (!is_table[t->frame] || tinfo[t->frame].va != t->va ||
		    tinfo[t->frame].level != t->level)
			CHECK(record_covers(t->va, size_bytes(t->level)),
			      "table %llu (va %#llx level %u) went away without a flush",
			      (unsigned long long)t->frame, (unsigned long long)t->va, t->level);
	}
}

static void check_flush_record(void)
{
	CHECK(fl.npages <= XPT_FLUSH_PAGES, "flush record overflows");
	for (unsigned i = 0; i < fl.npages; i++) {
		CHECK(fl.va[i] % K4 == 0, "flush record page %#llx not aligned",
		      (unsigned long long)fl.va[i]);
		for (unsigned k = 0; k < i; k++)
			CHECK(fl.va[k] != fl.va[i], "flush record holds a page twice");
	}
}

/* ---------------------------------------------------------------- TLB */

static bool translation_of(uint64_t va, struct xpt_walk *w)
{
	int err = xpt_walk(&sp.mem, &tlb.ctl, va, XPT_ACC_READ, w);
	CHECK(err == XPT_OK, "xpt_walk failed: %s", xpt_strerror(err));
	/* A rights fault still has a translation; P=0, RSVD and #GP do not. */
	return w->fault == XPT_FAULT_NONE ||
	       (w->fault == XPT_FAULT_PF && (w->error_code & XPT_PF_P) &&
	        !(w->error_code & XPT_PF_RSVD));
}

/* A cached entry agrees with a fresh walk over every address it covers. */
static bool tlb_entry_fresh(const struct xpt_tlb_entry *e)
{
	uint64_t bytes = size_bytes(e->size), addr = e->va;
	unsigned walks = 0;
	do {
		struct xpt_walk w;
		if (!translation_of(addr, &w) || w.pa != e->pa + (addr - e->va) || w.eff != e->eff ||
		    w.pkey != e->pkey)
			return false;
		addr = (addr | (size_bytes(w.leaf) - 1)) + 1;
		if (++walks > 4096)
			break; /* a huge entry over many small leaves: a sample suffices */
	} while (addr - e->va < bytes && addr != 0);
	return true;
}

/* Stale entries only where the pending record will invalidate them. */
static void check_gtlb(bool applied);
static void check_tlb(bool applied)
{
	if (ept) {
		check_gtlb(applied);
		return;
	}
	for (unsigned i = 0; i < XPT_TLB_ENTRIES; i++) {
		const struct xpt_tlb_entry *e = &tlb.e[i];
		if (!e->valid || tlb_entry_fresh(e))
			continue;
		CHECK(!applied, "after the flush record was applied, the TLB still holds a stale "
		      "entry for va %#llx (size %#llx)", (unsigned long long)e->va,
		      (unsigned long long)size_bytes(e->size));
		CHECK(record_covers(e->va, size_bytes(e->size)),
		      "stale TLB entry for va %#llx (size %#llx) not covered by the flush record",
		      (unsigned long long)e->va, (unsigned long long)size_bytes(e->size));
	}
}

static void ept_access(uint64_t gpa, unsigned acc);
static void tlb_access(uint64_t va, unsigned acc)
{
	struct xpt_walk fresh, w;
	const struct xpt_tlb_entry *hit = NULL;
	if (ept) { /* 4-level EPT: a CPU makes no guest-physical address past 48 bits */
		ept_access(va & GPA_MASK, acc);
		return;
	}
	int err = xpt_walk(&sp.mem, &tlb.ctl, va, acc, &fresh);
	CHECK(err == XPT_OK, "xpt_walk: %s", xpt_strerror(err));
	for (unsigned i = 0; i < XPT_TLB_ENTRIES && !hit; i++)
		if (tlb.e[i].valid && (va & ~(size_bytes(tlb.e[i].size) - 1)) == tlb.e[i].va)
			hit = &tlb.e[i];
	struct xpt_tlb_entry was = hit ? *hit : (struct xpt_tlb_entry){ 0 };
	uint64_t hits = tlb.hits;
	TRACE("op %u: tlb access va %#llx access %#x\n", g_opno, ULL(va), acc);
	err = xpt_tlb_access(&tlb, va, acc, &w);
	CHECK(err == XPT_OK, "xpt_tlb_access: %s", xpt_strerror(err));
	if (tlb.hits != hits) {
		CHECK(hit != NULL, "TLB reports a hit without an entry for va %#llx",
		      (unsigned long long)va);
		bool same = fresh.fault == XPT_FAULT_NONE && fresh.pa == w.pa && fresh.eff == w.eff &&
		            fresh.pkey == w.pkey && fresh.leaf == w.leaf;
		CHECK(same || record_covers(was.va, size_bytes(was.size)),
		      "TLB served a flushed translation: va %#llx -> %#llx, tables say %s %#llx",
		      (unsigned long long)va, (unsigned long long)w.pa,
		      fresh.fault ? "fault" : "pa", (unsigned long long)fresh.pa);
	} else {
		CHECK(w.fault == fresh.fault && w.error_code == fresh.error_code &&
		      (w.fault || w.pa == fresh.pa),
		      "TLB miss for va %#llx differs from xpt_walk", (unsigned long long)va);
		if (w.fault == XPT_FAULT_NONE) { /* the walk set A/D in the leaf */
			uint64_t bytes = size_bytes(w.leaf);
			shadow_accessed(va & ~(bytes - 1), bytes, acc & XPT_ACC_WRITE);
			changed = true; /* walk the tables again to see them */
		}
	}
	/* The walk against the shadow: a translation exactly where the shadow has one. */
	const struct ext *s = canon(va) ? shadow_find(va & ~(K4 - 1)) : NULL;
	if (fresh.fault == XPT_FAULT_GP)
		CHECK(!canon(va), "#GP for canonical va %#llx", (unsigned long long)va);
	else if (!s)
		CHECK(fresh.fault == XPT_FAULT_PF && !(fresh.error_code & XPT_PF_P),
		      "va %#llx is not mapped in the shadow but the walk %s", (unsigned long long)va,
		      fresh.fault ? "faults with P=1" : "translates it");
	else if (fresh.fault == XPT_FAULT_NONE)
		CHECK(fresh.pa == s->pa + (va - s->va), "walk of va %#llx gives pa %#llx, shadow %#llx",
		      (unsigned long long)va, (unsigned long long)fresh.pa,
		      (unsigned long long)(s->pa + (va - s->va)));
	else
		CHECK(fresh.error_code & XPT_PF_P, "va %#llx is mapped in the shadow but not present",
		      (unsigned long long)va);
}

/* ------------------------------------------- guest-physical TLB (EPT) */

/*
 * ref's software TLB walks x86 tables.  For an EPT space the harness keeps
 * its own cache of what xpt_ept_walk returned, as a CPU caches
 * guest-physical translations: entries stay, stale or not, until the flush
 * record invalidates them.  A hypervisor applies a record with one INVEPT;
 * here each page of the record drops only the entries holding it, the
 * stricter test of what the record lists.
 */
#define GTLB_ENTRIES 16u
struct gtlb_entry {
	bool valid;
	unsigned size;     /* enum xpt_size */
	uint64_t gpa, hpa; /* page bases */
	uint64_t rights;   /* XPT_EPT_R/W/X over the walk */
};
static struct gtlb_entry gtlb[GTLB_ENTRIES];
static unsigned gtlb_next;

static bool gtlb_holds(const struct gtlb_entry *e, uint64_t gpa)
{
	return e->valid && gpa - e->gpa < size_bytes(e->size);
}

static void gtlb_invlpg(void *ctx, uint64_t gpa)
{
	(void)ctx;
	for (unsigned i = 0; i < GTLB_ENTRIES; i++)
		if (gtlb_holds(&gtlb[i], gpa))
			gtlb[i].valid = false;
}

static void gtlb_flush_all(void *ctx)
{
	(void)ctx;
	memset(gtlb, 0, sizeof gtlb);
}

/* A new EPTP: nothing cached is known to belong to it. */
static void gtlb_load(void *ctx, uint64_t eptp)
{
	(void)eptp;
	gtlb_flush_all(ctx);
}

/* xpt_ept_walk of the space; the mapper never writes a misconfigured entry. */
static void ept_walk(uint64_t gpa, unsigned acc, struct xpt_ept_walk *w)
{
	int err = xpt_ept_walk(&sp.mem, xpt_eptp(&sp), maxphy, gpa, acc, w);
	CHECK(err == XPT_OK, "xpt_ept_walk(%#llx): %s", ULL(gpa), xpt_strerror(err));
	CHECK(w->outcome != XPT_EPT_MISCONFIG, "EPT misconfiguration on the walk of gpa %#llx",
	      ULL(gpa));
}

/* R/W/X over every entry read: 0 unless the walk reached a leaf. */
static uint64_t ept_rights(const struct xpt_ept_walk *w)
{
	uint64_t r = EPT_RWX;
	for (unsigned i = 0; i < w->levels; i++)
		r &= w->entry[i];
	return r;
}

static uint64_t ept_need(unsigned acc)
{
	return (acc & XPT_ACC_FETCH) ? XPT_EPT_X : (acc & XPT_ACC_WRITE) ? XPT_EPT_W : XPT_EPT_R;
}

/* An EPT walk against the shadow: a translation exactly where the shadow
 * has one, with its host address, rights and memory type, and a violation
 * qualified by the access and by what the entries allow. */
static void ept_vs_shadow(uint64_t gpa, unsigned acc, const struct xpt_ept_walk *w)
{
	uint64_t need = ept_need(acc);
	uint32_t kind = need == XPT_EPT_X ? XPT_EPTQ_FETCH : need == XPT_EPT_W ? XPT_EPTQ_WRITE
	                                                                     : XPT_EPTQ_READ;
	const struct ext *s = shadow_find(gpa & ~(K4 - 1));
	if (!s) {
		CHECK(w->outcome == XPT_EPT_VIOLATION && w->qual == kind,
		      "gpa %#llx is not mapped in the shadow, the EPT walk gives outcome %u qual %#x",
		      ULL(gpa), w->outcome, w->qual);
		return;
	}
	uint64_t rights = XPT_EPT_R | ((s->attr & XPT_WRITE) ? XPT_EPT_W : 0) |
	                  ((s->attr & XPT_NOEXEC) ? 0 : XPT_EPT_X);
	uint64_t leaf = w->entry[w->levels - 1];
	CHECK(ept_rights(w) == rights && w->hpa == s->pa + (gpa - s->va),
	      "EPT walk of gpa %#llx: rights %#llx hpa %#llx, shadow %#llx %#llx", ULL(gpa),
	      ULL(ept_rights(w)), ULL(w->hpa), ULL(rights), ULL(s->pa + (gpa - s->va)));
	CHECK(((leaf >> XPT_EPT_MT_SHIFT) & 7) == (s->attr & XPT_CACHE_MASK) >> XPT_CACHE_SHIFT &&
	      !(leaf & XPT_EPT_IPAT),
	      "EPT leaf %#llx of gpa %#llx: memory type or IPAT differ from attr %#x", ULL(leaf),
	      ULL(gpa), s->attr);
	if (rights & need)
		CHECK(w->outcome == XPT_EPT_OK, "EPT walk of gpa %#llx (access %#x): outcome %u",
		      ULL(gpa), acc, w->outcome);
	else
		CHECK(w->outcome == XPT_EPT_VIOLATION && w->qual == (kind | (uint32_t)rights << 3),
		      "EPT walk of gpa %#llx (access %#x): outcome %u qual %#x, expected a violation "
		      "with %#x", ULL(gpa), acc, w->outcome, w->qual, kind | (uint32_t)rights << 3);
}

/* A cached entry agrees with fresh walks over every address it covers. */
static bool gtlb_fresh(const struct gtlb_entry *e)
{
	uint64_t bytes = size_bytes(e->size), gpa = e->gpa;
	unsigned walks = 0;
	do {
		struct xpt_ept_walk w;
		ept_walk(gpa, XPT_ACC_READ, &w);
		if (ept_rights(&w) != e->rights || w.hpa != e->hpa + (gpa - e->gpa))
			return false;
		gpa = (gpa | (size_bytes(w.leaf) - 1)) + 1;
		if (++walks > 4096)
			break; /* a huge entry over many small leaves: a sample suffices */
	} while (gpa - e->gpa < bytes);
	return true;
}

static void check_gtlb(bool applied)
{
	for (unsigned i = 0; i < GTLB_ENTRIES; i++) {
		const struct gtlb_entry *e = &gtlb[i];
		if (!e->valid || gtlb_fresh(e))
			continue;
		CHECK(!applied, "after the flush record was applied, a stale guest-physical "
		      "translation of gpa %#llx (size %#llx) is cached", ULL(e->gpa),
		      ULL(size_bytes(e->size)));
		CHECK(record_covers(e->gpa, size_bytes(e->size)),
		      "stale guest-physical translation of gpa %#llx (size %#llx) not covered by the "
		      "flush record", ULL(e->gpa), ULL(size_bytes(e->size)));
	}
}

/* One guest access through the cache: a hit the cached rights allow is
 * served from it, anything else walks EPT again and caches a leaf found. */
static void ept_access(uint64_t gpa, unsigned acc)
{
	struct xpt_ept_walk fresh;
	struct gtlb_entry *hit = NULL;
	ept_walk(gpa, acc, &fresh);
	for (unsigned i = 0; i < GTLB_ENTRIES && !hit; i++)
		if (gtlb_holds(&gtlb[i], gpa))
			hit = &gtlb[i];
	TRACE("op %u: ept access gpa %#llx access %#x%s\n", g_opno, ULL(gpa), acc,
	      hit && (hit->rights & ept_need(acc)) ? " (cached)" : "");
	if (hit && (hit->rights & ept_need(acc))) {
		bool same = ept_rights(&fresh) == hit->rights && fresh.leaf == hit->size &&
		            fresh.hpa == hit->hpa + (gpa - hit->gpa);
		CHECK(same || record_covers(hit->gpa, size_bytes(hit->size)),
		      "guest-physical TLB served a flushed translation: gpa %#llx -> %#llx, EPT says "
		      "rights %#llx hpa %#llx", ULL(gpa), ULL(hit->hpa + (gpa - hit->gpa)),
		      ULL(ept_rights(&fresh)), ULL(fresh.hpa));
	} else {
		if (hit)
			hit->valid = false; /* the cached rights refuse it: walk again */
		if (ept_rights(&fresh)) {
			uint64_t bytes = size_bytes(fresh.leaf);
			gtlb[gtlb_next] = (struct gtlb_entry){ true, fresh.leaf, gpa & ~(bytes - 1),
			                                       fresh.hpa & ~(bytes - 1), ept_rights(&fresh) };
			gtlb_next = (gtlb_next + 1) % GTLB_ENTRIES;
		}
	}
	ept_vs_shadow(gpa, acc, &fresh);
}

/* --------------------------------------------------------- translation */

/* An EPT space: xpt_ept_walk agrees with the shadow for every access kind. */
static void probe_ept(uint64_t gpa)
{
	static const unsigned kinds[] = { XPT_ACC_READ, XPT_ACC_WRITE, XPT_ACC_FETCH };
	for (unsigned k = 0; k < 3; k++) {
		struct xpt_ept_walk w;
		ept_walk(gpa, kinds[k], &w);
		ept_vs_shadow(gpa, kinds[k], &w);
	}
}

/* xpt_translate agrees with the shadow at va. */
static void probe(uint64_t va)
{
	struct xpt_mapping m;
	int err = xpt_translate(&sp, va, &m);
	if (!canon(va)) {
		CHECK(err == (int)bad_addr_err(), "translate(%#llx): %s for an address outside the space",
		      (unsigned long long)va, xpt_strerror(err));
		return;
	}
	if (ept)
		probe_ept(va);
	const struct ext *s = shadow_find(va);
	if (!s) {
		CHECK(err == XPT_E_NOT_MAPPED, "translate(%#llx): %s, shadow says not mapped",
		      (unsigned long long)va, xpt_strerror(err));
		return;
	}
	CHECK(err == XPT_OK, "translate(%#llx): %s, shadow says mapped", (unsigned long long)va,
	      xpt_strerror(err));
	uint64_t bytes = size_bytes(m.size);
	CHECK(m.size <= XPT_1G && m.va == (va & ~(bytes - 1)) && m.offset == va - m.va,
	      "translate(%#llx): page %#llx size %u offset %#llx", (unsigned long long)va,
	      (unsigned long long)m.va, m.size, (unsigned long long)m.offset);
	CHECK(m.pa + m.offset == s->pa + (va - s->va), "translate(%#llx) = %#llx, shadow %#llx",
	      (unsigned long long)va, (unsigned long long)(m.pa + m.offset),
	      (unsigned long long)(s->pa + (va - s->va)));
	CHECK(m.attr == s->attr, "translate(%#llx): attr %#x, shadow %#x", (unsigned long long)va,
	      m.attr, s->attr);
	CHECK(m.eff == (s->attr & (XPT_WRITE | XPT_USER | XPT_NOEXEC)),
	      "translate(%#llx): effective rights %#x, leaf %#x: a table restricts",
	      (unsigned long long)va, m.eff, s->attr);
}

static void probe_range(uint64_t va, uint64_t len)
{
	va &= ~(K4 - 1);
	probe(va);
	probe(va - K4);
	if (len >= K4) {
		probe(va + len - K4);
		probe(va + len);
		probe(va + (len / 2 & ~(K4 - 1)));
	}
}

/* --------------------------------------------------------- decoding */

/*
 * Addresses: bits 0..1, 2..3, 4..5 and 6..9 pick the PML4, PDPT, PD and PT
 * index from short lists, bits 10..11 how many low levels stay 0 (3: a
 * special address, bits 12..15).  A 5-level space takes the PML5 index from
 * bits 12..14, which picked nothing before.  Specials are edges of the
 * space's own address width.
 */
static uint64_t dec_va(uint16_t x)
{
	static const unsigned i5[] = { 0, 1, 2, 255, 256, 257, 510, 511 }, i4[] = { 0, 1, 256, 511 },
	                      i3[] = { 0, 1, 2, 511 }, i2[] = { 0, 1, 2, 511 },
	                      i1[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 255, 256, 508, 509, 510, 511 };
	static const uint64_t special[3][16] = { {
		0x0000800000000000ull, /* first non-canonical */
		0x00007ffffffff000ull, /* last canonical lower page */
		0xfffffffffffff000ull, /* last page */
		0xffff800000000000ull, /* first upper page */
		0x0000000000001800ull, /* unaligned */
		0x0000000000201000ull,
		0x00007fffffe00000ull,
		0xffffffffffe00000ull,
		0xffffffffc0000000ull,
		0x0000000040000000ull,
		0x0000000000000000ull,
		0x8000000000000000ull,
		0x0000000000200800ull,
		0x0000000000003000ull,
		0x0000008000000000ull,
		0x00000000bffff000ull,
	}, { /* 5 levels */
		0x0100000000000000ull, /* first non-canonical */
		0x00fffffffffff000ull, /* last canonical lower page */
		0xfffffffffffff000ull,
		0xff00000000000000ull, /* first upper page */
		0x0000000000001800ull,
		0x0000fffffffff000ull, /* last page of PML5 slot 0 */
		0x00ffffffffe00000ull,
		0xffffffffffe00000ull,
		0xffffffffc0000000ull,
		0x0000800000000000ull, /* canonical in 57 bits, not in 48 */
		0x0000000000000000ull,
		0x8000000000000000ull,
		0x0000000000200800ull,
		0xffff800000000000ull, /* the 48-bit upper half: PML5 slot 511 */
		0x0001000000000000ull, /* PML5 slot 1 */
		0x00007ffffffff000ull, /* last page of the 48-bit lower half */
	}, { /* EPT: guest-physical, 48 bits, no hole */
		0x0001000000000000ull, /* first beyond 48 bits */
		0x0000fffffffff000ull, /* last page */
		0xfffffffffffff000ull,
		0x0000800000000000ull, /* past the x86 lower half */
		0x0000000000001800ull,
		0x0000000000201000ull,
		0x00007fffffe00000ull,
		0x0000ffffffe00000ull,
		0x0000ffffc0000000ull,
		0x0000000040000000ull,
		0x0000000000000000ull,
		0x8000000000000000ull,
		0x0000000000200800ull,
		0x0000000000003000ull,
		0x0000008000000000ull,
		0x00000000bffff000ull,
	} };
	unsigned mode = (x >> 10) & 3;
	if (mode == 3)
		return special[ept ? 2 : levels == 5][(x >> 12) & 15];
	uint64_t va = (uint64_t)i4[x & 3] << 39 | (uint64_t)i3[(x >> 2) & 3] << 30;
	if (mode < 2)
		va |= (uint64_t)i2[(x >> 4) & 3] << 21;
	if (mode < 1)
		va |= (uint64_t)i1[(x >> 6) & 15] << 12;
	if (levels == 5)
		va |= (uint64_t)i5[(x >> 12) & 7] << 48;
	if (!ept && va >> (va_bits() - 1))
		va |= ~0ull << va_bits(); /* the upper half, sign-extended */
	return va;
}

static uint64_t dec_pa(uint16_t x)
{
	uint64_t top = 1ull << maxphy;
	switch (x & 3) {
	case 0:
		if (nowned)
			return owned_list[(x >> 2) % nowned].f * K4;
		/* fall through */
	case 1:
		return ((x >> 2) % window) * K4;
	case 2:
		return (x & 4) ? (uint64_t)((x >> 3) & 63) * G1 : (uint64_t)(x >> 3) * M2;
	default: {
		static const uint64_t off[] = { K4, M2, G1, 0, 0x10, 2 * G1, K4 + 0x10, 0 };
		unsigned k = (x >> 2) & 7;
		if (k == 3)
			return top;                      /* E_PHYS */
		if (k == 7)
			return (uint64_t)(x >> 5) * K4 + window * K4; /* just past the window */
		return top > off[k] ? top - off[k] : off[k];
	}
	}
}

/* EPT: W, NX and a memory type (one in eight reserved: XPT_E_INVAL);
 * with bits 7 and 15 an attribute EPT has no room for (also XPT_E_INVAL). */
static xpt_attr dec_attr_ept(uint16_t x)
{
	static const unsigned mt[8] = { XPT_MT_WB, XPT_MT_UC, XPT_MT_WC, XPT_MT_WT,
	                                XPT_MT_WP, XPT_MT_WB, XPT_MT_WB, 0 };
	static const unsigned reserved[4] = { 2, 3, 7, 7 };
	static const xpt_attr x86_only[4] = { XPT_USER, XPT_GLOBAL, XPT_PKEY(1), XPT_SOFT(0) };
	unsigned i = (x >> 4) & 7;
	xpt_attr a = ((x & 1) ? XPT_WRITE : 0) | ((x & 4) ? XPT_NOEXEC : 0) |
	             XPT_CACHE(i == 7 ? reserved[(x >> 8) & 3] : mt[i]);
	if ((x & 0x8080) == 0x8080)
		a |= (x & 0x4000) ? 1u << 20 : x86_only[(x >> 10) & 3];
	return a;
}

static xpt_attr dec_attr(uint16_t x)
{
	if (ept)
		return dec_attr_ept(x);
	xpt_attr a = (x & 0x7f) | XPT_PKEY(x >> 8) | ((xpt_attr)(x >> 12 & 7) << 12);
	a &= XPT_ATTR_MASK;
	if ((x & 0x8080) == 0x8080)
		a |= 1u << 20; /* unknown attribute bit: XPT_E_INVAL */
	return a;
}

static uint64_t dec_len(uint8_t x)
{
	unsigned v = x >> 2;
	switch (x & 3) {
	case 0:
		return (uint64_t)(v + 1) * K4;
	case 1:
		return (int)v < 32 ? M2 - (uint64_t)(32 - v) * K4 : M2 + (uint64_t)(v - 31) * K4;
	case 2:
		return (uint64_t)((v & 7) + 1) * M2 + ((v >> 3) ? G1 * (v >> 3) : 0);
	default: {
		static const uint64_t sp_len[] = { G1, G1 + M2, 2 * G1, 0x800, 0, 512 * G1, G1 - K4, 3 * M2 };
		return sp_len[v & 7];
	}
	}
}

static unsigned dec_opts(uint8_t x)
{
	unsigned o = x & XPT_OPT_MASK;
	if ((x & 0xf0) == 0xf0)
		o |= 1u << 4; /* unknown option: XPT_E_INVAL */
	return o;
}

static unsigned dec_access(uint8_t x)
{
	unsigned a = (x & 1 ? XPT_ACC_WRITE : 0) | (x & 2 ? XPT_ACC_USER : 0);
	if (x & 4)
		a = (a & XPT_ACC_USER) | XPT_ACC_FETCH;
	else if (x & 8)
		a |= XPT_ACC_IMPLICIT;
	return a;
}

/* ------------------------------------------------------ expected errors */

/* Errors the arguments of a range call alone justify. */
static uint32_t arg_errors(int kind, uint64_t va, uint64_t pa, uint64_t len, xpt_attr attr,
                           unsigned opts)
{
	uint32_t e = 0;
	uint64_t last = va + len - 1;
	xpt_attr known = ept ? XPT_WRITE | XPT_NOEXEC | XPT_CACHE_MASK : XPT_ATTR_MASK;
	unsigned mt = (attr & XPT_CACHE_MASK) >> XPT_CACHE_SHIFT;
	if ((attr & ~known) || (opts & ~XPT_OPT_MASK) || len == 0)
		e |= ERRBIT(XPT_E_INVAL);
	if (ept && kind != 1 && (mt == 2 || mt == 3 || mt == 7)) /* reserved EPT memory types */
		e |= ERRBIT(XPT_E_INVAL);
	if (len && (last < va || !canon(va) || !canon(last) || (va >> 63) != (last >> 63)))
		e |= ERRBIT(bad_addr_err());
	if ((va | len | pa) % K4)
		e |= ERRBIT(XPT_E_ALIGN);
	if (kind == 0 && (pa + len < pa || pa + len > 1ull << maxphy))
		e |= ERRBIT(XPT_E_PHYS);
	if (kind != 1 && (sp.policy & XPT_POLICY_WX) && (attr & XPT_WRITE) && !(attr & XPT_NOEXEC))
		e |= ERRBIT(XPT_E_POLICY);
	return e;
}

/* Tables a change of [va, va+len) may need at most. */
static uint64_t tables_bound(uint64_t len)
{
	return len / M2 + len / G1 + len / (512 * G1) + 2 * (levels - 1);
}

/* Does a leaf stick out of [va, va+len)? */
static bool straddles(uint64_t va, uint64_t len)
{
	uint64_t last = va + len - 1;
	for (unsigned i = 0; i < nleaves[cur]; i++) {
		const struct leaf *l = &leaves[cur][i];
		uint64_t ll = l->va + l->size - 1;
		if (l->va <= last && va <= ll && (l->va < va || ll > last))
			return true;
	}
	return false;
}

static const struct leaf *leaf_at(uint64_t va)
{
	for (unsigned i = 0; i < nleaves[cur]; i++)
		if (va - leaves[cur][i].va < leaves[cur][i].size)
			return &leaves[cur][i];
	return NULL;
}


static void expect(const char *call, int err, uint32_t allowed)
{
	TRACE("  %s -> %s\n", call, xpt_strerror(err));
	CHECK(err >= 0 && err < XPT_E_COUNT && (ERRBIT(err) & allowed),
	      "%s returned %s; allowed set %#x", call, xpt_strerror(err), allowed);
}

/* ----------------------------------------------------- the operations */

static void own(xpt_pfn f, unsigned n, bool big)
{
	struct alloc *a = big ? &B : &A;
	for (unsigned i = 0; i < n; i++)
		a->owned[(f + i) / 64] |= 1ull << ((f + i) % 64);
	if (nowned < MAX_OWNED)
		owned_list[nowned++] = (struct owned){ f, n, big };
}

static void disown(xpt_pfn f, unsigned n, bool big)
{
	struct alloc *a = big ? &B : &A;
	for (unsigned i = 0; i < n; i++)
		a->owned[(f + i) / 64] &= ~(1ull << ((f + i) % 64));
	for (unsigned i = 0; i < nowned; i++)
		if (owned_list[i].big == big && owned_list[i].f >= f && owned_list[i].f < f + n)
			owned_list[i--] = owned_list[--nowned];
}

/* The data-only allocator starts each input from the same state; it is
 * built once and copied, as initialising 1.5 GiB of bitmaps per input
 * would cost more than the rest of the input. */
static void big_init(void)
{
	static struct xpt_frames tmpl_fa;
	static uint64_t *tmpl_meta;
	if (B.ready)
		return;
	if (!tmpl_meta) {
		struct xpt_region r[2] = { { 0, (uint64_t)BIG_FRAMES * K4, XPT_REGION_USABLE },
		                           { G1 + 3 * M2, M2 + K4 * 5, 2 } };
		B.meta_words = xpt_frames_meta_words(BIG_FRAMES);
		b_meta[0] = calloc(B.meta_words, 8);
		b_meta[1] = calloc(B.meta_words, 8);
		tmpl_meta = calloc(B.meta_words, 8);
		b_owned = calloc(BIG_FRAMES / 64, 8);
		CHECK(b_meta[0] && b_meta[1] && tmpl_meta && b_owned, "out of memory (harness)");
		int err = xpt_frames_init(&tmpl_fa, r, 2, b_meta[0], B.meta_words);
		CHECK(err == XPT_OK, "xpt_frames_init (big): %s", xpt_strerror(err));
		memcpy(tmpl_meta, b_meta[0], B.meta_words * 8);
	}
	memcpy(b_meta[0], tmpl_meta, B.meta_words * 8);
	memset(b_owned, 0, BIG_FRAMES / 8);
	B.fa = tmpl_fa;
	B.meta = b_meta[0];
	B.snap_meta = b_meta[1];
	B.owned = b_owned;
	B.nframes = BIG_FRAMES;
	B.ready = true;
}

/* Which frames of an allocator a huge block would hand out: the lowest
 * aligned block whose frames are all free, or none. */
static bool some_block_free(const struct alloc *a, unsigned n)
{
	const uint64_t *w = a->fa.free4k.w + a->fa.free4k.off[0];
	for (uint64_t f = 0; f + n <= a->nframes; f += n) {
		bool all = true;
		for (uint64_t i = f; i < f + n && all; i += 64)
			all = w[i / 64] == UINT64_MAX;
		if (all)
			return true;
	}
	return false;
}

static void op_frames(struct input *in, uint8_t sel)
{
	bool big = sel & 0x10;
	struct alloc *a = big ? &B : &A;
	unsigned what = (sel >> 5) & 7;
	xpt_pfn f = 0;
	int err = XPT_OK;
	if (big)
		big_init();
	snap_alloc(a);
	switch (what) {
	case 0:
	case 1: { /* alloc */
		uint64_t nfree = a->fa.nfree;
		err = xpt_frame_alloc(&a->fa, &f);
		expect("xpt_frame_alloc", err, nfree ? ERRBIT(XPT_OK) : ERRBIT(XPT_E_NOMEM));
		if (err == XPT_OK) {
			CHECK(f < a->nframes && bit(a->snap_meta + (a->fa.free4k.w + a->fa.free4k.off[0] - a->meta), f),
			      "xpt_frame_alloc gave frame %llu that was not free", (unsigned long long)f);
			own(f, 1, big);
		}
		break;
	}
	case 2: { /* alloc_huge */
		unsigned size = big && (u8(in) & 1) ? XPT_1G : XPT_2M, n = 1u << (9 * size);
		bool avail = some_block_free(a, n);
		err = xpt_frame_alloc_huge(&a->fa, (enum xpt_size)size, &f);
		expect("xpt_frame_alloc_huge", err, avail ? ERRBIT(XPT_OK) : ERRBIT(XPT_E_NOMEM));
		if (err == XPT_OK) {
			const uint64_t *was = a->snap_meta + (a->fa.free4k.w + a->fa.free4k.off[0] - a->meta);
			CHECK(f % n == 0 && f + n <= a->nframes, "huge block %llu misplaced",
			      (unsigned long long)f);
			for (unsigned i = 0; i < n; i++)
				CHECK(bit(was, f + i), "huge block %llu: frame %llu was not free",
				      (unsigned long long)f, (unsigned long long)(f + i));
			own(f, n, big);
		}
		break;
	}
	case 3:
	case 4: { /* free: an owned frame, or one that must be refused */
		uint16_t x = u16(in);
		if (nowned && what == 3) {
			unsigned k = x % nowned;
			if (owned_list[k].big != big)
				break;
			f = owned_list[k].f + (x >> 8) % owned_list[k].n;
		} else {
			f = x % (a->nframes + 64);
		}
		bool tab = !big && f < MAX_WINDOW && is_table[f];
		if (tab)
			break; /* freeing a live table is the caller's bug, not the library's */
		uint32_t want = f >= a->nframes ? ERRBIT(XPT_E_RANGE)
		                : !frame_usable(a, f) ? ERRBIT(XPT_E_RESERVED)
		                : frame_free(a, f)    ? ERRBIT(XPT_E_DOUBLE_FREE)
		                                      : ERRBIT(XPT_OK);
		err = xpt_frame_free(&a->fa, f);
		expect("xpt_frame_free", err, want);
		if (err == XPT_OK)
			disown(f, 1, big);
		break;
	}
	case 5: { /* free_huge */
		unsigned size = big && (sel & 1) ? XPT_1G : XPT_2M, n = 1u << (9 * size);
		uint16_t x = u16(in);
		f = nowned && !(x & 1) ? owned_list[(x >> 1) % nowned].f
		                       : (uint64_t)(x >> 1) * (x & 2 ? 512 : 1);
		uint32_t want = 0;
		bool touches_table = false;
		if (f % n)
			want |= ERRBIT(XPT_E_ALIGN);
		if (f >= a->nframes || a->nframes - f < n)
			want |= ERRBIT(XPT_E_RANGE);
		for (uint64_t i = f; i < f + n && i < a->nframes; i++) {
			if (!frame_usable(a, i))
				want |= ERRBIT(XPT_E_RESERVED);
			else if (frame_free(a, i))
				want |= ERRBIT(XPT_E_DOUBLE_FREE);
			else if (!bit(a->owned, i))
				touches_table = true;
		}
		if (touches_table && !(want & (ERRBIT(XPT_E_ALIGN) | ERRBIT(XPT_E_RANGE))))
			break; /* would give back a live table: the caller's bug */
		err = xpt_frame_free_huge(&a->fa, f, (enum xpt_size)size);
		expect("xpt_frame_free_huge", err, want ? want : ERRBIT(XPT_OK));
		if (err == XPT_OK)
			disown(f, n, big);
		break;
	}
	case 7: { /* alloc_colour: a free frame of a given colour */
		uint8_t x = u8(in);
		uint64_t ncol = x & 0x80 ? (uint64_t)(x & 0x7f) : 1ull << (x & 7), colour = (x >> 3) & 15;
		bool valid = ncol != 0 && (ncol & (ncol - 1)) == 0 && colour < ncol, any = false;
		for (uint64_t i = valid ? colour : a->nframes; i < a->nframes && !any; i += ncol)
			any = frame_usable(a, i) && frame_free(a, i);
		err = xpt_frame_alloc_colour(&a->fa, colour, ncol, &f);
		expect("xpt_frame_alloc_colour", err,
		       !valid ? ERRBIT(XPT_E_INVAL) : any ? ERRBIT(XPT_OK) : ERRBIT(XPT_E_NOMEM));
		if (err == XPT_OK) {
			CHECK(f < a->nframes && f % ncol == colour &&
			      bit(a->snap_meta + (a->fa.free4k.w + a->fa.free4k.off[0] - a->meta), f),
			      "xpt_frame_alloc_colour(%llu of %llu) gave frame %llu", ULL(colour), ULL(ncol),
			      ULL(f));
			own(f, 1, big);
		}
		break;
	}
	default: { /* reserve */
		uint16_t x = u16(in), y = u16(in);
		uint64_t base = (uint64_t)(x % (a->nframes + 16)) * K4 + (y & 0x8000 ? 0x123 : 0);
		uint64_t len = (uint64_t)(y & 0x7f) * K4 + (y & 0x80 ? 0x10 : 0);
		if ((y & 0x7f00) == 0x7f00)
			base = ~0ull - K4; /* wraps: XPT_E_MEMMAP */
		uint32_t want = ERRBIT(XPT_OK);
		if (len && (base + len < base || base + len > 1ull << 52)) {
			want = ERRBIT(XPT_E_MEMMAP);
		} else if (len) {
			uint64_t first = base / K4, last = (base + len + K4 - 1) / K4;
			for (uint64_t i = first; i < last && i < a->nframes; i++)
				if (frame_usable(a, i) && !frame_free(a, i))
					want = ERRBIT(XPT_E_BUSY);
		}
		err = xpt_frames_reserve(&a->fa, base, len);
		expect("xpt_frames_reserve", err, want);
		break;
	}
	}
	if (err != XPT_OK)
		CHECK(alloc_same(a), "failed allocator call changed the allocator");
	check_alloc(a, !big);
}

/* Before a mapper call: a snapshot, unless only success is allowed (then a
 * failure is a violation by itself and nothing needs comparing). */
static void before(uint32_t allowed)
{
	if (allowed != ERRBIT(XPT_OK))
		snap_space();
}

/* After it: on failure nothing changed; on success the shadow moves. */
static bool mapper_result(const char *call, int err, uint32_t allowed)
{
	expect(call, err, allowed);
	if (err != XPT_OK)
		check_unchanged(call, err);
	changed = err == XPT_OK;
	return err == XPT_OK;
}

static void op_map(struct input *in, uint8_t sel)
{
	uint64_t va = dec_va(u16(in)), pa = dec_pa(u16(in));
	xpt_attr attr = dec_attr(u16(in));
	unsigned size = (sel >> 4) % 4; /* 3: XPT_E_INVAL */
	uint64_t len = size < 3 ? size_bytes(size) : K4;
	if (sel & 0x40)
		pa &= ~(len - 1);
	uint32_t must = arg_errors(0, va, pa, len, attr, 0);
	if (size > XPT_1G)
		must = ERRBIT(XPT_E_INVAL);
	else if ((va | pa) % len && (ept || canon(va))) /* EPT: no canonical form to check first */
		must |= ERRBIT(XPT_E_ALIGN);
	uint32_t allowed = must;
	if (!must) {
		allowed = shadow_bytes(va, len) ? ERRBIT(XPT_E_EXISTS) | ERRBIT(XPT_E_HUGE)
		                                : ERRBIT(XPT_OK) | (size ? ERRBIT(XPT_E_HUGE) : 0);
		if (A.fa.nfree < levels - 1) /* a table per level below the root */
			allowed |= ERRBIT(XPT_E_NOMEM);
	}
	before(allowed);
	TRACE("op %u: map va %#llx pa %#llx size %u attr %#x\n", g_opno, ULL(va), ULL(pa), size, attr);
	int err = xpt_map(&sp, va, pa, (enum xpt_size)size, attr, &fl);
	if (mapper_result("xpt_map", err, allowed))
		shadow_add(va, len, pa, attr, (int)size, size);
	probe_range(va, len);
}

static void op_map_range(struct input *in)
{
	uint64_t va = dec_va(u16(in)), pa = dec_pa(u16(in)), len = dec_len(u8(in));
	xpt_attr attr = dec_attr(u16(in));
	unsigned opts = dec_opts(u8(in));
	if (len >= G1) { /* keep 4 KiB steps over a whole GiB out of reach */
		opts &= ~(unsigned)XPT_OPT_NO_2M;
		pa &= ~(M2 - 1);
		va &= ~(M2 - 1);
		len = len > 2 * G1 ? 2 * G1 : len;
	}
	uint32_t must = arg_errors(0, va, pa, len, attr, opts), allowed = must;
	if (!must) {
		allowed = shadow_bytes(va, len) ? ERRBIT(XPT_E_EXISTS) | ERRBIT(XPT_E_HUGE)
		                                : ERRBIT(XPT_OK);
		if (A.fa.nfree < tables_bound(len))
			allowed |= ERRBIT(XPT_E_NOMEM);
	}
	before(allowed);
	TRACE("op %u: map_range va %#llx pa %#llx len %#llx attr %#x opts %#x\n", g_opno, ULL(va),
	      ULL(pa), ULL(len), attr, opts);
	int err = xpt_map_range(&sp, va, pa, len, attr, opts, &fl);
	if (mapper_result("xpt_map_range", err, allowed))
		shadow_add(va, len, pa, attr, -1,
		           (opts & XPT_OPT_NO_2M) ? XPT_4K : (opts & XPT_OPT_NO_1G) ? XPT_2M : XPT_1G);
	probe_range(va, len);
}

static void op_unmap_range(struct input *in)
{
	uint64_t va = dec_va(u16(in)), len = dec_len(u8(in));
	unsigned opts = dec_opts(u8(in));
	uint32_t must = arg_errors(1, va, 0, len, 0, opts), allowed = must;
	if (!must) {
		bool cut = straddles(va, len);
		allowed = !cut ? ERRBIT(XPT_OK)
		          : (opts & XPT_OPT_SPLIT) ? ERRBIT(XPT_OK) | (A.fa.nfree < 4 ? ERRBIT(XPT_E_NOMEM) : 0)
		                                   : ERRBIT(XPT_E_HUGE);
	}
	before(allowed);
	TRACE("op %u: unmap_range va %#llx len %#llx opts %#x\n", g_opno, ULL(va), ULL(len), opts);
	int err = xpt_unmap_range(&sp, va, len, opts, &fl);
	if (mapper_result("xpt_unmap_range", err, allowed))
		shadow_remove(va, len);
	probe_range(va, len);
}

static void op_protect_range(struct input *in)
{
	uint64_t va = dec_va(u16(in)), len = dec_len(u8(in));
	xpt_attr attr = dec_attr(u16(in));
	unsigned opts = dec_opts(u8(in));
	uint32_t must = arg_errors(2, va, 0, len, attr, opts), allowed = must;
	if (!must) {
		bool cut = straddles(va, len), hole = shadow_bytes(va, len) != len;
		bool split = opts & XPT_OPT_SPLIT;
		if (hole)
			allowed = ERRBIT(XPT_E_NOT_MAPPED) | (cut && !split ? ERRBIT(XPT_E_HUGE) : 0);
		else if (cut)
			allowed = split ? ERRBIT(XPT_OK) | (A.fa.nfree < 4 ? ERRBIT(XPT_E_NOMEM) : 0)
			                : ERRBIT(XPT_E_HUGE);
		else
			allowed = ERRBIT(XPT_OK);
	}
	before(allowed);
	TRACE("op %u: protect_range va %#llx len %#llx attr %#x opts %#x\n", g_opno, ULL(va),
	      ULL(len), attr, opts);
	int err = xpt_protect_range(&sp, va, len, attr, opts, &fl);
	if (mapper_result("xpt_protect_range", err, allowed))
		shadow_protect(va, len, attr);
	probe_range(va, len);
}

static void op_unmap(struct input *in)
{
	uint64_t va = dec_va(u16(in));
	unsigned opts = dec_opts(u8(in));
	struct xpt_mapping out = { 0 };
	const struct leaf *l = canon(va) ? leaf_at(va) : NULL;
	struct leaf was = l ? *l : (struct leaf){ 0 };
	uint64_t len = 0;
	uint32_t allowed;
	if (!canon(va))
		allowed = ERRBIT(bad_addr_err());
	else if (!l)
		allowed = ERRBIT(XPT_E_NOT_MAPPED);
	else if (va == l->va)
		allowed = (opts & ~XPT_OPT_MASK) ? ERRBIT(XPT_E_INVAL) : ERRBIT(XPT_OK), len = l->size;
	else if (va % K4)
		allowed = ERRBIT(XPT_E_ALIGN);
	else if (!(opts & XPT_OPT_SPLIT))
		allowed = ERRBIT(XPT_E_HUGE);
	else
		allowed = (opts & ~XPT_OPT_MASK) ? ERRBIT(XPT_E_INVAL)
		                                 : ERRBIT(XPT_OK) | (A.fa.nfree < 4 ? ERRBIT(XPT_E_NOMEM) : 0),
		len = K4;
	before(allowed);
	TRACE("op %u: unmap va %#llx opts %#x\n", g_opno, ULL(va), opts);
	int err = xpt_unmap(&sp, va, opts, &out, &fl);
	if (mapper_result("xpt_unmap", err, allowed)) {
		CHECK(out.va == va && size_bytes(out.size) == len &&
		      out.pa == was.pa + (va - was.va) && out.attr == was.attr && out.offset == 0,
		      "xpt_unmap(%#llx) reports va %#llx pa %#llx size %u attr %#x", (unsigned long long)va,
		      (unsigned long long)out.va, (unsigned long long)out.pa, out.size, out.attr);
		shadow_remove(va, len);
	}
	probe_range(va, len ? len : K4);
}

static void op_protect(struct input *in)
{
	uint64_t va = dec_va(u16(in));
	xpt_attr attr = dec_attr(u16(in));
	const struct leaf *l = canon(va) ? leaf_at(va) : NULL;
	uint64_t len = l ? l->size : 0;
	uint32_t allowed;
	if (!canon(va))
		allowed = ERRBIT(bad_addr_err());
	else if (!l)
		allowed = ERRBIT(XPT_E_NOT_MAPPED);
	else if (va != l->va)
		allowed = va % K4 ? ERRBIT(XPT_E_ALIGN) : ERRBIT(XPT_E_HUGE);
	else
		allowed = arg_errors(2, va, 0, len, attr, 0);
	if (!allowed)
		allowed = ERRBIT(XPT_OK);
	before(allowed);
	TRACE("op %u: protect va %#llx attr %#x\n", g_opno, ULL(va), attr);
	int err = xpt_protect(&sp, va, attr, &fl);
	if (mapper_result("xpt_protect", err, allowed))
		shadow_protect(va, len, attr);
	probe_range(va, len ? len : K4);
}

/* A table entry the walk rejects: an address bit at or above MAXPHYADDR,
 * or PS in a PML4E or PML5E (SDM 4.5; an EPT misconfiguration).  Planted
 * for one call whose walk goes through it: the call must fail with
 * XPT_E_RSVD_BITS (or an argument error) and change nothing, and the
 * entry is then restored.  The address is the entry's first.
 * Bytes: u16 table (bits 0..6, in walk order) and first entry index to
 * look at (bits 7..15); u16 attributes; u16 physical address; u8: bits
 * 0..2 which address bit, 3 PS instead, 4..6 the call. */
static void op_poison(struct input *in)
{
	uint16_t which = u16(in), asel = u16(in), psel = u16(in);
	uint8_t how = u8(in);
	if (!sp_live || ntables[cur] == 0)
		return;
	const struct table *t = &tables[cur][(which & 0x7f) % ntables[cur]];
	bool ps = (how & 8) || maxphy == 52;
	if (t->level < 2 || (ps && t->level < 4))
		return;
	uint64_t *e = NULL, va = 0;
	for (unsigned k = 0; k < 512 && !e; k++) {
		unsigned i = ((which >> 7) + k) % 512;
		uint64_t w = win[t->frame * 512 + i];
		if (!present(w) || (w & XPT_PTE_PS))
			continue;
		e = &win[t->frame * 512 + i];
		va = entry_va(t->va, t->level, i);
	}
	if (!e)
		return;
	uint64_t was = *e, bit = ps ? XPT_PTE_PS : 1ull << (maxphy + (how & 7) % (52 - maxphy));
	xpt_attr attr = dec_attr(asel);
	uint64_t pa = dec_pa(psel);
	struct xpt_mapping out;
	unsigned call = (how >> 4) % 7;
	/* arg_errors' kind, or -1: the call walks to the leaf before it looks
	 * at its arguments (xpt_unmap, xpt_protect find the leaf's size). */
	static const int kind[7] = { 0, 0, 1, -1, 2, -1, -1 };
	static const char *const name[7] = { "xpt_map", "xpt_map_range", "xpt_unmap_range",
		                             "xpt_unmap", "xpt_protect_range", "xpt_protect",
		                             "xpt_translate" };
	uint32_t must = 0;
	if (kind[call] >= 0) /* as op_map_range, op_unmap_range, op_protect_range ask */
		must = arg_errors(kind[call], va, kind[call] == 0 ? pa : 0, K4,
		                  kind[call] == 1 ? 0 : attr, kind[call] ? XPT_OPT_SPLIT : 0);
	uint32_t allowed = must ? must : ERRBIT(XPT_E_RSVD_BITS);
	*e = was | bit;
	snap_space();
	TRACE("op %u: poison entry %#llx (level %u, va %#llx) with %#llx, then %s\n", g_opno,
	      ULL(was), t->level, ULL(va), ULL(bit), name[call]);
	int err = XPT_OK;
	switch (call) {
	case 0: err = xpt_map(&sp, va, pa, XPT_4K, attr, &fl); break;
	case 1: err = xpt_map_range(&sp, va, pa, K4, attr, 0, &fl); break;
	case 2: err = xpt_unmap_range(&sp, va, K4, XPT_OPT_SPLIT, &fl); break;
	case 3: err = xpt_unmap(&sp, va, XPT_OPT_SPLIT, &out, &fl); break;
	case 4: err = xpt_protect_range(&sp, va, K4, attr, XPT_OPT_SPLIT, &fl); break;
	case 5: err = xpt_protect(&sp, va, attr, &fl); break;
	case 6: err = xpt_translate(&sp, va, &out); break;
	}
	expect(name[call], err, allowed);
	check_unchanged(name[call], err);
	*e = was;
}

/* Apply the record with invlpg, or (with PCIDs) with INVPCID for the
 * current PCID, which spares global entries unless the record says a
 * global leaf changed. */
static void op_flush_apply(bool by_pcid)
{
#ifdef XPT_CTL_PCIDE
	if (by_pcid && !ept) {
		uint16_t pcid = (tlb.ctl.flags & XPT_CTL_PCIDE) ? tlb.ctl.cr3 & XPT_CR3_PCID_MASK : 0;
		xpt_flush_apply_pcid(&arch, pcid, &fl);
	} else
#endif
		xpt_flush_apply(&arch, &fl);
	(void)by_pcid;
	CHECK(fl.npages == 0 && !fl.all, "xpt_flush_apply left the record non-empty");
	check_tlb(true);
}

/* Give back the lower half's tables; the embedder then reloads CR3. */
static void op_destroy_lower(void)
{
	int err = xpt_space_destroy(&sp, false);
	expect("xpt_space_destroy", err, ERRBIT(XPT_OK));
	shadow_remove(0, lower_half());
	arch.flush_all(arch.ctx);
	xpt_flush_init(&fl);
	nleaves[cur] = ntables[cur] = 0; /* nothing went away without a flush */
	changed = true;
}

/* -------------------------------------------------------------- setup */

static bool setup(struct input *in)
{
	static const uint64_t sizes[] = { 64, 128, 256, 64 };
	static const unsigned phys[] = { 52, 40, 36, 46 };
	uint8_t h0 = u8(in), h1 = u8(in), h2 = u8(in), h3 = u8(in);
	/* h0 bit 7 picks the large window with size 3 only; with another size
	 * it says a format byte follows: bit 1 an EPT space, else bit 0 five
	 * levels, bits 2..4 all set the large window.  No committed input
	 * sets bit 7 there, so each still decodes to a 4-level x86 run. */
	uint8_t f = (h0 & 0x80) && (h0 & 3) != 3 ? u8(in) : 0;
	TRACE("setup: header %02x %02x %02x %02x format %02x\n", h0, h1, h2, h3, f);
	ept = f & 2;
	levels = !ept && (f & 1) ? 5 : 4;
	/* 1 input in 8 gets a window big enough for 2 MiB blocks; copying it
	 * for the snapshots costs most of the time such an input takes. */
	window = (h0 & 0x83) == 0x83 || (f & 0x1c) == 0x1c ? MAX_WINDOW : sizes[h0 & 3];
	maxphy = phys[(h0 >> 4) & 3];
	/* Free frames hold junk that looks like present entries, so a table
	 * that is not zeroed shows. */
	static uint64_t junk[MAX_WINDOW * 512u];
	if (junk[0] == 0)
		for (uint64_t i = 0; i < MAX_WINDOW * 512u; i++)
			junk[i] = 0x27 | ((i * 7 % 64) << 12); /* P|RW|A, frames 0..63 */
	memcpy(win, junk, window * K4);
	struct xpt_region map[6] = { { 0, window * K4, XPT_REGION_USABLE } };
	size_t nmap = 1;
	if ((h0 & 0x44) == 0x44) {
		/* A memory map from the input: overlapping, unsorted, unaligned. */
		nmap = 1 + u8(in) % 6;
		for (size_t i = 0; i < nmap; i++) {
			uint8_t b = u8(in), l = u8(in), t = u8(in);
			map[i].base = (uint64_t)(b % window) * K4 + (t & 2 ? 0x800 : 0);
			map[i].len = (uint64_t)l * K4 / 2 + (t & 4 ? 0x10 : 0);
			map[i].type = t & 1 ? XPT_REGION_USABLE : 2 + (t >> 3);
		}
	} else {
		if (h0 & 4) /* a reserved hole */
			map[nmap++] = (struct xpt_region){ (uint64_t)(h3 % window) * K4,
			                                    (uint64_t)((h3 >> 4) + 1) * K4 * 3, 2 };
		if (h0 & 0x40) /* the window's tail is not RAM */
			map[0].len -= K4 * 8;
	}
	uint64_t span;
	CHECK(xpt_frames_span(map, nmap, &span) == XPT_OK, "xpt_frames_span");
	if (span == 0 || span > window)
		return false; /* no RAM, or RAM the window does not reach */
	A.meta_words = xpt_frames_meta_words(span);
	CHECK(A.meta_words <= sizeof a_meta[0] / 8, "meta too large (harness)");
	A.meta = a_meta[0];
	A.snap_meta = a_meta[1];
	A.owned = a_owned;
	A.nframes = span;
	memset(a_owned, 0, sizeof a_owned);
	int err = xpt_frames_init(&A.fa, map, nmap, A.meta, A.meta_words);
	CHECK(err == XPT_OK, "xpt_frames_init: %s", xpt_strerror(err));
	/* Usable: inside a usable region shrunk to whole frames, and outside
	 * every other region grown to whole frames. */
	for (uint64_t f = 0; f < span; f++) {
		bool in_ram = false, in_rsvd = false;
		for (size_t i = 0; i < nmap; i++) {
			uint64_t lo = map[i].base, hi = map[i].base + map[i].len;
			if (map[i].type == XPT_REGION_USABLE)
				in_ram |= (lo + K4 - 1) / K4 <= f && f < hi / K4;
			else
				in_rsvd |= map[i].len && lo / K4 <= f && f < (hi + K4 - 1) / K4;
		}
		CHECK(frame_usable(&A, f) == (in_ram && !in_rsvd),
		      "frame %llu usable=%d after xpt_frames_init, the memory map says %d", ULL(f),
		      frame_usable(&A, f), in_ram && !in_rsvd);
	}
	check_alloc(&A, false);
	struct xpt_mem mem = { win, window };
	err = ept ? xpt_space_init_ept(&sp, &mem, &A.fa, maxphy)
	          : xpt_space_init_levels(&sp, &mem, &A.fa, maxphy, levels);
	if (err == XPT_E_NOMEM)
		return false;
	CHECK(err == XPT_OK, "xpt_space_init: %s", xpt_strerror(err));
	CHECK(sp.levels == levels && sp.format == (ept ? XPT_FMT_EPT : XPT_FMT_X86),
	      "space of %u levels, format %u", sp.levels, sp.format);
	sp_live = true;
	sp.policy = (h0 & 8) ? XPT_POLICY_WX : 0;
	if (ept) {
		gtlb_flush_all(NULL);
		gtlb_next = 0;
		arch = (struct xpt_arch){ gtlb_invlpg, gtlb_flush_all, gtlb_load, NULL, NULL };
	} else {
		struct xpt_ctl ctl = xpt_space_ctl(
		    &sp, (h1 & XPT_CTL_MASK) ^ (XPT_CTL_NXE | XPT_CTL_GBPAGES), h2 * 0x01010101u);
		xpt_tlb_init(&tlb, &sp.mem, &ctl);
		arch = xpt_tlb_arch(&tlb);
	}
	xpt_flush_init(&fl);
	return true;
}

static void reset(void)
{
	g_opno = 0;
	next = 0;
	nowned = 0;
	stop = false;
	sp_live = false;
	cur = 0;
	nleaves[0] = nleaves[1] = ntables[0] = ntables[1] = 0;
	B.ready = false;
}

/* Tear down: every table goes back, then every owned frame; nothing leaks. */
static void teardown(void)
{
	int err = xpt_space_destroy(&sp, true);
	expect("xpt_space_destroy(whole)", err, ERRBIT(XPT_OK));
	sp_live = false;
	memset(is_table, 0, sizeof is_table);
	check_alloc(&A, false);
	for (unsigned i = 0; i < A.nframes; i++)
		if (bit(A.owned, i)) {
			err = xpt_frame_free(&A.fa, i);
			expect("xpt_frame_free(teardown)", err, ERRBIT(XPT_OK));
		}
	memset(a_owned, 0, sizeof a_owned);
	CHECK(A.fa.nfree == A.fa.nusable, "after teardown %llu of %llu frames free",
	      (unsigned long long)A.fa.nfree, (unsigned long long)A.fa.nusable);
	check_alloc(&A, false);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	if (trace < 0)
		trace = getenv("OPS_TRACE") != NULL;
	reset();
	if (!setup(&in))
		return 0;
	walk_tree();
	while (in.n > 0 && g_opno < MAX_OPS && !stop) {
		uint8_t op = u8(&in);
		g_opno++;
		changed = false;
		switch (op & 15) {
		case 0: case 1: op_frames(&in, op); break;
		case 2: op_map(&in, op); break;
		case 3: case 4: op_map_range(&in); break;
		case 5: op_unmap(&in); break;
		case 6: case 7: op_unmap_range(&in); break;
		case 8: op_protect(&in); break;
		case 9: op_protect_range(&in); break;
		case 10: probe(dec_va(u16(&in))); break;
		case 11: op_flush_apply(op & 0x10); break;
		case 12: case 13: tlb_access(dec_va(u16(&in)) | (u8(&in) & 0x7f) << 3, dec_access(op >> 4)); break;
		case 14:
			if ((op >> 4) == 15)
				op_poison(&in);
			else
				arch.load_cr3(arch.ctx, xpt_space_cr3(&sp));
			break;
		default:
			if ((op >> 4) == 15)
				op_destroy_lower();
			else
				probe(dec_va(u16(&in)) + (op >> 4) * K4);
			break;
		}
		if (stop)
			break;
		/* A failed call was shown to change nothing, and the other
		 * operations leave the tables alone (but for A/D bits): only a
		 * successful mutation needs the tables walked again. */
		if (changed) {
			cur ^= 1; /* the walk just used becomes "before" */
			walk_tree();
			if (stop)
				break;
			check_leaves_vs_shadow();
			check_flush_covers_changes();
			check_tlb(false);
		}
		check_flush_record();
	}
	if (!stop)
		teardown();
	return 0;
}

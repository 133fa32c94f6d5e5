/*
 * xpt: x86-64 paging reference — frame allocation, page mapping, address
 * translation and TLB invalidation.
 *
 * Freestanding C11: the library needs only <stdint.h>, <stddef.h> and
 * <stdbool.h>, keeps no globals and never allocates.  Everything it touches
 * is handed to it by the embedder:
 *
 *   - struct xpt_mem: the physical-memory window.  Physical frame f is the
 *     512 words at words[f * 512]; frames are always named by number, never
 *     by pointers kept in state.
 *   - struct xpt_frames: the frame allocator, whose bitmaps live in a word
 *     array the embedder supplies (xpt_frames_meta_words() says how large).
 *   - struct xpt_arch: the hooks that invalidate TLB entries and load CR3.
 *
 * Every mutating call either succeeds wholly or returns an error and leaves
 * page tables, allocator and flush record exactly as they were.
 */
#ifndef XPT_H
#define XPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XPT_VERSION_MAJOR 0
#define XPT_VERSION_MINOR 1
#define XPT_VERSION_PATCH 0

/* ---------------------------------------------------------------- errors */

enum xpt_err {
	XPT_OK = 0,
	XPT_E_INVAL,        /* argument out of its domain (unknown flag, bad size) */
	XPT_E_NONCANONICAL, /* virtual address is not canonical */
	XPT_E_ALIGN,        /* address or length not aligned to the page size */
	XPT_E_PHYS,         /* physical address beyond MAXPHYADDR */
	XPT_E_EXISTS,       /* a page in the range is already mapped */
	XPT_E_HUGE,         /* a huge page covers only part of the request */
	XPT_E_NOT_MAPPED,   /* no mapping where one is required */
	XPT_E_NOMEM,        /* not enough free frames; nothing was changed */
	XPT_E_RANGE,        /* frame number outside the allocator's range */
	XPT_E_DOUBLE_FREE,  /* frame is already free */
	XPT_E_RESERVED,     /* frame is not usable RAM */
	XPT_E_BUSY,         /* frame to reserve is in use */
	XPT_E_MEMMAP,       /* malformed boot memory map */
	XPT_E_WINDOW,       /* a table entry points outside the memory window */
	XPT_E_RSVD_BITS,    /* a table entry on the walk has reserved bits set */
	XPT_E_POLICY,       /* the space's policy forbids the request (W^X) */
	XPT_E_COUNT
};

/* A short, stable description of an error code ("XPT_E_NOMEM: ..."). */
/*@ assigns \nothing;
    ensures \result != \null;
*/
const char *xpt_strerror(int err);

/* ------------------------------------------------------------ constants */

#define XPT_PAGE_SHIFT   12u
#define XPT_PAGE_SIZE    4096u
#define XPT_ENTRIES      512u  /* entries per table */
#define XPT_LEVELS       4u    /* PML4, PDPT, PD, PT: 4-level paging, the default */
#define XPT_MAX_LEVELS   5u    /* PML5 above them under CR4.LA57 */
#define XPT_VA_BITS      48u
#define XPT_VA_BITS_LA57 57u
#define XPT_MAXPHYADDR   52u   /* architectural limit and default */

typedef uint64_t xpt_pfn; /* physical frame number: physical address >> 12 */

/* Leaf sizes, named by the level of the table that holds the leaf minus one. */
enum xpt_size { XPT_4K = 0, XPT_2M = 1, XPT_1G = 2 };

/*@ requires XPT_4K <= s <= XPT_1G;
    assigns \nothing;
    ensures \result == pg_size(s + 1);
    ensures \result == 4096 || \result == 2097152 || \result == 1073741824;
*/
static inline uint64_t xpt_size_bytes(enum xpt_size s)
{
	return (uint64_t)1 << (XPT_PAGE_SHIFT + 9u * (unsigned)s);
}

/* Bits of a paging-structure entry (Intel SDM Vol. 3A, 4.5, tables 4-14..4-20). */
#define XPT_PTE_P        (1ull << 0)
#define XPT_PTE_RW       (1ull << 1)
#define XPT_PTE_US       (1ull << 2)
#define XPT_PTE_PWT      (1ull << 3)
#define XPT_PTE_PCD      (1ull << 4)
#define XPT_PTE_A        (1ull << 5)
#define XPT_PTE_D        (1ull << 6)
#define XPT_PTE_PS       (1ull << 7)  /* in PDPTE and PDE: this entry is a leaf */
#define XPT_PTE_PAT_4K   (1ull << 7)  /* in a PTE the same bit selects PAT */
#define XPT_PTE_G        (1ull << 8)
#define XPT_PTE_SOFT_SHIFT 9u         /* bits 9..11: ignored, free for software */
#define XPT_PTE_PAT_HUGE (1ull << 12) /* PAT in 2 MiB / 1 GiB leaves: not an address bit */
#define XPT_PTE_PK_SHIFT 59u          /* protection key, bits 59..62 of leaves */
#define XPT_PTE_PK_MASK  (0xfull << XPT_PTE_PK_SHIFT)
#define XPT_PTE_NX       (1ull << 63)

/* ---------------------------------------------------------- attributes */

/*
 * What a mapping allows, independent of the entry layout.  The mapper
 * encodes these into leaf entries (moving PAT to bit 7 or 12 by level);
 * tables above a leaf are always present, writable and user, so the leaf
 * alone decides the permissions of the mappings xpt makes.
 */
typedef uint32_t xpt_attr;
#define XPT_WRITE        (1u << 0)
#define XPT_USER         (1u << 1)
#define XPT_NOEXEC       (1u << 2)
#define XPT_GLOBAL       (1u << 3)
#define XPT_CACHE_SHIFT  4u            /* PAT index 0..7: PWT | PCD << 1 | PAT << 2 */
#define XPT_CACHE_MASK   (7u << XPT_CACHE_SHIFT)
#define XPT_CACHE(i)     (((xpt_attr)(i) & 7u) << XPT_CACHE_SHIFT)
#define XPT_PKEY_SHIFT   8u            /* protection key 0..15 */
#define XPT_PKEY_MASK    (15u << XPT_PKEY_SHIFT)
#define XPT_PKEY(k)      (((xpt_attr)(k) & 15u) << XPT_PKEY_SHIFT)
#define XPT_SOFT_SHIFT   12u           /* entry bits 9..11, ignored by the MMU */
#define XPT_SOFT_MASK    (7u << XPT_SOFT_SHIFT)
#define XPT_SOFT(i)      ((xpt_attr)1 << (XPT_SOFT_SHIFT + (i))) /* i = 0..2 */
#define XPT_ATTR_MASK    (XPT_WRITE | XPT_USER | XPT_NOEXEC | XPT_GLOBAL | \
                          XPT_CACHE_MASK | XPT_PKEY_MASK | XPT_SOFT_MASK)

/* -------------------------------------------------- physical memory window */

struct xpt_mem {
	uint64_t *words;  /* physical address 0, as 8-byte words */
	uint64_t nframes; /* frames [0, nframes) are reachable */
};

/* ------------------------------------------------------- frame allocator */

/* One region of a boot memory map (Multiboot / E820 style). */
struct xpt_region {
	uint64_t base;
	uint64_t len;
	uint32_t type;
};
#define XPT_REGION_USABLE 1u /* every other type is reserved */

/*
 * A bitmap with a fixed tower of summary levels: bit i of level k+1 is set
 * iff word i of level k is non-zero.  The depth is fixed, so finding a set
 * bit costs XPT_BITMAP_LEVELS word reads whatever the memory size.
 */
#define XPT_BITMAP_LEVELS 6u /* up to 64^6 bits: 2^36 frames, 256 TiB */
struct xpt_bitmap {
	uint64_t *w;                        /* all levels, level 0 first */
	uint64_t nbits;
	uint64_t off[XPT_BITMAP_LEVELS];    /* first word of each level in w */
};

/*
 * Frame allocator.  Invariants:
 *   - a frame is usable iff its bit in `usable` is set; only usable frames
 *     are ever free or handed out;
 *   - bit f of free4k is set iff frame f is usable and free;
 *     free2m / free1g bit b is set iff all 512 / 262144 frames of block b are;
 *   - nfree is the number of set bits of free4k, nusable of `usable`.
 */
struct xpt_frames {
	uint64_t nframes;      /* frames [0, nframes) are covered */
	uint64_t nusable;
	uint64_t nfree;
	uint64_t *usable;      /* one bit per frame */
	struct xpt_bitmap free4k, free2m, free1g;
};
#ifdef __FRAMAC__
#include "../../spec/frames.h" /* the allocator's state in logic, for the contracts below */
#endif

/* Frames covered by a memory map: one past the last usable frame.
 * XPT_E_MEMMAP if a region wraps around or ends beyond 2^52. */
int xpt_frames_span(const struct xpt_region *map, size_t nregions, uint64_t *nframes);
/* Words of metadata needed to track nframes frames. */
uint64_t xpt_frames_meta_words(uint64_t nframes);
/* Usable regions minus reserved ones, each aligned inward to whole frames;
 * overlapping, unsorted and empty regions are fine.  meta must hold
 * xpt_frames_meta_words(span) words; its contents are overwritten. */
int xpt_frames_init(struct xpt_frames *fa, const struct xpt_region *map, size_t nregions,
                    uint64_t *meta, uint64_t meta_words);
/* Take [base, base+len) out of use for good (kernel image, metadata).
 * XPT_E_BUSY if a usable frame in it is allocated; then nothing changes. */
/*@ requires xpt_frames_ok(fa);
    assigns fa->nusable, fa->usable[0 .. fr_usable_words(fa->nframes) - 1], XPT_FRAMES_WRITES(fa);
    ensures xpt_frames_ok(fa);
    behavior empty:
      assumes len == 0;
      assigns \nothing;
      ensures \result == XPT_OK;
    behavior memmap:
      assumes len != 0 && base + len > 0x10000000000000;
      assigns \nothing;
      ensures \result == XPT_E_MEMMAP;
    behavior busy:
      assumes len != 0 && base + len <= 0x10000000000000;
      assumes \exists integer g; fr_rsv_first(base) <= g < fr_rsv_last(fa, base, len) &&
        fr_usable(fa, g) && !fr_free(fa, g);
      assigns \nothing;
      ensures \result == XPT_E_BUSY;
    behavior reserved:
      assumes len != 0 && base + len <= 0x10000000000000;
      assumes \forall integer g; fr_rsv_first(base) <= g < fr_rsv_last(fa, base, len) ==>
        fr_usable(fa, g) ==> fr_free(fa, g);
      ensures \result == XPT_OK;
      ensures out: \forall integer g; fr_rsv_first(base) <= g < fr_rsv_last{Pre}(fa, base, len) ==>
        !fr_usable(fa, g) && !fr_free(fa, g);
      ensures usable: \forall integer g; !(fr_rsv_first(base) <= g < fr_rsv_last{Pre}(fa, base, len)) ==>
        (fr_usable(fa, g) <==> fr_usable{Pre}(fa, g));
      ensures free: \forall integer g; !(fr_rsv_first(base) <= g < fr_rsv_last{Pre}(fa, base, len)) ==>
        (fr_free(fa, g) <==> fr_free{Pre}(fa, g));
      ensures nusable: fa->nusable == (uint64_t)(\old(fa->nusable) - fr_rsv_usable{Pre}(fa, base, len));
    complete behaviors;
    disjoint behaviors;
*/
int xpt_frames_reserve(struct xpt_frames *fa, uint64_t base, uint64_t len);
/* The lowest free frame.  It was free and is now used, and nothing else
 * changes: so no frame is handed out twice until it is freed. */
/*@ requires xpt_frames_ok(fa);
    requires \valid(out) && \separated(out, XPT_FRAMES_META(fa));
    assigns *out, XPT_FRAMES_WRITES(fa);
    ensures xpt_frames_ok(fa);
    behavior ok:
      assumes \exists integer f; fr_free(fa, f);
      ensures \result == XPT_OK;
      ensures was_free: fr_free{Pre}(fa, *out);
      ensures lowest: \forall integer g; 0 <= g < *out ==> !fr_free{Pre}(fa, g);
      ensures used: !fr_free(fa, *out);
      ensures others: \forall integer g; g != *out ==> (fr_free(fa, g) <==> fr_free{Pre}(fa, g));
      ensures count: fa->nfree == \old(fa->nfree) - 1;
    behavior nomem:
      assumes \forall integer f; !fr_free(fa, f);
      assigns \nothing;
      ensures \result == XPT_E_NOMEM;
    complete behaviors;
    disjoint behaviors;
*/
int xpt_frame_alloc(struct xpt_frames *fa, xpt_pfn *out);
/* A naturally aligned run of 512 (XPT_2M) or 262144 (XPT_1G) frames. */
/*@ requires xpt_frames_ok(fa);
    requires \valid(out) && \separated(out, XPT_FRAMES_META(fa));
    assigns *out, XPT_FRAMES_WRITES(fa);
    ensures xpt_frames_ok(fa);
    behavior inval:
      assumes size != XPT_2M && size != XPT_1G;
      assigns \nothing;
      ensures \result == XPT_E_INVAL;
    behavior run:
      assumes size == XPT_2M || size == XPT_1G;
      ensures \result == XPT_OK || \result == XPT_E_NOMEM;
      ensures aligned: \result == XPT_OK ==> *out % fr_run_frames(size) == 0;
      ensures was_free: \result == XPT_OK ==> \forall integer g; *out <= g < *out + fr_run_frames(size) ==>
        fr_free{Pre}(fa, g);
      ensures used: \result == XPT_OK ==> \forall integer g; *out <= g < *out + fr_run_frames(size) ==>
        !fr_free(fa, g);
      ensures others: \result == XPT_OK ==> \forall integer g; !(*out <= g < *out + fr_run_frames(size)) ==>
        (fr_free(fa, g) <==> fr_free{Pre}(fa, g));
      ensures count: \result == XPT_OK ==> fa->nfree == \old(fa->nfree) - fr_run_frames(size);
      ensures nomem: \result == XPT_E_NOMEM ==> *out == \old(*out) && fa->nfree == \old(fa->nfree) &&
        \forall integer g; fr_free(fa, g) <==> fr_free{Pre}(fa, g);
    complete behaviors;
    disjoint behaviors;
*/
int xpt_frame_alloc_huge(struct xpt_frames *fa, enum xpt_size size, xpt_pfn *out);
/* Give frame f back: XPT_E_RANGE, XPT_E_RESERVED or XPT_E_DOUBLE_FREE,
 * changing nothing, when it is not a usable frame in use. */
/*@ requires xpt_frames_ok(fa);
    assigns XPT_FRAMES_WRITES(fa);
    ensures xpt_frames_ok(fa);
    behavior range:
      assumes f >= fa->nframes;
      assigns \nothing;
      ensures \result == XPT_E_RANGE;
    behavior reserved:
      assumes f < fa->nframes && !fr_usable(fa, f);
      assigns \nothing;
      ensures \result == XPT_E_RESERVED;
    behavior double_free:
      assumes fr_usable(fa, f) && fr_free(fa, f);
      assigns \nothing;
      ensures \result == XPT_E_DOUBLE_FREE;
    behavior ok:
      assumes fr_usable(fa, f) && !fr_free(fa, f);
      ensures \result == XPT_OK;
      ensures freed: fr_free(fa, f);
      ensures others: \forall integer g; g != f ==> (fr_free(fa, g) <==> fr_free{Pre}(fa, g));
      ensures count: fa->nfree == \old(fa->nfree) + 1;
    complete behaviors;
    disjoint behaviors;
*/
int xpt_frame_free(struct xpt_frames *fa, xpt_pfn f);
/* Give back a run xpt_frame_alloc_huge handed out: XPT_E_INVAL (size),
 * XPT_E_ALIGN, XPT_E_RANGE, XPT_E_RESERVED (a frame not usable) or
 * XPT_E_DOUBLE_FREE (a frame already free), changing nothing. */
/*@ requires xpt_frames_ok(fa);
    assigns XPT_FRAMES_WRITES(fa);
    ensures xpt_frames_ok(fa);
    behavior inval:
      assumes size != XPT_2M && size != XPT_1G;
      assigns \nothing;
      ensures \result == XPT_E_INVAL;
    behavior align:
      assumes size == XPT_2M || size == XPT_1G;
      assumes f % fr_run_frames(size) != 0;
      assigns \nothing;
      ensures \result == XPT_E_ALIGN;
    behavior range:
      assumes size == XPT_2M || size == XPT_1G;
      assumes f % fr_run_frames(size) == 0 && f + fr_run_frames(size) > fa->nframes;
      assigns \nothing;
      ensures \result == XPT_E_RANGE;
    behavior run:
      assumes size == XPT_2M || size == XPT_1G;
      assumes f % fr_run_frames(size) == 0 && f + fr_run_frames(size) <= fa->nframes;
      ensures \result == XPT_OK || \result == XPT_E_RESERVED || \result == XPT_E_DOUBLE_FREE;
      ensures was_used: \result == XPT_OK ==> \forall integer g; f <= g < f + fr_run_frames(size) ==>
        fr_usable(fa, g) && !fr_free{Pre}(fa, g);
      ensures freed: \result == XPT_OK ==> \forall integer g; f <= g < f + fr_run_frames(size) ==> fr_free(fa, g);
      ensures others: \result == XPT_OK ==> \forall integer g; !(f <= g < f + fr_run_frames(size)) ==>
        (fr_free(fa, g) <==> fr_free{Pre}(fa, g));
      ensures count: \result == XPT_OK ==> fa->nfree == \old(fa->nfree) + fr_run_frames(size);
      ensures refused: \result != XPT_OK ==> fa->nfree == \old(fa->nfree) &&
        \forall integer g; fr_free(fa, g) <==> fr_free{Pre}(fa, g);
    complete behaviors;
    disjoint behaviors;
*/
int xpt_frame_free_huge(struct xpt_frames *fa, xpt_pfn f, enum xpt_size size);
bool xpt_frame_is_free(const struct xpt_frames *fa, xpt_pfn f);

/*
 * Cache colouring: frames whose addresses fall in the same sets of a
 * physically indexed cache share a colour, f % ncolours.  With
 * xpt_colours(cache_bytes, ways) colours, giving a task frames of one
 * colour confines it to 1/ncolours of the cache.
 */
/*@ assigns \nothing;
    ensures \result >= 1;
*/
static inline uint64_t xpt_colours(uint64_t cache_bytes, unsigned ways)
{
	uint64_t n = ways ? cache_bytes / ways / XPT_PAGE_SIZE : 0;
	return n ? n : 1;
}
/* A free frame with f % ncolours == colour; ncolours a power of two.
 * Costs up to nfree/ncolours word reads when that colour is scarce. */
/*@ requires xpt_frames_ok(fa);
    requires \valid(out) && \separated(out, XPT_FRAMES_META(fa));
    assigns *out, XPT_FRAMES_WRITES(fa);
    ensures xpt_frames_ok(fa);
    behavior inval:
      assumes ncolours == 0 || (ncolours & (uint64_t)(ncolours - 1)) != 0 || colour >= ncolours;
      assigns \nothing;
      ensures \result == XPT_E_INVAL;
    behavior colour:
      assumes ncolours != 0 && (ncolours & (uint64_t)(ncolours - 1)) == 0 && colour < ncolours;
      ensures \result == XPT_OK || \result == XPT_E_NOMEM;
      ensures was_free: \result == XPT_OK ==> fr_free{Pre}(fa, *out) && *out % ncolours == colour;
      ensures used: \result == XPT_OK ==> !fr_free(fa, *out);
      ensures others: \result == XPT_OK ==>
        \forall integer g; g != *out ==> (fr_free(fa, g) <==> fr_free{Pre}(fa, g));
      ensures count: \result == XPT_OK ==> fa->nfree == \old(fa->nfree) - 1;
      ensures nomem: \result == XPT_E_NOMEM ==> *out == \old(*out) && fa->nfree == \old(fa->nfree) &&
        \forall integer g; fr_free(fa, g) <==> fr_free{Pre}(fa, g);
    complete behaviors;
    disjoint behaviors;
*/
int xpt_frame_alloc_colour(struct xpt_frames *fa, uint64_t colour, uint64_t ncolours,
                           xpt_pfn *out);

/* ------------------------------------------------------------ invalidation */

/*
 * What a mutation requires the TLB to forget: a list of pages, or
 * everything once the list overflows.  Mutations append; the caller applies
 * the record once, after a batch of changes.
 */
#define XPT_FLUSH_PAGES 32u
struct xpt_flush {
	uint32_t npages;
	bool all;
	bool global;       /* a changed leaf was global: flush past CR3 reloads */
	uint64_t va[XPT_FLUSH_PAGES];
};

/* Hooks the embedder supplies.  A kernel points them at invlpg and a CR3
 * write; the host points them at the software TLB below. */
struct xpt_arch {
	void (*invlpg)(void *ctx, uint64_t va);    /* this page, global or not */
	void (*flush_all)(void *ctx);              /* everything, global entries too */
	void (*load_cr3)(void *ctx, uint64_t cr3);
	/* INVPCID (enum xpt_invpcid); NULL without PCID support. */
	void (*invpcid)(void *ctx, unsigned type, uint16_t pcid, uint64_t va);
	void *ctx;
};

/* INVPCID types (SDM Vol. 2A, INVPCID). */
enum xpt_invpcid {
	XPT_INVPCID_ADDR = 0,       /* one address of one PCID, not global entries */
	XPT_INVPCID_CONTEXT = 1,    /* one PCID, not global entries */
	XPT_INVPCID_ALL_GLOBAL = 2, /* every PCID, global entries too */
	XPT_INVPCID_ALL = 3,        /* every PCID, not global entries */
};
#define XPT_CR3_PCID_MASK 0xfffull    /* CR3 bits 0..11 with CR4.PCIDE */
#define XPT_CR3_NOFLUSH   (1ull << 63) /* MOV to CR3 keeps the PCID's entries */

/*@ // The record names at most XPT_FLUSH_PAGES pages.
    predicate xpt_flush_ok{L}(struct xpt_flush *fl) = fl->npages <= XPT_FLUSH_PAGES;
    // Applying the record makes the TLB forget `page` (a page base).
    predicate xpt_flush_covers{L}(struct xpt_flush *fl, integer page) =
      fl->all || \exists integer i; 0 <= i < fl->npages && fl->va[i] == page;
*/

/* An empty record: it covers no page. */
/*@ requires \valid(fl);
    assigns fl->npages, fl->all, fl->global;
    ensures empty: fl->npages == 0 && !fl->all && !fl->global;
    ensures ok: xpt_flush_ok(fl);
*/
void xpt_flush_init(struct xpt_flush *fl);
/* Add the page of va: afterwards the record covers it and every page it
 * covered before.  A NULL record records nothing. */
/*@ requires fl == \null || (\valid(fl) && xpt_flush_ok(fl));
    assigns fl->npages, fl->all, fl->va[0 .. XPT_FLUSH_PAGES - 1];
    ensures ok: fl != \null ==> xpt_flush_ok(fl);
    ensures covers: fl != \null ==> xpt_flush_covers(fl, va & 0xfffffffffffff000);
    ensures keeps: fl != \null ==> \forall integer page;
      \old(xpt_flush_covers(fl, page)) ==> xpt_flush_covers(fl, page);
    ensures global: fl != \null ==> fl->global == \old(fl->global);
*/
void xpt_flush_add(struct xpt_flush *fl, uint64_t va);
/* Applying a record: xpt_flush_apply and xpt_flush_apply_pcid, declared
 * with the TLB model below, whose hooks their contracts are stated for. */

/* ---------------------------------------------------------------- walking */

/* Control state that shapes a walk (SDM 4.1.3, 4.6). */
#define XPT_CTL_WP      (1u << 0) /* CR0.WP */
#define XPT_CTL_SMEP    (1u << 1) /* CR4.SMEP */
#define XPT_CTL_SMAP    (1u << 2) /* CR4.SMAP */
#define XPT_CTL_PKE     (1u << 3) /* CR4.PKE */
#define XPT_CTL_NXE     (1u << 4) /* IA32_EFER.NXE */
#define XPT_CTL_AC      (1u << 5) /* RFLAGS.AC */
#define XPT_CTL_GBPAGES (1u << 6) /* CPUID.80000001H:EDX.Page1GB */
#define XPT_CTL_PGE     (1u << 7) /* CR4.PGE: G leaves survive CR3 loads (TLB only) */
#define XPT_CTL_PCIDE   (1u << 8) /* CR4.PCIDE: CR3 bits 0..11 tag entries (TLB only) */
#define XPT_CTL_LA57    (1u << 9) /* CR4.LA57: 5-level paging, 57-bit addresses */
#define XPT_CTL_MASK    0x3ffu

struct xpt_ctl {
	uint64_t cr3;       /* physical address of the PML4 in bits 12..M-1 */
	uint32_t flags;     /* XPT_CTL_* */
	uint32_t pkru;
	uint8_t maxphyaddr; /* M: 36..52 */
};

/* An access, in the bit positions of the #PF error code where they match. */
#define XPT_ACC_READ     0u
#define XPT_ACC_WRITE    (1u << 1) /* = PF W */
#define XPT_ACC_USER     (1u << 2) /* CPL 3; = PF U unless the access is implicit */
#define XPT_ACC_FETCH    (1u << 4) /* instruction fetch; = PF I/D when it counts */
#define XPT_ACC_IMPLICIT (1u << 8) /* implicit supervisor access (GDT, TSS...) */
#define XPT_ACC_MASK     (XPT_ACC_WRITE | XPT_ACC_USER | XPT_ACC_FETCH | XPT_ACC_IMPLICIT)

/* #PF error code bits (SDM 4.7). */
#define XPT_PF_P    (1u << 0)
#define XPT_PF_W    (1u << 1)
#define XPT_PF_U    (1u << 2)
#define XPT_PF_RSVD (1u << 3)
#define XPT_PF_ID   (1u << 4)
#define XPT_PF_PK   (1u << 5)

enum xpt_fault { XPT_FAULT_NONE = 0, XPT_FAULT_PF = 14, XPT_FAULT_GP = 13 };

/* The outcome of one access, as the MMU computes it. */
struct xpt_walk {
	uint8_t fault;            /* enum xpt_fault */
	uint8_t levels;           /* entries read, 0..5; entry[0] is the top level's */
	uint8_t leaf;             /* enum xpt_size of the leaf, when it was reached */
	uint8_t pkey;
	uint32_t error_code;      /* #PF error code */
	uint64_t entry[XPT_MAX_LEVELS];
	uint64_t entry_pa[XPT_MAX_LEVELS];
	uint64_t pa;              /* translated physical address */
	xpt_attr eff;             /* XPT_WRITE/USER/NOEXEC combined over all levels */
	uint8_t set_a;            /* bit i: the access sets A in entry[i] */
	bool set_d;               /* the access sets D in the leaf */
};

/*@
  // Slot k of a walk result holds the entry the model's walk reads k levels
  // below the root, and its physical address (w read at W, tables at H).
  predicate xpt_walk_entry{W, H}(struct xpt_walk *w, uint64_t *m, integer cr3, integer fl,
                                 integer M, integer va, integer k) =
    \at(w->entry[k], W) == pg_entry{H}(m, cr3, fl, M, va, pg_top(fl) - k) &&
    \at(w->entry_pa[k], W) ==
      pg_table{H}(m, cr3, fl, M, va, pg_top(fl) - k) * 4096 + 8 * pg_idx(va, pg_top(fl) - k);
  // Slots 0 .. n-1 do.  Written out level by level rather than quantified:
  // one more level is then one more conjunct, with no instance to find.
  predicate xpt_walk_entries{W, H}(struct xpt_walk *w, uint64_t *m, integer cr3, integer fl,
                                   integer M, integer va, integer n) =
    (n <= 0 || xpt_walk_entry{W, H}(w, m, cr3, fl, M, va, 0)) &&
    (n <= 1 || xpt_walk_entry{W, H}(w, m, cr3, fl, M, va, 1)) &&
    (n <= 2 || xpt_walk_entry{W, H}(w, m, cr3, fl, M, va, 2)) &&
    (n <= 3 || xpt_walk_entry{W, H}(w, m, cr3, fl, M, va, 3)) &&
    (n <= 4 || xpt_walk_entry{W, H}(w, m, cr3, fl, M, va, 4));
  // Filling slot n, the others kept, extends the first n slots to n + 1.
  lemma xpt_walk_entries_extend{W1, W2, H}:
    \forall struct xpt_walk *w, uint64_t *m, integer cr3, integer fl, integer M, integer va,
            integer n;
    0 <= n < 5 ==> xpt_walk_entries{W1, H}(w, m, cr3, fl, M, va, n) ==>
    (\forall integer k; 0 <= k < n ==>
       \at(w->entry[k], W2) == \at(w->entry[k], W1) &&
       \at(w->entry_pa[k], W2) == \at(w->entry_pa[k], W1)) ==>
    xpt_walk_entry{W2, H}(w, m, cr3, fl, M, va, n) ==>
    xpt_walk_entries{W2, H}(w, m, cr3, fl, M, va, n + 1);
*/

/*
 * The architectural walk: canonical check, four levels with reserved-bit
 * checks, then the access-rights checks of SDM 4.6 and the error code of
 * 4.7.  Pure: reads the window and reports A/D updates without making them.
 * Returns XPT_OK (with the outcome in *w) or XPT_E_WINDOW when the walk
 * would read outside the window.
 */
/*@ requires \valid_read(mem) && \valid_read(ctl) && \valid(w);
    requires 12 < ctl->maxphyaddr <= 52;
    requires mem->nframes <= 0x10000000000;
    requires \valid_read(mem->words + (0 .. mem->nframes * 512 - 1));
    requires \separated(w, mem, ctl, mem->words + (0 .. mem->nframes * 512 - 1));
    assigns *w;
    ensures \result == XPT_OK || \result == XPT_E_WINDOW;
    ensures window: \result == XPT_E_WINDOW <==>
      pg_window{Old}(XPT_PGW_OLD(mem, ctl), \old(mem->nframes), va);
    ensures fault: \result == XPT_OK ==>
      w->fault == pg_fault{Old}(XPT_PGW_OLD(mem, ctl), \old(ctl->pkru), va, access);
    ensures levels: \result == XPT_OK && pg_canonical(\old(ctl->flags), va) ==>
      w->levels == pg_top(\old(ctl->flags)) - pg_level{Old}(XPT_PGW_OLD(mem, ctl), va) + 1;
    ensures gp_levels: \result == XPT_OK && !pg_canonical(\old(ctl->flags), va) ==>
      w->levels == 0;
    ensures entries: \result == XPT_OK ==>
      xpt_walk_entries{Post, Old}(w, XPT_PGW_OLD(mem, ctl), va, w->levels);
    // The #PF error code, bit by bit (one clause each: six smaller goals).
    ensures ec_p: \result == XPT_OK && w->fault == XPT_FAULT_PF ==>
      (pg_has(w->error_code, PF_P) <==> pg_ec_p{Old}(XPT_PGW_OLD(mem, ctl), va));
    ensures ec_w: \result == XPT_OK && w->fault == XPT_FAULT_PF ==>
      (pg_has(w->error_code, PF_W) <==> pg_ec_w(access));
    ensures ec_u: \result == XPT_OK && w->fault == XPT_FAULT_PF ==>
      (pg_has(w->error_code, PF_U) <==> pg_ec_u(access));
    ensures ec_rsvd: \result == XPT_OK && w->fault == XPT_FAULT_PF ==>
      (pg_has(w->error_code, PF_RSVD) <==> pg_ec_rsvd{Old}(XPT_PGW_OLD(mem, ctl), va));
    ensures ec_id: \result == XPT_OK && w->fault == XPT_FAULT_PF ==>
      (pg_has(w->error_code, PF_ID) <==> pg_ec_id(\old(ctl->flags), access));
    ensures ec_pk: \result == XPT_OK && w->fault == XPT_FAULT_PF ==>
      (pg_has(w->error_code, PF_PK) <==>
         pg_ec_pk{Old}(XPT_PGW_OLD(mem, ctl), \old(ctl->pkru), va, access));
    ensures no_ec: \result == XPT_OK && w->fault != XPT_FAULT_PF ==> w->error_code == 0;
    ensures page: \result == XPT_OK && pg_mapped{Old}(XPT_PGW_OLD(mem, ctl), va) ==>
      w->leaf == pg_level{Old}(XPT_PGW_OLD(mem, ctl), va) - 1 &&
      w->pa == pg_pa{Old}(XPT_PGW_OLD(mem, ctl), va) &&
      w->pkey == pg_pkey{Old}(XPT_PGW_OLD(mem, ctl), va) &&
      (pg_has(w->eff, XPT_WRITE) <==> pg_writable{Old}(XPT_PGW_OLD(mem, ctl), va)) &&
      (pg_has(w->eff, XPT_USER) <==> pg_user_addr{Old}(XPT_PGW_OLD(mem, ctl), va)) &&
      (pg_has(w->eff, XPT_NOEXEC) <==> pg_noexec{Old}(XPT_PGW_OLD(mem, ctl), va));
    ensures last: \result == XPT_OK && pg_mapped{Old}(XPT_PGW_OLD(mem, ctl), va) ==>
      w->entry[w->levels - 1] == pg_last{Old}(XPT_PGW_OLD(mem, ctl), va);
    ensures ad: \result == XPT_OK ==>
      w->set_a == pg_a_mask{Old}(XPT_PGW_OLD(mem, ctl), \old(ctl->pkru), va, access) &&
      (w->set_d <==> pg_sets_d{Old}(XPT_PGW_OLD(mem, ctl), \old(ctl->pkru), va, access));
*/
int xpt_walk(const struct xpt_mem *mem, const struct xpt_ctl *ctl, uint64_t va,
             unsigned access, struct xpt_walk *w);
/* In the contract of xpt_walk_set_ad: every entry slot 0 .. n-1 of walk w
 * names lies in a window of nw words. */
#define XPT_WALK_IN_WINDOW(w, n, nw) \
  (\forall integer i_; 0 <= i_ < (n) ==> (w)->entry_pa[i_] / 8 < (nw))

/* Write the A/D bits a successful walk reports: the entries it read get A
 * where set_a says, the last one D with set_d; nothing else changes.  A
 * walk that faulted sets nothing; the writes stop at the first entry
 * outside the window. */
/*@ requires \valid_read(mem) && \valid_read(w) && w->levels <= XPT_MAX_LEVELS;
    requires mem->nframes <= 0x10000000000;
    requires \valid(mem->words + (0 .. mem->nframes * 512 - 1));
    requires \separated(w, mem, mem->words + (0 .. mem->nframes * 512 - 1));
    assigns mem->words[0 .. mem->nframes * 512 - 1];
    ensures ad_only: \forall integer k; 0 <= k < mem->nframes * 512 ==>
      PG_AD_ONLY(\old(mem->words[k]), mem->words[k]);
    ensures ad_frame: \forall integer k; 0 <= k < mem->nframes * 512 ==>
      (w->fault != XPT_FAULT_NONE ||
       \forall integer i; 0 <= i < w->levels ==> w->entry_pa[i] / 8 != k) ==>
      mem->words[k] == \old(mem->words[k]);
    ensures ad_set: w->fault == XPT_FAULT_NONE &&
      XPT_WALK_IN_WINDOW(w, w->levels, mem->nframes * 512) ==>
      \forall integer i; 0 <= i < w->levels ==>
        (((w->set_a >> i) & 1) != 0 ==> pg_has(mem->words[w->entry_pa[i] / 8], PG_A)) &&
        (w->set_d && i == w->levels - 1 ==> pg_has(mem->words[w->entry_pa[i] / 8], PG_D));
*/
void xpt_walk_set_ad(struct xpt_mem *mem, const struct xpt_walk *w);

/* Bits 63..bits-1 all equal (SDM 3.3.7.1). */
/*@ requires 1 <= bits <= 64;
    assigns \nothing;
    ensures \result <==> pg_canonical_w(va, bits);
*/
static inline bool xpt_canonical_width(uint64_t va, unsigned bits)
{
	uint64_t top = va >> (bits - 1u);
	return top == 0 || top == (UINT64_MAX >> (bits - 1u));
}

/*@ assigns \nothing;
    ensures \result <==> pg_canonical_w(va, 48);
*/
static inline bool xpt_canonical(uint64_t va)
{
	return xpt_canonical_width(va, XPT_VA_BITS);
}

/* ------------------------------------------------------------- memory types */

/* Memory types of the PAT (SDM Vol. 3A 13.12, table 13-10). */
enum xpt_memtype {
	XPT_MT_UC = 0,       /* uncacheable: MMIO registers */
	XPT_MT_WC = 1,       /* write-combining: frame buffers */
	XPT_MT_WT = 4,
	XPT_MT_WP = 5,
	XPT_MT_WB = 6,       /* write-back: RAM */
	XPT_MT_UC_MINUS = 7,
};
/* IA32_PAT after reset: WB WT UC- UC, twice (no WC). */
#define XPT_PAT_RESET 0x0007040600070406ull
/* A PAT with every type: WB WC UC- UC WB WP UC- WT (indices 0..7), as Linux sets it. */
#define XPT_PAT_FULL  0x0407050600070106ull

/* In contracts: the memory type in entry i of the PAT (bits 8i+2..8i); a
 * macro, so that WP's simplifier sees the mask as the code's. */
#define XPT_PAT_TYPE(pat, i) (((pat) >> (8 * (i))) & 7)
/* The XPT_CACHE(i) attribute that selects `type` under `pat`: the lowest
 * PAT index holding it.  XPT_E_INVAL when the PAT has no such entry. */
/*@ requires \valid(attr);
    assigns *attr;
    ensures found: \result == XPT_OK ==>
      *attr == XPT_CACHE((*attr >> XPT_CACHE_SHIFT) & 7) &&
      XPT_PAT_TYPE(pat, (*attr >> XPT_CACHE_SHIFT) & 7) == type &&
      \forall integer j; 0 <= j < ((*attr >> XPT_CACHE_SHIFT) & 7) ==> XPT_PAT_TYPE(pat, j) != type;
    ensures none: \result != XPT_OK ==>
      \result == XPT_E_INVAL && *attr == \old(*attr) &&
      \forall integer j; 0 <= j < 8 ==> XPT_PAT_TYPE(pat, j) != type;
*/
int xpt_cache_attr(uint64_t pat, enum xpt_memtype type, xpt_attr *attr);
/* The memory type attributes `attr` select under `pat`. */
/*@ assigns \nothing;
    ensures type: \result == XPT_PAT_TYPE(pat, (attr >> XPT_CACHE_SHIFT) % 8);
*/
enum xpt_memtype xpt_attr_memtype(uint64_t pat, xpt_attr attr);

/* ------------------------------------------------------------------ ASLR */

/*
 * A page-aligned random place for `len` bytes within [lo, hi): slot
 * `random % slots` of the `slots` aligned positions that fit.  *bits gets
 * the entropy, floor(log2(slots)).  XPT_E_INVAL when nothing fits.
 */
/*@ requires \valid(va) && \valid(bits) && \separated(va, bits);
    assigns *va, *bits;
    ensures inside: \result == XPT_OK ==> lo <= *va && *va + len <= hi && *bits <= 63;
    ensures refused: \result != XPT_OK ==>
      \result == XPT_E_INVAL && *va == \old(*va) && *bits == \old(*bits);
*/
int xpt_aslr_place(uint64_t lo, uint64_t hi, uint64_t len, uint64_t align, uint64_t random,
                   uint64_t *va, unsigned *bits);

/* ---------------------------------------------------------- address spaces */

struct xpt_space {
	struct xpt_mem mem;
	struct xpt_frames *fa; /* frames for tables; fa->nframes <= mem.nframes */
	xpt_pfn root;          /* the PML4, or the PML5 with 5 levels */
	uint8_t maxphyaddr;
	uint8_t levels;        /* 4, or 5 for LA57 */
	uint8_t format;        /* enum xpt_format */
	uint32_t policy;       /* XPT_POLICY_* */
};
#define XPT_POLICY_WX (1u << 0) /* refuse mappings both writable and executable */

/* ------------------------------------------------------ nested paging (EPT) */

/*
 * Extended page tables (SDM Vol. 3C, "EPT"): a space of format XPT_FMT_EPT
 * maps guest-physical to host-physical addresses with the same mapper.
 * Its attributes are XPT_WRITE, XPT_NOEXEC and the EPT memory type in the
 * cache field (XPT_CACHE(XPT_MT_WB) for RAM, XPT_CACHE(XPT_MT_UC) for
 * MMIO); every page is readable.
 */
enum xpt_format { XPT_FMT_X86 = 0, XPT_FMT_EPT = 1 };
/*@ // What the functional contracts of the mapper take of a space: x86
    // tables that form a tree (a table any walk reaches, every walk reaches
    // at one level, through the same indexes) under a root its CR3 value
    // names, inside the window.
    predicate xpt_space_tree{L}(struct xpt_space *sp) =
      sp->format == XPT_FMT_X86 && pg_tree(XPT_SPACE_PGW(sp), sp->mem.nframes) &&
      sp->root < sp->mem.nframes && pg_next((uint64_t)(sp->root << 12), sp->maxphyaddr) == sp->root;
    // The walk of v stops an unmap of a range that ends at `end`, at v: it
    // leaves the window (XPT_E_WINDOW), meets a reserved bit
    // (XPT_E_RSVD_BITS), or ends at a page that does not start at v or
    // runs past end (XPT_E_HUGE, without XPT_OPT_SPLIT).  In the argument
    // order of the pg_ functions, the window's frame count after them.
    predicate xpt_stops{L}(uint64_t *w, integer cr3, integer fl, integer M, integer nf,
                           integer v, integer end) =
      pg_window(w, cr3, fl, M, nf, v) || pg_reserved(w, cr3, fl, M, v) ||
      (pg_level(w, cr3, fl, M, v) <= 3 && pg_has(pg_last(w, cr3, fl, M, v), PG_P) &&
       (v % pg_size(pg_level(w, cr3, fl, M, v)) != 0 ||
        end - v < pg_size(pg_level(w, cr3, fl, M, v))));
*/
#define XPT_EPT_R        (1ull << 0)
#define XPT_EPT_W        (1ull << 1)
#define XPT_EPT_X        (1ull << 2)
#define XPT_EPT_MT_SHIFT 3u          /* leaf memory type, bits 3..5 */
#define XPT_EPT_IPAT     (1ull << 6)
#define XPT_EPT_A        (1ull << 8)
#define XPT_EPT_D        (1ull << 9)

enum xpt_ept_outcome { XPT_EPT_OK = 0, XPT_EPT_VIOLATION = 1, XPT_EPT_MISCONFIG = 2 };

/* Exit-qualification bits of an EPT violation. */
#define XPT_EPTQ_READ  (1u << 0)
#define XPT_EPTQ_WRITE (1u << 1)
#define XPT_EPTQ_FETCH (1u << 2)
#define XPT_EPTQ_R     (1u << 3) /* the address was readable (R in every entry) */
#define XPT_EPTQ_W     (1u << 4)
#define XPT_EPTQ_X     (1u << 5)

struct xpt_ept_walk {
	uint8_t outcome;   /* enum xpt_ept_outcome */
	uint8_t levels;    /* entries read */
	uint8_t leaf;      /* enum xpt_size, when translated */
	uint32_t qual;     /* XPT_EPTQ_* of a violation */
	uint64_t entry[XPT_LEVELS];
	uint64_t hpa;
};

/* A two-stage translation: guest virtual -> guest physical -> host physical. */
#define XPT_NESTED_SCRATCH ((XPT_MAX_LEVELS + 1u) * XPT_ENTRIES) /* words */
struct xpt_nested {
	uint8_t stage;     /* 0: translated; 1: the guest's own fault (guest);
	                      2: EPT violation or misconfiguration (ept) */
	bool final;        /* stage 2 at the final address, not at a guest table */
	uint64_t gpa;      /* the guest-physical address stage 2 was asked for */
	uint64_t hpa;
	struct xpt_walk guest;     /* entry_pa[] are guest-physical */
	struct xpt_ept_walk ept;
};

/* The host window a walk reads: its frames below 2^40, readable, apart
 * from the record p the walk fills. */
#define XPT_HOST_WINDOW(mem, p)                                                    \
  (\valid_read(mem) && (mem)->nframes <= 0x10000000000 &&                          \
   \valid_read((mem)->words + (0 .. (mem)->nframes * 512 - 1)) &&                  \
   \separated(p, mem, (mem)->words + (0 .. (mem)->nframes * 512 - 1)))
/* One EPT walk for an access (XPT_ACC_WRITE / XPT_ACC_FETCH, else a read).
 * eptp: PML4 address, walk length 4; execute-only entries are allowed.
 * XPT_E_WINDOW when a table lies outside the window. */
/*@ requires XPT_HOST_WINDOW(mem, w) && \valid(w) && 12 < maxphyaddr <= 52;
    assigns *w;
    ensures \result == XPT_OK || \result == XPT_E_WINDOW;
    ensures leaf: \result == XPT_OK && w->outcome == XPT_EPT_OK ==>
      1 <= w->levels <= 4 && w->leaf == 4 - w->levels && w->leaf <= XPT_1G;
*/
int xpt_ept_walk(const struct xpt_mem *mem, uint64_t eptp, unsigned maxphyaddr, uint64_t gpa,
                 unsigned access, struct xpt_ept_walk *w);
/* The guest's walk (the rules of xpt_walk, guest tables read through EPT),
 * then EPT for the final address.  scratch: XPT_NESTED_SCRATCH words.
 * Each outcome says which stage ended it: the guest's own fault (stage 1),
 * an EPT violation or misconfiguration at a guest table or the final
 * address (stage 2, with the guest-physical address EPT was asked for),
 * or a translation through both (stage 0).  n->guest is the guest's walk
 * as far as it went (as it was, when EPT stops at the guest's top table),
 * n->ept the last EPT walk; n->hpa is 0 but in stage 0. */
/*@ requires XPT_HOST_WINDOW(mem, n) && \valid(n) && \valid_read(guest);
    requires 12 < maxphyaddr <= 52 && 12 < guest->maxphyaddr <= 52;
    requires \valid(scratch + (0 .. 3071));  // XPT_NESTED_SCRATCH words
    requires \separated(scratch + (0 .. 3071), n, guest, mem,
                        mem->words + (0 .. mem->nframes * 512 - 1));
    requires \separated(n, guest);
    assigns *n, scratch[0 .. 3071];
    ensures \result == XPT_OK || \result == XPT_E_WINDOW;
    ensures stages: \result == XPT_OK ==> n->stage <= 2;
    ensures guest: \result == XPT_OK && n->stage == 1 ==> n->guest.fault != XPT_FAULT_NONE;
    ensures ept: \result == XPT_OK && n->stage == 2 ==> n->ept.outcome != XPT_EPT_OK;
    ensures final: \result == XPT_OK && n->stage == 2 && n->final ==> n->gpa == n->guest.pa;
    ensures done: \result == XPT_OK && n->stage == 0 ==>
      n->guest.fault == XPT_FAULT_NONE && n->ept.outcome == XPT_EPT_OK &&
      n->gpa == n->guest.pa && n->hpa == n->ept.hpa;
*/
int xpt_nested_walk(const struct xpt_mem *mem, const struct xpt_ctl *guest, uint64_t eptp,
                    unsigned maxphyaddr, uint64_t gva, unsigned access, uint64_t *scratch,
                    struct xpt_nested *n);

/* A mapping as translate reports it. */
struct xpt_mapping {
	uint64_t va;       /* first byte of the page */
	uint64_t pa;       /* first byte of the frame */
	uint64_t offset;   /* va - page base */
	enum xpt_size size;
	xpt_attr attr;     /* the leaf's own attributes */
	xpt_attr eff;      /* WRITE and USER ANDed, NOEXEC ORed over the levels */
	uint64_t entry;    /* the raw leaf entry */
};

/* Options of the mutating calls. */
#define XPT_OPT_FREE_TABLES (1u << 0) /* unmap: give back tables left empty */
#define XPT_OPT_SPLIT       (1u << 1) /* split a huge page the range cuts */
#define XPT_OPT_NO_1G       (1u << 2) /* map_range: no 1 GiB pages */
#define XPT_OPT_NO_2M       (1u << 3) /* map_range: no 2 MiB or 1 GiB pages */
#define XPT_OPT_MASK        0xfu

/* A space with a fresh, zeroed PML4.  maxphyaddr in 36..52. */
/*@ XPT_SPACE_INIT_CONTRACT(sp, mem, fa, maxphyaddr, 4, XPT_FMT_X86) */
int xpt_space_init(struct xpt_space *sp, const struct xpt_mem *mem, struct xpt_frames *fa,
                   unsigned maxphyaddr);
/* The same with 4 or 5 levels; a 5-level space needs CR4.LA57.
 * XPT_E_INVAL for a MAXPHYADDR or level count out of range, or an
 * allocator larger than the window or reaching MAXPHYADDR (its frames
 * become tables, which must lie below it); XPT_E_NOMEM with no free
 * frame. */
/*@ XPT_SPACE_INIT_CONTRACT(sp, mem, fa, maxphyaddr, levels, XPT_FMT_X86) */
int xpt_space_init_levels(struct xpt_space *sp, const struct xpt_mem *mem, struct xpt_frames *fa,
                          unsigned maxphyaddr, unsigned levels);
/* An EPT space: guest-physical to host-physical, 4 levels. */
/*@ XPT_SPACE_INIT_CONTRACT(sp, mem, fa, maxphyaddr, 4, XPT_FMT_EPT) */
int xpt_space_init_ept(struct xpt_space *sp, const struct xpt_mem *mem, struct xpt_frames *fa,
                       unsigned maxphyaddr);
/* EPTP of an EPT space: walk length 4, write-back paging structures. */
/*@ requires \valid_read(sp);
    assigns \nothing;
*/
static inline uint64_t xpt_eptp(const struct xpt_space *sp)
{
	return (sp->root << XPT_PAGE_SHIFT) | (3u << 3) | XPT_MT_WB;
}
/*@ requires \valid_read(sp);
    assigns \nothing;
    ensures \result == 48 || \result == 57;
    ensures \result == (sp->levels == 5 ? 57 : 48);
*/
static inline unsigned xpt_space_va_bits(const struct xpt_space *sp)
{
	return sp->levels == XPT_MAX_LEVELS ? XPT_VA_BITS_LA57 : XPT_VA_BITS;
}
/*@ // A space whose tables go back to its allocator: writable, the
    // allocator sound, and the window apart from the allocator's memory,
    // so that a free leaves every entry as it was and clearing an entry
    // leaves the allocator as it was.
    predicate xpt_space_teardown{L}(struct xpt_space *sp) =
      XPT_SPACE_WRITABLE(sp) && xpt_frames_ok(sp->fa) &&
      \separated(sp->mem.words + (0 .. sp->mem.nframes * 512 - 1), XPT_FRAMES_META(sp->fa)) &&
      \separated(sp, XPT_FRAMES_META(sp->fa));
*/
/* Give back every table of the lower half (the upper half too if
 * `whole`, and then the root); mapped frames stay with their owner.  The
 * entry above each table given back is cleared; a table the allocator
 * refuses (not one of its frames in use) stays linked.  With `whole`,
 * the root's free decides the result. */
/*@ requires xpt_space_teardown(sp) && sp->root < sp->mem.nframes;
    assigns sp->mem.words[0 .. sp->mem.nframes * 512 - 1], XPT_FRAMES_WRITES(sp->fa);
    ensures ok: xpt_space_teardown(sp);
    ensures cleared: XPT_ONLY_CLEARED(sp, Pre);
    ensures result: \result == XPT_OK || (whole && (\result == XPT_E_RANGE ||
      \result == XPT_E_RESERVED || \result == XPT_E_DOUBLE_FREE));
    ensures root: whole && \result == XPT_OK ==> fr_free(sp->fa, sp->root);
*/
int xpt_space_destroy(struct xpt_space *sp, bool whole);
/*@ requires \valid_read(sp);
    assigns \nothing;
    ensures \result == (uint64_t)(sp->root << XPT_PAGE_SHIFT);
*/
static inline uint64_t xpt_space_cr3(const struct xpt_space *sp)
{
	return sp->root << XPT_PAGE_SHIFT;
}

/* Map one page of the given size; va and pa aligned to it. */
int xpt_map(struct xpt_space *sp, uint64_t va, uint64_t pa, enum xpt_size size, xpt_attr attr,
            struct xpt_flush *fl);
/* Remove the leaf that starts at va; *out (may be NULL) gets what it was.
 * The contract covers opts without XPT_OPT_SPLIT and XPT_OPT_FREE_TABLES
 * so far, as xpt_unmap_range's: an address with no translation, or a va
 * inside a huge page, is refused and changes nothing; in a space whose
 * tables form a tree, no failure changes anything (failed). */
/*@ requires opts: !(opts & XPT_OPT_SPLIT) && !(opts & XPT_OPT_FREE_TABLES);
    requires \valid(sp) && XPT_SPACE_WRITABLE(sp) && \valid_read(sp->fa);
    requires sp->root < sp->mem.nframes;
    requires fl == \null || (\valid(fl) && xpt_flush_ok(fl) &&
      \separated(fl, sp, sp->mem.words + (0 .. sp->mem.nframes * 512 - 1)));
    requires out == \null || (\valid(out) &&
      \separated(out, sp, sp->mem.words + (0 .. sp->mem.nframes * 512 - 1)) &&
      (fl == \null || \separated(out, fl)));
    assigns sp->mem.words[0 .. sp->mem.nframes * 512 - 1], fl->npages, fl->all,
            fl->va[0 .. XPT_FLUSH_PAGES - 1], fl->global, *out;
    ensures errors: \result == XPT_OK || \result == XPT_E_INVAL || \result == XPT_E_PHYS ||
      \result == XPT_E_NONCANONICAL || \result == XPT_E_ALIGN || \result == XPT_E_NOMEM ||
      \result == XPT_E_NOT_MAPPED || \result == XPT_E_HUGE || \result == XPT_E_RSVD_BITS ||
      \result == XPT_E_WINDOW;
    ensures refused: (\result == XPT_E_INVAL || \result == XPT_E_PHYS ||
      \result == XPT_E_NONCANONICAL || \result == XPT_E_ALIGN || \result == XPT_E_NOMEM ||
      \result == XPT_E_NOT_MAPPED) ==>
      \forall integer k; 0 <= k < sp->mem.nframes * 512 ==> sp->mem.words[k] == \old(sp->mem.words[k]);
    ensures failed: \result != XPT_OK && xpt_space_tree{Pre}(sp) ==>
      \forall integer k; 0 <= k < sp->mem.nframes * 512 ==> sp->mem.words[k] == \old(sp->mem.words[k]);
    XPT_UNMAP_DONE(sp, fl, va, va + pg_size(pg_level{Old}(XPT_SPACE_WALK(sp), va)));
    ensures out: \result == XPT_OK && out != \null && \old(sp->format) == XPT_FMT_X86 ==>
      out->size == pg_level{Old}(XPT_SPACE_WALK(sp), va) - 1 &&
      out->entry == pg_last{Old}(XPT_SPACE_WALK(sp), va) && out->offset == 0;
*/
int xpt_unmap(struct xpt_space *sp, uint64_t va, unsigned opts, struct xpt_mapping *out,
              struct xpt_flush *fl);
/* Replace the attributes of the leaf that starts at va. */
int xpt_protect(struct xpt_space *sp, uint64_t va, xpt_attr attr, struct xpt_flush *fl);
/* XPT_E_NOT_MAPPED, XPT_E_NONCANONICAL, XPT_E_RSVD_BITS or XPT_E_WINDOW when
 * there is no translation.  For an x86 space this is the walk of a
 * supervisor read with EFER.NXE and 1-GByte pages (XPT_SPACE_WALK): the
 * outcome of `walk`, and on success the leaf it ends at. */
/*@ requires XPT_SPACE_READABLE(sp) && \valid(out);
    requires \separated(out, sp, sp->mem.words + (0 .. sp->mem.nframes * 512 - 1));
    assigns *out;
    behavior x86:
      assumes sp->format == XPT_FMT_X86;
      ensures window: \result == XPT_E_WINDOW <==> pg_window{Old}(XPT_SPACE_WALK(sp), \old(sp->mem.nframes), va);
      ensures noncanonical: \result == XPT_E_NONCANONICAL <==> !pg_canonical(XPT_SPACE_FLAGS(\old(sp->levels)), va);
      ensures mapped: \result == XPT_OK <==>
        !pg_window{Old}(XPT_SPACE_WALK(sp), \old(sp->mem.nframes), va) && pg_mapped{Old}(XPT_SPACE_WALK(sp), va);
      ensures reserved: \result == XPT_E_RSVD_BITS <==>
        !pg_window{Old}(XPT_SPACE_WALK(sp), \old(sp->mem.nframes), va) &&
        pg_canonical(XPT_SPACE_FLAGS(\old(sp->levels)), va) && pg_reserved{Old}(XPT_SPACE_WALK(sp), va);
      ensures absent: \result == XPT_E_NOT_MAPPED <==>
        !pg_window{Old}(XPT_SPACE_WALK(sp), \old(sp->mem.nframes), va) &&
        pg_canonical(XPT_SPACE_FLAGS(\old(sp->levels)), va) && pg_not_present{Old}(XPT_SPACE_WALK(sp), va);
      ensures size: \result == XPT_OK ==> out->size == pg_level{Old}(XPT_SPACE_WALK(sp), va) - 1;
      ensures leaf: \result == XPT_OK ==> out->entry == pg_last{Old}(XPT_SPACE_WALK(sp), va);
      ensures frame: \result == XPT_OK ==>
        out->pa == pg_leaf_base(out->entry, out->size + 1, \old(sp->maxphyaddr));
      ensures offset: \result == XPT_OK ==>
        out->offset == (va & (pg_size(out->size + 1) - 1)) &&
        out->va == (va & (uint64_t)~(pg_size(out->size + 1) - 1));
      ensures rights: \result == XPT_OK ==>
        (pg_has(out->eff, XPT_WRITE) <==> pg_writable{Old}(XPT_SPACE_WALK(sp), va)) &&
        (pg_has(out->eff, XPT_USER) <==> pg_user_addr{Old}(XPT_SPACE_WALK(sp), va)) &&
        (pg_has(out->eff, XPT_NOEXEC) <==> pg_noexec{Old}(XPT_SPACE_WALK(sp), va));
    behavior ept:
      assumes sp->format == XPT_FMT_EPT;
      ensures \result == XPT_OK || \result == XPT_E_PHYS || \result == XPT_E_WINDOW ||
              \result == XPT_E_RSVD_BITS || \result == XPT_E_NOT_MAPPED;
      ensures \result == XPT_OK ==> out->size <= XPT_1G;
    complete behaviors;
    disjoint behaviors;
*/
int xpt_translate(const struct xpt_space *sp, uint64_t va, struct xpt_mapping *out);

/* [va, va+len) -> [pa, pa+len) with the largest pages that fit. */
int xpt_map_range(struct xpt_space *sp, uint64_t va, uint64_t pa, uint64_t len, xpt_attr attr,
                  unsigned opts, struct xpt_flush *fl);
/* Remove every leaf in [va, va+len); holes are skipped.  The contract
 * covers opts without XPT_OPT_SPLIT and XPT_OPT_FREE_TABLES so far: a
 * request refused for its arguments changes no table; a done one leaves
 * no address of the range a translation and every other address inside
 * the window the walk it had. */
/*@ requires opts: !(opts & XPT_OPT_SPLIT) && !(opts & XPT_OPT_FREE_TABLES);
    XPT_UNMAP_CONTRACT(sp, fl, va, len);
*/
int xpt_unmap_range(struct xpt_space *sp, uint64_t va, uint64_t len, unsigned opts,
                    struct xpt_flush *fl);
/* Set the attributes of every leaf in [va, va+len); holes are an error. */
int xpt_protect_range(struct xpt_space *sp, uint64_t va, uint64_t len, xpt_attr attr,
                      unsigned opts, struct xpt_flush *fl);

/* The ctl a CPU would need to walk this space (flags and pkru chosen by
 * the caller). */
/*@ requires \valid_read(sp);
    assigns \nothing;
    ensures \result.cr3 == (uint64_t)(sp->root << XPT_PAGE_SHIFT);
    ensures \result.flags == (flags | (sp->levels == XPT_MAX_LEVELS ? CTL_LA57 : 0));
    ensures kept: (pg_has(\result.flags, CTL_SMAP) <==> pg_has(flags, CTL_SMAP)) &&
                  (pg_has(\result.flags, CTL_PKE) <==> pg_has(flags, CTL_PKE));
    ensures \result.pkru == pkru && \result.maxphyaddr == sp->maxphyaddr;
*/
static inline struct xpt_ctl xpt_space_ctl(const struct xpt_space *sp, uint32_t flags,
                                           uint32_t pkru)
{
	uint32_t la57 = sp->levels == XPT_MAX_LEVELS ? XPT_CTL_LA57 : 0u;
	struct xpt_ctl c = { xpt_space_cr3(sp), flags | la57, pkru, sp->maxphyaddr };
	return c;
}

/* ------------------------------------------------------------ table dump */

/*
 * A page-table dump in the manner of Linux's ptdump: consecutive leaves of
 * the same level and attributes merge into one range; holes end a range.
 */
struct xpt_range {
	uint64_t va;       /* first byte */
	uint64_t len;      /* bytes */
	uint64_t pa;       /* frame of the first page */
	enum xpt_size size;
	xpt_attr attr;     /* the leaves' own attributes */
	xpt_attr eff;      /* combined over the levels above */
};
struct xpt_dump {
	uint64_t va;       /* where the next range is looked for */
	bool done;
};

/*@ requires \valid(d);
    assigns d->va, d->done;
    ensures d->va == 0 && !d->done;
*/
static inline void xpt_dump_init(struct xpt_dump *d)
{
	d->va = 0;
	d->done = false;
}
/* The dump reads the tables from the root down, inside the window: a
 * space that can be read, with its root in the window (what
 * xpt_space_init makes), and results apart from it. */
#define XPT_DUMP_SPACE(sp) (XPT_SPACE_READABLE(sp) && (sp)->root < (sp)->mem.nframes)
#define XPT_DUMP_APART(sp, p) \
  (\valid(p) && \separated(p, sp, (sp)->mem.words + (0 .. (sp)->mem.nframes * 512 - 1)))
/* The first leaf that maps va or any address above it (XPT_E_NOT_MAPPED
 * when there is none); out->va is the leaf's base.  Visits only present
 * entries, skipping a whole empty table region at a time. */
/*@ requires XPT_DUMP_SPACE(sp) && XPT_DUMP_APART(sp, out);
    assigns *out;
    ensures result: \result == XPT_OK || \result == XPT_E_NOT_MAPPED || \result == XPT_E_WINDOW;
    ensures size: \result == XPT_OK ==> out->size <= XPT_1G;
*/
int xpt_next_leaf(const struct xpt_space *sp, uint64_t va, struct xpt_mapping *out);
/* The same, for leaves that map an address below `end`: the search stops
 * there instead of scanning the rest of the address space. */
/*@ requires XPT_DUMP_SPACE(sp) && XPT_DUMP_APART(sp, out);
    assigns *out;
    ensures result: \result == XPT_OK || \result == XPT_E_NOT_MAPPED || \result == XPT_E_WINDOW;
    ensures size: \result == XPT_OK ==> out->size <= XPT_1G;
*/
int xpt_next_leaf_in(const struct xpt_space *sp, uint64_t va, uint64_t end,
                     struct xpt_mapping *out);
/* Physical address of the entry at `level` (1 = PT .. sp->levels) that
 * translates va, descending through present non-leaf entries whatever
 * their other bits: where raw entry writes for reserved-bit tests go.
 * XPT_E_NOT_MAPPED when an entry above is absent or a leaf.  The address
 * is that of an entry of the window. */
/*@ requires XPT_DUMP_SPACE(sp) && XPT_DUMP_APART(sp, pa);
    assigns *pa;
    ensures result: \result == XPT_OK || \result == XPT_E_INVAL || \result == XPT_E_NONCANONICAL ||
      \result == XPT_E_NOT_MAPPED || \result == XPT_E_WINDOW;
    ensures inval: \result == XPT_E_INVAL <==> level < 1 || level > sp->levels;
    ensures window: \result == XPT_OK ==> *pa % 8 == 0 && *pa / 8 < sp->mem.nframes * 512;
*/
int xpt_entry_at(const struct xpt_space *sp, uint64_t va, unsigned level, uint64_t *pa);
/* The next range; false when the address space is exhausted.
 * XPT_E_WINDOW entries stop the dump with *err set. */
/*@ requires XPT_DUMP_SPACE(sp) && XPT_DUMP_APART(sp, d) && XPT_DUMP_APART(sp, r) &&
      XPT_DUMP_APART(sp, err) && \separated(d, r, err);
    assigns d->va, d->done, *r, *err;
    ensures err: *err == XPT_OK || *err == XPT_E_WINDOW;
    ensures range: \result ==> r->size <= XPT_1G;
    ensures ended: !\result ==> d->done;
*/
bool xpt_dump_next(const struct xpt_space *sp, struct xpt_dump *d, struct xpt_range *r, int *err);
/* One line, NUL-terminated, in at most n bytes (XPT_DUMP_LINE is enough):
 * "0x...-0x...  size  USR RW PWT PCD PSE PAT GLB NX pkey level". */
#define XPT_DUMP_LINE 128u
/*@ requires \valid_read(r) && r->size <= XPT_1G;
    requires \valid(buf + (0 .. n - 1)) && \separated(r, buf + (0 .. n - 1));
    assigns buf[0 .. n - 1];
    ensures terminated: n > 0 ==> buf[\result < n ? \result : n - 1] == '\0';
*/
size_t xpt_range_format(const struct xpt_range *r, char *buf, size_t n);
/* Writable and executable at once: what a W^X check reports. */
/*@ requires \valid_read(r);
    assigns \nothing;
*/
static inline bool xpt_range_wx(const struct xpt_range *r)
{
	return (r->eff & XPT_WRITE) && !(r->eff & XPT_NOEXEC);
}

/* ---------------------------------------------------- software TLB model */

/*
 * A TLB that caches successful translations and keeps them, stale or not,
 * until invlpg or a flush removes them: what the MMU is allowed to do.
 * Host embedders point struct xpt_arch at it to see what a missing flush
 * costs.
 */
#define XPT_TLB_ENTRIES 64u
struct xpt_tlb_entry {
	bool valid;
	bool dirty;        /* a write went through this entry */
	bool global;       /* G leaf under CR4.PGE: matches every PCID */
	uint16_t pcid;
	enum xpt_size size;
	uint8_t pkey;
	xpt_attr eff;
	uint64_t va;       /* page base */
	uint64_t pa;       /* frame base */
};
struct xpt_tlb {
	struct xpt_mem *mem;
	struct xpt_ctl ctl;
	uint32_t next;     /* round-robin victim */
	uint64_t hits, misses, invlpgs, flushes;
	struct xpt_tlb_entry e[XPT_TLB_ENTRIES];
};

/*@ // The base of the page of size s (enum xpt_size) that holds x.
    logic integer xpt_page_base(integer x, integer s) = x & (uint64_t)~(pg_size(s + 1) - 1);
*/
/* The PCID new entries get and non-global entries must match: CR3 bits
 * 0..11 under CR4.PCIDE, else 0 (SDM 4.10.1).  A macro: WP's simplifier
 * then sees the literal masks. */
#define XPT_TLB_TAG(t) \
  (pg_has((t)->ctl.flags, XPT_CTL_PCIDE) ? (uint16_t)((t)->ctl.cr3 & 0xfff) : 0)
/*@
    // Entry e holds the page of va.
    predicate xpt_tlbe_holds{L}(struct xpt_tlb_entry *e, integer va) =
      e->valid && xpt_page_base(va, e->size) == e->va;
    predicate xpt_tlb_holds{L}(struct xpt_tlb *t, integer i, integer va) =
      xpt_tlbe_holds(&t->e[i], va);
    // Entry i may serve an access now: valid, and global or of the current PCID.
    predicate xpt_tlb_live{L}(struct xpt_tlb *t, integer i) =
      t->e[i].valid && (t->e[i].global || t->e[i].pcid == XPT_TLB_TAG(t));
    // The victim index is an entry, and every valid entry has a page size
    // and a protection key.
    predicate xpt_tlb_ok{L}(struct xpt_tlb *t) =
      t->next < XPT_TLB_ENTRIES &&
      \forall integer i; 0 <= i < XPT_TLB_ENTRIES ==> t->e[i].valid ==>
        t->e[i].size <= XPT_1G && t->e[i].pkey < 16;
    // From L1 to L2 no entry became valid (the other fields are the
    // assigns clause's business).
    predicate xpt_tlb_only_drops{L1, L2}(struct xpt_tlb *t) =
      \forall integer i; 0 <= i < XPT_TLB_ENTRIES ==> \at(t->e[i].valid, L2) ==> \at(t->e[i].valid, L1);
*/
/* Invalidation removes entries and nothing else: each of the four below
 * assigns only the valid flags (and a counter), and says which go. */
#define XPT_TLB_DROP_ASSIGNS(t) (t)->e[0 .. XPT_TLB_ENTRIES - 1].valid

/*@ requires \valid(t) && \valid_read(ctl) && \separated(t, ctl);
    assigns *t;
    ensures ok: xpt_tlb_ok(t);
    ensures empty: \forall integer i; 0 <= i < XPT_TLB_ENTRIES ==> !t->e[i].valid;
    ensures t->mem == mem && t->ctl == *ctl;
*/
void xpt_tlb_init(struct xpt_tlb *t, struct xpt_mem *mem, const struct xpt_ctl *ctl);
/* The walk of the tables the TLB caches, at label W, in the argument order
 * of the pg_ functions. */
#define XPT_TLB_PGW(t, W) \
  \at((t)->mem->words, W), \at((t)->ctl.cr3, W), \at((t)->ctl.flags, W), \at((t)->ctl.maxphyaddr, W)
/* Entry i (at L) caches the page of va as the walk of the tables at W
 * found it for `access`: its size, page base, frame base, rights and key are
 * the model's, it is tagged with the current PCID, global when CR4.PGE and
 * the leaf's G say so, dirty when the access set D.  A macro: each part
 * then reaches the provers on its own. */
#define XPT_TLB_CACHES(t, i, va, access, L, W)                                         \
  (\at((t)->e[i].valid, L) &&                                                         \
   \at((t)->e[i].size, L) == pg_level{W}(XPT_TLB_PGW(t, W), va) - 1 &&                \
   \at((t)->e[i].va, L) == xpt_page_base(va, \at((t)->e[i].size, L)) &&               \
   \at((t)->e[i].pa, L) ==                                                            \
     xpt_page_base(pg_pa{W}(XPT_TLB_PGW(t, W), va), \at((t)->e[i].size, L)) &&         \
   \at((t)->e[i].pkey, L) == pg_pkey{W}(XPT_TLB_PGW(t, W), va) &&                     \
   (pg_has(\at((t)->e[i].eff, L), XPT_WRITE) <==> pg_writable{W}(XPT_TLB_PGW(t, W), va)) && \
   (pg_has(\at((t)->e[i].eff, L), XPT_USER) <==> pg_user_addr{W}(XPT_TLB_PGW(t, W), va)) && \
   (pg_has(\at((t)->e[i].eff, L), XPT_NOEXEC) <==> pg_noexec{W}(XPT_TLB_PGW(t, W), va)) && \
   \at((t)->e[i].pcid, L) == \at(XPT_TLB_TAG(t), L) &&                                \
   (\at((t)->e[i].global, L) <==> pg_has(\at((t)->ctl.flags, L), XPT_CTL_PGE) &&      \
                                  pg_has(pg_last{W}(XPT_TLB_PGW(t, W), va), PG_G)) &&   \
   (\at((t)->e[i].dirty, L) <==>                                                      \
      pg_sets_d{W}(XPT_TLB_PGW(t, W), \at((t)->ctl.pkru, W), va, access)))
/* Entry k at L2 is as it was at L1, field by field (a macro: the provers
 * then frame each field on its own). */
#define XPT_TLB_SAME(t, k, L1, L2)                                                    \
  (\at((t)->e[k].valid, L2) == \at((t)->e[k].valid, L1) &&                           \
   \at((t)->e[k].dirty, L2) == \at((t)->e[k].dirty, L1) &&                           \
   \at((t)->e[k].global, L2) == \at((t)->e[k].global, L1) &&                         \
   \at((t)->e[k].pcid, L2) == \at((t)->e[k].pcid, L1) &&                             \
   \at((t)->e[k].size, L2) == \at((t)->e[k].size, L1) &&                             \
   \at((t)->e[k].pkey, L2) == \at((t)->e[k].pkey, L1) &&                             \
   \at((t)->e[k].eff, L2) == \at((t)->e[k].eff, L1) &&                               \
   \at((t)->e[k].va, L2) == \at((t)->e[k].va, L1) &&                                 \
   \at((t)->e[k].pa, L2) == \at((t)->e[k].pa, L1))
/* A well-formed TLB whose tables xpt_walk can read and set A/D in, apart
 * from the TLB and the walk record w: the preconditions of an access. */
#define XPT_TLB_WALKABLE(t, w)                                                     \
  (\valid(t) && xpt_tlb_ok(t) && \valid(w) && \valid((t)->mem) &&                 \
   12 < (t)->ctl.maxphyaddr <= 52 && (t)->mem->nframes <= 0x10000000000 &&        \
   \valid((t)->mem->words + (0 .. (t)->mem->nframes * 512 - 1)) &&                \
   \separated(w, t, (t)->mem, (t)->mem->words + (0 .. (t)->mem->nframes * 512 - 1)) && \
   \separated(t, (t)->mem, (t)->mem->words + (0 .. (t)->mem->nframes * 512 - 1)))
/* One access: from the TLB when it holds the page, else through xpt_walk
 * (setting A/D and caching the result on success).  A hit leaves tables
 * and entries alone; a miss is the walk, and either caches its page in one
 * entry or, on a fault, drops the live entries of va's page.  The contract
 * tells the two apart by t->misses, which a miss counts and a hit leaves
 * alone.  Proved with WP (proofs/README.md, the TLB section). */
/*@ requires XPT_TLB_WALKABLE(t, w);
    assigns *w, t->hits, t->misses, t->next, t->e[0 .. XPT_TLB_ENTRIES - 1],
            XPT_TLB_DROP_ASSIGNS(t), t->mem->words[0 .. t->mem->nframes * 512 - 1];
    ensures ok: xpt_tlb_ok(t);
    ensures result: \result == XPT_OK || \result == XPT_E_WINDOW;
    ensures hit: \result == XPT_OK && t->misses == \old(t->misses) ==>
      w->fault == XPT_FAULT_NONE &&
      \exists integer i; 0 <= i < XPT_TLB_ENTRIES &&
        \old(xpt_tlb_live(t, i) && xpt_tlb_holds(t, i, va)) &&
        w->leaf == \old(t->e[i].size) && w->pkey == \old(t->e[i].pkey) &&
        w->eff == \old(t->e[i].eff) &&
        w->pa == (\old(t->e[i].pa) | (va & (pg_size(\old(t->e[i].size) + 1) - 1)));
    ensures hit_frame: t->misses == \old(t->misses) ==>
      (\forall integer k; 0 <= k < XPT_TLB_ENTRIES ==> XPT_TLB_SAME(t, k, Old, Here)) &&
      \forall integer k; 0 <= k < t->mem->nframes * 512 ==> t->mem->words[k] == \old(t->mem->words[k]);
    ensures miss_window: t->misses != \old(t->misses) ==>
      (\result == XPT_E_WINDOW <==> pg_window{Old}(XPT_TLB_PGW(t, Old), \old(t->mem->nframes), va));
    ensures miss_fault: t->misses != \old(t->misses) && \result == XPT_OK ==>
      w->fault == pg_fault{Old}(XPT_TLB_PGW(t, Old), \old(t->ctl.pkru), va, access);
    ensures fill: t->misses != \old(t->misses) && \result == XPT_OK && w->fault == XPT_FAULT_NONE ==>
      \exists integer j; 0 <= j < XPT_TLB_ENTRIES && XPT_TLB_CACHES(t, j, va, access, Here, Old) &&
        \forall integer k; 0 <= k < XPT_TLB_ENTRIES && k != j ==> XPT_TLB_SAME(t, k, Old, Here);
    ensures fault_drops: \result != XPT_OK || w->fault != XPT_FAULT_NONE ==>
      xpt_tlb_only_drops{Old, Here}(t) &&
      \forall integer k; 0 <= k < XPT_TLB_ENTRIES ==> !(xpt_tlb_live(t, k) && xpt_tlb_holds(t, k, va));
*/
int xpt_tlb_access(struct xpt_tlb *t, uint64_t va, unsigned access, struct xpt_walk *w);
/* INVLPG: the current PCID's entries and the global ones for va's page. */
/*@ requires \valid(t) && xpt_tlb_ok(t);
    assigns t->invlpgs, XPT_TLB_DROP_ASSIGNS(t);
    ensures ok: xpt_tlb_ok(t);
    ensures only_drops: xpt_tlb_only_drops{Old, Post}(t);
    ensures dropped: \forall integer i; 0 <= i < XPT_TLB_ENTRIES ==>
      \old(xpt_tlb_live(t, i) && xpt_tlb_holds(t, i, va)) ==> !t->e[i].valid;
    ensures kept: \forall integer i; 0 <= i < XPT_TLB_ENTRIES ==>
      \old(t->e[i].valid && !(xpt_tlb_live(t, i) && xpt_tlb_holds(t, i, va))) ==> t->e[i].valid;
*/
void xpt_tlb_invlpg(struct xpt_tlb *t, uint64_t va);
/* Every entry, global ones too. */
/*@ requires \valid(t) && xpt_tlb_ok(t);
    assigns t->flushes, XPT_TLB_DROP_ASSIGNS(t);
    ensures ok: xpt_tlb_ok(t);
    ensures empty: \forall integer i; 0 <= i < XPT_TLB_ENTRIES ==> !t->e[i].valid;
*/
void xpt_tlb_flush_all(struct xpt_tlb *t);
/* INVPCID of `type` (SDM Vol. 2A): one address of `pcid`, all of `pcid`,
 * every PCID with the global entries, or every PCID without them. */
/*@ requires \valid(t) && xpt_tlb_ok(t);
    assigns t->flushes, t->invlpgs, XPT_TLB_DROP_ASSIGNS(t);
    ensures ok: xpt_tlb_ok(t);
    ensures only_drops: xpt_tlb_only_drops{Old, Post}(t);
    ensures gone: \forall integer i; 0 <= i < XPT_TLB_ENTRIES ==> \old(t->e[i].valid) ==>
      (!t->e[i].valid <==>
       (type == XPT_INVPCID_ADDR ?
          !\old(t->e[i].global) && \old(t->e[i].pcid) == pcid && \old(xpt_tlb_holds(t, i, va)) :
        type == XPT_INVPCID_CONTEXT ? !\old(t->e[i].global) && \old(t->e[i].pcid) == pcid :
        type == XPT_INVPCID_ALL_GLOBAL ? \true : !\old(t->e[i].global)));
*/
void xpt_tlb_invpcid(struct xpt_tlb *t, unsigned type, uint16_t pcid, uint64_t va);
/* MOV to CR3: with PCIDE the tag changes and, unless XPT_CR3_NOFLUSH,
 * the new PCID's non-global entries go; without, every non-global entry. */
/*@ requires \valid(t) && xpt_tlb_ok(t);
    assigns t->ctl.cr3, t->flushes, XPT_TLB_DROP_ASSIGNS(t);
    ensures ok: xpt_tlb_ok(t);
    ensures cr3: t->ctl.cr3 == (cr3 & ~XPT_CR3_NOFLUSH);
    ensures only_drops: xpt_tlb_only_drops{Old, Post}(t);
    ensures gone: \forall integer i; 0 <= i < XPT_TLB_ENTRIES ==> \old(t->e[i].valid) ==>
      (!t->e[i].valid <==>
       !(pg_has(t->ctl.flags, XPT_CTL_PCIDE) && pg_has(cr3, XPT_CR3_NOFLUSH)) &&
       !\old(t->e[i].global) && \old(t->e[i].pcid) == XPT_TLB_TAG(t));
*/
void xpt_tlb_load_cr3(struct xpt_tlb *t, uint64_t cr3);
/* The hooks xpt_tlb_arch fills in, each one instruction above on the TLB
 * that ctx points to.  Their contracts read ctx as that TLB: a pointer
 * cast, which WP's Typed+cast model proves them and xpt_flush_apply with
 * (proofs/ASSUMPTIONS.md). */
#define XPT_TLB_CTX(ctx) ((struct xpt_tlb *)(ctx))
/*@ requires \valid(XPT_TLB_CTX(ctx)) && xpt_tlb_ok(XPT_TLB_CTX(ctx));
    assigns XPT_TLB_CTX(ctx)->invlpgs, XPT_TLB_DROP_ASSIGNS(XPT_TLB_CTX(ctx));
    ensures ok: xpt_tlb_ok(XPT_TLB_CTX(ctx));
    ensures only_drops: xpt_tlb_only_drops{Old, Post}(XPT_TLB_CTX(ctx));
    ensures dropped: \forall integer i; 0 <= i < XPT_TLB_ENTRIES ==>
      \old(xpt_tlb_live(XPT_TLB_CTX(ctx), i) && xpt_tlb_holds(XPT_TLB_CTX(ctx), i, va)) ==>
      !XPT_TLB_CTX(ctx)->e[i].valid;
    ensures kept: \forall integer i; 0 <= i < XPT_TLB_ENTRIES ==>
      \old(XPT_TLB_CTX(ctx)->e[i].valid &&
           !(xpt_tlb_live(XPT_TLB_CTX(ctx), i) && xpt_tlb_holds(XPT_TLB_CTX(ctx), i, va))) ==>
      XPT_TLB_CTX(ctx)->e[i].valid;
*/
void xpt_tlb_hook_invlpg(void *ctx, uint64_t va);
/*@ requires \valid(XPT_TLB_CTX(ctx)) && xpt_tlb_ok(XPT_TLB_CTX(ctx));
    assigns XPT_TLB_CTX(ctx)->flushes, XPT_TLB_DROP_ASSIGNS(XPT_TLB_CTX(ctx));
    ensures ok: xpt_tlb_ok(XPT_TLB_CTX(ctx));
    ensures empty: \forall integer i; 0 <= i < XPT_TLB_ENTRIES ==> !XPT_TLB_CTX(ctx)->e[i].valid;
*/
void xpt_tlb_hook_flush_all(void *ctx);
/*@ requires \valid(XPT_TLB_CTX(ctx)) && xpt_tlb_ok(XPT_TLB_CTX(ctx));
    assigns XPT_TLB_CTX(ctx)->ctl.cr3, XPT_TLB_CTX(ctx)->flushes,
            XPT_TLB_DROP_ASSIGNS(XPT_TLB_CTX(ctx));
    ensures ok: xpt_tlb_ok(XPT_TLB_CTX(ctx));
    ensures cr3: XPT_TLB_CTX(ctx)->ctl.cr3 == (cr3 & ~XPT_CR3_NOFLUSH);
    ensures only_drops: xpt_tlb_only_drops{Old, Post}(XPT_TLB_CTX(ctx));
*/
void xpt_tlb_hook_load_cr3(void *ctx, uint64_t cr3);
/*@ requires \valid(XPT_TLB_CTX(ctx)) && xpt_tlb_ok(XPT_TLB_CTX(ctx));
    assigns XPT_TLB_CTX(ctx)->flushes, XPT_TLB_CTX(ctx)->invlpgs,
            XPT_TLB_DROP_ASSIGNS(XPT_TLB_CTX(ctx));
    ensures ok: xpt_tlb_ok(XPT_TLB_CTX(ctx));
    ensures only_drops: xpt_tlb_only_drops{Old, Post}(XPT_TLB_CTX(ctx));
    ensures gone: \forall integer i; 0 <= i < XPT_TLB_ENTRIES ==> \old(XPT_TLB_CTX(ctx)->e[i].valid) ==>
      (!XPT_TLB_CTX(ctx)->e[i].valid <==>
       (type == XPT_INVPCID_ADDR ?
          !\old(XPT_TLB_CTX(ctx)->e[i].global) && \old(XPT_TLB_CTX(ctx)->e[i].pcid) == pcid &&
          \old(xpt_tlb_holds(XPT_TLB_CTX(ctx), i, va)) :
        type == XPT_INVPCID_CONTEXT ?
          !\old(XPT_TLB_CTX(ctx)->e[i].global) && \old(XPT_TLB_CTX(ctx)->e[i].pcid) == pcid :
        type == XPT_INVPCID_ALL_GLOBAL ? \true : !\old(XPT_TLB_CTX(ctx)->e[i].global)));
*/
void xpt_tlb_hook_invpcid(void *ctx, unsigned type, uint16_t pcid, uint64_t va);
/* Hooks that drive this TLB: the four above, with t as their context. */
/*@ assigns \nothing;
    ensures \result.invlpg == &xpt_tlb_hook_invlpg && \result.flush_all == &xpt_tlb_hook_flush_all &&
      \result.load_cr3 == &xpt_tlb_hook_load_cr3 && \result.invpcid == &xpt_tlb_hook_invpcid;
    ensures XPT_TLB_CTX(\result.ctx) == t;
*/
struct xpt_arch xpt_tlb_arch(struct xpt_tlb *t);

/*@ // The invalidation theorem, in a block of its own so that only goals
    // that name its predicates see its lemmas.
    axiomatic TlbFlush {
    // The page base of each TLB page size as a mask (each proved by a
    // script that unfolds xpt_page_base, pg_size and pg_shift).
    lemma page_mask_4k: \forall integer x; xpt_page_base(x, 0) == (x & 0xfffffffffffff000);
    lemma page_mask_2m: \forall integer x; xpt_page_base(x, 1) == (x & 0xffffffffffe00000);
    lemma page_mask_1g: \forall integer x; xpt_page_base(x, 2) == (x & 0xffffffffc0000000);
    // The address a flush record names for the page of level s + 1 that
    // holds va lies in that page: a TLB entry of va's page holds it
    // (bits_page_*, proved on bit vectors).
    lemma page_flushed_4k: \forall integer va; 0 <= va < 0x10000000000000000 ==>
      (pg_page_base(va, 1) & 0xfffffffffffff000) == bits_flushed(va, 4096);
    lemma page_flushed_2m: \forall integer va; 0 <= va < 0x10000000000000000 ==>
      (pg_page_base(va, 2) & 0xfffffffffffff000) == bits_flushed(va, 2097152);
    lemma page_flushed_1g: \forall integer va; 0 <= va < 0x10000000000000000 ==>
      (pg_page_base(va, 3) & 0xfffffffffffff000) == bits_flushed(va, 1073741824);
    lemma page_in_4k: \forall integer va; 0 <= va < 0x10000000000000000 ==>
      xpt_page_base(bits_flushed(va, 4096), 0) == xpt_page_base(va, 0);
    lemma page_in_2m: \forall integer va; 0 <= va < 0x10000000000000000 ==>
      xpt_page_base(bits_flushed(va, 2097152), 1) == xpt_page_base(va, 1);
    lemma page_in_1g: \forall integer va; 0 <= va < 0x10000000000000000 ==>
      xpt_page_base(bits_flushed(va, 1073741824), 2) == xpt_page_base(va, 2);
    lemma page_held_4k: \forall integer va; 0 <= va < 0x10000000000000000 ==>
      xpt_page_base(pg_page_base(va, 1) & 0xfffffffffffff000, 0) == xpt_page_base(va, 0);
    lemma page_held_2m: \forall integer va; 0 <= va < 0x10000000000000000 ==>
      xpt_page_base(pg_page_base(va, 2) & 0xfffffffffffff000, 1) == xpt_page_base(va, 1);
    lemma page_held_1g: \forall integer va; 0 <= va < 0x10000000000000000 ==>
      xpt_page_base(pg_page_base(va, 3) & 0xfffffffffffff000, 2) == xpt_page_base(va, 2);
    // The same with the level a variable, as the provers find it in a
    // walk (one lemma a level: they split on the level, not on a range).
    lemma page_level_1: \forall integer va, L; L == 1 && 0 <= va < 0x10000000000000000 ==>
      xpt_page_base(pg_page_base(va, L) & 0xfffffffffffff000, L - 1) == xpt_page_base(va, L - 1);
    lemma page_level_2: \forall integer va, L; L == 2 && 0 <= va < 0x10000000000000000 ==>
      xpt_page_base(pg_page_base(va, L) & 0xfffffffffffff000, L - 1) == xpt_page_base(va, L - 1);
    lemma page_level_3: \forall integer va, L; L == 3 && 0 <= va < 0x10000000000000000 ==>
      xpt_page_base(pg_page_base(va, L) & 0xfffffffffffff000, L - 1) == xpt_page_base(va, L - 1);

    // Entry i serves va as the tables at L translate it: the walk maps va,
    // through tables inside the window, with a leaf of the entry's size,
    // to the entry's frame, with its rights and protection key: what an
    // access the entry serves gets (SDM 4.10.2.2).
    predicate xpt_tlb_fresh{L}(struct xpt_tlb *t, integer i, integer va) =
      pg_mapped(XPT_TLB_PGW(t, L), va) &&
      !pg_window(XPT_TLB_PGW(t, L), t->mem->nframes, va) &&
      t->e[i].size == pg_level(XPT_TLB_PGW(t, L), va) - 1 &&
      t->e[i].pa == xpt_page_base(pg_pa(XPT_TLB_PGW(t, L), va), t->e[i].size) &&
      t->e[i].pkey == pg_pkey(XPT_TLB_PGW(t, L), va) &&
      (pg_has(t->e[i].eff, XPT_WRITE) <==> pg_writable(XPT_TLB_PGW(t, L), va)) &&
      (pg_has(t->e[i].eff, XPT_USER) <==> pg_user_addr(XPT_TLB_PGW(t, L), va)) &&
      (pg_has(t->e[i].eff, XPT_NOEXEC) <==> pg_noexec(XPT_TLB_PGW(t, L), va));
    // Every entry that may serve an access serves each address it holds
    // as the tables translate it.
    predicate xpt_tlb_agrees{L}(struct xpt_tlb *t) =
      \forall integer i, va; 0 <= i < XPT_TLB_ENTRIES && 0 <= va <= UINT64_MAX && xpt_tlb_live(t, i) &&
        xpt_tlb_holds(t, i, va) && pg_canonical(t->ctl.flags, va) ==> xpt_tlb_fresh(t, i, va);
    // Every entry that may serve an access and does not agree with the
    // tables holds an address the record covers: what applying the record
    // needs to leave the TLB agreeing (xpt_flush_apply's `agrees`).
    predicate xpt_tlb_stale_in{L}(struct xpt_tlb *t, struct xpt_flush *fl) =
      \forall integer i, va; 0 <= i < XPT_TLB_ENTRIES && 0 <= va <= UINT64_MAX && xpt_tlb_live(t, i) &&
        xpt_tlb_holds(t, i, va) && pg_canonical(t->ctl.flags, va) && !xpt_tlb_fresh(t, i, va) ==>
        \exists integer page; xpt_flush_covers(fl, page) && xpt_tlb_holds(t, i, page);

    // The TLB's tables and controls at A and B, as XPT_TLB_PGW reads them.
    predicate xpt_tlb_same_ctl{A, B}(struct xpt_tlb *t) =
      \at(t->mem, A) == \at(t->mem, B) && \at(t->mem->words, A) == \at(t->mem->words, B) &&
      \at(t->mem->nframes, A) == \at(t->mem->nframes, B) &&
      \at(t->ctl.cr3, A) == \at(t->ctl.cr3, B) && \at(t->ctl.flags, A) == \at(t->ctl.flags, B) &&
      \at(t->ctl.maxphyaddr, A) == \at(t->ctl.maxphyaddr, B);

    // An entry serves va at B as at A when it is the same entry and the
    // walk of va is the same.
    lemma tlb_fresh_same{A, B}: \forall struct xpt_tlb *t, integer i, va;
      xpt_tlb_fresh{A}(t, i, va) && XPT_TLB_SAME(t, i, A, B) && xpt_tlb_same_ctl{A, B}(t) &&
      pg_same_walk{A, B}(XPT_TLB_PGW(t, B), va) ==>
      xpt_tlb_fresh{B}(t, i, va);
    // An entry at A that disagrees holds a covered page, when the stale
    // ones did.
    lemma tlb_stale_covered{A, B}: \forall struct xpt_tlb *t, struct xpt_flush *fl, integer i, va;
      xpt_tlb_stale_in{A}(t, fl) && xpt_tlb_same_ctl{A, B}(t) && 0 <= i < XPT_TLB_ENTRIES &&
      XPT_TLB_SAME(t, i, A, B) && xpt_tlb_live{B}(t, i) && xpt_tlb_holds{B}(t, i, va) &&
      0 <= va <= UINT64_MAX && pg_canonical(\at(t->ctl.flags, B), va) &&
      !xpt_tlb_fresh{A}(t, i, va) ==>
      \exists integer page; \at(xpt_flush_covers(fl, page) && xpt_tlb_holds(t, i, page), A);
    // Agreement, entry by entry.
    lemma tlb_agrees_each{L}: \forall struct xpt_tlb *t;
      (\forall integer i, va; 0 <= i < XPT_TLB_ENTRIES && 0 <= va <= UINT64_MAX &&
         xpt_tlb_live(t, i) && xpt_tlb_holds(t, i, va) && pg_canonical(t->ctl.flags, va) ==>
         xpt_tlb_fresh(t, i, va)) ==>
      xpt_tlb_agrees(t);
    // From A to B: every entry still valid is as it was.
    predicate xpt_tlb_kept{A, B}(struct xpt_tlb *t) =
      \forall integer i; 0 <= i < XPT_TLB_ENTRIES && \at(t->e[i].valid, B) ==>
        XPT_TLB_SAME(t, i, A, B);
    // From A to B: every entry that may serve an access and holds a page
    // the record covers (both at A) went.
    predicate xpt_tlb_gone{A, B}(struct xpt_tlb *t, struct xpt_flush *fl) =
      \forall integer i, page; 0 <= i < XPT_TLB_ENTRIES &&
        \at(xpt_flush_covers(fl, page) && xpt_tlb_live(t, i) && xpt_tlb_holds(t, i, page), A) ==>
        !\at(t->e[i].valid, B);
    // From A to B: every walk inside the window at A is the same.
    predicate xpt_tlb_walks_kept{A, B}(struct xpt_tlb *t) =
      \forall integer va; pg_canonical(\at(t->ctl.flags, A), va) &&
        !pg_window{A}(XPT_TLB_PGW(t, A), \at(t->mem->nframes, A), va) ==>
        pg_same_walk{A, B}(XPT_TLB_PGW(t, B), va);
    // One entry and one address of the theorem below.
    lemma tlb_entry_agrees{A, B}: \forall struct xpt_tlb *t, struct xpt_flush *fl, integer i, va;
      0 <= i < XPT_TLB_ENTRIES && xpt_tlb_same_ctl{A, B}(t) && XPT_TLB_SAME(t, i, A, B) &&
      xpt_tlb_live{B}(t, i) && xpt_tlb_holds{B}(t, i, va) && pg_canonical(\at(t->ctl.flags, B), va) &&
      (!xpt_tlb_fresh{A}(t, i, va) ==>
         \exists integer page; \at(xpt_flush_covers(fl, page) && xpt_tlb_holds(t, i, page), A)) &&
      xpt_tlb_gone{A, B}(t, fl) && xpt_tlb_walks_kept{A, B}(t) ==>
      xpt_tlb_fresh{B}(t, i, va);
    // The invalidation theorem.  From A to B the walks inside the window
    // stayed, every entry that stayed valid is as it was, and the entries
    // that may serve an access and hold a page the record covers went: a
    // TLB whose disagreeing entries were all of covered pages at A agrees
    // with the tables at B.
    lemma tlb_flush_agrees{A, B}: \forall struct xpt_tlb *t, struct xpt_flush *fl;
      xpt_tlb_stale_in{A}(t, fl) && xpt_tlb_same_ctl{A, B}(t) && xpt_tlb_kept{A, B}(t) &&
      xpt_tlb_gone{A, B}(t, fl) && xpt_tlb_walks_kept{A, B}(t) ==>
      xpt_tlb_agrees{B}(t);

    // What a mutation that filled record r from A to B guarantees (map.c's
    // `kept` and `flushed`): a walk inside the window that mapped a page
    // at A and is not the same at B has that page in the record, by its
    // base cut to 4 KiB.
    predicate xpt_flush_records{A, B}(uint64_t *w, integer cr3, integer fl, integer M, integer nf,
                                      struct xpt_flush *r) =
      \forall integer va; 0 <= va <= UINT64_MAX && pg_canonical(fl, va) &&
        !pg_window{A}(w, cr3, fl, M, nf, va) && pg_mapped{A}(w, cr3, fl, M, va) &&
        !pg_same_walk{A, B}(w, cr3, fl, M, va) ==>
        \at(xpt_flush_covers(r, pg_page_base(va, pg_level{A}(w, cr3, fl, M, va)) & 0xfffffffffffff000), B);
    // An unmap's contract gives it (XPT_UNMAP_DONE's kept and flushed,
    // from A to B, over [lo, hi)).
    lemma unmap_records{A, B}: \forall uint64_t *w, integer cr3, fl, M, nf, lo, hi,
                                        struct xpt_flush *r;
      (\forall uint64_t v; pg_canonical(fl, v) && !pg_window{A}(w, cr3, fl, M, nf, v) &&
         !(lo <= v < hi) ==> pg_same_walk{A, B}(w, cr3, fl, M, v)) &&
      (\forall uint64_t v; pg_canonical(fl, v) && lo <= v < hi &&
         !pg_window{A}(w, cr3, fl, M, nf, v) && pg_mapped{A}(w, cr3, fl, M, v) ==>
         \at(xpt_flush_covers(r, pg_page_base(v, pg_level{A}(w, cr3, fl, M, v)) & 0xfffffffffffff000), B)) ==>
      xpt_flush_records{A, B}(w, cr3, fl, M, nf, r);
    // One entry and one address of the theorem below.
    lemma tlb_stale_entry{A, B}: \forall struct xpt_tlb *t, struct xpt_flush *r, integer i, va;
      0 <= i < XPT_TLB_ENTRIES && 0 <= va <= UINT64_MAX && \at(t->e[i].size, A) <= XPT_1G &&
      xpt_tlb_same_ctl{A, B}(t) && XPT_TLB_SAME(t, i, A, B) &&
      xpt_tlb_holds{B}(t, i, va) && xpt_tlb_fresh{A}(t, i, va) && !xpt_tlb_fresh{B}(t, i, va) &&
      pg_canonical(\at(t->ctl.flags, A), va) &&
      xpt_flush_records{A, B}(XPT_TLB_PGW(t, A), \at(t->mem->nframes, A), r) ==>
      \at(xpt_flush_covers(r, pg_page_base(va, pg_level{A}(XPT_TLB_PGW(t, A), va)) & 0xfffffffffffff000) &&
           xpt_tlb_holds(t, i, pg_page_base(va, pg_level{A}(XPT_TLB_PGW(t, A), va)) & 0xfffffffffffff000), B);
    // The other half of the theorem: after a mutation that filled the
    // record as the mapper does, with the TLB left alone, a TLB that
    // agreed with the tables before disagrees with them only in entries
    // of pages the record covers.
    lemma tlb_stale_flushed{A, B}: \forall struct xpt_tlb *t, struct xpt_flush *r;
      xpt_tlb_ok{A}(t) && xpt_tlb_agrees{A}(t) && xpt_tlb_same_ctl{A, B}(t) && xpt_tlb_kept{A, B}(t) &&
      xpt_flush_records{A, B}(XPT_TLB_PGW(t, A), \at(t->mem->nframes, A), r) ==>
      xpt_tlb_stale_in{B}(t, r);
    }
*/
/* Hooks that are the TLB model's, on a well-formed TLB apart from the
 * hooks, the record and the tables: what xpt_flush_apply's contract is
 * stated for.  (A kernel's hooks are the instructions themselves.) */
#define XPT_ARCH_TLB(a, fl)                                                         \
  (\valid_read(a) && \valid(fl) && xpt_flush_ok(fl) &&                              \
   (a)->invlpg == &xpt_tlb_hook_invlpg && (a)->flush_all == &xpt_tlb_hook_flush_all && \
   \valid(XPT_TLB_CTX((a)->ctx)) && xpt_tlb_ok(XPT_TLB_CTX((a)->ctx)) &&            \
   12 < XPT_TLB_CTX((a)->ctx)->ctl.maxphyaddr <= 52 &&                              \
   \valid_read(XPT_TLB_CTX((a)->ctx)->mem) &&                                        \
   \separated(a, fl, XPT_TLB_CTX((a)->ctx), XPT_TLB_CTX((a)->ctx)->mem,              \
              XPT_TLB_CTX((a)->ctx)->mem->words +                                    \
                (0 .. XPT_TLB_CTX((a)->ctx)->mem->nframes * 512 - 1)))

/* What applying record fl through arch's TLB hooks does to both: the
 * record ends empty, the TLB well formed with entries dropped and nothing
 * else changed.  Without a trailing semicolon. */
#define XPT_FLUSH_APPLIED(arch, fl)                                                 \
  assigns (fl)->npages, (fl)->all, (fl)->global, XPT_TLB_CTX((arch)->ctx)->invlpgs, \
          XPT_TLB_CTX((arch)->ctx)->flushes, XPT_TLB_DROP_ASSIGNS(XPT_TLB_CTX((arch)->ctx)); \
  ensures empty: (fl)->npages == 0 && !(fl)->all && !(fl)->global;                 \
  ensures ok: xpt_tlb_ok(XPT_TLB_CTX((arch)->ctx));                                \
  ensures only_drops: xpt_tlb_only_drops{Old, Post}(XPT_TLB_CTX((arch)->ctx))

/* Apply the record through the hooks and empty it.  On the TLB model: each
 * entry that may serve an access and holds a page the record covers is
 * gone, the others stay as they were, and so a TLB whose only disagreeing
 * entries were of covered pages agrees with the tables afterwards. */
/*@ requires XPT_ARCH_TLB(arch, fl);
    XPT_FLUSH_APPLIED(arch, fl);
    ensures dropped: \forall integer i, page; 0 <= i < XPT_TLB_ENTRIES &&
      \old(xpt_flush_covers(fl, page) && xpt_tlb_live(XPT_TLB_CTX(arch->ctx), i) &&
           xpt_tlb_holds(XPT_TLB_CTX(arch->ctx), i, page)) ==>
      !XPT_TLB_CTX(arch->ctx)->e[i].valid;
    ensures agrees: \old(xpt_tlb_stale_in(XPT_TLB_CTX(arch->ctx), fl)) ==>
      xpt_tlb_agrees(XPT_TLB_CTX(arch->ctx));
*/
void xpt_flush_apply(const struct xpt_arch *arch, struct xpt_flush *fl);
/* The same for a space tagged `pcid` that need not be the current one:
 * INVPCID per page (and invlpg for global pages), or per context.  On the
 * TLB model: each entry of `pcid` that holds a covered page is gone, and
 * when the record says a global leaf changed, each entry that may serve
 * an access and holds a covered page too. */
/*@ requires XPT_ARCH_TLB(arch, fl) && arch->invpcid == &xpt_tlb_hook_invpcid;
    XPT_FLUSH_APPLIED(arch, fl);
    ensures dropped: \forall integer i, page; 0 <= i < XPT_TLB_ENTRIES &&
      \old(xpt_flush_covers(fl, page) && XPT_TLB_CTX(arch->ctx)->e[i].valid &&
           !XPT_TLB_CTX(arch->ctx)->e[i].global && XPT_TLB_CTX(arch->ctx)->e[i].pcid == pcid &&
           xpt_tlb_holds(XPT_TLB_CTX(arch->ctx), i, page)) ==>
      !XPT_TLB_CTX(arch->ctx)->e[i].valid;
    ensures dropped_global: \forall integer i, page; 0 <= i < XPT_TLB_ENTRIES &&
      \old(fl->global && xpt_flush_covers(fl, page) && xpt_tlb_live(XPT_TLB_CTX(arch->ctx), i) &&
           xpt_tlb_holds(XPT_TLB_CTX(arch->ctx), i, page)) ==>
      !XPT_TLB_CTX(arch->ctx)->e[i].valid;
*/
void xpt_flush_apply_pcid(const struct xpt_arch *arch, uint16_t pcid, struct xpt_flush *fl);

#endif /* XPT_H */

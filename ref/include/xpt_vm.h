/*
 * xpt_vm: address spaces and what paging makes possible, built on the
 * core of xpt.h — a kernel half shared by every space, frames shared with
 * reference counts, copy-on-write fork, demand paging, file-backed
 * mappings written back when dirty, W^X, KPTI user tables, and eviction by
 * a clock over the accessed bits.
 *
 * Like the core it is freestanding and allocates nothing: the embedder
 * hands in the reference-count array and each space's region table.
 * The layer manages 4 KiB user pages in the lower half; huge pages stay
 * with the core API.  Spaces have 4 levels, or 5 (CR4.LA57: a lower half
 * of 2^56 bytes) when the machine is set up with xpt_vm_init_levels.
 */
#ifndef XPT_VM_H
#define XPT_VM_H

#include "xpt.h"

/* Leaf bit: the frame is shared since a fork; a write copies it. */
#define XPT_VM_COW XPT_SOFT(0)
/* Non-present PTE bit: the page was evicted; its contents wait in the
 * region's pager (file-backed) or the space's swap pager (anonymous). */
#define XPT_VM_PTE_EVICTED (1ull << 10)

/* End of the lower half of a 4-level space; xpt_as_user_top() for any space. */
#define XPT_VM_USER_TOP ((uint64_t)1 << (XPT_VA_BITS - 1u))

/*@ requires \valid_read(sp);
    assigns \nothing;
    ensures five: sp->levels == 5 ==> \result == 0x100000000000000;
    ensures four: sp->levels != 5 ==> \result == 0x800000000000;
*/
static inline uint64_t xpt_space_user_top(const struct xpt_space *sp)
{
	return (uint64_t)1 << (xpt_space_va_bits(sp) - 1u);
}

/* A backing store: 4 KiB pages addressed by byte offset. */
struct xpt_pager {
	int (*read)(void *ctx, uint64_t offset, uint64_t *page);
	int (*write)(void *ctx, uint64_t offset, const uint64_t *page);
	void *ctx;
};

/* A reserved range of a space.  Frames arrive on first touch. */
struct xpt_vma {
	uint64_t start, end;           /* [start, end): page aligned, lower half */
	xpt_attr attr;
	const struct xpt_pager *pager; /* NULL: anonymous, zero-filled */
	uint64_t offset;               /* pager offset of start */
};

struct xpt_vm_stats {
	uint64_t faults;      /* calls to xpt_as_fault */
	uint64_t zero_fills;  /* anonymous first touches */
	uint64_t page_ins;    /* file pages read on first touch */
	uint64_t cow_copies;  /* write faults that copied a shared frame */
	uint64_t cow_reuses;  /* write faults on the last reference: no copy */
	uint64_t write_backs; /* dirty file pages written on unmap or eviction */
	uint64_t evictions;
	uint64_t refaults;    /* faults on evicted pages: many mean thrashing */
	uint64_t cr3_loads;   /* address-space switches, KPTI entries and exits */
};

/* State shared by every space of a machine. */
struct xpt_vm {
	struct xpt_space kernel; /* upper half: every table under the root exists, so all
	                            spaces see it; its levels are every space's */
	uint32_t *refs;          /* refs[f]: mappings and holds of frame f */
	uint64_t tramp_va, tramp_pa, tramp_len; /* KPTI entry trampolines */
	struct xpt_vm_stats stats;
};

struct xpt_as {
	struct xpt_vm *vm;
	struct xpt_space sp;     /* the kernel's view: lower half ours, upper shared */
	xpt_pfn user_root;       /* KPTI: user-mode tables; == sp.root without KPTI */
	struct xpt_vma *vmas;
	uint32_t nvmas, maxvmas;
	const struct xpt_pager *swap; /* anonymous pages evicted go here, at offset va */
	uint64_t hand;           /* eviction clock hand */
	uint64_t nevicted;       /* PTEs holding XPT_VM_PTE_EVICTED */
};

/* refs holds fa->nframes counters; the kernel half takes 257 frames.
 * Spaces of 4 levels. */
int xpt_vm_init(struct xpt_vm *vm, const struct xpt_mem *mem, struct xpt_frames *fa,
                uint32_t *refs, unsigned maxphyaddr);
/* The same with 4 or 5 levels (XPT_E_INVAL otherwise); with 5 the kernel
 * half is 256 PML4s under the PML5 and user pages may lie anywhere below
 * 2^56. */
int xpt_vm_init_levels(struct xpt_vm *vm, const struct xpt_mem *mem, struct xpt_frames *fa,
                       uint32_t *refs, unsigned maxphyaddr, unsigned levels);
/* Pages every KPTI user table set maps (supervisor, executable): len bytes
 * at va in the upper half, from pa; len 0 for none.  XPT_E_ALIGN for an
 * unaligned argument, XPT_E_NONCANONICAL for a range that is not
 * canonical or wraps, XPT_E_INVAL for one in the lower half, XPT_E_PHYS
 * for frames beyond MAXPHYADDR; each changes nothing. */
/*@ requires \valid(vm) && 12 < vm->kernel.maxphyaddr <= 52;
    requires vm->kernel.levels == 4 || vm->kernel.levels == 5;
    assigns vm->tramp_va, vm->tramp_pa, vm->tramp_len;
    ensures result: \result == XPT_OK || \result == XPT_E_ALIGN || \result == XPT_E_NONCANONICAL ||
      \result == XPT_E_INVAL || \result == XPT_E_PHYS;
    ensures align: \result == XPT_E_ALIGN <==> va % 4096 != 0 || pa % 4096 != 0 || len % 4096 != 0;
    ensures set: \result == XPT_OK ==>
      vm->tramp_va == va && vm->tramp_pa == pa && vm->tramp_len == len &&
      pg_canonical(XPT_SPACE_FLAGS(vm->kernel.levels), va) &&
      va >= (vm->kernel.levels == 5 ? 0x100000000000000 : 0x800000000000) &&
      va + len <= 0x10000000000000000 && pa + len <= (1 << vm->kernel.maxphyaddr);
    ensures refused: \result != XPT_OK ==> vm->tramp_va == \old(vm->tramp_va) &&
      vm->tramp_pa == \old(vm->tramp_pa) && vm->tramp_len == \old(vm->tramp_len);
*/
int xpt_vm_set_trampoline(struct xpt_vm *vm, uint64_t va, uint64_t pa, uint64_t len);
/* Reference counts: a hold keeps a frame alive while no space maps it.
 * vm->refs holds one counter for each frame of the allocator, apart from
 * the vm and the allocator's memory. */
/*@ predicate xpt_vm_refs_ok{L}(struct xpt_vm *vm) =
      \valid(vm) && \valid_read(vm->kernel.fa) &&
      \valid(vm->refs + (0 .. vm->kernel.fa->nframes - 1)) &&
      \separated(vm->refs + (0 .. vm->kernel.fa->nframes - 1), vm, XPT_FRAMES_META(vm->kernel.fa));
*/
/* One more hold on frame f: XPT_E_RANGE beyond the allocator's frames,
 * XPT_E_INVAL when its count is at its maximum; either changes nothing. */
/*@ requires xpt_vm_refs_ok(vm);
    assigns vm->refs[f];
    behavior range:
      assumes f >= vm->kernel.fa->nframes;
      assigns \nothing;
      ensures beyond: \result == XPT_E_RANGE;
    behavior full:
      assumes f < vm->kernel.fa->nframes && vm->refs[f] == UINT32_MAX;
      assigns \nothing;
      ensures saturated: \result == XPT_E_INVAL;
    behavior held:
      assumes f < vm->kernel.fa->nframes && vm->refs[f] < UINT32_MAX;
      ensures one_more: \result == XPT_OK && vm->refs[f] == \old(vm->refs[f]) + 1;
    complete behaviors;
    disjoint behaviors;
*/
int xpt_vm_frame_get(struct xpt_vm *vm, xpt_pfn f);
/* One hold fewer on frame f; the last one gives it back to the allocator
 * and returns what xpt_frame_free says (XPT_E_RESERVED for a frame that
 * is not the allocator's: the hold is gone all the same).
 * XPT_E_DOUBLE_FREE, changing nothing, when nothing holds f. */
/*@ requires xpt_vm_refs_ok(vm) && xpt_frames_ok(vm->kernel.fa);
    assigns vm->refs[f], XPT_FRAMES_WRITES(vm->kernel.fa);
    ensures xpt_frames_ok(vm->kernel.fa);
    behavior unheld:
      assumes f >= vm->kernel.fa->nframes || vm->refs[f] == 0;
      assigns \nothing;
      ensures unheld: \result == XPT_E_DOUBLE_FREE;
    behavior held:
      assumes f < vm->kernel.fa->nframes && vm->refs[f] > 1;
      assigns vm->refs[f];
      ensures one_fewer: \result == XPT_OK && vm->refs[f] == \old(vm->refs[f]) - 1;
    behavior last:
      assumes f < vm->kernel.fa->nframes && vm->refs[f] == 1;
      ensures vm->refs[f] == 0;
      ensures \result == XPT_OK || \result == XPT_E_RESERVED || \result == XPT_E_DOUBLE_FREE;
      ensures freed: \result == XPT_OK <==> fr_usable{Pre}(vm->kernel.fa, f) && !fr_free{Pre}(vm->kernel.fa, f);
      ensures free: \result == XPT_OK ==> fr_free(vm->kernel.fa, f);
    complete behaviors;
    disjoint behaviors;
*/
int xpt_vm_frame_put(struct xpt_vm *vm, xpt_pfn f);

int xpt_as_create(struct xpt_vm *vm, struct xpt_as *as, struct xpt_vma *vmas, uint32_t maxvmas,
                  bool kpti);
/* Every frame, table and region given back; evicted contents dropped. */
int xpt_as_destroy(struct xpt_as *as);
/* End of the space's lower half: 2^47, or 2^56 with 5 levels. */
/*@ requires \valid_read(as);
    assigns \nothing;
    ensures five: as->sp.levels == 5 ==> \result == 0x100000000000000;
    ensures four: as->sp.levels != 5 ==> \result == 0x800000000000;
*/
static inline uint64_t xpt_as_user_top(const struct xpt_as *as)
{
	return xpt_space_user_top(&as->sp);
}
static inline uint64_t xpt_as_cr3(const struct xpt_as *as, bool user)
{
	return (user ? as->user_root : as->sp.root) << XPT_PAGE_SHIFT;
}
/* Load this space's kernel tables (user tables with `user` under KPTI). */
void xpt_as_switch(struct xpt_as *as, const struct xpt_arch *arch, bool user);

/* The end of the lower half of as, in annotations. */
#define XPT_AS_TOP(as) ((as)->sp.levels == 5 ? 0x100000000000000 : 0x800000000000)
/*@ // The regions of as: nvmas of them in use, in an array of maxvmas
    // apart from the space's own record.
    predicate xpt_as_regions{L}(struct xpt_as *as) =
      \valid(as) && as->nvmas <= as->maxvmas &&
      \valid(as->vmas + (0 .. as->maxvmas - 1)) && \separated(as, as->vmas + (0 .. as->maxvmas - 1));
    // Some region holds va.
    predicate xpt_as_in_region{L}(struct xpt_as *as, integer va) =
      \exists integer i; 0 <= i < as->nvmas && as->vmas[i].start <= va < as->vmas[i].end;
*/
/* A region with no frames yet; the first touch of each page faults it in.
 * XPT_E_EXISTS when it meets a region, XPT_E_NOMEM when the array is full;
 * done, it is the last region and the others are as they were. */
/*@ requires xpt_as_regions(as);
    assigns as->nvmas, as->vmas[0 .. as->maxvmas - 1];
    ensures regions: xpt_as_regions(as);
    ensures errors: \result == XPT_OK || \result == XPT_E_INVAL || \result == XPT_E_ALIGN ||
      \result == XPT_E_NONCANONICAL || \result == XPT_E_POLICY || \result == XPT_E_EXISTS ||
      \result == XPT_E_NOMEM;
    ensures refused: \result != XPT_OK ==> as->nvmas == \old(as->nvmas);
    ensures exists: \result == XPT_E_EXISTS ==>
      \exists integer i; 0 <= i < as->nvmas && start < as->vmas[i].end && as->vmas[i].start < start + len;
    ensures added: \result == XPT_OK ==> as->nvmas == \old(as->nvmas) + 1 &&
      as->vmas[as->nvmas - 1].start == start && as->vmas[as->nvmas - 1].end == start + len &&
      start + len <= XPT_AS_TOP(as) &&
      (\forall integer i; 0 <= i < \old(as->nvmas) ==>
         as->vmas[i].start >= start + len || as->vmas[i].end <= start);
    ensures kept: \forall integer i; 0 <= i < \old(as->nvmas) ==>
      as->vmas[i].start == \old(as->vmas[i].start) && as->vmas[i].end == \old(as->vmas[i].end);
*/
int xpt_as_reserve(struct xpt_as *as, uint64_t start, uint64_t len, xpt_attr attr,
                   const struct xpt_pager *pager, uint64_t offset);
/* Map an existing frame (a shared library page) and take a reference.
 * Refused, changing nothing, as xpt_vm_frame_get refuses a hold
 * (XPT_E_RANGE, XPT_E_INVAL), and with XPT_E_INVAL for software bits. */
int xpt_as_map_shared(struct xpt_as *as, uint64_t va, xpt_pfn f, xpt_attr attr,
                      struct xpt_flush *fl);
/* Resolve a #PF at va with its error code: demand zero, page in, copy on
 * write, or a spurious fault (the page goes into the flush record).
 * XPT_E_NOT_MAPPED: no region; XPT_E_POLICY: the region forbids it. */
int xpt_as_fault(struct xpt_as *as, uint64_t va, uint32_t error_code, struct xpt_flush *fl);
/* Write dirty file pages back, drop references, remove the regions. */
int xpt_as_unmap(struct xpt_as *as, uint64_t start, uint64_t len, struct xpt_flush *fl);
/* New attributes for regions and present pages; copy-on-write pages stay
 * read-only until written. */
int xpt_as_protect(struct xpt_as *as, uint64_t start, uint64_t len, xpt_attr attr,
                   struct xpt_flush *fl);
/* child shares every page of parent: anonymous pages become copy-on-write
 * in both (read-only ones too, so that a later protect to writable still
 * copies); file-backed pages and frames mapped with xpt_as_map_shared stay
 * shared as they are (file writes go to the file; a write to a shared
 * frame outside any region is refused, never copied).  Evicted pages are
 * faulted in first. */
int xpt_as_fork(struct xpt_as *parent, struct xpt_as *child, struct xpt_vma *vmas,
                uint32_t maxvmas, struct xpt_flush *parent_fl);
/* Clock over the accessed bits: up to `want` pages leave memory. */
int xpt_as_evict(struct xpt_as *as, uint64_t want, struct xpt_flush *fl, uint64_t *evicted);

/*
 * Deduplication: pages of the given spaces with identical contents come to
 * share one frame, copy-on-write, and the duplicates go back to the
 * allocator.  Only 4 KiB pages held by a single reference are candidates;
 * `scratch` (room for `max` entries) holds them while they are compared,
 * and pages beyond `max` wait for a later pass.  fls[i] collects the
 * invalidations of spaces[i]; *saved counts the frames given back.
 */
struct xpt_vm_page {
	uint64_t hash, va;
	xpt_pfn f;
	uint32_t space;
};
int xpt_vm_dedup(struct xpt_as *const *spaces, uint32_t nspaces, struct xpt_vm_page *scratch,
                 uint64_t max, struct xpt_flush *fls, uint64_t *saved);

#endif /* XPT_VM_H */

/*
 * Address spaces on the core: sharing, copy-on-write, demand paging,
 * file-backed regions, KPTI and eviction.  Every page this layer maps holds
 * one reference in vm->refs; a frame returns to the allocator when its
 * last reference goes.
 */
#include "bits.h"
#include "xpt_vm.h"

#define HALF (XPT_ENTRIES / 2u) /* PML4 entries of one half */

/* --------------------------------------------------------------- frames */

/* Why frame f cannot take one more hold (no counter beyond the
 * allocator's frames, a full count), or XPT_OK. */
/*@ requires xpt_vm_refs_ok(vm);
    assigns \nothing;
    ensures beyond: \result == XPT_E_RANGE <==> f >= vm->kernel.fa->nframes;
    ensures saturated: \result == XPT_E_INVAL <==>
      f < vm->kernel.fa->nframes && vm->refs[f] == UINT32_MAX;
    ensures one_more: \result == XPT_OK <==>
      f < vm->kernel.fa->nframes && vm->refs[f] < UINT32_MAX;
*/
static int hold_refused(const struct xpt_vm *vm, xpt_pfn f)
{
	if (f >= vm->kernel.fa->nframes)
		return XPT_E_RANGE;
	if (vm->refs[f] == UINT32_MAX)
		return XPT_E_INVAL;
	return XPT_OK;
}

int xpt_vm_frame_get(struct xpt_vm *vm, xpt_pfn f)
{
	int err = hold_refused(vm, f);
	if (err == XPT_OK)
		vm->refs[f]++;
	return err;
}

int xpt_vm_frame_put(struct xpt_vm *vm, xpt_pfn f)
{
	if (f >= vm->kernel.fa->nframes || vm->refs[f] == 0)
		return XPT_E_DOUBLE_FREE;
	if (--vm->refs[f] == 0)
		return xpt_frame_free(vm->kernel.fa, f);
	return XPT_OK;
}

static uint64_t *frame_words(const struct xpt_space *sp, xpt_pfn f)
{
	return &sp->mem.words[xpt_slot(f, 0)];
}

/* A fresh frame with one reference. */
static int frame_new(struct xpt_vm *vm, xpt_pfn *f)
{
	int err = xpt_frame_alloc(vm->kernel.fa, f);
	if (err == XPT_OK)
		vm->refs[*f] = 1;
	return err;
}

/* ------------------------------------------------------------------ vm */

int xpt_vm_init_levels(struct xpt_vm *vm, const struct xpt_mem *mem, struct xpt_frames *fa,
                       uint32_t *refs, unsigned maxphyaddr, unsigned levels)
{
	int err;
	if (levels != XPT_LEVELS && levels != XPT_MAX_LEVELS)
		return XPT_E_INVAL;
	if (fa->nfree < HALF + 1u)
		return XPT_E_NOMEM;
	err = xpt_space_init_levels(&vm->kernel, mem, fa, maxphyaddr, levels);
	if (err != XPT_OK)
		return err;
	for (uint64_t f = 0; f < fa->nframes; f++)
		refs[f] = 0;
	*vm = (struct xpt_vm){ .kernel = vm->kernel, .refs = refs };
	/* Every upper-half root entry gets its table (a PDPT, or a PML4 with
	 * 5 levels) now, so a kernel mapping made later shows in every space
	 * that copied these entries. */
	for (unsigned i = HALF; i < XPT_ENTRIES; i++) {
		xpt_pfn t;
		(void)xpt_frame_alloc(fa, &t); /* counted above: cannot fail */
		for (unsigned j = 0; j < XPT_ENTRIES; j++)
			mem->words[xpt_slot(t, j)] = 0;
		mem->words[xpt_slot(vm->kernel.root, i)] =
		    (t << XPT_PAGE_SHIFT) | XPT_PTE_P | XPT_PTE_RW | XPT_PTE_US;
	}
	return XPT_OK;
}

int xpt_vm_init(struct xpt_vm *vm, const struct xpt_mem *mem, struct xpt_frames *fa,
                uint32_t *refs, unsigned maxphyaddr)
{
	return xpt_vm_init_levels(vm, mem, fa, refs, maxphyaddr, XPT_LEVELS);
}

int xpt_vm_set_trampoline(struct xpt_vm *vm, uint64_t va, uint64_t pa, uint64_t len)
{
	uint64_t limit = (uint64_t)1 << vm->kernel.maxphyaddr;
	unsigned bits = xpt_space_va_bits(&vm->kernel);
	//@ assert limit: limit == (1 << vm->kernel.maxphyaddr);
	//@ assert bits_5: pg_va_bits(XPT_SPACE_FLAGS(5)) == 57;
	//@ assert bits_4: pg_va_bits(XPT_SPACE_FLAGS(4)) == 48;
	//@ assert va_bits: pg_va_bits(XPT_SPACE_FLAGS(vm->kernel.levels)) == bits;
	if (va % XPT_PAGE_SIZE || pa % XPT_PAGE_SIZE || len % XPT_PAGE_SIZE)
		return XPT_E_ALIGN;
	if (!xpt_canonical_width(va, bits))
		return XPT_E_NONCANONICAL;
	if (va < xpt_space_user_top(&vm->kernel))
		return XPT_E_INVAL;
	/* Every upper-half address from va up is canonical: only a wrap is not. */
	if (len != 0 && len - 1u > UINT64_MAX - va)
		return XPT_E_NONCANONICAL;
	if (pa > limit || len > limit - pa)
		return XPT_E_PHYS;
	vm->tramp_va = va;
	vm->tramp_pa = pa;
	vm->tramp_len = len;
	return XPT_OK;
}

/* --------------------------------------------------------------- spaces */

/* The user tables share the kernel tables' lower half entry for entry. */
static void sync_user(struct xpt_as *as)
{
	if (as->user_root == as->sp.root)
		return;
	for (unsigned i = 0; i < HALF; i++)
		as->sp.mem.words[xpt_slot(as->user_root, i)] =
		    as->sp.mem.words[xpt_slot(as->sp.root, i)];
}

static struct xpt_space user_view(const struct xpt_as *as)
{
	struct xpt_space v = as->sp;
	v.root = as->user_root;
	return v;
}

/* KPTI user tables: the lower half of the space and the trampolines. */
static int make_user_root(struct xpt_as *as)
{
	struct xpt_vm *vm = as->vm;
	struct xpt_space v;
	int err = xpt_space_init_levels(&v, &as->sp.mem, as->sp.fa, as->sp.maxphyaddr, as->sp.levels);
	if (err != XPT_OK)
		return err;
	as->user_root = v.root;
	if (vm->tramp_len == 0)
		return XPT_OK;
	err = xpt_map_range(&v, vm->tramp_va, vm->tramp_pa, vm->tramp_len, 0, XPT_OPT_NO_2M, NULL);
	if (err != XPT_OK) {
		(void)xpt_space_destroy(&v, true);
		as->user_root = as->sp.root;
	}
	return err;
}

int xpt_as_create(struct xpt_vm *vm, struct xpt_as *as, struct xpt_vma *vmas, uint32_t maxvmas,
                  bool kpti)
{
	struct xpt_space sp;
	int err = xpt_space_init_levels(&sp, &vm->kernel.mem, vm->kernel.fa, vm->kernel.maxphyaddr,
	                                vm->kernel.levels);
	if (err != XPT_OK)
		return err;
	for (unsigned i = HALF; i < XPT_ENTRIES; i++)
		sp.mem.words[xpt_slot(sp.root, i)] = sp.mem.words[xpt_slot(vm->kernel.root, i)];
	sp.policy = vm->kernel.policy;
	*as = (struct xpt_as){ .vm = vm, .sp = sp, .user_root = sp.root, .vmas = vmas,
	                       .maxvmas = maxvmas };
	if (kpti && (err = make_user_root(as)) != XPT_OK)
		(void)xpt_frame_free(sp.fa, sp.root);
	return err;
}

/* Drop the reference of every page in [start, end), writing dirty file pages back. */
static void release_pages(struct xpt_as *as, uint64_t start, uint64_t end);

int xpt_as_destroy(struct xpt_as *as)
{
	release_pages(as, 0, xpt_as_user_top(as));
	if (as->user_root != as->sp.root) {
		struct xpt_space v = user_view(as);
		for (unsigned i = 0; i < HALF; i++) /* shared with sp: freed below */
			as->sp.mem.words[xpt_slot(as->user_root, i)] = 0;
		(void)xpt_space_destroy(&v, true);
	}
	(void)xpt_space_destroy(&as->sp, false);
	as->nvmas = 0;
	as->nevicted = 0;
	return xpt_frame_free(as->sp.fa, as->sp.root);
}

void xpt_as_switch(struct xpt_as *as, const struct xpt_arch *arch, bool user)
{
	as->vm->stats.cr3_loads++;
	arch->load_cr3(arch->ctx, xpt_as_cr3(as, user));
}

/* -------------------------------------------------------------- regions */

/* The region that holds va, or NULL. */
/*@ requires \valid_read(as) && \valid_read(as->vmas + (0 .. as->nvmas - 1));
    assigns \nothing;
    ensures found: \result != \null ==> \exists integer i; 0 <= i < as->nvmas &&
      \result == &as->vmas[i] && as->vmas[i].start <= va < as->vmas[i].end;
    ensures none: \result == \null <==> !xpt_as_in_region(as, va);
*/
static struct xpt_vma *find_vma(const struct xpt_as *as, uint64_t va)
{
	/*@ loop invariant 0 <= i <= as->nvmas;
	    loop invariant \forall integer j; 0 <= j < i ==> !(as->vmas[j].start <= va < as->vmas[j].end);
	    loop assigns i;
	    loop variant as->nvmas - i;
	*/
	for (uint32_t i = 0; i < as->nvmas; i++)
		if (va >= as->vmas[i].start && va < as->vmas[i].end)
			return &as->vmas[i];
	return NULL;
}

/*@ requires \valid_read(as);
    assigns \nothing;
    ensures \result == XPT_OK || \result == XPT_E_INVAL || \result == XPT_E_ALIGN ||
      \result == XPT_E_NONCANONICAL;
    ensures ok: \result == XPT_OK ==> len != 0 && (start | len) % 4096 == 0;
    ensures below: \result == XPT_OK ==> start + len <= XPT_AS_TOP(as);
*/
static int check_user_range(const struct xpt_as *as, uint64_t start, uint64_t len)
{
	uint64_t top = xpt_as_user_top(as);
	if (len == 0)
		return XPT_E_INVAL;
	if ((start | len) % XPT_PAGE_SIZE != 0)
		return XPT_E_ALIGN;
	if (start >= top || len > top - start)
		return XPT_E_NONCANONICAL;
	return XPT_OK;
}

/*@ requires \valid_read(as);
    assigns \nothing;
*/
static bool wx_forbidden(const struct xpt_as *as, xpt_attr attr)
{
	return (as->sp.policy & XPT_POLICY_WX) && (attr & XPT_WRITE) && !(attr & XPT_NOEXEC);
}

int xpt_as_reserve(struct xpt_as *as, uint64_t start, uint64_t len, xpt_attr attr,
                   const struct xpt_pager *pager, uint64_t offset)
{
	int err = check_user_range(as, start, len);
	if (err != XPT_OK)
		return err;
	if (attr & ~XPT_ATTR_MASK || attr & XPT_SOFT_MASK || offset % XPT_PAGE_SIZE)
		return XPT_E_INVAL;
	if (wx_forbidden(as, attr))
		return XPT_E_POLICY;
	/*@ loop invariant 0 <= i <= as->nvmas;
	    loop invariant \forall integer j; 0 <= j < i ==>
	      as->vmas[j].start >= start + len || as->vmas[j].end <= start;
	    loop assigns i;
	    loop variant as->nvmas - i;
	*/
	for (uint32_t i = 0; i < as->nvmas; i++)
		if (start < as->vmas[i].end && as->vmas[i].start < start + len)
			return XPT_E_EXISTS;
	if (as->nvmas == as->maxvmas)
		return XPT_E_NOMEM;
	/* Field by field: WP loses the fields of a struct assigned whole. */
	struct xpt_vma *v = &as->vmas[as->nvmas];
	v->start = start;
	v->end = start + len;
	v->attr = attr;
	v->pager = pager;
	v->offset = offset;
	as->nvmas++;
	return XPT_OK;
}

/* Regions needed to cut every region at `start` and `end`. */
/*@ requires \valid_read(as) && \valid_read(as->vmas + (0 .. as->nvmas - 1));
    assigns \nothing;
    ensures \result <= 2 * as->nvmas;
*/
static uint32_t cuts_needed(const struct xpt_as *as, uint64_t start, uint64_t end)
{
	uint32_t n = 0;
	/*@ loop invariant 0 <= i <= as->nvmas && n <= 2 * i;
	    loop assigns i, n;
	    loop variant as->nvmas - i;
	*/
	for (uint32_t i = 0; i < as->nvmas; i++) {
		n += as->vmas[i].start < start && start < as->vmas[i].end;
		n += as->vmas[i].start < end && end < as->vmas[i].end;
	}
	return n;
}

/* Make `at` a region boundary; the caller has checked there is room. */
static void cut(struct xpt_as *as, uint64_t at)
{
	struct xpt_vma *v = find_vma(as, at);
	if (v == NULL || v->start == at)
		return;
	struct xpt_vma tail = *v;
	tail.offset += at - v->start;
	tail.start = at;
	v->end = at;
	as->vmas[as->nvmas++] = tail;
}

/* Regions that strictly contain [start, end): removing the range splits them. */
/*@ requires \valid_read(as) && \valid_read(as->vmas + (0 .. as->nvmas - 1));
    assigns \nothing;
    ensures \result <= as->nvmas;
*/
static uint32_t holes_needed(const struct xpt_as *as, uint64_t start, uint64_t end)
{
	uint32_t n = 0;
	/*@ loop invariant 0 <= i <= as->nvmas && n <= i;
	    loop assigns i, n;
	    loop variant as->nvmas - i;
	*/
	for (uint32_t i = 0; i < as->nvmas; i++)
		n += as->vmas[i].start < start && end < as->vmas[i].end;
	return n;
}

/* Take [start, end) out of every region; holes_needed() slots must be free. */
static void remove_range(struct xpt_as *as, uint64_t start, uint64_t end)
{
	for (uint32_t i = 0; i < as->nvmas;) {
		struct xpt_vma *v = &as->vmas[i];
		if (v->start >= start && v->end <= end) {
			*v = as->vmas[--as->nvmas];
			continue;
		}
		if (v->start < end && end < v->end && v->start < start) { /* a hole in v */
			struct xpt_vma tail = *v;
			tail.offset += end - v->start;
			tail.start = end;
			as->vmas[as->nvmas++] = tail;
			v = &as->vmas[i];
		}
		if (v->start < start && start < v->end) {
			v->end = start;
		} else if (v->start < end && end < v->end && v->start >= start) {
			v->offset += end - v->start;
			v->start = end;
		}
		i++;
	}
}

/* ---------------------------------------------------------------- pages */

/* The PTE slot of va, when the tables reach level 1. */
static uint64_t *pte_of(const struct xpt_as *as, uint64_t va)
{
	struct xpt_ctl ctl = xpt_space_ctl(&as->sp, XPT_CTL_NXE | XPT_CTL_GBPAGES, 0);
	struct xpt_walk w;
	if (xpt_walk(&as->sp.mem, &ctl, va, XPT_ACC_READ, &w) != XPT_OK || w.levels != as->sp.levels)
		return NULL;
	return &as->sp.mem.words[w.entry_pa[w.levels - 1u] / 8u];
}

static void write_back(struct xpt_as *as, const struct xpt_vma *v, uint64_t va, xpt_pfn f)
{
	if (v == NULL || v->pager == NULL)
		return;
	as->vm->stats.write_backs++;
	(void)v->pager->write(v->pager->ctx, v->offset + (va - v->start), frame_words(&as->sp, f));
}

static void release_pages(struct xpt_as *as, uint64_t start, uint64_t end)
{
	struct xpt_mapping m;
	uint64_t va = start;
	while (va < end && xpt_next_leaf_in(&as->sp, va, end, &m) == XPT_OK) {
		xpt_pfn f = m.pa >> XPT_PAGE_SHIFT;
		if (m.entry & XPT_PTE_D)
			write_back(as, find_vma(as, m.va), m.va, f);
		if (f < as->sp.fa->nframes && as->vm->refs[f] > 0)
			(void)xpt_vm_frame_put(as->vm, f);
		va = m.va + xpt_size_bytes(m.size);
	}
	/* Evicted pages lie inside regions: clear their markers there. */
	for (uint32_t i = 0; i < as->nvmas && as->nevicted > 0; i++) {
		uint64_t lo = as->vmas[i].start > start ? as->vmas[i].start : start;
		uint64_t hi = as->vmas[i].end < end ? as->vmas[i].end : end;
		for (va = lo; va < hi && as->nevicted > 0; va += XPT_PAGE_SIZE) {
			uint64_t *pte = pte_of(as, va);
			if (pte != NULL && !(*pte & XPT_PTE_P) && (*pte & XPT_VM_PTE_EVICTED)) {
				*pte = 0;
				as->nevicted--;
			}
		}
	}
}

/* Every leaf in [start, end) is a 4 KiB page. */
static bool only_small_pages(const struct xpt_as *as, uint64_t start, uint64_t end)
{
	struct xpt_mapping m;
	uint64_t va = start;
	while (va < end && xpt_next_leaf_in(&as->sp, va, end, &m) == XPT_OK) {
		if (m.size != XPT_4K)
			return false;
		va = m.va + XPT_PAGE_SIZE;
	}
	return true;
}

int xpt_as_map_shared(struct xpt_as *as, uint64_t va, xpt_pfn f, xpt_attr attr,
                      struct xpt_flush *fl)
{
	int err = check_user_range(as, va, XPT_PAGE_SIZE);
	if (err != XPT_OK)
		return err;
	if (attr & XPT_SOFT_MASK)
		return XPT_E_INVAL;
	err = hold_refused(as->vm, f); /* refused before anything is mapped */
	if (err != XPT_OK)
		return err;
	err = xpt_map(&as->sp, va, f << XPT_PAGE_SHIFT, XPT_4K, attr, fl);
	if (err == XPT_OK) {
		(void)xpt_vm_frame_get(as->vm, f); /* a frame and a count checked above */
		sync_user(as);
	}
	return err;
}

int xpt_as_unmap(struct xpt_as *as, uint64_t start, uint64_t len, struct xpt_flush *fl)
{
	int err = check_user_range(as, start, len);
	if (err != XPT_OK)
		return err;
	if (as->nvmas + holes_needed(as, start, start + len) > as->maxvmas)
		return XPT_E_NOMEM;
	if (!only_small_pages(as, start, start + len))
		return XPT_E_HUGE;
	release_pages(as, start, start + len);
	err = xpt_unmap_range(&as->sp, start, len, XPT_OPT_FREE_TABLES, fl);
	remove_range(as, start, start + len);
	sync_user(as);
	return err;
}

int xpt_as_protect(struct xpt_as *as, uint64_t start, uint64_t len, xpt_attr attr,
                   struct xpt_flush *fl)
{
	struct xpt_mapping m;
	uint64_t va = start, end;
	int err = check_user_range(as, start, len);
	if (err != XPT_OK)
		return err;
	end = start + len;
	if (attr & ~XPT_ATTR_MASK || attr & XPT_SOFT_MASK)
		return XPT_E_INVAL;
	if (wx_forbidden(as, attr))
		return XPT_E_POLICY;
	if (as->nvmas + cuts_needed(as, start, end) > as->maxvmas)
		return XPT_E_NOMEM;
	if (!only_small_pages(as, start, end))
		return XPT_E_HUGE;
	cut(as, start);
	cut(as, end);
	for (uint32_t i = 0; i < as->nvmas; i++)
		if (as->vmas[i].start >= start && as->vmas[i].end <= end)
			as->vmas[i].attr = attr;
	while (va < end && xpt_next_leaf_in(&as->sp, va, end, &m) == XPT_OK) {
		xpt_attr a = attr;
		if (m.attr & XPT_VM_COW) /* still shared: the first write copies */
			a = (attr & ~XPT_WRITE) | XPT_VM_COW;
		(void)xpt_protect(&as->sp, m.va, a, fl);
		va = m.va + XPT_PAGE_SIZE;
	}
	return XPT_OK;
}

/* ---------------------------------------------------------------- faults */

/*@ requires \valid_read(v);
    assigns \nothing;
    ensures \result ==> (!(ec & XPT_PF_W) || (v->attr & XPT_WRITE)) &&
      (!(ec & XPT_PF_ID) || !(v->attr & XPT_NOEXEC)) && (!(ec & XPT_PF_U) || (v->attr & XPT_USER));
*/
static bool vma_allows(const struct xpt_vma *v, uint32_t ec)
{
	if ((ec & XPT_PF_W) && !(v->attr & XPT_WRITE))
		return false;
	if ((ec & XPT_PF_ID) && (v->attr & XPT_NOEXEC))
		return false;
	return !(ec & XPT_PF_U) || (v->attr & XPT_USER);
}

/* First touch (or touch after eviction) of a page of region v. */
static int fault_in(struct xpt_as *as, const struct xpt_vma *v, uint64_t page, bool evicted,
                    struct xpt_flush *fl)
{
	struct xpt_vm *vm = as->vm;
	const struct xpt_pager *src = v->pager;
	uint64_t off = v->offset + (page - v->start);
	xpt_pfn f;
	int err = frame_new(vm, &f);
	if (err != XPT_OK)
		return err;
	if (evicted && src == NULL) {
		src = as->swap;
		off = page;
	}
	if (src != NULL) {
		err = src->read(src->ctx, off, frame_words(&as->sp, f));
	} else {
		for (unsigned i = 0; i < XPT_ENTRIES; i++)
			frame_words(&as->sp, f)[i] = 0;
	}
	if (err == XPT_OK)
		err = xpt_map(&as->sp, page, f << XPT_PAGE_SHIFT, XPT_4K, v->attr, fl);
	if (err != XPT_OK) {
		vm->refs[f] = 0;
		(void)xpt_frame_free(as->sp.fa, f);
		return err;
	}
	vm->stats.refaults += evicted;
	vm->stats.page_ins += src != NULL;
	vm->stats.zero_fills += src == NULL;
	as->nevicted -= evicted;
	sync_user(as);
	return XPT_OK;
}

/* A write to a copy-on-write page: copy it, or take it back when ours alone. */
static int break_cow(struct xpt_as *as, const struct xpt_mapping *m, struct xpt_flush *fl)
{
	struct xpt_vm *vm = as->vm;
	xpt_pfn old = m->pa >> XPT_PAGE_SHIFT, copy;
	xpt_attr attr = (m->attr & ~XPT_VM_COW) | XPT_WRITE;
	int err;
	if (vm->refs[old] == 1) {
		vm->stats.cow_reuses++;
		return xpt_protect(&as->sp, m->va, attr, fl);
	}
	if ((err = frame_new(vm, &copy)) != XPT_OK)
		return err;
	for (unsigned i = 0; i < XPT_ENTRIES; i++)
		frame_words(&as->sp, copy)[i] = frame_words(&as->sp, old)[i];
	/* The table stays, so the map after the unmap needs no frame. */
	(void)xpt_unmap_range(&as->sp, m->va, XPT_PAGE_SIZE, 0, fl);
	(void)xpt_map(&as->sp, m->va, copy << XPT_PAGE_SHIFT, XPT_4K, attr, fl);
	vm->refs[old]--;
	vm->stats.cow_copies++;
	return XPT_OK;
}

int xpt_as_fault(struct xpt_as *as, uint64_t va, uint32_t error_code, struct xpt_flush *fl)
{
	uint64_t page = va & ~(uint64_t)(XPT_PAGE_SIZE - 1u);
	struct xpt_vma *v = va < xpt_as_user_top(as) ? find_vma(as, page) : NULL;
	struct xpt_mapping m;
	uint64_t *pte;
	int err;

	as->vm->stats.faults++;
	err = xpt_translate(&as->sp, page, &m);
	if (err == XPT_E_NOT_MAPPED) {
		if (v == NULL)
			return XPT_E_NOT_MAPPED;
		if (!vma_allows(v, error_code))
			return XPT_E_POLICY;
		pte = pte_of(as, page);
		return fault_in(as, v, page, pte != NULL && (*pte & XPT_VM_PTE_EVICTED), fl);
	}
	if (err != XPT_OK)
		return err;
	if ((error_code & XPT_PF_W) && (m.attr & XPT_VM_COW)) {
		if (v == NULL || !(v->attr & XPT_WRITE))
			return XPT_E_POLICY;
		err = break_cow(as, &m, fl);
		sync_user(as);
		return err;
	}
	/* The tables allow it now: a stale TLB entry raised the fault. */
	if ((!(error_code & XPT_PF_W) || (m.eff & XPT_WRITE)) &&
	    (!(error_code & XPT_PF_U) || (m.eff & XPT_USER)) &&
	    (!(error_code & XPT_PF_ID) || !(m.eff & XPT_NOEXEC))) {
		xpt_flush_add(fl, page);
		return XPT_OK;
	}
	return XPT_E_POLICY;
}

/* ------------------------------------------------------------------ fork */

/* Fault every evicted page of the space back in. */
static int fault_all_in(struct xpt_as *as)
{
	for (uint32_t i = 0; i < as->nvmas && as->nevicted > 0; i++) {
		const struct xpt_vma v = as->vmas[i];
		for (uint64_t va = v.start; va < v.end && as->nevicted > 0; va += XPT_PAGE_SIZE) {
			uint64_t *pte = pte_of(as, va);
			int err = XPT_OK;
			if (pte != NULL && !(*pte & XPT_PTE_P) && (*pte & XPT_VM_PTE_EVICTED))
				err = fault_in(as, &v, va, true, NULL);
			if (err != XPT_OK)
				return err;
		}
	}
	return XPT_OK;
}

/* A page whose frame is shared: read-only, and marked so that making it
 * writable later (xpt_as_protect) still copies it first. */
/*@ assigns \nothing;
    ensures !(\result & XPT_WRITE) && (\result & XPT_VM_COW);
*/
static xpt_attr shared_attr(xpt_attr a)
{
	return (a & ~XPT_WRITE) | XPT_VM_COW;
}

/* What a fork gives the child for leaf m: pages outside regions (shared
 * frames mapped with xpt_as_map_shared) and file-backed pages (their writes
 * reach the file, so both sides must see them) stay shared as they are;
 * anonymous pages become copy-on-write. */
/*@ requires \valid_read(m) && \valid_read(parent) &&
      \valid_read(parent->vmas + (0 .. parent->nvmas - 1));
    assigns \nothing;
*/
static xpt_attr fork_attr(const struct xpt_as *parent, const struct xpt_mapping *m)
{
	const struct xpt_vma *v = find_vma(parent, m->va);
	return v == NULL || v->pager != NULL ? m->attr : shared_attr(m->attr);
}

int xpt_as_fork(struct xpt_as *parent, struct xpt_as *child, struct xpt_vma *vmas,
                uint32_t maxvmas, struct xpt_flush *parent_fl)
{
	struct xpt_mapping m;
	uint64_t va = 0;
	int err;
	if (parent->nvmas > maxvmas)
		return XPT_E_NOMEM;
	if (!only_small_pages(parent, 0, xpt_as_user_top(parent)))
		return XPT_E_HUGE;
	if ((err = fault_all_in(parent)) != XPT_OK)
		return err;
	err = xpt_as_create(parent->vm, child, vmas, maxvmas,
	                    parent->user_root != parent->sp.root);
	if (err != XPT_OK)
		return err;
	child->swap = parent->swap;
	child->sp.policy = parent->sp.policy;
	for (uint32_t i = 0; i < parent->nvmas; i++)
		child->vmas[i] = parent->vmas[i];
	child->nvmas = parent->nvmas;

	while (xpt_next_leaf_in(&parent->sp, va, xpt_as_user_top(parent), &m) == XPT_OK) {
		err = xpt_map(&child->sp, m.va, m.pa, XPT_4K, fork_attr(parent, &m), NULL);
		if (err != XPT_OK) {
			(void)xpt_as_destroy(child); /* drops the references taken so far */
			return err;
		}
		/* The parent's leaves hold counted frames: one more cannot fail
		 * short of 2^32 mappings of one frame. */
		(void)xpt_vm_frame_get(parent->vm, m.pa >> XPT_PAGE_SHIFT);
		va = m.va + XPT_PAGE_SIZE;
	}
	for (va = 0; xpt_next_leaf_in(&parent->sp, va, xpt_as_user_top(parent), &m) == XPT_OK;
	     va = m.va + XPT_PAGE_SIZE)
		if (fork_attr(parent, &m) != m.attr)
			(void)xpt_protect(&parent->sp, m.va, shared_attr(m.attr), parent_fl);
	sync_user(parent);
	sync_user(child);
	return XPT_OK;
}

/* -------------------------------------------------------------- eviction */

/* One clock step at leaf m: clear A, or evict when A was already clear. */
static bool clock_step(struct xpt_as *as, const struct xpt_mapping *m, struct xpt_flush *fl)
{
	struct xpt_vm *vm = as->vm;
	struct xpt_vma *v = find_vma(as, m->va);
	xpt_pfn f = m->pa >> XPT_PAGE_SHIFT;
	uint64_t *pte = pte_of(as, m->va);
	if (pte == NULL || v == NULL || vm->refs[f] != 1 || (v->pager == NULL && as->swap == NULL))
		return false;
	if (*pte & XPT_PTE_A) {
		*pte &= ~XPT_PTE_A; /* a second chance; no flush, as the TLB copy only delays A */
		return false;
	}
	if (v->pager == NULL)
		(void)as->swap->write(as->swap->ctx, m->va, frame_words(&as->sp, f));
	else if (*pte & XPT_PTE_D)
		write_back(as, v, m->va, f);
	(void)xpt_unmap_range(&as->sp, m->va, XPT_PAGE_SIZE, 0, fl);
	*pte = XPT_VM_PTE_EVICTED;
	as->nevicted++;
	vm->refs[f] = 0;
	(void)xpt_frame_free(as->sp.fa, f);
	vm->stats.evictions++;
	return true;
}

int xpt_as_evict(struct xpt_as *as, uint64_t want, struct xpt_flush *fl, uint64_t *evicted)
{
	struct xpt_mapping m;
	uint64_t va, visited = 0, budget = 0;
	*evicted = 0;
	/* Two turns of the clock at most: the first may only clear A bits. */
	for (va = 0; xpt_next_leaf_in(&as->sp, va, xpt_as_user_top(as), &m) == XPT_OK;
	     va = m.va + XPT_PAGE_SIZE)
		budget += 2;
	va = as->hand;
	while (*evicted < want && visited < budget) {
		if (xpt_next_leaf_in(&as->sp, va, xpt_as_user_top(as), &m) != XPT_OK) {
			if (va == 0)
				break;
			va = 0; /* wrap around */
			continue;
		}
		*evicted += clock_step(as, &m, fl);
		visited++;
		va = m.va + XPT_PAGE_SIZE;
	}
	as->hand = va;
	sync_user(as);
	return *evicted == want ? XPT_OK : XPT_E_NOMEM;
}

/* ----------------------------------------------------------------- dedup */

#define MERGED ((xpt_pfn)-1) /* a scratch entry already merged: never a keeper */

/*@ requires \valid_read(p + (0 .. 511));
    assigns \nothing;
*/
static uint64_t page_hash(const uint64_t *p)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a over words */
	/*@ loop invariant 0 <= i <= 512;
	    loop assigns i, h;
	    loop variant 512 - i;
	*/
	for (unsigned i = 0; i < XPT_ENTRIES; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/*@ requires \valid_read(a + (0 .. 511)) && \valid_read(b + (0 .. 511));
    assigns \nothing;
    ensures \result <==> \forall integer i; 0 <= i < 512 ==> a[i] == b[i];
*/
static bool same_page(const uint64_t *a, const uint64_t *b)
{
	/*@ loop invariant 0 <= i <= 512 && \forall integer j; 0 <= j < i ==> a[j] == b[j];
	    loop assigns i;
	    loop variant 512 - i;
	*/
	for (unsigned i = 0; i < XPT_ENTRIES; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* Candidates: pages held by one reference. */
static uint64_t collect(struct xpt_as *const *spaces, uint32_t n, struct xpt_vm_page *out,
                        uint64_t max)
{
	uint64_t count = 0;
	for (uint32_t s = 0; s < n; s++) {
		struct xpt_as *as = spaces[s];
		struct xpt_mapping m;
		for (uint64_t va = 0;
		     count < max && xpt_next_leaf_in(&as->sp, va, xpt_as_user_top(as), &m) == XPT_OK;
		     va = m.va + XPT_PAGE_SIZE) {
			xpt_pfn f = m.pa >> XPT_PAGE_SHIFT;
			if (m.size != XPT_4K || f >= as->sp.fa->nframes || as->vm->refs[f] != 1)
				continue;
			out[count++] = (struct xpt_vm_page){ page_hash(frame_words(&as->sp, f)), m.va, f,
			                                     s };
		}
	}
	return count;
}

/* Point page p of its space at frame `to`, copy-on-write; drop its frame. */
static void merge_into(struct xpt_as *as, const struct xpt_vm_page *p, xpt_pfn to,
                       struct xpt_flush *fl)
{
	struct xpt_mapping m;
	(void)xpt_translate(&as->sp, p->va, &m);
	(void)xpt_unmap_range(&as->sp, p->va, XPT_PAGE_SIZE, 0, fl);
	(void)xpt_map(&as->sp, p->va, to << XPT_PAGE_SHIFT, XPT_4K, shared_attr(m.attr), fl);
	(void)xpt_vm_frame_get(as->vm, to); /* a counted frame, as in fork */
	(void)xpt_vm_frame_put(as->vm, p->f);
}

/* Make the keeper's own mapping copy-on-write too. */
static void share_keeper(struct xpt_as *as, const struct xpt_vm_page *p, struct xpt_flush *fl)
{
	struct xpt_mapping m;
	if (xpt_translate(&as->sp, p->va, &m) == XPT_OK && shared_attr(m.attr) != m.attr)
		(void)xpt_protect(&as->sp, p->va, shared_attr(m.attr), fl);
}

int xpt_vm_dedup(struct xpt_as *const *spaces, uint32_t nspaces, struct xpt_vm_page *scratch,
                 uint64_t max, struct xpt_flush *fls, uint64_t *saved)
{
	uint64_t n = collect(spaces, nspaces, scratch, max);
	*saved = 0;
	for (uint64_t i = 1; i < n; i++) {
		const struct xpt_vm_page *dup = &scratch[i];
		const uint64_t *data = frame_words(&spaces[dup->space]->sp, dup->f);
		for (uint64_t k = 0; k < i; k++) {
			const struct xpt_vm_page *keep = &scratch[k];
			if (keep->f == MERGED || keep->hash != dup->hash ||
			    !same_page(frame_words(&spaces[keep->space]->sp, keep->f), data))
				continue;
			share_keeper(spaces[keep->space], keep, &fls[keep->space]);
			merge_into(spaces[dup->space], dup, keep->f, &fls[dup->space]);
			scratch[i].f = MERGED;
			(*saved)++;
			break;
		}
	}
	for (uint32_t s = 0; s < nspaces; s++)
		sync_user(spaces[s]);
	return XPT_OK;
}

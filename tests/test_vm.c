/* Address spaces on the core: xpt_vm.h. */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xpt_vm.h"

#define NFRAMES 4096u /* 16 MiB */
#define MAXVMAS 8u

struct vmenv {
	struct env e;
	struct xpt_vm vm;
	uint32_t *refs;
	struct xpt_tlb tlb;
	struct xpt_arch arch;
};

static bool vmenv_init_levels(struct vmenv *v, unsigned levels)
{
	memset(v, 0, sizeof *v);
	if (!env_init(&v->e, NFRAMES, 40))
		return false;
	v->refs = calloc(NFRAMES, sizeof *v->refs);
	return CHECK_ERR(xpt_vm_init_levels(&v->vm, &v->e.mem, &v->e.fa, v->refs, 40, levels), XPT_OK);
}

static bool vmenv_init(struct vmenv *v)
{
	return vmenv_init_levels(v, 4);
}

static void vmenv_free(struct vmenv *v)
{
	free(v->refs);
	env_free(&v->e);
}

/* An access as the MMU would make it, through a TLB on this space's tables. */
static struct xpt_walk touch(struct vmenv *v, const struct xpt_as *as, uint64_t va, unsigned acc)
{
	struct xpt_ctl ctl = xpt_space_ctl(&as->sp, XPT_CTL_WP | XPT_CTL_NXE, 0);
	struct xpt_walk w;
	xpt_tlb_init(&v->tlb, &v->e.mem, &ctl);
	CHECK_ERR(xpt_tlb_access(&v->tlb, va, acc, &w), XPT_OK);
	return w;
}

/* Fault until the access goes through, as a kernel's #PF handler would. */
static uint64_t *user_page(struct vmenv *v, struct xpt_as *as, uint64_t va, unsigned acc)
{
	for (int tries = 0; tries < 3; tries++) {
		struct xpt_walk w = touch(v, as, va, acc);
		if (w.fault == XPT_FAULT_NONE)
			return env_word(&v->e, w.pa & ~(uint64_t)0xfff);
		if (!CHECK_ERR(xpt_as_fault(as, va, w.error_code, &v->e.fl), XPT_OK))
			return NULL;
	}
	check_fail(__FILE__, __LINE__, "access at %#llx never completed", (unsigned long long)va);
	return NULL;
}

/* A kernel mapping made at kva after spaces a and b exist shows in both. */
static void check_kernel_map_shared(struct vmenv *v, struct xpt_as *a, struct xpt_as *b,
                                    uint64_t kva)
{
	struct xpt_mapping m;
	REQUIRE_OK(xpt_map(&v->vm.kernel, kva, 0x123000, XPT_4K, XPT_WRITE, NULL));
	REQUIRE_OK(xpt_translate(&a->sp, kva, &m));
	CHECK_EQ(m.pa, 0x123000);
	REQUIRE_OK(xpt_translate(&b->sp, kva + 0xabc, &m));
	CHECK_EQ(m.pa + m.offset, 0x123abc);
}

/* Destroying a and b gives back their two roots and nothing of the shared half. */
static void check_destroy_frees_roots(struct vmenv *v, struct xpt_as *a, struct xpt_as *b)
{
	uint64_t before = v->e.fa.nfree;
	CHECK_ERR(xpt_as_destroy(a), XPT_OK);
	CHECK_ERR(xpt_as_destroy(b), XPT_OK);
	CHECK_EQ(v->e.fa.nfree, before + 2);
}

TEST(vm_kernel_half_is_shared_by_every_space)
{
	struct vmenv v;
	struct xpt_as a, b;
	struct xpt_vma va[MAXVMAS], vb[MAXVMAS];
	REQUIRE(vmenv_init(&v));
	CHECK_EQ(v.e.fa.nfree, NFRAMES - 1 - 256 - 1); /* env root, vm root, 256 PDPTs */
	REQUIRE_OK(xpt_as_create(&v.vm, &a, va, MAXVMAS, false));
	REQUIRE_OK(xpt_as_create(&v.vm, &b, vb, MAXVMAS, false));
	check_kernel_map_shared(&v, &a, &b, 0xffff800000200000ull);
	check_destroy_frees_roots(&v, &a, &b);
	vmenv_free(&v);
}

TEST(vm_demand_zero_on_first_touch)
{
	struct vmenv v;
	struct xpt_as as;
	struct xpt_vma vmas[MAXVMAS];
	REQUIRE(vmenv_init(&v));
	REQUIRE_OK(xpt_as_create(&v.vm, &as, vmas, MAXVMAS, false));
	uint64_t free0 = v.e.fa.nfree;
	REQUIRE_OK(xpt_as_reserve(&as, 0x10000000, 4 * 4096, XPT_USER | XPT_WRITE | XPT_NOEXEC,
	                          NULL, 0));
	CHECK_EQ(v.e.fa.nfree, free0); /* a reservation takes no frame */
	struct xpt_walk w = touch(&v, &as, 0x10001008, XPT_ACC_USER | XPT_ACC_WRITE);
	CHECK_EQ(w.fault, XPT_FAULT_PF);
	CHECK_EQ(w.error_code, XPT_PF_W | XPT_PF_U);
	REQUIRE_OK(xpt_as_fault(&as, 0x10001008, w.error_code, &v.e.fl));
	CHECK_EQ(v.vm.stats.zero_fills, 1);
	CHECK_EQ(v.e.fa.nfree, free0 - 4); /* PDPT, PD, PT and the page */
	uint64_t *p = user_page(&v, &as, 0x10001008, XPT_ACC_USER | XPT_ACC_WRITE);
	REQUIRE(p != NULL);
	for (unsigned i = 0; i < 512; i++)
		CHECK_EQ(p[i], 0);
	/* Outside every region, and against the region's rights. */
	CHECK_ERR(xpt_as_fault(&as, 0x20000000, XPT_PF_U, &v.e.fl), XPT_E_NOT_MAPPED);
	CHECK_ERR(xpt_as_fault(&as, 0x10002000, XPT_PF_U | XPT_PF_ID, &v.e.fl), XPT_E_POLICY);
	/* A fault the tables no longer justify is a stale TLB entry: flush it. */
	xpt_flush_init(&v.e.fl);
	CHECK_ERR(xpt_as_fault(&as, 0x10001000, XPT_PF_P | XPT_PF_W | XPT_PF_U, &v.e.fl), XPT_OK);
	CHECK_EQ(v.e.fl.npages, 1);
	CHECK_EQ(v.e.fl.va[0], 0x10001000);
	CHECK_ERR(xpt_as_destroy(&as), XPT_OK);
	CHECK_EQ(v.e.fa.nfree, free0 + 1);
	vmenv_free(&v);
}

TEST(vm_fork_copy_on_write_keeps_data_apart_and_leaks_nothing)
{
	struct vmenv v;
	struct xpt_as parent, child;
	struct xpt_vma pv[MAXVMAS], cv[MAXVMAS];
	struct xpt_mapping m;
	REQUIRE(vmenv_init(&v));
	uint64_t free0 = v.e.fa.nfree;
	REQUIRE_OK(xpt_as_create(&v.vm, &parent, pv, MAXVMAS, false));
	REQUIRE_OK(xpt_as_reserve(&parent, 0x400000, 2 * 4096, XPT_USER | XPT_WRITE | XPT_NOEXEC,
	                          NULL, 0));
	uint64_t *p0 = user_page(&v, &parent, 0x400000, XPT_ACC_USER | XPT_ACC_WRITE);
	uint64_t *p1 = user_page(&v, &parent, 0x401000, XPT_ACC_USER | XPT_ACC_WRITE);
	REQUIRE(p0 != NULL && p1 != NULL);
	p0[0] = 0xaaaa;
	p1[0] = 0xbbbb;
	xpt_flush_init(&v.e.fl);
	REQUIRE_OK(xpt_as_fork(&parent, &child, cv, MAXVMAS, &v.e.fl));
	/* Both pages turned read-only in the parent: both must leave its TLB. */
	CHECK_EQ(v.e.fl.npages, 2);
	REQUIRE_OK(xpt_translate(&child.sp, 0x400000, &m));
	CHECK(!(m.attr & XPT_WRITE) && (m.attr & XPT_VM_COW));
	CHECK_EQ(v.refs[m.pa >> 12], 2);

	/* The child writes page 0: it gets its own copy. */
	uint64_t *c0 = user_page(&v, &child, 0x400000, XPT_ACC_USER | XPT_ACC_WRITE);
	REQUIRE(c0 != NULL);
	CHECK(c0 != p0);
	CHECK_EQ(c0[0], 0xaaaa);
	c0[0] = 0xcccc;
	CHECK_EQ(v.vm.stats.cow_copies, 1);
	/* The parent writes page 0: now the last reference, taken back without a copy. */
	uint64_t *q0 = user_page(&v, &parent, 0x400000, XPT_ACC_USER | XPT_ACC_WRITE);
	CHECK(q0 == p0);
	CHECK_EQ(v.vm.stats.cow_reuses, 1);
	q0[0] = 0xdddd;
	CHECK_EQ(c0[0], 0xcccc);
	CHECK_EQ(p0[0], 0xdddd);
	/* Page 1 is still shared: reads see one frame. */
	CHECK(user_page(&v, &child, 0x401000, XPT_ACC_USER) == p1);

	CHECK_ERR(xpt_as_destroy(&child), XPT_OK);
	CHECK_ERR(xpt_as_destroy(&parent), XPT_OK);
	CHECK_EQ(v.e.fa.nfree, free0);
	vmenv_free(&v);
}

/* A backing store of 4 pages in host memory. */
static uint64_t store[4][512];
static unsigned store_reads, store_writes;
static int store_read(void *ctx, uint64_t off, uint64_t *page)
{
	(void)ctx;
	store_reads++;
	memcpy(page, store[off / 4096], 4096);
	return XPT_OK;
}
static int store_write(void *ctx, uint64_t off, const uint64_t *page)
{
	(void)ctx;
	store_writes++;
	memcpy(store[off / 4096], page, 4096);
	return XPT_OK;
}
static const struct xpt_pager pager = { store_read, store_write, NULL };

TEST(vm_file_backed_pages_in_and_writes_back_dirty_pages)
{
	struct vmenv v;
	struct xpt_as as;
	struct xpt_vma vmas[MAXVMAS];
	REQUIRE(vmenv_init(&v));
	for (unsigned i = 0; i < 4; i++)
		store[i][0] = 0xf11e0000 + i;
	store_reads = store_writes = 0;
	uint64_t free0 = v.e.fa.nfree;
	REQUIRE_OK(xpt_as_create(&v.vm, &as, vmas, MAXVMAS, false));
	/* Pages 1..3 of the file at 0x800000. */
	REQUIRE_OK(xpt_as_reserve(&as, 0x800000, 3 * 4096, XPT_USER | XPT_WRITE | XPT_NOEXEC,
	                          &pager, 4096));
	uint64_t *a = user_page(&v, &as, 0x800000, XPT_ACC_USER);
	uint64_t *b = user_page(&v, &as, 0x801000, XPT_ACC_USER | XPT_ACC_WRITE);
	REQUIRE(a != NULL && b != NULL);
	CHECK_EQ(a[0], 0xf11e0001);
	CHECK_EQ(b[0], 0xf11e0002);
	CHECK_EQ(store_reads, 2);
	b[1] = 0x5ca1ab1e;
	/* Unmap writes back the dirty page only. */
	REQUIRE_OK(xpt_as_unmap(&as, 0x800000, 3 * 4096, &v.e.fl));
	CHECK_EQ(store_writes, 1);
	CHECK_EQ(store[2][1], 0x5ca1ab1e);
	CHECK_EQ(v.vm.stats.write_backs, 1);
	CHECK_EQ(as.nvmas, 0);
	CHECK_ERR(xpt_as_fault(&as, 0x800000, XPT_PF_U, &v.e.fl), XPT_E_NOT_MAPPED);
	CHECK_ERR(xpt_as_destroy(&as), XPT_OK);
	CHECK_EQ(v.e.fa.nfree, free0);
	vmenv_free(&v);
}

TEST(vm_unmap_in_the_middle_splits_the_region)
{
	struct vmenv v;
	struct xpt_as as;
	struct xpt_vma vmas[2];
	REQUIRE(vmenv_init(&v));
	REQUIRE_OK(xpt_as_create(&v.vm, &as, vmas, 2, false));
	REQUIRE_OK(xpt_as_reserve(&as, 0x1000000, 8 * 4096, XPT_USER | XPT_NOEXEC, NULL, 0));
	REQUIRE_OK(xpt_as_unmap(&as, 0x1002000, 4096, &v.e.fl));
	CHECK_EQ(as.nvmas, 2);
	CHECK_ERR(xpt_as_fault(&as, 0x1002000, XPT_PF_U, &v.e.fl), XPT_E_NOT_MAPPED);
	CHECK_ERR(xpt_as_fault(&as, 0x1001000, XPT_PF_U, &v.e.fl), XPT_OK);
	CHECK_ERR(xpt_as_fault(&as, 0x1003000, XPT_PF_U, &v.e.fl), XPT_OK);
	/* No room for a third region: refused before anything changes. */
	CHECK_ERR(xpt_as_unmap(&as, 0x1005000, 4096, &v.e.fl), XPT_E_NOMEM);
	CHECK_EQ(as.nvmas, 2);
	/* Trimming both neighbours' ends needs no new region, even when full. */
	REQUIRE_OK(xpt_as_unmap(&as, 0x1001000, 3 * 4096, &v.e.fl));
	CHECK_EQ(as.nvmas, 2);
	CHECK_ERR(xpt_as_fault(&as, 0x1000000, XPT_PF_U, &v.e.fl), XPT_OK);
	CHECK_ERR(xpt_as_fault(&as, 0x1001000, XPT_PF_U, &v.e.fl), XPT_E_NOT_MAPPED);
	CHECK_ERR(xpt_as_fault(&as, 0x1003000, XPT_PF_U, &v.e.fl), XPT_E_NOT_MAPPED);
	CHECK_ERR(xpt_as_fault(&as, 0x1004000, XPT_PF_U, &v.e.fl), XPT_OK);
	CHECK_EQ(vmas[0].end - vmas[0].start + vmas[1].end - vmas[1].start, 5 * 4096);
	CHECK_ERR(xpt_as_destroy(&as), XPT_OK);
	vmenv_free(&v);
}

TEST(vm_wx_policy_and_the_flush_a_permission_change_costs)
{
	struct vmenv v;
	struct xpt_as as;
	struct xpt_vma vmas[MAXVMAS];
	REQUIRE(vmenv_init(&v));
	v.vm.kernel.policy = XPT_POLICY_WX;
	REQUIRE_OK(xpt_as_create(&v.vm, &as, vmas, MAXVMAS, false));
	CHECK_ERR(xpt_as_reserve(&as, 0x400000, 4096 * 4, XPT_USER | XPT_WRITE, NULL, 0),
	          XPT_E_POLICY);
	REQUIRE_OK(xpt_as_reserve(&as, 0x400000, 4096 * 4, XPT_USER | XPT_WRITE | XPT_NOEXEC,
	                          NULL, 0));
	for (uint64_t va = 0x400000; va < 0x404000; va += 4096)
		REQUIRE(user_page(&v, &as, va, XPT_ACC_USER | XPT_ACC_WRITE) != NULL);
	/* Written as data, then made executable: every present page leaves the TLB. */
	xpt_flush_init(&v.e.fl);
	CHECK_ERR(xpt_as_protect(&as, 0x400000, 4096 * 4, XPT_USER | XPT_WRITE, &v.e.fl),
	          XPT_E_POLICY);
	CHECK_EQ(v.e.fl.npages, 0);
	REQUIRE_OK(xpt_as_protect(&as, 0x400000, 4096 * 4, XPT_USER, &v.e.fl));
	CHECK_EQ(v.e.fl.npages, 4);
	CHECK(!v.e.fl.all);
	struct xpt_walk w = touch(&v, &as, 0x402000, XPT_ACC_USER | XPT_ACC_FETCH);
	CHECK_EQ(w.fault, XPT_FAULT_NONE);
	w = touch(&v, &as, 0x402000, XPT_ACC_USER | XPT_ACC_WRITE);
	CHECK_EQ(w.fault, XPT_FAULT_PF);
	CHECK_ERR(xpt_as_destroy(&as), XPT_OK);
	vmenv_free(&v);
}

TEST(vm_kpti_user_tables_hold_user_pages_and_trampolines_only)
{
	struct vmenv v;
	struct xpt_as as;
	struct xpt_vma vmas[MAXVMAS];
	struct xpt_mapping m;
	REQUIRE(vmenv_init(&v));
	uint64_t free0 = v.e.fa.nfree;
	REQUIRE_OK(xpt_map_range(&v.vm.kernel, 0xffffffff80000000ull, 0x200000, 0x4000, XPT_WRITE,
	                         XPT_OPT_NO_2M, NULL));
	REQUIRE_OK(xpt_vm_set_trampoline(&v.vm, 0xffffffff80001000ull, 0x201000, 4096));
	uint64_t free1 = v.e.fa.nfree;
	REQUIRE_OK(xpt_as_create(&v.vm, &as, vmas, MAXVMAS, true));
	CHECK(as.user_root != as.sp.root);
	REQUIRE_OK(xpt_as_reserve(&as, 0x600000, 4096, XPT_USER | XPT_WRITE | XPT_NOEXEC, NULL, 0));
	REQUIRE(user_page(&v, &as, 0x600000, XPT_ACC_USER | XPT_ACC_WRITE) != NULL);

	struct xpt_space user = as.sp;
	user.root = as.user_root;
	CHECK_ERR(xpt_translate(&user, 0x600000, &m), XPT_OK);           /* user page */
	CHECK_ERR(xpt_translate(&user, 0xffffffff80001000ull, &m), XPT_OK); /* trampoline */
	CHECK_EQ(m.pa, 0x201000);
	CHECK(!(m.attr & XPT_USER));
	CHECK_ERR(xpt_translate(&user, 0xffffffff80000000ull, &m), XPT_E_NOT_MAPPED);
	CHECK_ERR(xpt_translate(&user, 0xffffffff80002000ull, &m), XPT_E_NOT_MAPPED);
	CHECK_ERR(xpt_translate(&as.sp, 0xffffffff80000000ull, &m), XPT_OK); /* kernel view */

	/* Entry and exit each load CR3: the cost KPTI adds to a system call. */
	struct xpt_tlb tlb;
	struct xpt_ctl ctl = xpt_space_ctl(&as.sp, 0, 0);
	xpt_tlb_init(&tlb, &v.e.mem, &ctl);
	struct xpt_arch arch = xpt_tlb_arch(&tlb);
	xpt_as_switch(&as, &arch, false);
	xpt_as_switch(&as, &arch, true);
	CHECK_EQ(v.vm.stats.cr3_loads, 2);
	CHECK_EQ(tlb.flushes, 2);
	CHECK_EQ(tlb.ctl.cr3, xpt_as_cr3(&as, true));
	CHECK_ERR(xpt_as_destroy(&as), XPT_OK);
	CHECK_EQ(v.e.fa.nfree, free1);
	CHECK(free1 < free0);
	vmenv_free(&v);
}

static int swap_read(void *ctx, uint64_t off, uint64_t *page)
{
	uint64_t (*slots)[512] = ctx;
	memcpy(page, slots[(off >> 12) & 15], 4096);
	return XPT_OK;
}
static int swap_write(void *ctx, uint64_t off, const uint64_t *page)
{
	uint64_t (*slots)[512] = ctx;
	memcpy(slots[(off >> 12) & 15], page, 4096);
	return XPT_OK;
}

TEST(vm_clock_eviction_gives_second_chances_and_counts_refaults)
{
	static uint64_t slots[16][512];
	struct xpt_pager swap = { swap_read, swap_write, slots };
	struct vmenv v;
	struct xpt_as as;
	struct xpt_vma vmas[MAXVMAS];
	uint64_t evicted;
	REQUIRE(vmenv_init(&v));
	REQUIRE_OK(xpt_as_create(&v.vm, &as, vmas, MAXVMAS, false));
	as.swap = &swap;
	uint64_t free0 = v.e.fa.nfree;
	REQUIRE_OK(xpt_as_reserve(&as, 0x400000, 4 * 4096, XPT_USER | XPT_WRITE | XPT_NOEXEC, NULL,
	                          0));
	for (unsigned i = 0; i < 4; i++) {
		uint64_t *p = user_page(&v, &as, 0x400000 + i * 4096u, XPT_ACC_USER | XPT_ACC_WRITE);
		REQUIRE(p != NULL);
		p[7] = 0x1000 + i;
	}
	/* All four were touched (A set): the first turn only clears A bits. */
	xpt_flush_init(&v.e.fl);
	REQUIRE_OK(xpt_as_evict(&as, 1, &v.e.fl, &evicted));
	CHECK_EQ(evicted, 1);
	CHECK_EQ(v.vm.stats.evictions, 1);
	CHECK_EQ(v.e.fl.npages, 1);
	CHECK_EQ(v.e.fl.va[0], 0x400000);
	/* Page 1 is used again before the hand comes back: it stays. */
	REQUIRE(user_page(&v, &as, 0x401000, XPT_ACC_USER) != NULL);
	REQUIRE_OK(xpt_as_evict(&as, 1, &v.e.fl, &evicted));
	CHECK_ERR(xpt_translate(&as.sp, 0x401000, &(struct xpt_mapping){ 0 }), XPT_OK);
	CHECK_ERR(xpt_translate(&as.sp, 0x402000, &(struct xpt_mapping){ 0 }), XPT_E_NOT_MAPPED);
	/* Touching evicted pages brings their data back and counts a refault. */
	uint64_t *p0 = user_page(&v, &as, 0x400000, XPT_ACC_USER);
	uint64_t *p2 = user_page(&v, &as, 0x402000, XPT_ACC_USER);
	REQUIRE(p0 != NULL && p2 != NULL);
	CHECK_EQ(p0[7], 0x1000);
	CHECK_EQ(p2[7], 0x1002);
	CHECK_EQ(v.vm.stats.refaults, 2);
	CHECK_ERR(xpt_as_destroy(&as), XPT_OK);
	CHECK_EQ(v.e.fa.nfree, free0 + 1);
	vmenv_free(&v);
}

TEST(vm_shared_frames_live_until_the_last_reference)
{
	struct vmenv v;
	struct xpt_as a, b;
	struct xpt_vma va[MAXVMAS], vb[MAXVMAS];
	xpt_pfn lib;
	REQUIRE(vmenv_init(&v));
	REQUIRE_OK(xpt_frame_alloc(&v.e.fa, &lib));
	REQUIRE_OK(xpt_vm_frame_get(&v.vm, lib)); /* the library's own hold */
	REQUIRE_OK(xpt_as_create(&v.vm, &a, va, MAXVMAS, false));
	REQUIRE_OK(xpt_as_create(&v.vm, &b, vb, MAXVMAS, false));
	REQUIRE_OK(xpt_as_map_shared(&a, 0x700000, lib, XPT_USER, NULL));
	REQUIRE_OK(xpt_as_map_shared(&b, 0x900000, lib, XPT_USER, NULL));
	CHECK_EQ(v.refs[lib], 3);
	CHECK_ERR(xpt_as_destroy(&a), XPT_OK);
	CHECK_ERR(xpt_as_destroy(&b), XPT_OK);
	CHECK_EQ(v.refs[lib], 1);
	CHECK(!xpt_frame_is_free(&v.e.fa, lib));
	CHECK_ERR(xpt_vm_frame_put(&v.vm, lib), XPT_OK);
	CHECK(xpt_frame_is_free(&v.e.fa, lib));
	CHECK_ERR(xpt_vm_frame_put(&v.vm, lib), XPT_E_DOUBLE_FREE);
	vmenv_free(&v);
}

TEST(vm_trampoline_refuses_bad_ranges_and_changes_nothing)
{
	struct vmenv v;
	REQUIRE(vmenv_init(&v));
	REQUIRE_OK(xpt_vm_set_trampoline(&v.vm, 0xffffffff80001000ull, 0x201000, 4096));
	struct xpt_vm before = v.vm;
	CHECK_ERR(xpt_vm_set_trampoline(&v.vm, 0xffffffff80001800ull, 0x201000, 4096), XPT_E_ALIGN);
	CHECK_ERR(xpt_vm_set_trampoline(&v.vm, 0xffffffff80001000ull, 0x201000, 100), XPT_E_ALIGN);
	/* In the hole between the halves, and wrapping past 2^64. */
	CHECK_ERR(xpt_vm_set_trampoline(&v.vm, 0x0000800000000000ull, 0x201000, 4096),
	          XPT_E_NONCANONICAL);
	CHECK_ERR(xpt_vm_set_trampoline(&v.vm, 0xfffffffffffff000ull, 0x201000, 8192),
	          XPT_E_NONCANONICAL);
	/* User addresses: the trampoline is the kernel's. */
	CHECK_ERR(xpt_vm_set_trampoline(&v.vm, 0x400000, 0x201000, 4096), XPT_E_INVAL);
	/* Frames at or past MAXPHYADDR (40 here). */
	CHECK_ERR(xpt_vm_set_trampoline(&v.vm, 0xffffffff80001000ull, 1ull << 40, 4096), XPT_E_PHYS);
	CHECK_ERR(xpt_vm_set_trampoline(&v.vm, 0xffffffff80001000ull, (1ull << 40) - 4096, 8192),
	          XPT_E_PHYS);
	CHECK_EQ(v.vm.tramp_va, before.tramp_va);
	CHECK_EQ(v.vm.tramp_pa, before.tramp_pa);
	CHECK_EQ(v.vm.tramp_len, before.tramp_len);
	/* The last page of the address space and of physical memory is fine. */
	CHECK_ERR(xpt_vm_set_trampoline(&v.vm, 0xfffffffffffff000ull, (1ull << 40) - 4096, 4096),
	          XPT_OK);
	CHECK_ERR(xpt_vm_set_trampoline(&v.vm, 0xffffffff80001000ull, 0, 0), XPT_OK);
	CHECK_EQ(v.vm.tramp_len, 0);
	vmenv_free(&v);
}

TEST(vm_holds_refuse_frames_beyond_the_allocator_and_full_counts)
{
	struct vmenv v;
	xpt_pfn f;
	REQUIRE(vmenv_init(&v));
	REQUIRE_OK(xpt_frame_alloc(&v.e.fa, &f));
	/* Beyond the allocator's frames there is no counter to touch. */
	CHECK_ERR(xpt_vm_frame_get(&v.vm, v.e.fa.nframes), XPT_E_RANGE);
	CHECK_ERR(xpt_vm_frame_get(&v.vm, UINT64_MAX), XPT_E_RANGE);
	CHECK_ERR(xpt_vm_frame_put(&v.vm, v.e.fa.nframes), XPT_E_DOUBLE_FREE);
	/* A count at its maximum stays there, not wrapping to 0; sharing the
	 * frame is refused before anything is mapped. */
	v.refs[f] = UINT32_MAX;
	CHECK_ERR(xpt_vm_frame_get(&v.vm, f), XPT_E_INVAL);
	CHECK_EQ(v.refs[f], UINT32_MAX);
	struct xpt_as a;
	struct xpt_vma vmas[MAXVMAS];
	struct xpt_mapping m;
	REQUIRE_OK(xpt_as_create(&v.vm, &a, vmas, MAXVMAS, false));
	CHECK_ERR(xpt_as_map_shared(&a, 0x700000, f, XPT_USER, NULL), XPT_E_INVAL);
	CHECK_ERR(xpt_as_map_shared(&a, 0x700000, v.e.fa.nframes, XPT_USER, NULL), XPT_E_RANGE);
	CHECK_ERR(xpt_translate(&a.sp, 0x700000, &m), XPT_E_NOT_MAPPED);
	CHECK_EQ(v.refs[f], UINT32_MAX);
	CHECK_ERR(xpt_as_destroy(&a), XPT_OK);
	CHECK_ERR(xpt_vm_frame_put(&v.vm, f), XPT_OK);
	CHECK_EQ(v.refs[f], UINT32_MAX - 1u);
	/* The last hold gives the frame back; nothing is left to put. */
	v.refs[f] = 0;
	uint64_t nfree = v.e.fa.nfree;
	REQUIRE_OK(xpt_vm_frame_get(&v.vm, f));
	CHECK_EQ(v.refs[f], 1);
	CHECK_ERR(xpt_vm_frame_put(&v.vm, f), XPT_OK);
	CHECK_EQ(v.refs[f], 0);
	CHECK(xpt_frame_is_free(&v.e.fa, f));
	CHECK_EQ(v.e.fa.nfree, nfree + 1);
	CHECK_ERR(xpt_vm_frame_put(&v.vm, f), XPT_E_DOUBLE_FREE);
	vmenv_free(&v);
}

TEST(vm_dedup_merges_identical_pages_across_spaces_copy_on_write)
{
	struct vmenv v;
	struct xpt_as a, b;
	struct xpt_vma va[MAXVMAS], vb[MAXVMAS];
	struct xpt_vm_page scratch[16];
	struct xpt_flush fls[2];
	uint64_t saved;
	REQUIRE(vmenv_init(&v));
	REQUIRE_OK(xpt_as_create(&v.vm, &a, va, MAXVMAS, false));
	REQUIRE_OK(xpt_as_create(&v.vm, &b, vb, MAXVMAS, false));
	REQUIRE_OK(xpt_as_reserve(&a, 0x400000, 3 * 4096, XPT_USER | XPT_WRITE | XPT_NOEXEC, NULL, 0));
	REQUIRE_OK(xpt_as_reserve(&b, 0x800000, 2 * 4096, XPT_USER | XPT_WRITE | XPT_NOEXEC, NULL, 0));
	uint64_t *a0 = user_page(&v, &a, 0x400000, XPT_ACC_USER | XPT_ACC_WRITE);
	uint64_t *a1 = user_page(&v, &a, 0x401000, XPT_ACC_USER | XPT_ACC_WRITE);
	uint64_t *a2 = user_page(&v, &a, 0x402000, XPT_ACC_USER | XPT_ACC_WRITE);
	uint64_t *b0 = user_page(&v, &b, 0x800000, XPT_ACC_USER | XPT_ACC_WRITE);
	uint64_t *b1 = user_page(&v, &b, 0x801000, XPT_ACC_USER | XPT_ACC_WRITE);
	REQUIRE(a0 && a1 && a2 && b0 && b1);
	a0[5] = b1[5] = a2[5] = 0x1234; /* three copies of one page */
	a1[5] = 0x9999;                 /* b0 stays zero: unique too */
	uint64_t nfree = v.e.fa.nfree;
	struct xpt_as *const spaces[2] = { &a, &b };
	xpt_flush_init(&fls[0]);
	xpt_flush_init(&fls[1]);
	REQUIRE_OK(xpt_vm_dedup(spaces, 2, scratch, 16, fls, &saved));
	CHECK_EQ(saved, 2);
	CHECK_EQ(v.e.fa.nfree, nfree + 2);
	CHECK(user_page(&v, &a, 0x402000, XPT_ACC_USER) == a0);
	CHECK(user_page(&v, &b, 0x801000, XPT_ACC_USER) == a0);
	CHECK_EQ(v.refs[(uint64_t)(a0 - v.e.mem.words) / 512], 3);
	/* Each space's TLB must forget the pages that turned read-only or moved. */
	CHECK_EQ(fls[0].npages, 2);
	CHECK_EQ(fls[1].npages, 1);
	/* A write copies the page out again and leaves the others alone. */
	uint64_t *w = user_page(&v, &b, 0x801000, XPT_ACC_USER | XPT_ACC_WRITE);
	REQUIRE(w != NULL);
	CHECK(w != a0);
	w[5] = 7;
	CHECK_EQ(a0[5], 0x1234);
	CHECK_EQ(v.vm.stats.cow_copies, 1);
	CHECK_ERR(xpt_as_destroy(&a), XPT_OK);
	CHECK_ERR(xpt_as_destroy(&b), XPT_OK);
	vmenv_free(&v);
}

TEST(vm_fork_keeps_file_backed_pages_shared)
{
	struct vmenv v;
	struct xpt_as parent, child;
	struct xpt_vma pv[MAXVMAS], cv[MAXVMAS];
	REQUIRE(vmenv_init(&v));
	REQUIRE_OK(xpt_as_create(&v.vm, &parent, pv, MAXVMAS, false));
	REQUIRE_OK(xpt_as_reserve(&parent, 0x800000, 4096, XPT_USER | XPT_WRITE | XPT_NOEXEC,
	                          &pager, 0));
	uint64_t *p = user_page(&v, &parent, 0x800000, XPT_ACC_USER | XPT_ACC_WRITE);
	REQUIRE(p != NULL);
	REQUIRE_OK(xpt_as_fork(&parent, &child, cv, MAXVMAS, &v.e.fl));
	/* The child writes without a copy, and the parent sees it. */
	uint64_t *c = user_page(&v, &child, 0x800000, XPT_ACC_USER | XPT_ACC_WRITE);
	CHECK(c == p);
	c[9] = 0xfeed;
	CHECK_EQ(p[9], 0xfeed);
	CHECK_EQ(v.vm.stats.cow_copies, 0);
	CHECK_ERR(xpt_as_destroy(&child), XPT_OK);
	CHECK_ERR(xpt_as_destroy(&parent), XPT_OK);
	vmenv_free(&v);
}

TEST(vm_fork_then_protect_writable_still_copies)
{
	struct vmenv v;
	struct xpt_as parent, child;
	struct xpt_vma pv[MAXVMAS], cv[MAXVMAS];
	REQUIRE(vmenv_init(&v));
	REQUIRE_OK(xpt_as_create(&v.vm, &parent, pv, MAXVMAS, false));
	REQUIRE_OK(xpt_as_reserve(&parent, 0x400000, 4096, XPT_USER | XPT_NOEXEC, NULL, 0));
	uint64_t *p = user_page(&v, &parent, 0x400000, XPT_ACC_USER);
	REQUIRE(p != NULL);
	REQUIRE_OK(xpt_as_fork(&parent, &child, cv, MAXVMAS, &v.e.fl));
	/* Read-only when shared; made writable afterwards in the parent only. */
	REQUIRE_OK(xpt_as_protect(&parent, 0x400000, 4096, XPT_USER | XPT_WRITE | XPT_NOEXEC,
	                          &v.e.fl));
	uint64_t *q = user_page(&v, &parent, 0x400000, XPT_ACC_USER | XPT_ACC_WRITE);
	REQUIRE(q != NULL);
	CHECK(q != p);
	q[1] = 42;
	CHECK_EQ(p[1], 0);
	CHECK(user_page(&v, &child, 0x400000, XPT_ACC_USER) == p);
	CHECK_EQ(v.vm.stats.cow_copies, 1);
	CHECK_ERR(xpt_as_destroy(&child), XPT_OK);
	CHECK_ERR(xpt_as_destroy(&parent), XPT_OK);
	vmenv_free(&v);
}

/* ------------------------------------------------------------ 5 levels */

#define VA57 0x00ab000000400000ull /* PML5 slot 171: canonical in 57 bits, not in 48 */

TEST(vm_five_levels_share_the_kernel_half_and_open_a_lower_half_of_2_56)
{
	struct vmenv v;
	struct xpt_as a, b;
	struct xpt_vma va[MAXVMAS], vb[MAXVMAS];
	struct xpt_vm bad;
	CHECK_ERR(xpt_vm_init_levels(&bad, NULL, NULL, NULL, 40, 3), XPT_E_INVAL);
	REQUIRE(vmenv_init_levels(&v, 5));
	CHECK_EQ(v.vm.kernel.levels, 5);
	CHECK_EQ(v.e.fa.nfree, NFRAMES - 1 - 256 - 1); /* env root, vm root, 256 PML4s */
	REQUIRE_OK(xpt_as_create(&v.vm, &a, va, MAXVMAS, false));
	REQUIRE_OK(xpt_as_create(&v.vm, &b, vb, MAXVMAS, false));
	CHECK_EQ(a.sp.levels, 5);
	CHECK_EQ(xpt_as_user_top(&a), 1ull << 56);
	check_kernel_map_shared(&v, &a, &b, 0xff00000000200000ull); /* 57-bit upper half */
	/* User regions anywhere below 2^56; nothing at or past it. */
	REQUIRE_OK(xpt_as_reserve(&a, VA57, 4096, XPT_USER | XPT_WRITE | XPT_NOEXEC, NULL, 0));
	REQUIRE_OK(xpt_as_reserve(&a, (1ull << 56) - 4096, 4096, XPT_USER | XPT_NOEXEC, NULL, 0));
	CHECK_ERR(xpt_as_reserve(&a, 1ull << 56, 4096, XPT_USER, NULL, 0), XPT_E_NONCANONICAL);
	CHECK_ERR(xpt_as_reserve(&a, (1ull << 56) - 4096, 8192, XPT_USER, NULL, 0),
	          XPT_E_NONCANONICAL);
	CHECK_ERR(xpt_vm_set_trampoline(&v.vm, 0xffff800000000000ull, 0, 4096), XPT_OK);
	CHECK_ERR(xpt_vm_set_trampoline(&v.vm, 0x0080000000000000ull, 0, 4096), XPT_E_INVAL);
	check_destroy_frees_roots(&v, &a, &b);
	vmenv_free(&v);
}

TEST(vm_five_levels_demand_zero_fork_copy_on_write_and_no_leak)
{
	struct vmenv v;
	struct xpt_as parent, child;
	struct xpt_vma pv[MAXVMAS], cv[MAXVMAS];
	struct xpt_mapping m;
	REQUIRE(vmenv_init_levels(&v, 5));
	uint64_t free0 = v.e.fa.nfree;
	REQUIRE_OK(xpt_as_create(&v.vm, &parent, pv, MAXVMAS, true));
	uint64_t free1 = v.e.fa.nfree;
	REQUIRE_OK(xpt_as_reserve(&parent, VA57, 2 * 4096, XPT_USER | XPT_WRITE | XPT_NOEXEC,
	                          NULL, 0));
	/* Demand zero: the MMU walks five levels and faults; the fault builds them. */
	struct xpt_walk w = touch(&v, &parent, VA57 + 8, XPT_ACC_USER | XPT_ACC_WRITE);
	CHECK_EQ(w.fault, XPT_FAULT_PF);
	CHECK_EQ(w.error_code, XPT_PF_W | XPT_PF_U);
	REQUIRE_OK(xpt_as_fault(&parent, VA57 + 8, w.error_code, &v.e.fl));
	CHECK_EQ(v.vm.stats.zero_fills, 1);
	CHECK_EQ(v.e.fa.nfree, free1 - 5); /* PML4, PDPT, PD, PT and the page */
	uint64_t *p0 = user_page(&v, &parent, VA57, XPT_ACC_USER | XPT_ACC_WRITE);
	uint64_t *p1 = user_page(&v, &parent, VA57 + 4096, XPT_ACC_USER | XPT_ACC_WRITE);
	REQUIRE(p0 != NULL && p1 != NULL);
	CHECK_EQ(touch(&v, &parent, VA57, XPT_ACC_USER).levels, 5);
	p0[0] = 0xaaaa;
	p1[0] = 0xbbbb;
	/* KPTI: the user tables see the pages too (they share the lower half). */
	struct xpt_space user = parent.sp;
	user.root = parent.user_root;
	CHECK_ERR(xpt_translate(&user, VA57, &m), XPT_OK);

	xpt_flush_init(&v.e.fl);
	REQUIRE_OK(xpt_as_fork(&parent, &child, cv, MAXVMAS, &v.e.fl));
	CHECK_EQ(child.sp.levels, 5);
	CHECK_EQ(v.e.fl.npages, 2);
	REQUIRE_OK(xpt_translate(&child.sp, VA57, &m));
	CHECK(!(m.attr & XPT_WRITE) && (m.attr & XPT_VM_COW));
	CHECK_EQ(v.refs[m.pa >> 12], 2);
	/* The child writes page 0 and gets a copy; the parent then takes page 0 back. */
	uint64_t *c0 = user_page(&v, &child, VA57, XPT_ACC_USER | XPT_ACC_WRITE);
	REQUIRE(c0 != NULL);
	CHECK(c0 != p0);
	CHECK_EQ(c0[0], 0xaaaa);
	c0[0] = 0xcccc;
	CHECK(user_page(&v, &parent, VA57, XPT_ACC_USER | XPT_ACC_WRITE) == p0);
	CHECK_EQ(v.vm.stats.cow_copies, 1);
	CHECK_EQ(v.vm.stats.cow_reuses, 1);
	CHECK_EQ(p0[0], 0xaaaa);
	CHECK(user_page(&v, &child, VA57 + 4096, XPT_ACC_USER) == p1);

	CHECK_ERR(xpt_as_destroy(&child), XPT_OK);
	CHECK_ERR(xpt_as_destroy(&parent), XPT_OK);
	CHECK_EQ(v.e.fa.nfree, free0);
	vmenv_free(&v);
}

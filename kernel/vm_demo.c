/*
 * The `vm` scenario: every mechanism of xpt_vm.h with real faults.
 *
 * Ring-3 programs (vm_trap.S) touch memory of spaces built by xpt_vm; the
 * #PF gate hands each fault to xpt_as_fault, applies the flush record with
 * invlpg and retries the instruction.  Each mechanism writes a record
 * (include/xpt_vmdemo.h) that `xpt-oracle vm` reads back and checks:
 *
 *   1 spaces   two spaces share the kernel half; CR3 switches between them;
 *              destroying them gives every frame back
 *   2 shared   one read-only frame in two spaces, reference counted
 *   3 cow      fork; parent and child write through real write faults
 *   4 demand   a reserved range; first touches get zeroed frames
 *   5 file     a pager over the Multiboot module; D set by the MMU decides
 *              what xpt_as_unmap writes back
 *   6 wx       writable+executable refused; write, protect, execute
 *   7 kpti     ring 3 on the user tables, a syscall trampoline that loads
 *              the kernel tables and back; CR3 loads and cycles
 *   8 evict    a swap pager in kernel memory, a frame budget, the clock
 *              over A bits the MMU set; evictions and refaults
 */
#include "kernel.h"
#include "xpt_vm.h"
#include "xpt_vmdemo.h"

#define MSR_LSTAR 0xc0000082u
#define NVMAS     8u
#define KB4       UINT64_C(4096)

/* User addresses (lower half, each its own PD), above ubase: 0 with 4
 * levels, PML5 slot 171 with 5, so that every user page lies where only
 * 57-bit addresses reach. */
#define UBASE_LA57 (UINT64_C(171) << 48)
#define CODE_VA   (ubase + UINT64_C(0x400000)) /* the ring-3 programs, shared */
#define DATA_VA   (ubase + UINT64_C(0x10000000))
#define LIB_VA_A  (ubase + UINT64_C(0x20000000))
#define LIB_VA_B  (ubase + UINT64_C(0x30000000))
#define FILE_VA   (ubase + UINT64_C(0x50000000))
#define JIT_VA    (ubase + UINT64_C(0x60000000))
#define EVICT_VA  (ubase + UINT64_C(0x70000000))
/* A kernel page mapped while spaces exist: a free slot of the PD that
 * holds the kernel image, so unmapping it frees only its PT. */
#define KPROBE_VA UINT64_C(0xffffffffbfe00000)

#define RW_DATA   (XPT_USER | XPT_WRITE | XPT_NOEXEC)
#define AD        (XPT_PTE_A | XPT_PTE_D)
#define MAXLEAVES 16u

/* ------------------------------------------------ vm_trap.S interface */

struct vm_out {
	uint64_t how, error, cr2, result;
};
struct vm_pf_frame {
	uint64_t r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
	uint64_t error, rip, cs, rflags, rsp, ss;
};
extern struct vm_out vm_out;
extern uint64_t vm_kpti_loads, vm_pf_prev;
extern char vm_tramp_start[], vm_tramp_end[], vm_tramp_kcr3[], vm_tramp_ucr3[];
extern char vm_user_start[], vm_user_end[];
extern char _text[], _etext[], _end[];
void vm_syscall(void);
void vm_tramp_syscall(void);
void vm_pf_entry(void);
void u_write(void), u_read(void), u_exec(void), u_touch(void), u_jit(void), u_fill(void),
    u_sweep(void), u_calls(void);
uint64_t vm_user_run(uint64_t rip, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t user_cr3);
int vm_pf_handle(struct vm_pf_frame *f);

/* --------------------------------------------------------------- state */

static struct xpt_vm vm;
static uint64_t ubase;
static xpt_pfn code_pfn;
static struct xpt_vmd_results *out;
static struct xpt_vmd_rec *rec;
static struct xpt_vm_stats st0; /* vm.stats when the record began */

/* The arch hooks, counted. */
static struct {
	uint64_t invlpg, flush_all, cr3_loads;
} hw;

static void hw_invlpg(void *ctx, uint64_t va)
{
	(void)ctx;
	hw.invlpg++;
	cpu_invlpg(va);
}

static void hw_flush_all(void *ctx)
{
	(void)ctx;
	hw.flush_all++;
	cpu_write_cr3(cpu_read_cr3()); /* CR4.PGE is off: no global entries */
}

static void hw_load_cr3(void *ctx, uint64_t cr3)
{
	(void)ctx;
	hw.cr3_loads++;
	cpu_write_cr3(cr3);
}

static const struct xpt_arch arch = { .invlpg = hw_invlpg, .flush_all = hw_flush_all,
	                              .load_cr3 = hw_load_cr3 };

/* What the #PF handler serves and what it saw. */
static struct {
	struct xpt_as *as;      /* the space whose tables are loaded */
	uint64_t faults;
	int last_err;
	uint64_t last_va;
	uint32_t last_ec;
	unsigned repeat;
	uint32_t ec_seen;       /* bit e: error code e (bits 0..4) was seen */
	uint64_t ec_count[32];  /* faults by error code */
	/* eviction under a frame budget */
	uint64_t budget, lo, hi;
	uint64_t max_resident, a_seen, evict_calls;
} pf;

static void apply(struct xpt_flush *fl)
{
	xpt_flush_apply(&arch, fl);
}

/* ------------------------------------------------------------- records */

static void rec_begin(unsigned id, const char *name)
{
	rec = &out->rec[out->nrecs];
	memset(rec, 0, sizeof(*rec));
	rec->id = id;
	lib_strlcpy(rec->name, name, sizeof(rec->name));
	st0 = vm.stats;
	memset(&pf, 0, sizeof(pf));
}

static void val(const char *name, uint64_t v)
{
	if (rec->nvals == XPT_VMD_NVALS) {
		rec->nfailed++;
		lib_strlcpy(rec->why, "too many values for one record", sizeof(rec->why));
		return;
	}
	lib_strlcpy(rec->val[rec->nvals].name, name, sizeof(rec->val[0].name));
	rec->val[rec->nvals++].v = v;
}

static bool check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool check(bool ok, const char *fmt, ...)
{
	rec->nchecks++;
	if (!ok && rec->nfailed++ == 0) {
		va_list ap;
		va_start(ap, fmt);
		ser_vsnprintf(rec->why, sizeof(rec->why), fmt, ap);
		va_end(ap);
	}
	return ok;
}

static bool check_ok(int err, const char *what)
{
	return check(err == XPT_OK, "%s: %s", what, xpt_strerror(err));
}

static void rec_end(void)
{
	rec->pass = rec->nfailed == 0 && rec->nchecks > 0;
	out->nrecs++;
	ser_printf("vm %u %-7s %s (%u checks)%s%s\n", rec->id, rec->name, rec->pass ? "pass" : "FAIL",
	           rec->nchecks, rec->nfailed ? ": " : "", rec->why);
}

#define DELTA(field) (vm.stats.field - st0.field)

/* ------------------------------------------------------------ helpers */

static uint64_t phys(const void *p)
{
	return mm_virt_to_phys(p);
}

static uint64_t *frame(xpt_pfn f)
{
	return &mm.window.words[f * XPT_ENTRIES];
}

/* Load the kernel tables of `as` and let the #PF handler serve it. */
static void use(struct xpt_as *as)
{
	pf.as = as;
	xpt_as_switch(as, &arch, false);
}

/* The shared kernel half alone, before a space is destroyed. */
static void use_kernel(void)
{
	pf.as = NULL;
	hw_load_cr3(NULL, xpt_space_cr3(&vm.kernel));
}

static uint64_t prog_va(void (*prog)(void))
{
	return CODE_VA + (uint64_t)((char *)prog - vm_user_start);
}

/* Run a ring-3 program on the loaded tables; true when it reached its exit call. */
static bool run(void (*prog)(void), uint64_t a0, uint64_t a1, uint64_t a2, uint64_t *result)
{
	pf.last_va = 0;
	pf.repeat = 0;
	uint64_t r = vm_user_run(prog_va(prog), a0, a1, a2, 0);
	if (result)
		*result = r;
	return vm_out.how == VEC_DONE;
}

/* A ring-3 program that must end with an unresolved #PF: its error code, or ~0. */
static uint32_t run_refused(void (*prog)(void), uint64_t a0, uint64_t a1)
{
	if (run(prog, a0, a1, 0, NULL) || vm_out.how != 14)
		return ~0u;
	return (uint32_t)vm_out.error;
}

/* A space with the ring-3 programs shared into it. */
static int space(struct xpt_as *as, struct xpt_vma *vmas, bool kpti)
{
	int err = xpt_as_create(&vm, as, vmas, NVMAS, kpti);
	if (err == XPT_OK && (err = xpt_as_map_shared(as, CODE_VA, code_pfn, XPT_USER, NULL)) != XPT_OK)
		(void)xpt_as_destroy(as);
	return err;
}

static uint64_t *page_of(const struct xpt_as *as, uint64_t va, struct xpt_mapping *m)
{
	if (xpt_translate(&as->sp, va, m) != XPT_OK)
		return NULL;
	return &mm.window.words[(m->pa + m->offset) / 8u];
}

/* Present leaves in [lo, hi) of a space, and how many have A set. */
static uint64_t resident(const struct xpt_as *as, uint64_t lo, uint64_t hi, uint64_t *accessed)
{
	struct xpt_mapping m;
	uint64_t n = 0, va = lo;
	if (accessed)
		*accessed = 0;
	while (va < hi && xpt_next_leaf(&as->sp, va, &m) == XPT_OK && m.va < hi) {
		n++;
		if (accessed && (m.entry & XPT_PTE_A))
			(*accessed)++;
		va = m.va + xpt_size_bytes(m.size);
	}
	return n;
}

/* The first `max` leaves of the user half: addresses and raw entries. */
static unsigned leaves(const struct xpt_as *as, uint64_t *va, uint64_t *ent, unsigned max)
{
	struct xpt_mapping m;
	unsigned n = 0;
	for (uint64_t a = 0;
	     n < max && xpt_next_leaf(&as->sp, a, &m) == XPT_OK && m.va < xpt_as_user_top(as);
	     a = m.va + xpt_size_bytes(m.size)) {
		va[n] = m.va;
		ent[n++] = m.entry;
	}
	return n;
}

/* ------------------------------------------------------ the #PF handler */

/* Under a frame budget: evict before a first touch would exceed it. */
static void make_room(struct xpt_flush *fl)
{
	uint64_t accessed, got, n = resident(pf.as, pf.lo, pf.hi, &accessed);
	if (n < pf.budget)
		return;
	pf.a_seen += accessed;
	pf.evict_calls++;
	(void)xpt_as_evict(pf.as, n - pf.budget + 1u, fl, &got);
}

int vm_pf_handle(struct vm_pf_frame *f)
{
	uint64_t cr2;
	uint32_t ec = (uint32_t)f->error;
	struct xpt_flush fl;
	int err;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	if (pf.as == NULL)
		return 1;
	/* The same fault again and again: the handler's answer does not hold. */
	if (cr2 == pf.last_va && ec == pf.last_ec && ++pf.repeat > 3)
		return 1;
	if (cr2 != pf.last_va || ec != pf.last_ec)
		pf.repeat = 0;
	pf.last_va = cr2;
	pf.last_ec = ec;
	pf.faults++;
	pf.ec_seen |= 1u << (ec & 31u);
	pf.ec_count[ec & 31u]++;
	xpt_flush_init(&fl);
	if (pf.budget && !(ec & XPT_PF_P) && cr2 >= pf.lo && cr2 < pf.hi)
		make_room(&fl);
	err = xpt_as_fault(pf.as, cr2, ec, &fl);
	pf.last_err = err;
	apply(&fl);
	if (err != XPT_OK)
		return 1;
	if (pf.budget) {
		uint64_t n = resident(pf.as, pf.lo, pf.hi, NULL);
		pf.max_resident = n > pf.max_resident ? n : pf.max_resident;
	}
	return 0;
}

/* ------------------------------------------------------ 1. address spaces */

static void m_spaces(void)
{
	struct xpt_as a, b;
	struct xpt_vma va[NVMAS], vb[NVMAS];
	struct xpt_flush fl;
	uint64_t free0 = mm.fa.nfree, loads0 = hw.cr3_loads, r, ra = 0, rb = 0;
	unsigned same = 0;
	xpt_pfn k;

	rec_begin(XPT_VMD_SPACES, "spaces");
	if (!check_ok(space(&a, va, false), "create a") || !check_ok(space(&b, vb, false), "create b"))
		return rec_end();
	for (unsigned i = XPT_ENTRIES / 2u; i < XPT_ENTRIES; i++)
		same += frame(a.sp.root)[i] == frame(vm.kernel.root)[i] &&
		        frame(b.sp.root)[i] == frame(vm.kernel.root)[i];
	check(same == XPT_ENTRIES / 2u, "%u of 256 upper-half root entries shared", same);
	val("kernel_slots_shared", same);
	val("levels", a.sp.levels);
	val("data_va", DATA_VA);
	check_ok(xpt_as_reserve(&a, DATA_VA, KB4, RW_DATA, NULL, 0), "reserve a");
	check_ok(xpt_as_reserve(&b, DATA_VA, KB4, RW_DATA, NULL, 0), "reserve b");

	/* The same address in each space, its own frame. */
	use(&a);
	check(run(u_write, DATA_VA, 0xaaaa0001, 0, &r) && r == 0xaaaa0001, "ring 3 write in a");
	use(&b);
	check(run(u_write, DATA_VA, 0xbbbb0002, 0, &r) && r == 0xbbbb0002, "ring 3 write in b");
	use(&a);
	check(run(u_read, DATA_VA, 0, 0, &ra) && ra == 0xaaaa0001, "a reads %lx", ra);
	use(&b);
	check(run(u_read, DATA_VA, 0, 0, &rb) && rb == 0xbbbb0002, "b reads %lx", rb);
	val("a_reads", ra);
	val("b_reads", rb);
	val("frames_in_use", free0 - mm.fa.nfree);

	/* A kernel page mapped now, once, shows in both. */
	if (check_ok(xpt_frame_alloc(&mm.fa, &k), "frame for the kernel page")) {
		frame(k)[0] = 0x6b65726e656c0001ull;
		xpt_flush_init(&fl);
		check_ok(xpt_map(&vm.kernel, KPROBE_VA, k << XPT_PAGE_SHIFT, XPT_4K, XPT_WRITE, &fl),
		         "kernel map");
		apply(&fl);
		use(&a);
		ra = *(volatile uint64_t *)KPROBE_VA;
		use(&b);
		rb = *(volatile uint64_t *)KPROBE_VA;
		check(ra == frame(k)[0] && rb == frame(k)[0], "kernel page seen as %lx / %lx", ra, rb);
		val("kernel_page_in_both", ra == rb && ra == frame(k)[0]);
		check_ok(xpt_unmap(&vm.kernel, KPROBE_VA, XPT_OPT_FREE_TABLES, NULL, &fl), "kernel unmap");
		apply(&fl);
		xpt_frame_free(&mm.fa, k);
	}

	use_kernel();
	val("cr3_loads", hw.cr3_loads - loads0);
	val("free_before", free0);
	check_ok(xpt_as_destroy(&a), "destroy a");
	check_ok(xpt_as_destroy(&b), "destroy b");
	val("free_after", mm.fa.nfree);
	check(mm.fa.nfree == free0, "free frames %lu before, %lu after", free0, mm.fa.nfree);
	rec_end();
}

/* ------------------------------------------------------- 2. shared frame */

static void m_shared(void)
{
	struct xpt_as a, b;
	struct xpt_vma va[NVMAS], vb[NVMAS];
	struct xpt_mapping ma, mb;
	uint64_t free0 = mm.fa.nfree, ra = 0, rb = 0;
	uint32_t ec;
	xpt_pfn lib;

	rec_begin(XPT_VMD_SHARED, "shared");
	if (!check_ok(xpt_frame_alloc(&mm.fa, &lib), "library frame"))
		return rec_end();
	for (unsigned i = 0; i < XPT_ENTRIES; i++)
		frame(lib)[i] = 0x11b0000000000000ull | i;
	if (!check_ok(xpt_vm_frame_get(&vm, lib), "the library's own hold"))
		return rec_end();
	if (!check_ok(space(&a, va, false), "create a") || !check_ok(space(&b, vb, false), "create b"))
		return rec_end();
	check_ok(xpt_as_map_shared(&a, LIB_VA_A, lib, XPT_USER | XPT_NOEXEC, NULL), "map into a");
	check_ok(xpt_as_map_shared(&b, LIB_VA_B, lib, XPT_USER | XPT_NOEXEC, NULL), "map into b");
	val("refs_mapped", vm.refs[lib]);
	val("code_page_refs", vm.refs[code_pfn]);
	check(vm.refs[lib] == 3, "library frame has %u references, want 3", vm.refs[lib]);

	use(&a);
	check(run(u_read, LIB_VA_A + 8 * 7, 0, 0, &ra) && ra == (0x11b0000000000000ull | 7),
	      "a reads %lx", ra);
	use(&b);
	check(run(u_read, LIB_VA_B + 8 * 7, 0, 0, &rb) && rb == ra, "b reads %lx", rb);
	val("a_reads", ra);
	val("b_reads", rb);
	check(xpt_translate(&a.sp, LIB_VA_A, &ma) == XPT_OK &&
	      xpt_translate(&b.sp, LIB_VA_B, &mb) == XPT_OK && ma.pa == mb.pa &&
	      ma.pa == lib << XPT_PAGE_SHIFT, "both spaces map the one frame");
	/* Read-only: a ring-3 write faults and xpt_as_fault refuses it. */
	ec = run_refused(u_write, LIB_VA_B, 1);
	val("write_ec", ec);
	check(ec == (XPT_PF_P | XPT_PF_W | XPT_PF_U) && pf.last_err == XPT_E_POLICY,
	      "ring-3 write to the shared frame: error code %x, %s", ec, xpt_strerror(pf.last_err));
	check(frame(lib)[0] == 0x11b0000000000000ull, "library frame changed");

	use_kernel();
	check_ok(xpt_as_destroy(&a), "destroy a");
	val("refs_after_a", vm.refs[lib]);
	check_ok(xpt_as_destroy(&b), "destroy b");
	val("refs_after_b", vm.refs[lib]);
	check(vm.refs[lib] == 1 && !xpt_frame_is_free(&mm.fa, lib),
	      "after both spaces: %u references, frame %s", vm.refs[lib],
	      xpt_frame_is_free(&mm.fa, lib) ? "free" : "held");
	check_ok(xpt_vm_frame_put(&vm, lib), "drop the hold");
	check(xpt_frame_is_free(&mm.fa, lib), "last reference gone, frame not free");
	val("free_before", free0);
	val("free_after", mm.fa.nfree);
	check(mm.fa.nfree == free0, "free frames %lu before, %lu after", free0, mm.fa.nfree);
	rec_end();
}

/* --------------------------------------------------- 3. copy-on-write fork */

static void m_cow(void)
{
	struct xpt_as p, c;
	struct xpt_vma pv[NVMAS], cv[NVMAS];
	struct xpt_mapping m0, m1, n1;
	struct xpt_flush fl;
	uint64_t free0 = mm.fa.nfree, free_fork, r, pr0 = 0, pr1 = 0, cr0 = 0, cr1 = 0;
	uint64_t inv0, va[MAXLEAVES], ent[MAXLEAVES];
	unsigned nleaves, changed = 0, missing = 0, extra = 0;

	rec_begin(XPT_VMD_COW, "cow");
	if (!check_ok(space(&p, pv, false), "create parent"))
		return rec_end();
	check_ok(xpt_as_reserve(&p, DATA_VA, 2 * KB4, RW_DATA, NULL, 0), "reserve");
	use(&p);
	check(run(u_write, DATA_VA, 0x9a4e470000000000ull, 0, &r), "parent writes page 0");
	check(run(u_write, DATA_VA + KB4, 0x9a4e470000000001ull, 0, &r), "parent writes page 1");

	free_fork = mm.fa.nfree;
	nleaves = leaves(&p, va, ent, MAXLEAVES);
	xpt_flush_init(&fl);
	if (!check_ok(xpt_as_fork(&p, &c, cv, NVMAS, &fl), "fork"))
		return rec_end();
	/* Exact invalidation: the record lists the parent's leaves the fork
	 * changed, each once, and nothing else. */
	for (unsigned i = 0; i < nleaves; i++) {
		bool listed = false;
		for (unsigned j = 0; j < fl.npages; j++)
			listed |= fl.va[j] == va[i];
		if (page_of(&p, va[i], &m0) && (m0.entry & ~AD) != (ent[i] & ~AD))
			changed++, missing += !listed;
		else
			extra += listed;
	}
	val("fork_flush_pages", fl.npages);
	val("fork_changed_leaves", changed);
	check(!fl.all && missing == 0 && extra == 0 && fl.npages == changed && changed >= 2,
	      "fork flush record: %u pages for %u changed leaves (%u missing, %u unchanged listed)",
	      fl.npages, changed, missing, extra);
	inv0 = hw.invlpg;
	apply(&fl); /* the parent's tables are loaded: its writable pages turned read-only */
	val("fork_invlpg", hw.invlpg - inv0);
	val("fork_frames", free_fork - mm.fa.nfree);
	check(page_of(&p, DATA_VA, &m0) && page_of(&c, DATA_VA, &n1) && m0.pa == n1.pa &&
	      vm.refs[m0.pa >> XPT_PAGE_SHIFT] == 2, "page 0 shared after the fork");

	/* The child writes page 0: a write fault, a copy. */
	use(&c);
	check(run(u_read, DATA_VA, 0, 0, &r) && r == 0x9a4e470000000000ull, "child reads %lx", r);
	check(run(u_write, DATA_VA, 0xc41d000000000000ull, 0, &r), "child writes page 0");
	/* The parent writes page 0: its frame is its own again, no copy. */
	use(&p);
	check(run(u_write, DATA_VA, 0x9a4e47000000ffffull, 0, &r), "parent writes page 0");
	/* Page 1 is still one frame for both. */
	check(page_of(&p, DATA_VA + KB4, &m1) && page_of(&c, DATA_VA + KB4, &n1) && m1.pa == n1.pa,
	      "page 1 shared until written");
	use(&c);
	check(run(u_write, DATA_VA + KB4, 0xc41d000000000001ull, 0, &r), "child writes page 1");
	use(&p);
	check(run(u_write, DATA_VA + KB4, 0x9a4e47000001ffffull, 0, &r), "parent writes page 1");

	/* Each sees its own data. */
	check(run(u_read, DATA_VA, 0, 0, &pr0) && run(u_read, DATA_VA + KB4, 0, 0, &pr1), "parent reads");
	use(&c);
	check(run(u_read, DATA_VA, 0, 0, &cr0) && run(u_read, DATA_VA + KB4, 0, 0, &cr1), "child reads");
	val("parent_page0", pr0);
	val("child_page0", cr0);
	val("parent_page1", pr1);
	val("child_page1", cr1);
	check(pr0 == 0x9a4e47000000ffffull && pr1 == 0x9a4e47000001ffffull &&
	      cr0 == 0xc41d000000000000ull && cr1 == 0xc41d000000000001ull,
	      "parent %lx %lx, child %lx %lx", pr0, pr1, cr0, cr1);
	val("cow_copies", DELTA(cow_copies));
	val("cow_reuses", DELTA(cow_reuses));
	val("write_prot_faults", pf.ec_count[XPT_PF_P | XPT_PF_W | XPT_PF_U]);
	check(pf.ec_count[XPT_PF_P | XPT_PF_W | XPT_PF_U] == 4, "%lu write faults on present pages, want 4",
	      pf.ec_count[XPT_PF_P | XPT_PF_W | XPT_PF_U]);
	check(DELTA(cow_copies) == 2 && DELTA(cow_reuses) == 2, "%lu copies, %lu reuses (want 2, 2)",
	      DELTA(cow_copies), DELTA(cow_reuses));

	use_kernel();
	check_ok(xpt_as_destroy(&c), "destroy child");
	check_ok(xpt_as_destroy(&p), "destroy parent");
	val("free_before", free0);
	val("free_after", mm.fa.nfree);
	check(mm.fa.nfree == free0, "free frames %lu before, %lu after", free0, mm.fa.nfree);
	rec_end();
}

/* ------------------------------------------------------- 4. demand paging */

static void m_demand(void)
{
	struct xpt_as s;
	struct xpt_vma v[NVMAS];
	struct xpt_mapping m;
	struct xpt_flush fl;
	uint64_t free0 = mm.fa.nfree, free1, ored = 1, marks = 0;
	uint32_t ec;
	const unsigned n = 8;

	rec_begin(XPT_VMD_DEMAND, "demand");
	if (!check_ok(space(&s, v, false), "create"))
		return rec_end();
	free1 = mm.fa.nfree;
	check_ok(xpt_as_reserve(&s, DATA_VA, n * KB4, RW_DATA, NULL, 0), "reserve");
	val("reserve_took_frames", free1 - mm.fa.nfree);
	check(mm.fa.nfree == free1, "the reservation took frames");
	use(&s);
	check(run(u_touch, DATA_VA, n, 0, &ored), "ring 3 touches %u pages", n);
	val("pages", n);
	val("faults", pf.faults);
	val("zero_fills", DELTA(zero_fills));
	val("or_of_all_words", ored);
	val("frames_taken", free1 - mm.fa.nfree);
	check(ored == 0, "a fresh page held %lx", ored);
	check(pf.faults == n && DELTA(zero_fills) == n, "%lu faults, %lu zero fills for %u pages",
	      pf.faults, DELTA(zero_fills), n);
	check(pf.ec_seen == 1u << XPT_PF_U, "first touches are not-present reads from ring 3 (seen %x)",
	      pf.ec_seen);
	for (unsigned i = 0; i < n; i++) {
		uint64_t *w = page_of(&s, DATA_VA + i * KB4, &m);
		marks += w && w[1] == DATA_VA + i * KB4;
	}
	check(marks == n, "%lu of %u pages hold ring 3's mark", marks, n);
	/* Outside every region: the fault is refused. */
	ec = run_refused(u_read, DATA_VA + n * KB4, 0);
	check(ec == XPT_PF_U && pf.last_err == XPT_E_NOT_MAPPED, "touch past the range: %x, %s", ec,
	      xpt_strerror(pf.last_err));
	xpt_flush_init(&fl);
	check_ok(xpt_as_unmap(&s, DATA_VA, n * KB4, &fl), "unmap");
	val("unmap_flush_pages", fl.npages);
	apply(&fl);
	check(mm.fa.nfree == free1, "after unmap %lu free, %lu before the touches", mm.fa.nfree, free1);
	use_kernel();
	check_ok(xpt_as_destroy(&s), "destroy");
	val("free_before", free0);
	val("free_after", mm.fa.nfree);
	check(mm.fa.nfree == free0, "free frames %lu before, %lu after", free0, mm.fa.nfree);
	rec_end();
}

/* --------------------------------------------------- 5. file-backed pages */

static struct {
	uint64_t pa, len, reads, writes;
} file;

static int file_read(void *ctx, uint64_t off, uint64_t *page)
{
	(void)ctx;
	if (off + KB4 > file.len)
		return XPT_E_RANGE;
	file.reads++;
	memcpy(page, mm_phys(file.pa + off), KB4);
	return XPT_OK;
}

static int file_write(void *ctx, uint64_t off, const uint64_t *page)
{
	(void)ctx;
	if (off + KB4 > file.len)
		return XPT_E_RANGE;
	file.writes++;
	memcpy(mm_phys(file.pa + off), page, KB4);
	return XPT_OK;
}

static const struct xpt_pager file_pager = { file_read, file_write, NULL };

static uint64_t file_word(unsigned page, unsigned i)
{
	return ((const uint64_t *)mm_phys(file.pa))[page * XPT_ENTRIES + i];
}

static void m_file(void)
{
	struct xpt_as s;
	struct xpt_vma v[NVMAS];
	struct xpt_mapping m;
	struct xpt_flush fl;
	uint64_t free0 = mm.fa.nfree, r0 = 0, r1 = 0, r2 = 0, dirty = 0, present = 0;
	const unsigned n = XPT_VMD_FILE_PAGES;

	rec_begin(XPT_VMD_FILE, "file");
	file.reads = file.writes = 0;
	val("file_pa", file.pa);
	if (!check(file.len >= n * KB4 && file_word(0, 3) == xpt_vmd_file_word(0, 3),
	           "no %u-page file module (give one with -initrd)", n) ||
	    !check_ok(space(&s, v, false), "create"))
		return rec_end();
	check_ok(xpt_as_reserve(&s, FILE_VA, n * KB4, RW_DATA, &file_pager, 0), "reserve");
	use(&s);
	check(run(u_read, FILE_VA + 8 * 3, 0, 0, &r0) && r0 == xpt_vmd_file_word(0, 3),
	      "page 0 word 3 reads %lx", r0);
	check(run(u_read, FILE_VA + KB4 + 8 * 100, 0, 0, &r1) && r1 == xpt_vmd_file_word(1, 100),
	      "page 1 word 100 reads %lx", r1);
	check(run(u_write, FILE_VA + XPT_VMD_DIRTY_PAGE * KB4 + 8 * XPT_VMD_DIRTY_WORD,
	          XPT_VMD_DIRTY_VALUE, 0, &r2) && r2 == XPT_VMD_DIRTY_VALUE, "page 2 write");
	val("page0_word3", r0);
	val("page_ins", DELTA(page_ins));
	val("pager_reads", file.reads);
	check(DELTA(page_ins) == 3 && file.reads == 3, "%lu page-ins, %lu reads (want 3)",
	      DELTA(page_ins), file.reads);
	/* The MMU set D on the written page only. */
	for (unsigned i = 0; i < n; i++)
		if (xpt_translate(&s.sp, FILE_VA + i * KB4, &m) == XPT_OK) {
			present++;
			dirty |= (m.entry & XPT_PTE_D) ? 1u << i : 0;
		}
	val("pages_present", present);
	val("dirty_mask_by_mmu", dirty);
	check(present == 3 && dirty == 1u << XPT_VMD_DIRTY_PAGE, "%lu present, D mask %lx", present,
	      dirty);
	check(file_word(XPT_VMD_DIRTY_PAGE, XPT_VMD_DIRTY_WORD) ==
	          xpt_vmd_file_word(XPT_VMD_DIRTY_PAGE, XPT_VMD_DIRTY_WORD),
	      "the file changed before the unmap");
	xpt_flush_init(&fl);
	check_ok(xpt_as_unmap(&s, FILE_VA, n * KB4, &fl), "unmap");
	apply(&fl);
	val("write_backs", DELTA(write_backs));
	val("pager_writes", file.writes);
	val("file_dirty_word", file_word(XPT_VMD_DIRTY_PAGE, XPT_VMD_DIRTY_WORD));
	check(DELTA(write_backs) == 1 && file.writes == 1, "%lu write-backs (want 1)", DELTA(write_backs));
	check(file_word(XPT_VMD_DIRTY_PAGE, XPT_VMD_DIRTY_WORD) == XPT_VMD_DIRTY_VALUE,
	      "the file does not hold ring 3's write");
	use_kernel();
	check_ok(xpt_as_destroy(&s), "destroy");
	val("free_before", free0);
	val("free_after", mm.fa.nfree);
	check(mm.fa.nfree == free0, "free frames %lu before, %lu after", free0, mm.fa.nfree);
	rec_end();
}

/* ------------------------------------------------------------------ 6. W^X */

static void m_wx(void)
{
	struct xpt_as s;
	struct xpt_vma v[NVMAS];
	struct xpt_flush fl;
	uint64_t free0 = mm.fa.nfree, r = 0, inv0;
	uint32_t ec;
	int err;
	const unsigned n = 4;

	rec_begin(XPT_VMD_WX, "wx");
	if (!check_ok(space(&s, v, false), "create"))
		return rec_end();
	s.sp.policy |= XPT_POLICY_WX;
	err = xpt_as_reserve(&s, JIT_VA, n * KB4, XPT_USER | XPT_WRITE, NULL, 0);
	val("reserve_wx_refused", err == XPT_E_POLICY);
	check(err == XPT_E_POLICY, "writable+executable region: %s", xpt_strerror(err));
	check_ok(xpt_as_reserve(&s, JIT_VA, n * KB4, RW_DATA, NULL, 0), "reserve rw");
	use(&s);
	check(run(u_touch, JIT_VA, n, 0, &r) && r == 0, "ring 3 fills %u pages", n);
	check(run(u_jit, JIT_VA, 0, 0, &r), "ring 3 writes code");
	/* Still writable, so not executable: the fetch faults and is refused. */
	ec = run_refused(u_exec, JIT_VA, 0);
	val("exec_while_rw_ec", ec);
	check(ec == (XPT_PF_P | XPT_PF_U | XPT_PF_ID) && pf.last_err == XPT_E_POLICY,
	      "executing the writable page: error code %x, %s", ec, xpt_strerror(pf.last_err));
	xpt_flush_init(&fl);
	err = xpt_as_protect(&s, JIT_VA, n * KB4, XPT_USER | XPT_WRITE, &fl);
	val("protect_wx_refused", err == XPT_E_POLICY);
	check(err == XPT_E_POLICY && fl.npages == 0, "protect to rwx: %s", xpt_strerror(err));

	/* Write, then execute: the flush record lists every page. */
	check_ok(xpt_as_protect(&s, JIT_VA, n * KB4, XPT_USER, &fl), "protect to r-x");
	val("flush_pages", fl.npages);
	val("flush_all", fl.all);
	inv0 = hw.invlpg;
	apply(&fl);
	val("invlpg", hw.invlpg - inv0);
	check(hw.invlpg - inv0 == n, "%lu invlpg for %u pages", hw.invlpg - inv0, n);
	check(run(u_exec, JIT_VA, 0, 0, &r) && r == 0x1234abcd, "the written code returns %lx", r);
	val("exec_result", r);
	ec = run_refused(u_write, JIT_VA + 64, 1);
	val("write_after_exec_ec", ec);
	check(ec == (XPT_PF_P | XPT_PF_W | XPT_PF_U) && pf.last_err == XPT_E_POLICY,
	      "writing the executable page: error code %x, %s", ec, xpt_strerror(pf.last_err));
	use_kernel();
	check_ok(xpt_as_destroy(&s), "destroy");
	val("free_before", free0);
	val("free_after", mm.fa.nfree);
	check(mm.fa.nfree == free0, "free frames %lu before, %lu after", free0, mm.fa.nfree);
	rec_end();
}

/* ------------------------------------------------------------------- 7. KPTI */

#define CALLS 2000u

/* The fewest TSC ticks of a few runs of CALLS empty system calls. */
static uint64_t time_calls(uint64_t user_cr3, bool *ok)
{
	uint64_t best = ~0ull;
	for (int i = 0; i < 3; i++) {
		uint64_t t = vm_user_run(prog_va(u_calls), CALLS, DATA_VA, 0, user_cr3);
		*ok &= vm_out.how == VEC_DONE;
		best = t < best ? t : best;
	}
	return best;
}

static void m_kpti(void)
{
	struct xpt_as k;
	struct xpt_vma v[NVMAS];
	struct xpt_mapping m;
	struct xpt_space u;
	uint64_t free0 = mm.fa.nfree, r, plain, kpti, loads0, upper = 0, lower = 0, va;
	bool ok = true;

	rec_begin(XPT_VMD_KPTI, "kpti");
	if (!check_ok(space(&k, v, true), "create with kpti"))
		return rec_end();
	val("create_frames", free0 - mm.fa.nfree);
	check(k.user_root != k.sp.root, "no user tables");
	check_ok(xpt_as_reserve(&k, DATA_VA, KB4, RW_DATA, NULL, 0), "reserve");
	/* First touch on the kernel tables: faults need the kernel mapped. */
	use(&k);
	check(run(u_write, DATA_VA, 1, 0, &r), "ring 3 touches its page");

	/* What the user tables hold: user pages, and the trampoline only. */
	u = k.sp;
	u.root = k.user_root;
	for (va = 0; xpt_next_leaf(&u, va, &m) == XPT_OK; va = m.va + xpt_size_bytes(m.size)) {
		upper += m.va >= xpt_as_user_top(&k);
		lower += m.va < xpt_as_user_top(&k);
		if (m.va + xpt_size_bytes(m.size) < m.va)
			break;
	}
	val("user_tables_user", lower);
	val("user_tables_kernel", upper);
	check(lower == 2 && upper == (uint64_t)(vm_tramp_end - vm_tramp_start) / KB4,
	      "user tables: %lu user, %lu kernel pages", lower, upper);
	check(xpt_translate(&u, (uint64_t)&vm, &m) == XPT_E_NOT_MAPPED &&
	      xpt_translate(&k.sp, (uint64_t)&vm, &m) == XPT_OK, "kernel data in the user tables");
	check(xpt_translate(&u, (uint64_t)vm_tramp_start, &m) == XPT_OK && !(m.eff & XPT_USER),
	      "trampoline missing or user-accessible");

	/* Without KPTI: the kernel tables, an entry that never loads CR3. */
	plain = time_calls(0, &ok);
	/* With KPTI: ring 3 on the user tables, the trampoline loads the kernel's and back. */
	*(uint64_t *)mm_phys(phys(vm_tramp_kcr3)) = xpt_as_cr3(&k, false);
	*(uint64_t *)mm_phys(phys(vm_tramp_ucr3)) = xpt_as_cr3(&k, true);
	cpu_wrmsr(MSR_LSTAR, (uint64_t)vm_tramp_syscall);
	loads0 = vm_kpti_loads;
	kpti = time_calls(xpt_as_cr3(&k, true), &ok);
	cpu_wrmsr(MSR_LSTAR, (uint64_t)vm_syscall);
	check(ok, "a timed run did not reach its exit call (how %lu, cr2 %lx)", vm_out.how, vm_out.cr2);
	check(cpu_read_cr3() == xpt_as_cr3(&k, false), "not back on the kernel tables");
	val("calls", CALLS);
	val("cr3_loads_kpti", vm_kpti_loads - loads0);
	check(vm_kpti_loads - loads0 == 3 * (2 * CALLS + 2), "%lu CR3 loads for 3 x %u calls",
	      vm_kpti_loads - loads0, CALLS);
	val("tsc_per_call_plain", plain / CALLS);
	val("tsc_per_call_kpti", kpti / CALLS);
	check(page_of(&k, DATA_VA, &m) && *page_of(&k, DATA_VA, &m) == vm_out.result,
	      "ring 3 on the user tables did not store its count");
	val("cr3_loads_switch", DELTA(cr3_loads));
	use_kernel();
	check_ok(xpt_as_destroy(&k), "destroy");
	val("free_before", free0);
	val("free_after", mm.fa.nfree);
	check(mm.fa.nfree == free0, "free frames %lu before, %lu after", free0, mm.fa.nfree);
	rec_end();
}

/* --------------------------------------------------------------- 8. eviction */

#define EVICT_PAGES 8u
#define BUDGET      4u
static uint64_t swap_store[EVICT_PAGES][XPT_ENTRIES];
static uint64_t swap_reads, swap_writes;

static int swap_read(void *ctx, uint64_t off, uint64_t *page)
{
	(void)ctx;
	if (off < EVICT_VA || off >= EVICT_VA + EVICT_PAGES * KB4)
		return XPT_E_RANGE;
	swap_reads++;
	memcpy(page, swap_store[(off - EVICT_VA) / KB4], KB4);
	return XPT_OK;
}

static int swap_write(void *ctx, uint64_t off, const uint64_t *page)
{
	(void)ctx;
	if (off < EVICT_VA || off >= EVICT_VA + EVICT_PAGES * KB4)
		return XPT_E_RANGE;
	swap_writes++;
	memcpy(swap_store[(off - EVICT_VA) / KB4], page, KB4);
	return XPT_OK;
}

static const struct xpt_pager swap_pager = { swap_read, swap_write, NULL };

static void m_evict(void)
{
	struct xpt_as e;
	struct xpt_vma v[NVMAS];
	uint64_t free0 = mm.fa.nfree, bad = 0, ev, rf;

	rec_begin(XPT_VMD_EVICT, "evict");
	if (!check_ok(space(&e, v, false), "create"))
		return rec_end();
	e.swap = &swap_pager;
	check_ok(xpt_as_reserve(&e, EVICT_VA, EVICT_PAGES * KB4, RW_DATA, NULL, 0), "reserve");
	pf.budget = BUDGET;
	pf.lo = EVICT_VA;
	pf.hi = EVICT_VA + EVICT_PAGES * KB4;
	use(&e);
	/* 8 pages through a budget of 4 frames. */
	check(run(u_fill, EVICT_VA, EVICT_PAGES, 0, NULL), "ring 3 fills %u pages", EVICT_PAGES);
	val("budget", BUDGET);
	val("fill_evictions", DELTA(evictions));
	val("fill_zero_fills", DELTA(zero_fills));
	/* A working set that fits: few refaults. */
	ev = DELTA(evictions);
	rf = DELTA(refaults);
	check(run(u_sweep, EVICT_VA + (EVICT_PAGES - 3) * KB4, 3, 20, &bad) && bad == 0,
	      "hot sweep: %lu words wrong", bad);
	val("hot_refaults", DELTA(refaults) - rf);
	val("hot_evictions", DELTA(evictions) - ev);
	/* One that does not: every pass refaults what the last evicted. */
	ev = DELTA(evictions);
	rf = DELTA(refaults);
	check(run(u_sweep, EVICT_VA, EVICT_PAGES, 4, &bad) && bad == 0, "thrash sweep: %lu words wrong",
	      bad);
	val("thrash_refaults", DELTA(refaults) - rf);
	val("thrash_evictions", DELTA(evictions) - ev);
	val("evictions", DELTA(evictions));
	val("refaults", DELTA(refaults));
	val("max_resident", pf.max_resident);
	val("evict_calls", pf.evict_calls);
	val("a_bits_seen", pf.a_seen);
	val("swap_writes", swap_writes);
	val("swap_reads", swap_reads);
	check(DELTA(zero_fills) == EVICT_PAGES && DELTA(evictions) >= EVICT_PAGES - BUDGET,
	      "%lu zero fills, %lu evictions", DELTA(zero_fills), DELTA(evictions));
	check(pf.max_resident <= BUDGET, "%lu pages resident, budget %u", pf.max_resident, BUDGET);
	check(DELTA(refaults) > 0 && DELTA(refaults) == swap_reads && swap_writes == DELTA(evictions),
	      "%lu refaults, %lu swap reads, %lu swap writes", DELTA(refaults), swap_reads, swap_writes);
	check(e.nevicted == DELTA(evictions) - DELTA(refaults), "%lu pages out, %lu - %lu", e.nevicted,
	      DELTA(evictions), DELTA(refaults));
	check(pf.a_seen > 0, "no accessed bit was ever set by the MMU");
	pf.budget = 0;
	use_kernel();
	check_ok(xpt_as_destroy(&e), "destroy");
	val("free_before", free0);
	val("free_after", mm.fa.nfree);
	check(mm.fa.nfree == free0, "free frames %lu before, %lu after", free0, mm.fa.nfree);
	rec_end();
}

/* ----------------------------------------------------------------- set-up */

struct gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
};

static struct gate *pf_gate(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) d;
	__asm__ volatile("sidt %0" : "=m"(d));
	return (struct gate *)d.base + 14;
}

static void set_gate(struct gate *g, uint64_t a)
{
	g->off_lo = (uint16_t)a;
	g->off_mid = (uint16_t)(a >> 16);
	g->off_hi = (uint32_t)(a >> 32);
}

/* The kernel half every space shares: the window and the kernel image. */
static int kernel_half(void)
{
	unsigned opts = (cpu.features & XPT_CASE_CPU_PDPE1GB) ? 0 : XPT_OPT_NO_1G;
	uint64_t text = (uint64_t)_text, etext = (uint64_t)_etext, end = (uint64_t)_end;
	int err = xpt_map_range(&vm.kernel, XPT_CASE_WINDOW_VA, 0, mm.window.nframes * KB4, XPT_WRITE,
	                        opts, NULL);
	if (!err)
		err = xpt_map_range(&vm.kernel, text, phys(_text), etext - text, 0, 0, NULL);
	if (!err)
		err = xpt_map_range(&vm.kernel, etext, phys(_etext), end - etext, XPT_WRITE, 0, NULL);
	return err;
}

static const char *setup(void)
{
	xpt_pfn refs;
	int err;
	if (mm.fa.nframes * sizeof(uint32_t) > 512 * KB4)
		return "more RAM than one 2 MiB block of reference counts covers";
	if (vm_user_end - vm_user_start != (long)KB4 || vm_tramp_end - vm_tramp_start != (long)KB4)
		return "the ring-3 page or the trampoline is not one page";
	if ((err = xpt_frame_alloc_huge(&mm.fa, XPT_2M, &refs)) != XPT_OK)
		return "no 2 MiB block for the reference counts";
	if (xpt_vm_init_levels(&vm, &mm.window, &mm.fa, (uint32_t *)frame(refs), cpu.maxphyaddr,
	                       mm.kspace.levels) != XPT_OK)
		return "xpt_vm_init_levels";
	ubase = mm.kspace.levels == 5u ? UBASE_LA57 : 0;
	if (kernel_half() != XPT_OK)
		return "mapping the kernel half";
	if (xpt_vm_set_trampoline(&vm, (uint64_t)vm_tramp_start, phys(vm_tramp_start), KB4) != XPT_OK)
		return "xpt_vm_set_trampoline";
	code_pfn = phys(vm_user_start) >> XPT_PAGE_SHIFT;
	if (xpt_vm_frame_get(&vm, code_pfn) != XPT_OK) /* the kernel image's own hold: never freed */
		return "a hold on the kernel image";
	if (mm.nmods > 0) {
		file.pa = mm.mod[0].start;
		file.len = mm.mod[0].end - mm.mod[0].start;
	}
	return NULL;
}

void vm_demo_run(struct xpt_case_results *res)
{
	struct gate *g = pf_gate(), saved = *g;
	const char *err;

	out = mm_phys(res->res_pa);
	if (res->res_cap < sizeof(*out)) {
		lib_strlcpy(res->msg, "no room for the vm records", sizeof(res->msg));
		res->status = XPT_CASE_S_RESULTS_FULL;
		return;
	}
	memset(out, 0, sizeof(*out));
	out->magic = XPT_VMD_MAGIC;
	out->version = XPT_VMD_VERSION;
	if ((err = setup()) != NULL) {
		ser_snprintf(res->msg, sizeof(res->msg), "vm scenario set-up: %s", err);
		res->status = XPT_CASE_S_NO_MEMORY;
		return;
	}
	out->file_pa = file.pa;
	out->file_len = file.len;
	vm_pf_prev = (uint64_t)saved.off_lo | (uint64_t)saved.off_mid << 16 |
	             (uint64_t)saved.off_hi << 32;
	set_gate(g, (uint64_t)vm_pf_entry);
	cpu_wrmsr(MSR_LSTAR, (uint64_t)vm_syscall);
	res->tsc_start = cpu_rdtsc();
	out->free_start = mm.fa.nfree;

	m_spaces();
	m_shared();
	m_cow();
	m_demand();
	m_file();
	m_wx();
	m_kpti();
	m_evict();

	out->free_end = mm.fa.nfree;
	res->tsc_end = cpu_rdtsc();
	cpu_write_cr3(mm.kroot_cr3);
	cpu_wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	*g = saved;
}

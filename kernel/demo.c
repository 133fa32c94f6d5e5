/*
 * The experiment of the seeds, printed on serial as the kernel runs: the
 * tables are ref's and the MMU is real (or QEMU's), so each step shows
 * ref's answer next to what the hardware did with the same tables.
 */
#include "kernel.h"

#define DEMO_VA UINT64_C(0x40000000) /* free in the kernel space's lower half */

static const char *yes(bool b)
{
	return b ? "yes" : "NO";
}

static void show_cpu(void)
{
	static const char *const names[] = { "nx", "smep", "smap", "pku", "pdpe1gb", "pge", "pcid",
	                                     "invpcid", "la57" };
	ser_printf("CPU %s, MAXPHYADDR %u, features:", cpu.vendor, cpu.maxphyaddr);
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (cpu.features & (1u << i))
			ser_printf(" %s", names[i]);
	ser_printf("\n");
}

static void show_space(void)
{
	struct xpt_dump d;
	struct xpt_range r;
	char line[160];
	int err = XPT_OK;
	ser_printf("\nThe kernel's address space, built by xpt_map_range (%u levels, root frame %lx):\n",
	           mm.kspace.levels, mm.kspace.root);
	xpt_dump_init(&d);
	while (xpt_dump_next(&mm.kspace, &d, &r, &err)) {
		xpt_range_format(&r, line, sizeof(line));
		ser_printf("  %s\n", line);
	}
	ser_printf("frames: %lu covered, %lu usable, %lu free; window at %lx over %lu MiB\n",
	           mm.fa.nframes, mm.fa.nusable, mm.fa.nfree, XPT_CASE_WINDOW_VA,
	           mm.window.nframes >> 8);
}

/* Step 1: ref's translation, checked by reading through both addresses. */
static void translate(const char *what, uint64_t va)
{
	struct xpt_mapping m;
	int err = xpt_translate(&mm.kspace, va, &m);
	if (err != XPT_OK) {
		ser_printf("  %-22s %016lx -> %s\n", what, va, xpt_strerror(err));
		return;
	}
	uint64_t pa = m.pa + m.offset;
	bool same = *(volatile uint64_t *)(va & ~7ull) == *(volatile uint64_t *)mm_phys(pa & ~7ull);
	ser_printf("  %-22s %016lx -> pa %010lx (%s page, %s%s%s), MMU reads the same word: %s\n", what,
	           va, pa, m.size == XPT_4K ? "4K" : m.size == XPT_2M ? "2M" : "1G",
	           (m.eff & XPT_WRITE) ? "rw" : "ro", (m.eff & XPT_USER) ? " user" : " kernel",
	           (m.eff & XPT_NOEXEC) ? " nx" : " x", yes(same));
}

static void step_translate(void)
{
	ser_printf("\n1. xpt_translate walks the tables the MMU uses:\n");
	translate("kernel text", (uint64_t)demo_run);
	translate("kernel data", (uint64_t)&mm);
	translate("window: data pool", (uint64_t)mm_phys(XPT_CASE_POOL_PA));
	translate("ring-3 stub", XPT_CASE_STUB_VA);
	translate("nothing there", DEMO_VA);
	/* 0x0000900000000000 is canonical in 57 bits: 5 levels need another */
	translate("non-canonical", mm.kspace.levels == 5 ? 0x0200000000000000ull : 0x0000900000000000ull);
}

static void apply(struct xpt_flush *fl)
{
	struct xpt_arch a = cpu_arch();
	if (fl->npages == 0 && !fl->all)
		ser_printf("     flush record: empty (the page was not present: nothing cached)\n");
	else
		ser_printf("     flush record: %u page(s)%s -> invlpg\n", fl->npages, fl->all ? ", all" : "");
	xpt_flush_apply(&a, fl);
}

/* Steps 2 and 3: map a fresh frame, use it, unmap it and take the fault. */
static void step_map_unmap(void)
{
	struct xpt_flush fl;
	struct xpt_case_acc_res r;
	xpt_pfn f;
	int err;

	ser_printf("\n2. Map an unused page to a fresh frame:\n");
	if ((err = xpt_frame_alloc(&mm.fa, &f)) != XPT_OK) {
		ser_printf("   xpt_frame_alloc: %s\n", xpt_strerror(err));
		return;
	}
	xpt_flush_init(&fl);
	err = xpt_map(&mm.kspace, DEMO_VA, f << XPT_PAGE_SHIFT, XPT_4K, XPT_WRITE, &fl);
	ser_printf("   xpt_frame_alloc -> frame %lx; xpt_map(%lx -> %lx, 4K, rw): %s\n", f, DEMO_VA,
	           f << XPT_PAGE_SHIFT, xpt_strerror(err));
	apply(&fl);
	*(volatile uint64_t *)DEMO_VA = 0x5eed5eed12345678ull;
	ser_printf("   wrote 5eed5eed12345678 through %lx; read back %lx; through the window %lx\n",
	           DEMO_VA, *(volatile uint64_t *)DEMO_VA, *(volatile uint64_t *)mm_phys(f << XPT_PAGE_SHIFT));

	ser_printf("\n3. Unmap it and touch it again:\n");
	err = xpt_unmap(&mm.kspace, DEMO_VA, XPT_OPT_FREE_TABLES, NULL, &fl);
	ser_printf("   xpt_unmap: %s\n", xpt_strerror(err));
	apply(&fl);
	acc_run(DEMO_VA, XPT_ACC_READ, 0, false, &r);
	ser_printf("   read %lx: %s, error code %x, CR2 %lx (%s)\n", DEMO_VA,
	           r.outcome == XPT_CASE_PF ? "#PF caught" : "no fault?!", r.error_code, r.cr2,
	           r.cr2 == DEMO_VA ? "the faulting address" : "unexpected");
	acc_run((uint64_t)&mm, XPT_ACC_USER, 0, false, &r);
	ser_printf("   ring 3 reads kernel data %lx: %s, error code %x (P|U: present, supervisor page)\n",
	           (uint64_t)&mm, r.outcome == XPT_CASE_PF ? "#PF caught" : "no fault?!", r.error_code);
	xpt_frame_free(&mm.fa, f);
}

/* Step 4: a translation stays cached until invlpg. */
static void step_tlb(void)
{
	struct xpt_case_probe p;
	ser_printf("\n4. Re-map the page to another frame without applying the flush record:\n");
	probe_tlb(XPT_PROBE_STALE, &p);
	ser_printf("   before the change  %016lx (frame A)\n", p.v[0]);
	ser_printf("   after the change   %016lx (%s)\n", p.v[1],
	           p.outcome == 1 ? "frame A still: the TLB kept the old translation" : "frame B: no stale entry");
	ser_printf("   after invlpg       %016lx (%s)\n", p.v[2],
	           p.v[2] == 0xbbbbbbbbbbbbbbbbull ? "frame B" : "unexpected");
	probe_tlb(XPT_PROBE_GLOBAL, &p);
	ser_printf("   a global page across a CR3 load: %s\n",
	           p.outcome == 2   ? "no PGE"
	           : p.outcome == 1 ? "kept (architectural)"
	                            : "flushed (this CPU flushes global entries on CR3 loads)");
}

void demo_run(void)
{
	ser_printf("xpt oracle kernel: the seeds' experiment on ref-built tables\n");
	show_cpu();
	show_space();
	step_translate();
	step_map_unmap();
	step_tlb();
	ser_printf("\ndemo done\n");
}

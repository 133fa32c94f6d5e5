/*
 * TLB probes: what the TLB keeps after a PTE changes behind its back.
 * Architecturally (SDM 4.10.4) a processor may use the old translation
 * until the page is invalidated, and global translations survive a CR3
 * load; an emulator may flush more.  These experiments say which.
 */
#include "kernel.h"

#define PROBE_VA   UINT64_C(0x40000000) /* lower half of the kernel space: free */
#define CR4_PGE    (UINT64_C(1) << 7)
#define CR4_PCIDE  (UINT64_C(1) << 17)
#define CR3_NOFLUSH (UINT64_C(1) << 63)

static uint64_t peek(uint64_t va)
{
	return *(volatile uint64_t *)va;
}

static void fill(xpt_pfn f, uint64_t v)
{
	uint64_t *w = &mm.window.words[f * XPT_ENTRIES];
	for (unsigned i = 0; i < XPT_ENTRIES; i++)
		w[i] = v;
}

static void flush(struct xpt_flush *fl)
{
	struct xpt_arch a = cpu_arch();
	xpt_flush_apply(&a, fl);
}

/* What happens between the change and the "stale" read. */
static void probe_event(unsigned kind, struct xpt_flush *held)
{
	if (kind == XPT_PROBE_STALE)
		return;
	if (kind == XPT_PROBE_PCID) {
		cpu_write_cr3(cpu_read_cr3() | CR3_NOFLUSH);
		return;
	}
	cpu_write_cr3(cpu_read_cr3()); /* GLOBAL: flushes all but global entries */
	(void)held;
}

/* The flush that must make the new translation visible. */
static void probe_settle(unsigned kind, struct xpt_flush *held)
{
	if (kind == XPT_PROBE_GLOBAL)
		cpu_write_cr4(cpu_read_cr4() & ~CR4_PGE); /* flushes global entries too */
	flush(held);
}

/*
 * Map PROBE_VA to frame A, read it, re-map it to frame B without applying
 * the flush record, then: v[0] = value through A, v[1] = what is read
 * after the probe's event, v[2] = after a complete flush.
 * outcome: 1 = the old translation was still used at v[1], 0 = not,
 * 2 = the CPU lacks the feature.
 */
void probe_tlb(unsigned kind, struct xpt_case_probe *p)
{
	struct xpt_space *ks = &mm.kspace;
	struct xpt_flush fl, held;
	xpt_attr attr = XPT_WRITE | (kind == XPT_PROBE_GLOBAL ? XPT_GLOBAL : 0);
	uint64_t cr4 = cpu_read_cr4();
	xpt_pfn a, b;

	*p = (struct xpt_case_probe){ .id = kind, .outcome = 2 };
	if ((kind == XPT_PROBE_GLOBAL && !(cpu.features & XPT_CASE_CPU_PGE)) ||
	    (kind == XPT_PROBE_PCID && !(cpu.features & XPT_CASE_CPU_PCID)))
		return;
	if (xpt_frame_alloc(&mm.fa, &a) || xpt_frame_alloc(&mm.fa, &b))
		return;
	fill(a, 0xaaaaaaaaaaaaaaaaull);
	fill(b, 0xbbbbbbbbbbbbbbbbull);
	if (kind == XPT_PROBE_GLOBAL)
		cpu_write_cr4(cr4 | CR4_PGE);
	if (kind == XPT_PROBE_PCID)
		cpu_write_cr4(cr4 | CR4_PCIDE);
	xpt_flush_init(&fl);
	xpt_flush_init(&held);
	xpt_map(ks, PROBE_VA, a << XPT_PAGE_SHIFT, XPT_4K, attr, &fl);
	flush(&fl);
	p->v[0] = peek(PROBE_VA);
	xpt_unmap(ks, PROBE_VA, 0, NULL, &held);
	xpt_map(ks, PROBE_VA, b << XPT_PAGE_SHIFT, XPT_4K, attr, &held);
	probe_event(kind, &held);
	p->v[1] = peek(PROBE_VA);
	probe_settle(kind, &held);
	p->v[2] = peek(PROBE_VA);
	p->outcome = p->v[1] == p->v[0];
	xpt_unmap(ks, PROBE_VA, XPT_OPT_FREE_TABLES, NULL, &fl);
	flush(&fl);
	cpu_write_cr4(cr4);
	xpt_frame_free(&mm.fa, a);
	xpt_frame_free(&mm.fa, b);
}

void run_probes(struct xpt_case_results *res)
{
	static const unsigned kinds[] = { XPT_PROBE_STALE, XPT_PROBE_GLOBAL, XPT_PROBE_PCID };
	for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		probe_tlb(kinds[i], &res->probe[i]);
}

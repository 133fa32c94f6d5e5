/*
 * kmain: descriptor tables, CPU probe, the ref-built address space, then
 * the job the command line and the module ask for: the demo, the vm
 * scenario, or a batch.
 */
#include "kernel.h"
#include "xpt_vmdemo.h"

#define MB_BOOT_MAGIC 0x2badb002u
#define CR4_LA57      (UINT64_C(1) << 12)

/* boot.S's verdict on "la57" (boot_la57). */
enum { BOOT_4LEVEL = 0, BOOT_LA57 = 1, BOOT_LA57_ABSENT = 2 };

void kmain(uint32_t magic, uint32_t mbi_pa, uint64_t tsc_entry, uint32_t la57);

static struct xpt_case_results *results;

struct xpt_case_results *main_results(void)
{
	return results;
}

KNORETURN static void boot_fail(const char *msg)
{
	results->status = XPT_CASE_S_BOOT;
	lib_strlcpy(results->msg, msg, sizeof(results->msg));
	ser_printf("boot failed: %s\n", msg);
	cpu_exit(XPT_CASE_EXIT_PANIC);
}

static void note_cpu(struct xpt_case_results *r)
{
	r->maxphyaddr = cpu.maxphyaddr;
	r->cpu_features = cpu.features;
	r->cpuid_1_ecx = cpu.c1_ecx, r->cpuid_1_edx = cpu.c1_edx;
	r->cpuid_7_ebx = cpu.c7_ebx, r->cpuid_7_ecx = cpu.c7_ecx;
	r->cpuid_e1_ecx = cpu.e1_ecx, r->cpuid_e1_edx = cpu.e1_edx;
	r->cpuid_e8_eax = cpu.e8_eax, r->cpuid_max = cpu.cmax;
	memcpy(r->vendor, cpu.vendor, sizeof(r->vendor));
}

/* The paging levels boot.S set up, checked against CR4. */
static unsigned paging_levels(uint32_t la57)
{
	bool on = (cpu_read_cr4() & CR4_LA57) != 0;
	if (la57 == BOOT_LA57_ABSENT)
		boot_fail("\"la57\" on the command line, but CPUID.(EAX=7,ECX=0):ECX[16] (LA57) is clear");
	if (on != (la57 == BOOT_LA57))
		boot_fail("CR4.LA57 is not what the boot code chose");
	return on ? 5u : 4u;
}

void kmain(uint32_t magic, uint32_t mbi_pa, uint64_t tsc_entry, uint32_t la57)
{
	unsigned levels;
	char err[96];
	ser_init();
	/* The mailbox is reached through the window, under the boot tables
	 * and under ref's alike. */
	results = mm_phys(XPT_CASE_MAILBOX_PA);
	memset(results, 0, sizeof(*results));
	results->magic = XPT_CASE_RMAGIC;
	results->version = XPT_CASE_VERSION;
	results->tsc_entry = tsc_entry;
	cpu_init();
	note_cpu(results);
	if (magic != MB_BOOT_MAGIC)
		boot_fail("not started by a Multiboot loader");
	if (cpu.maxphyaddr < 36 || cpu.maxphyaddr > XPT_MAXPHYADDR)
		boot_fail("CPUID reports a MAXPHYADDR outside 36..52");
	levels = paging_levels(la57);
	results->levels = levels;
	if (!mm_init(mbi_pa, levels, err, sizeof(err)))
		boot_fail(err);
	mm_fill_pool();
	results->res_pa = mm.res_pa;
	results->res_cap = mm.res_cap;
	results->window_nframes = mm.window.nframes;
	results->tsc_ready = cpu_rdtsc();
	lib_strlcpy(results->msg, "ok", sizeof(results->msg));
	if (lib_strstr(mm.cmdline, "hang")) /* for the host's timeout test */
		for (;;)
			__asm__ volatile("pause");
	if (lib_strstr(mm.cmdline, XPT_VMD_CMDLINE)) {
		vm_demo_run(results);
		cpu_exit(results->status == XPT_CASE_S_OK ? XPT_CASE_EXIT_OK : XPT_CASE_EXIT_PANIC);
	}
	if (lib_strstr(mm.cmdline, "demo")) {
		demo_run();
		cpu_exit(XPT_CASE_EXIT_OK);
	}
	if (mm.nmods == 0) {
		results->status = XPT_CASE_S_NO_BATCH;
		lib_strlcpy(results->msg, "no batch module (give one with -initrd)", sizeof(results->msg));
		ser_printf("%s\n", results->msg);
		cpu_exit(XPT_CASE_EXIT_BATCH);
	}
	run_batch(results, mm_phys(mm.mod[0].start), mm.mod[0].end - mm.mod[0].start);
	cpu_exit(XPT_CASE_EXIT_OK);
}

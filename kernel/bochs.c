/*
 * The way out under Bochs, where QEMU's isa-debug-exit (port 0xf4) is an
 * unmapped port and the write that ends a QEMU run does nothing.
 *
 * Bochs has no shared memory backend, so the host cannot read guest RAM
 * after the run.  Instead:
 *
 *  1. the exit code goes out on port 0xE9 (Bochs's "port_e9_hack" copies
 *     every byte to its stdout) as a line "xpt-exit N";
 *  2. "xchg bx, bx" is a magic breakpoint: Bochs stops in its debugger,
 *     whose command file (-rc, written by the host for each run) saves the
 *     mailbox and the per-case results into files with "writemem", reading
 *     them through the physical-memory window; the guest hands over the
 *     window address of the results in rdi;
 *  3. the debugger continues, and the string "Shutdown" written to port
 *     0x8900 makes Bochs exit.
 *
 * With "e9dump" on the command line the results are also sent through
 * port 0xE9 (framed by a line "xpt-e9 LEN"), for measuring that channel.
 *
 * None of this runs under QEMU: its exit happens at the port 0xf4 write.
 *
 * Also here: moving a Multiboot module that GRUB (the loader of the Bochs
 * ISO) put below the kernel.
 */
#include "kernel.h"

extern char _end[];

/*
 * GRUB loads a module wherever it finds room, a large batch typically at
 * 1 MiB: in the RAM below the kernel, where the case tables' 2 MiB blocks
 * come from (run.c), which would then run short.  A module below the
 * kernel is copied above the kernel image and the other modules (where
 * QEMU's loader puts it anyway).  Called once the boot information has
 * been read, before the frame allocator is set up.
 */
void boot_move_modules(void)
{
	uint64_t dest = mm_virt_to_phys(_end);
	for (unsigned i = 0; i < mm.nmods; i++)
		dest = mm.mod[i].end > dest ? mm.mod[i].end : dest;
	dest = (dest + XPT_PAGE_SIZE - 1u) & ~(uint64_t)(XPT_PAGE_SIZE - 1u);
	for (unsigned i = 0; i < mm.nmods; i++) {
		uint64_t size = mm.mod[i].end - mm.mod[i].start;
		if (mm.mod[i].start >= KERNEL_PA)
			continue;
		memcpy(mm_phys(dest), mm_phys(mm.mod[i].start), size);
		mm.mod[i] = (struct mm_module){ dest, dest + size };
		dest = (dest + size + XPT_PAGE_SIZE - 1u) & ~(uint64_t)(XPT_PAGE_SIZE - 1u);
	}
}

#define BOCHS_E9       0xe9
#define BOCHS_SHUTDOWN 0x8900

static void e9_puts(const char *s)
{
	while (*s)
		cpu_outb(BOCHS_E9, (uint8_t)*s++);
}

static void e9_putu(uint64_t v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v);
	while (n)
		cpu_outb(BOCHS_E9, (uint8_t)tmp[--n]);
}

/* The mailbox, then the results, as raw bytes after a header line. */
static void e9_results(const struct xpt_case_results *r)
{
	const uint8_t *mbox = (const void *)r;
	const uint8_t *res = mm_phys(r->res_pa);
	uint64_t m = sizeof(*r), n = r->res_pa ? r->res_used : 0;
	e9_puts("\nxpt-e9 ");
	e9_putu(m + n);
	e9_puts("\n");
	__asm__ volatile("rep outsb" : "+S"(mbox), "+c"(m) : "d"(BOCHS_E9) : "memory");
	__asm__ volatile("rep outsb" : "+S"(res), "+c"(n) : "d"(BOCHS_E9) : "memory");
}

void bochs_exit(uint32_t code)
{
	struct xpt_case_results *r = main_results();
	uint64_t res_va = (uint64_t)mm_phys(r ? r->res_pa : 0);

	if (r && mm.cmdline && lib_strstr(mm.cmdline, "e9dump"))
		e9_results(r);
	e9_puts("\nxpt-exit ");
	e9_putu(code);
	e9_puts("\n");
	__asm__ volatile("xchg %%bx, %%bx" ::"D"(res_va) : "memory");
	for (const char *s = "Shutdown"; *s; s++)
		cpu_outb(BOCHS_SHUTDOWN, (uint8_t)*s);
}

/* Internal interfaces of the oracle kernel; one prefix per module. */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "xpt.h"
#include "xpt_case.h"

#define KNORETURN __attribute__((noreturn))

/* ---- lib.c: what the compiler and ref expect, and small helpers */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t lib_strlen(const char *s);
bool lib_prefix(const char *s, const char *prefix);
const char *lib_strstr(const char *hay, const char *needle);
void lib_strlcpy(char *d, const char *s, size_t n);

/* ---- serial.c: COM1, polled */
void ser_init(void);
void ser_putc(char c);
void ser_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ser_vprintf(const char *fmt, va_list ap);
int ser_snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int ser_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);

/* ---- cpu.c: descriptor tables, control registers, CPUID */
struct cpu_info {
	uint32_t features; /* XPT_CASE_CPU_* */
	uint32_t maxphyaddr;
	uint32_t c1_ecx, c1_edx, c7_ebx, c7_ecx, e1_ecx, e1_edx, e8_eax, cmax;
	char vendor[16];
};
extern struct cpu_info cpu;
void cpu_init(void);
void cpu_probe(void);
uint64_t cpu_rdtsc(void);
uint64_t cpu_read_cr0(void);
uint64_t cpu_read_cr3(void);
uint64_t cpu_read_cr4(void);
void cpu_write_cr0(uint64_t v);
void cpu_write_cr3(uint64_t v);
void cpu_write_cr4(uint64_t v);
uint64_t cpu_rdmsr(uint32_t msr);
void cpu_wrmsr(uint32_t msr, uint64_t v);
void cpu_invlpg(uint64_t va);
void cpu_wrpkru(uint32_t v);
void cpu_stac(void);
void cpu_clac(void);
void cpu_outl(uint16_t port, uint32_t v);
void cpu_outb(uint16_t port, uint8_t v);
uint8_t cpu_inb(uint16_t port);
KNORETURN void cpu_exit(uint32_t code);
/* Load the control bits of a case (XPT_CTL_*); skips unchanged registers. */
void cpu_set_ctl(uint32_t ctl, uint32_t pkru);
uint32_t cpu_ctl_supported(void);
struct xpt_arch cpu_arch(void);

/* ---- trap.S / acc.c: one armed access */
struct acc_rec {
	uint64_t vector, error, cr2, rax;
};
extern struct acc_rec acc_rec;
uint64_t acc_exec(uint64_t va, unsigned mode, uint64_t user_rip);
void trap_done_stub(void);
void syscall_entry(void);
void user_read_stub(void);
void user_write_stub(void);
void user_fetch_stub(void);
void user_rmw_stub(void);
void trap_stubs(void);
/* Run one access of kind XPT_ACC_* (ac: RFLAGS.AC for CPL0) and classify it. */
void acc_run(uint64_t va, unsigned access, unsigned flags, bool ac, struct xpt_case_acc_res *r);
struct trap_frame {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t vector, error, rip, cs, rflags, rsp, ss;
};
KNORETURN void trap_panic(struct trap_frame *f);

/* ---- mm.c: frames, the window and the kernel address space, all through ref */
struct mm_module {
	uint64_t start, end; /* physical */
};
struct mm {
	struct xpt_frames fa;
	struct xpt_mem window;
	struct xpt_space kspace;
	uint64_t kroot_cr3;
	uint64_t res_pa, res_cap;        /* results region */
	uint64_t shared_slot[XPT_ENTRIES]; /* top-level slots every space shares */
	unsigned shared_idx[XPT_ENTRIES / 2u + 1u];
	unsigned nshared;
	const char *cmdline;
	struct mm_module mod[4];
	unsigned nmods;
};
extern struct mm mm;
/* Everything up to the switch to ref-built tables, with `levels` (4, or 5
 * when boot.S turned CR4.LA57 on); false + message on failure. */
bool mm_init(uint32_t mbi_pa, unsigned levels, char *err, size_t errlen);
void *mm_phys(uint64_t pa);
uint64_t mm_virt_to_phys(const void *p);
void mm_fill_pool(void);
uint64_t mm_user_rip(void (*stub)(void));

/* ---- run.c: the batch runner */
void run_batch(struct xpt_case_results *res, const uint8_t *batch, uint64_t size);
void run_probes(struct xpt_case_results *res);

/* ---- probe.c: TLB behaviour the SDM leaves open */
void probe_tlb(unsigned kind, struct xpt_case_probe *p);

/* ---- vm_demo.c: every mechanism of xpt_vm.h with real faults (xpt_vmdemo.h) */
void vm_demo_run(struct xpt_case_results *res);

/* ---- demo.c: the experiment of the seeds, on serial */
void demo_run(void);

/* ---- bochs.c: exit code, results and shutdown under Bochs; GRUB's modules */
void bochs_exit(uint32_t code);
void boot_move_modules(void);

/* ---- main.c */
struct xpt_case_results *main_results(void);

#endif

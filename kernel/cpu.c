/*
 * Descriptor tables (GDT with user segments, TSS, IDT), CPUID, control
 * registers and the arch hooks ref calls for invalidation.
 */
#include "kernel.h"

#define CR0_WP    (1ull << 16)
#define CR4_PGE   (1ull << 7)
#define CR4_SMEP  (1ull << 20)
#define CR4_SMAP  (1ull << 21)
#define CR4_PKE   (1ull << 22)
#define MSR_EFER   0xc0000080u
#define MSR_STAR   0xc0000081u
#define MSR_LSTAR  0xc0000082u
#define MSR_SFMASK 0xc0000084u
#define EFER_SCE   (1ull << 0)
#define EFER_NXE   (1ull << 11)

struct cpu_info cpu;

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap;
} __attribute__((packed));

struct gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
};

struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static uint64_t gdt[7] = {
	0,
	0x00af9a000000ffffull, /* 0x08 kernel code, 64-bit */
	0x00cf92000000ffffull, /* 0x10 kernel data */
	0x00cff2000000ffffull, /* 0x18 user data, DPL 3 (before user code, as sysret wants) */
	0x00affa000000ffffull, /* 0x20 user code, 64-bit, DPL 3 */
	0, 0,                  /* 0x28 TSS, 16 bytes */
};
static struct tss tss;
static struct gate idt[256];
/* rsp0: where CPL3 traps land; IST1: #DF, NMI and #MC, whatever the stack. */
static uint8_t trap_stack[16384] __attribute__((aligned(16)));
static uint8_t ist_stack[8192] __attribute__((aligned(16)));

/* What cpu_set_ctl last loaded, so unchanged registers are not rewritten
 * (each CR4 or EFER write costs QEMU a full TLB flush). */
static uint64_t cur_cr0, cur_cr4, cur_efer;
static uint32_t cur_pkru;

/* ------------------------------------------------------- port and msr */

void cpu_outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
void cpu_outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port)); }

uint8_t cpu_inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

uint64_t cpu_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

uint64_t cpu_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

void cpu_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

#define CR_ACCESSORS(n)                                                                \
	uint64_t cpu_read_cr##n(void)                                                  \
	{                                                                              \
		uint64_t v;                                                            \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                      \
		return v;                                                              \
	}                                                                              \
	void cpu_write_cr##n(uint64_t v) { __asm__ volatile("mov %0, %%cr" #n ::"r"(v) : "memory"); }
CR_ACCESSORS(0)
CR_ACCESSORS(3)
CR_ACCESSORS(4)

void cpu_invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" ::"r"(va) : "memory"); }
void cpu_wrpkru(uint32_t v) { __asm__ volatile("wrpkru" ::"a"(v), "c"(0), "d"(0) : "memory"); }
void cpu_stac(void) { __asm__ volatile("stac" ::: "memory", "cc"); }
void cpu_clac(void) { __asm__ volatile("clac" ::: "memory", "cc"); }

void cpu_exit(uint32_t code)
{
	struct xpt_case_results *r = main_results();
	if (r)
		r->tsc_exit = cpu_rdtsc();
	cpu_outl(0xf4, code);
	bochs_exit(code); /* still running: not QEMU (bochs.c) */
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* ---------------------------------------------------------------- CPUID */

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static uint32_t bit(uint32_t w, unsigned b, uint32_t flag)
{
	return (w >> b) & 1u ? flag : 0;
}

void cpu_probe(void)
{
	uint32_t r[4], emax;
	cpuid(0, 0, r);
	cpu.cmax = r[0];
	memcpy(cpu.vendor, &r[1], 4);
	memcpy(cpu.vendor + 4, &r[3], 4);
	memcpy(cpu.vendor + 8, &r[2], 4);
	cpuid(1, 0, r);
	cpu.c1_ecx = r[2], cpu.c1_edx = r[3];
	if (cpu.cmax >= 7) {
		cpuid(7, 0, r);
		cpu.c7_ebx = r[1], cpu.c7_ecx = r[2];
	}
	cpuid(0x80000000u, 0, r);
	emax = r[0];
	if (emax >= 0x80000001u) {
		cpuid(0x80000001u, 0, r);
		cpu.e1_ecx = r[2], cpu.e1_edx = r[3];
	}
	cpu.maxphyaddr = 36;
	if (emax >= 0x80000008u) {
		cpuid(0x80000008u, 0, r);
		cpu.e8_eax = r[0];
		cpu.maxphyaddr = r[0] & 0xffu;
	}
	cpu.features = bit(cpu.e1_edx, 20, XPT_CASE_CPU_NX) | bit(cpu.e1_edx, 26, XPT_CASE_CPU_PDPE1GB) |
	               bit(cpu.c7_ebx, 7, XPT_CASE_CPU_SMEP) | bit(cpu.c7_ebx, 20, XPT_CASE_CPU_SMAP) |
	               bit(cpu.c7_ecx, 3, XPT_CASE_CPU_PKU) | bit(cpu.c1_edx, 13, XPT_CASE_CPU_PGE) |
	               bit(cpu.c1_ecx, 17, XPT_CASE_CPU_PCID) | bit(cpu.c7_ebx, 10, XPT_CASE_CPU_INVPCID) |
	               bit(cpu.c7_ecx, 16, XPT_CASE_CPU_LA57);
}

uint32_t cpu_ctl_supported(void)
{
	uint32_t f = cpu.features, ctl = XPT_CTL_WP;
	ctl |= (f & XPT_CASE_CPU_NX) ? XPT_CTL_NXE : 0;
	ctl |= (f & XPT_CASE_CPU_SMEP) ? XPT_CTL_SMEP : 0;
	ctl |= (f & XPT_CASE_CPU_SMAP) ? XPT_CTL_SMAP | XPT_CTL_AC : 0; /* stac needs SMAP */
	ctl |= (f & XPT_CASE_CPU_PKU) ? XPT_CTL_PKE : 0;
	ctl |= (f & XPT_CASE_CPU_PDPE1GB) ? XPT_CTL_GBPAGES : 0;
	return ctl;
}

/* ------------------------------------------------------ descriptor tables */

static void set_gate(unsigned vec, void (*fn)(void), unsigned dpl, unsigned ist)
{
	uint64_t a = (uint64_t)fn;
	idt[vec] = (struct gate){
		.off_lo = (uint16_t)a, .sel = SEL_KCODE, .ist = (uint8_t)ist,
		.type = (uint8_t)(0x8e | dpl << 5), /* present 64-bit interrupt gate: IF stays 0 */
		.off_mid = (uint16_t)(a >> 16), .off_hi = (uint32_t)(a >> 32),
	};
}

static void load_gdt(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
	struct dtr d = { sizeof(gdt) - 1, (uint64_t)gdt };
	gdt[5] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ull << 40 | (base >> 24 & 0xff) << 56;
	gdt[6] = base >> 32;
	__asm__ volatile("lgdt %0\n\t"
	                 "pushq %1\n\t"
	                 "leaq 1f(%%rip), %%rax\n\t"
	                 "pushq %%rax\n\t"
	                 "lretq\n"
	                 "1:\n\t"
	                 "mov %2, %%ds\n\t"
	                 "mov %2, %%es\n\t"
	                 "mov %2, %%ss\n\t"
	                 "ltr %w3"
	                 :
	                 : "m"(d), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(SEL_TSS)
	                 : "rax", "memory");
}

static void load_idt(void)
{
	struct dtr d = { sizeof(idt) - 1, (uint64_t)idt };
	for (unsigned v = 0; v < 32; v++) {
		unsigned ist = (v == 2 || v == 8 || v == 18) ? 1 : 0;
		set_gate(v, (void (*)(void))((uint8_t *)trap_stubs + 16 * v), v == 3 ? 3 : 0, ist);
	}
	set_gate(VEC_DONE, trap_done_stub, 3, 0);
	__asm__ volatile("lidt %0" ::"m"(d) : "memory");
}

void cpu_init(void)
{
	tss.rsp[0] = (uint64_t)(trap_stack + sizeof(trap_stack));
	tss.ist[0] = (uint64_t)(ist_stack + sizeof(ist_stack));
	tss.iomap = sizeof(tss);
	load_gdt();
	load_idt();
	cpu_probe();
	/* NXE on when the CPU has it; kernel entries never carry NX, so cases may
	 * switch it off.  CR4: PAE stays, PGE stays off so a CR3 load flushes all. */
	/* SYSCALL/SYSRET carry the ring-3 round trips: under TCG they cost no
	 * descriptor loads and no exception, unlike iretq and int. */
	cur_efer = cpu_rdmsr(MSR_EFER) | EFER_SCE;
	if (cpu.features & XPT_CASE_CPU_NX)
		cur_efer |= EFER_NXE;
	cpu_wrmsr(MSR_EFER, cur_efer);
	cpu_wrmsr(MSR_STAR, ((uint64_t)(SEL_UDATA & ~3) - 8u) << 48 | (uint64_t)SEL_KCODE << 32);
	cpu_wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	cpu_wrmsr(MSR_SFMASK, 0x47700); /* TF, IF, DF, IOPL, NT, AC */
	cur_cr4 = cpu_read_cr4() & ~CR4_PGE;
	cpu_write_cr4(cur_cr4);
	cur_cr0 = cpu_read_cr0() | CR0_WP;
	cpu_write_cr0(cur_cr0);
	cur_pkru = 0;
}

/* ------------------------------------------------------------ case control */

static uint64_t with(uint64_t v, uint64_t mask, bool on)
{
	return on ? v | mask : v & ~mask;
}

void cpu_set_ctl(uint32_t ctl, uint32_t pkru)
{
	uint64_t cr0 = with(cur_cr0, CR0_WP, ctl & XPT_CTL_WP);
	uint64_t cr4 = with(cur_cr4, CR4_SMEP, ctl & XPT_CTL_SMEP);
	uint64_t efer = with(cur_efer, EFER_NXE, ctl & XPT_CTL_NXE);
	cr4 = with(cr4, CR4_SMAP, ctl & XPT_CTL_SMAP);
	cr4 = with(cr4, CR4_PKE, ctl & XPT_CTL_PKE);
	if (cr0 != cur_cr0)
		cpu_write_cr0(cur_cr0 = cr0);
	if (cr4 != cur_cr4)
		cpu_write_cr4(cur_cr4 = cr4);
	if (efer != cur_efer)
		cpu_wrmsr(MSR_EFER, cur_efer = efer);
	if ((cr4 & CR4_PKE) && pkru != cur_pkru)
		cpu_wrpkru(cur_pkru = pkru);
}

/* ------------------------------------------------------------ arch hooks */

static void arch_invlpg(void *ctx, uint64_t va)
{
	(void)ctx;
	cpu_invlpg(va);
}

/* Global entries too: toggling CR4.PGE drops them (SDM 4.10.4.1). */
static void arch_flush_all(void *ctx)
{
	uint64_t cr4 = cpu_read_cr4();
	(void)ctx;
	if (cr4 & CR4_PGE) {
		cpu_write_cr4(cr4 & ~CR4_PGE);
		cpu_write_cr4(cr4);
	} else {
		cpu_write_cr3(cpu_read_cr3());
	}
}

static void arch_load_cr3(void *ctx, uint64_t cr3)
{
	(void)ctx;
	cpu_write_cr3(cr3);
}

struct xpt_arch cpu_arch(void)
{
	return (struct xpt_arch){ .invlpg = arch_invlpg, .flush_all = arch_flush_all,
		                  .load_cr3 = arch_load_cr3 };
}

/*
 * Multiboot1 entry and the way into long mode.
 *
 * The header uses the "address" fields (flag 16), so the loader takes the
 * physical layout from here and the image can be a flat binary linked in
 * the top 2 GiB: ELF32 cannot describe those addresses.
 *
 * This is boot glue only: a static map of the first 4 GiB with 2 MiB
 * pages, at three places (identity, for the next few instructions; the
 * physical-memory window, where the C side reaches the boot information;
 * the top 2 GiB, where the kernel is linked).  The C side replaces it with
 * tables built by the ref library before it does anything else.
 *
 * "la57" on the command line asks for 5-level paging.  CR4.LA57 can only
 * change while paging is off (a write in long mode is #GP), so it is
 * decided here: a PML5 whose slots 0 and 511 both hold the PML4 keeps
 * every address of the 4-level glue, and kmain learns the outcome.
 */
#include "layout.h"

#define MB_MAGIC 0x1badb002
#define MB_INFO_CMDLINE (1 << 2)
#define CR4_LA57 (1 << 12)
#define LA57_WORD 0x3735616c      /* "la57", little-endian */
#define MB_FLAGS ((1 << 0) | (1 << 1) | (1 << 16)) /* aligned modules, memory map, addresses */

	.section .multiboot, "a"
	.p2align 2
mb_header:
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
	.long mb_header          /* header_addr: .boot runs where it is loaded */
	.long KERNEL_PA          /* load_addr */
	.long mb_load_end_pa
	.long mb_bss_end_pa      /* the loader zeroes up to here: the boot tables live in .bss */
	.long boot_entry

	.section .boot.data, "aw"
	.p2align 3
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff /* 0x10: data */
boot_gdtr:
	.word boot_gdtr - boot_gdt - 1
	.long boot_gdt

	.section .boot.text, "ax"
	.code32
	.globl boot_entry
boot_entry:
	cli
	mov %eax, %edi              /* Multiboot magic */
	mov %ebx, %esi              /* Multiboot information (physical) */
	rdtsc                       /* boot time starts at the first instruction */
	mov %eax, %ebp
	mov %edx, %esp              /* no stack needed yet: keep the high half here */

	/* Long mode needs CPUID 80000001h EDX.LM; without it there is nothing to do. */
	mov $0x80000001, %eax
	cpuid
	bt $29, %edx
	jnc no_long_mode

	/* boot_la57 := 0 when the command line has no "la57", 1 when it has
	 * and CPUID.(EAX=7,ECX=0):ECX[16] says the CPU can, 2 when it has and
	 * the CPU cannot (kmain then fails the boot, saying why). */
	testl $MB_INFO_CMDLINE, (%esi)
	jz 8f
	mov 16(%esi), %ebx          /* cmdline */
6:	cmpb $0, (%ebx)
	je 8f
	cmpl $LA57_WORD, (%ebx)
	je 7f
	inc %ebx
	jmp 6b
7:	movl $2, PA(boot_la57)
	xor %eax, %eax
	cpuid
	cmp $7, %eax
	jb 8f
	mov $7, %eax
	xor %ecx, %ecx
	cpuid
	bt $16, %ecx
	jnc 8f
	movl $1, PA(boot_la57)
8:

	/* PD i maps [i GiB, i+1 GiB): 2048 entries of 2 MiB, present + writable. */
	mov $PA(boot_pd), %ebx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax
	mov %eax, (%ebx, %ecx, 8)
	mov %ecx, %eax
	shr $11, %eax
	mov %eax, 4(%ebx, %ecx, 8)  /* bits 32+ of the address for the 4th GiB and up */
	inc %ecx
	cmp $2048, %ecx
	jne 1b

	/* PDPT low: four PDs.  PDPT high: entries 510, 511 = PDs 0, 1. */
	mov $PA(boot_pdpt_low), %edx
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $12, %eax
	add $PA(boot_pd) + 3, %eax
	mov %eax, (%edx, %ecx, 8)
	inc %ecx
	cmp $4, %ecx
	jne 2b
	movl $PA(boot_pd) + 3, PA(boot_pdpt_high) + 510 * 8
	movl $PA(boot_pd) + 0x1000 + 3, PA(boot_pdpt_high) + 511 * 8

	movl $PA(boot_pdpt_low) + 3, PA(boot_pml4)
	movl $PA(boot_pdpt_low) + 3, PA(boot_pml4) + 256 * 8
	movl $PA(boot_pdpt_high) + 3, PA(boot_pml4) + 511 * 8

	/* 5-level: CR4.LA57 while paging is still off, and a PML5 whose slots
	 * 0 and 511 both hold the PML4, so every address above keeps its page. */
	mov $PA(boot_pml4), %eax
	cmpl $1, PA(boot_la57)
	jne 5f
	movl $PA(boot_pml4) + 3, PA(boot_pml5)
	movl $PA(boot_pml4) + 3, PA(boot_pml5) + 511 * 8
	mov %cr4, %eax
	or $CR4_LA57, %eax
	mov %eax, %cr4
	mov $PA(boot_pml5), %eax
5:	mov %eax, %cr3
	mov %cr4, %eax
	or $(1 << 5), %eax          /* PAE */
	mov %eax, %cr4
	mov $0xc0000080, %ecx       /* EFER */
	rdmsr
	or $(1 << 8), %eax          /* LME */
	wrmsr
	mov %cr0, %eax
	or $0x80010001, %eax        /* PG | WP | PE */
	mov %eax, %cr0
	lgdt boot_gdtr
	ljmp $SEL_KCODE, $boot64

no_long_mode:
	mov $0x3f8, %dx
	mov $'!', %al
	out %al, %dx
	mov $0xf4, %dx
	mov $3, %eax                /* exit code 7: no long mode */
	out %eax, %dx
3:	hlt
	jmp 3b

	.code64
boot64:
	mov $SEL_KDATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %eax, %eax
	mov %ax, %fs
	mov %ax, %gs
	mov %esp, %edx              /* TSC high half, saved above */
	shl $32, %rdx
	mov %ebp, %eax
	or %rax, %rdx               /* kmain(magic, mbi, tsc, la57) */
	mov %edi, %edi
	mov %esi, %esi
	mov PA(boot_la57), %ecx     /* kmain's 4th argument */
	movabs $boot_stack_top, %rsp
	xor %ebp, %ebp
	movabs $kmain, %rax
	call *%rax
4:	hlt
	jmp 4b

	.section .bss
	.p2align 12
	.globl boot_stack_top
boot_pml5:      .skip 4096
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4 * 4096
boot_stack:     .skip 16384
boot_stack_top:
boot_la57:      .long 0

	.section .note.GNU-stack, "", @progbits

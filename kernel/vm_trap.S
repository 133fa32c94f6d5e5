/*
 * The `vm` scenario's way in and out of ring 3 (see vm_demo.c).
 *
 * Unlike the case runner's armed access, which ends at the first fault,
 * a ring-3 program here runs to its end: the #PF gate calls the C handler
 * (xpt_as_fault, then the flush record through invlpg) and, when the fault
 * is resolved, returns with iretq to the faulting instruction, which runs
 * again.  The program ends with the exit call (eax = 1, result in rdi);
 * an unresolved fault ends it too, with vector 14.
 *
 * System calls: eax = 0 returns at once (the round trip that is timed),
 * eax != 0 ends the program.  Two entries: vm_syscall for spaces without
 * KPTI, and vm_tramp_syscall, in the trampoline page that a KPTI space's
 * user tables map, which loads the kernel tables first and the user
 * tables again before sysret.
 */
#include "layout.h"

	.section .bss
	.p2align 6
	.globl vm_out, vm_kpti_loads, vm_pf_prev
vm_out:                  /* struct vm_out in vm_demo.c */
	.quad 0          /* 0: how the program ended: VEC_DONE, or 14 */
	.quad 0          /* 8: error code */
	.quad 0          /* 16: cr2 */
	.quad 0          /* 24: result (rdi of the exit call) */
vm_ctx:
	.skip 8 * 7      /* rbx rbp r12 r13 r14 r15 rsp */
vm_armed:
	.quad 0
vm_kpti_loads:           /* CR3 loads made by the KPTI entry and exit paths */
	.quad 0
vm_pf_prev:              /* the kernel's own #PF stub: unresolved faults outside a program */
	.quad 0

	.text
/* uint64_t vm_user_run(uint64_t rip, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t user_cr3)
 * Ring 3 at rip with rdi, rsi, rdx = a0, a1, a2; user_cr3 != 0: through
 * the trampoline, on those tables.  Returns the exit call's rdi. */
	.globl vm_user_run
vm_user_run:
	mov %rbx, vm_ctx + 0(%rip)
	mov %rbp, vm_ctx + 8(%rip)
	mov %r12, vm_ctx + 16(%rip)
	mov %r13, vm_ctx + 24(%rip)
	mov %r14, vm_ctx + 32(%rip)
	mov %r15, vm_ctx + 40(%rip)
	mov %rsp, vm_ctx + 48(%rip)
	movq $1, vm_armed(%rip)
	mov %rdi, %rax
	mov %rsi, %rdi
	mov %rdx, %rsi
	mov %rcx, %rdx
	mov %rax, %rcx           /* sysret: rip = rcx, rflags = r11 (IF = 0) */
	mov $0x2, %r11d
	test %r8, %r8
	jnz 1f
	sysretq
1:	incq vm_kpti_loads(%rip)
	jmp vm_tramp_enter

/* rbx = how it ended, rcx = error code, rax = result; back to vm_user_run's caller. */
vm_finish:
	mov %rbx, vm_out + 0(%rip)
	mov %rcx, vm_out + 8(%rip)
	mov %cr2, %rcx
	mov %rcx, vm_out + 16(%rip)
	mov %rax, vm_out + 24(%rip)
	movq $0, vm_armed(%rip)
	mov vm_ctx + 0(%rip), %rbx
	mov vm_ctx + 8(%rip), %rbp
	mov vm_ctx + 16(%rip), %r12
	mov vm_ctx + 24(%rip), %r13
	mov vm_ctx + 32(%rip), %r14
	mov vm_ctx + 40(%rip), %r15
	mov vm_ctx + 48(%rip), %rsp
	ret

/* LSTAR for spaces without KPTI. */
	.globl vm_syscall
vm_syscall:
	test %eax, %eax
	jnz vm_exit_call
	sysretq
vm_exit_call:
	mov $VEC_DONE, %ebx
	xor %ecx, %ecx
	mov %rdi, %rax
	jmp vm_finish

/* The #PF gate while the scenario runs.  Stack: error code, rip, cs,
 * rflags, rsp, ss.  int vm_pf_handle(struct vm_pf_frame *) returns 0 when
 * the fault is resolved. */
	.globl vm_pf_entry
vm_pf_entry:
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	push %rbp
	mov %rsp, %rbp
	lea 8(%rsp), %rdi
	and $-16, %rsp
	call vm_pf_handle
	mov %rbp, %rsp
	test %eax, %eax
	pop %rbp
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	jnz 2f
	add $8, %rsp             /* the error code */
	iretq                    /* the faulting instruction runs again */
2:	cmpq $0, vm_armed(%rip)
	je 3f
	mov $14, %ebx            /* unresolved in a program: it ends there */
	mov (%rsp), %rcx
	xor %eax, %eax
	jmp vm_finish
3:	jmp *vm_pf_prev(%rip)    /* in the kernel itself: the usual panic */

/*
 * The KPTI trampoline: one page, mapped supervisor read-only and
 * executable in every user table set (xpt_vm_set_trampoline), at the same
 * address as in the kernel tables.  Its first two words are the CR3
 * values of the running space, written through the physical window.
 */
	.section .text.vm_tramp, "ax"
	.p2align 12
	.globl vm_tramp_start, vm_tramp_kcr3, vm_tramp_ucr3, vm_tramp_syscall
vm_tramp_start:
vm_tramp_kcr3:
	.quad 0
vm_tramp_ucr3:
	.quad 0
vm_tramp_syscall:                /* LSTAR for KPTI spaces; runs on the user tables */
	mov vm_tramp_kcr3(%rip), %rdx
	mov %rdx, %cr3           /* the kernel tables: from here on the kernel is mapped */
	incq vm_kpti_loads(%rip)
	test %eax, %eax
	jnz vm_exit_call
	incq vm_kpti_loads(%rip)
	mov vm_tramp_ucr3(%rip), %rdx
	mov %rdx, %cr3           /* back to the user tables: only this page is kernel */
	sysretq
vm_tramp_enter:                  /* from vm_user_run: r8 = user tables */
	mov %r8, %cr3
	sysretq
	.p2align 12
	.globl vm_tramp_end
vm_tramp_end:

/*
 * Ring-3 programs: one page, mapped user read-only and executable into
 * every space with xpt_as_map_shared.  Position independent; each ends
 * with the exit call.
 */
.macro EXIT
	mov $1, %eax
	syscall
.endm

	.section .text.vm_user, "ax"
	.p2align 12
	.globl vm_user_start
vm_user_start:

/* u_write(addr, value): store, load back, exit with what was loaded. */
	.globl u_write
u_write:
	mov %rsi, (%rdi)
	mov (%rdi), %rdi
	EXIT

/* u_read(addr): exit with the word there. */
	.globl u_read
u_read:
	mov (%rdi), %rdi
	EXIT

/* u_exec(addr): jump there (the code found there makes the exit call). */
	.globl u_exec
u_exec:
	jmp *%rdi

/* u_touch(base, npages): OR of every word of each page, then word 1 of
 * page i := base + i * 4096; exit with the OR (zero-filled pages: 0). */
	.globl u_touch
u_touch:
	xor %r8d, %r8d
	mov %rdi, %rax
1:	test %rsi, %rsi
	jz 3f
	xor %ecx, %ecx
2:	or (%rax, %rcx, 8), %r8
	inc %ecx
	cmp $512, %ecx
	jb 2b
	mov %rax, 8(%rax)
	add $4096, %rax
	dec %rsi
	jmp 1b
3:	mov %r8, %rdi
	EXIT

/* u_jit(dst): copy the template below to dst (12 bytes), exit with 0. */
	.globl u_jit
u_jit:
	lea u_jit_tmpl(%rip), %rsi
	mov (%rsi), %rax
	mov %rax, (%rdi)
	mov 8(%rsi), %eax
	mov %eax, 8(%rdi)
	xor %edi, %edi
	EXIT
	.p2align 3
u_jit_tmpl:                      /* what the copy does once executable */
	mov $0x1234abcd, %edi
	EXIT
	.p2align 3

/* u_fill(base, npages): words 0 and 511 of page i := its address ^ FILL. */
#define FILL 0x5a5a0000
	.globl u_fill
u_fill:
	mov %rdi, %rax
1:	test %rsi, %rsi
	jz 2f
	mov %rax, %rcx
	xor $FILL, %rcx
	mov %rcx, (%rax)
	mov %rcx, 4088(%rax)
	add $4096, %rax
	dec %rsi
	jmp 1b
2:	xor %edi, %edi
	EXIT

/* u_sweep(base, npages, rounds): read words 0 and 511 of every page,
 * round after round; exit with the number of words that differ from
 * what u_fill wrote. */
	.globl u_sweep
u_sweep:
	xor %r8d, %r8d
	mov %rdx, %r9
1:	test %r9, %r9
	jz 4f
	mov %rdi, %rax
	mov %rsi, %r10
2:	test %r10, %r10
	jz 3f
	mov %rax, %rcx
	xor $FILL, %rcx
	cmp (%rax), %rcx
	setne %dl
	movzbl %dl, %edx
	add %rdx, %r8
	cmp 4088(%rax), %rcx
	setne %dl
	movzbl %dl, %edx
	add %rdx, %r8
	add $4096, %rax
	dec %r10
	jmp 2b
3:	dec %r9
	jmp 1b
4:	mov %r8, %rdi
	EXIT

/* u_calls(n, out): n empty system calls between two rdtsc; the cycles
 * go to *out and into the exit call. */
	.globl u_calls
u_calls:
	mov %rdi, %r8
	mov %rsi, %r9
	rdtsc
	shl $32, %rdx
	or %rax, %rdx
	mov %rdx, %r10
1:	xor %eax, %eax
	syscall
	dec %r8
	jnz 1b
	rdtsc
	shl $32, %rdx
	or %rax, %rdx
	sub %r10, %rdx
	mov %rdx, (%r9)
	mov %rdx, %rdi
	EXIT

	.p2align 12
	.globl vm_user_end
vm_user_end:

	.section .note.GNU-stack, "", @progbits

/*
 * Exception entry, the armed access and the ring-3 stub.
 *
 * An access is "armed": acc_exec saves the callee-saved registers and the
 * stack pointer, performs one access (at CPL0, or at CPL3 through sysret),
 * and whatever ends it -- falling through, SYSCALL from the ring-3 stub or
 * from a fetched pattern, #PF, #GP or anything else -- lands in
 * acc_finish, which records vector, error code, CR2 and rax and returns
 * from acc_exec.  Nothing unwinds through the faulting context, so a fault
 * at CPL3 or in the middle of a call costs the same as one at CPL0.
 */
#include "layout.h"

	.section .bss
	.p2align 6
	.globl acc_rec
acc_rec:                 /* struct acc_rec in kernel.h */
	.quad 0          /* 0: vector (0xff: fell through) */
	.quad 0          /* 8: error code */
	.quad 0          /* 16: cr2 */
	.quad 0          /* 24: rax */
acc_ctx:
	.skip 8 * 7      /* rbx rbp r12 r13 r14 r15 rsp */
acc_armed:
	.quad 0

	.text
/* uint64_t acc_exec(uint64_t va, unsigned mode, uint64_t user_rip) */
	.globl acc_exec
acc_exec:
	mov %rbx, acc_ctx + 0(%rip)
	mov %rbp, acc_ctx + 8(%rip)
	mov %r12, acc_ctx + 16(%rip)
	mov %r13, acc_ctx + 24(%rip)
	mov %r14, acc_ctx + 32(%rip)
	mov %r15, acc_ctx + 40(%rip)
	mov %rsp, acc_ctx + 48(%rip)
	movabs $0x00c2c2c2c2c2c000, %rax /* XPT_CASE_CR2_SENTINEL */
	mov %cr2, %rcx
	cmp %rax, %rcx
	je 6f                    /* only a #PF changes CR2: skip the write (under TCG */
	mov %rax, %cr2           /* it ends the translation block) when nothing did */
6:
	movq $1, acc_armed(%rip)
	test $ACC_USER, %esi
	jnz 4f
	xor %eax, %eax
	cmp $ACC_WRITE, %esi
	je 2f
	cmp $ACC_FETCH, %esi
	je 3f
	cmp $ACC_RMW, %esi
	je 5f
	mov (%rdi), %rax         /* ACC_READ */
	jmp 1f
2:	movabs $ACC_MARK, %rax
	mov %rax, (%rdi)
	jmp 1f
3:	call *%rdi               /* the pattern ends in syscall */
	jmp 1f
5:	lock xadd %rax, (%rdi)   /* a write that stores back what it finds */
	jmp 1f
4:	mov %rdx, %rcx           /* ring 3 through sysret: rip = rcx, rflags = r11 */
	mov $0x2, %r11d          /* IF = 0, AC = 0; the stub uses no stack */
	sysretq
1:	movq $0xff, %rbx         /* fell through: completed at CPL0 */
	xor %ecx, %ecx
	jmp acc_finish

/* rbx = vector, rcx = error code, rax = the value; back to acc_exec's caller. */
acc_finish:
	mov %rbx, acc_rec + 0(%rip)
	mov %rcx, acc_rec + 8(%rip)
	mov %cr2, %rcx
	mov %rcx, acc_rec + 16(%rip)
	mov %rax, acc_rec + 24(%rip)
	movq $0, acc_armed(%rip)
	mov acc_ctx + 0(%rip), %rbx
	mov acc_ctx + 8(%rip), %rbp
	mov acc_ctx + 16(%rip), %r12
	mov acc_ctx + 24(%rip), %r13
	mov acc_ctx + 32(%rip), %r14
	mov acc_ctx + 40(%rip), %r15
	mov acc_ctx + 48(%rip), %rsp
	ret

/* Vectors 0..31 and VEC_DONE.  Stack on entry to trap_common:
 * vector, error code, rip, cs, rflags, rsp, ss. */
.macro TRAP vec, err
	.p2align 4
trap_\vec:
	.if \err == 0
	pushq $0
	.endif
	pushq $\vec
	jmp trap_common
.endm

	.p2align 4
	.globl trap_stubs
trap_stubs:
	TRAP 0, 0
	TRAP 1, 0
	TRAP 2, 0
	TRAP 3, 0
	TRAP 4, 0
	TRAP 5, 0
	TRAP 6, 0
	TRAP 7, 0
	TRAP 8, 1
	TRAP 9, 0
	TRAP 10, 1
	TRAP 11, 1
	TRAP 12, 1
	TRAP 13, 1
	TRAP 14, 1
	TRAP 15, 0
	TRAP 16, 0
	TRAP 17, 1
	TRAP 18, 0
	TRAP 19, 0
	TRAP 20, 0
	TRAP 21, 1
	TRAP 22, 0
	TRAP 23, 0
	TRAP 24, 0
	TRAP 25, 0
	TRAP 26, 0
	TRAP 27, 0
	TRAP 28, 0
	TRAP 29, 1
	TRAP 30, 1
	TRAP 31, 0
	.globl trap_done_stub
trap_done_stub:
	TRAP 128, 0

trap_common:
	cmpq $0, acc_armed(%rip)
	je trap_unarmed
	mov (%rsp), %rbx
	mov 8(%rsp), %rcx
	jmp acc_finish

/* SYSCALL: the stub or a fetched pattern says the access completed.
 * rsp is still the caller's, which acc_finish replaces anyway. */
	.globl syscall_entry
syscall_entry:
	cmpq $0, acc_armed(%rip)
	je 7f
	mov $VEC_DONE, %ebx
	xor %ecx, %ecx
	jmp acc_finish
7:	mov acc_ctx + 48(%rip), %rsp /* a known stack for the panic */
	pushq $0                 /* ss, rsp, rflags, cs, rip as an exception would */
	pushq $0
	push %r11
	pushq $0
	push %rcx
	pushq $0                 /* error code */
	pushq $VEC_DONE
	jmp trap_unarmed

/* Not inside an access: a kernel bug.  Hand every register to C. */
trap_unarmed:
	push %r15
	push %r14
	push %r13
	push %r12
	push %r11
	push %r10
	push %r9
	push %r8
	push %rbp
	push %rdi
	push %rsi
	push %rdx
	push %rcx
	push %rbx
	push %rax
	mov %rsp, %rdi
	and $-16, %rsp
	call trap_panic
5:	hlt
	jmp 5b

/*
 * The ring-3 stub: one page, mapped user + executable at XPT_CASE_STUB_VA
 * in every address space.  rdi holds the address to access.
 */
	.section .user, "ax"
	.globl user_read_stub, user_write_stub, user_fetch_stub, user_rmw_stub
user_read_stub:
	mov (%rdi), %rax
	syscall
user_write_stub:
	movabs $ACC_MARK, %rax
	mov %rax, (%rdi)
	syscall
user_rmw_stub:
	xor %eax, %eax
	lock xadd %rax, (%rdi)
	syscall
user_fetch_stub:
	jmp *%rdi

	.section .note.GNU-stack, "", @progbits

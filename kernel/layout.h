/* Addresses shared by the linker script, the assembly and the C side. */
#ifndef KLAYOUT_H
#define KLAYOUT_H

#define KERNEL_PA  0x1000000       /* = XPT_CASE_KERNEL_PA */
#define KERNEL_VMA 0xffffffff80000000
#define PA(x)      ((x) - KERNEL_VMA)

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1b /* 0x18 | RPL 3 */
#define SEL_UCODE 0x23 /* 0x20 | RPL 3 */
#define SEL_TSS   0x28

#define VEC_DONE  0x80 /* ring 3 says "access completed" */

/* acc_exec modes: a kind, plus ACC_USER for CPL3. */
#define ACC_READ  0
#define ACC_WRITE 1 /* plain store of XPT_CASE_WRITE_MARK */
#define ACC_FETCH 2
#define ACC_RMW   3 /* lock xadd of 0: stores back what it read */
#define ACC_USER  4
#define ACC_MARK  0x57a1e0000000dead

#endif

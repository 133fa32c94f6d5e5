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

/* acc_exec modes: supervisor / user x read / write / fetch. */
#define ACC_KREAD  0
#define ACC_KWRITE 1
#define ACC_KFETCH 2
#define ACC_UREAD  3
#define ACC_UWRITE 4
#define ACC_UFETCH 5

#endif

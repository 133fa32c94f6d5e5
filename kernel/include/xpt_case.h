/*
 * xpt_case: the batch format of the oracle kernel, shared by the kernel
 * (kernel/) and the host side (fuzz/oracle/).  One header so the two can
 * never disagree on a layout.
 *
 * A batch is a Multiboot module:
 *
 *   struct xpt_case_batch            header, 64 bytes
 *   case 0, case 1, ...              each: struct xpt_case, then nops
 *                                    struct xpt_case_op, then naccs
 *                                    struct xpt_case_acc
 *
 * Results are written into guest RAM, which the host reads back from the
 * shared memory-backend file after the guest exits:
 *
 *   XPT_CASE_MAILBOX_PA              struct xpt_case_results (fixed place)
 *   results->res_pa                  per case: struct xpt_case_res, then
 *                                    nops op error bytes padded to 8, then
 *                                    naccs struct xpt_case_acc_res
 *
 * Levels are numbered as in struct xpt_walk, from the top: entry 0 is the
 * PML4E (the PML5E under 5-level paging), the last one the PTE.  Every
 * field is little-endian, every struct has a fixed size checked below, so
 * host and kernel agree byte for byte.
 */
#ifndef XPT_CASE_H
#define XPT_CASE_H

#include <stdint.h>

#define XPT_CASE_VERSION 2u
#define XPT_CASE_MAGIC   UINT64_C(0x4843544142545058) /* "XPTBATCH" */
#define XPT_CASE_RMAGIC  UINT64_C(0x544c534552545058) /* "XPTRESLT" */

/* ------------------------------------------------------ guest layout */

/* The kernel image is loaded here; the mailbox is its second page. */
#define XPT_CASE_KERNEL_PA  UINT64_C(0x1000000)
#define XPT_CASE_MAILBOX_PA UINT64_C(0x1001000)
/* Data frames: 2 MiB of frames pre-filled with XPT_CASE_PATTERN, 2 MiB
 * aligned so one 2 MiB leaf maps them all and a 1 GiB leaf at 0 holds them. */
#define XPT_CASE_POOL_PA    UINT64_C(0x400000)
#define XPT_CASE_POOL_SIZE  UINT64_C(0x200000)
/* Cases may use virtual addresses below this (PML4 slots 0..254) and
 * non-canonical ones; slot 255 holds the ring-3 stub, 256.. the kernel. */
#define XPT_CASE_TEST_END   UINT64_C(0x7f8000000000)
#define XPT_CASE_STUB_VA    UINT64_C(0x7f8000000000)
/* The physical-memory window of the kernel (PML4 slot 256). */
#define XPT_CASE_WINDOW_VA  UINT64_C(0xffff800000000000)
/* With 5-level paging the kernel keeps its addresses: PML5 slot 0 holds
 * the stub (the 48-bit lower half), slot 511 the kernel, and cases use
 * PML5 slots 1..255 -- addresses canonical in 57 bits and not in 48. */
#define XPT_CASE_TEST_START_LA57 UINT64_C(0x0001000000000000)
#define XPT_CASE_TEST_END_LA57   UINT64_C(0x0100000000000000)

/* Top-level slot of va in a space of `levels` (4 or 5) levels. */
static inline unsigned xpt_case_top_slot(uint64_t va, unsigned levels)
{
	return (unsigned)(va >> (12u + 9u * (levels - 1u))) & 511u;
}

/* Whether cases may use va (a canonical address): the test region. */
static inline int xpt_case_in_test(uint64_t va, unsigned levels)
{
	if (levels == 5u)
		return va >= XPT_CASE_TEST_START_LA57 && va < XPT_CASE_TEST_END_LA57;
	return va < XPT_CASE_TEST_END;
}

/* Whether top-level slot i belongs to the cases; every other slot of a
 * case root is the kernel's, shared from its own root. */
static inline int xpt_case_test_slot(unsigned i, unsigned levels)
{
	return levels == 5u ? i >= 1u && i < 256u : i < 255u;
}

/*
 * The 8 bytes at physical address pa of a data frame (pa 8-aligned):
 * "mov eax, imm32; syscall" with imm32 = pa >> 3, then a tag byte.  A read
 * returns the whole word, a fetch executes it and returns imm32 in rax, so
 * either way the value names the physical address the MMU reached.
 * (SYSCALL works at any CPL and, under TCG, costs no exception.)
 */
#define XPT_CASE_PATTERN_TAG UINT64_C(0x5a)
static inline uint64_t xpt_case_pattern(uint64_t pa)
{
	return UINT64_C(0xb8) | ((pa >> 3) & UINT64_C(0xffffffff)) << 8 | UINT64_C(0x050f) << 40 |
	       XPT_CASE_PATTERN_TAG << 56;
}
static inline int xpt_case_is_pattern(uint64_t v)
{
	return (v & 0xff) == 0xb8 && ((v >> 40) & 0xffff) == 0x050f && (v >> 56) == XPT_CASE_PATTERN_TAG;
}
static inline uint64_t xpt_case_fetch_value(uint64_t pa)
{
	return (pa >> 3) & 0xffffffffull;
}
static inline int xpt_case_in_pool(uint64_t pa)
{
	return pa >= XPT_CASE_POOL_PA && pa < XPT_CASE_POOL_PA + XPT_CASE_POOL_SIZE;
}

/* --------------------------------------------------------------- input */

#define XPT_CASE_MAX_OPS   64u
#define XPT_CASE_MAX_ACCS  64u
#define XPT_CASE_MAX_CASES (1u << 24)

struct xpt_case_batch {
	uint64_t magic;      /* XPT_CASE_MAGIC */
	uint32_t version;    /* XPT_CASE_VERSION */
	uint32_t hdr_size;   /* sizeof(struct xpt_case_batch) */
	uint64_t total_size; /* bytes of the whole batch, header included */
	uint32_t ncases;
	uint32_t mode;       /* enum xpt_case_mode */
	uint16_t case_size;  /* sizeof(struct xpt_case) */
	uint16_t op_size;    /* sizeof(struct xpt_case_op) */
	uint16_t acc_size;   /* sizeof(struct xpt_case_acc) */
	uint16_t res_size;   /* sizeof(struct xpt_case_acc_res) */
	uint64_t seed;       /* for the report only */
	uint32_t flags;      /* XPT_CASE_BATCH_* */
	uint32_t reserved32;
	uint64_t reserved;
};

/*
 * Grouping.  By default consecutive cases with the same control bits and
 * PKRU whose addresses use disjoint PML4 slots share one root (built by
 * ref) and one CR3 load: each case still gets fresh tables of its own
 * below its own PML4E, so every walk of its accesses reads only entries
 * the case made, and no earlier case of the group touched its addresses,
 * so the TLB holds nothing for them.  A case that reuses a slot, changes
 * a control bit or could exhaust the table frames starts a new group: a
 * fresh root and a full flush.  XPT_CASE_BATCH_ISOLATE gives every case
 * its own root and flush.
 */
#define XPT_CASE_BATCH_ISOLATE 1u
/* The batch is for a kernel booted with 5-level paging ("la57" on its
 * command line): case roots are PML5s, raw levels run 0 (PML5E) .. 4
 * (PTE), addresses are checked in 57 bits.  A batch whose mode is not the
 * kernel's is rejected (XPT_CASE_S_BAD_MODE). */
#define XPT_CASE_BATCH_LA57    2u
#define XPT_CASE_BATCH_FLAGS   3u

/* Paging levels of a batch. */
static inline unsigned xpt_case_levels(uint32_t batch_flags)
{
	return (batch_flags & XPT_CASE_BATCH_LA57) ? 5u : 4u;
}

enum xpt_case_mode {
	XPT_CASE_MODE_RUN = 0,   /* run the cases */
	XPT_CASE_MODE_PROBE = 1, /* run the TLB probes (no cases) */
};

/* The control bits a case may set (XPT_CTL_* of xpt.h); GBPAGES is what
 * CPUID says, not a case's choice, and is ignored. */
#define XPT_CASE_CTL_MASK 0x7fu

struct xpt_case {
	uint32_t id;
	uint32_t ctl;  /* XPT_CTL_* within XPT_CASE_CTL_MASK */
	uint32_t pkru; /* loaded when XPT_CTL_PKE */
	uint16_t nops;
	uint16_t naccs;
};

enum xpt_case_op_kind {
	XPT_OP_MAP = 1,      /* xpt_map(va, a = pa, size = level, attr) */
	XPT_OP_UNMAP,        /* xpt_unmap(va, opts = flags) */
	XPT_OP_PROTECT,      /* xpt_protect(va, attr) */
	XPT_OP_MAP_RANGE,    /* xpt_map_range(va, a = pa, b = len, attr, opts = flags) */
	XPT_OP_UNMAP_RANGE,  /* xpt_unmap_range(va, b = len, opts = flags) */
	XPT_OP_PROTECT_RANGE,/* xpt_protect_range(va, b = len, attr, opts = flags) */
	XPT_OP_RAW_SET,      /* entry at `level` for va := a */
	XPT_OP_RAW_MOD,      /* entry at `level` for va := (entry & ~b) | a */
	XPT_OP_KIND_END
};
/* RAW_SET: add XPT_CASE_POOL_PA to the address bits of a (pool-relative). */
#define XPT_OPF_POOLREL 0x8000u

struct xpt_case_op {
	uint8_t kind;   /* enum xpt_case_op_kind */
	uint8_t level;  /* MAP: enum xpt_size; RAW_*: 0 (top) .. levels - 1 (PTE) */
	uint16_t flags; /* XPT_OPT_* for the ref calls; XPT_OPF_* for RAW_SET */
	uint32_t attr;  /* xpt_attr */
	uint64_t va;
	uint64_t a;
	uint64_t b;
};

/* Access kinds are XPT_ACC_WRITE / XPT_ACC_USER / XPT_ACC_FETCH of xpt.h
 * (no bits: a supervisor read).  va must be 8-aligned.
 *
 * A write is a plain 8-byte store of XPT_CASE_WRITE_MARK; when it
 * completes, the kernel finds the word through the leaf the walk recorded,
 * puts the pool pattern back and reports the pattern as the value (what a
 * read would have returned).  With XPT_CASE_ACCF_RMW the write is instead
 * "lock xadd qword [va]" of 0: it stores back what it read, so it is harmless
 * wherever it lands -- for cases whose leaves may point outside the pool. */
#define XPT_CASE_ACCF_RMW 1u
#define XPT_CASE_WRITE_MARK UINT64_C(0x57a1e0000000dead) /* bit 0 clear: not present in a table */
struct xpt_case_acc {
	uint64_t va;
	uint32_t access;
	uint32_t flags; /* XPT_CASE_ACCF_* */
};

/* -------------------------------------------------------------- output */

enum xpt_case_status {
	XPT_CASE_S_OK = 0,
	XPT_CASE_S_NO_BATCH,     /* no module given */
	XPT_CASE_S_BAD_MAGIC,
	XPT_CASE_S_BAD_VERSION,  /* version or struct sizes differ */
	XPT_CASE_S_TRUNCATED,    /* a case runs past the end of the module */
	XPT_CASE_S_TOO_MANY,     /* a count beyond XPT_CASE_MAX_* */
	XPT_CASE_S_BAD_OP,       /* unknown op kind or level, or va outside the test region */
	XPT_CASE_S_BAD_ACCESS,   /* unknown access bits, unaligned or reserved va */
	XPT_CASE_S_RESULTS_FULL, /* results do not fit in guest RAM */
	XPT_CASE_S_NO_MEMORY,    /* the frame allocator ran dry */
	XPT_CASE_S_PANIC,        /* unexpected exception in the kernel */
	XPT_CASE_S_BOOT,         /* boot failed (memory map, CPU features) */
	XPT_CASE_S_BAD_MODE,     /* the batch's paging mode is not the kernel's, or unknown flags */
	XPT_CASE_S_COUNT
};

/* Exit codes through isa-debug-exit: QEMU exits with (code << 1) | 1. */
#define XPT_CASE_EXIT_OK    0u
#define XPT_CASE_EXIT_BATCH 1u /* malformed batch: see status */
#define XPT_CASE_EXIT_PANIC 2u

/* CPU features the kernel found (CPUID), in results->cpu_features. */
#define XPT_CASE_CPU_NX      (1u << 0)
#define XPT_CASE_CPU_SMEP    (1u << 1)
#define XPT_CASE_CPU_SMAP    (1u << 2)
#define XPT_CASE_CPU_PKU     (1u << 3)
#define XPT_CASE_CPU_PDPE1GB (1u << 4)
#define XPT_CASE_CPU_PGE     (1u << 5)
#define XPT_CASE_CPU_PCID    (1u << 6)
#define XPT_CASE_CPU_INVPCID (1u << 7)
#define XPT_CASE_CPU_LA57    (1u << 8)

#define XPT_CASE_NPROBES 8u
struct xpt_case_probe {
	uint32_t id;       /* enum xpt_case_probe_id, 0 = unused */
	uint32_t outcome;  /* probe specific */
	uint64_t v[3];
};
enum xpt_case_probe_id {
	XPT_PROBE_STALE = 1, /* PTE changed without invlpg: v = old, stale read, after invlpg */
	XPT_PROBE_GLOBAL,    /* G page, PGE on, CR3 reload: v = old, after reload, after invlpg */
	XPT_PROBE_PCID,      /* CR4.PCIDE + no-flush CR3 load: outcome 0 when not supported */
};

/* At XPT_CASE_MAILBOX_PA.  Written last-field-first is not needed: the host
 * reads it only after the guest has exited. */
struct xpt_case_results {
	uint64_t magic;          /* XPT_CASE_RMAGIC once the kernel has started */
	uint32_t version;
	uint32_t status;         /* enum xpt_case_status */
	uint32_t err_case;       /* malformed batch: index of the case */
	uint32_t err_item;       /* ... and of the op or access */
	uint64_t err_offset;     /* ... and its byte offset in the batch */
	char msg[96];            /* a sentence saying what went wrong, or "ok" */
	uint32_t ncases_done;    /* updated after every case */
	uint32_t naccs_done;
	uint64_t res_pa;         /* where the per-case results start */
	uint64_t res_used;       /* bytes written there */
	uint64_t res_cap;        /* bytes available there */
	uint64_t window_nframes; /* frames the physical-memory window covers */
	uint32_t maxphyaddr;     /* CPUID 80000008h EAX[7:0] */
	uint32_t cpu_features;   /* XPT_CASE_CPU_* */
	uint32_t cpuid_1_ecx, cpuid_1_edx, cpuid_7_ebx, cpuid_7_ecx;
	uint32_t cpuid_e1_ecx, cpuid_e1_edx, cpuid_e8_eax, cpuid_max;
	char vendor[16];
	uint64_t tsc_entry;      /* first instruction of the 32-bit entry */
	uint64_t tsc_ready;      /* descriptor tables, real page tables, pool done */
	uint64_t tsc_start;      /* first case */
	uint64_t tsc_end;        /* after the last case */
	uint64_t tables_allocated; /* frames the cases took for tables, in all */
	uint32_t ngroups;        /* roots built (= CR3 loads) for the cases */
	uint32_t timed_cases;    /* cases the tsc_build/load/access split was taken on */
	uint64_t free_frames;    /* allocator after the run (leak check) */
	uint64_t free_frames_before;
	uint64_t tsc_exit;       /* just before the isa-debug-exit write */
	/* Where the guest time of the cases goes, in TSC ticks, summed over
	 * timed_cases cases (one in eight: reading the TSC costs TCG a helper call). */
	uint64_t tsc_build;      /* the ops */
	uint64_t tsc_load;       /* new roots, control bits and CR3 loads */
	uint64_t tsc_access;     /* the accesses, recording included */
	struct xpt_case_probe probe[XPT_CASE_NPROBES];
	uint32_t levels;         /* paging levels the kernel runs: 4, or 5 (CR4.LA57) */
	uint32_t reserved32;
	uint64_t reserved[3];
};

struct xpt_case_res {
	uint32_t id;
	uint16_t nops;
	uint16_t naccs;
	uint32_t status;   /* enum xpt_case_res_status */
	uint32_t ctl;      /* the control bits the case ran with */
	uint64_t cr3;      /* the case's address space */
	/* then nops bytes of op results (enum xpt_err, or XPT_CASE_OPE_*),
	 * padded to 8, then naccs struct xpt_case_acc_res */
};
#define XPT_CASE_OPE_NOENTRY 200u /* RAW_*: no entry at that level for va */
#define XPT_CASE_OPE_REFUSED 201u /* RAW_*: would point a table outside the pool */

enum xpt_case_res_status {
	XPT_CASE_RAN = 0,
	XPT_CASE_SKIPPED = 1, /* a control bit the CPU lacks: no access was made */
};

enum xpt_case_outcome {
	XPT_CASE_DONE = 0, /* the access completed */
	XPT_CASE_PF = 1,
	XPT_CASE_GP = 2,
	XPT_CASE_OTHER = 3,  /* another exception: see vector */
	XPT_CASE_NOT_RUN = 4 /* a fetch or plain write whose leaf points outside the pool:
	                        the kernel will not run or overwrite what is there */
};

/* xpt_case_acc_res.flags */
#define XPT_CASE_ARF_WRITE_LOST 1u /* a completed write's mark was not where the leaf says */

struct xpt_case_acc_res {
	uint8_t outcome;      /* enum xpt_case_outcome */
	uint8_t vector;       /* exception vector, 0xff when none */
	uint8_t nwalk;        /* entries of the walk recorded, 0..levels */
	uint8_t flags;        /* XPT_CASE_ARF_* */
	uint32_t error_code;  /* #PF / #GP error code */
	uint64_t cr2;         /* CR2 after the access (XPT_CASE_CR2_SENTINEL before it) */
	uint64_t value;       /* read, write: the 8 bytes there before; fetch: rax (imm32) */
	uint64_t before[5];   /* the walk's entries just before the access */
	uint64_t after[5];    /* the same entries just after it */
};
#define XPT_CASE_CR2_SENTINEL UINT64_C(0x00c2c2c2c2c2c000)

/* Byte size of the results of one case. */
static inline uint64_t xpt_case_res_bytes(unsigned nops, unsigned naccs)
{
	return sizeof(struct xpt_case_res) + ((nops + 7u) & ~7u) +
	       (uint64_t)naccs * sizeof(struct xpt_case_acc_res);
}

/* Byte size of one case in the batch. */
static inline uint64_t xpt_case_bytes(unsigned nops, unsigned naccs)
{
	return sizeof(struct xpt_case) + (uint64_t)nops * sizeof(struct xpt_case_op) +
	       (uint64_t)naccs * sizeof(struct xpt_case_acc);
}

/* ------------------------------------------------------ walk recording */

/*
 * Where the entry at `level` (0 = the top: PML4E, or PML5E with 5 levels)
 * for va lives in a space of `levels` levels, given `up`: CR3 for level 0,
 * the entry one level up otherwise.  The recorder follows the address bits
 * 12..51 whatever MAXPHYADDR is; an entry beyond the window simply ends
 * the record.  Kernel and host use this one rule.
 */
#define XPT_CASE_ADDR_BITS UINT64_C(0x000ffffffffff000)
static inline uint64_t xpt_case_entry_pa(uint64_t up, uint64_t va, unsigned level, unsigned levels)
{
	unsigned shift = 12u + 9u * (levels - 1u - level);
	return (up & XPT_CASE_ADDR_BITS) + 8u * ((va >> shift) & 511u);
}

/* Whether the recorder goes on below a present entry at `level`: the PT
 * ends the walk, a PS entry in a PDPT or PD is a leaf; a PS bit in a PML4E
 * or PML5E is reserved, so the MMU faults there and the record may go on. */
static inline int xpt_case_descends(uint64_t e, unsigned level, unsigned levels)
{
	if (!(e & 1u) || level + 1u >= levels)
		return 0;
	return level + 3u < levels || !(e & 0x80u);
}

/* Whether a leaf may sit at `level`: PDPTE, PDE or PTE. */
static inline int xpt_case_leaf_level(unsigned level, unsigned levels)
{
	return level + 3u >= levels && level < levels;
}

/* Sizes are part of the format. */
#define XPT_CASE_ASSERT(c, m) typedef char xpt_case_assert_##m[(c) ? 1 : -1]
XPT_CASE_ASSERT(sizeof(struct xpt_case_batch) == 64, batch);
XPT_CASE_ASSERT(sizeof(struct xpt_case) == 16, case);
XPT_CASE_ASSERT(sizeof(struct xpt_case_op) == 32, op);
XPT_CASE_ASSERT(sizeof(struct xpt_case_acc) == 16, acc);
XPT_CASE_ASSERT(sizeof(struct xpt_case_res) == 24, res);
XPT_CASE_ASSERT(sizeof(struct xpt_case_acc_res) == 104, acc_res);
XPT_CASE_ASSERT(sizeof(struct xpt_case_results) <= 4096, results);

#endif /* XPT_CASE_H */

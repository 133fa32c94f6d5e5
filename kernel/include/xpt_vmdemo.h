/*
 * xpt_vmdemo: the results of the kernel's `vm` scenario (kernel/vm_demo.c),
 * shared by the kernel and the host command `xpt-oracle vm`.
 *
 * The scenario boots with the command-line word XPT_VMD_CMDLINE and, as a
 * Multiboot module, the "file" that backs the file-mapping mechanism
 * (XPT_VMD_FILE_PAGES pages, word i of page p = xpt_vmd_file_word(p, i)).
 * Every mechanism of xpt_vm.h runs with real faults; each writes one
 * record -- pass or fail, the first failed check, and named numbers --
 * into the results region (xpt_case_results.res_pa), which the host reads
 * back from the guest's RAM file.  Dirty file pages are written back into
 * the module itself, in guest RAM, where the host checks them too.
 */
#ifndef XPT_VMDEMO_H
#define XPT_VMDEMO_H

#include <stdint.h>

#define XPT_VMD_CMDLINE    "vm-scenario"
#define XPT_VMD_MAGIC      UINT64_C(0x4f4d4544204d5658) /* "XVM DEMO" */
#define XPT_VMD_VERSION    1u
#define XPT_VMD_FILE_PAGES 4u

/* The file as the host makes it. */
static inline uint64_t xpt_vmd_file_word(unsigned page, unsigned i)
{
	return UINT64_C(0xf11e000000000000) | (uint64_t)page << 16 | i;
}
/* What ring 3 writes into file page XPT_VMD_DIRTY_PAGE, word XPT_VMD_DIRTY_WORD,
 * before the unmap that must write it back. */
#define XPT_VMD_DIRTY_PAGE 2u
#define XPT_VMD_DIRTY_WORD 5u
#define XPT_VMD_DIRTY_VALUE UINT64_C(0x0d1e7e0fb1e55ed0)

enum xpt_vmd_id {
	XPT_VMD_SPACES = 1, /* create, switch, destroy; the kernel half shared */
	XPT_VMD_SHARED,     /* one read-only frame in two spaces, reference counted */
	XPT_VMD_COW,        /* fork, then writes in parent and child */
	XPT_VMD_DEMAND,     /* first touch of a reserved range */
	XPT_VMD_FILE,       /* page-in from the module, write-back of dirty pages */
	XPT_VMD_WX,         /* W^X: refusals, write then execute */
	XPT_VMD_KPTI,       /* user tables, trampoline, CR3 loads, cycles */
	XPT_VMD_EVICT,      /* clock eviction under a frame budget */
	XPT_VMD_COUNT
};
#define XPT_VMD_NRECS (XPT_VMD_COUNT - 1u)

#define XPT_VMD_NVALS 20u
struct xpt_vmd_val {
	char name[24];
	uint64_t v;
};

struct xpt_vmd_rec {
	uint32_t id;      /* enum xpt_vmd_id */
	uint32_t pass;    /* 1: every check held */
	uint32_t nchecks; /* checks made */
	uint32_t nfailed; /* checks that failed */
	uint32_t nvals;
	uint32_t reserved;
	char name[16];
	char why[96];     /* the first failed check, or "" */
	struct xpt_vmd_val val[XPT_VMD_NVALS];
};

struct xpt_vmd_results {
	uint64_t magic;   /* XPT_VMD_MAGIC once the scenario has started */
	uint32_t version;
	uint32_t nrecs;   /* records written so far */
	uint64_t file_pa; /* where the module (the file) lies in guest RAM */
	uint64_t file_len;
	uint64_t free_start; /* allocator's free frames before the first mechanism */
	uint64_t free_end;   /* ... and after the last */
	struct xpt_vmd_rec rec[XPT_VMD_NRECS];
};

#endif /* XPT_VMDEMO_H */

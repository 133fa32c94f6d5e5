/*
 * The host side of the oracle: build a batch (from a text case file or the
 * generator), boot the oracle kernel under QEMU, read the results back from
 * the guest's RAM file, and compare every access with ref's xpt_walk
 * through the quirk table.
 */
#ifndef ORACLE_H
#define ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "xpt.h"
#include "xpt_case.h"

/* ------------------------------------------------ batch.c: the builder */
struct ob {
	uint8_t *buf;
	size_t len, cap;
	size_t case_off; /* the case being built */
	bool accs_started;
	uint32_t ncases;
	uint64_t res_bytes; /* what the results of this batch will take */
	unsigned levels;    /* paging levels the batch is for: 4, or 5 (XPT_CASE_BATCH_LA57) */
};
void ob_init(struct ob *b, uint32_t mode, uint64_t seed);
/* Make the batch one for 4- or 5-level paging (before any case). */
void ob_levels(struct ob *b, unsigned levels);
void ob_case(struct ob *b, uint32_t id, uint32_t ctl, uint32_t pkru);
void ob_op(struct ob *b, const struct xpt_case_op *op);
void ob_acc(struct ob *b, uint64_t va, uint32_t access, uint32_t flags);
void ob_finish(struct ob *b);
void ob_free(struct ob *b);

/* Walks a batch and its results side by side. */
struct oit {
	const uint8_t *batch, *res;
	size_t boff, roff, blen, rlen;
	uint32_t i, n;
	unsigned levels;     /* of the batch: 4 or 5 */
	const struct xpt_case *c;
	const struct xpt_case_op *ops;
	const struct xpt_case_acc *accs;
	const struct xpt_case_res *r;
	const uint8_t *op_err;
	const struct xpt_case_acc_res *ar;
};
void oit_init(struct oit *it, const struct ob *b, const uint8_t *res, size_t rlen);
/* false at the end, or when the results stop short (it->i says where). */
bool oit_next(struct oit *it);

/* --------------------------------------------- cases.c: text case files */
struct onames {
	char **name; /* by case id */
	uint32_t n;
};
int ocases_parse(const char *path, struct ob *b, struct onames *names, char *err, size_t errlen);
void onames_free(struct onames *n);
const char *oname(const struct onames *n, uint32_t id);

/* ------------------------------------------------ gen.c: the generator */
void ogen_batch(struct ob *b, uint32_t ncases, uint64_t seed, uint32_t ctl_mask, unsigned levels);

/* -------------------------------------------------- qemu.c: boot and read */
struct oq_opts {
	const char *qemu;
	const char *kernel;
	const char *cpu;
	const char *accel;  /* "tcg" or "kvm" */
	const char *append; /* kernel command line */
	const char *bios;   /* firmware image, NULL or "" for QEMU's default (SeaBIOS) */
	double timeout;     /* seconds; 0: from the batch size */
	bool serial_stdout; /* let the guest's serial through to stdout */
	bool keep_ram;      /* leave the guest's RAM file open in oq_run.ram_fd */
	bool la57;          /* 5-level paging: "la57" on the command line, +la57 on -cpu */
};
/* The paging levels runs with these options boot into. */
static inline unsigned oq_levels(const struct oq_opts *o)
{
	return o->la57 ? 5u : 4u;
}
enum oq_end { OQ_EXITED, OQ_TIMEOUT, OQ_CRASHED, OQ_NO_START };
struct oq_run {
	enum oq_end end;
	int guest_code;        /* the kernel's isa-debug-exit code, -1 if none */
	int qemu_status;       /* raw exit status of QEMU */
	double wall_s;         /* exec to exit */
	double cpu_s;          /* CPU time QEMU used (user + system) */
	double tsc_hz;         /* host TSC rate, measured over the run */
	struct xpt_case_results hdr;
	bool have_hdr;
	uint8_t *res;          /* copy of the per-case results */
	size_t res_len;
	char *serial;          /* what the guest printed (unless serial_stdout) */
	char *qemu_err;        /* what QEMU printed on stderr */
	uint64_t ram_bytes;
	double prep_s;         /* Bochs: building the GRUB ISO */
	int e9_match;          /* Bochs with --bochs-e9: 1 = port 0xE9 stream equals the dump, 0 = not, -1 = unused */
	int ram_fd;            /* keep_ram: guest RAM, readable with pread until oq_free; 0 when not kept */
};
int oq_run(const struct oq_opts *o, const struct ob *b, struct oq_run *r);
/* Shared with the Bochs runner (bochs.c). */
const char *oq_tmp_dir(void);
char *oq_slurp(const char *path);
uint64_t oq_ram_for(const struct ob *b);
uint64_t oq_res_bytes_of(const struct ob *b, uint32_t done);
enum oq_end oq_wait(pid_t pid, double timeout, int *status, double *cpu_s);
void oq_free(struct oq_run *r);
double oq_boot_s(const struct oq_run *r);  /* exec to first kernel instruction */
double oq_cases_s(const struct oq_run *r); /* guest time spent on the cases */
const char *oq_status_name(uint32_t status);
bool oq_kvm_usable(void);
/* qboot when QEMU ships it (boots in about half SeaBIOS's time), else NULL. */
const char *oq_default_bios(void);

/* ------------------------------------ bochs.c: Bochs and the three-way */
struct obx_opts {
	const char *bochs;  /* bochs-bin (Debian's build, with the debugger) */
	const char *cpu;    /* Bochs CPU model */
	const char *dir;    /* bochsrc, grub.cfg, mkiso.sh: kernel/bochs */
	const char *kernel;
	const char *append; /* kernel command line, "batch" when NULL */
	double timeout;     /* seconds; 0: from the batch size */
	bool e9;            /* results through port 0xE9 instead of the memory dump */
	bool keep;          /* keep the run's directory (ISO, rc file, logs) */
};
/* Boot the kernel from a GRUB ISO under Bochs with batch b (NULL: none). */
int obx_run(const struct obx_opts *o, const struct ob *b, struct oq_run *r);
bool obx_available(const struct obx_opts *o, FILE *why);
/* Clears PKRU.WD of key 0 where CR4.PKE is set: under Bochs 2.7 it
 * forbids the kernel's own writes once CR0.WP is set, and the kernel loads
 * CR0 before PKRU (bochs-pkru-by-access-mode).  Returns the cases changed. */
uint32_t obx_sanitize(struct ob *b);
struct o3_opts {
	unsigned show;      /* disagreements printed per class */
	bool quiet;
	const char *title;
	unsigned *uses;     /* when not NULL: uses per quirk entry, added (32 entries) */
};
/* Run b under QEMU and Bochs, compare three ways, print the table.
 * 0 when both runs are whole and every disagreement is explained. */
int o3_run(const struct oq_opts *q, const struct obx_opts *x, const struct o3_opts *o, struct ob *b,
           const struct onames *names);
/* The quirk experiments and the protection-key cases, three ways. */
int o3_quirks(const struct oq_opts *q, const struct obx_opts *x, const struct o3_opts *o);

/* ------------------------------------------- quirks.c: the quirk table */
/* What one access should look like, as the comparison sees it. */
struct oexp {
	struct xpt_walk w;      /* the walk the expectation comes from */
	unsigned access;        /* ... made for this access kind */
	uint32_t ctl_flags;     /* ... under these control bits */
	uint8_t outcome;        /* enum xpt_case_outcome */
	uint32_t error_code;
	uint64_t cr2;
	uint64_t pa;            /* completed accesses */
	bool pa_known;
	uint64_t after[5];      /* the walk's entries after the access */
	unsigned nafter;
};
/* Everything a quirk may look at. */
struct oacc {
	const struct xpt_case *c;
	const struct xpt_case_acc *a;
	const struct xpt_case_acc_res *obs;
	struct xpt_ctl ctl;
	struct xpt_walk w;      /* ref's walk */
	uint32_t cpu_features;
	struct xpt_mem mem;     /* the recorded entries, in place, for re-walks */
};
/* The expectation a walk gives for this access (cmp.c). */
void ocmp_expect(const struct oacc *x, const struct xpt_walk *w, struct oexp *e);
/* ref's walk of the same entries for another access kind or control word. */
int ocmp_rewalk(const struct oacc *x, unsigned access, uint32_t ctl_flags, struct xpt_walk *w);
struct oquirk {
	const char *id;
	const char *sdm;        /* the section it departs from */
	const char *what;
	const char *verified;   /* how and where it was confirmed */
	/* Rewrites the expectation when the quirk bears on this access;
	 * returns whether it changed anything. */
	bool (*adjust)(const struct oacc *x, struct oexp *e);
	unsigned emu;           /* OQ_EMU_*: the emulator it describes */
};
#define OQ_EMU_TCG   1u     /* QEMU TCG */
#define OQ_EMU_BOCHS 2u     /* Bochs 2.7 */
extern const struct oquirk oquirks[];
extern const unsigned noquirks;
/* The entries of one emulator (emu), with use counts when uses != NULL. */
void oquirks_print(FILE *f, const unsigned *uses, unsigned emu);
/* The cases behind the walk entries, appended to a fresh batch (not finished). */
void oquirks_experiments(struct ob *b, unsigned levels);
/* Re-runs the experiment behind every entry; 0 when each reproduces. */
int oquirks_verify(const struct oq_opts *q);

/* -------------------------------------------- selftest.c: the oracle itself */
/* TLB probes: bits 2i..2i+1 = outcome of probe i+1; -1 when the run failed. */
int oprobe_run(const struct oq_opts *q, bool print);
int omalformed_run(const struct oq_opts *q);
/* exhaustive.c: every combination of entry bits, control bits and access kinds. */
int oexhaustive_run(const struct oq_opts *q, int argc, char **argv);

/* ------------------------------------------ vm.c: the kernel's vm scenario */
/* Boots it, reads its records, checks each mechanism; 0 when all passed. */
int ovm_run(const struct oq_opts *q, bool quiet);

/* ------------------------------------------------ cmp.c: the comparison */
enum overdict { OV_AGREE, OV_QUIRK, OV_DISAGREE, OV_SKIPPED };
struct ocmp {
	unsigned emu;           /* OQ_EMU_*: whose quirk-table entries apply (0: none, KVM) */
	uint64_t accesses, agree, quirk, disagree, skipped, cases, skipped_cases;
	uint64_t by_outcome[4];
	unsigned uses[32];      /* per quirk */
	unsigned shown;         /* disagreements printed so far */
	unsigned show_max;
	/* coverage: what the compared accesses exercised */
	unsigned levels;        /* of the batches compared (4 or 5): the classes that apply */
	uint64_t cov[32];
	uint64_t pf_codes;      /* bit e: #PF error code e (bits 0..5) was seen */
	uint8_t *mem;           /* host buffer mirroring guest physical memory */
	uint64_t nframes;
};
void ocmp_init(struct ocmp *c, uint64_t nframes, unsigned emu);
void ocmp_free(struct ocmp *c);
/* Compare one access; fills *e with the expectation actually used. */
enum overdict ocmp_access(struct ocmp *c, const struct oit *it, unsigned k,
                          const struct xpt_case_results *hdr, struct oexp *e, unsigned *qmask,
                          char *why, size_t whylen);
/* Compare a whole run; prints disagreements (up to show_max) to f. */
void ocmp_run(struct ocmp *c, const struct ob *b, const struct oq_run *r,
              const struct onames *names, FILE *f);
void ocmp_report(const struct ocmp *c, FILE *f);
/* Coverage classes no access exercised; prints them. */
unsigned ocmp_uncovered(const struct ocmp *c, FILE *f);
const char *ocov_name(unsigned i);

/* ----------------------------------------------- print.c: human output */
void oprint_case(FILE *f, const struct oit *it, const struct onames *names);
void oprint_access(FILE *f, const struct xpt_case_acc *a, const struct xpt_case_acc_res *r, unsigned levels);
/* "pml5e" .. "pte": entry `level` (0 = the top) of a walk of `levels` levels. */
const char *oprint_level(unsigned level, unsigned levels);
void oprint_ctl(FILE *f, uint32_t ctl, uint32_t pkru);
void oprint_header(FILE *f, const struct oq_run *r);
const char *oprint_access_kind(uint32_t access);

#endif

/*
 * xpt-oracle vm: boot the oracle kernel's vm scenario (kernel/vm_demo.c)
 * with a small file as its Multiboot module, read the record of every
 * xpt_vm mechanism back from guest RAM, and check it: the kernel's own
 * verdict, then the numbers against what each mechanism must show, and
 * the file itself, where the kernel wrote the dirty page back.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oracle.h"
#include "xpt_vmdemo.h"

#define PF_P 1u
#define PF_W 2u
#define PF_U 4u
#define PF_I 16u

static const char *const names[XPT_VMD_COUNT] = {
	[XPT_VMD_SPACES] = "spaces", [XPT_VMD_SHARED] = "shared", [XPT_VMD_COW] = "cow",
	[XPT_VMD_DEMAND] = "demand", [XPT_VMD_FILE] = "file",     [XPT_VMD_WX] = "wx",
	[XPT_VMD_KPTI] = "kpti",     [XPT_VMD_EVICT] = "evict",
};

/* What the host requires of a record's numbers. */
enum rel { EQ, LE, GE, EQ_VAL, GT_VAL, LE_LEVELS /* LE, v grows by one per level past 4 */ };
struct want {
	unsigned id;
	const char *name;
	enum rel rel;
	uint64_t v;         /* EQ, LE, GE */
	const char *other;  /* EQ_VAL, GT_VAL: another value of the same record */
};

static const struct want wants[] = {
	{ XPT_VMD_SPACES, "kernel_slots_shared", EQ, 256, NULL },
	{ XPT_VMD_SPACES, "a_reads", EQ, 0xaaaa0001, NULL },
	{ XPT_VMD_SPACES, "b_reads", EQ, 0xbbbb0002, NULL },
	{ XPT_VMD_SPACES, "kernel_page_in_both", EQ, 1, NULL },
	{ XPT_VMD_SPACES, "cr3_loads", GE, 6, NULL },
	{ XPT_VMD_SHARED, "refs_mapped", EQ, 3, NULL },
	{ XPT_VMD_SHARED, "a_reads", EQ, 0x11b0000000000007ull, NULL },
	{ XPT_VMD_SHARED, "b_reads", EQ_VAL, 0, "a_reads" },
	{ XPT_VMD_SHARED, "write_ec", EQ, PF_P | PF_W | PF_U, NULL },
	{ XPT_VMD_SHARED, "refs_after_a", EQ, 2, NULL },
	{ XPT_VMD_SHARED, "refs_after_b", EQ, 1, NULL },
	{ XPT_VMD_COW, "fork_flush_pages", EQ_VAL, 0, "fork_changed_leaves" },
	{ XPT_VMD_COW, "fork_flush_pages", GE, 2, NULL }, /* both written pages */
	{ XPT_VMD_COW, "fork_invlpg", EQ_VAL, 0, "fork_flush_pages" },
	{ XPT_VMD_COW, "fork_frames", LE_LEVELS, 5, NULL }, /* tables only: no data frame copied */
	{ XPT_VMD_COW, "cow_copies", EQ, 2, NULL },
	{ XPT_VMD_COW, "cow_reuses", EQ, 2, NULL },
	{ XPT_VMD_COW, "write_prot_faults", EQ, 4, NULL },
	{ XPT_VMD_COW, "parent_page0", EQ, 0x9a4e47000000ffffull, NULL },
	{ XPT_VMD_COW, "parent_page1", EQ, 0x9a4e47000001ffffull, NULL },
	{ XPT_VMD_COW, "child_page0", EQ, 0xc41d000000000000ull, NULL },
	{ XPT_VMD_COW, "child_page1", EQ, 0xc41d000000000001ull, NULL },
	{ XPT_VMD_DEMAND, "reserve_took_frames", EQ, 0, NULL },
	{ XPT_VMD_DEMAND, "faults", EQ_VAL, 0, "pages" },
	{ XPT_VMD_DEMAND, "zero_fills", EQ_VAL, 0, "pages" },
	{ XPT_VMD_DEMAND, "or_of_all_words", EQ, 0, NULL },
	{ XPT_VMD_DEMAND, "frames_taken", GT_VAL, 0, "pages" },
	{ XPT_VMD_FILE, "page_ins", EQ, 3, NULL },
	{ XPT_VMD_FILE, "pages_present", EQ, 3, NULL },
	{ XPT_VMD_FILE, "dirty_mask_by_mmu", EQ, 1u << XPT_VMD_DIRTY_PAGE, NULL },
	{ XPT_VMD_FILE, "write_backs", EQ, 1, NULL },
	{ XPT_VMD_FILE, "file_dirty_word", EQ, XPT_VMD_DIRTY_VALUE, NULL },
	{ XPT_VMD_WX, "reserve_wx_refused", EQ, 1, NULL },
	{ XPT_VMD_WX, "protect_wx_refused", EQ, 1, NULL },
	{ XPT_VMD_WX, "exec_while_rw_ec", EQ, PF_P | PF_U | PF_I, NULL },
	{ XPT_VMD_WX, "flush_pages", EQ, 4, NULL },
	{ XPT_VMD_WX, "flush_all", EQ, 0, NULL },
	{ XPT_VMD_WX, "invlpg", EQ, 4, NULL },
	{ XPT_VMD_WX, "exec_result", EQ, 0x1234abcd, NULL },
	{ XPT_VMD_WX, "write_after_exec_ec", EQ, PF_P | PF_W | PF_U, NULL },
	{ XPT_VMD_KPTI, "user_tables_user", EQ, 2, NULL },
	{ XPT_VMD_KPTI, "user_tables_kernel", EQ, 1, NULL },
	{ XPT_VMD_KPTI, "tsc_per_call_plain", GE, 1, NULL },
	{ XPT_VMD_KPTI, "tsc_per_call_kpti", GE, 1, NULL },
	{ XPT_VMD_EVICT, "max_resident", EQ_VAL, 0, "budget" },
	{ XPT_VMD_EVICT, "refaults", GE, 1, NULL },
	{ XPT_VMD_EVICT, "thrash_refaults", GT_VAL, 0, "hot_refaults" },
	{ XPT_VMD_EVICT, "a_bits_seen", GE, 1, NULL },
};

static bool find(const struct xpt_vmd_rec *r, const char *name, uint64_t *v)
{
	for (uint32_t i = 0; i < r->nvals && i < XPT_VMD_NVALS; i++)
		if (strncmp(r->val[i].name, name, sizeof(r->val[i].name)) == 0) {
			*v = r->val[i].v;
			return true;
		}
	return false;
}

static void print_rec(const struct xpt_vmd_rec *r, bool ok)
{
	printf("%u %-7.16s %s", r->id, r->name, ok ? "pass" : "FAIL");
	for (uint32_t i = 0; i < r->nvals && i < XPT_VMD_NVALS; i++) {
		uint64_t v = r->val[i].v;
		printf("%s%.24s=", i % 4 == 0 ? "\n    " : "  ", r->val[i].name);
		size_t len = strnlen(r->val[i].name, sizeof(r->val[i].name));
		bool hex = v >= 1000000 || (len > 3 && strncmp(r->val[i].name + len - 3, "_ec", 3) == 0) ||
		           (len > 4 && strncmp(r->val[i].name + len - 4, "mask", 4) == 0);
		if (!hex)
			printf("%" PRIu64, v);
		else
			printf("%#" PRIx64, v);
	}
	printf("\n");
}

/* The host's own checks of one record, of a run on `levels` levels; prints each failure. */
static unsigned check_rec(const struct xpt_vmd_rec *r, unsigned levels)
{
	unsigned bad = 0;
	uint64_t before, after;
	if (!r->pass || r->nfailed) {
		printf("    kernel: %u of %u checks failed; first: %.96s\n", r->nfailed, r->nchecks, r->why);
		bad++;
	}
	if (!find(r, "free_before", &before) || !find(r, "free_after", &after) || before != after) {
		printf("    free frames before and after differ, or were not reported\n");
		bad++;
	}
	for (size_t i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		const struct want *w = &wants[i];
		uint64_t v, o = w->v + (w->rel == LE_LEVELS ? levels - 4u : 0);
		bool ok;
		if (w->id != r->id)
			continue;
		if (!find(r, w->name, &v) || (w->other && !find(r, w->other, &o))) {
			printf("    %s not reported\n", w->name);
			bad++;
			continue;
		}
		ok = w->rel == EQ || w->rel == EQ_VAL ? v == o : w->rel == LE || w->rel == LE_LEVELS ? v <= o
		     : w->rel == GE                     ? v >= o
		                                        : v > o;
		if (!ok) {
			printf("    %s = %#" PRIx64 ", want %s %#" PRIx64 "%s%s\n", w->name, v,
			       w->rel == LE || w->rel == LE_LEVELS ? "<=" : w->rel == GE ? ">="
			       : w->rel == GT_VAL                  ? ">"
			                                           : "==",
			       o,
			       w->other ? " = " : "", w->other ? w->other : "");
			bad++;
		}
	}
	if (r->id == XPT_VMD_SPACES) {
		/* every space has the run's levels; with 5, user pages only 57 bits reach */
		uint64_t l, va;
		if (!find(r, "levels", &l) || l != levels || !find(r, "data_va", &va) ||
		    (levels == 5u) != (va >> 47 != 0)) {
			printf("    spaces of %u levels wanted, with user pages %s 2^47\n", levels,
			       levels == 5u ? "above" : "below");
			bad++;
		}
	}
	if (r->id == XPT_VMD_KPTI) {
		uint64_t calls, loads;
		if (!find(r, "calls", &calls) || !find(r, "cr3_loads_kpti", &loads) ||
		    loads != 3 * (2 * calls + 2)) {
			printf("    KPTI CR3 loads: want two per call and one at each entry and exit\n");
			bad++;
		}
	}
	return bad;
}

/* The file after the run: ring 3's word in the dirty page, the rest as made. */
static unsigned check_file(int fd, const struct xpt_vmd_results *res, uint64_t len)
{
	uint64_t *f = malloc(len);
	unsigned bad = 0, changed = 0;
	if (res->file_len != len || pread(fd, f, len, (off_t)res->file_pa) != (ssize_t)len) {
		printf("file: not found in guest RAM (pa %#" PRIx64 ", %" PRIu64 " bytes)\n", res->file_pa,
		       res->file_len);
		free(f);
		return 1;
	}
	for (unsigned p = 0; p < XPT_VMD_FILE_PAGES; p++)
		for (unsigned i = 0; i < 512; i++) {
			bool dirty = p == XPT_VMD_DIRTY_PAGE && i == XPT_VMD_DIRTY_WORD;
			uint64_t want = dirty ? XPT_VMD_DIRTY_VALUE : xpt_vmd_file_word(p, i);
			if (f[p * 512 + i] != want) {
				if (bad++ < 3)
					printf("file: page %u word %u is %#" PRIx64 ", want %#" PRIx64 "\n", p, i,
					       f[p * 512 + i], want);
			}
			changed += dirty && f[p * 512 + i] == want;
		}
	if (!bad)
		printf("file: the dirty page was written back into the module at pa %#" PRIx64
		       " (%u word changed, the rest as the host made it)\n",
		       res->file_pa, changed);
	free(f);
	return bad;
}

int ovm_run(const struct oq_opts *q0, bool quiet)
{
	struct oq_opts q = *q0;
	struct oq_run r;
	struct xpt_vmd_results res;
	uint64_t len = XPT_VMD_FILE_PAGES * 4096u;
	uint64_t *file = malloc(len);
	struct ob b = { .buf = (uint8_t *)file, .len = len, .res_bytes = sizeof(res) };
	unsigned bad = 0, seen = 0;

	for (unsigned p = 0; p < XPT_VMD_FILE_PAGES; p++)
		for (unsigned i = 0; i < 512; i++)
			file[p * 512 + i] = xpt_vmd_file_word(p, i);
	q.append = XPT_VMD_CMDLINE;
	q.keep_ram = true;
	if (oq_run(&q, &b, &r) != 0) {
		free(file);
		return 1;
	}
	free(file);
	if (r.end != OQ_EXITED || r.guest_code != XPT_CASE_EXIT_OK || !r.have_hdr ||
	    r.hdr.status != XPT_CASE_S_OK) {
		printf("vm scenario failed: QEMU %s after %.2f s, guest exit code %d, status %s: %.96s\n",
		       r.end == OQ_EXITED ? "exited" : "did not exit", r.wall_s, r.guest_code,
		       r.have_hdr ? oq_status_name(r.hdr.status) : "no header", r.have_hdr ? r.hdr.msg : "");
		printf("QEMU said: %s\nguest serial:\n%s", r.qemu_err ? r.qemu_err : "", r.serial ? r.serial : "");
		bad++;
	}
	if (!r.have_hdr || r.hdr.res_pa == 0 ||
	    pread(r.ram_fd, &res, sizeof(res), (off_t)r.hdr.res_pa) != (ssize_t)sizeof(res) ||
	    res.magic != XPT_VMD_MAGIC || res.version != XPT_VMD_VERSION) {
		printf("vm scenario: no records in guest RAM\nFAIL\n");
		oq_free(&r);
		return 1;
	}
	if (r.hdr.levels != oq_levels(&q)) {
		printf("vm scenario: the kernel ran %u-level paging, %u asked\n", r.hdr.levels, oq_levels(&q));
		bad++;
	}
	if (!quiet)
		printf("xpt_vm in the oracle kernel under QEMU (%s, %s%s): %u mechanisms, real faults\n",
		       q.accel, q.cpu, q.la57 ? ", +la57: 5-level spaces" : "", res.nrecs);
	for (uint32_t i = 0; i < res.nrecs && i < XPT_VMD_NRECS; i++) {
		const struct xpt_vmd_rec *rec = &res.rec[i];
		unsigned n = check_rec(rec, oq_levels(&q));
		if (rec->id > 0 && rec->id < XPT_VMD_COUNT && strcmp(rec->name, names[rec->id]) == 0)
			seen |= 1u << rec->id;
		if (!quiet || n)
			print_rec(rec, n == 0);
		bad += n;
	}
	for (unsigned id = 1; id < XPT_VMD_COUNT; id++)
		if (!(seen & (1u << id))) {
			printf("%u %s: no record (the scenario stopped before it)\n", id, names[id]);
			bad++;
		}
	bad += check_file(r.ram_fd, &res, len);
	if (res.free_start != res.free_end) {
		printf("frames: %" PRIu64 " free before the first mechanism, %" PRIu64 " after the last\n",
		       res.free_start, res.free_end);
		bad++;
	}
	printf("frames: %" PRIu64 " free before the first mechanism and %" PRIu64
	       " after the last; QEMU %.0f ms from exec to exit\n",
	       res.free_start, res.free_end, r.wall_s * 1e3);
	printf("%s\n", bad ? "FAIL" : "PASS");
	oq_free(&r);
	return bad != 0;
}

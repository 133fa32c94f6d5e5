/*
 * Runs that check the oracle itself: TLB probes, malformed batches (each
 * must end in its own clear error, none may hang), and a guest that hangs
 * on purpose, which the host must kill and report.
 */
#include <string.h>

#include "oracle.h"

int oprobe_run(const struct oq_opts *q, bool print)
{
	struct ob b;
	struct oq_run r;
	static const char *const names[] = { "", "stale PTE until invlpg", "global page across CR3 load",
	                                     "PCID no-flush CR3 load" };
	ob_init(&b, XPT_CASE_MODE_PROBE, 0);
	ob_levels(&b, oq_levels(q));
	ob_finish(&b);
	if (oq_run(q, &b, &r) != 0 || !r.have_hdr || r.hdr.status != XPT_CASE_S_OK) {
		ob_free(&b);
		return -1;
	}
	for (unsigned i = 0; print && i < XPT_CASE_NPROBES; i++) {
		const struct xpt_case_probe *p = &r.hdr.probe[i];
		if (p->id == 0 || p->id > 3)
			continue;
		printf("probe %-30s %s  (before %016lx, after the event %016lx, after a full flush %016lx)\n",
		       names[p->id], p->outcome == 2 ? "not supported" : p->outcome ? "old translation kept" : "flushed",
		       (unsigned long)p->v[0], (unsigned long)p->v[1], (unsigned long)p->v[2]);
	}
	int probes = 0;
	for (unsigned i = 0; i < XPT_CASE_NPROBES; i++)
		if (r.hdr.probe[i].id)
			probes |= (int)(r.hdr.probe[i].outcome & 3) << (2 * (r.hdr.probe[i].id - 1));
	oq_free(&r);
	ob_free(&b);
	return probes;
}

/* ------------------------------------------------------ malformed batches */

/* Where the base batch maps its page: the test region of either mode. */
static uint64_t base_va;

/* A small valid batch to break in one place. */
static void base_batch(struct ob *b, unsigned levels)
{
	struct xpt_case_op op = { .kind = XPT_OP_MAP, .va = base_va, .a = XPT_CASE_POOL_PA,
	                          .attr = XPT_WRITE };
	ob_init(b, XPT_CASE_MODE_RUN, 0);
	ob_levels(b, levels);
	for (uint32_t i = 0; i < 3; i++) {
		ob_case(b, i, XPT_CTL_WP | XPT_CTL_NXE, 0);
		ob_op(b, &op);
		ob_acc(b, base_va, XPT_ACC_READ, 0);
	}
	ob_finish(b);
}

static uint8_t *case_at(struct ob *b, unsigned i)
{
	uint8_t *p = b->buf + sizeof(struct xpt_case_batch);
	while (i--) {
		const struct xpt_case *c = (const void *)p;
		p += xpt_case_bytes(c->nops, c->naccs);
	}
	return p;
}

static struct xpt_case_batch *hdr(struct ob *b)
{
	return (struct xpt_case_batch *)b->buf;
}

struct breakage {
	const char *what;
	void (*apply)(struct ob *b);
	uint32_t status;
};

static void b_magic(struct ob *b) { hdr(b)->magic ^= 1; }
static void b_version(struct ob *b) { hdr(b)->version = 99; }
static void b_sizes(struct ob *b) { hdr(b)->op_size = 31; }
static void b_total(struct ob *b) { hdr(b)->total_size = b->len + 4096; }
static void b_count(struct ob *b) { hdr(b)->ncases = XPT_CASE_MAX_CASES + 1; }
static void b_more_cases(struct ob *b) { hdr(b)->ncases = 4; }
static void b_trailing(struct ob *b) { hdr(b)->ncases = 2; }
static void b_short(struct ob *b) { b->len = 40; }
static void b_empty(struct ob *b) { b->len = 0; }
static void b_nops(struct ob *b) { ((struct xpt_case *)case_at(b, 1))->nops = 1000; }
static void b_naccs(struct ob *b) { ((struct xpt_case *)case_at(b, 2))->naccs = 65; }
static void b_ctl(struct ob *b) { ((struct xpt_case *)case_at(b, 1))->ctl = 1u << 20; }
static void b_kind(struct ob *b) { ((struct xpt_case_op *)(case_at(b, 1) + sizeof(struct xpt_case)))->kind = 99; }
static void b_level(struct ob *b)
{
	struct xpt_case_op *op = (void *)(case_at(b, 1) + sizeof(struct xpt_case));
	op->kind = XPT_OP_RAW_SET;
	op->level = 7;
}
static void b_op_va(struct ob *b) { ((struct xpt_case_op *)(case_at(b, 0) + sizeof(struct xpt_case)))->va = XPT_CASE_STUB_VA; }
static void b_acc_align(struct ob *b)
{
	uint8_t *c = case_at(b, 2);
	((struct xpt_case_acc *)(c + sizeof(struct xpt_case) + sizeof(struct xpt_case_op)))->va = base_va + 4;
}
static void b_acc_kind(struct ob *b)
{
	uint8_t *c = case_at(b, 0);
	((struct xpt_case_acc *)(c + sizeof(struct xpt_case) + sizeof(struct xpt_case_op)))->access = 0x40;
}
static void b_acc_kernel(struct ob *b)
{
	uint8_t *c = case_at(b, 0);
	((struct xpt_case_acc *)(c + sizeof(struct xpt_case) + sizeof(struct xpt_case_op)))->va =
		UINT64_C(0xffffffff81000000);
}
static void b_raw_first(struct ob *b)
{
	/* a ref op after a raw write in one case */
	struct ob n;
	struct xpt_case_op raw = { .kind = XPT_OP_RAW_MOD, .va = base_va, .level = (uint8_t)(b->levels - 1u),
	                           .a = XPT_PTE_A };
	struct xpt_case_op map = { .kind = XPT_OP_MAP, .va = base_va + 0x200000, .a = XPT_CASE_POOL_PA };
	ob_init(&n, XPT_CASE_MODE_RUN, 0);
	ob_levels(&n, b->levels);
	ob_case(&n, 0, 0, 0);
	ob_op(&n, &raw);
	ob_op(&n, &map);
	ob_finish(&n);
	ob_free(b);
	*b = n;
}

static void b_flags(struct ob *b) { hdr(b)->flags |= 0x80; }
/* The other paging mode than the kernel's. */
static void b_mode(struct ob *b) { hdr(b)->flags ^= XPT_CASE_BATCH_LA57; }
static void b_raw_level(struct ob *b)
{
	struct xpt_case_op *op = (void *)(case_at(b, 1) + sizeof(struct xpt_case));
	op->kind = XPT_OP_RAW_MOD;
	op->level = (uint8_t)b->levels;
}
/* The stub's slot: PML4 slot 255, or PML5 slot 0 with LA57. */
static void b_acc_stub(struct ob *b)
{
	uint8_t *c = case_at(b, 1);
	((struct xpt_case_acc *)(c + sizeof(struct xpt_case) + sizeof(struct xpt_case_op)))->va =
		XPT_CASE_STUB_VA + 0x1000;
}

static const struct breakage breakages[] = {
	{ "bad magic", b_magic, XPT_CASE_S_BAD_MAGIC },
	{ "unknown version", b_version, XPT_CASE_S_BAD_VERSION },
	{ "struct sizes differ", b_sizes, XPT_CASE_S_BAD_VERSION },
	{ "header says more bytes than the module has", b_total, XPT_CASE_S_TRUNCATED },
	{ "module shorter than the header", b_short, XPT_CASE_S_TRUNCATED },
	{ "empty module", b_empty, XPT_CASE_S_TRUNCATED },
	{ "case count beyond the maximum", b_count, XPT_CASE_S_TOO_MANY },
	{ "more cases than bytes", b_more_cases, XPT_CASE_S_TRUNCATED },
	{ "bytes after the last case", b_trailing, XPT_CASE_S_TRUNCATED },
	{ "1000 ops in a case", b_nops, XPT_CASE_S_TOO_MANY },
	{ "65 accesses in a case", b_naccs, XPT_CASE_S_TOO_MANY },
	{ "unknown control bit", b_ctl, XPT_CASE_S_BAD_OP },
	{ "unknown op kind", b_kind, XPT_CASE_S_BAD_OP },
	{ "raw write at level 7", b_level, XPT_CASE_S_BAD_OP },
	{ "op in the stub slot", b_op_va, XPT_CASE_S_BAD_OP },
	{ "ref op after a raw write", b_raw_first, XPT_CASE_S_BAD_OP },
	{ "unaligned access", b_acc_align, XPT_CASE_S_BAD_ACCESS },
	{ "unknown access bits", b_acc_kind, XPT_CASE_S_BAD_ACCESS },
	{ "access to the kernel half", b_acc_kernel, XPT_CASE_S_BAD_ACCESS },
	{ "access in the stub's top-level slot", b_acc_stub, XPT_CASE_S_BAD_ACCESS },
	{ "unknown batch flag", b_flags, XPT_CASE_S_BAD_MODE },
	{ "batch for the other paging mode", b_mode, XPT_CASE_S_BAD_MODE },
	{ "raw write one level below the PTE", b_raw_level, XPT_CASE_S_BAD_OP },
};

static bool expect_status(const char *what, const struct oq_run *r, uint32_t status, int code)
{
	bool ok = r->end == OQ_EXITED && r->have_hdr && r->hdr.status == status && r->guest_code == code &&
	          r->hdr.ncases_done == 0;
	printf("  %-44s %s: %s after %.2f s: status %s, \"%.96s\"\n", what, ok ? "ok  " : "FAIL",
	       r->end == OQ_EXITED ? "exited" : "did not exit", r->wall_s,
	       r->have_hdr ? oq_status_name(r->hdr.status) : "-", r->have_hdr ? r->hdr.msg : "");
	return ok;
}

int omalformed_run(const struct oq_opts *q)
{
	struct oq_opts o = *q;
	struct oq_run r;
	int fails = 0;
	o.timeout = 20;
	base_va = (q->la57 ? XPT_CASE_TEST_START_LA57 : 0) + 0x200000;
	printf("malformed batches (%u-level paging): each must end at once with its own error, before any "
	       "case runs\n", oq_levels(q));
	for (unsigned i = 0; i < sizeof(breakages) / sizeof(breakages[0]); i++) {
		struct ob b;
		base_batch(&b, oq_levels(q));
		breakages[i].apply(&b);
		if (oq_run(&o, &b, &r) != 0)
			return 1;
		fails += !expect_status(breakages[i].what, &r, breakages[i].status, XPT_CASE_EXIT_BATCH);
		oq_free(&r);
		ob_free(&b);
	}
	if (oq_run(&o, NULL, &r) != 0)
		return 1;
	fails += !expect_status("no module at all", &r, XPT_CASE_S_NO_BATCH, XPT_CASE_EXIT_BATCH);
	oq_free(&r);
	if (q->la57) {
		/* "la57" asked of a CPU without it: the boot must stop and say why */
		char cpu[256];
		struct oq_opts n = o;
		snprintf(cpu, sizeof(cpu), "%s,-la57", q->cpu);
		n.cpu = cpu;
		if (oq_run(&n, NULL, &r) != 0)
			return 1;
		fails += !expect_status("la57 on a CPU without LA57", &r, XPT_CASE_S_BOOT, XPT_CASE_EXIT_PANIC);
		oq_free(&r);
	}

	/* A guest that never exits: the host must kill it and say so (once:
	 * the paging mode has no part in it). */
	if (q->la57) {
		printf("%s\n", fails ? "FAIL" : "PASS");
		return fails != 0;
	}
	o.append = "hang";
	o.timeout = 2;
	if (oq_run(&o, NULL, &r) != 0)
		return 1;
	bool killed = r.end == OQ_TIMEOUT && r.wall_s < 10;
	printf("  %-44s %s: %s after %.2f s\n", "a guest that hangs", killed ? "ok  " : "FAIL",
	       r.end == OQ_TIMEOUT ? "killed by the timeout" : "not killed?", r.wall_s);
	fails += !killed;
	oq_free(&r);
	printf("%s\n", fails ? "FAIL" : "PASS");
	return fails != 0;
}

/*
 * The case runner.  A batch is checked whole before anything runs, so a
 * malformed one yields one clear error and no partial side effects.  Then
 * every case gets a fresh address space from ref (the kernel half and the
 * ring-3 stub shared), its operations, its control bits and a CR3 load --
 * which flushes the TLB, as the kernel keeps CR4.PGE off -- and its
 * accesses, each recorded with the walk's entries just before and after.
 */
#include "kernel.h"

#define LEN_MAX (UINT64_C(1) << 30) /* the range ops: bounds the tables one op can take */

struct raw_log {
	unsigned n;
	uint64_t pa[XPT_CASE_MAX_OPS], old[XPT_CASE_MAX_OPS];
};

struct run {
	struct xpt_case_results *res;
	const uint8_t *batch;
	uint64_t size;
	uint32_t supported; /* XPT_CTL_* the CPU can do */
	uint8_t *out;       /* next result byte */
};

/* ------------------------------------------------------------ checking */

KNORETURN static void fail(struct run *r, uint32_t status, uint32_t c, uint32_t item, uint64_t off,
                           const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void fail(struct run *r, uint32_t status, uint32_t c, uint32_t item, uint64_t off,
                 const char *fmt, ...)
{
	va_list ap;
	r->res->status = status;
	r->res->err_case = c;
	r->res->err_item = item;
	r->res->err_offset = off;
	va_start(ap, fmt);
	ser_vsnprintf(r->res->msg, sizeof(r->res->msg), fmt, ap);
	va_end(ap);
	ser_printf("batch rejected: %s\n", r->res->msg);
	cpu_exit(XPT_CASE_EXIT_BATCH);
}

static bool lower_va(uint64_t va)
{
	return va < XPT_CASE_TEST_END;
}

static bool ref_op(unsigned kind)
{
	return kind >= XPT_OP_MAP && kind <= XPT_OP_PROTECT_RANGE;
}

static bool range_op(unsigned kind)
{
	return kind >= XPT_OP_MAP_RANGE && kind <= XPT_OP_PROTECT_RANGE;
}

/* Why op is not acceptable, or NULL. */
static const char *op_problem(const struct xpt_case_op *op, bool after_raw)
{
	if (op->kind < XPT_OP_MAP || op->kind >= XPT_OP_KIND_END)
		return "unknown op kind";
	if (ref_op(op->kind) && after_raw)
		return "ref op after a raw entry write (raw writes come last)";
	if (op->kind == XPT_OP_MAP && op->level > XPT_1G)
		return "map size beyond 1 GiB";
	if (!ref_op(op->kind) && op->level > 3)
		return "raw level beyond 3 (PTE)";
	if (!lower_va(op->va))
		return "op address outside the test region";
	if (range_op(op->kind) && (op->b > LEN_MAX || !lower_va(op->va + op->b - 1u)))
		return "op range too long or outside the test region";
	if (ref_op(op->kind) && op->kind != XPT_OP_UNMAP && op->kind != XPT_OP_UNMAP_RANGE &&
	    (op->attr & ~XPT_ATTR_MASK))
		return "unknown attribute bits";
	return NULL;
}

static const char *acc_problem(const struct xpt_case_acc *a)
{
	unsigned kinds = XPT_ACC_WRITE | XPT_ACC_USER | XPT_ACC_FETCH;
	if (a->access & ~kinds)
		return "unknown access bits";
	if ((a->access & XPT_ACC_WRITE) && (a->access & XPT_ACC_FETCH))
		return "an access is a write or a fetch, not both";
	if (a->va & 7u)
		return "access address not 8-aligned";
	if (xpt_canonical(a->va) && !lower_va(a->va))
		return "access address outside the test region";
	return NULL;
}

static uint64_t check_case(struct run *r, uint32_t i, uint64_t off, uint64_t *res_bytes)
{
	const struct xpt_case *c = (const void *)(r->batch + off);
	const struct xpt_case_op *ops;
	const struct xpt_case_acc *accs;
	bool after_raw = false;
	const char *why;

	if (r->size - off < sizeof(*c))
		fail(r, XPT_CASE_S_TRUNCATED, i, 0, off, "case %u: header runs past the batch", i);
	if (c->nops > XPT_CASE_MAX_OPS || c->naccs > XPT_CASE_MAX_ACCS)
		fail(r, XPT_CASE_S_TOO_MANY, i, 0, off, "case %u: %u ops / %u accesses (max %u / %u)", i,
		     c->nops, c->naccs, XPT_CASE_MAX_OPS, XPT_CASE_MAX_ACCS);
	if (r->size - off < xpt_case_bytes(c->nops, c->naccs))
		fail(r, XPT_CASE_S_TRUNCATED, i, 0, off, "case %u: ops/accesses run past the batch", i);
	if (c->ctl & ~XPT_CTL_MASK)
		fail(r, XPT_CASE_S_BAD_OP, i, 0, off, "case %u: unknown control bits %x", i, c->ctl);
	ops = (const void *)(c + 1);
	accs = (const void *)(ops + c->nops);
	for (uint32_t k = 0; k < c->nops; k++) {
		if ((why = op_problem(&ops[k], after_raw)) != NULL)
			fail(r, XPT_CASE_S_BAD_OP, i, k, off, "case %u op %u (kind %u): %s", i, k,
			     ops[k].kind, why);
		after_raw |= !ref_op(ops[k].kind);
	}
	for (uint32_t k = 0; k < c->naccs; k++)
		if ((why = acc_problem(&accs[k])) != NULL)
			fail(r, XPT_CASE_S_BAD_ACCESS, i, k, off, "case %u access %u (va %lx): %s", i, k,
			     accs[k].va, why);
	*res_bytes += xpt_case_res_bytes(c->nops, c->naccs);
	return off + xpt_case_bytes(c->nops, c->naccs);
}

static void check_batch(struct run *r)
{
	const struct xpt_case_batch *b = (const void *)r->batch;
	uint64_t off = sizeof(*b), need = 0;
	if (r->size < sizeof(*b))
		fail(r, XPT_CASE_S_TRUNCATED, 0, 0, 0, "batch of %lu bytes: shorter than its header", r->size);
	if (b->magic != XPT_CASE_MAGIC)
		fail(r, XPT_CASE_S_BAD_MAGIC, 0, 0, 0, "bad magic %lx (want %lx)", b->magic, (uint64_t)XPT_CASE_MAGIC);
	if (b->version != XPT_CASE_VERSION || b->hdr_size != sizeof(*b) ||
	    b->case_size != sizeof(struct xpt_case) || b->op_size != sizeof(struct xpt_case_op) ||
	    b->acc_size != sizeof(struct xpt_case_acc) || b->res_size != sizeof(struct xpt_case_acc_res))
		fail(r, XPT_CASE_S_BAD_VERSION, 0, 0, 0, "version %u / struct sizes differ from the kernel's (%u)",
		     b->version, XPT_CASE_VERSION);
	if (b->total_size > r->size || b->total_size < sizeof(*b))
		fail(r, XPT_CASE_S_TRUNCATED, 0, 0, 0, "batch says %lu bytes, module has %lu", b->total_size,
		     r->size);
	r->size = b->total_size;
	if (b->ncases > XPT_CASE_MAX_CASES)
		fail(r, XPT_CASE_S_TOO_MANY, 0, 0, 0, "%u cases (max %u)", b->ncases, XPT_CASE_MAX_CASES);
	if (b->mode > XPT_CASE_MODE_PROBE)
		fail(r, XPT_CASE_S_BAD_VERSION, 0, 0, 0, "unknown mode %u", b->mode);
	for (uint32_t i = 0; i < b->ncases; i++)
		off = check_case(r, i, off, &need);
	if (off != r->size)
		fail(r, XPT_CASE_S_TRUNCATED, b->ncases, 0, off, "%lu bytes after the last case", r->size - off);
	if (need > r->res->res_cap)
		fail(r, XPT_CASE_S_RESULTS_FULL, 0, 0, 0, "results need %lu bytes, guest RAM has %lu", need,
		     r->res->res_cap);
}

/* ---------------------------------------------------------- recording */

/* The entries the MMU reads for va, read through the window (xpt_case.h). */
static unsigned walk_record(uint64_t cr3, uint64_t va, uint64_t pa[4], uint64_t e[4])
{
	uint64_t up = cr3;
	unsigned n = 0;
	if (!xpt_canonical(va))
		return 0;
	for (unsigned l = 0; l < 4; l++) {
		uint64_t p = xpt_case_entry_pa(up, va, l);
		if ((p >> XPT_PAGE_SHIFT) >= mm.window.nframes)
			break;
		e[l] = mm.window.words[p / 8u];
		pa[l] = p;
		n = l + 1u;
		if (!xpt_case_descends(e[l], l))
			break;
		up = e[l];
	}
	return n;
}

/* ------------------------------------------------------------ raw writes */

/* A raw write may not aim a table entry at memory the kernel lives in:
 * a new table address must be the old one, in the pool, or beyond
 * MAXPHYADDR (then the MMU faults on the reserved bits before using it). */
static bool raw_ok(unsigned level, uint64_t old, uint64_t nw)
{
	uint64_t t = nw & XPT_CASE_ADDR_BITS;
	uint64_t beyond = XPT_CASE_ADDR_BITS & ~(((uint64_t)1 << cpu.maxphyaddr) - 1u);
	if (!xpt_case_descends(nw, level) || (t & beyond))
		return true;
	if (xpt_case_descends(old, level) && (old & XPT_CASE_ADDR_BITS) == t)
		return true;
	return xpt_case_in_pool(t) && xpt_case_in_pool(t + XPT_PAGE_SIZE - 1u);
}

static unsigned raw_write(const struct xpt_space *sp, const struct xpt_case_op *op,
                          struct raw_log *log)
{
	uint64_t pa[4], e[4], nw;
	unsigned n = walk_record(xpt_space_cr3(sp), op->va, pa, e);
	if (n <= op->level)
		return XPT_CASE_OPE_NOENTRY;
	nw = op->kind == XPT_OP_RAW_SET ? op->a : (e[op->level] & ~op->b) | op->a;
	if (op->kind == XPT_OP_RAW_SET && (op->flags & XPT_OPF_POOLREL))
		nw += XPT_CASE_POOL_PA;
	if (!raw_ok(op->level, e[op->level], nw))
		return XPT_CASE_OPE_REFUSED;
	log->pa[log->n] = pa[op->level];
	log->old[log->n++] = e[op->level];
	mm.window.words[pa[op->level] / 8u] = nw;
	return XPT_OK;
}

/* Put back what raw writes changed, newest first, so the tables are ref's
 * again and xpt_space_destroy frees exactly what ref allocated. */
static void raw_restore(struct raw_log *log)
{
	while (log->n) {
		log->n--;
		mm.window.words[log->pa[log->n] / 8u] = log->old[log->n];
	}
}

/* ------------------------------------------------------------ one case */

static unsigned ref_call(struct xpt_space *sp, const struct xpt_case_op *op, struct xpt_flush *fl)
{
	switch (op->kind) {
	case XPT_OP_MAP:
		return (unsigned)xpt_map(sp, op->va, op->a, (enum xpt_size)op->level, op->attr, fl);
	case XPT_OP_UNMAP:
		return (unsigned)xpt_unmap(sp, op->va, op->flags & XPT_OPT_MASK, NULL, fl);
	case XPT_OP_PROTECT:
		return (unsigned)xpt_protect(sp, op->va, op->attr, fl);
	case XPT_OP_MAP_RANGE:
		return (unsigned)xpt_map_range(sp, op->va, op->a, op->b, op->attr, op->flags & XPT_OPT_MASK, fl);
	case XPT_OP_UNMAP_RANGE:
		return (unsigned)xpt_unmap_range(sp, op->va, op->b, op->flags & XPT_OPT_MASK, fl);
	default:
		return (unsigned)xpt_protect_range(sp, op->va, op->b, op->attr, op->flags & XPT_OPT_MASK, fl);
	}
}

/* A fresh space: a zeroed PML4 from ref plus the shared slots. */
static bool space_new(struct xpt_space *sp)
{
	uint64_t *root;
	if (xpt_space_init(sp, &mm.window, &mm.fa, cpu.maxphyaddr) != XPT_OK)
		return false;
	root = &mm.window.words[sp->root * XPT_ENTRIES];
	for (unsigned i = 0; i < mm.nshared; i++)
		root[mm.shared_idx[i]] = mm.shared_slot[mm.shared_idx[i]];
	return true;
}

/* Give back a space that is not loaded: unhook the shared stub slot first,
 * since xpt_space_destroy frees the whole lower half. */
static void space_drop(struct xpt_space *sp)
{
	mm.window.words[sp->root * XPT_ENTRIES + XPT_ENTRIES / 2u - 1u] = 0;
	xpt_space_destroy(sp, false);
	xpt_frame_free(sp->fa, sp->root);
}

/* The space is not loaded while its ops run, so their flush records are
 * moot: the CR3 load that follows flushes everything. */
static void apply_ops(struct xpt_space *sp, const struct xpt_case_op *ops, unsigned nops,
                      uint8_t *err, struct raw_log *log)
{
	struct xpt_flush fl;
	for (unsigned k = 0; k < nops; k++) {
		xpt_flush_init(&fl);
		err[k] = (uint8_t)(ref_op(ops[k].kind) ? ref_call(sp, &ops[k], &fl)
		                                       : raw_write(sp, &ops[k], log));
	}
}

static void run_access(uint64_t cr3, const struct xpt_case_acc *a, bool ac,
                       struct xpt_case_acc_res *r)
{
	uint64_t pa[4];
	*r = (struct xpt_case_acc_res){ .vector = 0xff };
	r->nwalk = (uint8_t)walk_record(cr3, a->va, pa, r->before);
	acc_run(a->va, a->access, ac, r);
	for (unsigned l = 0; l < r->nwalk; l++)
		r->after[l] = mm.window.words[pa[l] / 8u];
}

static void run_case(struct run *r, const struct xpt_case *c, struct xpt_space *sp,
                     struct xpt_space *prev, bool have_prev)
{
	const struct xpt_case_op *ops = (const void *)(c + 1);
	const struct xpt_case_acc *accs = (const void *)(ops + c->nops);
	struct xpt_case_res *h = (void *)r->out;
	uint8_t *op_err = (uint8_t *)(h + 1);
	struct xpt_case_acc_res *ar = (void *)(op_err + ((c->nops + 7u) & ~7u));
	static struct raw_log log;
	uint64_t before = mm.fa.nfree;
	bool skip = (c->ctl & ~XPT_CTL_GBPAGES & ~r->supported) != 0;

	if (!space_new(sp))
		fail(r, XPT_CASE_S_NO_MEMORY, r->res->ncases_done, 0, 0, "no frame for a PML4");
	*h = (struct xpt_case_res){ c->id, c->nops, c->naccs, skip ? XPT_CASE_SKIPPED : XPT_CASE_RAN,
	                            c->ctl, xpt_space_cr3(sp) };
	memset(op_err, 0, (c->nops + 7u) & ~7u);
	apply_ops(sp, ops, c->nops, op_err, &log);
	r->res->tables_allocated += before - mm.fa.nfree;
	if (!skip)
		cpu_set_ctl(c->ctl, c->pkru);
	cpu_write_cr3(h->cr3);
	if (have_prev)
		space_drop(prev);
	for (unsigned k = 0; k < c->naccs; k++) {
		if (skip)
			ar[k] = (struct xpt_case_acc_res){ .vector = 0xff };
		else
			run_access(h->cr3, &accs[k], c->ctl & XPT_CTL_AC, &ar[k]);
	}
	raw_restore(&log);
	r->out = (uint8_t *)(ar + c->naccs);
	r->res->naccs_done += c->naccs;
	r->res->ncases_done++;
}

void run_batch(struct xpt_case_results *res, const uint8_t *batch, uint64_t size)
{
	struct run r = { res, batch, size, cpu_ctl_supported(), mm_phys(res->res_pa) };
	const struct xpt_case_batch *b = (const void *)batch;
	struct xpt_space sp[2];
	uint64_t off = sizeof(*b);

	check_batch(&r);
	if (b->mode == XPT_CASE_MODE_PROBE) {
		run_probes(res);
		return;
	}
	res->free_frames_before = mm.fa.nfree;
	res->tsc_start = cpu_rdtsc();
	for (uint32_t i = 0; i < b->ncases; i++) {
		const struct xpt_case *c = (const void *)(batch + off);
		run_case(&r, c, &sp[i & 1u], &sp[(i + 1u) & 1u], i > 0);
		off += xpt_case_bytes(c->nops, c->naccs);
	}
	res->tsc_end = cpu_rdtsc();
	cpu_set_ctl((XPT_CTL_WP | XPT_CTL_NXE) & r.supported, 0);
	cpu_write_cr3(mm.kroot_cr3);
	if (b->ncases > 0)
		space_drop(&sp[(b->ncases - 1u) & 1u]);
	res->free_frames = mm.fa.nfree;
	res->res_used = (uint64_t)(r.out - (uint8_t *)mm_phys(res->res_pa));
}

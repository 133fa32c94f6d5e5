/*
 * The case runner.  A batch is checked whole before anything runs, so a
 * malformed one yields one clear error and no partial side effects.  Then
 * every case gets fresh tables from ref below a root it shares only with
 * slot-disjoint cases of its group (see grouping in xpt_case.h; with
 * XPT_CASE_BATCH_ISOLATE a root of its own), the kernel half and the
 * ring-3 stub shared; its operations; its control bits and, for a new
 * root, a CR3 load -- which flushes the TLB, as CR4.PGE stays off; then
 * its accesses, each recorded with the walk's entries just before and
 * after.
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

/* Paging levels of every space the kernel builds: 4, or 5 (CR4.LA57). */
static unsigned levels(void)
{
	return mm.kspace.levels;
}

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

static bool test_va(uint64_t va)
{
	return xpt_canonical_width(va, xpt_space_va_bits(&mm.kspace)) && xpt_case_in_test(va, levels());
}

/* Whether the MMU checks va as canonical in the booted mode. */
static bool canonical(uint64_t va)
{
	return xpt_canonical_width(va, xpt_space_va_bits(&mm.kspace));
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
	if (!ref_op(op->kind) && op->level >= levels())
		return "raw level beyond the PTE";
	if (!test_va(op->va))
		return "op address outside the test region";
	if (range_op(op->kind) && (op->b > LEN_MAX || !test_va(op->va + op->b - 1u)))
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
	if ((a->flags & ~XPT_CASE_ACCF_RMW) || ((a->flags & XPT_CASE_ACCF_RMW) && !(a->access & XPT_ACC_WRITE)))
		return "unknown access flags, or RMW on a read or fetch";
	if ((a->access & XPT_ACC_WRITE) && (a->access & XPT_ACC_FETCH))
		return "an access is a write or a fetch, not both";
	if (a->va & 7u)
		return "access address not 8-aligned";
	if (canonical(a->va) && !test_va(a->va))
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
	if (c->ctl & ~XPT_CASE_CTL_MASK)
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
	if (b->flags & ~XPT_CASE_BATCH_FLAGS)
		fail(r, XPT_CASE_S_BAD_MODE, 0, 0, 0, "unknown batch flags %x", b->flags);
	if (xpt_case_levels(b->flags) != levels())
		fail(r, XPT_CASE_S_BAD_MODE, 0, 0, 0, "a batch for %u-level paging; the kernel runs %u-level "
		     "(5-level needs \"la57\" on its command line)", xpt_case_levels(b->flags), levels());
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
static unsigned walk_record(uint64_t cr3, uint64_t va, uint64_t pa[5], uint64_t e[5])
{
	uint64_t up = cr3;
	unsigned n = 0, nl = levels();
	if (!canonical(va))
		return 0;
	for (unsigned l = 0; l < nl; l++) {
		uint64_t p = xpt_case_entry_pa(up, va, l, nl);
		if ((p >> XPT_PAGE_SHIFT) >= mm.window.nframes)
			break;
		e[l] = mm.window.words[p / 8u];
		pa[l] = p;
		n = l + 1u;
		if (!xpt_case_descends(e[l], l, nl))
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
	if (!xpt_case_descends(nw, level, levels()) || (t & beyond))
		return true;
	if (xpt_case_descends(old, level, levels()) && (old & XPT_CASE_ADDR_BITS) == t)
		return true;
	return xpt_case_in_pool(t) && xpt_case_in_pool(t + XPT_PAGE_SIZE - 1u);
}

static unsigned raw_write(const struct xpt_space *sp, const struct xpt_case_op *op,
                          struct raw_log *log)
{
	uint64_t pa[5], e[5], nw;
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

/* Put back what raw writes changed, newest first: they may have reached
 * into pool frames (a raw table entry pointing there), which outlive the case. */
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

/*
 * Case tables come from two allocators of their own (ref's xpt_frames over
 * a few 2 MiB blocks each), used by even and odd groups in turn.  An
 * allocator is re-initialised when its next group starts, which gives back
 * every table of the group two before at once -- that root is not loaded
 * any more -- instead of walking each space with xpt_space_destroy.
 */
#define CF_BLOCKS 3u
struct case_frames {
	struct xpt_frames fa;
	struct xpt_region region[CF_BLOCKS];
	uint64_t *meta;
	uint64_t meta_words;
};
static struct case_frames case_fa[2];

static bool case_frames_init(void)
{
	for (unsigned k = 0; k < 2; k++) {
		struct case_frames *cf = &case_fa[k];
		xpt_pfn blk, meta;
		uint64_t span;
		for (unsigned i = 0; i < CF_BLOCKS; i++) {
			if (xpt_frame_alloc_huge(&mm.fa, XPT_2M, &blk) != XPT_OK)
				return false;
			cf->region[i] = (struct xpt_region){ blk << XPT_PAGE_SHIFT, 512u * XPT_PAGE_SIZE,
			                                     XPT_REGION_USABLE };
		}
		if (xpt_frames_span(cf->region, CF_BLOCKS, &span) != XPT_OK)
			return false;
		cf->meta_words = xpt_frames_meta_words(span);
		if (cf->meta_words > XPT_ENTRIES || xpt_frame_alloc(&mm.fa, &meta) != XPT_OK)
			return false;
		cf->meta = &mm.window.words[meta * XPT_ENTRIES];
	}
	return true;
}

/* A fresh space: every frame of the allocator free, a zeroed root (PML4
 * or PML5) from ref, and the shared slots (ring-3 stub, kernel half). */
static bool space_new(struct xpt_space *sp, struct case_frames *cf)
{
	uint64_t *root;
	if (xpt_frames_init(&cf->fa, cf->region, CF_BLOCKS, cf->meta, cf->meta_words) != XPT_OK ||
	    xpt_space_init_levels(sp, &mm.window, &cf->fa, cpu.maxphyaddr, levels()) != XPT_OK)
		return false;
	root = &mm.window.words[sp->root * XPT_ENTRIES];
	for (unsigned i = 0; i < mm.nshared; i++)
		root[mm.shared_idx[i]] = mm.shared_slot[mm.shared_idx[i]];
	return true;
}

/* ------------------------------------------------------------- grouping */

struct group {
	struct xpt_space sp[2];
	unsigned n;          /* groups started */
	bool open;
	uint32_t ctl, pkru;
	uint64_t slots[4];   /* top-level slots the group's cases used (all below 256) */
	uint64_t cr3;
};

static void slot_mark(uint64_t m[4], uint64_t va)
{
	unsigned s = xpt_case_top_slot(va, levels());
	if (test_va(va))
		m[s / 64u] |= (uint64_t)1 << (s % 64u);
}

/* The top-level slots a case touches, and a bound on the tables it may take. */
static uint64_t case_slots(const struct xpt_case *c, uint64_t m[4])
{
	const struct xpt_case_op *ops = (const void *)(c + 1);
	const struct xpt_case_acc *accs = (const void *)(ops + c->nops);
	uint64_t tables = 1;
	memset(m, 0, 4 * sizeof(uint64_t));
	for (unsigned k = 0; k < c->nops; k++) {
		slot_mark(m, ops[k].va);
		if (range_op(ops[k].kind)) {
			slot_mark(m, ops[k].va + ops[k].b - 1u);
			tables += (ops[k].b >> 21) + levels();
		} else {
			tables += levels();
		}
	}
	for (unsigned k = 0; k < c->naccs; k++)
		slot_mark(m, accs[k].va);
	return tables;
}

/* Whether the case may join the open group. */
static bool group_fits(const struct group *g, const struct run *r, const struct xpt_case *c,
                       const uint64_t m[4], uint64_t tables)
{
	const struct xpt_case_batch *b = (const void *)r->batch;
	if (!g->open || (b->flags & XPT_CASE_BATCH_ISOLATE) || c->ctl != g->ctl || c->pkru != g->pkru)
		return false;
	for (unsigned i = 0; i < 4; i++)
		if (g->slots[i] & m[i])
			return false;
	return case_fa[g->n & 1u].fa.nfree >= tables;
}

/* A new root from the other allocator, the case's control bits, a CR3 load. */
static void group_start(struct run *r, struct group *g, const struct xpt_case *c)
{
	struct xpt_space *sp = &g->sp[(g->n + 1u) & 1u];
	g->n++;
	if (!space_new(sp, &case_fa[g->n & 1u]))
		fail(r, XPT_CASE_S_NO_MEMORY, r->res->ncases_done, 0, 0, "no frame for a root table");
	g->open = true;
	g->ctl = c->ctl;
	g->pkru = c->pkru;
	memset(g->slots, 0, sizeof(g->slots));
	g->cr3 = xpt_space_cr3(sp);
	cpu_set_ctl(c->ctl, c->pkru);
	cpu_write_cr3(g->cr3);
	r->res->ngroups++;
}

/*
 * Ops run on the loaded root, and their flush records are moot: they
 * change only the case's own slots, which nothing has touched since the
 * group's CR3 load.
 */
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

/* Where the recorded leaf for va points (a leaf level's entry last). */
static uint64_t leaf_pa(uint64_t leaf, unsigned l, uint64_t va)
{
	uint64_t size = (uint64_t)1 << (12u + 9u * (levels() - 1u - l));
	uint64_t phys = ((uint64_t)1 << cpu.maxphyaddr) - 1u;
	return (leaf & phys & ~(size - 1u)) | (va & (size - 1u));
}

/*
 * Whether a fetch or a plain write may run: the MMU will either fault
 * before it gets anywhere (the record ends at a not-present entry) or
 * reach the pool.  Anything else -- a leaf into kernel memory, a table
 * beyond RAM -- is not run: a fetch would execute whatever is there.
 */
static bool target_safe(const struct xpt_case_acc_res *r, uint64_t va)
{
	unsigned l = r->nwalk - 1u;
	uint64_t e, beyond = XPT_CASE_ADDR_BITS & ~(((uint64_t)1 << cpu.maxphyaddr) - 1u);
	if (r->nwalk == 0)
		return true;
	e = r->before[l];
	if (!(e & XPT_PTE_P))
		return true;
	/* an address bit beyond MAXPHYADDR, or PS in a PML4E or PML5E: the
	 * MMU faults on the reserved bit before it uses the address */
	for (unsigned i = 0; i < r->nwalk; i++)
		if ((r->before[i] & beyond) ||
		    (!xpt_case_leaf_level(i, levels()) && (r->before[i] & XPT_PTE_PS)))
			return true;
	if (!xpt_case_leaf_level(l, levels()) || xpt_case_descends(e, l, levels()))
		return false;
	return xpt_case_in_pool(leaf_pa(e, l, va));
}

/*
 * A completed plain write left XPT_CASE_WRITE_MARK where the leaf of its
 * walk points: put the pool word back, and report it as the value, as a
 * read would have.  A mark found anywhere else is reported, not repaired.
 */
static void write_restore(uint64_t va, struct xpt_case_acc_res *r)
{
	unsigned l = r->nwalk - 1u;
	uint64_t pa = r->nwalk ? leaf_pa(r->after[l], l, va) : 0;
	if (r->nwalk == 0 || !xpt_case_leaf_level(l, levels()) || !xpt_case_in_pool(pa) ||
	    mm.window.words[pa / 8u] != XPT_CASE_WRITE_MARK) {
		r->flags |= XPT_CASE_ARF_WRITE_LOST;
		return;
	}
	r->value = xpt_case_pattern(pa);
	mm.window.words[pa / 8u] = r->value;
}

static void run_access(uint64_t cr3, const struct xpt_case_acc *a, bool ac,
                       struct xpt_case_acc_res *r)
{
	uint64_t pa[5];
	*r = (struct xpt_case_acc_res){ .vector = 0xff };
	r->nwalk = (uint8_t)walk_record(cr3, a->va, pa, r->before);
	bool risky = (a->access & XPT_ACC_FETCH) ||
	             ((a->access & XPT_ACC_WRITE) && !(a->flags & XPT_CASE_ACCF_RMW));
	if (risky && !target_safe(r, a->va)) {
		r->outcome = XPT_CASE_NOT_RUN;
		memcpy(r->after, r->before, sizeof(r->after));
		return;
	}
	acc_run(a->va, a->access, a->flags, ac, r);
	for (unsigned l = 0; l < r->nwalk; l++)
		r->after[l] = mm.window.words[pa[l] / 8u];
	if (r->outcome == XPT_CASE_DONE && (a->access & XPT_ACC_WRITE) && !(a->flags & XPT_CASE_ACCF_RMW))
		write_restore(a->va, r);
}

static void run_case(struct run *r, const struct xpt_case *c, struct group *g)
{
	const struct xpt_case_op *ops = (const void *)(c + 1);
	const struct xpt_case_acc *accs = (const void *)(ops + c->nops);
	struct xpt_case_res *h = (void *)r->out;
	uint8_t *op_err = (uint8_t *)(h + 1);
	struct xpt_case_acc_res *ar = (void *)(op_err + ((c->nops + 7u) & ~7u));
	static struct raw_log log;
	bool skip = (c->ctl & ~XPT_CTL_GBPAGES & ~r->supported) != 0;
	bool timed = (r->res->ncases_done & 7u) == 0;
	uint64_t m[4], tables = case_slots(c, m), t0 = timed ? cpu_rdtsc() : 0, t1 = 0, t2 = 0, nfree;
	struct case_frames *cf;

	*h = (struct xpt_case_res){ c->id, c->nops, c->naccs, skip ? XPT_CASE_SKIPPED : XPT_CASE_RAN,
	                            c->ctl, 0 };
	memset(op_err, 0, (c->nops + 7u) & ~7u);
	memset(ar, 0, c->naccs * sizeof(*ar));
	if (!skip) {
		if (!group_fits(g, r, c, m, tables))
			group_start(r, g, c);
		for (unsigned i = 0; i < 4; i++)
			g->slots[i] |= m[i];
		h->cr3 = g->cr3;
		cf = &case_fa[g->n & 1u];
		if (timed)
			t1 = cpu_rdtsc();
		nfree = cf->fa.nfree;
		apply_ops(&g->sp[g->n & 1u], ops, c->nops, op_err, &log);
		r->res->tables_allocated += nfree - cf->fa.nfree;
		if (timed)
			t2 = cpu_rdtsc();
		for (unsigned k = 0; k < c->naccs; k++)
			run_access(h->cr3, &accs[k], c->ctl & XPT_CTL_AC, &ar[k]);
		raw_restore(&log);
		if (timed) {
			r->res->tsc_load += t1 - t0;
			r->res->tsc_build += t2 - t1;
			r->res->tsc_access += cpu_rdtsc() - t2;
			r->res->timed_cases++;
		}
	}
	r->out = (uint8_t *)(ar + c->naccs);
	r->res->naccs_done += c->naccs;
	r->res->ncases_done++;
}

void run_batch(struct xpt_case_results *res, const uint8_t *batch, uint64_t size)
{
	struct run r = { res, batch, size, cpu_ctl_supported(), mm_phys(res->res_pa) };
	const struct xpt_case_batch *b = (const void *)batch;
	static struct group g;
	uint64_t off = sizeof(*b);

	check_batch(&r);
	if (b->mode == XPT_CASE_MODE_PROBE) {
		run_probes(res);
		return;
	}
	if (!case_frames_init())
		fail(&r, XPT_CASE_S_NO_MEMORY, 0, 0, 0, "no free 2 MiB blocks for case tables");
	res->free_frames_before = mm.fa.nfree;
	res->tsc_start = cpu_rdtsc();
	for (uint32_t i = 0; i < b->ncases; i++) {
		const struct xpt_case *c = (const void *)(batch + off);
		run_case(&r, c, &g);
		off += xpt_case_bytes(c->nops, c->naccs);
	}
	res->tsc_end = cpu_rdtsc();
	cpu_set_ctl((XPT_CTL_WP | XPT_CTL_NXE) & r.supported, 0);
	cpu_write_cr3(mm.kroot_cr3);
	res->free_frames = mm.fa.nfree;
	res->res_used = (uint64_t)(r.out - (uint8_t *)mm_phys(res->res_pa));
}

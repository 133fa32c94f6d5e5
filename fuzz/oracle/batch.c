/* Building a batch in memory, and walking a batch with its results. */
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

static void *grow(struct ob *b, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 1 << 16;
		while (cap < b->len + n)
			cap *= 2;
		b->buf = realloc(b->buf, cap);
		if (!b->buf) {
			perror("xpt-oracle: batch");
			exit(2);
		}
		b->cap = cap;
	}
	void *p = b->buf + b->len;
	memset(p, 0, n);
	b->len += n;
	return p;
}

static struct xpt_case_batch *hdr(const struct ob *b)
{
	return (struct xpt_case_batch *)b->buf;
}

static struct xpt_case *cur(const struct ob *b)
{
	return (struct xpt_case *)(b->buf + b->case_off);
}

void ob_init(struct ob *b, uint32_t mode, uint64_t seed)
{
	*b = (struct ob){ 0 };
	struct xpt_case_batch *h = grow(b, sizeof(*h));
	*h = (struct xpt_case_batch){
		.magic = XPT_CASE_MAGIC, .version = XPT_CASE_VERSION, .hdr_size = sizeof(*h),
		.mode = mode, .case_size = sizeof(struct xpt_case), .op_size = sizeof(struct xpt_case_op),
		.acc_size = sizeof(struct xpt_case_acc), .res_size = sizeof(struct xpt_case_acc_res),
		.seed = seed,
	};
	b->levels = 4;
}

void ob_levels(struct ob *b, unsigned levels)
{
	b->levels = levels;
	if (levels == 5u)
		hdr(b)->flags |= XPT_CASE_BATCH_LA57;
	else
		hdr(b)->flags &= ~XPT_CASE_BATCH_LA57;
}

void ob_case(struct ob *b, uint32_t id, uint32_t ctl, uint32_t pkru)
{
	b->case_off = b->len;
	b->accs_started = false;
	struct xpt_case *c = grow(b, sizeof(*c));
	*c = (struct xpt_case){ .id = id, .ctl = ctl, .pkru = pkru };
	b->ncases++;
}

void ob_op(struct ob *b, const struct xpt_case_op *op)
{
	if (b->accs_started || cur(b)->nops >= XPT_CASE_MAX_OPS) {
		fprintf(stderr, "xpt-oracle: op after an access, or too many ops in case %u\n", cur(b)->id);
		exit(2);
	}
	memcpy(grow(b, sizeof(*op)), op, sizeof(*op));
	cur(b)->nops++;
}

void ob_acc(struct ob *b, uint64_t va, uint32_t access, uint32_t flags)
{
	if (cur(b)->naccs >= XPT_CASE_MAX_ACCS) {
		fprintf(stderr, "xpt-oracle: too many accesses in case %u\n", cur(b)->id);
		exit(2);
	}
	struct xpt_case_acc *a = grow(b, sizeof(*a));
	a->va = va;
	a->access = access;
	a->flags = flags;
	b->accs_started = true;
	cur(b)->naccs++;
}

void ob_finish(struct ob *b)
{
	const uint8_t *p = b->buf + sizeof(struct xpt_case_batch);
	b->res_bytes = 0;
	for (uint32_t i = 0; i < b->ncases; i++) {
		const struct xpt_case *c = (const void *)p;
		b->res_bytes += xpt_case_res_bytes(c->nops, c->naccs);
		p += xpt_case_bytes(c->nops, c->naccs);
	}
	hdr(b)->ncases = b->ncases;
	hdr(b)->total_size = b->len;
}

void ob_free(struct ob *b)
{
	free(b->buf);
	*b = (struct ob){ 0 };
}

void oit_init(struct oit *it, const struct ob *b, const uint8_t *res, size_t rlen)
{
	*it = (struct oit){ .batch = b->buf, .res = res, .boff = sizeof(struct xpt_case_batch),
	                    .blen = b->len, .rlen = rlen, .n = b->ncases, .levels = 4 };
	if (b->len >= sizeof(struct xpt_case_batch))
		it->levels = xpt_case_levels(hdr(b)->flags);
}

bool oit_next(struct oit *it)
{
	if (it->c) {
		it->boff += xpt_case_bytes(it->c->nops, it->c->naccs);
		it->roff += xpt_case_res_bytes(it->c->nops, it->c->naccs);
		it->i++;
	}
	it->c = NULL;
	if (it->i >= it->n || it->boff + sizeof(struct xpt_case) > it->blen)
		return false;
	const struct xpt_case *c = (const void *)(it->batch + it->boff);
	if (it->roff + xpt_case_res_bytes(c->nops, c->naccs) > it->rlen)
		return false;
	it->c = c;
	it->ops = (const void *)(c + 1);
	it->accs = (const void *)(it->ops + c->nops);
	it->r = (const void *)(it->res + it->roff);
	it->op_err = (const uint8_t *)(it->r + 1);
	it->ar = (const void *)(it->op_err + ((c->nops + 7u) & ~7u));
	return true;
}

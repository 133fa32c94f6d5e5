/* Human-readable output of cases and results. */
#include <inttypes.h>
#include <string.h>

#include "oracle.h"

void oprint_ctl(FILE *f, uint32_t ctl, uint32_t pkru)
{
	static const char *const names[] = { "wp", "smep", "smap", "pke", "nxe", "ac", "gbpages" };
	bool any = false;
	for (unsigned i = 0; i < 7; i++)
		if (ctl & (1u << i)) {
			fprintf(f, "%s%s", any ? "," : "", names[i]);
			any = true;
		}
	if (!any)
		fprintf(f, "-");
	if (ctl & XPT_CTL_PKE)
		fprintf(f, " pkru=%08x", pkru);
}

const char *oprint_access_kind(uint32_t access)
{
	static const char *const names[] = { "kread", "kwrite", "kfetch", "uread", "uwrite", "ufetch" };
	unsigned k = (access & XPT_ACC_FETCH) ? 2 : (access & XPT_ACC_WRITE) ? 1 : 0;
	return names[k + ((access & XPT_ACC_USER) ? 3 : 0)];
}

static void print_attr(FILE *f, uint32_t attr)
{
	fprintf(f, "%s%s%s%s", (attr & XPT_WRITE) ? "w" : "r", (attr & XPT_USER) ? "u" : "s",
	        (attr & XPT_NOEXEC) ? "-nx" : "", (attr & XPT_GLOBAL) ? "-g" : "");
	if (attr & XPT_PKEY_MASK)
		fprintf(f, "-pk%u", (attr & XPT_PKEY_MASK) >> XPT_PKEY_SHIFT);
	if (attr & XPT_CACHE_MASK)
		fprintf(f, "-c%u", (attr & XPT_CACHE_MASK) >> XPT_CACHE_SHIFT);
}

const char *oprint_level(unsigned level, unsigned levels)
{
	static const char *const n[] = { "pml5e", "pml4e", "pdpte", "pde", "pte" };
	unsigned i = 5u - levels + level;
	return level < levels && i < 5u ? n[i] : "?";
}

static void print_op(FILE *f, const struct xpt_case_op *op, uint8_t err, unsigned levels)
{
	static const char *const sizes[] = { "4k", "2m", "1g" };
	switch (op->kind) {
	case XPT_OP_MAP:
		fprintf(f, "map %#" PRIx64 " -> %#" PRIx64 " %s ", op->va, op->a,
		        op->level < 3 ? sizes[op->level] : "?");
		print_attr(f, op->attr);
		break;
	case XPT_OP_UNMAP:
		fprintf(f, "unmap %#" PRIx64, op->va);
		break;
	case XPT_OP_PROTECT:
		fprintf(f, "protect %#" PRIx64 " ", op->va);
		print_attr(f, op->attr);
		break;
	case XPT_OP_MAP_RANGE:
		fprintf(f, "map_range %#" PRIx64 " -> %#" PRIx64 " len %#" PRIx64 " ", op->va, op->a, op->b);
		print_attr(f, op->attr);
		break;
	case XPT_OP_UNMAP_RANGE:
		fprintf(f, "unmap_range %#" PRIx64 " len %#" PRIx64, op->va, op->b);
		break;
	case XPT_OP_PROTECT_RANGE:
		fprintf(f, "protect_range %#" PRIx64 " len %#" PRIx64 " ", op->va, op->b);
		print_attr(f, op->attr);
		break;
	case XPT_OP_RAW_SET:
		fprintf(f, "raw %s(%#" PRIx64 ") = %#" PRIx64 "%s", oprint_level(op->level, levels), op->va, op->a,
		        (op->flags & XPT_OPF_POOLREL) ? " +pool" : "");
		break;
	case XPT_OP_RAW_MOD:
		fprintf(f, "raw %s(%#" PRIx64 ") |= %#" PRIx64 " &= ~%#" PRIx64, oprint_level(op->level, levels),
		        op->va, op->a, op->b);
		break;
	default:
		fprintf(f, "op kind %u", op->kind);
	}
	if (err == XPT_CASE_OPE_NOENTRY)
		fprintf(f, "  => no entry at that level");
	else if (err == XPT_CASE_OPE_REFUSED)
		fprintf(f, "  => refused (table outside the pool)");
	else if (err != 0)
		fprintf(f, "  => %s", xpt_strerror(err));
	fprintf(f, "\n");
}

static void print_entries(FILE *f, const struct xpt_case_acc_res *r, unsigned levels)
{
	for (unsigned l = 0; l < r->nwalk && l < 5u; l++) {
		uint64_t ch = r->before[l] ^ r->after[l];
		fprintf(f, "      %-5s %016" PRIx64, oprint_level(l, levels), r->before[l]);
		if (ch)
			fprintf(f, " -> %016" PRIx64 " (%s%s%s)", r->after[l], (ch & XPT_PTE_A) ? "+A" : "",
			        (ch & XPT_PTE_D) ? "+D" : "", (ch & ~(XPT_PTE_A | XPT_PTE_D)) ? " other!" : "");
		fprintf(f, "\n");
	}
}

void oprint_access(FILE *f, const struct xpt_case_acc *a, const struct xpt_case_acc_res *r, unsigned levels)
{
	static const char *const outcome[] = { "done", "#PF", "#GP", "other", "not run" };
	fprintf(f, "    %-6s %016" PRIx64 ": %-5s",
	        (a->flags & XPT_CASE_ACCF_RMW) ? ((a->access & XPT_ACC_USER) ? "urmw" : "krmw")
	                                       : oprint_access_kind(a->access),
	        a->va,
	        r->outcome < 5 ? outcome[r->outcome] : "?");
	if (r->outcome == XPT_CASE_PF)
		fprintf(f, " err %#04x%s%s%s%s%s%s cr2 %" PRIx64, r->error_code,
		        (r->error_code & XPT_PF_P) ? " P" : "", (r->error_code & XPT_PF_W) ? " W" : "",
		        (r->error_code & XPT_PF_U) ? " U" : "", (r->error_code & XPT_PF_RSVD) ? " RSVD" : "",
		        (r->error_code & XPT_PF_ID) ? " I/D" : "", (r->error_code & XPT_PF_PK) ? " PK" : "",
		        r->cr2);
	else if (r->outcome == XPT_CASE_GP)
		fprintf(f, " err %#x", r->error_code);
	else if (r->outcome == XPT_CASE_OTHER)
		fprintf(f, " vector %u err %#x", r->vector, r->error_code);
	else if (r->outcome == XPT_CASE_NOT_RUN)
		fprintf(f, " (its leaf points outside the pool)");
	else if (a->access & XPT_ACC_FETCH)
		fprintf(f, " ran the pattern of pa %#" PRIx64, r->value << 3);
	else
		fprintf(f, " value %016" PRIx64 "%s", r->value,
		        xpt_case_is_pattern(r->value) ? "" : " (not a pool word)");
	if (xpt_case_is_pattern(r->value) && r->outcome == 0)
		fprintf(f, " = pa %#" PRIx64, ((r->value >> 8) & 0xffffffffu) << 3);
	if (r->flags & XPT_CASE_ARF_WRITE_LOST)
		fprintf(f, " WRITE LANDED OUTSIDE THE POOL");
	fprintf(f, "\n");
	print_entries(f, r, levels);
}

void oprint_case(FILE *f, const struct oit *it, const struct onames *names)
{
	fprintf(f, "case %u %s [", it->c->id, names ? oname(names, it->c->id) : "");
	oprint_ctl(f, it->c->ctl, it->c->pkru);
	fprintf(f, "]%s cr3 %#" PRIx64 "\n", it->r->status == XPT_CASE_SKIPPED ? " SKIPPED (CPU lacks a bit)" : "",
	        it->r->cr3);
	for (unsigned k = 0; k < it->c->nops; k++) {
		fprintf(f, "  op  ");
		print_op(f, &it->ops[k], it->op_err[k], it->levels);
	}
}

void oprint_header(FILE *f, const struct oq_run *r)
{
	const struct xpt_case_results *h = &r->hdr;
	static const char *const names[] = { "nx", "smep", "smap", "pku", "pdpe1gb", "pge", "pcid",
	                                     "invpcid", "la57" };
	fprintf(f, "guest CPU: %.12s, MAXPHYADDR %u, CPUID.1 ecx/edx %08x/%08x, 7.0 ebx/ecx %08x/%08x, "
	           "80000001 ecx/edx %08x/%08x\n  features:",
	        h->vendor, h->maxphyaddr, h->cpuid_1_ecx, h->cpuid_1_edx, h->cpuid_7_ebx, h->cpuid_7_ecx,
	        h->cpuid_e1_ecx, h->cpuid_e1_edx);
	for (unsigned i = 0; i < 9; i++)
		fprintf(f, " %s%s", (h->cpu_features & (1u << i)) ? "+" : "-", names[i]);
	fprintf(f, "\n");
}

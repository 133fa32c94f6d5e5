/*
 * Text case files: one statement a line, '#' starts a comment.
 *
 *   case NAME [ctl=wp,smep,smap,pke,nxe,ac] [pkru=N]
 *   map VA PA 4k|2m|1g ATTR          ATTR: '-' or a comma list of
 *   map_range VA PA LEN ATTR [OPTS]        w u nx g pk=N cache=N
 *   unmap VA [OPTS]                  OPTS: a comma list of free split no1g no2m
 *   unmap_range VA LEN [OPTS]
 *   protect VA ATTR
 *   protect_range VA LEN ATTR [OPTS]
 *   raw LEVEL VA = VALUE             LEVEL: pml4e pdpte pde pte (pml5e in a 5-level batch)
 *   raw LEVEL VA set=MASK clear=MASK
 *   read|write|fetch VA [user]        write: a plain store (the kernel puts the
 *   rmw VA [user]                     pool word back); rmw: lock xadd of 0
 *
 * Numbers are C literals joined by '|' or '+'; entry bit names (p rw us
 * pwt pcd a d ps g nx) and 'pool' (XPT_CASE_POOL_PA; in a raw VALUE it is
 * added by the kernel) may appear among them.  Ops come before accesses.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

struct parser {
	struct ob *b;
	struct onames *names;
	const char *path;
	unsigned line;
	char *err;
	size_t errlen;
	bool in_case;
	uint64_t pool_seen; /* the last expression named 'pool' */
};

static int perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->err, p->errlen, "%s:%u: ", p->path, p->line);
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static const struct {
	const char *name;
	uint64_t bit;
} entry_bits[] = {
	{ "p", XPT_PTE_P }, { "rw", XPT_PTE_RW }, { "us", XPT_PTE_US }, { "pwt", XPT_PTE_PWT },
	{ "pcd", XPT_PTE_PCD }, { "a", XPT_PTE_A }, { "d", XPT_PTE_D }, { "ps", XPT_PTE_PS },
	{ "g", XPT_PTE_G }, { "nx", XPT_PTE_NX },
};

/* A number: terms joined by '|' or '+'. */
static int num(struct parser *p, const char *s, uint64_t *out)
{
	char buf[128], *save = NULL;
	uint64_t v = 0;
	p->pool_seen = 0;
	if (strlen(s) >= sizeof(buf))
		return perr(p, "number too long: %s", s);
	strcpy(buf, s);
	for (char *t = strtok_r(buf, "|+", &save); t; t = strtok_r(NULL, "|+", &save)) {
		char *end;
		bool named = false;
		if (strcmp(t, "pool") == 0) {
			p->pool_seen = XPT_CASE_POOL_PA;
			v += XPT_CASE_POOL_PA;
			continue;
		}
		for (unsigned i = 0; i < sizeof(entry_bits) / sizeof(entry_bits[0]); i++)
			if (strcmp(t, entry_bits[i].name) == 0) {
				v |= entry_bits[i].bit;
				named = true;
			}
		if (named)
			continue;
		uint64_t x = strtoull(t, &end, 0);
		if (*end || end == t)
			return perr(p, "not a number: %s", t);
		v += x;
	}
	*out = v;
	return 0;
}

static int attr(struct parser *p, const char *s, uint32_t *out)
{
	char buf[128], *save = NULL;
	*out = 0;
	if (strcmp(s, "-") == 0)
		return 0;
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (strcmp(t, "w") == 0)
			*out |= XPT_WRITE;
		else if (strcmp(t, "u") == 0)
			*out |= XPT_USER;
		else if (strcmp(t, "nx") == 0)
			*out |= XPT_NOEXEC;
		else if (strcmp(t, "g") == 0)
			*out |= XPT_GLOBAL;
		else if (strncmp(t, "pk=", 3) == 0)
			*out |= XPT_PKEY(strtoul(t + 3, NULL, 0));
		else if (strncmp(t, "cache=", 6) == 0)
			*out |= XPT_CACHE(strtoul(t + 6, NULL, 0));
		else
			return perr(p, "unknown attribute '%s' (w u nx g pk=N cache=N)", t);
	}
	return 0;
}

static int opts(struct parser *p, const char *s, uint16_t *out)
{
	static const char *const names[] = { "free", "split", "no1g", "no2m" };
	char buf[128], *save = NULL;
	*out = 0;
	if (!s)
		return 0;
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		unsigned i = 0;
		while (i < 4 && strcmp(t, names[i]) != 0)
			i++;
		if (i == 4)
			return perr(p, "unknown option '%s' (free split no1g no2m)", t);
		*out |= (uint16_t)(1u << i);
	}
	return 0;
}

static int ctl(struct parser *p, const char *s, uint32_t *out)
{
	static const char *const names[] = { "wp", "smep", "smap", "pke", "nxe", "ac" };
	char buf[128], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", s);
	*out = 0;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		unsigned i = 0;
		while (i < 6 && strcmp(t, names[i]) != 0)
			i++;
		if (i == 6)
			return perr(p, "unknown control bit '%s' (wp smep smap pke nxe ac)", t);
		*out |= 1u << i;
	}
	return 0;
}

/* The entry index of a level name in the batch's walks (0 = the top). */
static int level(struct parser *p, const char *s, uint8_t *out)
{
	unsigned levels = p->b->levels;
	for (unsigned i = 0; i < levels; i++)
		if (strcmp(s, oprint_level(i, levels)) == 0) {
			*out = (uint8_t)i;
			return 0;
		}
	return perr(p, "unknown level '%s' (%spml4e pdpte pde pte)", s, levels == 5u ? "pml5e " : "");
}

static int stmt_case(struct parser *p, char **w, int n)
{
	uint32_t c = XPT_CTL_WP | XPT_CTL_NXE, pkru = 0;
	if (n < 2)
		return perr(p, "case needs a name");
	for (int i = 2; i < n; i++) {
		if (strncmp(w[i], "ctl=", 4) == 0) {
			if (ctl(p, w[i] + 4, &c))
				return -1;
		} else if (strncmp(w[i], "pkru=", 5) == 0) {
			uint64_t v;
			if (num(p, w[i] + 5, &v))
				return -1;
			pkru = (uint32_t)v;
		} else {
			return perr(p, "unknown case option '%s'", w[i]);
		}
	}
	p->names->name = realloc(p->names->name, (p->names->n + 1) * sizeof(char *));
	p->names->name[p->names->n] = strdup(w[1]);
	ob_case(p->b, p->names->n++, c, pkru);
	p->in_case = true;
	return 0;
}

static int stmt_raw(struct parser *p, char **w, int n, struct xpt_case_op *op)
{
	if (n < 4 || level(p, w[1], &op->level) || num(p, w[2], &op->va))
		return n < 4 ? perr(p, "raw LEVEL VA = VALUE | raw LEVEL VA set=M clear=M") : -1;
	if (strcmp(w[3], "=") == 0) {
		if (n != 5 || num(p, w[4], &op->a))
			return n != 5 ? perr(p, "raw ... = VALUE") : -1;
		op->kind = XPT_OP_RAW_SET;
		if (p->pool_seen) { /* the kernel adds the pool base itself */
			op->a -= p->pool_seen;
			op->flags |= XPT_OPF_POOLREL;
		}
		return 0;
	}
	op->kind = XPT_OP_RAW_MOD;
	for (int i = 3; i < n; i++) {
		if (strncmp(w[i], "set=", 4) == 0 && !num(p, w[i] + 4, &op->a))
			continue;
		if (strncmp(w[i], "clear=", 6) == 0 && !num(p, w[i] + 6, &op->b))
			continue;
		return perr(p, "raw: expected set=MASK or clear=MASK, got '%s'", w[i]);
	}
	return 0;
}

static int stmt_op(struct parser *p, char **w, int n)
{
	struct xpt_case_op op = { 0 };
	const char *k = w[0];
	int bad = 0;
	if (strcmp(k, "map") == 0) {
		op.kind = XPT_OP_MAP;
		if (n != 5 || num(p, w[1], &op.va) || num(p, w[2], &op.a) || attr(p, w[4], &op.attr))
			bad = 1;
		else if (strcmp(w[3], "4k") && strcmp(w[3], "2m") && strcmp(w[3], "1g"))
			return perr(p, "size must be 4k, 2m or 1g");
		else
			op.level = w[3][0] == '4' ? XPT_4K : w[3][0] == '2' ? XPT_2M : XPT_1G;
	} else if (strcmp(k, "map_range") == 0) {
		op.kind = XPT_OP_MAP_RANGE;
		bad = n < 5 || num(p, w[1], &op.va) || num(p, w[2], &op.a) || num(p, w[3], &op.b) ||
		      attr(p, w[4], &op.attr) || opts(p, n > 5 ? w[5] : NULL, &op.flags);
	} else if (strcmp(k, "unmap") == 0) {
		op.kind = XPT_OP_UNMAP;
		bad = n < 2 || num(p, w[1], &op.va) || opts(p, n > 2 ? w[2] : NULL, &op.flags);
	} else if (strcmp(k, "unmap_range") == 0) {
		op.kind = XPT_OP_UNMAP_RANGE;
		bad = n < 3 || num(p, w[1], &op.va) || num(p, w[2], &op.b) || opts(p, n > 3 ? w[3] : NULL, &op.flags);
	} else if (strcmp(k, "protect") == 0) {
		op.kind = XPT_OP_PROTECT;
		bad = n != 3 || num(p, w[1], &op.va) || attr(p, w[2], &op.attr);
	} else if (strcmp(k, "protect_range") == 0) {
		op.kind = XPT_OP_PROTECT_RANGE;
		bad = n < 4 || num(p, w[1], &op.va) || num(p, w[2], &op.b) || attr(p, w[3], &op.attr) ||
		      opts(p, n > 4 ? w[4] : NULL, &op.flags);
	} else if (strcmp(k, "raw") == 0) {
		bad = stmt_raw(p, w, n, &op);
	} else {
		return 1; /* not an op */
	}
	if (bad)
		return p->err[0] ? -1 : perr(p, "malformed '%s' statement", k);
	if (p->b->accs_started)
		return perr(p, "ops must come before the accesses of a case");
	ob_op(p->b, &op);
	return 0;
}

static int stmt_access(struct parser *p, char **w, int n)
{
	uint32_t acc, flags = 0;
	uint64_t va;
	if (strcmp(w[0], "read") == 0)
		acc = XPT_ACC_READ;
	else if (strcmp(w[0], "write") == 0)
		acc = XPT_ACC_WRITE;
	else if (strcmp(w[0], "rmw") == 0)
		acc = XPT_ACC_WRITE, flags = XPT_CASE_ACCF_RMW;
	else if (strcmp(w[0], "fetch") == 0)
		acc = XPT_ACC_FETCH;
	else
		return perr(p, "unknown statement '%s'", w[0]);
	if (n < 2 || n > 3 || num(p, w[1], &va))
		return p->err[0] ? -1 : perr(p, "%s VA [user]", w[0]);
	if (n == 3 && strcmp(w[2], "user") != 0)
		return perr(p, "expected 'user', got '%s'", w[2]);
	ob_acc(p->b, va, acc | (n == 3 ? XPT_ACC_USER : 0), flags);
	return 0;
}

static int statement(struct parser *p, char *line)
{
	char *w[16], *save = NULL;
	int n = 0, r;
	char *hash = strchr(line, '#');
	if (hash)
		*hash = 0;
	for (char *t = strtok_r(line, " \t\r\n", &save); t && n < 16; t = strtok_r(NULL, " \t\r\n", &save))
		w[n++] = t;
	if (n == 0)
		return 0;
	if (strcmp(w[0], "case") == 0)
		return stmt_case(p, w, n);
	if (!p->in_case)
		return perr(p, "'%s' before the first 'case'", w[0]);
	r = stmt_op(p, w, n);
	return r <= 0 ? r : stmt_access(p, w, n);
}

int ocases_parse(const char *path, struct ob *b, struct onames *names, char *err, size_t errlen)
{
	struct parser p = { b, names, path, 0, err, errlen, false, 0 };
	char line[512];
	FILE *f = fopen(path, "r");
	err[0] = 0;
	if (!f) {
		snprintf(err, errlen, "%s: cannot open", path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		p.line++;
		if (statement(&p, line)) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

void onames_free(struct onames *n)
{
	for (uint32_t i = 0; i < n->n; i++)
		free(n->name[i]);
	free(n->name);
	*n = (struct onames){ 0 };
}

const char *oname(const struct onames *n, uint32_t id)
{
	return n && id < n->n ? n->name[id] : "";
}

/*
 * Page-table dump: walk the leaves in address order and merge runs that
 * share level and attributes, as Linux's ptdump prints them.
 */
#include "format.h"

/* The address after the entry at `level` that covers va, skipping the
 * non-canonical hole of a `bits`-wide address space; false when it wraps
 * past the top. */
/*@ requires \valid(next) && 1 <= level <= 5 && (bits == 48 || bits == 57 || bits == 64);
    assigns *next;
*/
static bool after_entry(uint64_t va, unsigned level, unsigned bits, uint64_t *next)
{
	uint64_t n = (va | (xpt_level_bytes(level) - 1u)) + 1u;
	if (n == 0)
		return false;
	*next = n == (uint64_t)1 << (bits - 1u) ? ~(uint64_t)0 << (bits - 1u) : n;
	return true;
}

/* Leaf e at `level` maps va, with rights eff combined from the levels
 * above (an EPT leaf's own). */
/*@ requires \valid_read(sp) && 12 < sp->maxphyaddr <= 52 && \valid(out) && \separated(out, sp);
    requires 1 <= level <= 3;
    assigns *out;
    ensures out->size == level - 1;
*/
static void found(const struct xpt_space *sp, uint64_t va, unsigned level, uint64_t e,
                  xpt_attr eff, struct xpt_mapping *out)
{
	xpt_attr attr = xpt_fmt_attr(sp->format, e, level);
	*out = (struct xpt_mapping){
		.va = va & ~(xpt_level_bytes(level) - 1u),
		.pa = xpt_leaf_base(e, level, sp->maxphyaddr),
		.size = (enum xpt_size)(level - 1u),
		.attr = attr,
		.eff = sp->format == XPT_FMT_EPT ? attr & (XPT_WRITE | XPT_NOEXEC) : eff,
		.entry = e,
	};
}

int xpt_next_leaf(const struct xpt_space *sp, uint64_t va, struct xpt_mapping *out)
{
	return xpt_next_leaf_in(sp, va, 0, out);
}

int xpt_next_leaf_in(const struct xpt_space *sp, uint64_t va, uint64_t end,
                     struct xpt_mapping *out)
{
	bool ept = sp->format == XPT_FMT_EPT;
	unsigned bits = ept ? 64u : xpt_space_va_bits(sp); /* guest-physical: no hole */
	if (ept && (end == 0 || end > (uint64_t)1 << XPT_VA_BITS))
		end = (uint64_t)1 << XPT_VA_BITS;
	if (!xpt_canonical_width(va, bits))
		va = ~(uint64_t)0 << (bits - 1u); /* inside the hole: the upper half comes next */
	/*@ loop assigns va, end; */
	for (;;) {
		if (end != 0 && va >= end)
			return XPT_E_NOT_MAPPED;
		xpt_pfn t = sp->root;
		xpt_attr eff = XPT_WRITE | XPT_USER;
		unsigned level;
		/* A present entry at level 1 is a leaf: the loop ends by break or
		 * return, at a level of the space. */
		/*@ loop invariant 1 <= level <= sp->levels && t < sp->mem.nframes;
		    loop assigns level, t, eff;
		    loop variant level;
		*/
		for (level = sp->levels; level >= 1u; level--) {
			uint64_t e = sp->mem.words[xpt_slot(t, xpt_index(va, level))];
			bool bad_ps = level >= 4u && (e & XPT_PTE_PS);
			if (!xpt_fmt_present(sp->format, e) || bad_ps)
				break;
			eff &= (e & XPT_PTE_RW ? XPT_WRITE : 0u) | (e & XPT_PTE_US ? XPT_USER : 0u) |
			       XPT_NOEXEC;
			eff |= e & XPT_PTE_NX ? XPT_NOEXEC : 0u;
			if (xpt_is_leaf(e, level)) {
				found(sp, va, level, e, eff, out);
				return XPT_OK;
			}
			t = xpt_entry_frame(e, sp->maxphyaddr);
			if (t >= sp->mem.nframes)
				return XPT_E_WINDOW;
		}
		if (!after_entry(va, level, bits, &va))
			return XPT_E_NOT_MAPPED;
	}
}

int xpt_entry_at(const struct xpt_space *sp, uint64_t va, unsigned level, uint64_t *pa)
{
	xpt_pfn t = sp->root;
	if (level < 1u || level > sp->levels)
		return XPT_E_INVAL;
	if (!xpt_canonical_width(va, xpt_space_va_bits(sp)))
		return XPT_E_NONCANONICAL;
	/*@ loop invariant level <= l <= sp->levels && t < sp->mem.nframes;
	    loop assigns l, t;
	    loop variant l;
	*/
	for (unsigned l = sp->levels; l > level; l--) {
		uint64_t e = sp->mem.words[xpt_slot(t, xpt_index(va, l))];
		if (!xpt_fmt_present(sp->format, e) || (l <= 3u && (e & XPT_PTE_PS)))
			return XPT_E_NOT_MAPPED;
		t = xpt_entry_frame(e, sp->maxphyaddr);
		if (t >= sp->mem.nframes)
			return XPT_E_WINDOW;
	}
	*pa = (t << XPT_PAGE_SHIFT) + 8u * xpt_index(va, level);
	return XPT_OK;
}

bool xpt_dump_next(const struct xpt_space *sp, struct xpt_dump *d, struct xpt_range *r, int *err)
{
	struct xpt_mapping lf, n;
	uint64_t next;
	*err = d->done ? XPT_E_NOT_MAPPED : xpt_next_leaf(sp, d->va, &lf);
	if (*err != XPT_OK) {
		*err = *err == XPT_E_NOT_MAPPED ? XPT_OK : *err;
		d->done = true;
		return false;
	}
	*r = (struct xpt_range){ lf.va, xpt_size_bytes(lf.size), lf.pa, lf.size, lf.attr, lf.eff };
	/*@ loop invariant r->size == lf.size && lf.size <= XPT_1G;
	    loop invariant *err == XPT_OK;
	    loop assigns next, n, *err, r->len, d->done;
	*/
	for (;;) {
		if (!after_entry(r->va + r->len - 1u, lf.size + 1u, xpt_space_va_bits(sp), &next)) {
			d->done = true;
			return true;
		}
		*err = xpt_next_leaf(sp, next, &n);
		if (*err != XPT_OK || n.va != next || n.size != lf.size || n.attr != r->attr ||
		    n.eff != r->eff)
			break;
		r->len += xpt_size_bytes(lf.size);
	}
	*err = *err == XPT_E_NOT_MAPPED ? XPT_OK : *err;
	d->va = next;
	return true;
}

/* ----------------------------------------------------------- formatting */

/* Far above any line's length, so that len cannot wrap. */
#define OUT_MAX 1024

/* A line being written: the first n - 1 bytes of it go into buf; len
 * counts them all, so a caller learns how long the whole line is. */
struct out {
	char *buf;
	size_t n, len;
};
/*@ predicate dump_out{L}(struct out *o) =
      \valid(o) && \valid(o->buf + (0 .. o->n - 1)) && \separated(o, o->buf + (0 .. o->n - 1));
*/
/* A C string of k characters, said without a length function: k of them
 * and then the NUL, which makes k unique.  Macros, not predicates, so that
 * the provers see the bytes of a string that starts inside an array
 * (put_dec's tail) without unfolding anything. */
#define CSTRING(s, k) (0 <= (k) && \valid_read((s) + (0 .. (k))) && (s)[k] == '\0' && \
	(\forall integer j_; 0 <= j_ < (k) ==> (s)[j_] != '\0'))
/* s fits the line: a C string of k characters, room for them, and apart
 * from the line and its buffer. */
#define FITS(o, s, k) (CSTRING(s, k) && (o)->len + (k) <= OUT_MAX && \
	\separated((s) + (0 .. (k)), (o), (o)->buf + (0 .. (o)->n - 1)))

/*@ requires dump_out(o) && \exists integer k; FITS(o, s, k);
    assigns o->len, o->buf[0 .. o->n - 1];
    ensures len: \forall integer k; \at(FITS(o, s, k), Pre) ==> o->len == \old(o->len) + k;
*/
static void put(struct out *o, const char *s)
{
	/* The bytes of s stay as they were (s lies apart from buf), so its
	 * length is the one it had. */
	/*@ loop invariant below: \forall integer k; \at(FITS(o, s, k), Pre) ==>
	      i <= k && \forall integer j; 0 <= j <= k ==> s[j] == \at(s[j], Pre);
	    loop invariant counted: o->len == \at(o->len, Pre) + i;
	    loop invariant 0 <= i <= OUT_MAX;
	    loop assigns i, o->len, o->buf[0 .. o->n - 1];
	    loop variant OUT_MAX - i;
	*/
	for (size_t i = 0; s[i] != '\0'; i++) {
		if (o->len + 1u < o->n)
			o->buf[o->len] = s[i];
		o->len++;
	}
}

/*@ requires dump_out(o) && o->len <= OUT_MAX - 18;
    assigns o->len, o->buf[0 .. o->n - 1];
    ensures o->len == \old(o->len) + 18;
*/
static void put_hex(struct out *o, uint64_t v)
{
	char s[19] = "0x";
	/*@ loop invariant 0 <= i <= 16 && s[0] == '0' && s[1] == 'x';
	    loop invariant \forall integer j; 2 <= j < 2 + i ==> s[j] != '\0';
	    loop assigns i, s[2 .. 17];
	    loop variant 16 - i;
	*/
	for (unsigned i = 0; i < 16u; i++) {
		unsigned d = (unsigned)(v >> (60u - 4u * i)) % 16u;
		s[2u + i] = (char)(d < 10u ? '0' + d : 'a' + (d - 10u));
	}
	s[18] = '\0';
	//@ assert digits: FITS(o, &s[0], 18);
	put(o, s);
}

/* Right-aligned decimal in `width` columns. */
/*@ requires dump_out(o) && o->len <= OUT_MAX - 20;
    assigns o->len, o->buf[0 .. o->n - 1];
    ensures \old(o->len) < o->len <= \old(o->len) + 20;
*/
static void put_dec(struct out *o, uint64_t v, unsigned width)
{
	char s[21];
	unsigned i = 20;
	s[20] = '\0';
	/*@ loop invariant 0 < i <= 20 && s[20] == '\0';
	    loop invariant \forall integer j; i <= j < 20 ==> s[j] != '\0';
	    loop assigns i, v, s[0 .. 19];
	    loop variant i;
	*/
	do {
		s[--i] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v != 0 && i > 0);
	/*@ loop invariant 0 <= i < 20 && s[20] == '\0';
	    loop invariant \forall integer j; i <= j < 20 ==> s[j] != '\0';
	    loop assigns i, s[0 .. 19];
	    loop variant i;
	*/
	while (20u - i < width && i > 0)
		s[--i] = ' ';
	//@ assert digits: FITS(o, &s[i], 20 - i);
	put(o, &s[i]);
}

size_t xpt_range_format(const struct xpt_range *r, char *buf, size_t n)
{
	static const char *const unit = "KMGTPE";
	static const char *const level[] = { "pte", "pmd", "pud" };
	struct out o = { buf, n, 0 };
	uint64_t size = r->len >> 10;
	unsigned u = 0;
	char suffix[2] = { 'K', '\0' };
	/*@ loop invariant 0 <= u <= 5;
	    loop assigns size, u;
	    loop variant 5 - u;
	*/
	while (size != 0 && size % 1024u == 0 && u < 5u) {
		size /= 1024u;
		u++;
	}
	suffix[0] = unit[u];
	put_hex(&o, r->va);
	put(&o, "-");
	put_hex(&o, r->va + r->len);
	put_dec(&o, size, 10);
	put(&o, suffix);
	put(&o, r->attr & XPT_USER ? " USR" : "    ");
	put(&o, r->attr & XPT_WRITE ? " RW" : " ro");
	put(&o, r->attr & XPT_CACHE(1) ? " PWT" : "    ");
	put(&o, r->attr & XPT_CACHE(2) ? " PCD" : "    ");
	put(&o, r->size != XPT_4K ? " PSE" : "    ");
	put(&o, r->attr & XPT_CACHE(4) ? " PAT" : "    ");
	put(&o, r->attr & XPT_GLOBAL ? " GLB" : "    ");
	put(&o, r->attr & XPT_NOEXEC ? " NX" : " x ");
	put(&o, " pk");
	put_dec(&o, (r->attr & XPT_PKEY_MASK) >> XPT_PKEY_SHIFT, 2);
	put(&o, " ");
	put(&o, level[r->size]);
	if ((r->eff & (XPT_WRITE | XPT_USER | XPT_NOEXEC)) !=
	    (r->attr & (XPT_WRITE | XPT_USER | XPT_NOEXEC))) {
		put(&o, " eff:");
		put(&o, r->eff & XPT_USER ? "USR" : "sup");
		put(&o, r->eff & XPT_WRITE ? ",RW" : ",ro");
		put(&o, r->eff & XPT_NOEXEC ? ",NX" : ",x");
	}
	if (n > 0)
		buf[o.len < n ? o.len : n - 1u] = '\0';
	return o.len;
}

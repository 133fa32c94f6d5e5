/* PAT memory types and randomised placement. */
#include "bits.h"

int xpt_cache_attr(uint64_t pat, enum xpt_memtype type, xpt_attr *attr)
{
	/*@ loop invariant 0 <= i <= 8;
	    loop invariant absent_below: \forall integer j; 0 <= j < i ==> XPT_PAT_TYPE(pat, j) != type;
	    loop assigns i;
	    loop variant 8 - i;
	*/
	for (unsigned i = 0; i < 8u; i++) {
		if (((pat >> (8u * i)) & 7u) == (unsigned)type) {
			*attr = XPT_CACHE(i);
			return XPT_OK;
		}
	}
	return XPT_E_INVAL;
}

enum xpt_memtype xpt_attr_memtype(uint64_t pat, xpt_attr attr)
{
	unsigned i = (attr >> XPT_CACHE_SHIFT) % 8u; /* the XPT_CACHE_MASK field */
	return (enum xpt_memtype)((pat >> (8u * i)) & 7u);
}

int xpt_aslr_place(uint64_t lo, uint64_t hi, uint64_t len, uint64_t align, uint64_t random,
                   uint64_t *va, unsigned *bits)
{
	uint64_t first, slots;
	if (align < XPT_PAGE_SIZE || (align & (align - 1u)) || len == 0 || len % XPT_PAGE_SIZE)
		return XPT_E_INVAL;
	first = (lo + align - 1u) & ~(align - 1u);
	if (first < lo || hi <= first || hi - first < len)
		return XPT_E_INVAL;
	slots = (hi - first - len) / align + 1u;
	*va = first + (random % slots) * align;
	*bits = 0;
	/*@ loop invariant *bits <= 63;
	    loop assigns *bits;
	    loop variant 63 - *bits;
	*/
	while (*bits < 63u && ((uint64_t)2 << *bits) <= slots)
		(*bits)++;
	return XPT_OK;
}

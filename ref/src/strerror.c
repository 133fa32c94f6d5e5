/* Error descriptions: one table, indexed by enum xpt_err. */
#include "xpt.h"

static const char *const messages[XPT_E_COUNT] = {
	[XPT_OK] = "XPT_OK: success",
	[XPT_E_INVAL] = "XPT_E_INVAL: argument out of its domain",
	[XPT_E_NONCANONICAL] = "XPT_E_NONCANONICAL: virtual address is not canonical",
	[XPT_E_ALIGN] = "XPT_E_ALIGN: address or length not aligned to the page size",
	[XPT_E_PHYS] = "XPT_E_PHYS: physical address beyond MAXPHYADDR",
	[XPT_E_EXISTS] = "XPT_E_EXISTS: a page in the range is already mapped",
	[XPT_E_HUGE] = "XPT_E_HUGE: a huge page covers only part of the request",
	[XPT_E_NOT_MAPPED] = "XPT_E_NOT_MAPPED: no mapping where one is required",
	[XPT_E_NOMEM] = "XPT_E_NOMEM: not enough free frames; nothing was changed",
	[XPT_E_RANGE] = "XPT_E_RANGE: frame outside the allocator's range",
	[XPT_E_DOUBLE_FREE] = "XPT_E_DOUBLE_FREE: frame is already free",
	[XPT_E_RESERVED] = "XPT_E_RESERVED: frame is not usable RAM",
	[XPT_E_BUSY] = "XPT_E_BUSY: frame to reserve is in use",
	[XPT_E_MEMMAP] = "XPT_E_MEMMAP: malformed memory map",
	[XPT_E_WINDOW] = "XPT_E_WINDOW: a table entry points outside the memory window",
	[XPT_E_RSVD_BITS] = "XPT_E_RSVD_BITS: a table entry on the walk has reserved bits set",
	[XPT_E_POLICY] = "XPT_E_POLICY: the space's policy forbids the request",
};

const char *xpt_strerror(int err)
{
	if (err < 0 || err >= XPT_E_COUNT)
		return "XPT_E_?: unknown error code";
	return messages[err];
}

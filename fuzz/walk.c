/*
 * Fuzz target `walk`: raw paging-structure entries and control bits.
 *
 * The input writes raw 64-bit entries into a few tables of a small window,
 * picks the control state (CR0.WP, CR4.SMEP/SMAP/PKE/LA57, EFER.NXE,
 * RFLAGS.AC, Page1GB, PKRU, MAXPHYADDR) and a list of accesses.  Each
 * access goes through ref's xpt_walk and through the walker below, written
 * separately from the SDM text in a different shape: a table of level
 * descriptors (Vol. 3A 4.5, tables 4-14..4-20 and 4.5.4 for reserved
 * bits), and access rights as a table of deny rules over a word of facts
 * (4.6.1, 4.6.2).  The fault kind, #PF error code (4.7), physical address,
 * leaf size, combined rights, protection key, the entries read and the A/D
 * updates (4.8) must agree; xpt_walk_set_ad must write exactly those.
 *
 * Conventions shared with ref and stated here once:
 *   - an access is a data read unless XPT_ACC_WRITE or XPT_ACC_FETCH;
 *     a fetch is never a write and never implicit (the harness clears them);
 *   - XPT_ACC_IMPLICIT makes the access a supervisor-mode access whatever
 *     the CPL (SDM 4.6: "implicit supervisor-mode accesses ... regardless of
 *     CPL"), and then the U/S bit of the error code is 0;
 *   - A and D are reported for a successful access only;
 *   - a table outside the window ends the walk with XPT_E_WINDOW.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xpt.h"
#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NFRAMES 16u
#define BIT(n)  (1ull << (n))

/* Bits lo..hi inclusive. */
static uint64_t bits(unsigned lo, unsigned hi)
{
	uint64_t m = 0;
	for (unsigned b = lo; b <= hi; b++)
		m |= BIT(b);
	return m;
}

/* ----------------------------------------------------- the simple walker */

struct outcome {
	int err;            /* XPT_OK or XPT_E_WINDOW */
	int fault;          /* 0, 13 (#GP) or 14 (#PF) */
	uint32_t ec;
	unsigned nread;     /* entries read */
	uint64_t entry[5], entry_pa[5];
	bool leaf_reached;
	unsigned leaf;      /* 0: 4 KiB, 1: 2 MiB, 2: 1 GiB */
	uint64_t pa;
	unsigned w, u, nx;  /* combined over the entries read */
	unsigned pkey;
	unsigned set_a;
	bool set_d;
};

/* What a paging-structure entry is at each depth, from the top. */
struct level_desc {
	unsigned shift;      /* linear-address bits this level indexes start here */
	bool may_map;        /* PS=1 makes this entry map a page */
	bool ps_needs_1g;    /* ... only if Page1GB is enumerated */
	unsigned size;       /* leaf size when it maps a page */
	unsigned rsvd_lo, rsvd_hi; /* reserved bits of a page-mapping entry */
};
static const struct level_desc PML5E = { 48, false, false, 0, 0, 0 };
static const struct level_desc PML4E = { 39, false, false, 0, 0, 0 };
static const struct level_desc PDPTE = { 30, true, true, 2, 13, 29 };
static const struct level_desc PDE = { 21, true, false, 1, 13, 20 };
static const struct level_desc PTE = { 12, true, false, 0, 0, 0 };

/* Facts about one access to one translation. */
enum {
	F_USER_ACC = 1 << 0,  /* user-mode access */
	F_WRITE = 1 << 1,
	F_FETCH = 1 << 2,
	F_USER_ADDR = 1 << 3, /* U/S=1 in every entry */
	F_WRITABLE = 1 << 4,  /* R/W=1 in every entry */
	F_XD = 1 << 5,        /* NXE=1 and XD=1 in some entry */
	F_WP = 1 << 6,
	F_SMEP = 1 << 7,
	F_SMAP = 1 << 8,
	F_AC_EXPLICIT = 1 << 9, /* RFLAGS.AC=1 and an explicit access */
	F_PKE = 1 << 10,
	F_PK_AD = 1 << 11,
	F_PK_WD = 1 << 12,
};

/* Deny when (facts & mask) == want.  From SDM 4.6.1 and 4.6.2. */
static const struct rule {
	unsigned mask, want;
	bool pk;
} rules[] = {
	/* user-mode accesses touch user-mode addresses only */
	{ F_USER_ACC | F_USER_ADDR, F_USER_ACC, false },
	/* user-mode writes need R/W everywhere, whatever CR0.WP */
	{ F_USER_ACC | F_WRITE | F_WRITABLE, F_USER_ACC | F_WRITE, false },
	/* no fetch from an execute-disabled translation */
	{ F_FETCH | F_XD, F_FETCH | F_XD, false },
	/* SMEP: no supervisor fetch from a user-mode address */
	{ F_USER_ACC | F_FETCH | F_USER_ADDR | F_SMEP, F_FETCH | F_USER_ADDR | F_SMEP, false },
	/* SMAP: no supervisor data access to a user-mode address, unless an
	 * explicit access with AC=1 */
	{ F_USER_ACC | F_FETCH | F_USER_ADDR | F_SMAP | F_AC_EXPLICIT, F_USER_ADDR | F_SMAP, false },
	/* supervisor writes to read-only translations only with WP=0 */
	{ F_USER_ACC | F_WRITE | F_WRITABLE | F_WP, F_WRITE | F_WP, false },
	/* protection keys: data accesses to user-mode addresses */
	{ F_PKE | F_USER_ADDR | F_FETCH | F_PK_AD, F_PKE | F_USER_ADDR | F_PK_AD, true },
	{ F_PKE | F_USER_ADDR | F_FETCH | F_PK_WD | F_WRITE | F_USER_ACC,
	  F_PKE | F_USER_ADDR | F_PK_WD | F_WRITE | F_USER_ACC, true },
	{ F_PKE | F_USER_ADDR | F_FETCH | F_PK_WD | F_WRITE | F_WP,
	  F_PKE | F_USER_ADDR | F_PK_WD | F_WRITE | F_WP, true },
};

static void simple_walk(const uint64_t *mem, unsigned nframes, const struct xpt_ctl *ctl,
                        uint64_t va, unsigned access, struct outcome *o)
{
	unsigned f = ctl->flags;
	bool la57 = false;
#ifdef XPT_CTL_LA57
	la57 = f & XPT_CTL_LA57;
#endif
	bool user_acc = (access & XPT_ACC_USER) && !(access & XPT_ACC_IMPLICIT);
	bool write = access & XPT_ACC_WRITE, fetch = access & XPT_ACC_FETCH;
	bool nxe = f & XPT_CTL_NXE;
	unsigned m = ctl->maxphyaddr;
	const struct level_desc *path4[] = { &PML4E, &PDPTE, &PDE, &PTE };
	const struct level_desc *path5[] = { &PML5E, &PML4E, &PDPTE, &PDE, &PTE };
	const struct level_desc **path = la57 ? path5 : path4;
	unsigned depth = la57 ? 5 : 4;

	memset(o, 0, sizeof *o);
	/* 4.7: W/R, U/S and I/D describe the access. */
	o->ec = (write ? XPT_PF_W : 0) | (user_acc ? XPT_PF_U : 0) |
	        (fetch && (nxe || (f & XPT_CTL_SMEP)) ? XPT_PF_ID : 0);

	/* Canonical: bits 63..47 (63..56 with LA57) all equal. */
	unsigned top = la57 ? 56 : 47;
	uint64_t high = va >> top;
	if (high != 0 && high != (~0ull >> top)) {
		o->fault = XPT_FAULT_GP;
		o->ec = 0;
		return;
	}

	uint64_t addr_field = bits(12, m - 1); /* bits 12..M-1 */
	uint64_t table = ctl->cr3 & addr_field;
	o->w = o->u = 1;
	for (unsigned d = 0; d < depth; d++) {
		const struct level_desc *L = path[d];
		unsigned index = (unsigned)((va >> L->shift) & 511);
		if (table / 4096 >= nframes) {
			o->err = XPT_E_WINDOW;
			return;
		}
		uint64_t e = mem[table / 8 + index];
		o->entry[d] = e;
		o->entry_pa[d] = table + index * 8;
		o->nread = d + 1;
		if (!(e & BIT(0))) {
			o->fault = XPT_FAULT_PF; /* P=0: no translation */
			return;
		}
		bool ps = e & BIT(7);
		uint64_t rsvd = (m < 52 ? bits(m, 51) : 0) | (nxe ? 0 : BIT(63));
		if (L == &PTE) {
			/* bit 7 is PAT */
		} else if (!L->may_map) {
			rsvd |= BIT(7);
		} else if (ps) {
			if (L->ps_needs_1g && !(f & XPT_CTL_GBPAGES))
				rsvd |= BIT(7);
			else
				rsvd |= bits(L->rsvd_lo, L->rsvd_hi);
		}
		if (e & rsvd) {
			o->fault = XPT_FAULT_PF;
			o->ec |= XPT_PF_P | XPT_PF_RSVD;
			return;
		}
		o->w &= (e >> 1) & 1;
		o->u &= (e >> 2) & 1;
		if (nxe && (e >> 63))
			o->nx = 1;
		if (L == &PTE || (L->may_map && ps)) {
			uint64_t page = BIT(L->shift);
			o->leaf_reached = true;
			o->leaf = L == &PTE ? 0 : L->size;
			o->pa = (e & addr_field & ~(page - 1)) | (va & (page - 1));
			o->pkey = (unsigned)(e >> 59) & 15;
			break;
		}
		table = e & addr_field;
	}

	unsigned facts = (user_acc ? F_USER_ACC : 0) | (write ? F_WRITE : 0) |
	                 (fetch ? F_FETCH : 0) | (o->u ? F_USER_ADDR : 0) |
	                 (o->w ? F_WRITABLE : 0) | (o->nx ? F_XD : 0) |
	                 (f & XPT_CTL_WP ? F_WP : 0) | (f & XPT_CTL_SMEP ? F_SMEP : 0) |
	                 (f & XPT_CTL_SMAP ? F_SMAP : 0) |
	                 ((f & XPT_CTL_AC) && !(access & XPT_ACC_IMPLICIT) ? F_AC_EXPLICIT : 0) |
	                 (f & XPT_CTL_PKE ? F_PKE : 0) |
	                 ((ctl->pkru >> (2 * o->pkey)) & 1 ? F_PK_AD : 0) |
	                 ((ctl->pkru >> (2 * o->pkey + 1)) & 1 ? F_PK_WD : 0);
	bool deny = false, pk = false;
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if ((facts & rules[i].mask) == rules[i].want) {
			deny = true;
			pk |= rules[i].pk;
		}
	if (deny) {
		o->fault = XPT_FAULT_PF;
		o->ec |= XPT_PF_P | (pk ? XPT_PF_PK : 0);
		return;
	}
	o->set_a = (1u << o->nread) - 1;
	o->set_d = write;
}

/* ------------------------------------------------------------ the input */

static const unsigned idx_choice[16] = { 0, 1, 2, 3, 5, 7, 64, 128, 255, 256, 257, 300, 508, 509, 510, 511 };

static uint64_t mem[NFRAMES * 512];

#define FAIL(...)                                                                      \
	do {                                                                           \
		fprintf(stderr, "walk: ref and the simple walker disagree: ");         \
		fprintf(stderr, __VA_ARGS__);                                          \
		fprintf(stderr, "\n");                                                 \
		abort();                                                               \
	} while (0)

static void report(const char *what, uint64_t va, unsigned acc, const struct xpt_ctl *ctl,
                   uint64_t ref, uint64_t simple)
{
	FAIL("%s: ref %#llx, simple %#llx (va %#llx access %#x flags %#x pkru %#x M %u)", what,
	     (unsigned long long)ref, (unsigned long long)simple, (unsigned long long)va, acc,
	     ctl->flags, ctl->pkru, ctl->maxphyaddr);
}

static void compare(const struct xpt_ctl *ctl, unsigned nframes, uint64_t va, unsigned acc)
{
	struct xpt_mem xm = { mem, nframes };
	struct xpt_walk w;
	struct outcome o;
	int err = xpt_walk(&xm, ctl, va, acc, &w);
	simple_walk(mem, nframes, ctl, va, acc, &o);
	if (err != o.err)
		report("result", va, acc, ctl, (uint64_t)err, (uint64_t)o.err);
	if (err != XPT_OK)
		return;
	if (w.fault != o.fault)
		report("fault", va, acc, ctl, w.fault, (uint64_t)o.fault);
	if (w.fault != XPT_FAULT_NONE && w.error_code != o.ec)
		report("error code", va, acc, ctl, w.error_code, o.ec);
	if (w.fault == XPT_FAULT_GP)
		return;
	if (w.levels != o.nread)
		report("entries read", va, acc, ctl, w.levels, o.nread);
	for (unsigned i = 0; i < o.nread; i++) {
		if (w.entry[i] != o.entry[i])
			report("entry", va, acc, ctl, w.entry[i], o.entry[i]);
		if (w.entry_pa[i] != o.entry_pa[i])
			report("entry address", va, acc, ctl, w.entry_pa[i], o.entry_pa[i]);
	}
	if (o.leaf_reached) {
		unsigned eff = (o.w ? XPT_WRITE : 0) | (o.u ? XPT_USER : 0) | (o.nx ? XPT_NOEXEC : 0);
		if (w.leaf != o.leaf)
			report("leaf size", va, acc, ctl, w.leaf, o.leaf);
		if (w.pa != o.pa)
			report("physical address", va, acc, ctl, w.pa, o.pa);
		if (w.eff != eff)
			report("combined rights", va, acc, ctl, w.eff, eff);
		if (w.pkey != o.pkey)
			report("protection key", va, acc, ctl, w.pkey, o.pkey);
	}
	if (w.set_a != o.set_a)
		report("A bits to set", va, acc, ctl, w.set_a, o.set_a);
	if (w.set_d != o.set_d)
		report("D bit to set", va, acc, ctl, w.set_d, o.set_d);

	/* xpt_walk_set_ad writes exactly the A and D bits reported. */
	if (w.fault == XPT_FAULT_NONE) {
		uint64_t before[5];
		for (unsigned i = 0; i < o.nread; i++)
			before[i] = mem[o.entry_pa[i] / 8];
		xpt_walk_set_ad(&xm, &w);
		for (unsigned i = 0; i < o.nread; i++) {
			uint64_t want = before[i] | BIT(5) | (o.set_d && i + 1 == o.nread ? BIT(6) : 0);
			/* entries read twice on one walk (a table that points to itself) get both */
			for (unsigned j = 0; j < o.nread; j++)
				if (o.entry_pa[j] == o.entry_pa[i])
					want |= BIT(5) | (o.set_d && j + 1 == o.nread ? BIT(6) : 0);
			if (mem[o.entry_pa[i] / 8] != want)
				report("entry after set_ad", va, acc, ctl, mem[o.entry_pa[i] / 8], want);
		}
	}
}

/*
 * Input: flags (2 bytes), pkru (4), maxphyaddr (1), window frames and CR3 (1),
 * then a count of entry writes (1) and that many writes (1 + 8 bytes: frame and
 * index choice, raw value, with an option to aim the address at a small frame),
 * then accesses (1 + 3 bytes: kind, index choices per level, offset / canonical).
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct xpt_ctl ctl;
	unsigned flags = u8(&in);
	flags |= (unsigned)u8(&in) << 8;
	ctl.flags = flags & XPT_CTL_MASK;
	ctl.pkru = (uint32_t)u8(&in) | (uint32_t)u8(&in) << 8 | (uint32_t)u8(&in) << 16 |
	           (uint32_t)u8(&in) << 24;
	ctl.maxphyaddr = (uint8_t)(36 + u8(&in) % 17);
	uint8_t wb = u8(&in);
	unsigned nframes = 1 + (wb & 15);
	ctl.cr3 = (uint64_t)(wb >> 4 & 7) << 12 | (wb & 0x80 ? 0x18 : 0); /* PWT/PCD ignored */

	memset(mem, 0, sizeof mem);
	unsigned nwrites = u8(&in) % 24;
	for (unsigned i = 0; i < nwrites; i++) {
		uint8_t sel = u8(&in);
		uint64_t raw = u64(&in);
		unsigned frame = sel & 7, index = idx_choice[(sel >> 3) & 15];
		if (sel & 0x80) {
			/* aim at frame 0..15; keep high address bits only sometimes */
			uint64_t keep = ((raw >> 52) & 0x7f) == 0x7f ? bits(16, 51) : 0;
			raw = (raw & ~bits(12, 51)) | ((raw >> 12) & 15) << 12 | (raw & keep);
		}
		mem[frame * 512 + index] = raw;
	}
	bool first = true;
	while (in.n > 0 || first) { /* at least one access */
		uint8_t k = u8(&in);
		first = false;
		uint32_t v = (uint32_t)u8(&in) | (uint32_t)u8(&in) << 8 | (uint32_t)u8(&in) << 16;
		unsigned acc = (k & 1 ? XPT_ACC_WRITE : 0) | (k & 2 ? XPT_ACC_USER : 0);
		if (k & 4)
			acc = (acc & XPT_ACC_USER) | XPT_ACC_FETCH;
		else if (k & 8)
			acc |= XPT_ACC_IMPLICIT;
		uint64_t va = 0;
		const unsigned shifts[5] = { 48, 39, 30, 21, 12 };
		for (unsigned l = 0; l < 5; l++)
			va |= (uint64_t)idx_choice[(v >> (4 * l)) & 15] << shifts[l];
		va |= (uint64_t)(k >> 4) * 0x1f8; /* an offset inside the page */
		unsigned canon_mode = (v >> 20) & 7;
		bool la57 = false;
#ifdef XPT_CTL_LA57
		la57 = ctl.flags & XPT_CTL_LA57;
#endif
		if (!la57)
			va &= bits(0, 47);
		if (canon_mode != 7) { /* sign-extend; 7 leaves it as built */
			unsigned top = la57 ? 56 : 47;
			if ((va >> top) & 1)
				va |= ~0ull << top;
		}
		if (canon_mode == 6)
			va ^= BIT(60); /* non-canonical */
		compare(&ctl, nframes, va, acc);
	}
	return 0;
}

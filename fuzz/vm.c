/*
 * Fuzz target `vm`: the address-space layer (xpt_vm.h) driven through
 * sequences of create, destroy, reserve, fault, user writes, fork, unmap,
 * protect, evict and dedup over up to four spaces, checked after every
 * operation against a shadow written plainly.  The spaces have 4 levels, or
 * 5 when the input ends in a byte left over after its last whole operation
 * (length 1 more than a multiple of 3) with bit 0 set; their 16 pages then
 * straddle the boundary of PML5 slots 1 and 2, far above 48 bits.
 *
 *
 *   - contents: the shadow holds, per space and page, the value last
 *     written there (0 for a fresh page, the parent's at fork, the file's
 *     on page-in); whatever the faults, copies, evictions and merges did,
 *     reading the page through the tables gives that value, so a write in
 *     one space never shows in another;
 *   - references: refs[f] equals the number of leaves, over all spaces,
 *     that map f (plus the harness's hold on the shared library frame),
 *     and a frame is allocated iff a table or a reference holds it;
 *   - copy-on-write: a leaf whose frame has two or more references is not
 *     writable;
 *   - frames: destroying every space brings the allocator back to the
 *     free count it had before the first space.
 *
 * Any violation calls abort() with a message on stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xpt_vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(...)                                                                      \
	do {                                                                           \
		fprintf(stderr, "vm: invariant violated (%s:%d, op %u): ", __FILE__,   \
		        __LINE__, opno);                                               \
		fprintf(stderr, __VA_ARGS__);                                          \
		fprintf(stderr, "\n");                                                 \
		abort();                                                               \
	} while (0)
#define CHECK(cond, ...)                                                               \
	do {                                                                           \
		if (!(cond))                                                           \
			FAIL(__VA_ARGS__);                                             \
	} while (0)

#define NFRAMES  1024u /* 4 MiB: small enough that frames run out */
#define NSPACES  4u
#define NPAGES   16u   /* the user pages every space may use: base + i * 4 KiB */
#define NREGION  14u   /* pages 0..13 take regions; 14 and 15 the shared library frame */
#define BASE4    0x400000ull
#define BASE5    ((2ull << 48) - 8 * 4096ull) /* pages 0..7 in PML5 slot 1, 8..15 in slot 2 */
#define MAXVMAS  6u
#define WORD     3u    /* the word of each page the harness writes */

static unsigned opno;
static uint64_t base; /* address of page 0 */

/* Shadow of one space: what each page holds, and whether it is reserved. */
struct shadow {
	bool live;
	bool reserved[NPAGES];
	bool file[NPAGES];
	bool writable[NPAGES];  /* the region allows writes */
	uint64_t value[NPAGES]; /* the word at WORD of the page, as the program sees it */
};

struct world {
	uint64_t words[NFRAMES * 512];
	uint64_t meta[4096];
	uint32_t refs[NFRAMES];
	struct xpt_mem mem;
	struct xpt_frames fa;
	struct xpt_vm vm;
	struct xpt_as as[NSPACES];
	struct xpt_vma vmas[NSPACES][MAXVMAS];
	struct shadow sh[NSPACES];
	uint64_t swap[NSPACES][NPAGES];   /* the word each evicted page left in swap */
	xpt_pfn lib;                      /* a frame the harness holds and shares */
	uint64_t free_before;
	struct xpt_flush fl;
};

static struct world w;

/* The file behind file-backed regions: page p holds 0xf11e0000 + p at WORD. */
static int file_read(void *ctx, uint64_t off, uint64_t *page)
{
	(void)ctx;
	memset(page, 0, 4096);
	page[WORD] = 0xf11e0000 + off / 4096;
	return XPT_OK;
}
static int file_write(void *ctx, uint64_t off, const uint64_t *page)
{
	(void)ctx, (void)off, (void)page;
	return XPT_OK; /* a shared file is not modelled: writes go nowhere */
}
static const struct xpt_pager file_pager = { file_read, file_write, NULL };

static int swap_read(void *ctx, uint64_t off, uint64_t *page)
{
	uint64_t *slots = ctx;
	memset(page, 0, 4096);
	page[WORD] = slots[(off - base) / 4096 % NPAGES];
	return XPT_OK;
}
static int swap_write(void *ctx, uint64_t off, const uint64_t *page)
{
	uint64_t *slots = ctx;
	slots[(off - base) / 4096 % NPAGES] = page[WORD];
	return XPT_OK;
}
static struct xpt_pager swap_pager[NSPACES];

/* ------------------------------------------------------------- checks */

/* The leaf mapping page p of space s, if any. */
static bool leaf_of(unsigned s, unsigned p, struct xpt_mapping *m)
{
	return xpt_translate(&w.as[s].sp, base + p * 4096ull, m) == XPT_OK;
}

static void check_contents(void)
{
	for (unsigned s = 0; s < NSPACES; s++) {
		if (!w.sh[s].live)
			continue;
		for (unsigned p = 0; p < NPAGES; p++) {
			struct xpt_mapping m;
			if (!leaf_of(s, p, &m))
				continue; /* not faulted in, or evicted: checked when touched */
			uint64_t got = w.words[m.pa / 8 + WORD];
			CHECK(got == w.sh[s].value[p], "space %u page %u holds %#llx, expected %#llx", s,
			      p, (unsigned long long)got, (unsigned long long)w.sh[s].value[p]);
		}
	}
}

static void check_refs(void)
{
	static uint32_t count[NFRAMES];
	memset(count, 0, sizeof count);
	if (w.lib != 0)
		count[w.lib]++;
	for (unsigned s = 0; s < NSPACES; s++) {
		struct xpt_mapping m;
		if (!w.sh[s].live)
			continue;
		uint64_t top = xpt_as_user_top(&w.as[s]);
		for (uint64_t va = 0; xpt_next_leaf_in(&w.as[s].sp, va, top, &m) == XPT_OK; va = m.va + 4096)
			count[m.pa / 4096]++;
	}
	for (unsigned s = 0; s < NSPACES; s++) {
		struct xpt_mapping m;
		if (!w.sh[s].live)
			continue;
		for (unsigned p = 0; p < NPAGES; p++)
			if (leaf_of(s, p, &m) && count[m.pa / 4096] > 1)
				CHECK(!(m.attr & XPT_WRITE), "space %u page %u writable while shared", s, p);
	}
	for (xpt_pfn f = 0; f < NFRAMES; f++) {
		CHECK(w.refs[f] == count[f], "frame %llu: refs %u, mapped %u times",
		      (unsigned long long)f, w.refs[f], count[f]);
		if (count[f] > 0)
			CHECK(!xpt_frame_is_free(&w.fa, f), "frame %llu referenced but free",
			      (unsigned long long)f);
	}
}

/* ---------------------------------------------------------- operations */

/* An access as user code makes it: fault until it completes (or is refused). */
static bool touch(unsigned s, unsigned p, bool write, uint64_t value)
{
	struct xpt_as *as = &w.as[s];
	uint64_t va = base + p * 4096ull;
	unsigned acc = XPT_ACC_USER | (write ? XPT_ACC_WRITE : 0);
	for (int tries = 0; tries < 3; tries++) {
		struct xpt_ctl ctl = xpt_space_ctl(&as->sp, XPT_CTL_WP | XPT_CTL_NXE, 0);
		struct xpt_walk wk;
		CHECK(xpt_walk(&w.mem, &ctl, va, acc, &wk) == XPT_OK, "walk");
		if (wk.fault == XPT_FAULT_NONE) {
			xpt_walk_set_ad(&w.mem, &wk);
			uint64_t *word = &w.words[(wk.pa & ~0xfffull) / 8 + WORD];
			CHECK(*word == w.sh[s].value[p], "space %u page %u reads %#llx, expected %#llx",
			      s, p, (unsigned long long)*word, (unsigned long long)w.sh[s].value[p]);
			if (write)
				*word = w.sh[s].value[p] = value;
			return true;
		}
		int err = xpt_as_fault(as, va, wk.error_code, &w.fl);
		bool allowed = w.sh[s].reserved[p] && (!write || w.sh[s].writable[p]);
		if (err == XPT_E_NOMEM)
			return false;
		CHECK((err == XPT_OK) == allowed, "fault at space %u page %u (write %d): %s", s, p,
		      write, xpt_strerror(err));
		if (err != XPT_OK)
			return false;
	}
	FAIL("access to space %u page %u never completed", s, p);
}

static void create(unsigned s)
{
	if (w.sh[s].live)
		return;
	if (xpt_as_create(&w.vm, &w.as[s], w.vmas[s], MAXVMAS, s & 1) != XPT_OK)
		return;
	memset(&w.sh[s], 0, sizeof w.sh[s]);
	w.sh[s].live = true;
	swap_pager[s] = (struct xpt_pager){ swap_read, swap_write, w.swap[s] };
	w.as[s].swap = &swap_pager[s];
}

static void destroy(unsigned s)
{
	if (!w.sh[s].live)
		return;
	CHECK(xpt_as_destroy(&w.as[s]) == XPT_OK, "destroy");
	w.sh[s].live = false;
}

/* File-backed regions stay read-only here: the file is not modelled, so a
 * written-back page could not be checked when it comes back. */
static void reserve(unsigned s, unsigned p, unsigned n, bool file, bool writable)
{
	xpt_attr attr;
	writable = writable && !file;
	attr = XPT_USER | XPT_NOEXEC | (writable ? XPT_WRITE : 0);
	n = n % 4u + 1u;
	if (p >= NREGION)
		return;
	if (p + n > NREGION)
		n = NREGION - p;
	bool overlap = false;
	for (unsigned i = p; i < p + n; i++)
		overlap |= w.sh[s].reserved[i];
	uint32_t nvmas = w.as[s].nvmas;
	int err = xpt_as_reserve(&w.as[s], base + p * 4096ull, n * 4096ull, attr,
	                         file ? &file_pager : NULL, file ? p * 4096ull : 0);
	/* Refused only over a region, or with the region table full. */
	CHECK(err == XPT_OK || (err == XPT_E_EXISTS && overlap) ||
	      (err == XPT_E_NOMEM && nvmas == MAXVMAS),
	      "reserve of pages %u..%u in space %u: %s", p, p + n - 1, s, xpt_strerror(err));
	if (err != XPT_OK)
		return;
	for (unsigned i = p; i < p + n; i++) {
		CHECK(!w.sh[s].reserved[i], "reserve over a reserved page");
		w.sh[s].reserved[i] = true;
		w.sh[s].file[i] = file;
		w.sh[s].writable[i] = writable;
		w.sh[s].value[i] = file ? 0xf11e0000 + i : 0;
	}
}

static void unmap(unsigned s, unsigned p, unsigned n)
{
	n = n % 4u + 1u;
	if (p + n > NPAGES)
		n = NPAGES - p;
	if (xpt_as_unmap(&w.as[s], base + p * 4096ull, n * 4096ull, &w.fl) != XPT_OK)
		return;
	for (unsigned i = p; i < p + n; i++)
		w.sh[s].reserved[i] = false;
}

static void protect(unsigned s, unsigned p, bool writable)
{
	xpt_attr attr = XPT_USER | XPT_NOEXEC | (writable ? XPT_WRITE : 0);
	if (!w.sh[s].reserved[p] || w.sh[s].file[p])
		return;
	if (xpt_as_protect(&w.as[s], base + p * 4096ull, 4096, attr, &w.fl) == XPT_OK)
		w.sh[s].writable[p] = writable;
}

static void fork_space(unsigned s, unsigned c)
{
	if (!w.sh[s].live || w.sh[c].live)
		return;
	if (xpt_as_fork(&w.as[s], &w.as[c], w.vmas[c], MAXVMAS, &w.fl) != XPT_OK)
		return;
	w.sh[c] = w.sh[s];
	swap_pager[c] = (struct xpt_pager){ swap_read, swap_write, w.swap[c] };
	w.as[c].swap = &swap_pager[c];
}

static void evict(unsigned s, unsigned n)
{
	uint64_t got;
	(void)xpt_as_evict(&w.as[s], n % 4u + 1u, &w.fl, &got);
}

/* What xpt_vm_set_trampoline must answer, written from its contract. */
static int tramp_expected(uint64_t va, uint64_t pa, uint64_t len)
{
	unsigned bits = w.vm.kernel.levels == 5 ? 57 : 48;
	uint64_t top = 1ull << (bits - 1), limit = 1ull << w.vm.kernel.maxphyaddr;
	if ((va | pa | len) % 4096)
		return XPT_E_ALIGN;
	if (va >= top && va < 0 - top)
		return XPT_E_NONCANONICAL;
	if (va < top)
		return XPT_E_INVAL;
	if (len > 0 - va)
		return XPT_E_NONCANONICAL;
	return pa > limit || len > limit - pa ? XPT_E_PHYS : XPT_OK;
}

/* A trampoline range from one byte: refused ones change nothing, and an
 * accepted one is taken back at once (the spaces here map none). */
static void probe_trampoline(unsigned arg)
{
	static const uint64_t vas[4] = { 0xffffffff80000000ull, 0xfffffffffffff000ull, 0x400000,
	                                 0x0000800000000000ull };
	static const uint64_t lens[4] = { 4096, 8192, 0, 4097 };
	uint64_t limit = 1ull << w.vm.kernel.maxphyaddr;
	uint64_t va = vas[arg & 3], len = lens[(arg >> 2) & 3];
	uint64_t pa = (arg & 0x10) ? limit - 4096 : (arg & 0x20) ? limit : 0x200000;
	uint64_t old_va = w.vm.tramp_va, old_pa = w.vm.tramp_pa, old_len = w.vm.tramp_len;
	int got = xpt_vm_set_trampoline(&w.vm, va, pa, len), want = tramp_expected(va, pa, len);
	CHECK(got == want, "trampoline %#llx+%#llx from %#llx: %d, the contract says %d",
	      (unsigned long long)va, (unsigned long long)len, (unsigned long long)pa, got, want);
	if (got == XPT_OK)
		CHECK(w.vm.tramp_va == va && w.vm.tramp_pa == pa && w.vm.tramp_len == len,
		      "an accepted trampoline not recorded");
	else
		CHECK(w.vm.tramp_va == old_va && w.vm.tramp_pa == old_pa && w.vm.tramp_len == old_len,
		      "a refused trampoline changed the vm");
	/* The probe leaves the vm as it found it. */
	w.vm.tramp_va = old_va;
	w.vm.tramp_pa = old_pa;
	w.vm.tramp_len = old_len;
}

static void share_lib(unsigned s, unsigned p, unsigned arg)
{
	if (p < NREGION) {
		probe_trampoline(arg);
		/* A hold on a frame beyond the allocator's is refused, and no
		 * count changes (check_refs). */
		CHECK(xpt_vm_frame_get(&w.vm, w.fa.nframes + arg) == XPT_E_RANGE, "a hold beyond the frames");
		CHECK(xpt_vm_frame_put(&w.vm, w.fa.nframes + arg) == XPT_E_DOUBLE_FREE,
		      "a release beyond the frames");
		return;
	}
	if (w.lib == 0)
		return;
	struct xpt_mapping m;
	if (leaf_of(s, p, &m))
		return;
	if (xpt_as_map_shared(&w.as[s], base + p * 4096ull, w.lib, XPT_USER | XPT_NOEXEC, &w.fl) ==
	    XPT_OK) {
		/* A mapping without a region: unmap takes it away like any other. */
		w.sh[s].value[p] = w.words[w.lib * 512 + WORD];
	}
}

static void dedup(void)
{
	struct xpt_as *spaces[NSPACES];
	struct xpt_flush fls[NSPACES];
	static struct xpt_vm_page scratch[NSPACES * NPAGES];
	uint32_t n = 0;
	uint64_t saved;
	for (unsigned s = 0; s < NSPACES; s++)
		if (w.sh[s].live)
			spaces[n] = &w.as[s], xpt_flush_init(&fls[n]), n++;
	CHECK(xpt_vm_dedup(spaces, n, scratch, NSPACES * NPAGES, fls, &saved) == XPT_OK, "dedup");
}

static void setup(unsigned levels)
{
	struct xpt_region r = { 0, NFRAMES * 4096ull, XPT_REGION_USABLE };
	memset(&w, 0, sizeof w);
	base = levels == 5 ? BASE5 : BASE4;
	w.mem = (struct xpt_mem){ w.words, NFRAMES };
	if (xpt_frames_init(&w.fa, &r, 1, w.meta, sizeof w.meta / 8) != XPT_OK ||
	    xpt_frames_reserve(&w.fa, 0, 4096) != XPT_OK ||
	    xpt_vm_init_levels(&w.vm, &w.mem, &w.fa, w.refs, 40, levels) != XPT_OK ||
	    xpt_frame_alloc(&w.fa, &w.lib) != XPT_OK || xpt_vm_frame_get(&w.vm, w.lib) != XPT_OK)
		abort();
	CHECK(w.vm.kernel.levels == levels, "a machine of %u levels, %u asked", w.vm.kernel.levels,
	      levels);
	w.words[w.lib * 512 + WORD] = 0x11b;
	w.free_before = w.fa.nfree;
	xpt_flush_init(&w.fl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup(size % 3 == 1 && (data[size - 1] & 1) ? 5 : 4);
	for (opno = 0; size >= 3 && opno < 200; opno++, data += 3, size -= 3) {
		unsigned s = data[0] % NSPACES, p = data[1] % NPAGES, arg = data[2];
		if (!w.sh[s].live && (data[0] >> 2) % 11 != 0) {
			create(s);
			continue;
		}
		switch ((data[0] >> 2) % 11) {
		case 0: create(s); break;
		case 1: reserve(s, p, arg, arg & 0x10, arg & 0x20); break;
		case 2: (void)touch(s, p, false, 0); break;
		case 3: (void)touch(s, p, true, ((uint64_t)opno << 8) | arg); break;
		case 4: fork_space(s, arg % NSPACES); break;
		case 5: unmap(s, p, arg); break;
		case 6: protect(s, p, arg & 1); break;
		case 7: evict(s, arg); break;
		case 8: share_lib(s, p, arg); break;
		case 9: dedup(); break;
		default: destroy(s); break;
		}
		xpt_flush_init(&w.fl);
		check_contents();
		check_refs();
	}
	for (unsigned s = 0; s < NSPACES; s++)
		destroy(s);
	check_refs();
	CHECK(w.fa.nfree == w.free_before, "frames leaked: %llu free, %llu before",
	      (unsigned long long)w.fa.nfree, (unsigned long long)w.free_before);
	return 0;
}

/*
 * Memory: the frame allocator from the Multiboot memory map, the
 * physical-memory window and the kernel's own address space -- all built
 * by the ref library.  The only tables not built by ref are the boot glue
 * of boot.S, dropped at the CR3 switch at the end of mm_init.
 */
#include "kernel.h"

#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MODS    (1u << 3)
#define MB_INFO_MMAP    (1u << 6)
#define MAX_REGIONS     64u
#define MIB             (UINT64_C(1) << 20)
#define BOOT_WINDOW     (UINT64_C(4) << 30) /* what boot.S maps */

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4], mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_mod {
	uint32_t start, end, string, reserved;
};

struct mb_mmap {
	uint32_t size;
	uint64_t base, len;
	uint32_t type;
} __attribute__((packed));

extern char _text[], _etext[], _user[], _end[];

struct mm mm;
static struct xpt_region regions[MAX_REGIONS];
static size_t nregions;
static char cmdline[256];

void *mm_phys(uint64_t pa)
{
	return (void *)(XPT_CASE_WINDOW_VA + pa);
}

uint64_t mm_virt_to_phys(const void *p)
{
	uint64_t v = (uint64_t)p;
	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - XPT_CASE_WINDOW_VA;
}

uint64_t mm_user_rip(void (*stub)(void))
{
	return XPT_CASE_STUB_VA + ((uint64_t)stub - (uint64_t)_user);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1u) & ~(a - 1u);
}

/* ------------------------------------------------------ boot information */

static bool read_mmap(const struct mb_info *mb)
{
	uint64_t p = mb->mmap_addr, end = p + mb->mmap_length;
	nregions = 0;
	while (p < end && nregions < MAX_REGIONS) {
		const struct mb_mmap *e = mm_phys(p);
		regions[nregions++] = (struct xpt_region){ e->base, e->len, e->type };
		p += e->size + 4u;
	}
	return nregions > 0;
}

static void read_modules(const struct mb_info *mb)
{
	const struct mb_mod *m = mm_phys(mb->mods_addr);
	mm.nmods = 0;
	if (!(mb->flags & MB_INFO_MODS))
		return;
	for (uint32_t i = 0; i < mb->mods_count && mm.nmods < 4; i++, mm.nmods++) {
		mm.mod[i].start = m[i].start;
		mm.mod[i].end = m[i].end;
	}
}

/* The end of the usable region holding [pa, pa + len), or 0. */
static uint64_t usable_end(uint64_t pa, uint64_t len)
{
	for (size_t i = 0; i < nregions; i++) {
		const struct xpt_region *r = &regions[i];
		if (r->type == XPT_REGION_USABLE && pa >= r->base && pa + len <= r->base + r->len)
			return r->base + r->len;
	}
	return 0;
}

/* ------------------------------------------------------------ allocator */

/* First free physical byte past the kernel image and the modules. */
static uint64_t image_end(void)
{
	uint64_t end = mm_virt_to_phys(_end);
	for (unsigned i = 0; i < mm.nmods; i++)
		end = mm.mod[i].end > end ? mm.mod[i].end : end;
	return align_up(end, XPT_PAGE_SIZE);
}

static int reserve_all(uint64_t meta_pa, uint64_t meta_bytes)
{
	int err = xpt_frames_reserve(&mm.fa, 0, MIB); /* BIOS data, Multiboot information */
	if (!err)
		err = xpt_frames_reserve(&mm.fa, KERNEL_PA, mm_virt_to_phys(_end) - KERNEL_PA);
	for (unsigned i = 0; !err && i < mm.nmods; i++)
		err = xpt_frames_reserve(&mm.fa, mm.mod[i].start, mm.mod[i].end - mm.mod[i].start);
	if (!err)
		err = xpt_frames_reserve(&mm.fa, meta_pa, meta_bytes);
	if (!err)
		err = xpt_frames_reserve(&mm.fa, XPT_CASE_POOL_PA, XPT_CASE_POOL_SIZE);
	if (!err && mm.res_cap)
		err = xpt_frames_reserve(&mm.fa, mm.res_pa, mm.res_cap);
	return err;
}

static bool frames_init(char *errbuf, size_t n)
{
	uint64_t span, words, meta_pa, meta_bytes, end;
	int err = xpt_frames_span(regions, nregions, &span);
	if (err || span * XPT_PAGE_SIZE > BOOT_WINDOW) {
		ser_snprintf(errbuf, n, "memory map: %s, or RAM beyond 4 GiB", xpt_strerror(err));
		return false;
	}
	words = xpt_frames_meta_words(span);
	meta_pa = image_end();
	meta_bytes = align_up(words * 8u, XPT_PAGE_SIZE);
	end = usable_end(meta_pa, meta_bytes);
	if (end == 0) {
		ser_snprintf(errbuf, n, "no usable RAM for %lu bytes of allocator metadata at %lx",
		             meta_bytes, meta_pa);
		return false;
	}
	/* Results take the rest of that region, from a 2 MiB boundary on; tables
	 * come from the RAM below the kernel. */
	mm.res_pa = align_up(meta_pa + meta_bytes, 2 * MIB);
	mm.res_cap = mm.res_pa < end ? end - mm.res_pa : 0;
	err = xpt_frames_init(&mm.fa, regions, nregions, mm_phys(meta_pa), words);
	if (!err)
		err = reserve_all(meta_pa, meta_bytes);
	if (err) {
		ser_snprintf(errbuf, n, "frame allocator: %s", xpt_strerror(err));
		return false;
	}
	mm.window = (struct xpt_mem){ mm_phys(0), span };
	return true;
}

/* --------------------------------------------------- kernel address space */

static int map_kernel(struct xpt_flush *fl)
{
	unsigned opts = (cpu.features & XPT_CASE_CPU_PDPE1GB) ? 0 : XPT_OPT_NO_1G;
	uint64_t text = (uint64_t)_text, etext = (uint64_t)_etext, end = (uint64_t)_end;
	struct xpt_space *ks = &mm.kspace;
	/* No NX anywhere in the kernel's entries: cases switch EFER.NXE off,
	 * which makes bit 63 reserved. */
	int err = xpt_map_range(ks, XPT_CASE_WINDOW_VA, 0, mm.window.nframes * XPT_PAGE_SIZE,
	                        XPT_WRITE, opts, fl);
	if (!err)
		err = xpt_map_range(ks, text, mm_virt_to_phys(_text), etext - text, 0, 0, fl);
	if (!err)
		err = xpt_map_range(ks, etext, mm_virt_to_phys(_etext), end - etext, XPT_WRITE, 0, fl);
	if (!err)
		err = xpt_map(ks, XPT_CASE_STUB_VA, mm_virt_to_phys(_user), XPT_4K, XPT_USER, fl);
	return err;
}

/* Top-level slots every case space copies: the stub's and the kernel
 * half's (PML4 slots 255.., or PML5 slots 0 and 256..). */
static void note_shared_slots(void)
{
	const uint64_t *root = &mm.window.words[mm.kspace.root * XPT_ENTRIES];
	mm.nshared = 0;
	for (unsigned i = 0; i < XPT_ENTRIES; i++)
		if (root[i] != 0 && !xpt_case_test_slot(i, mm.kspace.levels)) {
			mm.shared_idx[mm.nshared++] = i;
			mm.shared_slot[i] = root[i];
		}
}

bool mm_init(uint32_t mbi_pa, unsigned levels, char *errbuf, size_t n)
{
	const struct mb_info *mb = mm_phys(mbi_pa);
	struct xpt_flush fl;
	int err;

	if (!(mb->flags & MB_INFO_MMAP) || !read_mmap(mb)) {
		ser_snprintf(errbuf, n, "the boot loader gave no memory map");
		return false;
	}
	/* Copied: the loader may have put the string where the allocator's
	 * metadata goes next. */
	lib_strlcpy(cmdline, (mb->flags & MB_INFO_CMDLINE) ? mm_phys(mb->cmdline) : "", sizeof(cmdline));
	mm.cmdline = cmdline;
	read_modules(mb);
	boot_move_modules(); /* GRUB may load the batch where the case tables go (bochs.c) */
	if (!frames_init(errbuf, n))
		return false;
	err = xpt_space_init_levels(&mm.kspace, &mm.window, &mm.fa, cpu.maxphyaddr, levels);
	xpt_flush_init(&fl);
	if (!err)
		err = map_kernel(&fl);
	if (err) {
		ser_snprintf(errbuf, n, "kernel address space: %s", xpt_strerror(err));
		return false;
	}
	note_shared_slots();
	mm.kroot_cr3 = xpt_space_cr3(&mm.kspace);
	cpu_write_cr3(mm.kroot_cr3); /* a full flush: the record is moot */
	return true;
}

/* Every 8 bytes of the pool say where they are (XPT_CASE_PATTERN). */
void mm_fill_pool(void)
{
	uint64_t *w = mm_phys(XPT_CASE_POOL_PA);
	for (uint64_t i = 0; i < XPT_CASE_POOL_SIZE / 8u; i++)
		w[i] = xpt_case_pattern(XPT_CASE_POOL_PA + 8u * i);
}

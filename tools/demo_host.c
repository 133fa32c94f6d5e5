/*
 * Host demonstration of the core: an address space in simulated physical
 * memory, a mapping translated and walked, an unmap and the fault that
 * follows, and the stale translation a missing flush leaves in the TLB.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xpt.h"

#define MIB (1ull << 20)

static void fail(const char *what, int err)
{
	fprintf(stderr, "demo: %s: %s\n", what, xpt_strerror(err));
	exit(1);
}

static void show_access(struct xpt_tlb *tlb, const char *label, uint64_t va, unsigned access)
{
	struct xpt_walk w;
	int err = xpt_tlb_access(tlb, va, access, &w);
	if (err != XPT_OK)
		fail("access", err);
	if (w.fault == XPT_FAULT_NONE)
		printf("  %-38s va %#014llx -> pa %#llx\n", label, (unsigned long long)va,
		       (unsigned long long)w.pa);
	else if (w.fault == XPT_FAULT_PF)
		printf("  %-38s va %#014llx -> #PF error code %#x (P=%u W=%u U=%u)\n", label,
		       (unsigned long long)va, w.error_code, w.error_code & 1u,
		       (w.error_code >> 1) & 1u, (w.error_code >> 2) & 1u);
	else
		printf("  %-38s va %#014llx -> #GP\n", label, (unsigned long long)va);
}

/* The window as a raw physical-memory image, for tools/ptdump. */
static void save_image(const char *path, const struct xpt_mem *mem, const struct xpt_space *sp)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(mem->words, XPT_PAGE_SIZE, mem->nframes, f) != mem->nframes ||
	    fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	printf("\nimage of physical memory: %s (CR3 %#llx)\n", path,
	       (unsigned long long)xpt_space_cr3(sp));
}

int main(int argc, char **argv)
{
	const char *image = argc == 3 && strcmp(argv[1], "--image") == 0 ? argv[2] : NULL;
	/* 64 MiB of RAM above 1 MiB, with the usual hole below it. */
	struct xpt_region map[] = {
		{ 0x0, 0x9fc00, XPT_REGION_USABLE },
		{ 0x9fc00, 0x60400, 2 },
		{ 1 * MIB, 64 * MIB, XPT_REGION_USABLE },
	};
	uint64_t nframes, meta_words;
	struct xpt_frames fa;
	struct xpt_space sp;
	struct xpt_flush fl;
	struct xpt_mapping m;
	struct xpt_tlb tlb;
	int err;

	if ((err = xpt_frames_span(map, 3, &nframes)) != XPT_OK)
		fail("memory map", err);
	meta_words = xpt_frames_meta_words(nframes);
	uint64_t *meta = calloc(meta_words, sizeof *meta);
	struct xpt_mem mem = { calloc(nframes * XPT_ENTRIES, sizeof(uint64_t)), nframes };
	if (meta == NULL || mem.words == NULL)
		return 1;
	if ((err = xpt_frames_init(&fa, map, 3, meta, meta_words)) != XPT_OK)
		fail("frames", err);
	printf("frames: %llu usable of %llu covered, %llu free\n", (unsigned long long)fa.nusable,
	       (unsigned long long)fa.nframes, (unsigned long long)fa.nfree);

	if ((err = xpt_space_init(&sp, &mem, &fa, 40)) != XPT_OK)
		fail("space", err);
	printf("address space: PML4 in frame %llu (CR3 %#llx)\n", (unsigned long long)sp.root,
	       (unsigned long long)xpt_space_cr3(&sp));

	xpt_pfn data, other;
	if ((err = xpt_frame_alloc(&fa, &data)) != XPT_OK || (err = xpt_frame_alloc(&fa, &other)))
		fail("alloc", err);
	xpt_flush_init(&fl);
	uint64_t va = 0x0000400000001000ull, free_before = fa.nfree;
	if ((err = xpt_map(&sp, va, data << 12, XPT_4K, XPT_WRITE | XPT_USER | XPT_NOEXEC, &fl)))
		fail("map", err);
	printf("\nmap %#llx -> frame %llu (4 KiB, user, writable, no-exec): %llu new tables\n",
	       (unsigned long long)va, (unsigned long long)data,
	       (unsigned long long)(free_before - fa.nfree));
	if ((err = xpt_translate(&sp, va + 0x2a, &m)) != XPT_OK)
		fail("translate", err);
	printf("translate %#llx: pa %#llx (page %#llx + offset %#llx), size %s, eff %s%s%s\n",
	       (unsigned long long)(va + 0x2a), (unsigned long long)(m.pa + m.offset),
	       (unsigned long long)m.pa, (unsigned long long)m.offset, m.size == XPT_4K ? "4K" : "huge",
	       m.eff & XPT_WRITE ? "rw" : "ro", m.eff & XPT_USER ? " user" : " supervisor",
	       m.eff & XPT_NOEXEC ? " nx" : " x");

	if ((err = xpt_map_range(&sp, 0x40000000ull, 0, 64 * MIB, XPT_WRITE | XPT_NOEXEC, 0, &fl)))
		fail("map_range", err);
	if ((err = xpt_translate(&sp, 0x40000000ull + 3 * MIB, &m)) != XPT_OK)
		fail("translate", err);
	printf("map_range 64 MiB at 0x40000000: largest pages that fit; +3 MiB is a %s page\n",
	       m.size == XPT_2M ? "2 MiB" : "4 KiB");

	struct xpt_ctl ctl = xpt_space_ctl(&sp, XPT_CTL_WP | XPT_CTL_NXE, 0);
	struct xpt_arch arch = xpt_tlb_arch(&tlb);
	xpt_tlb_init(&tlb, &mem, &ctl);
	printf("\naccesses through the MMU model (software TLB):\n");
	show_access(&tlb, "user read", va, XPT_ACC_USER);
	show_access(&tlb, "user fetch (no-exec page)", va, XPT_ACC_USER | XPT_ACC_FETCH);
	show_access(&tlb, "user write to kernel range", 0x40000000ull, XPT_ACC_USER | XPT_ACC_WRITE);
	show_access(&tlb, "non-canonical read", 0x0000900000000000ull, XPT_ACC_READ);
	show_access(&tlb, "user read (the #PF dropped its entry)", va, XPT_ACC_USER);

	printf("\nremap %#llx to frame %llu, first WITHOUT applying the flush record:\n",
	       (unsigned long long)va, (unsigned long long)other);
	if ((err = xpt_unmap(&sp, va, 0, &m, &fl)) != XPT_OK)
		fail("unmap", err);
	printf("  unmap gave back pa %#llx; flush record: %u page(s)%s\n", (unsigned long long)m.pa,
	       fl.npages, fl.all ? " + all" : "");
	show_access(&tlb, "user read (stale TLB entry)", va, XPT_ACC_USER);
	if ((err = xpt_map(&sp, va, other << 12, XPT_4K, XPT_USER | XPT_NOEXEC, &fl)))
		fail("map", err);
	show_access(&tlb, "user read (still stale)", va, XPT_ACC_USER);
	xpt_flush_apply(&arch, &fl);
	printf("  flush record applied: invlpg %#llx\n", (unsigned long long)va);
	show_access(&tlb, "user read (fresh walk)", va, XPT_ACC_USER);

	if (image != NULL)
		save_image(image, &mem, &sp);
	if ((err = xpt_unmap(&sp, va, XPT_OPT_FREE_TABLES, NULL, &fl)) != XPT_OK)
		fail("unmap", err);
	xpt_flush_apply(&arch, &fl);
	show_access(&tlb, "user read after unmap + flush", va, XPT_ACC_USER);

	uint64_t before = fa.nfree;
	if ((err = xpt_space_destroy(&sp, true)) != XPT_OK)
		fail("destroy", err);
	printf("\ndestroy: %llu table frames returned; %llu free of %llu usable\n",
	       (unsigned long long)(fa.nfree - before), (unsigned long long)fa.nfree,
	       (unsigned long long)fa.nusable);
	free(meta);
	free(mem.words);
	return 0;
}

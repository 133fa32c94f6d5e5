/*
 * The smallest complete embedding of xpt, in the shape a kernel takes it:
 * a boot memory map, allocator metadata carved out of RAM itself, a window
 * onto physical memory, arch hooks, and a flush record applied once after a
 * batch of changes.  Here "physical memory" is one host buffer and the
 * hooks drive the software TLB; in a kernel the buffer is the offset
 * mapping and the hooks are invlpg and a CR3 write.
 */
#include <stdio.h>
#include <stdlib.h>

#include "xpt.h"

#define RAM_BYTES (32u << 20)

static uint64_t ram[RAM_BYTES / 8]; /* physical address 0 .. 32 MiB */

int main(void)
{
	/* 1. The memory map as the firmware gives it: here a hole at 640 KiB. */
	struct xpt_region map[] = {
		{ 0, 0xa0000, XPT_REGION_USABLE },
		{ 0xa0000, 0x60000, 2 },
		{ 0x100000, RAM_BYTES - 0x100000, XPT_REGION_USABLE },
	};
	uint64_t nframes, words;
	int err = xpt_frames_span(map, 3, &nframes);
	if (err != XPT_OK)
		return fprintf(stderr, "%s\n", xpt_strerror(err)), 1;

	/* 2. The allocator's metadata lives in RAM at 1 MiB; reserve it. */
	struct xpt_frames fa;
	words = xpt_frames_meta_words(nframes);
	uint64_t meta_pa = 0x100000;
	err = xpt_frames_init(&fa, map, 3, &ram[meta_pa / 8], words);
	if (err == XPT_OK)
		err = xpt_frames_reserve(&fa, meta_pa, words * 8);
	if (err == XPT_OK)
		err = xpt_frames_reserve(&fa, 0, 0x1000); /* keep frame 0 out of use */
	if (err != XPT_OK)
		return fprintf(stderr, "frames: %s\n", xpt_strerror(err)), 1;

	/* 3. The window: frame f is ram[f * 512]. */
	struct xpt_mem window = { ram, nframes };
	struct xpt_space sp;
	if ((err = xpt_space_init(&sp, &window, &fa, 40)) != XPT_OK)
		return fprintf(stderr, "space: %s\n", xpt_strerror(err)), 1;

	/* 4. The arch hooks. */
	struct xpt_tlb tlb;
	struct xpt_ctl ctl = xpt_space_ctl(&sp, XPT_CTL_WP | XPT_CTL_NXE, 0);
	xpt_tlb_init(&tlb, &window, &ctl);
	struct xpt_arch arch = xpt_tlb_arch(&tlb);

	/* 5. Map, change, and flush once. */
	struct xpt_flush fl;
	xpt_flush_init(&fl);
	xpt_pfn f;
	if ((err = xpt_frame_alloc(&fa, &f)) != XPT_OK ||
	    (err = xpt_map(&sp, 0x400000, f << 12, XPT_4K, XPT_USER | XPT_WRITE | XPT_NOEXEC, &fl)) ||
	    (err = xpt_map_range(&sp, 0xffff800000000000ull, 0, RAM_BYTES, XPT_WRITE | XPT_NOEXEC,
	                         0, &fl)))
		return fprintf(stderr, "map: %s\n", xpt_strerror(err)), 1;
	arch.load_cr3(arch.ctx, xpt_space_cr3(&sp));

	struct xpt_walk w;
	xpt_tlb_access(&tlb, 0x400010, XPT_ACC_USER | XPT_ACC_WRITE, &w);
	printf("user write to 0x400010 -> pa %#llx (frame %llu)\n", (unsigned long long)w.pa,
	       (unsigned long long)f);
	if (w.fault != XPT_FAULT_NONE || w.pa != (f << 12) + 0x10)
		return 1;

	if ((err = xpt_protect(&sp, 0x400000, XPT_USER | XPT_NOEXEC, &fl)) != XPT_OK)
		return fprintf(stderr, "protect: %s\n", xpt_strerror(err)), 1;
	xpt_flush_apply(&arch, &fl); /* one invlpg, for the one page that changed */
	xpt_tlb_access(&tlb, 0x400010, XPT_ACC_USER | XPT_ACC_WRITE, &w);
	printf("after protect and flush: #PF error code %#x\n", w.error_code);
	return w.fault == XPT_FAULT_PF && w.error_code == (XPT_PF_P | XPT_PF_W | XPT_PF_U) ? 0 : 1;
}

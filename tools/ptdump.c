/*
 * ptdump: print the page tables found in a physical-memory image (a raw
 * file where byte offset = physical address, such as the oracle kernel's
 * shared RAM file or QEMU's dump-guest-memory -z raw output), in the
 * format of Linux's ptdump, and check for mappings both writable and
 * executable.
 *
 *   ptdump [--wx] [--maxphyaddr M] [--la57] IMAGE CR3
 *
 * Exit status: 0, 1 if --wx found W+X ranges, 2 on bad input.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xpt.h"

static int usage(void)
{
	fprintf(stderr, "usage: ptdump [--wx] [--maxphyaddr M] [--la57] IMAGE CR3\n");
	return 2;
}

int main(int argc, char **argv)
{
	bool wx_check = false;
	unsigned maxphyaddr = XPT_MAXPHYADDR, levels = XPT_LEVELS;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--wx") == 0)
			wx_check = true;
		else if (strcmp(argv[i], "--la57") == 0)
			levels = XPT_MAX_LEVELS;
		else if (strcmp(argv[i], "--maxphyaddr") == 0 && i + 1 < argc)
			maxphyaddr = (unsigned)strtoul(argv[++i], NULL, 0);
		else
			return usage();
	}
	if (argc - i != 2 || maxphyaddr < 36 || maxphyaddr > 52)
		return usage();

	int fd = open(argv[i], O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < XPT_PAGE_SIZE) {
		fprintf(stderr, "ptdump: %s: cannot read a memory image\n", argv[i]);
		return 2;
	}
	void *image = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (image == MAP_FAILED) {
		perror("ptdump: mmap");
		return 2;
	}
	char *end;
	uint64_t cr3 = strtoull(argv[i + 1], &end, 16);
	struct xpt_space sp = {
		.mem = { image, (uint64_t)st.st_size / XPT_PAGE_SIZE },
		.root = (cr3 & ((1ull << maxphyaddr) - 1)) >> XPT_PAGE_SHIFT,
		.maxphyaddr = (uint8_t)maxphyaddr,
		.levels = (uint8_t)levels,
	};
	if (*end != '\0' || sp.root >= sp.mem.nframes) {
		fprintf(stderr, "ptdump: CR3 %s is not a frame of the image\n", argv[i + 1]);
		return 2;
	}

	struct xpt_dump d;
	struct xpt_range r;
	char line[XPT_DUMP_LINE];
	unsigned long ranges = 0, wx = 0;
	int err;
	xpt_dump_init(&d);
	while (xpt_dump_next(&sp, &d, &r, &err)) {
		xpt_range_format(&r, line, sizeof line);
		printf("%s%s\n", line, xpt_range_wx(&r) ? "   <-- W+X" : "");
		ranges++;
		wx += xpt_range_wx(&r);
	}
	if (err != XPT_OK) {
		fprintf(stderr, "ptdump: %s\n", xpt_strerror(err));
		return 2;
	}
	printf("---[ %lu ranges, %lu W+X ]---\n", ranges, wx);
	return wx_check && wx ? 1 : 0;
}

/*
 * ptdump: print the page tables found in a physical-memory image (a raw
 * file where byte offset = physical address, such as the oracle kernel's
 * shared RAM file or QEMU's dump-guest-memory -z raw output), in the
 * format of Linux's ptdump, and check for mappings both writable and
 * executable.
 *
 *   ptdump [--wx] [--maxphyaddr M] [--la57] [--svg FILE] IMAGE CR3
 *
 * --svg also draws the tree of tables: one box per table, a column per
 * level, each box with its present entries and the leaves it holds.
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
	fprintf(stderr, "usage: ptdump [--wx] [--maxphyaddr M] [--la57] [--svg FILE] IMAGE CR3\n");
	return 2;
}

/* ---------------------------------------------------------------- SVG */

#define SVG_MAX_TABLES 200
#define BOX_W 190
#define BOX_H 46
#define COL_W 250
#define ROW_H 58

struct svg {
	FILE *f;
	const struct xpt_space *sp;
	unsigned rows;   /* boxes drawn so far: the next box's row */
	unsigned tables;
};

static const char *const level_name[] = { "", "PT", "PD", "PDPT", "PML4", "PML5" };

/* Draw table t at `level` and everything below it; returns its row. */
static unsigned svg_table(struct svg *g, xpt_pfn t, unsigned level)
{
	unsigned row = g->rows++, present = 0, leaves = 0;
	unsigned x = (g->sp->levels - level) * COL_W + 10, y = row * ROW_H + 10;
	g->tables++;
	for (unsigned i = 0; i < XPT_ENTRIES; i++) {
		uint64_t e = g->sp->mem.words[t * XPT_ENTRIES + i];
		xpt_pfn child = (e & ((1ull << g->sp->maxphyaddr) - 1) & ~0xfffull) >> 12;
		if (!(e & XPT_PTE_P))
			continue;
		present++;
		if (level == 1 || (e & XPT_PTE_PS)) { /* a leaf, or reserved PS above: no table */
			leaves++;
			continue;
		}
		if (child >= g->sp->mem.nframes || g->tables >= SVG_MAX_TABLES)
			continue;
		unsigned crow = svg_table(g, child, level - 1);
		fprintf(g->f,
		        "<line x1='%u' y1='%u' x2='%u' y2='%u' stroke='#888'/>"
		        "<text x='%u' y='%u' font-size='10' fill='#555'>[%u]</text>\n",
		        x + BOX_W, y + BOX_H / 2, x + COL_W, crow * ROW_H + 10 + BOX_H / 2,
		        x + COL_W - 30, crow * ROW_H + 10 + BOX_H / 2 - 4, i);
	}
	fprintf(g->f,
	        "<rect x='%u' y='%u' width='%u' height='%u' rx='6' fill='%s' stroke='#333'/>"
	        "<text x='%u' y='%u' font-size='13' font-family='monospace'>%s frame %#llx</text>"
	        "<text x='%u' y='%u' font-size='11' font-family='monospace'>%u present, %u leaves</text>\n",
	        x, y, BOX_W, BOX_H, leaves ? "#dff0d8" : "#d9e8f5", x + 8, y + 18, level_name[level],
	        (unsigned long long)t, x + 8, y + 36, present, leaves);
	return row;
}

static int write_svg(const char *path, const struct xpt_space *sp)
{
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		return 2;
	}
	struct svg g = { tmpfile(), sp, 0, 0 };
	if (g.f == NULL)
		return 2;
	svg_table(&g, sp->root, sp->levels);
	fprintf(f, "<svg xmlns='http://www.w3.org/2000/svg' width='%u' height='%u'>\n",
	        sp->levels * COL_W + 20, g.rows * ROW_H + 20);
	rewind(g.f);
	for (int c; (c = fgetc(g.f)) != EOF;)
		fputc(c, f);
	fprintf(f, "</svg>\n");
	fclose(g.f);
	return fclose(f) == 0 ? 0 : 2;
}

int main(int argc, char **argv)
{
	const char *svg = NULL;
	bool wx_check = false;
	unsigned maxphyaddr = XPT_MAXPHYADDR, levels = XPT_LEVELS;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--wx") == 0)
			wx_check = true;
		else if (strcmp(argv[i], "--svg") == 0 && i + 1 < argc)
			svg = argv[++i];
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
	if (svg != NULL && write_svg(svg, &sp) != 0)
		return 2;
	return wx_check && wx ? 1 : 0;
}

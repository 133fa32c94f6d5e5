/* The leaf iterator and the ptdump-style dump. */
#include "util.h"

#include <string.h>

#define NF 1024u
#define UPPER 0xffff800000000000ull

static void map_sample(struct env *e)
{
	CHECK_ERR(xpt_map_range(&e->sp, 0x1000, 0x1000, 0x3000, XPT_WRITE | XPT_USER, 0, &e->fl),
	          XPT_OK);
	CHECK_ERR(xpt_map(&e->sp, 0x4000, 0x9000, XPT_4K, XPT_USER, &e->fl), XPT_OK);
	CHECK_ERR(xpt_map_range(&e->sp, 4 * MiB, 4 * MiB, 4 * MiB, XPT_WRITE, 0, &e->fl), XPT_OK);
	CHECK_ERR(xpt_map(&e->sp, 2 * GiB, 8 * GiB, XPT_1G, XPT_NOEXEC | XPT_GLOBAL, &e->fl),
	          XPT_OK);
	CHECK_ERR(xpt_map(&e->sp, UPPER + 0x1000, 0x5000, XPT_4K, XPT_CACHE(4), &e->fl), XPT_OK);
}

TEST(dump_next_leaf)
{
	struct env e;
	struct xpt_mapping m;
	if (!env_init(&e, NF, 52))
		return;
	CHECK_ERR(xpt_next_leaf(&e.sp, 0, &m), XPT_E_NOT_MAPPED);
	map_sample(&e);
	REQUIRE_OK(xpt_next_leaf(&e.sp, 0, &m));
	CHECK_EQ(m.va, 0x1000);
	CHECK_EQ(m.pa, 0x1000);
	CHECK_EQ(m.size, XPT_4K);
	CHECK_EQ(m.attr, XPT_WRITE | XPT_USER);
	CHECK_EQ(m.eff, XPT_WRITE | XPT_USER);
	/* An address inside a leaf finds that leaf. */
	REQUIRE_OK(xpt_next_leaf(&e.sp, 0x1234, &m));
	CHECK_EQ(m.va, 0x1000);
	REQUIRE_OK(xpt_next_leaf(&e.sp, 0x5000, &m));
	CHECK_EQ(m.va, 4 * MiB);
	CHECK_EQ(m.size, XPT_2M);
	REQUIRE_OK(xpt_next_leaf(&e.sp, 6 * MiB + 1, &m));
	CHECK_EQ(m.va, 6 * MiB);
	REQUIRE_OK(xpt_next_leaf(&e.sp, 8 * MiB, &m));
	CHECK_EQ(m.va, 2 * GiB);
	CHECK_EQ(m.pa, 8 * GiB);
	CHECK_EQ(m.size, XPT_1G);
	CHECK_EQ(m.attr, XPT_NOEXEC | XPT_GLOBAL);
	/* Past the lower half: on to the upper half. */
	REQUIRE_OK(xpt_next_leaf(&e.sp, 3 * GiB, &m));
	CHECK_EQ(m.va, UPPER + 0x1000);
	CHECK_EQ(m.pa, 0x5000);
	CHECK_EQ(m.attr, XPT_CACHE(4));
	/* From inside the non-canonical hole, too. */
	REQUIRE_OK(xpt_next_leaf(&e.sp, 0x0000800000000000ull, &m));
	CHECK_EQ(m.va, UPPER + 0x1000);
	REQUIRE_OK(xpt_next_leaf(&e.sp, 0x0000900000000000ull, &m));
	CHECK_EQ(m.va, UPPER + 0x1000);
	CHECK_ERR(xpt_next_leaf(&e.sp, UPPER + 0x2000, &m), XPT_E_NOT_MAPPED);
	/* eff combines the levels above. */
	uint64_t *pml4e = env_entry(&e, e.sp.root, 0);
	*pml4e &= ~XPT_PTE_RW;
	*pml4e |= XPT_PTE_NX;
	REQUIRE_OK(xpt_next_leaf(&e.sp, 0, &m));
	CHECK_EQ(m.attr, XPT_WRITE | XPT_USER);
	CHECK_EQ(m.eff, XPT_USER | XPT_NOEXEC);
	/* A table outside the window. */
	*env_entry(&e, e.sp.root, 3) = ((uint64_t)(NF + 2) << 12) | XPT_PTE_P | XPT_PTE_RW;
	CHECK_ERR(xpt_next_leaf(&e.sp, 3 * GiB, &m), XPT_E_WINDOW);
	env_free(&e);
}

TEST(dump_merges_runs)
{
	struct env e;
	struct xpt_dump d;
	struct xpt_range r[8];
	int err = -1;
	unsigned n = 0;
	if (!env_init(&e, NF, 52))
		return;
	map_sample(&e);
	xpt_dump_init(&d);
	CHECK_EQ(d.va, 0);
	CHECK(!d.done);
	while (n < 8 && xpt_dump_next(&e.sp, &d, &r[n], &err)) {
		CHECK_ERR(err, XPT_OK);
		n++;
	}
	CHECK_ERR(err, XPT_OK);
	REQUIRE_EQ(n, 5);
	CHECK_EQ(r[0].va, 0x1000);
	CHECK_EQ(r[0].len, 0x3000);
	CHECK_EQ(r[0].size, XPT_4K);
	CHECK_EQ(r[0].attr, XPT_WRITE | XPT_USER);
	CHECK_EQ(r[1].va, 0x4000);
	CHECK_EQ(r[1].len, 0x1000);
	CHECK_EQ(r[1].pa, 0x9000);
	CHECK_EQ(r[2].va, 4 * MiB);
	CHECK_EQ(r[2].len, 4 * MiB);
	CHECK_EQ(r[2].size, XPT_2M);
	CHECK_EQ(r[3].va, 2 * GiB);
	CHECK_EQ(r[3].len, 1 * GiB);
	CHECK_EQ(r[3].pa, 8 * GiB);
	CHECK_EQ(r[4].va, UPPER + 0x1000);
	CHECK_EQ(r[4].eff, 0);
	/* Exhausted: stays exhausted. */
	CHECK(!xpt_dump_next(&e.sp, &d, &r[0], &err));
	CHECK_ERR(err, XPT_OK);
	CHECK(d.done);
	/* An empty space dumps nothing. */
	struct env empty;
	if (!env_init(&empty, 16, 52))
		return;
	xpt_dump_init(&d);
	CHECK(!xpt_dump_next(&empty.sp, &d, &r[0], &err));
	CHECK_ERR(err, XPT_OK);
	env_free(&empty);
	/* A table outside the window stops the dump with the error. */
	*env_entry(&e, e.sp.root, 0) = ((uint64_t)(NF + 2) << 12) | XPT_PTE_P;
	xpt_dump_init(&d);
	CHECK(!xpt_dump_next(&e.sp, &d, &r[0], &err));
	CHECK_ERR(err, XPT_E_WINDOW);
	env_free(&e);
}

TEST(dump_format_and_wx)
{
	char buf[XPT_DUMP_LINE];
	struct xpt_range r = { 0x1000, 0x3000, 0x1000, XPT_4K, XPT_WRITE | XPT_USER,
		               XPT_WRITE | XPT_USER };
	const char *want = "0x0000000000001000-0x0000000000004000        12K USR RW"
	                   "                     x  pk 0 pte";
	size_t n = xpt_range_format(&r, buf, sizeof buf);
	CHECK_EQ(n, strlen(want));
	if (!CHECK(strcmp(buf, want) == 0))
		check_fail(__FILE__, __LINE__, "got \"%s\"", buf);
	CHECK(xpt_range_wx(&r));
	/* Huge, every flag, and eff differing from the leaf's own bits. */
	struct xpt_range g = { 0xffffffff80000000ull, 1 * GiB, 0, XPT_1G,
		               XPT_WRITE | XPT_CACHE(7) | XPT_GLOBAL | XPT_NOEXEC | XPT_PKEY(12),
		               XPT_NOEXEC };
	want = "0xffffffff80000000-0xffffffffc0000000         1G     RW PWT PCD PSE PAT GLB NX pk12"
	       " pud eff:sup,ro,NX";
	n = xpt_range_format(&g, buf, sizeof buf);
	CHECK_EQ(n, strlen(want));
	if (!CHECK(strcmp(buf, want) == 0))
		check_fail(__FILE__, __LINE__, "got \"%s\"", buf);
	CHECK(!xpt_range_wx(&g));
	/* A short buffer gets a truncated, terminated line; the length is the whole line's. */
	char small[11];
	memset(small, 'z', sizeof small);
	CHECK_EQ(xpt_range_format(&g, small, 10), strlen(want));
	CHECK(strcmp(small, "0xfffffff") == 0);
	CHECK_EQ(small[10], 'z');
	CHECK_EQ(xpt_range_format(&g, small, 0), strlen(want));
	CHECK_EQ(small[0], '0');
	/* 2 MiB pages: "4M ... PSE ... pmd". */
	struct xpt_range m = { 4 * MiB, 4 * MiB, 4 * MiB, XPT_2M, XPT_USER, XPT_USER };
	xpt_range_format(&m, buf, sizeof buf);
	CHECK(strstr(buf, "         4M USR ro") != NULL);
	CHECK(strstr(buf, " PSE") != NULL);
	CHECK(strstr(buf, "pmd") != NULL);
	CHECK(strstr(buf, "eff:") == NULL);
	CHECK(xpt_range_wx(&m) == false);
}

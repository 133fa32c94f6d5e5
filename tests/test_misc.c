/* Error strings, constants and the small inline helpers of xpt.h. */
#include "util.h"

#include <string.h>

TEST(misc_strerror_every_code)
{
	for (int err = 0; err < XPT_E_COUNT; err++) {
		const char *s = xpt_strerror(err);
		const char *name = err_name(err);
		size_t n = strlen(name);
		if (!CHECK(s != NULL))
			continue;
		/* "XPT_E_NOMEM: ..." with a description after the name. */
		if (!CHECK(strncmp(s, name, n) == 0 && s[n] == ':' && s[n + 1] == ' ' &&
		           strlen(s) > n + 5))
			check_fail(__FILE__, __LINE__, "code %d: \"%s\"", err, s);
		for (int other = 0; other < err; other++)
			CHECK(strcmp(s, xpt_strerror(other)) != 0);
	}
	CHECK(strncmp(xpt_strerror(XPT_E_NOMEM), "XPT_E_NOMEM: not enough free frames", 35) == 0);
	static const int bad[] = { -1, XPT_E_COUNT, XPT_E_COUNT + 1, 1000, -2147483647 - 1 };
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(strcmp(xpt_strerror(bad[i]), "XPT_E_?: unknown error code") == 0);
	/* The enum is dense and in the documented order. */
	CHECK_EQ(XPT_OK, 0);
	CHECK_EQ(XPT_E_INVAL, 1);
	CHECK_EQ(XPT_E_POLICY, 16);
	CHECK_EQ(XPT_E_COUNT, 17);
}

TEST(misc_sizes_and_entry_bits)
{
	CHECK_EQ(xpt_size_bytes(XPT_4K), 4096);
	CHECK_EQ(xpt_size_bytes(XPT_2M), 2 * MiB);
	CHECK_EQ(xpt_size_bytes(XPT_1G), 1 * GiB);
	CHECK_EQ(XPT_PAGE_SIZE, 1u << XPT_PAGE_SHIFT);
	CHECK_EQ(XPT_ENTRIES, 512);
	CHECK_EQ(XPT_MAXPHYADDR, 52);
	/* The entry layout of SDM Vol. 3A tables 4-14..4-20. */
	CHECK_EQ(XPT_PTE_P, 0x1);
	CHECK_EQ(XPT_PTE_RW, 0x2);
	CHECK_EQ(XPT_PTE_US, 0x4);
	CHECK_EQ(XPT_PTE_PWT, 0x8);
	CHECK_EQ(XPT_PTE_PCD, 0x10);
	CHECK_EQ(XPT_PTE_A, 0x20);
	CHECK_EQ(XPT_PTE_D, 0x40);
	CHECK_EQ(XPT_PTE_PS, 0x80);
	CHECK_EQ(XPT_PTE_PAT_4K, 0x80);
	CHECK_EQ(XPT_PTE_G, 0x100);
	CHECK_EQ(XPT_PTE_PAT_HUGE, 0x1000);
	CHECK_EQ(XPT_PTE_PK_MASK, 0x7800000000000000ull);
	CHECK_EQ(XPT_PTE_NX, 0x8000000000000000ull);
	/* Attribute encodings do not overlap and fill XPT_ATTR_MASK. */
	xpt_attr parts[] = { XPT_WRITE, XPT_USER, XPT_NOEXEC, XPT_GLOBAL, XPT_CACHE_MASK,
		             XPT_PKEY_MASK, XPT_SOFT_MASK };
	xpt_attr seen = 0;
	for (unsigned i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		CHECK_EQ(seen & parts[i], 0);
		seen |= parts[i];
	}
	CHECK_EQ(seen, XPT_ATTR_MASK);
	CHECK_EQ(XPT_CACHE(7), XPT_CACHE_MASK);
	CHECK_EQ(XPT_CACHE(9), XPT_CACHE(1));
	CHECK_EQ(XPT_PKEY(15), XPT_PKEY_MASK);
	CHECK_EQ(XPT_PKEY(16), 0);
	CHECK_EQ(XPT_SOFT(0) | XPT_SOFT(1) | XPT_SOFT(2), XPT_SOFT_MASK);
	/* Access bits sit where the #PF error code has them. */
	CHECK_EQ(XPT_ACC_WRITE, XPT_PF_W);
	CHECK_EQ(XPT_ACC_USER, XPT_PF_U);
	CHECK_EQ(XPT_ACC_FETCH, XPT_PF_ID);
	CHECK_EQ(XPT_FAULT_PF, 14);
	CHECK_EQ(XPT_FAULT_GP, 13);
}

TEST(misc_canonical_widths)
{
	static const uint64_t v[] = { 0, 0x00007fffffffffffull, 0x0000800000000000ull,
		                      0xffff800000000000ull, 0xffff7fffffffffffull,
		                      0x00ffffffffffffffull, 0x0100000000000000ull,
		                      0xff00000000000000ull, 0xfeffffffffffffffull, UINT64_MAX };
	static const bool c48[] = { 1, 1, 0, 1, 0, 0, 0, 0, 0, 1 };
	static const bool c57[] = { 1, 1, 1, 1, 1, 1, 0, 1, 0, 1 };
	for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++) {
		CHECK_EQ(xpt_canonical(v[i]), c48[i]);
		CHECK_EQ(xpt_canonical_width(v[i], 48), c48[i]);
		CHECK_EQ(xpt_canonical_width(v[i], 57), c57[i]);
	}
}

/*
 * The mapper against a shadow model, over random sequences of map, unmap
 * and protect calls (single and range forms, every option) in [0, 2 GiB):
 *
 *   - each call's result is predicted from the state before it (which
 *     pages are mapped, where the leaves start and end);
 *   - after a success, every page translates exactly as the shadow says,
 *     and the frames the allocator is missing are exactly the root plus
 *     the tables reachable from it; after XPT_OPT_FREE_TABLES no empty
 *     table touching the range is left;
 *   - after a failure, window, allocator and flush record are unchanged;
 *   - after the flush record is applied, a software TLB warmed before the
 *     call answers every sampled access exactly as a fresh walk does.
 */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NF      2048u               /* enough for every table of 2 GiB */
#define REGION  (2 * GiB)
#define NPAGES  (REGION / 4096)
#define SAMPLES 48u

struct model {
	struct env e;
	uint64_t base;          /* the region is [base, base + REGION); offsets below */
	uint64_t *pa;
	xpt_attr *attr;
	uint8_t *mapped;
	struct xpt_tlb tlb;
	struct xpt_arch arch;
	uint64_t seed;
	uint64_t sample[SAMPLES];
	struct snap s;
	unsigned ok, failed;
};

static uint64_t rnd(struct model *m)
{
	m->seed = m->seed * 6364136223846793005ull + 1442695040888963407ull;
	return m->seed >> 17;
}

/* ------------------------------------------------------------ checks */

/* Every page of the region translates as the shadow says. */
static bool shadow_matches(struct model *m)
{
	uint64_t va = 0;
	struct xpt_mapping lf;
	while (va < REGION) {
		int err = xpt_next_leaf(&m->e.sp, m->base + va, &lf);
		uint64_t hole_end = err == XPT_OK && lf.va - m->base < REGION ? lf.va - m->base : REGION;
		if (err != XPT_OK && !CHECK_ERR(err, XPT_E_NOT_MAPPED))
			return false;
		for (uint64_t p = va / 4096; p < hole_end / 4096; p++)
			if (m->mapped[p])
				return check_fail(__FILE__, __LINE__, "page 0x%llx should be mapped",
				                  (unsigned long long)(m->base + p * 4096));
		if (hole_end == REGION)
			return true;
		uint64_t bytes = xpt_size_bytes(lf.size);
		lf.va -= m->base;
		for (uint64_t off = 0; off < bytes; off += 4096) {
			uint64_t p = (lf.va + off) / 4096;
			if (!m->mapped[p] || m->pa[p] != lf.pa + off || m->attr[p] != lf.attr)
				return check_fail(__FILE__, __LINE__,
				                  "page 0x%llx: leaf says pa 0x%llx attr 0x%x, shadow "
				                  "%s pa 0x%llx attr 0x%x",
				                  (unsigned long long)(m->base + lf.va + off),
				                  (unsigned long long)(lf.pa + off), lf.attr,
				                  m->mapped[p] ? "mapped" : "unmapped",
				                  (unsigned long long)m->pa[p], m->attr[p]);
		}
		va = lf.va + bytes;
	}
	return true;
}

static bool table_empty(struct model *m, xpt_pfn t)
{
	for (unsigned i = 0; i < XPT_ENTRIES; i++)
		if (*env_entry(&m->e, t, i) != 0)
			return false;
	return true;
}

/* Tables below the root; any empty one that meets [lo, last] is reported. */
static uint64_t count_tables(struct model *m, xpt_pfn t, unsigned level, uint64_t base,
                             uint64_t lo, uint64_t last, bool *empty_left)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < XPT_ENTRIES; i++) {
		uint64_t e = *env_entry(&m->e, t, i);
		uint64_t span = (uint64_t)1 << (12 + 9 * (level - 1));
		uint64_t cb = base + i * span;
		if (level == 4 && i >= 256)
			cb |= 0xffff000000000000ull; /* the upper half, sign-extended */
		if (!(e & XPT_PTE_P) || (e & XPT_PTE_PS) || level == 1)
			continue;
		xpt_pfn c = (e & 0x000ffffffffff000ull) >> 12;
		n++;
		if (table_empty(m, c) && cb <= last && lo <= cb + (span - 1))
			*empty_left = true;
		n += count_tables(m, c, level - 1, cb, lo, last, empty_left);
	}
	return n;
}

static bool tables_accounted(struct model *m, uint64_t lo, uint64_t hi, bool free_tables)
{
	bool empty_left = false;
	uint64_t n = count_tables(m, m->e.sp.root, 4, 0, m->base + lo, m->base + hi - 1,
	                          &empty_left);
	bool ok = CHECK_EQ(m->e.fa.nfree, NF - 1 - n);
	if (free_tables && empty_left)
		ok = check_fail(__FILE__, __LINE__, "an empty table in [0x%llx, 0x%llx) was kept",
		                (unsigned long long)(m->base + lo), (unsigned long long)(m->base + hi));
	return ok;
}

/* After the record was applied, the TLB agrees with the tables. */
static bool tlb_agrees(struct model *m)
{
	for (unsigned i = 0; i < SAMPLES; i++) {
		static const unsigned acc[2] = { XPT_ACC_READ, XPT_ACC_USER };
		for (unsigned a = 0; a < 2; a++) {
			struct xpt_walk fresh, cached;
			CHECK_ERR(xpt_walk(&m->e.mem, &m->tlb.ctl, m->sample[i], acc[a], &fresh), XPT_OK);
			CHECK_ERR(xpt_tlb_access(&m->tlb, m->sample[i], acc[a], &cached), XPT_OK);
			bool same = fresh.fault == cached.fault &&
			            (fresh.fault != XPT_FAULT_NONE || fresh.pa == cached.pa);
			if (!same)
				return check_fail(__FILE__, __LINE__,
				                  "stale TLB at 0x%llx: walk %s 0x%llx, TLB %s 0x%llx",
				                  (unsigned long long)m->sample[i],
				                  fresh.fault ? "faults" : "gives",
				                  (unsigned long long)fresh.pa,
				                  cached.fault ? "faults" : "gives",
				                  (unsigned long long)cached.pa);
		}
	}
	return true;
}

/* --------------------------------------------------------- predictions */

/* The leaf holding page p, from the implementation's state before a call. */
static bool leaf_of(struct model *m, uint64_t va, uint64_t *base, uint64_t *bytes)
{
	struct xpt_mapping lf;
	if (xpt_translate(&m->e.sp, m->base + va, &lf) != XPT_OK)
		return false;
	*base = lf.va - m->base;
	*bytes = xpt_size_bytes(lf.size);
	return true;
}

static bool any_mapped(struct model *m, uint64_t va, uint64_t len)
{
	for (uint64_t p = va / 4096; p < (va + len) / 4096; p++)
		if (m->mapped[p])
			return true;
	return false;
}

static bool all_mapped(struct model *m, uint64_t va, uint64_t len)
{
	for (uint64_t p = va / 4096; p < (va + len) / 4096; p++)
		if (!m->mapped[p])
			return false;
	return true;
}

/* A leaf sticks out of [va, va+len): only its ends can be cut. */
static bool cuts_a_leaf(struct model *m, uint64_t va, uint64_t len)
{
	uint64_t b, n;
	if (leaf_of(m, va, &b, &n) && b < va)
		return true;
	if (leaf_of(m, va + len - 4096, &b, &n) && b + n > va + len)
		return true;
	return false;
}

/* ---------------------------------------------------------------- ops */

static uint64_t pick_va(struct model *m)
{
	switch (rnd(m) % 5) {
	case 0:
		return (rnd(m) % NPAGES) * 4096;
	case 1:
		return (rnd(m) % (REGION / (2 * MiB))) * 2 * MiB;
	case 2:
		return (rnd(m) % 2) * GiB;
	case 3: /* near a 2 MiB boundary */
		return (rnd(m) % (REGION / (2 * MiB))) * 2 * MiB + (rnd(m) % 5) * 4096 - 8192;
	default: /* near the 1 GiB boundary */
		return GiB + (rnd(m) % 2048) * 4096 - 4 * MiB;
	}
}

static uint64_t pick_len(struct model *m, uint64_t va)
{
	uint64_t len;
	switch (rnd(m) % 5) {
	case 0:
		len = (1 + rnd(m) % 8) * 4096;
		break;
	case 1:
		len = (1 + rnd(m) % 1200) * 4096;
		break;
	case 2:
		len = (1 + rnd(m) % 4) * 2 * MiB;
		break;
	case 3:
		len = GiB;
		break;
	default:
		len = (1 + rnd(m) % 3) * 2 * MiB + (rnd(m) % 3) * 4096;
		break;
	}
	if (va >= REGION)
		return 4096;
	return len > REGION - va ? REGION - va : len;
}

static xpt_attr pick_attr(struct model *m)
{
	return (xpt_attr)(rnd(m) & (XPT_WRITE | XPT_USER | XPT_NOEXEC | XPT_GLOBAL)) |
	       XPT_CACHE(rnd(m) % 8) | XPT_PKEY(rnd(m) % 16) | ((rnd(m) % 4) ? 0 : XPT_SOFT(1));
}

static void set_pages(struct model *m, uint64_t va, uint64_t len, uint64_t pa, xpt_attr a,
                      int what /* 0 unmap, 1 map, 2 protect */)
{
	for (uint64_t off = 0; off < len; off += 4096) {
		uint64_t p = (va + off) / 4096;
		if (what == 0) {
			m->mapped[p] = 0;
		} else if (what == 1) {
			m->mapped[p] = 1;
			m->pa[p] = pa + off;
			m->attr[p] = a;
		} else {
			m->attr[p] = a;
		}
	}
}

/* One random call; false when a check failed. */
static bool step(struct model *m)
{
	uint64_t va = pick_va(m) & (REGION - 1), len = pick_len(m, va);
	xpt_attr a = pick_attr(m);
	unsigned kind = (unsigned)(rnd(m) % 100);
	unsigned opts = (unsigned)(rnd(m) % 16) & (XPT_OPT_SPLIT | XPT_OPT_FREE_TABLES |
	                                          XPT_OPT_NO_1G | XPT_OPT_NO_2M);
	uint64_t pa, lo = va, hi = va + len;
	int want[2] = { XPT_OK, XPT_OK }, got;
	struct snap *s = &m->s;

	/* Warm the TLB. */
	for (unsigned i = 0; i < SAMPLES; i++) {
		struct xpt_walk w;
		m->sample[i] = i < SAMPLES / 2 ? (va & ~4095ull) + (rnd(m) % 1024) * 4096 - 2 * MiB
		                               : (rnd(m) % NPAGES) * 4096;
		m->sample[i] = m->base + (m->sample[i] & (REGION - 1));
		xpt_tlb_access(&m->tlb, m->sample[i], XPT_ACC_READ, &w);
	}
	snap_retake(s, &m->e);

	if (kind < 35) {
		/* map_range: pa keeps va's alignment to 1 GiB, 2 MiB, or only 4 KiB. */
		static const uint64_t deltas[] = { 0, 4 * GiB, 2 * MiB, 4096 };
		pa = va + deltas[rnd(m) % 4];
		if (any_mapped(m, va, len)) {
			want[0] = XPT_E_EXISTS;
			want[1] = XPT_E_HUGE;
		}
		got = xpt_map_range(&m->e.sp, m->base + va, pa, len, a, opts & ~XPT_OPT_SPLIT, &m->e.fl);
		if (got == XPT_OK)
			set_pages(m, va, len, pa, a, 1);
	} else if (kind < 45) {
		enum xpt_size size = (enum xpt_size)(rnd(m) % 3);
		uint64_t bytes = xpt_size_bytes(size);
		va &= ~(bytes - 1);
		pa = va + 8 * GiB;
		lo = va;
		hi = va + bytes;
		if (any_mapped(m, va, bytes)) {
			want[0] = XPT_E_EXISTS;
			want[1] = XPT_E_HUGE;
		} else {
			want[1] = XPT_E_HUGE; /* a table of smaller pages may be in the way */
		}
		got = xpt_map(&m->e.sp, m->base + va, pa, size, a, &m->e.fl);
		if (got == XPT_OK)
			set_pages(m, va, bytes, pa, a, 1);
	} else if (kind < 70) {
		bool split = opts & XPT_OPT_SPLIT;
		if (!split && cuts_a_leaf(m, va, len))
			want[0] = want[1] = XPT_E_HUGE;
		got = xpt_unmap_range(&m->e.sp, m->base + va, len, opts & (XPT_OPT_SPLIT | XPT_OPT_FREE_TABLES),
		                      &m->e.fl);
		if (got == XPT_OK)
			set_pages(m, va, len, 0, 0, 0);
	} else if (kind < 80) {
		uint64_t b, n;
		unsigned o = opts & (XPT_OPT_SPLIT | XPT_OPT_FREE_TABLES);
		if (!leaf_of(m, va, &b, &n)) {
			want[0] = want[1] = XPT_E_NOT_MAPPED;
		} else if (b != va) {
			if (!(o & XPT_OPT_SPLIT))
				want[0] = want[1] = XPT_E_HUGE;
			lo = va;
			hi = va + 4096;
		} else {
			lo = va;
			hi = va + n;
		}
		got = xpt_unmap(&m->e.sp, m->base + va, o, NULL, &m->e.fl);
		if (got == XPT_OK)
			set_pages(m, lo, hi - lo, 0, 0, 0);
		if (o & XPT_OPT_FREE_TABLES)
			opts |= XPT_OPT_FREE_TABLES;
	} else if (kind < 95) {
		/* A hole and a cut leaf: whichever the pass meets first. */
		bool cut = !(opts & XPT_OPT_SPLIT) && cuts_a_leaf(m, va, len);
		if (!all_mapped(m, va, len)) {
			want[0] = XPT_E_NOT_MAPPED;
			want[1] = cut ? XPT_E_HUGE : XPT_E_NOT_MAPPED;
		} else if (cut) {
			want[0] = want[1] = XPT_E_HUGE;
		}
		got = xpt_protect_range(&m->e.sp, m->base + va, len, a, opts & XPT_OPT_SPLIT, &m->e.fl);
		if (got == XPT_OK)
			set_pages(m, va, len, 0, a, 2);
	} else {
		uint64_t b, n;
		if (!leaf_of(m, va, &b, &n))
			want[0] = want[1] = XPT_E_NOT_MAPPED;
		else if (b != va)
			want[0] = want[1] = XPT_E_HUGE;
		else
			hi = va + n;
		got = xpt_protect(&m->e.sp, m->base + va, a, &m->e.fl);
		if (got == XPT_OK)
			set_pages(m, va, hi - va, 0, a, 2);
	}

	bool ok = true;
	if (got != want[0] && got != want[1]) {
		ok = check_fail(__FILE__, __LINE__,
		                "call %u kind %u at 0x%llx+0x%llx opts %u: %s, expected %s or %s",
		                m->ok + m->failed, kind, (unsigned long long)(m->base + va),
		                (unsigned long long)len, opts, err_name(got), err_name(want[0]),
		                err_name(want[1]));
	}
	if (got != XPT_OK) {
		m->failed++;
		ok = CHECK_UNCHANGED(s, &m->e) && ok;
	} else {
		m->ok++;
	}
	xpt_flush_apply(&m->arch, &m->e.fl);
	ok = ok && shadow_matches(m);
	ok = ok && tables_accounted(m, lo, hi, got == XPT_OK && (opts & XPT_OPT_FREE_TABLES) &&
	                                          kind >= 45 && kind < 80);
	ok = ok && tlb_agrees(m);
	return ok;
}

static void run_model(uint64_t base, uint64_t seed, unsigned steps)
{
	struct model m;
	memset(&m, 0, sizeof m);
	m.seed = seed;
	m.base = base;
	if (!env_init(&m.e, NF, 52))
		return;
	m.pa = calloc(NPAGES, sizeof *m.pa);
	m.attr = calloc(NPAGES, sizeof *m.attr);
	m.mapped = calloc(NPAGES, 1);
	if (!CHECK(m.pa != NULL && m.attr != NULL && m.mapped != NULL))
		return;
	struct xpt_ctl ctl = xpt_space_ctl(&m.e.sp, XPT_CTL_NXE | XPT_CTL_GBPAGES, 0);
	xpt_tlb_init(&m.tlb, &m.e.mem, &ctl);
	m.arch = xpt_tlb_arch(&m.tlb);
	for (unsigned i = 0; i < steps; i++)
		if (!step(&m)) {
			printf("  base 0x%llx, seed %llu, call %u\n", (unsigned long long)base,
			       (unsigned long long)seed, i);
			break;
		}
	/* The run was not vacuous. */
	CHECK(m.ok > steps / 4);
	CHECK(m.failed > steps / 20);
	CHECK(m.tlb.hits > 0);
	snap_free(&m.s);
	free(m.pa);
	free(m.attr);
	free(m.mapped);
	env_free(&m.e);
}

TEST(model_random_calls_low)
{
	run_model(0, 1, 300);
	run_model(0, 0x9e3779b97f4a7c15ull, 300);
}

/* [511 GiB, 513 GiB): across two PML4 entries. */
TEST(model_random_calls_across_pml4_entries)
{
	run_model(511 * GiB, 20260101, 300);
}

/* The last 2 GiB of the address space: ranges end at 2^64. */
TEST(model_random_calls_top_of_upper_half)
{
	run_model(0xffffffff80000000ull, 77, 300);
}

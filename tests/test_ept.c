/* EPT spaces built by the mapper, the EPT walk, and two-stage translation. */
#include <stdlib.h>

#include "util.h"

#define GUEST_HPA (16 * MiB) /* guest-physical 0 lives here in host memory */
#define GUEST_MEM (8 * MiB)

struct nested_env {
	struct env host;
	struct xpt_space ept;
	struct xpt_mem gmem;
	struct xpt_frames gfa;
	uint64_t *gmeta;
	struct xpt_space guest;
	uint64_t scratch[XPT_NESTED_SCRATCH];
};

static bool nested_init(struct nested_env *n)
{
	struct xpt_region r = { 0, GUEST_MEM, XPT_REGION_USABLE };
	uint64_t words = xpt_frames_meta_words(GUEST_MEM / 4096);
	if (!env_init(&n->host, (GUEST_HPA + GUEST_MEM) / 4096, 40))
		return false;
	n->gmem = (struct xpt_mem){ n->host.mem.words + GUEST_HPA / 8, GUEST_MEM / 4096 };
	n->gmeta = calloc(words, 8);
	return CHECK_ERR(xpt_frames_reserve(&n->host.fa, GUEST_HPA, GUEST_MEM), XPT_OK) &&
	       CHECK_ERR(xpt_space_init_ept(&n->ept, &n->host.mem, &n->host.fa, 40), XPT_OK) &&
	       CHECK_ERR(xpt_map_range(&n->ept, 0, GUEST_HPA, GUEST_MEM,
	                               XPT_WRITE | XPT_CACHE(XPT_MT_WB), 0, NULL), XPT_OK) &&
	       CHECK_ERR(xpt_frames_init(&n->gfa, &r, 1, n->gmeta, words), XPT_OK) &&
	       CHECK_ERR(xpt_space_init(&n->guest, &n->gmem, &n->gfa, 40), XPT_OK);
}

static void nested_free(struct nested_env *n)
{
	free(n->gmeta);
	env_free(&n->host);
}

static struct xpt_nested nwalk(struct nested_env *n, uint64_t gva, unsigned access)
{
	struct xpt_ctl ctl = xpt_space_ctl(&n->guest, XPT_CTL_WP | XPT_CTL_NXE, 0);
	struct xpt_nested r;
	CHECK_ERR(xpt_nested_walk(&n->host.mem, &ctl, xpt_eptp(&n->ept), 40, gva, access, n->scratch,
	                          &r), XPT_OK);
	return r;
}

TEST(ept_mapper_encodes_ept_entries_and_refuses_x86_only_attributes)
{
	static struct nested_env n;
	struct xpt_mapping m;
	REQUIRE(nested_init(&n));
	REQUIRE_OK(xpt_translate(&n.ept, 0x345678, &m));
	CHECK_EQ(m.pa + m.offset, GUEST_HPA + 0x345678);
	CHECK_EQ(m.size, XPT_2M);
	/* R W X, memory type WB (6) in bits 3..5, PS: no x86 P/US/G meaning. */
	CHECK_EQ(m.entry & 0xff, XPT_EPT_R | XPT_EPT_W | XPT_EPT_X | (6u << 3) | XPT_PTE_PS);
	CHECK_EQ(m.attr, XPT_WRITE | XPT_CACHE(XPT_MT_WB));
	CHECK_ERR(xpt_map(&n.ept, 0x40000000, 0, XPT_4K, XPT_USER, NULL), XPT_E_INVAL);
	CHECK_ERR(xpt_map(&n.ept, 0x40000000, 0, XPT_4K, XPT_CACHE(2), NULL), XPT_E_INVAL);
	CHECK_ERR(xpt_map(&n.ept, 1ull << 48, 0, XPT_4K, 0, NULL), XPT_E_PHYS);
	/* Guest-physical addresses above 2^47 are fine: there is no canonical hole. */
	REQUIRE_OK(xpt_map(&n.ept, 0x0000900000000000ull, 0x5000, XPT_4K, XPT_NOEXEC, NULL));
	REQUIRE_OK(xpt_translate(&n.ept, 0x0000900000000000ull, &m));
	CHECK_EQ(m.entry & 7, XPT_EPT_R);
	REQUIRE_OK(xpt_next_leaf(&n.ept, 0x0000800000000000ull, &m));
	CHECK_EQ(m.va, 0x0000900000000000ull);
	nested_free(&n);
}

TEST(ept_two_stage_walk_translates_and_says_which_stage_failed)
{
	static struct nested_env n;
	struct xpt_nested r;
	uint64_t pte_gpa;
	REQUIRE(nested_init(&n));
	REQUIRE_OK(xpt_map(&n.guest, 0x400000, 0x200000, XPT_4K, XPT_USER | XPT_WRITE, NULL));

	r = nwalk(&n, 0x400010, XPT_ACC_USER | XPT_ACC_WRITE);
	CHECK_EQ(r.stage, 0);
	CHECK_EQ(r.gpa, 0x200010);
	CHECK_EQ(r.hpa, GUEST_HPA + 0x200010);
	CHECK_EQ(r.guest.levels, 4);
	CHECK_EQ(r.guest.entry_pa[0], xpt_space_cr3(&n.guest)); /* guest-physical */

	/* Stage 1: the guest's own #PF, with the guest's error code. */
	r = nwalk(&n, 0x401000, XPT_ACC_USER);
	CHECK_EQ(r.stage, 1);
	CHECK_EQ(r.guest.fault, XPT_FAULT_PF);
	CHECK_EQ(r.guest.error_code, XPT_PF_U);
	r = nwalk(&n, 0x0000900000000000ull, XPT_ACC_READ);
	CHECK_EQ(r.stage, 1);
	CHECK_EQ(r.guest.fault, XPT_FAULT_GP);

	/* Stage 2 at the final address: the data page made read-only in EPT. */
	REQUIRE_OK(xpt_protect_range(&n.ept, 0x200000, 4096, XPT_CACHE(XPT_MT_WB), XPT_OPT_SPLIT,
	                             NULL));
	r = nwalk(&n, 0x400010, XPT_ACC_USER | XPT_ACC_WRITE);
	CHECK_EQ(r.stage, 2);
	CHECK(r.final);
	CHECK_EQ(r.gpa, 0x200010);
	CHECK_EQ(r.ept.outcome, XPT_EPT_VIOLATION);
	CHECK_EQ(r.ept.qual, XPT_EPTQ_WRITE | XPT_EPTQ_R | XPT_EPTQ_X);
	CHECK_EQ(nwalk(&n, 0x400010, XPT_ACC_USER).stage, 0);

	/* Stage 2 on the way: the guest's page table is not in EPT. */
	REQUIRE_OK(xpt_entry_at(&n.guest, 0x400000, 1, &pte_gpa));
	REQUIRE_OK(xpt_unmap_range(&n.ept, pte_gpa & ~0xfffull, 4096, XPT_OPT_SPLIT, NULL));
	r = nwalk(&n, 0x400010, XPT_ACC_USER);
	CHECK_EQ(r.stage, 2);
	CHECK(!r.final);
	CHECK_EQ(r.gpa, pte_gpa);
	CHECK_EQ(r.ept.qual, XPT_EPTQ_READ);
	nested_free(&n);
}

TEST(ept_walk_reports_misconfigurations)
{
	static struct nested_env n;
	struct xpt_ept_walk w;
	uint64_t pa;
	REQUIRE(nested_init(&n));
	REQUIRE_OK(xpt_entry_at(&n.ept, 0x600000, 2, &pa));
	uint64_t *e = env_word(&n.host, pa), good = *e;
	*e = (good & ~7ull) | XPT_EPT_W; /* writable but not readable */
	REQUIRE_OK(xpt_ept_walk(&n.host.mem, xpt_eptp(&n.ept), 40, 0x600000, XPT_ACC_READ, &w));
	CHECK_EQ(w.outcome, XPT_EPT_MISCONFIG);
	*e = (good & ~(7ull << 3)) | (2ull << 3); /* memory type 2 is reserved */
	REQUIRE_OK(xpt_ept_walk(&n.host.mem, xpt_eptp(&n.ept), 40, 0x600000, XPT_ACC_READ, &w));
	CHECK_EQ(w.outcome, XPT_EPT_MISCONFIG);
	*e = good | (1ull << 13); /* bits 12..20 of a 2 MiB leaf are reserved */
	REQUIRE_OK(xpt_ept_walk(&n.host.mem, xpt_eptp(&n.ept), 40, 0x600000, XPT_ACC_READ, &w));
	CHECK_EQ(w.outcome, XPT_EPT_MISCONFIG);
	*e = (good & ~7ull) | XPT_EPT_X; /* execute-only: allowed, reads violate */
	REQUIRE_OK(xpt_ept_walk(&n.host.mem, xpt_eptp(&n.ept), 40, 0x600000, XPT_ACC_FETCH, &w));
	CHECK_EQ(w.outcome, XPT_EPT_OK);
	REQUIRE_OK(xpt_ept_walk(&n.host.mem, xpt_eptp(&n.ept), 40, 0x600000, XPT_ACC_READ, &w));
	CHECK_EQ(w.outcome, XPT_EPT_VIOLATION);
	CHECK_EQ(w.qual, XPT_EPTQ_READ | XPT_EPTQ_X);
	*e = good;
	nested_free(&n);
}

/* Guest-physical addresses have 48 bits and no canonical form: past them
 * nothing translates, and below them a misaligned huge map is refused by
 * its alignment even from 2^47 up (fuzz/FINDINGS.md 6 and 7). */
TEST(ept_addresses_are_48_bits_with_no_canonical_form)
{
	static struct nested_env n;
	struct xpt_mapping m;
	REQUIRE(nested_init(&n));
	CHECK_ERR(xpt_translate(&n.ept, 0xfffffffffffff000ull, &m), XPT_E_PHYS);
	CHECK_ERR(xpt_translate(&n.ept, 1ull << 48, &m), XPT_E_PHYS);
	CHECK_ERR_UNCHANGED(&n.host, xpt_unmap(&n.ept, (1ull << 48) | 0x200000, 0, NULL, NULL),
	                    XPT_E_PHYS);
	CHECK_ERR_UNCHANGED(&n.host, xpt_map(&n.ept, 1ull << 47, 0x5000, XPT_2M,
	                                     XPT_WRITE | XPT_CACHE(XPT_MT_WB), NULL), XPT_E_ALIGN);
	CHECK_ERR_UNCHANGED(&n.host, xpt_map(&n.ept, (1ull << 47) + 0x1000, 0, XPT_1G,
	                                     XPT_CACHE(XPT_MT_WB), NULL), XPT_E_ALIGN);
	/* an aligned one there maps, and translates back */
	REQUIRE_OK(xpt_map(&n.ept, 1ull << 47, 0x200000, XPT_2M, XPT_CACHE(XPT_MT_WB), NULL));
	REQUIRE_OK(xpt_translate(&n.ept, (1ull << 47) + 0x1234, &m));
	CHECK_EQ(m.pa + m.offset, 0x201234);
	CHECK_EQ(m.size, XPT_2M);
	nested_free(&n);
}

/*
 * A small test framework: tests register themselves, CHECK and CHECK_EQ
 * record failures with file:line and the values involved, and main() runs
 * every test and ends with the line "N passed, N failed" (N counts test
 * functions).  The exit status is non-zero when any test failed.
 *
 *   TEST(frames_alloc_exhausts) { CHECK_EQ(f(), 3); }
 *
 * A test fails when any of its checks fails; the test keeps running after
 * a failed CHECK, and returns at once after a failed REQUIRE.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdbool.h>
#include <stdint.h>

struct check_test {
	const char *name;
	const char *file;
	int line;
	void (*fn)(void);
	struct check_test *next;
};

void check_register(struct check_test *t);
/* Record a failure of the running test.  Returns false, for REQUIRE. */
bool check_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool check_eq_u64(const char *file, int line, const char *a_txt, const char *b_txt, uint64_t a,
                  uint64_t b);
/* Failures of the running test so far. */
unsigned check_failures(void);

#define TEST(name)                                                                         \
	static void name(void);                                                            \
	static struct check_test check_t_##name = { #name, __FILE__, __LINE__, name, 0 };  \
	__attribute__((constructor)) static void check_reg_##name(void)                    \
	{                                                                                  \
		check_register(&check_t_##name);                                           \
	}                                                                                  \
	static void name(void)

#define CHECK(cond)                                                                        \
	((cond) ? true : check_fail(__FILE__, __LINE__, "CHECK(%s) failed", #cond))

/* Both sides are compared (and printed) as 64-bit unsigned values. */
#define CHECK_EQ(a, b) check_eq_u64(__FILE__, __LINE__, #a, #b, (uint64_t)(a), (uint64_t)(b))

#define REQUIRE(cond)                                                                      \
	do {                                                                               \
		if (!CHECK(cond))                                                          \
			return;                                                            \
	} while (0)

#define REQUIRE_EQ(a, b)                                                                   \
	do {                                                                               \
		if (!CHECK_EQ(a, b))                                                       \
			return;                                                            \
	} while (0)

#endif

/* The runner of the test framework declared in check.h. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Under AddressSanitizer: let a test install its own SIGSEGV handler
 * (test_flat.c counts page faults), and keep leak reports of a test that
 * stopped early at a REQUIRE from burying the closing line.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allow_user_segv_handler=1:detect_leaks=0";
}

#define MAX_REPORTED 20u /* failures printed per test; the rest are counted */

static struct check_test *tests;
static unsigned ntests;
static const struct check_test *running;
static unsigned failures;

void check_register(struct check_test *t)
{
	t->next = tests;
	tests = t;
	ntests++;
}

unsigned check_failures(void)
{
	return failures;
}

bool check_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	if (failures++ == 0)
		printf("FAIL %s (%s:%d)\n", running ? running->name : "?", running ? running->file : "?",
		       running ? running->line : 0);
	if (failures > MAX_REPORTED)
		return false;
	printf("  %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return false;
}

bool check_eq_u64(const char *file, int line, const char *a_txt, const char *b_txt, uint64_t a,
                  uint64_t b)
{
	if (a == b)
		return true;
	return check_fail(file, line,
	                  "CHECK_EQ(%s, %s) failed: 0x%llx (%lld) != 0x%llx (%lld)", a_txt, b_txt,
	                  (unsigned long long)a, (long long)a, (unsigned long long)b, (long long)b);
}

/* Tests run in the order of their files and lines. */
static int by_place(const void *x, const void *y)
{
	const struct check_test *a = *(const struct check_test *const *)x;
	const struct check_test *b = *(const struct check_test *const *)y;
	int c = strcmp(a->file, b->file);
	return c != 0 ? c : (a->line > b->line) - (a->line < b->line);
}

int main(int argc, char **argv)
{
	struct check_test **order = calloc(ntests ? ntests : 1, sizeof *order);
	unsigned n = 0, passed = 0, failed = 0;
	bool verbose = getenv("CHECK_VERBOSE") != NULL;
	if (order == NULL)
		return 2;
	for (struct check_test *t = tests; t != NULL; t = t->next)
		order[n++] = t;
	qsort(order, n, sizeof *order, by_place);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (unsigned i = 0; i < n; i++) {
		/* Optional arguments: run only tests whose name contains one of them. */
		bool chosen = argc < 2;
		for (int a = 1; a < argc && !chosen; a++)
			chosen = strstr(order[i]->name, argv[a]) != NULL;
		if (!chosen)
			continue;
		running = order[i];
		failures = 0;
		order[i]->fn();
		if (failures == 0) {
			passed++;
			if (verbose)
				printf("ok   %s\n", order[i]->name);
		} else {
			failed++;
			if (failures > MAX_REPORTED)
				printf("  ... %u failures in all\n", failures);
		}
	}
	running = NULL;
	free(order);
	printf("%u passed, %u failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}

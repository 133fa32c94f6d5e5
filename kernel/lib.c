/*
 * The four functions a freestanding compiler may call, and string helpers.
 * Word stores in C: under TCG a rep-prefixed string instruction costs a
 * translation-block dispatch per iteration, a plain loop does not.
 */
#include "kernel.h"

void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;
	uint64_t w = 0x0101010101010101ull * (uint8_t)c;
	while (n && ((uintptr_t)p & 7u)) {
		*p++ = (uint8_t)c;
		n--;
	}
	for (; n >= 32; n -= 32, p += 32) {
		((uint64_t *)p)[0] = w;
		((uint64_t *)p)[1] = w;
		((uint64_t *)p)[2] = w;
		((uint64_t *)p)[3] = w;
	}
	for (; n >= 8; n -= 8, p += 8)
		*(uint64_t *)p = w;
	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;
	if ((((uintptr_t)dp | (uintptr_t)sp) & 7u) == 0)
		for (; n >= 8; n -= 8, dp += 8, sp += 8)
			*(uint64_t *)dp = *(const uint64_t *)sp;
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;
	if (dp <= sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t lib_strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

bool lib_prefix(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

const char *lib_strstr(const char *hay, const char *needle)
{
	for (; *hay; hay++)
		if (lib_prefix(hay, needle))
			return hay;
	return NULL;
}

void lib_strlcpy(char *d, const char *s, size_t n)
{
	size_t i = 0;
	if (n == 0)
		return;
	for (; i + 1 < n && s[i]; i++)
		d[i] = s[i];
	d[i] = 0;
}

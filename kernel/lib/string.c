/*
 * string.c - the ISO C memory and string functions, for the kernel only
 * (host builds use libc).  Byte loops: clear first.  GCC may emit calls to
 * memcpy/memset/memmove/memcmp itself, so these names must exist even with
 * -fno-builtin.
 *
 * This file is not instrumented (KASAN cannot see inside it), so, as in
 * Linux, memcpy/memmove/memset check their whole ranges with KASAN first:
 * an overflowing memset is reported at its caller.
 */
#include "lib/kconfig.h"
#include "lib/string.h"
#include "mm/kasan.h"

#define CALLER_IP ((u64)__builtin_return_address(0))

static inline void string_check(const void *p, size_t n, bool write, u64 ip)
{
	if (CONFIG_KASAN && n)
		kasan_check_range(p, n, write, ip);
}

void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	string_check(src, n, false, CALLER_IP);
	string_check(dst, n, true, CALLER_IP);
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	string_check(src, n, false, CALLER_IP);
	string_check(dst, n, true, CALLER_IP);
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;

	string_check(dst, n, true, CALLER_IP);
	while (n--)
		*d++ = (u8)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	for (; n; n--, p++)
		if (*p == (u8)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++)
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
	return n ? NULL : (char *)haystack;
}

void strncpy_safe(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

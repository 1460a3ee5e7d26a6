/*
 * string.c - the string functions only userland needs, and strerror().
 * The rest (memcpy, strlen, strcmp ...) are kernel/lib/string.c, compiled
 * again into the user libc, so one implementation serves both sides.
 */
#include <string.h>

#include "uapi/canary.h"

char *strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

char *strncpy(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

char *strcat(char *dst, const char *src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

/* One case per line of uapi/errno.def. */
char *strerror(int errnum)
{
	switch (errnum) {
	case 0:
		return "success";
#define ERRNO(name, num, msg) case num: return msg;
#include "uapi/errno.def"
#undef ERRNO
	default:
		return "unknown error";
	}
}

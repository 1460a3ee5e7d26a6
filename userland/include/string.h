/*
 * string.h - the ISO C memory and string functions.  One implementation
 * serves kernel and userland: the functions the kernel also needs come
 * from kernel/lib/string.c (compiled again for the user libc), the rest
 * from userland/lib/string.c, which also holds strerror().
 */
#ifndef CANARY_USER_STRING_H
#define CANARY_USER_STRING_H

/* The functions the kernel has too (kernel/lib/string.c): declared once,
 * in the kernel's header. */
#include "lib/string.h"

/* userland/lib/string.c */
char *strcpy(char *dst, const char *src);
/* ISO semantics: pads with NULs up to n, and does NOT terminate dst when
 * src has n or more characters. */
char *strncpy(char *dst, const char *src, size_t n);
char *strcat(char *dst, const char *src);
char *strrchr(const char *s, int c);
/* The message for a POSITIVE error number (from uapi/errno.def):
 * strerror(-ret) for a failed call's ret.  Never NULL. */
char *strerror(int errnum);

#endif

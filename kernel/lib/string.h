/*
 * The C string and memory functions the kernel provides for itself.  The
 * prototypes match ISO C, so code shared with host tests links against the
 * host libc there and against kernel/lib/string.c in the kernel.
 */
#ifndef CANARY_LIB_STRING_H
#define CANARY_LIB_STRING_H

#include "lib/types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
/* Copy at most size-1 bytes of src and always NUL-terminate (size > 0). */
void strncpy_safe(char *dst, const char *src, size_t size);

#endif

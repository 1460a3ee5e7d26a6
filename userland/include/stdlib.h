/*
 * stdlib.h - memory allocation, number parsing, random numbers, abort.
 * exit() is a system call and is declared in <unistd.h>.
 *
 * malloc (userland/lib/malloc.c) is a first-fit free list over sbrk():
 * 16-byte aligned blocks, each with a header whose magic free() checks;
 * a bad or double free prints "free(): invalid pointer 0x..." and aborts.
 */
#ifndef CANARY_USER_STDLIB_H
#define CANARY_USER_STDLIB_H

#include <stddef.h>

void *malloc(size_t size);
void free(void *ptr);
void *calloc(size_t count, size_t size);
void *realloc(void *ptr, size_t size);

int atoi(const char *s);
long atol(const char *s);
/* base 0 (0x.., 0.., decimal), or 2..36; *end (if end) is set to the
 * first unparsed character.  Overflow saturates, as ISO C says (there is
 * no errno to set to ERANGE). */
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
int abs(int x);
long labs(long x);

/* A xorshift32 generator: fast and reproducible, not for secrets.  rand()
 * returns all 32 bits; srand(0) picks a fixed non-zero seed. */
#define RAND_MAX 0xffffffffu
void srand(unsigned seed);
unsigned rand(void);

/* There is no SIGABRT: abort() sends itself SIGKILL, and if that somehow
 * returns, exits with status 134 (128 + 6, what a shell shows for one). */
__attribute__((noreturn)) void abort(void);

#endif

/*
 * malloc.c - the user heap: malloc, free, calloc, realloc over sbrk().
 *
 * The heap is the memory between the first break we saw and the current
 * one, cut into blocks.  Every block starts with a 16-byte header, so
 * payloads are 16-byte aligned like the header:
 *
 *   heap_lo                                                      heap_hi
 *   | size magic | payload .... | size magic | next  (free) ....  |
 *   '------------- block -------'------------- block ------------'
 *
 * Free blocks are on one list sorted by address (K&R's malloc, 8.7); the
 * link lives in the first bytes of the free payload.  malloc takes the
 * first block big enough (first fit), splitting off the tail it needs;
 * free puts a block back in address order and merges it with a neighbour
 * that touches it on either side, so the heap does not crumble.
 *
 * Debugging aids: the header magic tells a live block from anything else,
 * and free() and realloc() check it (a bad pointer or a double free prints
 * "free(): invalid pointer" and aborts); new payloads are filled with
 * MALLOC_JUNK and freed ones with MALLOC_POISON, so code that reads
 * memory it never wrote, or uses memory after freeing it, sees a pattern.
 * Not thread-safe: Canary processes have one thread.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MALLOC_USED   0xa110c8edu	/* "allocated": header of a live block */
#define MALLOC_FREE   0xf4eeb10cu	/* "free block": on the free list */
#define MALLOC_MERGED 0xdeadb10cu	/* a header swallowed by a merge */
#define MALLOC_JUNK   0xcc		/* fills new payloads (as Pintos does) */
#define MALLOC_POISON 0x6b		/* fills freed payloads (Linux's POISON_FREE) */

#define MALLOC_ALIGN  16
#define MALLOC_CHUNK  (64 * 1024)	/* the least the heap grows by */

struct mblock {
	size_t size;		/* bytes of header + payload, a multiple of 16 */
	uint32_t magic;		/* MALLOC_USED or MALLOC_FREE */
	uint32_t unused;	/* keeps the header 16 bytes */
	struct mblock *next;	/* free only: next free block, higher address */
};

#define HDR_SIZE  offsetof(struct mblock, next)	/* 16: what a live block pays */
#define MIN_BLOCK (HDR_SIZE + MALLOC_ALIGN)	/* room for the header and next */

static struct mblock *free_list;	/* sorted by address */
static uintptr_t heap_lo, heap_hi;	/* [lo, hi): every block lies inside */

static void *payload(struct mblock *b)
{
	return (char *)b + HDR_SIZE;
}

static struct mblock *block_after(struct mblock *b)
{
	return (struct mblock *)((char *)b + b->size);
}

/* Put b on the free list in address order, merging it with neighbours. */
static void free_list_insert(struct mblock *b)
{
	struct mblock *prev = NULL, *cur = free_list;

	for (; cur && cur < b; prev = cur, cur = cur->next)
		;
	b->magic = MALLOC_FREE;
	b->next = cur;
	if (prev)
		prev->next = b;
	else
		free_list = b;
	if (cur && block_after(b) == cur) {
		b->size += cur->size;
		b->next = cur->next;
		cur->magic = MALLOC_MERGED;
	}
	if (prev && block_after(prev) == b) {
		prev->size += b->size;
		prev->next = b->next;
		b->magic = MALLOC_MERGED;
	}
}

/* Unlink and return the first free block of at least `need` bytes,
 * keeping the unused front of a bigger one on the list. */
static struct mblock *free_list_take(size_t need)
{
	struct mblock **pp, *b;

	for (pp = &free_list; (b = *pp); pp = &b->next) {
		if (b->size < need)
			continue;
		if (b->size - need < MIN_BLOCK) {
			*pp = b->next;
			return b;
		}
		b->size -= need;	/* b stays in place on the list */
		b = block_after(b);
		b->size = need;
		return b;
	}
	return NULL;
}

/* Ask sbrk() for at least `need` more bytes (a multiple of 16) and free
 * them into the heap.  Returns 0, or the negative errno of sbrk. */
static long heap_grow(size_t need)
{
	size_t chunk = need < MALLOC_CHUNK ? MALLOC_CHUNK : need;
	long brk = sbrk(0), pad, old;
	struct mblock *b;

	/* Start on a 16-byte boundary even if someone else left the break
	 * odd; chunks are multiples of 16, so the next one starts where this
	 * one ends and the two merge. */
	if (brk < 0)
		return brk;
	pad = -brk & (MALLOC_ALIGN - 1);
	old = sbrk(pad + (long)chunk);
	if (old < 0)
		return old;
	b = (struct mblock *)(old + pad);
	b->size = chunk;
	if (!heap_lo)
		heap_lo = (uintptr_t)b;
	heap_hi = (uintptr_t)b + chunk;
	free_list_insert(b);
	return 0;
}

void *malloc(size_t n)
{
	size_t need;
	struct mblock *b;

	if (n > SIZE_MAX / 2)	/* sbrk takes a long; also stops overflow below */
		return NULL;
	need = (n + HDR_SIZE + MALLOC_ALIGN - 1) & ~(size_t)(MALLOC_ALIGN - 1);
	if (need < MIN_BLOCK)
		need = MIN_BLOCK;
	b = free_list_take(need);
	if (!b && heap_grow(need) == 0)
		b = free_list_take(need);
	if (!b)
		return NULL;
	b->magic = MALLOC_USED;
	memset(payload(b), MALLOC_JUNK, b->size - HDR_SIZE);
	return payload(b);
}

/* The block of a pointer malloc returned; any other pointer (or one freed
 * already) fails a check here, and the program aborts. */
static struct mblock *block_of(void *p, const char *who)
{
	uintptr_t a = (uintptr_t)p;
	struct mblock *b = (struct mblock *)(a - HDR_SIZE);

	if (a % MALLOC_ALIGN || a < heap_lo + HDR_SIZE || a >= heap_hi ||
	    b->magic != MALLOC_USED || b->size < MIN_BLOCK ||
	    b->size % MALLOC_ALIGN || b->size > heap_hi - (uintptr_t)b) {
		dprintf(STDERR_FILENO, "%s(): invalid pointer %p\n", who, p);
		abort();
	}
	return b;
}

void free(void *p)
{
	struct mblock *b;

	if (!p)
		return;
	b = block_of(p, "free");
	memset(p, MALLOC_POISON, b->size - HDR_SIZE);
	free_list_insert(b);
}

void *calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size)
		return NULL;
	p = malloc(count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

void *realloc(void *p, size_t n)
{
	size_t have;
	void *q;

	if (!p)
		return malloc(n);
	if (!n) {
		free(p);
		return NULL;
	}
	have = block_of(p, "realloc")->size - HDR_SIZE;
	if (n <= have)
		return p;
	q = malloc(n);
	if (!q)
		return NULL;	/* p is still valid, as ISO C requires */
	memcpy(q, p, have);
	free(p);
	return q;
}

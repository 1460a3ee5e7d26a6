/*
 * slab.h - kernel object allocation: kmalloc/kfree over size-class caches,
 * typed caches (kmem_cache_create), and whole pages for large sizes
 * (slab.c).  The contract with KASAN is in mm/kasan.h.
 *
 * Results, including the edge cases a caller may meet:
 *   kmalloc(0)             returns ZERO_SIZE_PTR (16): not NULL, never
 *                          dereferenceable, and kfree() accepts it.
 *   kmalloc(n > KMALLOC_MAX_SIZE) or an impossible n (overflowing size
 *                          computations): NULL, with a warning.
 *   kfree(NULL), kfree(ZERO_SIZE_PTR): nothing.
 *   kfree(p) of a pointer kmalloc never returned: reported as an invalid
 *                          free (KASAN's report with SAN=1; a
 *                          "kfree: invalid pointer" warning otherwise), and
 *                          the allocator's state is left untouched.
 *   kfree(p) twice:        with SAN=1, KASAN's double-free report; with
 *                          CONFIG_SLAB_DEBUG alone, SLUB's "Object already
 *                          free"; either way the second free is refused.
 *                          With SAN=0 nothing notices: the object goes on
 *                          the free list twice and two later kmallocs
 *                          return it.
 * New objects are junk-filled (0xcc) unless __GFP_ZERO/kzalloc; freed ones
 * are poisoned (0x6b, POISON_FREE as in Linux) except their first word
 * (the free list's link), so a dangling read is recognisable.  Objects of
 * a cache with a constructor are neither: as in Linux, the ctor runs once
 * per object when its slab is made, and a freed object keeps its
 * constructed state for the next kmem_cache_alloc().
 *
 * Debugging is chosen at boot, as Linux's slub_debug= does (slab_set_debug):
 * F (consistency checks: the magic numbers and the object-start check that
 * make a bad kfree a report) and P (the junk and poison fills) are both on
 * by default - Linux turns them on with CONFIG_SLUB_DEBUG_ON.
 * slub_debug=- gives SLUB's production fast path: a bad kfree then
 * corrupts the free list silently and a dangling read sees stale data.
 * With SAN=1, KASAN checks every free whatever F says.
 *
 * Lock: none yet.  One CPU; kmalloc/kfree must not be called from
 * interrupt handlers until the slab lock arrives with the scheduler.
 */
#ifndef CANARY_MM_SLAB_H
#define CANARY_MM_SLAB_H

#include "lib/types.h"

#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(p) ((u64)(p) <= (u64)ZERO_SIZE_PTR)
#define KMALLOC_MAX_SIZE (4UL << 20)	/* largest kmalloc: one max-order block */
#define KMALLOC_MAX_CACHE_SIZE 4096	/* above this, whole pages */

#define POISON_FREE  0x6b
#define POISON_INUSE 0xcc		/* junk in a new object */

/* kmalloc objects are aligned to 8 bytes; to their size (up to a page) only
 * in a build without sanitizers or slab debugging, so do not rely on it. */
#define KMALLOC_MIN_ALIGN 8

typedef unsigned gfp_t;
#define GFP_KERNEL 0u
#define __GFP_ZERO 1u

struct kmem_cache;

/* slab_set_debug() flags, Linux's slub_debug letters. */
#define SLAB_CONSISTENCY_CHECKS 1u	/* F: magic numbers, object starts */
#define SLAB_POISON 2u			/* P: junk on allocation, poison on free */
#define SLAB_DEBUG_DEFAULT (SLAB_CONSISTENCY_CHECKS | SLAB_POISON)

/* Choose the debugging features (SLAB_DEBUG_DEFAULT until called).  Only
 * before slab_init(): an object freed without poison would fail the poison
 * check of a later allocation. */
void slab_set_debug(unsigned flags);

/* Create the kmalloc caches.  Once, at boot, after the page allocator and
 * before the first kmalloc (which panics if this has not run).  Calling it
 * again forgets every cache and object (the host tests do, to start clean). */
void slab_init(void);
/* Where allocation times come from (for tracks and kmemleak's jiffies):
 * now() is a raw clock that to_ns() converts when a report needs it; hz is
 * the tick for jiffies.  Until this is called every time is 0. */
void slab_set_clock(u64 (*now)(void), u64 (*to_ns)(u64 stamp), unsigned hz);

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *c);
void *kmem_cache_alloc(struct kmem_cache *c, gfp_t flags);
void kmem_cache_free(struct kmem_cache *c, void *obj);

void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
/* n * size with overflow checking: NULL if the product overflows. */
void *kmalloc_array(size_t n, size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
void kfree(const void *ptr);
/* Usable size of an allocated object (the size class). */
size_t ksize(const void *ptr);

/* What the allocator knows about the object an address falls in, for
 * reports.  Returns false if addr is not in a slab or large allocation. */
struct kmem_obj_info {
	const char *cache_name;	/* "kmalloc-64", a typed cache's name, or "kmalloc-large" */
	void *object;		/* start of the object the address is in or near */
	size_t object_size;	/* the cache's object size (size class) */
	size_t requested;	/* bytes the caller asked for (0 if unknown) */
	bool allocated;		/* currently allocated (not free, not quarantined) */
	u32 alloc_stack, free_stack;	/* stackdepot handles, 0 if unknown */
	int alloc_pid, free_pid;
	u64 alloc_time_ns, free_time_ns;
};
bool kmem_obj_lookup(const void *addr, struct kmem_obj_info *info);

/* Called by KASAN when a quarantined object may really be reused. */
void slab_free_quarantined(struct kmem_cache *c, void *obj);
/* Called by KASAN for a free it accepts, before poisoning: records the
 * "Freed by" track (CONFIG_SLAB_DEBUG; nothing otherwise).  Not called for
 * a double free, so the track still shows the first free. */
void slab_record_free(struct kmem_cache *c, void *obj);
/* The caller-usable size of c's objects (KASAN poisons [requested, size)
 * on allocation and [0, size) on free), and c's name. */
size_t kmem_cache_size(const struct kmem_cache *c);
const char *kmem_cache_name(const struct kmem_cache *c);

struct slab_stats {
	u64 objects_in_use;	/* allocated, not yet freed */
	u64 bytes_in_use;	/* their size classes (whole pages for large ones) */
	u64 pages;		/* pages held by all caches and large kmallocs */
	u64 allocs, frees;
	u64 invalid_frees;	/* kfree/kmem_cache_free calls refused as invalid */
};
void slab_get_stats(struct slab_stats *st);
/* Give every cache's kept empty slab back to the page allocator (after
 * draining KASAN's quarantine), as Linux's kmem_cache_shrink() does. */
void slab_shrink(void);
/* Print every cache (name, object size, objects, pages), for meminfo. */
void slab_print_caches(void);

/*
 * Leak check with exact accounting: slab_leak_begin() marks a point;
 * slab_leak_report() then prints every object allocated since the mark and
 * still allocated, in kmemleak's format (address, size - the cache's
 * object size, as Linux prints it - and the allocation stack when
 * CONFIG_SLAB_DEBUG records one), and returns how many there were.
 * Without CONFIG_SLAB_DEBUG, a slab whose free list is corrupted (a double
 * free, a write after free) cannot be checked and is named instead.
 */
void slab_leak_begin(void);
unsigned slab_leak_report(void);
/* Forget the mark, so a report lists every allocated object again (and,
 * without slab debugging, free the snapshot slab_leak_begin() took). */
void slab_leak_end(void);

#endif

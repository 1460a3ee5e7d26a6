/*
 * slab_internal.h - what slab.c (allocation) and slab_debug.c (tracks,
 * reports, leak check) share: the cache structure, the object slot layout
 * and the per-object track.  Nothing outside mm/slab*.c includes this.
 *
 * A slab is one block of 2^order pages from alloc_pages(), cut into
 * `objects` slots of `size` bytes; the first struct page of the block
 * (PG_slab) holds the slab's state.  One slot:
 *
 *   0            object_size   (ctor caches)     (KASAN)         (SLAB_DEBUG)
 *   +------------+-----------+-------------+------------------+---------------+
 *   | object     | pad to 8  | free pointer| redzone >= 16 B  | slab_track    |
 *   +------------+-----------+-------------+------------------+---------------+
 *   ^ obj, and the free pointer of a free object, unless the cache has a ctor
 *
 * Free objects are chained through a pointer stored inside them (SLUB's
 * trick: a free object's memory is unused, so the list costs nothing).  A
 * cache with a constructor keeps its objects constructed while free, so its
 * free pointer lives in a word of its own after the object instead.
 *
 * Lock: none yet (one CPU, no allocation from interrupt handlers); the
 * slab lock arrives with the scheduler's spinlocks.
 */
#ifndef CANARY_MM_SLAB_INTERNAL_H
#define CANARY_MM_SLAB_INTERNAL_H

#include "lib/current.h"
#include "lib/kconfig.h"
#include "lib/list.h"
#include "lib/stackdepot.h"
#include "lib/types.h"
#include "mm/page.h"
#include "mm/slab.h"
#include "sched/sched.h"

#define KMEM_CACHE_MAGIC 0x534c4142u	/* 'SLAB' */
#define SLAB_MAX_ORDER 3		/* a slab is at most 8 pages (SLUB's default) */
#define SLAB_NAME_MAX 24
#define KMALLOC_NR_CACHES 12		/* kmalloc-8 .. kmalloc-4096 */
#define SLAB_MAX_OBJECTS 4096		/* slots per slab, at most */

/* Values of slab_track.state; anything else means the track was overwritten. */
#define SLAB_TRACK_NEW       0u		/* never handed out (the slab is zeroed) */
#define SLAB_TRACK_ALLOCATED 0xa110ca7eu
#define SLAB_TRACK_FREE      0xf4eef4eeu

/* Who allocated and who freed one object (CONFIG_SLAB_DEBUG only). */
struct slab_track {
	u32 state;			/* SLAB_TRACK_* */
	u32 requested;			/* bytes asked for at the last allocation */
	u64 seq;			/* slab_alloc_seq at that allocation (leak check) */
	depot_stack_handle_t alloc_stack, free_stack;	/* 0: none */
	int alloc_pid, free_pid;
	u64 alloc_stamp, free_stamp;	/* slab_set_clock()'s clock; free: 0 = none */
	char comm[TASK_COMM_LEN] __attribute__((aligned(8)));	/* allocating task, for kmemleak's "comm" */
};

struct kmem_cache {
	u32 magic;		/* KMEM_CACHE_MAGIC while the cache exists */
	char name[SLAB_NAME_MAX];	/* "kmalloc-64", or kmem_cache_create()'s name */
	/* Geometry, fixed at creation (slab_cache_setup). */
	u32 object_size;	/* bytes usable by the caller */
	u32 fill_size;		/* object_size rounded up to 8: what junk and poison cover */
	u32 size;		/* one slot: object, free pointer, redzone, track */
	u32 align;		/* slot alignment, a power of two >= 8 */
	u32 fp_offset;		/* free pointer's offset in the slot */
	u32 track_offset;	/* struct slab_track's offset (CONFIG_SLAB_DEBUG) */
	u32 order;		/* a slab is 2^order pages */
	u32 slab_mask;		/* slab bytes - 1: an address's offset in its slab */
	u32 objects;		/* slots per slab */
	void (*ctor)(void *);	/* constructs each object once, when its slab is made */
	bool poison;		/* junk and poison fills: SLAB_POISON and no ctor */
	/*
	 * The active slab (SLUB's per-CPU slab; there is one CPU).  kmalloc
	 * pops `freelist`, and kfree of one of its objects pushes there:
	 * neither touches the slab's count or any list, which is what makes
	 * both O(1) in a handful of instructions.  While active, a slab is on
	 * no list, its own page->freelist is NULL and page->inuse counts all
	 * its objects as taken; slab_deactivate() gives the free ones back.
	 */
	void *freelist;		/* free objects of `active`; NULL: take another slab */
	struct page *active;	/* NULL: none */
	/*
	 * The other slabs, linked through their first page's lru.  When the
	 * active slab runs out, it goes to `full` and the first partial slab
	 * (or a new one) becomes active.  An empty slab waits at the tail of
	 * `partial`; a second one goes back to the page allocator at once.
	 */
	struct list_head partial;	/* slabs with free slots; the empty one last */
	struct list_head full;		/* slabs without free slots */
	u64 nr_slabs;
	u64 allocs, frees;	/* objects; allocs - frees are in use (or quarantined) */
	struct list_head list;	/* on slab_caches */
};

/* slab_set_debug()'s flags, fixed before slab_init(). */
extern unsigned slab_debug_flags;

/* Every cache, kmalloc ones first; large kmallocs (their first page's lru). */
extern struct list_head slab_caches;
extern struct list_head slab_large_list;
/* Sequence number of the latest allocation (0 before the first). */
extern u64 slab_alloc_seq;
extern u64 slab_leak_mark_seq;
/* Large kmalloc counters. */
extern u64 slab_large_pages, slab_large_allocs, slab_large_frees;

/* Who called kmalloc/kfree (Linux's _RET_IP_). */
#define SLAB_RET_IP ((u64)__builtin_return_address(0))

/* The allocator's lock: no preemption while the caches change.
 * Interrupt handlers do not allocate (slab.h says so), so on one CPU this
 * is enough, and it costs a counter instead of the pushf/cli/popf that
 * tripled a kmalloc under emulation.  SMP needs a spinlock here. */
static inline u64 slab_lock(void)
{
	preempt_disable();
	return 0;
}

static inline void slab_unlock(u64 flags)
{
	(void)flags;
	preempt_enable();
}
#define slab_likely(x) __builtin_expect(!!(x), 1)
#define slab_unlikely(x) __builtin_expect(!!(x), 0)

/* Words in objects are accessed with this type: the same memory is a free
 * pointer, junk and user data in turn, and may_alias tells GCC so. */
typedef u64 __attribute__((may_alias)) slab_word_t;

static inline u64 slab_bytes(const struct kmem_cache *c)
{
	return PAGE_SIZE << c->order;
}

static inline void *slab_base(const struct kmem_cache *c, const void *obj)
{
	/* Slabs are aligned to their size (alloc_pages' contract). */
	return (void *)((u64)obj & ~(u64)c->slab_mask);
}

static inline void **slab_fp(const struct kmem_cache *c, void *obj)
{
	return (void **)((char *)obj + c->fp_offset);
}

static inline struct slab_track *slab_track(const struct kmem_cache *c, void *obj)
{
	return (struct slab_track *)((char *)obj + c->track_offset);
}

/* Slot index of obj in its slab if obj is exactly a slot start, else -1. */
static inline s64 slab_obj_index(const struct kmem_cache *c, const void *obj)
{
	u32 off = (u32)((u64)obj & c->slab_mask);

	if (off % c->size || off / c->size >= c->objects)
		return -1;
	return off / c->size;
}

static inline bool slab_cache_valid(const struct kmem_cache *c)
{
	return c && c->magic == KMEM_CACHE_MAGIC;
}

/* The PG_slab first page of the slab that addr lies in, or NULL. */
struct page *slab_page_of(const void *addr);
/* Give the active slab's free objects back to it and file it on a list
 * (before walking a cache's lists, and when it runs out). */
void slab_deactivate(struct kmem_cache *c);
/* Deactivate every cache (the leak check walks every slab). */
void slab_deactivate_all(void);

/*
 * Fill bytes (a multiple of 8) with a 64-bit pattern.  Not memset: the
 * kernel's memset is KASAN-checked, and these objects are poisoned.
 * Eight words per turn while more than eight remain, then one jump into
 * the right number of single stores, so an object of up to 64 bytes is
 * filled without a loop: this fill is a third of a small kmalloc/kfree
 * pair, so its overhead matters.
 */
static inline void slab_fill(void *start, size_t bytes, u64 pattern)
{
	slab_word_t *w = start;
	size_t n = bytes / 8;

	/* Keep the pattern in a register: as a known constant, GCC would
	 * rebuild it (a 10-byte movabs) before every single store below. */
	__asm__("" : "+r"(pattern));
	for (; n > 8; n -= 8, w += 8) {
		w[0] = w[1] = w[2] = w[3] = w[4] = w[5] = w[6] = w[7] = pattern;
		/* Hide the loop from GCC, which would make it a memset call. */
		__asm__("" : "+r"(w));
	}
	switch (n) {
	case 8: w[7] = pattern; __attribute__((fallthrough));
	case 7: w[6] = pattern; __attribute__((fallthrough));
	case 6: w[5] = pattern; __attribute__((fallthrough));
	case 5: w[4] = pattern; __attribute__((fallthrough));
	case 4: w[3] = pattern; __attribute__((fallthrough));
	case 3: w[2] = pattern; __attribute__((fallthrough));
	case 2: w[1] = pattern; __attribute__((fallthrough));
	case 1: w[0] = pattern;
	}
}

#define SLAB_PATTERN(byte) (0x0101010101010101ULL * (u8)(byte))

/* slab_debug.c: forget the leak snapshot and counters (slab_init). */
void slab_debug_init(void);

/* slab_debug.c: tracks and checks (CONFIG_SLAB_DEBUG). */
void *slab_debug_check_next(struct kmem_cache *c, struct page *slab, void *obj, void *next);
void slab_debug_alloc(struct kmem_cache *c, struct page *slab, void *obj, size_t requested);
/* false: not an allocated object (double free), reported; do not free. */
bool slab_debug_check_free(struct kmem_cache *c, struct page *slab, void *obj, u64 ip);

/* Leak check without tracks: obj of slab is freed, so it no longer counts
 * as allocated before slab_leak_begin(). */
static inline void slab_leak_forget(struct kmem_cache *c, struct page *slab, void *obj)
{
	u32 i = (u32)((u64)obj & c->slab_mask) / c->size;

	slab->leak_old[i / 64] &= ~(1ULL << (i % 64));
}

/* Reports shared by both files. */
void slab_invalid_free(const void *p, u64 ip, const char *why);
/* SLUB's object report: banner with title, optional detail line, the
 * tracks, the slab and the first bytes of the object. */
void slab_report_object(struct kmem_cache *c, struct page *slab, void *obj,
			const char *title, const char *detail);

#endif

/*
 * slab.c - kernel object allocation: kmalloc/kfree over twelve size-class
 * caches (kmalloc-8 .. kmalloc-4096), typed caches (kmem_cache_create),
 * and whole pages for larger kmallocs.  Callers: everything in the kernel;
 * the layout of caches, slabs and slots is drawn in slab_internal.h.
 *
 * The fast path is SLUB's: each cache has an active slab (SLUB's per-CPU
 * slab) whose free objects sit on the cache's own list; kmalloc pops the
 * first and a kfree of one of its objects pushes it back, touching no
 * count and no list.  Both are O(1); the size class is a table lookup.
 * Frees to other slabs go on those slabs' lists (slab_free_to_slab).
 * Pages come from alloc_pages() only when a cache has no free slot, and a
 * cache gives its second empty slab back at once.
 *
 * New objects are junk-filled (POISON_INUSE), freed ones poisoned
 * (POISON_FREE) except for the free pointer word, so a dangling pointer
 * reads a recognisable pattern instead of plausible old data.
 *
 * KASAN: this file is built without -fsanitize (like Linux's mm/slub.c), as
 * it touches the free pointers and tracks of poisoned objects.  For the
 * same reason it fills memory with slab_fill(), never with the kernel's
 * KASAN-checked memset.  Tracks, checks and reports: slab_debug.c.
 *
 * Lock: none yet (one CPU, no allocation in interrupt handlers).
 */
#include "lib/current.h"
#include "lib/format.h"
#include "lib/ksym.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "mm/kasan.h"
#include "mm/page.h"
#include "mm/slab_internal.h"

#define SLAB_CACHE_INIT(c) { .partial = LIST_HEAD_INIT((c).partial), .full = LIST_HEAD_INIT((c).full) }
#define KMALLOC_CACHE_INIT(i) [i] = SLAB_CACHE_INIT(kmalloc_caches[i])

/*
 * The lists are valid from the start, so a kmalloc before slab_init()
 * finds no slab, goes to slab_new() and panics there with a clear message
 * instead of following a NULL pointer.
 */
static struct kmem_cache kmalloc_caches[KMALLOC_NR_CACHES] = {
	KMALLOC_CACHE_INIT(0), KMALLOC_CACHE_INIT(1), KMALLOC_CACHE_INIT(2),
	KMALLOC_CACHE_INIT(3), KMALLOC_CACHE_INIT(4), KMALLOC_CACHE_INIT(5),
	KMALLOC_CACHE_INIT(6), KMALLOC_CACHE_INIT(7), KMALLOC_CACHE_INIT(8),
	KMALLOC_CACHE_INIT(9), KMALLOC_CACHE_INIT(10), KMALLOC_CACHE_INIT(11),
};
static const u32 kmalloc_sizes[KMALLOC_NR_CACHES] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096,
};
/* The cache for a size, by (size + 7) / 8: a 4 KiB table instead of a
 * search through the classes on every kmalloc.  Filled by slab_init();
 * until then every size goes to kmalloc-8, whose slab_new() panics. */
static struct kmem_cache *kmalloc_cache_for[KMALLOC_MAX_CACHE_SIZE / 8 + 1] = {
	[0 ... KMALLOC_MAX_CACHE_SIZE / 8] = &kmalloc_caches[0],
};

/* The cache the struct kmem_caches of kmem_cache_create() come from. */
static struct kmem_cache kmem_cache_boot = SLAB_CACHE_INIT(kmem_cache_boot);

unsigned slab_debug_flags = SLAB_DEBUG_DEFAULT;

void slab_set_debug(unsigned flags)
{
	slab_debug_flags = flags & SLAB_DEBUG_DEFAULT;
}

LIST_HEAD(slab_caches);
LIST_HEAD(slab_large_list);
u64 slab_alloc_seq, slab_leak_mark_seq;
u64 slab_large_pages, slab_large_allocs, slab_large_frees;

/* KASAN's redzone after an object: bigger objects get bigger ones, so an
 * overflow by a few elements of a big array still lands in poison
 * (Linux's optimal_redzone()). */
static u32 slab_kasan_redzone(u32 size)
{
	if (size <= 64 - 16)
		return 16;
	if (size <= 128 - 32)
		return 32;
	if (size <= 512 - 64)
		return 64;
	if (size <= 4096 - 128)
		return 128;
	if (size <= (1 << 14) - 256)
		return 256;
	return 512;
}

/* The smallest slab order that wastes at most 1/8 of the slab, or else
 * the one that wastes the least; -1 if the slot does not fit at all. */
static int slab_choose_order(u32 size)
{
	int best = -1;
	u64 best_waste = 0, best_bytes = 1;

	for (int o = 0; o <= SLAB_MAX_ORDER; o++) {
		u64 bytes = PAGE_SIZE << o, waste = bytes % size;

		if (bytes < size)
			continue;
		if (waste * 8 <= bytes)
			return o;
		if (best < 0 || waste * best_bytes < best_waste * bytes) {
			best = o;
			best_waste = waste;
			best_bytes = bytes;
		}
	}
	return best;
}

/* Lay out c's slots and make it an empty cache; false if it cannot be. */
static bool slab_cache_setup(struct kmem_cache *c, const char *name, size_t size,
			     size_t align, void (*ctor)(void *))
{
	u32 off;
	int order;

	if (size == 0 || size > (PAGE_SIZE << SLAB_MAX_ORDER) || (align & (align - 1)) ||
	    align > PAGE_SIZE)
		return false;
	ksnprintf(c->name, sizeof(c->name), "%s", name);
	c->object_size = (u32)size;
	c->fill_size = (u32)ALIGN_UP(size, 8);
	c->align = (u32)MAX(align, (size_t)8);
	c->ctor = ctor;
	c->poison = (slab_debug_flags & SLAB_POISON) && !ctor;
	off = (u32)ALIGN_UP(size, 8);
	c->fp_offset = 0;
	if (ctor) {	/* keep constructed objects intact while free */
		c->fp_offset = off;
		off += 8;
	}
	if (CONFIG_KASAN)
		off += slab_kasan_redzone((u32)size);
	c->track_offset = 0;
	if (CONFIG_SLAB_DEBUG) {
		c->track_offset = off;
		off += sizeof(struct slab_track);
	}
	c->size = (u32)ALIGN_UP(off, c->align);
	order = slab_choose_order(c->size);
	if (order < 0)
		return false;
	c->order = (u32)order;
	c->slab_mask = (u32)(slab_bytes(c) - 1);
	c->objects = (u32)MIN(slab_bytes(c) / c->size, (u64)SLAB_MAX_OBJECTS);
	INIT_LIST_HEAD(&c->partial);
	INIT_LIST_HEAD(&c->full);
	c->freelist = NULL;
	c->active = NULL;
	c->nr_slabs = c->allocs = c->frees = 0;
	c->magic = KMEM_CACHE_MAGIC;
	list_add_tail(&c->list, &slab_caches);
	return true;
}

void slab_init(void)
{
	INIT_LIST_HEAD(&slab_caches);
	INIT_LIST_HEAD(&slab_large_list);
	slab_alloc_seq = slab_leak_mark_seq = 0;
	slab_large_pages = slab_large_allocs = slab_large_frees = 0;
	slab_debug_init();
	for (unsigned i = 0; i < KMALLOC_NR_CACHES; i++) {
		char name[SLAB_NAME_MAX];

		ksnprintf(name, sizeof(name), "kmalloc-%u", kmalloc_sizes[i]);
		BUG_ON(!slab_cache_setup(&kmalloc_caches[i], name, kmalloc_sizes[i],
					 KMALLOC_MIN_ALIGN, NULL));
	}
	BUG_ON(!slab_cache_setup(&kmem_cache_boot, "kmem_cache", sizeof(struct kmem_cache), 8, NULL));
	for (unsigned i = 0, k = 0; i < ARRAY_SIZE(kmalloc_cache_for); i++) {
		while (kmalloc_sizes[k] < i * 8)
			k++;
		kmalloc_cache_for[i] = &kmalloc_caches[k];
	}
}

/* Mark a block from alloc_pages() as its user's: flag on the first page,
 * PG_tail and a back pointer on the others (struct pages of one block are
 * consecutive). */
static void slab_mark_block(struct page *head, unsigned order, u32 flag)
{
	head->flags |= flag;
	for (u64 i = 1; i < (1ULL << order); i++) {
		head[i].flags |= PG_tail;
		head[i].head = head;
	}
}

static void slab_unmark_block(struct page *head, unsigned order, u32 flag)
{
	head->flags &= ~flag;
	for (u64 i = 1; i < (1ULL << order); i++) {
		head[i].flags &= ~PG_tail;
		head[i].head = NULL;
	}
}

/* A new slab for c, on its partial list; NULL if out of pages. */
static __attribute__((noinline)) struct page *slab_new(struct kmem_cache *c)
{
	if (!slab_cache_valid(c))
		panic("slab: cache %016llx used before slab_init() or after destroy",
		      (unsigned long long)(u64)c);
	char *base = alloc_pages(c->order);

	if (!base) {
		pr_warn("%s: page allocation failure: order:%u, cache %s\n", current_comm(),
			c->order, c->name);
		return NULL;
	}
	struct page *slab = virt_to_page(base);
	u32 obj_end = c->fill_size;

	BUG_ON(!slab || slab->magic != PAGE_MAGIC);
	slab_mark_block(slab, c->order, PG_slab);
	slab->slab_cache = c;
	slab->inuse = 0;
	slab->freelist = base;
	slab->leak_old = NULL;	/* all its objects are new to a leak check */
	/* Free slots hold POISON_FREE (ctor caches: zeroes, then the ctor);
	 * redzones and tracks start zeroed (SLAB_TRACK_NEW). */
	slab_fill(base, slab_bytes(c), 0);
	for (u32 i = 0; i < c->objects; i++) {
		char *obj = base + (u64)i * c->size;

		if (c->ctor)
			c->ctor(obj);
		else
			slab_fill(obj, obj_end, SLAB_PATTERN(POISON_FREE));
		*slab_fp(c, obj) = i + 1 < c->objects ? obj + c->size : NULL;
	}
	if (CONFIG_KASAN)
		kasan_poison_new_slab(base, slab_bytes(c));
	list_add(&slab->lru, &c->partial);
	c->nr_slabs++;
	return slab;
}

/* Give an empty slab's pages back. */
static void slab_discard(struct kmem_cache *c, struct page *slab)
{
	list_del(&slab->lru);
	slab_unmark_block(slab, c->order, PG_slab);
	slab->slab_cache = NULL;
	slab->freelist = NULL;
	c->nr_slabs--;
	free_pages(page_address(slab), c->order);
}

/*
 * A free made a full slab partial, or a partial one empty.  A slab that
 * was full goes to the head of the partial list.  Empty slabs gather at
 * the tail (activation takes from the head), so there is another empty
 * one exactly when the tail is empty: then this one goes back.
 */
static __attribute__((noinline)) void slab_free_moves(struct kmem_cache *c, struct page *slab,
						      bool was_full)
{
	if (was_full)
		list_move(&slab->lru, &c->partial);
	if (slab->inuse)
		return;
	struct page *last = list_last_entry(&c->partial, struct page, lru);

	if (last == slab)
		return;
	if (last->inuse == 0)
		slab_discard(c, slab);
	else
		list_move_tail(&slab->lru, &c->partial);
}

/* The active slab's free objects, counted without trusting the list: a
 * double free makes it loop, a write after free sends it anywhere.
 * Returns c->objects + 1 for a list that is not a list of c's slab. */
static u32 slab_count_free(struct kmem_cache *c, struct page *slab, void *p)
{
	char *base = page_address(slab);
	u32 n = 0;

	for (; p; p = *slab_fp(c, p))
		if (++n > c->objects || slab_base(c, p) != base || slab_obj_index(c, p) < 0)
			return c->objects + 1;
	return n;
}

void slab_deactivate(struct kmem_cache *c)
{
	struct page *slab = c->active;

	if (!slab)
		return;
	u32 nfree = slab_count_free(c, slab, c->freelist);

	slab->freelist = c->freelist;
	c->freelist = NULL;
	c->active = NULL;
	if (nfree > c->objects) {
		/* Keep it, counted full: the leak check names the broken list. */
		slab->inuse = c->objects;
		list_add(&slab->lru, slab->freelist ? &c->partial : &c->full);
		return;
	}
	slab->inuse = c->objects - nfree;
	if (!slab->freelist) {
		list_add(&slab->lru, &c->full);
		return;
	}
	list_add(&slab->lru, &c->partial);
	if (!slab->inuse)
		slab_free_moves(c, slab, false);	/* empty: keep it last, or give it back */
}

void slab_deactivate_all(void)
{
	struct kmem_cache *c;

	list_for_each_entry(c, &slab_caches, list)
		slab_deactivate(c);
}

static __attribute__((noinline)) void *slab_alloc_slow(struct kmem_cache *c, gfp_t flags,
						       size_t requested);

/* The fast path: the first free object of the active slab. */
static inline __attribute__((always_inline)) void *
slab_alloc(struct kmem_cache *c, gfp_t flags, size_t requested)
{
	void *obj = c->freelist, *next;

	if (slab_unlikely(!obj))
		return slab_alloc_slow(c, flags, requested);
	next = *slab_fp(c, obj);
	if (CONFIG_SLAB_DEBUG)
		next = slab_debug_check_next(c, c->active, obj, next);
	c->freelist = next;
	c->allocs++;
	if (CONFIG_SLAB_DEBUG)
		slab_debug_alloc(c, c->active, obj, requested);
	if (flags & __GFP_ZERO)
		slab_fill(obj, c->fill_size, 0);
	else if (c->poison)
		slab_fill(obj, c->fill_size, SLAB_PATTERN(POISON_INUSE));
	if (CONFIG_KASAN)
		kasan_slab_alloc(c, obj, requested);
	return obj;
}

/* The active slab ran out: file it away, make the first partial slab (or
 * a new one) active, and take the fast path again. */
static void *slab_alloc_slow(struct kmem_cache *c, gfp_t flags, size_t requested)
{
	struct page *slab;

	slab_deactivate(c);
	slab = list_first_entry_or_null(&c->partial, struct page, lru);
	if (!slab && !(slab = slab_new(c)))
		return NULL;
	list_del(&slab->lru);
	c->active = slab;
	c->freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = c->objects;
	return slab_alloc(c, flags, requested);
}

/* Put obj back on its slab's free list (the object is already poisoned). */
static inline __attribute__((always_inline)) void
slab_free_to_slab(struct kmem_cache *c, struct page *slab, void *obj)
{
	if (!CONFIG_SLAB_DEBUG && slab_unlikely(slab->leak_old != NULL))
		slab_leak_forget(c, slab, obj);
	if (slab_likely(slab == c->active)) {
		*slab_fp(c, obj) = c->freelist;
		c->freelist = obj;
		return;
	}
	void *prev = slab->freelist;

	*slab_fp(c, obj) = prev;
	slab->freelist = obj;
	slab->inuse--;
	if (slab_unlikely(!prev || !slab->inuse))
		slab_free_moves(c, slab, !prev);
}

/* Free a valid slot start obj of slab. */
static inline __attribute__((always_inline)) void
slab_free(struct kmem_cache *c, struct page *slab, void *obj, u64 ip)
{
	if (CONFIG_SLAB_DEBUG && !slab_debug_check_free(c, slab, obj, ip))
		return;	/* a double free, reported */
	c->frees++;
	if (c->poison)	/* all but the free pointer in the first word */
		slab_fill((char *)obj + 8, c->fill_size - 8,
			  SLAB_PATTERN(POISON_FREE));
	/* KASAN checks the free, records it (slab_record_free) and keeps the
	 * object in quarantine: slab_free_quarantined() finishes later. */
	if (CONFIG_KASAN && kasan_slab_free(c, obj, ip))
		return;
	if (CONFIG_SLAB_DEBUG)
		slab_record_free(c, obj);
	slab_free_to_slab(c, slab, obj);
}

struct page *slab_page_of(const void *addr)
{
	struct page *pg = virt_to_page(addr);

	if (!pg || pg->magic != PAGE_MAGIC)
		return NULL;
	pg = page_block_head(pg);
	if (!pg || pg->magic != PAGE_MAGIC || !(pg->flags & PG_slab))
		return NULL;
	return pg;
}

void slab_free_quarantined(struct kmem_cache *c, void *obj)
{
	struct page *slab = slab_page_of(obj);

	BUG_ON(!slab || slab->slab_cache != c || slab_obj_index(c, obj) < 0);
	slab_free_to_slab(c, slab, obj);
}

size_t kmem_cache_size(const struct kmem_cache *c)
{
	return c->object_size;
}

const char *kmem_cache_name(const struct kmem_cache *c)
{
	return c->name;
}

void slab_shrink(void)
{
	struct kmem_cache *c;
	struct page *slab, *next;

	kasan_quarantine_drain();
	list_for_each_entry(c, &slab_caches, list) {
		slab_deactivate(c);
		list_for_each_entry_safe(slab, next, &c->partial, lru)
			if (slab->inuse == 0)
				slab_discard(c, slab);
	}
}

/* ------------------------------------------------------------ large */

static unsigned slab_large_order(size_t size)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

static __attribute__((noinline)) void *kmalloc_large(size_t size, gfp_t flags)
{
	unsigned order = slab_large_order(size);
	u64 bytes = PAGE_SIZE << order;
	void *p = alloc_pages(order);

	if (!p) {
		pr_warn("%s: page allocation failure: order:%u, kmalloc(%zu)\n", current_comm(),
			order, size);
		return NULL;
	}
	struct page *pg = virt_to_page(p);

	BUG_ON(!pg || pg->magic != PAGE_MAGIC || pg->order != order);
	slab_mark_block(pg, order, PG_large_kmalloc);
	pg->large_size = (u32)size;
	pg->large_seq = ++slab_alloc_seq;
	pg->large_stack = CONFIG_SLAB_DEBUG ? stack_depot_capture(0) : 0;
	list_add(&pg->lru, &slab_large_list);
	slab_large_pages += 1ULL << order;
	slab_large_allocs++;
	if (flags & __GFP_ZERO)
		slab_fill(p, bytes, 0);
	else if (slab_debug_flags & SLAB_POISON)
		slab_fill(p, bytes, SLAB_PATTERN(POISON_INUSE));
	if (CONFIG_KASAN)
		kasan_kmalloc_large(p, size, bytes);
	return p;
}

static __attribute__((noinline)) void kfree_large(struct page *pg, void *p, u64 ip)
{
	unsigned order = pg->order;
	u64 bytes = PAGE_SIZE << order;

	if (CONFIG_KASAN && kasan_kfree_large(p, bytes, ip))
		return;
	list_del(&pg->lru);
	slab_unmark_block(pg, order, PG_large_kmalloc);
	slab_large_pages -= 1ULL << order;
	slab_large_frees++;
	if (slab_debug_flags & SLAB_POISON)
		slab_fill(p, bytes, SLAB_PATTERN(POISON_FREE));
	free_pages(p, order);
}

/* ------------------------------------------------------------ kmalloc */

static __attribute__((noinline)) void *kmalloc_slow(size_t size, gfp_t flags, u64 ip)
{
	char caller[96];

	if (size == 0)
		return ZERO_SIZE_PTR;
	if (size <= KMALLOC_MAX_SIZE)
		return kmalloc_large(size, flags);
	ksym_snprint_return(caller, sizeof(caller), ip);
	pr_warn("kmalloc: size %zu too large (max %lu) from %s\n", size, KMALLOC_MAX_SIZE, caller);
	return NULL;
}

static inline __attribute__((always_inline)) void *kmalloc_locked(size_t size, gfp_t flags)
{
	/* size 0 wraps around and takes the slow path too. */
	if (size - 1 < KMALLOC_MAX_CACHE_SIZE)
		return slab_alloc(kmalloc_cache_for[(size + 7) / 8], flags, size);
	return kmalloc_slow(size, flags, (u64)__builtin_return_address(0));
}

static inline __attribute__((always_inline)) void *kzalloc_locked(size_t size, gfp_t flags)
{
	if (size - 1 < KMALLOC_MAX_CACHE_SIZE)
		return slab_alloc(kmalloc_cache_for[(size + 7) / 8], flags | __GFP_ZERO, size);
	return kmalloc_slow(size, flags | __GFP_ZERO, (u64)__builtin_return_address(0));
}

static void *kmalloc_array_ip_locked(size_t n, size_t size, gfp_t flags, u64 ip)
{
	size_t bytes;
	char caller[96];

	if (__builtin_mul_overflow(n, size, &bytes)) {
		ksym_snprint_return(caller, sizeof(caller), ip);
		pr_warn("kmalloc_array: %zu * %zu bytes overflows, from %s\n", n, size, caller);
		return NULL;
	}
	if (bytes - 1 < KMALLOC_MAX_CACHE_SIZE)
		return slab_alloc(kmalloc_cache_for[(bytes + 7) / 8], flags, bytes);
	return kmalloc_slow(bytes, flags, ip);
}

static void *kmalloc_array_ip(size_t n, size_t size, gfp_t flags, u64 ip)
{
	u64 flags_ = slab_lock();
	void *p_ = kmalloc_array_ip_locked(n, size, flags, ip);

	slab_unlock(flags_);
	return p_;
}

void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array_ip(n, size, flags, (u64)__builtin_return_address(0));
}

void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array_ip(n, size, flags | __GFP_ZERO, (u64)__builtin_return_address(0));
}

static inline __attribute__((always_inline)) void kfree_locked(const void *ptr)
{
	struct page *pg, *head;
	const char *why;

	if (ZERO_OR_NULL_PTR(ptr))
		return;
	pg = virt_to_page(ptr);
	/* slub_debug=- without KASAN: SLUB's fast path, which trusts ptr
	 * once it lies in managed memory and skips the checks below. */
	bool check = CONFIG_KASAN || (slab_debug_flags & SLAB_CONSISTENCY_CHECKS);

	if (!pg || (check && pg->magic != PAGE_MAGIC)) {
		why = "not in kernel memory";
		goto invalid;
	}
	head = page_block_head(pg);
	if (head && (!check || head->magic == PAGE_MAGIC) && (head->flags & PG_slab)) {
		struct kmem_cache *c = head->slab_cache;

		if (check && !slab_cache_valid(c)) {
			why = "the slab's cache is overwritten";
			goto invalid;
		}
		if (check && slab_obj_index(c, ptr) < 0) {
			why = "not the start of an object";
			goto invalid;
		}
		slab_free(c, head, (void *)ptr, SLAB_RET_IP);
		return;
	}
	if ((pg->flags & PG_large_kmalloc) && !((u64)ptr & (PAGE_SIZE - 1))) {
		kfree_large(pg, (void *)ptr, SLAB_RET_IP);
		return;
	}
	why = "not the start of a kmalloc allocation";
invalid:
	slab_invalid_free(ptr, SLAB_RET_IP, why);
}

size_t ksize(const void *ptr)
{
	struct page *pg, *slab;
	size_t size = 0;

	if (ZERO_OR_NULL_PTR(ptr))
		return 0;
	slab = slab_page_of(ptr);
	pg = virt_to_page(ptr);
	if (slab && slab_cache_valid(slab->slab_cache) && slab_obj_index(slab->slab_cache, ptr) >= 0)
		size = slab->slab_cache->object_size;
	else if (pg && pg->magic == PAGE_MAGIC && (pg->flags & PG_large_kmalloc))
		size = PAGE_SIZE << pg->order;
	else
		pr_warn("ksize: %016llx is not a kmalloc object\n", (unsigned long long)(u64)ptr);
	/* The caller may now use every byte of the size class. */
	if (CONFIG_KASAN && size)
		kasan_unpoison(ptr, size);
	return size;
}

/* ------------------------------------------------------------ typed caches */

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     void (*ctor)(void *))
{
	struct kmem_cache *c = slab_alloc(&kmem_cache_boot, __GFP_ZERO, sizeof(*c));

	if (!c)
		return NULL;
	if (!slab_cache_setup(c, name, size, align ? align : 8, ctor)) {
		pr_warn("kmem_cache_create(%s): size %zu, align %zu not possible\n", name, size, align);
		slab_free(&kmem_cache_boot, slab_page_of(c), c, (u64)__builtin_return_address(0));
		return NULL;
	}
	return c;
}

static bool slab_cache_is_static(const struct kmem_cache *c)
{
	return c == &kmem_cache_boot ||
	       (c >= kmalloc_caches && c < kmalloc_caches + KMALLOC_NR_CACHES);
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	u64 ip = (u64)__builtin_return_address(0);
	char caller[96];
	struct page *slab, *next;

	if (!c)
		return;
	ksym_snprint_return(caller, sizeof(caller), ip);
	if (!slab_cache_valid(c) || slab_cache_is_static(c)) {
		pr_err("kmem_cache_destroy: %016llx is not a cache that can be destroyed, from %s\n",
		       (unsigned long long)(u64)c, caller);
		return;
	}
	if (CONFIG_KASAN)
		kasan_quarantine_drain();	/* its quarantined objects come back */
	slab_deactivate(c);
	bool busy = !list_empty(&c->full);

	list_for_each_entry(slab, &c->partial, lru)
		busy |= slab->inuse != 0;
	if (busy) {	/* Linux's words; the cache is leaked, not freed */
		pr_err("kmem_cache_destroy %s: Slab cache still has objects when called from %s\n",
		       c->name, caller);
		return;
	}
	list_for_each_entry_safe(slab, next, &c->partial, lru)
		slab_discard(c, slab);
	list_del(&c->list);
	c->magic = 0;
	slab_free(&kmem_cache_boot, slab_page_of(c), c, ip);
}

static inline __attribute__((always_inline)) void *kmem_cache_alloc_locked(struct kmem_cache *c, gfp_t flags)
{
	if (!slab_cache_valid(c))
		panic("kmem_cache_alloc: %016llx is not a cache", (unsigned long long)(u64)c);
	return slab_alloc(c, flags, c->object_size);
}

static inline __attribute__((always_inline)) void kmem_cache_free_locked(struct kmem_cache *c, void *obj)
{
	u64 ip = (u64)__builtin_return_address(0);
	struct page *slab;

	if (ZERO_OR_NULL_PTR(obj))
		return;
	slab = slab_page_of(obj);
	if (!slab) {
		slab_invalid_free(obj, ip, "not in a slab");
		return;
	}
	if (slab->slab_cache != c) {	/* Linux's cache_from_obj() */
		pr_warn("cache_from_obj: Wrong slab cache. %s but object is from %s\n",
			slab_cache_valid(c) ? c->name : "(not a cache)",
			slab_cache_valid(slab->slab_cache) ? slab->slab_cache->name : "(overwritten)");
		slab_invalid_free(obj, ip, "object of another cache");
		return;
	}
	if (!slab_cache_valid(c) || slab_obj_index(c, obj) < 0) {
		slab_invalid_free(obj, ip, "not the start of an object");
		return;
	}
	slab_free(c, slab, obj, ip);
}


/*
 * The public entry points.  Lock: the caches, their slabs and the large
 * list are changed only with preemption disabled (slab_lock); interrupt
 * handlers do not allocate.  SMP needs a per-cache spinlock here.  The return address the reports print is the caller's:
 * these wrappers are always inlined into nothing but a call.
 */
void *kmalloc(size_t size, gfp_t flags)
{
	u64 flags_ = slab_lock();
	void *p_ = kmalloc_locked(size, flags);

	slab_unlock(flags_);
	return p_;
}

void *kzalloc(size_t size, gfp_t flags)
{
	u64 flags_ = slab_lock();
	void *p_ = kzalloc_locked(size, flags);

	slab_unlock(flags_);
	return p_;
}

void kfree(const void *ptr)
{
	u64 flags_ = slab_lock();

	kfree_locked(ptr);
	slab_unlock(flags_);
}

void *kmem_cache_alloc(struct kmem_cache *c, gfp_t flags)
{
	u64 flags_ = slab_lock();
	void *p_ = kmem_cache_alloc_locked(c, flags);

	slab_unlock(flags_);
	return p_;
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	u64 flags_ = slab_lock();

	kmem_cache_free_locked(c, obj);
	slab_unlock(flags_);
}

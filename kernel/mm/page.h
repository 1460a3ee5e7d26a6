/*
 * page.h - struct page, one per physical page frame, and the page
 * allocator's interface.
 *
 * The array of struct page (Linux's mem_map) is owned by the page
 * allocator (mm/page_alloc.c); the buddy allocator (mm/buddy.c) keeps its
 * free lists in it, and the slab allocator (mm/slab.c) its per-slab state.
 * Which fields mean something depends on the flags:
 *
 *   flags                 page is                      fields in use
 *   PG_reserved           not managed (kernel, holes)  -
 *   PG_buddy              head of a free buddy block   order, lru (free list)
 *   PG_head               head of an allocated block   order, refcount
 *   PG_tail               any other page of an         head
 *                         allocated slab/large block
 *   PG_head|PG_slab       first page of a slab         slab_cache, lru (cache
 *                                                      list), freelist, inuse,
 *                                                      leak_old
 *   PG_head|PG_large_kmalloc  a kmalloc > 4 KiB        order, lru, large_*
 *   none                  inside a free block, or inside an allocated
 *                         block not marked by its user
 *
 * Lock: the buddy fields are changed only with the zone lock held (in
 * page_alloc.c), the slab fields only by slab.c.
 */
#ifndef CANARY_MM_PAGE_H
#define CANARY_MM_PAGE_H

#include "arch/x86_64/layout.h"	/* PAGE_SIZE */
#include "lib/list.h"
#include "lib/types.h"

#define PAGE_SHIFT 12

/* 'PAGE': a struct page that does not carry it is not a struct page (a
 * wild pointer, or an array overwritten by a stray write). */
#define PAGE_MAGIC 0x50414745u

enum page_flags {
	PG_reserved      = 1u << 0,	/* never handed to the buddy allocator */
	PG_buddy         = 1u << 1,	/* first page of a free block of 2^order pages */
	PG_head          = 1u << 2,	/* first page of an allocated block of 2^order */
	PG_tail          = 1u << 3,	/* later page of an allocated slab or large block */
	PG_slab          = 1u << 4,	/* first page of a slab (set by slab.c) */
	PG_large_kmalloc = 1u << 5,	/* first page of a kmalloc > 4 KiB (slab.c) */
};

/* The order of a page that heads no block: it can never equal a real
 * order, so no merge or free check can mistake such a page for a block. */
#define PAGE_ORDER_NONE 0xffff

struct kmem_cache;

struct page {
	u32 magic;		/* PAGE_MAGIC */
	u32 flags;		/* PG_* */
	u16 order;		/* PG_buddy, PG_head: the block is 2^order pages;
				   PAGE_ORDER_NONE on every other page */
	u16 refcount;		/* 1 while allocated, 0 while free (no sharing yet) */
	u32 inuse;		/* PG_slab: objects handed out (quarantined ones
				   count; the active slab counts all) */
	struct list_head lru;	/* PG_buddy: the zone's free list of this order;
				   PG_slab: its cache's partial or full list
				   (none while it is the active slab);
				   PG_large_kmalloc: slab.c's list of large kmallocs */
	struct page *head;	/* PG_tail: the block's first page */
	struct kmem_cache *slab_cache;	/* PG_slab: the owning cache (borrowed) */
	union {
		struct {	/* PG_slab */
			void *freelist;	/* first free object, NULL if the slab is full
					   or active (its cache holds the list) */
			u64 *leak_old;	/* leak check: bitmap of the objects allocated
					   before slab_leak_begin(), or NULL */
		};
		struct {	/* PG_large_kmalloc */
			u32 large_size;	/* bytes the caller asked for */
			u32 large_stack;	/* stackdepot handle of the allocation, or 0 */
			u64 large_seq;	/* allocation sequence number (leak check) */
		};
	};
};

/* A freshly initialised frame: reserved, belonging to nobody. */
static inline void page_init(struct page *pg)
{
	pg->magic = PAGE_MAGIC;
	pg->flags = PG_reserved;
	pg->order = PAGE_ORDER_NONE;
	pg->refcount = 0;
	pg->lru.next = LIST_POISON1;
	pg->lru.prev = LIST_POISON2;
	pg->head = NULL;
	pg->slab_cache = NULL;
	pg->inuse = 0;
	pg->freelist = NULL;
	pg->leak_old = NULL;
}

/*
 * The page allocator (mm/page_alloc.c; tests/host/fake_page_alloc.c on the
 * host).  Addresses are direct-map virtual addresses.
 */

/* 2^order contiguous pages aligned to their size, or NULL.  The first
 * page's struct page has PG_head and its order; the others carry no flag
 * until their user (slab.c) marks them.  The block's struct pages are
 * consecutive in memory.  Caller owns the block. */
void *alloc_pages(unsigned order);
/* Give back a block from alloc_pages() with the same order.  Its user
 * must have cleared PG_slab, PG_large_kmalloc and PG_tail first. */
void free_pages(void *va, unsigned order);

/* The memory map: page_map[i] describes the frame at direct-map address
 * page_map_base + i * PAGE_SIZE.  Set once by the page allocator's init
 * (host tests point it at their arena); until then page_map_pages is 0. */
extern struct page *page_map;
extern u64 page_map_base, page_map_pages;

/* The struct page of the frame va lies in, or NULL if va is not in memory
 * the page allocator manages.  Never faults, whatever va is.  Inline: every
 * kfree starts here.  An address below the base wraps to a huge index. */
static inline struct page *virt_to_page(const void *va)
{
	u64 i = ((u64)va - page_map_base) / PAGE_SIZE;

	return i < page_map_pages ? &page_map[i] : NULL;
}

/* The direct-map address of the frame's first byte. */
static inline void *page_address(struct page *pg)
{
	return (void *)(page_map_base + (u64)(pg - page_map) * PAGE_SIZE);
}

/* The first page of the block pg belongs to (itself unless PG_tail). */
static inline struct page *page_block_head(struct page *pg)
{
	return (pg->flags & PG_tail) ? pg->head : pg;
}

#endif

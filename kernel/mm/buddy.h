/*
 * buddy.h - the binary buddy allocator for physical page frames, over one
 * zone: a range of page frame numbers (pfns) with one struct page each.
 * Pure logic (buddy.c): no locks, no address translation, no printing
 * except reports, so the host tests run it as is.  mm/page_alloc.c owns
 * the zone, takes the zone lock around every call and turns pfns into
 * addresses.
 *
 * Memory is handed out in blocks of 2^order pages, order 0..BUDDY_MAX_ORDER,
 * each aligned to its own size.  A block of order k at pfn p has one
 * "buddy", the block it was split from together with it:
 *
 *     buddy_pfn = p ^ (1 << k)          order 2:  [p .. p+3][buddy .. +3]
 *
 * Freeing a block merges it with its buddy whenever the buddy is free and
 * whole, repeatedly, so free memory returns to the largest blocks it can.
 */
#ifndef CANARY_MM_BUDDY_H
#define CANARY_MM_BUDDY_H

#include "lib/list.h"
#include "lib/types.h"
#include "mm/page.h"

#define BUDDY_MAX_ORDER 10	/* largest block: 2^10 pages = 4 MiB */
#define BUDDY_NR_ORDERS (BUDDY_MAX_ORDER + 1)

/* Why buddy_free() or buddy_release() refused (each is reported first). */
enum buddy_error {
	BUDDY_OK = 0,
	BUDDY_EOUTSIDE  = -1,	/* pfn range not inside the zone */
	BUDDY_EALIGN    = -2,	/* pfn not aligned to the block's order */
	BUDDY_EORDER    = -3,	/* order above BUDDY_MAX_ORDER, or not the allocation's */
	BUDDY_EFREE     = -4,	/* not an allocated block: double free or a wild pfn */
	BUDDY_ERESERVED = -5,	/* a reserved page (kernel image, hole) */
	BUDDY_EBUSY     = -6,	/* still marked by its user (slab, large kmalloc) */
	BUDDY_EMAGIC    = -7,	/* struct page overwritten */
};

/*
 * Invariants (checked by buddy_check()):
 *   - a free block's first page has PG_buddy and the block's order, and is
 *     on free_list[order]; its other pages have no flags;
 *   - an allocated block's first page has PG_head, its order and
 *     refcount 1; its other pages have no flags from the buddy allocator;
 *   - free blocks are aligned to their size and lie inside the zone;
 *   - no two free buddies of the same order coexist (they would have
 *     merged);
 *   - free_pages = sum over orders of nr_free[order] << order.
 */
struct buddy_zone {
	const char *name;	/* "Normal", as /proc/buddyinfo calls it */
	u64 base_pfn;		/* first pfn of the zone */
	u64 npages;		/* pfns base_pfn .. base_pfn + npages - 1 */
	struct page *pages;	/* borrowed from the caller: pages[i] is base_pfn + i */
	struct list_head free_list[BUDDY_NR_ORDERS];	/* heads of free blocks */
	u64 nr_free[BUDDY_NR_ORDERS];	/* free blocks of each order */
	/* Statistics, in pages unless named otherwise. */
	u64 free_pages;		/* pages in free blocks */
	u64 reserved_pages;	/* pages never released to the allocator */
	u64 allocs, frees;	/* successful buddy_alloc / buddy_free calls */
	u64 failed_allocs;	/* buddy_alloc calls that returned -1 */
	u64 bad_frees;		/* refused buddy_free calls */
};

/* Take over pages[0..npages) for pfns base_pfn..: every page reserved. */
void buddy_init(struct buddy_zone *z, u64 base_pfn, u64 npages, struct page *pages);
/* Hand usable pfns [pfn, pfn + n) to the allocator; all must be reserved.
 * Returns BUDDY_OK, or an error after a warning, with nothing changed. */
int buddy_release(struct buddy_zone *z, u64 pfn, u64 n);
/* A block of 2^order pages: its first pfn, or -1 if none is free. */
s64 buddy_alloc(struct buddy_zone *z, unsigned order);
/* Give back the block at pfn, allocated with this order.  Returns BUDDY_OK,
 * or, for a bad free, an error after a "Bad page state" report, with
 * nothing changed. */
int buddy_free(struct buddy_zone *z, u64 pfn, unsigned order);

/* The struct page of pfn, or NULL if pfn is outside the zone. */
struct page *buddy_pfn_to_page(const struct buddy_zone *z, u64 pfn);
u64 buddy_page_to_pfn(const struct buddy_zone *z, const struct page *pg);

/* Verify every invariant above; prints each violation, returns their count. */
unsigned buddy_check(const struct buddy_zone *z);
/* The /proc/buddyinfo line and the counters, for the monitor's meminfo. */
void buddy_print_stats(const struct buddy_zone *z);

#endif

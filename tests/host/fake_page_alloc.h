/*
 * fake_page_alloc.h - the fake page source for the slab host tests
 * (fake_page_alloc.c): alloc_pages/free_pages/virt_to_page/page_address
 * of mm/page.h over one aligned_alloc'd arena, with the checks and
 * counters a test needs to see what the slab allocator did with pages.
 */
#ifndef CANARY_TESTS_HOST_FAKE_PAGE_ALLOC_H
#define CANARY_TESTS_HOST_FAKE_PAGE_ALLOC_H

#include "lib/types.h"

#define FAKE_PAGES 4096		/* 16 MiB: room for a maximum-order block */

/* Forget everything and start with every page free. */
void fake_pages_reset(void);
/* Pages currently handed out. */
u64 fake_pages_in_use(void);
/* alloc_pages() calls that succeeded, and frees. */
u64 fake_pages_allocs(void);
u64 fake_pages_frees(void);
/* free_pages() calls that were wrong (not a block, wrong order, pages
 * still marked by slab.c): each is also printed to the test log. */
u64 fake_pages_bad_frees(void);
/* Make the next alloc_pages() calls fail after `allowed` more successes
 * (-1: never fail). */
void fake_pages_fail_after(s64 allowed);

#endif

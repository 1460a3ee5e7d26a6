/*
 * fake_page_alloc.c - the page allocator of mm/page.h for host tests of the
 * slab allocator, as simple as possible so that it is obviously right: an
 * arena of FAKE_PAGES pages from aligned_alloc(), aligned to the largest
 * block, a struct page per page, and first-fit search for a naturally
 * aligned free run.  It checks every free_pages() call more strictly than
 * the kernel (the right order, and slab.c's PG_slab/PG_large_kmalloc/
 * PG_tail marks gone from every page) and counts what it saw.
 *
 * Blocks are filled with 0x5a when handed out and 0xdd when freed, so a
 * test sees it if the slab allocator relies on zeroed pages or keeps using
 * a page it gave back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_page_alloc.h"
#include "lib/printk.h"
#include "mm/buddy.h"
#include "mm/page.h"

#define FAKE_ALIGN (PAGE_SIZE << BUDDY_MAX_ORDER)

static u8 *arena;
static struct page pages[FAKE_PAGES];
/* mm/page.h's memory map, over the arena. */
struct page *page_map = pages;
u64 page_map_base, page_map_pages = FAKE_PAGES;
static bool used[FAKE_PAGES];
static u64 in_use, allocs, frees, bad_frees;
static s64 fail_after = -1;

void fake_pages_reset(void)
{
	if (!arena) {
		arena = aligned_alloc(FAKE_ALIGN, (size_t)FAKE_PAGES * PAGE_SIZE);
		if (!arena)
			abort();
		page_map_base = (u64)arena;
	}
	for (unsigned i = 0; i < FAKE_PAGES; i++) {
		page_init(&pages[i]);
		pages[i].flags = 0;
		used[i] = false;
	}
	in_use = allocs = frees = bad_frees = 0;
	fail_after = -1;
}

u64 fake_pages_in_use(void) { return in_use; }
u64 fake_pages_allocs(void) { return allocs; }
u64 fake_pages_frees(void) { return frees; }
u64 fake_pages_bad_frees(void) { return bad_frees; }
void fake_pages_fail_after(s64 allowed) { fail_after = allowed; }

void *alloc_pages(unsigned order)
{
	u64 n = 1ULL << order;

	if (order > BUDDY_MAX_ORDER || fail_after == 0)
		return NULL;
	for (u64 i = 0; i + n <= FAKE_PAGES; i += n) {
		u64 k = 0;

		while (k < n && !used[i + k])
			k++;
		if (k < n)
			continue;
		for (k = 0; k < n; k++)
			used[i + k] = true;
		pages[i].flags = PG_head;
		pages[i].order = (u16)order;
		pages[i].refcount = 1;
		in_use += n;
		allocs++;
		if (fail_after > 0)
			fail_after--;
		memset(arena + i * PAGE_SIZE, 0x5a, n * PAGE_SIZE);
		return arena + i * PAGE_SIZE;
	}
	return NULL;
}

static void fake_bad_free(void *va, unsigned order, const char *why)
{
	bad_frees++;
	printk(KERN_ERR "fake free_pages(%p, %u): %s\n", va, order, why);
}

void free_pages(void *va, unsigned order)
{
	struct page *pg = virt_to_page(va);
	u64 i, n = 1ULL << order;

	const char *why = NULL;

	if (!pg || ((u64)va & (PAGE_SIZE - 1))) {
		fake_bad_free(va, order, "not a page of the arena");
		return;
	}
	i = (u64)(pg - pages);
	if (!(pg->flags & PG_head) || !used[i])
		why = "not an allocated block";
	else if (pg->order != order)
		why = "wrong order";
	for (u64 k = 0; !why && k < n; k++)
		if (pages[i + k].flags & (PG_slab | PG_large_kmalloc | PG_tail))
			why = "page still marked by its user";
	if (why) {
		fake_bad_free(va, order, why);
		return;
	}
	for (u64 k = 0; k < n; k++) {
		used[i + k] = false;
		page_init(&pages[i + k]);
		pages[i + k].flags = 0;
	}
	memset(va, 0xdd, n * PAGE_SIZE);
	in_use -= n;
	frees++;
}


/*
 * bench_alloc.c - the allocators' fast paths, timed in instructions.
 * tools/allocbench.py builds this with CONFIG_KASAN=0, CONFIG_SLAB_DEBUG=0,
 * -O2 and the kernel's code-generation flags, and runs it under
 * `valgrind --tool=callgrind --toggle-collect=bench_loop`: only what
 * happens inside bench_loop() is counted.
 *
 *   bench_alloc CASE N [DEBUG]   CASE: empty | kmalloc64 | kmalloc1k |
 *                                      page_split | page_nosplit
 *                                DEBUG: slub_debug= flags, FP (default) or -
 *
 * The pages come from the real buddy allocator (kernel/mm/buddy.c) over an
 * arena, wrapped the way mm/page_alloc.c wraps it (without the interrupt
 * masking and KASAN poisoning of the kernel build).  `empty` runs the same
 * loop with nothing in it: the tool subtracts it.
 *
 * Each case warms up first, outside the measured loop, so the measured
 * pairs are the steady state: the slab exists and one other object stays
 * allocated in it (as in any running system; otherwise every kfree would
 * also take the "slab became empty" path).  page_split starts from an idle
 * zone, so each order-0 page splits a 4 MiB block down ten levels and its
 * free merges it back; page_nosplit keeps the page's buddy allocated, so
 * neither happens.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/buddy.h"
#include "mm/page.h"
#include "mm/slab.h"

#define BENCH_PAGES 8192	/* 32 MiB, eight max-order blocks */

static u8 *arena;
static struct page pages[BENCH_PAGES];
/* mm/page.h's memory map, over the arena (set in main). */
struct page *page_map = pages;
u64 page_map_base, page_map_pages = BENCH_PAGES;
static struct buddy_zone zone;

/* ---- the page allocator of mm/page.h, on buddy.c (cf. mm/page_alloc.c) */

void *alloc_pages(unsigned order)
{
	s64 pfn = buddy_alloc(&zone, order);

	return pfn < 0 ? NULL : arena + ((u64)pfn - zone.base_pfn) * PAGE_SIZE;
}

void free_pages(void *va, unsigned order)
{
	struct page *pg = virt_to_page(va);

	if (pg)
		buddy_free(&zone, buddy_page_to_pfn(&zone, pg), order);
}

/* ---- the measured loops */

enum bench_case { BENCH_EMPTY, BENCH_KMALLOC64, BENCH_KMALLOC1K, BENCH_PAGE };

/* Keep p alive in a register: the compiler may not drop the allocation. */
#define bench_use(p) __asm__ volatile("" : : "r"(p) : "memory")

/* The loops; bench_loop() is the measured entry (the tool collects only
 * inside it), so the warm-up calls this directly. */
static __attribute__((noinline)) void bench_run(enum bench_case k, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		switch (k) {
		case BENCH_EMPTY:
			bench_use(&i);
			break;
		case BENCH_KMALLOC64: {
			void *p = kmalloc(64, GFP_KERNEL);

			bench_use(p);
			kfree(p);
			break;
		}
		case BENCH_KMALLOC1K: {
			void *p = kmalloc(1024, GFP_KERNEL);

			bench_use(p);
			kfree(p);
			break;
		}
		case BENCH_PAGE: {
			void *p = alloc_pages(0);

			bench_use(p);
			free_pages(p, 0);
			break;
		}
		}
	}
}

__attribute__((noinline)) void bench_loop(enum bench_case k, unsigned long n)
{
	bench_run(k, n);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		enum bench_case k;
	} cases[] = {
		{ "empty", BENCH_EMPTY }, { "kmalloc64", BENCH_KMALLOC64 },
		{ "kmalloc1k", BENCH_KMALLOC1K }, { "page_split", BENCH_PAGE },
		{ "page_nosplit", BENCH_PAGE },
	};
	static const char *const debug_names[] = { "-", "F", "P", "FP" };	/* by flags */
	const char *which = argc > 1 ? argv[1] : "";
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 0) : 100000;
	const char *debug = argc > 3 ? argv[3] : "FP";
	size_t c = 0;
	unsigned flags = 0;

	while (c < ARRAY_SIZE(cases) && strcmp(cases[c].name, which))
		c++;
	while (flags < ARRAY_SIZE(debug_names) && strcmp(debug_names[flags], debug))
		flags++;
	if (c == ARRAY_SIZE(cases) || n == 0 || flags == ARRAY_SIZE(debug_names)) {
		fprintf(stderr, "usage: %s empty|kmalloc64|kmalloc1k|page_split|page_nosplit N [-|F|P|FP]\n",
			argv[0]);
		return 2;
	}
	slab_set_debug(flags);	/* slub_debug= */
	arena = aligned_alloc(PAGE_SIZE << BUDDY_MAX_ORDER, (size_t)BENCH_PAGES * PAGE_SIZE);
	if (!arena)
		return 1;
	page_map_base = (u64)arena;
	buddy_init(&zone, (u64)arena / PAGE_SIZE, BENCH_PAGES, pages);
	buddy_release(&zone, zone.base_pfn, BENCH_PAGES);
	slab_init();

	/* Warm-up: the state the measured loop runs in (see the top). */
	void *resident = NULL;

	if (cases[c].k == BENCH_KMALLOC64 || cases[c].k == BENCH_KMALLOC1K)
		resident = kmalloc(cases[c].k == BENCH_KMALLOC64 ? 64 : 1024, GFP_KERNEL);
	if (!strcmp(which, "page_nosplit"))
		resident = alloc_pages(0);
	bench_run(cases[c].k, 1000);
	bench_loop(cases[c].k, n);
	if (!strcmp(which, "page_nosplit"))
		free_pages(resident, 0);
	else
		kfree(resident);

	/* The loop must have left everything as it found it. */
	struct slab_stats st;

	slab_get_stats(&st);
	if (st.objects_in_use != 0 || zone.bad_frees != 0 || buddy_check(&zone) != 0) {
		fprintf(stderr, "bench_alloc: allocator state is wrong after the run\n");
		return 1;
	}
	printf("%s %lu pairs: %llu allocs, %llu pages free\n", which, n,
	       (unsigned long long)st.allocs, (unsigned long long)zone.free_pages);
	return 0;
}

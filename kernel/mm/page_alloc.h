/*
 * page_alloc.h - physical memory: from the loader's memory map to the
 * buddy allocator (page_alloc.c).  alloc_pages()/free_pages() themselves
 * are declared in mm/page.h with struct page.
 *
 * Boot order:
 *   pmm_early_init()  usable RAM = memory map minus the low 1 MiB, the
 *                     kernel image and the loader's modules
 *   pmm_alloc_page_zeroed()  pages for page tables and KASAN shadow: from
 *                     one early region before the buddy exists, from the
 *                     buddy afterwards
 *   pmm_init()        one struct page per frame, then every usable frame
 *                     not taken early goes to the buddy allocator
 */
#ifndef CANARY_MM_PAGE_ALLOC_H
#define CANARY_MM_PAGE_ALLOC_H

#include "lib/types.h"

void pmm_early_init(void);
/* A zeroed 4 KiB page for kernel metadata; panics if memory runs out
 * (page tables cannot be left half-built).  Callable at any time. */
paddr_t pmm_alloc_page_zeroed(void);
void pmm_init(void);
/* Before pmm_init(): `bytes` of zeroed, physically contiguous memory aligned
 * to `align` from the early region (for KASAN's shadow in 2 MiB pages). */
paddr_t pmm_early_alloc_block(u64 bytes, u64 align);
/* Highest usable physical address + 1 (what the direct map covers). */
paddr_t pmm_phys_end(void);
/* Is [pa, pa+len) usable RAM (as opposed to a hole or firmware)? */
bool pmm_is_ram(paddr_t pa, u64 len);

/* The usable RAM ranges, sorted, page-aligned, merged. */
struct pmm_range {
	paddr_t start, end;	/* [start, end) */
};
unsigned pmm_ram_ranges(const struct pmm_range **ranges);
/* Free/total pages and the buddy's per-order counts, for `meminfo`. */
void pmm_print_meminfo(void);
u64 pmm_free_pages(void);
u64 pmm_total_pages(void);

#endif

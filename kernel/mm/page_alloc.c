/*
 * page_alloc.c - physical memory: which frames exist, which are taken at
 * boot, and the buddy allocator that hands out the rest.
 *
 * The loader's memory map lists RAM; from it the kernel keeps back:
 *   - the first MiB (real-mode IVT, BIOS data, VGA memory, option ROMs),
 *   - its own image (.text ... .bss),
 *   - the loader's modules,
 *   - the early region: pages for page tables, KASAN shadow and the
 *     struct page array, handed out by a bump pointer before the buddy
 *     allocator exists (Linux's memblock plays this part).
 * Everything else goes to the buddy allocator in pmm_init().
 *
 * With KASAN, free pages are poisoned KASAN_PAGE_FREE and unpoisoned when
 * allocated, so a read of a freed page is reported as use-after-free.
 *
 * State: written during boot, then only by alloc_pages/free_pages with
 * interrupts off (single CPU).
 */
#include "arch/x86_64/layout.h"
#include "arch/x86_64/x86.h"
#include "boot/boot.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "mm/buddy.h"
#include "mm/kasan.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/vm.h"
#include "sched/sched.h"

extern char kernel_end[];

#define PMM_MAX_RANGES BOOT_MMAP_MAX
#define PMM_MAX_RESERVED (BOOT_MODULES_MAX + 4)

static struct pmm_range ram[PMM_MAX_RANGES];	/* usable RAM, sorted */
static unsigned nram;
static struct pmm_range reserved[PMM_MAX_RESERVED];	/* kept back at boot */
static const char *reserved_why[PMM_MAX_RESERVED];
static unsigned nreserved;

static paddr_t early_start, early_next, early_end;	/* the early region */
static struct buddy_zone zone;
struct page *page_map;		/* one struct page per frame (mm/page.h) */
u64 page_map_base = PAGE_OFFSET, page_map_pages;
static bool buddy_ready;

static void pmm_add_ram(paddr_t start, paddr_t end)
{
	start = ALIGN_UP(start, PAGE_SIZE);
	end &= ~(paddr_t)(PAGE_SIZE - 1);
	end = MIN(end, DIRECT_MAP_MAX);
	if (start >= end || nram == PMM_MAX_RANGES)
		return;
	unsigned i = nram++;

	/* Insertion sort by start, then merge with neighbours it touches. */
	while (i > 0 && ram[i - 1].start > start) {
		ram[i] = ram[i - 1];
		i--;
	}
	ram[i] = (struct pmm_range){ start, end };
	for (unsigned j = 0; j + 1 < nram;) {
		if (ram[j].end >= ram[j + 1].start) {
			ram[j].end = MAX(ram[j].end, ram[j + 1].end);
			for (unsigned k = j + 1; k + 1 < nram; k++)
				ram[k] = ram[k + 1];
			nram--;
		} else {
			j++;
		}
	}
}

static void pmm_reserve(paddr_t start, paddr_t end, const char *why)
{
	if (nreserved == PMM_MAX_RESERVED)
		panic("pmm: too many reserved ranges");
	reserved[nreserved] = (struct pmm_range){ start & ~(paddr_t)(PAGE_SIZE - 1),
						  ALIGN_UP(end, PAGE_SIZE) };
	reserved_why[nreserved++] = why;
}

/* The lowest reserved range overlapping [s, e), or NULL.  Lowest, not
 * first listed: callers walk [s, e) upwards and must not skip one. */
static const struct pmm_range *pmm_overlap(paddr_t s, paddr_t e)
{
	const struct pmm_range *low = NULL;

	for (unsigned i = 0; i < nreserved; i++)
		if (reserved[i].start < e && s < reserved[i].end &&
		    (!low || reserved[i].start < low->start))
			low = &reserved[i];
	return low;
}

/* The early region: the largest stretch of unreserved RAM below 1 GiB
 * (the boot mapping reaches only that far). */
static void pmm_pick_early_region(void)
{
	for (unsigned i = 0; i < nram; i++) {
		paddr_t s = ram[i].start, limit = MIN(ram[i].end, BOOT_MAP_LIMIT);

		while (s < limit) {
			const struct pmm_range *r = pmm_overlap(s, limit);
			paddr_t e = r ? MAX(r->start, s) : limit;

			if (e - s > early_end - early_start) {
				early_start = s;
				early_end = e;
			}
			s = r ? MAX(r->end, e) : limit;
		}
	}
	if (early_end - early_start < (4ULL << 20))
		panic("pmm: less than 4 MiB of free memory below 1 GiB");
	early_next = early_start;
}

void pmm_early_init(void)
{
	const struct bootinfo *bi = &boot_info;

	for (u32 i = 0; i < bi->mmap_count; i++)
		if (bi->mmap[i].type == BOOT_MEM_AVAILABLE)
			pmm_add_ram(bi->mmap[i].base, bi->mmap[i].base + bi->mmap[i].len);
	if (!nram)
		panic("pmm: the boot loader reported no usable memory");
	pmm_reserve(0, 0x100000, "low 1 MiB (BIOS, VGA)");
	pmm_reserve(KERNEL_PHYS, (u64)kernel_end - KERNEL_VMA, "kernel image");
	for (u32 i = 0; i < bi->module_count; i++)
		pmm_reserve(bi->modules[i].start, bi->modules[i].end, "boot module");
	pmm_pick_early_region();
}

paddr_t pmm_phys_end(void)
{
	return nram ? ram[nram - 1].end : 0;
}

bool pmm_is_ram(paddr_t pa, u64 len)
{
	for (unsigned i = 0; i < nram; i++)
		if (pa >= ram[i].start && pa + len <= ram[i].end)
			return true;
	return false;
}

unsigned pmm_ram_ranges(const struct pmm_range **ranges)
{
	*ranges = ram;
	return nram;
}

/* A zeroing loop KASAN does not check: the page is not handed out yet. */
static void pmm_zero_page(u64 *p)
{
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		p[i] = 0;
}

paddr_t pmm_alloc_page_zeroed(void)
{
	if (buddy_ready) {
		void *va = alloc_pages(0);

		if (!va)
			panic("pmm: out of memory for kernel metadata");
		pmm_zero_page(va);
		return virt_to_phys(va);
	}
	if (early_next >= early_end)
		panic("pmm: early region exhausted (%llu KiB used)",
		      (unsigned long long)((early_next - early_start) >> 10));
	paddr_t pa = early_next;

	early_next += PAGE_SIZE;
	pmm_zero_page(vm_early_virt(pa));
	return pa;
}

paddr_t pmm_early_alloc_block(u64 bytes, u64 align)
{
	paddr_t start = ALIGN_UP(early_next, align);

	if (buddy_ready || start + bytes > early_end)
		panic("pmm: no early block of %llu KiB", (unsigned long long)(bytes >> 10));
	/* The pages skipped for alignment stay with the early region. */
	early_next = start + bytes;
	for (paddr_t pa = start; pa < start + bytes; pa += PAGE_SIZE)
		pmm_zero_page(vm_early_virt(pa));
	return start;
}

void pmm_init(void)
{
	u64 pages = pmm_phys_end() / PAGE_SIZE;
	u64 bytes = ALIGN_UP(pages * sizeof(struct page), PAGE_SIZE);

	/* The struct page array: contiguous pages from the early region. */
	paddr_t first = pmm_alloc_page_zeroed();

	for (u64 done = PAGE_SIZE; done < bytes; done += PAGE_SIZE)
		if (pmm_alloc_page_zeroed() != first + done)
			panic("pmm: struct page array not contiguous");
	page_map = phys_to_virt(first);
	page_map_pages = pages;	/* virt_to_page() works from here on */
	buddy_init(&zone, 0, page_map_pages, page_map);

	/* The early region ends here; what it did not use is free. */
	early_end = early_next;
	pmm_reserve(early_start, early_end, "early allocations (page tables, shadow, struct page)");
	u64 released = 0;

	for (unsigned i = 0; i < nram; i++) {
		for (paddr_t s = ram[i].start; s < ram[i].end;) {
			const struct pmm_range *r = pmm_overlap(s, ram[i].end);
			paddr_t e = r ? MAX(r->start, s) : ram[i].end;

			if (e > s) {
				kasan_poison(phys_to_virt(s), e - s, KASAN_PAGE_FREE);
				buddy_release(&zone, s / PAGE_SIZE, (e - s) / PAGE_SIZE);
				released += (e - s) / PAGE_SIZE;
			}
			s = r ? MAX(r->end, e) : ram[i].end;
		}
	}
	buddy_ready = true;
	pr_info("pmm: %llu MiB RAM, %llu MiB free for the buddy allocator, %llu KiB taken at boot\n",
		(unsigned long long)(pmm_phys_end() >> 20), (unsigned long long)(released >> 8),
		(unsigned long long)((early_end - early_start) >> 10));
}

void *alloc_pages(unsigned order)
{
	u64 irq = irq_save();
	s64 pfn = buddy_alloc(&zone, order);

	irq_restore(irq);
	if (pfn < 0)
		return NULL;
	void *va = phys_to_virt((paddr_t)pfn * PAGE_SIZE);

	kasan_unpoison(va, PAGE_SIZE << order);
	return va;
}

void free_pages(void *va, unsigned order)
{
	struct page *pg = virt_to_page(va);

	if (!pg || ((u64)va & (PAGE_SIZE - 1))) {
		pr_err("free_pages: %016llx is not a page of managed memory\n", (unsigned long long)(u64)va);
		return;
	}
	u64 irq = irq_save();
	int err = buddy_free(&zone, (u64)(pg - page_map), order);

	irq_restore(irq);
	if (!err)
		kasan_poison(va, PAGE_SIZE << order, KASAN_PAGE_FREE);
}

u64 pmm_free_pages(void)
{
	return zone.free_pages;
}

u64 pmm_total_pages(void)
{
	return zone.npages - zone.reserved_pages;
}

void pmm_print_meminfo(void)
{
	printk("MemTotal:       %8llu kB\n",
	       (unsigned long long)((zone.npages - zone.reserved_pages) * 4));
	printk("MemFree:        %8llu kB\n", (unsigned long long)(zone.free_pages * 4));
	for (unsigned i = 0; i < nreserved; i++)
		printk("Reserved:       %8llu kB  [%#llx-%#llx) %s\n",
		       (unsigned long long)((reserved[i].end - reserved[i].start) >> 10),
		       (unsigned long long)reserved[i].start, (unsigned long long)reserved[i].end,
		       reserved_why[i]);
	buddy_print_stats(&zone);
}

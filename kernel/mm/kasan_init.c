/*
 * kasan_init.c - giving KASAN its shadow memory (1 byte per 8 bytes).
 *
 * Outline instrumentation checks only addresses inside registered ranges,
 * but GCC's stack instrumentation writes the shadow of every instrumented
 * stack frame directly.  So the shadow of the kernel image (which holds the
 * boot stack and all globals) must exist before the first instrumented
 * function runs: boot.S calls kasan_early_init() before kmain, and it maps
 * that shadow from a static pool into the boot page tables.  The rest
 * follows as memory appears:
 *
 *   kernel image     kasan_early_init()  static pool, before kmain
 *   direct map       kasan_init()        early pages, after vm_init()
 *   each stack       kasan_map_shadow()  from vm_alloc_stack()
 *
 * This file is compiled without instrumentation (it runs before shadow
 * exists).
 */
#include "arch/x86_64/layout.h"
#include "lib/kconfig.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "mm/kasan.h"
#include "mm/kasan_init.h"
#include "mm/page_alloc.h"
#include "mm/vm.h"

#define EARLY_SHADOW_BYTES (1u << 20)	/* shadow for an image of up to 8 MiB */
#define EARLY_TABLES 4
#define SHADOW_BIG (2ULL << 20)

extern char text_start[], kernel_end[];
extern u64 boot_pml4[512];

static u8 early_shadow[EARLY_SHADOW_BYTES] __attribute__((aligned(4096)));
static u64 early_tables[EARLY_TABLES][512] __attribute__((aligned(4096)));
static unsigned early_tables_used;

/* Map one 4 KiB page in the boot tables, reached through the boot window
 * (everything here is in the image, below 1 GiB physical). */
static void kasan_early_map(u64 va, u64 pa)
{
	u64 *table = boot_pml4;

	for (int l = 3; l > 0; l--) {
		u64 *e = &table[(va >> (12 + 9 * l)) & 0x1ff];

		if (!(*e & PTE_P)) {
			if (early_tables_used == EARLY_TABLES)
				for (;;)	/* cannot happen for an 8 MiB image */
					__asm__ __volatile__("cli; hlt");
			*e = ((u64)early_tables[early_tables_used++] - KERNEL_VMA) | PTE_P | PTE_W;
		}
		table = (u64 *)(KERNEL_VMA + (*e & 0x000ffffffffff000ULL));
	}
	table[(va >> 12) & 0x1ff] = pa | PTE_P | PTE_W | (1ULL << 63);
}

void kasan_early_init(void)
{
	u64 start = (u64)text_start & ~(u64)(PAGE_SIZE - 1);
	u64 end = ALIGN_UP((u64)kernel_end, PAGE_SIZE);
	u64 s = (u64)kasan_mem_to_shadow((void *)start) & ~(u64)(PAGE_SIZE - 1);
	u64 e = ALIGN_UP((u64)kasan_mem_to_shadow((void *)end), PAGE_SIZE);

	/* The linker script asserts the image fits the pool. */
	for (u64 va = s; va < e; va += PAGE_SIZE)
		kasan_early_map(va, (u64)early_shadow + (va - s) - KERNEL_VMA);
	__asm__ __volatile__("mov %%cr3, %%rax; mov %%rax, %%cr3" ::: "rax", "memory");
	kasan_register_shadow(start, end);
}

int kasan_map_shadow(u64 start, u64 end)
{
	u64 s = (u64)kasan_mem_to_shadow((void *)start);
	u64 e = (u64)kasan_mem_to_shadow((void *)ALIGN_UP(end, KASAN_GRANULE_SIZE));

	if (vm_populate(s, e - s, VM_WRITE) < 0)
		return -1;
	kasan_register_shadow(start, end);
	return 0;
}

void kasan_init(void)
{
	const struct pmm_range *ram;
	unsigned n = pmm_ram_ranges(&ram);
	u64 bytes = 0;

	/* The direct map's shadow is large (RAM / 8) and contiguous: map the
	 * 2 MiB-aligned middle of each range with 2 MiB pages (a few page-table
	 * writes instead of thousands: under a hypervisor that shadows page
	 * tables each write is a trap), the ends with 4 KiB pages. */
	for (unsigned i = 0; i < n; i++) {
		u64 s = PAGE_OFFSET + ram[i].start, e = PAGE_OFFSET + ram[i].end;
		u64 ss = (u64)kasan_mem_to_shadow((void *)s), se = (u64)kasan_mem_to_shadow((void *)e);
		u64 big_s = ALIGN_UP(ss, SHADOW_BIG), big_e = se & ~(SHADOW_BIG - 1);

		if (big_e > big_s) {
			vm_map_kernel_range(big_s, pmm_early_alloc_block(big_e - big_s, SHADOW_BIG),
					    big_e - big_s, VM_WRITE);
			if (vm_populate(ss, big_s - ss, VM_WRITE) < 0 ||
			    vm_populate(big_e, se - big_e, VM_WRITE) < 0)
				panic("kasan: no memory for the shadow of %llx..%llx",
				      (unsigned long long)s, (unsigned long long)e);
			kasan_register_shadow(s, e);
		} else if (kasan_map_shadow(s, e) < 0) {
			panic("kasan: no memory for the shadow of %llx..%llx",
			      (unsigned long long)s, (unsigned long long)e);
		}
		bytes += (e - s) / KASAN_GRANULE_SIZE;
	}
	pr_info("kasan: KernelAddressSanitizer initialized (shadow: %llu KiB for the direct map)\n",
		(unsigned long long)(bytes >> 10));
}

/*
 * vm.c - the kernel's page tables.
 *
 * boot.S ran on a 1 GiB map of 2 MiB pages, everything writable and
 * executable.  vm_init() replaces it with tables that say what each region
 * is for (Intel SDM 3A, 4.5, 4-level paging):
 *
 *   PAGE_OFFSET + pa      all RAM (the direct map)       RW, NX
 *   KERNEL_VMA + [0,1MiB) VGA text, BIOS data            RW, NX
 *   kernel .text          code                           R,  X
 *   kernel .rodata/.ksyms constants, symbol table        R,  NX
 *   kernel .data/.bss     variables                      RW, NX
 *   MMIO_VMA              phys 3..4 GiB, uncached        RW, NX
 *   KSTACK_VMA            kernel stacks + guard pages    RW, NX
 *   KASAN shadow          (mm/kasan_init.c)              RW, NX
 *
 * W^X: no page is both writable and executable, so a stray write cannot
 * plant code and code cannot be patched by accident.  Page-table pages come
 * from pmm_alloc_page_zeroed() and are reached through the boot window
 * until the direct map exists, then through the direct map.
 *
 * Lock: single CPU, tables changed only with interrupts off (vm_lock()).
 */
#include "arch/x86_64/layout.h"
#include "arch/x86_64/x86.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/kasan.h"
#include "mm/kasan_init.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/vm.h"

#define PTE_NX        (1ULL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL
#define SIZE_2M       (2ULL << 20)

extern char text_start[], text_end[], kernel_end[];
extern char rodata_start[], data_start[];

static u64 *kernel_pml4;		/* the tables in use after vm_init */
static bool direct_map_ready;		/* reach tables through PAGE_OFFSET */
static u64 next_stack_slot;		/* slots used so far */
static u64 free_slots[KSTACK_MAX];	/* freed slots, reused first (their
					   page tables and shadow stay mapped) */
static unsigned nr_free_slots;

static u64 *table_at(paddr_t pa);

paddr_t virt_to_phys(const void *va)
{
	u64 v = (u64)va;

	if (v >= PAGE_OFFSET && v < PAGE_OFFSET + DIRECT_MAP_MAX)
		return v - PAGE_OFFSET;
	if (v >= KERNEL_VMA && v < KERNEL_VMA + BOOT_MAP_LIMIT)
		return v - KERNEL_VMA;
	return (paddr_t)-1;
}

void *vm_early_virt(paddr_t pa)
{
	return table_at(pa);
}

/* A page-table page by physical address. */
static u64 *table_at(paddr_t pa)
{
	if (direct_map_ready)
		return phys_to_virt(pa);
	if (pa >= BOOT_MAP_LIMIT)
		panic("vm: page table at %llx beyond the boot mapping", (unsigned long long)pa);
	return (u64 *)(KERNEL_VMA + pa);
}

static u64 vm_pte_flags(unsigned flags)
{
	u64 f = PTE_P;

	if (flags & VM_WRITE)
		f |= PTE_W;
	if (!(flags & VM_EXEC))
		f |= PTE_NX;
	if (flags & VM_USER)
		f |= PTE_U;
	if (flags & VM_NOCACHE)
		f |= PTE_PCD | PTE_PWT;
	return f;
}

/*
 * The entry for va at `level` (3 = PML4 ... 0 = PT), creating the tables
 * above it when `create`.  Returns NULL if a table is missing (and not
 * created) or a large page covers va above the wanted level.
 */
static u64 *vm_walk(u64 *pml4, vaddr_t va, int level, bool create)
{
	u64 *table = pml4;

	for (int l = 3; l > level; l--) {
		u64 *e = &table[(va >> (12 + 9 * l)) & 0x1ff];

		if (!(*e & PTE_P)) {
			if (!create)
				return NULL;
			/* Intermediate entries allow everything; the leaf decides. */
			*e = pmm_alloc_page_zeroed() | PTE_P | PTE_W;
		} else if (*e & PTE_PS) {
			return NULL;
		}
		table = table_at(*e & PTE_ADDR_MASK);
	}
	return &table[(va >> (12 + 9 * level)) & 0x1ff];
}

/* Map [va, va+size) to [pa, ...): 2 MiB pages where both are aligned. */
static void vm_map_range(u64 *pml4, vaddr_t va, paddr_t pa, u64 size, unsigned flags)
{
	u64 f = vm_pte_flags(flags);

	while (size) {
		bool big = !(va & (SIZE_2M - 1)) && !(pa & (SIZE_2M - 1)) && size >= SIZE_2M;
		u64 *e = vm_walk(pml4, va, big ? 1 : 0, true);
		u64 step = big ? SIZE_2M : PAGE_SIZE;

		if (!e)
			panic("vm: cannot map %llx", (unsigned long long)va);
		*e = pa | f | (big ? PTE_PS : 0);
		va += step;
		pa += step;
		size -= step;
	}
}

static void vm_map_image(u64 *pml4)
{
	struct {
		char *start, *end;
		unsigned flags;
	} parts[] = {
		{ text_start, text_end, VM_EXEC },
		{ rodata_start, data_start, 0 },
		{ data_start, kernel_end, VM_WRITE },
	};

	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		u64 s = (u64)parts[i].start & ~(u64)(PAGE_SIZE - 1);
		u64 e = ALIGN_UP((u64)parts[i].end, PAGE_SIZE);

		vm_map_range(pml4, s, s - KERNEL_VMA, e - s, parts[i].flags);
	}
}

void vm_init(void)
{
	paddr_t pml4_pa = pmm_alloc_page_zeroed();
	u64 *pml4 = table_at(pml4_pa);
	const struct pmm_range *ram;
	unsigned nram = pmm_ram_ranges(&ram);
	paddr_t end = pmm_phys_end();

	/* The direct map covers RAM only: holes and firmware stay unmapped,
	 * so a wild pointer into them faults instead of reading junk. */
	for (unsigned i = 0; i < nram; i++)
		vm_map_range(pml4, PAGE_OFFSET + ram[i].start, ram[i].start,
			     ram[i].end - ram[i].start, VM_WRITE);
	vm_map_range(pml4, KERNEL_VMA, 0, 0x100000, VM_WRITE);
	vm_map_image(pml4);
	vm_map_range(pml4, MMIO_VMA, MMIO_PHYS, 0x40000000, VM_WRITE | VM_NOCACHE);
	/* KASAN's early shadow lives in boot tables: copy its top-level entry. */
	u64 *boot = (u64 *)(KERNEL_VMA + (read_cr3() & PTE_ADDR_MASK));

	for (int i = 256; i < 512; i++)
		if (!pml4[i] && boot[i] && i != 511)
			pml4[i] = boot[i];

	/* Every process's PML4 shares the kernel half by copying these 256
	 * entries once, at creation.  Give each one its table now, so that a
	 * kernel mapping made later (a new stack, shadow) lands in a table
	 * every process already points to. */
	for (int i = 256; i < 512; i++)
		if (!pml4[i])
			pml4[i] = pmm_alloc_page_zeroed() | PTE_P | PTE_W;

	write_cr3(pml4_pa);
	/* The boot window no longer reaches the tables: use the direct map. */
	direct_map_ready = true;
	kernel_pml4 = table_at(pml4_pa);
	pr_info("vm: kernel page tables at %llx: direct map of %llu MiB, W^X image\n",
		(unsigned long long)pml4_pa, (unsigned long long)(end >> 20));
}

void vm_share_kernel_half(u64 *pml4)
{
	memcpy(pml4 + 256, kernel_pml4 + 256, 256 * sizeof(u64));
}

paddr_t vm_kernel_tables(void)
{
	return virt_to_phys(kernel_pml4);
}

void vm_map_kernel_range(vaddr_t va, paddr_t pa, u64 size, unsigned flags)
{
	u64 irq = irq_save();

	/* New mappings only (nothing was mapped here): no TLB entry to flush. */
	vm_map_range(kernel_pml4, va, pa, size, flags);
	irq_restore(irq);
}

static void invlpg(vaddr_t va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

int vm_map_page(vaddr_t va, paddr_t pa, unsigned flags)
{
	u64 irq = irq_save();
	u64 *e = vm_walk(kernel_pml4, va, 0, true);

	if (e) {
		*e = pa | vm_pte_flags(flags);
		invlpg(va);
	}
	irq_restore(irq);
	return e ? 0 : -1;
}

int vm_unmap_page(vaddr_t va)
{
	u64 irq = irq_save();
	u64 *e = vm_walk(kernel_pml4, va, 0, false);

	if (e) {
		*e = 0;
		invlpg(va);
	}
	irq_restore(irq);
	return e ? 0 : -1;
}

int vm_protect(vaddr_t va, size_t pages, unsigned flags)
{
	for (size_t i = 0; i < pages; i++, va += PAGE_SIZE) {
		u64 irq = irq_save();
		u64 *e = vm_walk(kernel_pml4, va, 0, false);
		bool ok = e && (*e & PTE_P);

		if (ok) {
			*e = (*e & PTE_ADDR_MASK) | vm_pte_flags(flags);
			invlpg(va);
		}
		irq_restore(irq);
		if (!ok)
			return -1;
	}
	return 0;
}

paddr_t vm_translate(vaddr_t va, unsigned *flags)
{
	u64 *table = table_at(read_cr3() & PTE_ADDR_MASK);

	for (int l = 3; l >= 0; l--) {
		u64 e = table[(va >> (12 + 9 * l)) & 0x1ff];

		if (!(e & PTE_P))
			return (paddr_t)-1;
		if (l == 0 || (e & PTE_PS)) {
			u64 span = 1ULL << (12 + 9 * l);

			if (flags)
				*flags = ((e & PTE_W) ? VM_WRITE : 0) | ((e & PTE_NX) ? 0 : VM_EXEC) |
					 ((e & PTE_U) ? VM_USER : 0) | ((e & PTE_PCD) ? VM_NOCACHE : 0);
			return (e & PTE_ADDR_MASK & ~(span - 1)) | (va & (span - 1));
		}
		table = table_at(e & PTE_ADDR_MASK);
	}
	return (paddr_t)-1;
}

int vm_populate(vaddr_t va, size_t size, unsigned flags)
{
	for (vaddr_t v = va & ~(u64)(PAGE_SIZE - 1); v < va + size; v += PAGE_SIZE)
		if (vm_translate(v, NULL) == (paddr_t)-1 &&
		    vm_map_page(v, pmm_alloc_page_zeroed(), flags) < 0)
			return -1;
	return 0;
}

u64 vm_alloc_stack(void)
{
	u64 irq = irq_save();
	bool reuse = nr_free_slots > 0;

	if (!reuse && next_stack_slot == KSTACK_MAX) {
		irq_restore(irq);
		return 0;	/* as many threads as there may be */
	}
	u64 slot = reuse ? free_slots[--nr_free_slots] : next_stack_slot++;
	u64 base = KSTACK_VMA + slot * KSTACK_SLOT + PAGE_SIZE;

	irq_restore(irq);
	/* The page below base stays unmapped: the guard.  The stack's KASAN
	 * shadow must exist before the first instrumented frame lands on it;
	 * a reused slot has shadow already, still marked by the frames of the
	 * thread that had it. */
	if (vm_populate(base, KSTACK_SIZE, VM_WRITE) < 0)
		return 0;
	if (reuse)
		kasan_unpoison((void *)base, KSTACK_SIZE);
	/* The whole slot, guard page included (it faults before any shadow
	 * check matters): slots then touch, and KASAN's region table keeps
	 * one growing region for all stacks instead of one per stack. */
	else if (CONFIG_KASAN && kasan_map_shadow(base - PAGE_SIZE, base + KSTACK_SIZE) < 0)
		return 0;
	return base + KSTACK_SIZE;
}

void vm_free_stack(u64 top)
{
	for (u64 va = top - KSTACK_SIZE; va < top; va += PAGE_SIZE) {
		paddr_t pa = vm_translate(va, NULL);

		if (pa == (paddr_t)-1)
			continue;
		vm_unmap_page(va);
		free_pages(phys_to_virt(pa), 0);
	}
	u64 irq = irq_save();

	/* Every slot fits: there are never more than KSTACK_MAX. */
	free_slots[nr_free_slots++] = (top - 1 - KSTACK_VMA) / KSTACK_SLOT;
	irq_restore(irq);
}

/* Not instrumented: the stack depot's walk asks on every kmalloc and kfree. */
__attribute__((no_sanitize_address)) bool vm_stack_bounds(u64 addr, u64 *lo, u64 *hi)
{
	if (addr < KSTACK_VMA || addr >= KSTACK_VMA + next_stack_slot * KSTACK_SLOT)
		return false;
	u64 slot = KSTACK_VMA + (addr - KSTACK_VMA) / KSTACK_SLOT * KSTACK_SLOT;

	*lo = slot + PAGE_SIZE;
	*hi = slot + KSTACK_SLOT;
	return true;
}

bool vm_stack_guard_hit(u64 addr, u64 *lo, u64 *hi)
{
	return vm_stack_bounds(addr, lo, hi) && addr < *lo;
}

void vm_run_on_stack(u64 top, void (*fn)(void))
{
	/* RBP = 0 ends backtraces here, as at boot. */
	__asm__ __volatile__("mov %0, %%rsp\n\t"
			     "xor %%ebp, %%ebp\n\t"
			     "call *%1\n\t"
			     "ud2"
			     : : "r"(top), "r"(fn) : "memory");
	__builtin_unreachable();
}

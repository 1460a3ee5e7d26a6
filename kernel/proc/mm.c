/*
 * mm.c - user address spaces: page tables for the lower half, regions
 * (vmas), demand-zero faults, fork's copy, sbrk and anonymous mmap.
 * The picture and the ownership rules are in mm.h.
 *
 * Entries of the lower half carry PTE_U at every level (the CPU checks the
 * U bit at each level, Intel SDM 3A 4.6); leaves are NX unless the region
 * is executable.  Table pages and user pages come from the buddy
 * allocator, and every one is given back by mm_destroy.
 */
#include "arch/x86_64/layout.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/vm.h"
#include "proc/mm.h"
#include "uapi/canary.h"

#define PTE_NX        (1ULL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL
#define PAGE_MASK     (~(u64)(PAGE_SIZE - 1))

static void *mm_page_alloc_zeroed(void)
{
	void *p = alloc_pages(0);

	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

/* The leaf entry for va, creating tables when `create`; NULL if missing
 * (or out of memory). */
static u64 *mm_walk(u64 *pml4, u64 va, bool create)
{
	u64 *table = pml4;

	for (int l = 3; l > 0; l--) {
		u64 *e = &table[(va >> (12 + 9 * l)) & 0x1ff];

		if (!(*e & PTE_P)) {
			void *t = create ? mm_page_alloc_zeroed() : NULL;

			if (!t)
				return NULL;
			*e = virt_to_phys(t) | PTE_P | PTE_W | PTE_U;
		}
		table = phys_to_virt(*e & PTE_ADDR_MASK);
	}
	return &table[(va >> 12) & 0x1ff];
}

static u64 mm_pte(u64 pa, unsigned prot)
{
	return pa | PTE_P | PTE_U | ((prot & VM_WRITE) ? PTE_W : 0) | ((prot & VM_EXEC) ? 0 : PTE_NX);
}

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return NULL;
	mm->pml4 = mm_page_alloc_zeroed();
	if (!mm->pml4) {
		kfree(mm);
		return NULL;
	}
	mm->magic = MM_MAGIC;
	mm->pml4_pa = virt_to_phys(mm->pml4);
	mm->mmap_next = USER_MMAP_BASE;
	vm_share_kernel_half(mm->pml4);
	return mm;
}

/* Free the user pages and the tables below table (at level l). */
static void mm_free_level(u64 *table, int l, struct mm *mm)
{
	for (int i = 0; i < 512; i++) {
		if (!(table[i] & PTE_P))
			continue;
		void *below = phys_to_virt(table[i] & PTE_ADDR_MASK);

		if (l > 0)
			mm_free_level(below, l - 1, mm);
		else
			mm->pages--;
		free_pages(below, 0);
		table[i] = 0;
	}
}

void mm_destroy(struct mm *mm)
{
	if (!mm)
		return;
	BUG_ON(mm->magic != MM_MAGIC);
	BUG_ON(read_cr3() == mm->pml4_pa);	/* still in use: would free live tables */
	/* Only the lower half: the upper half is the kernel's, shared. */
	for (int i = 0; i < 256; i++) {
		if (!(mm->pml4[i] & PTE_P))
			continue;
		u64 *pdpt = phys_to_virt(mm->pml4[i] & PTE_ADDR_MASK);

		mm_free_level(pdpt, 2, mm);
		free_pages(pdpt, 0);
	}
	free_pages(mm->pml4, 0);
	mm->magic = 0;
	kfree(mm);
}

void mm_activate(const struct mm *mm)
{
	paddr_t pa = mm ? mm->pml4_pa : vm_kernel_tables();

	if (read_cr3() != pa)
		write_cr3(pa);
}

const struct vma *mm_find_vma(const struct mm *mm, u64 addr)
{
	for (unsigned i = 0; i < mm->nvma; i++)
		if (addr >= mm->vma[i].start && addr < mm->vma[i].end)
			return &mm->vma[i];
	return NULL;
}

const char *mm_vma_name(enum vma_kind kind)
{
	static const char *const names[] = { "image", "heap", "stack", "mmap" };

	return names[kind];
}

static bool mm_overlaps(const struct mm *mm, u64 start, u64 end)
{
	for (unsigned i = 0; i < mm->nvma; i++)
		if (start < mm->vma[i].end && mm->vma[i].start < end)
			return true;
	return false;
}

int mm_add_vma(struct mm *mm, u64 start, u64 end, unsigned prot, enum vma_kind kind)
{
	unsigned i;

	if (mm->nvma == MM_MAX_VMAS)
		return -ENOMEM;
	if ((start | end) & ~PAGE_MASK || start >= end || end > USER_TOP || mm_overlaps(mm, start, end))
		return -EINVAL;
	for (i = mm->nvma; i > 0 && mm->vma[i - 1].start > start; i--)
		mm->vma[i] = mm->vma[i - 1];
	mm->vma[i] = (struct vma){ start, end, prot, kind };
	mm->nvma++;
	return 0;
}

void *mm_map_zeroed(struct mm *mm, u64 va, unsigned prot)
{
	u64 *pte = mm_walk(mm->pml4, va & PAGE_MASK, true);
	void *page;

	if (!pte)
		return NULL;
	if (*pte & PTE_P)
		return phys_to_virt(*pte & PTE_ADDR_MASK);
	page = mm_page_alloc_zeroed();
	if (!page)
		return NULL;
	*pte = mm_pte(virt_to_phys(page), prot);
	mm->pages++;
	return page;
}

int mm_write(struct mm *mm, u64 va, const void *src, size_t n)
{
	const u8 *s = src;

	while (n) {
		const struct vma *v = mm_find_vma(mm, va);
		u8 *page = v ? mm_map_zeroed(mm, va, v->prot) : NULL;
		size_t off = va & (PAGE_SIZE - 1), chunk = MIN(n, PAGE_SIZE - off);

		if (!page)
			return v ? -ENOMEM : -EFAULT;
		memcpy(page + off, s, chunk);
		s += chunk;
		va += chunk;
		n -= chunk;
	}
	return 0;
}

int mm_fault(struct mm *mm, u64 addr, u64 ec)
{
	const struct vma *v = mm_find_vma(mm, addr);

	if (!v || (ec & PF_PROT))
		return -EFAULT;		/* nothing there, or present but not allowed */
	if (((ec & PF_WRITE) && !(v->prot & VM_WRITE)) || ((ec & PF_INSTR) && !(v->prot & VM_EXEC)))
		return -EFAULT;
	return mm_map_zeroed(mm, addr, v->prot) ? 0 : -ENOMEM;
}

/* Copy every present page under src's table at level l into dst's. */
static int mm_copy_level(struct mm *dst, const u64 *table, int l, u64 base)
{
	for (int i = 0; i < 512; i++) {
		u64 va = base | ((u64)i << (12 + 9 * l));

		if (!(table[i] & PTE_P))
			continue;
		const void *below = phys_to_virt(table[i] & PTE_ADDR_MASK);

		if (l > 0) {
			if (mm_copy_level(dst, below, l - 1, va) < 0)
				return -ENOMEM;
			continue;
		}
		u64 *pte = mm_walk(dst->pml4, va, true);
		void *copy = pte ? alloc_pages(0) : NULL;

		if (!copy)
			return -ENOMEM;
		memcpy(copy, below, PAGE_SIZE);
		*pte = virt_to_phys(copy) | (table[i] & ~PTE_ADDR_MASK);
		dst->pages++;
	}
	return 0;
}

struct mm *mm_fork(const struct mm *src)
{
	struct mm *dst = mm_create();

	if (!dst)
		return NULL;
	memcpy(dst->vma, src->vma, sizeof(src->vma));
	dst->nvma = src->nvma;
	dst->brk_start = src->brk_start;
	dst->brk = src->brk;
	dst->mmap_next = src->mmap_next;
	for (int i = 0; i < 256; i++) {
		if ((src->pml4[i] & PTE_P) &&
		    mm_copy_level(dst, phys_to_virt(src->pml4[i] & PTE_ADDR_MASK), 2, (u64)i << 39) < 0) {
			mm_destroy(dst);
			return NULL;
		}
	}
	return dst;
}

static bool mm_table_empty(const u64 *table)
{
	for (int i = 0; i < 512; i++)
		if (table[i])
			return false;
	return true;
}

/* Free the page-table pages below `table` (level l) that cover only
 * [start, end) and hold nothing any more: shrinking the heap or unmapping
 * a region gives back its tables too, not just its pages. */
static void mm_prune(struct mm *mm, u64 *table, int l, u64 base, u64 start, u64 end)
{
	u64 span = 1ULL << (12 + 9 * l);

	for (int i = 0; i < 512; i++) {
		u64 lo = base + (u64)i * span, hi = lo + span;

		if (hi <= start || lo >= end || !(table[i] & PTE_P))
			continue;
		u64 *below = phys_to_virt(table[i] & PTE_ADDR_MASK);

		if (l > 1)
			mm_prune(mm, below, l - 1, lo, start, end);
		if (mm_table_empty(below)) {
			table[i] = 0;
			free_pages(below, 0);
		}
	}
}

/* Unmap and free the pages of [start, end). */
static void mm_unmap_range(struct mm *mm, u64 start, u64 end)
{
	for (u64 va = start; va < end; va += PAGE_SIZE) {
		u64 *pte = mm_walk(mm->pml4, va, false);

		if (!pte || !(*pte & PTE_P))
			continue;
		free_pages(phys_to_virt(*pte & PTE_ADDR_MASK), 0);
		*pte = 0;
		mm->pages--;
		if (read_cr3() == mm->pml4_pa)
			__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
	}
	mm_prune(mm, mm->pml4, 3, 0, start, end);
	/* A freed table may still be cached in the TLB's paging-structure
	 * caches (Intel SDM 3A, 4.10.3): flush them all. */
	if (read_cr3() == mm->pml4_pa)
		write_cr3(mm->pml4_pa);
}

static struct vma *mm_heap(struct mm *mm)
{
	for (unsigned i = 0; i < mm->nvma; i++)
		if (mm->vma[i].kind == VMA_HEAP)
			return &mm->vma[i];
	return NULL;
}

/* Linux's heuristic overcommit, simplified: one request larger than all
 * of RAM is refused at once, though pages are only taken when touched. */
static bool mm_too_big(u64 bytes)
{
	return bytes / PAGE_SIZE > pmm_total_pages();
}

long mm_sbrk(struct mm *mm, long increment)
{
	struct vma *heap = mm_heap(mm);
	u64 old = mm->brk, new = old + (u64)increment;

	if (!heap)
		return -ENOMEM;
	if (increment < 0 ? new > old || new < mm->brk_start : new < old || new > USER_MMAP_BASE)
		return -ENOMEM;
	if (increment > 0 && mm_too_big(new - mm->brk_start))
		return -ENOMEM;
	u64 end = ALIGN_UP(new, PAGE_SIZE);

	if (end > heap->end && mm_overlaps(mm, heap->end, end))
		return -ENOMEM;
	if (end < heap->end)
		mm_unmap_range(mm, end, heap->end);
	/* A heap of zero pages keeps its (empty) region so that it can grow. */
	heap->end = end > heap->start ? end : heap->start + PAGE_SIZE;
	mm->brk = new;
	return (long)old;
}

long mm_mmap(struct mm *mm, size_t len, int prot)
{
	u64 size = ALIGN_UP((u64)len, PAGE_SIZE), start = mm->mmap_next;

	if (!len || size < len || (prot & PROT_WRITE && prot & PROT_EXEC))
		return -EINVAL;		/* W^X holds for user memory too */
	if (mm_too_big(size))
		return -ENOMEM;
	while (start + size <= USER_STACK_TOP - USER_STACK_MAX && start + size > start) {
		if (!mm_overlaps(mm, start, start + size)) {
			int r = mm_add_vma(mm, start, start + size,
					   ((prot & PROT_WRITE) ? VM_WRITE : 0) | ((prot & PROT_EXEC) ? VM_EXEC : 0),
					   VMA_MMAP);

			if (r < 0)
				return r;
			mm->mmap_next = start + size;
			return (long)start;
		}
		start += PAGE_SIZE;
	}
	return -ENOMEM;
}

long mm_munmap(struct mm *mm, u64 addr, size_t len)
{
	u64 size = ALIGN_UP((u64)len, PAGE_SIZE);

	if (addr & ~PAGE_MASK || !len || size < len || addr + size > USER_TOP || addr + size < addr)
		return -EINVAL;
	for (unsigned i = 0; i < mm->nvma; i++) {
		struct vma *v = &mm->vma[i];

		/* Only whole mmap regions: enough for malloc and the tests. */
		if (v->kind == VMA_MMAP && v->start == addr && v->end == addr + size) {
			mm_unmap_range(mm, v->start, v->end);
			memmove(v, v + 1, (mm->nvma - i - 1) * sizeof(*v));
			mm->nvma--;
			if (addr < mm->mmap_next)
				mm->mmap_next = addr;
			return 0;
		}
	}
	return -EINVAL;
}

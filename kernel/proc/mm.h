/*
 * mm.h - a process's address space (mm.c): its own PML4 whose upper half
 * is the kernel's (shared, supervisor-only) and whose lower half holds the
 * process's regions.
 *
 *   USER_TOP        +------------------+
 *                   | stack  (grows v) |  VMA_STACK, demand-zero, <= 1 MiB
 *                   +------------------+
 *                   |       ...        |
 *   USER_MMAP_BASE  | mmap regions     |  VMA_MMAP, demand-zero
 *                   |       ...        |
 *                   | heap (sbrk ^)    |  VMA_HEAP, demand-zero
 *                   | .data .bss       |  VMA_IMAGE, from the ELF file
 *                   | .rodata .text    |
 *   USER_BASE       +------------------+
 *   0               (never mapped: NULL faults)
 *
 * A page is mapped when first touched (mm_fault), except the ELF image,
 * which exec copies in at once.  fork copies every mapped page.
 *
 * Ownership: a struct mm belongs to one process and is changed only by
 * that process's thread (itself, or its parent before it first runs);
 * mm_destroy runs when no CPU uses its tables any more.
 */
#ifndef CANARY_PROC_MM_H
#define CANARY_PROC_MM_H

#include "lib/types.h"

#define MM_MAGIC 0x4d4d4d4du	/* "MMMM" */
#define MM_MAX_VMAS 32

enum vma_kind { VMA_IMAGE, VMA_HEAP, VMA_STACK, VMA_MMAP };

struct vma {
	u64 start, end;		/* page-aligned [start, end) */
	unsigned prot;		/* VM_WRITE | VM_EXEC (readable always) */
	enum vma_kind kind;
};

struct mm {
	u32 magic;
	paddr_t pml4_pa;	/* owned: the top-level table */
	u64 *pml4;		/* its direct-map address */
	struct vma vma[MM_MAX_VMAS];	/* sorted by start, no overlaps */
	unsigned nvma;
	u64 brk_start, brk;	/* the heap: [brk_start, brk) usable */
	u64 mmap_next;		/* where the next mmap() looks */
	u64 pages;		/* user pages mapped (ps, meminfo) */
};

struct mm *mm_create(void);
void mm_destroy(struct mm *mm);
/* A copy of src, page by page (fork); NULL if out of memory. */
struct mm *mm_fork(const struct mm *src);
/* Load mm's tables (NULL: the kernel's own). */
void mm_activate(const struct mm *mm);

int mm_add_vma(struct mm *mm, u64 start, u64 end, unsigned prot, enum vma_kind kind);
/* Map a zeroed page at va (inside a vma); its kernel address, or NULL. */
void *mm_map_zeroed(struct mm *mm, u64 va, unsigned prot);
/* Copy into mm's memory (not necessarily the active one) at va, mapping
 * zeroed pages as needed: exec writes the image and the arguments so. */
int mm_write(struct mm *mm, u64 va, const void *src, size_t n);

/* A user-space page fault at addr (error code bits as the CPU gives them):
 * 0 if a page was mapped, so the access can be retried; -EFAULT if the
 * access is not allowed (no region, write to read-only, execute of data). */
int mm_fault(struct mm *mm, u64 addr, u64 error_code);

long mm_sbrk(struct mm *mm, long increment);
long mm_mmap(struct mm *mm, size_t len, int prot);
long mm_munmap(struct mm *mm, u64 addr, size_t len);
/* The region holding addr, or NULL. */
const struct vma *mm_find_vma(const struct mm *mm, u64 addr);
const char *mm_vma_name(enum vma_kind kind);

#endif

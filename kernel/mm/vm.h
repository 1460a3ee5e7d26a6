/*
 * vm.h - kernel virtual memory: the page tables the kernel builds for
 * itself (vm.c) and the address translations everyone uses.
 *
 *   phys_to_virt(pa)  the direct map: every physical page at PAGE_OFFSET + pa
 *   virt_to_phys(va)  the inverse, for direct-map and kernel-image addresses
 *
 * Mapping flags describe what is allowed; anything not allowed faults:
 * no VM_WRITE = read-only, no VM_EXEC = NX (W^X: never both).
 */
#ifndef CANARY_MM_VM_H
#define CANARY_MM_VM_H

#include "arch/x86_64/layout.h"
#include "lib/kconfig.h"
#include "lib/types.h"

#define VM_WRITE   0x1u
#define VM_EXEC    0x2u
#define VM_USER    0x4u
#define VM_NOCACHE 0x8u

static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(pa + PAGE_OFFSET);
}

/* Physical address of a direct-map or kernel-image address; -1 otherwise. */
paddr_t virt_to_phys(const void *va);

/* A page-table or early page by physical address: through the boot
 * window before vm_init(), through the direct map after. */
void *vm_early_virt(paddr_t pa);

/* Build the kernel's own page tables and switch to them (needs the early
 * page allocator: page_alloc.h, pmm_early_init). */
void vm_init(void);

/* Copy the kernel half (PML4 entries 256..511) into a process's PML4.
 * vm_init gave each entry its table, so nothing needs copying later. */
void vm_share_kernel_half(u64 *pml4);
/* Physical address of the kernel's own PML4 (for CR3). */
paddr_t vm_kernel_tables(void);

/* Map/unmap/change one 4 KiB page in the kernel's address space.  These
 * flush the TLB entry (invlpg).  Return 0 or -1 (no memory, or the address
 * is covered by a 2 MiB mapping). */
int vm_map_page(vaddr_t va, paddr_t pa, unsigned flags);
int vm_unmap_page(vaddr_t va);
int vm_protect(vaddr_t va, size_t pages, unsigned flags);
/* Physical address va maps to, or -1; *flags gets VM_* when non-NULL. */
paddr_t vm_translate(vaddr_t va, unsigned *flags);
/* Map [va, va+size) to [pa, pa+size), with 2 MiB pages where aligned. */
void vm_map_kernel_range(vaddr_t va, paddr_t pa, u64 size, unsigned flags);
/* Map [va, va+size) to fresh zeroed pages (for shadow memory). */
int vm_populate(vaddr_t va, size_t size, unsigned flags);

/*
 * Kernel stacks live in their own region, each with an unmapped guard page
 * below it, so an overflow faults at once instead of corrupting memory:
 *
 *   KSTACK_VMA + n * KSTACK_SLOT:  [guard page][stack pages ......]
 *                                  ^ fault here     top (initial rsp) ^
 */
/* KASAN's redzones make frames bigger: like Linux, double the stack. */
#define KSTACK_SIZE ((16 * 1024) << CONFIG_KASAN)
#define KSTACK_SLOT (KSTACK_SIZE + PAGE_SIZE)
/* At most this many stacks (so threads) at once, like Linux's threads-max:
 * a fork bomb gets -ENOMEM, and every freed slot is remembered for reuse. */
#define KSTACK_MAX 1024

/* A new stack; returns its top (16-byte aligned), or 0. */
u64 vm_alloc_stack(void);
/* Unmap and free a stack from vm_alloc_stack; its slot (address range)
 * is reused by a later stack, as Linux reuses vmalloc'd stacks. */
void vm_free_stack(u64 top);
/* If addr lies in a stack's guard page, give that stack's bounds. */
bool vm_stack_guard_hit(u64 addr, u64 *stack_lo, u64 *stack_hi);
/* Bounds of the stack containing addr, if it is one of ours. */
bool vm_stack_bounds(u64 addr, u64 *stack_lo, u64 *stack_hi);

/* Switch to the stack whose top is `top` and call fn(); never returns. */
__noreturn void vm_run_on_stack(u64 top, void (*fn)(void));

#endif

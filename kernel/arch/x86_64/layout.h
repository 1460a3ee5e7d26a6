/*
 * layout.h - the kernel's fixed addresses and x86 control bits, shared by
 * assembly (boot.S, vectors.S), the linker script and C.  Constants only.
 *
 *   0xffffffffc0000000  MMIO_VMA: physical 3..4 GiB (device registers)
 *   0xffffffff80100000  kernel image (.text .rodata .ksyms .data .bss)
 *   0xffffffff80000000  KERNEL_VMA: physical 0 mapped here (first 1 GiB)
 *   0xfffffc0000000000  (KASAN shadow of the kernel half; see mm/kasan.h)
 *   0xffffc90000000000  KSTACK_VMA: kernel stacks, each above a guard page
 *   0xffff888000000000  PAGE_OFFSET: the direct map of all physical memory
 *   0x0000000000100000  .boot (32-bit entry) at its physical address
 *
 * The same numbers as Linux's x86-64 layout, so addresses in reports look
 * familiar (ffff888... is heap memory, ffffffff8... is kernel code/data).
 */
#ifndef CANARY_ARCH_LAYOUT_H
#define CANARY_ARCH_LAYOUT_H

#ifdef __ASSEMBLER__
#define ULL(x) x
#else
#define ULL(x) x##ULL
#endif

#define KERNEL_VMA      ULL(0xffffffff80000000)
#define KERNEL_PHYS     0x100000
#define BOOT_MAP_LIMIT  ULL(0x40000000)	/* boot tables map phys 0..1 GiB */
#define PAGE_OFFSET     ULL(0xffff888000000000)
#define DIRECT_MAP_MAX  ULL(0x1000000000)	/* map at most 64 GiB of RAM */
#define KSTACK_VMA      ULL(0xffffc90000000000)
#define MMIO_PHYS       ULL(0xc0000000)	/* phys 3..4 GiB, mapped uncached */
#define MMIO_VMA        ULL(0xffffffffc0000000)
#define BOOT_STACK_SIZE 16384
#define PAGE_SIZE       ULL(4096)
/* USER_TOP of uapi/canary.h, for assembly (proc/usermode.c asserts they agree). */
#define USER_TOP_ASM    ULL(0x00007ffffffff000)

/* Page-table entry bits (Intel SDM 3A, 4.5). */
#define PTE_P   0x001	/* present */
#define PTE_W   0x002	/* writable */
#define PTE_U   0x004	/* user */
#define PTE_PWT 0x008	/* write-through */
#define PTE_PCD 0x010	/* cache disable */
#define PTE_PS  0x080	/* large page (2 MiB in a PD) */

#define CR0_PE  0x00000001
#define CR0_WP  0x00010000
#define CR0_PG  0x80000000
#define CR4_PAE 0x00000020
#define CR4_SMEP 0x00100000	/* no kernel execution of user pages */
#define CR4_SMAP 0x00200000	/* no kernel access to user pages outside stac/clac */

#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100
#define EFER_NXE 0x00000800
#define EFER_SCE 0x00000001	/* SYSCALL/SYSRET enabled */
#define MSR_STAR  0xc0000081	/* segment bases for SYSCALL/SYSRET */
#define MSR_LSTAR 0xc0000082	/* 64-bit SYSCALL entry point */
#define MSR_FMASK 0xc0000084	/* RFLAGS bits SYSCALL clears */
#define RFLAGS_IF 0x200
#define RFLAGS_TF 0x100
#define RFLAGS_DF 0x400
#define RFLAGS_AC 0x40000

/* Segment selectors (gdt.c builds the table).  The same numbers as Linux,
 * so oopses read alike ("RIP: 0010:...", "RSP: 0018:..."). */
#define SEL_KCODE 0x10
#define SEL_KDATA 0x18
#define SEL_UCODE32 0x20	/* unused, but SYSRET needs it below user data */
#define SEL_UDATA 0x28
#define SEL_UCODE 0x30
#define SEL_TSS   0x38

#endif

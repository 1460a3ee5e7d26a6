/*
 * boot.S - the first instructions Canary runs, from a 32-bit loader to 64-bit C.
 *
 * Two loaders enter here at _start, both in 32-bit protected mode with paging
 * off:
 *   - GRUB via the multiboot2 header below:      EAX = 0x36d76289, EBX = info.
 *   - QEMU -kernel via the PVH ELF note below:   EBX = hvm_start_info
 *     (EAX is not defined: kmain tells the two apart by magic numbers).
 *
 * The path to C: zero .bss, check the CPU has long mode, build boot page
 * tables, enable PAE, set EFER.LME, enable paging (which activates long mode),
 * load a 64-bit GDT, far-jump to 64-bit code, jump to the higher half, drop
 * the identity map (so NULL and other low addresses fault), call kmain.
 *
 * Boot page tables (replaced by the memory manager later):
 *
 *   PML4[0]   --+                           identity map, removed once in the
 *               +--> PDPT[0]   --+          higher half
 *   PML4[511] --+    PDPT[510] --+--> boot_pd:      phys 0..1 GiB, 2 MiB pages
 *                    PDPT[511] -----> boot_pd_mmio: phys 3..4 GiB, uncached
 *
 *   so virtual 0xffffffff80000000 + x  ==  physical x   for x < 1 GiB, and
 *   virtual 0xffffffffc0000000 + y  ==  physical 0xc0000000 + y (the PCI hole
 *   with the local APIC, I/O APIC and device registers).
 *
 * This file is linked at its physical address (.boot, VMA = LMA = 1 MiB);
 * symbols in the higher half are reached from 32-bit code as (sym - KERNEL_VMA).
 */
#include "arch/x86_64/layout.h"

	.cfi_sections .debug_frame

/* ---------------------------------------------------------------- headers */

	.section .multiboot2, "a"
	.align 8
mb2_header:
	.long 0xe85250d6			/* multiboot2 magic */
	.long 0					/* architecture: i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(0xe85250d6 + 0 + (mb2_header_end - mb2_header))
	.align 8				/* end tag */
	.short 0, 0
	.long 8
mb2_header_end:

	/* PVH entry note (Xen ELF note type 18), read by QEMU -kernel.  QEMU
	 * reads a 64-bit address for an ELF64 image; the note needs 4-byte
	 * alignment or QEMU misses it (PLATFORM-NOTES section 1). */
	.section .note.Xen, "a", @note
	.align 4
	.long 4, 8, 18
	.asciz "Xen"
	.align 4
	.quad _start

/* ------------------------------------------------------- 32-bit entry code */

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl %eax, %edi				/* loader magic (multiboot2) */
	movl %ebx, %esi				/* info pointer, both loaders */

	/* Zero .bss (boot stack and page tables live there).  Loaders zero
	 * it too, but a learner's loader might not; this costs microseconds. */
	movl $(bss_start - KERNEL_VMA), %edx
	movl $(bss_end - KERNEL_VMA), %ecx
	subl %edx, %ecx
	xorl %eax, %eax
	movl %edi, %ebp				/* no stack yet: park EDI in EBP */
	movl %edx, %edi
	rep stosb
	movl %ebp, %edi

	/* Long mode present?  CPUID 0x80000001 EDX bit 29 (Intel SDM 2A, CPUID). */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode

	/* Boot page tables as pictured above. */
	movl $(boot_pdpt - KERNEL_VMA), %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, (boot_pml4 - KERNEL_VMA)
	movl %eax, (boot_pml4 - KERNEL_VMA + 511 * 8)
	movl $(boot_pd - KERNEL_VMA), %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, (boot_pdpt - KERNEL_VMA)
	movl %eax, (boot_pdpt - KERNEL_VMA + 510 * 8)
	movl $(boot_pd_mmio - KERNEL_VMA), %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, (boot_pdpt - KERNEL_VMA + 511 * 8)
	movl $(boot_pd - KERNEL_VMA), %ebx
	movl $(PTE_P | PTE_W | PTE_PS), %eax	/* 2 MiB pages */
	movl $512, %ecx
1:	movl %eax, (%ebx)
	addl $0x200000, %eax
	addl $8, %ebx
	loop 1b
	/* Device registers must not be cached (PCD | PWT). */
	movl $(MMIO_PHYS | PTE_P | PTE_W | PTE_PS | PTE_PWT | PTE_PCD), %eax
	movl $512, %ecx
2:	movl %eax, (%ebx)				/* boot_pd_mmio follows boot_pd */
	addl $0x200000, %eax
	addl $8, %ebx
	loop 2b

	movl %cr4, %eax				/* PAE is required by long mode */
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $(boot_pml4 - KERNEL_VMA), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx			/* EFER.LME: long mode enable; */
	rdmsr					/* NXE: allow the NX bit later */
	orl $(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl %cr0, %eax				/* paging on => long mode active */
	orl $(CR0_PG | CR0_PE | CR0_WP), %eax
	movl %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $SEL_KCODE, $entry64_low

no_long_mode:
	/* Say why on the VGA screen and COM1, then stop: there is no way on. */
	movl $no_lm_msg, %esi
	movl $0xb8000, %edi
2:	lodsb
	testb %al, %al
	jz 3f
	movb $0x4f, %ah				/* white on red */
	stosw
	movw $0x3f8, %dx
	outb %al, %dx
	jmp 2b
3:	hlt
	jmp 3b

	.code64
entry64_low:
	/* Still running at the physical address: jump to the higher half. */
	movabsq $boot_entry64, %rax
	jmp *%rax

	.section .boot.data, "a"
	.align 16
boot_gdt:
	.quad 0					/* null */
	.quad 0					/* 0x08: unused */
	.quad 0x00af9a000000ffff		/* 0x10: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff		/* 0x18: data, DPL 0 */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long boot_gdt
no_lm_msg:
	.asciz "Canary: this CPU has no 64-bit long mode; cannot boot."

/* ------------------------------------------------------- 64-bit, higher half */

	.text
	.globl boot_entry64
	.type boot_entry64, @function
boot_entry64:
	.cfi_startproc
	.cfi_undefined rip			/* debuggers: the stack ends here */
	movw $SEL_KDATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorl %eax, %eax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp				/* backtraces stop at a zero frame */

	/* Drop the identity map: from here on a NULL dereference faults. */
	movabsq $boot_pml4, %rax
	movq $0, (%rax)
	movq %cr3, %rax
	movq %rax, %cr3

#if CONFIG_KASAN
	/* Shadow for the image (boot stack, globals) before any instrumented
	 * frame: GCC's stack instrumentation writes shadow unconditionally. */
	pushq %rdi
	pushq %rsi
	call kasan_early_init
	popq %rsi
	popq %rdi
#endif
	/* kmain(loader_magic, info_phys): EDI and ESI survive from _start. */
	movl %edi, %edi
	movl %esi, %esi
	call kmain
4:	cli
	hlt
	jmp 4b
	.cfi_endproc
	.size boot_entry64, . - boot_entry64

/* -------------------------------------------------------------------- data */

	.bss
	.align 4096
	.globl boot_pml4
boot_pml4:	.skip 4096
boot_pdpt:	.skip 4096
boot_pd:	.skip 4096
boot_pd_mmio:	.skip 4096
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits

/*
 * frame.h - for assembly only: the general registers of a struct
 * trap_frame (trap.h), pushed and popped in one order by every way into
 * the kernel (vectors.S for interrupts and exceptions, syscall.S for
 * SYSCALL), so C sees one layout.
 */
#ifndef CANARY_ARCH_FRAME_H
#define CANARY_ARCH_FRAME_H

#ifdef __ASSEMBLER__
/* rax first: it ends up highest, right below the vector number. */
.macro push_gprs
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro pop_gprs
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
.endm
#endif

#endif

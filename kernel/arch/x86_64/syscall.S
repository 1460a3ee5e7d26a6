/*
 * syscall.S - the SYSCALL entry point and the two ways back to user mode.
 *
 * SYSCALL (Intel SDM 2B, "SYSCALL") does not switch stacks: it saves the
 * user RIP in RCX and RFLAGS in R11, loads CS/SS from MSR_STAR, clears the
 * RFLAGS bits in MSR_FMASK (IF among them, so no interrupt arrives while
 * RSP is still the user's) and jumps to MSR_LSTAR.  The entry builds a
 * struct trap_frame (trap.h) on the thread's kernel stack, exactly as an
 * interrupt from user mode would, so C sees one format for both:
 *
 *   syscall_rsp0 (= TSS.rsp0) -> ss  user rsp  rflags  cs  rip   as the CPU would push
 *                                error_code=0  vector=SYSCALL_VECTOR
 *                                rax ... r15                     as trap_common pushes
 *
 * The way out is SYSRET when it is safe, IRETQ otherwise.  SYSRET with a
 * non-canonical RCX raises #GP on Intel CPUs *in ring 0 but on the user's
 * stack* (CVE-2012-0217, which gave root on several kernels), so any RIP
 * at or above USER_TOP (exec of a hostile ELF, a forged frame) goes out
 * through IRETQ, where the fault happens in user mode.
 *
 * Single CPU: syscall_user_rsp is a scratch slot used only while IF=0.
 * With SMP it would live in a per-CPU area reached through SWAPGS.
 */
#include "arch/x86_64/frame.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/irq_vectors.h"

#define TF_RIP 136	/* offsetof(struct trap_frame, rip) */

	.bss
	.align 8
	.globl syscall_rsp0
syscall_rsp0:		.quad 0		/* top of the running thread's stack */
syscall_user_rsp:	.quad 0

	.text
	.globl syscall_entry
	.type syscall_entry, @function
syscall_entry:
	movq %rsp, syscall_user_rsp(%rip)
	movq syscall_rsp0(%rip), %rsp
	pushq $(SEL_UDATA | 3)		/* ss */
	pushq syscall_user_rsp(%rip)	/* rsp */
	pushq %r11			/* rflags */
	pushq $(SEL_UCODE | 3)		/* cs */
	pushq %rcx			/* rip */
	pushq $0			/* error code */
	pushq $SYSCALL_VECTOR
	push_gprs
	movq %rsp, %rdi
	xorl %ebp, %ebp			/* backtraces end at the user boundary */
	sti				/* now on our own stack: interrupts are fine */
	call syscall_dispatch
	cli
	movq TF_RIP(%rsp), %rcx
	movabsq $USER_TOP_ASM, %r11
	cmpq %r11, %rcx
	jae trap_return			/* not a safe SYSRET target */
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	addq $8, %rsp			/* r11: becomes RFLAGS */
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	addq $8, %rsp			/* rcx: becomes RIP */
	popq %rbx
	popq %rax
	addq $16, %rsp			/* vector, error code */
	popq %rcx			/* rip */
	addq $8, %rsp			/* cs */
	popq %r11			/* rflags */
	popq %rsp			/* the user's stack; IF=0 until SYSRET */
	sysretq
	.size syscall_entry, . - syscall_entry

/* usermode_enter(tf): leave the kernel through the frame at tf (IRETQ). */
	.globl usermode_enter
	.type usermode_enter, @function
usermode_enter:
	cli
	movq %rdi, %rsp
	jmp trap_return
	.size usermode_enter, . - usermode_enter

	.section .note.GNU-stack, "", @progbits

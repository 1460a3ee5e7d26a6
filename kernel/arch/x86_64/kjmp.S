/*
 * kjmp.S - setjmp/longjmp for the kernel, used to resume after an expected
 * fault (traps.c, trap_expect_fault).  Saves the callee-saved registers, the
 * stack pointer, the return address and RFLAGS (so the interrupt flag, which
 * the exception gate cleared, comes back as it was).
 *
 *   struct kjmp { rbx, rbp, r12, r13, r14, r15, rsp, rip, rflags }
 */
	.text
	.globl kjmp_set
	.type kjmp_set, @function
kjmp_set:				/* int kjmp_set(struct kjmp *j) */
	movq %rbx, 0(%rdi)
	movq %rbp, 8(%rdi)
	movq %r12, 16(%rdi)
	movq %r13, 24(%rdi)
	movq %r14, 32(%rdi)
	movq %r15, 40(%rdi)
	leaq 8(%rsp), %rax		/* caller's rsp after our return */
	movq %rax, 48(%rdi)
	movq (%rsp), %rax		/* return address */
	movq %rax, 56(%rdi)
	pushfq
	popq 64(%rdi)
	xorl %eax, %eax
	ret
	.size kjmp_set, . - kjmp_set

	.globl kjmp_jump
	.type kjmp_jump, @function
kjmp_jump:				/* void kjmp_jump(struct kjmp *j, int v) */
	movq 0(%rdi), %rbx
	movq 8(%rdi), %rbp
	movq 16(%rdi), %r12
	movq 24(%rdi), %r13
	movq 32(%rdi), %r14
	movq 40(%rdi), %r15
	movq 48(%rdi), %rsp
	pushq 64(%rdi)
	popfq
	movl %esi, %eax
	testl %eax, %eax		/* setjmp must never appear to return 0 twice */
	jnz 1f
	incl %eax
1:	jmpq *56(%rdi)
	.size kjmp_jump, . - kjmp_jump

	.section .note.GNU-stack, "", @progbits

/*
 * switch.S - the context switch: save the callee-saved registers of the
 * running thread on its own stack, remember that stack pointer, load the
 * next thread's, and restore its registers.  Everything else (the
 * caller-saved registers, RFLAGS) the C caller already keeps on its stack.
 *
 *   void switch_to(u64 *prev_rsp, u64 next_rsp);
 *
 * A switched-out thread's stack, at its saved rsp (lowest first):
 *   r15 r14 r13 r12 rbx rbp <return address into schedule()>
 * (thread.c builds the same frame for a new thread, returning into
 * thread_trampoline.)
 */
	.text
	.globl switch_to
	.type switch_to, @function
switch_to:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size switch_to, . - switch_to

	.section .note.GNU-stack, "", @progbits

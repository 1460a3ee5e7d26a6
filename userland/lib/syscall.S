/*
 * syscall.S - syscall(nr, a1, ..., a6): any system call by number, for
 * programs that must make calls the generated stubs cannot (a number not
 * in the table, garbage arguments: see <syscall.h>).  The C arguments
 * arrive one register to the right of where the kernel wants them, and
 * the sixth is on the stack, above the return address.  Its own file, so
 * that only a program that calls it links it.
 */
	.section .text.syscall, "ax", @progbits
	.globl syscall
	.type syscall, @function
syscall:
	mov	%rdi, %rax		/* number */
	mov	%rsi, %rdi		/* a1 */
	mov	%rdx, %rsi		/* a2 */
	mov	%rcx, %rdx		/* a3 */
	mov	%r8, %r10		/* a4: r10, since syscall clobbers rcx */
	mov	%r9, %r8		/* a5 */
	mov	8(%rsp), %r9		/* a6 */
	syscall
	ret
	.size syscall, . - syscall

	.section .note.GNU-stack, "", @progbits

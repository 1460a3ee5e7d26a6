/*
 * crt0.S - _start, the first user instruction of every program: it turns
 * the stack the kernel built into main(argc, argv) and hands main's return
 * value to exit().  Linked first into each program by userland/build.mk.
 *
 * The entry state is defined HERE; the kernel's exec builds exactly this.
 *
 *   rip    _start (the ELF entry point, e_entry)
 *   rsp    16-byte aligned, pointing at argc:
 *
 *          high  +--------------------------+  <- USER_STACK_TOP
 *                | argument strings, each   |
 *                | NUL-terminated           |
 *                +--------------------------+
 *                | 0..15 bytes of padding   |  (so that rsp below is
 *                +--------------------------+   16-byte aligned)
 *                | NULL                     |  argv[argc]
 *                | argv[argc-1]             |  pointers into the strings
 *                | ...                      |
 *                | argv[0]                  |  rsp + 8
 *      rsp ----> | argc                     |  8 bytes
 *           low  +--------------------------+
 *
 *          There is no envp and no auxiliary vector after argv's NULL.
 *   other general registers   zero (nothing of the kernel's may leak)
 *   rflags  IF = 1 (interrupts on), DF = 0 (the ABI requires it clear)
 *   fs/gs bases 0 (no thread-local storage)
 *   SSE/x87  unused: every user program is built -mgeneral-regs-only
 *
 * rsp already has the alignment the System V ABI wants just before a
 * `call` (16 bytes), so _start calls main without adjusting it.
 */
	.section .text.start, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
	xor	%ebp, %ebp		/* outermost frame: backtraces stop here */
	mov	(%rsp), %rdi		/* argc */
	lea	8(%rsp), %rsi		/* argv */
	call	main
	mov	%eax, %edi		/* exit(main's return value) */
	call	exit
	ud2				/* exit() does not return */
	.size _start, . - _start

	/* No executable stack wanted (GNU ld's convention). */
	.section .note.GNU-stack, "", @progbits

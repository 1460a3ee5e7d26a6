/*
 * vectors.S - interrupt entry stubs and the common path into C.
 *
 * Every stub leaves the same frame (struct trap_frame in trap.h): CPUs push
 * an error code for some exceptions only, so the others push a zero first.
 * The stubs for exceptions come from traps.def; stubs for all other vectors
 * follow.
 * idt.c installs trap_stub_table[i] as the handler for vector i.
 *
 *   high  ss rsp rflags cs rip      pushed by the CPU
 *         error_code vector         pushed by the stub
 *   low   rax ... r15               pushed by trap_common
 */
#include "arch/x86_64/frame.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/irq_vectors.h"

	.text
.macro trap_stub vec, has_error
	.align 16
trap_stub_\vec:
	.if \has_error == 0
	pushq $0
	.endif
	pushq $\vec
	jmp trap_common
.endm

#define TRAP(vec, mn, name, err) trap_stub vec, err;
#include "arch/x86_64/traps.def"
#undef TRAP

.altmacro
.set v, IRQ_BASE
.rept NR_VECTORS - IRQ_BASE
	trap_stub %v, 0
	.set v, v + 1
.endr

	.type trap_common, @function
trap_common:
	push_gprs
	cld				/* the C ABI expects DF clear */
	movq %rsp, %rdi
	/* Link a frame to the interrupted code so backtraces from a handler
	 * continue into it: [rbp] = interrupted rbp, [rbp+8] = interrupted rip. */
	pushq 17*8(%rsp)		/* frame->rip */
	pushq 8*8+8(%rsp)		/* frame->rbp (one slot further after that push) */
	movq %rsp, %rbp
	call trap_dispatch
	addq $16, %rsp
	/* Also the way back to user mode for a new process, a forked child
	 * and exec (proc/usermode): rsp points at a struct trap_frame. */
	.globl trap_return
trap_return:
	pop_gprs
	addq $16, %rsp			/* vector and error code */
	iretq
	.size trap_common, . - trap_common

	.section .rodata
	.align 8
	.globl trap_stub_table
trap_stub_table:
.macro stub_addr n
	.quad trap_stub_\n
.endm
.set v, 0
.rept NR_VECTORS
	stub_addr %v
	.set v, v + 1
.endr

	.section .note.GNU-stack, "", @progbits

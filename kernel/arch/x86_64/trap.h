/*
 * trap.h - the saved CPU state of an interrupt or exception, and the
 * interfaces of the trap layer (idt.c, traps.c, gdt.c).
 */
#ifndef CANARY_ARCH_TRAP_H
#define CANARY_ARCH_TRAP_H

#include "lib/types.h"

/* Layout fixed by vectors.S: lowest address first. */
struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector;	/* pushed by the stub */
	u64 error_code;	/* pushed by the CPU, or 0 by the stub */
	u64 rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

/* Page-fault error code bits (Intel SDM 3A, 4.7). */
#define PF_PROT  0x01	/* 0: not present; 1: protection violation */
#define PF_WRITE 0x02
#define PF_USER  0x04
#define PF_RSVD  0x08
#define PF_INSTR 0x10
#define PF_PK    0x20

typedef void (*irq_handler_t)(struct trap_frame *tf);

void gdt_init(void);
void idt_init(void);
/* Route legacy IRQ line irq (0..15) to handler and unmask it. */
void irq_register(int irq, irq_handler_t handler);
void trap_dispatch(struct trap_frame *tf);
/* Exceptions (traps.c): report, recover if expected, else panic. */
void trap_exception(struct trap_frame *tf);
const char *trap_name(u64 vector);

/*
 * Expected faults, for tests that provoke an exception on purpose.
 * trap_expect_fault() runs fn(arg); if it raises exception `vector`, the
 * oops is printed as usual (and copied into `oops` when it is non-NULL),
 * execution resumes after the call, and the result says what happened.
 * Any other exception, or none, is reported in the result; nothing panics.
 */
struct trap_fault_result {
	bool faulted;		/* an exception was caught */
	u64 vector;		/* which one */
	u64 error_code;
	u64 rip;		/* where */
	u64 cr2;		/* page-fault address */
};
bool trap_expect_fault(u64 vector, void (*fn)(void *), void *arg,
		       char *oops, size_t oops_size, struct trap_fault_result *res);

/* Oopses reported since boot, and how many of them a test expected. */
int trap_oops_count(void);
int trap_expected_oopses(void);

#endif

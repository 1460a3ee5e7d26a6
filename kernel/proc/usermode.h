/*
 * usermode.h - crossing between ring 0 and ring 3 (usermode.c, and
 * arch/x86_64/syscall.S): SYSCALL set-up, SMEP/SMAP, what happens when a
 * program faults, and the per-switch state (TSS.rsp0, CR3).
 */
#ifndef CANARY_PROC_USERMODE_H
#define CANARY_PROC_USERMODE_H

#include "arch/x86_64/trap.h"
#include "lib/types.h"

/* Program the SYSCALL MSRs; turn on SMEP and SMAP if the CPU has them. */
void usermode_init(void);
/* Leave the kernel through the frame at tf (IRETQ): never returns. */
__noreturn void usermode_enter(struct trap_frame *tf);
/* A frame that enters user mode at rip with stack rsp. */
void usermode_frame(struct trap_frame *tf, u64 rip, u64 rsp);

/* From the scheduler, before switching to next: its kernel stack for
 * entries from ring 3, and its address space. */
struct thread;
void usermode_switch_to(struct thread *next);

/*
 * From the exception handlers.  A fault in ring 3 kills the process with a
 * one-line report (Linux's "segfault at ..." line) unless it is a page
 * fault that demand paging resolves.  A fault in ring 0 on a user address
 * inside copy_from_user & co. resumes at its fixup.  Returns true if the
 * fault was handled (the caller returns from the trap), false if it is a
 * kernel bug (oops).
 */
bool usermode_fault(struct trap_frame *tf, u64 cr2);
/* On the way back to ring 3 (syscall or interrupt return): die if killed. */
void usermode_return_check(struct trap_frame *tf);

#endif

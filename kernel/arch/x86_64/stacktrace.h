/*
 * stacktrace.h - walking the frame-pointer chain (stacktrace.c).
 *
 * The kernel is built with -fno-omit-frame-pointer, so every frame starts
 * with the caller's RBP, just below the return address:
 *
 *     higher   | return address |  [rbp + 8]
 *              | saved rbp      |  [rbp]  --> caller's frame
 *     lower    | locals ...     |
 *
 * boot.S starts the chain with RBP = 0, which ends every walk cleanly.
 */
#ifndef CANARY_ARCH_STACKTRACE_H
#define CANARY_ARCH_STACKTRACE_H

#include "lib/types.h"

#define STACK_WALK_MAX 32

/* Collect up to max return addresses starting at frame rbp; returns count. */
int stack_walk(u64 rbp, u64 *ret_addrs, int max);
/* Print "Call Trace:" with one symbolized line per frame, Linux style. */
void show_call_trace(u64 rbp);
/* The same for an interrupted context (an oops): also finds the caller of
 * a leaf function that runs without a frame of its own. */
void show_call_trace_regs(u64 rip, u64 rsp, u64 rbp);
/* Print the current call chain, as Linux's dump_stack(). */
void dump_stack(void);

#endif

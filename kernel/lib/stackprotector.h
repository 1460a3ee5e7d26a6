/*
 * stackprotector.h - the runtime of GCC's -fstack-protector-strong
 * (stackprotector.c).
 *
 * Every function with an array or an address-taken local copies a secret,
 * __stack_chk_guard, between its locals and its return address on entry
 * and compares it on return; a linear overflow of a local buffer has to
 * overwrite the copy before it reaches the return address, so the
 * mismatch is caught before `ret` jumps anywhere:
 *
 *     higher  | return address |
 *             | saved rbp      |
 *             | guard copy     |  <- checked before returning
 *     lower   | char buf[16]   |  <- an overflow grows upwards
 *
 * The kernel uses -mstack-protector-guard=global: one guard for everything
 * (no per-CPU or per-task copy yet).
 */
#ifndef CANARY_LIB_STACKPROTECTOR_H
#define CANARY_LIB_STACKPROTECTOR_H

#include "lib/kconfig.h"
#include "lib/types.h"

#if CONFIG_STACKPROTECTOR
/*
 * Replace the boot-time guard with one that differs at every boot.  Every
 * protected function still running when the guard changes would fail its
 * check on return, so call this from a function that never returns
 * (kmain's continuation), before anything protected below it is entered.
 */
void stackprotector_init(void);
#else
static inline void stackprotector_init(void) {}
#endif

#endif

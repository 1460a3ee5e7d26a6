/*
 * crash.h - faults on purpose, for demos and boot tests (crash.c), in the
 * spirit of Linux's LKDTM.  crash=TYPE on the command line or `crash TYPE`
 * in the monitor provokes one; the kernel then oopses and panics.
 *
 * The list is written once here; the option table and monitor use it.
 */
#ifndef CANARY_CRASH_H
#define CANARY_CRASH_H

#include "lib/types.h"

/* X(name, function, what it does) */
#define CRASH_TYPES(X)                                                                  \
	X(none, crash_none, "do nothing")                                              \
	X(pf, crash_write_unmapped, "write to an unmapped address (#PF, not-present page)") \
	X(null, crash_read_null, "read through a NULL pointer (#PF at address 0)")    \
	X(ud, crash_invalid_opcode, "execute an invalid instruction (#UD)")           \
	X(de, crash_divide_error, "divide by zero (#DE)")                             \
	X(gp, crash_noncanonical, "use a non-canonical address (#GP)")                \
	X(int3, crash_breakpoint, "hit a stray breakpoint instruction (#BP)")          \
	X(smash, crash_stack_smash, "overrun a stack buffer (stack protector; SAN=1)") \
	X(panic, crash_panic, "call panic()")                                          \
	X(hang, crash_hang, "spin forever with interrupts on (for timeouts)")

/* NULL-terminated, in CRASH_TYPES order: the crash= option's values. */
extern const char *const crash_names[];

/* Provoke crash number `type`; returns only for "none" or a bad number. */
void crash_trigger(int type);
/* Look a type up by name; -1 if unknown. */
int crash_lookup(const char *name);
void crash_print_types(void);

/* The individual faults, used by the trap tests as expected faults. */
void crash_write_unmapped(void *arg);
void crash_read_null(void *arg);
void crash_invalid_opcode(void *arg);
void crash_divide_error(void *arg);
void crash_noncanonical(void *arg);
void crash_breakpoint(void *arg);
void crash_stack_smash(void *arg);	/* crash_stack.c */

#endif

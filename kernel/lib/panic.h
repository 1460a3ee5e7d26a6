/*
 * panic.h - stopping the kernel when it cannot go on (panic.c).
 */
#ifndef CANARY_LIB_PANIC_H
#define CANARY_LIB_PANIC_H

#include "lib/types.h"

enum panic_action {
	PANIC_POWEROFF,	/* power off with EXIT_PANIC: demos and tests finish */
	PANIC_HALT,	/* stop the CPU: QEMU stays up for GDB post-mortems */
};

void panic_set_action(enum panic_action a);
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

/* "kernel BUG at FILE:LINE!", the call trace, then panic: as Linux's BUG(). */
__noreturn void bug_report(const char *cond, const char *file, int line);

#define BUG_ON(cond)                                            \
	do {                                                    \
		if (cond)                                       \
			bug_report(#cond, __FILE__, __LINE__);  \
	} while (0)

#endif

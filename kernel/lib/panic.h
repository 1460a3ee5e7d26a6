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

#define BUG_ON(cond)                                                            \
	do {                                                                    \
		if (cond)                                                       \
			panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#endif

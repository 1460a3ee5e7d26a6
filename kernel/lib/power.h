/*
 * power.h - leaving the machine: power-off with an exit status, reboot.
 *
 * Under QEMU with `-device isa-debug-exit,iobase=0xf4,iosize=0x04` the
 * status reaches the host: QEMU exits with (status << 1) | 1, and
 * tools/kboot turns that back into `status`.  QEMU exit code 0 therefore
 * never means success (it is what a triple fault gives under -no-reboot).
 * Statuses stay below 124; kboot uses 124..127 for its own outcomes.
 */
#ifndef CANARY_LIB_POWER_H
#define CANARY_LIB_POWER_H

#include "lib/types.h"

enum kernel_exit {
	KEXIT_SUCCESS = 0,	/* clean power-off; all tests passed */
	KEXIT_TEST_FAILED = 1,	/* at least one in-kernel test failed */
	KEXIT_USAGE = 2,	/* the command line asked for something impossible */
	KEXIT_PANIC = 3,	/* kernel panic (oops, BUG_ON, ...) */
	KEXIT_MAX = 123,
};

__noreturn void power_off(int status);
__noreturn void power_reboot(void);

#endif

/*
 * crash_stack.c - the one crash= demo that must be compiled WITH the
 * sanitizers: crash=smash overruns a stack buffer, which the stack
 * protector catches when the function returns (crash.c itself is built
 * without instrumentation, so that its CPU faults arrive unannounced).
 *
 * The overrun is an inline-assembly string store: KASAN does not see it,
 * so the report that fires is the stack protector's, alone.
 */
#include "crash.h"

__attribute__((noinline)) void crash_stack_smash(void *arg)
{
	volatile char buf[16];
	char *p = (char *)buf;
	unsigned long n = 64;	/* past buf, the canary, saved rbp, return address */

	(void)arg;
	buf[0] = 0;
	__asm__ __volatile__("rep stosb" : "+D"(p), "+c"(n) : "a"(0x41) : "memory");
}

/*
 * stackprotector.c - the guard value GCC's stack protector compares, and
 * what happens when the comparison fails (see stackprotector.h).
 *
 * Until stackprotector_init() the guard is a fixed value, so code that runs
 * before it (boot, early memory setup) is protected too, just not against
 * an attacker who knows the value.  The failure path is Linux's
 * (kernel/panic.c): there is no safe way to continue on a stack whose
 * return address may already be overwritten.  Never instrumented.
 */
#include "arch/x86_64/x86.h"
#include "lib/ksym.h"
#include "lib/panic.h"
#include "lib/stackprotector.h"

/* The low byte is zero (as Linux's CANARY_MASK makes it): a string copy
 * that overflows into the guard copies a NUL first, so it can neither
 * leak the guard through printing nor write it back past the zero. */
#define STACK_GUARD_MASK 0xffffffffffffff00ULL

/* Read by every protected function; the name and type are GCC's ABI
 * (-mstack-protector-guard=global). */
u64 __stack_chk_guard = 0x2d4c53b7a9e81600ULL;

void __stack_chk_fail(void);

/* splitmix64's finalizer: each input bit flips about half the output. */
static u64 stackprotector_mix(u64 x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void stackprotector_init(void)
{
	/* No hardware RNG is assumed: the TSC at this point depends on the
	 * machine, the loader and the timing of the boot so far, and the
	 * stack address mixes in where this stack was allocated. */
	u64 seed = rdtsc() ^ ((u64)&seed << 17) ^ __stack_chk_guard;
	u64 guard = stackprotector_mix(seed) & STACK_GUARD_MASK;

	if (!guard)	/* all zero would match a zeroed stack */
		guard = 0x5a17c0de00000100ULL;
	__stack_chk_guard = guard;
}

/* Called instead of returning when a function finds its guard copy
 * changed.  The return address names the function that found it. */
__noreturn void __stack_chk_fail(void)
{
	char where[128];

	ksym_snprint_return(where, sizeof(where), (u64)__builtin_return_address(0));
	panic("stack-protector: Kernel stack is corrupted in: %s", where);
}

/*
 * crash.c - one small function per fault class.  Each is noinline so that
 * it has its own symbol: the oops names it on the RIP line, and the Call
 * Trace shows who called it.  `volatile` stops GCC from deleting or
 * rearranging accesses it can prove are undefined.
 */
#include "arch/x86_64/x86.h"
#include "crash.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"

/* Above the 1 GiB boot mapping and below the higher half: never mapped. */
#define CRASH_UNMAPPED_ADDR 0x40000000ULL
#define CRASH_NONCANONICAL_ADDR 0xdead000000000100ULL

__attribute__((noinline)) void crash_write_unmapped(void *arg)
{
	(void)arg;
	*(volatile u64 *)CRASH_UNMAPPED_ADDR = 0x6b6b6b6b;
}

__attribute__((noinline)) void crash_read_null(void *arg)
{
	volatile u64 *p = arg;	/* callers pass NULL */

	(void)*p;
}

__attribute__((noinline)) void crash_invalid_opcode(void *arg)
{
	(void)arg;
	__asm__ __volatile__("ud2");
}

__attribute__((noinline)) void crash_divide_error(void *arg)
{
	volatile u32 zero = 0;

	(void)arg;
	*(volatile u32 *)&zero = 10 / zero;
}

__attribute__((noinline)) void crash_noncanonical(void *arg)
{
	(void)arg;
	(void)*(volatile u64 *)CRASH_NONCANONICAL_ADDR;
}

__attribute__((noinline)) void crash_breakpoint(void *arg)
{
	(void)arg;
	__asm__ __volatile__("int3");
}

static void crash_none(void *arg) { (void)arg; }

static void crash_panic(void *arg)
{
	(void)arg;
	panic("crash=panic requested");
}

static void crash_hang(void *arg)
{
	(void)arg;
	pr_info("crash: hanging with interrupts on\n");
	for (;;)
		sti_hlt();
}

#define CRASH_NAME(n, fn, help) #n,
#define CRASH_FN(n, fn, help) fn,
#define CRASH_HELP(n, fn, help) help,
const char *const crash_names[] = { CRASH_TYPES(CRASH_NAME) NULL };
static void (*const crash_fns[])(void *) = { CRASH_TYPES(CRASH_FN) };
static const char *const crash_help[] = { CRASH_TYPES(CRASH_HELP) };

int crash_lookup(const char *name)
{
	for (int i = 0; crash_names[i]; i++)
		if (!strcmp(crash_names[i], name))
			return i;
	return -1;
}

void crash_trigger(int type)
{
	if (type <= 0 || type >= (int)ARRAY_SIZE(crash_fns))
		return;
	pr_info("crash: provoking '%s' (%s)\n", crash_names[type], crash_help[type]);
	crash_fns[type](NULL);
}

void crash_print_types(void)
{
	for (size_t i = 1; i < ARRAY_SIZE(crash_help); i++)
		printk("  %-6s %s\n", crash_names[i], crash_help[i]);
}

/*
 * panic.c - the end of the line: say why, then power off or halt.
 *
 * Format as in Linux: "Kernel panic - not syncing: <why>" and the closing
 * "---[ end Kernel panic - not syncing: <why> ]---".  A panic while
 * panicking (say, a fault in the report code) halts at once.
 */
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/x86.h"
#include "lib/format.h"
#include "lib/panic.h"
#include "lib/power.h"
#include "lib/printk.h"

static enum panic_action panic_action = PANIC_POWEROFF;
static bool panicking;

void panic_set_action(enum panic_action a)
{
	panic_action = a;
}

void bug_report(const char *cond, const char *file, int line)
{
	printk(KERN_EMERG "------------[ cut here ]------------\n");
	printk(KERN_EMERG "kernel BUG at %s:%d!\n", file, line);
	dump_stack();
	panic("BUG_ON(%s) at %s:%d", cond, file, line);
}

void panic(const char *fmt, ...)
{
	char why[256];
	va_list ap;

	cli();
	if (panicking)
		for (;;)
			hlt();
	panicking = true;
	va_start(ap, fmt);
	kvsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", why);
	printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", why);
	if (panic_action == PANIC_POWEROFF)
		power_off(KEXIT_PANIC);
	for (;;)
		hlt();
}

/*
 * main.c - kmain, where the kernel starts in C, and the order in which it
 * brings itself up.  boot.S calls kmain in 64-bit mode on the boot stack,
 * with interrupts off and the loader's magic number and information
 * pointer as arguments.
 *
 * The order matters and is the chapter order for reading the kernel:
 *   1. console     - so everything after can say what it does
 *   2. GDT, IDT    - so a fault is an oops, not a silent triple fault
 *   3. boot info   - memory map, modules, command line (boot/)
 *   4. options     - the command line decides what to do
 *   5. time        - TSC calibration, the periodic tick, interrupts on
 *   6. run         - the monitor, the in-kernel tests, or a demo crash
 */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/timer.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "boot/boot.h"
#include "boot/options.h"
#include "crash.h"
#include "drivers/serial/uart16550.h"
#include "ktest/ktest.h"
#include "lib/console.h"
#include "lib/panic.h"
#include "lib/power.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "monitor.h"
#include "version.h"

static const unsigned console_masks[] = { CONSOLE_SERIAL, CONSOLE_VGA, CONSOLE_BOTH };

static void options_apply(const struct kernel_options *o)
{
	printk_set_console_loglevel((int)o->loglevel);
	console_set_mask(console_masks[o->console]);
	panic_set_action((enum panic_action)o->panic);
}

/* run=ktest[:SUITE]: run the tests and report through the exit status. */
static __noreturn void kmain_run_tests(const char *suite)
{
	int failed = ktest_run(suite, kernel_options.ktest_exclude);

	if (failed < 0)
		power_off(KEXIT_USAGE);
	power_off(failed ? KEXIT_TEST_FAILED : KEXIT_SUCCESS);
}

void kmain(u32 loader_magic, u32 info_phys)
{
	console_init();
	printk(KERN_NOTICE CANARY_NAME " " CANARY_VERSION " (x86_64) booting\n");
	gdt_init();
	idt_init();

	boot_info_load(loader_magic, info_phys);
	options_defaults(&kernel_options);
	options_parse_into(&kernel_options, boot_info.cmdline);
	options_apply(&kernel_options);

	tsc_calibrate();
	printk_set_clock(time_ns_since_boot);
	timer_init((unsigned)kernel_options.hz);
	uart_enable_rx_irq();
	sti();
	boot_info_print();
	pr_info("time: TSC %llu kHz, tick %u Hz\n", (unsigned long long)tsc_khz(), timer_hz());

	const char *run = kernel_options.run;

	crash_trigger(kernel_options.crash);
	if (!strcmp(run, "ktest"))
		kmain_run_tests(NULL);
	if (!strncmp(run, "ktest:", 6))
		kmain_run_tests(run + 6);
	if (strcmp(run, "monitor") != 0)
		pr_warn("run: unknown value '%s' (valid: monitor, ktest, ktest:SUITE); starting the monitor\n",
			run);
	monitor_run();
}

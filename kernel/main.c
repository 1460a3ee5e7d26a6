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
 *   5. memory      - usable RAM, the kernel's own page tables, KASAN's
 *                    shadow, the buddy allocator, then a guarded stack to
 *                    run on and the slab allocator (mm/)
 *   6. time        - TSC calibration, the periodic tick, interrupts on
 *   7. threads     - the boot context becomes thread "main", the idle
 *                    thread and the hung-task watchdog start (sched/)
 *   8. run         - a demo crash, a lab scenario, the in-kernel tests,
 *                    the benchmarks, the monitor, or (the default) user
 *                    space: the initrd unpacked, init started (proc/)
 */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/timer.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "boot/boot.h"
#include "bench.h"
#include "boot/boot.h"
#include "boot/options.h"
#include "crash.h"
#include "drivers/serial/uart16550.h"
#include "fs/ramfs.h"
#include "ktest/ktest.h"
#include "lab/lab.h"
#include "lib/console.h"
#include "lib/panic.h"
#include "lib/power.h"
#include "lib/printk.h"
#include "lib/stackprotector.h"
#include "lib/string.h"
#include "mm/kasan.h"
#include "mm/kasan_init.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/vm.h"
#include "monitor.h"
#include "proc/proc.h"
#include "proc/syscall.h"
#include "proc/usermode.h"
#include "sched/hung_task.h"
#include "sched/sched.h"
#include "version.h"

static const unsigned console_masks[] = { CONSOLE_SERIAL, CONSOLE_VGA, CONSOLE_BOTH };

static void options_apply(const struct kernel_options *o)
{
	printk_set_console_loglevel((int)o->loglevel);
	console_set_mask(console_masks[o->console]);
	panic_set_action((enum panic_action)o->panic);
	kasan_set_mode((enum kasan_mode)o->kasan);
	slab_set_debug((unsigned)o->slub_debug);	/* before slab_init() */
}

/* GCC's constructors: with KASAN, each object file registers its globals
 * (and their redzones) from here. */
static void run_constructors(void)
{
	extern void (*const init_array_start[])(void), (*const init_array_end[])(void);

	for (void (*const *f)(void) = init_array_start; f < init_array_end; f++)
		(*f)();
}

/* run=ktest[:SUITE]: run the tests and report through the exit status. */
static __noreturn void kmain_run_tests(const char *suite)
{
	int failed = ktest_run(suite, kernel_options.ktest_exclude);

	if (failed < 0)
		power_off(KEXIT_USAGE);
	power_off(failed ? KEXIT_TEST_FAILED : KEXIT_SUCCESS);
}

static void kmain_continue(void);

/* The first module is the initial ramdisk (GRUB's module2, QEMU's -initrd):
 * unpack it into the root file system, as Linux unpacks its initramfs. */
static void kmain_unpack_initrd(void)
{
	if (!boot_info.module_count) {
		pr_warn("initrd: none loaded (GRUB: module2 /boot/initrd.cpio; QEMU: -initrd build/initrd.cpio)\n");
		return;
	}
	const struct boot_module *m = &boot_info.modules[0];

	initrd_unpack(phys_to_virt(m->start), m->end - m->start);
}

/* run=init: start the first program; this thread then only waits.  If init
 * cannot start, say why and return (the monitor runs instead). */
static void kmain_start_init(void)
{
	char line[sizeof(kernel_options.init)];
	const char *argv[ARGV_MAX + 1];
	int argc = 0;

	kmain_unpack_initrd();
	strncpy_safe(line, kernel_options.init, sizeof(line));
	for (char *p = line; *p && argc < ARGV_MAX;) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p)
			argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	argv[argc] = NULL;
	int r = argc ? proc_start_init(argv[0], argv) : -ENOENT;

	if (r < 0) {
		pr_err("init: cannot run '%s': %s; starting the monitor\n", kernel_options.init,
		       errno_text(r));
		return;
	}
	for (;;)
		sched_sleep_ms(3600 * 1000);
}

void kmain(u32 loader_magic, u32 info_phys)
{
	run_constructors();
	console_init();
	printk(KERN_NOTICE CANARY_NAME " " CANARY_VERSION " (x86_64) booting\n");
	gdt_init();
	idt_init();

	boot_info_load(loader_magic, info_phys);
	options_defaults(&kernel_options);
	options_parse_into(&kernel_options, boot_info.cmdline);
	options_apply(&kernel_options);

	pmm_early_init();
	vm_init();
	if (CONFIG_KASAN)
		kasan_init();
	pmm_init();
	/* Leave the boot stack for one with a guard page below it. */
	u64 stack = vm_alloc_stack();

	if (!stack)
		panic("no memory for the kernel stack");
	vm_run_on_stack(stack, kmain_continue);
}

static void kmain_continue(void)
{
	slab_init();
	stackprotector_init();
	tsc_calibrate();
	printk_set_clock(time_ns_since_boot);
	timer_init((unsigned)kernel_options.hz);
	slab_set_clock(tsc_since_boot, tsc_to_ns, timer_hz());
	uart_enable_rx_irq();
	usermode_init();
	sti();
	sched_init(kernel_options.sched ? "mlfq" : "rr", kernel_options.sched_seed);
	hung_task_init((unsigned)kernel_options.hung_task_timeout);
	boot_info_print();
	pr_info("time: TSC %llu kHz, tick %u Hz\n", (unsigned long long)tsc_khz(), timer_hz());

	const char *run = kernel_options.run;

	crash_trigger(kernel_options.crash);
	if (kernel_options.lab[0]) {
		int problems = lab_run(kernel_options.lab);

		power_off(problems < 0 ? KEXIT_USAGE : problems ? KEXIT_TEST_FAILED : KEXIT_SUCCESS);
	}
	if (!strcmp(run, "bench"))
		power_off(bench_run_all() ? KEXIT_TEST_FAILED : KEXIT_SUCCESS);
	if (!strcmp(run, "ktest"))
		kmain_run_tests(NULL);
	if (!strncmp(run, "ktest:", 6))
		kmain_run_tests(run + 6);
	if (!strcmp(run, "init"))
		kmain_start_init();	/* returns only if there is no init to run */
	else if (strcmp(run, "monitor") != 0)
		pr_warn("run: unknown value '%s' (valid: init, monitor, ktest, ktest:SUITE, bench); starting the monitor\n",
			run);
	monitor_run();
}

/*
 * monitor.c - a small command interpreter on the serial console, in the
 * tradition of JOS's monitor: inspect the machine, provoke faults for a
 * demo, leave.  It reads lines through console_getc() (interrupt-driven
 * serial input), echoes them, and supports backspace and Ctrl-U.
 *
 * Commands are one table; `help` is generated from it.
 */
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/timer.h"
#include "boot/boot.h"
#include "boot/options.h"
#include "crash.h"
#include "drivers/serial/uart16550.h"
#include "ktest/ktest.h"
#include "lab/lab.h"
#include "lib/console.h"
#include "lib/format.h"
#include "lib/ksym.h"
#include "lib/power.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "monitor.h"
#include "sched/sched.h"
#include "sched/trace.h"
#include "version.h"

#define MONITOR_LINE_MAX 128
#define MONITOR_ARGS_MAX 8

struct monitor_cmd {
	const char *name;
	const char *usage;
	const char *help;
	int (*fn)(int argc, char **argv);
};

static int cmd_help(int argc, char **argv);

/* The monitor's own output goes straight to the console, like a shell's:
 * no timestamps, and not into the kernel log. */
static void mon_printf(const char *fmt, ...) __printf(1, 2);
static void mon_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}

static int cmd_info(int argc, char **argv)
{
	(void)argc, (void)argv;
	u64 ns = time_ns_since_boot();

	mon_printf("%s %s (x86_64), booted by %s\n", CANARY_NAME, CANARY_VERSION, boot_info.protocol);
	boot_info_print();
	mon_printf("uptime %llu.%03llu s, %llu ticks at %u Hz, TSC %llu.%03llu MHz\n",
	       (unsigned long long)(ns / 1000000000), (unsigned long long)(ns / 1000000 % 1000),
	       (unsigned long long)jiffies, timer_hz(), (unsigned long long)(tsc_khz() / 1000),
	       (unsigned long long)(tsc_khz() % 1000));
	mon_printf("%llu kernel symbols; serial input overruns: %llu\n",
	       (unsigned long long)ksym_count_symbols(), (unsigned long long)uart_rx_overruns());
	return 0;
}

static int cmd_backtrace(int argc, char **argv)
{
	(void)argc, (void)argv;
	dump_stack();
	return 0;
}

static void monitor_dmesg_out(const char *s, size_t n)
{
	console_write(s, n);
}

static int cmd_dmesg(int argc, char **argv)
{
	(void)argc, (void)argv;
	printk_dump_log(monitor_dmesg_out);
	return 0;
}

/* Parse a decimal status 0..KEXIT_MAX; -1 if it is not one. */
static int monitor_parse_status(const char *s)
{
	int v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > KEXIT_MAX)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v <= KEXIT_MAX ? v : -1;
}

static int cmd_poweroff(int argc, char **argv)
{
	int status = argc > 1 ? monitor_parse_status(argv[1]) : 0;

	if (status < 0) {
		mon_printf("poweroff: status must be a number 0..%d\n", KEXIT_MAX);
		return 1;
	}
	mon_printf("Powering off (status %d).\n", status);
	power_off(status);
}

static int cmd_reboot(int argc, char **argv)
{
	(void)argc, (void)argv;
	mon_printf("Rebooting.\n");
	power_reboot();
}

static int cmd_ktest(int argc, char **argv)
{
	int r = ktest_run(argc > 1 ? argv[1] : NULL, NULL);

	return r == 0 ? 0 : 1;
}

static int cmd_lab(int argc, char **argv)
{
	if (argc < 2) {
		mon_printf("usage: lab SCENARIO, where SCENARIO is one of:\n");
		lab_list();
		return 1;
	}
	return lab_run(argv[1]) == 0 ? 0 : 1;
}

static int cmd_crash(int argc, char **argv)
{
	int type = argc > 1 ? crash_lookup(argv[1]) : -1;

	if (type <= 0) {
		mon_printf("usage: crash TYPE, where TYPE is one of:\n");
		crash_print_types();
		return 1;
	}
	crash_trigger(type);
	return 0;
}

static int cmd_meminfo(int argc, char **argv)
{
	struct slab_stats st;

	(void)argc, (void)argv;
	pmm_print_meminfo();
	slab_get_stats(&st);
	mon_printf("Slab:           %8llu kB  (%llu objects, %llu bytes in use)\n",
		   (unsigned long long)(st.pages * 4), (unsigned long long)st.objects_in_use,
		   (unsigned long long)st.bytes_in_use);
	slab_print_caches();
	return 0;
}

static int cmd_threads(int argc, char **argv)
{
	struct sched_stats st;

	(void)argc, (void)argv;
	sched_get_stats(&st);
	mon_printf("policy %s, seed %llu: %llu switches, %llu preemptions, %llu ticks\n",
		   sched_policy_name(), (unsigned long long)sched_seed(),
		   (unsigned long long)st.switches, (unsigned long long)st.preemptions,
		   (unsigned long long)st.ticks);
	thread_print_all();
	return 0;
}

static int cmd_trace(int argc, char **argv)
{
	(void)argc, (void)argv;
	trace_dump();
	return 0;
}

static int cmd_options(int argc, char **argv)
{
	(void)argc, (void)argv;
	mon_printf("Kernel command-line options (key=value):\n");
	options_print_help();
	return 0;
}

/* Entered from user mode (the shell's `monitor`): `exit` returns there. */
static bool monitor_may_leave, monitor_leaving;

static int cmd_exit(int argc, char **argv)
{
	(void)argc, (void)argv;
	if (!monitor_may_leave) {
		mon_printf("exit: nothing to go back to (the monitor is what this boot runs); try poweroff\n");
		return 1;
	}
	monitor_leaving = true;
	return 0;
}

static const struct monitor_cmd monitor_cmds[] = {
	{ "help", "", "list the commands", cmd_help },
	{ "info", "", "version, boot information, memory map, uptime", cmd_info },
	{ "backtrace", "", "print the monitor's own call stack", cmd_backtrace },
	{ "dmesg", "", "print the kernel log", cmd_dmesg },
	{ "threads", "", "every thread, its state and scheduling counts", cmd_threads },
	{ "trace", "", "dump scheduler events (for tools/trace2chrome.py)", cmd_trace },
	{ "meminfo", "", "physical memory, buddy free lists, slab caches", cmd_meminfo },
	{ "options", "", "list the kernel command-line options", cmd_options },
	{ "ktest", "[SUITE]", "run the in-kernel tests", cmd_ktest },
	{ "lab", "SCENARIO", "run a lab scenario under the checkers", cmd_lab },
	{ "crash", "TYPE", "provoke a kernel fault (see 'crash' for types)", cmd_crash },
	{ "poweroff", "[STATUS]", "power off; QEMU exits with STATUS", cmd_poweroff },
	{ "reboot", "", "reset the machine", cmd_reboot },
	{ "exit", "", "leave the monitor, back to the program that called it", cmd_exit },
};

static int cmd_help(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (size_t i = 0; i < ARRAY_SIZE(monitor_cmds); i++) {
		const struct monitor_cmd *c = &monitor_cmds[i];

		mon_printf("  %-9s %-9s %s\n", c->name, c->usage, c->help);
	}
	return 0;
}

int monitor_exec(char *line)
{
	char *argv[MONITOR_ARGS_MAX];
	int argc = 0;

	for (char *p = line; *p && argc < MONITOR_ARGS_MAX;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (argc == 0)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(monitor_cmds); i++)
		if (!strcmp(argv[0], monitor_cmds[i].name))
			return monitor_cmds[i].fn(argc, argv);
	mon_printf("unknown command '%s'; try 'help'\n", argv[0]);
	return 1;
}

/* Read one line with echo; backspace/DEL erase, Ctrl-U kills the line.
 * Returns false (and an empty line) if the line was longer than the buffer:
 * a cut-off command must not run as if it were whole. */
static bool monitor_readline(char *buf, size_t size)
{
	size_t n = 0;
	bool overflow = false;

	for (;;) {
		int c = console_getc();

		if (c == '\r' || c == '\n') {
			mon_printf("\n");
			buf[overflow ? 0 : n] = '\0';
			return !overflow;
		}
		if ((c == '\b' || c == 0x7f) && n > 0) {
			n--;
			mon_printf("\b \b");
		} else if (c == 0x15) {
			for (; n > 0; n--)
				mon_printf("\b \b");
		} else if (c >= ' ' && c < 0x7f) {
			if (n + 1 < size) {
				buf[n++] = (char)c;
				mon_printf("%c", c);
			} else {
				overflow = true;
			}
		}
	}
}

void monitor_session(bool may_leave)
{
	char line[MONITOR_LINE_MAX];

	monitor_may_leave = may_leave;
	monitor_leaving = false;
	printk(KERN_INFO "Canary monitor: type 'help' for commands%s.\n",
	       may_leave ? ", 'exit' to go back" : "");
	while (!monitor_leaving) {
		mon_printf(MONITOR_PROMPT);
		if (!monitor_readline(line, sizeof(line))) {
			mon_printf("line too long (at most %zu characters); ignored\n", sizeof(line) - 1);
			continue;
		}
		monitor_exec(line);
	}
}

void monitor_run(void)
{
	for (;;)
		monitor_session(false);
}

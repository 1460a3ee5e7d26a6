/*
 * options.h - the kernel command line's options: one table (options.c)
 * from which parsing, validation, warnings and the monitor's help follow.
 */
#ifndef CANARY_BOOT_OPTIONS_H
#define CANARY_BOOT_OPTIONS_H

#include "lib/types.h"

#define OPTION_RUN_MAX 64

struct kernel_options {
	u64 loglevel;			/* console shows levels below this */
	int console;			/* index into console_choices */
	char run[OPTION_RUN_MAX];	/* init | monitor | ktest | ktest:SUITE | bench */
	int crash;			/* index into crash_names (crash.h) */
	int panic;			/* enum panic_action */
	u64 hz;				/* timer ticks per second */
	char ktest_exclude[OPTION_RUN_MAX * 2];	/* suite.test,suite.test,... */
	int kasan;			/* enum kasan_mode: report or panic */
	char init[OPTION_RUN_MAX * 2];	/* the first program and its arguments */
	char lab[OPTION_RUN_MAX];	/* a lab scenario to run, or "" */
	int sched;			/* index into sched_choices */
	u64 sched_seed;			/* perturbs preemption; 0 = none */
	int smap;			/* index into off/on: use SMAP if the CPU has it */
	int slub_debug;			/* slab_set_debug() flags: F = 1, P = 2 */
	u64 hung_task_timeout;		/* seconds; 0 = watchdog off */
};

/* Set once during boot by options_parse(); read-only afterwards. */
extern struct kernel_options kernel_options;

/* Parse cmdline into *opts (which holds the defaults on entry), printing
 * one warning per problem.  Returns the number of warnings. */
int options_parse_into(struct kernel_options *opts, const char *cmdline);
void options_defaults(struct kernel_options *opts);
/* Print every option with its accepted values, for the monitor. */
void options_print_help(void);

#endif

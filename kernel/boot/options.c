/*
 * options.c - the table of the kernel's command-line options.
 *
 * Everything about an option lives in its row: key, type, help text,
 * bounds or accepted words, and its place in struct kernel_options.  The
 * generic parser (lib/cmdline.c) checks values against the row; a bad
 * value leaves the default in place and prints one warning that names the
 * valid keys or values.  Add an option by adding a row.
 */
#include "boot/options.h"
#include "crash.h"
#include "lib/cmdline.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "sched/hung_task.h"

struct kernel_options kernel_options;

static const char *const console_choices[] = { "serial", "vga", "both", NULL };
static const char *const panic_choices[] = { "poweroff", "halt", NULL };
static const char *const sched_choices[] = { "rr", "mlfq", NULL };
static const char *const off_on_choices[] = { "off", "on", NULL };
static const char *const kasan_choices[] = { "report", "panic", NULL };	/* enum kasan_mode */
/* Indexed by slab_set_debug()'s flags: bit 0 F, bit 1 P. */
static const char *const slub_debug_choices[] = { "-", "F", "P", "FP", NULL };
_Static_assert(SLAB_CONSISTENCY_CHECKS == 1 && SLAB_POISON == 2, "slub_debug_choices order");

/* Rows hold the field's offset; options_parse_into() turns it into an
 * address inside the structure being filled. */
#define OPT(field) .target = (void *)offsetof(struct kernel_options, field), \
		   .target_size = sizeof(((struct kernel_options *)0)->field)

static const struct cmdline_option option_table[] = {
	{ .key = "loglevel", .type = CMDLINE_UINT, OPT(loglevel), .min = 0, .max = 8,
	  .help = "console shows messages below this level (8 = everything)" },
	{ .key = "console", .type = CMDLINE_ENUM, OPT(console), .choices = console_choices,
	  .help = "where kernel output goes" },
	{ .key = "run", .type = CMDLINE_STRING, OPT(run),
	  .help = "what to do after boot: init (start user space), monitor, ktest, ktest:SUITE, bench" },
	{ .key = "init", .type = CMDLINE_STRING, OPT(init),
	  .help = "the first program and its arguments, e.g. \"/bin/sh /etc/rc\"" },
	{ .key = "crash", .type = CMDLINE_ENUM, OPT(crash), .choices = crash_names,
	  .help = "provoke a kernel fault on purpose after boot (for demos)" },
	{ .key = "panic", .type = CMDLINE_ENUM, OPT(panic), .choices = panic_choices,
	  .help = "after a panic: power off (status 3) or halt for a debugger" },
	{ .key = "hz", .type = CMDLINE_UINT, OPT(hz), .min = 20, .max = 1000,
	  .help = "timer interrupts per second" },
	{ .key = "lab", .type = CMDLINE_STRING, OPT(lab),
	  .help = "run a lab scenario, then power off (status 0: no report, 1: reports)" },
	{ .key = "sched", .type = CMDLINE_ENUM, OPT(sched), .choices = sched_choices,
	  .help = "scheduling policy: round robin or multi-level feedback queue" },
	{ .key = "sched_seed", .type = CMDLINE_UINT, OPT(sched_seed), .min = 0, .max = ~0ULL,
	  .help = "perturb preemption points from this seed (0: none); replays a race" },
	{ .key = "hung_task_timeout", .type = CMDLINE_UINT, OPT(hung_task_timeout), .min = 0, .max = 3600,
	  .help = "report threads blocked longer than this many seconds (0: off)" },
	{ .key = "kasan", .type = CMDLINE_ENUM, OPT(kasan), .choices = kasan_choices,
	  .help = "after a KASAN report: go on (demos) or panic" },
	{ .key = "slub_debug", .type = CMDLINE_ENUM, OPT(slub_debug), .choices = slub_debug_choices,
	  .help = "allocator checks (F: magic numbers, object starts) and fills (P: junk, poison); - for none" },
	{ .key = "smap", .type = CMDLINE_ENUM, OPT(smap), .choices = off_on_choices,
	  .help = "supervisor-mode access prevention, if the CPU has it (Linux: nosmap)" },
	{ .key = "ktest_exclude", .type = CMDLINE_STRING, OPT(ktest_exclude),
	  .help = "in-kernel tests to skip, as suite.test,suite.test" },
};

void options_defaults(struct kernel_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->loglevel = 7;
	opts->console = 2;		/* both */
	memcpy(opts->run, "init", sizeof("init"));
	memcpy(opts->init, "/bin/sh", sizeof("/bin/sh"));
	opts->crash = 0;		/* none */
	opts->panic = PANIC_POWEROFF;
	opts->hz = 100;
	opts->hung_task_timeout = HUNG_TASK_TIMEOUT_DEFAULT;
	opts->smap = 1;
	opts->slub_debug = SLAB_DEBUG_DEFAULT;
}

static void options_warn(void *ctx, const char *msg)
{
	(void)ctx;
	pr_warn("%s\n", msg);
}

int options_parse_into(struct kernel_options *opts, const char *cmdline)
{
	struct cmdline_option rows[ARRAY_SIZE(option_table)];

	/* The table holds offsets; point this copy's targets into *opts. */
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		rows[i] = option_table[i];
		rows[i].target = (char *)opts + (size_t)option_table[i].target;
	}
	return cmdline_parse(cmdline, rows, ARRAY_SIZE(rows), options_warn, NULL);
}

void options_print_help(void)
{
	char accepts[160];

	for (size_t i = 0; i < ARRAY_SIZE(option_table); i++) {
		const struct cmdline_option *o = &option_table[i];

		printk("  %-9s %s (%s)\n", o->key, o->help,
		       cmdline_describe(o, accepts, sizeof(accepts)));
	}
}

/*
 * lib_test.c - the library code as the kernel build compiles it
 * (freestanding, -mcmodel=kernel): formatting, the embedded symbol table,
 * backtraces, the kernel's own option table.  The host tests cover the
 * parsers exhaustively; these check the kernel's copies and tables.
 */
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/x86.h"
#include "boot/options.h"
#include "ktest/ktest.h"
#include "lib/format.h"
#include "lib/ksym.h"
#include "lib/printk.h"
#include "lib/stackdepot.h"
#include "lib/string.h"

void kmain(u32, u32);
void boot_entry64(void);

static void format_64bit(struct ktest *t)
{
	char buf[64];

	ksnprintf(buf, sizeof(buf), "%llx %lld %p", 0xffffffff80000000ULL, -9223372036854775807LL - 1,
		  (void *)0xffffffff80100000ULL);
	KTEST_EXPECT(t, !strcmp(buf, "ffffffff80000000 -9223372036854775808 0xffffffff80100000"));
	KTEST_EXPECT_EQ(t, ksnprintf(buf, 4, "%s", "truncated"), 9);
	KTEST_EXPECT(t, !strcmp(buf, "tru"));
}

static void ksym_finds_functions(struct ktest *t)
{
	u64 off, size;
	const char *name = ksym_lookup((u64)kmain + 5, &off, &size);

	KTEST_EXPECT(t, name && !strcmp(name, "kmain"));
	KTEST_EXPECT_EQ(t, off, 5);
	KTEST_EXPECT(t, size > 5);
	KTEST_EXPECT_EQ(t, ksym_address("kmain"), (u64)kmain);
	KTEST_EXPECT_EQ(t, ksym_address("no_such_function"), 0);
	KTEST_EXPECT(t, ksym_lookup(0x1000, NULL, NULL) == NULL);
	KTEST_EXPECT(t, ksym_count_symbols() > 50);
}

static void ksym_format(struct ktest *t)
{
	char buf[96], want[96];
	u64 size;

	ksym_lookup((u64)kmain, NULL, &size);
	ksym_snprint(buf, sizeof(buf), (u64)kmain + 0x10);
	ksnprintf(want, sizeof(want), "kmain+0x10/0x%llx", (unsigned long long)size);
	KTEST_EXPECT(t, !strcmp(buf, want));
	ksym_snprint(buf, sizeof(buf), 0x1234);
	KTEST_EXPECT(t, !strcmp(buf, "0x0000000000001234"));
}

/* A known chain: test -> bt_outer -> bt_middle -> bt_inner. */
static int bt_depth;
static u64 bt_addrs[STACK_WALK_MAX];

__attribute__((noinline)) static void bt_inner(void)
{
	bt_depth = stack_walk(read_rbp(), bt_addrs, STACK_WALK_MAX);
	__asm__ __volatile__("" ::: "memory");	/* keep the frame a real call */
}
__attribute__((noinline)) static void bt_middle(void) { bt_inner(); __asm__ __volatile__(""); }
__attribute__((noinline)) static void bt_outer(void) { bt_middle(); __asm__ __volatile__(""); }

static const char *bt_name(int i)
{
	return i < bt_depth ? ksym_lookup(bt_addrs[i] - 1, NULL, NULL) : NULL;
}

static void backtrace_names_callers(struct ktest *t)
{
	bt_outer();
	KTEST_EXPECT(t, bt_depth >= 5);
	const char *n0 = bt_name(0), *n1 = bt_name(1), *n2 = bt_name(2);

	KTEST_EXPECT(t, n0 && !strcmp(n0, "bt_middle"));
	KTEST_EXPECT(t, n1 && !strcmp(n1, "bt_outer"));
	KTEST_EXPECT(t, n2 && !strcmp(n2, "backtrace_names_callers"));
}

static void backtrace_ends_at_entry(struct ktest *t)
{
	bt_outer();
	/* The chain ends cleanly at the zero frame, not by the limit. */
	KTEST_EXPECT(t, bt_depth < STACK_WALK_MAX);
	const char *last = bt_name(bt_depth - 1), *before = bt_name(bt_depth - 2);

	/* kmain moved to a guarded stack: that switch is the outermost frame. */
	KTEST_EXPECT(t, last && !strcmp(last, "vm_run_on_stack"));
	KTEST_EXPECT(t, before && !strcmp(before, "kmain_continue"));
}

static void backtrace_survives_corrupt_frames(struct ktest *t)
{
	u64 addrs[4];
	/* A frame whose saved RBP points down the stack (a loop), one with a
	 * return address outside text, and garbage frame pointers. */
	u64 loop[2] = { 0, (u64)kmain + 1 };

	loop[0] = (u64)loop;
	KTEST_EXPECT(t, stack_walk((u64)loop, addrs, 4) == 1);
	u64 bad_ret[2] = { 0, 0x1234 };

	KTEST_EXPECT_EQ(t, stack_walk((u64)bad_ret, addrs, 4), 0);
	KTEST_EXPECT_EQ(t, stack_walk(0x1001, addrs, 4), 0);
	KTEST_EXPECT_EQ(t, stack_walk(0xdead000000000000ULL, addrs, 4), 0);
}

/* Stacks through one call site share their innermost frame, and with it
 * a slot of the depot's cache: each must still get its own handle, and
 * the one it got before when it comes again after the other. */
static void stackdepot_tells_stacks_apart(struct ktest *t)
{
	const u64 base = (u64)kmain;
	u64 a[3] = { base + 1, base + 2, base + 3 };
	u64 b[3] = { base + 1, base + 5, base + 3 };	/* differs in the middle */
	const u64 *got;
	depot_stack_handle_t ha = stack_depot_save(a, 3), hb = stack_depot_save(b, 3);
	depot_stack_handle_t hc = stack_depot_save(a, 2);	/* a prefix of a */

	KTEST_EXPECT(t, ha && hb && hc);
	KTEST_EXPECT(t, ha != hb && ha != hc && hb != hc);
	for (int round = 0; round < 3; round++) {
		KTEST_EXPECT_EQ(t, stack_depot_save(a, 3), ha);
		KTEST_EXPECT_EQ(t, stack_depot_save(b, 3), hb);
		KTEST_EXPECT_EQ(t, stack_depot_save(a, 2), hc);
	}
	KTEST_EXPECT_EQ(t, stack_depot_fetch(hb, &got), 3u);
	KTEST_EXPECT(t, got[0] == b[0] && got[1] == b[1] && got[2] == b[2]);
}

static void options_reject_bad_values(struct ktest *t)
{
	struct kernel_options o;
	char captured[512];

	options_defaults(&o);
	printk_capture_start(captured, sizeof(captured));
	int warnings = options_parse_into(&o, "loglevel=99 console=tty bogus=1 hz=250 run=ktest");
	printk_capture_stop();

	KTEST_EXPECT_EQ(t, warnings, 3);
	KTEST_EXPECT_EQ(t, o.loglevel, 7);	/* defaults survive bad values */
	KTEST_EXPECT_EQ(t, o.console, 2);
	KTEST_EXPECT_EQ(t, o.hz, 250);		/* good values are taken */
	KTEST_EXPECT(t, !strcmp(o.run, "ktest"));
	KTEST_EXPECT_CONTAINS(t, captured, "unknown option 'bogus=1' (valid keys: loglevel, console, run, init, crash, panic, hz, lab, sched, sched_seed, hung_task_timeout, kasan, slub_debug, smap, ktest_exclude)");
	KTEST_EXPECT_CONTAINS(t, captured, "'console' (expected one of: serial, vga, both)");
}

KTEST_SUITE(lib, "lib",
	    KTEST_CASE(format_64bit),
	    KTEST_CASE(ksym_finds_functions),
	    KTEST_CASE(ksym_format),
	    KTEST_CASE(backtrace_names_callers),
	    KTEST_CASE(backtrace_ends_at_entry),
	    KTEST_CASE(backtrace_survives_corrupt_frames),
	    KTEST_CASE(stackdepot_tells_stacks_apart),
	    KTEST_CASE(options_reject_bad_values));

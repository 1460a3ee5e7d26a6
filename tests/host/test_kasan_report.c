/*
 * Host tests for kernel/mm/kasan_report.c: the text of KASAN reports.
 *
 * kasan_format_report() is pure: it gets every fact (addresses, symbol
 * strings, stacks, shadow bytes) in a struct and emits lines.  So whole
 * reports can be compared here, line for line, against what Linux prints
 * for the same facts; the bug-type choice and the '>'/'^' marks of the
 * shadow dump are checked exhaustively.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/kasan.h"
#include "suites.h"

#define REPORT_MAX 8192
#define ROW 128ULL	/* bytes of memory per shadow row */

static char report[REPORT_MAX];
static size_t report_len;

static void collect(void *ctx, const char *line)
{
	size_t n = strlen(line);

	ck_assert_ptr_eq(ctx, report);
	ck_assert_msg(!strchr(line, '\n'), "line contains a newline: %s", line);
	ck_assert_uint_lt(report_len + n + 1, REPORT_MAX);
	memcpy(report + report_len, line, n);
	report_len += n;
	report[report_len++] = '\n';
	report[report_len] = '\0';
}

static void format(const struct kasan_report_facts *f)
{
	report_len = 0;
	report[0] = '\0';
	kasan_format_report(f, collect, report);
}

static const char *const trace[] = {
	"kasan_report+0x5a/0x90",
	"__asan_store1_noabort+0x4b/0x70",
	"kmalloc_oob_right+0x6e/0x1f0",
	"ktest_run+0x120/0x200",
};
static const char *const alloc_stack[] = {
	"slab_debug_alloc+0x4f/0x120",
	"kmalloc+0x9a/0x130",
	"kmalloc_oob_right+0x2c/0x1f0",
};
static const char *const free_stack[] = {
	"slab_debug_free+0x31/0xa0",
	"kfree+0x70/0x110",
	"kmalloc_uaf+0x41/0x1a0",
};

/* Shadow around a kmalloc(123) from kmalloc-128 at 0xffff88800215c000:
 * free neighbours, the object (15 whole granules and 3 bytes), redzones. */
static void shadow_of_kmalloc_123(struct kasan_report_facts *f, u8 object_fill)
{
	static const u8 rows[KASAN_META_ROWS][KASAN_META_ROW_BYTES] = {
		{ 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfb, 0xfb, 0xfb, 0xfb, 0xfb, 0xfb, 0xfb, 0xfb },
		{ 0xfb, 0xfb, 0xfb, 0xfb, 0xfb, 0xfb, 0xfb, 0xfb, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc },
		{ 0 },
		{ 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc },
		{ 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc },
	};

	memcpy(f->meta, rows, sizeof(rows));
	memset(f->meta[2], object_fill, KASAN_META_ROW_BYTES);
	if (object_fill == 0)
		f->meta[2][15] = 0x03;
	for (int r = 0; r < KASAN_META_ROWS; r++)
		f->meta_valid[r] = true;
	f->meta_start = 0xffff88800215c000ULL - 2 * ROW;
}

/* A kmalloc_oob_right report: the common base of several tests. */
static struct kasan_report_facts oob_right_facts(void)
{
	struct kasan_report_facts f = {
		.type = KASAN_REPORT_ACCESS,
		.bug_type = "slab-out-of-bounds",
		.addr = 0xffff88800215c07bULL,
		.size = 1,
		.write = true,
		.ip = "kmalloc_oob_right+0x6e/0x1f0",
		.comm = "swapper/0",
		.pid = 0,
		.release = "0.1",
		.trace = trace,
		.trace_depth = 4,
		.has_object = true,
		.cache_name = "kmalloc-128",
		.object = 0xffff88800215c000ULL,
		.object_size = 128,
		.region_size = 123,
		.alloc = { .valid = true, .pid = 0, .cpu = 0, .time_ns = 1234567000ULL,
			   .frames = alloc_stack, .depth = 3 },
		.has_shadow = true,
		.first_bad = 0xffff88800215c07bULL,
	};

	shadow_of_kmalloc_123(&f, 0);
	return f;
}

#define HEADER_OOB_RIGHT \
	"==================================================================\n" \
	"BUG: KASAN: slab-out-of-bounds in kmalloc_oob_right+0x6e/0x1f0\n" \
	"Write of size 1 at addr ffff88800215c07b by task swapper/0/0\n" \
	"\n" \
	"CPU: 0 PID: 0 Comm: swapper/0 Not tainted 0.1 #1\n" \
	"Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)\n" \
	"Call Trace:\n" \
	" <TASK>\n" \
	" kasan_report+0x5a/0x90\n" \
	" __asan_store1_noabort+0x4b/0x70\n" \
	" kmalloc_oob_right+0x6e/0x1f0\n" \
	" ktest_run+0x120/0x200\n" \
	" </TASK>\n" \
	"\n"

#define ALLOCATED_BY \
	"Allocated by task 0 on cpu 0 at 1.234567s:\n" \
	" slab_debug_alloc+0x4f/0x120\n" \
	" kmalloc+0x9a/0x130\n" \
	" kmalloc_oob_right+0x2c/0x1f0\n" \
	"\n"

#define SEPARATOR "==================================================================\n"

START_TEST(test_oob_right_full_text)
{
	struct kasan_report_facts f = oob_right_facts();

	format(&f);
	ck_assert_str_eq(report,
		HEADER_OOB_RIGHT
		ALLOCATED_BY
		"The buggy address belongs to the object at ffff88800215c000\n"
		" which belongs to the cache kmalloc-128 of size 128\n"
		"The buggy address is located 0 bytes to the right of\n"
		" allocated 123-byte region [ffff88800215c000, ffff88800215c07b)\n"
		"\n"
		"Memory state around the buggy address:\n"
		" ffff88800215bf00: fc fc fc fc fc fc fc fc fb fb fb fb fb fb fb fb\n"
		" ffff88800215bf80: fb fb fb fb fb fb fb fb fc fc fc fc fc fc fc fc\n"
		">ffff88800215c000: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03\n"
		"                                                                ^\n"
		" ffff88800215c080: fc fc fc fc fc fc fc fc fc fc fc fc fc fc fc fc\n"
		" ffff88800215c100: fc fc fc fc fc fc fc fc fc fc fc fc fc fc fc fc\n"
		SEPARATOR);
}
END_TEST

START_TEST(test_uaf_full_text)
{
	struct kasan_report_facts f = oob_right_facts();

	f.bug_type = "slab-use-after-free";
	f.addr = f.first_bad = 0xffff88800215c008ULL;
	f.write = false;
	f.size = 8;
	f.region_size = 128;	/* freed: the whole object */
	f.free = (struct kasan_track_text){ .valid = true, .time_ns = 2000001000ULL,
					    .frames = free_stack, .depth = 3 };
	shadow_of_kmalloc_123(&f, 0xfb);
	format(&f);
	ck_assert_str_eq(report,
		SEPARATOR
		"BUG: KASAN: slab-use-after-free in kmalloc_oob_right+0x6e/0x1f0\n"
		"Read of size 8 at addr ffff88800215c008 by task swapper/0/0\n"
		"\n"
		"CPU: 0 PID: 0 Comm: swapper/0 Not tainted 0.1 #1\n"
		"Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)\n"
		"Call Trace:\n <TASK>\n kasan_report+0x5a/0x90\n __asan_store1_noabort+0x4b/0x70\n"
		" kmalloc_oob_right+0x6e/0x1f0\n ktest_run+0x120/0x200\n </TASK>\n"
		"\n"
		ALLOCATED_BY
		"Freed by task 0 on cpu 0 at 2.000001s:\n"
		" slab_debug_free+0x31/0xa0\n"
		" kfree+0x70/0x110\n"
		" kmalloc_uaf+0x41/0x1a0\n"
		"\n"
		"The buggy address belongs to the object at ffff88800215c000\n"
		" which belongs to the cache kmalloc-128 of size 128\n"
		"The buggy address is located 8 bytes inside of\n"
		" freed 128-byte region [ffff88800215c000, ffff88800215c080)\n"
		"\n"
		"Memory state around the buggy address:\n"
		" ffff88800215bf00: fc fc fc fc fc fc fc fc fb fb fb fb fb fb fb fb\n"
		" ffff88800215bf80: fb fb fb fb fb fb fb fb fc fc fc fc fc fc fc fc\n"
		">ffff88800215c000: fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb\n"
		"                      ^\n"
		" ffff88800215c080: fc fc fc fc fc fc fc fc fc fc fc fc fc fc fc fc\n"
		" ffff88800215c100: fc fc fc fc fc fc fc fc fc fc fc fc fc fc fc fc\n"
		SEPARATOR);
}
END_TEST

/* Lines of the report that start with c. */
static int lines_starting_with(char c)
{
	int n = report[0] == c;

	for (const char *p = report; (p = strchr(p, '\n')) != NULL; p++)
		n += p[1] == c;
	return n;
}

/* Every column of the guilty row, at both ends of a granule: '>' on that
 * row only, and on the next line a '^' under the byte's first hex digit. */
START_TEST(test_caret_every_column)
{
	for (unsigned col = 0; col < 16; col++) {
		for (unsigned in = 0; in < 8; in += 7) {
			struct kasan_report_facts f = oob_right_facts();
			u64 row = 0xffff88800215c000ULL;
			char guilty[32], caret[80];
			const char *line, *next;

			f.addr = f.first_bad = row + col * 8 + in;
			format(&f);
			snprintf(guilty, sizeof(guilty), "\n>%016llx: ", (unsigned long long)row);
			line = strstr(report, guilty);
			ck_assert_msg(line != NULL, "column %u: no guilty row", col);
			line++;
			ck_assert_int_eq(lines_starting_with('>'), 1);
			next = strchr(line, '\n') + 1;
			memset(caret, ' ', sizeof(caret));
			caret[19 + 3 * col] = '^';
			caret[20 + 3 * col] = '\n';
			ck_assert_msg(!strncmp(next, caret, 21 + 3 * col),
				      "column %u+%u: caret line '%.70s'", col, in, next);
			ck_assert(line[18 + 3 * col] == ' ' && line[19 + 3 * col] != ' ');
			ck_assert_int_eq(lines_starting_with(' ') - (int)f.trace_depth - 2,
					 /* allocation stack, object line, region line, 4 rows */
					 3 + 1 + 1 + 4 + 1);
		}
	}
}
END_TEST

/* A row whose shadow does not exist (the end of a region) is left out. */
START_TEST(test_rows_without_shadow_are_skipped)
{
	struct kasan_report_facts f = oob_right_facts();

	f.meta_valid[0] = f.meta_valid[4] = false;
	format(&f);
	ck_assert_ptr_null(strstr(report, "ffff88800215bf00:"));
	ck_assert_ptr_null(strstr(report, "ffff88800215c100:"));
	ck_assert_ptr_nonnull(strstr(report, "Memory state around the buggy address:\n"
					     " ffff88800215bf80: "));
}
END_TEST

START_TEST(test_located_left_inside_right)
{
	struct kasan_report_facts f = oob_right_facts();

	f.addr = 0xffff88800215bff8ULL;
	format(&f);
	ck_assert_ptr_nonnull(strstr(report, "\nThe buggy address is located 8 bytes to the left of\n"
					     " allocated 123-byte region [ffff88800215c000, ffff88800215c07b)\n"));
	f.addr = 0xffff88800215c07aULL;
	f.bug_type = "out-of-bounds";	/* no "allocated"/"freed" for other types */
	format(&f);
	ck_assert_ptr_nonnull(strstr(report, "\nThe buggy address is located 122 bytes inside of\n"
					     " 123-byte region [ffff88800215c000, ffff88800215c07b)\n"));
	f.addr = 0xffff88800215c090ULL;
	format(&f);
	ck_assert_ptr_nonnull(strstr(report, "located 21 bytes to the right of\n 123-byte region"));
}
END_TEST

START_TEST(test_free_reports)
{
	struct kasan_report_facts f = oob_right_facts();

	f.type = KASAN_REPORT_DOUBLE_FREE;
	f.bug_type = "double-free";
	f.ip = "kmalloc_double_free+0x5c/0x120";
	f.addr = f.first_bad = 0xffff88800215c000ULL;
	format(&f);
	ck_assert_ptr_eq(strstr(report, SEPARATOR
				"BUG: KASAN: double-free in kmalloc_double_free+0x5c/0x120\n"
				"Free of addr ffff88800215c000 by task swapper/0/0\n"
				"\n"
				"CPU: 0 PID: 0 Comm: swapper/0 Not tainted 0.1 #1\n"),
			 report);
	ck_assert_ptr_null(strstr(report, "Write of size"));

	f.type = KASAN_REPORT_INVALID_FREE;
	f.bug_type = "invalid-free";
	f.addr = f.first_bad = 0xffff88800215c001ULL;
	format(&f);
	ck_assert_ptr_nonnull(strstr(report, "\nBUG: KASAN: invalid-free in kmalloc_double_free+0x5c/0x120\n"
					     "Free of addr ffff88800215c001 by task swapper/0/0\n"));
	ck_assert_ptr_nonnull(strstr(report, "located 1 bytes inside of\n 123-byte region"));
}
END_TEST

/* Without shadow Linux prints the header and the stack, nothing more. */
START_TEST(test_no_shadow_is_header_and_stack)
{
	struct kasan_report_facts f = {
		.type = KASAN_REPORT_ACCESS,
		.bug_type = "null-ptr-deref",
		.addr = 0x10,
		.size = 8,
		.write = false,
		.ip = "memcpy+0x1a/0x60",
		.comm = "swapper/0",
		.release = "0.1",
		.trace = trace,
		.trace_depth = 1,
	};

	format(&f);
	ck_assert_str_eq(report,
		SEPARATOR
		"BUG: KASAN: null-ptr-deref in memcpy+0x1a/0x60\n"
		"Read of size 8 at addr 0000000000000010 by task swapper/0/0\n"
		"\n"
		"CPU: 0 PID: 0 Comm: swapper/0 Not tainted 0.1 #1\n"
		"Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)\n"
		"Call Trace:\n"
		" <TASK>\n"
		" kasan_report+0x5a/0x90\n"
		" </TASK>\n"
		SEPARATOR);
}
END_TEST

START_TEST(test_global_variable)
{
	struct kasan_report_facts f = oob_right_facts();

	f.has_object = false;
	f.bug_type = "global-out-of-bounds";
	f.write = false;
	f.addr = f.first_bad = 0xffffffff8030100aULL;
	f.meta_start = 0xffffffff80301000ULL - 2 * ROW;
	f.variable = "kasan_global_array+0xa/0x40";
	format(&f);
	ck_assert_ptr_nonnull(strstr(report, " </TASK>\n"
					     "\n"
					     "The buggy address belongs to the variable:\n"
					     " kasan_global_array+0xa/0x40\n"
					     "\n"
					     "Memory state around the buggy address:\n"));
	ck_assert_ptr_null(strstr(report, "Allocated by"));
	ck_assert_ptr_null(strstr(report, "belongs to the object"));
}
END_TEST

/* GCC's frame description: "n off size len name:line ..." */
START_TEST(test_stack_frame)
{
	struct kasan_report_facts f = oob_right_facts();

	f.has_object = false;
	f.bug_type = "stack-out-of-bounds";
	f.on_stack = true;
	f.frame_func = "stack_oob+0x0/0x1c0";
	f.frame_offset = 42;
	f.frame_descr = "2 32 10 11 stack_array:201 64 8 1 e:207";
	format(&f);
	ck_assert_ptr_nonnull(strstr(report, " </TASK>\n"
					     "\n"
					     "The buggy address belongs to stack of task swapper/0/0\n"
					     " and is located at offset 42 in frame:\n"
					     " stack_oob+0x0/0x1c0\n"
					     "\n"
					     "This frame has 2 objects:\n"
					     " [32, 42) 'stack_array'\n"
					     " [64, 72) 'e'\n"
					     "\n"
					     "Memory state around the buggy address:\n"));

	f.frame_descr = "1 32 4 3 buf";	/* no line number, one object */
	format(&f);
	ck_assert_ptr_nonnull(strstr(report, "\nThis frame has 1 object:\n [32, 36) 'buf'\n\n"));

	f.frame_descr = "2 32 4";	/* truncated: stop quietly */
	format(&f);
	ck_assert_ptr_nonnull(strstr(report, "This frame has 2 objects:\n\nMemory state"));

	f.frame_func = NULL;		/* frame not found: the first line only */
	format(&f);
	ck_assert_ptr_nonnull(strstr(report, "stack of task swapper/0/0\n\nMemory state"));
}
END_TEST

START_TEST(test_track_without_stack)
{
	struct kasan_report_facts f = oob_right_facts();

	f.alloc.depth = 0;
	f.alloc.pid = 7;
	f.alloc.time_ns = 999;
	format(&f);
	ck_assert_ptr_nonnull(strstr(report, "\nAllocated by task 7 on cpu 0 at 0.000000s:\n"
					     "(stack is not available)\n\n"));
}
END_TEST

START_TEST(test_access_without_size)
{
	struct kasan_report_facts f = oob_right_facts();

	f.size = 0;
	format(&f);
	ck_assert_ptr_nonnull(strstr(report, "\nWrite at addr ffff88800215c07b by task swapper/0/0\n"));
}
END_TEST

static const char *type_of(u8 s0, u8 s1)
{
	const u8 shadow[2] = { s0, s1 };

	return kasan_bug_type(0xffff888000001000ULL, 8, true, shadow);
}

/* Linux's get_shadow_bug_type(), value by value. */
START_TEST(test_bug_type_from_shadow)
{
	static const struct {
		u8 shadow;
		const char *type;
	} table[] = {
		{ 0x00, "out-of-bounds" },
		{ KASAN_PAGE_REDZONE, "slab-out-of-bounds" },
		{ KASAN_SLAB_REDZONE, "slab-out-of-bounds" },
		{ KASAN_GLOBAL_REDZONE, "global-out-of-bounds" },
		{ KASAN_STACK_LEFT, "stack-out-of-bounds" },
		{ KASAN_STACK_MID, "stack-out-of-bounds" },
		{ KASAN_STACK_RIGHT, "stack-out-of-bounds" },
		{ KASAN_STACK_PARTIAL, "stack-out-of-bounds" },
		{ KASAN_PAGE_FREE, "use-after-free" },
		{ KASAN_SLAB_FREE, "slab-use-after-free" },
		{ KASAN_SLAB_FREE_META, "slab-use-after-free" },
		{ KASAN_ALLOCA_LEFT, "alloca-out-of-bounds" },
		{ KASAN_ALLOCA_RIGHT, "alloca-out-of-bounds" },
		{ KASAN_VMALLOC_INVALID, "vmalloc-out-of-bounds" },
		{ 0x80, "unknown-crash" },
		{ 0xf5, "unknown-crash" },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		ck_assert_str_eq(type_of(table[i].shadow, 0xcc), table[i].type);
		/* A partial granule (1..7) defers to the next shadow byte. */
		for (u8 partial = 1; partial < 8; partial++)
			ck_assert_str_eq(type_of(partial, table[i].shadow), table[i].type);
	}
}
END_TEST

START_TEST(test_bug_type_without_shadow)
{
	const u8 none[2] = { 0, 0 };

	ck_assert_str_eq(kasan_bug_type(0, 1, false, none), "null-ptr-deref");
	ck_assert_str_eq(kasan_bug_type(0xfff, 1, false, none), "null-ptr-deref");
	ck_assert_str_eq(kasan_bug_type(0x1000, 1, false, none), "user-memory-access");
	ck_assert_str_eq(kasan_bug_type(0x00007fffffffefffULL, 1, false, none), "user-memory-access");
	ck_assert_str_eq(kasan_bug_type(0xdead000000000000ULL, 8, false, none), "wild-memory-access");
	ck_assert_str_eq(kasan_bug_type(0xffffffffc0000000ULL, 4, false, none), "wild-memory-access");
	/* A range that wraps (memcpy with a negative size) is out of bounds. */
	ck_assert_str_eq(kasan_bug_type(0xffff888000001000ULL, (size_t)-8, true, none),
			 "out-of-bounds");
	ck_assert_str_eq(kasan_bug_type(0xffff888000001000ULL, (size_t)-8, false, none),
			 "out-of-bounds");
}
END_TEST

Suite *kasan_report_suite(void)
{
	Suite *s = suite_create("kasan_report");

	host_add_test(s, test_oob_right_full_text);
	host_add_test(s, test_uaf_full_text);
	host_add_test(s, test_caret_every_column);
	host_add_test(s, test_rows_without_shadow_are_skipped);
	host_add_test(s, test_located_left_inside_right);
	host_add_test(s, test_free_reports);
	host_add_test(s, test_no_shadow_is_header_and_stack);
	host_add_test(s, test_global_variable);
	host_add_test(s, test_stack_frame);
	host_add_test(s, test_track_without_stack);
	host_add_test(s, test_access_without_size);
	host_add_test(s, test_bug_type_from_shadow);
	host_add_test(s, test_bug_type_without_shadow);
	return s;
}

/*
 * ubsan_test.c - one kind of undefined behaviour per test, each expected
 * to produce exactly one UBSAN report that says, in Linux's words, what
 * went wrong and where (this file and the line of the bad expression):
 *
 *   UBSAN: signed-integer-overflow in kernel/ktest/ubsan_test.c:70:11
 *   2147483647 + 1 cannot be represented in type 'int'
 *
 * The operands are volatile, so GCC cannot fold the expression and must
 * emit the check.  Each bad expression is on the same line as the
 * `line = __LINE__` that records where it is.  None of these has a second
 * effect: the overflow wraps, the shift is masked by the CPU, the index
 * stays inside the enclosing structure, the bool is only read.
 */
#include "ktest/ktest.h"
#include "lib/format.h"
#include "lib/kconfig.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "lib/ubsan.h"

#define UBSAN_TEST_REQUIRE(t)                              \
	do {                                               \
		if (!CONFIG_UBSAN)                         \
			KTEST_SKIP(t, "built with SAN=0"); \
	} while (0)

static char ubsan_log[4096];
static volatile int ubsan_sink;
static u64 ubsan_test_reports;

/* arr[25] is out of range for arr's type, but still inside the struct:
 * the read after the report touches valid memory. */
static struct {
	int arr[10];
	int beyond[20];
} ubsan_arrays;

static void ubsan_expect_begin(void)
{
	ubsan_test_reports = ubsan_report_count();
	printk_capture_start(ubsan_log, sizeof(ubsan_log));
}

/*
 * Exactly one report, for this file and line, saying `message`, with the
 * test function (func, or its out-of-line part func.cold, where GCC puts
 * the handler calls) in the call trace.
 */
static void ubsan_expect_end(struct ktest *t, const char *func, const char *reason, int line,
			     const char *message)
{
	char want[160];
	const char *trace, *end, *frame;

	printk_capture_stop();
	ktest_expect_reports(t, 1);
	KTEST_EXPECT_EQ(t, ubsan_report_count() - ubsan_test_reports, 1);
	ksnprintf(want, sizeof(want), "------------[ cut here ]------------\nUBSAN: %s in %s:%d:",
		  reason, __FILE__, line);
	KTEST_EXPECT_CONTAINS(t, ubsan_log, want);
	KTEST_EXPECT_CONTAINS(t, ubsan_log, message);
	KTEST_EXPECT_CONTAINS(t, ubsan_log, " </TASK>\n---[ end trace ]---\n");
	ksnprintf(want, sizeof(want), "\n %s", func);
	trace = strstr(ubsan_log, "\nCall Trace:\n <TASK>\n");
	end = trace ? strstr(trace, " </TASK>") : NULL;
	frame = trace ? strstr(trace, want) : NULL;
	KTEST_EXPECT(t, frame && frame < end);
}

static void signed_overflow(struct ktest *t)
{
	UBSAN_TEST_REQUIRE(t);
	volatile int a = 0x7fffffff;
	int line;

	ubsan_expect_begin();
	line = __LINE__; ubsan_sink = a + 1;
	ubsan_expect_end(t, __func__, "signed-integer-overflow", line,
			 "\n2147483647 + 1 cannot be represented in type 'int'\n");
}

static void shift_out_of_bounds(struct ktest *t)
{
	UBSAN_TEST_REQUIRE(t);
	volatile int shift = 32;
	int line;

	ubsan_expect_begin();
	line = __LINE__; ubsan_sink = 1 << shift;
	ubsan_expect_end(t, __func__, "shift-out-of-bounds", line,
			 "\nshift exponent 32 is too large for 32-bit type 'int'\n");
}

static void array_index_out_of_bounds(struct ktest *t)
{
	UBSAN_TEST_REQUIRE(t);
	volatile int index = 25;
	int line;

	ubsan_expect_begin();
	line = __LINE__; ubsan_sink = ubsan_arrays.arr[index];
	ubsan_expect_end(t, __func__, "array-index-out-of-bounds", line,
			 "\nindex 25 is out of range for type 'int [10]'\n");
}

static void invalid_bool_load(struct ktest *t)
{
	UBSAN_TEST_REQUIRE(t);
	u8 raw = 5;
	bool *b = (bool *)&raw;
	int line;

	__asm__ __volatile__("" : "+r"(b) : : "memory");	/* hide where b points */
	ubsan_expect_begin();
	line = __LINE__; ubsan_sink = *b;
	ubsan_expect_end(t, __func__, "invalid-load", line,
			 "\nload of value 5 is not a valid value for type '_Bool'\n");
}

static void well_defined_is_silent(struct ktest *t)
{
	UBSAN_TEST_REQUIRE(t);
	volatile int a = 0x7ffffffe, shift = 31, index = 9;
	u64 before = ubsan_report_count();

	ubsan_sink = a + 1;
	ubsan_sink = (int)(1u << shift);
	ubsan_sink = ubsan_arrays.arr[index];
	KTEST_EXPECT_EQ(t, ubsan_report_count(), before);
}

KTEST_SUITE(ubsan, "ubsan",
	    KTEST_CASE(signed_overflow),
	    KTEST_CASE(shift_out_of_bounds),
	    KTEST_CASE(array_index_out_of_bounds),
	    KTEST_CASE(invalid_bool_load),
	    KTEST_CASE(well_defined_is_silent));

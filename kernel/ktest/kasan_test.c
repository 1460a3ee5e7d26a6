/*
 * kasan_test.c - one bug per test, each provoking one kind of KASAN report
 * (in the spirit of Linux's mm/kasan/kasan_test.c).  A test passes only if
 * exactly one new report was printed AND its text names the bug type, this
 * test's function and the exact access, as Linux would:
 *
 *   BUG: KASAN: slab-out-of-bounds in kmalloc_oob_right+0x8e/0x1f0
 *   Write of size 1 at addr ffff88800215c07b by task swapper/0/0
 *
 * The bad accesses are made right in the test functions, through pointers
 * the compiler cannot see through (KASAN_TEST_HIDE, Linux's
 * OPTIMIZER_HIDE_VAR), so GCC can neither fold them away nor prove them
 * out of bounds at compile time.  Reports are not oopses: the framework
 * does not count them, these tests do.  Bad writes put back the byte that
 * was there, so a test never corrupts the allocator's own data.
 */
#include "ktest/ktest.h"
#include "lib/current.h"
#include "lib/format.h"
#include "lib/kconfig.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/kasan.h"
#include "mm/slab.h"

#define KASAN_TEST_HIDE(v) __asm__ __volatile__("" : "+r"(v))

#define KASAN_TEST_REQUIRE(t)                                                        \
	do {                                                                         \
		if (!CONFIG_KASAN)                                                   \
			KTEST_SKIP(t, "built with SAN=0");                           \
		if (kasan_get_mode() == KASAN_MODE_PANIC)                            \
			KTEST_SKIP(t, "kasan=panic: the first report would end the run"); \
	} while (0)

static char kasan_log[8192];		/* the captured report */
static char kasan_not_heap[64];		/* kfree()d by kfree_never_allocated */
static char kasan_global_array[10];	/* read past by global_oob */

/* Read a byte without KASAN's check: what a redzone holds, so that a
 * test's bad write can store the same value back. */
static __attribute__((noinline, no_sanitize_address)) u8 kasan_test_peek(const void *p)
{
	return *(const volatile u8 *)p;
}

static u64 kasan_test_reports;

static void kasan_expect_begin(void)
{
	kasan_test_reports = kasan_report_count();
	printk_capture_start(kasan_log, sizeof(kasan_log));
}

/*
 * Stop capturing; exactly one report must have been printed, with this
 * header.  access: "Read of size 1 at addr ..." (NULL for free reports,
 * whose second line the caller checks).  False if the report is missing,
 * so that the caller's further checks are not a cascade of failures.
 */
static bool kasan_expect_end(struct ktest *t, const char *bug_type, const char *func,
			     bool write, size_t size, const void *addr)
{
	char want[160];

	printk_capture_stop();
	ktest_expect_reports(t, 1);
	if (!KTEST_EXPECT(t, kasan_report_count() - kasan_test_reports == 1))
		return false;
	ksnprintf(want, sizeof(want), "==================================================================\n"
		  "BUG: KASAN: %s in %s+0x", bug_type, func);
	KTEST_EXPECT_CONTAINS(t, kasan_log, want);
	if (size) {
		ksnprintf(want, sizeof(want), "\n%s of size %zu at addr %016llx by task %s/%d\n",
			  write ? "Write" : "Read", size, (unsigned long long)(u64)addr,
			  current_comm(), current_pid());
		KTEST_EXPECT_CONTAINS(t, kasan_log, want);
	}
	KTEST_EXPECT_CONTAINS(t, kasan_log, "\nCall Trace:\n <TASK>\n kasan_report");
	return true;
}

/* "Free of addr" reports (double-free, invalid-free) have no access line. */
static void kasan_expect_free_line(struct ktest *t, const void *addr)
{
	char want[96];

	ksnprintf(want, sizeof(want), "\nFree of addr %016llx by task %s/%d\n",
		  (unsigned long long)(u64)addr, current_comm(), current_pid());
	KTEST_EXPECT_CONTAINS(t, kasan_log, want);
}

static void kasan_expect_region(struct ktest *t, const char *where, const char *state,
				size_t size, const void *start)
{
	char want[192];

	ksnprintf(want, sizeof(want), "\nThe buggy address is located %s of\n %s%zu-byte region [%016llx, %016llx)\n",
		  where, state, size, (unsigned long long)(u64)start,
		  (unsigned long long)((u64)start + size));
	KTEST_EXPECT_CONTAINS(t, kasan_log, want);
}

/* The shadow row of the first bad byte is marked '>', and the next line
 * has a '^' under that byte's granule. */
static void kasan_expect_caret(struct ktest *t, const void *first_bad)
{
	u64 a = (u64)first_bad, row = a & ~127ULL;
	char want[24];
	const char *line, *caret;

	ksnprintf(want, sizeof(want), "\n>%016llx:", (unsigned long long)row);
	line = strstr(kasan_log, want);
	if (!KTEST_EXPECT(t, line != NULL))
		return;
	caret = strchr(line + 1, '\n');
	if (!KTEST_EXPECT(t, caret != NULL))
		return;
	caret++;
	for (unsigned i = 0; i < 19 + (a - row) / 8 * 3; i++)
		if (!KTEST_EXPECT(t, caret[i] == ' '))
			return;
	KTEST_EXPECT(t, caret[19 + (a - row) / 8 * 3] == '^');
}

/* The text of the report between two markers must contain needle. */
static void kasan_expect_between(struct ktest *t, const char *from, const char *to,
				 const char *needle)
{
	const char *a = strstr(kasan_log, from), *b = a ? strstr(a, to) : NULL, *n;

	if (!KTEST_EXPECT(t, a && b))
		return;
	n = strstr(a, needle);
	KTEST_EXPECT(t, n && n < b);
}

/* ------------------------------------------------------------ heap */

static void kmalloc_oob_right(struct ktest *t)
{
	KASAN_TEST_REQUIRE(t);
	char *p = kmalloc(123, GFP_KERNEL);

	if (!KTEST_EXPECT(t, p))
		return;
	u8 old = kasan_test_peek(p + 123);

	KASAN_TEST_HIDE(p);
	kasan_expect_begin();
	((volatile char *)p)[123] = (char)old;
	if (kasan_expect_end(t, "slab-out-of-bounds", __func__, true, 1, p + 123)) {
		KTEST_EXPECT_CONTAINS(t, kasan_log, " which belongs to the cache kmalloc-128 of size 128\n");
		kasan_expect_region(t, "0 bytes to the right", "allocated ", 123, p);
		kasan_expect_between(t, "Allocated by task ", "The buggy address", " kmalloc_oob_right+0x");
		KTEST_EXPECT(t, !strstr(kasan_log, "Freed by task"));
		kasan_expect_caret(t, p + 123);
	}
	kfree(p);
}

/*
 * p[-1] must land in memory no one may use: the tail of another kmalloc
 * of ours right below p (its 28 unrequested bytes, its redzone), never in
 * a stranger's live object.  So the test keeps a few neighbours and picks
 * one whose lower neighbour is its own.
 */
static void kmalloc_oob_left(struct ktest *t)
{
	KASAN_TEST_REQUIRE(t);
	char *objs[8], *p = NULL, *below = NULL;

	for (unsigned i = 0; i < ARRAY_SIZE(objs); i++)
		objs[i] = kmalloc(100, GFP_KERNEL);
	for (unsigned i = 0; i < ARRAY_SIZE(objs); i++)
		for (unsigned j = 0; j < ARRAY_SIZE(objs); j++)
			if (objs[i] && objs[j] && objs[j] + 128 <= objs[i] &&
			    objs[i] - objs[j] <= 512 && (!p || objs[i] - objs[j] < p - below)) {
				p = objs[i];
				below = objs[j];
			}
	if (KTEST_EXPECT(t, p != NULL)) {
		KASAN_TEST_HIDE(p);
		kasan_expect_begin();
		(void)((volatile char *)p)[-1];
		if (kasan_expect_end(t, "slab-out-of-bounds", __func__, false, 1, p - 1)) {
			char where[40];

			ksnprintf(where, sizeof(where), "%zu bytes to the right",
				  (size_t)(p - 1 - (below + 100)));
			kasan_expect_region(t, where, "allocated ", 100, below);
		}
	}
	for (unsigned i = 0; i < ARRAY_SIZE(objs); i++)
		kfree(objs[i]);
}

static void kmalloc_uaf(struct ktest *t)
{
	KASAN_TEST_REQUIRE(t);
	char *p = kmalloc(123, GFP_KERNEL);

	if (!KTEST_EXPECT(t, p))
		return;
	kfree(p);
	KASAN_TEST_HIDE(p);
	kasan_expect_begin();
	(void)((volatile char *)p)[8];
	if (kasan_expect_end(t, "slab-use-after-free", __func__, false, 1, p + 8)) {
		char who[48];

		ksnprintf(who, sizeof(who), "\nAllocated by task %d on cpu 0 at ", current_pid());
		KTEST_EXPECT_CONTAINS(t, kasan_log, who);
		ksnprintf(who, sizeof(who), "\nFreed by task %d on cpu 0 at ", current_pid());
		KTEST_EXPECT_CONTAINS(t, kasan_log, who);
		kasan_expect_between(t, "Allocated by task ", "Freed by task ", " kmalloc_uaf+0x");
		kasan_expect_between(t, "Freed by task ", "The buggy address", " kmalloc_uaf+0x");
		kasan_expect_region(t, "8 bytes inside", "freed ", 128, p);
		kasan_expect_caret(t, p + 8);
	}
}

static void kmalloc_double_free(struct ktest *t)
{
	KASAN_TEST_REQUIRE(t);
	char *p = kmalloc(64, GFP_KERNEL);

	if (!KTEST_EXPECT(t, p))
		return;
	kfree(p);
	KASAN_TEST_HIDE(p);
	kasan_expect_begin();
	kfree(p);
	if (kasan_expect_end(t, "double-free", __func__, false, 0, p)) {
		kasan_expect_free_line(t, p);
		/* "Freed by" is still the first kfree, made from here too. */
		kasan_expect_between(t, "Freed by task ", "The buggy address", " kmalloc_double_free+0x");
	}
}

static void kfree_invalid(struct ktest *t)
{
	KASAN_TEST_REQUIRE(t);
	char *p = kmalloc(64, GFP_KERNEL), *inside;

	if (!KTEST_EXPECT(t, p))
		return;
	inside = p + 1;
	KASAN_TEST_HIDE(inside);
	kasan_expect_begin();
	kfree(inside);
	if (kasan_expect_end(t, "invalid-free", __func__, false, 0, inside)) {
		kasan_expect_free_line(t, inside);
		kasan_expect_region(t, "1 bytes inside", "", 64, p);
	}
	kfree(p);	/* the object itself is still fine */
}

static void kfree_never_allocated(struct ktest *t)
{
	KASAN_TEST_REQUIRE(t);
	char *p = kasan_not_heap;

	KASAN_TEST_HIDE(p);
	kasan_expect_begin();
	kfree(p);
	if (kasan_expect_end(t, "invalid-free", __func__, false, 0, p)) {
		kasan_expect_free_line(t, p);
		KTEST_EXPECT_CONTAINS(t, kasan_log,
				      "The buggy address belongs to the variable:\n kasan_not_heap+0x0/0x");
	}
}

static void kmalloc_large_oob(struct ktest *t)
{
	KASAN_TEST_REQUIRE(t);
	char *p = kmalloc(5000, GFP_KERNEL);

	if (!KTEST_EXPECT(t, p))
		return;
	KASAN_TEST_HIDE(p);
	kasan_expect_begin();
	(void)((volatile char *)p)[5000];
	if (kasan_expect_end(t, "slab-out-of-bounds", __func__, false, 1, p + 5000)) {
		KTEST_EXPECT_CONTAINS(t, kasan_log, " which belongs to the cache kmalloc-large of size 8192\n");
		kasan_expect_region(t, "0 bytes to the right", "allocated ", 5000, p);
	}
	kfree(p);
}

/* ------------------------------------------------ globals and stacks */

static void global_oob(struct ktest *t)
{
	KASAN_TEST_REQUIRE(t);
	char *p = kasan_global_array;

	KASAN_TEST_HIDE(p);
	kasan_expect_begin();
	(void)((volatile char *)p)[10];
	if (kasan_expect_end(t, "global-out-of-bounds", __func__, false, 1, p + 10)) {
		KTEST_EXPECT_CONTAINS(t, kasan_log,
				      "The buggy address belongs to the variable:\n kasan_global_array+0xa/0x");
		kasan_expect_caret(t, p + 10);
	}
}

static void stack_oob(struct ktest *t)
{
	KASAN_TEST_REQUIRE(t);
	char stack_array[10] = "123456789";
	char *p = stack_array;

	KASAN_TEST_HIDE(p);
	kasan_expect_begin();
	(void)((volatile char *)p)[10];
	if (kasan_expect_end(t, "stack-out-of-bounds", __func__, false, 1, p + 10)) {
		char want[96];

		ksnprintf(want, sizeof(want), "The buggy address belongs to stack of task %s/%d\n"
			  " and is located at offset ", current_comm(), current_pid());
		KTEST_EXPECT_CONTAINS(t, kasan_log, want);
		KTEST_EXPECT_CONTAINS(t, kasan_log, " in frame:\n stack_oob+0x0/0x");
		KTEST_EXPECT_CONTAINS(t, kasan_log, ") 'stack_array'\n");
	}
}

/* ------------------------------------------- the checked string functions */

static void memset_oob(struct ktest *t)
{
	KASAN_TEST_REQUIRE(t);
	char *p = kmalloc(123, GFP_KERNEL);

	if (!KTEST_EXPECT(t, p))
		return;
	u8 old = kasan_test_peek(p + 123);	/* bytes 112..122 are ours anyway */

	KASAN_TEST_HIDE(p);
	kasan_expect_begin();
	memset(p + 112, old, 12);
	if (kasan_expect_end(t, "slab-out-of-bounds", __func__, true, 12, p + 112)) {
		kasan_expect_region(t, "112 bytes inside", "allocated ", 123, p);
		kasan_expect_caret(t, p + 120);
	}
	kfree(p);
}

static void memcpy_oob(struct ktest *t)
{
	KASAN_TEST_REQUIRE(t);
	char *p = kmalloc(123, GFP_KERNEL), dst[16];

	if (!KTEST_EXPECT(t, p))
		return;
	KASAN_TEST_HIDE(p);
	kasan_expect_begin();
	memcpy(dst, p + 112, sizeof(dst));
	kasan_expect_end(t, "slab-out-of-bounds", __func__, false, sizeof(dst), p + 112);
	kfree(p);
}

/* ------------------------------------------------------------ no bug */

static void clean_use_is_silent(struct ktest *t)
{
	KASAN_TEST_REQUIRE(t);
	u64 before = kasan_report_count();
	char *small = kmalloc(123, GFP_KERNEL), *large = kmalloc(5000, GFP_KERNEL);
	unsigned sum = 0;

	if (!KTEST_EXPECT(t, small && large))
		goto out;
	KASAN_TEST_HIDE(small);
	KASAN_TEST_HIDE(large);
	memset(small, 1, 123);
	memset(large, 2, 5000);
	memcpy(large + 4000, small, 123);
	for (unsigned i = 0; i < 123; i++)
		sum += (u8)small[i] + (u8)large[4877 + i];
	KTEST_EXPECT_EQ(t, sum, 123 * 2 + 123);
	KTEST_EXPECT(t, kasan_check_range(large, 5000, false, 0));
out:
	kfree(small);
	kfree(large);
	KTEST_EXPECT_EQ(t, kasan_report_count(), before);
}

KTEST_SUITE(kasan, "kasan",
	    KTEST_CASE(kmalloc_oob_right),
	    KTEST_CASE(kmalloc_oob_left),
	    KTEST_CASE(kmalloc_uaf),
	    KTEST_CASE(kmalloc_double_free),
	    KTEST_CASE(kfree_invalid),
	    KTEST_CASE(kfree_never_allocated),
	    KTEST_CASE(kmalloc_large_oob),
	    KTEST_CASE(global_oob),
	    KTEST_CASE(stack_oob),
	    KTEST_CASE(memset_oob),
	    KTEST_CASE(memcpy_oob),
	    KTEST_CASE(clean_use_is_silent));

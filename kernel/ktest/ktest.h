/*
 * ktest.h - the in-kernel test framework.
 *
 *   static void test_thing(struct ktest *t) { KTEST_EXPECT(t, 1 + 1 == 2); }
 *   KTEST_SUITE(example, "example", KTEST_CASE(test_thing));
 *
 * Suites register themselves through the .ktest_suites section (collected
 * by the linker script), so adding a test file to the Makefile is enough.
 * `run=ktest` runs every suite that is not manual, `run=ktest:NAME` one
 * suite (manual ones included); the kernel then powers off with status 0
 * only if every test passed.  Each test prints one line:
 *
 *   ktest: PASS traps.page_fault_write
 *   ktest: FAIL traps.page_fault_write: kernel/ktest/traps_test.c:42: expected ...
 *   ktest: SKIP machine.vga_writes_and_scrolls: no VGA text mode
 *
 * A test also fails if the kernel printed a report during it that the test
 * did not ask for: an oops not caught by trap_expect_fault(), or a KASAN or
 * UBSAN report beyond those declared with ktest_expect_reports().
 */
#ifndef CANARY_KTEST_H
#define CANARY_KTEST_H

#include "lib/types.h"

struct ktest {
	const char *suite;
	const char *name;
	int failures;		/* failed expectations in this test */
	const char *skipped;	/* why the test could not run here, or NULL */
	u64 expected_reports;	/* sanitizer reports the test provoked on purpose */
};

struct ktest_case {
	const char *name;
	void (*fn)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases;
	size_t ncases;
	bool manual;		/* only run when asked for by name */
};

#define KTEST_CASE(fn) { #fn, fn }

#define KTEST_DEFINE_SUITE(sym, suite_name, is_manual, ...)                     \
	static const struct ktest_case sym##_cases[] = { __VA_ARGS__ };         \
	static const struct ktest_suite sym##_suite = {                         \
		suite_name, sym##_cases, ARRAY_SIZE(sym##_cases), is_manual };  \
	static const struct ktest_suite *const sym##_ptr                        \
		__attribute__((used, section(".ktest_suites"))) = &sym##_suite

#define KTEST_SUITE(sym, name, ...) KTEST_DEFINE_SUITE(sym, name, false, __VA_ARGS__)
#define KTEST_MANUAL_SUITE(sym, name, ...) KTEST_DEFINE_SUITE(sym, name, true, __VA_ARGS__)

/* Declare that the test provokes n sanitizer reports on purpose. */
static inline void ktest_expect_reports(struct ktest *t, u64 n)
{
	t->expected_reports += n;
}

/* Record a failed expectation (with where and why) unless ok. */
bool ktest_check(struct ktest *t, bool ok, const char *file, int line, const char *fmt, ...)
	__printf(5, 6);

#define KTEST_EXPECT(t, cond) ktest_check(t, (cond), __FILE__, __LINE__, "expected %s", #cond)

#define KTEST_EXPECT_EQ(t, a, b)                                                          \
	do {                                                                              \
		unsigned long long _a = (unsigned long long)(a), _b = (unsigned long long)(b); \
		ktest_check(t, _a == _b, __FILE__, __LINE__, "expected %s == %s (0x%llx != 0x%llx)", \
			    #a, #b, _a, _b);                                              \
	} while (0)

/* The captured text `hay` must contain `needle`. */
#define KTEST_EXPECT_CONTAINS(t, hay, needle) \
	ktest_check(t, strstr((hay), (needle)) != NULL, __FILE__, __LINE__, \
		    "expected the text to contain \"%s\"", (needle))

/* End the test as skipped: what it needs is absent on this machine (for
 * example VGA text mode under a firmware that does not set it up).  A
 * skip is reported as such, never as a pass. */
#define KTEST_SKIP(t, why)          \
	do {                        \
		(t)->skipped = (why); \
		return;             \
	} while (0)

/* Run every non-manual suite (name NULL) or the named suite, skipping the
 * tests listed in exclude ("suite.test,suite.test", may be NULL).  Returns
 * the number of failed tests, or -1 if no suite has that name. */
int ktest_run(const char *name, const char *exclude);
void ktest_list_suites(void);

#endif

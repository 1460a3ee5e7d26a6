/*
 * ktest.c - runs the suites collected in section .ktest_suites.
 *
 * Each test gets a fresh struct ktest; expectations record failures in it.
 * The oops counter is sampled around each test so that an unexpected
 * report (one no trap_expect_fault() asked for) fails the test even if
 * every expectation held.
 */
#include <stdarg.h>
#include "arch/x86_64/trap.h"
#include "ktest/ktest.h"
#include "lib/format.h"
#include "arch/x86_64/x86.h"
#include "lib/checkers.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "sched/sched.h"

extern const struct ktest_suite *const ktest_suites_start[];
extern const struct ktest_suite *const ktest_suites_end[];

bool ktest_check(struct ktest *t, bool ok, const char *file, int line, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	if (ok)
		return true;
	va_start(ap, fmt);
	kvsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* Only the first failure of a test gets the FAIL line; later ones
	 * are detail, printed indented. */
	if (t->failures++ == 0)
		printk(KERN_ERR "ktest: FAIL %s.%s: %s:%d: %s (sched_seed=%llu)\n", t->suite, t->name,
		       file, line, why, (unsigned long long)sched_seed());
	else
		printk(KERN_ERR "ktest:   also %s:%d: %s\n", file, line, why);
	return false;
}

/* Is "suite.test" one of the comma-separated names in list? */
static bool ktest_excluded(const char *list, const char *suite, const char *test)
{
	size_t ls = strlen(suite), lt = strlen(test);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == ls + 1 + lt && !strncmp(p, suite, ls) && p[ls] == '.' &&
		    !strncmp(p + ls + 1, test, lt))
			return true;
		p = end ? end + 1 : p + n;
	}
	return false;
}

static int ktest_run_suite(const struct ktest_suite *s, const char *exclude, int *passed,
			   int *skipped)
{
	int failed = 0;

	printk(KERN_INFO "ktest: suite %s (%zu tests)\n", s->name, s->ncases);
	for (size_t i = 0; i < s->ncases; i++) {
		struct ktest t = { s->name, s->cases[i].name, 0, NULL, 0 };
		int before = trap_oops_count() - trap_expected_oopses();
		u64 reports = checker_report_count();

		if (ktest_excluded(exclude, s->name, t.name)) {
			(*skipped)++;
			printk(KERN_INFO "ktest: SKIP %s.%s: excluded by ktest_exclude=\n", s->name, t.name);
			continue;
		}
		s->cases[i].fn(&t);
		int stray = (trap_oops_count() - trap_expected_oopses()) - before;

		ktest_check(&t, stray == 0, __FILE__, __LINE__,
			    "%d unexpected oops report(s) during the test", stray);
		/* A test that returns with interrupts off, preemption disabled
		 * or an interrupt still "in progress" breaks every later one. */
		ktest_check(&t, !sched_in_atomic(), __FILE__, __LINE__,
			    "left the kernel atomic (preempt_count %d, irqs %s)", preempt_count(),
			    (read_rflags() & RFLAGS_IF) ? "on" : "off");
		reports = checker_report_count() - reports;
		ktest_check(&t, reports <= t.expected_reports, __FILE__, __LINE__,
			    "%llu unexpected sanitizer report(s) during the test",
			    (unsigned long long)(reports - t.expected_reports));
		if (t.failures) {
			failed++;
		} else if (t.skipped) {
			(*skipped)++;
			printk(KERN_INFO "ktest: SKIP %s.%s: %s\n", s->name, s->cases[i].name, t.skipped);
		} else {
			(*passed)++;
			printk(KERN_INFO "ktest: PASS %s.%s\n", s->name, s->cases[i].name);
		}
	}
	return failed;
}

int ktest_run(const char *name, const char *exclude)
{
	int passed = 0, failed = 0, skipped = 0, suites = 0;

	for (const struct ktest_suite *const *s = ktest_suites_start; s < ktest_suites_end; s++) {
		if (name ? strcmp((*s)->name, name) != 0 : (*s)->manual)
			continue;
		suites++;
		failed += ktest_run_suite(*s, exclude, &passed, &skipped);
	}
	if (!suites) {
		pr_err("ktest: no suite named '%s'; suites are:\n", name ? name : "");
		ktest_list_suites();
		return -1;
	}
	printk(KERN_INFO "ktest: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed;
}

void ktest_list_suites(void)
{
	for (const struct ktest_suite *const *s = ktest_suites_start; s < ktest_suites_end; s++)
		printk("  %-12s %zu tests%s\n", (*s)->name, (*s)->ncases,
		       (*s)->manual ? " (manual: run=ktest:NAME only)" : "");
}

/*
 * selftest_test.c - a suite that must fail, to show the framework can: a
 * false expectation and an unexpected oops.  Manual, so `run=ktest` skips
 * it; the boot tests run `run=ktest:selftest` and require exit status 1
 * with both failures reported.
 */
#include "arch/x86_64/trap.h"
#include "crash.h"
#include "ktest/ktest.h"

static void false_expectation(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, 1 + 1, 3);
}

static void caught_but_unwanted_oops(struct ktest *t)
{
	struct trap_fault_result r;

	/* Expecting #DE but getting #UD: recovered and reported in the
	 * result (checked here), yet the oops was not the one the test asked
	 * for, so the framework must count it as stray and fail the test. */
	bool got = trap_expect_fault(0, crash_invalid_opcode, NULL, NULL, 0, &r);

	KTEST_EXPECT(t, !got && r.faulted && r.vector == 6);
}

static void passes(struct ktest *t)
{
	KTEST_EXPECT(t, true);
}

KTEST_MANUAL_SUITE(selftest, "selftest",
		   KTEST_CASE(false_expectation),
		   KTEST_CASE(caught_but_unwanted_oops),
		   KTEST_CASE(passes));

/*
 * Runs every host unit-test suite and prints one line per test:
 *
 *   PASS: host/<suite>/<test>
 *   FAIL: host/<suite>/<test>: <file>:<line>: <message>
 *
 * followed by a total.  Exits non-zero if any test failed.  Tests run in
 * Check's fork mode (unless CK_FORK=no), so a test that crashes or trips
 * a sanitizer is reported as a failure and the others still run.
 */
#include <stdio.h>
#include <stdlib.h>

#include "suites.h"

/* Each suite gets its own SRunner: Check's results do not name the suite,
 * so this is how a result is tied back to it. */
static const struct {
	const char *name;
	Suite *(*make)(void);
} host_suites[] = {
	{ "format", format_suite },
	{ "cmdline", cmdline_suite },
	{ "multiboot2", multiboot2_suite },
	{ "buddy", buddy_suite },
	{ "slab", slab_suite },
	{ "kasan_report", kasan_report_suite },
	{ "sched_policy", sched_policy_suite },
	{ "elf", elf_suite },
	{ "cpio", cpio_suite },
};

int main(void)
{
	int total = 0, failed = 0;

	for (size_t i = 0; i < sizeof(host_suites) / sizeof(host_suites[0]); i++) {
		SRunner *sr = srunner_create(host_suites[i].make());
		TestResult **results;
		int n;

		srunner_run_all(sr, CK_SILENT);
		n = srunner_ntests_run(sr);
		results = srunner_results(sr); /* array is ours to free */
		for (int j = 0; j < n; j++) {
			TestResult *tr = results[j];

			if (tr_rtype(tr) == CK_PASS) {
				printf("PASS: host/%s/%s\n", host_suites[i].name, tr_tcname(tr));
			} else {
				printf("FAIL: host/%s/%s: %s:%d: %s\n", host_suites[i].name,
				       tr_tcname(tr), tr_lfile(tr) ? tr_lfile(tr) : "?",
				       tr_lno(tr), tr_msg(tr) ? tr_msg(tr) : "");
				failed++;
			}
			total++;
		}
		free(results);
		srunner_free(sr);
	}

	printf("host: %d tests, %d passed, %d failed\n", total, total - failed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

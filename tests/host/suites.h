/*
 * The Check suites of the host unit tests, one per kernel module, and the
 * helper every suite uses to register a test.  check_main.c runs them all.
 */
#ifndef CANARY_TESTS_HOST_SUITES_H
#define CANARY_TESTS_HOST_SUITES_H

#include <check.h>

Suite *format_suite(void);     /* kernel/lib/format.c */
Suite *cmdline_suite(void);    /* kernel/lib/cmdline.c */
Suite *multiboot2_suite(void); /* kernel/boot/multiboot2.c, bootinfo.c */
Suite *buddy_suite(void);      /* kernel/mm/buddy.c, kernel/lib/list.h */
Suite *slab_suite(void);       /* kernel/mm/slab.c, slab_debug.c */
Suite *kasan_report_suite(void); /* kernel/mm/kasan_report.c */
Suite *sched_policy_suite(void); /* kernel/sched/policy*.c */
Suite *elf_suite(void);        /* kernel/proc/elf.c */
Suite *cpio_suite(void);       /* kernel/fs/cpio.c */

/* A file the Makefile built next to check_host ($(BUILD)/host/NAME), or in
 * $CANARY_HOST_DATA if set, read into a malloc()ed buffer of exactly its
 * *size bytes (so ASan catches over-reads); the caller frees it.  Fails
 * the test if it cannot.  Defined in test_elf.c. */
void *host_read_data(const char *name, size_t *size);

/* Seconds a single test may run under the sanitizers before Check kills it. */
#define HOST_TEST_TIMEOUT 60

/*
 * Check reports results per test case (tr_tcname), not per test function,
 * so every test gets a test case of its own named after it.  That is what
 * lets check_main.c print one PASS/FAIL line per test.
 */
static inline void host_add_test(Suite *s, const TTest *test)
{
	TCase *tc = tcase_create(test->name);

	tcase_add_test(tc, test);
	tcase_set_timeout(tc, HOST_TEST_TIMEOUT);
	suite_add_tcase(s, tc);
}

#endif

/*
 * kernel_stubs.h - host stand-ins for the kernel services that the
 * allocator code calls (kernel_stubs.c): printk (which records every
 * message so tests can check a report's exact words), panic, the list
 * corruption report, the stack depot and the symbol lookup.
 *
 * The log is one growing text buffer; each test starts it empty with
 * stub_log_reset().  Set CANARY_HOST_LOG=1 in the environment to also see
 * the messages on stderr.
 */
#ifndef CANARY_TESTS_HOST_KERNEL_STUBS_H
#define CANARY_TESTS_HOST_KERNEL_STUBS_H

#include "lib/types.h"

void stub_log_reset(void);
/* Everything printed since the last reset (levels stripped). */
const char *stub_log(void);
/* How often needle occurs in the log. */
unsigned stub_log_count(const char *needle);
/* list_report_corruption() calls since the reset, and the last message. */
unsigned stub_list_corruptions(void);
const char *stub_list_last(void);

#endif

/*
 * printk.h - the kernel's log: printk() with Linux's level prefixes.
 *
 *   printk(KERN_ERR "disk %d: bad sector\n", n);   or   pr_err(...)
 *
 * A message is shown on the console when its level is below the console
 * log level (the loglevel= option, default 7: everything but debug), and
 * every line starts with a timestamp in seconds since boot, as in Linux.
 * KERN_CONT continues the previous line.
 */
#ifndef CANARY_LIB_PRINTK_H
#define CANARY_LIB_PRINTK_H

#include <stdarg.h>
#include "lib/types.h"

#define KERN_SOH     "\001"
#define KERN_EMERG   KERN_SOH "0"
#define KERN_ALERT   KERN_SOH "1"
#define KERN_CRIT    KERN_SOH "2"
#define KERN_ERR     KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE  KERN_SOH "5"
#define KERN_INFO    KERN_SOH "6"
#define KERN_DEBUG   KERN_SOH "7"
#define KERN_CONT    KERN_SOH "c"

#define LOGLEVEL_DEFAULT_MESSAGE 4	/* a message without a prefix */
#define LOGLEVEL_DEFAULT_CONSOLE 7

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#define pr_emerg(...) printk(KERN_EMERG __VA_ARGS__)
#define pr_err(...)   printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...)  printk(KERN_WARNING __VA_ARGS__)
#define pr_notice(...) printk(KERN_NOTICE __VA_ARGS__)
#define pr_info(...)  printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...) printk(KERN_DEBUG __VA_ARGS__)
#define pr_cont(...)  printk(KERN_CONT __VA_ARGS__)

void printk_set_console_loglevel(int level);
int printk_console_loglevel(void);
/* Source of the timestamp, in nanoseconds since boot (set by the timer). */
void printk_set_clock(u64 (*ns_since_boot)(void));

/*
 * Capture: while active, the text of every message (without timestamp or
 * level) is also appended to buf, NUL-terminated, truncated at size.  Used
 * by tests that check what a report says.  Not nested.
 */
void printk_capture_start(char *buf, size_t size);
size_t printk_capture_stop(void);

/* The most recent log text (a ring of the last 16 KiB), for the monitor. */
void printk_dump_log(void (*out)(const char *s, size_t n));

#endif

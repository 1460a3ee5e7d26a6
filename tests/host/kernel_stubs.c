/*
 * kernel_stubs.c - the kernel services the allocator host tests need,
 * done the simple way on the host (see kernel_stubs.h).
 *
 *   printk/vprintk      kvsnprintf (kernel/lib/format.c, the kernel's own
 *                       formatter) into the test log
 *   panic               print and abort(): Check reports the test as failed
 *   list_report_corruption  record and return (the kernel panics), so a
 *                       test can check that corruption was caught
 *   stack_depot_*       glibc's backtrace() into a small table
 *   ksym_snprint*       bare hex addresses (the host has no kernel symbols)
 */
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_stubs.h"
#include "lib/current.h"
#include "lib/format.h"
#include "lib/ksym.h"
#include "lib/list.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/stackdepot.h"

static char *log_buf;
static size_t log_len, log_cap;
static unsigned list_corruptions;
static char list_last[256];

void stub_log_reset(void)
{
	log_len = 0;
	if (log_buf)
		log_buf[0] = '\0';
	list_corruptions = 0;
	list_last[0] = '\0';
}

const char *stub_log(void)
{
	return log_buf ? log_buf : "";
}

unsigned stub_log_count(const char *needle)
{
	unsigned n = 0;

	for (const char *p = stub_log(); (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

unsigned stub_list_corruptions(void)
{
	return list_corruptions;
}

const char *stub_list_last(void)
{
	return list_last;
}

static void log_append(const char *s, size_t n)
{
	if (log_len + n + 1 > log_cap) {
		log_cap = (log_len + n + 1) * 2;
		log_buf = realloc(log_buf, log_cap);
		if (!log_buf)
			abort();
	}
	memcpy(log_buf + log_len, s, n);
	log_len += n;
	log_buf[log_len] = '\0';
	if (getenv("CANARY_HOST_LOG"))
		fwrite(s, 1, n, stderr);
}

int vprintk(const char *fmt, va_list ap)
{
	char text[1024];

	if (fmt[0] == KERN_SOH[0] && fmt[1])	/* drop the level, as capture does */
		fmt += 2;
	int len = kvsnprintf(text, sizeof(text), fmt, ap);

	log_append(text, MIN((size_t)len, sizeof(text) - 1));
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = vprintk(fmt, ap);
	va_end(ap);
	return r;
}

void panic(const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\nKernel panic - not syncing: %s\n", stub_log(), why);
	abort();
}

void list_report_corruption(const char *msg)
{
	list_corruptions++;
	snprintf(list_last, sizeof(list_last), "%s", msg);
	printk(KERN_ERR "%s\n", msg);
}

/* ------------------------------------------------------------ stack depot */

#define DEPOT_STACKS 1024

static struct {
	unsigned n;
	u64 frames[STACKDEPOT_MAX_FRAMES];
} depot[DEPOT_STACKS];
static unsigned depot_used;

depot_stack_handle_t stack_depot_save(const u64 *entries, unsigned n)
{
	n = MIN(n, (unsigned)STACKDEPOT_MAX_FRAMES);
	for (unsigned h = 0; h < depot_used; h++)
		if (depot[h].n == n && !memcmp(depot[h].frames, entries, n * sizeof(u64)))
			return h + 1;
	if (depot_used == DEPOT_STACKS || n == 0)
		return 0;
	depot[depot_used].n = n;
	memcpy(depot[depot_used].frames, entries, n * sizeof(u64));
	return ++depot_used;
}

unsigned stack_depot_fetch(depot_stack_handle_t h, const u64 **entries)
{
	if (h == 0 || h > depot_used)
		return 0;
	*entries = depot[h - 1].frames;
	return depot[h - 1].n;
}

depot_stack_handle_t stack_depot_capture(unsigned skip)
{
	void *frames[STACKDEPOT_MAX_FRAMES + 8];
	u64 entries[STACKDEPOT_MAX_FRAMES];
	int n = backtrace(frames, (int)ARRAY_SIZE(frames));
	unsigned k = 0;

	for (int i = 1 + (int)skip; i < n && k < STACKDEPOT_MAX_FRAMES; i++)	/* 1: this function */
		entries[k++] = (u64)frames[i];
	return stack_depot_save(entries, k);
}

void stack_depot_print(depot_stack_handle_t h)
{
	const u64 *entries;
	unsigned n = stack_depot_fetch(h, &entries);

	for (unsigned i = 0; i < n; i++) {
		char sym[64];

		ksym_snprint_return(sym, sizeof(sym), entries[i]);
		printk(" %s\n", sym);
	}
}

int ksym_snprint(char *buf, size_t size, u64 addr)
{
	return ksnprintf(buf, size, "0x%llx", (unsigned long long)addr);
}

int ksym_snprint_return(char *buf, size_t size, u64 ret)
{
	return ksym_snprint(buf, size, ret);
}

/* lib/current.h: the host tests run as the boot context. */
const char *current_comm(void)
{
	static const char swapper[TASK_COMM_LEN] = "swapper/0";

	return swapper;
}
int current_pid(void) { return 0; }

/* lib/panic.h's BUG_ON: no stack walk on the host, straight to panic. */
void bug_report(const char *cond, const char *file, int line)
{
	panic("BUG_ON(%s) at %s:%d", cond, file, line);
}

/* mm/slab_internal.h's lock: the host tests are single-threaded. */
/* sched/sched.h's preemption counter, which slab_lock() raises. */
int sched_preempt_cnt;

/*
 * hung_task.h - the hung-task watchdog (hung_task.c), Linux's khungtaskd:
 * a kernel thread that wakes up periodically and reports every thread that
 * has been BLOCKED on a wait queue for longer than the timeout.  It is how
 * a lost wake-up shows itself: nothing crashes, a thread just never runs
 * again.  A SLEEPING thread (sched_sleep_ms) has a wake-up time and is
 * never reported.
 *
 * The report is Linux's (kernel/hung_task.c), once per blocking episode:
 *
 *   INFO: task worker:5 blocked for more than 10 seconds.
 *         Not tainted 0.1 #1
 *   "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
 *   task:worker state:D stack:0 pid:5 ppid:0 flags:0x00000000
 *   Call Trace:
 *    <TASK>
 *    ...the blocked thread's stack, innermost first...
 *    </TASK>
 */
#ifndef CANARY_SCHED_HUNG_TASK_H
#define CANARY_SCHED_HUNG_TASK_H

#include "lib/types.h"

/* Linux's default.  Shorter looked attractive for teaching, but under a
 * slow (nested) hypervisor a thread_join() of busy test threads does wait
 * more than 10 s; the lab scenarios and tests that want the report lower
 * it themselves (hung_task_set_timeout, or hung_task_timeout=N). */
#define HUNG_TASK_TIMEOUT_DEFAULT 120	/* seconds */

/* Start khungtaskd with the given timeout in seconds (0: report nothing;
 * the thread still runs, so a later hung_task_set_timeout() takes effect).
 * Calling it again only sets the timeout.  Needs the scheduler running. */
void hung_task_init(unsigned timeout_s);
/* Change the timeout; effective from khungtaskd's next check, at most one
 * second away. */
void hung_task_set_timeout(unsigned timeout_s);
unsigned hung_task_timeout(void);
/* Reports printed since boot (tests compare counts). */
u64 hung_task_report_count(void);

#endif

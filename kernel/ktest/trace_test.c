/*
 * trace_test.c - the scheduler's event ring and the hung-task watchdog on
 * the running kernel.  "trace": switches appear in the order the threads
 * really gave up the CPU, each hands the CPU to the thread the next one
 * takes it from, a wake-up names its waker, and the dump has the format
 * tools/trace2chrome.py reads.  "hung_task": a thread blocked on a wait
 * queue nobody wakes is reported once, with its stack; a sleeping thread
 * is not reported at all.
 */
#include "arch/x86_64/timer.h"
#include "arch/x86_64/x86.h"
#include "ktest/ktest.h"
#include "lib/format.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "sched/hung_task.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "sched/trace.h"
#include "sched/wait.h"

#define SNAP_MAX 1024

static struct trace_event snap[SNAP_MAX];	/* one test at a time uses it */
static char capture[8192];

/* Poll (sleeping, never blocking) until t is in state s or ms pass. */
static bool wait_for_state(struct thread *t, enum thread_state s, u64 ms)
{
	u64 deadline = jiffies + ms * timer_hz() / 1000 + 1;

	while (t->state != s && jiffies < deadline)
		sched_sleep_ms(5);
	return t->state == s;
}

/* ---------------------------------------------------------------- trace */

static struct wait_queue_head start_wq = WAIT_QUEUE_HEAD_INIT(start_wq);
static volatile bool start;
static volatile int yield_log[8], yield_n;

/* Log, then yield, three times.  Interrupts are off from the log entry to
 * the switch, so no preemption can come between them: the log's order is
 * the order of the voluntary switches. */
static void yielder(void *arg __unused)
{
	wait_event(start_wq, start);
	for (int i = 0; i < 3; i++) {
		u64 flags = irq_save();

		yield_log[yield_n++] = current_thread->tid;
		sched_yield();
		irq_restore(flags);
	}
}

static void switches_follow_yields(struct ktest *t)
{
	start = false;
	yield_n = 0;
	trace_clear();
	struct thread *a = thread_create("trace_a", yielder, NULL);
	struct thread *b = thread_create("trace_b", yielder, NULL);

	KTEST_EXPECT(t, a && b);
	if (!a || !b)
		return;
	KTEST_EXPECT(t, wait_for_state(a, THREAD_BLOCKED, 1000));
	KTEST_EXPECT(t, wait_for_state(b, THREAD_BLOCKED, 1000));
	start = true;
	wake_up_all(&start_wq);
	int ta = a->tid, tb = b->tid;

	thread_join(a);
	thread_join(b);
	unsigned n = trace_snapshot(snap, SNAP_MAX);

	KTEST_EXPECT_EQ(t, yield_n, 6);
	/* The voluntary switches of a and b: prev_state R, and not the switch
	 * a preemption (recorded just before it) caused. */
	int seen = 0;
	bool in_order = true, chained = true, monotonic = true;
	const struct trace_event *last_switch = NULL;

	for (unsigned i = 0; i < n; i++) {
		const struct trace_event *e = &snap[i];

		if (i && e->tsc < snap[i - 1].tsc)
			monotonic = false;
		if (e->type != TRACE_SWITCH)
			continue;
		/* One CPU: whoever a switch hands the CPU to is the one the
		 * next switch takes it from. */
		if (last_switch && last_switch->other_tid != e->tid)
			chained = false;
		last_switch = e;
		bool preempted = i && snap[i - 1].type == TRACE_PREEMPT && snap[i - 1].tid == e->tid;

		if ((e->tid != ta && e->tid != tb) || e->prev_state != 'R' || preempted)
			continue;
		if (seen >= yield_n || yield_log[seen] != e->tid)
			in_order = false;
		seen++;
	}
	KTEST_EXPECT(t, n > 0 && n < SNAP_MAX);
	KTEST_EXPECT_EQ(t, seen, 6);
	KTEST_EXPECT(t, in_order);
	KTEST_EXPECT(t, chained);
	KTEST_EXPECT(t, monotonic);
}

static struct wait_queue_head wake_wq = WAIT_QUEUE_HEAD_INIT(wake_wq);
static volatile bool wake_cond;

static void wakee(void *arg __unused)
{
	wait_event(wake_wq, wake_cond);
}

static void wakeup_records_the_waker(struct ktest *t)
{
	wake_cond = false;
	trace_clear();
	struct thread *w = thread_create("trace_wakee", wakee, NULL);

	KTEST_EXPECT(t, w != NULL);
	if (!w)
		return;
	KTEST_EXPECT(t, wait_for_state(w, THREAD_BLOCKED, 1000));
	int tid = w->tid;

	wake_cond = true;
	KTEST_EXPECT_EQ(t, wake_up_one(&wake_wq), 1);
	thread_join(w);
	unsigned n = trace_snapshot(snap, SNAP_MAX);

	/* In order: it blocks, leaves the CPU blocked (D), is woken by us,
	 * and gets the CPU back. */
	int step = 0;

	for (unsigned i = 0; i < n && step < 4; i++) {
		const struct trace_event *e = &snap[i];

		if (step == 0 && e->type == TRACE_BLOCK && e->tid == tid &&
		    !strcmp(e->comm, "trace_wakee"))
			step = 1;
		else if (step == 1 && e->type == TRACE_SWITCH && e->tid == tid &&
			 e->prev_state == 'D')
			step = 2;
		else if (step == 2 && e->type == TRACE_WAKEUP && e->tid == tid) {
			KTEST_EXPECT_EQ(t, e->other_tid, current_thread->tid);
			KTEST_EXPECT(t, !strcmp(e->other_comm, current_thread->name));
			step = 3;
		} else if (step == 3 && e->type == TRACE_SWITCH && e->other_tid == tid &&
			   !strcmp(e->other_comm, "trace_wakee"))
			step = 4;
	}
	KTEST_EXPECT_EQ(t, step, 4);
}

static void short_thread(void *arg __unused)
{
}

static void dump_has_the_tool_format(struct ktest *t)
{
	char line[96];

	trace_clear();
	thread_join(thread_create("trace_short", short_thread, NULL));
	printk_capture_start(capture, sizeof(capture));
	trace_dump();
	printk_capture_stop();

	ksnprintf(line, sizeof(line), "trace: begin tsc_khz=%llu seed=%llu\n",
		  (unsigned long long)tsc_khz(), (unsigned long long)sched_seed());
	KTEST_EXPECT_CONTAINS(t, capture, line);
	/* Created (woken by main), run, exited. */
	ksnprintf(line, sizeof(line), " comm=trace_short by=%d/%s\n", current_thread->tid,
		  current_thread->name);
	KTEST_EXPECT_CONTAINS(t, capture, line);
	KTEST_EXPECT_CONTAINS(t, capture, " next=trace_short/");
	KTEST_EXPECT_CONTAINS(t, capture, " switch prev=trace_short/");
	KTEST_EXPECT_CONTAINS(t, capture, " prev_state=Z next=");
	/* The end line: "trace: end events=N dropped=M".  M is not always 0:
	 * events that happen while the dump prints (a tick waking khungtaskd
	 * on a slow, nested hypervisor) are counted as dropped. */
	const char *end = strstr(capture, "trace: end events=");

	KTEST_EXPECT(t, end != NULL);
	if (end) {
		const char *d = strstr(end, " dropped=");

		KTEST_EXPECT(t, d && d[9] >= '0' && d[9] <= '9' && strchr(d, '\n'));
	}
}

KTEST_SUITE(sched_trace, "trace",
	    KTEST_CASE(switches_follow_yields),
	    KTEST_CASE(wakeup_records_the_waker),
	    KTEST_CASE(dump_has_the_tool_format));

/* ------------------------------------------------------------ hung_task */

static struct wait_queue_head never_wq = WAIT_QUEUE_HEAD_INIT(never_wq);
static volatile bool never_cond;

/* A lost wake-up in miniature: waits for a wake-up that does not come
 * (until the test gives it, to clean up). */
static void hung_blocker(void *arg __unused)
{
	wait_event(never_wq, never_cond);
}

static void hung_sleeper(void *arg)
{
	sched_sleep_ms((u64)arg);
}

static size_t count_substr(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void blocked_thread_is_reported_once(struct ktest *t)
{
	unsigned old = hung_task_timeout();
	u64 before = hung_task_report_count();
	char line[128];

	never_cond = false;
	/* The one report this test provokes, should the framework count
	 * hung-task reports among the unexpected ones. */
	ktest_expect_reports(t, 1);
	hung_task_init(1);	/* starts khungtaskd if the boot did not */
	printk_capture_start(capture, sizeof(capture));
	u64 created = jiffies;
	struct thread *b = thread_create("hung_blocker", hung_blocker, NULL);

	KTEST_EXPECT(t, b != NULL);
	if (!b) {
		printk_capture_stop();
		hung_task_set_timeout(old);
		return;
	}
	int tid = b->tid;

	/* Reported within the timeout plus two seconds. */
	while (hung_task_report_count() == before && jiffies - created < 3 * timer_hz())
		sched_sleep_ms(20);
	u64 reported = jiffies;

	KTEST_EXPECT(t, hung_task_report_count() > before);
	KTEST_EXPECT(t, reported - created >= timer_hz());	/* not before the timeout */
	/* Six more checks: the same episode is not reported again. */
	sched_sleep_ms(1500);
	KTEST_EXPECT_EQ(t, b->state, THREAD_BLOCKED);
	never_cond = true;
	KTEST_EXPECT_EQ(t, wake_up_all(&never_wq), 1);
	thread_join(b);
	printk_capture_stop();
	hung_task_set_timeout(old);

	ksnprintf(line, sizeof(line), "INFO: task hung_blocker:%d blocked for more than 1 seconds.\n",
		  tid);
	KTEST_EXPECT_CONTAINS(t, capture, line);
	KTEST_EXPECT_EQ(t, count_substr(capture, "INFO: task hung_blocker:"), 1);
	KTEST_EXPECT_CONTAINS(t, capture, " #1\n\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\""
				  " disables this message.\n");
	ksnprintf(line, sizeof(line), "task:hung_blocker state:D stack:0 pid:%d ppid:0 "
		  "flags:0x00000000\nCall Trace:\n <TASK>\n", tid);
	KTEST_EXPECT_CONTAINS(t, capture, line);
	/* Its own stack: switched out in schedule(), called from its body. */
	KTEST_EXPECT_CONTAINS(t, capture, " <TASK>\n schedule");
	KTEST_EXPECT_CONTAINS(t, capture, "\n hung_blocker+");
	KTEST_EXPECT_CONTAINS(t, capture, " </TASK>\n");
}

static void sleeping_thread_is_not_reported(struct ktest *t)
{
	unsigned old = hung_task_timeout();

	hung_task_init(1);
	printk_capture_start(capture, sizeof(capture));
	struct thread *s = thread_create("hung_sleeper", hung_sleeper, (void *)2500);

	KTEST_EXPECT(t, s != NULL);
	/* Poll rather than join: main blocked in a join for 2.5 s would be
	 * reported itself. */
	if (s) {
		KTEST_EXPECT(t, wait_for_state(s, THREAD_ZOMBIE, 4000));
		thread_join(s);
	}
	printk_capture_stop();
	hung_task_set_timeout(old);
	KTEST_EXPECT(t, strstr(capture, "INFO: task hung_sleeper:") == NULL);
}

KTEST_SUITE(hung_task, "hung_task",
	    KTEST_CASE(blocked_thread_is_reported_once),
	    KTEST_CASE(sleeping_thread_is_not_reported));

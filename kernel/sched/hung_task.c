/*
 * hung_task.c - khungtaskd, the hung-task watchdog (see hung_task.h for
 * the report).  Started once by hung_task_init(); every check period it
 * walks the thread list and reports threads BLOCKED for longer than the
 * timeout, as Linux's check_hung_uninterruptible_tasks() does.
 *
 * A check runs in two halves.  With interrupts disabled (inside
 * thread_for_each) nothing can run, wake or free a thread, so that is when
 * a blocked thread's name, id and stack are copied; the report is printed
 * afterwards with interrupts on, because printing to the serial port is
 * slow and the thread may be woken and even freed by then.
 *
 * Data: hung_reported[] remembers which blocking episodes have been
 * reported, keyed by (tid, blocked_since): a thread woken and blocked
 * again has a new blocked_since and is a new episode.  Only khungtaskd
 * touches it, and the batch of copied reports, so they need no lock.
 */
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/timer.h"
#include "arch/x86_64/trap.h"
#include "lib/ksym.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "sched/hung_task.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "version.h"

#define HUNG_TASK_TRACKED 32	/* episodes remembered as already reported */
#define HUNG_TASK_BATCH 4	/* reports copied per check; the rest wait one period */

/* What the report of one thread needs, copied with interrupts off. */
struct hung_report {
	char name[THREAD_NAME_MAX];
	int tid;
	u64 blocked_s;			/* whole seconds since it blocked */
	u64 addrs[STACK_WALK_MAX + 1];	/* return addresses, innermost first */
	int naddrs;
};

struct hung_episode {
	bool used;
	bool seen;			/* still blocked at this check */
	int tid;
	u64 blocked_since;
};

/* Written by any thread, read by khungtaskd; one aligned word, so a read
 * never sees half a write, and volatile so each check reads it afresh. */
static volatile unsigned hung_timeout_s;
static struct thread *hung_thread;	/* khungtaskd, once started */
static u64 hung_reports;		/* reports printed since boot */

/* khungtaskd's own. */
static struct hung_episode hung_reported[HUNG_TASK_TRACKED];
static struct hung_report hung_batch[HUNG_TASK_BATCH];
static unsigned hung_batch_len;
static u64 hung_limit;			/* this check's timeout in jiffies */

/* Was this episode reported already?  Marks it as still going on. */
static bool hung_episode_known(const struct thread *t)
{
	for (unsigned i = 0; i < HUNG_TASK_TRACKED; i++) {
		struct hung_episode *ep = &hung_reported[i];

		if (ep->used && ep->tid == t->tid && ep->blocked_since == t->blocked_since) {
			ep->seen = true;
			return true;
		}
	}
	return false;
}

static bool hung_episode_add(const struct thread *t)
{
	for (unsigned i = 0; i < HUNG_TASK_TRACKED; i++) {
		struct hung_episode *ep = &hung_reported[i];

		if (!ep->used) {
			ep->used = true;
			ep->tid = t->tid;
			ep->blocked_since = t->blocked_since;
			ep->seen = true;
			return true;
		}
	}
	return false;
}

/*
 * The return address in the context-switch frame: switch.S pushed, from
 * high to low, the return address into the function that switched, then
 * rbp rbx r12 r13 r14 r15, and saved rsp pointing at r15.  It names that
 * function (Linux's "__schedule" line), which the rbp chain skips.
 * Uninstrumented: the slot was written by assembly on a stack that is not
 * ours to judge, as stacktrace.c's walk is.
 */
__attribute__((no_sanitize_address)) static u64 hung_switch_return(const struct thread *t)
{
	if (t->rsp < t->stack_lo || t->rsp + 7 * sizeof(u64) > t->stack_top || (t->rsp & 7))
		return 0;
	u64 ret = ((const u64 *)t->rsp)[6];
	u64 off;

	return ksym_lookup(ret - 1, &off, NULL) ? ret : 0;
}

/* thread_for_each callback, interrupts disabled. */
static void hung_task_check(struct thread *t, void *ctx __unused)
{
	/* Read here, not before the walk: a thread that blocked after an
	 * earlier read would look blocked since the future. */
	u64 now = jiffies;

	/* Only uninterruptible waits, as Linux: a shell waiting for a line or
	 * a reader waiting on an empty pipe is idle, not hung. */
	if (t == current_thread || t->state != THREAD_BLOCKED || t->interruptible)
		return;
	if (now < t->blocked_since || now - t->blocked_since <= hung_limit)
		return;
	if (hung_episode_known(t) || hung_batch_len == HUNG_TASK_BATCH)
		return;
	/* A full table would mean reporting the same threads every period;
	 * 32 threads hung at once have been reported enough. */
	if (!hung_episode_add(t))
		return;

	struct hung_report *r = &hung_batch[hung_batch_len++];
	u64 ret = hung_switch_return(t);

	memcpy(r->name, t->name, THREAD_NAME_MAX);
	r->name[THREAD_NAME_MAX - 1] = '\0';
	r->tid = t->tid;
	r->blocked_s = (now - t->blocked_since) / timer_hz();
	r->naddrs = 0;
	if (ret)
		r->addrs[r->naddrs++] = ret;
	r->naddrs += stack_walk(thread_saved_rbp(t), r->addrs + r->naddrs, STACK_WALK_MAX);
}

static void hung_task_print(const struct hung_report *r)
{
	char sym[128];

	/* Linux prints how long the thread has been blocked (5.x printed the
	 * timeout instead); either way it is more than the timeout. */
	pr_err("INFO: task %s:%d blocked for more than %llu seconds.\n", r->name, r->tid,
	       (unsigned long long)r->blocked_s);
	pr_err("      %s %s #1\n", trap_oops_count() ? "Tainted: G      D" : "Not tainted",
	       CANARY_VERSION);
	pr_err("\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.\n");
	/* There is no free-stack measure, parent or flags here; Linux's
	 * fields are kept so the line reads the same. */
	pr_err("task:%s state:D stack:0 pid:%d ppid:0 flags:0x00000000\n", r->name, r->tid);
	pr_err("Call Trace:\n");
	pr_err(" <TASK>\n");
	for (int i = 0; i < r->naddrs; i++) {
		ksym_snprint_return(sym, sizeof(sym), r->addrs[i]);
		pr_err(" %s\n", sym);
	}
	pr_err(" </TASK>\n");
	/* Not in Linux: a lost wake-up is a race, and the seed replays it. */
	pr_err("%s\n", sched_seed_line(sym, sizeof(sym)));
}

static void hung_task_check_all(unsigned timeout_s)
{
	hung_limit = (u64)timeout_s * timer_hz();
	hung_batch_len = 0;
	for (unsigned i = 0; i < HUNG_TASK_TRACKED; i++)
		hung_reported[i].seen = false;

	thread_for_each(hung_task_check, NULL);

	/* Episodes not seen have ended (woken, or the thread is gone). */
	for (unsigned i = 0; i < HUNG_TASK_TRACKED; i++)
		if (!hung_reported[i].seen)
			hung_reported[i].used = false;
	for (unsigned i = 0; i < hung_batch_len; i++) {
		hung_task_print(&hung_batch[i]);
		hung_reports++;
	}
}

/* Linux checks every timeout; a check every second (a quarter of the
 * timeout below 4 s) reports a thread at most that late. */
static u64 hung_task_period_ms(unsigned timeout_s)
{
	return timeout_s && timeout_s < 4 ? timeout_s * 250ULL : 1000;
}

static void hung_task_main(void *arg __unused)
{
	for (;;) {
		sched_sleep_ms(hung_task_period_ms(hung_timeout_s));
		unsigned timeout = hung_timeout_s;

		if (timeout)
			hung_task_check_all(timeout);
	}
}

void hung_task_init(unsigned timeout_s)
{
	hung_timeout_s = timeout_s;
	if (hung_thread)
		return;
	hung_thread = thread_create("khungtaskd", hung_task_main, NULL);
	if (!hung_thread)
		pr_err("hung_task: cannot start khungtaskd: out of memory\n");
}

void hung_task_set_timeout(unsigned timeout_s)
{
	hung_timeout_s = timeout_s;
}

unsigned hung_task_timeout(void)
{
	return hung_timeout_s;
}

u64 hung_task_report_count(void)
{
	return hung_reports;
}

/*
 * trace.c - the scheduler's event ring: sched.c calls the trace_sched_*
 * writers at each switch, wake-up, block and preemption; trace_dump()
 * prints the ring for tools/trace2chrome.py:
 *
 *   trace: begin tsc_khz=2995200 seed=0
 *   trace: 123456789 switch prev=worker1/3 prev_state=R next=worker2/4
 *   trace: 123460000 wakeup tid=3 comm=worker1 by=2/main
 *   trace: 123470000 block tid=3 comm=worker1
 *   trace: 123480000 preempt tid=3 comm=worker1
 *   trace: end events=4 dropped=0
 *
 * The first number is the raw TSC; tsc_khz converts it to time.  by=- is a
 * wake-up no thread asked for (the timer waking a sleeper).  When the ring
 * is full the oldest event is overwritten; dropped= counts those, plus the
 * events that happened while a dump was being printed (recording pauses
 * then, as Linux's does while its trace file is read, so the dump is one
 * consistent stretch of time).
 *
 * Lock: interrupts disabled (one CPU, so that excludes every other writer).
 */
#include "arch/x86_64/timer.h"
#include "arch/x86_64/x86.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "sched/trace.h"

_Static_assert(TRACE_COMM_LEN == THREAD_NAME_MAX, "trace copies whole thread names");
_Static_assert((TRACE_RING_EVENTS & (TRACE_RING_EVENTS - 1)) == 0, "ring size: a power of two");

/* All under interrupts disabled. */
static struct trace_event trace_ring[TRACE_RING_EVENTS];
static u64 trace_head;		/* events written since trace_clear; slot = head % size */
static u64 trace_missed;	/* events not recorded because a dump was running */
static bool trace_paused;	/* a dump is reading the ring */

/*
 * Claim the next slot and stamp it, or NULL while a dump runs.  The
 * scheduler already has interrupts off; saving and restoring them again
 * costs a few cycles and keeps a call from anywhere else safe.
 */
static struct trace_event *trace_begin(enum trace_event_type type, const struct thread *t,
				       u64 *flags)
{
	*flags = irq_save();
	if (trace_paused) {
		trace_missed++;
		irq_restore(*flags);
		return NULL;
	}
	struct trace_event *e = &trace_ring[trace_head++ & (TRACE_RING_EVENTS - 1)];

	e->tsc = rdtsc();
	e->type = type;
	e->cpu = 0;
	e->prev_state = 0;
	e->tid = t->tid;
	memcpy(e->comm, t->name, TRACE_COMM_LEN);
	e->other_tid = -1;
	e->other_comm[0] = '\0';
	return e;
}

static void trace_set_other(struct trace_event *e, const struct thread *other)
{
	if (!other)
		return;
	e->other_tid = other->tid;
	memcpy(e->other_comm, other->name, TRACE_COMM_LEN);
}

/* The letter Linux's sched_switch event prints for prev_state. */
static char trace_state_letter(enum thread_state s)
{
	switch (s) {
	case THREAD_RUNNABLE:
	case THREAD_RUNNING:
		return 'R';	/* still wants the CPU: yielded or preempted */
	case THREAD_BLOCKED:
		return 'D';	/* Linux's TASK_UNINTERRUPTIBLE */
	case THREAD_SLEEPING:
		return 'S';
	case THREAD_ZOMBIE:
		return 'Z';
	}
	return '?';
}

void trace_sched_switch(const struct thread *prev, const struct thread *next)
{
	u64 flags;
	struct trace_event *e = trace_begin(TRACE_SWITCH, prev, &flags);

	if (!e)
		return;
	e->prev_state = trace_state_letter(prev->state);
	trace_set_other(e, next);
	irq_restore(flags);
}

void trace_sched_wakeup(const struct thread *t, const struct thread *by)
{
	u64 flags;
	struct trace_event *e = trace_begin(TRACE_WAKEUP, t, &flags);

	if (!e)
		return;
	trace_set_other(e, by);
	irq_restore(flags);
}

void trace_sched_block(const struct thread *t)
{
	u64 flags;

	if (trace_begin(TRACE_BLOCK, t, &flags))
		irq_restore(flags);
}

void trace_sched_preempt(const struct thread *t)
{
	u64 flags;

	if (trace_begin(TRACE_PREEMPT, t, &flags))
		irq_restore(flags);
}

void trace_clear(void)
{
	u64 flags = irq_save();

	trace_head = 0;
	trace_missed = 0;
	irq_restore(flags);
}

unsigned trace_snapshot(struct trace_event *out, unsigned max)
{
	u64 flags = irq_save();
	u64 n = MIN(trace_head, (u64)TRACE_RING_EVENTS);

	n = MIN(n, (u64)max);
	for (u64 i = 0; i < n; i++)
		out[i] = trace_ring[(trace_head - n + i) & (TRACE_RING_EVENTS - 1)];
	irq_restore(flags);
	return (unsigned)n;
}

/* A name as one token: the parser splits fields at spaces and takes the
 * tid after the last '/', so only blanks and control bytes need mending. */
static const char *trace_token(char *buf, const char *comm)
{
	size_t i;

	for (i = 0; i < TRACE_COMM_LEN - 1 && comm[i]; i++)
		buf[i] = (comm[i] <= ' ' || comm[i] >= 0x7f) ? '_' : comm[i];
	buf[i] = '\0';
	return i ? buf : "?";
}

static void trace_print_event(const struct trace_event *e)
{
	char a[TRACE_COMM_LEN], b[TRACE_COMM_LEN];

	/* KERN_EMERG, as Linux's ftrace_dump(): a dump that was asked for
	 * must reach the console whatever loglevel= says. */
	switch (e->type) {
	case TRACE_SWITCH:
		printk(KERN_EMERG "trace: %llu switch prev=%s/%d prev_state=%c next=%s/%d\n",
		       (unsigned long long)e->tsc, trace_token(a, e->comm), e->tid, e->prev_state,
		       trace_token(b, e->other_comm), e->other_tid);
		break;
	case TRACE_WAKEUP:
		if (e->other_tid < 0)
			printk(KERN_EMERG "trace: %llu wakeup tid=%d comm=%s by=-\n",
			       (unsigned long long)e->tsc, e->tid, trace_token(a, e->comm));
		else
			printk(KERN_EMERG "trace: %llu wakeup tid=%d comm=%s by=%d/%s\n",
			       (unsigned long long)e->tsc, e->tid, trace_token(a, e->comm),
			       e->other_tid, trace_token(b, e->other_comm));
		break;
	case TRACE_BLOCK:
		printk(KERN_EMERG "trace: %llu block tid=%d comm=%s\n", (unsigned long long)e->tsc,
		       e->tid, trace_token(a, e->comm));
		break;
	case TRACE_PREEMPT:
		printk(KERN_EMERG "trace: %llu preempt tid=%d comm=%s\n", (unsigned long long)e->tsc,
		       e->tid, trace_token(a, e->comm));
		break;
	}
}

/*
 * Printing 4096 lines takes a while, and the scheduler keeps running
 * meanwhile (this very thread may be preempted), so recording pauses: the
 * ring holds still without interrupts being off for the whole dump.
 */
void trace_dump(void)
{
	u64 flags = irq_save();
	u64 head = trace_head;
	u64 n = MIN(head, (u64)TRACE_RING_EVENTS);

	trace_paused = true;
	irq_restore(flags);

	printk(KERN_EMERG "trace: begin tsc_khz=%llu seed=%llu\n", (unsigned long long)tsc_khz(),
	       (unsigned long long)sched_seed());
	for (u64 i = head - n; i < head; i++)
		trace_print_event(&trace_ring[i & (TRACE_RING_EVENTS - 1)]);

	flags = irq_save();
	u64 dropped = head - n + trace_missed;

	trace_paused = false;
	irq_restore(flags);
	printk(KERN_EMERG "trace: end events=%llu dropped=%llu\n", (unsigned long long)n,
	       (unsigned long long)dropped);
}

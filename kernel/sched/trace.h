/*
 * trace.h - scheduler trace events (trace.c): switch, wake-up, block and
 * preemption, recorded with a TSC timestamp in a ring buffer, dumped over
 * serial on request (`trace` in the monitor, or trace=dump-on-exit) in a
 * text format tools/trace2chrome.py turns into Chrome Trace Event JSON and
 * an SVG timeline.
 *
 * The writers are called from the scheduler's core, usually with
 * interrupts disabled; they copy what they need (names included), so an
 * event stays readable after its thread is freed.
 */
#ifndef CANARY_SCHED_TRACE_H
#define CANARY_SCHED_TRACE_H

#include "lib/types.h"

struct thread;

#define TRACE_RING_EVENTS 4096		/* a power of two */
#define TRACE_COMM_LEN 16		/* = THREAD_NAME_MAX, NUL included */

enum trace_event_type {
	TRACE_SWITCH,		/* tid left the CPU, other_tid got it */
	TRACE_WAKEUP,		/* tid made runnable by other_tid (-1: no thread) */
	TRACE_BLOCK,		/* tid is about to wait (blocked or sleeping) */
	TRACE_PREEMPT,		/* the timer took the CPU from tid */
};

/* One event, as recorded and as trace_snapshot() returns it. */
struct trace_event {
	u64 tsc;			/* rdtsc() when recorded */
	u8 type;			/* enum trace_event_type */
	u8 cpu;				/* always 0: one CPU */
	char prev_state;		/* SWITCH: prev's state, Linux letters R S D Z */
	int tid;			/* the thread the event is about */
	int other_tid;			/* SWITCH: next; WAKEUP: the waker; else -1 */
	char comm[TRACE_COMM_LEN];	/* tid's name, NUL-terminated copy */
	char other_comm[TRACE_COMM_LEN];	/* other_tid's name, or "" */
};

void trace_sched_switch(const struct thread *prev, const struct thread *next);
/* by: the waking thread, or NULL when no thread did it (an interrupt). */
void trace_sched_wakeup(const struct thread *t, const struct thread *by);
void trace_sched_block(const struct thread *t);
void trace_sched_preempt(const struct thread *t);
/* Print the ring's events, oldest first, then the end marker. */
void trace_dump(void);
void trace_clear(void);
/* Copy the newest events (at most max), oldest first, into out; returns
 * how many.  For tests; recording goes on meanwhile. */
unsigned trace_snapshot(struct trace_event *out, unsigned max);

#endif

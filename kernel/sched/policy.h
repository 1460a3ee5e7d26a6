/*
 * policy.h - the scheduler's policy interface: which runnable thread goes
 * next, and when the running one has had enough.  Policies are pure logic
 * over struct sched_entity (no locks, no hardware), so the host tests run
 * them on simulated ticks.  sched.c owns the run queue and calls these with
 * interrupts disabled.
 *
 * Policies: "rr" (round robin, the default) and "mlfq" (multi-level
 * feedback queue: a thread that uses its whole slice moves down a level,
 * one that blocks early stays; every SCHED_BOOST_TICKS all threads go back
 * to the top, which is the aging that prevents starvation).  Chosen with
 * sched=rr|mlfq on the command line.
 */
#ifndef CANARY_SCHED_POLICY_H
#define CANARY_SCHED_POLICY_H

#include "lib/list.h"
#include "lib/types.h"

#define SCHED_LEVELS 4			/* MLFQ levels; rr uses level 0 only */
#define SCHED_RR_SLICE 5		/* ticks */
#define SCHED_BOOST_TICKS 100		/* MLFQ: everyone back to level 0 */

/* A thread as the policy sees it (embedded in struct thread). */
struct sched_entity {
	struct list_head link;		/* on rq->queue[level] while runnable */
	unsigned level;			/* MLFQ level, 0 = highest */
	unsigned slice_left;		/* ticks left in the current slice */
	u64 runnable_since;		/* rq->now when it last became runnable */
	u64 ticks;			/* ticks it has run in total */
	bool queued;			/* on a queue now */
};

/* The run queue.  Owner: sched.c, with interrupts disabled. */
struct sched_rq {
	struct list_head queue[SCHED_LEVELS];
	unsigned nr_queued;		/* entities on the queues (not the running one) */
	u64 now;			/* ticks since the scheduler started */
	u64 last_boost;			/* MLFQ */
};

struct sched_policy {
	const char *name;
	void (*init)(struct sched_rq *rq);
	/* se became runnable: woken (it had blocked) or preempted (it had not). */
	void (*enqueue)(struct sched_rq *rq, struct sched_entity *se, bool woken);
	/* Take the next entity to run off the queues, or NULL if none. */
	struct sched_entity *(*pick_next)(struct sched_rq *rq);
	/* One timer tick charged to the running entity (rq->now already
	 * advanced); true if it should be preempted. */
	bool (*tick)(struct sched_rq *rq, struct sched_entity *curr);
};

extern const struct sched_policy sched_policy_rr;
extern const struct sched_policy sched_policy_mlfq;

/* A policy by name, or NULL. */
const struct sched_policy *sched_policy_find(const char *name);

/* MLFQ: the slice of a level in ticks; it doubles going down (2, 4, 8, 16). */
unsigned sched_mlfq_slice(unsigned level);

/*
 * The queue bookkeeping the policies share (policy.c), so that se->queued,
 * se->runnable_since and rq->nr_queued are kept in one place.
 */
void sched_rq_init(struct sched_rq *rq);
/* Append se to queue[se->level]; se must not be queued already. */
void sched_rq_push(struct sched_rq *rq, struct sched_entity *se);
/* Take the head of queue[level], or NULL if that level is empty. */
struct sched_entity *sched_rq_pop(struct sched_rq *rq, unsigned level);

#endif

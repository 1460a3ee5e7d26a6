/*
 * policy_rr.c - round robin, the default policy (sched=rr).
 *
 * One FIFO queue (rq->queue[0]); the head runs next.  Each entity runs for
 * at most SCHED_RR_SLICE ticks and then goes to the tail, so with N
 * CPU-bound threads each waits at most (N - 1) * SCHED_RR_SLICE ticks:
 *
 *   queue[0]:  head -> B -> C -> (tail)      running: A, slice_left 2
 *   A's slice ends:  head -> B -> C -> A     running: B, slice_left 5
 *
 * A thread that is alone is not preempted: a context switch to the same
 * thread would only cost time, so its slice is refilled instead.
 *
 * Lock: none here; sched.c calls in with interrupts disabled.
 */
#include "lib/panic.h"
#include "sched/policy.h"

static void rr_init(struct sched_rq *rq)
{
	sched_rq_init(rq);
}

/* Woken or preempted, the entity starts a whole slice at the tail: round
 * robin keeps no memory of how it used the CPU before. */
static void rr_enqueue(struct sched_rq *rq, struct sched_entity *se, bool woken)
{
	(void)woken;
	se->level = 0;
	se->slice_left = SCHED_RR_SLICE;
	sched_rq_push(rq, se);
}

static struct sched_entity *rr_pick_next(struct sched_rq *rq)
{
	return sched_rq_pop(rq, 0);
}

/* Precondition: curr is running, so not queued. */
static bool rr_tick(struct sched_rq *rq, struct sched_entity *curr)
{
	BUG_ON(curr->queued);

	curr->ticks++;
	/* Zero: it runs without ever having been enqueued (the boot thread),
	 * so it starts its first slice now. */
	if (curr->slice_left == 0)
		curr->slice_left = SCHED_RR_SLICE;
	curr->slice_left--;
	if (curr->slice_left > 0)
		return false;
	if (rq->nr_queued > 0)
		return true;	/* rr_enqueue() refills the slice */
	curr->slice_left = SCHED_RR_SLICE;
	return false;
}

const struct sched_policy sched_policy_rr = {
	.name = "rr",
	.init = rr_init,
	.enqueue = rr_enqueue,
	.pick_next = rr_pick_next,
	.tick = rr_tick,
};

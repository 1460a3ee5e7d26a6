/*
 * policy_mlfq.c - the multi-level feedback queue (sched=mlfq), as in
 * Corbato's CTSS and the rules of OSTEP chapter 8.  The scheduler learns
 * from how a thread used the CPU: one that blocks early (interactive) stays
 * high and runs first; one that burns whole slices (a CPU hog) sinks, and
 * gets longer but rarer slices.
 *
 *            slice   queue (FIFO: the head runs first)
 *   level 0    2     I1 -> I2    <- new threads; interactive ones stay
 *   level 1    4     (empty)
 *   level 2    8     B1
 *   level 3   16     H1 -> H2    <- CPU hogs sink to here, and stay
 *
 *   whole slice used: down one level     blocked before that: same level
 *   every SCHED_BOOST_TICKS: everyone back to level 0 (aging)
 *
 * The rules:
 *  1. pick_next takes the head of the highest non-empty level (0 highest).
 *  2. A new thread starts at level 0 (its sched_entity is zeroed).
 *  3. A thread that uses up its slice moves down one level (the bottom
 *     level keeps it) with that level's slice, and is preempted if any
 *     other thread is queued.  Alone, it runs on.
 *  4. A thread that blocks keeps its level; woken, it gets a fresh slice.
 *  5. A running thread is preempted at the next tick when a thread of a
 *     higher level is queued, keeping its level and the rest of its slice.
 *  6. Every SCHED_BOOST_TICKS ticks every queued thread and the running one
 *     go to level 0 with a fresh slice.  Without this, two interactive
 *     threads could keep a hog off the CPU forever; with it, a queued
 *     thread waits at most about one boost period.  The running one is
 *     preempted and goes behind the others, as it had the CPU last: were it
 *     to run on, the thread that happens to be running at each boost would
 *     get the same head start every period (40% instead of a third for
 *     one of three equal hogs).
 *
 * Known holes, as in OSTEP: a thread asleep during a boost is not boosted
 * (blocked threads are on no queue here; it is boosted at the next one),
 * and rule 4 can be gamed by blocking just before the slice ends.  The fix
 * for the latter is to charge the time used at a level across slices.
 *
 * Lock: none here; sched.c calls in with interrupts disabled.
 */
#include "lib/panic.h"
#include "sched/policy.h"

#define MLFQ_TOP_SLICE 2	/* ticks at level 0; doubles each level down */
#define MLFQ_BOTTOM (SCHED_LEVELS - 1)

unsigned sched_mlfq_slice(unsigned level)
{
	BUG_ON(level >= SCHED_LEVELS);
	return MLFQ_TOP_SLICE << level;
}

static void mlfq_init(struct sched_rq *rq)
{
	sched_rq_init(rq);
}

/* Rule 6.  Levels are emptied top to bottom, so threads keep their order
 * of priority at the tail of level 0.  curr may be NULL (from pick_next). */
static void mlfq_boost(struct sched_rq *rq, struct sched_entity *curr)
{
	struct sched_entity *se, *next;

	for (unsigned level = 0; level < SCHED_LEVELS; level++) {
		list_for_each_entry_safe(se, next, &rq->queue[level], link) {
			if (level > 0)
				list_move_tail(&se->link, &rq->queue[0]);
			se->level = 0;
			se->slice_left = sched_mlfq_slice(0);
		}
	}
	if (curr) {
		curr->level = 0;
		curr->slice_left = sched_mlfq_slice(0);
	}
	rq->last_boost = rq->now;
}

/* True if it boosted. */
static bool mlfq_maybe_boost(struct sched_rq *rq, struct sched_entity *curr)
{
	if (rq->now - rq->last_boost < SCHED_BOOST_TICKS)
		return false;
	mlfq_boost(rq, curr);
	return true;
}

/* Rule 4: woken, a fresh slice at its level.  Preempted, it keeps what is
 * left of its slice (rule 5); one preempted for using its slice up was
 * already given the next level's slice by mlfq_tick(). */
static void mlfq_enqueue(struct sched_rq *rq, struct sched_entity *se, bool woken)
{
	if (woken || se->slice_left == 0)
		se->slice_left = sched_mlfq_slice(se->level);
	sched_rq_push(rq, se);
}

/* Rule 1.  The boost check is here too so that aging does not depend on
 * some thread being charged a tick. */
static struct sched_entity *mlfq_pick_next(struct sched_rq *rq)
{
	(void)mlfq_maybe_boost(rq, NULL);
	for (unsigned level = 0; level < SCHED_LEVELS; level++) {
		struct sched_entity *se = sched_rq_pop(rq, level);

		if (se)
			return se;
	}
	return NULL;
}

static bool mlfq_higher_queued(const struct sched_rq *rq, unsigned level)
{
	for (unsigned l = 0; l < level; l++)
		if (!list_empty(&rq->queue[l]))
			return true;
	return false;
}

/* Precondition: curr is running, so not queued.  Rules 3, 5 and 6. */
static bool mlfq_tick(struct sched_rq *rq, struct sched_entity *curr)
{
	bool used_up, boosted;

	BUG_ON(curr->queued);

	curr->ticks++;
	/* Zero: it runs without ever having been enqueued (the boot thread),
	 * so it starts its first slice now. */
	if (curr->slice_left == 0)
		curr->slice_left = sched_mlfq_slice(curr->level);
	curr->slice_left--;
	used_up = curr->slice_left == 0;
	if (used_up) {
		if (curr->level < MLFQ_BOTTOM)
			curr->level++;
		curr->slice_left = sched_mlfq_slice(curr->level);
	}
	boosted = mlfq_maybe_boost(rq, curr);

	if (used_up || boosted)
		return rq->nr_queued > 0;
	return mlfq_higher_queued(rq, curr->level);
}

const struct sched_policy sched_policy_mlfq = {
	.name = "mlfq",
	.init = mlfq_init,
	.enqueue = mlfq_enqueue,
	.pick_next = mlfq_pick_next,
	.tick = mlfq_tick,
};

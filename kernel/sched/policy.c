/*
 * policy.c - the table of scheduling policies, looked up by name for the
 * sched= option, and the run-queue bookkeeping every policy shares.
 *
 * A policy only decides; the queues it decides over are a struct sched_rq
 * (policy.h), an array of FIFO lists, one per level.  sched_rq_push() and
 * sched_rq_pop() are the only places an entity goes on or off a list, so
 * se->queued, se->runnable_since and rq->nr_queued cannot drift apart from
 * what is actually on the lists.  The policies themselves are in
 * policy_rr.c (read it first) and policy_mlfq.c.
 *
 * Lock: none here; sched.c calls in with interrupts disabled.
 */
#include "lib/panic.h"
#include "lib/string.h"
#include "sched/policy.h"

/* Every policy, the default first.  sched= accepts exactly these names. */
static const struct sched_policy *const sched_policies[] = {
	&sched_policy_rr,
	&sched_policy_mlfq,
};

const struct sched_policy *sched_policy_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(sched_policies); i++)
		if (strcmp(sched_policies[i]->name, name) == 0)
			return sched_policies[i];
	return NULL;
}

void sched_rq_init(struct sched_rq *rq)
{
	for (unsigned level = 0; level < SCHED_LEVELS; level++)
		INIT_LIST_HEAD(&rq->queue[level]);
	rq->nr_queued = 0;
	rq->now = 0;
	rq->last_boost = 0;
}

/*
 * Precondition: se is not on a queue.  Queueing it twice would make the
 * list a cycle that pick_next walks forever, so it is a BUG, not a no-op.
 */
void sched_rq_push(struct sched_rq *rq, struct sched_entity *se)
{
	BUG_ON(se->queued);
	BUG_ON(se->level >= SCHED_LEVELS);

	list_add_tail(&se->link, &rq->queue[se->level]);
	se->queued = true;
	se->runnable_since = rq->now;
	rq->nr_queued++;
}

struct sched_entity *sched_rq_pop(struct sched_rq *rq, unsigned level)
{
	struct sched_entity *se;

	BUG_ON(level >= SCHED_LEVELS);
	se = list_first_entry_or_null(&rq->queue[level], struct sched_entity, link);
	if (!se)
		return NULL;
	BUG_ON(!se->queued || rq->nr_queued == 0);

	/* _init, not list_del: a running entity's link then reads as an
	 * empty list rather than poison, and it may be pushed again. */
	list_del_init(&se->link);
	se->queued = false;
	rq->nr_queued--;
	return se;
}

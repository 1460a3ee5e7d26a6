/*
 * Host tests for the scheduling policies: kernel/sched/policy.c,
 * policy_rr.c and policy_mlfq.c.
 *
 * Small cases call a policy's hooks by hand.  The rest run a simulator:
 * threads that either burn the CPU (hogs) or run a short burst and block
 * for a while (interactive), a clock of ticks, and the loop sched.c will
 * run - pick, charge a tick, re-enqueue on preemption, wake sleepers.  It
 * records who ran at each tick and how long each thread waited to be
 * picked, and checks the queue bookkeeping after every tick.
 */
#include <string.h>

#include "kernel_stubs.h"
#include "lib/list.h"
#include "sched/policy.h"
#include "suites.h"

/* For hot loops: Check's ck_assert_* talks to the parent process on every
 * call in fork mode, which makes a 10k-tick simulation crawl. */
#define expect(cond, ...) do { if (!(cond)) ck_abort_msg(__VA_ARGS__); } while (0)

#define BOTTOM (SCHED_LEVELS - 1)
#define SIM_MAX_THREADS 8
#define SIM_MAX_TICKS 10000

/* A simulated thread. */
struct sim_thread {
	struct sched_entity se;
	const char *name;
	unsigned burst;		/* ticks of CPU before it blocks; 0: never (a hog) */
	unsigned sleep;		/* ticks it then stays blocked; 0: woken at once */
	unsigned burst_used;	/* ticks into the current burst */
	bool blocked;
	u64 wake_at;		/* rq.now at which a blocked thread is woken */
	unsigned picks;		/* times pick_next chose it */
	u64 max_wait;		/* longest runnable_since -> picked, in ticks */
};

static struct sim {
	const struct sched_policy *policy;
	struct sched_rq rq;
	struct sim_thread *thread[SIM_MAX_THREADS];
	unsigned n;
	struct sim_thread *curr;	/* running, or NULL (idle) */
	int ran[SIM_MAX_TICKS];		/* ran[t]: index of the thread that ran
					 * in tick t + 1, or -1 */
} sim;

static struct sim_thread *sim_of(struct sched_entity *se)
{
	return se ? container_of(se, struct sim_thread, se) : NULL;
}

static int sim_index(const struct sim_thread *t)
{
	for (unsigned i = 0; i < sim.n; i++)
		if (sim.thread[i] == t)
			return (int)i;
	return -1;
}

static void sim_init(const struct sched_policy *policy)
{
	stub_log_reset();
	memset(&sim, 0, sizeof(sim));
	sim.policy = policy;
	policy->init(&sim.rq);
}

/* A new thread: zeroed entity (level 0), made runnable now. */
static void sim_add(struct sim_thread *t, const char *name, unsigned burst, unsigned sleep)
{
	ck_assert_uint_lt(sim.n, SIM_MAX_THREADS);
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->burst = burst;
	t->sleep = sleep;
	sim.thread[sim.n++] = t;
	sim.policy->enqueue(&sim.rq, &t->se, true);
}

/* What the policy must keep true whatever it decides. */
static void sim_check_invariants(void)
{
	unsigned on_lists = 0, flagged = 0;

	for (unsigned level = 0; level < SCHED_LEVELS; level++) {
		struct sched_entity *se;

		list_for_each_entry(se, &sim.rq.queue[level], link) {
			expect(se->queued, "%s on queue %u but not marked queued",
			       sim_of(se)->name, level);
			expect(se->level == level, "%s on queue %u has level %u",
			       sim_of(se)->name, level, se->level);
			on_lists++;
		}
	}
	for (unsigned i = 0; i < sim.n; i++) {
		const struct sim_thread *t = sim.thread[i];

		flagged += t->se.queued;
		expect(!(t->se.queued && (t == sim.curr || t->blocked)),
		       "%s queued while running or blocked", t->name);
		expect(t->blocked || t == sim.curr || t->se.queued,
		       "%s is runnable but on no queue", t->name);
	}
	expect(on_lists == flagged && flagged == sim.rq.nr_queued,
	       "%u on the lists, %u marked queued, nr_queued %u", on_lists, flagged,
	       sim.rq.nr_queued);
	expect(stub_list_corruptions() == 0, "list corruption: %s", stub_list_last());
}

/* One tick of the loop sched.c runs. */
static void sim_tick(void)
{
	if (!sim.curr) {
		sim.curr = sim_of(sim.policy->pick_next(&sim.rq));
		if (sim.curr) {
			u64 wait = sim.rq.now - sim.curr->se.runnable_since;

			sim.curr->picks++;
			sim.curr->max_wait = MAX(sim.curr->max_wait, wait);
		}
	}

	sim.rq.now++;
	expect(sim.rq.now <= SIM_MAX_TICKS, "simulation too long");
	sim.ran[sim.rq.now - 1] = sim_index(sim.curr);

	if (sim.curr) {
		struct sim_thread *t = sim.curr;
		bool preempt = sim.policy->tick(&sim.rq, &t->se);

		t->burst_used++;
		if (t->burst && t->burst_used == t->burst) {
			t->burst_used = 0;
			t->blocked = true;
			t->wake_at = sim.rq.now + t->sleep;
			sim.curr = NULL;
		} else if (preempt) {
			sim.curr = NULL;
			sim.policy->enqueue(&sim.rq, &t->se, false);
		}
	}

	for (unsigned i = 0; i < sim.n; i++) {
		struct sim_thread *t = sim.thread[i];

		if (t->blocked && t->wake_at <= sim.rq.now) {
			t->blocked = false;
			sim.policy->enqueue(&sim.rq, &t->se, true);
		}
	}
	sim_check_invariants();
}

static void sim_run(unsigned ticks)
{
	for (unsigned i = 0; i < ticks; i++)
		sim_tick();
}

/* Charge one tick to curr by hand, as sched.c does: clock first. */
static bool tick_once(const struct sched_policy *p, struct sched_rq *rq,
		      struct sched_entity *curr)
{
	rq->now++;
	return p->tick(rq, curr);
}

/* --------------------------------------------------------------- lookup */

START_TEST(find_by_name)
{
	ck_assert_ptr_eq(sched_policy_find("rr"), &sched_policy_rr);
	ck_assert_ptr_eq(sched_policy_find("mlfq"), &sched_policy_mlfq);
	ck_assert_str_eq(sched_policy_rr.name, "rr");
	ck_assert_str_eq(sched_policy_mlfq.name, "mlfq");
}
END_TEST

START_TEST(find_unknown_is_null)
{
	ck_assert_ptr_null(sched_policy_find("cfs"));
	ck_assert_ptr_null(sched_policy_find(""));
	ck_assert_ptr_null(sched_policy_find("r"));	/* a prefix is not a name */
	ck_assert_ptr_null(sched_policy_find("mlfqx"));
	ck_assert_ptr_null(sched_policy_find(NULL));
}
END_TEST

START_TEST(empty_queue_picks_null)
{
	const struct sched_policy *policies[] = { &sched_policy_rr, &sched_policy_mlfq };

	for (size_t i = 0; i < ARRAY_SIZE(policies); i++) {
		struct sched_rq rq;
		struct sched_entity a = { 0 };

		policies[i]->init(&rq);
		ck_assert_ptr_null(policies[i]->pick_next(&rq));
		ck_assert_uint_eq(rq.nr_queued, 0);

		/* Empty again after one in, one out. */
		policies[i]->enqueue(&rq, &a, true);
		ck_assert_ptr_eq(policies[i]->pick_next(&rq), &a);
		ck_assert_ptr_null(policies[i]->pick_next(&rq));
		ck_assert_uint_eq(rq.nr_queued, 0);
		ck_assert(!a.queued);
	}
}
END_TEST

/* ------------------------------------------------------------------- rr */

/* The boot thread runs without ever being enqueued: its entity is zeroed,
 * slice_left 0.  It gets a whole first slice, not an instant preemption. */
START_TEST(tick_without_enqueue_starts_a_whole_slice)
{
	const struct sched_policy *policies[] = { &sched_policy_rr, &sched_policy_mlfq };
	const unsigned slice[] = { SCHED_RR_SLICE, sched_mlfq_slice(0) };

	for (size_t i = 0; i < ARRAY_SIZE(policies); i++) {
		struct sched_entity boot = { 0 }, other = { 0 };
		struct sched_rq rq;

		policies[i]->init(&rq);
		policies[i]->enqueue(&rq, &other, true);
		for (unsigned t = 1; t < slice[i]; t++)
			ck_assert_msg(!tick_once(policies[i], &rq, &boot),
				      "%s: preempted after %u ticks", policies[i]->name, t);
		ck_assert_uint_eq(boot.level, 0);
		ck_assert(tick_once(policies[i], &rq, &boot));
		ck_assert_uint_eq(boot.ticks, slice[i]);
	}
}
END_TEST

START_TEST(rr_fifo_order_and_bookkeeping)
{
	struct sched_entity e[4];
	struct sched_rq rq;

	memset(e, 0, sizeof(e));
	sched_policy_rr.init(&rq);
	for (unsigned i = 0; i < 4; i++) {
		rq.now = 10 * i;
		e[i].slice_left = 1;
		sched_policy_rr.enqueue(&rq, &e[i], i % 2);	/* woken or not: same */
		ck_assert(e[i].queued);
		ck_assert_uint_eq(e[i].runnable_since, 10 * i);
		ck_assert_uint_eq(e[i].slice_left, SCHED_RR_SLICE);
		ck_assert_uint_eq(rq.nr_queued, i + 1);
	}
	for (unsigned i = 0; i < 4; i++) {
		ck_assert_ptr_eq(sched_policy_rr.pick_next(&rq), &e[i]);
		ck_assert(!e[i].queued);
		ck_assert_uint_eq(rq.nr_queued, 3 - i);
	}
	ck_assert_ptr_null(sched_policy_rr.pick_next(&rq));
}
END_TEST

START_TEST(rr_preempts_when_slice_ends_and_another_waits)
{
	struct sched_entity a = { 0 }, b = { 0 };
	struct sched_rq rq;

	sched_policy_rr.init(&rq);
	sched_policy_rr.enqueue(&rq, &a, true);
	sched_policy_rr.enqueue(&rq, &b, true);
	ck_assert_ptr_eq(sched_policy_rr.pick_next(&rq), &a);
	for (unsigned i = 1; i < SCHED_RR_SLICE; i++)
		ck_assert_msg(!tick_once(&sched_policy_rr, &rq, &a), "preempted after %u ticks", i);
	ck_assert(tick_once(&sched_policy_rr, &rq, &a));
	ck_assert_uint_eq(a.ticks, SCHED_RR_SLICE);

	sched_policy_rr.enqueue(&rq, &a, false);
	ck_assert_uint_eq(a.slice_left, SCHED_RR_SLICE);
	ck_assert_ptr_eq(sched_policy_rr.pick_next(&rq), &b);
	ck_assert_ptr_eq(sched_policy_rr.pick_next(&rq), &a);
}
END_TEST

START_TEST(rr_lone_entity_is_never_preempted)
{
	struct sched_entity a = { 0 };
	struct sched_rq rq;

	sched_policy_rr.init(&rq);
	sched_policy_rr.enqueue(&rq, &a, true);
	ck_assert_ptr_eq(sched_policy_rr.pick_next(&rq), &a);
	for (unsigned i = 0; i < 1000; i++) {
		expect(!tick_once(&sched_policy_rr, &rq, &a), "lone entity preempted at tick %u", i);
		expect(a.slice_left >= 1 && a.slice_left <= SCHED_RR_SLICE,
		       "slice_left %u after tick %u", a.slice_left, i);
	}
	ck_assert_uint_eq(a.ticks, 1000);
}
END_TEST

/* N CPU-bound threads: A for exactly one slice, then B, then C, then A... */
START_TEST(rr_rotates_hogs_one_slice_each)
{
	static struct sim_thread t[3];
	const unsigned rounds = 20, n = ARRAY_SIZE(t);

	sim_init(&sched_policy_rr);
	sim_add(&t[0], "A", 0, 0);
	sim_add(&t[1], "B", 0, 0);
	sim_add(&t[2], "C", 0, 0);
	sim_run(rounds * n * SCHED_RR_SLICE);

	for (unsigned tick = 0; tick < sim.rq.now; tick++)
		ck_assert_msg(sim.ran[tick] == (int)((tick / SCHED_RR_SLICE) % n),
			      "tick %u ran thread %d, want %u", tick + 1, sim.ran[tick],
			      (tick / SCHED_RR_SLICE) % n);
	for (unsigned i = 0; i < n; i++) {
		ck_assert_uint_eq(t[i].se.ticks, rounds * SCHED_RR_SLICE);
		ck_assert_uint_eq(t[i].picks, rounds);
		ck_assert_uint_le(t[i].max_wait, (n - 1) * SCHED_RR_SLICE);
	}
}
END_TEST

START_TEST(rr_sim_lone_hog_is_picked_once)
{
	static struct sim_thread t;

	sim_init(&sched_policy_rr);
	sim_add(&t, "A", 0, 0);
	sim_run(500);
	ck_assert_uint_eq(t.picks, 1);
	ck_assert_uint_eq(t.se.ticks, 500);
}
END_TEST

/* ----------------------------------------------------------------- mlfq */

START_TEST(mlfq_slices_grow_with_level)
{
	ck_assert_uint_ge(sched_mlfq_slice(0), 1);
	for (unsigned level = 1; level < SCHED_LEVELS; level++)
		ck_assert_msg(sched_mlfq_slice(level) > sched_mlfq_slice(level - 1),
			      "level %u slice %u <= level %u slice %u", level,
			      sched_mlfq_slice(level), level - 1, sched_mlfq_slice(level - 1));
}
END_TEST

/* Alone, a hog sinks one level per used-up slice and is never preempted. */
START_TEST(mlfq_hog_is_demoted_level_by_level)
{
	struct sched_entity h = { 0 };
	struct sched_rq rq;
	unsigned all_slices = 0;

	/* The whole descent must fit before the first boost. */
	for (unsigned level = 0; level < SCHED_LEVELS; level++)
		all_slices += sched_mlfq_slice(level);
	ck_assert_uint_lt(all_slices, SCHED_BOOST_TICKS);

	sched_policy_mlfq.init(&rq);
	sched_policy_mlfq.enqueue(&rq, &h, true);
	ck_assert_ptr_eq(sched_policy_mlfq.pick_next(&rq), &h);
	for (unsigned level = 0; level < SCHED_LEVELS; level++) {
		ck_assert_uint_eq(h.level, level);
		ck_assert_uint_eq(h.slice_left, sched_mlfq_slice(level));
		for (unsigned i = 1; i < sched_mlfq_slice(level); i++) {
			ck_assert(!tick_once(&sched_policy_mlfq, &rq, &h));
			ck_assert_uint_eq(h.level, level);
		}
		ck_assert(!tick_once(&sched_policy_mlfq, &rq, &h));	/* alone: runs on */
	}
	ck_assert_uint_eq(h.level, BOTTOM);	/* the bottom keeps it */
	ck_assert_uint_eq(h.slice_left, sched_mlfq_slice(BOTTOM));
}
END_TEST

/* A used-up slice preempts when anyone waits, even at a lower level. */
START_TEST(mlfq_used_up_slice_preempts_if_anyone_queued)
{
	struct sched_entity h = { 0 }, low = { .level = BOTTOM };
	struct sched_rq rq;

	sched_policy_mlfq.init(&rq);
	sched_policy_mlfq.enqueue(&rq, &h, true);
	ck_assert_ptr_eq(sched_policy_mlfq.pick_next(&rq), &h);
	sched_policy_mlfq.enqueue(&rq, &low, true);
	for (unsigned i = 1; i < sched_mlfq_slice(0); i++)
		ck_assert(!tick_once(&sched_policy_mlfq, &rq, &h));
	ck_assert(tick_once(&sched_policy_mlfq, &rq, &h));
	ck_assert_uint_eq(h.level, 1);

	/* Preempted, not woken: the new level's slice is kept whole. */
	sched_policy_mlfq.enqueue(&rq, &h, false);
	ck_assert_uint_eq(h.level, 1);
	ck_assert_uint_eq(h.slice_left, sched_mlfq_slice(1));
	ck_assert_ptr_eq(sched_policy_mlfq.pick_next(&rq), &h);
	ck_assert_ptr_eq(sched_policy_mlfq.pick_next(&rq), &low);
}
END_TEST

START_TEST(mlfq_higher_level_preempts_mid_slice)
{
	struct sched_entity h = { .level = 2 }, i = { 0 };
	struct sched_rq rq;

	sched_policy_mlfq.init(&rq);
	sched_policy_mlfq.enqueue(&rq, &h, true);
	ck_assert_ptr_eq(sched_policy_mlfq.pick_next(&rq), &h);
	ck_assert(!tick_once(&sched_policy_mlfq, &rq, &h));

	sched_policy_mlfq.enqueue(&rq, &i, true);
	ck_assert(tick_once(&sched_policy_mlfq, &rq, &h));
	ck_assert_uint_eq(h.level, 2);
	ck_assert_uint_eq(h.slice_left, sched_mlfq_slice(2) - 2);

	sched_policy_mlfq.enqueue(&rq, &h, false);
	ck_assert_uint_eq(h.slice_left, sched_mlfq_slice(2) - 2);
	ck_assert_ptr_eq(sched_policy_mlfq.pick_next(&rq), &i);
	ck_assert_ptr_eq(sched_policy_mlfq.pick_next(&rq), &h);
}
END_TEST

START_TEST(mlfq_woken_keeps_level_with_fresh_slice)
{
	struct sched_entity e = { .level = 2, .slice_left = 1 };
	struct sched_rq rq;

	sched_policy_mlfq.init(&rq);
	rq.now = 7;
	sched_policy_mlfq.enqueue(&rq, &e, true);
	ck_assert_uint_eq(e.level, 2);
	ck_assert_uint_eq(e.slice_left, sched_mlfq_slice(2));
	ck_assert_uint_eq(e.runnable_since, 7);
	ck_assert(e.queued);
	ck_assert_uint_eq(rq.nr_queued, 1);
}
END_TEST

START_TEST(mlfq_picks_highest_level_first)
{
	struct sched_entity h = { .level = BOTTOM }, m = { .level = 1 }, i = { 0 };
	struct sched_rq rq;

	sched_policy_mlfq.init(&rq);
	sched_policy_mlfq.enqueue(&rq, &h, true);
	sched_policy_mlfq.enqueue(&rq, &m, true);
	sched_policy_mlfq.enqueue(&rq, &i, true);
	ck_assert_ptr_eq(sched_policy_mlfq.pick_next(&rq), &i);
	ck_assert_ptr_eq(sched_policy_mlfq.pick_next(&rq), &m);
	ck_assert_ptr_eq(sched_policy_mlfq.pick_next(&rq), &h);
	ck_assert_ptr_null(sched_policy_mlfq.pick_next(&rq));
}
END_TEST

/* An interactive thread (runs a tick, sleeps two) joins a hog that has
 * sunk to the bottom; until the first boost it stays at level 0 and gets
 * the CPU one tick after waking (the hog's next tick sees it queued),
 * while the hog still uses the time in between. */
START_TEST(mlfq_interactive_stays_on_top_of_hog)
{
	static struct sim_thread hog, inter;
	u64 start, window;

	sim_init(&sched_policy_mlfq);
	sim_add(&hog, "hog", 0, 0);
	while (hog.se.level < BOTTOM)
		sim_tick();
	start = sim.rq.now;
	ck_assert_uint_lt(start, SCHED_BOOST_TICKS / 2);
	sim_add(&inter, "inter", 1, 2);
	while (sim.rq.now < SCHED_BOOST_TICKS - 1) {
		sim_tick();
		expect(inter.se.level == 0, "interactive thread at level %u at tick %llu",
		       inter.se.level, (unsigned long long)sim.rq.now);
		expect(hog.se.level == BOTTOM, "hog rose to level %u before any boost",
		       hog.se.level);
	}
	window = sim.rq.now - start;
	ck_assert_uint_le(inter.max_wait, 1);
	ck_assert_uint_ge(inter.picks, window / 5);
	ck_assert_uint_ge(hog.se.ticks - start, window / 2);
}
END_TEST

/* rq->now reaching last_boost + SCHED_BOOST_TICKS lifts everyone, and
 * the running one goes behind the others. */
START_TEST(mlfq_boost_lifts_queued_and_running)
{
	struct sched_entity curr = { 0 }, q[SCHED_LEVELS];
	struct sched_rq rq;

	memset(q, 0, sizeof(q));
	sched_policy_mlfq.init(&rq);
	sched_policy_mlfq.enqueue(&rq, &curr, true);
	ck_assert_ptr_eq(sched_policy_mlfq.pick_next(&rq), &curr);
	curr.level = BOTTOM;
	curr.slice_left = sched_mlfq_slice(BOTTOM);
	for (int level = BOTTOM; level >= 0; level--) {	/* queued bottom first */
		q[level].level = (unsigned)level;
		sched_policy_mlfq.enqueue(&rq, &q[level], true);
	}

	rq.now = rq.last_boost + SCHED_BOOST_TICKS - 1;
	(void)sched_policy_mlfq.tick(&rq, &curr);
	ck_assert_uint_eq(curr.level, BOTTOM);	/* not yet */

	rq.now++;
	ck_assert(sched_policy_mlfq.tick(&rq, &curr));
	ck_assert_uint_eq(rq.last_boost, rq.now);
	ck_assert_uint_eq(curr.level, 0);
	ck_assert_uint_eq(curr.slice_left, sched_mlfq_slice(0));
	ck_assert_uint_eq(rq.nr_queued, SCHED_LEVELS);
	sched_policy_mlfq.enqueue(&rq, &curr, false);

	/* Same order of priority as before the boost, the running one last. */
	for (unsigned level = 0; level < SCHED_LEVELS; level++) {
		ck_assert_ptr_eq(sched_policy_mlfq.pick_next(&rq), &q[level]);
		ck_assert_uint_eq(q[level].level, 0);
		ck_assert_uint_eq(q[level].slice_left, sched_mlfq_slice(0));
	}
	ck_assert_ptr_eq(sched_policy_mlfq.pick_next(&rq), &curr);
	ck_assert_ptr_null(sched_policy_mlfq.pick_next(&rq));
}
END_TEST

/* A lone thread is not preempted by a boost: there is no one to go behind. */
START_TEST(mlfq_boost_keeps_lone_thread_running)
{
	struct sched_entity h = { 0 };
	struct sched_rq rq;

	sched_policy_mlfq.init(&rq);
	sched_policy_mlfq.enqueue(&rq, &h, true);
	ck_assert_ptr_eq(sched_policy_mlfq.pick_next(&rq), &h);
	for (unsigned i = 0; i < 3 * SCHED_BOOST_TICKS; i++)
		expect(!tick_once(&sched_policy_mlfq, &rq, &h), "lone thread preempted at tick %u", i);
	ck_assert_uint_eq(rq.last_boost, 3 * SCHED_BOOST_TICKS);
}
END_TEST

/* Two interactive threads always ready at level 0 would starve a hog at
 * the bottom forever; aging lets it run at least once per boost period. */
START_TEST(mlfq_boost_prevents_starvation)
{
	static struct sim_thread hog, i1, i2;
	const unsigned ticks = 20 * SCHED_BOOST_TICKS;

	sim_init(&sched_policy_mlfq);
	sim_add(&hog, "hog", 0, 0);
	while (hog.se.level < BOTTOM)
		sim_tick();
	ck_assert_uint_lt(sim.rq.now, SCHED_BOOST_TICKS / 2);
	sim_add(&i1, "i1", 1, 0);
	sim_add(&i2, "i2", 1, 0);

	u64 hog_ticks = hog.se.ticks, start = sim.rq.now;

	sim_run(ticks);
	/* The stream really does keep it off the CPU between boosts... */
	ck_assert_uint_ge(hog.max_wait, SCHED_BOOST_TICKS / 2);
	/* ...but never for longer than a boost period and a slice. */
	ck_assert_uint_le(hog.max_wait, SCHED_BOOST_TICKS + sched_mlfq_slice(BOTTOM));
	ck_assert_uint_ge(hog.picks, ticks / SCHED_BOOST_TICKS - 1);
	ck_assert_uint_gt(hog.se.ticks, hog_ticks);
	/* Nor at the end, where its wait has not been counted yet. */
	if (hog.se.queued)
		ck_assert_uint_le(sim.rq.now - MAX(hog.se.runnable_since, start),
				  SCHED_BOOST_TICKS + sched_mlfq_slice(BOTTOM));
}
END_TEST

/* ------------------------------------------------------------- fairness */

static void check_three_hogs_share_fairly(const struct sched_policy *p)
{
	static struct sim_thread t[3];
	const u64 total = SIM_MAX_TICKS, third = total / 3;

	sim_init(p);
	sim_add(&t[0], "A", 0, 0);
	sim_add(&t[1], "B", 0, 0);
	sim_add(&t[2], "C", 0, 0);
	sim_run(total);

	u64 sum = 0;

	for (unsigned i = 0; i < 3; i++) {
		u64 got = t[i].se.ticks;

		ck_assert_msg(got + third / 20 >= third && got <= third + third / 20,
			      "%s: %s got %llu of %llu ticks, want %llu +- 5%%", p->name,
			      t[i].name, (unsigned long long)got, (unsigned long long)total,
			      (unsigned long long)third);
		sum += got;
	}
	ck_assert_uint_eq(sum, total);	/* never idle with work queued */
}

START_TEST(rr_three_hogs_share_fairly)
{
	check_three_hogs_share_fairly(&sched_policy_rr);
}
END_TEST

START_TEST(mlfq_three_hogs_share_fairly)
{
	check_three_hogs_share_fairly(&sched_policy_mlfq);
}
END_TEST

Suite *sched_policy_suite(void)
{
	Suite *s = suite_create("sched_policy");

	host_add_test(s, find_by_name);
	host_add_test(s, find_unknown_is_null);
	host_add_test(s, empty_queue_picks_null);
	host_add_test(s, tick_without_enqueue_starts_a_whole_slice);
	host_add_test(s, rr_fifo_order_and_bookkeeping);
	host_add_test(s, rr_preempts_when_slice_ends_and_another_waits);
	host_add_test(s, rr_lone_entity_is_never_preempted);
	host_add_test(s, rr_rotates_hogs_one_slice_each);
	host_add_test(s, rr_sim_lone_hog_is_picked_once);
	host_add_test(s, mlfq_slices_grow_with_level);
	host_add_test(s, mlfq_hog_is_demoted_level_by_level);
	host_add_test(s, mlfq_used_up_slice_preempts_if_anyone_queued);
	host_add_test(s, mlfq_higher_level_preempts_mid_slice);
	host_add_test(s, mlfq_woken_keeps_level_with_fresh_slice);
	host_add_test(s, mlfq_picks_highest_level_first);
	host_add_test(s, mlfq_interactive_stays_on_top_of_hog);
	host_add_test(s, mlfq_boost_lifts_queued_and_running);
	host_add_test(s, mlfq_boost_keeps_lone_thread_running);
	host_add_test(s, mlfq_boost_prevents_starvation);
	host_add_test(s, rr_three_hogs_share_fairly);
	host_add_test(s, mlfq_three_hogs_share_fairly);
	return s;
}

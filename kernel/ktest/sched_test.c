/*
 * sched_test.c - threads and the scheduler on the running kernel:
 * preemption really happens (two threads that never yield both make
 * progress), sleeps end within their bound, wait queues wake, joins reap
 * everything, and an exit code comes back.
 */
#include "arch/x86_64/timer.h"
#include "arch/x86_64/x86.h"
#include "ktest/ktest.h"
#include "lib/string.h"
#include "mm/kasan.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "sched/wait.h"

static volatile u64 spin_count[2];
static volatile bool spin_stop;

/* Never yields, never sleeps: only the timer can take the CPU away. */
static void spinner(void *arg)
{
	u64 i = (u64)arg;

	while (!spin_stop)
		spin_count[i]++;
}

static void preemption_shares_the_cpu(struct ktest *t)
{
	struct sched_stats before, after;
	struct thread *a, *b;

	spin_count[0] = spin_count[1] = 0;
	spin_stop = false;
	sched_get_stats(&before);
	a = thread_create("spin0", spinner, (void *)0);
	b = thread_create("spin1", spinner, (void *)1);
	KTEST_EXPECT(t, a && b);
	/* main sleeps; the two spinners must take turns by preemption. */
	sched_sleep_ms(300);
	spin_stop = true;
	thread_join(a);
	thread_join(b);
	sched_get_stats(&after);
	KTEST_EXPECT(t, spin_count[0] > 0 && spin_count[1] > 0);
	KTEST_EXPECT(t, after.preemptions - before.preemptions >= 4);
}

static void sleep_ends_within_its_bound(struct ktest *t)
{
	u64 start = jiffies;
	u64 ticks = 50 * timer_hz() / 1000;	/* 50 ms */

	sched_sleep_ms(50);
	u64 slept = jiffies - start;

	KTEST_EXPECT(t, slept >= ticks);
	KTEST_EXPECT(t, slept <= ticks + 3);
}

static struct wait_queue_head wq = WAIT_QUEUE_HEAD_INIT(wq);
static volatile int ready, seen;

static void waiter(void *arg)
{
	(void)arg;
	wait_event(wq, ready);
	seen = 1;
}

static void wait_queue_wakes(struct ktest *t)
{
	ready = seen = 0;
	struct thread *w = thread_create("waiter", waiter, NULL);

	sched_sleep_ms(20);		/* let it block */
	KTEST_EXPECT_EQ(t, w->state, THREAD_BLOCKED);
	KTEST_EXPECT_EQ(t, seen, 0);
	ready = 1;
	KTEST_EXPECT_EQ(t, wake_up_all(&wq), 1);
	thread_join(w);
	KTEST_EXPECT_EQ(t, seen, 1);
}

static void exit_with(void *arg)
{
	thread_exit((int)(u64)arg);
}

static void short_task(void *arg)
{
	*(volatile int *)arg += 1;
}

static void join_returns_code_and_reaps(struct ktest *t)
{
	static volatile int runs;
	u64 pages;

	kasan_quarantine_drain();	/* freed structs wait there (SAN=1) */
	slab_shrink();
	pages = pmm_free_pages();

	KTEST_EXPECT_EQ(t, thread_join(thread_create("exit42", exit_with, (void *)42)), 42);
	runs = 0;
	for (int i = 0; i < 50; i++) {
		struct thread *th = thread_create("short", short_task, (void *)&runs);

		KTEST_EXPECT(t, th != NULL);
		KTEST_EXPECT_EQ(t, thread_join(th), 0);
	}
	KTEST_EXPECT_EQ(t, runs, 50);
	/* Stacks and structs all went back: the same free pages as before. */
	kasan_quarantine_drain();
	slab_shrink();
	KTEST_EXPECT_EQ(t, pmm_free_pages(), pages);
}

static volatile int order[4], order_n;

static void yielder(void *arg)
{
	for (int i = 0; i < 2; i++) {
		order[order_n++] = (int)(u64)arg;
		sched_yield();
	}
}

static void yield_alternates(struct ktest *t)
{
	order_n = 0;
	u64 flags = irq_save();	/* create both before either runs */
	struct thread *a = thread_create("yieldA", yielder, (void *)1);
	struct thread *b = thread_create("yieldB", yielder, (void *)2);

	irq_restore(flags);
	thread_join(a);
	thread_join(b);
	KTEST_EXPECT_EQ(t, order_n, 4);
	KTEST_EXPECT(t, order[0] != order[1] && order[1] != order[2] && order[2] != order[3]);
}

KTEST_SUITE(sched, "sched",
	    KTEST_CASE(preemption_shares_the_cpu),
	    KTEST_CASE(sleep_ends_within_its_bound),
	    KTEST_CASE(wait_queue_wakes),
	    KTEST_CASE(join_returns_code_and_reaps),
	    KTEST_CASE(yield_alternates));

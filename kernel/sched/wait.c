/*
 * wait.c - wait queues.  The queue's list is touched only with interrupts
 * disabled (a wake-up may come from an interrupt handler).  A woken entry
 * is taken off the queue by the waker (Linux's autoremove), so a thread
 * that wakes and finds its condition false again simply re-queues.
 */
#include "arch/x86_64/x86.h"
#include "sched/lockdep.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "sched/wait.h"

void init_waitqueue_head(struct wait_queue_head *wq)
{
	INIT_LIST_HEAD(&wq->waiters);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	u64 flags = irq_save();

	w->thread = current_thread;
	if (list_empty(&w->link))
		list_add_tail(&w->link, &wq->waiters);
	/* BLOCKED before the caller checks its condition: a wake-up that
	 * comes in between makes us RUNNABLE again and is not lost. */
	sched_set_blocked(current_thread);
	irq_restore(flags);
}

void prepare_to_wait_interruptible(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	current_thread->interruptible = true;
	prepare_to_wait(wq, w);
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	u64 flags = irq_save();

	(void)wq;
	current_thread->interruptible = false;
	sched_set_running(current_thread);
	if (!list_empty(&w->link))
		list_del_init(&w->link);
	irq_restore(flags);
}

static unsigned wake_up_n(struct wait_queue_head *wq, unsigned max)
{
	u64 flags = irq_save();
	unsigned n = 0;

	while (n < max && !list_empty(&wq->waiters)) {
		struct wait_queue_entry *w =
			list_first_entry(&wq->waiters, struct wait_queue_entry, link);

		list_del_init(&w->link);
		if (w->func)
			w->func(w);
		else
			sched_wake(w->thread);
		n++;
	}
	irq_restore(flags);
	return n;
}

void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	u64 flags = irq_save();

	list_add_tail(&w->link, &wq->waiters);
	irq_restore(flags);
}

void remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	u64 flags = irq_save();

	(void)wq;
	list_del_init(&w->link);
	irq_restore(flags);
}

void wake_up_pollfree(struct wait_queue_head *wq)
{
	wake_up_all(wq);
}

unsigned wake_up_all(struct wait_queue_head *wq)
{
	return wake_up_n(wq, ~0u);
}

unsigned wake_up_one(struct wait_queue_head *wq)
{
	return wake_up_n(wq, 1);
}

/*
 * wait.h - wait queues (wait.c): a thread that must wait for a condition
 * puts an entry on a queue and blocks; whoever makes the condition true
 * wakes the queue.  The entry lives on the waiter's stack and must be off
 * the queue before the waiter returns (finish_wait does that).
 *
 * The race-free pattern (the condition is checked after the entry is on
 * the queue, so a wake-up in between is not lost):
 *
 *   DEFINE_WAIT(w);
 *   for (;;) {
 *           prepare_to_wait(&wq, &w);        // on the queue, state BLOCKED
 *           if (condition)
 *                   break;
 *           schedule();
 *   }
 *   finish_wait(&wq, &w);
 *
 * or simply wait_event(wq, condition).
 */
#ifndef CANARY_SCHED_WAIT_H
#define CANARY_SCHED_WAIT_H

#include "lib/list.h"
#include "lib/types.h"

struct thread;

struct wait_queue_head {
	struct list_head waiters;	/* of struct wait_queue_entry; irqs off */
};

struct wait_queue_entry {
	struct thread *thread;		/* borrowed: the waiter (NULL if func) */
	struct list_head link;		/* on the head's list while waiting */
	/* Instead of waking a thread: called on wake-up, with interrupts off,
	 * after the entry is off the queue (poll-style waiters). */
	void (*func)(struct wait_queue_entry *w);
};

#define WAIT_QUEUE_HEAD_INIT(name) { LIST_HEAD_INIT((name).waiters) }
#define DEFINE_WAIT(name) struct wait_queue_entry name = { NULL, { &(name).link, &(name).link }, NULL }

void init_waitqueue_head(struct wait_queue_head *wq);
/* Queue w for the current thread (once) and mark it BLOCKED. */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
/* The same for a wait that may last indefinitely by design and that a
 * kill() ends (a console or pipe read, waitpid): Linux's
 * TASK_INTERRUPTIBLE.  The hung-task watchdog does not report it. */
void prepare_to_wait_interruptible(struct wait_queue_head *wq, struct wait_queue_entry *w);
/* Mark the current thread RUNNING and take w off the queue. */
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
/* Link / unlink an entry that is not a sleeping thread (its func is
 * called on wake-up): how poll and epoll wait on many queues at once. */
void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *w);
void remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *w);
/* The queue is about to be freed: wake and unlink every entry, so that
 * none is left pointing into freed memory (Linux's wake_up_pollfree). */
void wake_up_pollfree(struct wait_queue_head *wq);

/* Make every waiter runnable; returns how many. */
unsigned wake_up_all(struct wait_queue_head *wq);
/* Make the first waiter runnable; returns 1 if there was one. */
unsigned wake_up_one(struct wait_queue_head *wq);

void schedule(void);

#define wait_event(wq, cond)                               \
	do {                                               \
		DEFINE_WAIT(__w);                          \
		for (;;) {                                 \
			prepare_to_wait(&(wq), &__w);      \
			if (cond)                          \
				break;                     \
			schedule();                        \
		}                                          \
		finish_wait(&(wq), &__w);                  \
	} while (0)

#endif

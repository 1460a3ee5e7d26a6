/*
 * spinlock.h - spinlocks (spinlock.c): mutual exclusion by busy-waiting,
 * for short critical sections and for data an interrupt handler shares.
 *
 *   static DEFINE_SPINLOCK(table_lock);          or   spin_lock_init(&q->lock);
 *
 *   spin_lock(&table_lock);                      ...  spin_unlock(&table_lock);
 *   u64 flags = spin_lock_irqsave(&q->lock);     ...  spin_unlock_irqrestore(&q->lock, flags);
 *
 * The holder runs with preemption disabled: a thread preempted while
 * holding a spinlock would leave every other taker spinning through its
 * whole time slice (on one CPU: forever).  Data an interrupt handler also
 * locks needs the irqsave form, or the handler could spin on a lock held
 * by the thread it interrupted.  Never sleep while holding a spinlock
 * (might_sleep() reports it).
 *
 * Lockdep (lockdep.h) checks every spinlock; its class is the place it was
 * initialised.  Taking a lock the current thread already holds would spin
 * forever: it is reported ("possible recursive locking detected") and then
 * allowed to nest instead.  Releasing a lock the thread does not hold is
 * reported and ignored.
 */
#ifndef CANARY_SCHED_SPINLOCK_H
#define CANARY_SCHED_SPINLOCK_H

#include "lib/types.h"
#include "sched/lockdep.h"
#include "sched/thread.h"

#define SPINLOCK_MAGIC 0x5350494eu	/* "SPIN" */

/* The owner a lock records: the running thread, or LOCK_OWNER_BOOT for the
 * boot context before the scheduler starts (NULL means "free"), so that a
 * lock held since boot is not mistaken for a free one.  sched_init must
 * run with no lock held. */
#define LOCK_OWNER_BOOT ((struct thread *)1)

static inline struct thread *lock_owner_self(void)
{
	return current_thread ? current_thread : LOCK_OWNER_BOOT;
}

typedef struct spinlock {
	volatile u32 locked;		/* 1 while held: xchg takes it, a release store frees it */
	u32 magic;			/* SPINLOCK_MAGIC; checked on every use */
	/* Written by the holder only, while it holds the lock: */
	struct thread *owner;		/* NULL when free; see LOCK_OWNER_BOOT */
	u32 recursion;			/* re-takes by the holder (reported) still to undo */
	/* Set once by the initialiser: */
	struct lock_class_key *key;	/* lockdep class; borrowed, static storage */
	const char *name;		/* "&q->lock", for reports */
} spinlock_t;

#define SPINLOCK_INIT_KEY(lockname, k) { 0, SPINLOCK_MAGIC, NULL, 0, (k), (lockname) }

/* A spinlock defined at file scope (static or not).  Its class key is a
 * compound literal, which outside a function has static storage (C11
 * 6.5.2.5): each DEFINE_SPINLOCK is a class of its own. */
#define DEFINE_SPINLOCK(x) \
	spinlock_t x = SPINLOCK_INIT_KEY(#x, (&(struct lock_class_key){ #x, 0, LOCKDEP_WAIT_SPIN }))

/* Initialise a spinlock at run time; every lock initialised at this line
 * is one class, named after the argument ("&q->lock"). */
#define spin_lock_init(lock)                                                              \
	do {                                                                              \
		static struct lock_class_key spin_key_ = { #lock, 0, LOCKDEP_WAIT_SPIN }; \
		spin_lock_init_key((lock), #lock, &spin_key_);                            \
	} while (0)

void spin_lock_init_key(spinlock_t *lock, const char *name, struct lock_class_key *key);

void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
/* spin_lock for the subclass-th of several locks of one class held at once
 * (always taken in subclass order), e.g. two run queues' locks. */
void spin_lock_nested(spinlock_t *lock, unsigned subclass);
/* Take the lock if it is free, without spinning; true if taken. */
bool spin_trylock(spinlock_t *lock);

/* Disable interrupts, then take the lock; returns the previous interrupt
 * state, which spin_unlock_irqrestore puts back after releasing. */
u64 spin_lock_irqsave(spinlock_t *lock);
void spin_unlock_irqrestore(spinlock_t *lock, u64 flags);

/* Held by anyone (a snapshot: it may change at once). */
bool spin_is_locked(const spinlock_t *lock);

/* The current thread must hold lock, or "WARNING: ... lock not held" is
 * reported (execution goes on). */
#define spin_assert_held(lock) spin_assert_held_at((lock), __FILE__, __LINE__)
void spin_assert_held_at(const spinlock_t *lock, const char *file, int line);

#endif

/*
 * mutex.h - the sleeping locks (mutex.c): mutex, counting semaphore,
 * condition variable.  A thread that cannot go on gives the CPU away on a
 * wait queue (wait.h) instead of spinning, so these may be held for long
 * and across sleeps, but only by threads: never in an interrupt handler,
 * never while holding a spinlock (might_sleep() reports it).
 *
 *   static DEFINE_MUTEX(table_mutex);          or   mutex_init(&dev->mutex);
 *   mutex_lock(&dev->mutex);  ...  mutex_unlock(&dev->mutex);
 *
 *   sem_init(&slots, 4);      sem_down(&slots);  ...  sem_up(&slots);
 *
 *   mutex_lock(&q->mutex);                       mutex_lock(&q->mutex);
 *   while (q->count == 0)                        q->count++;
 *           condvar_wait(&q->nonempty,           condvar_signal(&q->nonempty);
 *                        &q->mutex);             mutex_unlock(&q->mutex);
 *   q->count--;
 *   mutex_unlock(&q->mutex);
 *
 * A mutex has an owner and lockdep checks it like a spinlock (class = init
 * site); a semaphore has none (any thread may up it), so lockdep does not
 * see it, as in Linux.  condvar_wait may return without a signal: always
 * wait in a loop that tests the condition.
 */
#ifndef CANARY_SCHED_MUTEX_H
#define CANARY_SCHED_MUTEX_H

#include "lib/types.h"
#include "sched/lockdep.h"
#include "sched/spinlock.h"
#include "sched/wait.h"

#define MUTEX_MAGIC 0x4d555458u		/* "MUTX" */
#define SEMAPHORE_MAGIC 0x53454d41u	/* "SEMA" */
#define CONDVAR_MAGIC 0x434f4e44u	/* "COND" */

struct mutex {
	volatile u32 locked;		/* 1 while held: cmpxchg 0 -> 1 takes it */
	u32 magic;			/* MUTEX_MAGIC; checked on every use */
	/* Written by the holder only, while it holds the mutex: */
	struct thread *owner;		/* NULL when free; see LOCK_OWNER_BOOT */
	u32 recursion;			/* re-takes by the holder (reported) still to undo */
	struct wait_queue_head waiters;	/* threads blocked in mutex_lock */
	/* Set once by the initialiser: */
	struct lock_class_key *key;	/* lockdep class; borrowed, static storage */
	const char *name;		/* "&dev->mutex", for reports */
};

#define MUTEX_INIT_KEY(m, lockname, k) \
	{ 0, MUTEX_MAGIC, NULL, 0, WAIT_QUEUE_HEAD_INIT((m).waiters), (k), (lockname) }

/* A mutex at file scope; like DEFINE_SPINLOCK, its own class. */
#define DEFINE_MUTEX(m) \
	struct mutex m = MUTEX_INIT_KEY(m, #m, (&(struct lock_class_key){ #m, 0, LOCKDEP_WAIT_SLEEP }))

/* Initialise at run time; every mutex initialised at this line is one class. */
#define mutex_init(m)                                                                      \
	do {                                                                               \
		static struct lock_class_key mutex_key_ = { #m, 0, LOCKDEP_WAIT_SLEEP };   \
		mutex_init_key((m), #m, &mutex_key_);                                      \
	} while (0)

void mutex_init_key(struct mutex *m, const char *name, struct lock_class_key *key);

/* Take m, sleeping until it is free.  May sleep: threads only. */
void mutex_lock(struct mutex *m);
/* mutex_lock for the subclass-th of several mutexes of one class held at once. */
void mutex_lock_nested(struct mutex *m, unsigned subclass);
/* Take m if it is free, never sleeping; true if taken. */
bool mutex_trylock(struct mutex *m);
/* Release m; only its holder may. */
void mutex_unlock(struct mutex *m);
/* Held by anyone (a snapshot: it may change at once). */
bool mutex_is_locked(const struct mutex *m);

/* The current thread must hold m, or "WARNING: ... lock not held". */
#define mutex_assert_held(m) mutex_assert_held_at((m), __FILE__, __LINE__)
void mutex_assert_held_at(const struct mutex *m, const char *file, int line);

/* A counting semaphore: count units; down takes one, waiting while there
 * are none; up gives one back (any thread, or an interrupt handler). */
struct semaphore {
	volatile int count;		/* units available, >= 0; changed atomically */
	u32 magic;			/* SEMAPHORE_MAGIC */
	struct wait_queue_head waiters;	/* threads blocked in sem_down */
};

void sem_init(struct semaphore *s, int count);
/* May sleep: threads only. */
void sem_down(struct semaphore *s);
/* Take a unit if there is one, never sleeping; true if taken. */
bool sem_trydown(struct semaphore *s);
void sem_up(struct semaphore *s);

/* A condition variable: threads wait for a condition that other threads
 * change under the same mutex. */
struct condvar {
	u32 magic;			/* CONDVAR_MAGIC */
	struct wait_queue_head waiters;	/* threads blocked in condvar_wait */
};

void condvar_init(struct condvar *cv);
/* Release m, sleep until signalled, take m again.  The caller holds m. */
void condvar_wait(struct condvar *cv, struct mutex *m);
/* Wake one waiter / every waiter (holding the mutex or not). */
void condvar_signal(struct condvar *cv);
void condvar_broadcast(struct condvar *cv);

#endif

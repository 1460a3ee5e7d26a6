/*
 * lockdep.h - lock checking in the spirit of Linux's lockdep (lockdep.c):
 * every lock belongs to a class (the place it was initialised), each
 * thread's held locks are tracked, and the order in which classes are
 * taken builds a graph; a cycle is a possible deadlock, reported before it
 * ever happens.  Also: sleeping in atomic context, bad unlock balance.
 *
 * Lock implementations (spinlock.c, mutex.c) call the annotations; code
 * that only uses locks needs none of this but might_sleep() and the
 * spin_assert_held()/mutex_assert_held() wrappers of lockdep_warn_not_held().
 */
#ifndef CANARY_SCHED_LOCKDEP_H
#define CANARY_SCHED_LOCKDEP_H

#include "lib/types.h"

struct thread;

/* What a lock does while it waits, printed as Linux's "{2:2}" wait type
 * (its numbering without CONFIG_PROVE_RAW_LOCK_NESTING). */
enum lockdep_wait_type {
	LOCKDEP_WAIT_SPIN = 2,		/* spins: spinlock_t */
	LOCKDEP_WAIT_SLEEP = 3,		/* sleeps: struct mutex */
};

/* Locks of one class held at once, told apart by a subclass (Linux's
 * spin_lock_nested); each subclass is a class of its own. */
#define LOCKDEP_MAX_SUBCLASSES 8

/* One per lock class: a static object at the lock's initialisation site.
 * A key must live in the kernel image (static storage); lockdep reports a
 * key anywhere else once and does not track its locks. */
struct lock_class_key {
	const char *name;	/* "&q->lock", as Linux prints it */
	unsigned id;		/* assigned on first use; 0 = not yet */
	u8 wait_type;		/* enum lockdep_wait_type; 0 is taken as spin */
};

/* Record that the current thread takes / releases lock. */
void lockdep_acquire(const void *lock, struct lock_class_key *key, u64 ip);
void lockdep_release(const void *lock, u64 ip);
/* Is lock held by the current thread?  (True while lockdep is off.) */
bool lockdep_is_held(const void *lock);

/* lockdep_acquire for the subclass-th lock of a class held together. */
void lockdep_acquire_nested(const void *lock, struct lock_class_key *key, unsigned subclass,
			    u64 ip);
/* A trylock that succeeded: recorded as held, but it cannot deadlock, so
 * it adds no ordering and is not checked for recursion. */
void lockdep_acquire_try(const void *lock, struct lock_class_key *key, u64 ip);
/* lockdep_release that can name the lock in a bad-unlock report; a NULL
 * key means an untracked lock (never reported). */
void lockdep_release_key(const void *lock, struct lock_class_key *key, u64 ip);

/*
 * Reports for checks a lock makes itself (each is counted):
 *  - the current thread takes a lock it already holds ("possible
 *    recursive locking detected"; the lock then goes on without hanging);
 *  - it releases a lock it does not hold ("bad unlock balance detected!");
 *  - an assertion that it holds lock failed at file:line (a WARNING);
 *  - any other report the lock prints itself (spinlock "bad magic").
 */
void lockdep_report_recursion(const void *lock, struct lock_class_key *key, u64 ip);
void lockdep_bad_unlock(const void *lock, struct lock_class_key *key, u64 ip);
void lockdep_warn_not_held(const void *lock, struct lock_class_key *key, const char *file,
			   int line, u64 ip);
void lockdep_count_report(void);

/* "BUG: sleeping function called from invalid context at FILE:LINE". */
void __might_sleep(const char *file, int line);
#define might_sleep() __might_sleep(__FILE__, __LINE__)

/* "WARNING: main/1 still has locks held!" if the current thread holds any
 * lock (thread_exit calls it: a lock held by a dead thread is never freed). */
void lockdep_check_no_locks_held(void);
/* " #0: ffff... (&q->lock){+.+.}-{2:2}, at: func+0x1c/0x40" lines, as in
 * reports; for hung-task reports and the monitor. */
void lockdep_print_held_locks(const struct thread *t);

/* Forget what was learnt about key's class (orderings, reports made), so
 * that a test that provokes a report can run again and see it again. */
void lockdep_unregister_key(struct lock_class_key *key);

/* Reports printed since boot (tests compare counts). */
u64 lockdep_report_count(void);

#endif

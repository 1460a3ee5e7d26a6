/*
 * mutex.c - the sleeping locks (mutex.h): mutex, semaphore, condvar.
 *
 * All three are an atomic word plus a wait queue, and all three wait the
 * same way, the pattern of wait.h:
 *
 *   prepare_to_wait(&wq, &w);     on the queue and BLOCKED, then
 *   try the atomic word;          success: finish_wait, done
 *   schedule();                   failure: sleep until woken, try again
 *
 * and wake the same way: change the word, then wake_up_one(&wq).  No
 * wake-up is lost because each side writes its part before it reads the
 * other's: the waiter joins the queue before it tries the word, the waker
 * changes the word before it looks at the queue.  An unlock that comes
 * between the waiter's failed try and its schedule() finds it queued and
 * makes it RUNNABLE, and schedule() then returns at once.  Both orders are
 * store-then-load, which x86 may reorder (Intel SDM Vol. 3A, 9.2.3.4,
 * "loads may be reordered with older stores to different locations"): a
 * LOCKed instruction or a full fence sits between them on each side.
 *
 * A woken waiter competes with any thread that arrives meanwhile (no
 * hand-off, as in Linux's optimistic path); wait.c takes a woken entry off
 * the queue, so every unlock or up reaches a different waiter.
 */
#include "arch/x86_64/stacktrace.h"
#include "lib/current.h"
#include "lib/ksym.h"
#include "lib/printk.h"
#include "sched/mutex.h"
#include "sched/sched.h"

/* The caller of the lock function: where lockdep says it was taken. */
#define RET_IP ((u64)__builtin_return_address(0))

/* An object never initialised (zeroed memory) or overwritten, reported as
 * Linux's DEBUG_LOCKS_WARN_ON, at the check that found it (our caller);
 * once per object in a row. */
static __attribute__((noinline)) void lock_bad_magic(const void *obj, const char *check,
						     const char *file, int line)
{
	static const void *last_bad;
	char sym[128];

	if (obj == last_bad)
		return;
	last_bad = obj;
	lockdep_count_report();
	ksym_snprint_return(sym, sizeof(sym), RET_IP);
	pr_warn("------------[ cut here ]------------\n");
	pr_warn("DEBUG_LOCKS_WARN_ON(%s)\n", check);
	pr_warn("WARNING: CPU: 0 PID: %d at %s:%d %s\n", current_pid(), file, line, sym);
	dump_stack();
	pr_warn("---[ end trace 0000000000000000 ]---\n");
}

#define CHECK_MAGIC(obj, want)                                                           \
	do {                                                                             \
		if ((obj)->magic != (want))                                              \
			lock_bad_magic((obj), #obj "->magic != " #want, __FILE__, __LINE__); \
	} while (0)

/* ------------------------------------------------------------ mutex */

void mutex_init_key(struct mutex *m, const char *name, struct lock_class_key *key)
{
	m->locked = 0;
	m->magic = MUTEX_MAGIC;
	m->owner = NULL;
	m->recursion = 0;
	init_waitqueue_head(&m->waiters);
	m->key = key;
	m->name = name;
}

static struct lock_class_key *mutex_key(const struct mutex *m)
{
	return m->magic == MUTEX_MAGIC ? m->key : NULL;
}

static bool mutex_held_by_me(const struct mutex *m)
{
	return m->locked && __atomic_load_n(&m->owner, __ATOMIC_RELAXED) == lock_owner_self();
}

/* The fast path, and every retry of the slow one.  cmpxchg is LOCKed: a
 * full barrier, so it is also the waiter's fence (see the header). */
static bool mutex_try_raw(struct mutex *m)
{
	u32 expected = 0;

	return __atomic_compare_exchange_n(&m->locked, &expected, 1, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static void mutex_lock_common(struct mutex *m, unsigned subclass, u64 ip)
{
	might_sleep();
	CHECK_MAGIC(m, MUTEX_MAGIC);
	if (mutex_held_by_me(m)) {
		/* We would sleep until we woke ourselves: report, and nest
		 * instead of leaving the thread blocked forever. */
		lockdep_report_recursion(m, mutex_key(m), ip);
		m->recursion++;
		return;
	}
	/* Checked before waiting, so a deadlock is reported, not entered. */
	lockdep_acquire_nested(m, mutex_key(m), subclass, ip);
	if (!mutex_try_raw(m))
		wait_event(m->waiters, mutex_try_raw(m));
	__atomic_store_n(&m->owner, lock_owner_self(), __ATOMIC_RELAXED);
}

void mutex_lock(struct mutex *m)
{
	mutex_lock_common(m, 0, RET_IP);
}

void mutex_lock_nested(struct mutex *m, unsigned subclass)
{
	mutex_lock_common(m, subclass, RET_IP);
}

bool mutex_trylock(struct mutex *m)
{
	CHECK_MAGIC(m, MUTEX_MAGIC);
	if (!mutex_try_raw(m))
		return false;
	__atomic_store_n(&m->owner, lock_owner_self(), __ATOMIC_RELAXED);
	lockdep_acquire_try(m, mutex_key(m), RET_IP);
	return true;
}

void mutex_unlock(struct mutex *m)
{
	u64 ip = RET_IP;

	CHECK_MAGIC(m, MUTEX_MAGIC);
	if (!mutex_held_by_me(m)) {
		lockdep_bad_unlock(m, mutex_key(m), ip);
		return;		/* someone else's (or nobody's): leave it */
	}
	if (m->recursion) {
		m->recursion--;
		return;
	}
	lockdep_release_key(m, mutex_key(m), ip);
	__atomic_store_n(&m->owner, NULL, __ATOMIC_RELAXED);
	/* xchg, not a plain store: its barrier orders "free" before the
	 * queue is read, so a waiter that queued and then found the mutex
	 * taken is seen here and woken. */
	__atomic_exchange_n(&m->locked, 0, __ATOMIC_SEQ_CST);
	wake_up_one(&m->waiters);
}

bool mutex_is_locked(const struct mutex *m)
{
	return __atomic_load_n(&m->locked, __ATOMIC_RELAXED) != 0;
}

void mutex_assert_held_at(const struct mutex *m, const char *file, int line)
{
	if (!mutex_held_by_me(m))
		lockdep_warn_not_held(m, mutex_key(m), file, line, RET_IP);
}

/* ------------------------------------------------------------ semaphore */

void sem_init(struct semaphore *s, int count)
{
	s->count = count;
	s->magic = SEMAPHORE_MAGIC;
	init_waitqueue_head(&s->waiters);
}

bool sem_trydown(struct semaphore *s)
{
	int c = __atomic_load_n(&s->count, __ATOMIC_RELAXED);

	CHECK_MAGIC(s, SEMAPHORE_MAGIC);
	/* A failed cmpxchg reloads c: retry while units remain. */
	while (c > 0)
		if (__atomic_compare_exchange_n(&s->count, &c, c - 1, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

void sem_down(struct semaphore *s)
{
	DEFINE_WAIT(w);

	might_sleep();
	if (sem_trydown(s))
		return;
	for (;;) {
		prepare_to_wait(&s->waiters, &w);
		/* sem_trydown may read count == 0 without a LOCKed write:
		 * fence, so that our place on the queue is visible before
		 * that read (the waiter's half of the header's rule). */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (sem_trydown(s))
			break;
		schedule();
	}
	finish_wait(&s->waiters, &w);
}

void sem_up(struct semaphore *s)
{
	CHECK_MAGIC(s, SEMAPHORE_MAGIC);
	/* LOCK xadd: the unit is visible before the queue is read. */
	__atomic_fetch_add(&s->count, 1, __ATOMIC_SEQ_CST);
	wake_up_one(&s->waiters);
}

/* ------------------------------------------------------------ condvar */

void condvar_init(struct condvar *cv)
{
	cv->magic = CONDVAR_MAGIC;
	init_waitqueue_head(&cv->waiters);
}

/*
 * The waiter joins the queue before it releases the mutex.  A signaller
 * changes the condition under the mutex, so it signals either before the
 * waiter tested the condition (the waiter then sees the change and does
 * not wait) or after the waiter queued (and wakes it): never in between.
 */
void condvar_wait(struct condvar *cv, struct mutex *m)
{
	DEFINE_WAIT(w);

	might_sleep();
	CHECK_MAGIC(cv, CONDVAR_MAGIC);
	mutex_assert_held(m);
	prepare_to_wait(&cv->waiters, &w);
	mutex_unlock(m);
	schedule();
	finish_wait(&cv->waiters, &w);
	mutex_lock(m);
}

void condvar_signal(struct condvar *cv)
{
	CHECK_MAGIC(cv, CONDVAR_MAGIC);
	wake_up_one(&cv->waiters);
}

void condvar_broadcast(struct condvar *cv)
{
	CHECK_MAGIC(cv, CONDVAR_MAGIC);
	wake_up_all(&cv->waiters);
}

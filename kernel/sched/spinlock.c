/*
 * spinlock.c - spinlocks (spinlock.h): a test-and-set lock word, with the
 * checks of Linux's CONFIG_DEBUG_SPINLOCK (magic, owner) and lockdep.
 *
 * Taking a lock, in this order:
 *   1. preempt_disable (and, for the irqsave form, interrupts off first);
 *   2. if this thread already holds it: report, count a nesting, done;
 *   3. tell lockdep, which checks the order before anything can hang;
 *   4. spin until xchg(locked, 1) returns 0;
 *   5. record the owner.
 * Releasing undoes them in reverse.  The owner is written only by the
 * holder and compared only with the running thread, so reading it without
 * the lock is safe: no other thread can make it equal to us.
 */
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/x86.h"
#include "lib/current.h"
#include "lib/ksym.h"
#include "lib/printk.h"
#include "sched/sched.h"
#include "sched/spinlock.h"

/* The caller of the lock function: where lockdep says it was taken. */
#define RET_IP ((u64)__builtin_return_address(0))

void spin_lock_init_key(spinlock_t *lock, const char *name, struct lock_class_key *key)
{
	lock->locked = 0;
	lock->magic = SPINLOCK_MAGIC;
	lock->owner = NULL;
	lock->recursion = 0;
	lock->key = key;
	lock->name = name;
}

/* Linux's spin_dump(): "BUG: spinlock bad magic on CPU#0, main/1". */
static void spin_bug(const spinlock_t *lock, const char *msg)
{
	static const spinlock_t *last_bad;	/* one report per bad lock in a row */
	struct thread *owner = lock->owner;
	char sym[128];

	if (lock == last_bad)
		return;
	last_bad = lock;
	lockdep_count_report();
	ksym_snprint(sym, sizeof(sym), (u64)lock);
	pr_emerg("BUG: spinlock %s on CPU#0, %s/%d\n", msg, current_comm(), current_pid());
	pr_emerg(" lock: %s, .magic: %08x, .owner: %s/%d, .owner_cpu: %d\n", sym, lock->magic,
		 !owner ? "<none>" : owner == LOCK_OWNER_BOOT ? "swapper/0" : owner->name,
		 !owner ? -1 : owner == LOCK_OWNER_BOOT ? 0 : owner->tid, owner ? 0 : -1);
	dump_stack();
}

/* A lock never initialised (zeroed memory) or overwritten.  It still works
 * as a lock, without lockdep (its key is not to be trusted). */
static void spin_check_magic(const spinlock_t *lock)
{
	if (lock->magic != SPINLOCK_MAGIC)
		spin_bug(lock, "bad magic");
}

static bool spin_held_by_me(const spinlock_t *lock)
{
	return lock->locked && __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == lock_owner_self();
}

static struct lock_class_key *spin_key(const spinlock_t *lock)
{
	return lock->magic == SPINLOCK_MAGIC ? lock->key : NULL;
}

/* Steps 2-5 above; preemption is already off. */
static void spin_acquire(spinlock_t *lock, unsigned subclass, u64 ip)
{
	spin_check_magic(lock);
	if (spin_held_by_me(lock)) {
		/* With preemption off the holder cannot run until we stop
		 * spinning: a certain deadlock on one CPU.  Say so, and let the
		 * buggy caller nest rather than hang the machine. */
		lockdep_report_recursion(lock, spin_key(lock), ip);
		lock->recursion++;
		return;
	}
	lockdep_acquire_nested(lock, spin_key(lock), subclass, ip);
	/* xchg is atomic with an implicit LOCK prefix (Intel SDM Vol. 3A,
	 * 9.1.2.2) and a full barrier: nothing in the critical section is
	 * read before the lock is ours.  While the lock is taken, spin on a
	 * plain read: the cache line stays shared instead of bouncing. */
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
			cpu_relax();	/* "pause": kinder to the sibling hyperthread */
	__atomic_store_n(&lock->owner, lock_owner_self(), __ATOMIC_RELAXED);
}

/* The reverse; false if the caller does not hold the lock (reported, and
 * nothing is undone: the caller never did the matching disables). */
static bool spin_release(spinlock_t *lock, u64 ip)
{
	spin_check_magic(lock);
	if (!spin_held_by_me(lock)) {
		lockdep_bad_unlock(lock, spin_key(lock), ip);
		return false;
	}
	if (lock->recursion) {
		lock->recursion--;
		return true;
	}
	lockdep_release_key(lock, spin_key(lock), ip);
	__atomic_store_n(&lock->owner, NULL, __ATOMIC_RELAXED);
	/* Release order: every write of the critical section is visible
	 * before the lock reads as free.  x86 does not reorder stores (SDM
	 * Vol. 3A, 9.2.2); the builtin keeps the compiler from doing it. */
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
	return true;
}

void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	spin_acquire(lock, 0, RET_IP);
}

void spin_lock_nested(spinlock_t *lock, unsigned subclass)
{
	preempt_disable();
	spin_acquire(lock, subclass, RET_IP);
}

void spin_unlock(spinlock_t *lock)
{
	if (spin_release(lock, RET_IP))
		preempt_enable();
}

bool spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	spin_check_magic(lock);
	/* A lock we hold ourselves simply fails here: no deadlock. */
	if (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE)) {
		preempt_enable();
		return false;
	}
	__atomic_store_n(&lock->owner, lock_owner_self(), __ATOMIC_RELAXED);
	lockdep_acquire_try(lock, spin_key(lock), RET_IP);
	return true;
}

/* Interrupts off before the lock is taken: an interrupt arriving while we
 * hold it must not run a handler that spins on it. */
u64 spin_lock_irqsave(spinlock_t *lock)
{
	u64 flags = irq_save();

	preempt_disable();
	spin_acquire(lock, 0, RET_IP);
	return flags;
}

void spin_unlock_irqrestore(spinlock_t *lock, u64 flags)
{
	if (!spin_release(lock, RET_IP))
		return;
	irq_restore(flags);
	preempt_enable();
}

bool spin_is_locked(const spinlock_t *lock)
{
	return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) != 0;
}

void spin_assert_held_at(const spinlock_t *lock, const char *file, int line)
{
	if (!spin_held_by_me(lock))
		lockdep_warn_not_held(lock, spin_key(lock), file, line, RET_IP);
}

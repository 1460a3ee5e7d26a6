/*
 * locks_test.c - spinlocks, the sleeping locks and lockdep on the running
 * kernel.  The lockdep tests each provoke one kind of report on purpose
 * and check its words, as Linux would print them (kasan_test.c's way):
 * an AB-BA order, a three-lock cycle, recursion, a bad unlock, sleeping
 * under a spinlock, a failed assertion.  The others check that the locks
 * exclude, hand off and wake: four threads counting under a mutex while
 * yielding inside it, a semaphore ping-pong, a condvar producer and
 * consumer, a broadcast.
 *
 * Lockdep reports each problem once: the report tests forget their lock
 * classes at the end (lockdep_unregister_key), so the suite can run again.
 */
#include <stdarg.h>
#include "arch/x86_64/timer.h"
#include "arch/x86_64/x86.h"
#include "ktest/ktest.h"
#include "lib/current.h"
#include "lib/format.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "sched/lockdep.h"
#include "sched/mutex.h"
#include "sched/sched.h"
#include "sched/spinlock.h"
#include "sched/thread.h"
#include "version.h"

#define NOINLINE __attribute__((noinline))

static char locks_log[16384];		/* the captured reports */
static u64 locks_reports_before;

static void locks_capture_begin(void)
{
	locks_reports_before = lockdep_report_count();
	printk_capture_start(locks_log, sizeof(locks_log));
}

/* Stop capturing; the number of lockdep reports printed meanwhile. */
static u64 locks_capture_end(void)
{
	printk_capture_stop();
	return lockdep_report_count() - locks_reports_before;
}

/* The log must contain the formatted text. */
static __printf(2, 3) void locks_expect_text(struct ktest *t, const char *fmt, ...)
{
	char want[512];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	KTEST_EXPECT_CONTAINS(t, locks_log, want);
}

/* Between the lines "-> #from " and the next "-> #" (or "other info"),
 * the chain entry's stack must name func. */
static void locks_expect_in_entry(struct ktest *t, unsigned depth, const char *func)
{
	char head[16];
	const char *p, *end, *hit;

	ksnprintf(head, sizeof(head), "\n-> #%u ", depth);
	p = strstr(locks_log, head);
	if (!KTEST_EXPECT(t, p != NULL))
		return;
	end = strstr(p + 1, "\n-> #");
	if (!end)
		end = strstr(p, "other info");
	hit = strstr(p, func);
	ktest_check(t, hit && (!end || hit < end), __FILE__, __LINE__,
		    "expected chain entry #%u to show %s", depth, func);
}

#define LOCKS_ULL(p) ((unsigned long long)(u64)(p))

/* ------------------------------------------------------------ lockdep */

static spinlock_t lock_a, lock_b;

static NOINLINE void locks_take_ab(void)
{
	spin_lock(&lock_a);
	spin_lock(&lock_b);
	spin_unlock(&lock_b);
	spin_unlock(&lock_a);
}

static NOINLINE void locks_take_ba(void)
{
	spin_lock(&lock_b);
	spin_lock(&lock_a);
	spin_unlock(&lock_a);
	spin_unlock(&lock_b);
}

/* One thread, one order then the other, never at the same time: no
 * deadlock happens, but two threads doing the same could deadlock. */
static void ab_ba_order_reported_once(struct ktest *t)
{
	spin_lock_init(&lock_a);
	spin_lock_init(&lock_b);
	locks_capture_begin();
	locks_take_ab();		/* learnt: a before b */
	locks_take_ba();		/* b before a: a cycle, reported */
	locks_take_ba();		/* known now: silent */
	locks_take_ab();
	u64 n = locks_capture_end();

	ktest_expect_reports(t, 1);
	lockdep_unregister_key(lock_a.key);
	lockdep_unregister_key(lock_b.key);
	if (!KTEST_EXPECT(t, n == 1))
		return;
	KTEST_EXPECT_CONTAINS(t, locks_log,
			      "\n======================================================\n"
			      "WARNING: possible circular locking dependency detected\n"
			      CANARY_VERSION " #1 Not tainted\n"
			      "------------------------------------------------------\n");
	locks_expect_text(t, "\n%s/%d is trying to acquire lock:\n"
			  "%016llx (&lock_a){+.+.}-{2:2}, at: locks_take_ba+0x",
			  current_comm(), current_pid(), LOCKS_ULL(&lock_a));
	locks_expect_text(t, "\n\nbut task is already holding lock:\n"
			  "%016llx (&lock_b){+.+.}-{2:2}, at: locks_take_ba+0x", LOCKS_ULL(&lock_b));
	KTEST_EXPECT_CONTAINS(t, locks_log, "\n\nwhich lock already depends on the new lock.\n\n"
			      "\nthe existing dependency chain (in reverse order) is:\n"
			      "\n-> #1 (&lock_b){+.+.}-{2:2}:\n       ");
	locks_expect_in_entry(t, 1, "locks_take_ab+0x");
	KTEST_EXPECT_CONTAINS(t, locks_log, "\n-> #0 (&lock_a){+.+.}-{2:2}:\n       ");
	locks_expect_in_entry(t, 0, "locks_take_ba+0x");
	KTEST_EXPECT_CONTAINS(t, locks_log,
			      "\nother info that might help us debug this:\n\n"
			      " Possible unsafe locking scenario:\n\n"
			      "       CPU0                    CPU1\n"
			      "       ----                    ----\n"
			      "  lock(&lock_b);\n"
			      "                               lock(&lock_a);\n"
			      "                               lock(&lock_b);\n"
			      "  lock(&lock_a);\n"
			      "\n *** DEADLOCK ***\n\n");
	locks_expect_text(t, "\n1 lock held by %s/%d:\n"
			  " #0: %016llx (&lock_b){+.+.}-{2:2}, at: locks_take_ba+0x",
			  current_comm(), current_pid(), LOCKS_ULL(&lock_b));
	KTEST_EXPECT_CONTAINS(t, locks_log, "\n\nstack backtrace:\n");
	KTEST_EXPECT(t, strstr(locks_log, "Chain exists of") == NULL);
}

static spinlock_t lock_c, lock_d;

/* Always c before d (released in either order): nothing to report. */
static void consistent_order_is_silent(struct ktest *t)
{
	spin_lock_init(&lock_c);
	spin_lock_init(&lock_d);
	locks_capture_begin();
	for (int i = 0; i < 3; i++) {
		spin_lock(&lock_c);
		KTEST_EXPECT(t, lockdep_is_held(&lock_c) && !lockdep_is_held(&lock_d));
		spin_lock(&lock_d);
		KTEST_EXPECT(t, lockdep_is_held(&lock_d));
		if (i & 1) {
			spin_unlock(&lock_c);	/* not the reverse order: fine */
			spin_unlock(&lock_d);
		} else {
			spin_unlock(&lock_d);
			spin_unlock(&lock_c);
		}
	}
	spin_lock(&lock_d);		/* alone, no order at all */
	spin_unlock(&lock_d);
	KTEST_EXPECT_EQ(t, locks_capture_end(), 0);
	KTEST_EXPECT(t, !lockdep_is_held(&lock_c) && !lockdep_is_held(&lock_d));
	lockdep_unregister_key(lock_c.key);
	lockdep_unregister_key(lock_d.key);
}

static spinlock_t lock_p, lock_q, lock_r;

static NOINLINE void locks_take_pair(spinlock_t *first, spinlock_t *second)
{
	spin_lock(first);
	spin_lock(second);
	spin_unlock(second);
	spin_unlock(first);
}

/* p before q, q before r, then r before p: the cycle goes through a lock
 * the offending code never touches, and the report shows the chain. */
static void three_lock_cycle_shows_the_chain(struct ktest *t)
{
	spin_lock_init(&lock_p);
	spin_lock_init(&lock_q);
	spin_lock_init(&lock_r);
	locks_capture_begin();
	locks_take_pair(&lock_p, &lock_q);
	locks_take_pair(&lock_q, &lock_r);
	locks_take_pair(&lock_r, &lock_p);
	u64 n = locks_capture_end();

	ktest_expect_reports(t, 1);
	lockdep_unregister_key(lock_p.key);
	lockdep_unregister_key(lock_q.key);
	lockdep_unregister_key(lock_r.key);
	if (!KTEST_EXPECT(t, n == 1))
		return;
	locks_expect_text(t, "is trying to acquire lock:\n%016llx (&lock_p){+.+.}-{2:2}",
			  LOCKS_ULL(&lock_p));
	locks_expect_text(t, "but task is already holding lock:\n%016llx (&lock_r){+.+.}-{2:2}",
			  LOCKS_ULL(&lock_r));
	KTEST_EXPECT_CONTAINS(t, locks_log, "\n-> #2 (&lock_r){+.+.}-{2:2}:\n");
	KTEST_EXPECT_CONTAINS(t, locks_log, "\n-> #1 (&lock_q){+.+.}-{2:2}:\n");
	KTEST_EXPECT_CONTAINS(t, locks_log, "\n-> #0 (&lock_p){+.+.}-{2:2}:\n");
	KTEST_EXPECT_CONTAINS(t, locks_log,
			      "Chain exists of:\n  &lock_p --> &lock_q --> &lock_r\n\n"
			      " Possible unsafe locking scenario:\n\n"
			      "       CPU0                    CPU1\n"
			      "       ----                    ----\n"
			      "  lock(&lock_r);\n"
			      "                               lock(&lock_q);\n"
			      "                               lock(&lock_r);\n"
			      "  lock(&lock_p);\n");
}

static spinlock_t rec_lock;

/* On one CPU this would spin forever; it is reported and nests instead. */
static void recursive_spin_lock_reported(struct ktest *t)
{
	int pc = preempt_count();

	spin_lock_init(&rec_lock);
	locks_capture_begin();
	spin_lock(&rec_lock);
	spin_lock(&rec_lock);
	spin_unlock(&rec_lock);
	KTEST_EXPECT(t, spin_is_locked(&rec_lock));	/* the outer hold remains */
	spin_unlock(&rec_lock);
	u64 n = locks_capture_end();

	ktest_expect_reports(t, 1);
	lockdep_unregister_key(rec_lock.key);
	KTEST_EXPECT(t, !spin_is_locked(&rec_lock));
	KTEST_EXPECT_EQ(t, preempt_count(), pc);
	if (!KTEST_EXPECT(t, n == 1))
		return;
	KTEST_EXPECT_CONTAINS(t, locks_log,
			      "\n============================================\n"
			      "WARNING: possible recursive locking detected\n"
			      CANARY_VERSION " #1 Not tainted\n"
			      "--------------------------------------------\n");
	locks_expect_text(t, "%s/%d is trying to acquire lock:\n"
			  "%016llx (&rec_lock){+.+.}-{2:2}, at: recursive_spin_lock_reported+0x",
			  current_comm(), current_pid(), LOCKS_ULL(&rec_lock));
	locks_expect_text(t, "\n\nbut task is already holding lock:\n"
			  "%016llx (&rec_lock){+.+.}-{2:2}, at: recursive_spin_lock_reported+0x",
			  LOCKS_ULL(&rec_lock));
	KTEST_EXPECT_CONTAINS(t, locks_log,
			      "\nother info that might help us debug this:\n"
			      " Possible unsafe locking scenario:\n\n"
			      "       CPU0\n"
			      "       ----\n"
			      "  lock(&rec_lock);\n"
			      "  lock(&rec_lock);\n"
			      "\n *** DEADLOCK ***\n\n"
			      " May be due to missing lock nesting notation\n\n");
	locks_expect_text(t, "1 lock held by %s/%d:\n #0: %016llx (&rec_lock)",
			  current_comm(), current_pid(), LOCKS_ULL(&rec_lock));
}

static spinlock_t pair[2];

static NOINLINE void locks_init_pair(void)
{
	for (int i = 0; i < 2; i++)
		spin_lock_init(&pair[i]);	/* one init site: one class */
}

/* Two locks of one class held together look like recursion to lockdep,
 * as in Linux, unless the inner one is taken with a subclass. */
static void same_class_needs_nesting_annotation(struct ktest *t)
{
	locks_init_pair();
	locks_capture_begin();
	spin_lock(&pair[0]);
	spin_lock_nested(&pair[1], 1);
	spin_unlock(&pair[1]);
	spin_unlock(&pair[0]);
	KTEST_EXPECT_EQ(t, lockdep_report_count() - locks_reports_before, 0);
	spin_lock(&pair[0]);
	spin_lock(&pair[1]);
	spin_unlock(&pair[1]);
	spin_unlock(&pair[0]);
	u64 n = locks_capture_end();

	ktest_expect_reports(t, 1);
	lockdep_unregister_key(pair[0].key);
	if (!KTEST_EXPECT(t, n == 1))
		return;
	KTEST_EXPECT_CONTAINS(t, locks_log, "WARNING: possible recursive locking detected\n");
	locks_expect_text(t, "is trying to acquire lock:\n%016llx (&pair[i]){+.+.}-{2:2}",
			  LOCKS_ULL(&pair[1]));
	locks_expect_text(t, "but task is already holding lock:\n%016llx (&pair[i]){+.+.}-{2:2}",
			  LOCKS_ULL(&pair[0]));
}

static spinlock_t bal_lock;
static DEFINE_MUTEX(bal_mutex);

/* Releasing what was never taken: reported, and nothing is undone. */
static void bad_unlock_reported(struct ktest *t)
{
	int pc = preempt_count();

	spin_lock_init(&bal_lock);
	locks_capture_begin();
	spin_unlock(&bal_lock);
	KTEST_EXPECT_EQ(t, preempt_count(), pc);
	mutex_unlock(&bal_mutex);
	u64 n = locks_capture_end();

	ktest_expect_reports(t, 2);
	lockdep_unregister_key(bal_lock.key);
	lockdep_unregister_key(bal_mutex.key);
	KTEST_EXPECT(t, !spin_is_locked(&bal_lock) && !mutex_is_locked(&bal_mutex));
	if (!KTEST_EXPECT(t, n == 2))
		return;
	KTEST_EXPECT_CONTAINS(t, locks_log,
			      "\n=====================================\n"
			      "WARNING: bad unlock balance detected!\n"
			      CANARY_VERSION " #1 Not tainted\n"
			      "-------------------------------------\n");
	locks_expect_text(t, "%s/%d is trying to release lock (&bal_lock) at:\n[<",
			  current_comm(), current_pid());
	KTEST_EXPECT_CONTAINS(t, locks_log, "] bad_unlock_reported+0x");
	KTEST_EXPECT_CONTAINS(t, locks_log, "\nbut there are no more locks to release!\n"
			      "\nother info that might help us debug this:\n");
	locks_expect_text(t, "no locks held by %s/%d.\n", current_comm(), current_pid());
	locks_expect_text(t, "%s/%d is trying to release lock (bal_mutex) at:\n",
			  current_comm(), current_pid());
}

static spinlock_t ms_lock;
static DEFINE_MUTEX(ms_mutex);

/* A spinlock holder must not sleep: might_sleep() says so at its own line,
 * and mutex_lock says so even when the mutex happens to be free. */
static void might_sleep_in_spinlock_reported(struct ktest *t)
{
	int line, pc;

	spin_lock_init(&ms_lock);
	locks_capture_begin();
	might_sleep();			/* allowed here */
	KTEST_EXPECT_EQ(t, lockdep_report_count() - locks_reports_before, 0);
	spin_lock(&ms_lock);
	pc = preempt_count();
	line = __LINE__ + 1;
	might_sleep();
	mutex_lock(&ms_mutex);
	mutex_unlock(&ms_mutex);
	spin_unlock(&ms_lock);
	u64 n = locks_capture_end();

	ktest_expect_reports(t, 2);
	lockdep_unregister_key(ms_lock.key);
	lockdep_unregister_key(ms_mutex.key);
	if (!KTEST_EXPECT(t, n == 2))
		return;
	locks_expect_text(t, "BUG: sleeping function called from invalid context at %s:%d\n"
			  "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: %d, name: %s\n"
			  "preempt_count: %x, expected: 0\n",
			  __FILE__, line, current_pid(), current_comm(), pc);
	locks_expect_text(t, "1 lock held by %s/%d:\n"
			  " #0: %016llx (&ms_lock){+.+.}-{2:2}, at: might_sleep_in_spinlock_reported+0x",
			  current_comm(), current_pid(), LOCKS_ULL(&ms_lock));
	KTEST_EXPECT_CONTAINS(t, locks_log,
			      "BUG: sleeping function called from invalid context at kernel/sched/mutex.c:");
}

static spinlock_t assert_lock;

static void assert_held_warns_when_not_held(struct ktest *t)
{
	int line;

	spin_lock_init(&assert_lock);
	locks_capture_begin();
	spin_lock(&assert_lock);
	spin_assert_held(&assert_lock);		/* holds: silent */
	spin_unlock(&assert_lock);
	line = __LINE__ + 1;
	spin_assert_held(&assert_lock);
	u64 n = locks_capture_end();

	ktest_expect_reports(t, 1);
	lockdep_unregister_key(assert_lock.key);
	if (!KTEST_EXPECT(t, n == 1))
		return;
	locks_expect_text(t, "------------[ cut here ]------------\n"
			  "lock not held: &assert_lock\n"
			  "WARNING: CPU: 0 PID: %d at %s:%d assert_held_warns_when_not_held+0x",
			  current_pid(), __FILE__, line);
	KTEST_EXPECT_CONTAINS(t, locks_log, "---[ end trace 0000000000000000 ]---\n");
}

/* Zeroed memory used as a lock, never initialised: two of them, because
 * each bad lock is reported once in a row and the suite may run again. */
static spinlock_t zeroed[2];

static void uninitialised_spinlock_reported(struct ktest *t)
{
	locks_capture_begin();
	for (int i = 0; i < 2; i++) {
		spin_lock(&zeroed[i]);		/* still excludes, unchecked by lockdep */
		KTEST_EXPECT(t, spin_is_locked(&zeroed[i]));
		spin_unlock(&zeroed[i]);
		KTEST_EXPECT(t, !spin_is_locked(&zeroed[i]));
	}
	u64 n = locks_capture_end();

	ktest_expect_reports(t, 2);
	if (!KTEST_EXPECT(t, n == 2))
		return;
	locks_expect_text(t, "BUG: spinlock bad magic on CPU#0, %s/%d\n lock: ",
			  current_comm(), current_pid());
	KTEST_EXPECT_CONTAINS(t, locks_log, ", .magic: 00000000, .owner: <none>/-1, .owner_cpu: -1\n");
}

static DEFINE_MUTEX(mutex_x);
static DEFINE_MUTEX(mutex_y);

static void locks_take_xy(void *arg)
{
	(void)arg;
	mutex_lock(&mutex_x);
	mutex_lock(&mutex_y);
	mutex_unlock(&mutex_y);
	mutex_unlock(&mutex_x);
}

static void locks_take_yx(void *arg)
{
	(void)arg;
	mutex_lock(&mutex_y);
	mutex_lock(&mutex_x);
	mutex_unlock(&mutex_x);
	mutex_unlock(&mutex_y);
}

/* The orders need not meet in one thread: what one thread taught lockdep
 * about the classes convicts another. */
static void ab_ba_across_threads_reported(struct ktest *t)
{
	struct thread *xy, *yx;
	int tid = 0;

	locks_capture_begin();
	xy = thread_create("lock-xy", locks_take_xy, NULL);
	if (KTEST_EXPECT(t, xy != NULL))
		thread_join(xy);
	yx = thread_create("lock-yx", locks_take_yx, NULL);
	if (KTEST_EXPECT(t, yx != NULL)) {
		tid = yx->tid;		/* yx is freed by the join */
		thread_join(yx);
	}
	u64 n = locks_capture_end();

	ktest_expect_reports(t, 1);
	lockdep_unregister_key(mutex_x.key);
	lockdep_unregister_key(mutex_y.key);
	if (!KTEST_EXPECT(t, yx && n == 1))
		return;
	locks_expect_text(t, "lock-yx/%d is trying to acquire lock:\n"
			  "%016llx (mutex_x){+.+.}-{3:3}, at: locks_take_yx+0x",
			  tid, LOCKS_ULL(&mutex_x));
	KTEST_EXPECT_CONTAINS(t, locks_log, "\n-> #1 (mutex_y){+.+.}-{3:3}:\n");
	locks_expect_in_entry(t, 1, "locks_take_xy+0x");
	locks_expect_text(t, "1 lock held by lock-yx/%d:\n #0: %016llx (mutex_y)", tid,
			  LOCKS_ULL(&mutex_y));
}

/* ------------------------------------------------------------ spinlocks */

static DEFINE_SPINLOCK(irq_lock);
static DEFINE_SPINLOCK(irq_inner);

static void irqsave_disables_and_restores(struct ktest *t)
{
	int pc = preempt_count();
	u64 tick_ns = 1000000000ull / timer_hz();

	if (!KTEST_EXPECT(t, read_rflags() & RFLAGS_IF))
		return;
	u64 flags = spin_lock_irqsave(&irq_lock);
	u64 j = jiffies;

	KTEST_EXPECT(t, !(read_rflags() & RFLAGS_IF));
	KTEST_EXPECT_EQ(t, preempt_count(), pc + 1);
	KTEST_EXPECT(t, spin_is_locked(&irq_lock) && lockdep_is_held(&irq_lock));
	/* Three ticks' time with the lock held: no timer interrupt gets in. */
	for (u64 until = time_ns_since_boot() + 3 * tick_ns; time_ns_since_boot() < until;)
		cpu_relax();
	KTEST_EXPECT_EQ(t, jiffies, j);
	/* Nested: the inner restore must leave interrupts off. */
	u64 inner = spin_lock_irqsave(&irq_inner);

	KTEST_EXPECT_EQ(t, preempt_count(), pc + 2);
	spin_unlock_irqrestore(&irq_inner, inner);
	KTEST_EXPECT(t, !(read_rflags() & RFLAGS_IF));
	spin_unlock_irqrestore(&irq_lock, flags);
	KTEST_EXPECT(t, read_rflags() & RFLAGS_IF);
	KTEST_EXPECT_EQ(t, preempt_count(), pc);
	KTEST_EXPECT(t, !spin_is_locked(&irq_lock) && !lockdep_is_held(&irq_lock));
	/* And the ticks come again. */
	for (u64 until = time_ns_since_boot() + 5 * tick_ns;
	     jiffies == j && time_ns_since_boot() < until;)
		cpu_relax();
	KTEST_EXPECT(t, jiffies != j);
	/* Taken with interrupts already off, it leaves them off. */
	cli();
	flags = spin_lock_irqsave(&irq_lock);
	spin_unlock_irqrestore(&irq_lock, flags);
	KTEST_EXPECT(t, !(read_rflags() & RFLAGS_IF));
	sti();
	lockdep_unregister_key(irq_lock.key);
	lockdep_unregister_key(irq_inner.key);
}

static DEFINE_SPINLOCK(try_lock);

static void trylock_fails_when_held(struct ktest *t)
{
	int pc = preempt_count();

	KTEST_EXPECT(t, spin_trylock(&try_lock));
	KTEST_EXPECT(t, !spin_trylock(&try_lock));	/* held, even by us: no deadlock */
	KTEST_EXPECT_EQ(t, preempt_count(), pc + 1);
	spin_unlock(&try_lock);
	KTEST_EXPECT_EQ(t, preempt_count(), pc);
	KTEST_EXPECT(t, !spin_is_locked(&try_lock));
}

/* ------------------------------------------------------------ sleeping locks */

#define COUNTER_THREADS 4
#define COUNTER_LOOPS 2000

static DEFINE_MUTEX(counter_mutex);
static volatile u64 counter;
static volatile int counter_inside, counter_overlaps, counter_contended;

/* Read, maybe yield, write: an update is lost unless the mutex excludes. */
static void counter_thread(void *arg)
{
	(void)arg;
	for (int i = 0; i < COUNTER_LOOPS; i++) {
		if (mutex_is_locked(&counter_mutex))
			__atomic_fetch_add(&counter_contended, 1, __ATOMIC_RELAXED);
		mutex_lock(&counter_mutex);
		if (++counter_inside != 1)
			counter_overlaps++;
		u64 v = counter;

		if (i % 100 == 99)
			sched_yield();	/* the others run, and find the mutex taken */
		counter = v + 1;
		counter_inside--;
		mutex_unlock(&counter_mutex);
	}
}

static void mutex_counter_is_exact(struct ktest *t)
{
	static const char *const names[COUNTER_THREADS] = { "count0", "count1", "count2", "count3" };
	struct thread *th[COUNTER_THREADS];

	counter = 0;
	counter_inside = counter_overlaps = counter_contended = 0;
	locks_capture_begin();
	for (int i = 0; i < COUNTER_THREADS; i++)
		th[i] = thread_create(names[i], counter_thread, NULL);
	for (int i = 0; i < COUNTER_THREADS; i++)
		if (KTEST_EXPECT(t, th[i] != NULL))
			thread_join(th[i]);
	KTEST_EXPECT_EQ(t, locks_capture_end(), 0);
	KTEST_EXPECT_EQ(t, counter, (u64)COUNTER_THREADS * COUNTER_LOOPS);
	KTEST_EXPECT_EQ(t, counter_overlaps, 0);
	KTEST_EXPECT(t, counter_contended > 0);		/* the slow path ran */
	KTEST_EXPECT(t, !mutex_is_locked(&counter_mutex));
}

#define PINGPONG_ROUNDS 100

static struct semaphore sem_ping, sem_pong;
static volatile int pingpong_log[2 * PINGPONG_ROUNDS];
static volatile int pingpong_n;

static void ponger(void *arg)
{
	(void)arg;
	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		sem_down(&sem_ping);
		pingpong_log[pingpong_n++] = 1;
		sem_up(&sem_pong);
	}
}

static void semaphore_handoff(struct ktest *t)
{
	struct semaphore s;

	/* Counting: two units, then none until one comes back. */
	sem_init(&s, 2);
	KTEST_EXPECT(t, sem_trydown(&s) && sem_trydown(&s));
	KTEST_EXPECT(t, !sem_trydown(&s));
	sem_up(&s);
	KTEST_EXPECT(t, sem_trydown(&s));

	/* Hand-off: each side waits for the other's up, strictly in turn. */
	sem_init(&sem_ping, 0);
	sem_init(&sem_pong, 0);
	pingpong_n = 0;
	struct thread *p = thread_create("ponger", ponger, NULL);

	if (!KTEST_EXPECT(t, p != NULL))
		return;
	sched_sleep_ms(20);
	KTEST_EXPECT_EQ(t, p->state, THREAD_BLOCKED);	/* in sem_down */
	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		pingpong_log[pingpong_n++] = 0;
		sem_up(&sem_ping);
		sem_down(&sem_pong);
	}
	thread_join(p);
	KTEST_EXPECT_EQ(t, pingpong_n, 2 * PINGPONG_ROUNDS);
	for (int i = 0; i < 2 * PINGPONG_ROUNDS; i++)
		if (!ktest_check(t, pingpong_log[i] == (i & 1), __FILE__, __LINE__,
				 "expected strict turns, but entry %d is %d", i, pingpong_log[i]))
			break;
	KTEST_EXPECT(t, sem_ping.count == 0 && sem_pong.count == 0);
}

#define PC_ITEMS 500
#define PC_SLOTS 4

/* A bounded buffer; everything below is [pc_mutex]. */
static struct mutex pc_mutex;
static struct condvar pc_nonempty, pc_nonfull;
static int pc_buf[PC_SLOTS];
static unsigned pc_head, pc_tail, pc_count;
static volatile int pc_out_of_order;
static volatile u64 pc_sum;

static void producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= PC_ITEMS; i++) {
		mutex_lock(&pc_mutex);
		while (pc_count == PC_SLOTS)
			condvar_wait(&pc_nonfull, &pc_mutex);
		pc_buf[pc_tail++ % PC_SLOTS] = i;
		pc_count++;
		condvar_signal(&pc_nonempty);
		mutex_unlock(&pc_mutex);
	}
}

static void consumer(void *arg)
{
	(void)arg;
	for (int want = 1; want <= PC_ITEMS; want++) {
		mutex_lock(&pc_mutex);
		while (pc_count == 0)
			condvar_wait(&pc_nonempty, &pc_mutex);
		int v = pc_buf[pc_head++ % PC_SLOTS];

		pc_count--;
		condvar_signal(&pc_nonfull);
		mutex_unlock(&pc_mutex);
		if (v != want)
			pc_out_of_order++;
		pc_sum += (u64)v;
	}
}

static void condvar_producer_consumer(struct ktest *t)
{
	mutex_init(&pc_mutex);
	condvar_init(&pc_nonempty);
	condvar_init(&pc_nonfull);
	pc_head = pc_tail = pc_count = 0;
	pc_out_of_order = 0;
	pc_sum = 0;
	locks_capture_begin();
	/* The consumer first: it finds the buffer empty and waits. */
	struct thread *c = thread_create("consumer", consumer, NULL);
	struct thread *p = thread_create("producer", producer, NULL);

	if (c)
		thread_join(c);
	if (p)
		thread_join(p);
	KTEST_EXPECT(t, c && p);
	KTEST_EXPECT_EQ(t, locks_capture_end(), 0);
	KTEST_EXPECT_EQ(t, pc_sum, (u64)PC_ITEMS * (PC_ITEMS + 1) / 2);
	KTEST_EXPECT_EQ(t, pc_out_of_order, 0);
	KTEST_EXPECT_EQ(t, pc_count, 0);
}

#define GO_WAITERS 3

static DEFINE_MUTEX(go_mutex);
static struct condvar go_cv;
static volatile bool go;		/* [go_mutex] */
static volatile int go_woken;		/* [go_mutex] */

static void go_waiter(void *arg)
{
	(void)arg;
	mutex_lock(&go_mutex);
	while (!go)
		condvar_wait(&go_cv, &go_mutex);
	go_woken++;
	mutex_unlock(&go_mutex);
}

static void condvar_broadcast_wakes_all(struct ktest *t)
{
	struct thread *w[GO_WAITERS];

	condvar_init(&go_cv);
	go = false;
	go_woken = 0;
	for (int i = 0; i < GO_WAITERS; i++)
		w[i] = thread_create("go-waiter", go_waiter, NULL);
	sched_sleep_ms(20);
	for (int i = 0; i < GO_WAITERS; i++)
		KTEST_EXPECT(t, w[i] && w[i]->state == THREAD_BLOCKED);
	KTEST_EXPECT_EQ(t, go_woken, 0);
	KTEST_EXPECT(t, !mutex_is_locked(&go_mutex));	/* released while waiting */
	mutex_lock(&go_mutex);
	go = true;
	condvar_broadcast(&go_cv);
	mutex_unlock(&go_mutex);
	for (int i = 0; i < GO_WAITERS; i++)
		if (w[i])
			thread_join(w[i]);
	KTEST_EXPECT_EQ(t, go_woken, GO_WAITERS);
}

KTEST_SUITE(locks, "locks",
	    KTEST_CASE(ab_ba_order_reported_once),
	    KTEST_CASE(consistent_order_is_silent),
	    KTEST_CASE(three_lock_cycle_shows_the_chain),
	    KTEST_CASE(recursive_spin_lock_reported),
	    KTEST_CASE(same_class_needs_nesting_annotation),
	    KTEST_CASE(bad_unlock_reported),
	    KTEST_CASE(might_sleep_in_spinlock_reported),
	    KTEST_CASE(assert_held_warns_when_not_held),
	    KTEST_CASE(uninitialised_spinlock_reported),
	    KTEST_CASE(ab_ba_across_threads_reported),
	    KTEST_CASE(irqsave_disables_and_restores),
	    KTEST_CASE(trylock_fails_when_held),
	    KTEST_CASE(mutex_counter_is_exact),
	    KTEST_CASE(semaphore_handoff),
	    KTEST_CASE(condvar_producer_consumer),
	    KTEST_CASE(condvar_broadcast_wakes_all));

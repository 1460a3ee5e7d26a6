/*
 * sched.c - the scheduler: who runs, when the CPU changes hands.
 *
 * One CPU.  The run queue (struct sched_rq) holds runnable threads other
 * than the running one; the policy (policy.h) orders it.  The idle thread
 * is never queued: it runs when the queue is empty.  Sleeping threads wait
 * on a list checked at every tick.
 *
 * Lock: everything here is changed with interrupts disabled (the timer
 * interrupt preempts; wake-ups may come from interrupts).  On SMP this
 * becomes the run-queue spinlock.
 *
 * Preemption: sched_tick() asks the policy whether the running thread's
 * slice is over and sets need_resched; sched_preempt_irq() switches on the
 * way out of the interrupt unless preempt_count says not now.  With a
 * non-zero seed (sched_seed=N) each slice is cut short at a pseudo-random
 * tick from that seed, so a race that needs an unlucky preemption can be
 * provoked on purpose, and replayed with the same seed.
 */
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/timer.h"
#include "arch/x86_64/x86.h"
#include "lib/format.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/vm.h"
#include "proc/usermode.h"
#include "sched/lockdep.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "sched/trace.h"

void switch_to(u64 *prev_rsp, u64 next_rsp);

static struct sched_rq rq;			/* [irqs off] */
static const struct sched_policy *policy;
static struct thread boot_thread;		/* kmain's context becomes "main" */
static struct thread *idle_thread;
static LIST_HEAD(sleepers);			/* [irqs off] SLEEPING threads */
static bool need_resched;			/* [irqs off] */
int sched_preempt_cnt;				/* > 0: no preemption (sched.h) */
static int irq_depth;				/* > 0: in an interrupt handler */
static u64 seed, rng;
static struct sched_stats stats;

static struct thread *se_thread(struct sched_entity *se)
{
	return (struct thread *)((char *)se - __builtin_offsetof(struct thread, se));
}

/* xorshift64: deterministic for a given seed. */
static u64 sched_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void sched_enqueue(struct thread *t, bool woken)
{
	t->state = THREAD_RUNNABLE;
	if (t != idle_thread)
		policy->enqueue(&rq, &t->se, woken);
	if (seed && t->se.slice_left > 1)	/* perturb: a shorter slice */
		t->se.slice_left = 1 + sched_random() % t->se.slice_left;
}

/*
 * Switch to the next thread.  preempted: the timer took the CPU away, so
 * prev goes back on the run queue whatever its state, as in Linux's
 * preempt_schedule_irq.  A thread preempted between prepare_to_wait() and
 * its own schedule() (say, inside condvar_wait before it dropped the
 * mutex) must not be put to sleep by someone else: it is still on its
 * wait queue, and will block properly when it gets there itself.
 */
static void schedule_common(bool preempted)
{
	u64 flags = irq_save();
	struct thread *prev = current_thread;

	/* A switch inside an interrupt handler would hand its irq_depth to
	 * the next thread, which then looks atomic for ever: say where. */
	if (irq_depth) {
		lockdep_count_report();
		pr_err("BUG: scheduling while atomic: %s/%d/0x%08x\n", prev->name, prev->tid,
		       irq_depth << 16);
		dump_stack();
	}
	if (prev->state == THREAD_RUNNING || (preempted && prev->state == THREAD_BLOCKED))
		sched_enqueue(prev, false);	/* still wants the CPU */
	struct sched_entity *se = policy->pick_next(&rq);
	struct thread *next = se ? se_thread(se) : idle_thread;

	need_resched = false;
	if (next == prev) {
		prev->state = THREAD_RUNNING;
		irq_restore(flags);
		return;
	}
	if (prev->state == THREAD_BLOCKED) {
		prev->blocked_since = jiffies;
		trace_sched_block(prev);
	}
	trace_sched_switch(prev, next);
	stats.switches++;
	next->state = THREAD_RUNNING;
	next->switches++;
	current_thread = next;
	usermode_switch_to(next);	/* its kernel stack for ring-3 entries, its page tables */
	switch_to(&prev->rsp, next->rsp);
	/* prev runs again here, switched back in by someone's schedule(). */
	irq_restore(flags);
}

void schedule(void)
{
	schedule_common(false);
}

void sched_set_blocked(struct thread *t)
{
	t->state = THREAD_BLOCKED;
}

void sched_set_running(struct thread *t)
{
	t->state = THREAD_RUNNING;
}

void sched_wake(struct thread *t)
{
	u64 flags = irq_save();

	if (t == current_thread && t->state == THREAD_BLOCKED) {
		/* Woken between prepare_to_wait() and schedule() (by an
		 * interrupt, or a thread it woke itself): it is still on the CPU,
		 * so it only stops being BLOCKED.  Queueing it as well would
		 * leave a stale run-queue entry if it then finds its condition
		 * true and never calls schedule() (Linux's try_to_wake_up on a
		 * running task sets TASK_RUNNING and nothing more). */
		t->state = THREAD_RUNNING;
	} else if (t->state == THREAD_BLOCKED || t->state == THREAD_SLEEPING) {
		if (t->state == THREAD_SLEEPING)
			list_del_init(&t->sleep_link);
		trace_sched_wakeup(t, irq_depth ? NULL : current_thread);
		sched_enqueue(t, true);
		if (current_thread == idle_thread)
			need_resched = true;
	}
	irq_restore(flags);
}

void sched_wake_new(struct thread *t)
{
	u64 flags = irq_save();

	t->state = THREAD_BLOCKED;	/* so that sched_wake takes it */
	sched_wake(t);
	irq_restore(flags);
}

void sched_yield(void)
{
	schedule();
}

void sched_sleep_ms_unless(u64 ms, const volatile int *stop)
{
	might_sleep();
	u64 flags = irq_save();
	struct thread *t = current_thread;

	/* Checked with interrupts off: whoever sets *stop and then calls
	 * sched_wake() either ran before this (we see it) or finds us
	 * SLEEPING (and wakes us). */
	if (stop && *stop) {
		irq_restore(flags);
		return;
	}
	/* Round up, plus one: the current tick is already partly gone. */
	t->wake_at = jiffies + (ms * timer_hz() + 999) / 1000 + 1;
	t->state = THREAD_SLEEPING;
	list_add_tail(&t->sleep_link, &sleepers);
	schedule();
	irq_restore(flags);
}

void sched_sleep_ms(u64 ms)
{
	sched_sleep_ms_unless(ms, NULL);
}

void sched_tick(void)
{
	struct thread *t, *tmp;

	if (!policy)
		return;
	rq.now++;
	stats.ticks++;
	list_for_each_entry_safe(t, tmp, &sleepers, sleep_link)
		if (jiffies >= t->wake_at)
			sched_wake(t);
	if (current_thread == idle_thread)
		need_resched |= rq.nr_queued > 0;
	else if (policy->tick(&rq, &current_thread->se))
		need_resched = true;
}

void sched_irq_enter(void) { irq_depth++; }
void sched_irq_exit(void) { irq_depth--; }
int sched_irq_depth(void) { return irq_depth; }
void sched_set_irq_depth(int depth) { irq_depth = depth; }

void sched_preempt_irq(void)
{
	/* Only on the way out of the outermost interrupt: switching inside a
	 * nested one would carry irq_depth over to the next thread. */
	if (!need_resched || sched_preempt_cnt || irq_depth || !policy)
		return;
	stats.preemptions++;
	trace_sched_preempt(current_thread);
	schedule_common(true);
}

int preempt_count(void) { return sched_preempt_cnt; }

bool sched_in_atomic(void)
{
	return irq_depth > 0 || sched_preempt_cnt > 0 || !(read_rflags() & RFLAGS_IF);
}

u64 sched_seed(void) { return seed; }

const char *sched_seed_line(char *buf, size_t size)
{
	ksnprintf(buf, size, "sched: policy %s, seed %llu (boot with sched_seed=%llu to replay)",
		  sched_policy_name(), (unsigned long long)seed, (unsigned long long)seed);
	return buf;
}
const char *sched_policy_name(void) { return policy ? policy->name : "none"; }

void sched_get_stats(struct sched_stats *st)
{
	u64 flags = irq_save();

	*st = stats;
	irq_restore(flags);
}

static void idle_fn(void *arg)
{
	(void)arg;
	for (;;)
		sti_hlt();	/* the tick's preemption takes us away */
}

void sched_init(const char *policy_name, u64 seed_value)
{
	u64 lo, hi;

	policy = sched_policy_find(policy_name ? policy_name : "rr");
	if (!policy) {
		pr_warn("sched: unknown policy '%s' (valid: rr, mlfq); using rr\n", policy_name);
		policy = &sched_policy_rr;
	}
	policy->init(&rq);
	seed = seed_value;
	rng = seed ? seed : 1;

	/* The boot context, already on a guarded stack, is thread "main". */
	thread_init_struct(&boot_thread, "main");
	if (vm_stack_bounds(read_rbp(), &lo, &hi)) {
		boot_thread.stack_lo = lo;
		boot_thread.stack_top = hi;
	}
	boot_thread.state = THREAD_RUNNING;
	thread_register(&boot_thread);
	current_thread = &boot_thread;

	idle_thread = thread_alloc("idle", idle_fn, NULL);
	if (!idle_thread)
		panic("sched: no memory for the idle thread");
	idle_thread->state = THREAD_RUNNABLE;
	pr_info("sched: policy %s, seed %llu, slice %u ticks at %u Hz\n", policy->name,
		(unsigned long long)seed, SCHED_RR_SLICE, timer_hz());
}

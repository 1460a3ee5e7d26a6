/*
 * sched.h - the scheduler (sched.c): one CPU, preemptive.
 *
 * The timer interrupt charges a tick to the running thread; when the policy
 * says its time is up, need_resched is set and the switch happens on the
 * way out of the interrupt (sched_preempt_irq), unless preemption is
 * disabled (preempt_count > 0: spinlocks hold it).  Threads also switch
 * when they block, sleep, yield or exit.
 */
#ifndef CANARY_SCHED_SCHED_H
#define CANARY_SCHED_SCHED_H

#include "lib/types.h"
#include "sched/thread.h"

/* Make the boot context the first thread ("main"), start the idle thread,
 * choose the policy by name (rr if NULL or unknown, with a warning). */
void sched_init(const char *policy, u64 seed);
/* Give the CPU to the next runnable thread, if any. */
void sched_yield(void);
/* Sleep for at least ms milliseconds. */
void sched_sleep_ms(u64 ms);
/* The same, but not at all if *stop is set, and only until a
 * sched_wake() that follows setting it (kill() ending a sleep). */
void sched_sleep_ms_unless(u64 ms, const volatile int *stop);
/* Make t runnable (from any context, interrupts on or off). */
void sched_wake(struct thread *t);
/* Make a new thread runnable for the first time. */
void sched_wake_new(struct thread *t);

/* State changes for wait.c (interrupts disabled by the caller). */
void sched_set_blocked(struct thread *t);
void sched_set_running(struct thread *t);

/* Interrupt entry/exit (idt.c): interrupt context is atomic. */
void sched_irq_enter(void);
void sched_irq_exit(void);
/* For trap_expect_fault(), which abandons whatever ran on the faulting
 * stack, interrupt handlers included: the depth to go back to. */
int sched_irq_depth(void);
void sched_set_irq_depth(int depth);

/* Called by the timer interrupt. */
void sched_tick(void);
/* Called on interrupt exit: switch if the tick asked for it. */
void sched_preempt_irq(void);

/* Preemption control (spinlocks, the allocator).  Inline: every kmalloc
 * and kfree takes the pair.  The empty asm is a compiler barrier, so the
 * critical section's memory accesses stay between the two. */
extern int sched_preempt_cnt;		/* > 0: no preemption (sched.c) */

static inline void preempt_disable(void)
{
	sched_preempt_cnt++;
	__asm__ __volatile__("" ::: "memory");
}

static inline void preempt_enable(void)
{
	__asm__ __volatile__("" ::: "memory");
	sched_preempt_cnt--;
}
int preempt_count(void);
/* In interrupt context, or with preemption or interrupts disabled: a
 * thread must not sleep here (might_sleep() checks it). */
bool sched_in_atomic(void);

/* The seed that perturbs preemption (sched_seed=); printed in reports. */
/* "sched: policy rr, seed N (boot with sched_seed=N to replay)" in buf, for
 * every report that should say how to replay the run.  Returns buf. */
const char *sched_seed_line(char *buf, size_t size);
u64 sched_seed(void);
const char *sched_policy_name(void);

/* Statistics for the monitor and tests. */
struct sched_stats {
	u64 switches;		/* context switches */
	u64 preemptions;	/* switches forced by the timer */
	u64 ticks;
};
void sched_get_stats(struct sched_stats *st);

#endif

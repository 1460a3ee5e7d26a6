/*
 * bench.c - micro-benchmarks measured inside the kernel with the TSC.
 *
 * Each benchmark repeats one operation N times after a warm-up, with
 * interrupts off so the timer tick does not land inside the measurement,
 * and reports the mean cycles and nanoseconds per operation.  The same
 * code runs in the SAN=0 and SAN=1 kernels; tools/bench.py boots both and
 * prints the sanitizers' overhead.  One table for single operations; the
 * scheduler's (switch, wake-up latency) need two threads and follow it.
 */
#include "arch/x86_64/timer.h"
#include "arch/x86_64/x86.h"
#include "bench.h"
#include "lib/printk.h"
#include "mm/kasan.h"
#include "mm/page.h"
#include "mm/slab.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "sched/wait.h"

#define BENCH_WARMUP 1000

static void bench_kmalloc_64(void) { kfree(kmalloc(64, GFP_KERNEL)); }
static void bench_kmalloc_1k(void) { kfree(kmalloc(1024, GFP_KERNEL)); }
static void bench_page(void) { free_pages(alloc_pages(0), 0); }

static const struct {
	const char *name;
	void (*op)(void);
	unsigned iterations;
} benchmarks[] = {
	{ "kmalloc-64", bench_kmalloc_64, 200000 },
	{ "kmalloc-1k", bench_kmalloc_1k, 200000 },
	{ "page-alloc", bench_page, 100000 },
};

static void bench_print(const char *name, unsigned iterations, u64 cycles)
{
	/* Hundredths, printed as fixed point: no floating point here. */
	u64 c100 = cycles * 100 / iterations;
	u64 ns100 = tsc_to_ns(cycles) * 100 / iterations;

	printk(KERN_NOTICE "bench: %s iterations=%u cycles=%llu.%02llu ns=%llu.%02llu\n", name,
	       iterations, (unsigned long long)(c100 / 100), (unsigned long long)(c100 % 100),
	       (unsigned long long)(ns100 / 100), (unsigned long long)(ns100 % 100));
}

#define BENCH_YIELDS 20000

static void bench_yielder(void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < BENCH_YIELDS; i++)
		sched_yield();
}

/* Two threads yielding to each other: every yield is one switch. */
static void bench_switch(void)
{
	u64 flags = irq_save();	/* both created before either runs */
	struct thread *a = thread_create("pingA", bench_yielder, NULL);
	struct thread *b = thread_create("pingB", bench_yielder, NULL);
	u64 t0 = rdtsc();

	irq_restore(flags);
	thread_join(a);		/* main waits; only a and b switch */
	thread_join(b);
	bench_print("thread-switch", 2 * BENCH_YIELDS, rdtsc() - t0);
}

#define BENCH_WAKEUPS 2000
static struct wait_queue_head bench_wq = WAIT_QUEUE_HEAD_INIT(bench_wq);
static volatile u64 bench_woken_at, bench_wake_sent;
static volatile unsigned bench_round;

static void bench_sleeper(void *arg)
{
	(void)arg;
	for (unsigned r = 1; r <= BENCH_WAKEUPS; r++) {
		wait_event(bench_wq, bench_round >= r);
		bench_woken_at += rdtsc() - bench_wake_sent;
	}
}

/* From wake_up_one() in one thread to running in the woken one. */
static void bench_wakeup(void)
{
	struct thread *s = thread_create("sleeper", bench_sleeper, NULL);

	bench_woken_at = 0;
	bench_round = 0;
	for (unsigned r = 1; r <= BENCH_WAKEUPS; r++) {
		while (s->state != THREAD_BLOCKED)
			sched_yield();
		bench_wake_sent = rdtsc();
		bench_round = r;
		wake_up_one(&bench_wq);
		sched_yield();
	}
	thread_join(s);
	bench_print("wakeup-latency", BENCH_WAKEUPS, bench_woken_at);
}

int bench_run_all(void)
{
	for (unsigned b = 0; b < ARRAY_SIZE(benchmarks); b++) {
		u64 irq = irq_save();

		for (unsigned i = 0; i < BENCH_WARMUP; i++)
			benchmarks[b].op();
		u64 t0 = rdtsc();

		for (unsigned i = 0; i < benchmarks[b].iterations; i++)
			benchmarks[b].op();
		u64 cycles = rdtsc() - t0;

		irq_restore(irq);
		kasan_quarantine_drain();
		bench_print(benchmarks[b].name, benchmarks[b].iterations, cycles);
	}
	bench_switch();
	bench_wakeup();
	return 0;
}

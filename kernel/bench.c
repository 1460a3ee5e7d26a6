/*
 * bench.c - micro-benchmarks measured inside the kernel with the TSC.
 *
 * Each benchmark repeats one operation N times after a warm-up, with
 * interrupts off so the timer tick does not land inside the measurement,
 * and reports the mean cycles and nanoseconds per operation.  The same
 * code runs in the SAN=0 and SAN=1 kernels; tools/bench.py boots both and
 * prints the sanitizers' overhead.  One table: add a row to add a benchmark.
 */
#include "arch/x86_64/timer.h"
#include "arch/x86_64/x86.h"
#include "bench.h"
#include "lib/printk.h"
#include "mm/kasan.h"
#include "mm/page.h"
#include "mm/slab.h"

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
		/* Hundredths, printed as fixed point: no floating point here. */
		u64 c100 = cycles * 100 / benchmarks[b].iterations;
		u64 ns100 = tsc_to_ns(cycles) * 100 / benchmarks[b].iterations;

		printk(KERN_NOTICE "bench: %s iterations=%u cycles=%llu.%02llu ns=%llu.%02llu\n",
		       benchmarks[b].name, benchmarks[b].iterations, (unsigned long long)(c100 / 100),
		       (unsigned long long)(c100 % 100), (unsigned long long)(ns100 / 100),
		       (unsigned long long)(ns100 % 100));
	}
	return 0;
}

/*
 * ubench - user-mode micro-benchmarks of the system call and process
 * paths, for `make bench` (tools/bench.py boots init=/bin/ubench on the
 * SAN=0 kernel and reads the lines below).
 *
 *   ubench                 every benchmark
 *   ubench NAME...         only those: getpid fork exec pagefault pipe
 *
 * Time is read with rdtsc and converted to ns with the TSC frequency,
 * measured against time() over 200 ms (there is no floating point in
 * user programs, so all of it is integer arithmetic).  Each benchmark is
 * run RUNS times; the median run is reported, per operation:
 *
 *   ubench: tsc_khz=2400000
 *   ubench: getpid cycles=1234 ns=514 iters=20000
 *
 * Under TCG the TSC is QEMU's virtual one: compare ratios (with xv6 on
 * the same machine, or a sanitizer build) rather than absolute numbers.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RUNS 5
#define PAGE 4096L

static uint64_t tsc_khz;

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	/* lfence: the read is not hoisted above the work being timed. */
	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	time(&ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void measure_tsc(void)
{
	uint64_t t0 = now_ns(), c0 = rdtsc(), t1, c1;

	msleep(200);
	t1 = now_ns();
	c1 = rdtsc();
	tsc_khz = t1 > t0 ? (c1 - c0) * 1000000u / (t1 - t0) : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Run body(iters) RUNS times; print the median cycles per operation. */
static void bench(const char *name, long iters, uint64_t (*body)(long iters))
{
	uint64_t per[RUNS], cyc;

	for (int r = 0; r < RUNS; r++) {
		uint64_t c = body(iters);

		if (c == 0) {
			printf("ubench: %s failed\n", name);
			return;
		}
		per[r] = c / (uint64_t)iters;
	}
	/* A five-element insertion sort: libc has no qsort. */
	for (int i = 1; i < RUNS; i++)
		for (int j = i; j > 0 && cmp_u64(&per[j - 1], &per[j]) > 0; j--) {
			uint64_t t = per[j];

			per[j] = per[j - 1];
			per[j - 1] = t;
		}
	cyc = per[RUNS / 2];
	printf("ubench: %s cycles=%lu ns=%lu iters=%ld\n", name, (unsigned long)cyc,
	       tsc_khz ? (unsigned long)(cyc * 1000000u / tsc_khz) : 0UL, iters);
}

static uint64_t b_getpid(long iters)
{
	uint64_t c0 = rdtsc();

	for (long i = 0; i < iters; i++)
		getpid();
	return rdtsc() - c0;
}

static uint64_t b_fork(long iters)
{
	uint64_t c0 = rdtsc();

	for (long i = 0; i < iters; i++) {
		long pid = fork();
		int st;

		if (pid == 0)
			exit(0);
		if (pid < 0 || waitpid((int)pid, &st, 0) != pid)
			return 0;
	}
	return rdtsc() - c0;
}

static uint64_t b_exec(long iters)
{
	char *argv[] = { "true", NULL };
	uint64_t c0 = rdtsc();

	for (long i = 0; i < iters; i++) {
		long pid = fork();
		int st;

		if (pid == 0) {
			exec("/bin/true", argv);
			exit(127);
		}
		if (pid < 0 || waitpid((int)pid, &st, 0) != pid || st != 0)
			return 0;
	}
	return rdtsc() - c0;
}

/* Grow the heap by iters pages, touch each once (a demand-zero fault
 * each), give them back. */
static uint64_t b_pagefault(long iters)
{
	long base = sbrk(iters * PAGE + PAGE);
	volatile char *p;
	uint64_t c0, c;

	if (base < 0)
		return 0;
	p = (volatile char *)((base + PAGE - 1) & ~(PAGE - 1));
	c0 = rdtsc();
	for (long i = 0; i < iters; i++)
		p[i * PAGE] = 1;
	c = rdtsc() - c0;
	sbrk(-(iters * PAGE + PAGE));
	return c;
}

/* One byte to the child and back, iters times. */
static uint64_t b_pipe(long iters)
{
	int to[2], from[2];
	long pid;
	char b = 'x';
	uint64_t c0, c;

	if (pipe(to) < 0 || pipe(from) < 0)
		return 0;
	pid = fork();
	if (pid == 0) {
		close(to[1]);
		close(from[0]);
		while (read(to[0], &b, 1) == 1)
			write(from[1], &b, 1);
		exit(0);
	}
	close(to[0]);
	close(from[1]);
	c0 = rdtsc();
	for (long i = 0; i < iters; i++)
		if (write(to[1], &b, 1) != 1 || read(from[0], &b, 1) != 1)
			break;
	c = rdtsc() - c0;
	close(to[1]);
	close(from[0]);
	waitpid((int)pid, NULL, 0);
	return pid < 0 ? 0 : c;
}

static const struct {
	const char *name;
	long iters;
	uint64_t (*body)(long iters);
} benches[] = {
	{ "getpid", 20000, b_getpid },
	{ "fork", 100, b_fork },
	{ "exec", 50, b_exec },
	{ "pagefault", 256, b_pagefault },
	{ "pipe", 1000, b_pipe },
};

int main(int argc, char **argv)
{
	size_t n = sizeof(benches) / sizeof(benches[0]);

	for (int i = 1; i < argc; i++) {
		size_t k = 0;

		while (k < n && strcmp(benches[k].name, argv[i]))
			k++;
		if (k == n) {
			dprintf(STDERR_FILENO, "usage: ubench [getpid|fork|exec|pagefault|pipe]...\n");
			return 2;
		}
	}
	measure_tsc();
	printf("ubench: tsc_khz=%lu\n", (unsigned long)tsc_khz);
	for (size_t k = 0; k < n; k++) {
		bool wanted = argc == 1;

		for (int i = 1; i < argc; i++)
			wanted |= !strcmp(benches[k].name, argv[i]);
		if (wanted)
			bench(benches[k].name, benches[k].iters, benches[k].body);
	}
	return 0;
}

/*
 * bench.h - in-kernel micro-benchmarks for `make bench` (bench.c):
 * `run=bench` runs each one and prints a line tools/bench.py parses:
 *
 *   bench: kmalloc-64 iterations=200000 cycles=123.4 ns=58.7
 */
#ifndef CANARY_BENCH_H
#define CANARY_BENCH_H

/* Run every benchmark; returns 0. */
int bench_run_all(void);

#endif

/*
 * timer.h - time: the periodic tick (PIT) and the TSC clock (timer.c).
 */
#ifndef CANARY_ARCH_TIMER_H
#define CANARY_ARCH_TIMER_H

#include "lib/types.h"

/* Ticks since the timer started; written only by the timer interrupt. */
extern volatile u64 jiffies;

/* Measure the TSC rate against the PIT; needs no interrupts. */
void tsc_calibrate(void);
/* Start the periodic tick at hz interrupts per second. */
void timer_init(unsigned hz);
unsigned timer_hz(void);
u64 tsc_khz(void);
/* Nanoseconds since tsc_calibrate() (0 before it). */
u64 time_ns_since_boot(void);
/* TSC cycles since calibration (0 before): a cheap clock to convert later. */
u64 tsc_since_boot(void);
/* Convert a TSC difference to nanoseconds. */
u64 tsc_to_ns(u64 cycles);

#endif

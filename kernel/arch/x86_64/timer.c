/*
 * timer.c - the 8254 PIT as the periodic tick, and the TSC as the clock.
 *
 * The PIT counts down from a reload value at 1.193182 MHz.  Channel 0 in
 * mode 2 (rate generator) raises IRQ 0 every reload ticks: that is the
 * kernel's tick and increments `jiffies`.  Channel 2, whose gate software
 * controls through port 0x61, times a fixed 10 ms window once at boot to
 * learn how fast the TSC runs (as Linux's pit_calibrate_tsc does); after
 * that, time is read from the TSC, which costs one instruction.
 */
#include "arch/x86_64/irq_vectors.h"
#include "arch/x86_64/timer.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "sched/sched.h"

#define PIT_HZ 1193182
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B  0x61		/* bit 0: ch2 gate, bit 1: speaker, bit 5: ch2 out */
#define CALIBRATE_MS 10

volatile u64 jiffies;
static unsigned tick_hz;
static u64 tsc_rate_khz;
static u64 tsc_at_boot;

void tsc_calibrate(void)
{
	u32 latch = PIT_HZ * CALIBRATE_MS / 1000;
	u8 b = inb(PORT_B);

	outb(PORT_B, (b & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(PIT_CMD, 0xb0);			/* ch2, lo/hi byte, mode 0 */
	outb(PIT_CH2, latch & 0xff);
	outb(PIT_CH2, latch >> 8);
	u64 t0 = rdtsc();
	/* Mode 0 raises OUT2 when the count reaches zero. */
	for (u64 spins = 0; !(inb(PORT_B) & 0x20) && spins < 100000000; spins++)
		cpu_relax();
	u64 t1 = rdtsc();

	outb(PORT_B, b);
	tsc_rate_khz = (t1 - t0) / CALIBRATE_MS;
	if (!tsc_rate_khz)
		tsc_rate_khz = 1;	/* a broken PIT must not divide by zero */
	tsc_at_boot = t0;
}

static void timer_irq(struct trap_frame *tf)
{
	(void)tf;
	jiffies++;
	sched_tick();
}

void timer_init(unsigned hz)
{
	u32 reload = PIT_HZ / hz;

	tick_hz = hz;
	outb(PIT_CMD, 0x34);			/* ch0, lo/hi byte, mode 2 */
	outb(PIT_CH0, reload & 0xff);
	outb(PIT_CH0, reload >> 8);
	irq_register(IRQ_TIMER, timer_irq);
}

unsigned timer_hz(void) { return tick_hz; }
u64 tsc_khz(void) { return tsc_rate_khz; }

u64 tsc_to_ns(u64 cycles)
{
	/* Split to stay within 64 bits: cycles * 10^6 / khz overflows after
	 * about 5000 s at 3 GHz. */
	return cycles / tsc_rate_khz * 1000000 + cycles % tsc_rate_khz * 1000000 / tsc_rate_khz;
}

u64 tsc_since_boot(void)
{
	return tsc_at_boot ? rdtsc() - tsc_at_boot : 0;
}

u64 time_ns_since_boot(void)
{
	if (!tsc_at_boot)
		return 0;
	return tsc_to_ns(rdtsc() - tsc_at_boot);
}

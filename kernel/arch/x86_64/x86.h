/*
 * x86.h - every inline-assembly instruction the kernel uses, in one place
 * (the xv6 habit): port I/O, control registers, MSRs, interrupts, TSC.
 * Nothing here has state; each wrapper is one instruction.
 */
#ifndef CANARY_ARCH_X86_H
#define CANARY_ARCH_X86_H

#include "lib/types.h"

static inline void outb(u16 port, u8 v) { __asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(u16 port, u16 v) { __asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(u16 port, u32 v) { __asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port)
{
	u8 v;
	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* A write to an unused port: about 1 us, enough for old PIC/PIT latches. */
static inline void io_wait(void) { outb(0x80, 0); }

static inline void cli(void) { __asm__ __volatile__("cli" ::: "memory"); }
static inline void sti(void) { __asm__ __volatile__("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ __volatile__("hlt" ::: "memory"); }
/* sti takes effect after the next instruction, so "sti; hlt" cannot lose an
 * interrupt that arrives between the two (Intel SDM 2B, STI). */
static inline void sti_hlt(void) { __asm__ __volatile__("sti; hlt" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ __volatile__("pause" ::: "memory"); }

static inline u64 read_rflags(void)
{
	u64 f;
	__asm__ __volatile__("pushfq; popq %0" : "=r"(f) : : "memory");
	return f;
}
#define RFLAGS_IF 0x200

/* Disable interrupts and return the previous state, for irq_restore(). */
static inline u64 irq_save(void)
{
	u64 f = read_rflags();
	cli();
	return f;
}
static inline void irq_restore(u64 flags)
{
	if (flags & RFLAGS_IF)
		sti();
}

#define DEFINE_READ_CR(n)                                                   \
	static inline u64 read_cr##n(void)                                  \
	{                                                                   \
		u64 v;                                                      \
		__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));       \
		return v;                                                   \
	}
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)
static inline void write_cr3(u64 v) { __asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(u64 v) { __asm__ __volatile__("mov %0, %%cr4" : : "r"(v) : "memory"); }

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;
	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline u16 read_cs(void) { u16 v; __asm__ __volatile__("mov %%cs, %0" : "=r"(v)); return v; }
static inline u16 read_ds(void) { u16 v; __asm__ __volatile__("mov %%ds, %0" : "=r"(v)); return v; }
static inline u16 read_es(void) { u16 v; __asm__ __volatile__("mov %%es, %0" : "=r"(v)); return v; }

static inline u64 read_rbp(void)
{
	u64 v;
	__asm__ __volatile__("mov %%rbp, %0" : "=r"(v));
	return v;
}

#endif

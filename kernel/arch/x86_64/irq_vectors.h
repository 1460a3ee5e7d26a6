/*
 * irq_vectors.h - how the 256 IDT vectors are used.  Constants only; shared
 * with vectors.S.
 *
 *   0..31   CPU exceptions (traps.def)
 *   32..47  legacy PIC IRQs 0..15 (pic.c remaps them here, away from 0..31)
 *   48..254 unused for now: reported as unexpected
 *   255     local APIC spurious interrupt (lapic.c): ignored, never EOI'd
 */
#ifndef CANARY_ARCH_IRQ_VECTORS_H
#define CANARY_ARCH_IRQ_VECTORS_H

#define NR_EXCEPTIONS 32
#define IRQ_BASE      32
#define NR_IRQS       16
#define NR_VECTORS    256
/* Not an IDT vector: marks a trap frame built by syscall_entry. */
#define SYSCALL_VECTOR 256

#define IRQ_TIMER 0	/* PIT channel 0 */
#define IRQ_COM1  4	/* 16550 UART */

#endif

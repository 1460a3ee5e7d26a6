/*
 * lapic.h - the CPU's local APIC, used here only in "virtual wire" mode
 * so that the legacy PIC's interrupts reach the CPU (lapic.c).
 */
#ifndef CANARY_ARCH_LAPIC_H
#define CANARY_ARCH_LAPIC_H

#include "lib/types.h"

#define LAPIC_SPURIOUS_VECTOR 0xff

/* Route the 8259 PIC through LINT0 (ExtINT) and NMIs through LINT1. */
void lapic_init_virtual_wire(void);

#endif

/*
 * pic.h - the legacy 8259A interrupt controller pair (pic.c).
 */
#ifndef CANARY_ARCH_PIC_H
#define CANARY_ARCH_PIC_H

#include "lib/types.h"

void pic_init(int vector_base);
void pic_unmask(int irq);
void pic_mask(int irq);
void pic_eoi(int irq);
/* IRQ 7 and 15 fire spuriously when a request vanishes before the CPU
 * acknowledges it; such an interrupt must not get an EOI. */
bool pic_is_spurious(int irq);

#endif

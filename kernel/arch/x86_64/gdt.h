/*
 * gdt.h - segment descriptors and the TSS (gdt.c).
 */
#ifndef CANARY_ARCH_GDT_H
#define CANARY_ARCH_GDT_H

#include "lib/types.h"

#define IST_DOUBLE_FAULT 1	/* TSS IST slot for #DF */

void gdt_init(void);
/* Bounds of the double-fault (IST1) stack. */
void gdt_df_stack(u64 *lo, u64 *hi);
/* The stack the CPU switches to on an interrupt from user mode. */
void gdt_set_kernel_stack(u64 rsp0);

#endif

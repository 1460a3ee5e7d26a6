/*
 * ksym.h - the kernel's own symbol table, embedded at build time
 * (tools/ksyms.py writes it from the first link; the Makefile links twice),
 * so oopses and backtraces name functions as Linux does: func+0x1a/0x40.
 */
#ifndef CANARY_LIB_KSYM_H
#define CANARY_LIB_KSYM_H

#include "lib/types.h"

/* Name of the function containing addr, or NULL; *offset and *size set. */
const char *ksym_lookup(u64 addr, u64 *offset, u64 *size);
/* "func+0xoff/0xsize", or the bare hex address when unknown. */
int ksym_snprint(char *buf, size_t size, u64 addr);
/* The same for a return address: it points after a call, which may be
 * the last instruction of a noreturn caller, so look up ret - 1 (as Linux's
 * %pB does) and print the offset of ret itself. */
int ksym_snprint_return(char *buf, size_t size, u64 ret);
/* Start address of a symbol, or 0. */
u64 ksym_address(const char *name);
u64 ksym_count_symbols(void);

#endif

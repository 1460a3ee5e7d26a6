/*
 * ubsan.h - the Undefined Behaviour Sanitizer's runtime (ubsan.c).
 *
 * With -fsanitize=undefined GCC checks signed overflow, shifts, array
 * indexes, bool/enum loads, NULL and misaligned pointers and more, and
 * calls a __ubsan_handle_* function when a check fails; ubsan.c prints the
 * report in Linux's words (lib/ubsan.c) and the kernel goes on, as the UB
 * operation itself then completes.  The handlers are the compiler's ABI and
 * are not declared here; this header is what the rest of the kernel uses.
 */
#ifndef CANARY_LIB_UBSAN_H
#define CANARY_LIB_UBSAN_H

#include "lib/kconfig.h"
#include "lib/types.h"

#if CONFIG_UBSAN
/* Reports printed since boot (tests compare counts). */
u64 ubsan_report_count(void);
#else
static inline u64 ubsan_report_count(void) { return 0; }
#endif

#endif

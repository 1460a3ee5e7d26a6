/*
 * stackdepot.h - store call stacks once, refer to them by a 32-bit handle
 * (stackdepot.c).  The allocator records who allocated and who freed each
 * object this way; sanitizer and leak reports print the stacks back.
 * Like Linux's lib/stackdepot.c: identical stacks share one record.
 */
#ifndef CANARY_LIB_STACKDEPOT_H
#define CANARY_LIB_STACKDEPOT_H

#include "lib/types.h"

#define STACKDEPOT_MAX_FRAMES 16

typedef u32 depot_stack_handle_t;	/* 0 = no stack */

/* Store entries[0..n) (return addresses, innermost first); 0 if full. */
depot_stack_handle_t stack_depot_save(const u64 *entries, unsigned n);
/* The stack behind a handle; returns its length (0 for a bad handle). */
unsigned stack_depot_fetch(depot_stack_handle_t h, const u64 **entries);
/* Capture the caller's stack, skipping `skip` innermost frames, and save it. */
depot_stack_handle_t stack_depot_capture(unsigned skip);
/* Print a stored stack, one " func+0xoff/0xsize" line per frame. */
void stack_depot_print(depot_stack_handle_t h);

#endif

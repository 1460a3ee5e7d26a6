/*
 * printf-style formatting into a caller-supplied buffer.
 *
 * Every kernel message (the console log, panic text, warnings from the
 * command-line parser) is built with these two functions, so they follow
 * C99 snprintf exactly for the conversions they support and never write
 * past `size` bytes.  They keep no state and take no locks: safe to call
 * from any context, including interrupt handlers and the panic path.
 *
 * Supported: %d %i %u %x %X %o %c %s %p %%, length modifiers hh h l ll z t,
 * flags - 0 + space #, width and precision (both may be '*').
 * Differences from ISO C, all deliberate:
 *   - %p always prints "0x" and 16 lowercase hex digits, so addresses line
 *     up in logs and a NULL pointer reads as 0x0000000000000000.
 *   - %s of a NULL pointer prints "(null)" instead of faulting.
 *   - An unsupported conversion (%q, %f, %ls, a lone trailing %) is copied
 *     to the output literally and consumes no argument.
 *   - Width and precision are clamped to FMT_FIELD_MAX.
 */
#ifndef CANARY_LIB_FORMAT_H
#define CANARY_LIB_FORMAT_H

#include <stdarg.h>

#include "lib/types.h"

/* A width or precision this large is a bug (often a garbage '*' argument);
 * clamping keeps the formatter from spinning for billions of pad chars. */
#define FMT_FIELD_MAX 4096

/*
 * Format into buf, writing at most size bytes including the terminating
 * NUL.  Returns the length the full output would have had (excluding the
 * NUL), so "ret >= size" means the output was truncated.  When size is 0
 * nothing is written and buf may be NULL.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
/* Format into buf and return err: parsers say why an input is bad and
 * fail in one statement, `return kfail(-EINVAL, why, whylen, "...", ...)`. */
int kfail(int err, char *buf, size_t size, const char *fmt, ...) __printf(4, 5);

#endif

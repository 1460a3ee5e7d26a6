/*
 * stdio.h - formatted output and line input on file descriptors.  There
 * is no FILE and no buffering: stdout and stderr are simply fds 1 and 2,
 * and each printf-family call formats into a buffer and hands it to one
 * write() (more only if a pipe takes it in pieces), so output is never
 * held back and nothing needs flushing at exit.  (STDOUT_FILENO and
 * friends are in <unistd.h>, as POSIX has them.)
 *
 * The conversions are the kernel's (kernel/lib/format.h): %d %i %u %x %X
 * %o %c %s %p %% with hh h l ll z t, flags - 0 + space #, width and
 * precision.  No floating point (-mgeneral-regs-only: the kernel does not
 * save FPU state).  %p prints 0x and 16 hex digits; %s of NULL "(null)".
 *
 * Return values: the number of bytes written, or a negative errno from
 * write(), like the system calls (see unistd.h).
 */
#ifndef CANARY_USER_STDIO_H
#define CANARY_USER_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

#define PRINTF_LIKE(fmt, args) __attribute__((__format__(__printf__, fmt, args)))

int printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int dprintf(int fd, const char *fmt, ...) PRINTF_LIKE(2, 3);
int vdprintf(int fd, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
/* Write at most size bytes, NUL included; return the length the whole
 * output would have had (C99), so ret >= size means truncated. */
int snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) PRINTF_LIKE(3, 0);
/* s and a newline, to fd 1. */
int puts(const char *s);
/* Returns c, or a negative errno. */
int putchar(int c);

/*
 * Read one line from fd into buf, without its newline, NUL-terminated.
 * Returns the line's length, or -1 (EOF) at end of file or on a read
 * error when nothing was read.  A last line without a newline is returned
 * as a line.  A line longer than size - 1 bytes is cut to size - 1 and the
 * rest of it is read and discarded.  Reads one byte at a time, so it never
 * consumes input past the newline: a child process started afterwards
 * reads from where the line ended (the shell relies on this).
 */
int readline(int fd, char *buf, size_t size);

/* Canary extension: write all n bytes, looping over short writes.
 * Returns n, or the negative errno of the write that failed. */
long write_all(int fd, const void *buf, size_t n);

#endif

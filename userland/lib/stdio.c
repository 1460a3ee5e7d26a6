/*
 * stdio.c - printf and friends over file descriptors, and readline().
 * The formatting is the kernel's own engine, kernel/lib/format.c,
 * compiled into the user libc: vsnprintf is kvsnprintf.  Output is
 * formatted into a stack buffer (a heap one if the text is longer) and
 * written at once, so there is never anything left to flush.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/format.h"

/* Most output fits here; longer text is formatted again into malloc(). */
#define STDIO_BUF 512

long write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	size_t done = 0;

	while (done < n) {
		long r = write(fd, p + done, n - done);

		if (r < 0)
			return r;
		if (r == 0)	/* a device that takes nothing: do not spin */
			return -EIO;
		done += (size_t)r;
	}
	return (long)n;
}

/* The text did not fit in the stack buffer: format it again, whole. */
static int vdprintf_long(int fd, int len, const char *fmt, va_list ap)
{
	char *big = malloc((size_t)len + 1);
	long r;

	if (!big)
		return -ENOMEM;
	kvsnprintf(big, (size_t)len + 1, fmt, ap);
	r = write_all(fd, big, (size_t)len);
	free(big);
	return (int)r;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[STDIO_BUF];
	va_list again;
	int len;

	va_copy(again, ap);
	len = kvsnprintf(buf, sizeof(buf), fmt, ap);
	if (len >= (int)sizeof(buf))
		len = vdprintf_long(fd, len, fmt, again);
	else
		len = (int)write_all(fd, buf, (size_t)len);
	va_end(again);
	return len;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(STDOUT_FILENO, fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	return dprintf(STDOUT_FILENO, "%s\n", s);
}

int putchar(int c)
{
	char ch = (char)c;
	long r = write(STDOUT_FILENO, &ch, 1);

	return r < 0 ? (int)r : (unsigned char)c;
}

int readline(int fd, char *buf, size_t size)
{
	size_t len = 0;
	bool got_any = false;
	char c;

	while (read(fd, &c, 1) == 1) {
		got_any = true;
		if (c == '\n')
			break;
		if (len + 1 < size)
			buf[len++] = c;
	}
	if (size)
		buf[len] = '\0';
	return got_any ? (int)len : EOF;
}

/*
 * console.h - where the kernel's text goes and where typed input comes
 * from: the 16550 serial port and the VGA text screen (console.c).
 */
#ifndef CANARY_LIB_CONSOLE_H
#define CANARY_LIB_CONSOLE_H

#include "lib/types.h"

enum console_mask {
	CONSOLE_SERIAL = 1,
	CONSOLE_VGA = 2,
	CONSOLE_BOTH = 3,
};

void console_init(void);
void console_set_mask(unsigned mask);
void console_write(const char *s, size_t n);
/* Block (halting the CPU) until a character arrives on the serial port. */
int console_getc(void);

#endif

/*
 * console.c - the console: fans output out to the serial port and the VGA
 * text screen, and reads input from the serial port's receive ring.
 *
 * Serial gets "\r\n" for every "\n" because terminals need the carriage
 * return; the VGA driver handles "\n" itself.
 */
#include "arch/x86_64/x86.h"
#include "drivers/serial/uart16550.h"
#include "drivers/video/vgatext.h"
#include "lib/console.h"

static unsigned console_mask = CONSOLE_BOTH;

void console_init(void)
{
	uart_init();
	vga_init();
}

void console_set_mask(unsigned mask)
{
	console_mask = mask & CONSOLE_BOTH;
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (console_mask & CONSOLE_SERIAL) {
			if (s[i] == '\n')
				uart_putc('\r');
			uart_putc(s[i]);
		}
		if (console_mask & CONSOLE_VGA)
			vga_putc(s[i]);
	}
}

int console_getc(void)
{
	for (;;) {
		/* Check and sleep with interrupts off, then "sti; hlt": a byte
		 * arriving between the check and the halt still wakes us. */
		cli();
		int c = uart_getc();

		if (c >= 0) {
			sti();
			return c;
		}
		sti_hlt();
	}
}

/*
 * vgatext.h - the VGA text screen, 80x25 (vgatext.c).
 */
#ifndef CANARY_DRIVERS_VGATEXT_H
#define CANARY_DRIVERS_VGATEXT_H

#include "lib/types.h"

#define VGA_COLS 80
#define VGA_ROWS 25

void vga_init(void);
/* Is there a text-mode screen?  (Some firmware leaves VGA uninitialised.) */
bool vga_present(void);
void vga_putc(char c);
void vga_clear(void);
/* The character at (row, col), for tests and the monitor. */
char vga_char_at(int row, int col);
int vga_cursor_row(void);
int vga_cursor_col(void);

#endif

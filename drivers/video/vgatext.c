/*
 * vgatext.c - the VGA text-mode screen at physical 0xb8000.
 *
 * Each cell is two bytes: the character, then an attribute (background in
 * the high nibble, foreground in the low).  The screen scrolls up when the
 * cursor passes the last row; the hardware cursor is moved through the CRT
 * controller's index/data ports (0x3d4/0x3d5, registers 0x0e/0x0f).
 *
 * State (cursor position) is touched only from printk, which runs with
 * interrupts disabled.
 */
#include "arch/x86_64/layout.h"
#include "arch/x86_64/x86.h"
#include "drivers/video/vgatext.h"

#define VGA_PHYS 0xb8000
#define VGA_ATTR 0x07		/* light grey on black */
#define CRTC_INDEX 0x3d4
#define CRTC_DATA  0x3d5

static volatile u16 *const vga = (volatile u16 *)(KERNEL_VMA + VGA_PHYS);
static int row, col;
static bool present;	/* text memory answered at init */

static void vga_move_cursor(void)
{
	u16 pos = (u16)(row * VGA_COLS + col);

	outb(CRTC_INDEX, 0x0f);
	outb(CRTC_DATA, pos & 0xff);
	outb(CRTC_INDEX, 0x0e);
	outb(CRTC_DATA, pos >> 8);
}

void vga_clear(void)
{
	for (int i = 0; i < VGA_ROWS * VGA_COLS; i++)
		vga[i] = (VGA_ATTR << 8) | ' ';
	row = col = 0;
	vga_move_cursor();
}

void vga_init(void)
{
	/* Firmware that never ran the VGA BIOS (QEMU's qboot) leaves no text
	 * mode behind: writes to 0xb8000 do not stick.  Probe once. */
	vga[0] = 0x5aa5;
	present = vga[0] == 0x5aa5;
	if (present)
		vga_clear();
}

bool vga_present(void)
{
	return present;
}

static void vga_scroll(void)
{
	for (int i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
		vga[i] = vga[i + VGA_COLS];
	for (int i = (VGA_ROWS - 1) * VGA_COLS; i < VGA_ROWS * VGA_COLS; i++)
		vga[i] = (VGA_ATTR << 8) | ' ';
	row = VGA_ROWS - 1;
}

void vga_putc(char c)
{
	if (!present)
		return;
	switch (c) {
	case '\n':
		col = 0;
		row++;
		break;
	case '\r':
		col = 0;
		break;
	case '\b':
		if (col > 0)
			vga[row * VGA_COLS + --col] = (VGA_ATTR << 8) | ' ';
		break;
	case '\t':
		col = (col + 8) & ~7;
		break;
	default:
		if ((u8)c < ' ')
			return;		/* other control characters: nothing */
		vga[row * VGA_COLS + col] = (VGA_ATTR << 8) | (u8)c;
		col++;
	}
	if (col >= VGA_COLS) {
		col = 0;
		row++;
	}
	if (row >= VGA_ROWS)
		vga_scroll();
	vga_move_cursor();
}

char vga_char_at(int r, int c)
{
	return (char)(vga[r * VGA_COLS + c] & 0xff);
}

int vga_cursor_row(void) { return row; }
int vga_cursor_col(void) { return col; }

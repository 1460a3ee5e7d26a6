/*
 * pic.c - the two cascaded 8259A PICs of the PC (master IRQ 0-7, slave
 * IRQ 8-15 on master line 2).  The initialisation words follow the 8259A
 * data sheet (ICW1..ICW4); all lines start masked and drivers unmask theirs
 * through irq_register().
 */
#include "arch/x86_64/pic.h"
#include "arch/x86_64/x86.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI   0x20
#define PIC_READ_ISR 0x0b

static u16 pic_mask_bits = 0xffff;	/* 1 = masked; bit 2 = cascade */

static void pic_write_mask(void)
{
	outb(PIC1_DATA, pic_mask_bits & 0xff);
	outb(PIC2_DATA, pic_mask_bits >> 8);
}

void pic_init(int vector_base)
{
	outb(PIC1_CMD, 0x11);		/* ICW1: edge, cascade, ICW4 follows */
	io_wait();
	outb(PIC2_CMD, 0x11);
	io_wait();
	outb(PIC1_DATA, vector_base);	/* ICW2: vector offsets */
	io_wait();
	outb(PIC2_DATA, vector_base + 8);
	io_wait();
	outb(PIC1_DATA, 1 << 2);	/* ICW3: slave on master line 2 */
	io_wait();
	outb(PIC2_DATA, 2);		/* ICW3: slave's cascade identity */
	io_wait();
	outb(PIC1_DATA, 0x01);		/* ICW4: 8086 mode */
	io_wait();
	outb(PIC2_DATA, 0x01);
	io_wait();
	pic_mask_bits = 0xffff & ~(1u << 2);
	pic_write_mask();
}

void pic_unmask(int irq)
{
	pic_mask_bits &= ~(1u << irq);
	pic_write_mask();
}

void pic_mask(int irq)
{
	pic_mask_bits |= 1u << irq;
	pic_write_mask();
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

static u8 pic_isr(u16 cmd_port)
{
	outb(cmd_port, PIC_READ_ISR);
	return inb(cmd_port);
}

bool pic_is_spurious(int irq)
{
	if (irq == 7 && !(pic_isr(PIC1_CMD) & 0x80))
		return true;
	if (irq == 15 && !(pic_isr(PIC2_CMD) & 0x80)) {
		outb(PIC1_CMD, PIC_EOI);	/* the master did see a real IRQ 2 */
		return true;
	}
	return false;
}

/*
 * uart16550.c - COM1, a 16550A UART at I/O port 0x3f8, IRQ 4.
 *
 * Output is polled: wait for the transmit holding register to empty (LSR
 * bit 5), write a byte.  Input is interrupt driven: the receive interrupt
 * moves bytes from the chip's FIFO into rx_ring, and console_getc() takes
 * them out, so keystrokes are not lost while the kernel is busy.
 *
 * rx_ring is a single-producer (the IRQ handler) single-consumer ring.
 * The consumer runs with interrupts disabled while it reads, which is the
 * whole of its locking on one CPU.
 *
 * Whoever waits for input can ask to be told when bytes arrive
 * (uart_set_rx_notify): the console file's readers sleep instead of
 * polling.
 *
 * Nothing typed or pasted is dropped: when the ring is full the handler
 * stops reading the chip and turns the receive interrupt off, so further
 * bytes wait in the UART (and QEMU holds them back, as a real line would
 * with flow control); the consumer turns it back on once it has made room.
 *
 * Registers (offset from 0x3f8; DLAB = LCR bit 7 selects the divisor):
 *   0 RBR/THR (DLL)  1 IER (DLM)  2 IIR/FCR  3 LCR  4 MCR  5 LSR
 */
#include "arch/x86_64/irq_vectors.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "drivers/serial/uart16550.h"

#define COM1 0x3f8
#define UART_RBR 0
#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR   0x01	/* data ready */
#define LSR_OE   0x02	/* overrun: the chip's FIFO lost a byte */
#define LSR_THRE 0x20	/* transmit holding register empty */
#define IER_RDA  0x01	/* interrupt on received data */
#define MCR_OUT2 0x08	/* gates the IRQ line to the PIC on PCs */

#define RX_RING_SIZE 256	/* power of two */

static char rx_ring[RX_RING_SIZE];
static volatile u32 rx_head;	/* written by the IRQ handler */
static volatile u32 rx_tail;	/* written by the consumer */
static u64 rx_overruns;	/* bytes the chip itself lost (LSR overrun) */
static bool rx_throttled;	/* ring was full: receive interrupt off */
static bool uart_present;
/* Called after the IRQ handler queued bytes, interrupts off (the console
 * file, fs/tty.c, wakes its readers); NULL: nobody to tell. */
static void (*rx_notify)(void);

void uart_init(void)
{
	outb(COM1 + UART_IER, 0);	/* no interrupts while configuring */
	outb(COM1 + UART_LCR, 0x80);	/* DLAB on */
	outb(COM1 + 0, 1);		/* divisor 1: 115200 baud */
	outb(COM1 + 1, 0);
	outb(COM1 + UART_LCR, 0x03);	/* 8 data bits, no parity, 1 stop */
	outb(COM1 + UART_FCR, 0xc7);	/* FIFOs on, cleared, 14-byte trigger */
	outb(COM1 + UART_MCR, 0x0b);	/* DTR, RTS, OUT2 */
	/* A missing UART reads back 0xff from every register. */
	uart_present = inb(COM1 + UART_LSR) != 0xff;
}

static u32 rx_count(void)
{
	return (rx_head - rx_tail) & (RX_RING_SIZE - 1);
}

static void uart_irq(struct trap_frame *tf)
{
	bool queued = false;

	(void)tf;
	for (;;) {
		u8 lsr = inb(COM1 + UART_LSR);

		if (lsr & LSR_OE)
			rx_overruns++;
		if (!(lsr & LSR_DR))
			break;
		u32 next = (rx_head + 1) & (RX_RING_SIZE - 1);

		if (next == rx_tail) {
			/* Full: leave the byte in the chip, stop interrupts. */
			rx_throttled = true;
			outb(COM1 + UART_IER, 0);
			break;
		}
		rx_ring[rx_head] = (char)inb(COM1 + UART_RBR);
		rx_head = next;
		queued = true;
	}
	if (queued && rx_notify)
		rx_notify();
}

void uart_set_rx_notify(void (*fn)(void))
{
	rx_notify = fn;
}

void uart_enable_rx_irq(void)
{
	if (!uart_present)
		return;
	irq_register(IRQ_COM1, uart_irq);
	outb(COM1 + UART_IER, IER_RDA);
	uart_irq(NULL);		/* bytes that arrived before the IRQ was on */
}

void uart_putc(char c)
{
	if (!uart_present)
		return;
	for (int spin = 0; spin < 100000 && !(inb(COM1 + UART_LSR) & LSR_THRE); spin++)
		cpu_relax();
	outb(COM1 + UART_THR, (u8)c);
}

int uart_getc(void)
{
	if (rx_tail == rx_head)
		return -1;
	char c = rx_ring[rx_tail];

	rx_tail = (rx_tail + 1) & (RX_RING_SIZE - 1);
	if (rx_throttled && rx_count() < RX_RING_SIZE / 2) {
		rx_throttled = false;
		outb(COM1 + UART_IER, IER_RDA);
		uart_irq(NULL);	/* take what waited in the chip */
	}
	return (u8)c;
}

u64 uart_rx_overruns(void)
{
	return rx_overruns;
}

/*
 * uart16550.h - the PC serial port COM1 (uart16550.c).
 */
#ifndef CANARY_DRIVERS_UART16550_H
#define CANARY_DRIVERS_UART16550_H

#include "lib/types.h"

void uart_init(void);
/* Unmask the receive interrupt; call once the IDT and PIC are ready. */
void uart_enable_rx_irq(void);
void uart_putc(char c);
/* Next received byte, or -1 if none.  Call with interrupts disabled or from
 * the only consumer (the console). */
int uart_getc(void);
/* Call fn from the receive interrupt (interrupts off) each time it has
 * queued bytes for uart_getc; fn must not sleep.  NULL: stop. */
void uart_set_rx_notify(void (*fn)(void));
/* Bytes the UART reported lost (line-status overrun). */
u64 uart_rx_overruns(void);

#endif

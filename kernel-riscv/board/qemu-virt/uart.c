/*
 * uart.c - the qemu virt board's console, a 16550. Output is polled (the
 * kernel prints rarely and never from a path that must not wait); input
 * interrupts are taken and the bytes dropped, as no process reads the
 * console yet.
 */
#include "defs.h"

#define RHR          0
#define THR          0
#define IER          1
#define FCR          2
#define LCR          3
#define LSR          5
#define LSR_RX_READY 0x01
#define LSR_TX_IDLE  0x20

static inline volatile uint8_t *uart_reg(int r)
{
	return (volatile uint8_t *)(BOARD_UART0 + r);
}

void ns16550_init(void)
{
	*uart_reg(IER) = 0x00;
	*uart_reg(LCR) = 0x80; /* baud latch */
	*uart_reg(0) = 0x03;   /* 38.4K */
	*uart_reg(1) = 0x00;
	*uart_reg(LCR) = 0x03; /* 8N1 */
	*uart_reg(FCR) = 0x07; /* FIFOs on and cleared */
	*uart_reg(IER) = 0x01; /* receive interrupts */
}

void ns16550_putc(int c)
{
	while ((*uart_reg(LSR) & LSR_TX_IDLE) == 0)
		;
	*uart_reg(THR) = (uint8_t)c;
}

void ns16550_intr(void)
{
	while (*uart_reg(LSR) & LSR_RX_READY)
		(void)*uart_reg(RHR);
}

/*
 * sifive_uart.c - SiFive's UART (sifive_u's console): polled output, input
 * interrupts taken and the bytes dropped, as for the 16550 of virt.
 */
#include "defs.h"

#define TXDATA      0x00 /* bit 31: the FIFO is full */
#define RXDATA      0x04 /* bit 31: the FIFO is empty */
#define TXCTRL      0x08
#define RXCTRL      0x0c
#define IE          0x10
#define FIFO_STATUS (1u << 31)
#define ENABLE      1u
#define IE_RXWM     2u

static inline volatile uint32_t *reg(uint32_t off)
{
	return (volatile uint32_t *)(BOARD_UART0 + off);
}

void sifive_uart_init(void)
{
	*reg(TXCTRL) = ENABLE;
	*reg(RXCTRL) = ENABLE; /* watermark 0: an interrupt per byte */
	*reg(IE) = IE_RXWM;
}

void sifive_uart_putc(int c)
{
	while (*reg(TXDATA) & FIFO_STATUS)
		;
	*reg(TXDATA) = (uint8_t)c;
}

void sifive_uart_intr(void)
{
	while (!(*reg(RXDATA) & FIFO_STATUS))
		;
}

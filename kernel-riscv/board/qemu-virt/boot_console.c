/*
 * boot_console.c - qemu virt's console and exit in M-mode, at physical
 * addresses, for the loader (loader/loader.h): the 16550's transmitter and
 * the sifive_test finisher, both polled, nothing initialised.
 */
#include <stdint.h>

#include "loader.h"

#define UART_THR 0x10000000u
#define UART_LSR 0x10000005u
#define LSR_THRE 0x20u
#define FINISHER 0x00100000u

void board_boot_putc(int c)
{
	while (!(*(volatile uint8_t *)UART_LSR & LSR_THRE))
		;
	*(volatile uint8_t *)UART_THR = (uint8_t)c;
}

void board_boot_exit(uint32_t code)
{
	*(volatile uint32_t *)FINISHER = code ? code << 16 | 0x3333u : 0x5555u;
	for (;;)
		asm volatile("wfi");
}

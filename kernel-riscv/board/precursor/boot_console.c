/*
 * boot_console.c - Precursor's console and exit in M-mode, at physical
 * addresses, for the loader (loader/loader.h): LiteX's UART, polled; the
 * board has no exit device, so the hart parks.
 */
#include <stdint.h>

#include "board.h"
#include "loader.h"

void board_boot_putc(int c)
{
	volatile uint32_t *uart = (volatile uint32_t *)BOARD_UART0_PA;

	while (uart[1]) /* txfull */
		;
	uart[0] = (uint8_t)c;
}

void board_boot_exit(uint32_t code)
{
	(void)code;
	for (;;)
		asm volatile("wfi");
}

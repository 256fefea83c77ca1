/*
 * htif.c - spike's host-target interface (qemu's, at the device tree's
 * address): fromhost at htif + 0, tohost at htif + 8, a 64-bit word written
 * low half first (the high half's write hands the command over). Device 1 command 1 writes a console byte; device 0
 * with bit 0 set exits with the status in the bits above.
 */
#include "defs.h"

static void tohost(uint32_t hi, uint32_t lo)
{
	volatile uint32_t *to = (volatile uint32_t *)(BOARD_HTIF + 8);

	while (to[0] | to[1]) /* the previous command still pending */
		;
	to[0] = lo;
	to[1] = hi;
}

void htif_putc(int c)
{
	tohost(0x01010000u, (uint8_t)c);
}

void htif_exit(uint32_t code)
{
	tohost(0, code << 1 | 1);
	for (;;)
		asm volatile("wfi");
}

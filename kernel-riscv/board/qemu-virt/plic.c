/* plic.c - the qemu virt board's interrupt controller: the UART's interrupt
 * goes to hart 0's S-mode context. */
#include "defs.h"

void plic_init(void)
{
	volatile uint32_t *prio = (volatile uint32_t *)BOARD_PLIC_PRIORITY;

	prio[BOARD_UART0_IRQ] = 1;
	*(volatile uint32_t *)BOARD_PLIC_SENABLE = 1u << BOARD_UART0_IRQ;
	*(volatile uint32_t *)BOARD_PLIC_STHRESHOLD = 0;
}

int plic_claim(void)
{
	return (int)*(volatile uint32_t *)BOARD_PLIC_SCLAIM;
}

void plic_complete(int irq)
{
	*(volatile uint32_t *)BOARD_PLIC_SCLAIM = (uint32_t)irq;
}

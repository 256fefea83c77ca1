/* plic.c - the qemu virt board's interrupt controller: the UART's interrupt
 * and those user handlers claim (irq.c) go to hart 0's S-mode context. */
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

/* Route irq (1..31) to hart 0's S-mode context, or stop routing it. */
void plic_enable(int irq, bool on)
{
	volatile uint32_t *prio = (volatile uint32_t *)BOARD_PLIC_PRIORITY;
	volatile uint32_t *enable = (volatile uint32_t *)BOARD_PLIC_SENABLE;

	prio[irq] = on ? 1 : 0;
	*enable = on ? *enable | 1u << irq : *enable & ~(1u << irq);
}

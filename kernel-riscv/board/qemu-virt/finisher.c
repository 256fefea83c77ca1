/* finisher.c - leave qemu through the sifive_test device with a status. */
#include "defs.h"

void sifive_test_exit(uint32_t code)
{
	volatile uint32_t *fin = (volatile uint32_t *)dev_va(QEMU_SIFIVE_TEST);

	if (code == 0)
		*fin = BOARD_FINISHER_PASS;
	else
		*fin = ((code & 0xffffu) << 16) | BOARD_FINISHER_FAIL;
	for (;;)
		asm volatile("wfi");
}

/*
 * boot_zkr.c - entropy from the Zkr extension's seed CSR (qemu: -cpu
 * ...,zkr=true), which only M-mode may read here: boot_board.c collects the
 * kernel's seed into boot_info. Each read yields 16 bits when its status is
 * ES16.
 */
#include "boot.h"
#include "board.h"
#include "riscv.h"

#define SEED_ES16  2u
#define SEED_DEAD  3u
#define SEED_TRIES 100000u /* reads per 16 bits before the source counts as absent */

bool zkr_seed(void *out, uint32_t len)
{
	uint8_t *o = out;

	for (uint32_t i = 0; i < len; i += 2) {
		uint32_t v = 0, tries = 0;
		do {
			asm volatile(ZICSR("csrrw %0, 0x015, zero") : "=r"(v));
			if (v >> 30 == SEED_DEAD || ++tries > SEED_TRIES)
				return false;
		} while (v >> 30 != SEED_ES16);
		o[i] = (uint8_t)v;
		if (i + 1 < len)
			o[i + 1] = (uint8_t)(v >> 8);
	}
	return true;
}

/*
 * boot_board.c - qemu's machines in M-mode, before the kernel (boot.h's
 * board_boot): RAM and the timer's rate from the device tree, the CLINT's
 * timer, and the kernel's seed from the Zkr seed CSR where the hart has one
 * (only M-mode may read it).
 */
#include "boot.h"
#include "defs.h"

#define CLINT_MTIMECMP 0x02004000u
#define CLINT_MTIME    0x0200bff8u

void board_boot(struct boot_info *bi, struct boot_timer *t)
{
	uint32_t hz;

	if (!fdt_memory(bi->fdt, &bi->ram_base, &bi->ram_size) ||
	    !fdt_u32(bi->fdt, "/cpus", "timebase-frequency", &hz) || hz < TICK_HZ)
		bi->ram_size = 0; /* boot_page_tables refuses it */
	t->mtime = CLINT_MTIME;
	t->mtimecmp = CLINT_MTIMECMP + 8 * bi->hart;
	t->interval = hz / TICK_HZ;
	if (fdt_cpu_has_ext(bi->fdt, bi->hart, "zkr") && zkr_seed(bi->seed, sizeof(bi->seed)))
		bi->seed_len = sizeof(bi->seed);
}

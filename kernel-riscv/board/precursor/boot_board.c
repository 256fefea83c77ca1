/*
 * boot_board.c - Precursor in M-mode, before the kernel (boot.h's
 * board_boot): RAM is the SoC's SRAM (no device tree), and M-mode keeps no
 * timer (no CLINT): the tick is timer0's interrupt, which S-mode takes
 * itself (precursor.c).
 */
#include "board.h"
#include "boot.h"

void board_boot(struct boot_info *bi, struct boot_timer *t)
{
	bi->ram_base = PRECURSOR_RAM_BASE;
	bi->ram_size = PRECURSOR_RAM_SIZE;
	t->mtime = 0;
}

/*
 * loader.h - the loader (main.c): the boot stage of an image in flash, at
 * Precursor's flash layout (docs/kernel-riscv.md, "Boot image and loader"):
 *
 *   0x20000000  the gateware (Precursor); qemu virt's reset jumps here: reset.S
 *   0x20500000  the loader: a 4 KiB signature block, its code at 0x20501000
 *   0x20980000  the image: a 4 KiB signature block, then the argument block
 *               (image/xarg.h) with its payloads, at most LOADER_IMAGE_MAX bytes
 */
#ifndef LOADER_H
#define LOADER_H

#include <stdint.h>

#define LOADER_FLASH     0x20000000u
#define LOADER_IMAGE     0x20980000u
#define LOADER_SIGBLOCK  0x1000u
#define LOADER_IMAGE_MAX (0x01400000u - LOADER_SIGBLOCK) /* Precursor's kernel region */
#define LOADER_EXIT_BAD  126u /* the status a refused image ends the board with */

/* The board's M-mode console and exit (board/<board>/boot_console.c). */
void board_boot_putc(int c);
void board_boot_exit(uint32_t code) __attribute__((noreturn));

#endif /* LOADER_H */

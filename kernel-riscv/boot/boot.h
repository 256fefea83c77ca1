/*
 * boot.h - the boot stage's hand-over to the kernel, and the functions any
 * M-mode boot stage (qemu's ELF entry, a flash loader) builds it with.
 * The boot stage runs in M-mode at physical addresses with paging off; it
 * uses nothing of the kernel but these functions and its own memory.
 *
 * The kernel's entry convention: S-mode at BOOT_KERNEL_VA (the first byte
 * of the kernel's image), satp = Sv32 over the root boot_page_tables built,
 * SIE off, a0 = the linear-map address of a struct boot_info (which the
 * kernel copies before it allocates). Every trap is delegated to S-mode but
 * M-mode's own timer (boot_mtimer), which it forwards as SSIP.
 *
 * Kernel address space (Sv32), the same in every process's page table:
 *   BOOT_LINEAR_VA .. +1 GiB   RAM from ram_base, read/write, megapages
 *   BOOT_DEVICE_VA ..          the kernel's device windows (vm.c maps them)
 *   BOOT_KERNEL_VA .. 4 GiB    the kernel's image: text and rodata R+X,
 *                              data and bss R+W, 4 KiB pages
 */
#ifndef BOOT_H
#define BOOT_H

#include <stdint.h>

#define BOOT_LINEAR_VA  0xa0000000u
#define BOOT_LINEAR_MAX 0x40000000u /* RAM beyond the first 1 GiB is not used */
#define BOOT_DEVICE_VA  0xe0000000u
#define BOOT_KERNEL_VA  0xffd00000u
#define BOOT_KERNEL_MAX (0u - BOOT_KERNEL_VA) /* 3 MiB: the image's text to its bss */
#define BOOT_INFO_MAGIC 0x544f4258u           /* "XBOT" */

struct boot_info {
	uint32_t magic;              /* BOOT_INFO_MAGIC */
	uint32_t hart;               /* the boot hart (mhartid) */
	uint32_t fdt;                /* the device tree's physical address; 0: none */
	uint32_t ram_base, ram_size; /* RAM (ram_base 4 MiB aligned) */
	uint32_t kernel_pa;          /* BOOT_KERNEL_VA maps here (4 KiB aligned) */
	uint32_t kernel_text;        /* bytes of text and rodata from kernel_pa */
	uint32_t kernel_size;        /* bytes of the whole image, its bss included */
	uint32_t free_pa;            /* RAM below it holds the boot stage, kernel, tables */
	uint32_t root_pa;            /* the kernel's root page table (satp's) */
	uint32_t args;               /* an image's argument block (physical); 0: none */
	uint32_t seed_len;           /* bytes of seed: entropy only M-mode could read */
	uint8_t seed[32];
};

/* The kernel's page tables at free_pa (which they then lie below): RAM's
 * linear map and the kernel's image; fills root_pa, moves free_pa. Returns
 * 0, or -1 if the RAM or the image does not fit the layout above. */
int boot_page_tables(struct boot_info *bi);

/* M-mode forwards its timer as a supervisor software interrupt every
 * interval ticks of mtime (CLINT-style registers; scratch: 8 words that
 * stay M-mode's). */
void boot_mtimer(uint32_t *scratch, uint32_t mtime, uint32_t mtimecmp, uint32_t interval);

/* The board's M-mode part (board/<board>/boot_board.c): RAM into bi (from
 * bi->fdt, or what the board has), M-mode's timer into t (mtime 0: none),
 * and whatever only M-mode may do. */
struct boot_timer {
	uint32_t mtime, mtimecmp, interval;
};
void board_boot(struct boot_info *bi, struct boot_timer *t);

/* Leave M-mode into the kernel as the convention above says; mstatus_set
 * adds bits to the mstatus mret takes (SPP/SPIE as a reset left them). */
void boot_enter(const struct boot_info *bi, uint32_t mstatus_set) __attribute__((noreturn));

/* M-mode's trap vectors (mtrap.S): the timer's, and the one for every other
 * trap, which calls the boot stage's boot_fault and then parks the hart. */
void boot_timervec(void);
void boot_mfaultvec(void);
void boot_fault(uint32_t mcause, uint32_t mepc, uint32_t mtval);

#endif /* BOOT_H */

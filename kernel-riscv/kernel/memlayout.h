/*
 * memlayout.h - every address of the kernel and of a user address space.
 *
 * The kernel runs at BOOT_KERNEL_VA whatever the physical RAM base; its
 * part of the address space (boot.h) is in every process's Sv32 page table,
 * supervisor-only, so a trap needs no page-table switch and no trampoline
 * page; only a switch between processes writes satp.
 *
 *   0x00000000  unmapped; USER_THREAD_EXIT and USER_IRQ_RETURN are here
 *   0x00400000  user programs are linked here (USER_ELF_BASE .. USER_ELF_TOP)
 *   0x20000000  heap (sbrk of the user runtime, MapMemory at a fixed address)
 *   0x40000000  MapMemory and lent pages (USER_MMAP_BASE .. USER_MMAP_TOP)
 *   0x7f000000  main thread's stack, growing down from USER_STACK_TOP
 *   0x80000000  unmapped
 *   0xa0000000  the kernel: RAM's linear map (up to 1 GiB), supervisor-only
 *   0xe0000000  the kernel: device windows (board.mmio, 4 MiB each)
 *   0xffd00000  the kernel's image
 */
#ifndef MEMLAYOUT_H
#define MEMLAYOUT_H

#include "board.h"
#include "boot.h"

/* RAM as the boot stage mapped it */
#define KERNBASE (board.ram_base)
#define PHYSTOP  (board.ram_base + board.ram_size)
#define POOLBASE (PHYSTOP - board.pool_size) /* vm's pool: POOLBASE .. PHYSTOP */

/* A physical address of RAM and its address in the linear map. */
#define P2V(pa) ((void *)((uint32_t)(pa)-KERNBASE + BOOT_LINEAR_VA))
#define V2P(va) ((uint32_t)(va)-BOOT_LINEAR_VA + KERNBASE)

#define USER_THREAD_EXIT 0x00001000u /* a returning thread jumps here and faults: exit */
#define USER_IRQ_RETURN  0x00002000u /* a returning interrupt handler jumps here (irq.c) */
#define USER_HOOK_RETURN 0x00003000u /* a hooked task's answered call resumes here (hook.c) */
#define USER_ELF_BASE    0x00400000u
#define USER_ELF_TOP     0x20000000u
#define USER_HEAP_BASE   0x20000000u
#define USER_MMAP_BASE   0x40000000u
#define USER_MMAP_TOP    0x7f000000u
#define USER_STACK_TOP   0x7ffff000u /* one unmapped page above it */
#define USER_TOP         0x80000000u

#endif /* MEMLAYOUT_H */

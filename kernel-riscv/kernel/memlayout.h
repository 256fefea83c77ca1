/*
 * memlayout.h - every address of the kernel and of a user address space.
 *
 * The kernel is identity-mapped (supervisor-only megapages) into every
 * process's Sv32 address space, so a trap needs no page-table switch and no
 * trampoline page; only a switch between processes writes satp.
 *
 *   0x00000000  kernel-only megapage (sifive_test); USER_THREAD_EXIT is here
 *   0x00400000  user programs are linked here (USER_ELF_BASE .. USER_ELF_TOP)
 *   0x0c000000  kernel-only: PLIC;  0x10000000 kernel-only: UART
 *   0x20000000  heap (sbrk of the user runtime, MapMemory at a fixed address)
 *   0x40000000  MapMemory and lent pages (USER_MMAP_BASE .. USER_MMAP_TOP)
 *   0x7f000000  main thread's stack, growing down from USER_STACK_TOP
 *   0x80000000  kernel RAM, identity-mapped, supervisor-only
 */
#ifndef MEMLAYOUT_H
#define MEMLAYOUT_H

#include "board.h"

#define KERNBASE BOARD_RAM_BASE
#define PHYSTOP  (BOARD_RAM_BASE + BOARD_RAM_SIZE)
#define POOLBASE (PHYSTOP - BOARD_PHYS_POOL_SIZE) /* vm's pool: POOLBASE .. PHYSTOP */

#define USER_THREAD_EXIT 0x00001000u /* a returning thread jumps here and faults: exit */
#define USER_IRQ_RETURN  0x00002000u /* a returning interrupt handler jumps here (irq.c) */
#define USER_ELF_BASE    0x00400000u
#define USER_ELF_TOP     0x0c000000u
#define USER_HEAP_BASE   0x20000000u
#define USER_MMAP_BASE   0x40000000u
#define USER_MMAP_TOP    0x7f000000u
#define USER_STACK_TOP   0x7ffff000u /* one unmapped page below the kernel */
#define USER_TOP         0x80000000u

#endif /* MEMLAYOUT_H */

/*
 * xous/rv32.h - what kernel-riscv adds to the contract, shared by the kernel
 * and its user runtime. Syscall numbers here are outside Xous's range; they
 * serve the platform files of the well-known servers (clock, console).
 */
#ifndef XOUS_RV32_H
#define XOUS_RV32_H

/* Write a1 = address, a2 = length bytes (at most 4096) of the caller's
 * memory to the console. Result Scalar1(bytes written). Bytes that are not
 * the caller's to read end the process, as any bad pointer does. */
#define XK_SYS_CONSOLE_WRITE 1000

/* Block the calling thread until the monotonic clock reaches a1 (low) a2
 * (high) milliseconds, or until a thread of the same process calls
 * XK_SYS_TIMER_KICK. a1 = a2 = 0xffffffff: no deadline. Result Ok. */
#define XK_SYS_TIMER_WAIT 1001

/* Wake every thread of the caller's process in XK_SYS_TIMER_WAIT; if none
 * waits, the next XK_SYS_TIMER_WAIT of the process returns at once. Ok. */
#define XK_SYS_TIMER_KICK 1002

/* Scalar5(a1, a2 = monotonic ms since boot, low and high;
 *         a3, a4 = UTC ms since 1970 from the board's clock, low and high). */
#define XK_SYS_CLOCK 1003

#define XK_NO_DEADLINE 0xffffffffu

#endif /* XOUS_RV32_H */

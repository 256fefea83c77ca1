/*
 * board.h - qemu's RISC-V machines (virt, spike, sifive_u): one kernel for
 * the three, which machine.c tells apart by the device tree qemu passes.
 * The names the drivers use, over the machine found at boot (board). The
 * addresses here are physical: a driver reaches them through dev_va.
 */
#ifndef BOARD_H
#define BOARD_H

#define BOARD_NAME (board.name)

/* sifive_test (virt): a write ends qemu (0x5555 pass, (code << 16) | 0x3333 fail). */
#define BOARD_FINISHER_PASS 0x5555u
#define BOARD_FINISHER_FAIL 0x3333u
#define QEMU_SIFIVE_TEST    0x00100000u

/* goldfish RTC (virt): nanoseconds since 1970 (reading the low word latches the high). */
#define BOARD_RTC 0x00101000u

/* PLIC: the boot hart's S-mode context. */
#define BOARD_PLIC            0x0c000000u /* physical; qemu_plic: the kernel's window */
#define BOARD_PLIC_PRIORITY   qemu_plic
#define BOARD_PLIC_SENABLE    (qemu_plic + 0x2000u + 0x80u * qemu_plic_context)
#define BOARD_PLIC_STHRESHOLD (qemu_plic + 0x200000u + 0x1000u * qemu_plic_context)
#define BOARD_PLIC_SCLAIM     (BOARD_PLIC_STHRESHOLD + 4u)

/* The console UART (virt: a 16550, sifive_u: SiFive's; spike has HTIF),
 * at its address in the kernel's device windows (dev_va). */
#define BOARD_UART0     qemu_uart
#define BOARD_UART0_IRQ ((int)qemu_uart_irq)

/* virtio-mmio transports (virt), each 4 KiB; the entropy device is one of them. */
#define BOARD_VIRTIO        0x10001000u
#define BOARD_VIRTIO_STRIDE 0x1000u
#define BOARD_VIRTIO_COUNT  8
#define BOARD_VIRTIO_IRQ    1 /* the first transport's interrupt; the others follow */

/* spike's HTIF (its console and exit), in the kernel's device windows. */
#define BOARD_HTIF qemu_htif

#define BOARD_TIMEBASE_HZ (board.timebase_hz)

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>
extern uint32_t qemu_plic_context, qemu_uart, qemu_uart_irq, qemu_htif, qemu_plic;

/* The drivers machine.c picks from, one file each. */
void ns16550_init(void);
void ns16550_putc(int c);
void ns16550_intr(void);
void sifive_uart_init(void);
void sifive_uart_putc(int c);
void sifive_uart_intr(void);
void htif_putc(int c);
void htif_exit(uint32_t code) __attribute__((noreturn));
void sifive_test_exit(uint32_t code) __attribute__((noreturn));
void semihosting_exit(uint32_t code) __attribute__((noreturn));
uint64_t goldfish_rtc_ns(void);
bool virtio_rng(void *out, uint32_t len);
bool zkr_seed(void *out, uint32_t len); /* M-mode only (boot_zkr.c) */
#endif

#endif /* BOARD_H */

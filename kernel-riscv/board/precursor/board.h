/*
 * board.h - Precursor: a LiteX SoC with a VexRiscv RV32IMAC (Sv32), 16 MiB
 * of SRAM at 0x40000000, SPI flash at 0x20000000 and its devices on the CSR
 * bus at 0xf0000000 (addresses as Xous's utralib has them for
 * precursor_dvt). No CLINT and no PLIC: the tick is LiteX's timer0, and
 * VexRiscv's own CSRs mask and show S-mode's external interrupts.
 * Addresses here are physical; the kernel reaches them through dev_va.
 */
#ifndef BOARD_H
#define BOARD_H

#define BOARD_NAME        "precursor"
#define BOARD_TIMEBASE_HZ 1000u /* the clock: LiteX's ticktimer counts milliseconds */

#define PRECURSOR_RAM_BASE  0x40000000u
#define PRECURSOR_RAM_SIZE  0x01000000u
#define PRECURSOR_CSR_BUS   0xf0000000u /* one 4 MiB window holds every device below */
#define PRECURSOR_SYSCLK_HZ 100000000u  /* timer0 counts the system clock */

/* LiteX's timer0: 32-bit registers a word apart (load, reload, en, ev_status, ev_pending, ev_enable). */
#define PRECURSOR_TIMER0     0xf0001000u
#define PRECURSOR_TIMER0_IRQ 0
/* LiteX's UART (rxtx, txfull, rxempty, ev_status, ev_pending, ev_enable). */
#define BOARD_UART0_PA  0xf0005000u
#define BOARD_UART0_IRQ 2
/* LiteX's ticktimer: time1 (high word) at +4, time0 (low word) at +8, in ms. */
#define PRECURSOR_TICKTIMER 0xf0012000u
/* The kernel's TRNG (status, data, urandom, urandom_valid, ...). */
#define PRECURSOR_TRNG_KERNEL 0xf001c000u

/* VexRiscv's supervisor external interrupt mask (read-write) and pending (read-only). */
#define CSR_VEX_SIM 0x9c0
#define CSR_VEX_SIP 0xdc0

/* No virtio transports: BOARD_VIRTIO is the device page whose mapping right
 * tells a driver (irq.c), the UART's; the runtime's virtio.c finds none. */
#define BOARD_VIRTIO        BOARD_UART0_PA
#define BOARD_VIRTIO_STRIDE 0x1000u
#define BOARD_VIRTIO_COUNT  0
#define BOARD_VIRTIO_IRQ    0

#endif /* BOARD_H */

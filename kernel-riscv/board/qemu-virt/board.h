/*
 * board.h - the qemu "virt" machine: every device address and board constant.
 * A Precursor board gets a sibling folder with the same names.
 */
#ifndef BOARD_H
#define BOARD_H

#define BOARD_NAME "qemu-virt"

/* sifive_test: a write ends qemu (0x5555 pass, (code << 16) | 0x3333 fail). */
#define BOARD_FINISHER      0x00100000u
#define BOARD_FINISHER_PASS 0x5555u
#define BOARD_FINISHER_FAIL 0x3333u

/* goldfish RTC: nanoseconds since 1970 (reading the low word latches the high). */
#define BOARD_RTC 0x00101000u

/* CLINT: M-mode only (the S-mode kernel sees the timer as a software interrupt). */
#define BOARD_CLINT          0x02000000u
#define BOARD_CLINT_MTIMECMP (BOARD_CLINT + 0x4000u) /* hart 0 */
#define BOARD_CLINT_MTIME    (BOARD_CLINT + 0xbff8u)
#define BOARD_TIMEBASE_HZ    10000000u

/* PLIC, hart 0 S-mode context (context 1). */
#define BOARD_PLIC            0x0c000000u
#define BOARD_PLIC_PRIORITY   BOARD_PLIC
#define BOARD_PLIC_SENABLE    (BOARD_PLIC + 0x2080u)
#define BOARD_PLIC_STHRESHOLD (BOARD_PLIC + 0x201000u)
#define BOARD_PLIC_SCLAIM     (BOARD_PLIC + 0x201004u)

/* 16550 UART. */
#define BOARD_UART0     0x10000000u
#define BOARD_UART0_IRQ 10

/* virtio-mmio transports, each 4 KiB; the entropy device is one of them. */
#define BOARD_VIRTIO        0x10001000u
#define BOARD_VIRTIO_STRIDE 0x1000u
#define BOARD_VIRTIO_COUNT  8
#define BOARD_VIRTIO_IRQ    1 /* the first transport's interrupt; the others follow */

/* RAM (qemu's default -m 128M). */
#define BOARD_RAM_BASE 0x80000000u
#define BOARD_RAM_SIZE (128u * 1024 * 1024)

/* The physical pool vm hands out (kernel/phys.c): the top of RAM, kept
 * out of the kernel's own allocator. A smaller board sets less. */
#define BOARD_PHYS_POOL_SIZE (16u * 1024 * 1024)

/* Device registers a process the fleet names phys=devices may map
 * (MapMemory with phys): {base, size} each. */
#define BOARD_DEVICES                                                                              \
	{                                                                                          \
		{BOARD_RTC, 0x1000u}, {BOARD_UART0, 0x1000u},                                      \
		{                                                                                  \
			BOARD_VIRTIO, BOARD_VIRTIO_STRIDE *BOARD_VIRTIO_COUNT                      \
		}                                                                                  \
	}

/* 4 MiB megapages the kernel maps for itself (supervisor-only) in every
 * address space: the finisher, the PLIC and the UART (with the virtio ones). */
#define BOARD_MMIO_MEGAPAGES                                                                       \
	{                                                                                          \
		BOARD_FINISHER & ~0x3fffffu, BOARD_PLIC, BOARD_PLIC + 0x400000u, BOARD_UART0       \
	}
#define BOARD_MMIO_MEGAPAGE_COUNT 4

#endif /* BOARD_H */

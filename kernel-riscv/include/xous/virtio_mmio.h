/*
 * <xous/virtio_mmio.h> - the virtio-mmio transport (virtio 1.2 section
 * 4.2), shared by the kernel's entropy device (board/qemu-virt/virtio_rng.c)
 * and the user-space drivers' helper (servers/virtio.c): the registers,
 * the driver's start-up handshake and a split virtqueue's set-up, for both
 * transport versions: 1 (legacy, qemu's default) and 2 (virtio 1.x).
 * regs is the transport's page as the caller sees it; addresses given to
 * the device are physical.
 */
#ifndef XOUS_VIRTIO_MMIO_H
#define XOUS_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#define VIRTIO_MAGIC         0x74726976u /* "virt" */
#define VIRTIO_PAGE          4096u
#define VIRTQ_DESC_F_NEXT    1
#define VIRTQ_DESC_F_WRITE   2
#define VIRTIO_F_VERSION_1_W 1u /* bit 32: bit 0 of feature word 1 */

/* Transport registers, as indexes of 32-bit words. */
enum {
	VIRTIO_R_MAGIC = 0x000 / 4,
	VIRTIO_R_VERSION = 0x004 / 4,
	VIRTIO_R_DEVICE_ID = 0x008 / 4,
	VIRTIO_R_DEVICE_FEATURES = 0x010 / 4,
	VIRTIO_R_DEVICE_FEATURES_SEL = 0x014 / 4,
	VIRTIO_R_DRIVER_FEATURES = 0x020 / 4,
	VIRTIO_R_DRIVER_FEATURES_SEL = 0x024 / 4,
	VIRTIO_R_GUEST_PAGE_SIZE = 0x028 / 4, /* version 1 */
	VIRTIO_R_QUEUE_SEL = 0x030 / 4,
	VIRTIO_R_QUEUE_NUM_MAX = 0x034 / 4,
	VIRTIO_R_QUEUE_NUM = 0x038 / 4,
	VIRTIO_R_QUEUE_ALIGN = 0x03c / 4, /* version 1 */
	VIRTIO_R_QUEUE_PFN = 0x040 / 4,   /* version 1 */
	VIRTIO_R_QUEUE_READY = 0x044 / 4, /* version 2 */
	VIRTIO_R_QUEUE_NOTIFY = 0x050 / 4,
	VIRTIO_R_INTERRUPT_STATUS = 0x060 / 4,
	VIRTIO_R_INTERRUPT_ACK = 0x064 / 4,
	VIRTIO_R_STATUS = 0x070 / 4,
	VIRTIO_R_QUEUE_DESC = 0x080 / 4, /* version 2: low words; the high ones follow */
	VIRTIO_R_QUEUE_DRIVER = 0x090 / 4,
	VIRTIO_R_QUEUE_DEVICE = 0x0a0 / 4,
	VIRTIO_R_CONFIG = 0x100 / 4, /* the device's own configuration */
};
enum {
	VIRTIO_S_ACKNOWLEDGE = 1,
	VIRTIO_S_DRIVER = 2,
	VIRTIO_S_DRIVER_OK = 4,
	VIRTIO_S_FEATURES_OK = 8,
};

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

/* Reset the device and take it through the driver's handshake (virtio 1.2
 * section 3.1.1) up to FEATURES_OK, accepting the device's features among
 * `features` (word 0; version 2 also takes VIRTIO_F_VERSION_1). The
 * features accepted, or -1 if the device is not one this driver can use. */
static inline int64_t virtio_mmio_start(volatile uint32_t *regs, uint32_t features)
{
	uint32_t version = regs[VIRTIO_R_VERSION], offered;

	if (regs[VIRTIO_R_MAGIC] != VIRTIO_MAGIC || (version != 1 && version != 2))
		return -1;
	regs[VIRTIO_R_STATUS] = 0;
	regs[VIRTIO_R_STATUS] = VIRTIO_S_ACKNOWLEDGE;
	regs[VIRTIO_R_STATUS] = VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER;
	regs[VIRTIO_R_DEVICE_FEATURES_SEL] = 0;
	offered = regs[VIRTIO_R_DEVICE_FEATURES] & features;
	regs[VIRTIO_R_DRIVER_FEATURES_SEL] = 0;
	regs[VIRTIO_R_DRIVER_FEATURES] = offered;
	if (version == 2) {
		regs[VIRTIO_R_DEVICE_FEATURES_SEL] = 1;
		if (!(regs[VIRTIO_R_DEVICE_FEATURES] & VIRTIO_F_VERSION_1_W))
			return -1;
		regs[VIRTIO_R_DRIVER_FEATURES_SEL] = 1;
		regs[VIRTIO_R_DRIVER_FEATURES] = VIRTIO_F_VERSION_1_W;
		regs[VIRTIO_R_STATUS] =
		        VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER | VIRTIO_S_FEATURES_OK;
		if (!(regs[VIRTIO_R_STATUS] & VIRTIO_S_FEATURES_OK))
			return -1;
	}
	return offered;
}

/* Give queue `index` of `size` descriptors its rings: the descriptor table
 * at desc (page aligned), the available ring right after it, the used ring
 * at used (the next page boundary after the available ring, as version 1
 * requires). false if the device has no such queue or a smaller one. */
static inline bool virtio_mmio_queue(volatile uint32_t *regs, uint32_t index, uint32_t size,
                                     uint32_t desc, uint32_t used)
{
	regs[VIRTIO_R_QUEUE_SEL] = index;
	if (regs[VIRTIO_R_QUEUE_NUM_MAX] < size)
		return false;
	regs[VIRTIO_R_QUEUE_NUM] = size;
	if (regs[VIRTIO_R_VERSION] == 1) {
		regs[VIRTIO_R_GUEST_PAGE_SIZE] = VIRTIO_PAGE;
		regs[VIRTIO_R_QUEUE_ALIGN] = VIRTIO_PAGE;
		regs[VIRTIO_R_QUEUE_PFN] = desc / VIRTIO_PAGE;
	} else {
		regs[VIRTIO_R_QUEUE_DESC] = desc;
		regs[VIRTIO_R_QUEUE_DESC + 1] = 0;
		regs[VIRTIO_R_QUEUE_DRIVER] = desc + size * (uint32_t)sizeof(struct virtq_desc);
		regs[VIRTIO_R_QUEUE_DRIVER + 1] = 0;
		regs[VIRTIO_R_QUEUE_DEVICE] = used;
		regs[VIRTIO_R_QUEUE_DEVICE + 1] = 0;
		regs[VIRTIO_R_QUEUE_READY] = 1;
	}
	return true;
}

/* The driver is ready: the device may use its queues. */
static inline void virtio_mmio_ready(volatile uint32_t *regs)
{
	regs[VIRTIO_R_STATUS] = regs[VIRTIO_R_STATUS] | VIRTIO_S_DRIVER_OK;
}

#endif /* XOUS_VIRTIO_MMIO_H */

/*
 * virtio.h - the user-space drivers' virtio-mmio helper (RV32): find a
 * device on the board's transports, map its registers, claim its
 * interrupt, set up split virtqueues in DMA memory from the vm server, put
 * descriptor chains on them and take back the used ones. Interrupt-driven:
 * the handler acknowledges the device and wakes the driver with a Scalar to
 * a server of the driver's own, on which it waits (virtio_wait).
 */
#ifndef XOUS_RV32_VIRTIO_H
#define XOUS_RV32_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xous.h>
#include <xous/virtio_mmio.h>

#define VIRTQ_SIZE 64 /* descriptors per queue */
#define VIRTQ_NONE 0xffffu

struct virtq {
	volatile uint32_t *regs;
	uint16_t index;
	volatile struct virtq_desc *desc;
	volatile uint16_t *avail; /* flags, idx, ring[VIRTQ_SIZE], used_event */
	volatile uint32_t *used;  /* flags|idx, then ring[] of {id, len} */
	uint16_t last_used;       /* the used index taken up to */
	uint16_t free_head, nfree;
};

struct virtio {
	volatile uint32_t *regs; /* the transport's page, mapped */
	uint32_t irq;
	uint32_t features; /* word 0 of the features the device accepted */
	xous_sid_t wake;   /* the handler's Scalars arrive here */
	xous_cid_t wake_cid;
	uint32_t pending; /* interrupt status bits the handler saw, not yet taken */
};

/* One buffer of a chain: physical address, length, device-writable or not. */
struct virtq_buf {
	uint32_t paddr, len;
	bool device_writes;
};

/* Find the first transport with device_id that no other process maps, map
 * it, start it with `features` (word 0; virtio_mmio_start) and claim its
 * interrupt. NotFound if there is none. */
xous_err_t virtio_open(uint32_t device_id, uint32_t features, struct virtio *v);
/* Word i of the device's configuration space. */
uint32_t virtio_config(const struct virtio *v, uint32_t i);
/* Queue `index` with VIRTQ_SIZE descriptors in fresh DMA pages. */
xous_err_t virtq_open(struct virtio *v, uint16_t index, struct virtq *q);
/* After the queues: the device may work (DRIVER_OK). */
void virtio_start(struct virtio *v);
/* Put the chain of n buffers on q and notify the device: its head, or
 * VIRTQ_NONE if q has fewer than n free descriptors. */
uint16_t virtq_submit(struct virtq *q, const struct virtq_buf *bufs, unsigned n);
/* A chain the device is done with: true with its head and the bytes it
 * wrote; its descriptors are free again. */
bool virtq_take(struct virtq *q, uint16_t *head, uint32_t *written);
/* Wait for the device's next interrupt (no polling): returns once the
 * handler has run since the last call. */
xous_err_t virtio_wait(struct virtio *v);
/* DMA memory: num_pages fresh zeroed pages, contiguous in physical memory. */
xous_err_t virtio_dma_alloc(size_t num_pages, void **vaddr, uint32_t *paddr);

#endif

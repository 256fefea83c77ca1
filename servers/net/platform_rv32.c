/*
 * The net server's device on kernel-riscv: a virtio-net device (qemu's
 * -device virtio-net-device, xous-riscv-run --net) on a virtio-mmio
 * transport, driven from user space through the virtio helper
 * (kernel-riscv/servers/virtio.h): queue 0 receives, queue 1 sends, each
 * buffer NET_BUF bytes of DMA memory holding the virtio-net header and one
 * frame. A thread of its own waits for the device's interrupt (no polling)
 * and hands what queue 0 received to net_deliver, then gives the buffers
 * back; the server's loop puts frames on queue 1 and takes back the
 * buffers the device has sent. The two threads share only the listener
 * table, under a lock.
 */
#include <stdio.h>
#include <string.h>
#include <xous/device.h>

#include "net.h"
#include "virtio.h"

#define VIRTIO_ID_NET    1
#define VIRTIO_NET_F_MAC (1u << 5)
#define NET_BUF          2048 /* a header and the largest frame, two to a page */
#define NET_NBUF         16   /* buffers per queue */

static const uint8_t net_default_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

struct vnet_ring {
	struct virtq q;
	uint8_t *va;
	uint32_t pa;
	uint8_t slot_of[VIRTQ_SIZE]; /* the buffer a chain's head carries */
	bool busy[NET_NBUF];         /* the device holds it */
};

static struct virtio dev;
static struct vnet_ring rx, tx;
static size_t hdr_len; /* 10 bytes (legacy transport), 12 (virtio 1.x) */
static volatile int lock_word;

static void vnet_lock(void *ctx)
{
	(void)ctx;
	while (__atomic_test_and_set(&lock_word, __ATOMIC_ACQUIRE))
		xous_yield();
}

static void vnet_unlock(void *ctx)
{
	(void)ctx;
	__atomic_clear(&lock_word, __ATOMIC_RELEASE);
}

static xous_err_t ring_open(struct vnet_ring *r, uint16_t index)
{
	xous_err_t err = virtq_open(&dev, index, &r->q);

	if (err == XOUS_OK)
		err = virtio_dma_alloc(NET_NBUF * NET_BUF / 4096, (void **)&r->va, &r->pa);
	return err;
}

/* Give buffer slot of r to the device: len bytes, written by it or not. */
static bool ring_post(struct vnet_ring *r, unsigned slot, uint32_t len, bool device_writes)
{
	struct virtq_buf b = {r->pa + slot * NET_BUF, len, device_writes};
	uint16_t head = virtq_submit(&r->q, &b, 1);

	if (head == VIRTQ_NONE)
		return false;
	r->slot_of[head] = (uint8_t)slot;
	r->busy[slot] = true;
	return true;
}

static xous_err_t vnet_tx(void *ctx, const void *frame, size_t len)
{
	uint16_t head;
	uint32_t written;

	(void)ctx;
	while (virtq_take(&tx.q, &head, &written)) /* sent: free again */
		tx.busy[tx.slot_of[head]] = false;
	for (unsigned s = 0; s < NET_NBUF; s++) {
		if (tx.busy[s])
			continue;
		memset(tx.va + s * NET_BUF, 0, hdr_len);
		memcpy(tx.va + s * NET_BUF + hdr_len, frame, len);
		return ring_post(&tx, s, (uint32_t)(hdr_len + len), false)
		               ? XOUS_OK
		               : XOUS_ERR_SERVER_QUEUE_FULL;
	}
	return XOUS_ERR_SERVER_QUEUE_FULL; /* every buffer still with the device */
}

int net_platform_init(struct net_ops *ops, uint8_t mac[6])
{
	xous_err_t err = virtio_open(VIRTIO_ID_NET, VIRTIO_NET_F_MAC, &dev);

	if (err == XOUS_OK)
		err = ring_open(&rx, 0);
	if (err == XOUS_OK)
		err = ring_open(&tx, 1);
	if (err) {
		printf("xous-net: no virtio-net device to drive (xous-riscv-run --net gives one): "
		       "%s\n",
		       xous_strerror(err));
		return -1;
	}
	hdr_len = dev.regs[VIRTIO_R_VERSION] == 2 ? 12 : 10;
	memcpy(mac, net_default_mac, 6);
	if (dev.features & VIRTIO_NET_F_MAC) {
		uint32_t w0 = virtio_config(&dev, 0), w1 = virtio_config(&dev, 1);

		for (int i = 0; i < 6; i++)
			mac[i] = (uint8_t)((i < 4 ? w0 : w1) >> (8 * (i % 4)));
	}
	virtio_start(&dev);
	for (unsigned s = 0; s < NET_NBUF; s++)
		ring_post(&rx, s, NET_BUF, true);
	ops->tx = vnet_tx;
	ops->lock = vnet_lock;
	ops->unlock = vnet_unlock;
	return 0;
}

void *net_platform_receive(void *arg)
{
	struct net_srv *st = arg;

	while (virtio_wait(&dev) == XOUS_OK) {
		uint16_t head;
		uint32_t written;

		while (virtq_take(&rx.q, &head, &written)) {
			unsigned s = rx.slot_of[head];
			size_t len = written > hdr_len ? written - hdr_len : 0;

			if (len >= NET_FRAME_MIN && len <= NET_FRAME_MAX)
				net_deliver(st, rx.va + s * NET_BUF + hdr_len, len);
			ring_post(&rx, s, NET_BUF, true);
		}
	}
	printf("xous-net: the device's interrupts stopped\n");
	return NULL;
}

/*
 * virtio_rng.c - the board's entropy: a virtio entropy device (qemu's
 * -device virtio-rng-device) on one of the virtio-mmio transports, read
 * once at boot by polling (no interrupt). One virtqueue of QUEUE_SIZE
 * descriptors, of which one is used: a device-writable buffer in the
 * kernel's image, given to the device by its physical address (kvtop). Both transport versions: 1 (legacy,
 * qemu's default) and 2 (virtio 1.x).
 */
#include "defs.h"
#include <xous/virtio_mmio.h>

#define VIRTIO_ID_ENTROPY 4
#define QUEUE_SIZE        4
/* Timer ticks a request may wait, 2 s: qemu answers from a host thread that a
 * loaded host may delay. */
#define POLL_LIMIT (BOARD_TIMEBASE_HZ * 2)

/* The split virtqueue; the used ring on its own page, as version 1 wants. */
static struct {
	struct virtq_desc desc[QUEUE_SIZE];
	struct {
		uint16_t flags, idx, ring[QUEUE_SIZE], used_event;
	} avail;
	_Alignas(PGSIZE) struct {
		uint16_t flags, idx;
		struct {
			uint32_t id, len;
		} ring[QUEUE_SIZE];
		uint16_t avail_event;
	} used;
} vq __attribute__((aligned(PGSIZE)));

static uint8_t rng_buf[64];

static volatile uint32_t *regs_of(uint32_t base)
{
	return (volatile uint32_t *)dev_va(base);
}

static uint32_t find_device(void)
{
	for (uint32_t i = 0; i < BOARD_VIRTIO_COUNT; i++) {
		volatile uint32_t *regs = regs_of(BOARD_VIRTIO + i * BOARD_VIRTIO_STRIDE);
		if (regs[VIRTIO_R_MAGIC] == VIRTIO_MAGIC &&
		    regs[VIRTIO_R_DEVICE_ID] == VIRTIO_ID_ENTROPY)
			return BOARD_VIRTIO + i * BOARD_VIRTIO_STRIDE;
	}
	return 0;
}

/* The device started with no feature and its queue 0 on vq. */
static bool device_init(uint32_t base)
{
	volatile uint32_t *regs = regs_of(base);

	if (virtio_mmio_start(regs, 0) < 0 ||
	    !virtio_mmio_queue(regs, 0, QUEUE_SIZE, kvtop(&vq.desc), kvtop(&vq.used)))
		return false;
	virtio_mmio_ready(regs);
	return true;
}

/* One request: how many bytes the device wrote into rng_buf (0 if none in time). */
static uint32_t request(uint32_t base)
{
	volatile uint16_t *used_idx = &vq.used.idx;
	uint16_t seen = *used_idx;
	uint32_t start = r_time();

	vq.desc[0].addr = kvtop(rng_buf);
	vq.desc[0].len = sizeof(rng_buf);
	vq.desc[0].flags = VIRTQ_DESC_F_WRITE;
	vq.desc[0].next = 0;
	vq.avail.ring[vq.avail.idx % QUEUE_SIZE] = 0;
	__sync_synchronize(); /* the descriptor before the index that publishes it */
	vq.avail.idx++;
	__sync_synchronize();
	regs_of(base)[VIRTIO_R_QUEUE_NOTIFY] = 0;
	while (*used_idx == seen)
		if (r_time() - start > POLL_LIMIT)
			return 0;
	__sync_synchronize();
	uint32_t n = vq.used.ring[seen % QUEUE_SIZE].len;
	return n < sizeof(rng_buf) ? n : sizeof(rng_buf);
}

bool virtio_rng(void *out, uint32_t len)
{
	uint32_t base = find_device();
	uint8_t *o = out;

	if (!base || !device_init(base))
		return false;
	while (len > 0) {
		uint32_t n = request(base);
		if (n == 0)
			return false;
		n = n < len ? n : len;
		memcpy(o, rng_buf, n);
		o += n;
		len -= n;
	}
	memset(rng_buf, 0, sizeof(rng_buf));
	regs_of(base)[VIRTIO_R_STATUS] = 0; /* reset: the device is not used again */
	return true;
}

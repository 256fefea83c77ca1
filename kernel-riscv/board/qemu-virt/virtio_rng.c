/*
 * virtio_rng.c - the board's entropy: a virtio entropy device (qemu's
 * -device virtio-rng-device) on one of the virtio-mmio transports, read
 * once at boot by polling (no interrupt). One virtqueue of QUEUE_SIZE
 * descriptors, of which one is used: a device-writable buffer in the
 * kernel's own (identity-mapped) RAM. Both transport versions: 1 (legacy,
 * qemu's default) and 2 (virtio 1.x).
 */
#include "defs.h"

#define VIRTIO_MAGIC       0x74726976u /* "virt" */
#define VIRTIO_ID_ENTROPY  4
#define QUEUE_SIZE         4
#define VIRTQ_DESC_F_WRITE 2
/* Timer ticks a request may wait, 2 s: qemu answers from a host thread that a
 * loaded host may delay. */
#define POLL_LIMIT (BOARD_TIMEBASE_HZ * 2)

/* Transport registers (byte offsets), virtio 1.2 section 4.2.2. */
enum {
	R_MAGIC = 0x000,
	R_VERSION = 0x004,
	R_DEVICE_ID = 0x008,
	R_DEVICE_FEATURES = 0x010,
	R_DEVICE_FEATURES_SEL = 0x014,
	R_DRIVER_FEATURES = 0x020,
	R_DRIVER_FEATURES_SEL = 0x024,
	R_GUEST_PAGE_SIZE = 0x028, /* version 1 */
	R_QUEUE_SEL = 0x030,
	R_QUEUE_NUM_MAX = 0x034,
	R_QUEUE_NUM = 0x038,
	R_QUEUE_ALIGN = 0x03c, /* version 1 */
	R_QUEUE_PFN = 0x040,   /* version 1 */
	R_QUEUE_READY = 0x044, /* version 2 */
	R_QUEUE_NOTIFY = 0x050,
	R_STATUS = 0x070,
	R_QUEUE_DESC = 0x080, /* version 2: low words; the high ones follow */
	R_QUEUE_DRIVER = 0x090,
	R_QUEUE_DEVICE = 0x0a0,
};
enum { S_ACKNOWLEDGE = 1, S_DRIVER = 2, S_DRIVER_OK = 4, S_FEATURES_OK = 8 };

/* The split virtqueue; the used ring on its own page, as version 1 wants. */
static struct {
	struct {
		uint64_t addr;
		uint32_t len;
		uint16_t flags, next;
	} desc[QUEUE_SIZE];
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

static volatile uint32_t *reg(uint32_t base, uint32_t off)
{
	return (volatile uint32_t *)(base + off);
}

static uint32_t find_device(void)
{
	for (uint32_t i = 0; i < BOARD_VIRTIO_COUNT; i++) {
		uint32_t base = BOARD_VIRTIO + i * BOARD_VIRTIO_STRIDE;
		if (*reg(base, R_MAGIC) == VIRTIO_MAGIC &&
		    *reg(base, R_DEVICE_ID) == VIRTIO_ID_ENTROPY)
			return base;
	}
	return 0;
}

/* The device's status after the driver's handshake (virtio 1.2 section 3.1.1). */
static bool device_init(uint32_t base)
{
	uint32_t version = *reg(base, R_VERSION);

	*reg(base, R_STATUS) = 0; /* reset */
	*reg(base, R_STATUS) = S_ACKNOWLEDGE;
	*reg(base, R_STATUS) = S_ACKNOWLEDGE | S_DRIVER;
	*reg(base, R_DRIVER_FEATURES_SEL) = 0;
	*reg(base, R_DRIVER_FEATURES) = 0;
	if (version == 2) { /* VIRTIO_F_VERSION_1 (bit 32) is the one feature taken */
		*reg(base, R_DEVICE_FEATURES_SEL) = 1;
		if (!(*reg(base, R_DEVICE_FEATURES) & 1))
			return false;
		*reg(base, R_DRIVER_FEATURES_SEL) = 1;
		*reg(base, R_DRIVER_FEATURES) = 1;
		*reg(base, R_STATUS) = S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK;
		if (!(*reg(base, R_STATUS) & S_FEATURES_OK))
			return false;
	} else if (version != 1) {
		return false;
	}
	*reg(base, R_QUEUE_SEL) = 0;
	if (*reg(base, R_QUEUE_NUM_MAX) < QUEUE_SIZE)
		return false;
	*reg(base, R_QUEUE_NUM) = QUEUE_SIZE;
	if (version == 1) {
		*reg(base, R_GUEST_PAGE_SIZE) = PGSIZE;
		*reg(base, R_QUEUE_ALIGN) = PGSIZE;
		*reg(base, R_QUEUE_PFN) = (uint32_t)&vq / PGSIZE;
	} else {
		*reg(base, R_QUEUE_DESC) = (uint32_t)&vq.desc;
		*reg(base, R_QUEUE_DESC + 4) = 0;
		*reg(base, R_QUEUE_DRIVER) = (uint32_t)&vq.avail;
		*reg(base, R_QUEUE_DRIVER + 4) = 0;
		*reg(base, R_QUEUE_DEVICE) = (uint32_t)&vq.used;
		*reg(base, R_QUEUE_DEVICE + 4) = 0;
		*reg(base, R_QUEUE_READY) = 1;
	}
	*reg(base, R_STATUS) = *reg(base, R_STATUS) | S_DRIVER_OK;
	return true;
}

/* One request: how many bytes the device wrote into rng_buf (0 if none in time). */
static uint32_t request(uint32_t base)
{
	volatile uint16_t *used_idx = &vq.used.idx;
	uint16_t seen = *used_idx;
	uint32_t start = r_time();

	vq.desc[0].addr = (uint32_t)rng_buf;
	vq.desc[0].len = sizeof(rng_buf);
	vq.desc[0].flags = VIRTQ_DESC_F_WRITE;
	vq.desc[0].next = 0;
	vq.avail.ring[vq.avail.idx % QUEUE_SIZE] = 0;
	__sync_synchronize(); /* the descriptor before the index that publishes it */
	vq.avail.idx++;
	__sync_synchronize();
	*reg(base, R_QUEUE_NOTIFY) = 0;
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
	*reg(base, R_STATUS) = 0; /* reset: the device is not used again */
	return true;
}

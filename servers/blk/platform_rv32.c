/*
 * The blk server's device on kernel-riscv: a virtio-blk device (qemu's
 * -device virtio-blk-device, xous-riscv-run --disk IMAGE), driven from
 * user space through the virtio helper (kernel-riscv/servers/virtio.h),
 * interrupt-driven. One request at a time: a header, the data through a
 * bounce buffer of CHUNK bytes of DMA memory, a status byte; a longer
 * transfer is a series of them. A flush is the device's flush request
 * where it offers one (else it has no write cache to flush).
 */
#include <stdio.h>
#include <string.h>

#include "blk.h"
#include "virtio.h"

#define VIRTIO_ID_BLOCK    2
#define VIRTIO_BLK_F_FLUSH (1u << 9)
#define VIRTIO_BLK_T_IN    0
#define VIRTIO_BLK_T_OUT   1
#define VIRTIO_BLK_T_FLUSH 4
#define CHUNK_PAGES        64
#define CHUNK              (CHUNK_PAGES * 4096u)

struct blk_req_hdr {
	uint32_t type, reserved;
	uint64_t sector;
};

static struct {
	struct virtio v;
	struct virtq q;
	volatile struct blk_req_hdr *hdr; /* the request header, the status byte after it */
	volatile uint8_t *status;
	uint32_t hdr_pa;
	uint8_t *buf; /* the bounce buffer */
	uint32_t buf_pa;
} vb;

/* One request of len bytes (a read's land in the bounce buffer): waits for
 * the device's interrupt, never polls. */
static xous_err_t request(uint32_t type, uint64_t sector, uint32_t len)
{
	struct virtq_buf bufs[3];
	uint16_t head, done;
	uint32_t written;
	unsigned n = 0;

	vb.hdr->type = type;
	vb.hdr->reserved = 0;
	vb.hdr->sector = sector;
	*vb.status = 0xff;
	bufs[n++] = (struct virtq_buf){vb.hdr_pa, sizeof(struct blk_req_hdr), false};
	if (len)
		bufs[n++] = (struct virtq_buf){vb.buf_pa, len, type == VIRTIO_BLK_T_IN};
	bufs[n++] = (struct virtq_buf){vb.hdr_pa + sizeof(struct blk_req_hdr), 1, true};
	head = virtq_submit(&vb.q, bufs, n);
	if (head == VIRTQ_NONE)
		return XOUS_ERR_INTERNAL_ERROR;
	for (;;) {
		while (virtq_take(&vb.q, &done, &written))
			if (done == head)
				return *vb.status == 0 ? XOUS_OK : XOUS_ERR_STORAGE_ERROR;
		if (virtio_wait(&vb.v) != XOUS_OK)
			return XOUS_ERR_INTERNAL_ERROR;
	}
}

static xous_err_t vb_read(void *ctx, uint64_t sector, void *buf, size_t len)
{
	(void)ctx;
	for (size_t off = 0; off < len; off += CHUNK) {
		uint32_t n = len - off < CHUNK ? (uint32_t)(len - off) : CHUNK;
		xous_err_t err = request(VIRTIO_BLK_T_IN, sector + off / BLK_SECTOR_SIZE, n);

		if (err)
			return err;
		memcpy((uint8_t *)buf + off, vb.buf, n);
	}
	return XOUS_OK;
}

static xous_err_t vb_write(void *ctx, uint64_t sector, const void *data, size_t len)
{
	(void)ctx;
	for (size_t off = 0; off < len; off += CHUNK) {
		uint32_t n = len - off < CHUNK ? (uint32_t)(len - off) : CHUNK;
		xous_err_t err;

		memcpy(vb.buf, (const uint8_t *)data + off, n);
		err = request(VIRTIO_BLK_T_OUT, sector + off / BLK_SECTOR_SIZE, n);
		if (err)
			return err;
	}
	return XOUS_OK;
}

static xous_err_t vb_flush(void *ctx)
{
	(void)ctx;
	if (!(vb.v.features & VIRTIO_BLK_F_FLUSH))
		return XOUS_OK; /* no write cache: every write was on the disk when it returned */
	return request(VIRTIO_BLK_T_FLUSH, 0, 0);
}

xous_err_t blk_platform_open(struct blk_device *dev)
{
	void *hdr;
	xous_err_t err = virtio_open(VIRTIO_ID_BLOCK, VIRTIO_BLK_F_FLUSH, &vb.v);

	if (err == XOUS_OK)
		err = virtq_open(&vb.v, 0, &vb.q);
	if (err == XOUS_OK)
		err = virtio_dma_alloc(1, &hdr, &vb.hdr_pa);
	if (err == XOUS_OK)
		err = virtio_dma_alloc(CHUNK_PAGES, (void **)&vb.buf, &vb.buf_pa);
	if (err) {
		printf("xous-blk: no virtio-blk device to drive (xous-riscv-run --disk IMAGE): "
		       "%s\n",
		       xous_strerror(err));
		return err;
	}
	vb.hdr = hdr;
	vb.status = (volatile uint8_t *)hdr + sizeof(struct blk_req_hdr);
	virtio_start(&vb.v);
	dev->ctx = &vb;
	dev->num_sectors = virtio_config(&vb.v, 0) | (uint64_t)virtio_config(&vb.v, 1) << 32;
	dev->read = vb_read;
	dev->write = vb_write;
	dev->flush = vb_flush;
	return XOUS_OK;
}

/*
 * virtio.c - the user-space drivers' virtio-mmio helper (virtio.h): the
 * transport through <xous/virtio_mmio.h>, the registers mapped with
 * MapMemory (the driver's image or fleet line gives it phys=devices), the
 * rings in DMA pages of the vm server, the interrupt claimed with
 * ClaimInterrupt.
 */
#include <resea/vm.h>
#include <xous/device.h>

#include "board.h"
#include "virtio.h"

#define PAGE 4096u

/* In the claiming process, every interrupt masked: acknowledge the device
 * and wake the driver; a wake already queued is enough if the queue is full. */
static void virtio_irq(uint32_t irq, void *arg)
{
	struct virtio *v = arg;
	uint32_t status = v->regs[VIRTIO_R_INTERRUPT_STATUS];

	v->regs[VIRTIO_R_INTERRUPT_ACK] = status;
	v->pending |= status;
	xous_try_send_scalar(v->wake_cid, 0, irq, status, 0, 0);
}

/* v is started on the mapped transport regs (slot i): its wake server and its interrupt. */
static xous_err_t virtio_attach(struct virtio *v, uint32_t slot)
{
	xous_err_t err = xous_create_server(&v->wake);

	if (err == XOUS_OK)
		err = xous_connect(&v->wake, &v->wake_cid);
	if (err == XOUS_OK) {
		v->irq = BOARD_VIRTIO_IRQ + slot;
		err = xous_claim_interrupt(v->irq, virtio_irq, v);
	}
	return err;
}

static const uint32_t transports = BOARD_VIRTIO_COUNT; /* a board may have none */

xous_err_t virtio_open(uint32_t device_id, uint32_t features, struct virtio *v)
{
	for (uint32_t i = 0; i < transports; i++) {
		xous_range_t r;
		int64_t got;

		if (xous_map_physical(BOARD_VIRTIO + i * BOARD_VIRTIO_STRIDE, PAGE,
		                      XOUS_MEM_R | XOUS_MEM_W, &r) != XOUS_OK)
			continue; /* another driver's */
		v->regs = r.addr;
		v->pending = 0;
		if (v->regs[VIRTIO_R_MAGIC] == VIRTIO_MAGIC &&
		    v->regs[VIRTIO_R_DEVICE_ID] == device_id &&
		    (got = virtio_mmio_start(v->regs, features)) >= 0) {
			v->features = (uint32_t)got;
			return virtio_attach(v, i);
		}
		xous_unmap_memory(r);
	}
	return XOUS_ERR_NOT_FOUND;
}

uint32_t virtio_config(const struct virtio *v, uint32_t i)
{
	return v->regs[VIRTIO_R_CONFIG + i];
}

xous_err_t virtio_dma_alloc(size_t num_pages, void **vaddr, uint32_t *paddr)
{
	uintptr_t pa;
	xous_err_t err = vm_alloc_pages(num_pages, 0, vaddr, &pa);

	if (err == XOUS_OK)
		*paddr = (uint32_t)pa;
	return err;
}

xous_err_t virtq_open(struct virtio *v, uint16_t index, struct virtq *q)
{
	uint8_t *va;
	uint32_t pa;
	xous_err_t err = virtio_dma_alloc(2, (void **)&va, &pa);

	if (err)
		return err;
	q->regs = v->regs;
	q->index = index;
	q->desc = (volatile struct virtq_desc *)va;
	q->avail = (volatile uint16_t *)(va + VIRTQ_SIZE * sizeof(struct virtq_desc));
	q->used = (volatile uint32_t *)(va + PAGE);
	q->last_used = 0;
	for (uint16_t i = 0; i < VIRTQ_SIZE; i++)
		q->desc[i].next = i + 1;
	q->free_head = 0;
	q->nfree = VIRTQ_SIZE;
	if (!virtio_mmio_queue(v->regs, index, VIRTQ_SIZE, pa, pa + PAGE))
		return XOUS_ERR_UNAVAILABLE;
	return XOUS_OK;
}

void virtio_start(struct virtio *v)
{
	virtio_mmio_ready(v->regs);
}

uint16_t virtq_submit(struct virtq *q, const struct virtq_buf *bufs, unsigned n)
{
	uint16_t head = q->free_head, d = head, idx;

	if (n == 0 || q->nfree < n)
		return VIRTQ_NONE;
	for (unsigned k = 0; k < n; k++) {
		q->desc[d].addr = bufs[k].paddr;
		q->desc[d].len = bufs[k].len;
		q->desc[d].flags = (uint16_t)((bufs[k].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
		                              (k + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		if (k + 1 < n)
			d = q->desc[d].next; /* the free list's next is the chain's */
	}
	q->free_head = q->desc[d].next;
	q->nfree = (uint16_t)(q->nfree - n);
	idx = q->avail[1];
	q->avail[2 + idx % VIRTQ_SIZE] = head;
	__sync_synchronize(); /* the chain before the index that publishes it */
	q->avail[1] = (uint16_t)(idx + 1);
	__sync_synchronize();
	q->regs[VIRTIO_R_QUEUE_NOTIFY] = q->index;
	return head;
}

bool virtq_take(struct virtq *q, uint16_t *head, uint32_t *written)
{
	uint16_t used_idx = (uint16_t)(q->used[0] >> 16), d, n = 1;
	const volatile uint32_t *elem;

	if (used_idx == q->last_used)
		return false;
	__sync_synchronize(); /* the index before the element it publishes */
	elem = &q->used[1 + 2 * (q->last_used % VIRTQ_SIZE)];
	*head = (uint16_t)elem[0];
	*written = elem[1];
	q->last_used++;
	for (d = *head; q->desc[d].flags & VIRTQ_DESC_F_NEXT; d = q->desc[d].next)
		n++;
	q->desc[d].next = q->free_head;
	q->free_head = *head;
	q->nfree = (uint16_t)(q->nfree + n);
	return true;
}

xous_err_t virtio_wait(struct virtio *v)
{
	xous_envelope_t env;
	xous_err_t err = xous_receive_message(&v->wake, &env);

	if (err == XOUS_OK)
		xous_envelope_done(&env);
	return err;
}

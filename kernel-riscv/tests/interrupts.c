/*
 * interrupts.c - user-space drivers on kernel-riscv (kernel/irq.c, phys.c):
 * a program its image names phys=devices drives the board's virtio entropy
 * device (which the kernel used once at boot) through the virtio helper
 * (servers/virtio.h), interrupt-driven; its own handler then checks
 * Xous's semantics: it runs in the claiming process with its argument,
 * sends a Scalar, and a call that could wait is refused. ClaimInterrupt
 * and FreeInterrupt errors; VirtToPhys of DMA pages; MemoryInUse for a
 * device page another process maps (the holder, built with IRQ_HOLDER,
 * which maps the UART's page while asked to).
 */
#include <stdio.h>
#include <string.h>
#include <xous/device.h>

#include "virtio.h"

#define UART        0x10000000u
#define HOLDER_NAME "irq-test-holder!"
enum { HOLD = 1, RELEASE = 2 };

#ifdef IRQ_HOLDER
int main(void)
{
	xous_sid_t sid = xous_sid_from_name(HOLDER_NAME);
	xous_envelope_t env;
	xous_range_t r = {0};

	if (xous_create_server_with_address(&sid))
		return 1;
	while (xous_receive_message(&sid, &env) == XOUS_OK) {
		xous_err_t err = XOUS_ERR_INVALID_ARGUMENT;
		if (env.scalar.id == HOLD)
			err = xous_map_physical(UART, 4096, XOUS_MEM_R, &r);
		else if (env.scalar.id == RELEASE)
			err = xous_unmap_memory(r);
		xous_return_scalar(env.sender, err);
	}
	return 0;
}
#else
static int failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL interrupts.c:%d: %s\n", __LINE__, #cond);                     \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static struct virtio rng;
static struct virtq q;

/* What the test's own handler saw. */
static volatile struct {
	unsigned runs;
	uint32_t irq;
	void *arg;
	xous_pid_t pid;
	xous_err_t blocking, send;
} seen;

static void handler(uint32_t irq, void *arg)
{
	xous_scalar_reply_t r;

	rng.regs[VIRTIO_R_INTERRUPT_ACK] = rng.regs[VIRTIO_R_INTERRUPT_STATUS];
	seen.runs++;
	seen.irq = irq;
	seen.arg = arg;
	seen.pid = xous_process_id();
	seen.blocking = xous_blocking_scalar(rng.wake_cid, 1, 0, 0, 0, 0, &r);
	seen.send = xous_send_scalar(rng.wake_cid, 0, irq, 0, 0, 0);
}

/* One request for 32 random bytes into buf (pa): the bytes the device wrote. */
static uint32_t entropy(uint32_t pa)
{
	struct virtq_buf b = {pa, 32, true};
	uint16_t head = virtq_submit(&q, &b, 1), done;
	uint32_t written;

	CHECK(head != VIRTQ_NONE);
	for (;;) {
		while (virtq_take(&q, &done, &written))
			if (done == head)
				return written;
		if (virtio_wait(&rng) != XOUS_OK)
			return 0;
	}
}

static void memory_in_use(void)
{
	xous_sid_t sid = xous_sid_from_name(HOLDER_NAME);
	xous_scalar_reply_t r;
	xous_range_t m;
	xous_cid_t cid;

	CHECK(xous_connect(&sid, &cid) == XOUS_OK);
	CHECK(xous_blocking_scalar(cid, HOLD, 0, 0, 0, 0, &r) == XOUS_OK && r.v[0] == 0);
	CHECK(xous_map_physical(UART, 4096, XOUS_MEM_R, &m) == XOUS_ERR_MEMORY_IN_USE);
	CHECK(xous_blocking_scalar(cid, RELEASE, 0, 0, 0, 0, &r) == XOUS_OK && r.v[0] == 0);
	CHECK(xous_map_physical(UART, 4096, XOUS_MEM_R, &m) == XOUS_OK);
	CHECK(xous_unmap_memory(m) == XOUS_OK);
}

int main(void)
{
	uint8_t *buf;
	uint32_t pa;
	uintptr_t v2p;

	CHECK(xous_claim_interrupt(0, handler, NULL) == XOUS_ERR_INTERRUPT_NOT_FOUND);
	CHECK(xous_claim_interrupt(32, handler, NULL) == XOUS_ERR_INTERRUPT_NOT_FOUND);
	CHECK(xous_claim_interrupt(10, handler, NULL) == XOUS_ERR_INTERRUPT_IN_USE); /* console */
	CHECK(xous_free_interrupt(20) == XOUS_ERR_INTERRUPT_NOT_FOUND);

	/* the helper: the device, its interrupt, a queue, DMA pages */
	CHECK(virtio_open(4, 0, &rng) == XOUS_OK);
	CHECK(xous_claim_interrupt(rng.irq, handler, NULL) == XOUS_ERR_INTERRUPT_IN_USE);
	CHECK(virtq_open(&rng, 0, &q) == XOUS_OK);
	CHECK(virtio_dma_alloc(1, (void **)&buf, &pa) == XOUS_OK);
	CHECK(xous_virt_to_phys(buf + 12, &v2p) == XOUS_OK && v2p == pa + 12);
	CHECK(xous_virt_to_phys((void *)0x55550000u, &v2p) == XOUS_ERR_BAD_ADDRESS);
	virtio_start(&rng);
	CHECK(entropy(pa) > 0);
	CHECK(entropy(pa) > 0);

	/* a handler of the test's own */
	CHECK(xous_free_interrupt(rng.irq) == XOUS_OK);
	CHECK(xous_free_interrupt(rng.irq) == XOUS_ERR_INTERRUPT_NOT_FOUND);
	CHECK(xous_claim_interrupt(rng.irq, handler, &rng) == XOUS_OK);
	CHECK(entropy(pa) > 0);
	CHECK(seen.runs >= 1 && seen.irq == rng.irq && seen.arg == &rng);
	CHECK(seen.pid == xous_process_id());
	CHECK(seen.blocking == XOUS_ERR_ACCESS_DENIED);
	CHECK(seen.send == XOUS_OK);
	CHECK(xous_free_interrupt(rng.irq) == XOUS_OK);

	memory_in_use();
	printf("interrupts: %s\n", failures ? "FAIL" : "PASS");
	return failures != 0;
}
#endif

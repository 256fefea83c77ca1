/*
 * rv_bench.c - instructions retired (rdinstret, kernel and user together)
 * per round trip between two processes on kernel-riscv: a blocking scalar
 * (the server answering with xous_return_scalar, then taking the next
 * message: 3 syscalls; or with ReplyAndReceiveNext's scalar answer: 2), and
 * a 4 KiB lend_mut (pages remapped, never copied: 2 syscalls). Run under
 * qemu -icount shift=0, or instret is host time.
 */
#include <stdio.h>

#include <xous.h>

#define ROUNDS 2000

static inline uint32_t instret(void)
{
	uint32_t v;

	asm volatile(".option push\n.option arch, +zicsr\nrdinstret %0\n.option pop" : "=r"(v));
	return v;
}

static uint32_t per_call(uint32_t start, uint32_t end)
{
	return (end - start) / ROUNDS;
}

int main(void)
{
	xous_sid_t sid = xous_sid_from_name("rv-bench-server!");
	xous_scalar_reply_t r;
	xous_range_t page;
	size_t off, valid;
	xous_cid_t cid;
	uint32_t t0, t1, t2, t3, t4, t5;
	int failed = 0;

	if (xous_connect(&sid, &cid) || xous_map_memory(4096, 0, &page))
		return 1;
	for (int i = 0; i < 100; i++) /* warm up */
		failed |= xous_blocking_scalar(cid, 1, i, 0, 0, 0, &r) != XOUS_OK;
	t0 = instret();
	for (int i = 0; i < ROUNDS; i++)
		failed |= xous_blocking_scalar(cid, 1, i, 0, 0, 0, &r) != XOUS_OK;
	t1 = instret();
	t2 = instret();
	for (int i = 0; i < ROUNDS; i++)
		failed |= xous_lend_mut(cid, 2, page, 0, 4096, &off, &valid) != XOUS_OK;
	t3 = instret();
	t4 = instret();
	for (int i = 0; i < ROUNDS; i++)
		failed |= xous_blocking_scalar(cid, 3, i, 0, 0, 0, &r) != XOUS_OK ||
		          r.v[0] != (uintptr_t)i + 1;
	t5 = instret();
	printf("rv-bench: blocking scalar round trip: %lu instructions\n",
	       (unsigned long)per_call(t0, t1));
	printf("rv-bench: blocking scalar round trip, ReplyAndReceiveNext answer: %lu "
	       "instructions\n",
	       (unsigned long)per_call(t4, t5));
	printf("rv-bench: 4 KiB lend_mut round trip: %lu instructions\n",
	       (unsigned long)per_call(t2, t3));
	printf("rv-bench: server saw %u lends\n", ((uint8_t *)page.addr)[0]);
	failed |= ((uint8_t *)page.addr)[0] != (uint8_t)ROUNDS;
	xous_blocking_scalar(cid, 0, 0, 0, 0, 0, &r);
	return failed;
}

/*
 * map_preempt.c - a 64 MiB MapMemory does not hold the kernel: a thread
 * that only counts and yields runs while the mapping is under way. The
 * memory arrives whole and zeroed, goes back whole, and a request larger
 * than the free memory fails without leaving anything mapped.
 */
#include "../../tests/conformance/conf.h"

#define BIG (64u << 20)

static volatile unsigned counted;
static volatile int stop;

static void *counter(void *arg)
{
	(void)arg;
	while (!stop) {
		counted++;
		xous_yield();
	}
	return NULL;
}

static int zeroed_then_written(xous_range_t r)
{
	for (size_t off = 0; off < r.len; off += 4096) {
		volatile uint32_t *w = (volatile uint32_t *)((char *)r.addr + off);
		if (w[0] || w[1023])
			return 0;
		w[0] = w[1023] = (uint32_t)off;
	}
	return 1;
}

int main(void)
{
	xous_tid_t tid;
	xous_range_t r;
	uint32_t i0, i1;

	CHECK_OK(xous_create_thread(counter, NULL, &tid));
	while (counted == 0)
		xous_yield();
	for (int round = 0; round < 2; round++) {
		unsigned before = counted;

		asm volatile("rdinstret %0" : "=r"(i0));
		CHECK_OK(xous_map_memory(BIG, XOUS_MEM_R | XOUS_MEM_W, &r));
		asm volatile("rdinstret %0" : "=r"(i1));
		CHECK(counted > before); /* the other thread ran meanwhile */
		CHECK(r.len == BIG && zeroed_then_written(r));
		CHECK_OK(xous_unmap_memory(r));
		printf("map-preempt: 64 MiB MapMemory, %u instructions in all\n",
		       (unsigned)(i1 - i0));
	}
	CHECK_ERR(xous_map_memory(1u << 30, XOUS_MEM_R | XOUS_MEM_W, &r), XOUS_ERR_OUT_OF_MEMORY);
	stop = 1;
	return conf_end("map-preempt");
}

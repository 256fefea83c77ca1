/*
 * api.memory: xous_map_memory / xous_unmap_memory, and lends of every size
 * from 4 KiB to 16 MiB with their contents checked both ways.
 */
#include <stdlib.h>
#include <string.h>

#include "itest.h"

static xous_sid_t sid;

static int all_zero(const void *p, size_t len)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < len; i++)
		if (c[i])
			return 0;
	return 1;
}

static void map_unmap(void)
{
	unsigned long long ino = 0, off;
	xous_range_t r, part;

	CHECK_ERR(xous_map_memory(5 * XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &r), XOUS_OK,
	          "map_memory 5 pages");
	CHECK(((uintptr_t)r.addr % XOUS_PAGE_SIZE) == 0 && r.len == 5 * XOUS_PAGE_SIZE,
	      "page-aligned, the length asked");
	CHECK(all_zero(r.addr, r.len), "zero-filled");
	CHECK(itest_faults((char *)r.addr + r.len - 1, 1) == 0, "readable and writable");
	CHECK(itest_backing(r.addr, &ino, &off), "backed by a file (a memfd)");
	part.addr = (char *)r.addr + 2 * XOUS_PAGE_SIZE;
	part.len = XOUS_PAGE_SIZE;
	CHECK_ERR(xous_unmap_memory(part), XOUS_OK, "unmap the middle page");
	CHECK(itest_gone(part.addr, ino), "it is gone");
	CHECK(itest_faults(r.addr, 1) == 0 &&
	              itest_faults((char *)r.addr + 4 * XOUS_PAGE_SIZE, 1) == 0,
	      "the pages around it stay");
	part.addr = r.addr;
	part.len = 2 * XOUS_PAGE_SIZE;
	CHECK_ERR(xous_unmap_memory(part), XOUS_OK, "unmap the first two");
	part.addr = (char *)r.addr + 3 * XOUS_PAGE_SIZE;
	CHECK_ERR(xous_unmap_memory(part), XOUS_OK, "unmap the last two");
	CHECK(itest_gone(r.addr, ino) && itest_gone((char *)r.addr + 4 * XOUS_PAGE_SIZE, ino),
	      "all gone");

	CHECK(xous_map_memory(0, XOUS_MEM_R | XOUS_MEM_W, &r) != XOUS_OK, "map_memory of 0 bytes");
	CHECK(xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R, NULL) != XOUS_OK, "map_memory(.., NULL)");
	CHECK(xous_unmap_memory((xous_range_t){(void *)(uintptr_t)0x1001, XOUS_PAGE_SIZE}) !=
	              XOUS_OK,
	      "unmap of an unaligned address");
	void *heap = aligned_alloc(XOUS_PAGE_SIZE, XOUS_PAGE_SIZE);
	REQUIRE(heap != NULL, "aligned_alloc");
	CHECK(xous_unmap_memory((xous_range_t){heap, XOUS_PAGE_SIZE}) != XOUS_OK,
	      "unmap of a page that map_memory never gave");
	if (itest_faults(heap, 1) == 0) {
		CHECK(1, "which stays mapped");
		free(heap);
	} else {
		CHECK(0, "which stays mapped");
	}
}

static void *server(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&sid, &env) == XOUS_OK && env.kind != XOUS_SCALAR) {
		/* id = the seed the caller filled with; answer valid = 1 if seen. */
		int seen = itest_verify(env.memory.buf.addr, env.memory.buf.len, env.memory.id);
		if (env.kind == XOUS_MUTABLE_BORROW && seen)
			itest_fill(env.memory.buf.addr, env.memory.buf.len, env.memory.id + 1);
		xous_return_memory(env.sender, 0, seen);
	}
	return NULL;
}

static void lend_sizes(void)
{
	static const size_t sizes[] = {4096, 8192, 65536, 1 << 20, 4 << 20, 16 << 20};
	xous_cid_t cid;
	xous_tid_t tid;

	REQUIRE(xous_create_server(&sid) == XOUS_OK && xous_connect(&sid, &cid) == XOUS_OK,
	        "create a server");
	REQUIRE(xous_create_thread(server, NULL, &tid) == XOUS_OK, "start it");
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		xous_range_t b;
		size_t off, valid = 0, kib = sizes[i] / 1024;
		uint32_t seed = 100 + (uint32_t)i * 2;
		REQUIRE(xous_map_memory(sizes[i], XOUS_MEM_R | XOUS_MEM_W, &b) == XOUS_OK, "map");
		itest_fill(b.addr, b.len, seed);
		CHECK(xous_lend(cid, seed, b, 0, 0, &off, &valid) == XOUS_OK && valid == 1 &&
		              itest_verify(b.addr, b.len, seed),
		      "lend %zu KiB: the server sees every byte; they come back unchanged", kib);
		CHECK(xous_lend_mut(cid, seed, b, 0, 0, &off, &valid) == XOUS_OK && valid == 1 &&
		              itest_verify(b.addr, b.len, seed + 1),
		      "lend_mut %zu KiB: the server sees every byte; the caller sees its writes",
		      kib);
		xous_unmap_memory(b);
	}
	xous_send_scalar(cid, 0, 0, 0, 0, 0);
	xous_join_thread(tid, NULL);
}

int main(void)
{
	map_unmap();
	lend_sizes();
	return itest_done();
}

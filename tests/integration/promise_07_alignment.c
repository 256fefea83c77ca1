/*
 * Promise 7: Lend and Move need a page-aligned, page-multiple buffer
 * (BadAlignment otherwise), as on hardware.
 *
 * Every memory call with a bad buffer is refused before anything is sent
 * (the server sees none of them) and leaves the buffer usable. Offsets and
 * valid lengths past the buffer are InvalidArgument (docs/abi.md). A
 * page-aligned buffer that is not from xous_map_memory still lends correctly.
 */
#include <stdlib.h>
#include <string.h>

#include "itest.h"

static xous_sid_t sid;
static xous_cid_t cid;

/* Try one buffer with all three memory calls; each must give `want`. */
static void refuse(xous_range_t buf, size_t offset, size_t valid, xous_err_t want, const char *what)
{
	size_t off, val;

	CHECK_ERR(xous_lend(cid, 1, buf, offset, valid, &off, &val), want, "lend, %s", what);
	CHECK_ERR(xous_lend_mut(cid, 1, buf, offset, valid, &off, &val), want, "lend_mut, %s",
	          what);
	CHECK_ERR(xous_send_memory(cid, 1, buf, offset, valid), want, "send_memory, %s", what);
}

static void bad_buffers(void)
{
	xous_range_t map, b;
	char *heap = malloc(3 * XOUS_PAGE_SIZE);

	REQUIRE(heap != NULL, "malloc");
	REQUIRE(xous_map_memory(2 * XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &map) == XOUS_OK,
	        "map 2 pages");
	itest_fill(map.addr, map.len, 7);
	b = (xous_range_t){(char *)map.addr + 1, XOUS_PAGE_SIZE};
	refuse(b, 0, 0, XOUS_ERR_BAD_ALIGNMENT, "address 1 byte past a page");
	b = (xous_range_t){(char *)map.addr + 64, XOUS_PAGE_SIZE - 64};
	refuse(b, 0, 0, XOUS_ERR_BAD_ALIGNMENT, "address and length off a page");
	b = (xous_range_t){map.addr, 100};
	refuse(b, 0, 0, XOUS_ERR_BAD_ALIGNMENT, "length 100");
	b = (xous_range_t){map.addr, XOUS_PAGE_SIZE + 1};
	refuse(b, 0, 0, XOUS_ERR_BAD_ALIGNMENT, "length one page + 1");
	b = (xous_range_t){map.addr, 0};
	refuse(b, 0, 0, XOUS_ERR_BAD_ALIGNMENT, "length 0");
	b = (xous_range_t){((uintptr_t)heap % XOUS_PAGE_SIZE) ? heap : heap + 8, XOUS_PAGE_SIZE};
	refuse(b, 0, 0, XOUS_ERR_BAD_ALIGNMENT, "an unaligned malloc buffer");
	b = (xous_range_t){map.addr, XOUS_PAGE_SIZE};
	refuse(b, XOUS_PAGE_SIZE + 1, 0, XOUS_ERR_INVALID_ARGUMENT, "offset past the end");
	refuse(b, 0, XOUS_PAGE_SIZE + 1, XOUS_ERR_INVALID_ARGUMENT, "valid past the end");

	CHECK(itest_faults(map.addr, 1) == 0 && itest_verify(map.addr, map.len, 7),
	      "after the refusals the buffer is the caller's, unchanged");
	xous_envelope_t env;
	CHECK(xous_try_receive_message(&sid, &env) == XOUS_OK && env.kind == XOUS_NO_MESSAGE,
	      "and the server received none of them");
	xous_unmap_memory(map);
	free(heap);
}

static void *server(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_SCALAR)
			break;
		if (env.kind == XOUS_MUTABLE_BORROW &&
		    itest_verify(env.memory.buf.addr, env.memory.buf.len, 8))
			itest_fill(env.memory.buf.addr, env.memory.buf.len, 9);
		if (env.kind == XOUS_BORROW) /* "valid" tells the caller what we saw */
			env.memory.valid = itest_verify(env.memory.buf.addr, env.memory.buf.len, 8);
		xous_envelope_done(&env);
	}
	return NULL;
}

static void plain_aligned_buffer(void)
{
	xous_range_t b = {aligned_alloc(XOUS_PAGE_SIZE, 3 * XOUS_PAGE_SIZE), 3 * XOUS_PAGE_SIZE};
	size_t off, valid = 0;
	xous_tid_t tid;

	REQUIRE(b.addr != NULL, "aligned_alloc 3 pages");
	REQUIRE(xous_create_thread(server, NULL, &tid) == XOUS_OK, "start a server thread");
	itest_fill(b.addr, b.len, 8);
	CHECK_ERR(xous_lend(cid, 2, b, 0, 0, &off, &valid), XOUS_OK,
	          "lend of a page-aligned buffer not from xous_map_memory");
	CHECK(valid == 1, "the server saw its bytes");
	CHECK_ERR(xous_lend_mut(cid, 3, b, 0, 5, &off, &valid), XOUS_OK, "lend_mut of it");
	CHECK(itest_verify(b.addr, b.len, 9), "the caller sees the server's writes");
	xous_send_scalar(cid, 4, 0, 0, 0, 0);
	xous_join_thread(tid, NULL);
	free(b.addr);
}

int main(void)
{
	REQUIRE(xous_create_server(&sid) == XOUS_OK && xous_connect(&sid, &cid) == XOUS_OK,
	        "create a server and connect");
	bad_buffers();
	plain_aligned_buffer();
	return itest_done();
}

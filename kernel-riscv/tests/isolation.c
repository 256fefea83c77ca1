/*
 * isolation.c - faults end one process, never the kernel, and the others
 * see the contract's errors (CONTRACT section 4, promises 4, 9, 10):
 * a server that writes a Borrow dies and its caller gets an error with its
 * pages intact; a server that dies in a MutableBorrow leaves its partial
 * writes; a caller that dies leaves the server's later answer succeeding.
 */
#include <stdio.h>
#include <string.h>

#include <xous.h>

static int failures;

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			printf("FAIL isolation.c:%d: %s\n", __LINE__, #c);                         \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static int is_server_gone(xous_err_t err)
{
	return err == XOUS_ERR_SERVER_NOT_FOUND || err == XOUS_ERR_PROCESS_TERMINATED;
}

int main(void)
{
	xous_sid_t bw = xous_sid_from_name("rv-borrow-write!");
	xous_sid_t pw = xous_sid_from_name("rv-partial-write");
	xous_sid_t echo = xous_sid_from_name("rv-echo-server!!");
	xous_sid_t dying = xous_sid_from_name("rv-dying-caller!");
	xous_scalar_reply_t r;
	xous_range_t page;
	size_t off, valid;
	xous_cid_t cid;
	uint8_t *p;

	CHECK(xous_map_memory(4096, 0, &page) == XOUS_OK);
	p = page.addr;

	/* a Borrow is read-only for the server: its write kills it */
	memset(p, 0x5a, 4096);
	CHECK(xous_connect(&bw, &cid) == XOUS_OK);
	CHECK(is_server_gone(xous_lend(cid, 1, page, 0, 4096, &off, &valid)));
	CHECK(p[0] == 0x5a && p[4095] == 0x5a);
	CHECK(is_server_gone(xous_send_scalar(cid, 1, 0, 0, 0, 0)));

	/* a server that dies in a MutableBorrow: its partial writes are ours */
	memset(p, 0, 4096);
	CHECK(xous_connect(&pw, &cid) == XOUS_OK);
	CHECK(is_server_gone(xous_lend_mut(cid, 1, page, 0, 0, &off, &valid)));
	CHECK(p[0] == 0xab && p[2047] == 0xab && p[2048] == 0);

	/* a caller that died: the server's answer to it still succeeds */
	CHECK(xous_connect(&echo, &cid) == XOUS_OK);
	xous_cid_t d;
	int waited = 0;
	while (xous_try_connect(&dying, &d) == XOUS_OK && waited++ < 100000)
		xous_yield();
	CHECK(xous_try_connect(&dying, &d) == XOUS_ERR_SERVER_NOT_FOUND);
	CHECK(xous_blocking_scalar(cid, 3 /* OP_RELEASE */, 0, 0, 0, 0, &r) == XOUS_OK);
	CHECK(r.v[0] == 0 && r.v[1] == 1);
	CHECK(xous_blocking_scalar(cid, 1, 41, 0, 0, 0, &r) == XOUS_OK && r.v[0] == 42);

	/* processes that passed the kernel memory not their own are gone (a
	 * bad lend is answered BAD_ADDRESS and its program returns) */
	static const char *const bad[] = {"rv-bad-lend-srv!", "rv-bad-rodata!!!",
	                                  "rv-bad-console!!"};
	for (int i = 0; i < 3; i++) {
		xous_sid_t b = xous_sid_from_name(bad[i]);
		xous_cid_t bc;
		int w = 0;
		while (xous_try_connect(&b, &bc) == XOUS_OK && w++ < 100000)
			xous_yield();
		CHECK(xous_try_connect(&b, &bc) == XOUS_ERR_SERVER_NOT_FOUND);
	}

	/* servers of other processes: not ours to receive on, destroy, or connect others to */
	xous_envelope_t env;
	CHECK(xous_receive_message(&echo, &env) == XOUS_ERR_ACCESS_DENIED);
	CHECK(xous_try_receive_message(&echo, &env) == XOUS_ERR_ACCESS_DENIED);
	CHECK(xous_destroy_server(&echo) == XOUS_ERR_ACCESS_DENIED);
	CHECK(xous_connect_for_process(xous_process_id(), &echo, &d) == XOUS_ERR_ACCESS_DENIED);
	CHECK(xous_blocking_scalar(cid, 1, 1, 0, 0, 0, &r) == XOUS_OK && r.v[0] == 2);

	printf("isolation: %s\n", failures ? "FAIL" : "PASS");
	return failures != 0;
}

/*
 * Promise 4: Borrow shows the server the caller's pages read-only, and a
 * write by the server faults the server. MutableBorrow lets the server write
 * them; the caller sees the writes and the returned offset and valid when it
 * resumes. While lent, the pages are not the caller's to touch.
 *
 * The in-process server thread probes its mapping and the caller's pages
 * with forked copies (itest_faults). The faulting writer is a second process
 * (role "writer"), so its death is the server's death, not ours.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"

#define PAGES 4
#define LEN   (PAGES * XOUS_PAGE_SIZE)

enum { OP_BORROW = 1, OP_MUTABLE = 2, OP_QUIT = 3 };

static xous_sid_t sid;
static void *caller_pages; /* the caller's address of the lent buffer */

static void serve_borrow(xous_envelope_t *env)
{
	const xous_range_t *b = &env->memory.buf;

	CHECK(b->len == LEN && env->memory.offset == 8 && env->memory.valid == 200,
	      "server: Borrow of %u bytes with offset 8 and valid 200 arrives as sent", LEN);
	CHECK(itest_verify(b->addr, b->len, 1), "server: sees the caller's bytes");
	CHECK(itest_faults(b->addr, 0) == 0, "server: can read the borrowed pages");
	CHECK(itest_faults((char *)b->addr + LEN - 1, 1) == 1,
	      "server: a write to the borrowed pages faults");
	CHECK(itest_faults(caller_pages, 0) == 1, "caller's pages cannot be read while lent");
	xous_return_memory(env->sender, 0, 0);
}

static void serve_mutable(xous_envelope_t *env)
{
	const xous_range_t *b = &env->memory.buf;

	CHECK(itest_verify(b->addr, b->len, 2), "server: MutableBorrow shows the caller's bytes");
	CHECK(itest_faults(caller_pages, 0) == 1, "caller's pages cannot be read while lent");
	CHECK(itest_faults((char *)caller_pages + XOUS_PAGE_SIZE, 1) == 1,
	      "caller's pages cannot be written while lent");
	itest_fill(b->addr, b->len, 3);
	xous_return_memory(env->sender, 16, 100);
}

static void *server(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_BORROW && env.memory.id == OP_BORROW)
			serve_borrow(&env);
		else if (env.kind == XOUS_MUTABLE_BORROW && env.memory.id == OP_MUTABLE)
			serve_mutable(&env);
		else if (env.kind == XOUS_SCALAR && env.scalar.id == OP_QUIT)
			break;
		else
			xous_envelope_done(&env);
	}
	return NULL;
}

static void lend_in_process(void)
{
	xous_range_t buf;
	xous_tid_t tid;
	xous_cid_t cid;
	size_t off = 99, valid = 99;

	REQUIRE(xous_create_server(&sid) == XOUS_OK && xous_connect(&sid, &cid) == XOUS_OK,
	        "create a server and connect");
	REQUIRE(xous_create_thread(server, NULL, &tid) == XOUS_OK, "start the server thread");
	REQUIRE(xous_map_memory(LEN, XOUS_MEM_R | XOUS_MEM_W, &buf) == XOUS_OK, "map %u bytes",
	        LEN);
	caller_pages = buf.addr;

	itest_fill(buf.addr, LEN, 1);
	CHECK_ERR(xous_lend(cid, OP_BORROW, buf, 8, 200, &off, &valid), XOUS_OK, "lend (Borrow)");
	CHECK(itest_verify(buf.addr, LEN, 1), "after a Borrow the bytes are unchanged");
	CHECK(itest_faults(buf.addr, 1) == 0, "and the caller can write them again");

	itest_fill(buf.addr, LEN, 2);
	CHECK_ERR(xous_lend_mut(cid, OP_MUTABLE, buf, 0, LEN, &off, &valid), XOUS_OK,
	          "lend_mut (MutableBorrow)");
	CHECK(itest_verify(buf.addr, LEN, 3), "the caller sees the server's writes");
	CHECK(off == 16 && valid == 100, "and the returned offset 16 and valid 100 (got %zu, %zu)",
	      off, valid);

	xous_send_scalar(cid, OP_QUIT, 0, 0, 0, 0);
	xous_join_thread(tid, NULL);
	xous_unmap_memory(buf);
}

/* Role "writer": a server that writes into a Borrow. */
static int writer_main(const char *sid_hex)
{
	xous_sid_t s;
	xous_envelope_t env;

	if (itest_sid_parse(sid_hex, &s) || xous_create_server_with_address(&s) ||
	    xous_receive_message(&s, &env) || env.kind != XOUS_BORROW)
		return 2;
	itest_default_fault_signals();
	*(volatile char *)env.memory.buf.addr = 0x5a; /* must fault */
	xous_return_memory(env.sender, 0, 0);
	return 3;
}

static void borrow_writer_dies(void)
{
	xous_sid_t s = itest_random_sid();
	char hex[33];
	xous_range_t buf;
	xous_cid_t cid;
	size_t off, valid;

	itest_sid_str(&s, hex);
	pid_t child = itest_spawn("writer", hex, NULL);
	REQUIRE(child > 0, "start a second process as the server");
	REQUIRE(xous_connect(&s, &cid) == XOUS_OK, "connect to it (waits until it exists)");
	REQUIRE(xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &buf) == XOUS_OK, "map");
	itest_fill(buf.addr, buf.len, 4);
	CHECK_ERR(xous_lend(cid, 1, buf, 0, buf.len, &off, &valid), XOUS_ERR_SERVER_NOT_FOUND,
	          "a Borrow whose server writes to it returns the server's death");
	int status = itest_wait(child);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
	      "the writing server was killed by SIGSEGV (%s)", itest_status_str(status));
	CHECK(itest_faults(buf.addr, 1) == 0, "the caller has its pages back");
	CHECK(itest_verify(buf.addr, buf.len, 4), "with its bytes intact");
	CHECK_ERR(xous_send_scalar(cid, 1, 0, 0, 0, 0), XOUS_ERR_SERVER_NOT_FOUND,
	          "later sends to the dead server");
}

int main(int argc, char **argv)
{
	const char *role = itest_role(argc, argv);

	if (role)
		return strcmp(role, "writer") == 0 && argc > 2 ? writer_main(argv[2]) : 2;
	lend_in_process();
	borrow_writer_dies();
	return itest_done();
}

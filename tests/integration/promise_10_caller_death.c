/*
 * Promise 10 (basic form): a caller dies. Its pending messages are dropped
 * (those someone would wait on; its queued Scalars were accepted already and
 * are still delivered, see docs/abi.md); the server's later answer to the
 * ones it holds succeeds quietly; no broker state leaks.
 *
 * A second process (role "caller") sends us a BlockingScalar and a
 * MutableBorrow, which we hold, then two Scalars that stay queued, and is
 * killed with SIGKILL. To know when the broker has handled the death without
 * polling, a thread of ours is blocked on a server the caller owns: its call
 * fails exactly when the caller's process is gone (promise 9). After that the
 * two queued Scalars still arrive in order, our answers return OK, and the
 * broker holds no more fds than before the caller existed.
 */
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "itest.h"

enum { OP_BLOCK = 10, OP_LEND = 11, OP_QUEUED = 12, OP_GO = 20, OP_DONE = 21 };

static xous_cid_t cid_s;

/* The caller's own server: the parent's sid with the last word flipped. */
static xous_sid_t own_sid(xous_sid_t s)
{
	s.w[3] ^= 0xffffffffu;
	return s;
}

static void *block_forever(void *arg)
{
	xous_scalar_reply_t r;
	xous_range_t page;
	size_t off, valid;

	if (arg)
		return (void *)(uintptr_t)xous_blocking_scalar(cid_s, OP_BLOCK, 0, 0, 0, 0, &r);
	if (xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page))
		return NULL;
	return (void *)(uintptr_t)xous_lend_mut(cid_s, OP_LEND, page, 0, 0, &off, &valid);
}

/* Role "caller" S C. */
static int caller_main(const char *s_hex, const char *c_hex)
{
	xous_sid_t s, c, w;
	xous_cid_t cid_c;
	xous_envelope_t env;
	xous_tid_t a, b;

	if (itest_sid_parse(s_hex, &s) || itest_sid_parse(c_hex, &c))
		return 2;
	w = own_sid(s);
	if (xous_create_server_with_address(&w) || xous_connect(&s, &cid_s) ||
	    xous_connect(&c, &cid_c))
		return 3;
	if (xous_create_thread(block_forever, (void *)1, &a) ||
	    xous_create_thread(block_forever, NULL, &b))
		return 4;
	if (xous_receive_message(&w, &env) || env.scalar.id != OP_GO)
		return 5;
	xous_send_scalar(cid_s, OP_QUEUED, 0, 0, 0, 0);
	xous_send_scalar(cid_s, OP_QUEUED, 1, 0, 0, 0);
	xous_send_scalar(cid_c, OP_DONE, 0, 0, 0, 0);
	xous_receive_message(&w, &env); /* the parent's watcher; never answered */
	for (;;)
		pause();
}

static sem_t watch_go;
static xous_cid_t cid_w; /* our connection to the caller's own server */

/* Blocks on the caller's server; its call can only end with the caller. */
static void *watcher(void *arg)
{
	xous_scalar_reply_t r;

	(void)arg;
	sem_wait(&watch_go);
	return (void *)(uintptr_t)xous_blocking_scalar(cid_w, 1, 0, 0, 0, 0, &r);
}

/* Receive the two blocking calls of the caller, in either order. */
static void hold_two(const xous_sid_t *s, xous_sender_t *scalar, xous_sender_t *memory)
{
	xous_envelope_t env;

	for (int i = 0; i < 2; i++) {
		REQUIRE(xous_receive_message(s, &env) == XOUS_OK, "receive a blocking call");
		if (env.kind == XOUS_BLOCKING_SCALAR)
			*scalar = env.sender;
		else if (env.kind == XOUS_MUTABLE_BORROW)
			*memory = env.sender;
	}
	REQUIRE(*scalar && *memory, "we hold the caller's BlockingScalar and MutableBorrow");
}

int main(int argc, char **argv)
{
	const char *role = itest_role(argc, argv);
	xous_sender_t scalar = 0, memory = 0;
	xous_sid_t s, c;
	char s_hex[33], c_hex[33];
	xous_sid_t watched;
	xous_envelope_t env;
	xous_tid_t tw;
	void *res = NULL;

	if (role)
		return strcmp(role, "caller") == 0 && argc > 3 ? caller_main(argv[2], argv[3]) : 2;
	sem_init(&watch_go, 0, 0);
	REQUIRE(xous_create_server(&s) == XOUS_OK && xous_create_server(&c) == XOUS_OK,
	        "create a server and a control server");
	watched = own_sid(s);
	int fds_before = itest_broker_fds();
	REQUIRE(xous_create_thread(watcher, NULL, &tw) == XOUS_OK, "start a watcher thread");
	itest_sid_str(&s, s_hex);
	itest_sid_str(&c, c_hex);
	pid_t child = itest_spawn("caller", s_hex, c_hex);
	REQUIRE(child > 0, "start the caller process");
	hold_two(&s, &scalar, &memory);
	REQUIRE(xous_connect(&watched, &cid_w) == XOUS_OK, "connect to the caller's server");
	REQUIRE(xous_send_scalar(cid_w, OP_GO, 0, 0, 0, 0) == XOUS_OK, "tell it to queue more");
	REQUIRE(xous_receive_message(&c, &env) == XOUS_OK && env.scalar.id == OP_DONE,
	        "it has queued two Scalars");

	sem_post(&watch_go);
	kill(child, SIGKILL);
	itest_wait(child);
	CHECK_ERR(xous_join_thread(tw, &res), XOUS_OK, "join the watcher");
	CHECK_ERR((xous_err_t)(uintptr_t)res, XOUS_ERR_SERVER_NOT_FOUND,
	          "the watcher's call fails: the broker has handled the death");
	CHECK_ERR(xous_return_scalar(scalar, 5), XOUS_OK,
	          "answering the dead caller's BlockingScalar succeeds quietly");
	CHECK_ERR(xous_return_memory(memory, 0, 0), XOUS_OK,
	          "answering its MutableBorrow succeeds quietly");
	for (uintptr_t i = 0; i < 2; i++) {
		CHECK_ERR(xous_try_receive_message(&s, &env), XOUS_OK, "try_receive");
		CHECK(env.kind == XOUS_SCALAR && env.scalar.id == OP_QUEUED &&
		              env.scalar.arg[0] == i,
		      "its queued Scalar %u still arrives, in order", (unsigned)i);
	}
	CHECK_ERR(xous_try_receive_message(&s, &env), XOUS_OK, "try_receive");
	CHECK(env.kind == XOUS_NO_MESSAGE, "and nothing else of it is queued");
	int fds_after = itest_broker_fds();
	if (fds_before < 0)
		itest_note("the broker is not our parent: fd count not checked");
	else
		CHECK(fds_after <= fds_before, "the broker holds no more fds than before (%d, %d)",
		      fds_before, fds_after);
	return itest_done();
}

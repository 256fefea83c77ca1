/*
 * Promise 9 (basic form): a server dies; every caller blocked on it or
 * queued to it gets an error at once (ServerNotFound, docs/abi.md); later
 * sends on those connection ids fail; memory a caller had lent comes back,
 * for a MutableBorrow with the server's partial writes.
 *
 * Three ways to die: kill -9 of a second process (role "holder") that holds a
 * MutableBorrow and has a BlockingScalar queued; a second process that exits
 * on its own while holding a message; DestroyServer in this process while one
 * caller is held, one queued and a receiver waits.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"

#define LEN (4 * XOUS_PAGE_SIZE)
enum { OP_HOLDING = 1 };

static xous_range_t lent;

enum holder_end { HOLD_UNTIL_KILLED, HOLD_THEN_EXIT, HOLD_THEN_SIGSYS };

/* Role "holder*" S C: hold the first message, tell C, then end as told. */
static int holder_main(const char *s_hex, const char *c_hex, enum holder_end end)
{
	xous_sid_t s, c;
	xous_cid_t cid_c;
	xous_envelope_t env;

	if (itest_sid_parse(s_hex, &s) || itest_sid_parse(c_hex, &c) ||
	    xous_create_server_with_address(&s) || xous_connect(&c, &cid_c) ||
	    xous_receive_message(&s, &env))
		return 2;
	if (env.kind == XOUS_MUTABLE_BORROW) /* partial writes: the first half */
		itest_fill(env.memory.buf.addr, env.memory.buf.len / 2, 22);
	xous_send_scalar(cid_c, OP_HOLDING, env.kind, 0, 0, 0);
	if (end == HOLD_THEN_EXIT)
		return 0;
	if (end == HOLD_THEN_SIGSYS) /* outside the default sandbox policy */
		return socket(AF_INET, SOCK_STREAM, 0) >= 0 ? 3 : 4;
	for (;;)
		pause(); /* killed by the parent */
}

enum call_kind { CALL_BLOCKING_SCALAR, CALL_LEND_MUT, CALL_SEND_SCALAR };

struct call {
	xous_cid_t cid;
	enum call_kind kind;
	xous_err_t err;
};

static void *call_thread(void *arg)
{
	struct call *c = arg;
	xous_scalar_reply_t r;
	size_t off, valid;

	if (c->kind == CALL_LEND_MUT)
		c->err = xous_lend_mut(c->cid, 1, lent, 0, LEN, &off, &valid);
	else if (c->kind == CALL_SEND_SCALAR)
		c->err = xous_send_scalar(c->cid, 2, 0, 0, 0, 0);
	else
		c->err = xous_blocking_scalar(c->cid, 2, 0, 0, 0, 0, &r);
	return NULL;
}

/* Start a holder process, have it hold one call; returns its pid. */
static pid_t start_holder(const xous_sid_t *ctl, const char *role, struct call *held, xous_tid_t *t)
{
	const char *sandbox = strcmp(role, "holder-sigsys") == 0 ? "XOUS_SANDBOX=default" : NULL;
	xous_sid_t s = itest_random_sid();
	char s_hex[33], c_hex[33];
	xous_envelope_t env;

	itest_sid_str(&s, s_hex);
	itest_sid_str(ctl, c_hex);
	pid_t pid = itest_spawn_env(sandbox, role, s_hex, c_hex);
	REQUIRE(pid > 0, "start a server process (%s)", role);
	REQUIRE(xous_connect(&s, &held->cid) == XOUS_OK, "connect to it");
	REQUIRE(xous_create_thread(call_thread, held, t) == XOUS_OK, "call it from a thread");
	REQUIRE(xous_receive_message(ctl, &env) == XOUS_OK && env.scalar.id == OP_HOLDING,
	        "the server holds our call");
	return pid;
}

static void killed_server(const xous_sid_t *ctl)
{
	struct call held = {.kind = CALL_LEND_MUT}, queued = {0};
	struct call waiting = {.kind = CALL_SEND_SCALAR};
	xous_tid_t t1, t2, t3;
	static char orig[LEN];
	int n = 0;

	REQUIRE(xous_map_memory(LEN, XOUS_MEM_R | XOUS_MEM_W, &lent) == XOUS_OK, "map");
	itest_fill(lent.addr, LEN, 21);
	memcpy(orig, lent.addr, LEN);
	pid_t pid = start_holder(ctl, "holder", &held, &t1);
	queued.cid = held.cid;
	REQUIRE(xous_create_thread(call_thread, &queued, &t2) == XOUS_OK, "queue a second call");
	CHECK_ERR(xous_send_scalar(held.cid, 3, 0, 0, 0, 0), XOUS_OK, "queue a Scalar as well");
	while (n < 100000 && xous_try_send_scalar(held.cid, 3, 0, 0, 0, 0) == XOUS_OK)
		n++;
	waiting.cid = held.cid;
	REQUIRE(xous_create_thread(call_thread, &waiting, &t3) == XOUS_OK,
	        "fill the queue (%d more); a third thread's send_scalar waits for space", n);
	kill(pid, SIGKILL);
	xous_join_thread(t1, NULL);
	xous_join_thread(t2, NULL);
	xous_join_thread(t3, NULL);
	CHECK_ERR(held.err, XOUS_ERR_SERVER_NOT_FOUND, "kill -9: the held lend_mut fails");
	CHECK(itest_faults(lent.addr, 1) == 0, "its pages are the caller's again");
	CHECK(itest_verify(lent.addr, LEN / 2, 22), "with the server's partial writes");
	CHECK(memcmp((char *)lent.addr + LEN / 2, orig + LEN / 2, LEN / 2) == 0,
	      "and the caller's own bytes where the server wrote nothing");
	CHECK_ERR(queued.err, XOUS_ERR_SERVER_NOT_FOUND,
	          "kill -9: the queued blocking_scalar fails");
	CHECK_ERR(waiting.err, XOUS_ERR_SERVER_NOT_FOUND,
	          "kill -9: the send_scalar waiting for queue space fails");
	CHECK_ERR(xous_send_scalar(held.cid, 4, 0, 0, 0, 0), XOUS_ERR_SERVER_NOT_FOUND,
	          "a later send on the same cid");
	CHECK_ERR(xous_try_send_scalar(held.cid, 4, 0, 0, 0, 0), XOUS_ERR_SERVER_NOT_FOUND,
	          "a later try_send on the same cid");
	itest_wait(pid);
	xous_unmap_memory(lent);
}

static void exited_server(const xous_sid_t *ctl)
{
	struct call held = {0};
	xous_scalar_reply_t r;
	xous_tid_t t;

	pid_t pid = start_holder(ctl, "holder-exit", &held, &t);
	xous_join_thread(t, NULL);
	CHECK_ERR(held.err, XOUS_ERR_SERVER_NOT_FOUND,
	          "a server process exits holding a blocking_scalar: the caller fails");
	CHECK_ERR(xous_blocking_scalar(held.cid, 5, 0, 0, 0, 0, &r), XOUS_ERR_SERVER_NOT_FOUND,
	          "a later blocking_scalar on the same cid");
	int status = itest_wait(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the server exited by itself (%s)",
	      itest_status_str(status));
}

static void sandboxed_server(const xous_sid_t *ctl)
{
	struct call held = {0};
	xous_tid_t t;

	pid_t pid = start_holder(ctl, "holder-sigsys", &held, &t);
	xous_join_thread(t, NULL);
	CHECK_ERR(held.err, XOUS_ERR_SERVER_NOT_FOUND,
	          "a sandboxed server dies by its sandbox holding a blocking_scalar: the caller "
	          "fails");
	int status = itest_wait(pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS,
	      "the server was killed by SIGSYS for calling socket() (%s)",
	      itest_status_str(status));
}

static xous_sid_t doomed;

static void *receiver(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	return (void *)(uintptr_t)xous_receive_message(&doomed, &env);
}

static void destroyed_server(void)
{
	struct call held = {0}, queued = {0};
	xous_envelope_t env;
	xous_tid_t t1, t2, tr;
	void *res = NULL;

	REQUIRE(xous_create_server(&doomed) == XOUS_OK, "create a server in this process");
	REQUIRE(xous_connect(&doomed, &held.cid) == XOUS_OK, "connect to it");
	queued.cid = held.cid;
	REQUIRE(xous_create_thread(call_thread, &held, &t1) == XOUS_OK, "a caller");
	REQUIRE(xous_receive_message(&doomed, &env) == XOUS_OK, "receive its call and hold it");
	REQUIRE(xous_create_thread(call_thread, &queued, &t2) == XOUS_OK, "a second caller");
	CHECK_ERR(xous_destroy_server(&doomed), XOUS_OK, "destroy the server");
	xous_join_thread(t1, NULL);
	xous_join_thread(t2, NULL);
	CHECK_ERR(held.err, XOUS_ERR_SERVER_NOT_FOUND, "DestroyServer: the held caller fails");
	CHECK_ERR(queued.err, XOUS_ERR_SERVER_NOT_FOUND, "DestroyServer: the queued caller fails");
	itest_note("answering the held message after DestroyServer: %s",
	           xous_strerror(xous_return_scalar(env.sender, 1)));
	CHECK_ERR(xous_send_scalar(held.cid, 1, 0, 0, 0, 0), XOUS_ERR_SERVER_NOT_FOUND,
	          "a later send on its cid");
	CHECK_ERR(xous_try_connect(&doomed, &held.cid), XOUS_ERR_SERVER_NOT_FOUND,
	          "try_connect to it");

	REQUIRE(xous_create_server(&doomed) == XOUS_OK, "create another server");
	REQUIRE(xous_create_thread(receiver, NULL, &tr) == XOUS_OK, "a thread receives on it");
	CHECK_ERR(xous_destroy_server(&doomed), XOUS_OK, "destroy it");
	CHECK_ERR(xous_join_thread(tr, &res), XOUS_OK, "join the receiver");
	CHECK_ERR((xous_err_t)(uintptr_t)res, XOUS_ERR_SERVER_NOT_FOUND,
	          "DestroyServer: its receiver fails");
}

int main(int argc, char **argv)
{
	const char *role = itest_role(argc, argv);
	xous_sid_t ctl;

	if (role && argc > 3 && strcmp(role, "holder") == 0)
		return holder_main(argv[2], argv[3], HOLD_UNTIL_KILLED);
	if (role && argc > 3 && strcmp(role, "holder-exit") == 0)
		return holder_main(argv[2], argv[3], HOLD_THEN_EXIT);
	if (role && argc > 3 && strcmp(role, "holder-sigsys") == 0)
		return holder_main(argv[2], argv[3], HOLD_THEN_SIGSYS);
	if (role)
		return 2;
	REQUIRE(xous_create_server(&ctl) == XOUS_OK, "create a control server");
	killed_server(&ctl);
	exited_server(&ctl);
	sandboxed_server(&ctl);
	destroyed_server();
	return itest_done();
}

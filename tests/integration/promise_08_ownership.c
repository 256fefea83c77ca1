/*
 * Promise 8: a process can use only the connection ids it was given, receive
 * only on servers it created, and answer only messages it received; anything
 * else is an error, not a crash.
 *
 * A second process (role "owner") creates server S. We may connect and send
 * to S, but not receive on it, destroy it or create it again. The owner hands
 * us the sender token of a message it holds (our own BlockingScalar); we may
 * not answer it (AccessDenied), the owner may. xous_connect_for_process
 * (an extension in <xous.h>) is refused to anyone but the owner of
 * xous-name-server, which we become for the last case: under --no-fleet
 * that well-known id is PROGRAM's role, which the owner (a process that
 * attached by hand) does not hold.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "itest.h"

enum { OP_CALL = 1, OP_GO = 2, OP_QUIT = 3, OP_USE_CID = 4, OP_TOKEN = 10, OP_VIA_CFP = 11 };

static xous_cid_t cid_s;

/* Role "owner" S C: serve S, tell C the token of the message it holds. */
static int owner_main(const char *s_hex, const char *c_hex)
{
	xous_sid_t s, c, names = xous_sid_from_name(XOUS_NAME_NAMES);
	xous_cid_t cid_c;
	xous_envelope_t env;
	xous_sender_t held;

	if (itest_sid_parse(s_hex, &s) || itest_sid_parse(c_hex, &c) ||
	    xous_create_server_with_address(&s) || xous_connect(&c, &cid_c))
		return 2;
	if (xous_create_server_with_address(&names) != XOUS_ERR_ACCESS_DENIED)
		return 9; /* only PROGRAM may be the name server under --no-fleet */
	if (xous_receive_message(&s, &env) || env.kind != XOUS_BLOCKING_SCALAR)
		return 3;
	held = env.sender;
	if (xous_send_scalar(cid_c, OP_TOKEN, held, 0, 0, 0))
		return 4;
	if (xous_receive_message(&s, &env) || env.scalar.id != OP_GO)
		return 5;
	if (xous_return_scalar(held, 42))
		return 6;
	/* A cid the name server's owner made for us: it must work here. */
	if (xous_receive_message(&s, &env) || env.scalar.id != OP_USE_CID ||
	    xous_send_scalar((xous_cid_t)env.scalar.arg[0], OP_VIA_CFP, 0, 0, 0, 0))
		return 7;
	if (xous_receive_message(&s, &env) || env.scalar.id != OP_QUIT)
		return 8;
	return 0;
}

static void *caller(void *arg)
{
	xous_scalar_reply_t r = {0};
	xous_err_t err = xous_blocking_scalar(cid_s, OP_CALL, 0, 0, 0, 0, &r);

	(void)arg;
	return (void *)(err ? (uintptr_t)-1 : r.v[0]);
}

static void not_my_server(const xous_sid_t *s)
{
	xous_envelope_t env;

	CHECK_ERR(xous_receive_message(s, &env), XOUS_ERR_ACCESS_DENIED,
	          "receive on another process's server");
	CHECK_ERR(xous_try_receive_message(s, &env), XOUS_ERR_ACCESS_DENIED,
	          "try_receive on another process's server");
	CHECK_ERR(xous_destroy_server(s), XOUS_ERR_ACCESS_DENIED,
	          "destroy another process's server");
	CHECK_ERR(xous_create_server_with_address(s), XOUS_ERR_SERVER_EXISTS,
	          "create a server with its address");
}

static void not_my_message(xous_sender_t token, xous_sender_t scalar_sender)
{
	CHECK(xous_sender_pid(token) == xous_process_id(),
	      "the held message's token carries our pid as its caller (%u)",
	      xous_sender_pid(token));
	CHECK(xous_sender_pid(scalar_sender) != xous_process_id() &&
	              xous_sender_pid(scalar_sender) >= 2,
	      "a message from the owner carries the owner's pid (%u)",
	      xous_sender_pid(scalar_sender));
	CHECK_ERR(xous_return_scalar(token, 1), XOUS_ERR_ACCESS_DENIED,
	          "return_scalar on a message another process holds");
	CHECK_ERR(xous_return_scalar2(token, 1, 2), XOUS_ERR_ACCESS_DENIED, "return_scalar2 on it");
	CHECK_ERR(xous_return_scalar5(token, 1, 2, 3, 4, 5), XOUS_ERR_ACCESS_DENIED,
	          "return_scalar5 on it");
	CHECK_ERR(xous_return_memory(token, 0, 0), XOUS_ERR_ACCESS_DENIED, "return_memory on it");
	CHECK_ERR(xous_return_scalar(scalar_sender, 1), XOUS_ERR_DOUBLE_FREE,
	          "answering a Scalar (which needs no answer)");
	CHECK_ERR(xous_return_scalar(0, 1), XOUS_ERR_INVALID_ARGUMENT, "answering token 0");
}

/*
 * ConnectForProcess is the name server's alone. Under --no-fleet nobody owns
 * xous-name-server, so we first fail, then become its owner and may.
 */
static void connect_for_process(xous_pid_t owner)
{
	xous_sid_t names = xous_sid_from_name(XOUS_NAME_NAMES), d;
	xous_envelope_t env;
	xous_cid_t cid;

	REQUIRE(xous_create_server(&d) == XOUS_OK, "create a server D");
	CHECK_ERR(xous_connect_for_process(owner, &d, &cid), XOUS_ERR_ACCESS_DENIED,
	          "connect_for_process when we do not own xous-name-server");
	REQUIRE(xous_create_server_with_address(&names) == XOUS_OK,
	        "become xous-name-server (no fleet runs)");
	CHECK_ERR(xous_connect_for_process(9999, &d, &cid), XOUS_ERR_PROCESS_NOT_FOUND,
	          "connect_for_process to pid 9999");
	CHECK_ERR(xous_connect_for_process(owner, &d, &cid), XOUS_OK,
	          "connect_for_process of the owner (pid %u) to D, as the name server", owner);
	CHECK_ERR(xous_send_scalar(cid_s, OP_USE_CID, cid, 0, 0, 0), XOUS_OK,
	          "hand the owner that cid");
	CHECK(xous_receive_message(&d, &env) == XOUS_OK && env.scalar.id == OP_VIA_CFP &&
	              xous_sender_pid(env.sender) == owner,
	      "the owner used it: D receives from the owner's pid");
	xous_destroy_server(&names);
}

int main(int argc, char **argv)
{
	const char *role = itest_role(argc, argv);
	xous_sid_t s = itest_random_sid(), c;
	char s_hex[33], c_hex[33];
	xous_envelope_t env;
	xous_tid_t tid;
	void *res = NULL;

	if (role)
		return strcmp(role, "owner") == 0 && argc > 3 ? owner_main(argv[2], argv[3]) : 2;
	REQUIRE(xous_create_server(&c) == XOUS_OK, "create our own server");
	itest_sid_str(&s, s_hex);
	itest_sid_str(&c, c_hex);
	pid_t child = itest_spawn("owner", s_hex, c_hex);
	REQUIRE(child > 0, "start the owner process");
	REQUIRE(xous_connect(&s, &cid_s) == XOUS_OK, "connect to the owner's server");
	not_my_server(&s);
	CHECK(xous_send_scalar(200, 1, 0, 0, 0, 0) != XOUS_OK, "a cid we were never given (200)");

	REQUIRE(xous_create_thread(caller, NULL, &tid) == XOUS_OK, "call the owner from a thread");
	REQUIRE(xous_receive_message(&c, &env) == XOUS_OK && env.kind == XOUS_SCALAR &&
	                env.scalar.id == OP_TOKEN,
	        "the owner sends us the token of the message it holds");
	not_my_message((xous_sender_t)env.scalar.arg[0], env.sender);
	xous_pid_t owner = xous_sender_pid(env.sender);

	CHECK_ERR(xous_send_scalar(cid_s, OP_GO, 0, 0, 0, 0), XOUS_OK, "let the owner answer");
	CHECK_ERR(xous_join_thread(tid, &res), XOUS_OK, "join the caller");
	CHECK(res == (void *)42, "the caller got the owner's answer, not ours");
	connect_for_process(owner);
	CHECK_ERR(xous_send_scalar(cid_s, OP_QUIT, 0, 0, 0, 0), XOUS_OK, "tell the owner to quit");
	int status = itest_wait(child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the owner saw everything as expected (%s)", itest_status_str(status));
	return itest_done();
}

/*
 * restart.c - a crashed fleet server comes back (fleet file restart=always)
 * and its clients carry on through the name server.
 *
 * The broker runs the fleet file restart.fleet (the default fleet and this
 * program in role "serve" under the default sandbox), then this program as
 * PROGRAM. Each round: connect to "rel-restart" through the name server,
 * check it answers, make it crash (a fault) in the middle of a blocking
 * call, which must fail with SERVER_NOT_FOUND, then reconnect through the
 * name server (waiting for the name) and find a new instance that answers.
 *
 *   xous-hostd --fleet restart.fleet -- rel_restart [ROUNDS]    (ctest: 3)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xous/names.h>

#include "rel.h"

#define NAME "rel-restart"

enum { OP_PID = 1, OP_CRASH = 2 };

static int role_serve(void)
{
	xous_envelope_t env;
	xous_sid_t sid;

	xous_err_t err = xns_register_name(NAME, 0, &sid);

	if (err) {
		fprintf(stderr, "rel-restart: cannot register %s: %s\n", NAME, xous_strerror(err));
		return 2;
	}
	while (xous_receive_message(&sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == OP_PID)
			xous_return_scalar(env.sender, (uintptr_t)getpid());
		else if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == OP_CRASH)
			*(volatile int *)(uintptr_t)env.scalar.arg[0] = 1; /* arg 0: a fault */
		xous_envelope_done(&env);
	}
	return 3;
}

/* Connect through the name server (waiting for the name) and ask for the pid. */
static uintptr_t instance(xous_cid_t *cid)
{
	xous_scalar_reply_t r;
	xous_err_t err = xns_request_connection_blocking(NAME, cid);

	if (err != XOUS_OK) {
		itest_note("connect through the name server: %s", xous_strerror(err));
		return 0;
	}
	err = xous_blocking_scalar(*cid, OP_PID, 0, 0, 0, 0, &r);
	if (err != XOUS_OK) {
		itest_note("a call on cid %u: %s", *cid, xous_strerror(err));
		return 0;
	}
	return r.v[0];
}

int main(int argc, char **argv)
{
	const char *role = itest_role(argc, argv);
	int rounds = 3, r;
	uintptr_t pid, next;
	xous_scalar_reply_t reply;
	xous_cid_t cid;

	if (role && strcmp(role, "serve") == 0)
		return role_serve();
	if (role)
		rounds = atoi(role);
	REQUIRE(rounds > 0, "usage: rel_restart [ROUNDS]");
	pid = instance(&cid);
	REQUIRE(pid != 0, "the fleet server answers through the name server");
	for (r = 1; r <= rounds; r++) {
		CHECK_ERR(xous_blocking_scalar(cid, OP_CRASH, 0, 0, 0, 0, &reply),
		          XOUS_ERR_SERVER_NOT_FOUND,
		          "round %d: the server crashes during a call: the caller gets an error",
		          r);
		next = instance(&cid);
		CHECK(next != 0 && next != pid,
		      "round %d: restarted (pid %lu, was %lu); reconnected through the name server",
		      r, (unsigned long)next, (unsigned long)pid);
		if (next == 0)
			break;
		pid = next;
	}
	return itest_done();
}

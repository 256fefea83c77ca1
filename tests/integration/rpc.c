/*
 * rpc.c - xous_rpc_call keeps its regions between calls
 * (runtime/rpc_client.c). What that must not change:
 *   - a server sees nothing of an earlier call past the request (the bytes
 *     after `valid` are zero, even after a longer request or reply);
 *   - threads calling at once each get their own reply;
 *   - a forked child (a new Xous process sharing its parent's memfd pages)
 *     and its parent calling at once each get their own reply (a race: with
 *     the child using its parent's buffer this failed 1 run in 5).
 * The server is a thread of this process that echoes a names LookupRequest.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xous/rpc.h>

#include "itest.h"
#include "names.pb-c.h"

#define THREADS 4
#define CALLS   200

static xous_sid_t g_sid;
static volatile int g_dirty; /* requests whose tail was not zero */

/* Echo: the request's frame (<xous/rpc.h>) comes back as the reply; the
 * tail is checked. */
static void *echo_server(void *arg)
{
	xous_envelope_t env = {0};

	(void)arg;
	for (;;) {
		if (xous_receive_message(&g_sid, &env) != XOUS_OK)
			continue;
		if (env.kind != XOUS_MUTABLE_BORROW) {
			xous_envelope_done(&env);
			continue;
		}
		unsigned char *b = env.memory.buf.addr;
		size_t valid = env.memory.valid, len = env.memory.buf.len;
		for (size_t i = valid; i < len; i++)
			if (b[i] != 0) {
				g_dirty++;
				break;
			}
		/* the request's frame is a valid reply of the same type: echo it */
		xous_return_memory(env.sender, env.memory.offset == XOUS_RPC_FRAMED_OFFSET ? 0 : 1,
		                   valid);
		env.kind = XOUS_NO_MESSAGE;
	}
	return NULL;
}

/* One call with name; 1 if the reply is that name. */
static int echo_call(xous_cid_t cid, const char *name, size_t len)
{
	NamesPb__LookupRequest req = NAMES_PB__LOOKUP_REQUEST__INIT;
	ProtobufCMessage *reply = NULL;

	req.name.data = (uint8_t *)name;
	req.name.len = len;
	if (xous_rpc_call(cid, 0, &req.base, &names_pb__lookup_request__descriptor, &reply) !=
	    XOUS_OK)
		return 0;
	NamesPb__LookupRequest *r = (NamesPb__LookupRequest *)reply;
	int ok = r->name.len == len && (len == 0 || memcmp(r->name.data, name, len) == 0);
	protobuf_c_message_free_unpacked(reply, NULL);
	return ok;
}

struct caller {
	xous_cid_t cid;
	int id, ok;
};

static void *caller_thread(void *arg)
{
	struct caller *c = arg;
	char name[64];

	for (int i = 0; i < CALLS; i++) {
		int n = snprintf(name, sizeof name, "thread %d call %d", c->id, i);
		c->ok += echo_call(c->cid, name, (size_t)n);
	}
	return NULL;
}

/* The same calls in a forked child (exit 0 if all came back right) and here. */
static void forked(xous_cid_t cid)
{
	static char name[3000]; /* long: packing takes a while, calls overlap more */
	int ok = 0;
	pid_t pid = fork();

	if (pid < 0)
		REQUIRE(0, "fork");
	if (pid == 0) {
		xous_cid_t own;
		if (xous_connect(&g_sid, &own) != XOUS_OK)
			_exit(2);
		for (int i = 0; i < CALLS; i++) {
			memset(name, 'c' + i % 2, sizeof name);
			ok += echo_call(own, name, sizeof name);
		}
		_exit(ok == CALLS ? 0 : 1);
	}
	for (int i = 0; i < CALLS; i++) {
		memset(name, 'p' + i % 2, sizeof name);
		ok += echo_call(cid, name, sizeof name);
	}
	int status;
	waitpid(pid, &status, 0);
	CHECK(ok == CALLS, "parent beside a forked child: %d of %d replies its own", ok, CALLS);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the forked child's %d calls got their own replies (%s)", CALLS,
	      itest_status_str(status));
}

int main(void)
{
	static char big[3000];
	pthread_t server, t[THREADS];
	struct caller c[THREADS];
	xous_cid_t cid;

	REQUIRE(xous_create_server(&g_sid) == XOUS_OK, "create the echo server");
	REQUIRE(pthread_create(&server, NULL, echo_server, NULL) == 0, "its thread");
	REQUIRE(xous_connect(&g_sid, &cid) == XOUS_OK, "connect");

	memset(big, 'x', sizeof big);
	CHECK(echo_call(cid, big, sizeof big), "a 3000-byte request comes back");
	CHECK(echo_call(cid, "short", 5), "then a 5-byte one");
	CHECK(echo_call(cid, "", 0), "then an empty one");
	CHECK(g_dirty == 0, "no request showed the server bytes past its end (%d did)", g_dirty);

	for (int i = 0; i < THREADS; i++) {
		c[i] = (struct caller){cid, i, 0};
		REQUIRE(pthread_create(&t[i], NULL, caller_thread, &c[i]) == 0, "caller thread");
	}
	int ok = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		ok += c[i].ok;
	}
	CHECK(ok == THREADS * CALLS, "%d threads at once: %d of %d replies their own", THREADS, ok,
	      THREADS * CALLS);
	forked(cid);
	CHECK(g_dirty == 0, "and still no stale bytes (%d)", g_dirty);
	return itest_done();
}

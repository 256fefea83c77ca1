/*
 * ctl-client.c - a client for xousctl's tests, attached by hand
 * (XOUS_HOSTD): it serves "ctl-echo" (BlockingScalar: a1 + 1), keeps one
 * thread waiting for a name nobody registers, and calls the ticktimer in a
 * loop so that monitor and trace have messages to show. It prints "ready"
 * once all three are under way, and runs until killed.
 *
 * ctl-client wait: waits for the name "ctl-nobody" in its one thread.
 * ctl-client deadlock: it and a child it forks each serve a name and call
 * the other's server without ever receiving: a cycle of blocked calls.
 * Either way it stays blocked until killed. If it cannot reach the broker
 * it prints xous_host_error() and exits 1.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <xous.h>
#include <xous/host.h>
#include <xous/names.h>
#include <xous/ticktimer.h>

static void *wait_forever(void *arg)
{
	xous_cid_t cid;

	(void)arg;
	xns_request_connection_blocking("ctl-nobody", &cid);
	return NULL;
}

static void *serve(void *arg)
{
	const xous_sid_t *sid = arg;
	xous_envelope_t env;

	while (xous_receive_message(sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_BLOCKING_SCALAR)
			xous_return_scalar(env.sender, env.scalar.arg[0] + 1);
		xous_envelope_done(&env);
	}
	return NULL;
}

/* Serve name mine (never receiving) and call the server named theirs. */
static int call_other(const char *mine, const char *theirs)
{
	xous_sid_t sid;
	xous_cid_t cid;
	xous_scalar_reply_t r;

	if (xns_register_name(mine, 0, &sid) || xns_request_connection_blocking(theirs, &cid))
		return 1;
	return xous_blocking_scalar(cid, 1, 0, 0, 0, 0, &r) != XOUS_OK;
}

static int cannot_start(void)
{
	fprintf(stderr, "ctl-client: cannot start: %s\n",
	        xous_host_error() ? xous_host_error() : "?");
	return 1;
}

int main(int argc, char **argv)
{
	static xous_sid_t sid;
	xous_tid_t tid;
	uint64_t ms;

	if (argc > 1 && !strcmp(argv[1], "wait")) {
		xous_cid_t cid;

		return xns_request_connection_blocking("ctl-nobody", &cid) ? cannot_start() : 0;
	}
	if (argc > 1 && !strcmp(argv[1], "deadlock"))
		return fork() == 0 ? call_other("ctl-dl-b", "ctl-dl-a")
		                   : call_other("ctl-dl-a", "ctl-dl-b");
	if (xns_register_name("ctl-echo", 0, &sid) || xous_create_thread(serve, &sid, &tid) ||
	    xous_create_thread(wait_forever, NULL, &tid))
		return cannot_start();
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		tt_elapsed_ms(&ms);
		tt_sleep_ms(50);
	}
}

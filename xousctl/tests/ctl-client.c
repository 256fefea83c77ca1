/*
 * ctl-client.c - a client for xousctl's tests, attached by hand
 * (XOUS_HOSTD): it serves "ctl-echo" (BlockingScalar: a1 + 1), keeps one
 * thread waiting for a name nobody registers, and calls the ticktimer in a
 * loop so that monitor and trace have messages to show. It prints "ready"
 * once all three are under way, and runs until killed.
 */
#include <stdio.h>

#include <xous.h>
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

int main(void)
{
	static xous_sid_t sid;
	xous_tid_t tid;
	uint64_t ms;

	if (xns_register_name("ctl-echo", 0, &sid) || xous_create_thread(serve, &sid, &tid) ||
	    xous_create_thread(wait_forever, NULL, &tid)) {
		fprintf(stderr, "ctl-client: cannot start\n");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		tt_elapsed_ms(&ms);
		tt_sleep_ms(50);
	}
}

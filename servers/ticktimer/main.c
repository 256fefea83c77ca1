/*
 * xous-ticktimer: tt_dispatch() served by xous_serve(), plus the wake-up
 * thread: it sleeps until the earliest deadline and then sends
 * RecalculateSleep to this server, so the loop only ever waits for messages.
 */
#include <resea/global.h>
#include <stdio.h>
#include <xous/serve.h>

#include "ticktimer.h"

#ifndef XOUS_VERSION
#define XOUS_VERSION "unknown"
#endif

static struct tt_state state;
static xous_cid_t self_cid;

static void *wake_thread(void *arg)
{
	(void)arg;
	for (;;) {
		tt_platform_wait();
		xous_send_scalar(self_cid, TT_OP_RECALCULATE_SLEEP, 0, 0, 0, 0);
	}
	return NULL;
}

/* Serve env now, then arm the wake-up thread for the earliest deadline. */
static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	xous_answer_t a = tt_dispatch(st, env, tt_platform_now_ms());
	uint64_t deadline = 0;
	int any = tt_next_deadline(st, &deadline);

	tt_platform_arm(any, deadline);
	return a;
}

int main(void)
{
	xous_sid_t sid = xous_sid_from_name(TICKTIMER_SERVER_NAME);
	xous_tid_t tid;
	xous_err_t err;

	tt_init(&state, &xous_server_io_kernel, tt_platform_now_ms(), "xous-host " XOUS_VERSION);
	state.notify = global_notify;
	err = xous_create_server_with_address(&sid);
	if (err == XOUS_OK)
		err = xous_connect(&sid, &self_cid);
	if (err == XOUS_OK)
		err = xous_create_thread(wake_thread, NULL, &tid);
	if (err) {
		fprintf(stderr, "xous-ticktimer: cannot start: %s\n", xous_strerror(err));
		return 1;
	}
	return xous_serve_program(&sid, 0, serve, &state);
}

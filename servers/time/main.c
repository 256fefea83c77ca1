/* xous-time: time_dispatch() served by xous_serve(), on the platform's clock. */
#include <stdio.h>
#include <xous/serve.h>

#include "timesrv.h"

static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	return time_dispatch(st, env, time_platform_utc_ms());
}

int main(void)
{
	xous_sid_t sid = xous_sid_from_name(TIME_SERVER_NAME);
	struct time_state state;
	xous_err_t err;

	time_init(&state);
	err = xous_create_server_with_address(&sid);
	if (err) {
		fprintf(stderr, "xous-time: cannot create server: %s\n", xous_strerror(err));
		return 1;
	}
	err = xous_serve(&sid, serve, &state);
	fprintf(stderr, "xous-time: %s\n", xous_strerror(err));
	return 1;
}

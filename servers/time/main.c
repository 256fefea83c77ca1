/* xous-time: time_dispatch() served by xous_serve(), on the platform's clock. */
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

	time_init(&state);
	return xous_serve_program(&sid, 1, serve, &state);
}

/* xous-resea_time: rtime_dispatch() served by xous_serve() as "time", on the platform's clock. */
#include <xous/names.h>
#include <xous/serve.h>

#include "rtime.h"

static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	(void)st;
	return rtime_dispatch(env, rtime_platform_unix_now());
}

int main(void)
{
	return xns_serve_program(RTIME_SERVER_NAME, serve, NULL);
}

/*
 * xous-benchmark: benchmark_dispatch() served by xous_serve(), under the
 * name "benchmark" (registered with the name server, which creates the
 * server).
 */
#include <stdio.h>
#include <xous/names.h>
#include <xous/serve.h>

#include "benchmark.h"

static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	return benchmark_dispatch(st, env);
}

int main(void)
{
	static struct benchmark_state state;
	xous_sid_t sid;
	xous_err_t err = xns_register_name(BENCHMARK_SERVER_NAME, 0, &sid);

	if (err) {
		fprintf(stderr, "xous-benchmark: registering \"%s\": %s\n", BENCHMARK_SERVER_NAME,
		        xous_strerror(err));
		return 1;
	}
	benchmark_init(&state);
	return xous_serve_program(&sid, 0, serve, &state);
}

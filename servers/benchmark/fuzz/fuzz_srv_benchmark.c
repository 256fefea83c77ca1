/*
 * fuzz_srv_benchmark.c - fuzz target `srv_benchmark`: benchmark_dispatch()
 * with the checking io table of fuzz_server.h (it never parks).
 */
#include "benchmark.h"
#include "fuzz_server.h"

static struct benchmark_state st;

static void init(uint64_t now)
{
	(void)now;
	benchmark_init(&st);
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	(void)now;
	return benchmark_dispatch(&st, env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {
	        .svc = &benchmark_pb__benchmark__descriptor,
	        .init = init,
	        .dispatch = dispatch,
	};

	return fsrv_run(&t, data, size);
}

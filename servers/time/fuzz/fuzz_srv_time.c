/*
 * fuzz_srv_time.c - fuzz target `srv_time`: time_dispatch() with the
 * checking io table of fuzz_server.h (the time server never parks).
 */
#include "fuzz_server.h"
#include "timesrv.h"

static struct time_state st;

static void init(uint64_t now)
{
	(void)now;
	time_init(&st);
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	return time_dispatch(&st, env, 1700000000000ull + now);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {
	        .init = init,
	        .dispatch = dispatch,
	};

	return fsrv_run(&t, data, size);
}

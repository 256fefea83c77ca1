/*
 * fuzz_srv_resea_time.c - fuzz target `srv_resea_time`: rtime_dispatch()
 * with the checking io table of fuzz_server.h (the server has no state and
 * never parks); an answer carries the clock whole. Seeds as srv_rtc's.
 */
#include "fuzz_server.h"
#include "rtime.h"

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	uint64_t t = now * 0x9e3779b97f4a7c15ull; /* the clock, all 64 bits of it */
	xous_answer_t a = rtime_dispatch(env, t);

	if (a.kind == XOUS_ANSWER_SCALAR2)
		FZ_CHECK(((uint64_t)(uint32_t)a.v[0] | (uint64_t)(uint32_t)a.v[1] << 32) == t);
	return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {.dispatch = dispatch};

	return fsrv_run(&t, data, size);
}

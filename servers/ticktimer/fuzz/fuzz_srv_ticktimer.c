/*
 * fuzz_srv_ticktimer.c - fuzz target `srv_ticktimer`: tt_dispatch() and
 * tt_expire() with the checking io table of fuzz_server.h (sleepers, mutex
 * and condition waiters stay parked until answered).
 */
#include <stdlib.h>

#include "fuzz_server.h"
#include "ticktimer.h"

static struct tt_state st;

static void init(uint64_t now)
{
	tt_init(&st, &fsrv_io, now, "fuzz");
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	return tt_dispatch(&st, env, now);
}

static size_t waiting(void)
{
	return tt_waiting(&st);
}

static void tick(uint64_t now)
{
	uint64_t deadline;

	tt_expire(&st, now);
	if (tt_next_deadline(&st, &deadline))
		FZ_CHECK(deadline > now); /* everything due was answered */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {
	        .init = init,
	        .dispatch = dispatch,
	        .waiting = waiting,
	        .tick = tick,
	};

	return fsrv_run(&t, data, size);
}

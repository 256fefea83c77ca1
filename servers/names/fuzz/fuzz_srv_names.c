/*
 * fuzz_srv_names.c - fuzz target `srv_names`: names_dispatch() with the
 * checking io table of fuzz_server.h (BlockingConnect calls stay parked).
 */
#include "fuzz_server.h"
#include "names.h"

static struct names_state st;

static void init(uint64_t now)
{
	(void)now;
	names_init(&st, &fsrv_io, fsrv_random);
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	(void)now;
	return names_dispatch(&st, env);
}

static size_t waiting(void)
{
	return names_waiting(&st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {
	        .svc = &names_pb__names__descriptor,
	        .init = init,
	        .dispatch = dispatch,
	        .waiting = waiting,
	};

	return fsrv_run(&t, data, size);
}

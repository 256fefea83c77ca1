/*
 * fuzz_srv_names.c - fuzz target `srv_names`: names_dispatch() and
 * discovery_dispatch() on one table, with the checking io table of
 * fuzz_server.h (BlockingConnect and Lookup calls stay parked). Messages go
 * to the two servers in turn; discovery's methods take the name server's
 * messages (Serve a RegisterRequest, Lookup a LookupRequest), so the
 * envelopes built for names' opcodes 0 and 1 fit discovery's too.
 */
#include "fuzz_server.h"
#include "names.h"

static struct names_state st;
static unsigned turn;

static void init(uint64_t now)
{
	static const xous_sid_t discovery = {{FSRV_SELF_PID, 0xd15c, 0, 0}};

	(void)now;
	turn = 0;
	names_init(&st, &fsrv_io, fsrv_random);
	FZ_CHECK(names_serve_discovery(&st, &discovery) == XOUS_OK);
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	(void)now;
	return turn++ % 2 ? discovery_dispatch(&st, env) : names_dispatch(&st, env);
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

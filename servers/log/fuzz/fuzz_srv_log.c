/*
 * fuzz_srv_log.c - fuzz target `srv_log`: log_dispatch() with the checking
 * io table of fuzz_server.h; output goes nowhere (the log never parks).
 */
#include "fuzz_server.h"
#include "logsrv.h"

static struct log_state st;

static void out(const char *buf, size_t len)
{
	volatile char sink = 0;
	size_t i;

	for (i = 0; i < len; i++) /* read every byte: ASan checks the range */
		sink ^= buf[i];
	(void)sink;
}

static uint64_t utc_ms(void)
{
	return 1700000000000ull;
}

static void init(uint64_t now)
{
	(void)now;
	log_init(&st, 5, out, utc_ms);
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	(void)now;
	return log_dispatch(&st, env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {
	        .svc = &log_pb__log__descriptor,
	        .init = init,
	        .dispatch = dispatch,
	};

	return fsrv_run(&t, data, size);
}

/*
 * fuzz_srv_shm_test.c - fuzz target `srv_shm_test`: shm_test_dispatch()
 * behind the checking io table of fuzz_server.h.
 */
#include "fuzz_server.h"
#include "shm_testsrv.h"

static struct shm_test_state st;

static void init(uint64_t now)
{
	st.err = now % 2 ? XOUS_ERR_OUT_OF_MEMORY : XOUS_OK;
	st.id = 1;
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	(void)now;
	return shm_test_dispatch(&st, env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {
	        .init = init,
	        .dispatch = dispatch,
	};

	return fsrv_run(&t, data, size);
}

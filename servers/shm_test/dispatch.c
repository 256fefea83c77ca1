/* The shm_test server's dispatch: the id of its "hello task" region. */
#include "shm_testsrv.h"

xous_answer_t shm_test_dispatch(struct shm_test_state *st, xous_envelope_t *env)
{
	if (env->kind != XOUS_BLOCKING_SCALAR || env->scalar.id != SHM_TEST_OP_READ)
		return xous_answer_none();
	if (st->err)
		return xous_answer_scalar2(XOUS_ERR_UNAVAILABLE, 0);
	return xous_answer_scalar2(XOUS_OK, (uintptr_t)(uint32_t)st->id);
}

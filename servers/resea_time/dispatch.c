/* Resea's time server's dispatch: the clock's seconds since 1970. */
#include "rtime.h"

/* A scalar answer to a Scalar goes nowhere: nobody waits for it. */
xous_answer_t rtime_dispatch(xous_envelope_t *env, uint64_t unix_now)
{
	if ((env->kind != XOUS_SCALAR && env->kind != XOUS_BLOCKING_SCALAR) ||
	    env->scalar.id != RTIME_OP_GETTIMEOFDAY)
		return xous_answer_none();
	return xous_answer_scalar2((uint32_t)unix_now, (uint32_t)(unix_now >> 32));
}

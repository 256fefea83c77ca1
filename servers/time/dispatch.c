/* The time server's dispatch: the host's wall clock, an adjustment, a zone. */
#include <string.h>

#include "timesrv.h"

int64_t time_arg64(uintptr_t a1, uintptr_t a2, uintptr_t a3)
{
	if (a2 == 0 && a3 != TIME_ARG_TWO_WORDS)
		return (int64_t)(intptr_t)a1;
	return (int64_t)(((uint64_t)(uint32_t)a1 << 32) | (uint32_t)a2);
}

static xous_answer_t answer64(int64_t v)
{
	uint64_t u = (uint64_t)v;

	return xous_answer_scalar2((uint32_t)u, (uint32_t)(u >> 32));
}

static xous_answer_t set_tz(struct time_state *st, const xous_envelope_t *env)
{
	int64_t off = time_arg64(env->scalar.arg[0], env->scalar.arg[1], env->scalar.arg[2]);

	if (off < -TIME_MAX_TZ_OFFSET_MS || off > TIME_MAX_TZ_OFFSET_MS)
		return xous_answer_scalar1(XOUS_ERR_INVALID_ARGUMENT);
	st->tz_offset_ms = off;
	return xous_answer_scalar1(0);
}

static xous_answer_t set_utc(struct time_state *st, const xous_envelope_t *env,
                             uint64_t host_utc_ms)
{
	int64_t want = time_arg64(env->scalar.arg[0], env->scalar.arg[1], env->scalar.arg[2]);

	/* 1970 .. 9999: keeps every later sum far from overflow */
	if (want < 0 || want > TIME_MAX_UTC_MS)
		return xous_answer_scalar1(XOUS_ERR_INVALID_ARGUMENT);
	st->utc_adjust_ms = want - (int64_t)host_utc_ms;
	return xous_answer_scalar1(0);
}

/* A scalar answer to a Scalar goes nowhere: nobody waits for it. */
xous_answer_t time_dispatch(struct time_state *st, xous_envelope_t *env, uint64_t host_utc_ms)
{
	int64_t utc = (int64_t)host_utc_ms + st->utc_adjust_ms;

	if (env->kind != XOUS_SCALAR && env->kind != XOUS_BLOCKING_SCALAR)
		return xous_answer_none();
	switch (env->scalar.id) {
	case TIME_OP_SET_UTC_TIME_MS:
		return set_utc(st, env, host_utc_ms);
	case TIME_OP_GET_UTC_TIME_MS:
		return answer64(utc);
	case TIME_OP_GET_LOCAL_TIME_MS:
		return answer64(utc + st->tz_offset_ms);
	case TIME_OP_SET_TZ_OFFSET_MS:
		return set_tz(st, env);
	case TIME_OP_WALL_CLOCK_TIME_INIT:
		return xous_answer_scalar1(1);
	default:
		return xous_answer_none();
	}
}

void time_init(struct time_state *st)
{
	memset(st, 0, sizeof(*st));
}

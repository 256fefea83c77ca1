/* The time server's dispatch: the host's wall clock, an adjustment, a zone. */
#include <string.h>

#include "timesrv.h"

int64_t time_arg64(uintptr_t a1, uintptr_t a2, uintptr_t a3)
{
	if (a2 == 0 && a3 != TIME_ARG_TWO_WORDS)
		return (int64_t)(intptr_t)a1;
	return (int64_t)(((uint64_t)(uint32_t)a1 << 32) | (uint32_t)a2);
}

static void reply1(struct time_state *st, const xous_envelope_t *env, uintptr_t v)
{
	if (env->kind == XOUS_BLOCKING_SCALAR)
		st->io->return_scalar(env->sender, v);
}

static void reply64(struct time_state *st, const xous_envelope_t *env, int64_t v)
{
	uint64_t u = (uint64_t)v;

	if (env->kind == XOUS_BLOCKING_SCALAR)
		st->io->return_scalar2(env->sender, (uint32_t)u, (uint32_t)(u >> 32));
}

static void set_tz(struct time_state *st, const xous_envelope_t *env)
{
	int64_t off = time_arg64(env->scalar.arg[0], env->scalar.arg[1], env->scalar.arg[2]);

	if (off < -TIME_MAX_TZ_OFFSET_MS || off > TIME_MAX_TZ_OFFSET_MS) {
		reply1(st, env, XOUS_ERR_INVALID_ARGUMENT);
		return;
	}
	st->tz_offset_ms = off;
	reply1(st, env, 0);
}

void time_dispatch(struct time_state *st, xous_envelope_t *env, uint64_t host_utc_ms)
{
	int64_t utc = (int64_t)host_utc_ms + st->utc_adjust_ms;

	if (env->kind != XOUS_SCALAR && env->kind != XOUS_BLOCKING_SCALAR) {
		st->io->envelope_done(env);
		return;
	}
	switch (env->scalar.id) {
	case TIME_OP_SET_UTC_TIME_MS: {
		int64_t want =
		        time_arg64(env->scalar.arg[0], env->scalar.arg[1], env->scalar.arg[2]);
		/* 1970 .. 9999: keeps every later sum far from overflow (found by fuzzing) */
		if (want < 0 || want > TIME_MAX_UTC_MS) {
			reply1(st, env, XOUS_ERR_INVALID_ARGUMENT);
			break;
		}
		st->utc_adjust_ms = want - (int64_t)host_utc_ms;
		reply1(st, env, 0);
		break;
	}
	case TIME_OP_GET_UTC_TIME_MS:
		reply64(st, env, utc);
		break;
	case TIME_OP_GET_LOCAL_TIME_MS:
		reply64(st, env, utc + st->tz_offset_ms);
		break;
	case TIME_OP_SET_TZ_OFFSET_MS:
		set_tz(st, env);
		break;
	case TIME_OP_WALL_CLOCK_TIME_INIT:
		reply1(st, env, 1);
		break;
	default:
		st->io->envelope_done(env);
	}
}

void time_init(struct time_state *st, const struct xous_server_io *io)
{
	memset(st, 0, sizeof(*st));
	st->io = io;
}

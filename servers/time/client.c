/* The time server's client stubs, compiled into libxous-host. */
#include <xous/time.h>

#include "conn_cache.h"
#include "export.h"
#include "api.h"

static struct servers_conn_cache time_conn;

static xous_err_t time_call(uint32_t op, uintptr_t a1, uintptr_t a2, uintptr_t a3,
                            xous_scalar_reply_t *r)
{
	xous_cid_t cid;
	xous_err_t err = servers_conn_cached(&time_conn, TIME_SERVER_NAME, 1, &cid);

	if (err)
		return err;
	return xous_blocking_scalar(cid, op, a1, a2, a3, 0, r);
}

static xous_err_t get64(uint32_t op, uint64_t *ms)
{
	xous_scalar_reply_t r;
	xous_err_t err;

	if (ms == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = time_call(op, 0, 0, 0, &r);
	if (err == XOUS_OK)
		*ms = (uint64_t)(uint32_t)r.v[0] | (uint64_t)(uint32_t)r.v[1] << 32;
	return err;
}

XOUS_EXPORT xous_err_t xtime_utc_ms(uint64_t *ms)
{
	return get64(TIME_OP_GET_UTC_TIME_MS, ms);
}

XOUS_EXPORT xous_err_t xtime_local_ms(uint64_t *ms)
{
	return get64(TIME_OP_GET_LOCAL_TIME_MS, ms);
}

/* 64-bit values travel as Xous sends them, high word then low word, with
 * a3 = TIME_ARG_TWO_WORDS so that a low word of 0 is not mistaken for the
 * one-word form. */
static xous_err_t set64(uint32_t op, uint64_t v)
{
	xous_scalar_reply_t r;
	xous_err_t err = time_call(op, (uint32_t)(v >> 32), (uint32_t)v, TIME_ARG_TWO_WORDS, &r);

	if (err == XOUS_OK && r.v[0] != 0)
		err = (xous_err_t)r.v[0];
	return err;
}

XOUS_EXPORT xous_err_t xtime_set_tz_offset_ms(int64_t offset_ms)
{
	if (offset_ms < -TIME_MAX_TZ_OFFSET_MS || offset_ms > TIME_MAX_TZ_OFFSET_MS)
		return XOUS_ERR_INVALID_ARGUMENT;
	return set64(TIME_OP_SET_TZ_OFFSET_MS, (uint64_t)offset_ms);
}

XOUS_EXPORT xous_err_t xtime_set_utc_ms(uint64_t ms)
{
	return set64(TIME_OP_SET_UTC_TIME_MS, ms);
}

XOUS_EXPORT xous_err_t xtime_wall_clock_init(int *init)
{
	xous_scalar_reply_t r;
	xous_err_t err;

	if (init == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = time_call(TIME_OP_WALL_CLOCK_TIME_INIT, 0, 0, 0, &r);
	if (err == XOUS_OK)
		*init = r.v[0] != 0;
	return err;
}

/* The ticktimer's client stubs, compiled into libxous-host. */
#include <string.h>
#include <xous/ticktimer.h>

#include "conn_cache.h"
#include "export.h"
#include "api.h"

static struct servers_conn_cache tt_conn;

static xous_err_t tt_cid(xous_cid_t *cid)
{
	return servers_conn_cached(&tt_conn, TICKTIMER_SERVER_NAME, 1, cid);
}

static xous_err_t tt_call(uint32_t op, uintptr_t a1, uintptr_t a2, xous_scalar_reply_t *r)
{
	xous_cid_t cid;
	xous_err_t err = tt_cid(&cid);

	if (err)
		return err;
	return xous_blocking_scalar(cid, op, a1, a2, 0, 0, r);
}

XOUS_EXPORT xous_err_t tt_elapsed_ms(uint64_t *ms)
{
	xous_scalar_reply_t r;
	xous_err_t err;

	if (ms == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = tt_call(TT_OP_ELAPSED_MS, 0, 0, &r);
	if (err == XOUS_OK)
		*ms = (uint64_t)(uint32_t)r.v[0] | (uint64_t)(uint32_t)r.v[1] << 32;
	return err;
}

XOUS_EXPORT xous_err_t tt_sleep_ms(uint32_t ms)
{
	xous_scalar_reply_t r;

	return tt_call(TT_OP_SLEEP_MS, ms, 0, &r);
}

XOUS_EXPORT xous_err_t tt_notify_after_ms(uint32_t ms)
{
	xous_scalar_reply_t r;

	return tt_call(TT_OP_NOTIFY_AFTER_MS, ms, 0, &r);
}

XOUS_EXPORT xous_err_t tt_get_version(char *buf, size_t len)
{
	xous_range_t page;
	size_t off = 0, valid = 0;
	xous_cid_t cid;
	xous_err_t err;

	if (buf == NULL || len == 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = tt_cid(&cid);
	if (err == XOUS_OK)
		err = xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page);
	if (err)
		return err;
	err = xous_lend_mut(cid, TT_OP_GET_VERSION, page, 0, 0, &off, &valid);
	if (err == XOUS_OK) {
		if (valid > len - 1)
			valid = len - 1;
		memcpy(buf, page.addr, valid);
		buf[valid] = '\0';
	}
	xous_unmap_memory(page);
	return err;
}

XOUS_EXPORT xous_err_t tt_lock_mutex(uintptr_t id)
{
	xous_scalar_reply_t r;

	return tt_call(TT_OP_LOCK_MUTEX, id, 0, &r);
}

XOUS_EXPORT xous_err_t tt_unlock_mutex(uintptr_t id)
{
	xous_scalar_reply_t r;

	return tt_call(TT_OP_UNLOCK_MUTEX, id, 0, &r);
}

XOUS_EXPORT xous_err_t tt_free_mutex(uintptr_t id)
{
	xous_scalar_reply_t r;

	return tt_call(TT_OP_FREE_MUTEX, id, 0, &r);
}

XOUS_EXPORT xous_err_t tt_wait_condition(uintptr_t id, uint32_t timeout_ms, int *timed_out)
{
	xous_scalar_reply_t r;
	xous_err_t err = tt_call(TT_OP_WAIT_FOR_CONDITION, id, timeout_ms, &r);

	if (err == XOUS_OK && timed_out)
		*timed_out = r.v[0] != 0;
	return err;
}

XOUS_EXPORT xous_err_t tt_notify_condition(uintptr_t id, uint32_t count, uint32_t *woken)
{
	xous_scalar_reply_t r;
	xous_err_t err = tt_call(TT_OP_NOTIFY_CONDITION, id, count, &r);

	if (err == XOUS_OK && woken)
		*woken = (uint32_t)r.v[0];
	return err;
}

XOUS_EXPORT xous_err_t tt_free_condition(uintptr_t id)
{
	xous_scalar_reply_t r;

	return tt_call(TT_OP_FREE_CONDITION, id, 0, &r);
}

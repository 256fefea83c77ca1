/* The rtc server's client stub, compiled into libxous-host. */
#include <resea/rtc.h>
#include <xous/names.h>

#include "conn_cache.h"
#include "export.h"
#include "api.h"

static struct servers_conn_cache rtc_conn;

XOUS_EXPORT xous_err_t rtc_read(struct rtc_date *out)
{
	xous_scalar_reply_t r;
	xous_cid_t cid;
	xous_err_t err;

	if (out == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = servers_conn_by(&rtc_conn, xns_request_connection_blocking, RTC_SERVER_NAME, &cid);
	if (err == XOUS_OK)
		err = xous_blocking_scalar(cid, RTC_OP_READ, 0, 0, 0, 0, &r);
	if (err)
		return err;
	if (r.count != 5 || r.v[1] == 0)
		return XOUS_ERR_INTERNAL_ERROR; /* the clock is outside the calendar */
	out->year = (uint32_t)r.v[0];
	out->month = (uint8_t)r.v[1];
	out->day = (uint8_t)r.v[2];
	out->day_of_week = (uint8_t)r.v[3];
	out->hour = (uint8_t)(r.v[4] >> 16);
	out->minute = (uint8_t)(r.v[4] >> 8);
	out->second = (uint8_t)r.v[4];
	return XOUS_OK;
}

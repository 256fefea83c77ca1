/* Resea's time server's client stub, compiled into libxous-host. */
#include <resea/time.h>
#include <xous/names.h>

#include "conn_cache.h"
#include "export.h"
#include "api.h"

static struct servers_conn_cache rtime_conn;

XOUS_EXPORT xous_err_t time_gettimeofday(uint64_t *unixtime)
{
	xous_scalar_reply_t r;
	xous_cid_t cid;
	xous_err_t err;

	if (unixtime == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = servers_conn_by(&rtime_conn, xns_request_connection_blocking, RTIME_SERVER_NAME,
	                      &cid);
	if (err == XOUS_OK)
		err = xous_blocking_scalar(cid, RTIME_OP_GETTIMEOFDAY, 0, 0, 0, 0, &r);
	if (err == XOUS_OK)
		*unixtime = (uint64_t)(uint32_t)r.v[0] | (uint64_t)(uint32_t)r.v[1] << 32;
	return err;
}

/* The ip server's client stubs (<resea/ip.h>), in libxous-host and the RV32 runtime. */
#include <resea/ip.h>
#include <xous/names.h>

#include "api.h"
#include "conn_cache.h"
#include "export.h"

static struct servers_conn_cache ip_conn;

static xous_err_t ip_call(uint32_t op, uintptr_t a1, xous_scalar_reply_t *r)
{
	xous_cid_t cid;
	xous_err_t err =
	        servers_conn_by(&ip_conn, xns_request_connection_blocking, IP_SERVER_NAME, &cid);

	return err ? err : xous_blocking_scalar(cid, op, a1, 0, 0, 0, r);
}

static void put_addr(uint8_t out[4], uintptr_t a)
{
	for (int i = 0; i < 4; i++)
		out[i] = (uint8_t)(a >> (24 - 8 * i));
}

static xous_err_t ip_info_by(uint32_t op, struct ip_info *out)
{
	xous_scalar_reply_t r;
	xous_err_t err;

	if (out == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = ip_call(op, 0, &r);
	if (err)
		return err;
	if (r.count != 5)
		return XOUS_ERR_INTERNAL_ERROR;
	out->state = (uint32_t)r.v[0];
	put_addr(out->addr, r.v[1]);
	put_addr(out->netmask, r.v[2]);
	put_addr(out->router, r.v[3]);
	out->lease_s = (uint32_t)r.v[4];
	return XOUS_OK;
}

XOUS_EXPORT xous_err_t ip_info(struct ip_info *out)
{
	return ip_info_by(IP_OP_INFO, out);
}

XOUS_EXPORT xous_err_t ip_wait_lease(struct ip_info *out)
{
	xous_err_t err = ip_info_by(IP_OP_WAIT, out);

	if (err == XOUS_OK && out->state != IP_STATE_BOUND && out->state != IP_STATE_RENEWING)
		return XOUS_ERR_OUT_OF_MEMORY; /* too many waiting already */
	return err;
}

XOUS_EXPORT xous_err_t ip_count(enum ip_count which, uint64_t *value)
{
	xous_scalar_reply_t r;
	xous_err_t err;

	if (value == NULL || (unsigned)which >= IP_NCOUNTS)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = ip_call(IP_OP_COUNT, (uintptr_t)which, &r);
	if (err == XOUS_OK && r.count != 2)
		err = XOUS_ERR_INTERNAL_ERROR;
	if (err == XOUS_OK && r.v[0] != XOUS_OK)
		err = (xous_err_t)r.v[0];
	if (err == XOUS_OK)
		*value = r.v[1];
	return err;
}

/* The net server's client stubs (<resea/net.h>), in libxous-host and the RV32 runtime. */
#include <resea/net.h>
#include <string.h>
#include <xous/names.h>

#include "api.h"
#include "conn_cache.h"
#include "export.h"

static struct servers_conn_cache net_conn;

static xous_err_t net_conn_get(xous_cid_t *cid)
{
	return servers_conn_by(&net_conn, xns_request_connection_blocking, NET_SERVER_NAME, cid);
}

/* One page of the caller's holding data (len bytes, at most a page). */
static xous_err_t net_page(const void *data, size_t len, xous_range_t *page)
{
	xous_err_t err = xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, page);

	if (err == XOUS_OK)
		memcpy(page->addr, data, len);
	return err;
}

XOUS_EXPORT xous_err_t net_tx(const void *frame, size_t len)
{
	xous_range_t page;
	xous_cid_t cid;
	xous_err_t err;

	if (frame == NULL || len < NET_FRAME_MIN || len > NET_FRAME_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = net_conn_get(&cid);
	if (err == XOUS_OK)
		err = net_page(frame, len, &page);
	if (err)
		return err;
	err = xous_send_memory(cid, NET_OP_TX, page, 0, len);
	if (err)
		xous_unmap_memory(page);
	return err;
}

XOUS_EXPORT xous_err_t net_listen(const xous_sid_t *to, uint32_t opcode)
{
	struct net_listen_req req = {.opcode = opcode};
	size_t status = 0, valid = 0;
	xous_range_t page;
	xous_cid_t cid;
	xous_err_t err;

	if (to == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	memcpy(req.to, to->w, sizeof(req.to));
	err = net_conn_get(&cid);
	if (err == XOUS_OK)
		err = net_page(&req, sizeof(req), &page);
	if (err)
		return err;
	err = xous_lend(cid, NET_OP_LISTEN, page, 0, sizeof(req), &status, &valid);
	xous_unmap_memory(page);
	return err ? err : (xous_err_t)status;
}

XOUS_EXPORT xous_err_t net_mac(uint8_t mac[6])
{
	xous_scalar_reply_t r;
	xous_cid_t cid;
	xous_err_t err;

	if (mac == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = net_conn_get(&cid);
	if (err == XOUS_OK)
		err = xous_blocking_scalar(cid, NET_OP_MAC, 0, 0, 0, 0, &r);
	if (err)
		return err;
	if (r.count != 2)
		return XOUS_ERR_INTERNAL_ERROR;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)((i < 4 ? r.v[0] : r.v[1]) >> (8 * (i % 4)));
	return XOUS_OK;
}

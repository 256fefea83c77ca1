/* The blk server's client stubs (<resea/blk.h>). */
#include <resea/blk.h>
#include <string.h>
#include <xous/names.h>
#include <xous/rpc.h>

#include "api.h"
#include "blk.pb-c.h"
#include "conn_cache.h"
#include "export.h"

/* Room in a read's region beyond its data: the request's frame before the
 * data and the reply's after it (servers/blk/dispatch.c reads in place). */
#define BLK_READ_ROOM 512u

static struct servers_conn_cache blk_conn;

/* Through the name server: "blk" is not a 16-byte well-known name. */
static xous_err_t blk_cid(xous_cid_t *cid)
{
	return servers_conn_by(&blk_conn, xns_request_connection_blocking, BLK_SERVER_NAME, cid);
}

XOUS_EXPORT xous_err_t blk_read(uint64_t sector, size_t num_sectors, void *buf)
{
	BlkPb__ReadRequest req = BLK_PB__READ_REQUEST__INIT;
	ProtobufCMessage *reply = NULL;
	BlkPb__Data *rep;
	size_t len = num_sectors * BLK_SECTOR_SIZE;
	xous_cid_t cid;
	xous_err_t err;

	if (buf == NULL || num_sectors == 0 || num_sectors > XOUS_OOL_MAX / BLK_SECTOR_SIZE)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = blk_cid(&cid);
	if (err)
		return err;
	req.sector = sector;
	req.num_sectors = (uint32_t)num_sectors;
	err = xous_rpc_call_sized(cid, BLK_OP_READ, &req.base, &blk_pb__data__descriptor, &reply,
	                          len + BLK_READ_ROOM);
	if (err)
		return err;
	rep = (BlkPb__Data *)reply;
	if (rep->data.len == len)
		memcpy(buf, rep->data.data, len);
	else
		err = XOUS_ERR_SERIALIZATION_ERROR; /* not what was asked for */
	protobuf_c_message_free_unpacked(reply, NULL);
	return err;
}

XOUS_EXPORT xous_err_t blk_write(uint64_t sector, const void *data, size_t len)
{
	BlkPb__WriteRequest req = BLK_PB__WRITE_REQUEST__INIT;
	xous_cid_t cid;
	xous_err_t err;

	if (data == NULL || len == 0 || len % BLK_SECTOR_SIZE || len > XOUS_OOL_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = blk_cid(&cid);
	if (err)
		return err;
	req.sector = sector;
	req.data.data = (uint8_t *)data;
	req.data.len = len;
	return xous_rpc_call(cid, BLK_OP_WRITE, &req.base, NULL, NULL);
}

XOUS_EXPORT xous_err_t blk_flush(void)
{
	BlkPb__Empty req = BLK_PB__EMPTY__INIT;
	xous_cid_t cid;
	xous_err_t err = blk_cid(&cid);

	return err ? err : xous_rpc_call(cid, BLK_OP_FLUSH, &req.base, NULL, NULL);
}

XOUS_EXPORT xous_err_t blk_capacity(uint64_t *num_sectors)
{
	BlkPb__Empty req = BLK_PB__EMPTY__INIT;
	ProtobufCMessage *reply = NULL;
	xous_cid_t cid;
	xous_err_t err;

	if (num_sectors == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = blk_cid(&cid);
	if (err == XOUS_OK)
		err = xous_rpc_call(cid, BLK_OP_GET_CAPACITY, &req.base,
		                    &blk_pb__capacity__descriptor, &reply);
	if (err == XOUS_OK) {
		*num_sectors = ((BlkPb__Capacity *)reply)->num_sectors;
		protobuf_c_message_free_unpacked(reply, NULL);
	}
	return err;
}

/*
 * Client side of <xous/rpc.h>: one page-multiple buffer per call, lent
 * mutably, so the server writes the reply over the request.
 */
#include <string.h>
#include <xous/rpc.h>

#include "export.h"

static size_t page_round(size_t n)
{
	size_t pages = (n + XOUS_PAGE_SIZE - 1) / XOUS_PAGE_SIZE;

	return (pages ? pages : 1) * XOUS_PAGE_SIZE;
}

static xous_err_t rpc_unpack(const ProtobufCMessageDescriptor *reply_desc, const xous_range_t *buf,
                             size_t valid, ProtobufCMessage **reply)
{
	if (reply_desc == NULL || reply == NULL)
		return XOUS_OK;
	if (valid > buf->len)
		return XOUS_ERR_SERIALIZATION_ERROR;
	*reply = protobuf_c_message_unpack(reply_desc, NULL, valid, buf->addr);
	return *reply ? XOUS_OK : XOUS_ERR_SERIALIZATION_ERROR;
}

XOUS_EXPORT xous_err_t xous_rpc_call(xous_cid_t cid, uint32_t opcode, const ProtobufCMessage *req,
                                     const ProtobufCMessageDescriptor *reply_desc,
                                     ProtobufCMessage **reply)
{
	xous_range_t buf;
	size_t size, ret_offset = 0, ret_valid = 0;
	xous_err_t err;

	if (reply)
		*reply = NULL;
	if (req == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	size = protobuf_c_message_get_packed_size(req);
	if (size > XOUS_RPC_MAX_PAYLOAD)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = xous_map_memory(page_round(size), XOUS_MEM_R | XOUS_MEM_W, &buf);
	if (err)
		return err;
	protobuf_c_message_pack(req, buf.addr);
	err = xous_lend_mut(cid, opcode, buf, 0, size, &ret_offset, &ret_valid);
	if (err == XOUS_OK && ret_offset != 0)
		err = (xous_err_t)ret_offset; /* the server's status */
	if (err == XOUS_OK)
		err = rpc_unpack(reply_desc, &buf, ret_valid, reply);
	xous_unmap_memory(buf);
	return err;
}

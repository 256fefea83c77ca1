/*
 * Client side of <xous/rpc.h>: one page-multiple buffer per call, lent
 * mutably, so the server writes the reply over the request.
 *
 * The buffer of a small call (up to RPC_KEEP bytes) is kept for the next
 * one, so that a call costs its lend and not also a map and an unmap (on
 * Linux: memfd_create, ftruncate, fcntl, mmap, munmap, close). One buffer per
 * process, taken by one call at a time; a call that finds it taken, or
 * needs more, maps its own. What a call does not overwrite is zeroed, so a
 * server never sees the bytes of an earlier call (another server's reply).
 * A forked child (a new process id) does not use its parent's buffer: the
 * memfd pages are shared between them.
 */
#include <stdatomic.h>
#include <string.h>
#include <xous/rpc.h>

#include "export.h"

static size_t page_round(size_t n)
{
	size_t pages = (n + XOUS_PAGE_SIZE - 1) / XOUS_PAGE_SIZE;

	return (pages ? pages : 1) * XOUS_PAGE_SIZE;
}

#define RPC_KEEP XOUS_PAGE_SIZE

static xous_range_t kept;   /* the kept buffer, or len 0 */
static xous_pid_t kept_pid; /* the process it was mapped for */
static atomic_flag kept_busy = ATOMIC_FLAG_INIT;

/* A buffer of len bytes (a page multiple): the kept one if free and big
 * enough, else a new mapping. *from_kept says which. */
static xous_err_t rpc_buffer(size_t len, xous_range_t *buf, int *from_kept)
{
	*from_kept = len <= RPC_KEEP && !atomic_flag_test_and_set(&kept_busy);
	if (*from_kept && kept.len && kept_pid != xous_process_id())
		kept.len = 0; /* the parent's: left to it */
	if (*from_kept && kept.len == 0) {
		if (xous_map_memory(RPC_KEEP, XOUS_MEM_R | XOUS_MEM_W, &kept) != XOUS_OK)
			kept.len = 0;
		kept_pid = xous_process_id();
	}
	if (*from_kept && kept.len >= len) {
		buf->addr = kept.addr;
		buf->len = len;
		return XOUS_OK;
	}
	if (*from_kept)
		atomic_flag_clear(&kept_busy);
	*from_kept = 0;
	return xous_map_memory(len, XOUS_MEM_R | XOUS_MEM_W, buf);
}

static void rpc_buffer_done(xous_range_t buf, int from_kept)
{
	if (from_kept)
		atomic_flag_clear(&kept_busy);
	else
		xous_unmap_memory(buf);
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
	int from_kept;
	xous_err_t err;

	if (reply)
		*reply = NULL;
	if (req == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	size = protobuf_c_message_get_packed_size(req);
	if (size > XOUS_RPC_MAX_PAYLOAD)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = rpc_buffer(page_round(size), &buf, &from_kept);
	if (err)
		return err;
	protobuf_c_message_pack(req, buf.addr);
	if (from_kept) /* a new mapping is zero-filled already */
		memset((char *)buf.addr + size, 0, buf.len - size);
	err = xous_lend_mut(cid, opcode, buf, 0, size, &ret_offset, &ret_valid);
	if (err == XOUS_OK && ret_offset != 0)
		err = (xous_err_t)ret_offset; /* the server's status */
	if (err == XOUS_OK)
		err = rpc_unpack(reply_desc, &buf, ret_valid, reply);
	rpc_buffer_done(buf, from_kept);
	return err;
}

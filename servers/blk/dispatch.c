/*
 * The blk server's dispatch: checks every range against the device, then
 * hands whole sectors to it. A read goes straight into the caller's lent
 * region when the call is a framed MutableBorrow with room after its
 * request (the reply refers to it in place: no copy); else into memory of
 * its own, copied into the reply.
 */
#include <stdlib.h>

#include "blk.h"

xous_err_t blk_range_check(const struct blk_device *dev, uint64_t sector, uint64_t len)
{
	uint64_t n = len / BLK_SECTOR_SIZE;

	if (len == 0 || len % BLK_SECTOR_SIZE || len > XOUS_OOL_MAX || sector >= dev->num_sectors ||
	    n > dev->num_sectors - sector)
		return XOUS_ERR_INVALID_ARGUMENT;
	return XOUS_OK;
}

static struct blk_state *state_of(BlkPb__Blk_Service *svc)
{
	return (struct blk_state *)svc; /* svc is the state's first member */
}

/* Room for len bytes inside the caller's region, past the request's frame,
 * leaving the reply's frame room after it: the place, or NULL. */
static uint8_t *in_region(void *closure_data, size_t len)
{
	const xous_envelope_t *env = ((xous_rpc_req_t *)closure_data)->env;
	size_t at = (env->memory.valid + 63u) & ~(size_t)63u, frame_room = 256;

	if (env->kind != XOUS_MUTABLE_BORROW || env->memory.offset != XOUS_RPC_FRAMED_OFFSET ||
	    at > env->memory.buf.len || env->memory.buf.len - at < frame_room ||
	    env->memory.buf.len - at - frame_room < len)
		return NULL;
	return (uint8_t *)env->memory.buf.addr + at;
}

static void do_read(BlkPb__Blk_Service *svc, const BlkPb__ReadRequest *in,
                    BlkPb__Data_Closure closure, void *data)
{
	const struct blk_device *dev = state_of(svc)->dev;
	BlkPb__Data out = BLK_PB__DATA__INIT;
	uint64_t len = (uint64_t)in->num_sectors * BLK_SECTOR_SIZE;
	xous_err_t err = blk_range_check(dev, in->sector, len);
	uint8_t *buf = NULL, *own = NULL;

	if (err == XOUS_OK && !(buf = in_region(data, (size_t)len)) &&
	    !(buf = own = malloc((size_t)len)))
		err = XOUS_ERR_OUT_OF_MEMORY;
	if (err == XOUS_OK)
		err = dev->read(dev->ctx, in->sector, buf, (size_t)len);
	if (err) {
		xous_rpc_fail(data, err);
	} else {
		out.data.data = buf;
		out.data.len = (size_t)len;
		closure(&out, data);
	}
	free(own);
}

static void do_write(BlkPb__Blk_Service *svc, const BlkPb__WriteRequest *in,
                     BlkPb__Empty_Closure closure, void *data)
{
	const struct blk_device *dev = state_of(svc)->dev;
	BlkPb__Empty out = BLK_PB__EMPTY__INIT;
	xous_err_t err = blk_range_check(dev, in->sector, in->data.len);

	if (err == XOUS_OK)
		err = dev->write(dev->ctx, in->sector, in->data.data, in->data.len);
	if (err)
		xous_rpc_fail(data, err);
	else
		closure(&out, data);
}

static void do_flush(BlkPb__Blk_Service *svc, const BlkPb__Empty *in, BlkPb__Empty_Closure closure,
                     void *data)
{
	const struct blk_device *dev = state_of(svc)->dev;
	BlkPb__Empty out = BLK_PB__EMPTY__INIT;
	xous_err_t err = dev->flush(dev->ctx);

	(void)in;
	if (err)
		xous_rpc_fail(data, err);
	else
		closure(&out, data);
}

static void do_get_capacity(BlkPb__Blk_Service *svc, const BlkPb__Empty *in,
                            BlkPb__Capacity_Closure closure, void *data)
{
	BlkPb__Capacity out = BLK_PB__CAPACITY__INIT;

	(void)in;
	out.num_sectors = state_of(svc)->dev->num_sectors;
	out.sector_size = BLK_SECTOR_SIZE;
	closure(&out, data);
}

void blk_init(struct blk_state *st, const struct blk_device *dev)
{
	blk_pb__blk__init(&st->svc, NULL);
	st->svc.read = do_read;
	st->svc.write = do_write;
	st->svc.flush = do_flush;
	st->svc.get_capacity = do_get_capacity;
	st->dev = dev;
}

xous_answer_t blk_dispatch(struct blk_state *st, xous_envelope_t *env)
{
	return xous_rpc_serve(&st->svc.base, env);
}

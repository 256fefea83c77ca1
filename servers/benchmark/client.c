/* The benchmark server's client stubs (<resea/benchmark.h>). */
#include <resea/benchmark.h>
#include <xous/names.h>
#include <xous/rpc.h>

#include "api.h"
#include "benchmark.pb-c.h"
#include "conn_cache.h"
#include "export.h"

static struct servers_conn_cache benchmark_conn;

/* Through the name server: "benchmark" is not a 16-byte well-known name. */
static xous_err_t benchmark_cid(xous_cid_t *cid)
{
	return servers_conn_by(&benchmark_conn, xns_request_connection_blocking,
	                       BENCHMARK_SERVER_NAME, cid);
}

XOUS_EXPORT xous_err_t benchmark_nop(int32_t value, int32_t *out)
{
	xous_scalar_reply_t r;
	xous_cid_t cid;
	xous_err_t err;

	if (out == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = benchmark_cid(&cid);
	if (err == XOUS_OK)
		err = xous_blocking_scalar(cid, BENCHMARK_OP_NOP, (uint32_t)value, 0, 0, 0, &r);
	if (err == XOUS_OK)
		*out = (int32_t)(uint32_t)r.v[0];
	return err;
}

/* The reply's bytes were copied once, into memory of their own: they are
 * handed over as they are. */
XOUS_EXPORT xous_err_t benchmark_nop_with_ool(const void *data, size_t len, void **out,
                                              size_t *out_len)
{
	BenchmarkPb__Payload req = BENCHMARK_PB__PAYLOAD__INIT;
	ProtobufCMessage *reply = NULL;
	BenchmarkPb__Payload *rep;
	xous_cid_t cid;
	xous_err_t err;

	if (out == NULL || out_len == NULL || (data == NULL && len > 0))
		return XOUS_ERR_INVALID_ARGUMENT;
	*out = NULL;
	*out_len = 0;
	if (len > XOUS_OOL_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = benchmark_cid(&cid);
	if (err)
		return err;
	req.data.data = (uint8_t *)data;
	req.data.len = len;
	err = xous_rpc_call_sized(cid, BENCHMARK_OP_NOP_WITH_OOL, &req.base,
	                          &benchmark_pb__payload__descriptor, &reply, len);
	if (err)
		return err;
	rep = (BenchmarkPb__Payload *)reply;
	*out = rep->data.len ? rep->data.data : NULL;
	*out_len = rep->data.len;
	if (rep->data.len)
		rep->data.data = NULL; /* now the caller's */
	protobuf_c_message_free_unpacked(reply, NULL);
	return XOUS_OK;
}

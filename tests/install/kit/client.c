/* The doubler's client calls. */
#include <doubler_client.h>
#include <xous/names.h>
#include <xous/rpc.h>

#include "doubler.pb-c.h"

#define DOUBLER_OP_TWICE 0

xous_err_t doubler_connect(xous_cid_t *cid)
{
	return xns_request_connection_blocking("doubler", cid);
}

xous_err_t doubler_twice(xous_cid_t cid, int64_t n, int64_t *out)
{
	DoublerPb__Num req = DOUBLER_PB__NUM__INIT;
	DoublerPb__Num *reply;
	xous_err_t err;

	req.n = n;
	err = xous_rpc_call(cid, DOUBLER_OP_TWICE, &req.base, &doubler_pb__num__descriptor,
	                    (ProtobufCMessage **)&reply);
	if (err)
		return err;
	*out = reply->n;
	protobuf_c_message_free_unpacked(&reply->base, NULL);
	return XOUS_OK;
}

/* The clients of the name server and of discovery, compiled into libxous-host. */
#include <resea/discovery.h>
#include <stdio.h>
#include <string.h>
#include <xous/names.h>
#include <xous/rpc.h>

#include "conn_cache.h"
#include "export.h"
#include "api.h"
#include "names.h"

static struct servers_conn_cache names_conn, discovery_conn;

static xous_err_t names_cid(xous_cid_t *cid)
{
	return servers_conn_cached(&names_conn, NAMES_SERVER_NAME, 1, cid);
}

static xous_err_t name_bytes(const char *name, ProtobufCBinaryData *out)
{
	size_t len;

	if (name == NULL)
		return XOUS_ERR_INVALID_STRING;
	len = strnlen(name, NAMES_MAX_NAME_LEN + 1);
	if (!names_valid((const uint8_t *)name, len))
		return XOUS_ERR_INVALID_STRING;
	out->data = (uint8_t *)name;
	out->len = len;
	return XOUS_OK;
}

/* Create a server and register it as name through op of the server that
 * connect() reaches (the name server's RegisterName, discovery's Serve). */
static xous_err_t register_op(xous_err_t (*connect)(xous_cid_t *), uint32_t op, const char *name,
                              uint32_t conn_limit, xous_sid_t *sid)
{
	NamesPb__RegisterRequest req = NAMES_PB__REGISTER_REQUEST__INIT;
	xous_sid_t made;
	xous_cid_t cid;
	xous_err_t err;

	if (sid == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = name_bytes(name, &req.name);
	if (err == XOUS_OK)
		err = connect(&cid);
	if (err == XOUS_OK)
		err = xous_create_server(&made);
	if (err)
		return err;
	req.sid0 = made.w[0], req.sid1 = made.w[1], req.sid2 = made.w[2], req.sid3 = made.w[3];
	req.conn_limit = conn_limit;
	err = xous_rpc_call(cid, op, &req.base, NULL, NULL);
	if (err)
		xous_destroy_server(&made); /* *sid stays as it was */
	else
		*sid = made;
	return err;
}

XOUS_EXPORT xous_err_t xns_register_name(const char *name, uint32_t conn_limit, xous_sid_t *sid)
{
	return register_op(names_cid, NAMES_OP_REGISTER, name, conn_limit, sid);
}

/* What a ConnectReply gives: the connection, the name's disconnect token,
 * the serving process. */
struct connected {
	xous_cid_t cid;
	uint32_t token[4];
	task_t task;
};

/* Ask for a connection to name through op of the server connect() reaches. */
static xous_err_t connect_op(xous_err_t (*connect)(xous_cid_t *), uint32_t op, const char *name,
                             struct connected *out)
{
	NamesPb__LookupRequest req = NAMES_PB__LOOKUP_REQUEST__INIT;
	NamesPb__ConnectReply *reply;
	xous_cid_t ns;
	xous_err_t err = name_bytes(name, &req.name);

	if (err == XOUS_OK)
		err = connect(&ns);
	if (err == XOUS_OK)
		err = xous_rpc_call(ns, op, &req.base, &names_pb__connect_reply__descriptor,
		                    (ProtobufCMessage **)&reply);
	if (err)
		return err;
	out->cid = reply->cid;
	out->token[0] = reply->token0, out->token[1] = reply->token1;
	out->token[2] = reply->token2, out->token[3] = reply->token3;
	out->task = reply->task;
	protobuf_c_message_free_unpacked(&reply->base, NULL);
	return XOUS_OK;
}

/* A name server call that gives a cid (and the token, if asked). */
static xous_err_t names_connect(uint32_t op, const char *name, xous_cid_t *cid, uint32_t token[4])
{
	struct connected c;
	xous_err_t err;

	if (cid == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = connect_op(names_cid, op, name, &c);
	if (err)
		return err;
	*cid = c.cid;
	if (token)
		memcpy(token, c.token, sizeof(c.token));
	return XOUS_OK;
}

XOUS_EXPORT xous_err_t xns_request_connection(const char *name, xous_cid_t *cid)
{
	return names_connect(NAMES_OP_LOOKUP, name, cid, NULL);
}

XOUS_EXPORT xous_err_t xns_request_connection_with_token(const char *name, xous_cid_t *cid,
                                                         uint32_t token[4])
{
	return names_connect(NAMES_OP_LOOKUP, name, cid, token);
}

XOUS_EXPORT xous_err_t xns_request_connection_blocking(const char *name, xous_cid_t *cid)
{
	return names_connect(NAMES_OP_BLOCKING_CONNECT, name, cid, NULL);
}

XOUS_EXPORT int xns_serve_program(const char *name, xous_dispatch_t dispatch, void *state)
{
	xous_sid_t sid;
	xous_err_t err = xns_register_name(name, 0, &sid);

	if (err) {
		fprintf(stderr, "xns_serve_program: cannot register \"%s\": %s\n", name ? name : "",
		        xous_strerror(err));
		return 1;
	}
	return xous_serve_program(&sid, 0, dispatch, state);
}

/* ---- discovery: the same table, through the "discovery" server ---- */

static xous_err_t discovery_cid(xous_cid_t *cid)
{
	return servers_conn_by(&discovery_conn, xns_request_connection_blocking,
	                       DISCOVERY_SERVER_NAME, cid);
}

XOUS_EXPORT xous_err_t discovery_serve(const char *name, xous_sid_t *sid)
{
	return register_op(discovery_cid, DISCOVERY_OP_SERVE, name, 0, sid);
}

XOUS_EXPORT xous_err_t discovery_lookup(const char *name, task_t *task, xous_cid_t *cid)
{
	struct connected c;
	xous_err_t err;

	if (task == NULL || cid == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = connect_op(discovery_cid, DISCOVERY_OP_LOOKUP, name, &c);
	if (err)
		return err;
	*task = c.task;
	*cid = c.cid;
	return XOUS_OK;
}

XOUS_EXPORT xous_err_t xns_unregister(const xous_sid_t *sid)
{
	NamesPb__UnregisterRequest req = NAMES_PB__UNREGISTER_REQUEST__INIT;
	xous_cid_t ns;
	xous_err_t err;

	if (sid == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = names_cid(&ns);
	if (err)
		return err;
	req.sid0 = sid->w[0], req.sid1 = sid->w[1], req.sid2 = sid->w[2], req.sid3 = sid->w[3];
	return xous_rpc_call(ns, NAMES_OP_UNREGISTER, &req.base, NULL, NULL);
}

XOUS_EXPORT xous_err_t xns_disconnect_with_token(const char *name, const uint32_t token[4])
{
	NamesPb__DisconnectRequest req = NAMES_PB__DISCONNECT_REQUEST__INIT;
	xous_cid_t ns;
	xous_err_t err;

	if (token == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = name_bytes(name, &req.name);
	if (err == XOUS_OK)
		err = names_cid(&ns);
	if (err)
		return err;
	req.token0 = token[0], req.token1 = token[1], req.token2 = token[2], req.token3 = token[3];
	return xous_rpc_call(ns, NAMES_OP_DISCONNECT, &req.base, NULL, NULL);
}

XOUS_EXPORT xous_err_t xns_trusted_init_done(int *done)
{
	xous_scalar_reply_t r;
	xous_cid_t ns;
	xous_err_t err;

	if (done == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = names_cid(&ns);
	if (err == XOUS_OK)
		err = xous_blocking_scalar(ns, NAMES_OP_TRUSTED_INIT_DONE, 0, 0, 0, 0, &r);
	if (err == XOUS_OK)
		*done = r.v[0] != 0;
	return err;
}

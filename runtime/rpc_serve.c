/*
 * Server side of <xous/rpc.h>: decode, dispatch through the generated
 * service descriptor, write the reply's frame into the caller's region and
 * return the answer. Pure: a parked call is answered later through an io
 * table, so it runs in unit tests unchanged.
 */
#include <xous/rpc.h>

#include "export.h"
#include "rpc_ool.h"

static int is_memory(const xous_envelope_t *env)
{
	return env->kind == XOUS_MUTABLE_BORROW || env->kind == XOUS_BORROW ||
	       env->kind == XOUS_MOVE;
}

static int is_framed(const xous_envelope_t *env)
{
	return env->memory.offset == XOUS_RPC_FRAMED_OFFSET;
}

/* A plain request's reply: packed at offset 0. */
static xous_err_t pack_plain(xous_envelope_t *env, const ProtobufCMessage *reply, size_t *valid)
{
	*valid = protobuf_c_message_get_packed_size(reply);
	if (*valid > env->memory.buf.len)
		return XOUS_ERR_NO_SPACE;
	protobuf_c_message_pack(reply, env->memory.buf.addr);
	return XOUS_OK;
}

/* A framed request's reply: a frame around what is already in the region. */
static xous_err_t pack_framed(xous_envelope_t *env, const ProtobufCMessage *reply, size_t *valid)
{
	struct ool_frame f;
	xous_err_t err =
	        ool_plan(&f, reply, env->memory.buf.addr, env->memory.buf.len, XOUS_OOL_CROSSOVER);

	if (err == XOUS_OK)
		*valid = ool_write(&f, env->memory.buf.addr, 0);
	ool_frame_free(&f);
	return err;
}

/* The answer to env: reply (NULL: failure) written into its region, or status. */
static xous_answer_t rpc_pack(xous_envelope_t *env, const ProtobufCMessage *reply,
                              xous_err_t status)
{
	size_t valid = 0;

	if (env->kind != XOUS_MUTABLE_BORROW && env->kind != XOUS_BORROW)
		return xous_answer_none(); /* a Move: nobody waits for an answer */
	if (status == XOUS_OK && reply == NULL)
		status = XOUS_ERR_INTERNAL_ERROR;
	if (status == XOUS_OK && env->kind == XOUS_MUTABLE_BORROW)
		status = is_framed(env) ? pack_framed(env, reply, &valid)
		                        : pack_plain(env, reply, &valid);
	return xous_answer_memory(status, status ? 0 : valid);
}

XOUS_EXPORT xous_err_t xous_rpc_answer(const struct xous_server_io *io, xous_envelope_t *kept,
                                       const ProtobufCMessage *reply, xous_err_t status)
{
	return xous_io_answer(io, kept, rpc_pack(kept, reply, status));
}

/* The closure every handler gets: reply NULL means failure. */
static void rpc_closure(const ProtobufCMessage *reply, void *closure_data)
{
	xous_rpc_req_t *req = closure_data;

	if (req->answered || req->deferred)
		return;
	req->answered = 1;
	if (reply == NULL && req->status == XOUS_OK)
		req->status = XOUS_ERR_INTERNAL_ERROR;
	req->answer = rpc_pack(req->env, reply, req->status);
}

XOUS_EXPORT void xous_rpc_fail(void *closure_data, xous_err_t err)
{
	xous_rpc_req_t *req = closure_data;

	req->status = err ? err : XOUS_ERR_INTERNAL_ERROR;
	rpc_closure(NULL, closure_data);
}

XOUS_EXPORT xous_pid_t xous_rpc_sender_pid(void *closure_data)
{
	const xous_rpc_req_t *req = closure_data;

	return xous_sender_pid(req->env->sender);
}

/* The reply's frame after an in-place value: its head (the value emptied),
 * alignment, table items and trailer. */
#define RPC_REPLY_FRAME_ROOM 256u

XOUS_EXPORT void *xous_rpc_reply_room(void *closure_data, size_t len)
{
	const xous_envelope_t *env = ((xous_rpc_req_t *)closure_data)->env;
	size_t at = (env->memory.valid + OOL_ALIGN - 1) & ~(size_t)(OOL_ALIGN - 1);
	size_t room = env->memory.buf.len;

	if (env->kind != XOUS_MUTABLE_BORROW || !is_framed(env) || at > room ||
	    room - at < RPC_REPLY_FRAME_ROOM || room - at - RPC_REPLY_FRAME_ROOM < len)
		return NULL;
	return (uint8_t *)env->memory.buf.addr + at;
}

XOUS_EXPORT void xous_rpc_defer(void *closure_data, xous_envelope_t *keep)
{
	xous_rpc_req_t *req = closure_data;

	if (req->answered || req->deferred)
		return;
	*keep = *req->env;
	req->deferred = 1;
	req->answer = xous_answer_deferred();
}

/* Decode the request into *in; else the status to answer. */
static xous_err_t rpc_decode(const ProtobufCServiceDescriptor *sd, const xous_envelope_t *env,
                             struct ool_received *in)
{
	size_t valid = env->memory.valid;

	if (env->memory.id >= sd->n_methods)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (valid > env->memory.buf.len || (valid > 0 && env->memory.buf.addr == NULL))
		return XOUS_ERR_SERIALIZATION_ERROR;
	return ool_receive(sd->methods[env->memory.id].input, env->memory.buf.addr, valid,
	                   is_framed(env), OOL_IN_PLACE, in);
}

XOUS_EXPORT xous_answer_t xous_rpc_serve(ProtobufCService *svc, xous_envelope_t *env)
{
	xous_rpc_req_t req = {.env = env, .answer = xous_answer_none()};
	struct ool_received in;

	if (!is_memory(env))
		return xous_answer_none();
	req.status = rpc_decode(svc->descriptor, env, &in);
	if (req.status)
		return rpc_pack(env, NULL, req.status);
	svc->invoke(svc, env->memory.id, in.msg, rpc_closure, &req);
	ool_received_free(&in);
	if (!req.answered && !req.deferred)
		xous_rpc_fail(&req, XOUS_ERR_INTERNAL_ERROR);
	return req.answer;
}

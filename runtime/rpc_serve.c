/*
 * Server side of <xous/rpc.h>: decode, dispatch through the generated
 * service descriptor, pack the reply into the caller's buffer and return
 * the answer. Pure: a parked call is answered later through an io table, so
 * it runs in unit tests unchanged.
 */
#include <xous/rpc.h>

#include "export.h"

static int is_memory(const xous_envelope_t *env)
{
	return env->kind == XOUS_MUTABLE_BORROW || env->kind == XOUS_BORROW ||
	       env->kind == XOUS_MOVE;
}

/* The answer to env: reply (NULL: failure) packed into its buffer, or status. */
static xous_answer_t rpc_pack(xous_envelope_t *env, const ProtobufCMessage *reply,
                              xous_err_t status)
{
	size_t valid = 0;

	if (env->kind != XOUS_MUTABLE_BORROW && env->kind != XOUS_BORROW)
		return xous_answer_none(); /* a Move: nobody waits for an answer */
	if (status == XOUS_OK && reply == NULL)
		status = XOUS_ERR_INTERNAL_ERROR;
	if (status == XOUS_OK && env->kind == XOUS_MUTABLE_BORROW) {
		valid = protobuf_c_message_get_packed_size(reply);
		if (valid > env->memory.buf.len || valid > XOUS_RPC_MAX_PAYLOAD) {
			status = XOUS_ERR_INTERNAL_ERROR;
			valid = 0;
		} else {
			protobuf_c_message_pack(reply, env->memory.buf.addr);
		}
	}
	return xous_answer_memory(status, valid);
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

XOUS_EXPORT void xous_rpc_defer(void *closure_data, xous_envelope_t *keep)
{
	xous_rpc_req_t *req = closure_data;

	if (req->answered || req->deferred)
		return;
	*keep = *req->env;
	req->deferred = 1;
	req->answer = xous_answer_deferred();
}

/* Decode the request; NULL with *status set when it cannot be served. */
static ProtobufCMessage *rpc_decode(const ProtobufCServiceDescriptor *sd,
                                    const xous_envelope_t *env, xous_err_t *status)
{
	ProtobufCMessage *in;
	size_t valid = env->memory.valid;

	if (env->memory.id >= sd->n_methods) {
		*status = XOUS_ERR_INVALID_ARGUMENT;
		return NULL;
	}
	if (valid > env->memory.buf.len || valid > XOUS_RPC_MAX_PAYLOAD ||
	    (valid > 0 && env->memory.buf.addr == NULL)) {
		*status = XOUS_ERR_SERIALIZATION_ERROR;
		return NULL;
	}
	in = protobuf_c_message_unpack(sd->methods[env->memory.id].input, NULL, valid,
	                               env->memory.buf.addr);
	if (in == NULL)
		*status = XOUS_ERR_SERIALIZATION_ERROR;
	return in;
}

XOUS_EXPORT xous_answer_t xous_rpc_serve(ProtobufCService *svc, xous_envelope_t *env)
{
	xous_rpc_req_t req = {.env = env, .answer = xous_answer_none()};
	ProtobufCMessage *in;

	if (!is_memory(env))
		return xous_answer_none();
	in = rpc_decode(svc->descriptor, env, &req.status);
	if (in == NULL)
		return rpc_pack(env, NULL, req.status);
	svc->invoke(svc, env->memory.id, in, rpc_closure, &req);
	protobuf_c_message_free_unpacked(in, NULL);
	if (!req.answered && !req.deferred)
		xous_rpc_fail(&req, XOUS_ERR_INTERNAL_ERROR);
	return req.answer;
}

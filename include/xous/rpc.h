/*
 * <xous/rpc.h> - protobuf-c interfaces over Xous memory messages.
 *
 * A server interface is a `service` in idl/NAME.proto; a method's opcode is
 * its index in the service. The wire convention, one for every server:
 *
 *   request  MutableBorrow (or Borrow) of a page buffer, opcode = method
 *            index, the packed request at offset 0, valid = its length.
 *   reply    the same buffer returned with offset = status (an xous_err_t,
 *            0 = success) and valid = length of the packed reply at offset 0
 *            (0 on error, or for a Borrow, which cannot carry a reply).
 *
 * A payload that does not decode answers XOUS_ERR_SERIALIZATION_ERROR, an
 * opcode past the service's last method XOUS_ERR_INVALID_ARGUMENT.
 * Portable C: the same code runs under xous-hostd and on kernel-riscv.
 */
#ifndef XOUS_RPC_H
#define XOUS_RPC_H

#include <protobuf-c/protobuf-c.h>
#include <xous.h>
#include <xous/serve.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest request or reply the helpers carry (bytes). */
#define XOUS_RPC_MAX_PAYLOAD (64u * 1024u)

/*
 * Client: pack req, lend it to cid as opcode, unpack the reply. With
 * reply_desc NULL the reply is ignored; else *reply is set on success and is
 * freed with protobuf_c_message_free_unpacked(*reply, NULL).
 */
xous_err_t xous_rpc_call(xous_cid_t cid, uint32_t opcode, const ProtobufCMessage *req,
                         const ProtobufCMessageDescriptor *reply_desc, ProtobufCMessage **reply);

/* The call being served; handed to a method handler as its closure_data. */
typedef struct xous_rpc_req {
	xous_envelope_t *env;
	xous_err_t status;
	int answered;
	int deferred;
	xous_answer_t answer; /* what xous_rpc_serve returns */
} xous_rpc_req_t;

/*
 * Server: decode env's payload as the input of method env->memory.id of svc,
 * invoke it, and return the answer for xous_serve() (the reply packed into
 * the caller's buffer: XOUS_ANSWER_MEMORY with offset = status and valid =
 * its length). The handler answers with closure(reply, closure_data), or
 * xous_rpc_fail(), or parks the call with xous_rpc_defer() (then the answer
 * is XOUS_ANSWER_DEFERRED). A handler that does none of these gets
 * XOUS_ERR_INTERNAL_ERROR answered for it. Non-memory messages are not for
 * this layer: their answer is XOUS_ANSWER_NONE.
 */
xous_answer_t xous_rpc_serve(ProtobufCService *svc, xous_envelope_t *env);

/* Inside a handler: answer the call with an error status. */
void xous_rpc_fail(void *closure_data, xous_err_t err);
/* Inside a handler: the pid the kernel stamped into the caller's token. */
xous_pid_t xous_rpc_sender_pid(void *closure_data);
/* Inside a handler: do not answer now; the envelope is copied to *keep. */
void xous_rpc_defer(void *closure_data, xous_envelope_t *keep);
/* Later: answer a deferred call (reply NULL or status != 0: an error). */
xous_err_t xous_rpc_answer(const struct xous_server_io *io, xous_envelope_t *kept,
                           const ProtobufCMessage *reply, xous_err_t status);

#ifdef __cplusplus
}
#endif

#endif /* XOUS_RPC_H */

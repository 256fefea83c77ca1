/*
 * <xous/rpc.h> - protobuf-c interfaces over Xous memory messages.
 *
 * A server interface is a `service` in idl/NAME.proto; a method's opcode is
 * its index in the service. The wire convention, one for every server:
 *
 *   request  MutableBorrow (or Borrow, or Move) of a whole page region,
 *            opcode = method index, offset = XOUS_RPC_FRAMED_OFFSET (1),
 *            valid = the length of the frame below.
 *   frame    region[0, valid): the packed message (the "head") at
 *            head_offset, out-of-line payloads at offsets that are
 *            multiples of 64, then a table of count items
 *            {ordinal, offset, length} (3 x uint32) and the trailer
 *            {head_offset, head_length, count, XOUS_RPC_FRAMED} (4 x uint32),
 *            which ends at valid. Native byte order.
 *   reply    the same region returned with offset = status (an xous_err_t,
 *            0 = success) and valid = the length of the reply's frame (0 on
 *            error, or for a Borrow, which cannot carry a reply).
 *
 * Out of line: walking a message in a fixed order (fields in descriptor
 * order, the elements of a repeated field in turn, nested messages depth
 * first, a oneof's member only when set), every bytes or string value has
 * the next ordinal, from 0. A value of XOUS_OOL_CROSSOVER bytes or more
 * travels out of line: it is empty in the head and its bytes are at
 * region[offset, offset + length) under its ordinal in the table (strings
 * without their NUL); ordinals increase along the table. Any number of
 * values per message, each up to XOUS_OOL_MAX bytes: a bigger one is
 * refused with XOUS_ERR_INVALID_ARGUMENT before anything is sent.
 *
 * The receiver: a bytes value arrives with its length; the server's points
 * into the lent region (no copy), the client's reply values are copied into
 * memory it frees with the message. A string arrives NUL-terminated in
 * memory of its own, and is UTF-8 without NUL, else the call fails with
 * XOUS_ERR_INVALID_STRING and the handler never runs (a client refuses a
 * bad string before sending, and a bad one in a reply). A trailer, table
 * item or head outside the frame, ordinals that do not increase or name no
 * bytes/string value, a head that does not decode: the call fails with
 * XOUS_ERR_SERIALIZATION_ERROR (on either side), never a read outside the
 * region. An opcode past the service's last method answers
 * XOUS_ERR_INVALID_ARGUMENT. A reply whose frame does not fit the region
 * answers XOUS_ERR_NO_SPACE (xous_rpc_call_sized() sizes it).
 *
 * A request lent with offset 0 is a plain packed message at region[0,
 * valid) with no frame; its reply is plain too (a raw client's convention).
 *
 * Channels (where lent pages stay mapped in the server only if it keeps
 * them: Linux). A MutableBorrow with offset = XOUS_RPC_CHANNEL_OFFSET (2)
 * is a frame as with offset 1 whose region also ends in a stamp (the last
 * XOUS_RPC_STAMP_BYTES bytes, outside every frame): "keep this region as a
 * channel if you can". A server that keeps it answers a successful call
 * with offset = XOUS_RPC_CHANNEL_KEPT | handle (handle < 2^24); otherwise
 * as with offset 1. A kept region then serves the same caller's calls
 * without a lend: the caller writes the frame and a new stamp (a uintptr_t
 * at the stamp's start) into it and sends a BlockingScalar with id =
 * XOUS_RPC_CHANNEL_ID | opcode and args (handle, valid, stamp); the server
 * answers Scalar2(status, reply valid), or Scalar2(XOUS_RPC_CHANNEL_LOST,
 * 0) without running anything when the handle is not the caller's, the
 * stamp differs (the server's pages are not the caller's: a copied lend) or
 * valid does not fit (the pid the kernel stamped into the sender token
 * must be the one the channel was kept for). A server that speaks this
 * convention by hand treats offset 2 as offset 1 and keeps nothing. The
 * client lends a channel's region to no one else.
 *
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

/* A request's offset word when it is a frame; a frame trailer's last word. */
#define XOUS_RPC_FRAMED_OFFSET 1u
#define XOUS_RPC_FRAMED        0x4c4f4f58u /* "XOOL" */

/* Channels (above). */
#define XOUS_RPC_CHANNEL_OFFSET 2u
#define XOUS_RPC_CHANNEL_KEPT   0x40000000u
#define XOUS_RPC_CHANNEL_ID     0x40000000u
#define XOUS_RPC_CHANNEL_LOST   0x4e484358u /* "XCHN" */
#define XOUS_RPC_STAMP_BYTES    16u

/* The largest bytes or string value (bytes), set when the library is built
 * (CMake cache XOUS_OOL_MAX); this is its default. */
#ifndef XOUS_OOL_MAX
#define XOUS_OOL_MAX (16u * 1024u * 1024u)
#endif

struct xous_rpc_ool_item {
	uint32_t ordinal, offset, length;
};
struct xous_rpc_trailer {
	uint32_t head_offset, head_length, count, magic;
};

/*
 * Client: pack req, lend it to cid as opcode, unpack the reply. With
 * reply_desc NULL the reply is ignored; else *reply is set on success and is
 * freed with protobuf_c_message_free_unpacked(*reply, NULL).
 */
xous_err_t xous_rpc_call(xous_cid_t cid, uint32_t opcode, const ProtobufCMessage *req,
                         const ProtobufCMessageDescriptor *reply_desc, ProtobufCMessage **reply);

/*
 * As xous_rpc_call, with room for a reply of up to reply_max packed bytes
 * (protobuf_c_message_get_packed_size of the reply, its bytes and strings
 * included; the frame of up to four out-of-line values is added).
 * xous_rpc_call lends the smallest region that holds the request: a reply
 * that does not fit it fails with XOUS_ERR_NO_SPACE after the server ran.
 */
xous_err_t xous_rpc_call_sized(xous_cid_t cid, uint32_t opcode, const ProtobufCMessage *req,
                               const ProtobufCMessageDescriptor *reply_desc,
                               ProtobufCMessage **reply, size_t reply_max);

/* The call being served; handed to a method handler as its closure_data. */
typedef struct xous_rpc_req {
	xous_envelope_t *env;
	xous_err_t status;
	int answered;
	int deferred;
	xous_answer_t answer;           /* what xous_rpc_serve returns */
	const xous_envelope_t *channel; /* a call through a channel: its BlockingScalar */
} xous_rpc_req_t;

/*
 * Server: decode env's payload as the input of method env->memory.id of svc,
 * invoke it, and return the answer for xous_serve() (the reply's frame in
 * the caller's region: XOUS_ANSWER_MEMORY with offset = status and valid =
 * its length). The input's bytes values point into the lent region and are
 * valid until the handler returns (copy what a parked call keeps); after the
 * handler answered, the reply may have overwritten them. A reply value that
 * points inside the region goes back where it is, without a copy. The handler answers with closure(reply, closure_data), or
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
/* Inside a handler: room for a reply value of len bytes in the caller's
 * region, after the request's frame and before room for the reply's frame,
 * or NULL (not a framed MutableBorrow, or too small). A bytes value the
 * handler puts there goes back in place, without a copy; the request's own
 * values may lie there, so the handler reads them first. */
void *xous_rpc_reply_room(void *closure_data, size_t len);
/* Inside a handler: do not answer now; the envelope is copied to *keep. */
void xous_rpc_defer(void *closure_data, xous_envelope_t *keep);
/* Later: answer a deferred call (reply NULL or status != 0: an error). */
xous_err_t xous_rpc_answer(const struct xous_server_io *io, xous_envelope_t *kept,
                           const ProtobufCMessage *reply, xous_err_t status);

#ifdef __cplusplus
}
#endif

#endif /* XOUS_RPC_H */

/*
 * Server side of <xous/rpc.h>: decode, dispatch through the generated
 * service descriptor, write the reply's frame into the caller's region and
 * return the answer. Pure: a parked call is answered later through an io
 * table, so it runs in unit tests unchanged.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <xous/rpc.h>

#include "export.h"
#include "rpc_ool.h"

/* The offset word of a call through a channel, inside this file only (the
 * envelope its handler sees). */
#define CHANNEL_CALL 3u

/*
 * Channels this server keeps (<xous/rpc.h>): at most CHAN_SLOTS regions,
 * CHAN_BYTES bytes in all, each its caller's only (the pid the kernel
 * stamped into the sender token). To make room the least recently used
 * channel without a call in progress is unmapped; its caller's next call
 * answers XOUS_RPC_CHANNEL_LOST and the caller lends again. A handle is the
 * slot and a generation, so a handle of an unmapped channel names nothing.
 */
#define CHAN_SLOTS 16
#if UINTPTR_MAX > 0xffffffffu
#define CHAN_BYTES ((size_t)64 << 20)
#else
#define CHAN_BYTES ((size_t)8 << 20)
#endif

struct chan {
	xous_range_t buf; /* len 0: a free slot */
	xous_pid_t pid;
	uint32_t gen;
	unsigned busy; /* calls in progress (answered or not) */
	unsigned long used;
};

static struct chan chans[CHAN_SLOTS];
static size_t chan_bytes;
static unsigned long chan_clock;
static atomic_flag chan_lock = ATOMIC_FLAG_INIT;

/* The platform's (runtime/held.c): take s's mapped pages out of the held
 * message, so that its answer leaves them mapped. The servers' unit tests
 * link no runtime: nothing is kept there. */
__attribute__((weak)) bool xous_rt_keep_pages(xous_sender_t s, xous_range_t *pages)
{
	(void)s;
	(void)pages;
	return false;
}

__attribute__((weak)) void xous_rt_unmap_pages(xous_range_t pages)
{
	(void)pages;
}

static void chan_lock_take(void)
{
	while (atomic_flag_test_and_set_explicit(&chan_lock, memory_order_acquire))
		;
}

static void chan_lock_give(void)
{
	atomic_flag_clear_explicit(&chan_lock, memory_order_release);
}

/* Under the lock: a free slot for len more bytes, made by unmapping idle
 * channels (least recently used first) into victims; -1 if none. */
static int chan_room(size_t len, xous_range_t *victims, int *nv)
{
	if (len > CHAN_BYTES)
		return -1;
	for (;;) {
		int free_slot = -1, lru = -1;
		for (int i = 0; i < CHAN_SLOTS; i++) {
			if (chans[i].buf.len == 0)
				free_slot = i;
			else if (!chans[i].busy && (lru < 0 || chans[i].used < chans[lru].used))
				lru = i;
		}
		if (free_slot >= 0 && chan_bytes + len <= CHAN_BYTES)
			return free_slot;
		if (lru < 0)
			return -1;
		victims[(*nv)++] = chans[lru].buf;
		chan_bytes -= chans[lru].buf.len;
		chans[lru].buf = (xous_range_t){NULL, 0};
		chans[lru].gen++;
	}
}

/* Keep env's region as a channel of its sender: the handle, or 0. */
static uintptr_t chan_open(const xous_envelope_t *env)
{
	xous_range_t victims[CHAN_SLOTS], pages;
	uintptr_t handle = 0;
	int nv = 0, slot;

	chan_lock_take();
	slot = chan_room(env->memory.buf.len, victims, &nv);
	if (slot >= 0 && xous_rt_keep_pages(env->sender, &pages)) {
		struct chan *c = &chans[slot];
		c->buf = pages;
		c->pid = xous_sender_pid(env->sender);
		c->busy = 0;
		c->used = ++chan_clock;
		chan_bytes += pages.len;
		handle = (uintptr_t)(c->gen & 0xffffu) << 8 | (uintptr_t)(slot + 1);
	}
	chan_lock_give();
	for (int i = 0; i < nv; i++)
		xous_rt_unmap_pages(victims[i]);
	return handle;
}

static int is_channel_call(const xous_envelope_t *env)
{
	return env->kind == XOUS_BLOCKING_SCALAR && (env->scalar.id & XOUS_RPC_CHANNEL_ID);
}

/*
 * The envelope a channel call's handler sees (*view: a MutableBorrow of the
 * channel without its stamp, offset CHANNEL_CALL), if env names a channel of
 * its sender with the stamp it carries; take: one more call in progress.
 */
static bool chan_view(const xous_envelope_t *env, xous_envelope_t *view, bool take)
{
	uintptr_t h = env->scalar.arg[0], valid = env->scalar.arg[1], stamp;
	size_t slot = (h & 0xff) - 1;
	struct chan *c = &chans[slot < CHAN_SLOTS ? slot : 0];
	bool ok;

	chan_lock_take();
	ok = slot < CHAN_SLOTS && c->buf.len != 0 && (h >> 8) == (c->gen & 0xffffu) &&
	     c->pid == xous_sender_pid(env->sender) && valid <= c->buf.len - XOUS_RPC_STAMP_BYTES;
	if (ok) {
		memcpy(&stamp, (char *)c->buf.addr + c->buf.len - XOUS_RPC_STAMP_BYTES,
		       sizeof stamp);
		ok = stamp == env->scalar.arg[2];
	}
	if (ok) {
		*view = (xous_envelope_t){.sender = env->sender, .kind = XOUS_MUTABLE_BORROW};
		view->memory.id = env->scalar.id & ~XOUS_RPC_CHANNEL_ID;
		view->memory.buf = (xous_range_t){c->buf.addr, c->buf.len - XOUS_RPC_STAMP_BYTES};
		view->memory.offset = CHANNEL_CALL;
		view->memory.valid = valid;
		c->busy += take;
		c->used = ++chan_clock;
	}
	chan_lock_give();
	return ok;
}

/* Whether env is a view of chan_view (a lent region cannot have a kept
 * channel's address, so a lend's offset word cannot make one); done: its
 * call is answered, the channel can be unmapped again. */
static bool chan_is_view(const xous_envelope_t *env, bool done)
{
	bool found = false;

	if (env->memory.offset != CHANNEL_CALL)
		return false;
	chan_lock_take();
	for (int i = 0; i < CHAN_SLOTS && !found; i++) {
		found = chans[i].buf.len && chans[i].buf.addr == env->memory.buf.addr;
		if (found && done && chans[i].busy)
			chans[i].busy--;
	}
	chan_lock_give();
	return found;
}

static int is_memory(const xous_envelope_t *env)
{
	return env->kind == XOUS_MUTABLE_BORROW || env->kind == XOUS_BORROW ||
	       env->kind == XOUS_MOVE;
}

static int is_framed(const xous_envelope_t *env)
{
	return env->memory.offset == XOUS_RPC_FRAMED_OFFSET ||
	       env->memory.offset == XOUS_RPC_CHANNEL_OFFSET || chan_is_view(env, false);
}

/* Where frames go in env's region: an offer of a channel keeps its stamp. */
static size_t frame_room(const xous_envelope_t *env)
{
	size_t len = env->memory.buf.len;

	if (env->memory.offset != XOUS_RPC_CHANNEL_OFFSET)
		return len;
	return len < XOUS_RPC_STAMP_BYTES ? 0 : len - XOUS_RPC_STAMP_BYTES;
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
	        ool_plan(&f, reply, env->memory.buf.addr, frame_room(env), XOUS_OOL_CROSSOVER);

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
	if (chan_is_view(env, true))
		return xous_answer_scalar2(status, status ? 0 : valid);
	if (status == XOUS_OK && env->kind == XOUS_MUTABLE_BORROW &&
	    env->memory.offset == XOUS_RPC_CHANNEL_OFFSET && frame_room(env) > 0) {
		uintptr_t handle = chan_open(env);
		if (handle)
			return xous_answer_memory(XOUS_RPC_CHANNEL_KEPT | handle, valid);
	}
	return xous_answer_memory(status, status ? 0 : valid);
}

XOUS_EXPORT xous_err_t xous_rpc_answer(const struct xous_server_io *io, xous_envelope_t *kept,
                                       const ProtobufCMessage *reply, xous_err_t status)
{
	xous_envelope_t view;

	if (kept == NULL || !is_channel_call(kept))
		return xous_io_answer(io, kept, rpc_pack(kept, reply, status));
	/* a parked channel call: its channel stayed mapped (busy) */
	if (!chan_view(kept, &view, false))
		return xous_io_answer(io, kept, xous_answer_scalar2(XOUS_RPC_CHANNEL_LOST, 0));
	return xous_io_answer(io, kept, rpc_pack(&view, reply, status));
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
	*keep = req->channel ? *req->channel : *req->env;
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
	if (valid > frame_room(env) || (valid > 0 && env->memory.buf.addr == NULL))
		return XOUS_ERR_SERIALIZATION_ERROR;
	return ool_receive(sd->methods[env->memory.id].input, env->memory.buf.addr, valid,
	                   is_framed(env), OOL_IN_PLACE, in);
}

XOUS_EXPORT xous_answer_t xous_rpc_serve(ProtobufCService *svc, xous_envelope_t *env)
{
	xous_rpc_req_t req = {.env = env, .answer = xous_answer_none()};
	struct ool_received in;
	xous_envelope_t view;

	if (is_channel_call(env)) {
		if (!chan_view(env, &view, true))
			return xous_answer_scalar2(XOUS_RPC_CHANNEL_LOST, 0);
		req.channel = env;
		req.env = env = &view;
	}
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

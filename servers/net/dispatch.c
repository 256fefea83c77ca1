/*
 * The net server's dispatch: frames to send go to the device, the
 * listener table says where received frames go.
 *
 * Frames are delivered to a snapshot of the listeners, outside the lock a
 * platform holds around net_dispatch: a listener whose queue is full then
 * holds up only the receiving side, never the server's loop (a Tx from
 * that same listener is still taken, so the two cannot wait on each
 * other).
 */
#include <string.h>

#include "net.h"

void net_init(struct net_srv *st, const struct net_ops *ops, const uint8_t mac[6])
{
	memset(st, 0, sizeof(*st));
	st->ops = *ops;
	memcpy(st->mac, mac, 6);
}

static bool sid_eq(const xous_sid_t *a, const xous_sid_t *b)
{
	return memcmp(a->w, b->w, sizeof(a->w)) == 0;
}

static size_t listeners_of(const struct net_srv *st, xous_pid_t pid)
{
	size_t n = 0;

	for (size_t i = 0; i < NET_MAX_LISTENERS; i++)
		n += st->l[i].used && st->l[i].by == pid;
	return n;
}

static struct net_listener *listener_find(struct net_srv *st, const xous_sid_t *sid)
{
	for (size_t i = 0; i < NET_MAX_LISTENERS; i++)
		if (st->l[i].used && sid_eq(&st->l[i].sid, sid))
			return &st->l[i];
	return NULL;
}

static void listener_drop(struct net_srv *st, struct net_listener *l)
{
	st->ops.disconnect(st->ops.ctx, l->cid);
	memset(l, 0, sizeof(*l));
}

static xous_err_t listen_add(struct net_srv *st, xous_pid_t by, const struct net_listen_req *req)
{
	struct net_listener *l;
	xous_sid_t sid;
	xous_cid_t cid;
	xous_err_t err;

	memcpy(sid.w, req->to, sizeof(sid.w));
	l = listener_find(st, &sid);
	if (l) {
		l->opcode = req->opcode;
		return XOUS_OK;
	}
	if (listeners_of(st, by) >= NET_MAX_PER_CLIENT)
		return XOUS_ERR_OUT_OF_MEMORY;
	for (size_t i = 0; !l && i < NET_MAX_LISTENERS; i++)
		if (!st->l[i].used)
			l = &st->l[i];
	if (!l)
		return XOUS_ERR_OUT_OF_MEMORY;
	err = st->ops.connect(st->ops.ctx, &sid, &cid);
	if (err)
		return err;
	l->used = true;
	l->sid = sid;
	l->opcode = req->opcode;
	l->by = by;
	l->cid = cid;
	return XOUS_OK;
}

static xous_answer_t listen(struct net_srv *st, const xous_envelope_t *env)
{
	struct net_listen_req req;

	if (env->kind != XOUS_BORROW && env->kind != XOUS_MUTABLE_BORROW)
		return xous_answer_none();
	if (env->memory.valid != sizeof(req) || env->memory.buf.len < sizeof(req))
		return xous_answer_memory(XOUS_ERR_INVALID_ARGUMENT, 0);
	memcpy(&req, env->memory.buf.addr, sizeof(req));
	return xous_answer_memory(listen_add(st, xous_sender_pid(env->sender), &req), 0);
}

static void tx(struct net_srv *st, const xous_envelope_t *env)
{
	size_t len = env->memory.valid;

	if (env->kind != XOUS_MOVE || env->memory.offset != 0 || len < NET_FRAME_MIN ||
	    len > NET_FRAME_MAX || len > env->memory.buf.len ||
	    st->ops.tx(st->ops.ctx, env->memory.buf.addr, len) != XOUS_OK) {
		st->c.tx_refused++;
		return;
	}
	st->c.tx++;
}

static uintptr_t mac_word(const uint8_t *b, size_t n)
{
	uintptr_t w = 0;

	for (size_t i = 0; i < n; i++)
		w |= (uintptr_t)b[i] << (8 * i);
	return w;
}

static bool blocking(const xous_envelope_t *env)
{
	return env->kind == XOUS_BLOCKING_SCALAR;
}

xous_answer_t net_dispatch(struct net_srv *st, xous_envelope_t *env)
{
	switch (env->scalar.id) { /* the id is at the same place for every kind */
	case NET_OP_TX:
		tx(st, env);
		break;
	case NET_OP_LISTEN:
		return listen(st, env);
	case NET_OP_MAC:
		if (blocking(env))
			return xous_answer_scalar2(mac_word(st->mac, 4), mac_word(st->mac + 4, 2));
		break;
	case NET_OP_STATS: {
		size_t n = 0;

		for (size_t i = 0; i < NET_MAX_LISTENERS; i++)
			n += st->l[i].used;
		if (blocking(env))
			return xous_answer_scalar5((uintptr_t)st->c.rx, (uintptr_t)st->c.tx,
			                           (uintptr_t)st->c.rx_unheard,
			                           (uintptr_t)st->c.tx_refused, n);
		break;
	}
	default:
		break;
	}
	return xous_answer_none();
}

static void lock(struct net_srv *st)
{
	if (st->ops.lock)
		st->ops.lock(st->ops.ctx);
}

static void unlock(struct net_srv *st)
{
	if (st->ops.unlock)
		st->ops.unlock(st->ops.ctx);
}

void net_deliver(struct net_srv *st, const void *frame, size_t len)
{
	struct net_listener ls[NET_MAX_LISTENERS];
	xous_err_t err[NET_MAX_LISTENERS];
	size_t n = 0, heard = 0;

	lock(st);
	for (size_t i = 0; i < NET_MAX_LISTENERS; i++)
		if (st->l[i].used)
			ls[n++] = st->l[i];
	unlock(st);
	for (size_t i = 0; i < n; i++) {
		err[i] = st->ops.deliver(st->ops.ctx, ls[i].cid, ls[i].opcode, frame, len);
		heard += err[i] == XOUS_OK;
	}
	lock(st);
	st->c.rx++;
	st->c.rx_unheard += heard == 0;
	for (size_t i = 0; i < n; i++) {
		struct net_listener *l = listener_find(st, &ls[i].sid);

		if ((err[i] == XOUS_ERR_SERVER_NOT_FOUND ||
		     err[i] == XOUS_ERR_PROCESS_TERMINATED) &&
		    l && l->cid == ls[i].cid)
			listener_drop(st, l);
	}
	unlock(st);
}

/*
 * syscall.c - the xous_* calls that are one syscall with no memory: servers,
 * connections and scalar messages. Registers as in docs/abi.md.
 */
#include "xous-host-internal.h"

#include "runtime.h" /* after <xous.h>, which the line above exports */

/* In a program linked with the static library, rpc_client.c (and so
 * protobuf-c) comes only with a call of <xous/rpc.h>: without it there is
 * nothing to unbind. */
#pragma weak xous_rt_rpc_unbind

static void put_sid(struct xh_call *c, int first, const xous_sid_t *sid)
{
	for (int i = 0; i < 4; i++)
		c->w[first + i] = sid->w[i];
}

static void get_sid(const struct xh_call *c, int first, xous_sid_t *sid)
{
	for (int i = 0; i < 4; i++)
		sid->w[i] = (uint32_t)c->w[first + i];
}

/* One call whose result is just a tag; the words stay in c. */
static xous_err_t call(struct xh_call *c, uint32_t tag)
{
	xous_err_t err = xh_syscall(c);

	return err != XOUS_OK ? err : xh_expect(c, tag);
}

xous_err_t xous_create_server(xous_sid_t *sid)
{
	struct xh_call c;

	if (sid == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	xh_call_init(&c, XOUS_SYS_CREATE_SERVER);
	xous_err_t err = call(&c, XOUS_RESULT_NEW_SERVER_ID);
	if (err == XOUS_OK)
		get_sid(&c, 1, sid);
	return err;
}

xous_err_t xous_create_server_with_address(const xous_sid_t *sid)
{
	struct xh_call c;

	if (sid == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	xh_call_init(&c, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS);
	put_sid(&c, 1, sid);
	return call(&c, XOUS_RESULT_NEW_SERVER_ID);
}

xous_err_t xous_destroy_server(const xous_sid_t *sid)
{
	struct xh_call c;

	if (sid == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	xh_call_init(&c, XOUS_SYS_DESTROY_SERVER);
	put_sid(&c, 1, sid);
	return call(&c, XOUS_RESULT_OK);
}

static xous_err_t connect_as(uint32_t nr, const xous_sid_t *sid, xous_cid_t *cid)
{
	struct xh_call c;

	if (sid == NULL || cid == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	xh_call_init(&c, nr);
	put_sid(&c, 1, sid);
	xous_err_t err = call(&c, XOUS_RESULT_CONNECTION_ID);
	if (err == XOUS_OK)
		*cid = (xous_cid_t)c.w[1];
	return err;
}

xous_err_t xous_connect(const xous_sid_t *sid, xous_cid_t *cid)
{
	return connect_as(XOUS_SYS_CONNECT, sid, cid);
}

xous_err_t xous_try_connect(const xous_sid_t *sid, xous_cid_t *cid)
{
	return connect_as(XOUS_SYS_TRY_CONNECT, sid, cid);
}

xous_err_t xous_disconnect(xous_cid_t cid)
{
	struct xh_call c;

	if (xous_rt_rpc_unbind)
		xous_rt_rpc_unbind(cid);
	xh_call_init(&c, XOUS_SYS_DISCONNECT);
	c.w[1] = cid;
	return call(&c, XOUS_RESULT_OK);
}

static void put_scalar(struct xh_call *c, xous_cid_t cid, uint32_t kind, uint32_t id,
                       const uintptr_t a[4])
{
	c->w[1] = cid;
	c->w[2] = kind;
	c->w[3] = id;
	for (int i = 0; i < 4; i++)
		c->w[4 + i] = a[i];
}

/* A Scalar goes ahead on a slot if it can (no round trip: its queue room is
 * kept); else it waits for the broker's OK, which may grant new slots. */
static xous_err_t send_scalar_as(uint32_t nr, xous_cid_t cid, uint32_t id, const uintptr_t a[4])
{
	struct xh_call c;
	xous_err_t err;

	xh_call_init(&c, nr);
	put_scalar(&c, cid, XOUS_KIND_SCALAR, id, a);
	if (xh_send_ahead(&c))
		return XOUS_OK;
	uint64_t seen = xh_ahead_forget();
	c.want_fd = !xh_withdrawals_mapped(); /* the first grant brings the page */
	err = call(&c, XOUS_RESULT_OK);
	if (c.fd >= 0)
		xh_withdrawals_map(c.fd);
	if (err == XOUS_OK)
		xh_ahead_granted(cid, c.w[1], seen);
	return err;
}

xous_err_t xous_send_scalar(xous_cid_t cid, uint32_t id, uintptr_t a1, uintptr_t a2, uintptr_t a3,
                            uintptr_t a4)
{
	const uintptr_t a[4] = {a1, a2, a3, a4};

	return send_scalar_as(XOUS_SYS_SEND_MESSAGE, cid, id, a);
}

xous_err_t xous_try_send_scalar(xous_cid_t cid, uint32_t id, uintptr_t a1, uintptr_t a2,
                                uintptr_t a3, uintptr_t a4)
{
	const uintptr_t a[4] = {a1, a2, a3, a4};

	return send_scalar_as(XOUS_SYS_TRY_SEND_MESSAGE, cid, id, a);
}

/* Scalar1, Scalar2 and Scalar5 carry 1, 2 and 5 words from a1. */
static xous_err_t scalar_reply(const struct xh_call *c, xous_scalar_reply_t *r)
{
	uint32_t n;

	switch (c->w[0]) {
	case XOUS_RESULT_SCALAR1:
		n = 1;
		break;
	case XOUS_RESULT_SCALAR2:
		n = 2;
		break;
	case XOUS_RESULT_SCALAR5:
		n = 5;
		break;
	default:
		return xh_expect(c, XOUS_RESULT_SCALAR1);
	}
	r->count = n;
	for (uint32_t i = 0; i < 5; i++)
		r->v[i] = i < n ? (uintptr_t)c->w[1 + i] : 0;
	return XOUS_OK;
}

xous_err_t xous_blocking_scalar(xous_cid_t cid, uint32_t id, uintptr_t a1, uintptr_t a2,
                                uintptr_t a3, uintptr_t a4, xous_scalar_reply_t *reply)
{
	const uintptr_t a[4] = {a1, a2, a3, a4};
	xous_scalar_reply_t ignored;
	struct xh_call c;

	xh_call_init(&c, XOUS_SYS_SEND_MESSAGE);
	put_scalar(&c, cid, XOUS_KIND_BLOCKING_SCALAR, id, a);
	xous_err_t err = xh_syscall(&c);
	if (err != XOUS_OK)
		return err;
	return scalar_reply(&c, reply != NULL ? reply : &ignored);
}

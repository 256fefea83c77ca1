/*
 * fuzz_srv_net.c - fuzz target `srv_net`: net_dispatch() with the checking
 * io table of fuzz_server.h, a device that takes every frame and listeners
 * whose servers come and go, and a received frame after every message:
 * every frame sent is of an Ethernet size, every delivery goes to a
 * listener the table holds. Seeds: tx of several sizes, listen, mac and
 * stats, a lend and a Move of the wrong kind.
 */
#include <string.h>

#include "fuzz_server.h"
#include "net.h"

static struct net_srv st;
static unsigned connects;

static xous_err_t f_tx(void *ctx, const void *frame, size_t len)
{
	(void)ctx;
	(void)frame;
	FZ_CHECK(len >= NET_FRAME_MIN && len <= NET_FRAME_MAX);
	return XOUS_OK;
}

static xous_err_t f_connect(void *ctx, const xous_sid_t *sid, xous_cid_t *cid)
{
	(void)ctx;
	if (sid->w[0] % 5 == 0)
		return XOUS_ERR_SERVER_NOT_FOUND;
	*cid = ++connects;
	return XOUS_OK;
}

static void f_disconnect(void *ctx, xous_cid_t cid)
{
	(void)ctx;
	FZ_CHECK(cid >= 1 && cid <= connects);
}

static xous_err_t f_deliver(void *ctx, xous_cid_t cid, uint32_t opcode, const void *frame,
                            size_t len)
{
	(void)ctx;
	(void)frame;
	(void)len;
	FZ_CHECK(cid >= 1 && cid <= connects);
	return opcode % 3 == 0 ? XOUS_ERR_SERVER_NOT_FOUND : XOUS_OK;
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	static const uint8_t frame[NET_FRAME_MIN] = {0};
	xous_answer_t a = net_dispatch(&st, env);

	(void)now;
	net_deliver(&st, frame, sizeof(frame));
	return a;
}

static void init(uint64_t now)
{
	static const struct net_ops ops = {NULL,      f_tx, f_connect, f_disconnect,
	                                   f_deliver, NULL, NULL};
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};

	(void)now;
	connects = 0;
	net_init(&st, &ops, mac);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {.init = init, .dispatch = dispatch};

	return fsrv_run(&t, data, size);
}

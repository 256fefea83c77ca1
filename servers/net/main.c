/* xous-net: net_dispatch() served by xous_serve() as "net", on the platform's device. */
#include <stdio.h>
#include <string.h>
#include <xous/names.h>
#include <xous/serve.h>

#include "net.h"

static xous_err_t k_connect(void *ctx, const xous_sid_t *sid, xous_cid_t *cid)
{
	(void)ctx;
	return xous_try_connect(sid, cid);
}

static void k_disconnect(void *ctx, xous_cid_t cid)
{
	(void)ctx;
	xous_disconnect(cid);
}

/* A copy of the frame in a page of its own, moved to the listener. */
static xous_err_t k_deliver(void *ctx, xous_cid_t cid, uint32_t opcode, const void *frame,
                            size_t len)
{
	xous_range_t page;
	xous_err_t err = xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page);

	(void)ctx;
	if (err)
		return err;
	memcpy(page.addr, frame, len);
	err = xous_send_memory(cid, opcode, page, 0, len);
	if (err)
		xous_unmap_memory(page);
	return err;
}

static xous_answer_t serve(void *arg, xous_envelope_t *env)
{
	struct net_srv *st = arg;
	xous_answer_t a;

	if (st->ops.lock)
		st->ops.lock(st->ops.ctx);
	a = net_dispatch(st, env);
	if (st->ops.unlock)
		st->ops.unlock(st->ops.ctx);
	return a;
}

int main(void)
{
	static struct net_srv state;
	struct net_ops ops = {
	        .connect = k_connect, .disconnect = k_disconnect, .deliver = k_deliver};
	uint8_t mac[6];
	xous_sid_t sid;
	xous_tid_t tid;
	xous_err_t err;

	if (net_platform_init(&ops, mac) < 0)
		return 1;
	net_init(&state, &ops, mac);
	err = xns_register_name(NET_SERVER_NAME, 0, &sid);
	if (err != XOUS_OK) {
		fprintf(stderr, "xous-net: cannot serve: %s\n", xous_strerror(err));
		return 1;
	}
	err = xous_create_thread(net_platform_receive, &state, &tid);
	if (err != XOUS_OK) {
		fprintf(stderr, "xous-net: cannot start the receiving thread: %s\n",
		        xous_strerror(err));
		return 1;
	}
	return xous_serve_program(&sid, 0, serve, &state);
}

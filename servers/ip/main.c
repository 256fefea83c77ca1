/*
 * xous-ip: ip_dispatch() served by xous_serve() as "ip": it listens to
 * net for frames and sends with net_tx; a thread of its own sends the
 * server a Tick every IP_TICK_MS (the DHCP client's timers).
 */
#include <resea/net.h>
#include <stdio.h>
#include <xous/log.h>
#include <xous/names.h>
#include <xous/serve.h>
#include <xous/ticktimer.h>

#include "ip.h"

static void k_tx(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	net_tx(frame, len); /* a frame net refuses is lost, as on a wire */
}

static void k_log(void *ctx, const char *line)
{
	(void)ctx;
	xlog(3, "%s", line);
}

static uint64_t k_now(void)
{
	uint64_t ms = 0;

	tt_elapsed_ms(&ms);
	return ms;
}

static void *ticker(void *arg)
{
	xous_cid_t cid;

	if (xous_connect(arg, &cid) != XOUS_OK)
		return NULL;
	while (tt_sleep_ms(IP_TICK_MS) == XOUS_OK &&
	       xous_send_scalar(cid, IP_OP_TICK, 0, 0, 0, 0) == XOUS_OK)
		;
	return NULL;
}

static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	return ip_dispatch(st, env);
}

int main(void)
{
	static const struct ip_core_ops ops = {NULL, k_tx, k_log};
	static struct ip_srv state;
	static xous_sid_t sid;
	uint8_t mac[6];
	xous_tid_t tid;
	xous_err_t err = net_mac(mac);

	if (err == XOUS_OK)
		err = xns_register_name(IP_SERVER_NAME, 0, &sid);
	if (err == XOUS_OK)
		err = net_listen(&sid, IP_OP_RX);
	if (err == XOUS_OK)
		err = xous_create_thread(ticker, &sid, &tid);
	if (err != XOUS_OK) {
		fprintf(stderr, "xous-ip: cannot start: %s\n", xous_strerror(err));
		return 1;
	}
	ip_init(&state, &ops, mac, (uint32_t)k_now() ^ (uint32_t)xous_process_id() << 16,
	        &xous_server_io_kernel, k_now);
	return xous_serve_program(&sid, 0, serve, &state);
}

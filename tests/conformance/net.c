/*
 * net: the net device (needs --net: xous-hostd --net, xous-riscv-run --net).
 * Its address is a unicast one; bad frames and listeners are refused; and a
 * frame sent reaches the network and the answer comes back: an ARP request
 * for 10.0.2.2 (the gateway of qemu's user network, and the broker's end of
 * the TAP device on Linux) is answered by an ARP reply to our address,
 * delivered to our own server as a Move. A thread asks again every
 * ASK_MS, at most ASK_TRIES times, then tells the server it gave up.
 */
#include <resea/ip.h>
#include <resea/net.h>
#include <string.h>
#include <xous/ticktimer.h>

#include "conf.h"

#define OP_FRAME  7
#define OP_GIVEUP 8
#define ASK_MS    200
#define ASK_TRIES 50

static uint8_t mac[6], request[42];
static xous_sid_t me;

static void arp_request(void)
{
	static const uint8_t head[8] = {0, 1, 8, 0, 6, 4, 0, 1};
	static const uint8_t spa[4] = {10, 0, 2, 15}, tpa[4] = {10, 0, 2, 2};

	memset(request, 0xff, 6);
	memcpy(request + 6, mac, 6);
	request[12] = 0x08, request[13] = 0x06;
	memcpy(request + 14, head, 8);
	memcpy(request + 22, mac, 6);
	memcpy(request + 28, spa, 4);
	memset(request + 32, 0, 6);
	memcpy(request + 38, tpa, 4);
}

static void *asker(void *arg)
{
	xous_cid_t cid;

	(void)arg;
	if (xous_connect(&me, &cid) != XOUS_OK)
		return NULL;
	for (int i = 0; i < ASK_TRIES; i++) {
		if (net_tx(request, sizeof(request)) != XOUS_OK || tt_sleep_ms(ASK_MS) != XOUS_OK)
			break;
	}
	xous_send_scalar(cid, OP_GIVEUP, 0, 0, 0, 0);
	return NULL;
}

/* An ARP reply from 10.0.2.2 to our address. */
static int is_reply(const uint8_t *f, size_t n)
{
	static const uint8_t head[8] = {0, 1, 8, 0, 6, 4, 0, 2}, spa[4] = {10, 0, 2, 2};

	return n >= 42 && memcmp(f, mac, 6) == 0 && f[12] == 0x08 && f[13] == 0x06 &&
	       memcmp(f + 14, head, 8) == 0 && memcmp(f + 28, spa, 4) == 0 &&
	       memcmp(f + 32, mac, 6) == 0;
}

int main(void)
{
	static const uint8_t zero[6];
	xous_sid_t nobody = {{0x6e6f626f, 0x64792121, 0x21212121, 0x21212121}};
	uint8_t big[NET_FRAME_MAX + 1] = {0};
	struct ip_info info;
	int replies = 0, frames = 0, gave_up = 0;
	xous_tid_t tid;

	CHECK_OK(net_mac(mac));
	CHECK((mac[0] & 1) == 0 && memcmp(mac, zero, 6) != 0); /* unicast, set */
	CHECK_ERR(net_mac(NULL), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(net_tx(NULL, 60), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(net_tx(big, NET_FRAME_MIN - 1), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(net_tx(big, NET_FRAME_MAX + 1), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(net_listen(NULL, OP_FRAME), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(net_listen(&nobody, OP_FRAME), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_OK(ip_info(&info)); /* ip runs beside net */
	CHECK(info.state <= IP_STATE_RENEWING);

	CHECK_OK(xous_create_server(&me));
	CHECK_OK(net_listen(&me, OP_FRAME));
	arp_request();
	CHECK_OK(xous_create_thread(asker, NULL, &tid));
	while (!gave_up && replies == 0) {
		xous_envelope_t env;

		if (xous_receive_message(&me, &env) != XOUS_OK)
			break;
		if (env.kind == XOUS_MOVE && env.memory.id == OP_FRAME) {
			CHECK(env.memory.offset == 0 && env.memory.valid >= NET_FRAME_MIN &&
			      env.memory.valid <= NET_FRAME_MAX);
			frames++;
			replies += is_reply(env.memory.buf.addr, env.memory.valid);
		}
		gave_up = env.kind == XOUS_SCALAR && env.scalar.id == OP_GIVEUP;
		xous_envelope_done(&env);
	}
	CHECK(replies == 1);
	printf("net: %d frames heard, the gateway %s\n", frames,
	       replies ? "answered ARP" : "never answered");
	return conf_end("net");
}

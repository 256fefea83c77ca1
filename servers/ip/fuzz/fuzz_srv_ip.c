/*
 * fuzz_srv_ip.c - fuzz target `srv_ip`. An input whose first byte is even
 * is frames for the protocol core: each a 2-byte length and its bytes, fed
 * to a stack that already holds a lease (10.0.2.15) or, for odd second
 * bytes, one still asking; every frame it sends must be an Ethernet frame
 * whose IP header (if any) sums to zero. An odd first byte runs
 * ip_dispatch() with the checking io table of fuzz_server.h (Rx Moves,
 * ticks, Info, Wait and Count; Waits are parked). Seeds: a ping, a UDP
 * echo, ARP, a DHCP offer (seed-*).
 */
#include <string.h>

#include "fuzz_server.h"
#include "ip.h"

static struct ip_srv srv;
static uint64_t clock_ms;

static void f_tx(void *ctx, const uint8_t *frame, size_t len)
{
	uint32_t sum = 0;

	(void)ctx;
	FZ_CHECK(len >= 14 && len <= IP_FRAME_MAX);
	if (frame[12] != 0x08 || frame[13] != 0x00)
		return;
	FZ_CHECK(len >= 34);
	for (size_t i = 14; i < 34; i += 2)
		sum += (uint32_t)frame[i] << 8 | frame[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	FZ_CHECK(sum == 0xffff);
}

static uint64_t f_now(void)
{
	return clock_ms;
}

static void start(uint64_t now)
{
	static const struct ip_core_ops ops = {NULL, f_tx, NULL};
	static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

	clock_ms = now;
	ip_init(&srv, &ops, mac, 1, &fsrv_io, f_now);
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	clock_ms = now;
	return ip_dispatch(&srv, env);
}

static size_t waiting(void)
{
	return srv.nwaiters;
}

static void tick(uint64_t now)
{
	clock_ms = now;
	ip_core_tick(&srv.core, now);
}

static void frames(const uint8_t *data, size_t size)
{
	start(0);
	if (size > 0 && !(data[0] & 1)) {
		srv.core.state = IP_STATE_BOUND;
		srv.core.addr = 0x0a00020f;
		srv.core.netmask = 0xffffff00;
		srv.core.lease_s = 3600;
		srv.core.next_ms = 1800000;
	}
	data += size > 0, size -= size > 0;
	while (size >= 2) {
		size_t n = (size_t)data[0] << 8 | data[1];

		data += 2, size -= 2;
		n = n > size ? size : n;
		ip_core_input(&srv.core, data, n, clock_ms);
		ip_core_tick(&srv.core, clock_ms += 700);
		data += n, size -= n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {
	        .init = start, .dispatch = dispatch, .waiting = waiting, .tick = tick};

	if (size == 0)
		return 0;
	if (!(data[0] & 1)) {
		frames(data + 1, size - 1);
		return 0;
	}
	return fsrv_run(&t, data + 1, size - 1);
}

/*
 * ip: the IPv4 stack on net (needs --net and a DHCP server: qemu's user
 * network on kernel-riscv; on Linux dnsmasq in the broker's namespace,
 * started by with_net.sh --dhcp). Both lease 10.0.2.15/24 with the router
 * 10.0.2.2: the stack takes that lease, says so in ip_info, has counted the
 * frames of the exchange, and refuses unknown counters and NULL pointers.
 */
#include <resea/ip.h>
#include <string.h>

#include "conf.h"

static const uint8_t leased[4] = {10, 0, 2, 15}, mask[4] = {255, 255, 255, 0},
                     router[4] = {10, 0, 2, 2};

static void check_lease(const struct ip_info *info)
{
	CHECK(info->state == IP_STATE_BOUND || info->state == IP_STATE_RENEWING);
	CHECK(memcmp(info->addr, leased, 4) == 0);
	CHECK(memcmp(info->netmask, mask, 4) == 0);
	CHECK(memcmp(info->router, router, 4) == 0);
	CHECK(info->lease_s > 0);
}

int main(void)
{
	struct ip_info info;
	uint64_t rx = 0, tx = 0, dropped = 0, v;

	CHECK_OK(ip_wait_lease(&info));
	check_lease(&info);
	memset(&info, 0, sizeof(info));
	CHECK_OK(ip_info(&info));
	check_lease(&info);
	CHECK_OK(ip_count(IP_COUNT_RX, &rx));
	CHECK_OK(ip_count(IP_COUNT_TX, &tx));
	CHECK(rx >= 2); /* the offer and the acknowledgement */
	CHECK(tx >= 2); /* the discover and the request */
	for (int c = IP_COUNT_SHORT; c <= IP_COUNT_FRAGMENT; c++) {
		v = 0;
		CHECK_OK(ip_count((enum ip_count)c, &v));
		dropped += v;
	}
	CHECK(dropped <= rx);
	CHECK_ERR(ip_count(IP_NCOUNTS, &v), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(ip_count(IP_COUNT_RX, NULL), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(ip_info(NULL), XOUS_ERR_INVALID_ARGUMENT);
	return conf_end("ip");
}

/*
 * net_lease.c - kernel-riscv.net-lease.qemu: with the group net (the
 * virtio-net driver and ip) on qemu's user network, ip takes the lease of
 * qemu's own DHCP server, 10.0.2.15, and logs it (the test reads the log
 * line); this program waits for the lease, event-driven, and checks it.
 */
#include <resea/ip.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	static const uint8_t want[4] = {10, 0, 2, 15}, router[4] = {10, 0, 2, 2};
	struct ip_info info;
	xous_err_t err = ip_wait_lease(&info);

	if (err != XOUS_OK) {
		printf("net-lease: FAIL: ip_wait_lease: %s\n", xous_strerror(err));
		return 1;
	}
	printf("net-lease: %u.%u.%u.%u router %u.%u.%u.%u for %u s\n", info.addr[0], info.addr[1],
	       info.addr[2], info.addr[3], info.router[0], info.router[1], info.router[2],
	       info.router[3], (unsigned)info.lease_s);
	if (memcmp(info.addr, want, 4) != 0 || memcmp(info.router, router, 4) != 0) {
		printf("net-lease: FAIL: not qemu's 10.0.2.15 by way of 10.0.2.2\n");
		return 1;
	}
	printf("net-lease: PASS\n");
	return 0;
}

/*
 * net_fleet.c - the net and ip servers seen from outside, run by net.sh as
 * PROGRAM of `xous-hostd --net` (as root; $XOUS_NETNS names the broker's
 * namespace). In the namespace: dnsmasq leases 10.0.2.15 to ip, ping gets
 * replies, UDP datagrams to port 7 come back as sent, and malformed frames
 * sent from a packet socket are dropped and counted by ip.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <resea/ip.h>
#include <resea/net.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"
#include "net_dnsmasq.h"

#define LEASED     NET_DNSMASQ_LEASED
#define GATEWAY    0x0a000202u
#define TIMEOUT_MS 10000

static const char *netns;

/* Run argv in the namespace (nsenter); its pid. */
static pid_t spawn_in_ns(char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		char opt[256];
		char *v[32] = {"nsenter", opt};
		int n = 2;

		snprintf(opt, sizeof(opt), "--net=%s", netns);
		for (int i = 0; argv[i] && n < 31; i++)
			v[n++] = argv[i];
		v[n] = NULL;
		execvp("nsenter", v);
		perror("net: nsenter");
		_exit(127);
	}
	return pid;
}

static int wait_status(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* In a child that entered the namespace: fn(); its exit status. */
static int in_ns(int (*fn)(void))
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(netns, O_RDONLY | O_CLOEXEC);

		if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
			perror("net: setns");
			_exit(126);
		}
		int r = fn();

		fflush(stdout);
		_exit(r);
	}
	return wait_status(pid);
}

/* ---- UDP echo ---- */

static int udp_round_trips(void)
{
	static const size_t sizes[] = {1, 64, 1472};
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(7)};
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	char out[1472], in[2048];

	inet_pton(AF_INET, LEASED, &to.sin_addr);
	if (s < 0 || connect(s, (struct sockaddr *)&to, sizeof(to)) < 0)
		return 2;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct pollfd p = {.fd = s, .events = POLLIN};
		ssize_t n;

		for (size_t j = 0; j < sizes[i]; j++)
			out[j] = (char)(j * 7 + i);
		if (send(s, out, sizes[i], 0) != (ssize_t)sizes[i] || poll(&p, 1, TIMEOUT_MS) != 1)
			return 3;
		n = recv(s, in, sizeof(in), 0);
		if (n != (ssize_t)sizes[i] || memcmp(in, out, sizes[i]) != 0)
			return 4;
		printf("net: udp port 7 echoed %zu bytes\n", sizes[i]);
	}
	close(s);
	return 0;
}

/* ---- malformed frames, from a packet socket on the TAP device ---- */

static uint8_t dev_mac[6];

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += i & 1 ? p[i] : (uint32_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* An ICMP echo request to the leased address, 64 bytes of it; ihl_word and
 * frag go into the IP header as they are; the header's checksum is made
 * right unless bad_sum. */
static size_t echo_frame(uint8_t *f, uint8_t ver_ihl, uint16_t frag, int bad_sum)
{
	uint8_t *ip = f + 14, *m = f + 34;
	uint16_t s;

	memcpy(f, dev_mac, 6);
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6);
	f[12] = 0x08, f[13] = 0x00;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = 0, ip[3] = 20 + 64;
	ip[6] = (uint8_t)(frag >> 8), ip[7] = (uint8_t)frag;
	ip[8] = 64, ip[9] = 1;
	inet_pton(AF_INET, "10.0.2.2", ip + 12);
	inet_pton(AF_INET, LEASED, ip + 16);
	s = csum(ip, 20);
	ip[10] = (uint8_t)(s >> 8), ip[11] = (uint8_t)(s ^ (bad_sum ? 0x55 : 0));
	ip[0] = ver_ihl;
	memset(m, 0, 64);
	m[0] = 8;
	s = csum(m, 64);
	m[2] = (uint8_t)(s >> 8), m[3] = (uint8_t)s;
	return 14 + 20 + 64;
}

static int send_malformed(void)
{
	struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_halen = 6};
	int s = socket(AF_PACKET, SOCK_RAW, 0);
	uint8_t f[128];
	size_t n;

	to.sll_ifindex = (int)if_nametoindex("xous0");
	memcpy(to.sll_addr, dev_mac, 6);
	if (s < 0 || to.sll_ifindex == 0)
		return 2;
#define SEND(len)                                                                                  \
	if (sendto(s, f, (len), 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)(len))          \
	return 3
	n = echo_frame(f, 0x45, 0, 1); /* a bad header checksum */
	SEND(n);
	n = echo_frame(f, 0x45, 0x2000, 0); /* a first fragment */
	SEND(n);
	n = echo_frame(f, 0x43, 0, 0); /* a header of 12 bytes */
	SEND(n);
	n = echo_frame(f, 0x45, 0, 0); /* cut inside the IP header */
	SEND(14 + 10);
#undef SEND
	close(s);
	return 0;
}

static uint64_t count(enum ip_count which)
{
	uint64_t v = 0;

	CHECK_ERR(ip_count(which, &v), XOUS_OK, "ip_count(%d)", which);
	return v;
}

int main(void)
{
	char *dnsmasq[] = {NET_DNSMASQ_ARGS("1h"), "--log-dhcp", NULL};
	char *ping[] = {"ping", "-c", "3", "-i", "0.2", "-W", "5", LEASED, NULL};
	enum ip_count bad[] = {IP_COUNT_BAD_CHECKSUM, IP_COUNT_FRAGMENT, IP_COUNT_BAD_HEADER,
	                       IP_COUNT_SHORT};
	uint64_t before[4];
	struct ip_info info;
	pid_t server;

	netns = getenv("XOUS_NETNS");
	REQUIRE(netns != NULL, "$XOUS_NETNS names the broker's namespace");
	REQUIRE(net_mac(dev_mac) == XOUS_OK, "net_mac");
	server = spawn_in_ns(dnsmasq);
	REQUIRE(server > 0, "dnsmasq started in the namespace");
	CHECK_ERR(ip_wait_lease(&info), XOUS_OK, "ip holds a lease");
	CHECK(memcmp(info.addr, "\x0a\x00\x02\x0f", 4) == 0, "the lease is " LEASED);
	CHECK(memcmp(info.router, "\x0a\x00\x02\x02", 4) == 0, "the router is 10.0.2.2");
	CHECK(memcmp(info.netmask, "\xff\xff\xff\x00", 4) == 0, "the netmask is /24");
	CHECK(info.lease_s == 3600, "the lease is an hour (%u s)", info.lease_s);
	CHECK(wait_status(spawn_in_ns(ping)) == 0, "ping " LEASED " from the namespace");
	CHECK(in_ns(udp_round_trips) == 0, "UDP datagrams to port 7 come back as sent");
	for (int i = 0; i < 4; i++)
		before[i] = count(bad[i]);
	CHECK(in_ns(send_malformed) == 0, "malformed frames sent from a packet socket");
	/* what ip answers after them, it has taken them first (frames in order) */
	CHECK(in_ns(udp_round_trips) == 0, "the stack still echoes");
	for (int i = 0; i < 4; i++)
		CHECK(count(bad[i]) == before[i] + 1, "malformed frame %d dropped and counted", i);
	CHECK(count(IP_COUNT_ECHO_REPLIES) >= 3, "echo replies counted");
	kill(server, SIGTERM);
	wait_status(server);
	return itest_done();
}

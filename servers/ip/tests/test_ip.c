/* servers.ip.*: the ip server's protocols on crafted frames, and its dispatch. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "ip.h"
#include "recorder.h"

#define OURS   0x0a00020fu /* 10.0.2.15 */
#define SERVER 0x0a000202u /* 10.0.2.2 */
#define PEER   0x0a000264u /* 10.0.2.100 */

static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t peer_mac[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static struct ip_srv srv;
static struct ip_core *c = &srv.core;
static uint8_t out[8][IP_FRAME_MAX];
static size_t out_len[8], nout;
static char logged[256];
static uint64_t clock_ms;

static void t_tx(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	ck_assert_uint_le(len, IP_FRAME_MAX);
	memcpy(out[nout % 8], frame, len);
	out_len[nout++ % 8] = len;
}

static void t_log(void *ctx, const char *line)
{
	(void)ctx;
	snprintf(logged, sizeof(logged), "%s", line);
}

static uint64_t t_now(void)
{
	return clock_ms;
}

static void setup(void)
{
	static const struct ip_core_ops ops = {NULL, t_tx, t_log};

	rec_reset();
	ip_init(&srv, &ops, mac, 42, &rec_io, t_now);
	nout = 0;
	clock_ms = 1000;
	logged[0] = 0;
}

/* ---- building frames ---- */

static void p16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void p32(uint8_t *p, uint32_t v)
{
	p16(p, v >> 16);
	p16(p + 2, v & 0xffff);
}

static unsigned g16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t g32(const uint8_t *p)
{
	return (uint32_t)g16(p) << 16 | g16(p + 2);
}

static uint16_t csum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i < n; i++)
		sum += i & 1 ? p[i] : (uint32_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static size_t eth(uint8_t *f, const uint8_t *dst, unsigned type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, peer_mac, 6);
	p16(f + 12, type);
	return 14;
}

/* An IPv4 frame around payload (n bytes already at f + 34). */
static size_t ipv4(uint8_t *f, const uint8_t *dmac, uint8_t proto, uint32_t src, uint32_t dst,
                   size_t n)
{
	uint8_t *p = f + 14;

	eth(f, dmac, 0x0800);
	memset(p, 0, 20);
	p[0] = 0x45;
	p16(p + 2, 20 + n);
	p[8] = 64;
	p[9] = proto;
	p32(p + 12, src);
	p32(p + 16, dst);
	p16(p + 10, csum(p, 20, 0));
	return 34 + n;
}

static size_t udp(uint8_t *f, const uint8_t *dmac, uint32_t src, uint32_t dst, unsigned sport,
                  unsigned dport, const void *data, size_t n)
{
	uint8_t *u = f + 34;

	p16(u, sport);
	p16(u + 2, dport);
	p16(u + 4, 8 + n);
	p16(u + 6, 0);
	memcpy(u + 8, data, n);
	p16(u + 6, csum(u, 8 + n,
	                (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 17 + 8 + n));
	return ipv4(f, dmac, 17, src, dst, 8 + n);
}

static size_t echo_request(uint8_t *f, const char *data)
{
	uint8_t *m = f + 34;
	size_t n = strlen(data);

	m[0] = 8;
	m[1] = 0;
	p16(m + 2, 0);
	p16(m + 4, 0x1234);
	p16(m + 6, 7);
	memcpy(m + 8, data, n);
	p16(m + 2, csum(m, 8 + n, 0));
	return ipv4(f, mac, 1, PEER, OURS, 8 + n);
}

static size_t arp(uint8_t *f, unsigned op, uint32_t spa, uint32_t tpa)
{
	uint8_t *a = f + 14;

	eth(f, bcast, 0x0806);
	p16(a, 1);
	p16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	p16(a + 6, op);
	memcpy(a + 8, peer_mac, 6);
	p32(a + 14, spa);
	memset(a + 18, 0, 6);
	p32(a + 24, tpa);
	return 42;
}

/* A DHCP answer of type to the client's last transaction. */
static size_t dhcp(uint8_t *f, int type, uint32_t yiaddr, uint32_t lease)
{
	uint8_t b[300] = {0}, *o = b + 240;

	b[0] = 2;
	b[1] = 1;
	b[2] = 6;
	p32(b + 4, c->xid);
	p32(b + 16, yiaddr);
	memcpy(b + 28, mac, 6);
	p32(b + 236, 0x63825363);
	*o++ = 53, *o++ = 1, *o++ = (uint8_t)type;
	*o++ = 54, *o++ = 4, p32(o, SERVER), o += 4;
	*o++ = 1, *o++ = 4, p32(o, 0xffffff00), o += 4;
	*o++ = 3, *o++ = 4, p32(o, SERVER), o += 4;
	*o++ = 51, *o++ = 4, p32(o, lease), o += 4;
	*o = 255;
	return udp(f, bcast, SERVER, 0xffffffff, 67, 68, b, sizeof(b));
}

static void input(const uint8_t *f, size_t n)
{
	ip_core_input(c, f, n, clock_ms);
}

static const uint8_t *last(void)
{
	ck_assert_uint_gt(nout, 0);
	return out[(nout - 1) % 8];
}

/* The DHCP message type option of the last frame sent. */
static int last_dhcp_type(void)
{
	const uint8_t *b = last() + 42;

	ck_assert_uint_eq(g16(last() + 12), 0x0800);
	ck_assert_uint_eq(g16(last() + 34), 68);
	ck_assert_uint_eq(g16(last() + 36), 67);
	ck_assert_uint_eq(g32(b + 236), 0x63825363);
	ck_assert_uint_eq(b[240], 53);
	return b[242];
}

static void lease(void)
{
	uint8_t f[IP_FRAME_MAX];

	ip_core_tick(c, clock_ms);
	input(f, dhcp(f, 2, OURS, 3600));
	input(f, dhcp(f, 5, OURS, 3600));
	ck_assert(ip_core_leased(c));
	nout = 0;
}

/* ---- DHCP ---- */

START_TEST(dhcp_discover_offer_request_ack)
{
	uint8_t f[IP_FRAME_MAX];
	const uint8_t *b;

	ip_core_tick(c, clock_ms);
	ck_assert_uint_eq(c->state, IP_STATE_SELECTING);
	ck_assert_int_eq(last_dhcp_type(), 1);
	ck_assert_mem_eq(last(), bcast, 6);
	ck_assert_uint_eq(csum(last() + 14, 20, 0), 0); /* a valid IP header */
	input(f, dhcp(f, 2, OURS, 3600));
	ck_assert_uint_eq(c->state, IP_STATE_REQUESTING);
	ck_assert_int_eq(last_dhcp_type(), 3);
	b = last() + 42;
	ck_assert_uint_eq(b[243], 50); /* the requested address, then the server */
	ck_assert_uint_eq(g32(b + 245), OURS);
	ck_assert_uint_eq(b[249], 54);
	ck_assert_uint_eq(g32(b + 251), SERVER);
	input(f, dhcp(f, 5, OURS, 3600));
	ck_assert_uint_eq(c->state, IP_STATE_BOUND);
	ck_assert_uint_eq(c->addr, OURS);
	ck_assert_uint_eq(c->netmask, 0xffffff00);
	ck_assert_uint_eq(c->router, SERVER);
	ck_assert_str_eq(logged, "ip: DHCP lease 10.0.2.15 netmask 255.255.255.0 router 10.0.2.2 "
	                         "from 10.0.2.2 for 3600 s");
}
END_TEST

START_TEST(dhcp_retransmits_and_starts_over_after_a_nak)
{
	uint8_t f[IP_FRAME_MAX];
	uint32_t xid;

	ip_core_tick(c, clock_ms);
	ip_core_tick(c, clock_ms + IP_RETRY_MS - 1);
	ck_assert_uint_eq(nout, 1);
	ip_core_tick(c, clock_ms + IP_RETRY_MS);
	ck_assert_uint_eq(nout, 2);
	ck_assert_int_eq(last_dhcp_type(), 1);
	input(f, dhcp(f, 2, OURS, 3600));
	xid = c->xid;
	input(f, dhcp(f, 6, 0, 0));
	ck_assert_uint_eq(c->state, IP_STATE_SELECTING);
	ck_assert_uint_ne(c->xid, xid);
	ck_assert_int_eq(last_dhcp_type(), 1);
	ck_assert_ptr_nonnull(strstr(logged, "NAK"));
}
END_TEST

START_TEST(dhcp_renews_at_half_the_lease_and_gives_up_at_its_end)
{
	uint8_t f[IP_FRAME_MAX];
	uint64_t start = clock_ms;

	lease();
	ip_core_tick(c, start + 1800 * 1000 - 1);
	ck_assert_uint_eq(nout, 0);
	ip_core_tick(c, start + 1800 * 1000);
	ck_assert_uint_eq(c->state, IP_STATE_RENEWING);
	ck_assert_int_eq(last_dhcp_type(), 3);
	ck_assert_uint_eq(g32(last() + 42 + 12), OURS); /* ciaddr: renewing */
	clock_ms = start + 1801 * 1000;
	input(f, dhcp(f, 5, OURS, 3600));
	ck_assert_uint_eq(c->state, IP_STATE_BOUND);
	ip_core_tick(c, clock_ms + 1800 * 1000);
	ck_assert_uint_eq(c->state, IP_STATE_RENEWING);
	ip_core_tick(c, clock_ms + 3600 * 1000);
	ck_assert_uint_eq(c->state, IP_STATE_SELECTING);
	ck_assert_uint_eq(c->addr, 0);
	ck_assert_ptr_nonnull(strstr(logged, "ended"));
}
END_TEST

START_TEST(another_clients_dhcp_answer_is_ignored)
{
	uint8_t f[IP_FRAME_MAX];
	size_t n;

	ip_core_tick(c, clock_ms);
	n = dhcp(f, 2, OURS, 3600);
	f[42 + 4] ^= 1; /* another transaction */
	p16(f + 40, 0); /* (no UDP checksum) */
	input(f, n);
	ck_assert_uint_eq(c->state, IP_STATE_SELECTING);
	ck_assert_uint_eq(c->count[IP_COUNT_IGNORED], 1);
}
END_TEST

/* ---- ARP, ICMP, UDP ---- */

START_TEST(arp_requests_for_our_address_are_answered_and_cached)
{
	uint8_t f[64], m[6];

	input(f, arp(f, 1, PEER, OURS)); /* no address yet: nothing to answer */
	ck_assert_uint_eq(nout, 0);
	lease();
	input(f, arp(f, 1, PEER, OURS + 1)); /* someone else's */
	ck_assert_uint_eq(nout, 0);
	input(f, arp(f, 1, PEER, OURS));
	ck_assert_uint_eq(nout, 1);
	ck_assert_uint_eq(out_len[0], 42);
	ck_assert_mem_eq(out[0], peer_mac, 6);
	ck_assert_uint_eq(g16(out[0] + 12), 0x0806);
	ck_assert_uint_eq(g16(out[0] + 20), 2);
	ck_assert_mem_eq(out[0] + 22, mac, 6);
	ck_assert_uint_eq(g32(out[0] + 28), OURS);
	ck_assert_mem_eq(out[0] + 32, peer_mac, 6);
	ck_assert_uint_eq(g32(out[0] + 38), PEER);
	ck_assert(ip_core_arp_lookup(c, PEER, m));
	ck_assert_mem_eq(m, peer_mac, 6);
	ck_assert_uint_eq(c->count[IP_COUNT_ARP_REPLIES], 1);
}
END_TEST

START_TEST(the_arp_cache_forgets_the_longest_unseen)
{
	uint8_t f[64], m[6];

	lease();
	for (uint32_t i = 0; i <= IP_ARP_MAX; i++) {
		clock_ms++;
		input(f, arp(f, 2, PEER + i, OURS));
	}
	ck_assert(!ip_core_arp_lookup(c, PEER, m));
	ck_assert(ip_core_arp_lookup(c, PEER + IP_ARP_MAX, m));
	ck_assert(ip_core_arp_lookup(c, PEER + 1, m));
	clock_ms++;
	input(f, arp(f, 2, PEER + 1, OURS)); /* heard again: now the newest */
	clock_ms++;
	input(f, arp(f, 2, PEER, OURS));
	ck_assert(ip_core_arp_lookup(c, PEER + 1, m));
	ck_assert(!ip_core_arp_lookup(c, PEER + 2, m)); /* the longest unheard */
}
END_TEST

START_TEST(ping_is_answered_with_its_own_payload)
{
	uint8_t f[IP_FRAME_MAX];
	size_t n;

	lease();
	n = echo_request(f, "abcdefgh01234567");
	input(f, n);
	ck_assert_uint_eq(nout, 1);
	ck_assert_uint_eq(out_len[0], n);
	ck_assert_mem_eq(out[0], peer_mac, 6);
	ck_assert_uint_eq(csum(out[0] + 14, 20, 0), 0);
	ck_assert_uint_eq(g32(out[0] + 26), OURS);
	ck_assert_uint_eq(g32(out[0] + 30), PEER);
	ck_assert_uint_eq(out[0][34], 0); /* an echo reply */
	ck_assert_uint_eq(csum(out[0] + 34, n - 34, 0), 0);
	ck_assert_mem_eq(out[0] + 38, f + 38, n - 38); /* id, sequence and data */
	ck_assert_uint_eq(c->count[IP_COUNT_ECHO_REPLIES], 1);
}
END_TEST

START_TEST(udp_to_port_7_comes_back)
{
	uint8_t f[IP_FRAME_MAX];
	const uint8_t *u;
	size_t n;

	lease();
	n = udp(f, mac, PEER, OURS, 40000, 7, "hello, port 7", 13);
	input(f, n);
	ck_assert_uint_eq(nout, 1);
	u = out[0] + 34;
	ck_assert_uint_eq(g16(u), 7);
	ck_assert_uint_eq(g16(u + 2), 40000);
	ck_assert_uint_eq(g16(u + 4), 8 + 13);
	ck_assert_mem_eq(u + 8, "hello, port 7", 13);
	ck_assert_uint_eq(
	        csum(u, 21,
	             (PEER >> 16) + (PEER & 0xffff) + (OURS >> 16) + (OURS & 0xffff) + 17 + 21),
	        0);
	input(f, udp(f, mac, PEER, OURS, 40000, 9, "x", 1)); /* another port */
	ck_assert_uint_eq(nout, 1);
	ck_assert_uint_eq(c->count[IP_COUNT_UDP_ECHOES], 1);
}
END_TEST

/* ---- malformed frames ---- */

/* f (n bytes), fed in, must be dropped and counted as why. */
static void dropped(const uint8_t *f, size_t n, enum ip_count why)
{
	uint64_t before = c->count[why];

	nout = 0;
	input(f, n);
	ck_assert_uint_eq(nout, 0);
	ck_assert_uint_eq(c->count[why], before + 1);
}

START_TEST(malformed_frames_are_dropped_and_counted)
{
	static uint8_t big[IP_FRAME_MAX + 1];
	uint8_t f[IP_FRAME_MAX];
	size_t n;

	lease();
	dropped(f, 13, IP_COUNT_SHORT);
	dropped(big, sizeof(big), IP_COUNT_OVERSIZED);
	n = echo_request(f, "0123");
	dropped(f, 14 + 19, IP_COUNT_SHORT); /* less than an IP header */
	dropped(f, n - 1, IP_COUNT_SHORT);   /* less than its total length */
	f[24] ^= 0x40;                       /* the header's checksum */
	dropped(f, n, IP_COUNT_BAD_CHECKSUM);
	f[24] ^= 0x40;
	f[36] ^= 1; /* ICMP's */
	dropped(f, n, IP_COUNT_BAD_CHECKSUM);
	f[36] ^= 1;
	f[14] = 0x44; /* a header length of 16 */
	dropped(f, n, IP_COUNT_BAD_HEADER);
	f[14] = 0x65; /* version 6 */
	dropped(f, n, IP_COUNT_BAD_HEADER);
	f[14] = 0x4f; /* 60 bytes of header, more than the datagram */
	dropped(f, n, IP_COUNT_BAD_HEADER);
	f[14] = 0x45;
	n = echo_request(f, "0123");
	p16(f + 20, 0x2000); /* more fragments */
	p16(f + 24, 0), p16(f + 24, csum(f + 14, 20, 0));
	dropped(f, n, IP_COUNT_FRAGMENT);
	p16(f + 20, 0x0010); /* a later fragment */
	p16(f + 24, 0), p16(f + 24, csum(f + 14, 20, 0));
	dropped(f, n, IP_COUNT_FRAGMENT);
	n = udp(f, mac, PEER, OURS, 1, 7, "abc", 3);
	f[44] ^= 1; /* the data, under UDP's checksum */
	dropped(f, n, IP_COUNT_BAD_CHECKSUM);
	p16(f + 38, 100); /* a UDP length past the datagram */
	dropped(f, n, IP_COUNT_BAD_HEADER);
	n = arp(f, 1, PEER, OURS);
	dropped(f, n - 1, IP_COUNT_SHORT);
	f[19] = 5; /* hardware address length 5 */
	dropped(f, n, IP_COUNT_BAD_HEADER);
	ck_assert_uint_eq(c->count[IP_COUNT_RX], 17);
}
END_TEST

START_TEST(dhcp_options_past_the_end_are_dropped)
{
	uint8_t f[IP_FRAME_MAX];
	size_t n;

	ip_core_tick(c, clock_ms);
	n = dhcp(f, 2, OURS, 3600);
	f[42 + 240 + 1] = 250; /* the first option claims 250 bytes */
	p16(f + 40, 0);
	dropped(f, n, IP_COUNT_BAD_HEADER);
	n = dhcp(f, 2, OURS, 3600);
	dropped(f, 42 + 200, IP_COUNT_SHORT); /* IP says more than the frame holds */
	ck_assert_uint_eq(c->state, IP_STATE_SELECTING);
}
END_TEST

/* ---- dispatch ---- */

START_TEST(wait_is_answered_when_the_lease_arrives)
{
	xous_envelope_t w = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 1, IP_OP_WAIT, 0, 0, 0);
	xous_envelope_t t = rec_scalar(XOUS_SCALAR, 5, 2, IP_OP_TICK, 0, 0, 0);
	xous_envelope_t info = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 3, IP_OP_INFO, 0, 0, 0);
	xous_envelope_t cnt =
	        rec_scalar(XOUS_BLOCKING_SCALAR, 5, 4, IP_OP_COUNT, IP_COUNT_RX, 0, 0);
	xous_envelope_t bad = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 5, IP_OP_COUNT, IP_NCOUNTS, 0, 0);
	uint8_t f[IP_FRAME_MAX];
	xous_envelope_t m;
	xous_answer_t a;

	rec_dispatched(&w, ip_dispatch(&srv, &w));
	ck_assert_uint_eq(rec_n, 0); /* parked */
	rec_dispatched(&t, ip_dispatch(&srv, &t));
	ck_assert_int_eq(last_dhcp_type(), 1);
	m = rec_memory(XOUS_MOVE, 2, 6, IP_OP_RX, NULL, f, dhcp(f, 2, OURS, 60));
	rec_dispatched(&m, ip_dispatch(&srv, &m));
	ck_assert_ptr_null(rec_find(w.sender));
	m = rec_memory(XOUS_MOVE, 2, 7, IP_OP_RX, NULL, f, dhcp(f, 5, OURS, 60));
	rec_dispatched(&m, ip_dispatch(&srv, &m));
	ck_assert_ptr_nonnull(rec_find(w.sender));
	ck_assert_uint_eq(rec_find(w.sender)->kind, REC_SCALAR5);
	ck_assert_uint_eq(rec_find(w.sender)->v1, IP_STATE_BOUND);
	ck_assert_uint_eq(rec_find(w.sender)->v2, OURS);
	a = ip_dispatch(&srv, &info);
	ck_assert_uint_eq(a.kind, XOUS_ANSWER_SCALAR5);
	ck_assert_uint_eq(a.v[2], 0xffffff00);
	ck_assert_uint_eq(a.v[3], SERVER);
	ck_assert_uint_eq(a.v[4], 60);
	a = ip_dispatch(&srv, &cnt);
	ck_assert_uint_eq(a.kind, XOUS_ANSWER_SCALAR2);
	ck_assert_uint_eq(a.v[0], XOUS_OK);
	ck_assert_uint_eq(a.v[1], 2);
	a = ip_dispatch(&srv, &bad);
	ck_assert_uint_eq(a.v[0], XOUS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(too_many_waiters_are_told_at_once)
{
	for (uint32_t i = 0; i < IP_MAX_WAITERS; i++) {
		xous_envelope_t w = rec_scalar(XOUS_BLOCKING_SCALAR, 5, i + 1, IP_OP_WAIT, 0, 0, 0);

		ck_assert_uint_eq(ip_dispatch(&srv, &w).kind, XOUS_ANSWER_DEFERRED);
	}
	xous_envelope_t w = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 99, IP_OP_WAIT, 0, 0, 0);
	xous_answer_t a = ip_dispatch(&srv, &w);

	ck_assert_uint_eq(a.kind, XOUS_ANSWER_SCALAR5);
	ck_assert_uint_eq(a.v[0], IP_STATE_INIT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("servers.ip");

	ADD(s, dhcp_discover_offer_request_ack);
	ADD(s, dhcp_retransmits_and_starts_over_after_a_nak);
	ADD(s, dhcp_renews_at_half_the_lease_and_gives_up_at_its_end);
	ADD(s, another_clients_dhcp_answer_is_ignored);
	ADD(s, arp_requests_for_our_address_are_answered_and_cached);
	ADD(s, the_arp_cache_forgets_the_longest_unseen);
	ADD(s, ping_is_answered_with_its_own_payload);
	ADD(s, udp_to_port_7_comes_back);
	ADD(s, malformed_frames_are_dropped_and_counted);
	ADD(s, dhcp_options_past_the_end_are_dropped);
	ADD(s, wait_is_answered_when_the_lease_arrives);
	ADD(s, too_many_waiters_are_told_at_once);
	return rec_run(s);
}

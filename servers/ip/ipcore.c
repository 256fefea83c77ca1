/*
 * ipcore.c - the ip server's protocols (ipcore.h). Offsets are those of
 * the RFCs: Ethernet II (14-byte header), ARP (RFC 826), IPv4 (RFC 791),
 * ICMP (RFC 792), UDP (RFC 768), BOOTP/DHCP (RFC 951, 2131, 2132).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ipcore.h"

#define ETH_HDR       14
#define ETH_ARP       0x0806
#define ETH_IPV4      0x0800
#define ARP_LEN       28
#define IP_HDR        20
#define IP_MF         0x2000
#define IP_OFFSET     0x1fff
#define IP_DF         0x4000
#define PROTO_ICMP    1
#define PROTO_UDP     17
#define UDP_HDR       8
#define ICMP_HDR      8
#define PORT_ECHO     7
#define PORT_BOOTPS   67
#define PORT_BOOTPC   68
#define BOOTP_OPTS    240 /* the options begin after the magic cookie */
#define BOOTP_MIN     300 /* the smallest message BOOTP relays accept */
#define DHCP_MAGIC    0x63825363u
#define BROADCAST     0xffffffffu
#define LEASE_FOREVER 0xffffffffu

enum { DHCPDISCOVER = 1, DHCPOFFER = 2, DHCPREQUEST = 3, DHCPACK = 5, DHCPNAK = 6 };
enum {
	OPT_PAD = 0,
	OPT_MASK = 1,
	OPT_ROUTER = 3,
	OPT_REQ_IP = 50,
	OPT_LEASE = 51,
	OPT_TYPE = 53,
	OPT_SERVER = 54,
	OPT_PARAMS = 55,
	OPT_END = 255
};

static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* The ones' complement sum of p (RFC 1071), carried on from sum. */
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += get16(p + i);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* UDP's pseudo header: addresses, protocol and length. */
static uint32_t pseudo_sum(uint32_t src, uint32_t dst, uint16_t len)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + PROTO_UDP + len;
}

static void drop(struct ip_core *c, enum ip_count why)
{
	c->count[why]++;
}

static void say(struct ip_core *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct ip_core *c, const char *fmt, ...)
{
	char line[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (c->ops.log)
		c->ops.log(c->ops.ctx, line);
}

/* a as dotted decimal in q */
static const char *quad(char q[16], uint32_t a)
{
	snprintf(q, 16, "%u.%u.%u.%u", (unsigned)(a >> 24), (unsigned)(a >> 16 & 0xff),
	         (unsigned)(a >> 8 & 0xff), (unsigned)(a & 0xff));
	return q;
}

/* ---- sending ---- */

static void send_frame(struct ip_core *c, uint8_t *f, size_t len, const uint8_t dst[6],
                       uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, c->mac, 6);
	put16(f + 12, type);
	c->count[IP_COUNT_TX]++;
	c->ops.tx(c->ops.ctx, f, len);
}

/* An IPv4 header at p for plen bytes of payload. */
static void ip_header(struct ip_core *c, uint8_t *p, uint8_t proto, uint32_t src, uint32_t dst,
                      size_t plen)
{
	memset(p, 0, IP_HDR);
	p[0] = 0x45;
	put16(p + 2, (uint16_t)(IP_HDR + plen));
	put16(p + 4, c->ip_id++);
	put16(p + 6, IP_DF);
	p[8] = 64;
	p[9] = proto;
	put32(p + 12, src);
	put32(p + 16, dst);
	put16(p + 10, fold(sum16(p, IP_HDR, 0)));
}

/* A UDP datagram of plen bytes already at f + 42, sent. */
static void send_udp(struct ip_core *c, uint8_t *f, const uint8_t dmac[6], uint32_t src,
                     uint32_t dst, uint16_t sport, uint16_t dport, size_t plen)
{
	uint8_t *u = f + ETH_HDR + IP_HDR;
	uint16_t ulen = (uint16_t)(UDP_HDR + plen);
	uint16_t sum;

	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, ulen);
	put16(u + 6, 0);
	sum = fold(sum16(u, ulen, pseudo_sum(src, dst, ulen)));
	put16(u + 6, sum ? sum : 0xffff);
	ip_header(c, f + ETH_HDR, PROTO_UDP, src, dst, ulen);
	send_frame(c, f, ETH_HDR + IP_HDR + ulen, dmac, ETH_IPV4);
}

/* ---- ARP ---- */

bool ip_core_arp_lookup(const struct ip_core *c, uint32_t ip, uint8_t mac[6])
{
	for (size_t i = 0; i < IP_ARP_MAX; i++)
		if (c->arp[i].used && c->arp[i].ip == ip) {
			memcpy(mac, c->arp[i].mac, 6);
			return true;
		}
	return false;
}

/* Remember that ip is at mac; a full cache forgets the longest unseen. */
static void arp_learn(struct ip_core *c, uint32_t ip, const uint8_t mac[6], uint64_t now)
{
	struct ip_arp_entry *e = NULL;

	if (ip == 0 || ip == BROADCAST || (mac[0] & 1))
		return;
	for (size_t i = 0; i < IP_ARP_MAX && !e; i++)
		if (c->arp[i].used && c->arp[i].ip == ip)
			e = &c->arp[i];
	for (size_t i = 0; i < IP_ARP_MAX && !e; i++)
		if (!c->arp[i].used)
			e = &c->arp[i];
	if (!e) {
		e = &c->arp[0];
		for (size_t i = 1; i < IP_ARP_MAX; i++)
			if (c->arp[i].seen_ms < e->seen_ms)
				e = &c->arp[i];
	}
	e->used = true;
	e->ip = ip;
	memcpy(e->mac, mac, 6);
	e->seen_ms = now;
}

static void arp_input(struct ip_core *c, const uint8_t *a, size_t n, uint64_t now)
{
	uint8_t f[ETH_HDR + ARP_LEN];
	uint8_t *r = f + ETH_HDR;
	uint32_t spa, tpa;

	if (n < ARP_LEN)
		return drop(c, IP_COUNT_SHORT);
	if (get16(a) != 1 || get16(a + 2) != ETH_IPV4 || a[4] != 6 || a[5] != 4 ||
	    (get16(a + 6) != 1 && get16(a + 6) != 2))
		return drop(c, IP_COUNT_BAD_HEADER);
	spa = get32(a + 14);
	tpa = get32(a + 24);
	if (!ip_core_leased(c) || tpa != c->addr) {
		c->count[IP_COUNT_IGNORED]++;
		return;
	}
	arp_learn(c, spa, a + 8, now);
	if (get16(a + 6) != 1 || spa == 0)
		return;
	put16(r, 1);
	put16(r + 2, ETH_IPV4);
	r[4] = 6;
	r[5] = 4;
	put16(r + 6, 2);
	memcpy(r + 8, c->mac, 6);
	put32(r + 14, c->addr);
	memcpy(r + 18, a + 8, 6);
	put32(r + 24, spa);
	c->count[IP_COUNT_ARP_REPLIES]++;
	send_frame(c, f, sizeof(f), a + 8, ETH_ARP);
}

/* ---- DHCP ---- */

static void dhcp_send(struct ip_core *c, int type)
{
	uint8_t f[ETH_HDR + IP_HDR + UDP_HDR + BOOTP_MIN];
	uint8_t *b = f + ETH_HDR + IP_HDR + UDP_HDR, *o = b + BOOTP_OPTS;
	bool renew = c->state == IP_STATE_RENEWING;

	memset(b, 0, BOOTP_MIN);
	b[0] = 1; /* BOOTREQUEST, Ethernet */
	b[1] = 1;
	b[2] = 6;
	put32(b + 4, c->xid);
	if (renew)
		put32(b + 12, c->addr);
	else
		put16(b + 10, 0x8000); /* answer by broadcast: we have no address */
	memcpy(b + 28, c->mac, 6);
	put32(b + 236, DHCP_MAGIC);
	*o++ = OPT_TYPE, *o++ = 1, *o++ = (uint8_t)type;
	if (type == DHCPREQUEST && !renew) {
		*o++ = OPT_REQ_IP, *o++ = 4;
		put32(o, c->offered), o += 4;
		*o++ = OPT_SERVER, *o++ = 4;
		put32(o, c->server), o += 4;
	}
	*o++ = OPT_PARAMS, *o++ = 4, *o++ = OPT_MASK, *o++ = OPT_ROUTER, *o++ = OPT_LEASE;
	*o++ = OPT_SERVER;
	*o = OPT_END;
	send_udp(c, f, bcast_mac, renew ? c->addr : 0, BROADCAST, PORT_BOOTPC, PORT_BOOTPS,
	         BOOTP_MIN);
}

/* Start over: no address, a new transaction, a DISCOVER now. */
static void dhcp_restart(struct ip_core *c, uint64_t now)
{
	c->state = IP_STATE_SELECTING;
	c->addr = c->netmask = c->router = c->offered = 0;
	c->xid = c->xid * 1103515245u + 12345u;
	c->tries = 0;
	c->retry_ms = IP_RETRY_MS;
	c->next_ms = now + c->retry_ms;
	dhcp_send(c, DHCPDISCOVER);
}

struct dhcp_msg {
	int type;
	uint32_t yiaddr, mask, router, server, lease;
};

/* The options at o (n bytes): false if one runs past the end. */
static bool dhcp_options(const uint8_t *o, size_t n, struct dhcp_msg *m)
{
	size_t i = 0;

	while (i < n && o[i] != OPT_END) {
		size_t len;

		if (o[i] == OPT_PAD) {
			i++;
			continue;
		}
		if (i + 2 > n || i + 2 + o[i + 1] > n)
			return false;
		len = o[i + 1];
		if (o[i] == OPT_TYPE && len == 1)
			m->type = o[i + 2];
		else if (o[i] == OPT_MASK && len == 4)
			m->mask = get32(o + i + 2);
		else if (o[i] == OPT_ROUTER && len >= 4)
			m->router = get32(o + i + 2);
		else if (o[i] == OPT_SERVER && len == 4)
			m->server = get32(o + i + 2);
		else if (o[i] == OPT_LEASE && len == 4)
			m->lease = get32(o + i + 2);
		i += 2 + len;
	}
	return true;
}

static void dhcp_bound(struct ip_core *c, const struct dhcp_msg *m, uint64_t now)
{
	char q[4][16];

	c->state = IP_STATE_BOUND;
	c->addr = m->yiaddr;
	c->netmask = m->mask ? m->mask : 0xffffff00u;
	c->router = m->router;
	c->lease_s = m->lease ? m->lease : LEASE_FOREVER;
	c->bound_ms = now;
	c->next_ms = c->lease_s == LEASE_FOREVER ? UINT64_MAX : now + c->lease_s * 500ull;
	say(c, "ip: DHCP lease %s netmask %s router %s from %s for %u s", quad(q[0], c->addr),
	    quad(q[1], c->netmask), quad(q[2], c->router), quad(q[3], c->server),
	    (unsigned)c->lease_s);
}

static void dhcp_input(struct ip_core *c, const uint8_t *b, size_t n, uint64_t now)
{
	struct dhcp_msg m = {0};

	if (n < BOOTP_OPTS)
		return drop(c, IP_COUNT_SHORT);
	if (b[0] != 2 || get32(b + 236) != DHCP_MAGIC ||
	    !dhcp_options(b + BOOTP_OPTS, n - BOOTP_OPTS, &m))
		return drop(c, IP_COUNT_BAD_HEADER);
	if (get32(b + 4) != c->xid || memcmp(b + 28, c->mac, 6) != 0) {
		c->count[IP_COUNT_IGNORED]++; /* another client's */
		return;
	}
	m.yiaddr = get32(b + 16);
	if (c->state == IP_STATE_SELECTING && m.type == DHCPOFFER && m.server && m.yiaddr &&
	    m.yiaddr != BROADCAST) {
		c->offered = m.yiaddr;
		c->server = m.server;
		c->state = IP_STATE_REQUESTING;
		c->tries = 1;
		c->retry_ms = IP_RETRY_MS;
		c->next_ms = now + c->retry_ms;
		dhcp_send(c, DHCPREQUEST);
	} else if ((c->state == IP_STATE_REQUESTING || c->state == IP_STATE_RENEWING) &&
	           m.type == DHCPACK && m.yiaddr &&
	           m.yiaddr == (c->state == IP_STATE_REQUESTING ? c->offered : c->addr)) {
		dhcp_bound(c, &m, now);
	} else if ((c->state == IP_STATE_REQUESTING || c->state == IP_STATE_RENEWING) &&
	           m.type == DHCPNAK && (!m.server || m.server == c->server)) {
		char q[16];

		say(c, "ip: DHCP refused by %s (NAK): asking again", quad(q, c->server));
		dhcp_restart(c, now);
	} else {
		c->count[IP_COUNT_IGNORED]++;
	}
}

bool ip_core_leased(const struct ip_core *c)
{
	return c->state == IP_STATE_BOUND || c->state == IP_STATE_RENEWING;
}

/* ---- ICMP and UDP ---- */

static void icmp_input(struct ip_core *c, const uint8_t *f, const uint8_t *p, size_t plen)
{
	uint8_t out[IP_FRAME_MAX];
	uint8_t *r = out + ETH_HDR + IP_HDR;

	if (plen < ICMP_HDR)
		return drop(c, IP_COUNT_SHORT);
	if (fold(sum16(p, plen, 0)) != 0)
		return drop(c, IP_COUNT_BAD_CHECKSUM);
	if (p[0] != 8 || p[1] != 0) { /* only echo requests */
		c->count[IP_COUNT_IGNORED]++;
		return;
	}
	memcpy(r, p, plen);
	r[0] = 0;
	put16(r + 2, 0);
	put16(r + 2, fold(sum16(r, plen, 0)));
	ip_header(c, out + ETH_HDR, PROTO_ICMP, c->addr, get32(f + ETH_HDR + 12), plen);
	c->count[IP_COUNT_ECHO_REPLIES]++;
	send_frame(c, out, ETH_HDR + IP_HDR + plen, f + 6, ETH_IPV4);
}

static void udp_input(struct ip_core *c, const uint8_t *f, uint32_t src, uint32_t dst,
                      const uint8_t *u, size_t plen, uint64_t now)
{
	uint8_t out[IP_FRAME_MAX];
	size_t ulen;

	if (plen < UDP_HDR)
		return drop(c, IP_COUNT_SHORT);
	ulen = get16(u + 4);
	if (ulen < UDP_HDR || ulen > plen)
		return drop(c, IP_COUNT_BAD_HEADER);
	if (get16(u + 6) && fold(sum16(u, ulen, pseudo_sum(src, dst, (uint16_t)ulen))) != 0)
		return drop(c, IP_COUNT_BAD_CHECKSUM);
	if (get16(u + 2) == PORT_BOOTPC && get16(u) == PORT_BOOTPS)
		return dhcp_input(c, u + UDP_HDR, ulen - UDP_HDR, now);
	if (get16(u + 2) != PORT_ECHO || !ip_core_leased(c) || dst != c->addr) {
		c->count[IP_COUNT_IGNORED]++;
		return;
	}
	memcpy(out + ETH_HDR + IP_HDR + UDP_HDR, u + UDP_HDR, ulen - UDP_HDR);
	c->count[IP_COUNT_UDP_ECHOES]++;
	send_udp(c, out, f + 6, c->addr, src, PORT_ECHO, get16(u), ulen - UDP_HDR);
}

/* ---- IPv4 ---- */

/* Whether a datagram to dst is ours: our address, a broadcast, or (before
 * a lease) DHCP's answers, which some servers send to the offered address. */
static bool ip_ours(const struct ip_core *c, uint32_t dst, uint8_t proto)
{
	if (dst == BROADCAST)
		return true;
	if (ip_core_leased(c))
		return dst == c->addr || dst == (c->addr | ~c->netmask);
	return proto == PROTO_UDP;
}

static void ipv4_input(struct ip_core *c, const uint8_t *f, const uint8_t *p, size_t n,
                       uint64_t now)
{
	size_t ihl, tot;
	uint32_t src, dst;

	if (n < IP_HDR)
		return drop(c, IP_COUNT_SHORT);
	ihl = (size_t)(p[0] & 15) * 4;
	tot = get16(p + 2);
	if (p[0] >> 4 != 4 || ihl < IP_HDR || tot < ihl)
		return drop(c, IP_COUNT_BAD_HEADER);
	if (tot > n)
		return drop(c, IP_COUNT_SHORT);
	if (fold(sum16(p, ihl, 0)) != 0)
		return drop(c, IP_COUNT_BAD_CHECKSUM);
	if (get16(p + 6) & (IP_MF | IP_OFFSET))
		return drop(c, IP_COUNT_FRAGMENT);
	src = get32(p + 12);
	dst = get32(p + 16);
	if (!ip_ours(c, dst, p[9])) {
		c->count[IP_COUNT_IGNORED]++;
		return;
	}
	if (p[9] == PROTO_ICMP && dst == c->addr && ip_core_leased(c))
		icmp_input(c, f, p + ihl, tot - ihl);
	else if (p[9] == PROTO_UDP)
		udp_input(c, f, src, dst, p + ihl, tot - ihl, now);
	else
		c->count[IP_COUNT_IGNORED]++;
}

void ip_core_input(struct ip_core *c, const uint8_t *f, size_t len, uint64_t now)
{
	c->count[IP_COUNT_RX]++;
	if (len < ETH_HDR)
		return drop(c, IP_COUNT_SHORT);
	if (len > IP_FRAME_MAX)
		return drop(c, IP_COUNT_OVERSIZED);
	if (memcmp(f, c->mac, 6) != 0 && memcmp(f, bcast_mac, 6) != 0) {
		c->count[IP_COUNT_IGNORED]++;
		return;
	}
	switch (get16(f + 12)) {
	case ETH_ARP:
		arp_input(c, f + ETH_HDR, len - ETH_HDR, now);
		break;
	case ETH_IPV4:
		ipv4_input(c, f, f + ETH_HDR, len - ETH_HDR, now);
		break;
	default:
		c->count[IP_COUNT_IGNORED]++;
		break;
	}
}

/* ---- time ---- */

static void retransmit(struct ip_core *c, uint64_t now, int type)
{
	c->retry_ms = c->retry_ms * 2 > IP_RETRY_MAX ? IP_RETRY_MAX : c->retry_ms * 2;
	c->next_ms = now + c->retry_ms;
	c->tries++;
	dhcp_send(c, type);
}

void ip_core_tick(struct ip_core *c, uint64_t now)
{
	if (c->state == IP_STATE_INIT)
		return dhcp_restart(c, now);
	if (now < c->next_ms)
		return;
	switch (c->state) {
	case IP_STATE_SELECTING:
		retransmit(c, now, DHCPDISCOVER);
		break;
	case IP_STATE_REQUESTING:
		if (c->tries >= IP_REQUEST_TRIES)
			dhcp_restart(c, now);
		else
			retransmit(c, now, DHCPREQUEST);
		break;
	case IP_STATE_BOUND:
		c->state = IP_STATE_RENEWING;
		c->retry_ms = IP_RETRY_MS;
		retransmit(c, now, DHCPREQUEST);
		break;
	case IP_STATE_RENEWING:
		if (now - c->bound_ms >= c->lease_s * 1000ull) {
			char q[16];

			say(c, "ip: DHCP lease of %s ended unrenewed", quad(q, c->addr));
			dhcp_restart(c, now);
		} else {
			retransmit(c, now, DHCPREQUEST);
		}
		break;
	default:
		break;
	}
}

void ip_core_init(struct ip_core *c, const struct ip_core_ops *ops, const uint8_t mac[6],
                  uint32_t seed)
{
	memset(c, 0, sizeof(*c));
	c->ops = *ops;
	memcpy(c->mac, mac, 6);
	c->xid = seed ^ get32(mac + 2);
	c->ip_id = (uint16_t)seed;
	c->state = IP_STATE_INIT;
}

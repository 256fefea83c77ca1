/*
 * ipcore - the ip server's protocols over raw Ethernet frames, pure C:
 * frames in (ip_core_input), frames out (ops.tx), the clock an argument.
 * ARP (answers for our address; a cache of who is where), a DHCP client
 * (DISCOVER, OFFER, REQUEST, ACK; renewal at half the lease), ICMP echo
 * replies and a UDP echo on port 7. Every frame is checked before it is
 * believed: one that is short, oversized, fragmented, or whose header
 * lengths or checksums do not add up is dropped and counted by reason.
 *
 * Addresses are uint32_t in host order (10.0.2.15 is 0x0a00020f).
 */
#ifndef XOUS_IPCORE_H
#define XOUS_IPCORE_H

#include <resea/ip.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IP_FRAME_MAX     1514 /* an Ethernet frame without its check sequence */
#define IP_ARP_MAX       16
#define IP_RETRY_MS      500  /* DHCP: the first retransmission */
#define IP_RETRY_MAX     2000 /* the longest wait between retransmissions */
#define IP_REQUEST_TRIES 4    /* REQUESTs without an answer before starting over */

struct ip_core_ops {
	void *ctx;
	void (*tx)(void *ctx, const uint8_t *frame, size_t len);
	void (*log)(void *ctx, const char *line); /* one line, no newline */
};

struct ip_arp_entry {
	bool used;
	uint32_t ip;
	uint8_t mac[6];
	uint64_t seen_ms;
};

struct ip_core {
	struct ip_core_ops ops;
	uint8_t mac[6];
	enum ip_state state;
	uint32_t addr, netmask, router, server, offered, lease_s;
	uint32_t xid;
	uint64_t next_ms;  /* the next retransmission or renewal */
	uint32_t retry_ms; /* the wait after the next retransmission */
	unsigned tries;
	uint64_t bound_ms; /* when the lease began */
	uint16_t ip_id;
	struct ip_arp_entry arp[IP_ARP_MAX];
	uint64_t count[IP_NCOUNTS];
};

/* seed: anything that differs between runs (the DHCP transaction ids). */
void ip_core_init(struct ip_core *c, const struct ip_core_ops *ops, const uint8_t mac[6],
                  uint32_t seed);
/* One received frame. */
void ip_core_input(struct ip_core *c, const uint8_t *frame, size_t len, uint64_t now_ms);
/* Time passed: retransmit, renew, expire. */
void ip_core_tick(struct ip_core *c, uint64_t now_ms);
/* The MAC of ip in the ARP cache: true if known. */
bool ip_core_arp_lookup(const struct ip_core *c, uint32_t ip, uint8_t mac[6]);
/* Whether the stack holds a lease (bound or renewing). */
bool ip_core_leased(const struct ip_core *c);

#endif

/*
 * <resea/ip.h> - the "ip" server's client: a small IPv4 stack on the "net"
 * device (<resea/net.h>), started with it by xous-hostd --net and
 * xous-riscv-run --net. It takes an address by DHCP, answers ARP for it,
 * answers ICMP echo requests (ping) and echoes UDP datagrams sent to port
 * 7; malformed frames are dropped and counted. docs/resea-net.md.
 */
#ifndef RESEA_IP_H
#define RESEA_IP_H

#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where the DHCP client is. */
enum ip_state {
	IP_STATE_INIT = 0,   /* no address, about to ask */
	IP_STATE_SELECTING,  /* DISCOVER sent, waiting for an offer */
	IP_STATE_REQUESTING, /* REQUEST sent, waiting for the acknowledgement */
	IP_STATE_BOUND,      /* leased: the address is in use */
	IP_STATE_RENEWING,   /* leased, half the lease gone: asking for more */
};

/* The stack's address (0.0.0.0 while it has none), in network order. */
struct ip_info {
	uint32_t state; /* enum ip_state */
	uint8_t addr[4], netmask[4], router[4];
	uint32_t lease_s; /* the lease's length; 0xffffffff: forever */
};

/* What the stack counted since it started. */
enum ip_count {
	IP_COUNT_RX = 0,       /* frames received */
	IP_COUNT_TX,           /* frames sent */
	IP_COUNT_IGNORED,      /* well-formed, but for someone else or another protocol */
	IP_COUNT_SHORT,        /* dropped: shorter than their headers say */
	IP_COUNT_OVERSIZED,    /* dropped: longer than an Ethernet frame */
	IP_COUNT_BAD_HEADER,   /* dropped: a bad version, header length or field */
	IP_COUNT_BAD_CHECKSUM, /* dropped: an IP, ICMP or UDP checksum that does not add up */
	IP_COUNT_FRAGMENT,     /* dropped: IP fragments (the stack does not reassemble) */
	IP_COUNT_ARP_REPLIES,  /* ARP requests for our address answered */
	IP_COUNT_ECHO_REPLIES, /* ICMP echo requests answered */
	IP_COUNT_UDP_ECHOES,   /* UDP datagrams to port 7 echoed */
	IP_NCOUNTS
};

/* The address now. INVALID_ARGUMENT if out is NULL. */
xous_err_t ip_info(struct ip_info *out);
/* Wait until the stack holds a lease, then its address (event-driven: the
 * answer comes when the acknowledgement arrives). */
xous_err_t ip_wait_lease(struct ip_info *out);
/* One counter. INVALID_ARGUMENT for an unknown one or a NULL value. */
xous_err_t ip_count(enum ip_count which, uint64_t *value);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_IP_H */

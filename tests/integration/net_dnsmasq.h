/*
 * net_dnsmasq.h - the dnsmasq that the --net tests and xous-bench's ping
 * scenario run in the broker's network namespace: DHCP only (no DNS), on
 * the TAP device xous0, leasing 10.0.2.15 alone for `lease`, without the
 * ping dnsmasq makes before an offer and without a lease file; as root.
 */
#ifndef NET_DNSMASQ_H
#define NET_DNSMASQ_H

#define NET_DNSMASQ_LEASED "10.0.2.15"
#define NET_DNSMASQ_ARGS(lease)                                                                    \
	"dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=0", "--interface=xous0",        \
	        "--bind-interfaces", "--no-ping", "--leasefile-ro", "--user=root",                 \
	        "--dhcp-range=" NET_DNSMASQ_LEASED "," NET_DNSMASQ_LEASED ",255.255.255.0," lease

#endif

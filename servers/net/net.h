/*
 * The net server as a pure dispatch function over its listener table: the
 * device and the kernel calls go through struct net_ops, so the unit tests
 * and the fuzz target run it without a kernel or a device.
 *
 * Limits: NET_MAX_LISTENERS listeners in all, NET_MAX_PER_CLIENT per
 * process (a client cannot take them from the others); past a limit:
 * OUT_OF_MEMORY.
 */
#ifndef XOUS_NET_SERVER_H
#define XOUS_NET_SERVER_H

#include <resea/net.h>
#include <stdbool.h>
#include <stdint.h>
#include <xous/serve.h>

#include "api.h"

#define NET_MAX_LISTENERS  16
#define NET_MAX_PER_CLIENT 4

struct net_ops {
	void *ctx;
	/* send one frame on the device */
	xous_err_t (*tx)(void *ctx, const void *frame, size_t len);
	xous_err_t (*connect)(void *ctx, const xous_sid_t *sid, xous_cid_t *cid);
	void (*disconnect)(void *ctx, xous_cid_t cid);
	/* Move a copy of frame to cid with id opcode */
	xous_err_t (*deliver)(void *ctx, xous_cid_t cid, uint32_t opcode, const void *frame,
	                      size_t len);
	/* a platform that receives on another thread than it serves: the lock
	 * it holds around net_dispatch (NULL: none) */
	void (*lock)(void *ctx);
	void (*unlock)(void *ctx);
};

struct net_listener {
	bool used;
	xous_sid_t sid;
	uint32_t opcode;
	xous_pid_t by; /* the process that asked */
	xous_cid_t cid;
};

struct net_counts {
	uint64_t rx, tx, rx_unheard, tx_refused;
};

struct net_srv {
	struct net_ops ops;
	uint8_t mac[6];
	struct net_listener l[NET_MAX_LISTENERS];
	struct net_counts c;
};

void net_init(struct net_srv *st, const struct net_ops *ops, const uint8_t mac[6]);
xous_answer_t net_dispatch(struct net_srv *st, xous_envelope_t *env);

/* A received frame: a copy to each listener (taken under ops.lock, sent
 * outside it); a listener whose server is gone is dropped. */
void net_deliver(struct net_srv *st, const void *frame, size_t len);

/*
 * The platform: platform_host.c (the TAP device the broker hands over),
 * platform_rv32.c (a virtio-net device). net_platform_init opens the
 * device, gives its address and fills ops->tx, lock and unlock: 0, or -1
 * with the reason said. net_platform_receive(st), a thread of its own,
 * hands every frame received to net_deliver(st, ...).
 */
int net_platform_init(struct net_ops *ops, uint8_t mac[6]);
void *net_platform_receive(void *st);

#endif

/*
 * The net server's opcodes ("net", registered with the name server):
 *
 *  0 Tx      Move: one frame at offset 0, valid = its length
 *            (NET_FRAME_MIN..NET_FRAME_MAX; others are dropped and counted)
 *  1 Listen  Borrow: struct net_listen_req, valid = its size
 *            -> MemoryReturned(offset = error)
 *  2 Mac     BlockingScalar -> Scalar2(mac[0..3] little-endian, mac[4..5])
 *  3 Stats   BlockingScalar -> Scalar5(frames received, frames sent,
 *            received frames no listener took, frames refused for sending,
 *            listeners)
 */
#ifndef XOUS_NET_API_H
#define XOUS_NET_API_H

#include <stdint.h>

#define NET_SERVER_NAME "net"

enum net_opcode {
	NET_OP_TX = 0,
	NET_OP_LISTEN = 1,
	NET_OP_MAC = 2,
	NET_OP_STATS = 3,
};

struct net_listen_req {
	uint32_t to[4]; /* the server id frames go to */
	uint32_t opcode;
};

#endif

/*
 * The ip server's opcodes ("ip", registered with the name server):
 *
 *  0 Rx     Move: one received frame at offset 0, valid = its length (from
 *           net, which the server asked with net_listen); a frame from any
 *           sender is taken as from the wire, where anyone may send anything
 *  1 Tick   Scalar: the timer thread's, every IP_TICK_MS; a tick from
 *           anyone else only makes the server look at its clock early
 *  2 Info   BlockingScalar -> Scalar5(state, addr, netmask, router, lease_s),
 *           addresses as uint32 in host order (10.0.2.15 = 0x0a00020f)
 *  3 Wait   BlockingScalar -> as Info, answered once the stack holds a lease
 *  4 Count  BlockingScalar(enum ip_count) -> Scalar2(error, value)
 */
#ifndef XOUS_IP_API_H
#define XOUS_IP_API_H

#define IP_SERVER_NAME "ip"
#define IP_TICK_MS     250

enum ip_opcode {
	IP_OP_RX = 0,
	IP_OP_TICK = 1,
	IP_OP_INFO = 2,
	IP_OP_WAIT = 3,
	IP_OP_COUNT = 4,
};

#endif

/*
 * <resea/net.h> - the "net" server's client (CONTRACT section 6): one
 * Ethernet device. On Linux a TAP device in a network namespace the broker
 * makes (xous-hostd --net); on kernel-riscv a virtio-net device
 * (xous-riscv-run --net, qemu's -netdev user). Calls, errors and an
 * example: docs/resea-net.md.
 */
#ifndef RESEA_NET_H
#define RESEA_NET_H

#include <stddef.h>
#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest frame (destination, source, type and 1500 bytes of payload,
 * no frame check sequence) and the smallest (the 14-byte header). */
#define NET_FRAME_MAX 1514
#define NET_FRAME_MIN 14

/* Queue one frame for sending (one-way: returns once net has it). Errors:
 * INVALID_ARGUMENT (NULL, or len outside NET_FRAME_MIN..NET_FRAME_MAX). */
xous_err_t net_tx(const void *frame, size_t len);

/* Every frame received from now on reaches the server `to` (of any
 * process) as a Move with id `opcode`: the frame at offset 0, valid = its
 * length. Listening again with the same `to` changes the opcode. A server
 * that is gone stops being a listener. Errors: INVALID_ARGUMENT (NULL),
 * SERVER_NOT_FOUND (no such server), OUT_OF_MEMORY (too many listeners). */
xous_err_t net_listen(const xous_sid_t *to, uint32_t opcode);

/* The device's Ethernet address. INVALID_ARGUMENT if mac is NULL. */
xous_err_t net_mac(uint8_t mac[6]);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_NET_H */

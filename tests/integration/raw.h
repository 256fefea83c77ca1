/*
 * raw.h - speaking the broker's wire format by hand (include/xous/hostframe.h), for
 * the tests that must send what the library never would: malformed frames,
 * wrong keys, and many attached processes at little cost.
 */
#ifndef ITEST_RAW_H
#define ITEST_RAW_H

#include <stddef.h>
#include <stdint.h>

#include <xous/hostframe.h>

/* The key from $XOUS_KEY, else from $XOUS_HOSTD.key; 0 on success. */
int raw_key(uint64_t key[2]);
/* A new connection to the attach socket, before any frame; -1 on failure. */
int raw_connect(void);
/* Connect and say XH_HELLO with key; the answer goes to *out. Returns the fd. */
int raw_hello(const uint64_t key[2], struct xh_frame *out);
/* Send len bytes of buf as one packet, with pass_fd attached if >= 0. */
int raw_send(int fd, const void *buf, size_t len, int pass_fd);
/* Send one well-formed frame. */
int raw_frame(int fd, uint16_t type, uint64_t aux, const uint64_t w[8], int pass_fd);
/* Receive one frame: 1 got one, 0 the broker closed the connection, -1 error. */
int raw_recv(int fd, struct xh_frame *out);
/* The same, keeping the frame's fd in *got_fd (-1 if none; NULL: closed). */
int raw_recv_fd(int fd, struct xh_frame *out, int *got_fd);
/* A syscall frame and its answer: 1 answered, 0 disconnected, -1 error. */
int raw_syscall(int fd, const uint64_t w[8], int pass_fd, struct xh_frame *out);

#endif /* ITEST_RAW_H */

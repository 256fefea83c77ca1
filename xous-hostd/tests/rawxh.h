/*
 * rawxh.h - the broker's wire format spoken by hand, for the broker's tests.
 *
 * The tests talk raw frames (not libxous-host) so that they can also send
 * what no library would: garbage, wrong fds, frames out of turn.
 */
#ifndef RAWXH_H
#define RAWXH_H

#include <stdint.h>

#include <xous/abi.h>

#include <xous/hostframe.h>

/* One frame; fd is sent with it if >= 0. 0, or -1 with errno. */
int rx_send(int sock, uint16_t type, const uint64_t w[8], uint64_t aux, int fd);
/* Wait for one frame: 1, 0 on EOF, -1 on error. *fd gets its fd or -1. */
int rx_recv(int sock, struct xh_frame *f, int *fd);
/* A syscall: w in, result out (w[0] the tag). Returns 1, 0 on EOF, -1. */
int rx_call(int sock, uint64_t w[8], int fd, uint64_t *aux, int *rfd);
/* Read PATH.key of the socket at path. 0 or -1. */
int rx_read_key(const char *path, uint64_t key[2]);
/* Connect to the attach socket and say hello with key; the connection, or -1.
 * *res is the result frame's w[0] and w[1] (PROCESS_ID pid, or ERROR code). */
int rx_hello(const char *path, const uint64_t key[2], uint64_t res[2]);
/* rx_hello with the right key; -1 unless it became a process. */
int rx_attach(const char *path, uint32_t *pid);
/* A server id from 16 bytes of name. */
void rx_sid(const char *name16, uint64_t sid[4]);
/* A sealed memfd of len bytes filled with byte c. */
int rx_memfd(size_t len, int c);

#endif /* RAWXH_H */

/*
 * hostframe_io.h - sending and receiving the frames of <xous/hostframe.h>
 * (hostframe.c): one SOCK_SEQPACKET packet of frames, the bytes that may
 * follow a frame, and at most one fd. Both ends use it: libxous-host, the
 * broker, the raw test clients and the fuzzer.
 */
#ifndef XOUS_HOSTFRAME_IO_H
#define XOUS_HOSTFRAME_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <xous/hostframe.h>

/* Send one packet: len bytes at buf (frames, or whatever a test sends),
 * then tlen bytes at tail, with fd if fd >= 0 (the caller keeps its copy).
 * flags are added to MSG_NOSIGNAL. 0 if the whole packet went, else -1 and
 * errno. Without fd and tail it is one plain send(). */
int xh_frame_send(int sock, const void *buf, size_t len, const void *tail, size_t tlen, int fd,
                  int flags);

/* The fd that came with a received packet. */
struct xh_frame_fd {
	int fd;    /* the one fd, or -1 */
	bool lost; /* more fds came, or no fd was free for one: they are closed */
};

/* Receive one packet: up to len bytes into buf, then up to tlen into tail,
 * flags added to recv's. Returns the packet's whole size (more than
 * len + tlen: the rest was cut off), 0 at the end of the stream, or -1 and
 * errno (EPROTO: control data other than an fd came; it is closed). With
 * fd it takes the packet's fd (close-on-exec); without, an fd that came is
 * closed by the kernel, and without tail too it is one plain recv(). */
ssize_t xh_frame_recv(int sock, void *buf, size_t len, void *tail, size_t tlen, int flags,
                      struct xh_frame_fd *fd);

/* The key of the broker listening at path: from $XOUS_KEY, else path.key
 * (hostkey.c). 0, or -1 with the reason, for a person, in why. */
int xh_key_read(const char *path, uint64_t key[2], char *why, size_t whylen);

#endif /* XOUS_HOSTFRAME_IO_H */

/*
 * hostframe.c - one frame send and receive for every end of the Linux wire
 * (see hostframe_io.h). A packet without an fd or bytes after its frames
 * costs one plain send() or recv(): that is every syscall's round trip.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hostframe_io.h"

/* Room for one fd: a second one, or any more, makes MSG_CTRUNC and the
 * kernel closes them. */
union xh_cmsg {
	char buf[CMSG_SPACE(sizeof(int))];
	struct cmsghdr align;
};

int xh_frame_send(int sock, const void *buf, size_t len, const void *tail, size_t tlen, int fd,
                  int flags)
{
	union xh_cmsg u;
	struct iovec iov[2] = {{(void *)buf, len}, {(void *)tail, tlen}};
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = tlen ? 2 : 1};
	ssize_t n;

	if (fd >= 0) {
		memset(&u, 0, sizeof u);
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof u.buf;
		struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	}
	flags |= MSG_NOSIGNAL;
	do
		n = fd >= 0 || tlen ? sendmsg(sock, &msg, flags) : send(sock, buf, len, flags);
	while (n < 0 && errno == EINTR);
	return n >= 0 && (size_t)n == len + tlen ? 0 : -1;
}

/* The fd of a received message into *out; false if anything else came. */
static bool take_fd(struct msghdr *msg, struct xh_frame_fd *out)
{
	bool ok = true;

	out->fd = -1;
	out->lost = (msg->msg_flags & MSG_CTRUNC) != 0;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(msg); cm != NULL; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS) {
			ok = false;
			continue;
		}
		size_t n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof fd);
			if (out->fd < 0) {
				out->fd = fd;
			} else {
				close(fd);
				out->lost = true;
			}
		}
	}
	if (!ok && out->fd >= 0) {
		close(out->fd);
		out->fd = -1;
	}
	return ok;
}

ssize_t xh_frame_recv(int sock, void *buf, size_t len, void *tail, size_t tlen, int flags,
                      struct xh_frame_fd *fd)
{
	union xh_cmsg u;
	struct iovec iov[2] = {{buf, len}, {tail, tlen}};
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = tlen ? 2 : 1};
	ssize_t n;

	flags |= MSG_TRUNC; /* the whole size, so a cut packet shows */
	if (fd == NULL) {   /* no room for an fd: the kernel closes one that came */
		do
			n = tlen ? recvmsg(sock, &msg, flags) : recv(sock, buf, len, flags);
		while (n < 0 && errno == EINTR);
		return n;
	}
	do {
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof u.buf;
		n = recvmsg(sock, &msg, flags | MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		fd->fd = -1;
		fd->lost = false;
		return n;
	}
	if (!take_fd(&msg, fd)) {
		errno = EPROTO;
		return -1;
	}
	return n;
}

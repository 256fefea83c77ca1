/*
 * raw.c - the broker's wire format by hand (see raw.h).
 */
#include "raw.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int hex_u64(const char *s, uint64_t *v)
{
	char buf[17];
	char *end;

	memcpy(buf, s, 16);
	buf[16] = 0;
	*v = strtoull(buf, &end, 16);
	return end == buf + 16 ? 0 : -1;
}

int raw_key(uint64_t key[2])
{
	const char *s = getenv(XH_ENV_KEY), *path = getenv(XH_ENV_SOCKET);
	char line[80], kpath[200];
	FILE *f;

	if (!s) {
		if (!path || snprintf(kpath, sizeof kpath, "%s.key", path) >= (int)sizeof kpath)
			return -1;
		f = fopen(kpath, "r");
		if (!f)
			return -1;
		s = fgets(line, sizeof line, f);
		fclose(f);
	}
	if (!s || strlen(s) < 32)
		return -1;
	return hex_u64(s, &key[0]) || hex_u64(s + 16, &key[1]) ? -1 : 0;
}

int raw_connect(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	const char *path = getenv(XH_ENV_SOCKET);
	int fd;

	if (!path || strlen(path) >= sizeof sa.sun_path)
		return -1;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int raw_hello(const uint64_t key[2], struct xh_frame *out)
{
	uint64_t w[8] = {key[0], key[1]};
	int fd = raw_connect();

	if (fd < 0)
		return -1;
	if (raw_frame(fd, XH_HELLO, 0, w, -1) < 0 || raw_recv(fd, out) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int raw_send(int fd, const void *buf, size_t len, int pass_fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {(void *)buf, len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	if (pass_fd >= 0) {
		memset(cbuf, 0, sizeof cbuf);
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof cbuf;
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
	}
	return sendmsg(fd, &mh, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

int raw_frame(int fd, uint16_t type, uint64_t aux, const uint64_t w[8], int pass_fd)
{
	struct xh_frame f = {.magic = XH_MAGIC, .type = type, .aux = aux};

	memcpy(f.w, w, sizeof f.w);
	if (pass_fd >= 0)
		f.flags = XH_F_FD;
	return raw_send(fd, &f, sizeof f, pass_fd);
}

int raw_recv(int fd, struct xh_frame *out)
{
	return raw_recv_fd(fd, out, NULL);
}

int raw_recv_fd(int fd, struct xh_frame *out, int *got_fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {out, sizeof *out};
	struct msghdr mh = {.msg_iov = &iov,
	                    .msg_iovlen = 1,
	                    .msg_control = cbuf,
	                    .msg_controllen = sizeof cbuf};
	ssize_t n;

	if (got_fd)
		*got_fd = -1;
	do
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n == 0 || (n < 0 && errno == ECONNRESET))
		return 0;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		int passed;
		if (cm->cmsg_type == SCM_RIGHTS) {
			memcpy(&passed, CMSG_DATA(cm), sizeof passed);
			if (got_fd && *got_fd < 0 && n == sizeof *out)
				*got_fd = passed;
			else
				close(passed);
		}
	}
	return n == sizeof *out ? 1 : -1;
}

int raw_syscall(int fd, const uint64_t w[8], int pass_fd, struct xh_frame *out)
{
	if (raw_frame(fd, XH_SYSCALL, 0, w, pass_fd) < 0)
		return errno == EPIPE || errno == ECONNRESET ? 0 : -1;
	return raw_recv(fd, out);
}

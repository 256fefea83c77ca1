/*
 * raw.c - the broker's wire format by hand (see raw.h).
 */
#include "raw.h"

#include "hostframe_io.h"

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
	return xh_frame_send(fd, buf, len, NULL, 0, pass_fd, 0);
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
	struct xh_frame_fd in;
	ssize_t n = xh_frame_recv(fd, out, sizeof *out, NULL, 0, 0, &in);

	if (got_fd && n == sizeof *out)
		*got_fd = in.fd;
	else if (in.fd >= 0)
		close(in.fd);
	if (n == 0 || (n < 0 && errno == ECONNRESET))
		return 0;
	return n == sizeof *out ? 1 : -1;
}

int raw_syscall(int fd, const uint64_t w[8], int pass_fd, struct xh_frame *out)
{
	if (raw_frame(fd, XH_SYSCALL, 0, w, pass_fd) < 0)
		return errno == EPIPE || errno == ECONNRESET ? 0 : -1;
	return raw_recv(fd, out);
}

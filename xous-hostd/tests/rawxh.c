/* rawxh.c - see rawxh.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "hostframe_io.h"
#include "rawxh.h"

int rx_send(int sock, uint16_t type, const uint64_t w[8], uint64_t aux, int fd)
{
	struct xh_frame f = {.magic = XH_MAGIC, .type = type, .aux = aux};

	if (w)
		memcpy(f.w, w, sizeof(f.w));
	if (fd >= 0)
		f.flags = XH_F_FD;
	return xh_frame_send(sock, &f, sizeof(f), NULL, 0, fd, 0);
}

int rx_recv(int sock, struct xh_frame *f, int *fd)
{
	struct xh_frame_fd in;
	ssize_t n = xh_frame_recv(sock, f, sizeof(*f), NULL, 0, 0, &in);

	if (fd)
		*fd = in.fd;
	else if (in.fd >= 0)
		close(in.fd);
	if (n <= 0)
		return n == 0 || errno == ECONNRESET ? 0 : -1;
	return n == (ssize_t)sizeof(*f) ? 1 : -1;
}

int rx_call(int sock, uint64_t w[8], int fd, uint64_t *aux, int *rfd)
{
	struct xh_frame f;
	int r;

	if (rx_send(sock, XH_SYSCALL, w, 0, fd) < 0)
		return errno == EPIPE || errno == ECONNRESET ? 0 : -1;
	r = rx_recv(sock, &f, rfd);
	if (r == 1) {
		memcpy(w, f.w, sizeof(f.w));
		if (aux)
			*aux = f.aux;
	}
	return r;
}

int rx_read_key(const char *path, uint64_t key[2])
{
	char kp[256], buf[64] = {0};
	int fd, n;

	snprintf(kp, sizeof(kp), "%s.key", path);
	fd = open(kp, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 32)
		return -1;
	unsigned long long a, b;
	char hi[17] = {0}, lo[17] = {0};
	memcpy(hi, buf, 16);
	memcpy(lo, buf + 16, 16);
	if (sscanf(hi, "%llx", &a) != 1 || sscanf(lo, "%llx", &b) != 1)
		return -1;
	key[0] = a;
	key[1] = b;
	return 0;
}

int rx_hello(const char *path, const uint64_t key[2], uint64_t res[2])
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	uint64_t w[8] = {key[0], key[1]};
	struct xh_frame f;
	int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    rx_send(s, XH_HELLO, w, 0, -1) < 0 || rx_recv(s, &f, NULL) != 1) {
		if (s >= 0)
			close(s);
		return -1;
	}
	res[0] = f.w[0];
	res[1] = f.w[1];
	return s;
}

int rx_attach(const char *path, uint32_t *pid)
{
	uint64_t key[2], res[2];
	int s;

	if (rx_read_key(path, key) < 0 || (s = rx_hello(path, key, res)) < 0)
		return -1;
	if (res[0] != XOUS_RESULT_PROCESS_ID) {
		close(s);
		return -1;
	}
	if (pid)
		*pid = (uint32_t)res[1];
	return s;
}

void rx_sid(const char *name16, uint64_t sid[4])
{
	uint32_t w[4];

	memcpy(w, name16, 16);
	for (int i = 0; i < 4; i++)
		sid[i] = w[i];
}

int rx_memfd(size_t len, int c)
{
	int fd = memfd_create("rawxh", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0 || ftruncate(fd, (off_t)len) < 0)
		return -1;
	if (c) {
		void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			return -1;
		memset(p, c, len);
		munmap(p, len);
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
		return -1;
	return fd;
}

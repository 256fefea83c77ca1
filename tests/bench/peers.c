/*
 * peers.c - the floors any broker is measured against.
 *
 * bare:    client <-> server over one SOCK_SEQPACKET socketpair, 80-byte
 *          frames (the size of our frame), the server echoes.
 * forward: client <-> forwarder <-> server; the forwarder is an epoll loop
 *          that drains each readable socket and passes every frame on
 *          unchanged: the least work a broker process can do per message.
 * forward_ack: the same, but the forwarder also acknowledges every one-way
 *          frame to its client, which waits for that before sending the
 *          next: the floor of a broker whose one-way sends report their
 *          errors, as SendMessage of a Scalar does in the contract.
 * copy:    a SOCK_STREAM socketpair that carries a lend's bytes, as Xous's
 *          hosted mode does (it copies every lend through its socket).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

enum { F_RT = 1, F_ONEWAY = 2, F_ACK = 3 };

struct frame {
	uint32_t magic;
	uint16_t type;
	uint16_t flags;
	uint64_t aux;
	uint64_t w[8];
};

struct peer {
	int fd;  /* the client's end */
	int ack; /* forward_ack: one-way frames are acknowledged */
	char *buf;
	size_t bufsize;
};

/* Echo server: answers F_RT, counts F_ONEWAY (the next F_RT answers the
 * count, which is how a one-way batch is closed). */
static void echo_server(int fd)
{
	struct frame f;
	uint64_t count = 0;
	ssize_t n;

	for (;;) {
		n = recv(fd, &f, sizeof(f), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(f))
			_exit(0);
		if (f.type == F_ONEWAY) {
			count++;
			continue;
		}
		f.w[0] = count;
		f.w[1]++;
		count = 0;
		if (send(fd, &f, sizeof(f), MSG_NOSIGNAL) != (ssize_t)sizeof(f))
			_exit(0);
	}
}

static int seqpair(int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		perror("xous-bench: socketpair");
		return -1;
	}
	return 0;
}

struct peer *peer_bare_start(void)
{
	struct peer *p = bench_calloc(sizeof(*p));
	int sv[2];
	pid_t pid;

	if (!p || seqpair(sv) != 0)
		return NULL;
	pid = bench_fork();
	if (pid == 0) {
		close(sv[0]);
		echo_server(sv[1]);
	}
	close(sv[1]);
	if (pid < 0)
		return NULL;
	p->fd = sv[0];
	return p;
}

/* Move every frame waiting on from to to; 0, or -1 when a side is gone.
 * ack: answer each one-way frame to its sender first. */
static int forward_drain(int from, int to, int ack)
{
	struct frame f, a = {.magic = 0x31484f58u, .type = F_ACK};
	ssize_t n;

	for (;;) {
		n = recv(from, &f, sizeof(f), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n <= 0)
			return -1;
		if (ack && f.type == F_ONEWAY &&
		    send(from, &a, sizeof(a), MSG_NOSIGNAL) != (ssize_t)sizeof(a))
			return -1;
		if (send(to, &f, (size_t)n, MSG_NOSIGNAL) != n)
			return -1;
	}
}

/* a: the client's side, b: the server's. */
static void forwarder(int a, int b, int ack)
{
	struct epoll_event ev[2], e = {.events = EPOLLIN};
	int ep = epoll_create1(EPOLL_CLOEXEC), i, n;

	e.data.fd = a;
	epoll_ctl(ep, EPOLL_CTL_ADD, a, &e);
	e.data.fd = b;
	epoll_ctl(ep, EPOLL_CTL_ADD, b, &e);
	for (;;) {
		n = epoll_wait(ep, ev, 2, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			_exit(1);
		for (i = 0; i < n; i++) {
			int from = ev[i].data.fd;
			if (forward_drain(from, from == a ? b : a, ack && from == a) != 0)
				_exit(0);
		}
	}
}

struct peer *peer_forward_start(int ack)
{
	struct peer *p = bench_calloc(sizeof(*p));
	int c[2], s[2];
	pid_t pid;

	if (!p || seqpair(c) != 0 || seqpair(s) != 0)
		return NULL;
	pid = bench_fork();
	if (pid == 0) {
		close(c[0]);
		close(s[0]);
		close(s[1]);
		echo_server(c[1]);
	}
	pid = bench_fork();
	if (pid == 0) {
		close(c[1]);
		close(s[0]);
		forwarder(s[1], c[0], ack);
	}
	close(c[0]);
	close(c[1]);
	close(s[1]);
	p->fd = s[0];
	p->ack = ack;
	/* the client talks to the forwarder; the echo server sits behind it */
	return pid < 0 ? NULL : p;
}

int peer_rt(void *ctx, long n, double *ns, double *rate)
{
	struct peer *p = ctx;
	struct frame f = {.magic = 0x31484f58u, .type = F_RT};
	uint64_t t0 = bench_now_ns();
	long i;

	(void)rate;
	for (i = 0; i < n; i++) {
		if (send(p->fd, &f, sizeof(f), MSG_NOSIGNAL) != (ssize_t)sizeof(f) ||
		    recv(p->fd, &f, sizeof(f), 0) != (ssize_t)sizeof(f)) {
			perror("xous-bench: peer round trip");
			return -1;
		}
	}
	*ns = (double)(bench_now_ns() - t0) / (double)n;
	return 0;
}

/* n one-way frames, then one round trip whose answer says how many arrived. */
int peer_oneway(void *ctx, long n, double *ns, double *rate)
{
	struct peer *p = ctx;
	struct frame f = {.magic = 0x31484f58u, .type = F_ONEWAY}, ack;
	uint64_t t0 = bench_now_ns();
	long i;

	for (i = 0; i < n; i++) {
		if (send(p->fd, &f, sizeof(f), MSG_NOSIGNAL) != (ssize_t)sizeof(f) ||
		    (p->ack && recv(p->fd, &ack, sizeof(ack), 0) != (ssize_t)sizeof(ack))) {
			perror("xous-bench: peer one-way");
			return -1;
		}
	}
	f.type = F_RT;
	if (send(p->fd, &f, sizeof(f), MSG_NOSIGNAL) != (ssize_t)sizeof(f) ||
	    recv(p->fd, &f, sizeof(f), 0) != (ssize_t)sizeof(f) || f.w[0] != (uint64_t)n) {
		fprintf(stderr, "xous-bench: peer one-way batch lost frames\n");
		return -1;
	}
	*ns = (double)(bench_now_ns() - t0) / (double)n;
	*rate = 1e9 / *ns;
	return 0;
}

/* ---- copying peers ---- */

enum { C_BOTH = 1, C_THERE = 2 };

struct copy_hdr {
	uint64_t size, mode, count;
};

static void copy_server(int fd)
{
	struct copy_hdr h;
	size_t cap = 0;
	char *buf = NULL, ack = 1;
	uint64_t i;

	while (bench_read_all(fd, &h, sizeof(h)) == 0) {
		if (h.size > cap) {
			free(buf);
			buf = malloc(h.size);
			cap = h.size;
			if (!buf)
				_exit(1);
		}
		for (i = 0; i < h.count; i++) {
			if (bench_read_all(fd, buf, h.size) != 0)
				_exit(0);
			if (h.mode == C_BOTH && bench_write_all(fd, buf, h.size) != 0)
				_exit(0);
		}
		if (h.mode == C_THERE && bench_write_all(fd, &ack, 1) != 0)
			_exit(0);
	}
	_exit(0);
}

struct peer *peer_copy_start(void)
{
	struct peer *p = bench_calloc(sizeof(*p));
	int sv[2];
	pid_t pid;

	if (!p || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return NULL;
	pid = bench_fork();
	if (pid == 0) {
		close(sv[0]);
		copy_server(sv[1]);
	}
	close(sv[1]);
	p->fd = sv[0];
	return pid < 0 ? NULL : p;
}

static int copy_buf(struct peer *p, size_t size)
{
	if (p->bufsize >= size)
		return 0;
	free(p->buf);
	p->buf = malloc(size);
	p->bufsize = p->buf ? size : 0;
	if (!p->buf)
		return -1;
	memset(p->buf, 0x5a, size);
	return 0;
}

/* Per operation: the bytes go to the server and come back (a lend_mut by copy). */
int peer_copy_both(void *ctx, long n, double *ns, double *rate)
{
	struct peer_sized *ps = ctx;
	struct peer *p = ps->p;
	struct copy_hdr h = {ps->size, C_BOTH, 1};
	uint64_t t0;
	long i;

	(void)rate;
	if (copy_buf(p, ps->size) != 0)
		return -1;
	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		if (bench_write_all(p->fd, &h, sizeof(h)) != 0 ||
		    bench_write_all(p->fd, p->buf, ps->size) != 0 ||
		    bench_read_all(p->fd, p->buf, ps->size) != 0) {
			fprintf(stderr, "xous-bench: copy peer failed\n");
			return -1;
		}
	}
	*ns = (double)(bench_now_ns() - t0) / (double)n;
	return 0;
}

/* n buffers to the server, one acknowledgement (a Move by copy). */
int peer_copy_there(void *ctx, long n, double *ns, double *rate)
{
	struct peer_sized *ps = ctx;
	struct peer *p = ps->p;
	struct copy_hdr h = {ps->size, C_THERE, (uint64_t)n};
	uint64_t t0;
	char ack;
	long i;

	(void)rate;
	if (copy_buf(p, ps->size) != 0)
		return -1;
	t0 = bench_now_ns();
	if (bench_write_all(p->fd, &h, sizeof(h)) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (bench_write_all(p->fd, p->buf, ps->size) != 0)
			return -1;
	if (bench_read_all(p->fd, &ack, 1) != 0)
		return -1;
	*ns = (double)(bench_now_ns() - t0) / (double)n;
	return 0;
}

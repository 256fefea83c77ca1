/*
 * conn.c - connections: one SOCK_SEQPACKET socket per thread that makes
 * syscalls. Every frame is checked (size, magic, flags, fds) before anyone
 * looks at it; a peer that sends what cannot be parsed is dropped, never
 * trusted. Results go out with non-blocking sends: a thread has at most one
 * result and one XH_WITHDRAW in flight, so a send that fails means the peer
 * is gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

#include "hostd.h"

#define CONN_FDS_MAX 4 /* room to notice (and close) fds beyond the one allowed */

enum { RECV_FRAME, RECV_AGAIN, RECV_EOF, RECV_BAD };

static void conn_readable(evutil_socket_t fd, short what, void *arg);

static struct hostd_conns *conn_list(struct hostd_conn *c)
{
	return c->proc ? &c->proc->conns : &hostd.hellos;
}

/* Take ownership of fd as a connection. NULL (fd closed) if out of memory. */
struct hostd_conn *hostd_conn_new(int fd, enum hostd_role role, struct hostd_proc *p, kc_thread t)
{
	struct hostd_conn *c = calloc(1, sizeof(*c));
	struct stat st;

	if (!c || fcntl(fd, F_SETFL, O_NONBLOCK) < 0 || fstat(fd, &st) < 0)
		goto fail;
	c->ino = (unsigned long)st.st_ino;
	c->since_ms = hostd_now_ms();
	c->fd = fd;
	c->role = role;
	c->proc = p;
	c->t = t;
	c->ev = event_new(hostd.base, fd, EV_READ | EV_PERSIST, conn_readable, c);
	if (!c->ev || event_add(c->ev, NULL) < 0)
		goto fail;
	LIST_INSERT_HEAD(conn_list(c), c, link);
	if (role != HOSTD_CONN_HELLO)
		hostd.by_thread[t] = c;
	return c;
fail:
	hostd_warn_limited(HOSTD_WARN_CONN, "cannot set up a connection: %s", strerror(errno));
	if (c && c->ev)
		event_free(c->ev);
	free(c);
	close(fd);
	return NULL;
}

/* Close now; the memory is freed by hostd_gc() once no callback can hold c. */
void hostd_conn_close(struct hostd_conn *c)
{
	if (c->closed)
		return;
	event_free(c->ev);
	c->ev = NULL;
	close(c->fd);
	c->fd = -1;
	LIST_REMOVE(c, link);
	if (c->role != HOSTD_CONN_HELLO && hostd.by_thread[c->t] == c)
		hostd.by_thread[c->t] = NULL;
	c->closed = true;
	SLIST_INSERT_HEAD(&hostd.gc, c, gc_link);
}

void hostd_gc(void)
{
	while (!SLIST_EMPTY(&hostd.gc)) {
		struct hostd_conn *c = SLIST_FIRST(&hostd.gc);

		SLIST_REMOVE_HEAD(&hostd.gc, gc_link);
		free(c);
	}
}

/* The peer is gone or misbehaved: handle it once kcore has returned. */
void hostd_conn_fail(struct hostd_conn *c)
{
	if (c->closed || c->failed)
		return;
	c->failed = true;
	SLIST_INSERT_HEAD(&hostd.pending_conns, c, pending_link);
}

void hostd_run_pending(void)
{
	for (;;) {
		if (!SLIST_EMPTY(&hostd.pending_conns)) {
			struct hostd_conn *c = SLIST_FIRST(&hostd.pending_conns);

			SLIST_REMOVE_HEAD(&hostd.pending_conns, pending_link);
			if (!c->closed)
				hostd_route_eof(c);
		} else if (!SLIST_EMPTY(&hostd.pending_procs)) {
			struct hostd_proc *p = SLIST_FIRST(&hostd.pending_procs);

			SLIST_REMOVE_HEAD(&hostd.pending_procs, pending_link);
			hostd_proc_dead(p);
		} else {
			return;
		}
	}
}

void hostd_conn_trace(const struct hostd_conn *c, const char *dir, const struct xh_frame *f, int fd)
{
	uint32_t pid = c->proc ? c->proc->pid : 0;
	uint32_t tid = c->role == HOSTD_CONN_HELLO ? 0 : kc_thread_tid(hostd.kc, c->t);

	fprintf(stderr, "xous-hostd: %s %u:%u type %u fd %d aux %llu w", dir, pid, tid, f->type, fd,
	        (unsigned long long)f->aux);
	for (int i = 0; i < 8; i++)
		fprintf(stderr, " %llx", (unsigned long long)f->w[i]);
	fprintf(stderr, "\n");
}

int hostd_conn_send(struct hostd_conn *c, const struct xh_frame *f, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = (void *)f, .iov_len = sizeof(*f)};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	ssize_t n;

	if (hostd.trace)
		hostd_conn_trace(c, c->closed || c->failed ? "drop" : "out", f, fd);
	if (c->closed || c->failed)
		return -1;
	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	do /* plain send without an fd: no msghdr to copy in (the hot path) */
		n = fd >= 0 ? sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT)
		            : send(c->fd, f, sizeof(*f), MSG_NOSIGNAL | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(*f))
		return 0;
	hostd_conn_fail(c);
	return -1;
}

/* A result with bytes after it (a copied MutableBorrow's); no fd. */
int hostd_conn_send_bytes(struct hostd_conn *c, const struct xh_frame *f, const void *payload,
                          size_t plen)
{
	struct iovec iov[2] = {{(void *)f, sizeof(*f)}, {(void *)payload, plen}};
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};
	ssize_t n;

	if (hostd.trace)
		hostd_conn_trace(c, c->closed || c->failed ? "drop" : "out", f, -1);
	if (c->closed || c->failed)
		return -1;
	do
		n = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)(sizeof(*f) + plen))
		return 0;
	hostd_conn_fail(c);
	return -1;
}

/* n frames as one packet (a ReceiveMany's envelopes); no fd. */
int hostd_conn_send_frames(struct hostd_conn *c, const struct xh_frame *f, unsigned n)
{
	ssize_t r;

	if (hostd.trace)
		for (unsigned i = 0; i < n; i++)
			hostd_conn_trace(c, c->closed || c->failed ? "drop" : "out", &f[i], -1);
	if (c->closed || c->failed)
		return -1;
	do
		r = send(c->fd, f, n * sizeof(*f), MSG_NOSIGNAL | MSG_DONTWAIT);
	while (r < 0 && errno == EINTR);
	if (r == (ssize_t)(n * sizeof(*f)))
		return 0;
	hostd_conn_fail(c);
	return -1;
}

void hostd_conn_result(struct hostd_conn *c, const kc_regs *r)
{
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_RESULT};

	for (int i = 0; i < 8; i++)
		f.w[i] = r->a[i];
	hostd_conn_send(c, &f, -1);
}

void hostd_conn_error(struct hostd_conn *c, uint32_t code)
{
	kc_regs r = {{XOUS_RESULT_ERROR, code}};

	hostd_conn_result(c, &r);
}

static void close_fds(const int *fds, int n)
{
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

/* Collect the SCM_RIGHTS fds of msg; -1 if it carried anything else. */
static int conn_fds(struct msghdr *msg, int *fds)
{
	int n = 0, bad = 0;

	for (struct cmsghdr *cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS) {
			bad = 1;
			continue;
		}
		size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k && n < CONN_FDS_MAX; i++)
			memcpy(&fds[n++], CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
	}
	if (bad) {
		close_fds(fds, n);
		return -1;
	}
	return n;
}

/* n bytes came: one frame, and bytes after it only on a copied lend
 * (XH_F_INLINE: a syscall, no fd, 1..XH_INLINE_MAX bytes). */
static bool frame_ok(const struct xh_frame *f, ssize_t n, int flags, int nfds)
{
	if (n < (ssize_t)sizeof(*f) || (flags & MSG_TRUNC) || f->magic != XH_MAGIC)
		return false;
	if (f->flags & ~(XH_F_FD | XH_F_AHEAD | XH_F_INLINE))
		return false;
	if ((f->flags & XH_F_INLINE)
	            ? f->type != XH_SYSCALL || (f->flags & ~XH_F_INLINE) || n == (ssize_t)sizeof(*f)
	            : n != (ssize_t)sizeof(*f))
		return false;
	if ((f->flags & XH_F_AHEAD) && (f->type != XH_SYSCALL || (f->flags & XH_F_FD)))
		return false;
	if (flags & MSG_CTRUNC)
		return nfds == 0 && (f->flags & XH_F_FD);
	return nfds == ((f->flags & XH_F_FD) ? 1 : 0);
}

/* The bytes after a frame (a copied lend), until the frame is handled. */
static unsigned char conn_payload[XH_INLINE_MAX];

/* Read one frame. On RECV_FRAME *fd is its fd, -1, or HOSTD_FD_LOST, and
 * *plen bytes after it are in conn_payload. */
static int conn_recv(struct hostd_conn *c, struct xh_frame *f, int *fd, size_t *plen)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * CONN_FDS_MAX)];
		struct cmsghdr align;
	} u;
	struct iovec iov[2] = {{f, sizeof(*f)}, {conn_payload, sizeof(conn_payload)}};
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};
	int fds[CONN_FDS_MAX], nfds;
	ssize_t n;

	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof(u.buf);
	do
		n = recvmsg(c->fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? RECV_AGAIN : RECV_EOF;
	nfds = conn_fds(&msg, fds);
	if (n == 0 && nfds == 0)
		return RECV_EOF;
	if (nfds < 0)
		return RECV_BAD;
	if (!frame_ok(f, n, msg.msg_flags, nfds)) {
		close_fds(fds, nfds);
		return RECV_BAD;
	}
	*fd = nfds ? fds[0] : (f->flags & XH_F_FD) ? HOSTD_FD_LOST : -1;
	*plen = (size_t)n - sizeof(*f);
	return RECV_FRAME;
}

static void conn_violation(struct hostd_conn *c)
{
	if (c->proc)
		hostd_proc_doom(c->proc, true);
	else
		hostd_conn_close(c);
}

static void conn_readable(evutil_socket_t fd, short what, void *arg)
{
	struct hostd_conn *c = arg;

	(void)fd;
	(void)what;
	for (int i = 0; i < HOSTD_DRAIN_MAX && !c->closed && !c->failed; i++) {
		struct xh_frame f;
		size_t plen = 0;
		int rfd = -1, r = conn_recv(c, &f, &rfd, &plen);

		if (r == RECV_AGAIN)
			break;
		if (r == RECV_EOF)
			hostd_conn_fail(c);
		else if (r == RECV_BAD)
			conn_violation(c);
		else if (hostd.trace)
			hostd_conn_trace(c, "in", &f, rfd);
		if (r == RECV_FRAME)
			hostd_route_frame(c, &f, rfd, conn_payload, plen);
		hostd_run_pending();
		/* A blocked thread sends nothing until answered: skip the read
		 * that would only say EAGAIN (anything else wakes us again). */
		if (!c->closed && c->role != HOSTD_CONN_HELLO && kc_thread_blocked(hostd.kc, c->t))
			break;
	}
	hostd_gc();
}

/*
 * The process of c is dying: Scalars it sent ahead and we have not read yet
 * were "queued" as far as it knows ("notify, then exit"), so they go in
 * like the ones already read. Anything else it left unread dies with it.
 */
void hostd_conn_drain_ahead(struct hostd_conn *c)
{
	for (int i = 0; i < KC_SEND_AHEAD + 2 && !c->closed && !c->failed; i++) {
		struct xh_frame f;
		size_t plen;
		int fd = -1;

		if (conn_recv(c, &f, &fd, &plen) != RECV_FRAME)
			return;
		if (fd >= 0)
			close(fd);
		if (f.type != XH_SYSCALL || !(f.flags & XH_F_AHEAD))
			continue;
		kc_regs r;
		for (int w = 0; w < 8; w++)
			r.a[w] = (kc_word)f.w[w];
		kc_send_ahead(hostd.kc, c->t, &r);
	}
}

/* Why fd cannot be a thread connection of p; NULL if it can. */
static const char *thread_fd_problem(const struct hostd_proc *p, int fd, uint32_t *err)
{
	struct stat st;
	struct ucred cr;
	int type = 0, domain = 0;
	socklen_t tlen = sizeof(type), dlen = sizeof(domain), clen = sizeof(cr);
	const struct hostd_conn *c;

	*err = XOUS_ERR_INVALID_ARGUMENT;
	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
		return "not a socket";
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &dlen) < 0 || domain != AF_UNIX ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0 || type != SOCK_SEQPACKET)
		return "not a unix SOCK_SEQPACKET socket";
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &clen) < 0 || cr.pid <= 0)
		return "not connected";
	LIST_FOREACH(c, &p->conns, link)
	if (c->ino == (unsigned long)st.st_ino)
		return "already one of its connections";
	*err = XOUS_ERR_ACCESS_DENIED;
	if (cr.pid != p->lpid || cr.uid != p->uid)
		return "its far end is not the process's own";
	return NULL;
}

/*
 * May fd become a thread connection of p? Only a fresh connected unix
 * SOCK_SEQPACKET socket whose far end p itself made (SO_PEERCRED: p's Linux
 * process and uid) and that is none of p's connections already. So the
 * broker never holds the process's own end of a connection it has: every
 * end the broker gives out (p's process connection) has the broker as its
 * peer. 0, or the error to answer (the refusal is warned, rate-limited).
 */
uint32_t hostd_conn_thread_check(const struct hostd_proc *p, int fd)
{
	uint32_t err;
	const char *why = thread_fd_problem(p, fd, &err);

	if (!why)
		return 0;
	hostd_warn_limited(HOSTD_WARN_THREAD, "process %u (%s): thread connection refused: %s",
	                   p->pid, p->name, why);
	return err;
}

/* A hello connection that proved its key becomes process p's connection. */
void hostd_conn_promote(struct hostd_conn *c, struct hostd_proc *p, kc_thread t)
{
	LIST_REMOVE(c, link);
	c->role = HOSTD_CONN_PROC;
	c->proc = p;
	c->t = t;
	LIST_INSERT_HEAD(&p->conns, c, link);
	hostd.by_thread[t] = c;
	p->pconn = c;
}

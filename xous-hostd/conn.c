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
#include "hostframe_io.h"

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

/* n frames as one packet, tlen bytes of tail after them, fd if >= 0. */
static int conn_send(struct hostd_conn *c, const struct xh_frame *f, unsigned n, const void *tail,
                     size_t tlen, int fd)
{
	if (hostd.trace)
		for (unsigned i = 0; i < n; i++)
			hostd_conn_trace(c, c->closed || c->failed ? "drop" : "out", &f[i], fd);
	if (c->closed || c->failed)
		return -1;
	if (xh_frame_send(c->fd, f, n * sizeof(*f), tail, tlen, fd, MSG_DONTWAIT) == 0)
		return 0;
	hostd_conn_fail(c);
	return -1;
}

int hostd_conn_send(struct hostd_conn *c, const struct xh_frame *f, int fd)
{
	return conn_send(c, f, 1, NULL, 0, fd);
}

/* A result with bytes after it (a copied MutableBorrow's); no fd. */
int hostd_conn_send_bytes(struct hostd_conn *c, const struct xh_frame *f, const void *payload,
                          size_t plen)
{
	return conn_send(c, f, 1, payload, plen, -1);
}

/* n frames as one packet (a ReceiveMany's envelopes); no fd. */
int hostd_conn_send_frames(struct hostd_conn *c, const struct xh_frame *f, unsigned n)
{
	return conn_send(c, f, n, NULL, 0, -1);
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

/* n bytes came: one frame, and bytes after it only on a copied lend
 * (XH_F_INLINE: a syscall, no fd, 1..XH_INLINE_MAX bytes). has_fd: its fd
 * came; lost: fds came that could not be taken. */
static bool frame_ok(const struct xh_frame *f, ssize_t n, bool has_fd, bool lost)
{
	if (n < (ssize_t)sizeof(*f) || n > (ssize_t)(sizeof(*f) + XH_INLINE_MAX) ||
	    f->magic != XH_MAGIC)
		return false;
	if (f->flags & ~(XH_F_FD | XH_F_AHEAD | XH_F_INLINE | XH_F_NOPAGES))
		return false;
	if ((f->flags & XH_F_NOPAGES) && (f->type != XH_SYSCALL || f->flags != XH_F_NOPAGES))
		return false;
	if ((f->flags & XH_F_INLINE)
	            ? f->type != XH_SYSCALL || (f->flags & ~XH_F_INLINE) || n == (ssize_t)sizeof(*f)
	            : n != (ssize_t)sizeof(*f))
		return false;
	if ((f->flags & XH_F_AHEAD) && (f->type != XH_SYSCALL || (f->flags & XH_F_FD)))
		return false;
	if (lost)
		return !has_fd && (f->flags & XH_F_FD);
	return has_fd == ((f->flags & XH_F_FD) != 0);
}

/* The bytes after a frame (a copied lend), until the frame is handled. */
static unsigned char conn_payload[XH_INLINE_MAX];

/* Read one frame. On RECV_FRAME *fd is its fd, -1, or HOSTD_FD_LOST, and
 * *plen bytes after it are in conn_payload. */
static int conn_recv(struct hostd_conn *c, struct xh_frame *f, int *fd, size_t *plen)
{
	struct xh_frame_fd in;
	ssize_t n = xh_frame_recv(c->fd, f, sizeof(*f), conn_payload, sizeof(conn_payload),
	                          MSG_DONTWAIT, &in);

	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? RECV_AGAIN
		       : errno == EPROTO                       ? RECV_BAD
		                                               : RECV_EOF;
	if (n == 0 && in.fd < 0 && !in.lost)
		return RECV_EOF;
	if (!frame_ok(f, n, in.fd >= 0, in.lost)) {
		if (in.fd >= 0)
			close(in.fd);
		return RECV_BAD;
	}
	*fd = in.fd >= 0 ? in.fd : (f->flags & XH_F_FD) ? HOSTD_FD_LOST : -1;
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
		if (!c->closed && c->role != HOSTD_CONN_HELLO &&
		    kc_thread_blocked(hostd.kc, c->t)) {
			hostd_waits_blocked(c);
			break;
		}
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
		if (r.a[0] == XOUS_SYS_EXCEPTION)
			hostd_pager_note(c, &r);
		else
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
	if ((cr.pid != p->lpid && !(p->debug && hostd_ppid(cr.pid) == p->lpid)) || cr.uid != p->uid)
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

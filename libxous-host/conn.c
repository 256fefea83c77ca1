/*
 * conn.c - the connections to xous-hostd and one syscall round trip.
 *
 * The process connection is inherited as $XOUS_FD (a process the broker
 * launched) or made with XH_HELLO on the attach socket $XOUS_HOSTD (a process
 * started by hand). It is also the main thread's connection. Every other
 * thread gets its own connection the first time it makes a syscall: a
 * socketpair whose far end travels to the broker in XH_ATTACH_THREAD. A
 * thread blocked in a syscall is then simply a connection the broker has not
 * answered yet, and any number of threads can call at once.
 *
 * Transport failures (no broker, broker gone, a reply that does not parse)
 * all answer XOUS_ERR_INTERNAL_ERROR (XH_ERR_TRANSPORT); the reason is said
 * on stderr once and kept for xous_host_error() (<xous/host.h>).
 *
 * Who answers is checked before anything is sent: the peer of the process
 * connection (SO_PEERCRED) must run as our uid or as root, else the library
 * does not speak to it (no key, no memory): AccessDenied, and a line on
 * stderr. A fleet server (the broker sets $XOUS_SANDBOX for those only)
 * makes itself undumpable first thing, so that no other process of its uid
 * can read its memory or take its fds (ptrace, /proc/PID/fd, pidfd_getfd).
 *
 * Send-ahead slots (kcore/kcore.h): the OK of a Scalar send may grant the
 * thread a few more Scalars on that cid whose queue room is already kept;
 * those go out without waiting for an answer. The broker withdraws them
 * (XH_WITHDRAW) before anyone can learn that the server died or the cid
 * was disconnected, so a thread reads its socket for that news before
 * each one: a send that should fail never goes ahead. The broker's
 * withdrawals page (mapped read-only; it comes with the process's first
 * grant) spares that read: its counter moves before every XH_WITHDRAW, so
 * while it reads as it did when the thread last looked, nothing waits.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "xous-host-internal.h"

#include "hostframe_io.h"

void xh_ids_reset(void);

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static int g_proc_fd = -1;     /* the process connection */
static pid_t g_main_tid;       /* Linux tid of the thread that owns g_proc_fd */
static xous_pid_t g_hello_pid; /* pid from XH_HELLO's answer */
static pthread_key_t g_key;    /* its destructor closes a thread's connection */
static pthread_once_t g_key_once = PTHREAD_ONCE_INIT;

static __thread int t_fd = -1; /* this thread's connection */
static __thread int t_owned;   /* t_fd is this thread's own (not g_proc_fd) */
static __thread uint64_t t_ahead_cid;
static __thread uint64_t t_ahead;      /* Scalars this thread may send ahead on t_ahead_cid */
static __thread uint64_t t_ahead_seen; /* the withdrawals counter when last looked */
static __thread void *t_scratch;       /* copied lends (xh_scratch) */
static const uint64_t *_Atomic g_withdrawals; /* the broker's page, or NULL */

static void conn_thread_end(void *unused)
{
	(void)unused;
	xh_conn_release();
}

static void conn_key_init(void)
{
	if (pthread_key_create(&g_key, conn_thread_end) != 0)
		g_key = (pthread_key_t)-1;
}

/* Locks in one order: threads, messages, memory (none is taken while
 * another is held, so any order is safe; this one is fixed). */
static void conn_before_fork(void)
{
	xh_thread_fork(XH_FORK_PREPARE);
	xh_recv_fork(XH_FORK_PREPARE);
	xh_mem_fork(XH_FORK_PREPARE);
}

static void conn_after_fork_parent(void)
{
	xh_mem_fork(XH_FORK_PARENT);
	xh_recv_fork(XH_FORK_PARENT);
	xh_thread_fork(XH_FORK_PARENT);
}

/* A forked child shares its parent's sockets: it must not speak on them. It
 * may attach afresh through $XOUS_HOSTD. */
static void conn_after_fork_child(void)
{
	xh_mem_fork(XH_FORK_CHILD);
	xh_recv_fork(XH_FORK_CHILD);
	xh_thread_fork(XH_FORK_CHILD);
	pthread_mutex_init(&g_lock, NULL);
	if (g_proc_fd >= 0)
		close(g_proc_fd);
	if (t_owned && t_fd >= 0)
		close(t_fd);
	g_proc_fd = -1;
	t_fd = -1;
	t_owned = 0;
	t_ahead = 0;
	/* the page's counter is the parent's broker's; the child may attach to
	 * another, so it waits for its own (the old mapping stays, unused) */
	atomic_store(&g_withdrawals, NULL);
	g_hello_pid = 0;
	g_main_tid = gettid();
	xh_ids_reset();
}

const char *xh_getenv(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static int conn_parse_fd(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0 || v > 0x7fffffff)
		return -1;
	if (fcntl((int)v, F_GETFD) < 0)
		return -1;
	return (int)v;
}

/* The broker must be us or root; a line on stderr if it is not. */
static bool conn_peer_ok(int fd, const char *what)
{
	struct ucred cr;
	socklen_t len = sizeof cr;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0) {
		fprintf(stderr, "libxous-host: %s: cannot tell who answers (%s); not connecting\n",
		        what, strerror(errno));
		return false;
	}
	if (cr.uid == geteuid() || cr.uid == 0)
		return true;
	fprintf(stderr,
	        "libxous-host: %s answers as uid %u (pid %d), neither us (uid %u) nor root; "
	        "not connecting\n",
	        what, (unsigned)cr.uid, (int)cr.pid, (unsigned)geteuid());
	return false;
}

/* Runs before main (and before the sandbox, priority 102). The fd gets
 * FD_CLOEXEC and leaves the environment, so a child the program execs does
 * not inherit its parent's connection; it attaches through $XOUS_HOSTD. */
__attribute__((constructor(101))) static void conn_init(void)
{
	const char *s = xh_getenv(XH_ENV_FD);

	g_main_tid = gettid();
	if (xh_getenv(XH_ENV_SANDBOX) != NULL && xh_getenv(XH_ENV_DEBUG) == NULL)
		prctl(PR_SET_DUMPABLE, 0);
	pthread_atfork(conn_before_fork, conn_after_fork_parent, conn_after_fork_child);
	if (s == NULL) {
		unsetenv(XH_ENV_FD);
		return;
	}
	g_proc_fd = conn_parse_fd(s);
	if (g_proc_fd < 0) {
		fprintf(stderr, "libxous-host: %s=%s is not an open fd; not connected\n", XH_ENV_FD,
		        s);
	} else if (!conn_peer_ok(g_proc_fd, XH_ENV_FD)) {
		close(g_proc_fd);
		g_proc_fd = -1;
	} else {
		fcntl(g_proc_fd, F_SETFD, FD_CLOEXEC);
	}
	unsetenv(XH_ENV_FD);
}

/* One frame, with fd if >= 0 and plen bytes of payload after it. */
static int frame_send(int sock, const struct xh_frame *f, int fd, const void *payload, size_t plen)
{
	return xh_frame_send(sock, f, sizeof *f, payload, plen, fd, 0);
}

void xh_conn_send_unanswered(const uint64_t w[8])
{
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_SYSCALL, .flags = XH_F_AHEAD};
	int sock = t_fd >= 0 ? t_fd : g_proc_fd;

	memcpy(f.w, w, sizeof f.w);
	if (sock >= 0)
		frame_send(sock, &f, -1, NULL, 0);
}

static bool frame_is_withdraw(const struct xh_frame *f, ssize_t n)
{
	return n == (ssize_t)sizeof *f && f->magic == XH_MAGIC && f->type == XH_WITHDRAW;
}

/* n bytes of received XH_RESULT frames: how many, or 0 if they are not. An
 * fd may come only with a packet of one frame. */
static size_t frames_ok(const struct xh_frame *f, ssize_t n, size_t cap, int fd)
{
	size_t k = n > 0 ? (size_t)n / sizeof *f : 0;

	if (k == 0 || k > cap || (size_t)n != k * sizeof *f || (fd >= 0 && k != 1))
		return 0;
	for (size_t i = 0; i < k; i++)
		if (f[i].magic != XH_MAGIC || f[i].type != XH_RESULT)
			return 0;
	return k;
}

/* Where the bytes after a result frame go (a copied MutableBorrow). */
struct payload_in {
	void *buf;
	size_t cap, len;
};

/* The bytes after the one frame of a packet: only an XH_F_INLINE result
 * has them, no more than in's room. n becomes the frames' part of the
 * packet. */
static bool payload_ok(const struct xh_frame *f, ssize_t *n, struct payload_in *in)
{
	in->len = 0;
	if (*n <= (ssize_t)sizeof *f)
		return true;
	if (!(f->flags & XH_F_INLINE) || (size_t)*n - sizeof *f > in->cap)
		return false;
	in->len = (size_t)*n - sizeof *f;
	*n = sizeof *f;
	return true;
}

/* Receive one packet of XH_RESULT frames (one, or up to cap for a
 * ReceiveMany) and, if want_fd, at most one fd (*fd, or -1); returns the
 * number of frames or -1. Without want_fd or in it is a plain recv (the hot
 * path); an fd sent anyway is closed by the kernel. With in (cap 1), bytes
 * after the frame land there. An XH_WITHDRAW on the way takes this
 * thread's send-ahead slots. */
static int frames_recv(int sock, struct xh_frame *f, size_t cap, int *fd, bool want_fd,
                       struct payload_in *in)
{
	struct xh_frame_fd got = {-1, false};
	ssize_t n;
	size_t k;

	for (;;) {
		n = xh_frame_recv(sock, f, cap * sizeof *f, in ? in->buf : NULL, in ? in->cap : 0,
		                  0, want_fd ? &got : NULL);
		*fd = got.fd;
		if (!frame_is_withdraw(f, n) || *fd >= 0)
			break;
		t_ahead = 0;
	}
	if (got.lost || (in != NULL && !payload_ok(f, &n, in)))
		n = -1;
	k = frames_ok(f, n, cap, *fd);
	if (k > 0)
		return (int)k;
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	return -1;
}

static int frame_recv(int sock, struct xh_frame *f, int *fd, bool want_fd, struct payload_in *in)
{
	return frames_recv(sock, f, 1, fd, want_fd, in) == 1 ? 0 : -1;
}

/* Why the process cannot reach its broker: kept for xous_host_error() and
 * said on stderr once per reason. */
static pthread_mutex_t g_why_lock = PTHREAD_MUTEX_INITIALIZER;
static char g_why[512];

static void conn_why(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void conn_why(const char *fmt, ...)
{
	char why[sizeof g_why];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&g_why_lock);
	if (strcmp(why, g_why) != 0) {
		memcpy(g_why, why, sizeof why);
		fprintf(stderr, "libxous-host: %s: no connection to xous-hostd: %s\n",
		        program_invocation_short_name, why);
	}
	pthread_mutex_unlock(&g_why_lock);
}

const char *xous_host_error(void)
{
	static __thread char copy[sizeof g_why];

	pthread_mutex_lock(&g_why_lock);
	memcpy(copy, g_why, sizeof copy);
	pthread_mutex_unlock(&g_why_lock);
	return copy[0] ? copy : NULL;
}

static int hello_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int s, e;

	if (strlen(path) >= sizeof sa.sun_path) {
		conn_why("%s=%s: the path is too long for a socket", XH_ENV_SOCKET, path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0) {
		conn_why("socket: %s", strerror(errno));
		return -1;
	}
	if (connect(s, (struct sockaddr *)&sa, sizeof sa) < 0) {
		e = errno;
		close(s);
		if (e == ENOENT)
			conn_why("%s=%s: no such socket (is xous-hostd running? it prints the "
			         "path to use when it starts)",
			         XH_ENV_SOCKET, path);
		else if (e == ECONNREFUSED)
			conn_why("%s=%s: connection refused (the broker that made it is gone)",
			         XH_ENV_SOCKET, path);
		else
			conn_why("%s=%s: %s", XH_ENV_SOCKET, path, strerror(e));
		return -1;
	}
	return s;
}

/* Attach by hand: connect to $XOUS_HOSTD and introduce ourselves. */
static xous_err_t conn_hello(void)
{
	const char *path = xh_getenv(XH_ENV_SOCKET);
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_HELLO};
	uint64_t key[2];
	int s, fd;

	char why[300];

	if (path == NULL) {
		conn_why("%s is not set: run the program under xous-hostd (xous-hostd -- PROGRAM), "
		         "or set %s to the socket path xous-hostd prints",
		         XH_ENV_SOCKET, XH_ENV_SOCKET);
		return XH_ERR_TRANSPORT;
	}
	s = hello_connect(path);
	if (s < 0)
		return XH_ERR_TRANSPORT;
	if (xh_key_read(path, key, why, sizeof why) < 0) {
		close(s);
		conn_why("%s", why);
		return XH_ERR_TRANSPORT;
	}
	if (!conn_peer_ok(s, path)) {
		close(s);
		return XOUS_ERR_ACCESS_DENIED;
	}
	f.w[0] = key[0];
	f.w[1] = key[1];
	if (frame_send(s, &f, -1, NULL, 0) < 0 || frame_recv(s, &f, &fd, false, NULL) < 0) {
		close(s);
		conn_why("%s: the broker closed the connection at once", path);
		return XH_ERR_TRANSPORT;
	}
	if (fd >= 0)
		close(fd);
	if (f.w[0] != XOUS_RESULT_PROCESS_ID) {
		close(s);
		if (f.w[0] == XOUS_RESULT_ERROR && f.w[1] == XOUS_ERR_ACCESS_DENIED)
			conn_why("%s: the broker refused the key (from %s, or else %s.key): it is "
			         "another broker's",
			         path, XH_ENV_KEY, path);
		else
			conn_why("%s: the broker refused to attach this process: %s", path,
			         xous_strerror(f.w[0] == XOUS_RESULT_ERROR ? (xous_err_t)f.w[1]
			                                                   : XH_ERR_TRANSPORT));
		return f.w[0] == XOUS_RESULT_ERROR && f.w[1] != 0 ? (xous_err_t)f.w[1]
		                                                  : XH_ERR_TRANSPORT;
	}
	g_hello_pid = (xous_pid_t)f.w[1];
	g_proc_fd = s;
	g_main_tid = gettid();
	return XOUS_OK;
}

xous_err_t xh_conn_ensure_process(void)
{
	xous_err_t err = XOUS_OK;

	pthread_mutex_lock(&g_lock);
	if (g_proc_fd < 0)
		err = conn_hello();
	pthread_mutex_unlock(&g_lock);
	return err;
}

xous_pid_t xh_conn_hello_pid(void)
{
	return g_hello_pid;
}

void xh_conn_adopt(int fd)
{
	pthread_once(&g_key_once, conn_key_init);
	t_fd = fd;
	t_owned = 1;
	if (g_key != (pthread_key_t)-1)
		pthread_setspecific(g_key, (void *)1);
}

void xh_conn_release(void)
{
	if (t_owned && t_fd >= 0)
		close(t_fd);
	t_fd = -1;
	t_owned = 0;
	t_ahead = 0;
	free(t_scratch);
	t_scratch = NULL;
}

/* Made once per thread, so a copied lend allocates nothing. */
void *xh_scratch(void)
{
	if (t_scratch == NULL)
		t_scratch = malloc(XH_INLINE_MAX);
	return t_scratch;
}

/* A thread other than the main one: its own connection, announced on the
 * process connection (XH_ATTACH_THREAD has no answer). */
static int conn_attach_thread(void)
{
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_ATTACH_THREAD, .flags = XH_F_FD};
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	if (frame_send(g_proc_fd, &f, sv[1], NULL, 0) < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	close(sv[1]);
	xh_conn_adopt(sv[0]);
	return sv[0];
}

/* This thread's connection, or -1 and why in *err. */
static int conn_thread_fd(xous_err_t *err)
{
	*err = XH_ERR_TRANSPORT;
	if (t_fd >= 0)
		return t_fd;
	if ((*err = xh_conn_ensure_process()) != XOUS_OK)
		return -1;
	*err = XH_ERR_TRANSPORT;
	if (gettid() == g_main_tid) {
		t_fd = g_proc_fd;
		t_owned = 0;
		return t_fd;
	}
	return conn_attach_thread();
}

void xh_call_init(struct xh_call *c, uint32_t nr)
{
	memset(c, 0, sizeof *c);
	c->w[0] = nr;
	c->fd = -1;
}

xous_err_t xh_syscall(struct xh_call *c)
{
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_SYSCALL};
	struct payload_in in = {c->in, c->in_cap, 0};
	xous_err_t err;
	int sock = conn_thread_fd(&err);
	int fd;

	if (sock < 0)
		return err;
	f.flags = (c->fd >= 0 ? XH_F_FD : 0) | (c->out_len ? XH_F_INLINE : 0) |
	          (c->flags & XH_F_NOPAGES);
	f.aux = c->aux;
	memcpy(f.w, c->w, sizeof f.w);
	if (frame_send(sock, &f, c->fd, c->out, c->out_len) < 0 ||
	    frame_recv(sock, &f, &fd, c->want_fd, c->in ? &in : NULL) < 0) {
		c->fd = -1;
		conn_why("the broker closed the connection (it is gone, or it dropped this "
		         "process)");
		return XH_ERR_TRANSPORT;
	}
	memcpy(c->w, f.w, sizeof c->w);
	c->aux = f.aux;
	c->fd = fd;
	c->flags = f.flags;
	c->in_len = in.len;
	return XOUS_OK;
}

/* The withdrawals counter, or ~0 if the page is not mapped (yet). */
static uint64_t withdrawals_now(void)
{
	const uint64_t *w = atomic_load(&g_withdrawals);

	return w ? __atomic_load_n(w, __ATOMIC_SEQ_CST) : ~(uint64_t)0;
}

bool xh_withdrawals_mapped(void)
{
	return atomic_load(&g_withdrawals) != NULL;
}

/* The first grant's fd: map it read-only, once per process. */
void xh_withdrawals_map(int fd)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	const uint64_t *expected = NULL;

	close(fd);
	if (p == MAP_FAILED)
		return;
	if (!atomic_compare_exchange_strong(&g_withdrawals, &expected, (const uint64_t *)p))
		munmap(p, 4096);
}

/* Any news for this thread (only XH_WITHDRAW can come unasked)? -1 if
 * the socket says something else: the call then goes the waited way. */
static int ahead_news(void)
{
	struct xh_frame f;
	ssize_t n;

	for (;;) {
		n = xh_frame_recv(t_fd, &f, sizeof f, NULL, 0, MSG_DONTWAIT, NULL);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		t_ahead = 0;
		if (!frame_is_withdraw(&f, n))
			return -1;
	}
}

bool xh_send_ahead(const struct xh_call *c)
{
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_SYSCALL, .flags = XH_F_AHEAD};

	if (t_ahead == 0 || t_ahead_cid != c->w[1] || t_fd < 0)
		return false;
	uint64_t now = withdrawals_now();
	if (now == ~(uint64_t)0 || now != t_ahead_seen) {
		if (ahead_news() < 0 || t_ahead == 0)
			return false;
		t_ahead_seen = now; /* read before the socket: a later move is seen */
	}
	memcpy(f.w, c->w, sizeof f.w);
	if (frame_send(t_fd, &f, -1, NULL, 0) < 0) {
		t_ahead = 0;
		return false;
	}
	t_ahead--;
	return true;
}

uint64_t xh_ahead_forget(void)
{
	t_ahead = 0;
	return withdrawals_now();
}

void xh_ahead_granted(uint64_t cid, uint64_t n, uint64_t seen)
{
	t_ahead_cid = cid;
	t_ahead = n;
	t_ahead_seen = seen;
}

xous_err_t xh_syscall_many(struct xh_call *c, struct xh_frame *out, size_t cap, size_t *n)
{
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_SYSCALL};
	xous_err_t err;
	int sock = conn_thread_fd(&err);
	int fd, k;

	*n = 0;
	if (sock < 0)
		return err;
	memcpy(f.w, c->w, sizeof f.w);
	if (frame_send(sock, &f, -1, NULL, 0) < 0 ||
	    (k = frames_recv(sock, out, cap, &fd, true, NULL)) < 0) {
		c->fd = -1;
		return XH_ERR_TRANSPORT;
	}
	memcpy(c->w, out[0].w, sizeof c->w);
	c->aux = out[0].aux;
	c->fd = fd;
	c->flags = out[0].flags;
	*n = (size_t)k;
	return XOUS_OK;
}

xous_err_t xh_expect(const struct xh_call *c, uint32_t tag)
{
	if (c->w[0] == tag)
		return XOUS_OK;
	if (c->w[0] == XOUS_RESULT_ERROR && c->w[1] != 0 && c->w[1] <= 0xffffffffu)
		return (xous_err_t)c->w[1];
	if (c->w[0] == XOUS_RESULT_UNIMPLEMENTED)
		return XOUS_ERR_UNHANDLED_SYSCALL;
	return XH_ERR_TRANSPORT;
}

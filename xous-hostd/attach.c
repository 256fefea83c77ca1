/*
 * attach.c - the attach socket, for processes started by hand.
 *
 * A SOCK_SEQPACKET socket at PATH (mode 0600) and a 128-bit key in PATH.key
 * (mode 0600, created new: O_EXCL, O_NOFOLLOW). Without --socket both live
 * in a fresh private directory (mode 0700, mkdtemp under $XDG_RUNTIME_DIR or
 * /tmp), so nobody else can take or fake them. A peer must run as our uid
 * (SO_PEERCRED) and its first frame must be XH_HELLO with the key, within
 * ATTACH_HELLO_MS; it then becomes a new process, and the connection its
 * process connection. Anything else closes the connection. At most
 * ATTACH_HELLOS_MAX connections wait for their hello: a newer one closes
 * the oldest, so idle connections never lock others out.
 * A new process counts against the quota of the process that attached it
 * (kcore's children; attach_parent says which).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>

#include "hostd.h"

#define ATTACH_HELLOS_MAX 128  /* connections that have not said hello yet */
#define ATTACH_HELLO_MS   3000 /* time to say it */
#define ATTACH_BACKLOG    128

static struct event *attach_pause_ev, *attach_sweep_ev;
static bool attach_bound, attach_keyed; /* the files at the paths are ours */
static char attach_dir[80];             /* the private directory we made, or "" */
static char attach_err[300];            /* why the socket could not be set up */

static void attach_accept(evutil_socket_t fd, short what, void *arg);

/* How many connections wait for their hello; the oldest in *oldest. */
static size_t attach_hellos(struct hostd_conn **oldest)
{
	size_t n = 0;
	struct hostd_conn *c;

	*oldest = NULL;
	LIST_FOREACH(c, &hostd.hellos, link)
	{
		n++;
		if (!*oldest || c->since_ms < (*oldest)->since_ms)
			*oldest = c;
	}
	return n;
}

/* Close the connections that did not say hello in time. */
static void attach_sweep(evutil_socket_t fd, short what, void *arg)
{
	uint64_t now = hostd_now_ms();
	struct hostd_conn *c, *next, *oldest;

	(void)fd;
	(void)what;
	(void)arg;
	for (c = LIST_FIRST(&hostd.hellos); c; c = next) {
		next = LIST_NEXT(c, link);
		if (now - c->since_ms >= ATTACH_HELLO_MS) {
			hostd_warn_limited(HOSTD_WARN_ATTACH,
			                   "attach connection closed: no XH_HELLO within %d ms",
			                   ATTACH_HELLO_MS);
			hostd_conn_close(c);
		}
	}
	hostd_gc();
	if (attach_hellos(&oldest)) {
		struct timeval tv = {ATTACH_HELLO_MS / 1000, (ATTACH_HELLO_MS % 1000) * 1000};

		evtimer_add(attach_sweep_ev, &tv);
	}
}

/* A new connection waits for its hello: make room, and time it. */
static void attach_waits(int fd)
{
	struct hostd_conn *oldest;
	struct timeval tv = {ATTACH_HELLO_MS / 1000, (ATTACH_HELLO_MS % 1000) * 1000};

	if (attach_hellos(&oldest) >= ATTACH_HELLOS_MAX) {
		hostd_warn_limited(HOSTD_WARN_ATTACH,
		                   "attach connection closed: %d wait for their XH_HELLO, the "
		                   "oldest makes room",
		                   ATTACH_HELLOS_MAX);
		hostd_conn_close(oldest);
	}
	if (!hostd_conn_new(fd, HOSTD_CONN_HELLO, NULL, KC_NO_THREAD))
		return;
	if (!attach_sweep_ev)
		attach_sweep_ev = evtimer_new(hostd.base, attach_sweep, NULL);
	if (attach_sweep_ev && !evtimer_pending(attach_sweep_ev, NULL))
		evtimer_add(attach_sweep_ev, &tv);
}

static bool attach_peer_ok(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return false;
	if (cr.uid == geteuid())
		return true;
	hostd_warn_limited(HOSTD_WARN_ATTACH, "attach refused: pid %d runs as uid %u, not %u",
	                   (int)cr.pid, (unsigned)cr.uid, (unsigned)geteuid());
	return false;
}

/* Out of fds: stop accepting for a moment instead of spinning. */
static void attach_resume(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (hostd.listen_ev)
		event_add(hostd.listen_ev, NULL);
}

static void attach_pause(void)
{
	struct timeval tv = {0, 100 * 1000};

	event_del(hostd.listen_ev);
	if (!attach_pause_ev)
		attach_pause_ev = evtimer_new(hostd.base, attach_resume, NULL);
	if (attach_pause_ev)
		evtimer_add(attach_pause_ev, &tv);
}

static void attach_accept(evutil_socket_t lfd, short what, void *arg)
{
	(void)what;
	(void)arg;
	for (int i = 0; i < HOSTD_DRAIN_MAX; i++) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE)
				attach_pause();
			break;
		}
		if (!attach_peer_ok(fd)) {
			close(fd);
			continue;
		}
		attach_waits(fd);
	}
	hostd_gc();
}

static bool attach_key_ok(const struct xh_frame *f)
{
	uint64_t diff = (f->w[0] ^ hostd.key[0]) | (f->w[1] ^ hostd.key[1]);

	return diff == 0;
}

/* The Linux parent of lpid, or 0. */
pid_t hostd_ppid(pid_t lpid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)lpid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')'); /* after the command's name: " S PPID ..." */
	return p && p[1] == ' ' && p[2] && p[3] == ' ' ? (pid_t)atoi(p + 4) : 0;
}

/* The live Xous process that Linux process lpid runs, or 0. */
static uint32_t attach_xous_pid(pid_t lpid)
{
	for (uint32_t pid = 2; pid <= KC_MAX_PROCS; pid++) {
		const struct hostd_proc *p = &hostd.procs[pid];

		if (p->alive && p->lpid == lpid)
			return pid;
	}
	return 0;
}

/*
 * The process on whose behalf the peer lpid attaches: the nearest Xous
 * process among it and its Linux ancestors. An orphan of one of our
 * processes (the broker is the subreaper of its tree) has lost that
 * ancestry: 1, the kernel's bucket, which has a quota too. A peer from
 * outside the broker's tree (its owner, with the key): 0, no quota but the
 * process table's.
 */
static uint32_t attach_parent(pid_t lpid)
{
	for (int depth = 0; depth < 64 && lpid > 1; depth++) {
		uint32_t pid = attach_xous_pid(lpid);

		if (pid)
			return pid;
		if (lpid == getpid())
			return 1;
		lpid = hostd_ppid(lpid);
	}
	return 0;
}

/* The program Linux process lpid runs (the file name of /proc/PID/exe, else
 * its comm), or "attached". */
static void attach_name(pid_t lpid, char *buf, size_t len)
{
	char path[64], exe[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)lpid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		if (n > 10 && !strcmp(exe + n - 10, " (deleted)"))
			exe[n - 10] = 0;
		const char *base = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;

		snprintf(buf, len, "%.*s", (int)(len - 1), base);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)lpid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, exe, len - 1) : -1;
	if (fd >= 0)
		close(fd);
	while (n > 0 && (exe[n - 1] == '\n' || exe[n - 1] == 0))
		n--;
	if (n > 0)
		snprintf(buf, len, "%.*s", (int)n, exe);
	else
		snprintf(buf, len, "attached");
}

/* A control connection (xousctl): control.c takes its socket. */
static void attach_control(struct hostd_conn *c)
{
	int fd = dup(c->fd);

	hostd_conn_close(c);
	if (fd >= 0)
		hostd_control_adopt(fd);
}

/* The first frame on an attach connection. */
void hostd_attach_hello(struct hostd_conn *c, const struct xh_frame *f, int fd)
{
	uint32_t pid, err, parent;
	struct ucred cr;
	socklen_t crlen = sizeof(cr);
	char name[HOSTD_NAME_MAX];
	kc_thread t;

	if (fd >= 0)
		close(fd);
	if (fd != -1 || (f->type != XH_HELLO && f->type != XH_CONTROL)) {
		hostd_conn_close(c);
		return;
	}
	if (!attach_key_ok(f)) {
		hostd_warn_limited(HOSTD_WARN_ATTACH, "attach refused: a wrong key (%s)",
		                   f->type == XH_CONTROL ? "control" : "hello");
		hostd_conn_error(c, XOUS_ERR_ACCESS_DENIED);
		hostd_conn_close(c);
		return;
	}
	if (f->type == XH_CONTROL) {
		attach_control(c);
		return;
	}
	if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) < 0)
		cr = (struct ucred){0};
	parent = cr.pid > 0 ? attach_parent(cr.pid) : 1;
	err = kc_process_create_by(hostd.kc, parent, &pid, &t);
	if (err) {
		hostd_conn_error(c, err);
		hostd_conn_close(c);
		return;
	}
	attach_name(cr.pid, name, sizeof(name));
	struct hostd_proc *p = hostd_proc_register(pid, name);

	p->parent = parent;
	p->lpid = cr.pid;
	p->uid = cr.uid;
	hostd_conn_promote(c, p, t);
	kc_regs r = {{XOUS_RESULT_PROCESS_ID, pid}};
	hostd_conn_result(c, &r);
}

static int attach_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Say why the socket cannot be set up (hostd_attach_open prints it); -1. */
static int attach_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(attach_err, sizeof(attach_err), fmt, ap);
	va_end(ap);
	return -1;
}

/* PATH may be left over from a broker that died: reuse it only if it is
 * our socket and nobody listens. */
static int attach_clear_stale(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	int fd, r;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : attach_fail("%s", strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return attach_fail("it exists and is not a socket");
	if (st.st_uid != geteuid())
		return attach_fail("it is the socket of uid %u, not ours", (unsigned)st.st_uid);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return attach_fail("socket: %s", strerror(errno));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	if (r == 0)
		return attach_fail("%s", strerror(EADDRINUSE));
	if (unlink(path) < 0)
		return attach_fail("cannot remove the old socket: %s", strerror(errno));
	return 0;
}

/* The key file: a new regular file of ours. One left by a broker of ours
 * that died is replaced; anything else there is refused, never reused. */
static int attach_write_key(void)
{
	char buf[40];
	struct stat st;
	int fd, n;

	if (getrandom(hostd.key, sizeof(hostd.key), 0) != sizeof(hostd.key))
		return attach_fail("getrandom: %s", strerror(errno));
	if (lstat(hostd.key_path, &st) == 0) {
		if (!S_ISREG(st.st_mode) || st.st_uid != geteuid())
			return attach_fail("%s exists and is not our key file (%s of uid %u): "
			                   "remove it or use another --socket",
			                   hostd.key_path,
			                   S_ISREG(st.st_mode) ? "a file" : "no file",
			                   (unsigned)st.st_uid);
		if (unlink(hostd.key_path) < 0)
			return attach_fail("cannot remove the old %s: %s", hostd.key_path,
			                   strerror(errno));
	}
	fd = open(hostd.key_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return attach_fail("cannot create %s: %s", hostd.key_path, strerror(errno));
	attach_keyed = true;
	n = snprintf(buf, sizeof(buf), "%016llx%016llx\n", (unsigned long long)hostd.key[0],
	             (unsigned long long)hostd.key[1]);
	if (fchmod(fd, 0600) < 0 || write(fd, buf, (size_t)n) != n) {
		close(fd);
		return attach_fail("cannot write %s: %s", hostd.key_path, strerror(errno));
	}
	return close(fd);
}

static int attach_listen(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	mode_t old;
	int r;

	hostd.listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (hostd.listen_fd < 0)
		return attach_fail("socket: %s", strerror(errno));
	memcpy(sa.sun_path, hostd.sock_path, strlen(hostd.sock_path) + 1);
	old = umask(0177);
	r = bind(hostd.listen_fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	attach_bound = r == 0;
	if (r < 0 || chmod(hostd.sock_path, 0600) < 0 ||
	    listen(hostd.listen_fd, ATTACH_BACKLOG) < 0)
		return attach_fail("%s", strerror(errno));
	hostd.listen_ev =
	        event_new(hostd.base, hostd.listen_fd, EV_READ | EV_PERSIST, attach_accept, NULL);
	if (!hostd.listen_ev || event_add(hostd.listen_ev, NULL) < 0)
		return attach_fail("cannot watch the socket");
	return 0;
}

/* Without --socket: DIR/socket in a new directory of mode 0700. */
static int attach_private_dir(void)
{
	const char *base = getenv("XDG_RUNTIME_DIR");

	if (!base || base[0] != '/' || strlen(base) + 30 > sizeof(attach_dir))
		base = "/tmp";
	snprintf(attach_dir, sizeof(attach_dir), "%s/xous-hostd.XXXXXX", base);
	if (!mkdtemp(attach_dir)) {
		int e = errno;

		snprintf(hostd.sock_path, sizeof(hostd.sock_path), "%s", attach_dir);
		attach_dir[0] = 0;
		return attach_fail("cannot make a private directory: %s", strerror(e));
	}
	snprintf(hostd.sock_path, sizeof(hostd.sock_path), "%s/socket", attach_dir);
	return 0;
}

/* Listen on path (NULL: in a private directory); 0, or -1 after a message. */
int hostd_attach_open(const char *path)
{
	struct sockaddr_un sa;
	int r;

	hostd.listen_fd = -1;
	if (path && strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(hostd.sock_path, sizeof(hostd.sock_path), "%.100s...", path);
		r = attach_fail("%s", strerror(ENAMETOOLONG));
	} else if (path) {
		snprintf(hostd.sock_path, sizeof(hostd.sock_path), "%s", path);
		r = attach_clear_stale(path);
	} else {
		r = attach_private_dir();
	}
	snprintf(hostd.key_path, sizeof(hostd.key_path), "%s.key", hostd.sock_path);
	if (r == 0 && attach_listen() == 0 && attach_write_key() == 0)
		return 0;
	hostd_warn("cannot listen on %s: %s", hostd.sock_path, attach_err);
	hostd_attach_close();
	return -1;
}

/* Stop listening and remove the socket, the key and our directory. */
void hostd_attach_close(void)
{
	if (hostd.listen_ev)
		event_free(hostd.listen_ev);
	hostd.listen_ev = NULL;
	if (attach_pause_ev)
		event_free(attach_pause_ev);
	attach_pause_ev = NULL;
	if (attach_sweep_ev)
		event_free(attach_sweep_ev);
	attach_sweep_ev = NULL;
	if (hostd.listen_fd >= 0)
		close(hostd.listen_fd);
	hostd.listen_fd = -1;
	if (attach_bound)
		unlink(hostd.sock_path);
	if (attach_keyed)
		unlink(hostd.key_path);
	if (attach_dir[0])
		rmdir(attach_dir);
	attach_bound = attach_keyed = false;
	attach_dir[0] = 0;
}

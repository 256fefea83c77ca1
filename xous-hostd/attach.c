/*
 * attach.c - the attach socket, for processes started by hand.
 *
 * A SOCK_SEQPACKET socket at PATH (mode 0600) and a 128-bit key in PATH.key
 * (mode 0600). A peer must run as our uid (SO_PEERCRED) and its first frame
 * must be XH_HELLO with the key; it then becomes a new process, and the
 * connection its process connection. Anything else closes the connection.
 * A new process counts against the quota of the process that attached it
 * (kcore's children; attach_parent says which).
 */
#include <errno.h>
#include <fcntl.h>
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

#define ATTACH_HELLOS_MAX 128 /* connections that have not said hello yet */
#define ATTACH_BACKLOG    128

static struct event *attach_pause_ev;
static bool attach_bound, attach_keyed; /* the files at the paths are ours */

static void attach_accept(evutil_socket_t fd, short what, void *arg);

static size_t attach_hellos(void)
{
	size_t n = 0;

	struct hostd_conn *c;

	LIST_FOREACH(c, &hostd.hellos, link)
	n++;
	return n;
}

static bool attach_peer_ok(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return false;
	return cr.uid == geteuid();
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
		if (!attach_peer_ok(fd) || attach_hellos() >= ATTACH_HELLOS_MAX) {
			close(fd);
			continue;
		}
		hostd_conn_new(fd, HOSTD_CONN_HELLO, NULL, KC_NO_THREAD);
	}
}

static bool attach_key_ok(const struct xh_frame *f)
{
	uint64_t diff = (f->w[0] ^ hostd.key[0]) | (f->w[1] ^ hostd.key[1]);

	return diff == 0;
}

/* The Linux parent of lpid, or 0. */
static pid_t attach_ppid(pid_t lpid)
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

		if (p->alive && (p->child ? p->child->lpid : p->lpid) == lpid)
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
		lpid = attach_ppid(lpid);
	}
	return 0;
}

/* The first frame on an attach connection. */
void hostd_attach_hello(struct hostd_conn *c, const struct xh_frame *f, int fd)
{
	uint32_t pid, err;
	struct ucred cr;
	socklen_t crlen = sizeof(cr);
	kc_thread t;

	if (fd >= 0)
		close(fd);
	if (fd != -1 || f->type != XH_HELLO) {
		hostd_conn_close(c);
		return;
	}
	if (!attach_key_ok(f)) {
		hostd_conn_error(c, XOUS_ERR_ACCESS_DENIED);
		hostd_conn_close(c);
		return;
	}
	if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) < 0)
		cr.pid = 0;
	err = kc_process_create_by(hostd.kc, cr.pid > 0 ? attach_parent(cr.pid) : 1, &pid, &t);
	if (err) {
		hostd_conn_error(c, err);
		hostd_conn_close(c);
		return;
	}
	hostd_conn_promote(c, hostd_proc_register(pid, "attached"), t);
	hostd.procs[pid].lpid = cr.pid;
	kc_regs r = {{XOUS_RESULT_PROCESS_ID, pid}};
	hostd_conn_result(c, &r);
}

/* PATH may be left over from a broker that died: reuse it only if nobody listens. */
static int attach_clear_stale(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	int fd, r;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	if (r == 0) {
		errno = EADDRINUSE;
		return -1;
	}
	return unlink(path);
}

static int attach_write_key(void)
{
	char buf[40];
	int fd, n;

	if (getrandom(hostd.key, sizeof(hostd.key), 0) != sizeof(hostd.key))
		return -1;
	if (unlink(hostd.key_path) < 0 && errno != ENOENT)
		return -1;
	fd = open(hostd.key_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	attach_keyed = true;
	n = snprintf(buf, sizeof(buf), "%016llx%016llx\n", (unsigned long long)hostd.key[0],
	             (unsigned long long)hostd.key[1]);
	if (write(fd, buf, (size_t)n) != n) {
		close(fd);
		return -1;
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
		return -1;
	memcpy(sa.sun_path, hostd.sock_path, strlen(hostd.sock_path) + 1);
	old = umask(0177);
	r = bind(hostd.listen_fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	attach_bound = r == 0;
	if (r < 0 || chmod(hostd.sock_path, 0600) < 0 ||
	    listen(hostd.listen_fd, ATTACH_BACKLOG) < 0)
		return -1;
	hostd.listen_ev =
	        event_new(hostd.base, hostd.listen_fd, EV_READ | EV_PERSIST, attach_accept, NULL);
	if (!hostd.listen_ev || event_add(hostd.listen_ev, NULL) < 0)
		return -1;
	return 0;
}

/* Listen on path (NULL: the default); 0, or -1 after a message. */
int hostd_attach_open(const char *path)
{
	struct sockaddr_un sa;

	hostd.listen_fd = -1;
	if (path)
		snprintf(hostd.sock_path, sizeof(hostd.sock_path), "%s", path);
	else
		snprintf(hostd.sock_path, sizeof(hostd.sock_path), "/tmp/xous-hostd.%d.sock",
		         (int)getpid());
	if (!path || strlen(path) < sizeof(sa.sun_path)) {
		snprintf(hostd.key_path, sizeof(hostd.key_path), "%s.key", hostd.sock_path);
		if (attach_clear_stale(hostd.sock_path) == 0 && attach_listen() == 0 &&
		    attach_write_key() == 0)
			return 0;
	} else {
		errno = ENAMETOOLONG;
	}
	hostd_warn("cannot listen on %s: %s", path ? path : hostd.sock_path, strerror(errno));
	hostd_attach_close();
	return -1;
}

/* Stop listening and remove the socket and the key. */
void hostd_attach_close(void)
{
	if (hostd.listen_ev)
		event_free(hostd.listen_ev);
	hostd.listen_ev = NULL;
	if (attach_pause_ev)
		event_free(attach_pause_ev);
	attach_pause_ev = NULL;
	if (hostd.listen_fd >= 0)
		close(hostd.listen_fd);
	hostd.listen_fd = -1;
	if (attach_bound)
		unlink(hostd.sock_path);
	if (attach_keyed)
		unlink(hostd.key_path);
	attach_bound = attach_keyed = false;
}

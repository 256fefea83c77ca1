/*
 * hook.c - the ABI hook on Linux (CONTRACT section 7, docs/resea-abi-hook.md).
 *
 * A task launched with "abi-hook=NAME " runs a foreign binary whose system
 * calls stop in seccomp's user notification (SECCOMP_RET_USER_NOTIF). Each
 * goes to the server NAME as MutableBorrow(GLOBAL_ABI_HOOK) of one page
 * that starts with struct abi_hook_frame, and the answer in that frame
 * becomes the call's result, or lets Linux make the call.
 *
 * Rules:
 * - The broker speaks for the task: the task's process connection has the
 *   broker's other end of the socket pair, and what the broker sends there
 *   is what a library would (Connect, then one SendMessage at a time), so
 *   kcore sees an ordinary process whose sender id is the task's. The
 *   foreign binary itself holds no connection.
 * - One call at a time: the next notification is read once the previous
 *   one was answered (the task's other threads wait in their calls).
 * - The filter stops every call but one: the sendmsg by which the child
 *   hands the listener to the broker before exec (on fd PROC_HOOK_FD with
 *   flags HOOK_SYNC_FLAGS).
 * - AbiHookRead, AbiHookWrite and AbiHookFd are the hook server owner's
 *   alone, while a call of the task is with the hook. Reads and writes are
 *   process_vm_readv/writev of the stopped task, believed only if the
 *   notification is still valid afterwards (the task may have died and
 *   its Linux pid been reused).
 * - A hook server that is gone or fails the message ends the task
 *   (SIGKILL) with a warning; a malformed answer fails the call with ENOSYS.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <event2/event.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <resea/abi_hook.h>
#include <resea/global.h>

#include "hostd.h"
#include "hostframe_io.h"

#define HOOK_SYNC_FLAGS (MSG_EOR | MSG_DONTWAIT | MSG_NOSIGNAL)
#define HOOK_PAGE_ADDR  0x10000u /* the frame's address as the task's message names it */

enum hook_state { HOOK_CONNECTING, HOOK_IDLE, HOOK_BUSY };

struct hostd_hook {
	uint32_t pid; /* the hooked task */
	int listener; /* seccomp's notification fd */
	int sock;     /* the broker's end of the task's process connection */
	int sync[2];  /* the child hands the listener over here */
	struct event *lev, *sev;
	uint32_t sid[4]; /* the hook server */
	uint64_t cid;    /* the task's connection to it */
	enum hook_state state;
	uint64_t id;  /* the notification that is with the hook */
	pid_t caller; /* its Linux thread (a child the task forked has the filter too) */
	char name[HOSTD_LABEL_MAX];
	LIST_ENTRY(hostd_hook) link;
};

static LIST_HEAD(, hostd_hook) hooks = LIST_HEAD_INITIALIZER(hooks);
static int null_fd = -1; /* what AbiHookFd gives the task */

/* ---- in the child, between fork and exec ---- */

/* The handover socket at fd PROC_HOOK_FD, closed by exec. */
int hostd_hook_child_fd(struct hostd_hook *h)
{
	if (h->sync[1] == PROC_HOOK_FD)
		return fcntl(PROC_HOOK_FD, F_SETFD, FD_CLOEXEC) < 0 ? -errno : 0;
	return dup3(h->sync[1], PROC_HOOK_FD, O_CLOEXEC) < 0 ? -errno : 0;
}

/* Install the filter (after the sandbox's) and hand its listener over. */
int hostd_hook_child(void)
{
	struct sock_filter code[] = {
	        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_sendmsg, 0, 5),
	        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
	        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROC_HOOK_FD, 0, 3),
	        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
	        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HOOK_SYNC_FLAGS, 0, 1),
	        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	struct sock_fprog prog = {sizeof(code) / sizeof(code[0]), code};
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
	                  &prog);

	if (fd < 0)
		return -errno;
	/* xh_frame_send adds MSG_NOSIGNAL, as the filter expects */
	if (xh_frame_send(PROC_HOOK_FD, "L", 1, NULL, 0, (int)fd, HOOK_SYNC_FLAGS & ~MSG_NOSIGNAL) <
	    0)
		return -errno;
	return 0; /* the listener (close-on-exec) goes with exec */
}

/* ---- in the broker ---- */

static void hook_free(struct hostd_hook *h)
{
	if (h->lev)
		event_free(h->lev);
	if (h->sev)
		event_free(h->sev);
	for (int i = 0; i < 2; i++)
		if (h->sync[i] >= 0)
			close(h->sync[i]);
	if (h->listener >= 0)
		close(h->listener);
	if (h->sock >= 0)
		close(h->sock);
	free(h);
}

static void hook_end(struct hostd_hook *h)
{
	LIST_REMOVE(h, link);
	hook_free(h);
}

/* The task goes: its hook cannot serve it. */
static void hook_kill(struct hostd_hook *h, const char *why, uint32_t err)
{
	struct hostd_proc *p = &hostd.procs[h->pid];

	hostd_warn("task %u (%s): %s %s (error %u); ending it", h->pid, p->name, why, h->name, err);
	if (p->alive)
		hostd_proc_doom(p, true);
	hostd_run_pending();
}

/* In the parent after fork: take the listener (the child sends it at once
 * or dies). sock: the broker's end of the task's connection. */
int hostd_hook_started(struct hostd_hook *h, int sock)
{
	struct xh_frame_fd got = {-1, false};
	char b;
	ssize_t n;

	close(h->sync[1]);
	h->sync[1] = -1;
	do
		n = xh_frame_recv(h->sync[0], &b, 1, NULL, 0, 0, &got);
	while (n < 0 && errno == EINTR);
	close(h->sync[0]);
	h->sync[0] = -1;
	if (n != 1 || got.fd < 0) {
		if (got.fd >= 0)
			close(got.fd);
		return -1;
	}
	h->listener = got.fd;
	h->sock = sock;
	return 0;
}

static int hook_send(struct hostd_hook *h, const struct xh_frame *f, const void *tail, size_t tlen)
{
	return xh_frame_send(h->sock, f, sizeof(*f), tail, tlen, -1, MSG_DONTWAIT);
}

/* The next call of the task goes to the hook. */
static void hook_listen_cb(evutil_socket_t fd, short what, void *arg)
{
	struct hostd_hook *h = arg;
	struct pollfd pfd = {h->listener, POLLIN, 0};
	struct seccomp_notif req;
	static unsigned char page[XOUS_PAGE_SIZE];
	struct abi_hook_frame fr = {.magic = ABI_HOOK_MAGIC};

	(void)fd, (void)what;
	if (h->state != HOOK_IDLE || poll(&pfd, 1, 0) <= 0)
		return;
	if (!(pfd.revents & POLLIN)) { /* the task is gone: its death path ends us */
		event_del(h->lev);
		return;
	}
	memset(&req, 0, sizeof(req));
	if (ioctl(h->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return; /* the caller died meanwhile */
	fr.arch = req.data.arch;
	fr.task = h->pid;
	fr.nr = (uint32_t)req.data.nr;
	fr.cookie = req.id;
	fr.ip = req.data.instruction_pointer;
	for (int i = 0; i < 6; i++)
		fr.args[i] = req.data.args[i];
	memset(page, 0, sizeof(page));
	memcpy(page, &fr, sizeof(fr));
	struct xh_frame f = {.magic = XH_MAGIC,
	                     .type = XH_SYSCALL,
	                     .flags = XH_F_INLINE,
	                     .w = {XOUS_SYS_SEND_MESSAGE, h->cid, XOUS_KIND_MUTABLE_BORROW,
	                           GLOBAL_ABI_HOOK, HOOK_PAGE_ADDR, XOUS_PAGE_SIZE, 0, sizeof(fr)}};
	if (hook_send(h, &f, page, sizeof(page)) < 0) {
		hook_kill(h, "cannot reach its abi hook", XOUS_ERR_INTERNAL_ERROR);
		return;
	}
	h->id = req.id;
	h->caller = (pid_t)req.pid;
	h->state = HOOK_BUSY;
	event_del(h->lev);
}

/* The hook's answer in the returned page becomes the call's. */
static void hook_answer(struct hostd_hook *h, const struct xh_frame *f, const void *page,
                        size_t len)
{
	struct seccomp_notif_resp resp = {.id = h->id, .error = -ENOSYS};
	struct abi_hook_frame fr;

	if (f->w[0] == XOUS_RESULT_ERROR) {
		hook_kill(h, "cannot call its abi hook", (uint32_t)f->w[1]);
	} else if (f->w[0] == XOUS_RESULT_MEMORY_RETURNED && len >= sizeof(fr)) {
		memcpy(&fr, page, sizeof(fr));
		if (fr.action == ABI_HOOK_HOST) {
			resp.error = 0;
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		} else if (fr.action == ABI_HOOK_RESULT && fr.result >= -4095 && fr.result < 0) {
			resp.error = (int32_t)fr.result;
		} else if (fr.action == ABI_HOOK_RESULT && fr.result >= 0) {
			resp.error = 0;
			resp.val = fr.result;
		}
	}
	/* ENOENT: the task died meanwhile */
	ioctl(h->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	h->state = HOOK_IDLE;
	event_add(h->lev, NULL);
}

/* A result on the task's connection. */
static void hook_sock_cb(evutil_socket_t fd, short what, void *arg)
{
	struct hostd_hook *h = arg;
	static unsigned char tail[XH_INLINE_MAX];
	struct xh_frame_fd got = {-1, false};
	struct xh_frame f;
	ssize_t n;

	(void)fd, (void)what;
	n = xh_frame_recv(h->sock, &f, sizeof(f), tail, sizeof(tail), MSG_DONTWAIT, &got);
	if (got.fd >= 0)
		close(got.fd);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < (ssize_t)sizeof(f) || f.magic != XH_MAGIC) { /* the task's process ended */
		hook_end(h);
		return;
	}
	if (f.type != XH_RESULT)
		return;
	if (h->state == HOOK_BUSY) {
		hook_answer(h, &f, tail, (size_t)n - sizeof(f));
	} else if (h->state == HOOK_CONNECTING && f.w[0] == XOUS_RESULT_CONNECTION_ID) {
		h->cid = f.w[1];
		h->state = HOOK_IDLE;
		event_add(h->lev, NULL);
	} else if (h->state == HOOK_CONNECTING) {
		hook_kill(h, "cannot connect to its abi hook",
		          f.w[0] == XOUS_RESULT_ERROR ? (uint32_t)f.w[1] : XOUS_ERR_INTERNAL_ERROR);
	}
}

struct hostd_hook *hostd_hook_new(const char *server, uint32_t *err)
{
	struct hostd_hook *h = calloc(1, sizeof(*h));

	*err = XOUS_ERR_OUT_OF_MEMORY;
	if (!h)
		return NULL;
	h->listener = h->sock = -1;
	snprintf(h->name, sizeof(h->name), "%s", server);
	if (!hostd_control_find(server, h->sid)) {
		*err = XOUS_ERR_SERVER_NOT_FOUND;
		free(h);
		return NULL;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, h->sync) < 0) {
		free(h);
		return NULL;
	}
	*err = XOUS_OK;
	return h;
}

/* Launched (or not: ch NULL): start serving the task's calls. */
void hostd_hook_run(struct hostd_hook *h, struct hostd_child *ch)
{
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_SYSCALL, .w = {XOUS_SYS_CONNECT}};

	if (!ch || h->listener < 0) {
		hook_free(h);
		return;
	}
	h->pid = ch->pid;
	LIST_INSERT_HEAD(&hooks, h, link);
	for (int i = 0; i < 4; i++)
		f.w[1 + i] = h->sid[i];
	h->sev = event_new(hostd.base, h->sock, EV_READ | EV_PERSIST, hook_sock_cb, h);
	h->lev = event_new(hostd.base, h->listener, EV_READ | EV_PERSIST, hook_listen_cb, h);
	if (!h->sev || !h->lev || event_add(h->sev, NULL) < 0 || hook_send(h, &f, NULL, 0) < 0)
		hook_kill(h, "cannot set up its abi hook", XOUS_ERR_INTERNAL_ERROR);
}

/* ---- the hook server's calls ---- */

static struct hostd_hook *hook_find(kc_word pid)
{
	struct hostd_hook *h;

	LIST_FOREACH(h, &hooks, link)
	if (h->pid == pid)
		return h;
	return NULL;
}

static uint32_t hook_granted(const struct hostd_hook *h, const struct hostd_conn *c)
{
	struct kc_server_info si;

	if (!h)
		return XOUS_ERR_PROCESS_NOT_FOUND;
	if (h->state != HOOK_BUSY ||
	    !kc_server_info(hostd.kc, kc_server_slot(hostd.kc, h->sid), &si) ||
	    si.owner != c->proc->pid)
		return XOUS_ERR_ACCESS_DENIED;
	return 0;
}

/* len bytes between buf and the task's addr; how many moved, or -1 if the
 * call is no longer there (its task died). */
static ssize_t hook_vm(const struct hostd_hook *h, kc_word addr, void *buf, size_t len,
                       bool to_task)
{
	struct iovec local = {buf, len}, remote = {(void *)(uintptr_t)addr, len};
	ssize_t n = to_task ? process_vm_writev(h->caller, &local, 1, &remote, 1, 0)
	                    : process_vm_readv(h->caller, &local, 1, &remote, 1, 0);

	if (ioctl(h->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &h->id) < 0)
		return -1;
	return n < 0 ? 0 : n;
}

static void hook_fd(struct hostd_conn *c, const struct hostd_hook *h, kc_word flags)
{
	struct seccomp_notif_addfd a = {.id = h->id};
	int fd;

	if (flags & ~(kc_word)XOUS_ABI_HOOK_FD_CLOEXEC) {
		hostd_conn_error(c, XOUS_ERR_INVALID_ARGUMENT);
		return;
	}
	if (null_fd < 0 && (null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
		hostd_conn_error(c, XOUS_ERR_INTERNAL_ERROR);
		return;
	}
	a.srcfd = (uint32_t)null_fd;
	a.newfd_flags = flags ? O_CLOEXEC : 0;
	fd = ioctl(h->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &a);
	if (fd < 0) {
		hostd_conn_error(c, errno == ENOENT ? XOUS_ERR_PROCESS_NOT_FOUND
		                                    : XOUS_ERR_OUT_OF_MEMORY);
		return;
	}
	kc_regs r = {{XOUS_RESULT_SCALAR1, (kc_word)fd}};
	hostd_conn_result(c, &r);
}

/* AbiHookRead, AbiHookWrite (its bytes in payload) and AbiHookFd. */
void hostd_hook_call(struct hostd_conn *c, const kc_regs *r, const void *payload, size_t plen)
{
	static unsigned char buf[XH_INLINE_MAX];
	struct hostd_hook *h = hook_find(r->a[1]);
	uint32_t err = hook_granted(h, c);
	size_t len = (size_t)r->a[3];
	bool write = r->a[0] == XOUS_SYS_ABI_HOOK_WRITE;
	ssize_t n;

	if (!err && r->a[0] == XOUS_SYS_ABI_HOOK_FD) {
		hook_fd(c, h, r->a[2]);
		return;
	}
	if (!err && (len > XH_INLINE_MAX || (write && len != plen)))
		err = XOUS_ERR_INVALID_ARGUMENT;
	if (err) {
		hostd_conn_error(c, err);
		return;
	}
	if (write && len)
		memcpy(buf, payload, len);
	n = len ? hook_vm(h, r->a[2], buf, len, write) : 0;
	if (n < 0 || (n == 0 && len)) {
		hostd_conn_error(c, n < 0 ? XOUS_ERR_PROCESS_NOT_FOUND : XOUS_ERR_BAD_ADDRESS);
		return;
	}
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_RESULT, .w = {XOUS_RESULT_SCALAR1, n}};
	if (write || n == 0) {
		hostd_conn_send(c, &f, -1);
	} else {
		f.flags = XH_F_INLINE;
		hostd_conn_send_bytes(c, &f, buf, (size_t)n);
	}
}

/* The broker ends: nothing left for leak checkers. */
void hostd_hook_close(void)
{
	while (!LIST_EMPTY(&hooks))
		hook_end(LIST_FIRST(&hooks));
	if (null_fd >= 0)
		close(null_fd);
	null_fd = -1;
}

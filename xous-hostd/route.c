/*
 * route.c - frames in, kcore in the middle, results out.
 *
 * Identity comes from the connection: a frame's words are only a syscall's
 * arguments. The platform side of kcore (struct kc_ops) lives here too:
 * results and envelopes become XH_RESULT frames on the thread's connection;
 * a shared memfd travels with its envelope and the broker's copy is closed;
 * a copied lend goes through inline.c (lend.c decides which). What a syscall changes beyond its
 * result (a fleet server that made its server) is looked at once kcore
 * has returned, never from a callback.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "hostd.h"

static struct hostd_conn *route_conn(kc_thread t)
{
	if (t >= KC_MAX_THREADS)
		return NULL;
	return hostd.by_thread[t];
}

/*
 * A result is one XH_RESULT frame with at most one thing attached: the
 * bytes of a copied MutableBorrow it ends (m is the message's memory,
 * still in place: kcore calls mem_done after this), or, on the first OK
 * that grants a process send-ahead slots (a1 > 0), the withdrawals page.
 */
static void route_reply(void *ctx, kc_thread t, const kc_regs *r, const kc_mem *m)
{
	struct hostd_conn *c = route_conn(t);
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_RESULT};
	const void *bytes = NULL;
	size_t len = 0;

	(void)ctx;
	if (__builtin_expect(hostd.watch, 0))
		hostd_monitor_result(t, r);
	if (!c)
		return;
	for (int i = 0; i < 8; i++)
		f.w[i] = r->a[i];
	if (hostd_inline_is(m) && (bytes = hostd_inline_answer(m, &len)) != NULL) {
		f.flags = XH_F_INLINE;
		hostd_conn_send_bytes(c, &f, bytes, len);
	} else if (r->a[0] == XOUS_RESULT_OK && r->a[1] > 0 && c->proc &&
	           !c->proc->has_withdrawals && hostd.withdrawals_fd >= 0) {
		f.flags = XH_F_FD;
		c->proc->has_withdrawals = true;
		hostd_conn_send(c, &f, hostd.withdrawals_fd);
	} else {
		hostd_conn_send(c, &f, -1);
	}
}

static uint32_t route_deliver(void *ctx, kc_thread t, kc_regs *env, const kc_mem *m)
{
	struct hostd_conn *c = route_conn(t);
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_RESULT};
	bool copied = hostd_inline_is(m);
	int fd = -1;

	(void)ctx;
	/* A receiver whose connection is gone cannot hold the message. */
	if (!c || c->closed || c->failed)
		return XOUS_ERR_SERVER_NOT_FOUND;
	if (__builtin_expect(hostd.watch, 0))
		hostd_monitor_envelope(t, env, m);
	for (int i = 0; i < 8; i++)
		f.w[i] = env->a[i];
	if (copied) {
		uint32_t err = hostd_inline_deliver(c->proc, m, &f, &fd);
		if (err)
			return err;
	} else if (m) {
		fd = (int)m->handle;
		f.flags = XH_F_FD;
		f.aux = m->handle2;
		f.w[4] = 0; /* the receiver's library maps the pages and fills it in */
	}
	/* A receiver that turns out to be gone fails the message back to its
	 * caller at once (kcore then closes the fd through mem_done); its
	 * thread or process ends through the pending list. */
	if (hostd_conn_send(c, &f, fd) < 0) {
		if (copied)
			hostd_inline_undeliver(m);
		return XOUS_ERR_SERVER_NOT_FOUND;
	}
	if (copied)
		hostd_inline_sent(c->proc, &f);
	else if (fd >= 0)
		close(fd);
	if (copied && env->a[2] == XOUS_KIND_MOVE)
		hostd_inline_done(m); /* the copy is the server's: kcore is done with it */
	return 0;
}

static void route_mem_done(void *ctx, uint32_t caller_pid, uint32_t server_pid, const kc_mem *m)
{
	(void)ctx;
	(void)caller_pid;
	if (hostd_inline_is(m))
		hostd_inline_done(m);
	else if (server_pid == 0 && (int)m->handle >= 0)
		close((int)m->handle);
}

/*
 * The thread hears first that its send-ahead slots are gone. The counter
 * moves first of all: a library that sees it unchanged since it got its
 * slots knows no XH_WITHDRAW can be waiting for it, and sends ahead
 * without reading its socket.
 */
static void route_withdraw(void *ctx, kc_thread t, kc_word cid)
{
	struct hostd_conn *c = route_conn(t);
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_WITHDRAW, .w = {cid}};

	(void)ctx;
	if (hostd.withdrawals)
		__atomic_add_fetch(hostd.withdrawals, 1, __ATOMIC_SEQ_CST);
	if (c)
		hostd_conn_send(c, &f, -1);
}

/* One page with one counter; sealed so that nobody else can map it writable.
 * Without it (an old kernel) the library reads its socket before every send
 * ahead instead. */
static void route_withdrawals_init(void)
{
	int fd = memfd_create("xous-withdrawals", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	void *p = MAP_FAILED;

	hostd.withdrawals_fd = -1;
	if (fd >= 0 && ftruncate(fd, 4096) == 0)
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED ||
	    fcntl(fd, F_ADD_SEALS,
	          F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_FUTURE_WRITE | F_SEAL_SEAL) < 0) {
		if (p != MAP_FAILED)
			munmap(p, 4096);
		if (fd >= 0)
			close(fd);
		return;
	}
	hostd.withdrawals = p;
	hostd.withdrawals_fd = fd;
}

static void route_random_sid(void *ctx, uint32_t w[4])
{
	(void)ctx;
	if (getrandom(w, 4 * sizeof(uint32_t), 0) != 4 * sizeof(uint32_t))
		hostd_fatal("getrandom: %s", strerror(errno));
}

static const struct kc_ops route_ops = {
        .reply = route_reply,
        .deliver = route_deliver,
        .mem_done = route_mem_done,
        .random_sid = route_random_sid,
        .withdraw = route_withdraw,
        .phys_alloc = hostd_phys_alloc,
        .phys_free = hostd_phys_free,
};

void hostd_route_init(void)
{
	hostd.kc = calloc(1, sizeof(*hostd.kc));
	hostd.by_thread = calloc(KC_MAX_THREADS, sizeof(*hostd.by_thread));
	hostd.procs = calloc(KC_MAX_PROCS + 1, sizeof(*hostd.procs)); /* pids 1..KC_MAX_PROCS */
	if (!hostd.kc || !hostd.by_thread || !hostd.procs)
		hostd_fatal("out of memory");
	kc_init(hostd.kc, &route_ops);
	route_withdrawals_init();
	hostd_inline_init();
}

/* A peer that broke the protocol: its process goes, nobody else notices. */
static void route_violation(struct hostd_conn *c, int fd)
{
	if (fd >= 0)
		close(fd);
	hostd_proc_doom(c->proc, true);
}

static void route_kcore(struct hostd_conn *c, const kc_regs *r, const kc_mem *m)
{
	if (kc_syscall(hostd.kc, c->t, r, m) < 0) {
		if (hostd_inline_is(m))
			hostd_inline_done(m);
		else if (m)
			close((int)m->handle);
		hostd_proc_doom(c->proc, true);
	}
}

/* ReceiveMany: the envelopes kcore returns travel as one packet; without
 * any it was a receive (its one envelope comes through route_deliver). */
static void route_receive_many(struct hostd_conn *c, const kc_regs *r)
{
	kc_regs env[KC_RECEIVE_MANY];
	struct xh_frame f[KC_RECEIVE_MANY];
	uint32_t n;

	if (kc_receive_many(hostd.kc, c->t, r, env, &n) < 0) {
		route_violation(c, -1);
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (__builtin_expect(hostd.watch, 0))
			hostd_monitor_envelope(c->t, &env[i], NULL);
		f[i] = (struct xh_frame){.magic = XH_MAGIC, .type = XH_RESULT};
		for (int w = 0; w < 8; w++)
			f[i].w[w] = env[i].a[w];
	}
	if (n > 0)
		hostd_conn_send_frames(c, f, n);
}

static void route_create_thread(struct hostd_conn *c, int fd)
{
	kc_thread nt;
	uint32_t err = hostd_conn_thread_check(c->proc, fd);

	if (!err)
		err = kc_thread_create(hostd.kc, c->proc->pid, true, &nt);
	if (err) {
		close(fd);
		hostd_conn_error(c, err);
		return;
	}
	if (!hostd_conn_new(fd, HOSTD_CONN_THREAD, c->proc, nt)) {
		kc_thread_exit(hostd.kc, nt, 0);
		hostd_conn_error(c, XOUS_ERR_OUT_OF_MEMORY);
		return;
	}
	kc_regs r = {{XOUS_RESULT_THREAD_ID, kc_thread_tid(hostd.kc, nt)}};
	hostd_conn_result(c, &r);
}

static bool is_memory_kind(kc_word kind)
{
	return kind == XOUS_KIND_MUTABLE_BORROW || kind == XOUS_KIND_BORROW ||
	       kind == XOUS_KIND_MOVE;
}

/* A copied Borrow or MutableBorrow: exactly its len bytes came, at most
 * XH_INLINE_MAX, and no fd (conn.c). Buffers kcore will reject it answers. */
static void route_send_copied(struct hostd_conn *c, const struct xh_frame *f, const kc_regs *r,
                              const void *payload, size_t plen)
{
	kc_mem m;
	uint32_t err;

	if ((r->a[2] != XOUS_KIND_BORROW && r->a[2] != XOUS_KIND_MUTABLE_BORROW) ||
	    f->w[5] != plen) {
		route_violation(c, -1);
		return;
	}
	err = hostd_inline_take(c->t, (uint32_t)r->a[2], f, payload, plen, &m);
	if (err) {
		hostd_conn_error(c, err);
		return;
	}
	route_kcore(c, r, &m);
	hostd_inline_settle(&m);
}

static void route_send(struct hostd_conn *c, const struct xh_frame *f, const kc_regs *r, int fd)
{
	kc_mem m;
	uint32_t err;
	bool copy;

	if (!is_memory_kind(r->a[2])) {
		if (fd != -1)
			route_violation(c, fd);
		else
			route_kcore(c, r, NULL);
		return;
	}
	if (fd == -1 && (f->flags & XH_F_NOPAGES)) { /* kcore answers: an invalid message */
		route_kcore(c, r, NULL);
		return;
	}
	if (fd == -1) {
		route_violation(c, fd);
		return;
	}
	err = hostd_lend_check((uint32_t)r->a[2], f, fd, &m, &copy);
	if (!err && copy)
		err = hostd_inline_take_fd(c->t, (uint32_t)r->a[2], &m);
	if (err)
		hostd_conn_error(c, err);
	else
		route_kcore(c, r, &m);
}

/* The name we launched (or attached) a process under: the log server shows
 * it, so it must come from us, not from the process. */
static void route_process_name(struct hostd_conn *c, kc_word pid)
{
	kc_regs r = {{XOUS_RESULT_SCALAR5}};

	if (pid == 0 || pid > KC_MAX_PROCS || !hostd.procs[pid].alive) {
		hostd_conn_error(c, XOUS_ERR_PROCESS_NOT_FOUND);
		return;
	}
	_Static_assert(HOSTD_NAME_MAX <= 5 * sizeof(kc_word), "a name fits in five words");
	memcpy(&r.a[1], hostd.procs[pid].name, strnlen(hostd.procs[pid].name, HOSTD_NAME_MAX - 1));
	hostd_conn_result(c, &r);
}

/* ServerLabel: the name server (the owner of xous-name-server) names a
 * server of its table for the listings (control.c). */
static void route_server_label(struct hostd_conn *c, const kc_regs *r, const void *name, size_t len)
{
	static const char ns[16] = "xous-name-server";
	struct kc_server_info si;
	uint32_t sid[4];

	memcpy(sid, ns, sizeof(sid));
	if (!kc_server_info(hostd.kc, kc_server_slot(hostd.kc, sid), &si) ||
	    si.owner != c->proc->pid) {
		hostd_conn_error(c, XOUS_ERR_ACCESS_DENIED);
		return;
	}
	if (r->a[5] != len) {
		hostd_conn_error(c, XOUS_ERR_INVALID_ARGUMENT);
		return;
	}
	for (int i = 0; i < 4; i++)
		sid[i] = (uint32_t)r->a[1 + i];
	hostd_control_label(sid, name, len);
	kc_regs ok = {{XOUS_RESULT_OK}};
	hostd_conn_result(c, &ok);
}

/* AsyncSend: its a4 bytes travel in the frame (none: no payload). */
static void route_async_send(struct hostd_conn *c, const kc_regs *r, const void *data, size_t len)
{
	if (r->a[4] != len) {
		hostd_conn_error(c, XOUS_ERR_INVALID_ARGUMENT);
		return;
	}
	if (kc_async_send(hostd.kc, c->t, r, data, len, NULL) < 0)
		route_violation(c, -1);
}

/* AsyncRecv: the message's bytes follow its result frame. */
static void route_async_recv(struct hostd_conn *c, const kc_regs *r)
{
	static uint8_t buf[XOUS_ASYNC_MAX];
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_RESULT};
	kc_regs out;

	if (kc_async_recv(hostd.kc, c->t, r, buf, &out, NULL) < 0) {
		route_violation(c, -1);
		return;
	}
	if (__builtin_expect(hostd.watch, 0))
		hostd_monitor_result(c->t, &out);
	for (int i = 0; i < 8; i++)
		f.w[i] = out.a[i];
	if (out.a[0] == XOUS_RESULT_SCALAR2 && out.a[2] > 0) {
		f.flags = XH_F_INLINE;
		hostd_conn_send_bytes(c, &f, buf, out.a[2]);
	} else {
		hostd_conn_send(c, &f, -1);
	}
}

static void route_syscall(struct hostd_conn *c, const struct xh_frame *f, int fd,
                          const void *payload, size_t plen)
{
	kc_regs r;

	for (int i = 0; i < 8; i++)
		r.a[i] = (kc_word)f->w[i];
	if ((f->flags & XH_F_AHEAD) &&
	    r.a[0] == XOUS_SYS_EXCEPTION) { /* its thread may be blocked */
		hostd_pager_note(c, &r);
		return;
	}
	if (kc_thread_blocked(hostd.kc, c->t)) {
		route_violation(c, fd);
		return;
	}
	if (f->flags & XH_F_AHEAD) { /* no fd (conn.c checked), no answer */
		if (kc_send_ahead(hostd.kc, c->t, &r) < 0)
			route_violation(c, fd);
		return;
	}
	if (fd == HOSTD_FD_LOST) {
		hostd_conn_error(c, XOUS_ERR_OUT_OF_MEMORY);
		return;
	}
	if (r.a[0] == XOUS_SYS_CREATE_PROCESS && fd == -1) { /* its command line travels inline */
		hostd_task_create(c, &r, payload, plen);
		return;
	}
	if (f->flags & XH_F_INLINE) {
		if (r.a[0] == XOUS_SYS_SEND_MESSAGE || r.a[0] == XOUS_SYS_TRY_SEND_MESSAGE)
			route_send_copied(c, f, &r, payload, plen);
		else if (r.a[0] == XOUS_SYS_SERVER_LABEL)
			route_server_label(c, &r, payload, plen);
		else if (r.a[0] == XOUS_SYS_ASYNC_SEND)
			route_async_send(c, &r, payload, plen);
		else if (r.a[0] == XOUS_SYS_ABI_HOOK_WRITE)
			hostd_hook_call(c, &r, payload, plen);
		else
			route_violation(c, fd);
		return;
	}
	switch (r.a[0]) {
	case XOUS_SYS_SEND_MESSAGE:
	case XOUS_SYS_TRY_SEND_MESSAGE:
		route_send(c, f, &r, fd);
		return;
	case XOUS_SYS_CREATE_THREAD:
		if (fd < 0)
			route_violation(c, fd);
		else
			route_create_thread(c, fd);
		return;
	}
	if (fd >= 0) {
		route_violation(c, fd);
		return;
	}
	switch (r.a[0]) {
	case XOUS_SYS_TERMINATE_PROCESS:
		c->proc->status = (uint32_t)(r.a[1] & 0xff); /* as exit() keeps it */
		hostd_proc_doom(c->proc, false);
		return;
	case XOUS_SYS_SHUTDOWN:
		/* Only the broker's owner ends the system (a signal, or PROGRAM exiting). */
		hostd_conn_error(c, XOUS_ERR_ACCESS_DENIED);
		return;
	case XOUS_SYS_PROCESS_NAME:
		route_process_name(c, r.a[1]);
		return;
	case XOUS_SYS_RECEIVE_MANY:
		route_receive_many(c, &r);
		return;
	case XOUS_SYS_MAP_MEMORY: /* plain memory is the library's own */
		if (r.a[1] != 0) {
			hostd_phys_map(c, &r);
			return;
		}
		break;
	case XOUS_SYS_SERVER_LABEL:
		route_server_label(c, &r, NULL, 0);
		return;
	case XOUS_SYS_ASYNC_SEND:
		route_async_send(c, &r, NULL, 0);
		return;
	case XOUS_SYS_ASYNC_RECV:
		route_async_recv(c, &r);
		return;
	case XOUS_SYS_ABI_HOOK_READ:
	case XOUS_SYS_ABI_HOOK_WRITE:
	case XOUS_SYS_ABI_HOOK_FD:
		hostd_hook_call(c, &r, NULL, 0);
		return;
	case XOUS_SYS_CLAIM_INTERRUPT:
	case XOUS_SYS_FREE_INTERRUPT:
	case XOUS_SYS_VIRT_TO_PHYS:
		hostd_device_call(c, &r);
		return;
	case XOUS_SYS_FAULT_THREAD:
		hostd_pager_fault_thread(c);
		return;
	}
	route_kcore(c, &r, NULL);
	if (r.a[0] == XOUS_SYS_CREATE_SERVER || r.a[0] == XOUS_SYS_CREATE_SERVER_WITH_ADDRESS)
		hostd_fleet_check(); /* a fleet server that made its server is ready */
}

/* The same while a monitor listens: it hears of the syscall, and answers
 * given during it are known to come from this thread. */
static void route_syscall_watched(struct hostd_conn *c, const struct xh_frame *f, int fd,
                                  const void *payload, size_t plen)
{
	kc_regs r;

	for (int i = 0; i < 8; i++)
		r.a[i] = (kc_word)f->w[i];
	hostd_monitor_syscall(c, &r);
	route_syscall(c, f, fd, payload, plen);
	hostd_monitor_syscall(NULL, NULL);
}

static void route_attach_thread(struct hostd_conn *c, int fd)
{
	kc_thread nt;

	if (fd == HOSTD_FD_LOST) /* we are out of fds: the thread sees EOF */
		return;
	if (fd < 0) {
		route_violation(c, fd);
		return;
	}
	/* no room for it, or not a thread's own socket: it sees EOF */
	if (hostd_conn_thread_check(c->proc, fd) ||
	    kc_thread_create(hostd.kc, c->proc->pid, false, &nt)) {
		close(fd);
		return;
	}
	if (!hostd_conn_new(fd, HOSTD_CONN_THREAD, c->proc, nt))
		kc_thread_exit(hostd.kc, nt, 0);
}

void hostd_route_frame(struct hostd_conn *c, const struct xh_frame *f, int fd, const void *payload,
                       size_t plen)
{
	if (c->role == HOSTD_CONN_HELLO) {
		hostd_attach_hello(c, f, fd);
		return;
	}
	if (f->type == XH_SYSCALL && __builtin_expect(hostd.watch, 0))
		route_syscall_watched(c, f, fd, payload, plen);
	else if (f->type == XH_SYSCALL)
		route_syscall(c, f, fd, payload, plen);
	else if (f->type == XH_ATTACH_THREAD && c->role == HOSTD_CONN_PROC)
		route_attach_thread(c, fd);
	else
		route_violation(c, fd);
}

/* The peer closed its end (or could not be written to). */
void hostd_route_eof(struct hostd_conn *c)
{
	switch (c->role) {
	case HOSTD_CONN_HELLO:
		hostd_conn_close(c);
		break;
	case HOSTD_CONN_PROC:
		hostd_proc_dead(c->proc);
		break;
	case HOSTD_CONN_THREAD:
		kc_thread_exit(hostd.kc, c->t, 0);
		hostd_conn_close(c);
		break;
	}
}

/*
 * notify.c - kcore's global messages of a task (<resea/global.h>):
 * notifications, async messages and invalid messages. A section of kcore.c
 * (one translation unit).
 *
 * Rules:
 * - Notification bits are pending per process and merged by OR. They are
 *   delivered at receive time: a receive on the process's notify server
 *   while bits are pending takes Scalar(GLOBAL_NOTIFICATIONS, all of them)
 *   from pid 1 ahead of the queue, and clears them; a receiver already
 *   waiting takes them at once. Bits wait while there is no notify server,
 *   so none is lost; they end with their process.
 * - Async messages live in one table fixed at start-up (KC_MAX_ASYNC), in
 *   sending order, each charged to its sender (KC_MAX_ASYNC_PER_PROC while
 *   the sender lives). They outlive their sender (its receiver may still
 *   pull them by its pid) and end when pulled or with their receiver.
 * - A memory message that cannot be delivered intact answers its caller
 *   BAD_ADDRESS, its lend untouched, and its server gets
 *   Scalar(GLOBAL_INVALID, opcode, caller's pid) where it has room (a
 *   notice nobody answers: dropped when the queue is full).
 */
#include "kcore-internal.h"

/* ---- notifications ---- */

/* p's notify server if it lives, else KC_NIL. */
static uint32_t notify_srv(const struct kc *k, const struct kc_proc *p)
{
	uint32_t s = p->nsrv - 1;

	if (p->nsrv == 0 || !k->servers[s].alive || k->servers[s].gen != p->nsrv_gen)
		return KC_NIL;
	return s;
}

/* s is its owner's notify server and the owner has bits pending. */
static bool notify_due(const struct kc *k, uint32_t s)
{
	const struct kc_proc *p = &k->procs[k->servers[s].owner - 1];

	return p->pending != 0 && notify_srv(k, p) == s;
}

/* Receiver t (running, in no receiver list) takes the pending bits of s's
 * owner, if any. False if none were due or they could not be delivered
 * now (then they stay pending). */
static bool notify_take(struct kc *k, kc_thread t, uint32_t s)
{
	struct kc_proc *p = &k->procs[k->servers[s].owner - 1];
	uint32_t m, err, bits = p->pending;

	if (!notify_due(k, s))
		return false;
	m = kernel_msg(k, s, XOUS_GLOBAL_NOTIFICATIONS, (const kc_word[4]){bits, 0, 0, 0});
	if (m == KC_NIL)
		return false;
	p->pending = 0;
	err = deliver(k, t, m);
	if (err == XOUS_OK)
		return true;
	p->pending |= bits;
	k->sent--;
	msg_fail(k, m, 0, err);
	return false;
}

/* A receiver waiting on pid's notify server takes its pending bits. */
static void notify_kick(struct kc *k, struct kc_proc *p)
{
	uint32_t s = notify_srv(k, p);
	struct kc_server *sv;
	kc_thread r;

	if (s == KC_NIL || p->pending == 0)
		return;
	sv = &k->servers[s];
	r = sv->receivers.head;
	if (r == KC_NIL)
		return;
	thr_unlink(k, &sv->receivers, r);
	if (!notify_take(k, r, s))
		thr_push_front(k, &sv->receivers, r);
}

/* Process pid (a task, not the kernel) if it lives. */
static struct kc_proc *task_get(struct kc *k, kc_word pid)
{
	return pid > 1 && pid <= KC_MAX_PROCS ? proc_get(k, (uint32_t)pid) : NULL;
}

static void sys_notify(struct kc *k, kc_thread t, const kc_regs *in)
{
	struct kc_proc *p = task_get(k, in->a[1]);

	if (!p) {
		reply_err(k, t, XOUS_ERR_PROCESS_NOT_FOUND);
		return;
	}
	p->pending |= (uint32_t)in->a[2];
	reply_ok(k, t);
	notify_kick(k, p);
}

static void sys_set_notify_server(struct kc *k, kc_thread t, const kc_regs *in)
{
	struct kc_proc *p = proc_get(k, k->threads[t].pid);
	uint32_t s, err = owned_server(k, k->threads[t].pid, &in->a[1], &s);

	if (err) {
		reply_err(k, t, err);
		return;
	}
	p->nsrv = s + 1;
	p->nsrv_gen = k->servers[s].gen;
	reply_ok(k, t);
	notify_kick(k, p);
}

/* A new process: no notify server, nothing pending, nothing sent. */
static void notify_proc_init(struct kc_proc *p)
{
	p->nsrv = p->nsrv_gen = p->pending = p->nasync = 0;
}

/* ---- async messages ---- */

static void async_init(struct kc *k)
{
	uint32_t i;

	k->async_head = k->async_tail = KC_NIL;
	for (i = 0; i < KC_MAX_ASYNC; i++)
		k->async[i].next = i + 1 < KC_MAX_ASYNC ? i + 1 : KC_NIL;
	k->async_free = 0;
}

/* Take entry i (after prev, KC_NIL for the head) off the FIFO, uncharge
 * its sender and free it. */
static void async_drop(struct kc *k, uint32_t prev, uint32_t i)
{
	struct kc_async *a = &k->async[i];
	struct kc_proc *src = proc_get(k, a->src);

	if (prev == KC_NIL)
		k->async_head = a->next;
	else
		k->async[prev].next = a->next;
	if (k->async_tail == i)
		k->async_tail = prev;
	if (src && src->gen == a->src_gen)
		src->nasync--;
	a->next = k->async_free;
	k->async_free = i;
}

/* Process pid ends: the messages queued for it go. */
static void async_proc_exit(struct kc *k, uint32_t pid, uint32_t gen)
{
	uint32_t prev = KC_NIL, i = k->async_head;

	while (i != KC_NIL) {
		uint32_t next = k->async[i].next;

		if (k->async[i].dst == pid && k->async[i].dst_gen == gen)
			async_drop(k, prev, i);
		else
			prev = i;
		i = next;
	}
}

/* len bytes from src to dst, through the platform's copy if it gave one. */
static void async_copy(kc_copy_fn *copy, void *dst, const void *src, size_t len)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	size_t n;

	if (copy) {
		copy(dst, src, len);
		return;
	}
	for (n = 0; n < len; n++)
		d[n] = s[n];
}

static uint32_t async_put(struct kc *k, kc_thread t, const kc_regs *in, const void *data,
                          size_t len, kc_copy_fn *copy)
{
	struct kc_proc *p = proc_get(k, k->threads[t].pid), *dst = task_get(k, in->a[1]);
	struct kc_async *a;
	uint32_t i;

	if (len > XOUS_ASYNC_MAX || (len > 0 && !data))
		return XOUS_ERR_INVALID_ARGUMENT;
	if (!dst)
		return XOUS_ERR_PROCESS_NOT_FOUND;
	if (p->nasync >= KC_MAX_ASYNC_PER_PROC || k->async_free == KC_NIL)
		return XOUS_ERR_SERVER_QUEUE_FULL;
	i = k->async_free;
	a = &k->async[i];
	k->async_free = a->next;
	a->src = k->threads[t].pid;
	a->src_gen = p->gen;
	a->dst = (uint32_t)in->a[1];
	a->dst_gen = dst->gen;
	a->opcode = in->a[2];
	a->len = (uint32_t)len;
	a->next = KC_NIL;
	if (len > 0)
		async_copy(copy, a->data, data, len);
	if (k->async_tail == KC_NIL)
		k->async_head = i;
	else
		k->async[k->async_tail].next = i;
	k->async_tail = i;
	p->nasync++;
	dst->pending |= XOUS_NOTIFY_ASYNC;
	return XOUS_OK;
}

int kc_async_send(struct kc *k, kc_thread t, const kc_regs *in, const void *data, size_t len,
                  kc_copy_fn *copy)
{
	uint32_t err;

	if (!may_call(k, t, in) || in->a[0] != XOUS_SYS_ASYNC_SEND)
		return -1;
	err = async_put(k, t, in, data, len, copy);
	if (err) {
		reply_err(k, t, err);
		return 0;
	}
	reply_ok(k, t);
	notify_kick(k, proc_get(k, (uint32_t)in->a[1]));
	return 0;
}

/* The oldest message src queued for t's process: out and buf, or an error. */
static uint32_t async_take(struct kc *k, kc_thread t, const kc_regs *in, void *buf, kc_regs *out,
                           kc_copy_fn *copy)
{
	uint32_t pid = k->threads[t].pid, gen = k->procs[pid - 1].gen;
	uint32_t prev = KC_NIL, i;

	for (i = k->async_head; i != KC_NIL; prev = i, i = k->async[i].next) {
		const struct kc_async *a = &k->async[i];

		if (a->dst != pid || a->dst_gen != gen || a->src != in->a[1])
			continue;
		if (a->len > in->a[3])
			return XOUS_ERR_NO_SPACE;
		if (a->len > 0)
			async_copy(copy, buf, a->data, a->len);
		regs_set(out, XOUS_RESULT_SCALAR2);
		out->a[1] = a->opcode;
		out->a[2] = a->len;
		async_drop(k, prev, i);
		return XOUS_OK;
	}
	return XOUS_ERR_NOT_FOUND;
}

int kc_async_recv(struct kc *k, kc_thread t, const kc_regs *in, void *buf, kc_regs *out,
                  kc_copy_fn *copy)
{
	uint32_t err;

	if (!may_call(k, t, in) || in->a[0] != XOUS_SYS_ASYNC_RECV)
		return -1;
	err = async_take(k, t, in, buf, out, copy);
	if (err) {
		regs_set(out, XOUS_RESULT_ERROR);
		out->a[1] = err;
	}
	return 0;
}

uint32_t kc_async_count(const struct kc *k, uint32_t pid)
{
	uint32_t i, n = 0;

	for (i = k->async_head; i != KC_NIL; i = k->async[i].next)
		n += pid == 0 || k->async[i].src == pid;
	return n;
}

/* ---- invalid messages ---- */

/* Server s hears that pid's message id could not be delivered intact. */
static void invalid_post(struct kc *k, uint32_t s, kc_word id, uint32_t pid)
{
	kernel_scalar(k, s, XOUS_GLOBAL_INVALID, (const kc_word[4]){id, pid, 0, 0});
}

/* A memory send whose pages the platform could not take (no kc_mem): if
 * its connection names a server, that server hears of it. */
static void invalid_send(struct kc *k, uint32_t pid, const kc_regs *in)
{
	uint32_t s = conn_server(k, pid, in->a[1]);

	if (s != KC_NIL)
		invalid_post(k, s, in->a[3], pid);
}

/*
 * The platform could not deliver message m (off its list) with err. A
 * receiver that is gone (SERVER_NOT_FOUND) fails it with that error; a
 * memory message whose pages could not be mapped fails with BAD_ADDRESS
 * and its server hears of it.
 */
static void deliver_failed(struct kc *k, uint32_t m, uint32_t err)
{
	const struct kc_msg *x = &k->msgs[m];
	uint32_t s = x->server, pid = x->pid;
	kc_word id = x->id;
	bool invalid = kind_is_mem(x->kind) && err != XOUS_ERR_SERVER_NOT_FOUND;

	msg_fail(k, m, 0, invalid ? XOUS_ERR_BAD_ADDRESS : err);
	if (invalid)
		invalid_post(k, s, id, pid);
}

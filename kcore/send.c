/*
 * send.c - kcore's sending and queue room: a send's checks, the bounded
 * queue and its send-waiters, send-ahead slots. A section of kcore.c (one
 * translation unit).
 */
#include "kcore-internal.h"

/* Room in the queue for a message without a slot: held slots are taken room. */
static bool server_room(const struct kc_server *sv)
{
	return sv->qcount + sv->reserved < KC_QUEUE_DEPTH;
}

/* Queue room freed: the oldest send-waiters' messages move into the queue. */
static void server_refill(struct kc *k, uint32_t s)
{
	struct kc_server *sv = &k->servers[s];

	if (!proc_get(k, sv->owner))
		return; /* its owner is dying: server_die() fails them instead */
	if (k->notify == s + 1)
		notices_flush(k); /* the kernel's exit notices go first */
	while (server_room(sv) && sv->pending.head != KC_NIL) {
		uint32_t m = sv->pending.head;
		struct kc_msg *x = &k->msgs[m];

		msg_unlink(k, &sv->pending, m);
		msg_push(k, &sv->queue, m);
		sv->qcount++;
		x->state = KC_M_QUEUED;
		if (kind_blocks(x->kind)) {
			k->threads[x->caller].state = KC_T_REPLY;
		} else {
			kc_thread t = x->caller;

			x->caller = KC_NO_THREAD;
			k->threads[t].state = KC_T_RUNNING;
			reply_ok(k, t);
		}
	}
}

static void queue_take(struct kc *k, uint32_t s, uint32_t m)
{
	msg_unlink(k, &k->servers[s].queue, m);
	k->servers[s].qcount--;
}

/* ---- send-ahead slots (kcore.h: kc_send_ahead) ---- */

/*
 * t gives its slots back: it asked for new ones, it ends, or they are
 * withdrawn. The room is free again, so send-waiters may move in (refill),
 * unless the server is dying (its waiters must learn SERVER_NOT_FOUND).
 */
static void ahead_release(struct kc *k, kc_thread t, bool refill)
{
	struct kc_thread_slot *x = &k->threads[t];

	struct kc_proc *p = proc_get(k, x->pid);

	if (x->ahead == 0)
		return;
	k->servers[x->ahead_server].reserved -= x->ahead;
	if (p)
		p->ahead -= x->ahead;
	x->ahead = 0;
	if (refill)
		server_refill(k, x->ahead_server);
}

/* t's slots are taken away; the platform tells t before anyone else can. */
static void ahead_withdraw(struct kc *k, kc_thread t, bool refill)
{
	ahead_release(k, t, refill);
	if (k->ops.withdraw)
		k->ops.withdraw(k->ops.ctx, t, k->threads[t].ahead_cid);
}

/* Messages p may still send: its quota less what it has sent and its slots. */
static uint32_t msgs_room(const struct kc_proc *p)
{
	uint32_t used = p->nmsgs + p->ahead;

	return used < KC_MAX_MSGS_PER_PROC ? KC_MAX_MSGS_PER_PROC - used : 0;
}

/* Slots for t's next Scalars to s through cid: at most half the room left
 * in the queue, and no more than its process's message quota has room for. */
static kc_word ahead_grant(struct kc *k, kc_thread t, uint32_t s, kc_word cid)
{
	struct kc_server *sv = &k->servers[s];
	struct kc_thread_slot *x = &k->threads[t];
	struct kc_proc *p = proc_get(k, x->pid);
	uint32_t n = 0;

	if (KC_SEND_AHEAD > 0 && server_room(sv) && sv->pending.head == KC_NIL)
		n = (KC_QUEUE_DEPTH - sv->qcount - sv->reserved) / 2;
	if (n > KC_SEND_AHEAD)
		n = KC_SEND_AHEAD;
	if (n > msgs_room(p))
		n = msgs_room(p);
	x->ahead = n;
	x->ahead_server = s;
	x->ahead_cid = cid;
	sv->reserved += n;
	p->ahead += n;
	return n;
}

/* Every slot on server s (dying), or with pid on pid's cid, is taken away. */
static void ahead_withdraw_all(struct kc *k, uint32_t s, uint32_t pid, kc_word cid)
{
	kc_thread t;

	for (t = 0; t < KC_MAX_THREADS; t++) {
		struct kc_thread_slot *x = &k->threads[t];

		if (x->state == KC_T_FREE || x->ahead == 0)
			continue;
		if (pid ? x->pid == pid && x->ahead_cid == cid : x->ahead_server == s)
			ahead_withdraw(k, t, pid != 0);
	}
}

/* ---- syscalls: sending ---- */

/* The memory arguments of a lend or move (README: Lending arguments) from
 * t to server s (KC_NIL: none). Only a page fault may carry an address in
 * its offset (pager.c: fault_send_ok). */
static uint32_t check_mem(const struct kc *k, kc_thread t, const kc_regs *in, const kc_mem *mem,
                          uint32_t s, enum kc_send_how how)
{
	kc_word addr = in->a[4], len = in->a[5];

	if (len == 0 || (addr & KC_PAGE_MASK) || (len & KC_PAGE_MASK))
		return XOUS_ERR_BAD_ALIGNMENT;
	if (in->a[7] > len || (in->a[6] > len && !fault_send_ok(k, t, in, s, how)))
		return XOUS_ERR_INVALID_ARGUMENT;
	if (!mem)
		return XOUS_ERR_BAD_ADDRESS;
	return XOUS_OK;
}

/* A send whose caller waits for queue room. */
static bool send_waits(enum kc_send_how how)
{
	return how == KC_SEND_WAIT || how == KC_SEND_FAULT;
}

/*
 * The quotas of p for one more message of kind (a send on a slot was
 * counted when the slot was granted). A try gets SERVER_QUEUE_FULL, a
 * waiting send OUT_OF_MEMORY (kcore.h: per-process quotas).
 */
static uint32_t send_quota(const struct kc_proc *p, kc_word kind, enum kc_send_how how)
{
	bool over = how != KC_SEND_ON_SLOT && msgs_room(p) == 0;

	if (kind_is_mem((unsigned)kind) && p->nmem >= KC_MAX_MEM_MSGS_PER_PROC)
		over = true;
	if (!over)
		return XOUS_OK;
	return send_waits(how) ? XOUS_ERR_OUT_OF_MEMORY : XOUS_ERR_SERVER_QUEUE_FULL;
}

/* Every check of a send; on success *s is the server and *m a built message. */
static uint32_t send_prepare(struct kc *k, kc_thread t, const kc_regs *in, const kc_mem *mem,
                             enum kc_send_how how, uint32_t *s, uint32_t *m)
{
	uint32_t pid = k->threads[t].pid, err;
	struct kc_proc *p = proc_get(k, pid);
	kc_word kind = in->a[2];
	struct kc_msg *x;
	int i;

	if (!kind_valid(kind))
		return XOUS_ERR_INVALID_ARGUMENT;
	*s = conn_server(k, pid, in->a[1]);
	if (kind_is_mem((unsigned)kind) && (err = check_mem(k, t, in, mem, *s, how)) != XOUS_OK)
		return err;
	if (*s == KC_NIL)
		return XOUS_ERR_SERVER_NOT_FOUND;
	if ((err = send_quota(p, kind, how)) != XOUS_OK)
		return err;
	if (kind_is_mem((unsigned)kind) && in->a[5] > (kc_word)KC_MAX_LENT_BYTES - p->lent)
		return XOUS_ERR_OUT_OF_MEMORY;
	*m = msg_alloc(k);
	if (*m == KC_NIL)
		return XOUS_ERR_OUT_OF_MEMORY;
	x = &k->msgs[*m];
	x->kind = (uint8_t)kind;
	x->id = in->a[3];
	x->pid = pid;
	x->pgen = p->gen;
	x->server = *s;
	x->caller = t;
	p->nmsgs++;
	if (kind_is_mem((unsigned)kind)) {
		p->nmem++;
		x->u.mem = *mem;
		x->u.mem.addr = in->a[4];
		x->u.mem.len = in->a[5];
		x->u.mem.offset = in->a[6];
		x->u.mem.valid = in->a[7];
		p->lent += in->a[5];
	} else {
		for (i = 0; i < 4; i++)
			x->u.args[i] = in->a[4 + i];
	}
	return XOUS_OK;
}

/*
 * After a message left the sender's hands: a blocking kind waits for its
 * answer; a Scalar is told OK, with send-ahead slots; a Move is told OK.
 */
static void sent_wait_or_ok(struct kc *k, kc_thread t, uint32_t m, unsigned kind, uint32_t s,
                            const kc_regs *in)
{
	if (kind_blocks(kind)) {
		k->threads[t].state = KC_T_REPLY;
		k->threads[t].wait = m;
	} else if (kind == XOUS_KIND_SCALAR) {
		reply_tag(k, t, XOUS_RESULT_OK, ahead_grant(k, t, s, in->a[1]));
	} else {
		reply_ok(k, t);
	}
}

/*
 * A send made how (enum kc_send_how). A Scalar sent ahead gets no result
 * at all, not even a failure, and neither gives back nor gets slots; one
 * on a slot is queued even when the queue has no room left for others.
 */
static void sys_send(struct kc *k, kc_thread t, const kc_regs *in, const kc_mem *mem,
                     enum kc_send_how how)
{
	uint32_t pid = k->threads[t].pid, s = KC_NIL, m = KC_NIL, err;
	bool answered = send_waits(how) || how == KC_SEND_TRY;
	struct kc_server *sv;
	struct kc_msg *x;

	if (in->a[2] == XOUS_KIND_SCALAR && answered)
		ahead_release(k, t, true); /* a waited-for Scalar: its answer grants afresh */
	if (mem && !(kind_valid(in->a[2]) && kind_is_mem((unsigned)in->a[2]))) {
		op_mem_done(k, pid, 0, mem); /* ignored: only memory kinds carry memory */
		mem = NULL;
	}
	err = send_prepare(k, t, in, mem, how, &s, &m);
	if (err) {
		if (mem)
			op_mem_done(k, pid, 0, mem);
		if (answered)
			reply_err(k, t, err);
		if (err == XOUS_ERR_BAD_ADDRESS)
			invalid_send(k, pid, in); /* no pages: the platform could not take them */
		return;
	}
	sv = &k->servers[s];
	x = &k->msgs[m];
	if (!answered)
		x->caller = KC_NO_THREAD; /* not even a failed delivery is told */
	if (sv->receivers.head != KC_NIL) {
		kc_thread r = sv->receivers.head;
		unsigned kind = x->kind; /* deliver() frees Scalar and Move messages */

		thr_unlink(k, &sv->receivers, r);
		k->sent++;
		err = deliver(k, r, m);
		if (err) {
			thr_push_front(k, &sv->receivers, r);
			k->sent--;
			deliver_failed(k, m, err);
			return;
		}
		if (answered)
			sent_wait_or_ok(k, t, m, kind, s, in);
		return;
	}
	if (how == KC_SEND_ON_SLOT || (server_room(sv) && sv->pending.head == KC_NIL)) {
		x->state = KC_M_QUEUED;
		msg_push(k, &sv->queue, m);
		sv->qcount++;
		k->sent++;
		if (!kind_blocks(x->kind))
			x->caller = KC_NO_THREAD;
		if (answered)
			sent_wait_or_ok(k, t, m, x->kind, s, in);
		return;
	}
	if (!send_waits(how)) {
		x->caller = KC_NO_THREAD;
		msg_finish(k, m, 0, NULL);
		if (answered)
			reply_err(k, t, XOUS_ERR_SERVER_QUEUE_FULL);
		return;
	}
	x->state = KC_M_PENDING;
	msg_push(k, &sv->pending, m);
	k->sent++;
	k->threads[t].state = KC_T_SEND;
	k->threads[t].wait = m;
}

int kc_send_ahead(struct kc *k, kc_thread t, const kc_regs *in)
{
	struct kc_thread_slot *x;
	enum kc_send_how how = KC_SEND_UNANSWERED;

	if (!may_call(k, t, in))
		return -1;
	if ((in->a[0] != XOUS_SYS_SEND_MESSAGE && in->a[0] != XOUS_SYS_TRY_SEND_MESSAGE) ||
	    in->a[2] != XOUS_KIND_SCALAR)
		return -1;
	x = &k->threads[t];
	if (x->ahead > 0 && x->ahead_cid == in->a[1]) {
		x->ahead--;
		k->servers[x->ahead_server].reserved--;
		proc_get(k, x->pid)->ahead--; /* now counted as a message */
		how = KC_SEND_ON_SLOT;
	}
	sys_send(k, t, in, NULL, how);
	return 0;
}

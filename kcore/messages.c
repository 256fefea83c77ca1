/*
 * messages.c - kcore's messages and answers: message slots and sender
 * tokens, delivery to a receiver, receiving and answering. A section of
 * kcore.c (one translation unit).
 */
#include "kcore-internal.h"

/* ---- messages ---- */

/* The caller's process if it still lives (pids are reused). */
static struct kc_proc *msg_caller_proc(struct kc *k, const struct kc_msg *m)
{
	struct kc_proc *p = proc_get(k, m->pid);

	return p && p->gen == m->pgen ? p : NULL;
}

static uint32_t msg_alloc(struct kc *k)
{
	uint32_t m = k->msg_free;
	struct kc_msg *x;

	if (m == KC_NIL)
		return KC_NIL;
	x = &k->msgs[m];
	k->msg_free = x->next;
	x->gen = (uint32_t)((x->gen + 1) & KC_GEN_MASK);
	if (x->gen == 0)
		x->gen = 1;
	x->next = x->prev = KC_NIL;
	x->caller = KC_NO_THREAD;
	return m;
}

/* The slot is free again, and no longer held against its caller's quotas. */
static void msg_free(struct kc *k, uint32_t m)
{
	struct kc_msg *x = &k->msgs[m];
	struct kc_proc *p = msg_caller_proc(k, x);

	if (p) {
		p->nmsgs--;
		if (kind_is_mem(x->kind))
			p->nmem--;
	}

	x->state = KC_M_FREE;
	x->caller = KC_NO_THREAD;
	x->next = k->msg_free;
	k->msg_free = m;
}

static kc_word msg_token(const struct kc *k, uint32_t m)
{
	const struct kc_msg *x = &k->msgs[m];

	return (kc_word)m | (kc_word)x->gen << KC_SENDER_SLOT_BITS |
	       (kc_word)x->pid << KC_SENDER_PID_SHIFT;
}

/*
 * The end of a message that will not be delivered again: wake its caller
 * with r (if any caller waits), then give its memory back (server_pid 0 if
 * it was never delivered) and take it off its caller's lent bytes, and free
 * the slot. That order is kcore.h's contract: the reply comes with the
 * memory, before mem_done. The message must already be off its list.
 */
static void msg_finish(struct kc *k, uint32_t m, uint32_t server_pid, const kc_regs *r)
{
	struct kc_msg *x = &k->msgs[m];
	struct kc_proc *p = msg_caller_proc(k, x);
	const kc_mem *mem = kind_is_mem(x->kind) ? &x->u.mem : NULL;

	if (x->caller != KC_NO_THREAD && r)
		wake(k, x->caller, r, mem);
	if (mem) {
		if (p)
			p->lent -= mem->len;
		op_mem_done(k, p ? x->pid : 0, server_pid, mem);
	}
	msg_free(k, m);
}

static void msg_fail(struct kc *k, uint32_t m, uint32_t server_pid, uint32_t err)
{
	kc_regs r;

	regs_set(&r, XOUS_RESULT_ERROR);
	r.a[1] = err;
	msg_finish(k, m, server_pid, &r);
}

/* ---- delivery ---- */

/* The envelope of message m. */
static void msg_envelope(const struct kc *k, uint32_t m, kc_regs *env)
{
	const struct kc_msg *x = &k->msgs[m];
	int i;

	regs_set(env, XOUS_RESULT_MESSAGE_ENVELOPE);
	env->a[1] = msg_token(k, m);
	env->a[2] = x->kind;
	env->a[3] = x->id;
	if (kind_is_mem(x->kind)) {
		env->a[4] = 0; /* the platform writes the receiver's address */
		env->a[5] = x->u.mem.len;
		env->a[6] = x->u.mem.offset;
		env->a[7] = x->u.mem.valid;
	} else {
		for (i = 0; i < 4; i++)
			env->a[4 + i] = x->u.args[i];
	}
}

/* Message m (off its list) reached receiver t: t runs, and the message is
 * held (blocking kinds) or finished (Scalar, Move). */
static void msg_delivered(struct kc *k, kc_thread t, uint32_t m)
{
	struct kc_msg *x = &k->msgs[m];
	struct kc_server *sv = &k->servers[x->server];

	k->threads[t].state = KC_T_RUNNING;
	if (kind_blocks(x->kind)) {
		x->state = KC_M_HELD;
		msg_push(k, &sv->held, m);
	} else {
		struct kc_proc *p = msg_caller_proc(k, x);

		if (x->kind == XOUS_KIND_MOVE && p)
			p->lent -= x->u.mem.len; /* the pages are the server's now */
		msg_free(k, m);
	}
}

/*
 * Hand message m (off its list) to receiver t through the platform.
 * Returns 0 (msg_delivered) or the platform's error; the caller then
 * decides the message's fate.
 */
static uint32_t deliver(struct kc *k, kc_thread t, uint32_t m)
{
	struct kc_msg *x = &k->msgs[m];
	kc_regs env;
	uint32_t err = XOUS_ERR_INTERNAL_ERROR; /* a platform that cannot deliver */

	msg_envelope(k, m, &env);
	if (k->ops.deliver)
		err = k->ops.deliver(k->ops.ctx, t, &env, kind_is_mem(x->kind) ? &x->u.mem : NULL);
	if (err == XOUS_OK)
		msg_delivered(k, t, m);
	return err;
}

/* Receiver t (running) takes the oldest deliverable message of s, if any. */
static bool take_next(struct kc *k, kc_thread t, uint32_t s)
{
	struct kc_server *sv = &k->servers[s];

	while (sv->queue.head != KC_NIL) {
		uint32_t m = sv->queue.head, err;

		queue_take(k, s, m);
		server_refill(k, s);
		err = deliver(k, t, m);
		if (err == XOUS_OK)
			return true;
		deliver_failed(k, m, err);
	}
	return false;
}

/* ---- syscalls: receiving and answering ---- */

static void sys_receive(struct kc *k, kc_thread t, const kc_word *sidw, bool try)
{
	uint32_t s, err = owned_server(k, k->threads[t].pid, sidw, &s);

	if (err) {
		reply_err(k, t, err);
		return;
	}
	if (notify_take(k, t, s) || take_next(k, t, s))
		return;
	if (try) {
		reply_tag(k, t, XOUS_RESULT_NONE, 0);
		return;
	}
	k->threads[t].state = KC_T_RECV;
	k->threads[t].wait = s;
	thr_push(k, &k->servers[s].receivers, t);
}

/* Scalars and BlockingScalars may be taken together (kc_receive_many):
 * they need no pages mapped, so the platform can pack them. */
static bool batchable(const struct kc *k, uint32_t m)
{
	return m != KC_NIL && !kind_is_mem(k->msgs[m].kind);
}

int kc_receive_many(struct kc *k, kc_thread t, const kc_regs *in, kc_regs env[KC_RECEIVE_MANY],
                    uint32_t *n)
{
	kc_word max;
	uint32_t s, m;

	*n = 0;
	if (!may_call(k, t, in) || in->a[0] != XOUS_SYS_RECEIVE_MANY)
		return -1;
	max = in->a[5] == 0 || in->a[5] > KC_RECEIVE_MANY ? KC_RECEIVE_MANY : in->a[5];
	if (owned_server(k, k->threads[t].pid, &in->a[1], &s) == XOUS_OK && !notify_due(k, s)) {
		while (*n < max && batchable(k, m = k->servers[s].queue.head)) {
			queue_take(k, s, m);
			server_refill(k, s);
			msg_envelope(k, m, &env[*n]);
			msg_delivered(k, t, m);
			(*n)++;
		}
	}
	if (*n == 0) /* nothing batchable came: exactly ReceiveMessage */
		sys_receive(k, t, &in->a[1], false);
	return 0;
}

/* The held message named by token, answerable by pid; else an error. */
static uint32_t held_msg(struct kc *k, uint32_t pid, kc_word token, uint32_t *m)
{
	uint32_t slot, gen, tpid;
	struct kc_msg *x;

	if (token == 0 || (token & ~(kc_word)KC_TOKEN_BITS))
		return XOUS_ERR_INVALID_ARGUMENT;
	slot = (uint32_t)(token & KC_SLOT_MASK);
	gen = (uint32_t)((token >> KC_SENDER_SLOT_BITS) & KC_GEN_MASK);
	tpid = (uint32_t)((token >> KC_SENDER_PID_SHIFT) & KC_PID_MASK);
	if (slot >= KC_MAX_MSGS || gen == 0 || tpid == 0 || tpid > KC_MAX_PROCS)
		return XOUS_ERR_INVALID_ARGUMENT;
	x = &k->msgs[slot];
	if (x->state == KC_M_FREE || x->gen != gen)
		return XOUS_ERR_DOUBLE_FREE;
	if (x->pid != tpid)
		return XOUS_ERR_INVALID_ARGUMENT;
	if ((x->state != KC_M_HELD && x->state != KC_M_ORPHAN) ||
	    k->servers[x->server].owner != pid)
		return XOUS_ERR_ACCESS_DENIED;
	*m = slot;
	return XOUS_OK;
}

/* The caller's result for an answer `how` with values v (offset, valid and
 * a refusal's error for memory). */
static void answer_regs(const struct kc_msg *x, enum kc_answer how, const kc_word v[5], kc_regs *r)
{
	int i;

	if (how == KC_ANS_MEM && v[2] != 0) { /* refused: the server could not take it */
		regs_set(r, XOUS_RESULT_ERROR);
		r->a[1] = v[2];
		return;
	}
	if (how == KC_ANS_MEM && x->kind == XOUS_KIND_BLOCKING_SCALAR) {
		regs_set(r, XOUS_RESULT_ERROR); /* the "dropped unanswered" answer */
		r->a[1] = XOUS_ERR_UNAVAILABLE;
		return;
	}
	if (how == KC_ANS_MEM) {
		regs_set(r, XOUS_RESULT_MEMORY_RETURNED);
		r->a[1] = x->u.mem.offset;
		r->a[2] = x->u.mem.valid;
		return;
	}
	regs_set(r, how == KC_ANS_S1   ? XOUS_RESULT_SCALAR1
	            : how == KC_ANS_S2 ? XOUS_RESULT_SCALAR2
	                               : XOUS_RESULT_SCALAR5);
	for (i = 0; i < (how == KC_ANS_S1 ? 1 : how == KC_ANS_S2 ? 2 : 5); i++)
		r->a[1 + i] = v[i];
}

/* Answer a held message as process pid. Returns 0 or the answerer's error. */
static uint32_t answer(struct kc *k, uint32_t pid, kc_word token, enum kc_answer how,
                       const kc_word v[5])
{
	uint32_t m = KC_NIL, err = held_msg(k, pid, token, &m);
	struct kc_msg *x;
	kc_regs r;

	if (err)
		return err;
	x = &k->msgs[m];
	if ((how != KC_ANS_MEM && kind_is_mem(x->kind)) ||
	    (how == KC_ANS_MEM && v[2] > XOUS_ERR_MAX))
		return XOUS_ERR_INVALID_ARGUMENT; /* stays held */
	if (how == KC_ANS_MEM && kind_is_mem(x->kind)) {
		x->u.mem.offset = v[0]; /* two free words, unchanged (promise 4) */
		x->u.mem.valid = v[1];
	}
	answer_regs(x, how, v, &r);
	msg_unlink(k, &k->servers[x->server].held, m);
	k->answered++;
	msg_finish(k, m, pid, &r);
	return XOUS_OK;
}

static void sys_return(struct kc *k, kc_thread t, const kc_regs *in, enum kc_answer how)
{
	kc_word v[5];
	uint32_t err;
	int i;

	if (how == KC_ANS_MEM) {
		v[0] = in->a[4];
		v[1] = in->a[5];
		v[2] = in->a[6]; /* 0, or an error the caller gets instead (a refusal) */
	} else {
		for (i = 0; i < 5; i++)
			v[i] = in->a[2 + i];
	}
	err = answer(k, k->threads[t].pid, in->a[1], how, v);
	if (err) {
		reply_err(k, t, err);
		return;
	}
	reply_ok(k, t);
}

static void sys_reply_and_receive(struct kc *k, kc_thread t, const kc_regs *in)
{
	kc_word token = in->a[5], v[5] = {in->a[6], in->a[7], 0, 0, 0};
	uint32_t err;

	if (token != 0) {
		enum kc_answer how = KC_ANS_MEM;

		if (token & KC_SENDER_SCALAR_ANSWER) {
			how = token & KC_SENDER_SCALAR1_ANSWER ? KC_ANS_S1 : KC_ANS_S2;
			token &= ~(KC_SENDER_SCALAR_ANSWER | KC_SENDER_SCALAR1_ANSWER);
		}
		err = answer(k, k->threads[t].pid, token, how, v);
		if (err) {
			reply_err(k, t, err);
			return;
		}
	}
	sys_receive(k, t, &in->a[1], false);
}

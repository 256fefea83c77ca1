/*
 * kcore.c - the portable message-passing semantics (see kcore.h and
 * docs/abi.md, which decide every behaviour implemented here).
 *
 * Freestanding: no libc, no allocation, no OS calls, no 64-bit division.
 * Every result leaves through k->ops; callbacks never re-enter kcore.
 *
 * Invariants kept throughout:
 * - a message is in exactly one list while in use: its server's queue
 *   (QUEUED), pending list (PENDING) or held list (HELD, ORPHAN);
 * - a server's pending list is non-empty only while its queue is full, and
 *   receivers wait only while its queue is empty;
 * - a blocked thread waits on exactly one thing (its state says which), and
 *   only Scalar/Move messages live without a caller thread before delivery.
 */
#include "kcore.h"

#define KC_PAGE_MASK ((kc_word)XOUS_PAGE_SIZE - 1)
#define KC_SLOT_MASK (((kc_word)1 << KC_SENDER_SLOT_BITS) - 1)
#define KC_GEN_MASK  (((kc_word)1 << KC_SENDER_GEN_BITS) - 1)
#define KC_PID_MASK  (((kc_word)1 << KC_SENDER_PID_BITS) - 1)
#define KC_TOKEN_BITS                                                                              \
	(KC_SLOT_MASK | (KC_GEN_MASK << KC_SENDER_SLOT_BITS) | (KC_PID_MASK << KC_SENDER_PID_SHIFT))

/* How a held message is answered. */
enum kc_answer { KC_ANS_S1, KC_ANS_S2, KC_ANS_S5, KC_ANS_MEM };

/* ---- small freestanding helpers ---- */

/*
 * GCC turns this loop into a memset call, which every GCC target, even a
 * freestanding one, must provide (both kernels do). kc_init zeroes 5.9 MB
 * with the host limits: byte by byte that was 31 M instructions, nearly all
 * of the broker's start-up.
 */
static void kc_zero(void *p, size_t n)
{
	unsigned char *c = p;

	while (n--)
		*c++ = 0;
}

static void regs_set(kc_regs *r, kc_word tag)
{
	int i;

	for (i = 0; i < 8; i++)
		r->a[i] = 0;
	r->a[0] = tag;
}

static bool kind_valid(kc_word kind)
{
	return kind >= XOUS_KIND_MUTABLE_BORROW && kind <= XOUS_KIND_BLOCKING_SCALAR;
}

static bool kind_is_mem(unsigned kind)
{
	return kind == XOUS_KIND_MUTABLE_BORROW || kind == XOUS_KIND_BORROW ||
	       kind == XOUS_KIND_MOVE;
}

static bool kind_blocks(unsigned kind)
{
	return kind == XOUS_KIND_MUTABLE_BORROW || kind == XOUS_KIND_BORROW ||
	       kind == XOUS_KIND_BLOCKING_SCALAR;
}

static bool sid_eq(const uint32_t a[4], const uint32_t b[4])
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

static void sid_from_regs(uint32_t sid[4], const kc_word *w)
{
	int i;

	for (i = 0; i < 4; i++)
		sid[i] = (uint32_t)w[i];
}

/* A well-known name's sid: 16 ASCII bytes as four little-endian words. */
static void sid_from_name(uint32_t sid[4], const char *name)
{
	int i;

	for (i = 0; i < 4; i++)
		sid[i] = (uint32_t)(unsigned char)name[4 * i] |
		         (uint32_t)(unsigned char)name[4 * i + 1] << 8 |
		         (uint32_t)(unsigned char)name[4 * i + 2] << 16 |
		         (uint32_t)(unsigned char)name[4 * i + 3] << 24;
}

static uint32_t sid_bucket(const uint32_t sid[4])
{
	uint32_t h = sid[0] * 0x9e3779b1u;

	h ^= sid[1] + (h << 6) + (h >> 2);
	h ^= sid[2] + (h << 6) + (h >> 2);
	h ^= sid[3] + (h << 6) + (h >> 2);
	return h % (uint32_t)KC_MAX_SERVERS;
}

/* ---- platform calls ---- */

static void op_reply(struct kc *k, kc_thread t, const kc_regs *r)
{
	if (k->ops.reply && t != k->quiet)
		k->ops.reply(k->ops.ctx, t, r);
}

static void op_mem_done(struct kc *k, uint32_t caller_pid, uint32_t server_pid, const kc_mem *m)
{
	if (k->ops.mem_done)
		k->ops.mem_done(k->ops.ctx, caller_pid, server_pid, m);
}

static void reply_tag(struct kc *k, kc_thread t, kc_word tag, kc_word a1)
{
	kc_regs r;

	regs_set(&r, tag);
	r.a[1] = a1;
	op_reply(k, t, &r);
}

static void reply_err(struct kc *k, kc_thread t, uint32_t err)
{
	reply_tag(k, t, XOUS_RESULT_ERROR, err);
}

static void reply_ok(struct kc *k, kc_thread t)
{
	reply_tag(k, t, XOUS_RESULT_OK, 0);
}

/* Unblock t and give it r. */
static void wake(struct kc *k, kc_thread t, const kc_regs *r)
{
	k->threads[t].state = KC_T_RUNNING;
	op_reply(k, t, r);
}

static void wake_err(struct kc *k, kc_thread t, uint32_t err)
{
	kc_regs r;

	regs_set(&r, XOUS_RESULT_ERROR);
	r.a[1] = err;
	wake(k, t, &r);
}

/* ---- lists ---- */

static void list_init(struct kc_list *l)
{
	l->head = l->tail = KC_NIL;
}

static void msg_push(struct kc *k, struct kc_list *l, uint32_t m)
{
	k->msgs[m].next = KC_NIL;
	k->msgs[m].prev = l->tail;
	if (l->tail == KC_NIL)
		l->head = m;
	else
		k->msgs[l->tail].next = m;
	l->tail = m;
}

static void msg_unlink(struct kc *k, struct kc_list *l, uint32_t m)
{
	struct kc_msg *x = &k->msgs[m];

	if (x->prev == KC_NIL)
		l->head = x->next;
	else
		k->msgs[x->prev].next = x->next;
	if (x->next == KC_NIL)
		l->tail = x->prev;
	else
		k->msgs[x->next].prev = x->prev;
	x->next = x->prev = KC_NIL;
}

static void thr_push(struct kc *k, struct kc_list *l, kc_thread t)
{
	k->threads[t].next = KC_NIL;
	k->threads[t].prev = l->tail;
	if (l->tail == KC_NIL)
		l->head = t;
	else
		k->threads[l->tail].next = t;
	l->tail = t;
}

/* Put t back at the head (a receiver whose delivery failed keeps its turn). */
static void thr_push_front(struct kc *k, struct kc_list *l, kc_thread t)
{
	k->threads[t].prev = KC_NIL;
	k->threads[t].next = l->head;
	if (l->head == KC_NIL)
		l->tail = t;
	else
		k->threads[l->head].prev = t;
	l->head = t;
}

static void thr_unlink(struct kc *k, struct kc_list *l, kc_thread t)
{
	struct kc_thread_slot *x = &k->threads[t];

	if (x->prev == KC_NIL)
		l->head = x->next;
	else
		k->threads[x->prev].next = x->next;
	if (x->next == KC_NIL)
		l->tail = x->prev;
	else
		k->threads[x->next].prev = x->prev;
	x->next = x->prev = KC_NIL;
}

/* ---- processes ---- */

static struct kc_proc *proc_get(struct kc *k, uint32_t pid)
{
	if (pid == 0 || pid > KC_MAX_PROCS || !k->procs[pid - 1].alive)
		return NULL;
	return &k->procs[pid - 1];
}

static bool thread_live(const struct kc *k, kc_thread t)
{
	return t < KC_MAX_THREADS && k->threads[t].state != KC_T_FREE &&
	       k->threads[t].state != KC_T_ZOMBIE;
}

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

static void msg_free(struct kc *k, uint32_t m)
{
	struct kc_msg *x = &k->msgs[m];

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
 * The end of a message that will not be delivered again: give its memory
 * back (server_pid 0 if it was never delivered), take it off its caller's
 * lent bytes, wake its caller with r (if any caller waits) and free the slot.
 * The message must already be off its list.
 */
static void msg_finish(struct kc *k, uint32_t m, uint32_t server_pid, const kc_regs *r)
{
	struct kc_msg *x = &k->msgs[m];
	struct kc_proc *p = msg_caller_proc(k, x);

	if (kind_is_mem(x->kind)) {
		if (p)
			p->lent -= x->u.mem.len;
		op_mem_done(k, p ? x->pid : 0, server_pid, &x->u.mem);
	}
	if (x->caller != KC_NO_THREAD && r)
		wake(k, x->caller, r);
	msg_free(k, m);
}

static void msg_fail(struct kc *k, uint32_t m, uint32_t server_pid, uint32_t err)
{
	kc_regs r;

	regs_set(&r, XOUS_RESULT_ERROR);
	r.a[1] = err;
	msg_finish(k, m, server_pid, &r);
}

/* ---- servers ---- */

static uint32_t server_find(const struct kc *k, const uint32_t sid[4])
{
	uint32_t s = k->sid_hash[sid_bucket(sid)];

	while (s != KC_NIL && !sid_eq(k->servers[s].sid, sid))
		s = k->servers[s].hnext;
	return s;
}

static void server_unhash(struct kc *k, uint32_t s)
{
	uint32_t *link = &k->sid_hash[sid_bucket(k->servers[s].sid)];

	while (*link != s)
		link = &k->servers[*link].hnext;
	*link = k->servers[s].hnext;
}

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

/* Fail every message of list l with SERVER_NOT_FOUND. */
static void list_fail(struct kc *k, struct kc_list *l, uint32_t server_pid)
{
	while (l->head != KC_NIL) {
		uint32_t m = l->head;

		msg_unlink(k, l, m);
		msg_fail(k, m, server_pid, XOUS_ERR_SERVER_NOT_FOUND);
	}
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

	if (x->ahead == 0)
		return;
	k->servers[x->ahead_server].reserved -= x->ahead;
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

/* Slots for t's next Scalars to s through cid: at most half the room left. */
static kc_word ahead_grant(struct kc *k, kc_thread t, uint32_t s, kc_word cid)
{
	struct kc_server *sv = &k->servers[s];
	struct kc_thread_slot *x = &k->threads[t];
	uint32_t n = 0;

	if (KC_SEND_AHEAD > 0 && server_room(sv) && sv->pending.head == KC_NIL)
		n = (KC_QUEUE_DEPTH - sv->qcount - sv->reserved) / 2;
	if (n > KC_SEND_AHEAD)
		n = KC_SEND_AHEAD;
	x->ahead = n;
	x->ahead_server = s;
	x->ahead_cid = cid;
	sv->reserved += n;
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

/* The server ends: everyone waiting on it learns SERVER_NOT_FOUND. */
static void server_die(struct kc *k, uint32_t s)
{
	struct kc_server *sv = &k->servers[s];

	if (sv->reserved)
		ahead_withdraw_all(k, s, 0, 0);
	while (sv->receivers.head != KC_NIL) {
		kc_thread t = sv->receivers.head;

		thr_unlink(k, &sv->receivers, t);
		wake_err(k, t, XOUS_ERR_SERVER_NOT_FOUND);
	}
	list_fail(k, &sv->queue, 0);
	sv->qcount = 0;
	list_fail(k, &sv->pending, 0);
	list_fail(k, &sv->held, sv->owner);
	server_unhash(k, s);
	sv->alive = 0;
}

/* ---- connections ---- */

/* The cid of pid's connection to server s, made if needed. */
static uint32_t conn_get(struct kc *k, uint32_t pid, uint32_t s, uint32_t *cid)
{
	struct kc_proc *p = proc_get(k, pid);
	uint32_t i, free_cid = 0;

	if (!p)
		return XOUS_ERR_PROCESS_NOT_FOUND;
	for (i = 0; i < KC_MAX_CONNS; i++) {
		struct kc_conn *c = &p->conns[i];

		if (c->server == s + 1 && c->gen == k->servers[s].gen) {
			*cid = i + 1;
			return XOUS_OK;
		}
		if (c->server == 0 && free_cid == 0)
			free_cid = i + 1;
	}
	if (free_cid == 0)
		return XOUS_ERR_OUT_OF_MEMORY;
	p->conns[free_cid - 1].server = s + 1;
	p->conns[free_cid - 1].gen = k->servers[s].gen;
	*cid = free_cid;
	return XOUS_OK;
}

/* The live server behind pid's cid, or KC_NIL. */
static uint32_t conn_server(struct kc *k, uint32_t pid, kc_word cid)
{
	struct kc_proc *p = proc_get(k, pid);
	struct kc_conn *c;

	if (!p || cid == 0 || cid > KC_MAX_CONNS)
		return KC_NIL;
	c = &p->conns[cid - 1];
	if (c->server == 0 || !k->servers[c->server - 1].alive ||
	    k->servers[c->server - 1].gen != c->gen)
		return KC_NIL;
	return c->server - 1;
}

static void reply_conn(struct kc *k, kc_thread t, uint32_t err, uint32_t cid)
{
	if (err)
		wake_err(k, t, err);
	else {
		kc_regs r;

		regs_set(&r, XOUS_RESULT_CONNECTION_ID);
		r.a[1] = cid;
		wake(k, t, &r);
	}
}

/* A server with this sid now exists: every thread waiting to connect gets a cid. */
static void wake_connectors(struct kc *k, uint32_t s)
{
	kc_thread t;

	for (t = 0; t < KC_MAX_THREADS; t++) {
		struct kc_thread_slot *x = &k->threads[t];
		uint32_t cid = 0, err;

		if (x->state != KC_T_CONNECT || !sid_eq(x->sid, k->servers[s].sid))
			continue;
		err = conn_get(k, x->pid, s, &cid);
		reply_conn(k, t, err, cid);
	}
}

/* ---- threads ---- */

static bool tid_taken(const struct kc_proc *p, uint32_t tid)
{
	return (p->tids[tid / 32] >> (tid % 32)) & 1u;
}

static void tid_set(struct kc_proc *p, uint32_t tid, bool on)
{
	if (on)
		p->tids[tid / 32] |= 1u << (tid % 32);
	else
		p->tids[tid / 32] &= ~(1u << (tid % 32));
}

static void thread_free(struct kc *k, kc_thread t)
{
	struct kc_thread_slot *x = &k->threads[t];
	struct kc_proc *p = proc_get(k, x->pid);

	ahead_release(k, t, true);
	if (p) {
		tid_set(p, x->tid, false);
		p->nthreads--;
	}
	kc_zero(x, sizeof(*x));
	x->state = KC_T_FREE;
}

/*
 * t stops waiting because it ends: what it waited on forgets it. A message
 * not yet received is dropped; a received one becomes an orphan whose
 * answer will succeed quietly.
 */
static void thread_abandon(struct kc *k, kc_thread t)
{
	struct kc_thread_slot *x = &k->threads[t];
	struct kc_msg *m = x->wait < KC_MAX_MSGS ? &k->msgs[x->wait] : NULL;

	switch (x->state) {
	case KC_T_RECV:
		thr_unlink(k, &k->servers[x->wait].receivers, t);
		break;
	case KC_T_REPLY:
		m->caller = KC_NO_THREAD;
		if (m->state == KC_M_QUEUED) {
			queue_take(k, m->server, x->wait);
			msg_finish(k, x->wait, 0, NULL);
			server_refill(k, m->server);
		} else {
			m->state = KC_M_ORPHAN;
		}
		break;
	case KC_T_SEND:
		m->caller = KC_NO_THREAD;
		msg_unlink(k, &k->servers[m->server].pending, x->wait);
		msg_finish(k, x->wait, 0, NULL);
		break;
	default:
		break;
	}
	x->state = KC_T_RUNNING;
}

static kc_thread thread_find_tid(const struct kc *k, uint32_t pid, uint32_t tid)
{
	kc_thread t;

	for (t = 0; t < KC_MAX_THREADS; t++)
		if (k->threads[t].state != KC_T_FREE && k->threads[t].pid == pid &&
		    k->threads[t].tid == tid)
			return t;
	return KC_NO_THREAD;
}

static kc_thread joiner_of(const struct kc *k, uint32_t pid, uint32_t tid)
{
	kc_thread t;

	for (t = 0; t < KC_MAX_THREADS; t++)
		if (k->threads[t].state == KC_T_JOIN && k->threads[t].pid == pid &&
		    k->threads[t].wait == tid)
			return t;
	return KC_NO_THREAD;
}

/* ---- delivery ---- */

/*
 * Hand message m (off its list) to receiver t. On success the receiver runs
 * and the message is held (blocking kinds) or finished (Scalar, Move).
 * Returns 0 or the platform's error; the caller then decides the message's fate.
 */
static uint32_t deliver(struct kc *k, kc_thread t, uint32_t m)
{
	struct kc_msg *x = &k->msgs[m];
	struct kc_server *sv = &k->servers[x->server];
	const kc_mem *mem;
	kc_regs env;
	uint32_t err;
	int i;

	regs_set(&env, XOUS_RESULT_MESSAGE_ENVELOPE);
	env.a[1] = msg_token(k, m);
	env.a[2] = x->kind;
	env.a[3] = x->id;
	if (kind_is_mem(x->kind)) {
		env.a[4] = 0; /* the platform writes the receiver's address */
		env.a[5] = x->u.mem.len;
		env.a[6] = x->u.mem.offset;
		env.a[7] = x->u.mem.valid;
	} else {
		for (i = 0; i < 4; i++)
			env.a[4 + i] = x->u.args[i];
	}
	mem = kind_is_mem(x->kind) ? &x->u.mem : NULL;
	err = XOUS_ERR_INTERNAL_ERROR; /* a platform that cannot deliver */
	if (k->ops.deliver)
		err = k->ops.deliver(k->ops.ctx, t, &env, mem);
	if (err)
		return err;
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
	return XOUS_OK;
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
		msg_fail(k, m, 0, err);
	}
	return false;
}

/* ---- syscalls: servers and connections ---- */

static uint32_t server_alloc(struct kc *k)
{
	uint32_t s;

	for (s = 0; s < KC_MAX_SERVERS; s++)
		if (!k->servers[s].alive)
			return s;
	return KC_NIL;
}

static void sys_create_server(struct kc *k, kc_thread t, const uint32_t sid[4])
{
	uint32_t pid = k->threads[t].pid, s, b, cid = 0, err, i;
	struct kc_server *sv;
	kc_regs r;

	if (server_find(k, sid) != KC_NIL) {
		reply_err(k, t, XOUS_ERR_SERVER_EXISTS);
		return;
	}
	s = server_alloc(k);
	if (s == KC_NIL) {
		reply_err(k, t, XOUS_ERR_OUT_OF_MEMORY);
		return;
	}
	sv = &k->servers[s];
	sv->alive = 1;
	sv->owner = pid;
	sv->gen++;
	if (sv->gen == 0)
		sv->gen = 1;
	for (i = 0; i < 4; i++)
		sv->sid[i] = sid[i];
	sv->qcount = 0;
	list_init(&sv->queue);
	list_init(&sv->pending);
	list_init(&sv->held);
	list_init(&sv->receivers);
	b = sid_bucket(sid);
	sv->hnext = k->sid_hash[b];
	k->sid_hash[b] = s;
	err = conn_get(k, pid, s, &cid);
	if (err) {
		server_unhash(k, s);
		sv->alive = 0;
		reply_err(k, t, err);
		return;
	}
	regs_set(&r, XOUS_RESULT_NEW_SERVER_ID);
	for (i = 0; i < 4; i++)
		r.a[1 + i] = sid[i];
	r.a[5] = cid;
	op_reply(k, t, &r);
	wake_connectors(k, s);
}

static bool random_sid(struct kc *k, uint32_t sid[4])
{
	int tries;

	for (tries = 0; tries < 16; tries++) {
		sid[0] = sid[1] = sid[2] = sid[3] = 0;
		if (k->ops.random_sid)
			k->ops.random_sid(k->ops.ctx, sid);
		if ((sid[0] | sid[1] | sid[2] | sid[3]) != 0 && server_find(k, sid) == KC_NIL)
			return true;
	}
	return false;
}

static void sys_create_random(struct kc *k, kc_thread t, bool make)
{
	uint32_t sid[4];
	kc_regs r;
	int i;

	if (!random_sid(k, sid)) {
		reply_err(k, t, XOUS_ERR_INTERNAL_ERROR);
		return;
	}
	if (make) {
		sys_create_server(k, t, sid);
		return;
	}
	regs_set(&r, XOUS_RESULT_SERVER_ID);
	for (i = 0; i < 4; i++)
		r.a[1 + i] = sid[i];
	op_reply(k, t, &r);
}

/* The server s named by sid if pid owns it; else an error. */
static uint32_t owned_server(struct kc *k, uint32_t pid, const kc_word *w, uint32_t *s)
{
	uint32_t sid[4];

	sid_from_regs(sid, w);
	*s = server_find(k, sid);
	if (*s == KC_NIL)
		return XOUS_ERR_SERVER_NOT_FOUND;
	if (k->servers[*s].owner != pid)
		return XOUS_ERR_ACCESS_DENIED;
	return XOUS_OK;
}

static void sys_destroy_server(struct kc *k, kc_thread t, const kc_regs *in)
{
	uint32_t s, err = owned_server(k, k->threads[t].pid, &in->a[1], &s);

	if (err) {
		reply_err(k, t, err);
		return;
	}
	server_die(k, s);
	reply_ok(k, t);
}

static void sys_connect(struct kc *k, kc_thread t, const kc_regs *in, bool try)
{
	struct kc_thread_slot *x = &k->threads[t];
	uint32_t sid[4], s, cid = 0, err;

	sid_from_regs(sid, &in->a[1]);
	s = server_find(k, sid);
	if (s != KC_NIL) {
		err = conn_get(k, x->pid, s, &cid);
		reply_conn(k, t, err, cid);
		return;
	}
	if (try) {
		reply_err(k, t, XOUS_ERR_SERVER_NOT_FOUND);
		return;
	}
	sid_from_regs(x->sid, &in->a[1]);
	x->state = KC_T_CONNECT;
}

static void sys_connect_for(struct kc *k, kc_thread t, const kc_regs *in)
{
	uint32_t ns_sid[4], sid[4], ns, s, cid = 0, err;

	sid_from_name(ns_sid, XOUS_NAME_NAMES);
	ns = server_find(k, ns_sid);
	if (ns == KC_NIL || k->servers[ns].owner != k->threads[t].pid) {
		reply_err(k, t, XOUS_ERR_ACCESS_DENIED);
		return;
	}
	/* pid 1 is the kernel: it never sends, and its cids would never be freed */
	if (in->a[1] <= 1 || in->a[1] > KC_MAX_PROCS || !proc_get(k, (uint32_t)in->a[1])) {
		reply_err(k, t, XOUS_ERR_PROCESS_NOT_FOUND);
		return;
	}
	sid_from_regs(sid, &in->a[2]);
	s = server_find(k, sid);
	if (s == KC_NIL) {
		reply_err(k, t, XOUS_ERR_SERVER_NOT_FOUND);
		return;
	}
	err = conn_get(k, (uint32_t)in->a[1], s, &cid);
	reply_conn(k, t, err, cid);
}

static void sys_disconnect(struct kc *k, kc_thread t, kc_word cid)
{
	struct kc_proc *p = proc_get(k, k->threads[t].pid);

	if (!p || cid == 0 || cid > KC_MAX_CONNS || p->conns[cid - 1].server == 0) {
		reply_err(k, t, XOUS_ERR_SERVER_NOT_FOUND);
		return;
	}
	p->conns[cid - 1].server = 0;
	p->conns[cid - 1].gen = 0;
	ahead_withdraw_all(k, KC_NIL, k->threads[t].pid, cid);
	reply_ok(k, t);
}

/* ---- syscalls: sending ---- */

/* The memory arguments of a lend or move (README: Lending arguments). */
static uint32_t check_mem(const kc_regs *in, const kc_mem *mem)
{
	kc_word addr = in->a[4], len = in->a[5];

	if (len == 0 || (addr & KC_PAGE_MASK) || (len & KC_PAGE_MASK))
		return XOUS_ERR_BAD_ALIGNMENT;
	if (in->a[6] > len || in->a[7] > len)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (!mem)
		return XOUS_ERR_BAD_ADDRESS;
	return XOUS_OK;
}

/* Every check of a send; on success *s is the server and *m a built message. */
static uint32_t send_prepare(struct kc *k, kc_thread t, const kc_regs *in, const kc_mem *mem,
                             uint32_t *s, uint32_t *m)
{
	uint32_t pid = k->threads[t].pid, err;
	struct kc_proc *p = proc_get(k, pid);
	kc_word kind = in->a[2];
	struct kc_msg *x;
	int i;

	if (!kind_valid(kind))
		return XOUS_ERR_INVALID_ARGUMENT;
	if (kind_is_mem((unsigned)kind) && (err = check_mem(in, mem)) != XOUS_OK)
		return err;
	*s = conn_server(k, pid, in->a[1]);
	if (*s == KC_NIL)
		return XOUS_ERR_SERVER_NOT_FOUND;
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
	if (kind_is_mem((unsigned)kind)) {
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
 * answer; a Scalar is told OK, with send-ahead slots if it waits for that.
 */
static void sent_wait_or_ok(struct kc *k, kc_thread t, uint32_t m, unsigned kind, uint32_t s,
                            const kc_regs *in)
{
	if (kind_blocks(kind)) {
		k->threads[t].state = KC_T_REPLY;
		k->threads[t].wait = m;
	} else if (kind == XOUS_KIND_SCALAR && t != k->quiet) {
		reply_tag(k, t, XOUS_RESULT_OK, ahead_grant(k, t, s, in->a[1]));
	} else {
		reply_ok(k, t);
	}
}

/* slot: a Scalar sent ahead on one of t's slots, whose queue room is kept.
 * A Scalar sent ahead (t is k->quiet) neither gives back nor gets slots. */
static void sys_send(struct kc *k, kc_thread t, const kc_regs *in, const kc_mem *mem, bool try,
                     bool slot)
{
	uint32_t pid = k->threads[t].pid, s = KC_NIL, m = KC_NIL, err;
	struct kc_server *sv;
	struct kc_msg *x;

	if (in->a[2] == XOUS_KIND_SCALAR && t != k->quiet)
		ahead_release(k, t, true); /* a waited-for Scalar: its answer grants afresh */
	if (mem && !(kind_valid(in->a[2]) && kind_is_mem((unsigned)in->a[2]))) {
		op_mem_done(k, pid, 0, mem); /* ignored: only memory kinds carry memory */
		mem = NULL;
	}
	err = send_prepare(k, t, in, mem, &s, &m);
	if (err) {
		if (mem)
			op_mem_done(k, pid, 0, mem);
		reply_err(k, t, err);
		return;
	}
	sv = &k->servers[s];
	x = &k->msgs[m];
	if (sv->receivers.head != KC_NIL) {
		kc_thread r = sv->receivers.head;
		unsigned kind = x->kind; /* deliver() frees Scalar and Move messages */

		thr_unlink(k, &sv->receivers, r);
		k->sent++;
		err = deliver(k, r, m);
		if (err) {
			thr_push_front(k, &sv->receivers, r);
			k->sent--;
			msg_fail(k, m, 0, err);
			return;
		}
		sent_wait_or_ok(k, t, m, kind, s, in);
		return;
	}
	if (slot || (server_room(sv) && sv->pending.head == KC_NIL)) {
		x->state = KC_M_QUEUED;
		msg_push(k, &sv->queue, m);
		sv->qcount++;
		k->sent++;
		if (!kind_blocks(x->kind))
			x->caller = KC_NO_THREAD;
		sent_wait_or_ok(k, t, m, x->kind, s, in);
		return;
	}
	if (try) {
		x->caller = KC_NO_THREAD;
		msg_finish(k, m, 0, NULL);
		reply_err(k, t, XOUS_ERR_SERVER_QUEUE_FULL);
		return;
	}
	x->state = KC_M_PENDING;
	msg_push(k, &sv->pending, m);
	k->sent++;
	k->threads[t].state = KC_T_SEND;
	k->threads[t].wait = m;
}

/* ---- syscalls: receiving and answering ---- */

static void sys_receive(struct kc *k, kc_thread t, const kc_word *sidw, bool try)
{
	uint32_t s, err = owned_server(k, k->threads[t].pid, sidw, &s);

	if (err) {
		reply_err(k, t, err);
		return;
	}
	if (take_next(k, t, s))
		return;
	if (try) {
		reply_tag(k, t, XOUS_RESULT_NONE, 0);
		return;
	}
	k->threads[t].state = KC_T_RECV;
	k->threads[t].wait = s;
	thr_push(k, &k->servers[s].receivers, t);
}

/* Scalars and BlockingScalars may follow the first envelope of a
 * ReceiveMany: they need no pages mapped, so the platform can pack them. */
static bool batchable(const struct kc *k, uint32_t m)
{
	return m != KC_NIL && !kind_is_mem(k->msgs[m].kind);
}

/*
 * ReceiveMany: a receive, and if its first message came at once and needs
 * no pages, the batchable messages queued right behind it too (each one
 * delivered to t as ReceiveMessage would). A thread that waits gets one.
 */
static void sys_receive_many(struct kc *k, kc_thread t, const kc_regs *in)
{
	kc_word max = in->a[5] == 0 || in->a[5] > KC_RECEIVE_MANY ? KC_RECEIVE_MANY : in->a[5];
	uint32_t s, m, n = 0;

	if (owned_server(k, k->threads[t].pid, &in->a[1], &s) == XOUS_OK) {
		while (n < max && batchable(k, m = k->servers[s].queue.head)) {
			uint32_t err;

			queue_take(k, s, m);
			server_refill(k, s);
			err = deliver(k, t, m);
			if (err)
				msg_fail(k, m, 0, err);
			else
				n++;
		}
	}
	if (n == 0) /* nothing batchable came: exactly ReceiveMessage */
		sys_receive(k, t, &in->a[1], false);
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

/* The caller's result for an answer `how` with values v (offset, valid for memory). */
static void answer_regs(const struct kc_msg *x, enum kc_answer how, const kc_word v[5], kc_regs *r)
{
	int i;

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
	if (how != KC_ANS_MEM && kind_is_mem(x->kind))
		return XOUS_ERR_INVALID_ARGUMENT; /* stays held */
	if (how == KC_ANS_MEM && kind_is_mem(x->kind)) {
		x->u.mem.offset = v[0]; /* two free words, unchanged (CONTRACT 4.4) */
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
		bool scalar = (token & KC_SENDER_SCALAR_ANSWER) != 0;

		err = answer(k, k->threads[t].pid, token & ~KC_SENDER_SCALAR_ANSWER,
		             scalar ? KC_ANS_S2 : KC_ANS_MEM, v);
		if (err) {
			reply_err(k, t, err);
			return;
		}
	}
	sys_receive(k, t, &in->a[1], false);
}

/* ---- syscalls: threads ---- */

static void sys_join(struct kc *k, kc_thread t, kc_word tid)
{
	uint32_t pid = k->threads[t].pid;
	kc_thread j = KC_NO_THREAD;

	if (tid != 0 && tid <= KC_MAX_THREADS_PER_PROC)
		j = thread_find_tid(k, pid, (uint32_t)tid);
	if (j == KC_NO_THREAD || j == t || !k->threads[j].joinable ||
	    joiner_of(k, pid, (uint32_t)tid) != KC_NO_THREAD) {
		reply_err(k, t, XOUS_ERR_INVALID_THREAD);
		return;
	}
	if (k->threads[j].state == KC_T_ZOMBIE) {
		kc_word rv = k->threads[j].retval;

		thread_free(k, j);
		reply_tag(k, t, XOUS_RESULT_SCALAR1, rv);
		return;
	}
	k->threads[t].state = KC_T_JOIN;
	k->threads[t].wait = (uint32_t)tid;
}

static void sys_ids(struct kc *k, kc_thread t, bool thread)
{
	const struct kc_thread_slot *x = &k->threads[t];

	if (thread)
		reply_tag(k, t, XOUS_RESULT_THREAD_ID, x->tid);
	else
		reply_tag(k, t, XOUS_RESULT_PROCESS_ID, x->pid);
}

/* ---- entry points ---- */

void kc_init(struct kc *k, const struct kc_ops *ops)
{
	uint32_t i;

	kc_zero(k, sizeof(*k));
	if (ops)
		k->ops = *ops;
	for (i = 0; i < KC_MAX_SERVERS; i++)
		k->sid_hash[i] = KC_NIL;
	for (i = 0; i < KC_MAX_MSGS; i++)
		k->msgs[i].next = i + 1 < KC_MAX_MSGS ? i + 1 : KC_NIL;
	k->msg_free = 0;
	k->quiet = KC_NO_THREAD;
	k->procs[0].alive = 1; /* pid 1: the kernel */
	k->procs[0].gen = 1;
}

uint32_t kc_thread_create(struct kc *k, uint32_t pid, bool joinable, kc_thread *t)
{
	struct kc_proc *p = proc_get(k, pid);
	uint32_t tid;
	kc_thread i;

	if (!p)
		return XOUS_ERR_PROCESS_NOT_FOUND;
	if (p->nthreads >= KC_MAX_THREADS_PER_PROC)
		return XOUS_ERR_THREAD_NOT_AVAILABLE;
	for (i = 0; i < KC_MAX_THREADS && k->threads[i].state != KC_T_FREE; i++)
		;
	if (i == KC_MAX_THREADS)
		return XOUS_ERR_THREAD_NOT_AVAILABLE;
	for (tid = 1; tid_taken(p, tid); tid++)
		;
	tid_set(p, tid, true);
	p->nthreads++;
	k->threads[i].state = KC_T_RUNNING;
	k->threads[i].joinable = joinable;
	k->threads[i].pid = pid;
	k->threads[i].tid = tid;
	k->threads[i].wait = KC_NIL;
	k->threads[i].next = k->threads[i].prev = KC_NIL;
	if (t)
		*t = i;
	return XOUS_OK;
}

void kc_thread_exit(struct kc *k, kc_thread t, kc_word retval)
{
	struct kc_thread_slot *x;
	kc_thread j;

	if (!thread_live(k, t))
		return;
	x = &k->threads[t];
	thread_abandon(k, t);
	ahead_release(k, t, true);
	if (!x->joinable) {
		thread_free(k, t);
		return;
	}
	x->state = KC_T_ZOMBIE;
	x->retval = retval;
	j = joiner_of(k, x->pid, x->tid);
	if (j != KC_NO_THREAD) {
		k->threads[j].state = KC_T_RUNNING;
		reply_tag(k, j, XOUS_RESULT_SCALAR1, retval);
		thread_free(k, t);
	}
}

uint32_t kc_process_create(struct kc *k, uint32_t *pid, kc_thread *main_thread)
{
	uint32_t i, err;
	struct kc_proc *p;
	kc_thread t;

	for (i = 1; i < KC_MAX_PROCS && k->procs[i].alive; i++)
		;
	if (i == KC_MAX_PROCS)
		return XOUS_ERR_OUT_OF_MEMORY;
	p = &k->procs[i];
	p->alive = 1;
	p->gen++;
	err = kc_thread_create(k, i + 1, false, &t);
	if (err) {
		p->alive = 0;
		return err;
	}
	if (pid)
		*pid = i + 1;
	if (main_thread)
		*main_thread = t;
	return XOUS_OK;
}

/*
 * A process is gone: drop the memory messages it had queued (their pages
 * were its own). Its queued Scalars stay: the sender was told they were
 * queued, and "notify, then exit" must work. Blocking kinds left with
 * thread_abandon already.
 */
static void drop_queued_from(struct kc *k, uint32_t pid, uint32_t pgen)
{
	uint32_t m;

	for (m = 0; m < KC_MAX_MSGS; m++) {
		struct kc_msg *x = &k->msgs[m];
		uint32_t s = x->server;

		if (x->state != KC_M_QUEUED || x->pid != pid || x->pgen != pgen ||
		    x->kind == XOUS_KIND_SCALAR)
			continue;
		queue_take(k, s, m);
		msg_finish(k, m, 0, NULL);
		server_refill(k, s);
	}
}

void kc_process_exit(struct kc *k, uint32_t pid)
{
	struct kc_proc *p = proc_get(k, pid);
	uint32_t s, pgen;
	kc_thread t;

	if (!p || pid == 1)
		return;
	pgen = p->gen;
	p->alive = 0; /* from here on its messages see a gone caller */
	for (t = 0; t < KC_MAX_THREADS; t++) {
		if (k->threads[t].state == KC_T_FREE || k->threads[t].pid != pid)
			continue;
		thread_abandon(k, t);
		thread_free(k, t);
	}
	for (s = 0; s < KC_MAX_SERVERS; s++)
		if (k->servers[s].alive && k->servers[s].owner == pid)
			server_die(k, s);
	drop_queued_from(k, pid, pgen);
	kc_zero(p->conns, sizeof(p->conns));
	kc_zero(p->tids, sizeof(p->tids));
	p->nthreads = 0;
	p->lent = 0;
}

static bool is_platform_syscall(kc_word n)
{
	return n == XOUS_SYS_MAP_MEMORY || n == XOUS_SYS_UNMAP_MEMORY ||
	       n == XOUS_SYS_UPDATE_MEMORY_FLAGS || n == XOUS_SYS_CREATE_THREAD ||
	       n == XOUS_SYS_TERMINATE_PROCESS || n == XOUS_SYS_WAIT_EVENT ||
	       n == XOUS_SYS_CREATE_PROCESS || n == XOUS_SYS_SHUTDOWN;
}

/* Every syscall but the sends (which carry memory). */
static void dispatch(struct kc *k, kc_thread t, const kc_regs *in)
{
	uint32_t sid[4];

	switch (in->a[0]) {
	case XOUS_SYS_CREATE_SERVER_WITH_ADDRESS:
		sid_from_regs(sid, &in->a[1]);
		sys_create_server(k, t, sid);
		break;
	case XOUS_SYS_CREATE_SERVER:
		sys_create_random(k, t, true);
		break;
	case XOUS_SYS_CREATE_SERVER_ID:
		sys_create_random(k, t, false);
		break;
	case XOUS_SYS_DESTROY_SERVER:
		sys_destroy_server(k, t, in);
		break;
	case XOUS_SYS_CONNECT:
	case XOUS_SYS_TRY_CONNECT:
		sys_connect(k, t, in, in->a[0] == XOUS_SYS_TRY_CONNECT);
		break;
	case XOUS_SYS_CONNECT_FOR_PROCESS:
		sys_connect_for(k, t, in);
		break;
	case XOUS_SYS_DISCONNECT:
		sys_disconnect(k, t, in->a[1]);
		break;
	case XOUS_SYS_RECEIVE_MESSAGE:
	case XOUS_SYS_TRY_RECEIVE_MESSAGE:
		sys_receive(k, t, &in->a[1], in->a[0] == XOUS_SYS_TRY_RECEIVE_MESSAGE);
		break;
	case XOUS_SYS_RECEIVE_MANY:
		sys_receive_many(k, t, in);
		break;
	case XOUS_SYS_RETURN_SCALAR1:
		sys_return(k, t, in, KC_ANS_S1);
		break;
	case XOUS_SYS_RETURN_SCALAR2:
		sys_return(k, t, in, KC_ANS_S2);
		break;
	case XOUS_SYS_RETURN_SCALAR5:
		sys_return(k, t, in, KC_ANS_S5);
		break;
	case XOUS_SYS_RETURN_MEMORY:
		sys_return(k, t, in, KC_ANS_MEM);
		break;
	case XOUS_SYS_REPLY_AND_RECEIVE_NEXT:
		sys_reply_and_receive(k, t, in);
		break;
	case XOUS_SYS_JOIN_THREAD:
		sys_join(k, t, in->a[1]);
		break;
	case XOUS_SYS_GET_THREAD_ID:
	case XOUS_SYS_GET_PROCESS_ID:
		sys_ids(k, t, in->a[0] == XOUS_SYS_GET_THREAD_ID);
		break;
	case XOUS_SYS_YIELD:
		reply_ok(k, t);
		break;
	default:
		reply_err(k, t,
		          is_platform_syscall(in->a[0]) ? XOUS_ERR_UNHANDLED_SYSCALL
		                                        : XOUS_ERR_INVALID_SYSCALL);
		break;
	}
}

int kc_syscall(struct kc *k, kc_thread t, const kc_regs *in, const kc_mem *mem)
{
	kc_word n;

	if (!k || !in || !thread_live(k, t) || k->threads[t].state != KC_T_RUNNING)
		return -1;
	n = in->a[0];
	if (n == XOUS_SYS_SEND_MESSAGE || n == XOUS_SYS_TRY_SEND_MESSAGE) {
		sys_send(k, t, in, mem, n == XOUS_SYS_TRY_SEND_MESSAGE, false);
		return 0;
	}
	if (mem)
		op_mem_done(k, k->threads[t].pid, 0, mem); /* only sends carry memory */
	dispatch(k, t, in);
	return 0;
}

int kc_send_ahead(struct kc *k, kc_thread t, const kc_regs *in)
{
	struct kc_thread_slot *x;
	bool slot = false;

	if (!k || !in || !thread_live(k, t) || k->threads[t].state != KC_T_RUNNING)
		return -1;
	if ((in->a[0] != XOUS_SYS_SEND_MESSAGE && in->a[0] != XOUS_SYS_TRY_SEND_MESSAGE) ||
	    in->a[2] != XOUS_KIND_SCALAR)
		return -1;
	x = &k->threads[t];
	if (x->ahead > 0 && x->ahead_cid == in->a[1]) {
		x->ahead--;
		k->servers[x->ahead_server].reserved--;
		slot = true;
	}
	k->quiet = t;
	sys_send(k, t, in, NULL, true, slot);
	k->quiet = KC_NO_THREAD;
	return 0;
}

/* ---- introspection ---- */

uint32_t kc_thread_pid(const struct kc *k, kc_thread t)
{
	return t < KC_MAX_THREADS && k->threads[t].state != KC_T_FREE ? k->threads[t].pid : 0;
}

uint32_t kc_thread_tid(const struct kc *k, kc_thread t)
{
	return t < KC_MAX_THREADS && k->threads[t].state != KC_T_FREE ? k->threads[t].tid : 0;
}

bool kc_thread_blocked(const struct kc *k, kc_thread t)
{
	return thread_live(k, t) && k->threads[t].state != KC_T_RUNNING;
}

kc_thread kc_thread_find(const struct kc *k, uint32_t pid, uint32_t tid)
{
	kc_thread t = thread_find_tid(k, pid, tid);

	return t != KC_NO_THREAD && k->threads[t].state != KC_T_ZOMBIE ? t : KC_NO_THREAD;
}

bool kc_process_alive(const struct kc *k, uint32_t pid)
{
	return pid != 0 && pid <= KC_MAX_PROCS && k->procs[pid - 1].alive;
}

void kc_counts(const struct kc *k, struct kc_counts *out)
{
	uint32_t i, c;

	kc_zero(out, sizeof(*out));
	for (i = 0; i < KC_MAX_PROCS; i++) {
		if (!k->procs[i].alive)
			continue;
		out->procs++;
		out->lent_bytes += k->procs[i].lent;
		for (c = 0; c < KC_MAX_CONNS; c++)
			out->conns += k->procs[i].conns[c].server != 0;
	}
	for (i = 0; i < KC_MAX_THREADS; i++) {
		out->threads += k->threads[i].state != KC_T_FREE;
		out->ahead += k->threads[i].ahead;
	}
	for (i = 0; i < KC_MAX_SERVERS; i++) {
		out->servers += k->servers[i].alive;
		out->reserved += k->servers[i].reserved;
		if (k->servers[i].qcount + k->servers[i].reserved > KC_QUEUE_DEPTH)
			out->overfull++;
	}
	for (i = 0; i < KC_MAX_MSGS; i++)
		out->msgs += k->msgs[i].state != KC_M_FREE;
	out->sent = k->sent;
	out->answered = k->answered;
}

/*
 * fuzz_kcore.c - fuzz target `kcore`: the semantics module driven by a
 * stateful record sequence through a checking fake platform.
 *
 * Input: records until the input ends. Each record starts with an op byte:
 *   op % 8 == 0  process create (every third holds the task role)
 *          1  process exit        (pid selector, status or "later")
 *          2  thread create       (pid selector, joinable bit)
 *          3  thread exit         (thread selector, return word)
 *          4..6  structured syscall (thread selector, syscall selector, arguments
 *                shaped for that syscall: sids from a pool, cids, tokens seen
 *                in envelopes, page-aligned or broken lends); with bit 0x10
 *                of the selector byte a send goes through kc_send_ahead
 *                and a ReceiveMany (1101) through kc_receive_many;
 *                AsyncSend and AsyncRecv (1110, 1111) go through
 *                kc_async_send and kc_async_recv with a few bytes
 *          7  raw syscall (8 raw words, optional memory), delivery failures,
 *             or a late exit status (kc_process_status)
 * After every record the whole of struct kc is checked for consistency; at
 * the end every process exits and the kernel must be back at its baseline.
 *
 * The fake platform asserts: a reply reaches only a thread inside a syscall,
 * once; a thread is blocked exactly when its syscall is unanswered; every
 * lent buffer comes back through mem_done exactly once (never for a Move
 * that was delivered), naming its caller only while that caller lives, and
 * after the reply that ends its message, which comes with it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_input.h"
#include "kcore.h"

#define MAX_MEMS 512
#define POOL     8

enum mem_state { MEM_FREE, MEM_LIVE, MEM_DONE, MEM_MOVED };

struct fake_mem {
	uint8_t state;
	uint32_t pid, pgen;
	kc_word len;
};

static struct {
	struct kc k;
	bool waiting[KC_MAX_THREADS];    /* inside a syscall whose answer has not come */
	uint32_t pgen[KC_MAX_PROCS + 1]; /* our own count of each pid's lives */
	uint32_t sids[POOL][4];
	unsigned nsids;
	kc_word tokens[POOL];
	unsigned ntokens;
	struct fake_mem mems[MAX_MEMS];
	unsigned nmems;
	unsigned deliver_fail; /* the next deliveries the platform refuses */
	uint32_t sid_counter;
	uint32_t creates, last_pid; /* every other process is created on last_pid's behalf */
	uint32_t task_role;         /* XOUS_NAME_TASK's */
} S;

/* ---- the fake platform ---- */

static bool tag_valid(kc_word tag)
{
	switch (tag) {
	case XOUS_RESULT_OK:
	case XOUS_RESULT_ERROR:
	case XOUS_RESULT_SERVER_ID:
	case XOUS_RESULT_CONNECTION_ID:
	case XOUS_RESULT_NEW_SERVER_ID:
	case XOUS_RESULT_THREAD_ID:
	case XOUS_RESULT_PROCESS_ID:
	case XOUS_RESULT_SCALAR1:
	case XOUS_RESULT_SCALAR2:
	case XOUS_RESULT_SCALAR5:
	case XOUS_RESULT_NONE:
	case XOUS_RESULT_MEMORY_RETURNED:
		return true;
	default:
		return false;
	}
}

static void pool_sid(const kc_word *w)
{
	unsigned i = S.nsids < POOL ? S.nsids++ : (w[0] & (POOL - 1));

	S.sids[i][0] = (uint32_t)w[0];
	S.sids[i][1] = (uint32_t)w[1];
	S.sids[i][2] = (uint32_t)w[2];
	S.sids[i][3] = (uint32_t)w[3];
}

static void fake_reply(void *ctx, kc_thread t, const kc_regs *r, const kc_mem *m)
{
	(void)ctx;
	FZ_CHECK(t < KC_MAX_THREADS);
	FZ_CHECK(S.waiting[t]); /* exactly one answer per syscall */
	S.waiting[t] = false;
	/* a result that ends a memory message comes with it, before mem_done */
	if (m)
		FZ_CHECK(m->handle < S.nmems && S.mems[m->handle].state == MEM_LIVE &&
		         S.mems[m->handle].pid == kc_thread_pid(&S.k, t));
	FZ_CHECK(tag_valid(r->a[0]));
	if (r->a[0] == XOUS_RESULT_ERROR)
		FZ_CHECK(r->a[1] > 0 && r->a[1] <= XOUS_ERR_MAX);
	if (r->a[0] == XOUS_RESULT_NEW_SERVER_ID || r->a[0] == XOUS_RESULT_SERVER_ID)
		pool_sid(&r->a[1]);
}

/* An envelope as kcore makes it (delivered, or returned by kc_receive_many). */
static void check_envelope(const kc_regs *env)
{
	kc_word kind = env->a[2];

	FZ_CHECK(env->a[0] == XOUS_RESULT_MESSAGE_ENVELOPE && env->a[1] != 0);
	FZ_CHECK(kind >= XOUS_KIND_MUTABLE_BORROW && kind <= XOUS_KIND_BLOCKING_SCALAR);
}

static uint32_t fake_deliver(void *ctx, kc_thread t, kc_regs *env, const kc_mem *m)
{
	kc_word kind = env->a[2];

	(void)ctx;
	FZ_CHECK(t < KC_MAX_THREADS);
	FZ_CHECK(S.waiting[t]); /* one envelope per receive */
	check_envelope(env);
	FZ_CHECK((m != NULL) == (kind <= XOUS_KIND_MOVE));
	if (m) {
		FZ_CHECK(m->handle < S.nmems && S.mems[m->handle].state == MEM_LIVE);
		FZ_CHECK(m->len == S.mems[m->handle].len && env->a[5] == m->len);
	}
	if (S.deliver_fail) {
		S.deliver_fail--;
		return XOUS_ERR_OUT_OF_MEMORY; /* e.g. mmap failed in the receiver */
	}
	S.waiting[t] = false;
	S.tokens[S.ntokens++ % POOL] = env->a[1];
	if (m) {
		env->a[4] = 0x40000000u + (kc_word)m->handle * XOUS_PAGE_SIZE;
		if (kind == XOUS_KIND_MOVE)
			S.mems[m->handle].state = MEM_MOVED;
	}
	return XOUS_OK;
}

static void fake_mem_done(void *ctx, uint32_t caller_pid, uint32_t server_pid, const kc_mem *m)
{
	struct fake_mem *fm;

	(void)ctx;
	(void)server_pid;
	FZ_CHECK(m->handle < S.nmems);
	fm = &S.mems[m->handle];
	FZ_CHECK(fm->state == MEM_LIVE); /* exactly once, never after a delivered Move */
	fm->state = MEM_DONE;
	if (caller_pid != 0)
		FZ_CHECK(caller_pid == fm->pid && kc_process_alive(&S.k, fm->pid) &&
		         S.pgen[fm->pid] == fm->pgen);
	else
		FZ_CHECK(!kc_process_alive(&S.k, fm->pid) || S.pgen[fm->pid] != fm->pgen);
}

/* Slots are taken away from a live thread that held some. */
static void fake_withdraw(void *ctx, kc_thread t, kc_word cid)
{
	(void)ctx;
	FZ_CHECK(t < KC_MAX_THREADS && S.k.threads[t].state != KC_T_FREE);
	FZ_CHECK(S.k.threads[t].ahead == 0 && S.k.threads[t].ahead_cid == cid);
}

static void fake_random_sid(void *ctx, uint32_t w[4])
{
	(void)ctx;
	S.sid_counter++;
	w[0] = S.sid_counter;
	w[1] = 0x5eed;
	w[2] = S.sid_counter * 7u;
	w[3] = 1;
}

/* ---- the consistency check of struct kc ---- */

static unsigned list_walk(const struct kc_list *l, uint8_t *seen, uint32_t s, uint8_t state1,
                          uint8_t state2)
{
	unsigned n = 0;
	uint32_t m, prev = KC_NIL;

	for (m = l->head; m != KC_NIL; m = S.k.msgs[m].next) {
		const struct kc_msg *x = &S.k.msgs[m];

		FZ_CHECK(m < KC_MAX_MSGS && !seen[m]);
		seen[m] = 1;
		FZ_CHECK(x->state == state1 || x->state == state2);
		FZ_CHECK(x->server == s && x->prev == prev);
		prev = m;
		n++;
	}
	FZ_CHECK(l->tail == prev);
	return n;
}

static bool kind_blocks(unsigned kind)
{
	return kind == XOUS_KIND_MUTABLE_BORROW || kind == XOUS_KIND_BORROW ||
	       kind == XOUS_KIND_BLOCKING_SCALAR;
}

/* Each message a caller waits on names that caller back. */
static void check_msg_caller(uint32_t m)
{
	const struct kc_msg *x = &S.k.msgs[m];
	const struct kc_thread_slot *c;

	if (x->state == KC_M_ORPHAN) {
		FZ_CHECK(x->caller == KC_NO_THREAD);
		return;
	}
	if (x->state == KC_M_QUEUED && !kind_blocks(x->kind)) {
		FZ_CHECK(x->caller == KC_NO_THREAD);
		return;
	}
	FZ_CHECK(x->caller < KC_MAX_THREADS);
	c = &S.k.threads[x->caller];
	FZ_CHECK(c->wait == m && c->pid == x->pid);
	FZ_CHECK(c->state == (x->state == KC_M_PENDING ? KC_T_SEND : KC_T_REPLY));
}

static void check_servers(uint8_t *seen)
{
	uint32_t s, t;

	for (s = 0; s < KC_MAX_SERVERS; s++) {
		const struct kc_server *sv = &S.k.servers[s];
		unsigned q;

		if (!sv->alive)
			continue;
		FZ_CHECK(kc_process_alive(&S.k, sv->owner));
		q = list_walk(&sv->queue, seen, s, KC_M_QUEUED, KC_M_QUEUED);
		FZ_CHECK(q == sv->qcount && q + sv->reserved <= KC_QUEUE_DEPTH);
		/* nobody waits for room that exists (kept room counts as taken) */
		if (list_walk(&sv->pending, seen, s, KC_M_PENDING, KC_M_PENDING))
			FZ_CHECK(q + sv->reserved == KC_QUEUE_DEPTH);
		list_walk(&sv->held, seen, s, KC_M_HELD, KC_M_ORPHAN);
		for (t = sv->receivers.head; t != KC_NIL; t = S.k.threads[t].next) {
			FZ_CHECK(t < KC_MAX_THREADS && S.k.threads[t].state == KC_T_RECV);
			FZ_CHECK(S.k.threads[t].wait == s && S.k.threads[t].pid == sv->owner);
		}
		if (sv->receivers.head != KC_NIL)
			FZ_CHECK(q == 0); /* nobody waits for a message that is there */
	}
}

static void check_msgs(void)
{
	uint8_t seen[KC_MAX_MSGS] = {0};
	uint32_t m;

	check_servers(seen);
	for (m = S.k.msg_free; m != KC_NIL; m = S.k.msgs[m].next) {
		FZ_CHECK(m < KC_MAX_MSGS && !seen[m] && S.k.msgs[m].state == KC_M_FREE);
		seen[m] = 1;
	}
	for (m = 0; m < KC_MAX_MSGS; m++) {
		FZ_CHECK(seen[m]); /* every slot is free or on exactly one list */
		if (S.k.msgs[m].state != KC_M_FREE)
			check_msg_caller(m);
	}
}

static bool sid_alive(const uint32_t sid[4])
{
	uint32_t s;

	for (s = 0; s < KC_MAX_SERVERS; s++)
		if (S.k.servers[s].alive && !memcmp(S.k.servers[s].sid, sid, 16))
			return true;
	return false;
}

static void check_thread(kc_thread t)
{
	const struct kc_thread_slot *x = &S.k.threads[t];
	const struct kc_msg *m = x->wait < KC_MAX_MSGS ? &S.k.msgs[x->wait] : NULL;

	FZ_CHECK(kc_process_alive(&S.k, x->pid));
	FZ_CHECK(S.waiting[t] == (x->state != KC_T_RUNNING && x->state != KC_T_ZOMBIE));
	switch (x->state) {
	case KC_T_RECV:
		FZ_CHECK(x->wait < KC_MAX_SERVERS && S.k.servers[x->wait].alive);
		break;
	case KC_T_REPLY:
	case KC_T_SEND:
		FZ_CHECK(m && m->caller == t && S.k.servers[m->server].alive);
		break;
	case KC_T_CONNECT:
		FZ_CHECK(!sid_alive(x->sid)); /* it would have been woken */
		break;
	case KC_T_JOIN: {
		kc_thread j = kc_thread_find(&S.k, x->pid, x->wait);

		FZ_CHECK(j != KC_NO_THREAD && j != t && S.k.threads[j].joinable);
		break;
	}
	default:
		break;
	}
}

/* Slots held by threads are exactly the room their servers keep. */
static void check_slots(void)
{
	uint32_t held[KC_MAX_SERVERS] = {0}, s;
	kc_thread t;

	for (t = 0; t < KC_MAX_THREADS; t++) {
		const struct kc_thread_slot *x = &S.k.threads[t];

		if (x->state == KC_T_FREE || x->ahead == 0)
			continue;
		FZ_CHECK(x->ahead <= KC_SEND_AHEAD && x->ahead_server < KC_MAX_SERVERS);
		FZ_CHECK(S.k.servers[x->ahead_server].alive);
		held[x->ahead_server] += x->ahead;
	}
	for (s = 0; s < KC_MAX_SERVERS; s++)
		FZ_CHECK(held[s] == S.k.servers[s].reserved);
}

/* What each live process holds against its quotas adds up, within them. */
static void check_quotas(void)
{
	uint32_t msgs[KC_MAX_PROCS + 1] = {0}, mem[KC_MAX_PROCS + 1] = {0};
	uint32_t servers[KC_MAX_PROCS + 1] = {0}, ahead[KC_MAX_PROCS + 1] = {0};
	uint32_t kids[KC_MAX_PROCS + 1] = {0}, i;

	for (i = 0; i < KC_MAX_MSGS; i++) {
		const struct kc_msg *x = &S.k.msgs[i];

		if (x->state == KC_M_FREE || !kc_process_alive(&S.k, x->pid) ||
		    S.k.procs[x->pid - 1].gen != x->pgen)
			continue;
		msgs[x->pid]++;
		mem[x->pid] += x->kind <= XOUS_KIND_MOVE;
	}
	for (i = 0; i < KC_MAX_SERVERS; i++)
		if (S.k.servers[i].alive)
			servers[S.k.servers[i].owner]++;
	for (i = 0; i < KC_MAX_THREADS; i++)
		if (S.k.threads[i].state != KC_T_FREE)
			ahead[S.k.threads[i].pid] += S.k.threads[i].ahead;
	for (i = 1; i <= KC_MAX_PROCS; i++) {
		const struct kc_proc *p = &S.k.procs[i - 1];

		if (p->alive && p->parent && kc_process_alive(&S.k, p->parent) &&
		    S.k.procs[p->parent - 1].gen == p->parent_gen)
			kids[p->parent]++;
	}
	for (i = 1; i <= KC_MAX_PROCS; i++) {
		struct kc_usage u;

		kc_process_usage(&S.k, i, &u);
		if (!kc_process_alive(&S.k, i))
			continue;
		FZ_CHECK(u.msgs == msgs[i] && u.mem_msgs == mem[i] && u.servers == servers[i]);
		FZ_CHECK(u.ahead == ahead[i] && u.children == kids[i]);
		FZ_CHECK(u.msgs + u.ahead <= KC_MAX_MSGS_PER_PROC);
		FZ_CHECK(u.mem_msgs <= KC_MAX_MEM_MSGS_PER_PROC);
		FZ_CHECK(u.servers <= KC_MAX_SERVERS_PER_PROC);
		FZ_CHECK(u.children <= KC_MAX_CHILDREN_PER_PROC);
	}
}

static void check_procs(void)
{
	uint32_t pid, nthreads[KC_MAX_PROCS + 1] = {0};
	kc_word lent[KC_MAX_PROCS + 1] = {0};
	kc_thread t;
	uint32_t m;

	for (t = 0; t < KC_MAX_THREADS; t++) {
		if (S.k.threads[t].state == KC_T_FREE) {
			FZ_CHECK(!S.waiting[t]);
			continue;
		}
		check_thread(t);
		nthreads[S.k.threads[t].pid]++;
	}
	for (m = 0; m < KC_MAX_MSGS; m++) {
		const struct kc_msg *x = &S.k.msgs[m];

		if (x->state != KC_M_FREE && x->kind <= XOUS_KIND_MOVE &&
		    kc_process_alive(&S.k, x->pid) && S.k.procs[x->pid - 1].gen == x->pgen)
			lent[x->pid] += x->u.mem.len;
	}
	for (pid = 1; pid <= KC_MAX_PROCS; pid++) {
		if (!kc_process_alive(&S.k, pid))
			continue;
		FZ_CHECK(S.k.procs[pid - 1].nthreads == nthreads[pid]);
		FZ_CHECK(S.k.procs[pid - 1].lent == lent[pid]); /* lent bytes add up */
		FZ_CHECK(lent[pid] <= KC_MAX_LENT_BYTES);
	}
}

/* A slot is held only while no process has it; all but a status the
 * platform owes belong to the notify server, and go with it. */
static void check_holds(void)
{
	uint32_t i;

	for (i = 0; i < KC_MAX_PROCS; i++) {
		const struct kc_proc *p = &S.k.procs[i];

		FZ_CHECK(!p->alive || p->hold == 0);
		if (S.k.notify == 0)
			FZ_CHECK((p->hold & ~KC_HOLD_STATUS) == 0);
	}
}

static void check_all(void)
{
	check_holds();
	check_msgs();
	check_procs();
	check_slots();
	check_quotas();
}

/* ---- building requests ---- */

static kc_thread pick_thread(struct fz *f, bool include_blocked)
{
	kc_thread live[KC_MAX_THREADS], t;
	unsigned n = 0;
	uint8_t sel = fz_u8(f);

	for (t = 0; t < KC_MAX_THREADS; t++) {
		uint8_t st = S.k.threads[t].state;

		if (st != KC_T_FREE && st != KC_T_ZOMBIE && (include_blocked || st == KC_T_RUNNING))
			live[n++] = t;
	}
	return n ? live[sel % n] : KC_NO_THREAD;
}

static uint32_t pick_pid(struct fz *f)
{
	return 2 + fz_u8(f) % (KC_MAX_PROCS - 1);
}

/* A server id: one seen in a reply, the name server's, or raw words. */
static void put_sid(struct fz *f, kc_word *w)
{
	static const char names[] = XOUS_NAME_NAMES;
	uint8_t sel = fz_u8(f);
	int i;

	if (sel % 4 != 3 && S.nsids) {
		for (i = 0; i < 4; i++)
			w[i] = S.sids[sel % S.nsids][i];
	} else if (sel & 0x80) {
		for (i = 0; i < 4; i++)
			w[i] = fz_u32(f);
	} else {
		for (i = 0; i < 4; i++)
			w[i] = (kc_word)(uint8_t)names[4 * i] |
			       (kc_word)(uint8_t)names[4 * i + 1] << 8 |
			       (kc_word)(uint8_t)names[4 * i + 2] << 16 |
			       (kc_word)(uint8_t)names[4 * i + 3] << 24;
	}
}

/* A sender token: one delivered (maybe answered already), or a forged one. */
static kc_word pick_token(struct fz *f)
{
	uint8_t sel = fz_u8(f);

	if (sel < 0xe0 && S.ntokens)
		return S.tokens[sel % (S.ntokens < POOL ? S.ntokens : POOL)];
	return sel == 0xff ? (kc_word)fz_u64(f) : (kc_word)fz_u32(f);
}

static kc_word small_len(uint8_t b)
{
	kc_word pages = b & 7;

	if (b & 0x80)
		return pages * XOUS_PAGE_SIZE + (b >> 3 & 7); /* maybe unaligned */
	return pages * XOUS_PAGE_SIZE;
}

static void build_send(struct fz *f, kc_regs *r, bool *with_mem)
{
	uint8_t flags;

	r->a[1] = fz_u8(f) % (KC_MAX_CONNS + 2);
	r->a[2] = fz_u8(f) % 7;
	r->a[3] = fz_u8(f);
	if (r->a[2] < XOUS_KIND_MUTABLE_BORROW || r->a[2] > XOUS_KIND_MOVE) {
		r->a[4] = fz_u8(f);
		r->a[5] = fz_u8(f);
		r->a[6] = fz_u8(f);
		r->a[7] = fz_u8(f);
		*with_mem = (fz_u8(f) & 0x0f) == 0x0f; /* memory where none belongs */
		return;
	}
	flags = fz_u8(f);
	r->a[4] = (kc_word)(flags & 0x0f) * XOUS_PAGE_SIZE + ((flags & 0x10) ? 12 : 0);
	r->a[5] = small_len(fz_u8(f));
	r->a[6] = fz_u8(f) * 512u;
	r->a[7] = fz_u8(f) * 512u;
	*with_mem = !(flags & 0x20);
}

static const uint8_t syscalls[] = {
        XOUS_SYS_CREATE_SERVER_WITH_ADDRESS,
        XOUS_SYS_CREATE_SERVER,
        XOUS_SYS_CREATE_SERVER_ID,
        XOUS_SYS_DESTROY_SERVER,
        XOUS_SYS_CONNECT,
        XOUS_SYS_TRY_CONNECT,
        XOUS_SYS_CONNECT_FOR_PROCESS,
        XOUS_SYS_DISCONNECT,
        XOUS_SYS_SEND_MESSAGE,
        XOUS_SYS_SEND_MESSAGE,
        XOUS_SYS_TRY_SEND_MESSAGE,
        XOUS_SYS_RECEIVE_MESSAGE,
        XOUS_SYS_RECEIVE_MESSAGE,
        XOUS_SYS_TRY_RECEIVE_MESSAGE,
        XOUS_SYS_RETURN_SCALAR1,
        XOUS_SYS_RETURN_SCALAR2,
        XOUS_SYS_RETURN_SCALAR5,
        XOUS_SYS_RETURN_MEMORY,
        XOUS_SYS_RETURN_MEMORY,
        XOUS_SYS_REPLY_AND_RECEIVE_NEXT,
        XOUS_SYS_JOIN_THREAD,
        XOUS_SYS_GET_THREAD_ID,
        XOUS_SYS_GET_PROCESS_ID,
        XOUS_SYS_YIELD,
        XOUS_SYS_MAP_MEMORY,
        0xff, /* ReceiveMany (1101) */
        0xfe, /* ServerOwner (1102) */
        0xfd, /* ExitNotify (1104) */
        0xfc, /* PidHold (1106) */
        XOUS_SYS_CREATE_PROCESS,
        0xfb, /* SetNotifyServer (1108) */
        0xfa, /* Notify (1109) */
        0xf9, /* AsyncSend (1110) */
        0xf8, /* AsyncRecv (1111) */
};

/* Fill r's arguments for its syscall r->a[0] from the input. */
static void build_args(struct fz *f, kc_regs *r, bool *with_mem)
{
	uint8_t flags;
	int i;

	switch (r->a[0]) {
	case XOUS_SYS_CREATE_SERVER_WITH_ADDRESS:
	case XOUS_SYS_DESTROY_SERVER:
	case XOUS_SYS_CONNECT:
	case XOUS_SYS_TRY_CONNECT:
	case XOUS_SYS_RECEIVE_MESSAGE:
	case XOUS_SYS_TRY_RECEIVE_MESSAGE:
	case XOUS_SYS_SERVER_OWNER:
		put_sid(f, &r->a[1]);
		break;
	case XOUS_SYS_RECEIVE_MANY:
		put_sid(f, &r->a[1]);
		r->a[5] = fz_u8(f) % (KC_RECEIVE_MANY + 2);
		break;
	case XOUS_SYS_EXIT_NOTIFY:
		put_sid(f, &r->a[1]);
		r->a[5] = fz_u8(f);
		break;
	case XOUS_SYS_PID_HOLD:
		r->a[1] = fz_u8(f) % 3;
		r->a[2] = fz_u8(f) % (KC_MAX_PROCS + 2);
		break;
	case XOUS_SYS_SET_NOTIFY_SERVER:
		put_sid(f, &r->a[1]);
		break;
	case XOUS_SYS_NOTIFY:
	case XOUS_SYS_ASYNC_SEND:
	case XOUS_SYS_ASYNC_RECV:
		r->a[1] = fz_u8(f) % (KC_MAX_PROCS + 2); /* the task */
		r->a[2] = fz_u8(f);                      /* bits, opcode */
		r->a[3] = fz_u8(f);                      /* AsyncRecv's room */
		r->a[4] = fz_u8(f) % 8;                  /* AsyncSend's length */
		break;
	case XOUS_SYS_CONNECT_FOR_PROCESS:
		r->a[1] = fz_u8(f) % (KC_MAX_PROCS + 2);
		put_sid(f, &r->a[2]);
		break;
	case XOUS_SYS_DISCONNECT:
		r->a[1] = fz_u8(f) % (KC_MAX_CONNS + 2);
		break;
	case XOUS_SYS_SEND_MESSAGE:
	case XOUS_SYS_TRY_SEND_MESSAGE:
		build_send(f, r, with_mem);
		break;
	case XOUS_SYS_RETURN_MEMORY:
		r->a[1] = pick_token(f);
		r->a[2] = fz_u8(f) * (kc_word)XOUS_PAGE_SIZE;
		r->a[3] = small_len(fz_u8(f));
		r->a[4] = fz_u16(f);
		r->a[5] = fz_u16(f);
		break;
	case XOUS_SYS_REPLY_AND_RECEIVE_NEXT:
		put_sid(f, &r->a[1]);
		r->a[5] = fz_u8(f) & 1 ? 0 : pick_token(f);
		flags = fz_u8(f);
		if (flags & 1)
			r->a[5] |= KC_SENDER_SCALAR_ANSWER;
		if (flags & 2)
			r->a[5] |= KC_SENDER_SCALAR1_ANSWER;
		r->a[6] = fz_u16(f);
		r->a[7] = fz_u16(f);
		break;
	case XOUS_SYS_JOIN_THREAD:
		r->a[1] = fz_u8(f) % (KC_MAX_THREADS_PER_PROC + 2);
		break;
	default: /* the returns: a token, then values */
		r->a[1] = pick_token(f);
		for (i = 2; i < 8; i++)
			r->a[i] = fz_u8(f);
		break;
	}
}

/* One syscall by t; checks that blocked and answered agree afterwards. */
static void do_syscall(kc_thread t, const kc_regs *r, bool with_mem)
{
	bool blocked = kc_thread_blocked(&S.k, t);
	kc_mem mem;
	int rc;

	memset(&mem, 0, sizeof(mem));
	if (with_mem) {
		FZ_CHECK(S.nmems < MAX_MEMS);
		mem.handle = S.nmems;
		mem.addr = r->a[4];
		mem.len = r->a[5];
		S.mems[S.nmems].state = MEM_LIVE;
		S.mems[S.nmems].pid = kc_thread_pid(&S.k, t);
		S.mems[S.nmems].pgen = S.pgen[S.mems[S.nmems].pid];
		S.mems[S.nmems].len = r->a[5];
		S.nmems++;
	}
	if (!blocked)
		S.waiting[t] = true;
	rc = kc_syscall(&S.k, t, r, with_mem ? &mem : NULL);
	FZ_CHECK(rc == (blocked ? -1 : 0)); /* a blocked thread cannot make a syscall */
	if (blocked && with_mem) {
		FZ_CHECK(S.mems[mem.handle].state == MEM_LIVE);
		S.mems[mem.handle].state = MEM_DONE; /* the platform keeps it: kcore never saw it */
	}
	FZ_CHECK(S.waiting[t] == kc_thread_blocked(&S.k, t));
}

/* ReceiveMany as the broker makes it: the envelopes it returns are the
 * thread's result (at most max, no memory kinds); with none, it is a
 * receive answered through the callbacks. */
static void do_receive_many(kc_thread t, const kc_regs *r)
{
	bool blocked = kc_thread_blocked(&S.k, t);
	kc_word max = r->a[5] == 0 || r->a[5] > KC_RECEIVE_MANY ? KC_RECEIVE_MANY : r->a[5];
	kc_regs env[KC_RECEIVE_MANY];
	uint32_t n = 99, i;
	int rc;

	if (!blocked)
		S.waiting[t] = true;
	rc = kc_receive_many(&S.k, t, r, env, &n);
	FZ_CHECK(rc == (blocked ? -1 : 0) && n <= max);
	if (n > 0) {
		FZ_CHECK(S.waiting[t]); /* nothing else answered it */
		S.waiting[t] = false;
	}
	for (i = 0; i < n; i++) {
		check_envelope(&env[i]);
		FZ_CHECK(env[i].a[2] == XOUS_KIND_SCALAR ||
		         env[i].a[2] == XOUS_KIND_BLOCKING_SCALAR);
		S.tokens[S.ntokens++ % POOL] = env[i].a[1];
	}
	FZ_CHECK(S.waiting[t] == kc_thread_blocked(&S.k, t));
}

/* AsyncSend (answered through the callbacks) or AsyncRecv (its result
 * returned, the thread never blocked), with a few bytes. */
static void do_async(kc_thread t, const kc_regs *r)
{
	static const uint8_t bytes[8] = "12345678";
	bool blocked = kc_thread_blocked(&S.k, t);
	uint8_t buf[XOUS_ASYNC_MAX];
	kc_regs out;
	int rc;

	if (r->a[0] == XOUS_SYS_ASYNC_SEND) {
		if (!blocked)
			S.waiting[t] = true;
		rc = kc_async_send(&S.k, t, r, bytes, r->a[4], NULL);
	} else {
		rc = kc_async_recv(&S.k, t, r, buf, &out, NULL);
		FZ_CHECK(blocked || out.a[0] == XOUS_RESULT_ERROR ||
		         (out.a[0] == XOUS_RESULT_SCALAR2 && out.a[2] <= r->a[3] && out.a[2] < 8));
	}
	FZ_CHECK(rc == (blocked ? -1 : 0));
	FZ_CHECK(S.waiting[t] == kc_thread_blocked(&S.k, t));
}

/* A send without an answer: refused only for a blocked thread or a kind
 * other than Scalar; never answered (fake_reply checks). */
static void do_send_ahead(kc_thread t, const kc_regs *r)
{
	bool blocked = kc_thread_blocked(&S.k, t);
	bool scalar = r->a[2] == XOUS_KIND_SCALAR;
	int rc = kc_send_ahead(&S.k, t, r);

	FZ_CHECK(rc == (blocked || !scalar ? -1 : 0));
	FZ_CHECK(kc_thread_blocked(&S.k, t) == blocked);
}

static void op_syscall(struct fz *f)
{
	uint8_t pick = fz_u8(f);
	kc_thread t = pick_thread(f, (pick & 0x0f) == 0);
	uint8_t sel = fz_u8(f);
	bool with_mem = false;
	kc_regs r;

	memset(&r, 0, sizeof(r));
	r.a[0] = sel < sizeof(syscalls) ? syscalls[sel] : sel % 64;
	if (r.a[0] == 0xff)
		r.a[0] = XOUS_SYS_RECEIVE_MANY;
	else if (r.a[0] == 0xfe)
		r.a[0] = XOUS_SYS_SERVER_OWNER;
	else if (r.a[0] == 0xfd)
		r.a[0] = XOUS_SYS_EXIT_NOTIFY;
	else if (r.a[0] == 0xfc)
		r.a[0] = XOUS_SYS_PID_HOLD;
	else if (r.a[0] >= 0xf8 && r.a[0] <= 0xfb)
		r.a[0] = XOUS_SYS_SET_NOTIFY_SERVER + (0xfb - r.a[0]);
	build_args(f, &r, &with_mem);
	if (t == KC_NO_THREAD)
		return;
	if ((pick & 0x10) && !with_mem &&
	    (r.a[0] == XOUS_SYS_SEND_MESSAGE || r.a[0] == XOUS_SYS_TRY_SEND_MESSAGE))
		do_send_ahead(t, &r);
	else if ((pick & 0x10) && r.a[0] == XOUS_SYS_RECEIVE_MANY)
		do_receive_many(t, &r);
	else if (r.a[0] == XOUS_SYS_ASYNC_SEND || r.a[0] == XOUS_SYS_ASYNC_RECV)
		do_async(t, &r);
	else
		do_syscall(t, &r, with_mem);
}

static void op_raw(struct fz *f)
{
	uint8_t how = fz_u8(f);
	kc_thread t;
	kc_regs r;
	int i;

	if (how < 0x20) {
		S.deliver_fail = how & 3;
		return;
	}
	if (how < 0x40) {
		kc_process_status(&S.k, pick_pid(f),
		                  fz_u8(f) + (how & 1 ? XOUS_STATUS_SIGNALED : 0));
		return;
	}
	t = pick_thread(f, how & 1);
	for (i = 0; i < 8; i++)
		r.a[i] = how & 2 ? (kc_word)fz_u64(f) : (kc_word)fz_u8(f);
	if (t != KC_NO_THREAD)
		do_syscall(t, &r, (how & 4) != 0);
}

/* ---- processes and threads ---- */

static void forget_dead_threads(void)
{
	kc_thread t;

	for (t = 0; t < KC_MAX_THREADS; t++)
		if (S.k.threads[t].state == KC_T_FREE || S.k.threads[t].state == KC_T_ZOMBIE)
			S.waiting[t] = false; /* it is gone: nobody is owed an answer */
}

static void op_process_create(void)
{
	uint32_t pid = 0, parent = S.creates++ % 2 ? S.last_pid : 0, err;
	kc_thread t = KC_NO_THREAD;

	err = kc_process_create_by(&S.k, parent, &pid, &t);
	if (parent && !kc_process_alive(&S.k, parent))
		FZ_CHECK(err == XOUS_ERR_PROCESS_NOT_FOUND);
	if (err == XOUS_OK) {
		FZ_CHECK(pid >= 2 && pid <= KC_MAX_PROCS && t < KC_MAX_THREADS);
		FZ_CHECK(kc_thread_tid(&S.k, t) == 1 && !S.waiting[t]);
		S.pgen[pid]++;
		S.last_pid = pid;
		if (S.creates % 3 == 0)
			FZ_CHECK(kc_process_set_role(&S.k, pid, S.task_role) == XOUS_OK);
	}
}

static void op_process_exit(struct fz *f)
{
	uint32_t pid = pick_pid(f);
	uint8_t status = fz_u8(f);
	kc_thread t;

	kc_process_exit_status(&S.k, pid, status == 0xff ? KC_STATUS_LATER : status);
	FZ_CHECK(!kc_process_alive(&S.k, pid));
	for (t = 0; t < KC_MAX_THREADS; t++)
		FZ_CHECK(S.k.threads[t].state == KC_T_FREE || S.k.threads[t].pid != pid);
	forget_dead_threads();
}

static void op_thread_create(struct fz *f)
{
	uint32_t pid = pick_pid(f);
	bool joinable = fz_u8(f) & 1;
	kc_thread t = KC_NO_THREAD;

	if (kc_thread_create(&S.k, pid, joinable, &t) == XOUS_OK)
		FZ_CHECK(t < KC_MAX_THREADS && kc_thread_pid(&S.k, t) == pid && !S.waiting[t]);
}

static void op_thread_exit(struct fz *f)
{
	kc_thread t = pick_thread(f, true);
	kc_word rv = fz_u8(f);

	if (t == KC_NO_THREAD)
		return;
	kc_thread_exit(&S.k, t, rv);
	forget_dead_threads();
}

static void run_record(struct fz *f)
{
	switch (fz_u8(f) % 8) {
	case 0:
		op_process_create();
		break;
	case 1:
		op_process_exit(f);
		break;
	case 2:
		op_thread_create(f);
		break;
	case 3:
		op_thread_exit(f);
		break;
	case 7:
		op_raw(f);
		break;
	default:
		op_syscall(f);
		break;
	}
}

/* Everyone exits: the kernel is back where it started and owes nothing. */
static void check_baseline(void)
{
	struct kc_counts c;
	uint32_t pid;
	unsigned i;

	for (pid = 2; pid <= KC_MAX_PROCS; pid++)
		kc_process_exit(&S.k, pid);
	forget_dead_threads();
	check_all();
	kc_counts(&S.k, &c);
	FZ_CHECK(c.procs == 1 && c.threads == 0 && c.servers == 0 && c.msgs == 0);
	FZ_CHECK(c.lent_bytes == 0 && c.ahead == 0 && c.reserved == 0);
	FZ_CHECK(kc_async_count(&S.k, 0) == 0); /* they end with their receivers */
	/* pid 1 (the kernel) lives on; kcore lets the name server connect it
	 * (ConnectForProcess to pid 1), so only its connections may remain. */
	for (i = 0; i < KC_MAX_CONNS; i++)
		c.conns -= S.k.procs[0].conns[i].server != 0;
	FZ_CHECK(c.conns == 0);
	for (i = 0; i < S.nmems; i++)
		FZ_CHECK(S.mems[i].state != MEM_LIVE); /* every lend came back once */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kc_ops ops = {
	        .reply = fake_reply,
	        .deliver = fake_deliver,
	        .mem_done = fake_mem_done,
	        .random_sid = fake_random_sid,
	        .withdraw = fake_withdraw,
	};
	struct fz f = {data, size};
	unsigned records = 0;

	uint32_t task_sid[4];

	memset(&S, 0, sizeof(S));
	kc_init(&S.k, &ops);
	memcpy(task_sid, XOUS_NAME_TASK, sizeof(task_sid));
	FZ_CHECK(kc_role_define(&S.k, task_sid, &S.task_role) == XOUS_OK);
	while (fz_left(&f) && records++ < 4096 && S.nmems < MAX_MEMS) {
		run_record(&f);
		check_all();
	}
	check_baseline();
	return 0;
}

/*
 * core.c - kcore's core and lifecycle: small helpers, the platform calls,
 * the slot lists, processes and threads, the syscall entry points and
 * introspection. A section of kcore.c (one translation unit).
 */
#include "kcore-internal.h"

/* ---- small freestanding helpers ---- */

/*
 * A byte loop, so that kcore names no libc function; GCC turns it into a
 * memset call, which every GCC target, even a freestanding one, must
 * provide (both kernels do), so kc_init zeroes its megabytes at memset's
 * speed. Keep it a loop the compiler recognises.
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

/* ---- platform calls ---- */

/* m: the memory of the message r ends (kcore.h: the order of the callbacks). */
static void op_reply(struct kc *k, kc_thread t, const kc_regs *r, const kc_mem *m)
{
	if (k->ops.reply)
		k->ops.reply(k->ops.ctx, t, r, m);
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
	op_reply(k, t, &r, NULL);
}

static void reply_err(struct kc *k, kc_thread t, uint32_t err)
{
	reply_tag(k, t, XOUS_RESULT_ERROR, err);
}

static void reply_ok(struct kc *k, kc_thread t)
{
	reply_tag(k, t, XOUS_RESULT_OK, 0);
}

/* Unblock t and give it r (which ends the message whose memory is m, if any). */
static void wake(struct kc *k, kc_thread t, const kc_regs *r, const kc_mem *m)
{
	k->threads[t].state = KC_T_RUNNING;
	op_reply(k, t, r, m);
}

static void wake_err(struct kc *k, kc_thread t, uint32_t err)
{
	kc_regs r;

	regs_set(&r, XOUS_RESULT_ERROR);
	r.a[1] = err;
	wake(k, t, &r, NULL);
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
	k->procs[0].alive = 1; /* pid 1: the kernel */
	k->procs[0].gen = 1;
	async_init(k);
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

uint32_t kc_process_create_by(struct kc *k, uint32_t parent, uint32_t *pid, kc_thread *main_thread)
{
	struct kc_proc *p, *pp = NULL;
	uint32_t i, err;
	kc_thread t;

	if (parent != 0 && (pp = proc_get(k, parent)) == NULL)
		return XOUS_ERR_PROCESS_NOT_FOUND;
	if (pp && pp->nchildren >= KC_MAX_CHILDREN_PER_PROC)
		return XOUS_ERR_OUT_OF_MEMORY;
	for (i = 1; i < KC_MAX_PROCS && (k->procs[i].alive || k->procs[i].hold); i++)
		;
	if (i == KC_MAX_PROCS)
		return XOUS_ERR_OUT_OF_MEMORY;
	p = &k->procs[i];
	p->alive = 1;
	p->gen++;
	p->roles = 0;
	p->launched = 0;
	p->phys = 0;
	notify_proc_init(p);
	p->pager = p->pager_gen = 0;
	p->fault_named = 0;
	err = kc_thread_create(k, i + 1, false, &t);
	if (err) {
		p->alive = 0;
		return err;
	}
	p->parent = parent;
	p->parent_gen = pp ? pp->gen : 0;
	if (pp)
		pp->nchildren++;
	if (pid)
		*pid = i + 1;
	if (main_thread)
		*main_thread = t;
	return XOUS_OK;
}

uint32_t kc_process_create(struct kc *k, uint32_t *pid, kc_thread *main_thread)
{
	return kc_process_create_by(k, 0, pid, main_thread);
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

/* The death of live process pid (not 1); kc_process_exit_status (tasks.c)
 * is the entry point. */
static void process_die(struct kc *k, uint32_t pid)
{
	struct kc_proc *p = proc_get(k, pid);
	uint32_t s, pgen;
	kc_thread t;

	pgen = p->gen;
	if (p->parent) {
		struct kc_proc *pp = proc_get(k, p->parent);

		if (pp && pp->gen == p->parent_gen)
			pp->nchildren--;
	}
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
	async_proc_exit(k, pid, pgen);
	phys_proc_exit(k, pid);
	p->phys = p->nrights = 0;
	kc_zero(p->conns, sizeof(p->conns));
	kc_zero(p->tids, sizeof(p->tids));
	p->nthreads = 0;
	p->lent = 0;
	p->nservers = p->nmsgs = p->nmem = p->ahead = p->nchildren = 0;
	p->parent = p->parent_gen = 0;
}

void kc_process_exit(struct kc *k, uint32_t pid)
{
	kc_process_exit_status(k, pid, 0);
}

static bool is_platform_syscall(kc_word n)
{
	return n == XOUS_SYS_MAP_MEMORY || n == XOUS_SYS_UNMAP_MEMORY ||
	       n == XOUS_SYS_UPDATE_MEMORY_FLAGS || n == XOUS_SYS_CREATE_THREAD ||
	       n == XOUS_SYS_TERMINATE_PROCESS || n == XOUS_SYS_WAIT_EVENT ||
	       n == XOUS_SYS_SHUTDOWN || n == XOUS_SYS_ASYNC_SEND || n == XOUS_SYS_ASYNC_RECV;
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
	case XOUS_SYS_SERVER_OWNER:
		sys_server_owner(k, t, in);
		break;
	case XOUS_SYS_EXIT_NOTIFY:
		sys_exit_notify(k, t, in);
		break;
	case XOUS_SYS_PID_HOLD:
		sys_pid_hold(k, t, in);
		break;
	case XOUS_SYS_SET_NOTIFY_SERVER:
		sys_set_notify_server(k, t, in);
		break;
	case XOUS_SYS_NOTIFY:
		sys_notify(k, t, in);
		break;
	case XOUS_SYS_CREATE_PROCESS: /* the platform's, once this check passed */
		reply_err(k, t,
		          kc_task_check(k, t) ? XOUS_ERR_ACCESS_DENIED
		                              : XOUS_ERR_UNHANDLED_SYSCALL);
		break;
	case XOUS_SYS_SET_PAGER:
		sys_set_pager(k, t, in);
		break;
	case XOUS_SYS_PAGER_OF:
		sys_pager_of(k, t);
		break;
	case XOUS_SYS_PHYS_GRANT:
		sys_phys_grant(k, t, in);
		break;
	case XOUS_SYS_PHYS_RELEASE:
		sys_phys_release(k, t, in->a[1]);
		break;
	case XOUS_SYS_RECEIVE_MESSAGE:
	case XOUS_SYS_TRY_RECEIVE_MESSAGE:
	case XOUS_SYS_RECEIVE_MANY: /* one envelope here; several: kc_receive_many */
		sys_receive(k, t, &in->a[1], in->a[0] == XOUS_SYS_TRY_RECEIVE_MESSAGE);
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

/* t may make a syscall now: a live thread that is not blocked. */
static bool may_call(const struct kc *k, kc_thread t, const kc_regs *in)
{
	return k && in && thread_live(k, t) && k->threads[t].state == KC_T_RUNNING;
}

int kc_syscall(struct kc *k, kc_thread t, const kc_regs *in, const kc_mem *mem)
{
	kc_word n;

	if (!may_call(k, t, in))
		return -1;
	n = in->a[0];
	if (n == XOUS_SYS_SEND_MESSAGE || n == XOUS_SYS_TRY_SEND_MESSAGE) {
		sys_send(k, t, in, mem,
		         n == XOUS_SYS_TRY_SEND_MESSAGE ? KC_SEND_TRY : KC_SEND_WAIT);
		return 0;
	}
	if (mem)
		op_mem_done(k, k->threads[t].pid, 0, mem); /* only sends carry memory */
	dispatch(k, t, in);
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

uint32_t kc_process_servers(const struct kc *k, uint32_t pid)
{
	uint32_t s, n = 0;

	for (s = 0; s < KC_MAX_SERVERS; s++)
		n += k->servers[s].alive && k->servers[s].owner == pid;
	return n;
}

void kc_process_usage(const struct kc *k, uint32_t pid, struct kc_usage *out)
{
	const struct kc_proc *p;

	kc_zero(out, sizeof(*out));
	if (!kc_process_alive(k, pid))
		return;
	p = &k->procs[pid - 1];
	out->servers = p->nservers;
	out->msgs = p->nmsgs;
	out->mem_msgs = p->nmem;
	out->ahead = p->ahead;
	out->children = p->nchildren;
	out->threads = p->nthreads;
	out->lent_bytes = p->lent;
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

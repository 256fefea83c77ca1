/*
 * servers.c - kcore's servers and connections: server ids and their hash,
 * a server's death, connection ids, and the syscalls that make, destroy
 * and connect to servers. A section of kcore.c (one translation unit).
 */
#include "kcore-internal.h"

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

/* ---- roles ---- */

/* The role whose id is sid, or KC_NIL. */
static uint32_t role_find(const struct kc *k, const uint32_t sid[4])
{
	uint32_t r;

	for (r = 0; r < k->nroles; r++)
		if (sid_eq(k->role_sid[r], sid))
			return r;
	return KC_NIL;
}

/* pid may create a server with id sid: sid is no role, or pid holds it. */
static bool role_allows(struct kc *k, uint32_t pid, const uint32_t sid[4])
{
	uint32_t r = role_find(k, sid);
	struct kc_proc *p = proc_get(k, pid);

	return r == KC_NIL || (p && (p->roles >> r & 1u));
}

uint32_t kc_role_define(struct kc *k, const uint32_t sid[4], uint32_t *role)
{
	uint32_t r = role_find(k, sid), i;

	if ((sid[0] | sid[1] | sid[2] | sid[3]) == 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (r == KC_NIL) {
		if (k->nroles == KC_MAX_ROLES)
			return XOUS_ERR_OUT_OF_MEMORY;
		r = k->nroles++;
		for (i = 0; i < 4; i++)
			k->role_sid[r][i] = sid[i];
	}
	if (role)
		*role = r;
	return XOUS_OK;
}

uint32_t kc_process_set_role(struct kc *k, uint32_t pid, uint32_t role)
{
	struct kc_proc *p = proc_get(k, pid);

	if (!p || pid == 1)
		return XOUS_ERR_PROCESS_NOT_FOUND;
	if (role >= k->nroles)
		return XOUS_ERR_INVALID_ARGUMENT;
	p->roles |= 1u << role;
	return XOUS_OK;
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

/* Fail every message of list l with SERVER_NOT_FOUND. */
static void list_fail(struct kc *k, struct kc_list *l, uint32_t server_pid)
{
	while (l->head != KC_NIL) {
		uint32_t m = l->head;

		msg_unlink(k, l, m);
		msg_fail(k, m, server_pid, XOUS_ERR_SERVER_NOT_FOUND);
	}
}

/* The server ends: everyone waiting on it learns SERVER_NOT_FOUND. */
static void server_die(struct kc *k, uint32_t s)
{
	struct kc_server *sv = &k->servers[s];
	struct kc_proc *owner;

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
	notify_gone(k, s);
	owner = proc_get(k, sv->owner); /* NULL while it dies: its quotas are reset */
	if (owner)
		owner->nservers--;
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
		wake(k, t, &r, NULL);
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
	struct kc_proc *p = proc_get(k, pid);
	struct kc_server *sv;
	kc_regs r;

	if (!role_allows(k, pid, sid)) {
		reply_err(k, t, XOUS_ERR_ACCESS_DENIED);
		return;
	}
	if (server_find(k, sid) != KC_NIL) {
		reply_err(k, t, XOUS_ERR_SERVER_EXISTS);
		return;
	}
	s = p->nservers < KC_MAX_SERVERS_PER_PROC ? server_alloc(k) : KC_NIL;
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
	p->nservers++;
	regs_set(&r, XOUS_RESULT_NEW_SERVER_ID);
	for (i = 0; i < 4; i++)
		r.a[1 + i] = sid[i];
	r.a[5] = cid;
	op_reply(k, t, &r, NULL);
	wake_connectors(k, s);
}

static bool random_sid(struct kc *k, uint32_t sid[4])
{
	int tries;

	for (tries = 0; tries < 16; tries++) {
		sid[0] = sid[1] = sid[2] = sid[3] = 0;
		if (k->ops.random_sid)
			k->ops.random_sid(k->ops.ctx, sid);
		if ((sid[0] | sid[1] | sid[2] | sid[3]) != 0 && server_find(k, sid) == KC_NIL &&
		    role_find(k, sid) == KC_NIL)
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
	op_reply(k, t, &r, NULL);
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

/* t is the name server's: its process owns the xous-name-server sid and,
 * where that sid is a role, holds it. */
static bool is_name_server(struct kc *k, kc_thread t)
{
	uint32_t ns_sid[4], ns;

	sid_from_name(ns_sid, XOUS_NAME_NAMES);
	ns = server_find(k, ns_sid);
	return ns != KC_NIL && k->servers[ns].owner == k->threads[t].pid &&
	       role_allows(k, k->threads[t].pid, ns_sid);
}

static void sys_connect_for(struct kc *k, kc_thread t, const kc_regs *in)
{
	uint32_t sid[4], s, cid = 0, err;

	if (!is_name_server(k, t)) {
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

/* Who created a server: the name server's check that a name is registered
 * by its server's owner, and that the owner still has it. Nobody else may
 * ask, so a process learns nothing of other processes' servers. */
static void sys_server_owner(struct kc *k, kc_thread t, const kc_regs *in)
{
	uint32_t sid[4], s;

	if (!is_name_server(k, t)) {
		reply_err(k, t, XOUS_ERR_ACCESS_DENIED);
		return;
	}
	sid_from_regs(sid, &in->a[1]);
	s = server_find(k, sid);
	if (s == KC_NIL)
		reply_err(k, t, XOUS_ERR_SERVER_NOT_FOUND);
	else
		reply_tag(k, t, XOUS_RESULT_PROCESS_ID, k->servers[s].owner);
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

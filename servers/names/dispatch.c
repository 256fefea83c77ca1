/*
 * The name server's dispatch: a table of names, each naming a server its
 * owner already created, and the BlockingConnect calls parked until their
 * name is registered. Connections are made for the caller by the kernel
 * (ConnectForProcess), so the server id itself never leaves this process.
 *
 * Rules of the table: a name is registered only by the process that created
 * its server (the kernel says who, ServerOwner); one process has at most
 * NAMES_MAX_PER_PROCESS names. A name is stale once its server is gone (its
 * process ended, or it was destroyed) or its sid is another process's: a
 * stale name counts for nothing and anyone may take it. A lookup connects
 * to whatever server has the name's sid, and forgets a name whose sid no
 * server has; every stale name is forgotten before a registration is
 * refused for want of room.
 *
 * Discovery (Resea's serve and lookup) is the same table seen through a
 * second server: Serve is RegisterName without a connection limit, Lookup
 * is BlockingConnect; every ConnectReply names the serving process (task).
 */
#include <stddef.h>
#include <string.h>

#include "names.h"

#define ST(svc) ((struct names_state *)(svc))

static struct names_entry *find_name(struct names_state *st, const ProtobufCBinaryData *name)
{
	for (size_t i = 0; i < NAMES_MAX_ENTRIES; i++) {
		struct names_entry *e = &st->entries[i];

		if (e->used && e->len == name->len && memcmp(e->name, name->data, e->len) == 0)
			return e;
	}
	return NULL;
}

static struct names_entry *find_sid(struct names_state *st, const xous_sid_t *sid)
{
	for (size_t i = 0; i < NAMES_MAX_ENTRIES; i++) {
		struct names_entry *e = &st->entries[i];

		if (e->used && memcmp(&e->sid, sid, sizeof(*sid)) == 0)
			return e;
	}
	return NULL;
}

/* Connect pid to e's server: the reply on success. */
static xous_err_t connect_to(struct names_state *st, struct names_entry *e, xous_pid_t pid,
                             NamesPb__ConnectReply *reply)
{
	xous_cid_t cid = 0;
	xous_err_t err;

	if (e->limit && e->conns >= e->limit)
		return XOUS_ERR_ACCESS_DENIED;
	err = st->io->connect_for_process(pid, &e->sid, &cid);
	if (err == XOUS_ERR_SERVER_NOT_FOUND)
		memset(e, 0, sizeof(*e)); /* its server is gone: so is the name */
	if (err)
		return err;
	e->conns++;
	reply->cid = cid;
	reply->task = e->owner;
	reply->token0 = e->token[0];
	reply->token1 = e->token[1];
	reply->token2 = e->token[2];
	reply->token3 = e->token[3];
	return XOUS_OK;
}

/* Answer every call parked on e's name. A waiter whose process died gets a
 * failed connect, and the answer to it is dropped quietly by the kernel. */
static void wake_waiters(struct names_state *st, struct names_entry *e)
{
	for (size_t i = 0; i < NAMES_MAX_WAITERS; i++) {
		struct names_waiter *w = &st->waiters[i];
		NamesPb__ConnectReply reply = NAMES_PB__CONNECT_REPLY__INIT;
		xous_err_t err;

		if (!w->used || w->len != e->len || memcmp(w->name, e->name, e->len) != 0)
			continue;
		err = connect_to(st, e, xous_sender_pid(w->env.sender), &reply);
		xous_rpc_answer(st->io, &w->env, &reply.base, err);
		w->used = 0;
	}
}

/* Is e's name stale: its server gone (its process ended, or it was
 * destroyed), or its sid now another process's? The kernel says who owns a
 * sid (ServerOwner). A server restarted by its fleet may then take its old
 * name again. */
static int is_stale(struct names_state *st, const struct names_entry *e)
{
	xous_pid_t owner = 0;
	xous_err_t err = st->io->server_owner(&e->sid, &owner);

	return err == XOUS_ERR_SERVER_NOT_FOUND || (err == XOUS_OK && owner != e->owner);
}

/* Forget e if it is stale; 1 if it was. */
static int drop_if_stale(struct names_state *st, struct names_entry *e)
{
	if (!is_stale(st, e))
		return 0;
	memset(e, 0, sizeof(*e));
	return 1;
}

/* The entry of a name whose server lives (a stale one is forgotten). */
static struct names_entry *find_live(struct names_state *st, const ProtobufCBinaryData *name)
{
	struct names_entry *e = find_name(st, name);

	return e && !drop_if_stale(st, e) ? e : NULL;
}

/* A free entry for one more name of pid's: none once pid has
 * NAMES_MAX_PER_PROCESS names or the table is full, after the stale names
 * (of processes that ended, servers destroyed) are forgotten. */
static struct names_entry *entry_slot(struct names_state *st, xous_pid_t pid)
{
	for (int pass = 0; pass < 2; pass++) {
		struct names_entry *free_e = NULL;
		size_t mine = 0;

		for (size_t i = 0; i < NAMES_MAX_ENTRIES; i++) {
			struct names_entry *e = &st->entries[i];

			if (!e->used && free_e == NULL)
				free_e = e;
			mine += e->used && e->owner == pid;
		}
		if (free_e && mine < NAMES_MAX_PER_PROCESS)
			return free_e;
		for (size_t i = 0; pass == 0 && i < NAMES_MAX_ENTRIES; i++)
			if (st->entries[i].used)
				drop_if_stale(st, &st->entries[i]);
	}
	return NULL;
}

/* pid may register sid: the kernel says pid created that server. */
static xous_err_t check_owner(struct names_state *st, const xous_sid_t *sid, xous_pid_t pid)
{
	xous_pid_t owner = 0;
	xous_err_t err = st->io->server_owner(sid, &owner);

	if (err)
		return err;
	return owner == pid ? XOUS_OK : XOUS_ERR_ACCESS_DENIED;
}

/* Fill the free entry e: name (valid) for pid's server sid. */
static void fill_entry(struct names_state *st, struct names_entry *e,
                       const ProtobufCBinaryData *name, const xous_sid_t *sid, xous_pid_t pid,
                       uint32_t limit)
{
	memset(e, 0, sizeof(*e));
	e->used = 1;
	memcpy(e->name, name->data, name->len);
	e->len = name->len;
	e->sid = *sid;
	e->owner = pid;
	e->limit = limit;
	st->random(e->token, 4);
	if (st->label)
		st->label(sid, e->name, e->len);
}

/* Register (names' RegisterName, discovery's Serve): in->name for the caller's
 * server, with at most limit connections brokered (0: no limit). */
static void register_name(struct names_state *st, const NamesPb__RegisterRequest *in,
                          uint32_t limit, NamesPb__Empty_Closure closure, void *data)
{
	xous_sid_t sid = {{in->sid0, in->sid1, in->sid2, in->sid3}};
	xous_pid_t pid = xous_rpc_sender_pid(data);
	NamesPb__Empty empty = NAMES_PB__EMPTY__INIT;
	struct names_entry *e = NULL;
	xous_err_t err = XOUS_OK;

	if (!names_valid(in->name.data, in->name.len))
		err = XOUS_ERR_INVALID_STRING;
	else if ((sid.w[0] | sid.w[1] | sid.w[2] | sid.w[3]) == 0)
		err = XOUS_ERR_INVALID_ARGUMENT;
	else
		err = check_owner(st, &sid, pid);
	if (err == XOUS_OK && find_live(st, &in->name))
		err = XOUS_ERR_SERVER_EXISTS;
	if (err == XOUS_OK && (e = entry_slot(st, pid)) == NULL)
		err = XOUS_ERR_OUT_OF_MEMORY;
	if (err) {
		xous_rpc_fail(data, err);
		return;
	}
	fill_entry(st, e, &in->name, &sid, pid, limit);
	closure(&empty, data);
	wake_waiters(st, e);
}

static void do_register(NamesPb__Names_Service *svc, const NamesPb__RegisterRequest *in,
                        NamesPb__Empty_Closure closure, void *data)
{
	register_name(ST(svc), in, in->conn_limit, closure, data);
}

/* Lookup and TryConnect: connect now or say the name is absent. */
static void do_lookup(NamesPb__Names_Service *svc, const NamesPb__LookupRequest *in,
                      NamesPb__ConnectReply_Closure closure, void *data)
{
	struct names_state *st = ST(svc);
	NamesPb__ConnectReply reply = NAMES_PB__CONNECT_REPLY__INIT;
	struct names_entry *e;
	xous_err_t err;

	if (!names_valid(in->name.data, in->name.len)) {
		xous_rpc_fail(data, XOUS_ERR_INVALID_STRING);
		return;
	}
	e = find_name(st, &in->name);
	if (e == NULL) {
		xous_rpc_fail(data, XOUS_ERR_SERVER_NOT_FOUND);
		return;
	}
	err = connect_to(st, e, xous_rpc_sender_pid(data), &reply);
	if (err) {
		xous_rpc_fail(data, err);
		return;
	}
	closure(&reply, data);
}

static void do_auth_lookup(NamesPb__Names_Service *svc, const NamesPb__AuthLookupRequest *in,
                           NamesPb__ConnectReply_Closure closure, void *data)
{
	(void)svc, (void)in, (void)closure;
	xous_rpc_fail(data, XOUS_ERR_ACCESS_DENIED);
}

static xous_err_t unregister_sid(struct names_state *st, const xous_sid_t *sid, xous_pid_t pid)
{
	struct names_entry *e = find_sid(st, sid);

	if (e == NULL)
		return XOUS_ERR_SERVER_NOT_FOUND;
	if (e->owner != pid)
		return XOUS_ERR_ACCESS_DENIED;
	memset(e, 0, sizeof(*e));
	if (st->label) { /* the kernel's label: another name of sid's, else none (len 0) */
		e = find_sid(st, sid);
		st->label(sid, e ? e->name : (const uint8_t *)"", e ? e->len : 0);
	}
	return XOUS_OK;
}

static void do_unregister(NamesPb__Names_Service *svc, const NamesPb__UnregisterRequest *in,
                          NamesPb__Empty_Closure closure, void *data)
{
	xous_sid_t sid = {{in->sid0, in->sid1, in->sid2, in->sid3}};
	NamesPb__Empty empty = NAMES_PB__EMPTY__INIT;
	xous_err_t err = unregister_sid(ST(svc), &sid, xous_rpc_sender_pid(data));

	if (err) {
		xous_rpc_fail(data, err);
		return;
	}
	closure(&empty, data);
}

static void do_disconnect(NamesPb__Names_Service *svc, const NamesPb__DisconnectRequest *in,
                          NamesPb__Empty_Closure closure, void *data)
{
	NamesPb__Empty empty = NAMES_PB__EMPTY__INIT;
	struct names_entry *e;

	if (!names_valid(in->name.data, in->name.len)) {
		xous_rpc_fail(data, XOUS_ERR_INVALID_STRING);
		return;
	}
	e = find_name(ST(svc), &in->name);
	if (e == NULL) {
		xous_rpc_fail(data, XOUS_ERR_SERVER_NOT_FOUND);
		return;
	}
	if (in->token0 != e->token[0] || in->token1 != e->token[1] || in->token2 != e->token[2] ||
	    in->token3 != e->token[3]) {
		xous_rpc_fail(data, XOUS_ERR_ACCESS_DENIED);
		return;
	}
	if (e->conns > 0)
		e->conns--;
	closure(&empty, data);
}

/* Every name registered with a limit has used up its limit (Xous's TOFU);
 * the name of a server that is gone counts no more. */
static int trusted_init_done(struct names_state *st)
{
	for (size_t i = 0; i < NAMES_MAX_ENTRIES; i++) {
		struct names_entry *e = &st->entries[i];

		if (e->used && e->limit && e->conns < e->limit && !drop_if_stale(st, e))
			return 0;
	}
	return 1;
}

static void do_trusted_init_done(NamesPb__Names_Service *svc, const NamesPb__Empty *in,
                                 NamesPb__TrustedInitReply_Closure closure, void *data)
{
	NamesPb__TrustedInitReply reply = NAMES_PB__TRUSTED_INIT_REPLY__INIT;

	(void)in;
	reply.done = trusted_init_done(ST(svc));
	closure(&reply, data);
}

/* The waiter table is full: drop the waiters whose process has ended. The
 * kernel says so when asked to connect that process to this very server
 * (harmless otherwise: it is connected already, it sent us the request). */
static void sweep_dead_waiters(struct names_state *st)
{
	const char *name = NAMES_SERVER_NAME;
	xous_sid_t self;

	memset(&self, 0, sizeof(self));
	for (int i = 0; i < 16; i++) /* four little-endian words, as every kernel reads it */
		self.w[i / 4] |= (uint32_t)(uint8_t)name[i] << (8 * (i % 4));

	for (size_t i = 0; i < NAMES_MAX_WAITERS; i++) {
		struct names_waiter *w = &st->waiters[i];
		xous_cid_t cid;

		if (w->used && st->io->connect_for_process(xous_sender_pid(w->env.sender), &self,
		                                           &cid) == XOUS_ERR_PROCESS_NOT_FOUND) {
			xous_rpc_answer(st->io, &w->env, NULL, XOUS_ERR_PROCESS_NOT_FOUND);
			w->used = 0;
		}
	}
}

static struct names_waiter *waiter_slot(struct names_state *st)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < NAMES_MAX_WAITERS; i++)
			if (!st->waiters[i].used)
				return &st->waiters[i];
		if (pass == 0)
			sweep_dead_waiters(st);
	}
	return NULL;
}

/* BlockingConnect (names) and Lookup (discovery): connect now, or park
 * the call until the name is registered. */
static void blocking_connect(struct names_state *st, const NamesPb__LookupRequest *in,
                             NamesPb__ConnectReply_Closure closure, void *data)
{
	struct names_waiter *w = NULL;
	struct names_entry *e;

	if (!names_valid(in->name.data, in->name.len)) {
		xous_rpc_fail(data, XOUS_ERR_INVALID_STRING);
		return;
	}
	e = find_name(st, &in->name);
	if (e != NULL) {
		NamesPb__ConnectReply reply = NAMES_PB__CONNECT_REPLY__INIT;
		xous_err_t err = connect_to(st, e, xous_rpc_sender_pid(data), &reply);
		if (err == XOUS_OK) {
			closure(&reply, data);
			return;
		}
		/* Its server died (connect_to forgot the name): wait for the name to
		 * be registered again, as a restarted server does. */
		if (err != XOUS_ERR_SERVER_NOT_FOUND) {
			xous_rpc_fail(data, err);
			return;
		}
	}
	w = waiter_slot(st);
	if (w == NULL) {
		xous_rpc_fail(data, XOUS_ERR_OUT_OF_MEMORY);
		return;
	}
	w->used = 1;
	memcpy(w->name, in->name.data, in->name.len);
	w->len = in->name.len;
	xous_rpc_defer(data, &w->env);
}

static void do_blocking_connect(NamesPb__Names_Service *svc, const NamesPb__LookupRequest *in,
                                NamesPb__ConnectReply_Closure closure, void *data)
{
	blocking_connect(ST(svc), in, closure, data);
}

/* ---- discovery: Resea's serve and lookup on the same table ---- */

#define DST(svc) ((struct names_state *)((char *)(svc)-offsetof(struct names_state, discovery)))

static void do_serve(DiscoveryPb__Discovery_Service *svc, const NamesPb__RegisterRequest *in,
                     NamesPb__Empty_Closure closure, void *data)
{
	register_name(DST(svc), in, 0, closure, data);
}

static void do_discovery_lookup(DiscoveryPb__Discovery_Service *svc,
                                const NamesPb__LookupRequest *in,
                                NamesPb__ConnectReply_Closure closure, void *data)
{
	blocking_connect(DST(svc), in, closure, data);
}

xous_err_t names_serve_discovery(struct names_state *st, const xous_sid_t *sid)
{
	static const ProtobufCBinaryData name = {sizeof(DISCOVERY_SERVER_NAME) - 1,
	                                         (uint8_t *)DISCOVERY_SERVER_NAME};
	xous_pid_t self = st->io->process_id();
	struct names_entry *e;

	if (find_live(st, &name))
		return XOUS_ERR_SERVER_EXISTS;
	e = entry_slot(st, self);
	if (e == NULL)
		return XOUS_ERR_OUT_OF_MEMORY;
	fill_entry(st, e, &name, sid, self, 0);
	wake_waiters(st, e);
	return XOUS_OK;
}

xous_answer_t discovery_dispatch(struct names_state *st, xous_envelope_t *env)
{
	return xous_rpc_serve(&st->discovery.base, env);
}

void names_init(struct names_state *st, const struct xous_server_io *io,
                void (*random)(uint32_t *words, size_t n))
{
	memset(st, 0, sizeof(*st));
	names_pb__names__init(&st->svc, NULL);
	st->svc.register_name = do_register;
	st->svc.lookup = do_lookup;
	st->svc.authenticated_lookup = do_auth_lookup;
	st->svc.unregister = do_unregister;
	st->svc.disconnect = do_disconnect;
	st->svc.trusted_init_done = do_trusted_init_done;
	st->svc.blocking_connect = do_blocking_connect;
	st->svc.try_connect = do_lookup;
	discovery_pb__discovery__init(&st->discovery, NULL);
	st->discovery.serve = do_serve;
	st->discovery.lookup = do_discovery_lookup;
	st->io = io;
	st->random = random;
}

size_t names_registered(const struct names_state *st)
{
	size_t n = 0;

	for (size_t i = 0; i < NAMES_MAX_ENTRIES; i++)
		n += st->entries[i].used != 0;
	return n;
}

size_t names_waiting(const struct names_state *st)
{
	size_t n = 0;

	for (size_t i = 0; i < NAMES_MAX_WAITERS; i++)
		n += st->waiters[i].used != 0;
	return n;
}

/* Xous's scalar forms of Unregister and TrustedInitDone. */
static xous_answer_t dispatch_scalar(struct names_state *st, xous_envelope_t *env)
{
	xous_sid_t sid;

	if (env->kind != XOUS_BLOCKING_SCALAR)
		return xous_answer_none();
	switch (env->scalar.id) {
	case NAMES_OP_UNREGISTER:
		for (int i = 0; i < 4; i++)
			sid.w[i] = (uint32_t)env->scalar.arg[i];
		return xous_answer_scalar1(unregister_sid(st, &sid, xous_sender_pid(env->sender)) ==
		                           XOUS_OK);
	case NAMES_OP_TRUSTED_INIT_DONE:
		return xous_answer_scalar1((uintptr_t)trusted_init_done(st));
	default:
		return xous_answer_none();
	}
}

xous_answer_t names_dispatch(struct names_state *st, xous_envelope_t *env)
{
	if (env->kind == XOUS_SCALAR || env->kind == XOUS_BLOCKING_SCALAR)
		return dispatch_scalar(st, env);
	return xous_rpc_serve(&st->svc.base, env);
}

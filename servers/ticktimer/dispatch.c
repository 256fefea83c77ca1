/*
 * The ticktimer's dispatch: one table of parked callers (sleepers, mutex
 * waiters, condition waiters), answered by deadline or by the calls that
 * release them. Tables are small and fixed: a linear scan is cheaper than
 * it looks and keeps the server free of allocation.
 */
#include <resea/global.h>
#include <string.h>

#include "ticktimer.h"

static struct tt_waiter *waiter_new(struct tt_state *st, enum tt_wait_kind kind,
                                    const xous_envelope_t *env)
{
	for (size_t i = 0; i < TT_MAX_WAITERS; i++) {
		struct tt_waiter *w = &st->waiters[i];

		if (w->kind != TT_WAIT_NONE)
			continue;
		memset(w, 0, sizeof(*w));
		w->kind = kind;
		w->sender = env->sender;
		w->pid = xous_sender_pid(env->sender);
		w->key = env->scalar.arg[0];
		w->seq = st->seq++;
		return w;
	}
	return NULL;
}

/* The oldest waiter of kind for (pid, key), or NULL. */
static struct tt_waiter *waiter_first(struct tt_state *st, enum tt_wait_kind kind, xous_pid_t pid,
                                      uintptr_t key)
{
	struct tt_waiter *best = NULL;

	for (size_t i = 0; i < TT_MAX_WAITERS; i++) {
		struct tt_waiter *w = &st->waiters[i];

		if (w->kind == kind && w->pid == pid && w->key == key &&
		    (best == NULL || w->seq < best->seq))
			best = w;
	}
	return best;
}

static void waiter_answer(struct tt_state *st, struct tt_waiter *w, uintptr_t v)
{
	st->io->return_scalar(w->sender, v);
	w->kind = TT_WAIT_NONE;
}

/* The waiter with the earliest (deadline, seq), or NULL. */
static const struct tt_waiter *earliest(const struct tt_state *st)
{
	const struct tt_waiter *best = NULL;

	for (size_t i = 0; i < TT_MAX_WAITERS; i++) {
		const struct tt_waiter *w = &st->waiters[i];

		if (w->kind == TT_WAIT_NONE || !w->has_deadline)
			continue;
		if (best == NULL || w->deadline < best->deadline ||
		    (w->deadline == best->deadline && w->seq < best->seq))
			best = w;
	}
	return best;
}

int tt_next_deadline(const struct tt_state *st, uint64_t *deadline_ms)
{
	const struct tt_waiter *w = earliest(st);

	if (w)
		*deadline_ms = w->deadline;
	return w != NULL;
}

void tt_expire(struct tt_state *st, uint64_t now_ms)
{
	const struct tt_waiter *w;

	while ((w = earliest(st)) != NULL && w->deadline <= now_ms) {
		if (w->kind == TT_WAIT_NOTIFY) { /* a task's timer: its notification */
			((struct tt_waiter *)w)->kind = TT_WAIT_NONE;
			if (st->notify)
				st->notify(w->pid, NOTIFY_TIMER);
			continue;
		}
		/* a sleeper is done (0); a condition waiter timed out (1) */
		waiter_answer(st, (struct tt_waiter *)w, w->kind == TT_WAIT_COND);
	}
}

size_t tt_waiting(const struct tt_state *st)
{
	size_t n = 0;

	for (size_t i = 0; i < TT_MAX_WAITERS; i++)
		n += st->waiters[i].kind != TT_WAIT_NONE;
	return n;
}

static struct tt_mutex *mutex_find(struct tt_state *st, xous_pid_t pid, uintptr_t key, int create)
{
	struct tt_mutex *free_slot = NULL;

	for (size_t i = 0; i < TT_MAX_MUTEXES; i++) {
		struct tt_mutex *m = &st->mutexes[i];

		if (m->used && m->pid == pid && m->key == key)
			return m;
		if (!m->used && free_slot == NULL)
			free_slot = m;
	}
	if (!create || free_slot == NULL)
		return NULL;
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->used = 1;
	free_slot->pid = pid;
	free_slot->key = key;
	return free_slot;
}

/* Park env as a waiter of kind with a deadline (has_deadline 0: none); the
 * dropped answer if the table is full. */
static xous_answer_t park(struct tt_state *st, enum tt_wait_kind kind, const xous_envelope_t *env,
                          int has_deadline, uint64_t deadline)
{
	struct tt_waiter *w;

	if (env->kind != XOUS_BLOCKING_SCALAR)
		return xous_answer_none();
	w = waiter_new(st, kind, env);
	if (w == NULL)
		return xous_answer_none();
	w->has_deadline = has_deadline;
	w->deadline = deadline;
	return xous_answer_deferred();
}

static xous_answer_t op_elapsed(struct tt_state *st, uint64_t now)
{
	uint64_t ms = now - st->start_ms;

	return xous_answer_scalar2((uint32_t)ms, (uint32_t)(ms >> 32));
}

static xous_answer_t op_sleep(struct tt_state *st, xous_envelope_t *env, uint64_t now)
{
	if (env->scalar.arg[0] == 0)
		return xous_answer_scalar1(0);
	return park(st, TT_WAIT_SLEEP, env, 1, now + env->scalar.arg[0]);
}

/* The caller's task timer: replaces the one it had; armed, it answers 0. */
static xous_answer_t op_notify_after(struct tt_state *st, xous_envelope_t *env, uint64_t now)
{
	xous_pid_t pid = xous_sender_pid(env->sender);
	struct tt_waiter *w;

	for (size_t i = 0; i < TT_MAX_WAITERS; i++)
		if (st->waiters[i].kind == TT_WAIT_NOTIFY && st->waiters[i].pid == pid)
			st->waiters[i].kind = TT_WAIT_NONE;
	w = waiter_new(st, TT_WAIT_NOTIFY, env);
	if (w == NULL)
		return xous_answer_none(); /* a full table: the dropped answer */
	w->sender = 0;                     /* nobody waits: the notification is the answer */
	w->has_deadline = 1;
	w->deadline = now + env->scalar.arg[0];
	return xous_answer_scalar1(0);
}

static xous_answer_t op_version(struct tt_state *st, xous_envelope_t *env)
{
	size_t len = strlen(st->version);

	if (env->kind != XOUS_MUTABLE_BORROW)
		return xous_answer_none();
	if (len > env->memory.buf.len)
		len = env->memory.buf.len;
	memcpy(env->memory.buf.addr, st->version, len);
	return xous_answer_memory(0, len);
}

static xous_answer_t op_lock(struct tt_state *st, xous_envelope_t *env)
{
	struct tt_mutex *m;

	if (env->kind != XOUS_BLOCKING_SCALAR)
		return xous_answer_none();
	m = mutex_find(st, xous_sender_pid(env->sender), env->scalar.arg[0], 1);
	if (m == NULL)
		return xous_answer_none();
	if (m->locked)
		return park(st, TT_WAIT_MUTEX, env, 0, 0);
	m->locked = 1;
	return xous_answer_scalar1(0);
}

static xous_answer_t op_unlock(struct tt_state *st, xous_envelope_t *env)
{
	xous_pid_t pid = xous_sender_pid(env->sender);
	struct tt_mutex *m = mutex_find(st, pid, env->scalar.arg[0], 0);
	struct tt_waiter *w = waiter_first(st, TT_WAIT_MUTEX, pid, env->scalar.arg[0]);

	if (w) { /* the lock passes straight to the oldest waiter */
		waiter_answer(st, w, 0);
		return xous_answer_scalar1(1);
	}
	if (m) /* a free mutex needs no entry: only held ones take table space */
		m->used = 0;
	return xous_answer_scalar1(0);
}

static xous_answer_t op_wait(struct tt_state *st, xous_envelope_t *env, uint64_t now)
{
	uintptr_t timeout = env->scalar.arg[1];

	return park(st, TT_WAIT_COND, env, timeout != 0, now + timeout);
}

/* Wake up to count (0 = all) waiters of kind on (pid, key) with v, oldest first. */
static uintptr_t wake(struct tt_state *st, enum tt_wait_kind kind, xous_pid_t pid, uintptr_t key,
                      uintptr_t count, uintptr_t v)
{
	uintptr_t woken = 0;
	struct tt_waiter *w;

	while ((count == 0 || woken < count) && (w = waiter_first(st, kind, pid, key)) != NULL) {
		if (v == (uintptr_t)-1) { /* dropped: the caller gets UNAVAILABLE */
			st->io->return_memory(w->sender, 0, 0);
			w->kind = TT_WAIT_NONE;
		} else {
			waiter_answer(st, w, v);
		}
		woken++;
	}
	return woken;
}

static xous_answer_t op_notify(struct tt_state *st, xous_envelope_t *env)
{
	xous_pid_t pid = xous_sender_pid(env->sender);

	return xous_answer_scalar1(
	        wake(st, TT_WAIT_COND, pid, env->scalar.arg[0], env->scalar.arg[1], 0));
}

static xous_answer_t op_free_mutex(struct tt_state *st, xous_envelope_t *env)
{
	xous_pid_t pid = xous_sender_pid(env->sender);
	struct tt_mutex *m = mutex_find(st, pid, env->scalar.arg[0], 0);

	wake(st, TT_WAIT_MUTEX, pid, env->scalar.arg[0], 0, (uintptr_t)-1);
	if (m)
		m->used = 0;
	return xous_answer_scalar1(0);
}

static xous_answer_t op_free_condition(struct tt_state *st, xous_envelope_t *env)
{
	wake(st, TT_WAIT_COND, xous_sender_pid(env->sender), env->scalar.arg[0], 0, 0);
	return xous_answer_scalar1(0);
}

/* A scalar answer to a Scalar goes nowhere: nobody waits for it. */
static xous_answer_t dispatch_scalar(struct tt_state *st, xous_envelope_t *env, uint64_t now)
{
	switch (env->scalar.id) {
	case TT_OP_ELAPSED_MS:
		return op_elapsed(st, now);
	case TT_OP_SLEEP_MS:
		return op_sleep(st, env, now);
	case TT_OP_LOCK_MUTEX:
		return op_lock(st, env);
	case TT_OP_UNLOCK_MUTEX:
		return op_unlock(st, env);
	case TT_OP_WAIT_FOR_CONDITION:
		return op_wait(st, env, now);
	case TT_OP_NOTIFY_CONDITION:
		return op_notify(st, env);
	case TT_OP_FREE_MUTEX:
		return op_free_mutex(st, env);
	case TT_OP_FREE_CONDITION:
		return op_free_condition(st, env);
	case TT_OP_NOTIFY_AFTER_MS:
		return op_notify_after(st, env, now);
	default: /* RecalculateSleep: the expiry after dispatch is the whole point */
		return xous_answer_none();
	}
}

xous_answer_t tt_dispatch(struct tt_state *st, xous_envelope_t *env, uint64_t now_ms)
{
	xous_answer_t a = xous_answer_none();

	if (env->kind == XOUS_SCALAR || env->kind == XOUS_BLOCKING_SCALAR)
		a = dispatch_scalar(st, env, now_ms);
	else if (env->memory.id == TT_OP_GET_VERSION)
		a = op_version(st, env);
	tt_expire(st, now_ms);
	return a;
}

void tt_init(struct tt_state *st, const struct xous_server_io *io, uint64_t now_ms,
             const char *version)
{
	memset(st, 0, sizeof(*st));
	st->io = io;
	st->start_ms = now_ms;
	st->version = version;
}

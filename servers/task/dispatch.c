/*
 * The task server's dispatch: launched tasks, watches, reservations, and
 * the kernel's exit notices (api.h, docs/resea-tasks.md).
 *
 * Rules:
 * - Only a Scalar TASK_OP_EXITED from pid 1 is an exit notice.
 * - A task this server launched keeps its status after it ended until a
 *   watcher is told or TASK_KEEP_MS pass; the kernel keeps its id until
 *   the server releases it. Any other ended id the kernel kept for us
 *   (none we know of) is released at once.
 * - A client's watches and reservations end with it.
 * - Time is read on each message: expired statuses go then (no timer).
 * - As the default pager: an exception (from pid 1 only) is kept until its
 *   task's exit notice, whose notifications then carry its type and
 *   address; a page fault gets a zero-filled page.
 */
#include <string.h>
#include <resea/global.h>

#include "task.h"

static uint32_t sender_pid(const xous_envelope_t *env)
{
	return xous_sender_pid(env->sender);
}

void task_init(struct task_srv *st, const struct task_ops *ops)
{
	memset(st, 0, sizeof(*st));
	st->ops = *ops;
}

static struct task_entry *entry_find(struct task_srv *st, uint32_t task)
{
	for (size_t i = 0; i < TASK_MAX_ENTRIES; i++)
		if (st->e[i].state != TASK_FREE && st->e[i].task == task)
			return &st->e[i];
	return NULL;
}

static void entry_drop(struct task_srv *st, struct task_entry *e)
{
	if (e->state == TASK_ENDED || e->state == TASK_RESERVED)
		st->ops.release(st->ops.ctx, e->task);
	memset(e, 0, sizeof(*e));
}

/* Statuses kept past TASK_KEEP_MS go, and their ids with them. */
static void expire(struct task_srv *st, uint64_t now)
{
	for (size_t i = 0; i < TASK_MAX_ENTRIES; i++)
		if (st->e[i].state == TASK_ENDED && now - st->e[i].ended_ms >= TASK_KEEP_MS)
			entry_drop(st, &st->e[i]);
}

static struct task_entry *entry_new(struct task_srv *st)
{
	for (size_t i = 0; i < TASK_MAX_ENTRIES; i++)
		if (st->e[i].state == TASK_FREE)
			return &st->e[i];
	return NULL;
}

/* Entries in state held by client pid (running launched tasks, reservations). */
static size_t entries_of(const struct task_srv *st, uint32_t pid, enum task_state state)
{
	size_t n = 0;

	for (size_t i = 0; i < TASK_MAX_ENTRIES; i++)
		n += st->e[i].state == state && st->e[i].owner == pid;
	return n;
}

static size_t watches_of(const struct task_srv *st, uint32_t pid)
{
	size_t n = 0;

	for (size_t i = 0; i < TASK_MAX_WATCHES; i++)
		n += st->w[i].used && st->w[i].by == pid;
	return n;
}

/* ---- launch ---- */

static xous_answer_t launch(struct task_srv *st, const xous_envelope_t *env)
{
	char line[XOUS_CMDLINE_MAX + 1];
	uint32_t pid = sender_pid(env), task = 0;
	size_t len = env->memory.valid;
	struct task_entry *e = entry_new(st);
	xous_err_t err;

	if (env->kind != XOUS_BORROW && env->kind != XOUS_MUTABLE_BORROW)
		return xous_answer_none();
	if (len == 0 || len > XOUS_CMDLINE_MAX || len > env->memory.buf.len)
		return xous_answer_memory(XOUS_ERR_INVALID_ARGUMENT, 0);
	if (!e || entries_of(st, pid, TASK_RUNNING) + entries_of(st, pid, TASK_ENDED) >=
	                  TASK_MAX_PER_CLIENT)
		return xous_answer_memory(XOUS_ERR_OUT_OF_MEMORY, 0);
	memcpy(line, env->memory.buf.addr, len);
	line[len] = '\0';
	if (strlen(line) != len) /* a NUL inside: not a command line */
		return xous_answer_memory(XOUS_ERR_INVALID_ARGUMENT, 0);
	err = st->ops.create(st->ops.ctx, line, &task);
	if (err)
		return xous_answer_memory(err, 0);
	e->state = TASK_RUNNING;
	e->task = task;
	e->owner = pid;
	return xous_answer_memory(XOUS_OK, task);
}

/* ---- watches ---- */

static struct task_watch *watch_find(struct task_srv *st, uint32_t task, uint32_t by)
{
	for (size_t i = 0; i < TASK_MAX_WATCHES; i++)
		if (st->w[i].used && st->w[i].task == task && st->w[i].by == by)
			return &st->w[i];
	return NULL;
}

/* Tell every watcher of task that it ended; true if anyone was told. */
static bool tell_watchers(struct task_srv *st, uint32_t task, uint32_t status,
                          const struct task_cause *c)
{
	bool told = false;

	for (size_t i = 0; i < TASK_MAX_WATCHES; i++) {
		struct task_watch *w = &st->w[i];

		if (!w->used || w->task != task)
			continue;
		if (st->ops.notify(st->ops.ctx, &w->notify, w->opcode, task, status, c->type,
		                   c->address) == XOUS_OK)
			told = true;
		memset(w, 0, sizeof(*w));
	}
	return told;
}

static xous_err_t watch_add(struct task_srv *st, uint32_t by, const struct task_watch_req *req)
{
	struct task_entry *e = entry_find(st, req->task);
	struct task_watch *w = watch_find(st, req->task, by);
	xous_sid_t sid;

	memcpy(sid.w, req->notify, sizeof(sid.w));
	if (e && e->state == TASK_ENDED) { /* gone already: told at once */
		xous_err_t err = st->ops.notify(st->ops.ctx, &sid, req->opcode, e->task, e->status,
		                                e->type, e->address);

		if (err == XOUS_OK)
			entry_drop(st, e);
		return err;
	}
	if (e ? e->state != TASK_RUNNING : !st->ops.alive(st->ops.ctx, req->task))
		return XOUS_ERR_NOT_FOUND;
	for (size_t i = 0; !w && i < TASK_MAX_WATCHES; i++)
		if (!st->w[i].used && watches_of(st, by) < TASK_MAX_PER_CLIENT)
			w = &st->w[i];
	if (!w)
		return XOUS_ERR_OUT_OF_MEMORY;
	w->used = true;
	w->task = req->task;
	w->by = by;
	w->opcode = req->opcode;
	w->notify = sid;
	return XOUS_OK;
}

static xous_answer_t watch(struct task_srv *st, const xous_envelope_t *env)
{
	struct task_watch_req req;

	if (env->kind != XOUS_BORROW && env->kind != XOUS_MUTABLE_BORROW)
		return xous_answer_none();
	if (env->memory.valid != sizeof(req) || env->memory.buf.len < sizeof(req))
		return xous_answer_memory(XOUS_ERR_INVALID_ARGUMENT, 0);
	memcpy(&req, env->memory.buf.addr, sizeof(req));
	return xous_answer_memory(watch_add(st, sender_pid(env), &req), 0);
}

static xous_err_t unwatch(struct task_srv *st, uint32_t by, uint32_t task)
{
	struct task_watch *w = watch_find(st, task, by);

	if (!w)
		return XOUS_ERR_NOT_FOUND;
	memset(w, 0, sizeof(*w));
	return XOUS_OK;
}

/* ---- reservations ---- */

static xous_answer_t alloc(struct task_srv *st, uint32_t by, uint32_t pager)
{
	struct task_entry *e = entry_new(st);
	uint32_t task = 0;
	xous_err_t err;

	if (!e || entries_of(st, by, TASK_RESERVED) >= TASK_MAX_PER_CLIENT)
		return xous_answer_scalar2(XOUS_ERR_OUT_OF_MEMORY, 0);
	err = st->ops.reserve(st->ops.ctx, &task);
	if (err)
		return xous_answer_scalar2(err, 0);
	e->state = TASK_RESERVED;
	e->task = task;
	e->owner = by;
	e->pager = pager;
	return xous_answer_scalar2(XOUS_OK, task);
}

/* A reservation of the caller's: released. A task that is in use:
 * INVALID_ARGUMENT; another's reservation: ACCESS_DENIED; else NOT_FOUND. */
static xous_err_t task_release(struct task_srv *st, uint32_t by, uint32_t task)
{
	struct task_entry *e = entry_find(st, task);

	if (e && e->state == TASK_RESERVED) {
		if (e->owner != by)
			return XOUS_ERR_ACCESS_DENIED;
		entry_drop(st, e);
		return XOUS_OK;
	}
	if (e || st->ops.alive(st->ops.ctx, task))
		return XOUS_ERR_INVALID_ARGUMENT;
	return XOUS_ERR_NOT_FOUND;
}

/* ---- exit notices ---- */

/* A client ended: its watches and reservations end too. */
static void client_gone(struct task_srv *st, uint32_t pid)
{
	for (size_t i = 0; i < TASK_MAX_WATCHES; i++)
		if (st->w[i].used && st->w[i].by == pid)
			memset(&st->w[i], 0, sizeof(st->w[i]));
	for (size_t i = 0; i < TASK_MAX_ENTRIES; i++)
		if (st->e[i].state == TASK_RESERVED && st->e[i].owner == pid)
			entry_drop(st, &st->e[i]);
}

/* ---- the default pager ---- */

static void exception(struct task_srv *st, const xous_envelope_t *env)
{
	struct task_cause *c = &st->c[st->next_cause++ % TASK_MAX_CAUSES];

	c->task = (uint32_t)env->scalar.arg[0];
	c->type = env->scalar.arg[1];
	c->address = env->scalar.arg[2];
	st->ops.report(st->ops.ctx, c->task, c->type, c->address, env->scalar.arg[3]);
}

/* The exception task ended by, taken from the table (zeros if none). */
static struct task_cause cause_take(struct task_srv *st, uint32_t task)
{
	struct task_cause none = {task, 0, 0};

	for (size_t i = 0; i < TASK_MAX_CAUSES; i++) {
		if (st->c[i].task == task && st->c[i].type) {
			none = st->c[i];
			memset(&st->c[i], 0, sizeof(st->c[i]));
		}
	}
	return none;
}

static xous_answer_t page_fault(xous_envelope_t *env)
{
	memset(env->memory.buf.addr, 0, env->memory.buf.len);
	return xous_answer_memory(env->memory.offset, env->memory.valid);
}

static xous_err_t set_pager(struct task_srv *st, uint32_t by, const xous_envelope_t *env)
{
	struct task_pager_req req;
	struct task_entry *e;
	xous_sid_t sid;

	if (env->memory.valid != sizeof(req) || env->memory.buf.len < sizeof(req))
		return XOUS_ERR_INVALID_ARGUMENT;
	memcpy(&req, env->memory.buf.addr, sizeof(req));
	e = entry_find(st, req.task);
	if (!e || e->state != TASK_RUNNING)
		return st->ops.alive(st->ops.ctx, req.task) ? XOUS_ERR_ACCESS_DENIED
		                                            : XOUS_ERR_PROCESS_NOT_FOUND;
	if (e->owner != by)
		return XOUS_ERR_ACCESS_DENIED;
	memcpy(sid.w, req.pager, sizeof(sid.w));
	return st->ops.set_pager(st->ops.ctx, req.task, &sid);
}

/* ---- exit notices ---- */

static void exited(struct task_srv *st, uint32_t task, uint32_t status, uint64_t now)
{
	struct task_entry *e = entry_find(st, task);
	struct task_cause c = cause_take(st, task);
	bool told = tell_watchers(st, task, status, &c);

	client_gone(st, task);
	if (!e || e->state != TASK_RUNNING) {
		st->ops.release(st->ops.ctx, task); /* kept for us, unknown: not ours to keep */
		return;
	}
	e->state = TASK_ENDED;
	e->status = status;
	e->type = c.type;
	e->address = c.address;
	e->ended_ms = now;
	if (told)
		entry_drop(st, e);
}

/* A scalar answer to a Scalar goes nowhere: nobody waits for it. */
xous_answer_t task_dispatch(struct task_srv *st, xous_envelope_t *env)
{
	uint64_t now = st->ops.now_ms(st->ops.ctx);
	uint32_t by = sender_pid(env);

	expire(st, now);
	if (env->kind == XOUS_MUTABLE_BORROW && env->memory.id == GLOBAL_PAGE_FAULT)
		return page_fault(env);
	if (env->kind == XOUS_BORROW || env->kind == XOUS_MUTABLE_BORROW) {
		if (env->memory.id == TASK_OP_LAUNCH)
			return launch(st, env);
		if (env->memory.id == TASK_OP_WATCH)
			return watch(st, env);
		if (env->memory.id == TASK_OP_SET_PAGER)
			return xous_answer_memory(set_pager(st, by, env), 0);
		return xous_answer_memory(XOUS_ERR_INVALID_ARGUMENT, 0);
	}
	if (env->kind != XOUS_SCALAR && env->kind != XOUS_BLOCKING_SCALAR)
		return xous_answer_none();
	switch (env->scalar.id) {
	case TASK_OP_UNWATCH:
		return xous_answer_scalar1(unwatch(st, by, (uint32_t)env->scalar.arg[0]));
	case TASK_OP_ALLOC:
		return alloc(st, by, (uint32_t)env->scalar.arg[0]);
	case TASK_OP_FREE:
		return xous_answer_scalar1(task_release(st, by, (uint32_t)env->scalar.arg[0]));
	case TASK_OP_EXITED:
		if (by == 1 && env->kind == XOUS_SCALAR)
			exited(st, (uint32_t)env->scalar.arg[0], (uint32_t)env->scalar.arg[1], now);
		return xous_answer_none();
	case GLOBAL_EXCEPTION:
		if (by == 1 && env->kind == XOUS_SCALAR)
			exception(st, env);
		return xous_answer_none();
	default:
		return xous_answer_none();
	}
}

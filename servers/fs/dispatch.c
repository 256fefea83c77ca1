/*
 * The fs server's dispatch: handles of processes over the FAT core
 * (api.h has the calls and their errors).
 *
 * Rules:
 * - A handle is its slot and a generation: a closed one never comes back
 *   to life, and it serves only the process that opened it.
 * - A process's handles close when it is gone: looked for whenever they
 *   would be in the way (no free handle, a remove refused because the
 *   file is open), so a dead process never holds anything up.
 * - A read goes into the caller's own region when there is room (no copy).
 */
#include <stdlib.h>
#include <string.h>

#include "fssrv.h"

static struct fs_state *state_of(FsPb__Fs_Service *svc)
{
	return (struct fs_state *)svc; /* svc is the state's first member */
}

/* ---- handles ---- */

static int32_t handle_value(const struct fs_state *st, size_t slot)
{
	return (int32_t)((st->h[slot].gen % 0x400000u) << 9 | (uint32_t)(slot + 1));
}

static struct fs_open_handle *handle_of(struct fs_state *st, void *call, int32_t value)
{
	uint32_t v = (uint32_t)value, slot = (v & 0x1ff) - 1;
	struct fs_open_handle *h;

	if (value <= 0 || slot >= FS_MAX_HANDLES)
		return NULL;
	h = &st->h[slot];
	if (!h->used || h->gen % 0x400000u != v >> 9 || h->owner.pid != xous_rpc_sender_pid(call))
		return NULL;
	return h;
}

static void handle_close(struct fs_state *st, struct fs_open_handle *h)
{
	fat_close(st->vol, h->node);
	memset(h, 0, sizeof(*h));
}

/* Close the handles of processes that are gone; true if any was. */
static bool sweep(struct fs_state *st)
{
	bool closed = false;

	for (size_t i = 0; i < FS_MAX_HANDLES; i++) {
		struct fs_open_handle *h = &st->h[i];
		bool seen = false;

		if (!h->used)
			continue;
		for (size_t j = 0; j < i && !seen; j++) /* one question per process */
			seen = st->h[j].used && st->h[j].owner.pid == h->owner.pid;
		if (seen || who_alive(st->process_name, &h->owner))
			continue;
		for (size_t j = i; j < FS_MAX_HANDLES; j++)
			if (st->h[j].used && st->h[j].owner.pid == h->owner.pid) {
				handle_close(st, &st->h[j]);
				closed = true;
			}
	}
	return closed;
}

/* A free slot for pid within the limits, or NULL. */
static struct fs_open_handle *handle_slot(struct fs_state *st, xous_pid_t pid)
{
	struct fs_open_handle *free_h = NULL;
	size_t mine = 0;

	for (size_t i = 0; i < FS_MAX_HANDLES; i++) {
		if (!st->h[i].used)
			free_h = free_h ? free_h : &st->h[i];
		else
			mine += st->h[i].owner.pid == pid;
	}
	return mine < FS_HANDLES_PER_PID ? free_h : NULL;
}

/* Open path for the caller; *value its new handle. */
static xous_err_t handle_open(struct fs_state *st, void *call, const char *path, bool create,
                              bool excl, int32_t *value)
{
	xous_pid_t pid = xous_rpc_sender_pid(call);
	struct fs_open_handle *h = handle_slot(st, pid);
	struct fat_node *n;
	xous_err_t err;

	if (h == NULL && sweep(st))
		h = handle_slot(st, pid);
	if (h == NULL)
		return XOUS_ERR_OUT_OF_MEMORY;
	if (!who_now(st->process_name, pid, &h->owner))
		return XOUS_ERR_PROCESS_NOT_FOUND;
	err = fat_open(st->vol, path, create, excl, &n);
	if (err == XOUS_ERR_OUT_OF_MEMORY && sweep(st)) /* the core's nodes: dead ones held them */
		err = fat_open(st->vol, path, create, excl, &n);
	if (err)
		return err;
	h->used = true;
	h->gen = ++st->gen;
	h->node = n;
	*value = handle_value(st, (size_t)(h - st->h));
	return XOUS_OK;
}

/* ---- the methods ---- */

static void answer_handle(struct fs_state *st, void *call, xous_err_t err, int32_t value,
                          FsPb__Handle_Closure closure)
{
	FsPb__Handle out = FS_PB__HANDLE__INIT;

	(void)st;
	if (err) {
		xous_rpc_fail(call, err);
		return;
	}
	out.handle = value;
	closure(&out, call);
}

static void answer_empty(void *call, xous_err_t err, FsPb__Empty_Closure closure)
{
	FsPb__Empty out = FS_PB__EMPTY__INIT;

	if (err)
		xous_rpc_fail(call, err);
	else
		closure(&out, call);
}

static void do_open(FsPb__Fs_Service *svc, const FsPb__Path *in, FsPb__Handle_Closure closure,
                    void *call)
{
	struct fs_state *st = state_of(svc);
	int32_t value = 0;
	xous_err_t err = handle_open(st, call, in->path, false, false, &value);

	answer_handle(st, call, err, value, closure);
}

static void do_create(FsPb__Fs_Service *svc, const FsPb__CreateRequest *in,
                      FsPb__Handle_Closure closure, void *call)
{
	struct fs_state *st = state_of(svc);
	int32_t value = 0;
	xous_err_t err = handle_open(st, call, in->path, true, !in->exist_ok, &value);

	answer_handle(st, call, err, value, closure);
}

static void do_close(FsPb__Fs_Service *svc, const FsPb__Handle *in, FsPb__Empty_Closure closure,
                     void *call)
{
	struct fs_state *st = state_of(svc);
	struct fs_open_handle *h = handle_of(st, call, in->handle);

	if (h)
		handle_close(st, h);
	answer_empty(call, h ? XOUS_OK : XOUS_ERR_INVALID_ARGUMENT, closure);
}

static void do_read(FsPb__Fs_Service *svc, const FsPb__ReadRequest *in, FsPb__Data_Closure closure,
                    void *call)
{
	struct fs_state *st = state_of(svc);
	struct fs_open_handle *h = handle_of(st, call, in->handle);
	FsPb__Data out = FS_PB__DATA__INIT;
	uint64_t len = in->len;
	uint8_t *buf = NULL, *own = NULL;
	size_t got = 0;
	xous_err_t err = h ? XOUS_OK : XOUS_ERR_INVALID_ARGUMENT;

	if (err == XOUS_OK && len > XOUS_OOL_MAX)
		err = XOUS_ERR_INVALID_ARGUMENT;
	if (err == XOUS_OK) { /* no more than the file holds from there */
		uint64_t size = h->node->size;
		len = in->offset >= size ? 0 : size - in->offset < len ? size - in->offset : len;
	}
	if (err == XOUS_OK && len && !(buf = xous_rpc_reply_room(call, (size_t)len)) &&
	    !(buf = own = malloc((size_t)len)))
		err = XOUS_ERR_OUT_OF_MEMORY;
	if (err == XOUS_OK && len)
		err = fat_read(st->vol, h->node, in->offset, (size_t)len, buf, &got);
	if (err) {
		xous_rpc_fail(call, err);
	} else {
		out.data.data = buf;
		out.data.len = got;
		closure(&out, call);
	}
	free(own);
}

static void do_write(FsPb__Fs_Service *svc, const FsPb__WriteRequest *in,
                     FsPb__Empty_Closure closure, void *call)
{
	struct fs_state *st = state_of(svc);
	struct fs_open_handle *h = handle_of(st, call, in->handle);
	xous_err_t err = h ? fat_write(st->vol, h->node, in->offset, in->data.data, in->data.len)
	                   : XOUS_ERR_INVALID_ARGUMENT;

	answer_empty(call, err, closure);
}

static void do_stat(FsPb__Fs_Service *svc, const FsPb__Path *in, FsPb__Stat_Closure closure,
                    void *call)
{
	FsPb__Stat out = FS_PB__STAT__INIT;
	struct fat_stat fst;
	xous_err_t err = fat_stat(state_of(svc)->vol, in->path, &fst);

	if (err) {
		xous_rpc_fail(call, err);
		return;
	}
	out.size = fst.size;
	out.is_dir = fst.is_dir;
	out.name = fst.name;
	closure(&out, call);
}

static void do_mkdir(FsPb__Fs_Service *svc, const FsPb__Path *in, FsPb__Empty_Closure closure,
                     void *call)
{
	answer_empty(call, fat_mkdir(state_of(svc)->vol, in->path), closure);
}

static void do_list(FsPb__Fs_Service *svc, const FsPb__ListRequest *in,
                    FsPb__ListReply_Closure closure, void *call)
{
	FsPb__ListReply out = FS_PB__LIST_REPLY__INIT;
	size_t max = in->max < FS_LIST_MAX ? in->max : FS_LIST_MAX, n = 0;
	struct fat_stat *ents = calloc(max ? max : 1, sizeof(*ents));
	FsPb__Entry *e = calloc(max ? max : 1, sizeof(*e));
	FsPb__Entry **ep = calloc(max ? max : 1, sizeof(*ep));
	xous_err_t err = ents && e && ep ? XOUS_OK : XOUS_ERR_OUT_OF_MEMORY;

	if (err == XOUS_OK)
		err = fat_list(state_of(svc)->vol, in->path, in->index, ents, max, &n);
	if (err) {
		xous_rpc_fail(call, err);
	} else {
		for (size_t i = 0; i < n; i++) {
			fs_pb__entry__init(&e[i]);
			e[i].name = ents[i].name;
			e[i].size = ents[i].size;
			e[i].is_dir = ents[i].is_dir;
			ep[i] = &e[i];
		}
		out.n_entries = n;
		out.entries = ep;
		closure(&out, call);
	}
	free(ents);
	free(e);
	free(ep);
}

static void do_remove(FsPb__Fs_Service *svc, const FsPb__Path *in, FsPb__Empty_Closure closure,
                      void *call)
{
	struct fs_state *st = state_of(svc);
	xous_err_t err = fat_remove(st->vol, in->path);

	if (err == XOUS_ERR_SHARE_VIOLATION && sweep(st)) /* open only by the dead */
		err = fat_remove(st->vol, in->path);
	answer_empty(call, err, closure);
}

static void do_rename(FsPb__Fs_Service *svc, const FsPb__RenameRequest *in,
                      FsPb__Empty_Closure closure, void *call)
{
	answer_empty(call, fat_rename(state_of(svc)->vol, in->from, in->to), closure);
}

static void do_truncate(FsPb__Fs_Service *svc, const FsPb__TruncateRequest *in,
                        FsPb__Empty_Closure closure, void *call)
{
	struct fs_state *st = state_of(svc);
	struct fs_open_handle *h = handle_of(st, call, in->handle);

	answer_empty(call, h ? fat_truncate(st->vol, h->node, in->size) : XOUS_ERR_INVALID_ARGUMENT,
	             closure);
}

static void do_sync(FsPb__Fs_Service *svc, const FsPb__Empty *in, FsPb__Empty_Closure closure,
                    void *call)
{
	(void)in;
	answer_empty(call, fat_sync(state_of(svc)->vol), closure);
}

void fs_init(struct fs_state *st, struct fat_vol *vol, who_name_fn process_name)
{
	memset(st, 0, sizeof(*st));
	fs_pb__fs__init(&st->svc, NULL);
	st->svc.open = do_open;
	st->svc.create = do_create;
	st->svc.close = do_close;
	st->svc.read = do_read;
	st->svc.write = do_write;
	st->svc.stat_path = do_stat;
	st->svc.mkdir = do_mkdir;
	st->svc.list = do_list;
	st->svc.remove = do_remove;
	st->svc.rename = do_rename;
	st->svc.truncate = do_truncate;
	st->svc.sync = do_sync;
	st->vol = vol;
	st->process_name = process_name;
}

/* Without a volume every call fails StorageError (a Move: nobody waits). */
xous_answer_t fs_dispatch(struct fs_state *st, xous_envelope_t *env)
{
	if (st->vol == NULL)
		return env->kind == XOUS_MUTABLE_BORROW || env->kind == XOUS_BORROW
		               ? xous_answer_memory(XOUS_ERR_STORAGE_ERROR, 0)
		               : xous_answer_none();
	return xous_rpc_serve(&st->svc.base, env);
}

/* The task server's client stubs (<resea/task.h>), in libxous-host and the
 * RV32 runtime, and global_set_pager (<resea/global.h>), which the task
 * server completes for the client that launched a task. */
#include <string.h>
#include <resea/global.h>
#include <resea/task.h>
#include <xous/names.h>

#include "api.h"
#include "export.h"
#include "runtime.h"

static volatile xous_pid_t task_pid;
static volatile xous_cid_t task_cid;

/* The task server, found by name once per process (a forked child again). */
static xous_err_t task_conn(xous_cid_t *cid)
{
	xous_pid_t pid = xous_process_id();
	xous_err_t err;

	if (task_cid != 0 && task_pid == pid) {
		*cid = task_cid;
		return XOUS_OK;
	}
	err = xns_request_connection_blocking(TASK_SERVER_NAME, cid);
	if (err)
		return err;
	task_cid = 0;
	task_pid = pid;
	task_cid = *cid;
	return XOUS_OK;
}

static xous_err_t task_scalar(uint32_t op, uintptr_t a1, xous_scalar_reply_t *r)
{
	xous_cid_t cid;
	xous_err_t err = task_conn(&cid);

	if (err == XOUS_OK)
		err = xous_blocking_scalar(cid, op, a1, 0, 0, 0, r);
	return err;
}

/* Lend len bytes (one page of the caller's, lendable); the answer's offset
 * is the server's error, its valid the value. */
static xous_err_t task_lend(uint32_t op, const void *data, size_t len, uint32_t *value)
{
	xous_range_t page;
	size_t err_word = 0, v = 0;
	xous_cid_t cid;
	xous_err_t err = task_conn(&cid);

	if (err)
		return err;
	err = xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page);
	if (err)
		return err;
	memcpy(page.addr, data, len);
	err = xous_lend(cid, op, page, 0, len, &err_word, &v);
	xous_unmap_memory(page);
	if (err == XOUS_OK)
		err = (xous_err_t)err_word;
	if (err == XOUS_OK && value)
		*value = (uint32_t)v;
	return err;
}

XOUS_EXPORT xous_err_t task_launch(const char *name_and_cmdline, task_t *task)
{
	size_t n;

	if (name_and_cmdline == NULL || task == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	n = strnlen(name_and_cmdline, XOUS_CMDLINE_MAX + 1);
	if (n == 0 || n > XOUS_CMDLINE_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	return task_lend(TASK_OP_LAUNCH, name_and_cmdline, n, task);
}

XOUS_EXPORT xous_err_t task_watch(task_t task, const xous_sid_t *notify, uint32_t opcode)
{
	struct task_watch_req req = {.task = task, .opcode = opcode};

	if (notify == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	memcpy(req.notify, notify->w, sizeof(req.notify));
	return task_lend(TASK_OP_WATCH, &req, sizeof(req), NULL);
}

static xous_err_t task_call1(uint32_t op, uintptr_t a1)
{
	xous_scalar_reply_t r;
	xous_err_t err = task_scalar(op, a1, &r);

	return err ? err : (xous_err_t)r.v[0];
}

XOUS_EXPORT xous_err_t task_unwatch(task_t task)
{
	return task_call1(TASK_OP_UNWATCH, task);
}

XOUS_EXPORT xous_err_t task_alloc(task_t pager, task_t *task)
{
	xous_scalar_reply_t r;
	xous_err_t err;

	if (task == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = task_scalar(TASK_OP_ALLOC, pager, &r);
	if (err == XOUS_OK)
		err = (xous_err_t)r.v[0];
	if (err == XOUS_OK)
		*task = (task_t)r.v[1];
	return err;
}

XOUS_EXPORT xous_err_t task_free(task_t task)
{
	return task_call1(TASK_OP_FREE, task);
}

/* The kernel's SetPager, made by the caller; where it is not allowed (the
 * caller launched task: neither task nor its pager), the task server, which
 * is, makes it once it checked that the caller launched task. */
XOUS_EXPORT xous_err_t global_set_pager(task_t task, const xous_sid_t *pager)
{
	static const xous_sid_t none;
	const xous_sid_t *sid = pager ? pager : &none;
	uintptr_t a[8] = {XOUS_SYS_SET_PAGER, task, sid->w[0], sid->w[1], sid->w[2], sid->w[3]};
	struct task_pager_req req = {.task = task};
	xous_err_t err = xous_rt_call_ok(a);

	if (err != XOUS_ERR_ACCESS_DENIED)
		return err;
	memcpy(req.pager, sid->w, sizeof(req.pager));
	return task_lend(TASK_OP_SET_PAGER, &req, sizeof(req), NULL);
}

/* xous-task: task_dispatch() served by xous_serve(), on the kernel's task calls. */
#include <stdio.h>
#include <resea/global.h>
#include <xous/names.h>
#include <xous/serve.h>

#include "task.h"

static xous_err_t k_create(void *ctx, const char *cmdline, uint32_t *task)
{
	(void)ctx;
	return xous_create_process(cmdline, task);
}

static xous_err_t k_reserve(void *ctx, uint32_t *task)
{
	(void)ctx;
	return xous_pid_reserve(task);
}

static xous_err_t k_release(void *ctx, uint32_t task)
{
	(void)ctx;
	return xous_pid_release(task);
}

static bool k_alive(void *ctx, uint32_t task)
{
	char name[8];

	(void)ctx;
	return task > 1 && xous_process_name(task, name, sizeof(name)) == XOUS_OK;
}

/* A watcher's server that is gone or full misses the notice: the task
 * server never waits for a client. */
static xous_err_t k_notify(void *ctx, const xous_sid_t *sid, uint32_t opcode, uint32_t task,
                           uint32_t status, uintptr_t type, uintptr_t address)
{
	xous_cid_t cid;
	xous_err_t err = xous_try_connect(sid, &cid);

	(void)ctx;
	if (err)
		return err;
	err = xous_try_send_scalar(cid, opcode, task, status, type, address);
	xous_disconnect(cid);
	return err;
}

static uint64_t k_now(void *ctx)
{
	(void)ctx;
	return task_platform_now_ms();
}

static xous_err_t k_set_pager(void *ctx, uint32_t task, const xous_sid_t *sid)
{
	(void)ctx;
	return global_set_pager(task, sid);
}

static void k_report(void *ctx, uint32_t task, uintptr_t type, uintptr_t address, uintptr_t ip)
{
	(void)ctx;
	fprintf(stderr, "xous-task: task %u faulted: exception %lu at %#lx, ip %#lx\n",
	        (unsigned)task, (unsigned long)type, (unsigned long)address, (unsigned long)ip);
}

static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	return task_dispatch(st, env);
}

int main(void)
{
	static const struct task_ops ops = {NULL,     k_create, k_reserve,   k_release, k_alive,
	                                    k_notify, k_now,    k_set_pager, k_report};
	static struct task_srv state;
	xous_sid_t sid;
	xous_err_t err;

	task_init(&state, &ops);
	err = xns_register_name(TASK_SERVER_NAME, 0, &sid);
	if (err == XOUS_OK)
		err = xous_exit_notify(&sid, TASK_OP_EXITED);
	if (err != XOUS_OK) {
		fprintf(stderr, "xous-task: cannot serve: %s\n", xous_strerror(err));
		return 1;
	}
	return xous_serve_program(&sid, 0, serve, &state);
}

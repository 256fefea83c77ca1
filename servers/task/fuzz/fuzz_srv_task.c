/*
 * fuzz_srv_task.c - fuzz target `srv_task`: task_dispatch() with the
 * checking io table of fuzz_server.h, over a fake kernel whose answers come
 * from the envelopes' own words (the task server never parks).
 */
#include <string.h>

#include "fuzz_server.h"
#include "task.h"

static struct task_srv st;
static uint64_t clock_ms;
static uint32_t next_pid, held; /* pids the fake kernel gave and not yet released */

static xous_err_t f_create(void *ctx, const char *cmdline, uint32_t *task)
{
	(void)ctx;
	if (cmdline[0] == 'x') /* a program that is not there */
		return XOUS_ERR_NOT_FOUND;
	*task = next_pid++;
	return XOUS_OK;
}

static xous_err_t f_reserve(void *ctx, uint32_t *task)
{
	(void)ctx;
	if (next_pid % 7 == 0)
		return XOUS_ERR_OUT_OF_MEMORY;
	*task = next_pid++;
	held++;
	return XOUS_OK;
}

static xous_err_t f_release(void *ctx, uint32_t task)
{
	(void)ctx;
	(void)task;
	if (held)
		held--;
	return XOUS_OK;
}

static bool f_alive(void *ctx, uint32_t task)
{
	(void)ctx;
	return task % 3 == 0;
}

static xous_err_t f_notify(void *ctx, const xous_sid_t *sid, uint32_t opcode, uint32_t task,
                           uint32_t status, uintptr_t type, uintptr_t address)
{
	(void)ctx, (void)opcode, (void)task, (void)status, (void)type, (void)address;
	return sid->w[0] & 1 ? XOUS_ERR_SERVER_NOT_FOUND : XOUS_OK;
}

static xous_err_t f_set_pager(void *ctx, uint32_t task, const xous_sid_t *sid)
{
	(void)ctx, (void)task;
	return sid->w[1] & 1 ? XOUS_ERR_ACCESS_DENIED : XOUS_OK;
}

static void f_report(void *ctx, uint32_t task, uintptr_t type, uintptr_t address, uintptr_t ip)
{
	(void)ctx, (void)task, (void)type, (void)address, (void)ip;
}

static uint64_t f_now(void *ctx)
{
	(void)ctx;
	return clock_ms;
}

static void init(uint64_t now)
{
	static const struct task_ops ops = {NULL,     f_create, f_reserve,   f_release, f_alive,
	                                    f_notify, f_now,    f_set_pager, f_report};

	clock_ms = now;
	next_pid = 2;
	held = 0;
	task_init(&st, &ops);
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	clock_ms = now * 100; /* let statuses expire within an input */
	return task_dispatch(&st, env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {
	        .init = init,
	        .dispatch = dispatch,
	};

	return fsrv_run(&t, data, size);
}

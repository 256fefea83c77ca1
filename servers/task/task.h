/*
 * The task server as a pure dispatch function over its tables: the kernel
 * calls it makes go through struct task_ops, so the unit tests and the
 * fuzz target run it without a kernel.
 *
 * Limits (a client cannot take them from the others): per client process
 * at most TASK_MAX_PER_CLIENT watches and reservations, and
 * TASK_MAX_PER_CLIENT launched tasks running or ended with a status not yet
 * told; TASK_MAX_ENTRIES tasks and reservations kept in all,
 * TASK_MAX_WATCHES watches in all. Past a limit: OUT_OF_MEMORY.
 */
#ifndef XOUS_TASK_SERVER_H
#define XOUS_TASK_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <xous/serve.h>

#include "api.h"

#define TASK_MAX_ENTRIES    64
#define TASK_MAX_WATCHES    64
#define TASK_MAX_PER_CLIENT 8
#define TASK_KEEP_MS        60000u /* a launched task's status, once it ended */

struct task_ops {
	void *ctx;
	xous_err_t (*create)(void *ctx, const char *cmdline, uint32_t *task);
	xous_err_t (*reserve)(void *ctx, uint32_t *task);
	xous_err_t (*release)(void *ctx, uint32_t task);
	bool (*alive)(void *ctx, uint32_t task);
	/* send Scalar(opcode, task, status, type, address) to notify (type and
	 * address: the exception that ended it, or 0); never waits */
	xous_err_t (*notify)(void *ctx, const xous_sid_t *sid, uint32_t opcode, uint32_t task,
	                     uint32_t status, uintptr_t type, uintptr_t address);
	uint64_t (*now_ms)(void *ctx);
	/* SetPager(task, sid) of the kernel */
	xous_err_t (*set_pager)(void *ctx, uint32_t task, const xous_sid_t *sid);
	/* say that task faulted (the log) */
	void (*report)(void *ctx, uint32_t task, uintptr_t type, uintptr_t address, uintptr_t ip);
};

/* The exceptions of tasks that have not yet ended (GLOBAL_EXCEPTION comes
 * before the exit notice); the oldest makes room for a new one. */
#define TASK_MAX_CAUSES 8
struct task_cause {
	uint32_t task;
	uintptr_t type, address;
};

enum task_state { TASK_FREE = 0, TASK_RUNNING, TASK_ENDED, TASK_RESERVED };

struct task_entry {
	uint8_t state;  /* enum task_state */
	uint32_t task;  /* its id (pid) */
	uint32_t owner; /* the client that launched or reserved it */
	uint32_t pager; /* TASK_RESERVED: the pager it was reserved with */
	uint32_t status;
	uintptr_t type, address; /* TASK_ENDED: the exception that ended it, or 0 */
	uint64_t ended_ms;
};

struct task_watch {
	bool used;
	uint32_t task, by, opcode;
	xous_sid_t notify;
};

struct task_srv {
	struct task_ops ops;
	struct task_entry e[TASK_MAX_ENTRIES];
	struct task_watch w[TASK_MAX_WATCHES];
	struct task_cause c[TASK_MAX_CAUSES];
	size_t next_cause;
};

void task_init(struct task_srv *st, const struct task_ops *ops);
xous_answer_t task_dispatch(struct task_srv *st, xous_envelope_t *env);

/* Platform (platform_host.c, platform_rv32.c): a monotonic clock. */
uint64_t task_platform_now_ms(void);

#endif

/*
 * The task server's opcodes ("task", registered with the name server).
 *
 *  0 Launch    Borrow: the command line, valid = its length (1 to
 *              XOUS_CMDLINE_MAX bytes) -> MemoryReturned(offset = error,
 *              valid = the new task)
 *  1 Watch     Borrow: struct task_watch_req -> MemoryReturned(offset = error)
 *  2 Unwatch   BlockingScalar(task) -> Scalar1(error)
 *  3 Alloc     BlockingScalar(pager) -> Scalar2(error, task)
 *  4 Free      BlockingScalar(task) -> Scalar1(error)
 *  5 Exited    Scalar(pid, status) from the kernel (sender pid 1) only:
 *              the exit notice of ExitNotify; from anyone else ignored
 *  6 SetPager  Borrow: struct task_pager_req -> MemoryReturned(offset =
 *              error): global_set_pager by the client that launched the
 *              task (ACCESS_DENIED for another's task)
 * As the default pager (docs/resea-pager.md), the kernel's opcodes:
 *  GLOBAL_EXCEPTION   Scalar(task, type, address, ip) from pid 1 only:
 *              kept for the task's exited notification, and logged
 *  GLOBAL_PAGE_FAULT  MutableBorrow of one page: answered zero-filled,
 *              offset and valid as they came
 */
#ifndef XOUS_TASK_API_H
#define XOUS_TASK_API_H

#include <stdint.h>

#define TASK_SERVER_NAME "task"

enum task_opcode {
	TASK_OP_LAUNCH = 0,
	TASK_OP_WATCH = 1,
	TASK_OP_UNWATCH = 2,
	TASK_OP_ALLOC = 3,
	TASK_OP_FREE = 4,
	TASK_OP_EXITED = 5,
	TASK_OP_SET_PAGER = 6,
};

struct task_pager_req {
	uint32_t task;
	uint32_t pager[4]; /* the server id; all 0: the default pager */
};

struct task_watch_req {
	uint32_t task;
	uint32_t opcode;
	uint32_t notify[4]; /* the server id the exited Scalar goes to */
};

#endif

/*
 * <resea/task.h> - the "task" server's client (docs/resea-tasks.md): start
 * programs by name, hear when tasks end, reserve task ids.
 *
 * exited: when a watched task ends, `notify` receives Scalar(opcode, task,
 * status, 0, 0); status is the exit code 0..255, or 256 + the signal
 * (Linux) or fault cause (RV32) that ended it. A task that faulted while the
 * task server was its pager is told Scalar(opcode, task, status, type,
 * address): the exception's XOUS_EXC_* type and address
 * (docs/resea-pager.md). A task that is already gone
 * when watched is reported at once with its real status: the task server
 * keeps the status of tasks it launched until a watcher is told or 60 s
 * pass, and does not reuse the id meanwhile.
 */
#ifndef RESEA_TASK_H
#define RESEA_TASK_H

#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t task_t;

xous_err_t task_alloc(task_t pager, task_t *task); /* reserves an unused id, with its pager */
xous_err_t task_free(task_t task);                 /* releases a reserved, unused id */
xous_err_t task_launch(const char *name_and_cmdline, task_t *task); /* "prog arg1 arg2" */
xous_err_t task_watch(task_t task, const xous_sid_t *notify, uint32_t opcode);
xous_err_t task_unwatch(task_t task);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_TASK_H */

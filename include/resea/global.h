/*
 * <resea/global.h> - the kernel's own messages to a task (CONTRACT section 7,
 * docs/resea-global.md): the pager a task's faults and paged memory go to, the
 * server its notifications land on, and asynchronous messages between tasks.
 * Both kernels answer these calls; the opcodes below are what a pager or a
 * notify server receives.
 */
#ifndef RESEA_GLOBAL_H
#define RESEA_GLOBAL_H

#include <stddef.h>
#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t task_t; /* the same type as <resea/task.h>'s */

/* Opcodes of the kernel's messages to a task's pager and notify server. */
enum {
	GLOBAL_NOTIFICATIONS = 0x7f000001,
	GLOBAL_ASYNC = 0x7f000002,
	GLOBAL_INVALID = 0x7f000003,
	GLOBAL_EXCEPTION = 0x7f000004,
	GLOBAL_PAGE_FAULT = 0x7f000005,
	GLOBAL_ABI_HOOK = 0x7f000006
};

/* Notification bits; the bits above these are the application's. */
enum { NOTIFY_TIMER = 1u << 0, NOTIFY_ASYNC = 1u << 1 };

/* Set the pager of task: by the task itself, by the task that launched it
 * with task_launch, or by its current pager. */
xous_err_t global_set_pager(task_t task, const xous_sid_t *pager);
/* Where this task's notifications land (a server of its own). */
xous_err_t global_set_notify_server(const xous_sid_t *sid);
/* Make bits pending for task; returns once they are. The next receive on
 * the notify server finds exactly one Scalar(GLOBAL_NOTIFICATIONS, all
 * pending bits) and clears them. */
xous_err_t global_notify(task_t task, uint32_t bits);
/* Queue a message of at most 4 KiB for dst; returns once it is queued and
 * NOTIFY_ASYNC is pending for dst. */
xous_err_t global_async_send(task_t dst, uint32_t opcode, const void *msg, size_t len);
/* Take the oldest message src queued for the caller; NotFound when none is. */
xous_err_t global_async_recv(task_t src, uint32_t *opcode, void *buf, size_t cap, size_t *len);
/* Reserve len bytes whose pages the caller's pager supplies on first touch. */
xous_err_t global_paged_region(size_t len, void **vaddr);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_GLOBAL_H */

/*
 * misc.c - ids, names, yield and error strings.
 */
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

#include "xous-host-internal.h"

/* The pid never changes while connected; the tid of a thread neither. A
 * forked child forgets both (conn.c calls xh_ids_reset). */
static _Atomic xous_pid_t g_pid;
static __thread xous_tid_t t_tid;

void xh_ids_reset(void)
{
	atomic_store(&g_pid, 0);
	t_tid = 0;
}

xous_sid_t xous_sid_from_name(const char name[16])
{
	xous_sid_t sid = {{0, 0, 0, 0}};
	const unsigned char *p = (const unsigned char *)name;

	if (name == NULL)
		return sid;
	for (int i = 0; i < 4; i++)
		sid.w[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
		           (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
	return sid;
}

/* One id query; 0 (never a valid pid or tid) if it fails. */
static uint32_t query_id(uint32_t nr, uint32_t tag)
{
	struct xh_call c;

	xh_call_init(&c, nr);
	if (xh_syscall(&c) != XOUS_OK || xh_expect(&c, tag) != XOUS_OK)
		return 0;
	return (uint32_t)c.w[1];
}

xous_pid_t xous_process_id(void)
{
	xous_pid_t pid = atomic_load(&g_pid);

	if (pid == 0) {
		pid = query_id(XOUS_SYS_GET_PROCESS_ID, XOUS_RESULT_PROCESS_ID);
		atomic_store(&g_pid, pid);
	}
	return pid;
}

xous_tid_t xous_thread_id(void)
{
	if (t_tid == 0)
		t_tid = query_id(XOUS_SYS_GET_THREAD_ID, XOUS_RESULT_THREAD_ID);
	return t_tid;
}

void xous_yield(void)
{
	sched_yield();
}

static const char *const g_errstr[] = {
        [XOUS_OK] = "success",
        [XOUS_ERR_BAD_ALIGNMENT] = "bad alignment (buffers must be page-aligned and page-multiple)",
        [XOUS_ERR_BAD_ADDRESS] = "bad address",
        [XOUS_ERR_OUT_OF_MEMORY] = "out of memory (or a kernel table is full)",
        [XOUS_ERR_MEMORY_IN_USE] = "memory in use",
        [XOUS_ERR_INTERRUPT_NOT_FOUND] = "interrupt not found",
        [XOUS_ERR_INTERRUPT_IN_USE] = "interrupt in use",
        [XOUS_ERR_INVALID_STRING] = "invalid string",
        [XOUS_ERR_SERVER_EXISTS] = "server exists",
        [XOUS_ERR_SERVER_NOT_FOUND] = "server not found",
        [XOUS_ERR_PROCESS_NOT_FOUND] = "process not found",
        [XOUS_ERR_PROCESS_NOT_CHILD] = "process not child",
        [XOUS_ERR_PROCESS_TERMINATED] = "process terminated",
        [XOUS_ERR_TIMEOUT] = "timeout",
        [XOUS_ERR_INTERNAL_ERROR] = "internal error (or no connection to the kernel)",
        [XOUS_ERR_SERVER_QUEUE_FULL] = "server queue full",
        [XOUS_ERR_THREAD_NOT_AVAILABLE] = "thread not available",
        [XOUS_ERR_UNHANDLED_SYSCALL] = "unhandled syscall",
        [XOUS_ERR_INVALID_SYSCALL] = "invalid syscall",
        [XOUS_ERR_SHARE_VIOLATION] = "share violation",
        [XOUS_ERR_INVALID_THREAD] = "invalid thread",
        [XOUS_ERR_INVALID_PID] = "invalid pid",
        [XOUS_ERR_UNKNOWN_ERROR] = "unknown error",
        [XOUS_ERR_ACCESS_DENIED] = "access denied",
        [XOUS_ERR_USE_BEFORE_INIT] = "use before init",
        [XOUS_ERR_DOUBLE_FREE] = "double free (message already answered)",
        [XOUS_ERR_DEBUG_IN_PROGRESS] = "debug in progress",
        [XOUS_ERR_INVALID_LIMIT] = "invalid limit",
        [XOUS_ERR_NOT_FOUND] = "not found",
        [XOUS_ERR_ALREADY_EXISTS] = "already exists",
        [XOUS_ERR_VERSION_MISMATCH] = "version mismatch",
        [XOUS_ERR_SERIALIZATION_ERROR] = "serialization error",
        [XOUS_ERR_INVALID_ARGUMENT] = "invalid argument",
        [XOUS_ERR_INVALID_COORDINATE] = "invalid coordinate",
        [XOUS_ERR_STORAGE_ERROR] = "storage error",
        [XOUS_ERR_UNAVAILABLE] = "unavailable (the message was dropped unanswered)",
        [36] = "error 36",
        [37] = "error 37",
        [38] = "error 38",
        [XOUS_ERR_MAX] = "error 39",
};

const char *xous_strerror(xous_err_t err)
{
	if (err < sizeof g_errstr / sizeof g_errstr[0] && g_errstr[err] != NULL)
		return g_errstr[err];
	return "unknown xous error code";
}

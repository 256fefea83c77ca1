/*
 * runtime.c - what both kernels' user runtimes share (libxous-host on Linux,
 * the kernel-riscv user runtime): xous_strerror and the unpacking of a
 * ProcessName result. Freestanding; xous_strerror is exported explicitly
 * because libxous-host hides symbols by default.
 */
#include <xous.h>

#include "runtime.h"

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
        [XOUS_ERR_NO_SPACE] = "no space left",
};

__attribute__((visibility("default"))) const char *xous_strerror(xous_err_t err)
{
	if (err < sizeof g_errstr / sizeof g_errstr[0] && g_errstr[err] != NULL)
		return g_errstr[err];
	return "unknown xous error code";
}

void xous_rt_name_from_words(char *buf, size_t len, const void *words, size_t nbytes)
{
	const char *name = words;
	size_t i;

	for (i = 0; i + 1 < len && i < nbytes && name[i] != '\0'; i++)
		buf[i] = name[i];
	buf[i] = '\0';
}

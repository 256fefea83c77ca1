/*
 * notify.c - the clients of <resea/global.h>'s notifications and async
 * messages, for both user runtimes: the kernel calls of xous/abi.h
 * (SetNotifyServer, Notify, AsyncSend, AsyncRecv). The calls that carry
 * bytes go through the runtime's platform part (runtime.h). Semantics:
 * kcore/notify.c, docs/resea-global.md.
 */
#include <resea/global.h>

#include "export.h"
#include "runtime.h"

XOUS_EXPORT xous_err_t global_set_notify_server(const xous_sid_t *sid)
{
	if (sid == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	const uintptr_t a[8] = {XOUS_SYS_SET_NOTIFY_SERVER, sid->w[0], sid->w[1], sid->w[2],
	                        sid->w[3]};
	return xous_rt_call_ok(a);
}

XOUS_EXPORT xous_err_t global_notify(task_t task, uint32_t bits)
{
	const uintptr_t a[8] = {XOUS_SYS_NOTIFY, task, bits};

	return xous_rt_call_ok(a);
}

XOUS_EXPORT xous_err_t global_async_send(task_t dst, uint32_t opcode, const void *msg, size_t len)
{
	if (len > XOUS_ASYNC_MAX || (msg == NULL && len > 0))
		return XOUS_ERR_INVALID_ARGUMENT;
	return xous_rt_async_send(dst, opcode, msg, len);
}

XOUS_EXPORT xous_err_t global_async_recv(task_t src, uint32_t *opcode, void *buf, size_t cap,
                                         size_t *len)
{
	if (opcode == NULL || len == NULL || (buf == NULL && cap > 0))
		return XOUS_ERR_INVALID_ARGUMENT;
	return xous_rt_async_recv(src, opcode, buf, cap > XOUS_ASYNC_MAX ? XOUS_ASYNC_MAX : cap,
	                          len);
}

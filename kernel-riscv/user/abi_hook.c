/*
 * abi_hook.c - <resea/abi_hook.h> for kernel-riscv user programs:
 * AbiHookRead/Write(a1 task, a2 addr, a3 len, a4 the caller's buffer) and
 * AbiHookFd, one ecall each (docs/abi.md).
 */
#include <resea/abi_hook.h>

#include "syscall.h"

static xous_err_t hook_move(uintptr_t nr, uint32_t task, uint64_t addr, const void *buf, size_t len,
                            size_t *n)
{
	xrt_regs r;
	xous_err_t err;

	if (!n || (len && !buf) || addr > UINTPTR_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = xrt_call(&r, nr, task, (uintptr_t)addr, len, (uintptr_t)buf, 0, 0, 0);
	if (err)
		return err;
	if (r.a[0] != XOUS_RESULT_SCALAR1 || r.a[1] > len)
		return XOUS_ERR_INTERNAL_ERROR;
	*n = r.a[1];
	return XOUS_OK;
}

xous_err_t abi_hook_read(uint32_t task, uint64_t addr, void *buf, size_t len, size_t *n)
{
	return hook_move(XOUS_SYS_ABI_HOOK_READ, task, addr, buf, len, n);
}

xous_err_t abi_hook_write(uint32_t task, uint64_t addr, const void *buf, size_t len, size_t *n)
{
	return hook_move(XOUS_SYS_ABI_HOOK_WRITE, task, addr, buf, len, n);
}

xous_err_t abi_hook_fd(uint32_t task, uint32_t flags, int *fd)
{
	xrt_regs r;
	xous_err_t err;

	if (!fd)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = xrt_call(&r, XOUS_SYS_ABI_HOOK_FD, task, flags, 0, 0, 0, 0, 0);
	if (err)
		return err;
	if (r.a[0] != XOUS_RESULT_SCALAR1)
		return XOUS_ERR_INTERNAL_ERROR;
	*fd = (int)r.a[1];
	return XOUS_OK;
}

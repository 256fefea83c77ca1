/*
 * abi_hook.c - the hook server's calls on a hooked task's memory and file
 * descriptors (<resea/abi_hook.h>, AbiHookRead/Write/Fd in docs/abi.md):
 * the bytes travel after the frame (XH_F_INLINE), at most XH_INLINE_MAX a
 * call, so a longer range is moved in pieces.
 */
#include <resea/abi_hook.h>

#include "xous-host-internal.h"

#include "export.h"

static xous_err_t hook_piece(uint32_t nr, uint32_t task, uint64_t addr, const void *out, void *in,
                             size_t len, size_t *n)
{
	struct xh_call c;
	xous_err_t err;

	xh_call_init(&c, nr);
	c.w[1] = task;
	c.w[2] = addr;
	c.w[3] = len;
	c.out = out;
	c.out_len = out ? len : 0;
	c.in = in;
	c.in_cap = in ? len : 0;
	err = xh_syscall(&c);
	if (!err)
		err = xh_expect(&c, XOUS_RESULT_SCALAR1);
	if (err)
		return err;
	if (c.w[1] > len || (in && c.in_len != c.w[1]))
		return XH_ERR_TRANSPORT;
	*n = (size_t)c.w[1];
	return XOUS_OK;
}

/* The whole range in pieces; stops at the first short piece. */
static xous_err_t hook_move(uint32_t nr, uint32_t task, uint64_t addr, const void *out, void *in,
                            size_t len, size_t *n)
{
	size_t done = 0;

	if (!n || (len && !out && !in))
		return XOUS_ERR_INVALID_ARGUMENT;
	while (done < len) {
		size_t want = len - done < XH_INLINE_MAX ? len - done : XH_INLINE_MAX, got;
		xous_err_t err =
		        hook_piece(nr, task, addr + done, out ? (const char *)out + done : NULL,
		                   in ? (char *)in + done : NULL, want, &got);

		if (err == XOUS_ERR_BAD_ADDRESS && done > 0)
			break;
		if (err)
			return err;
		done += got;
		if (got < want)
			break;
	}
	*n = done;
	return XOUS_OK;
}

XOUS_EXPORT xous_err_t abi_hook_read(uint32_t task, uint64_t addr, void *buf, size_t len, size_t *n)
{
	return hook_move(XOUS_SYS_ABI_HOOK_READ, task, addr, NULL, buf, len, n);
}

XOUS_EXPORT xous_err_t abi_hook_write(uint32_t task, uint64_t addr, const void *buf, size_t len,
                                      size_t *n)
{
	return hook_move(XOUS_SYS_ABI_HOOK_WRITE, task, addr, buf, NULL, len, n);
}

XOUS_EXPORT xous_err_t abi_hook_fd(uint32_t task, uint32_t flags, int *fd)
{
	struct xh_call c;
	xous_err_t err;

	if (!fd)
		return XOUS_ERR_INVALID_ARGUMENT;
	xh_call_init(&c, XOUS_SYS_ABI_HOOK_FD);
	c.w[1] = task;
	c.w[2] = flags;
	err = xh_syscall(&c);
	if (!err)
		err = xh_expect(&c, XOUS_RESULT_SCALAR1);
	if (!err)
		*fd = (int)c.w[1];
	return err;
}

/*
 * The syscalls only the name server may make, for libxous-host:
 * ConnectForProcess (30: a1 pid, a2..a5 sid -> a1 cid), ServerOwner
 * (1102: a1..a4 sid -> a1 pid) and ServerLabel (1107: a1..a4 sid, a5 len,
 * the name's bytes after the frame). Live beside the name server, their
 * only user; compiled into libxous-host.
 */
#include "xous-host-internal.h"

/* Make syscall n with a1 (if any) then the four words of sid, and give the
 * one-word result of kind tag in *out. */
static xous_err_t sid_call(uint32_t n, const uint64_t *a1, const xous_sid_t *sid, uint32_t tag,
                           uint64_t *out)
{
	struct xh_call c;
	int at = 1;
	xous_err_t err;

	xh_call_init(&c, n);
	if (a1)
		c.w[at++] = *a1;
	for (int i = 0; i < 4; i++)
		c.w[at + i] = sid->w[i];
	err = xh_syscall(&c);
	if (err == XOUS_OK)
		err = xh_expect(&c, tag);
	if (err == XOUS_OK)
		*out = c.w[1];
	return err;
}

xous_err_t xous_connect_for_process(xous_pid_t pid, const xous_sid_t *sid, xous_cid_t *cid)
{
	uint64_t p = pid, out;
	xous_err_t err;

	if (sid == NULL || cid == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = sid_call(XOUS_SYS_CONNECT_FOR_PROCESS, &p, sid, XOUS_RESULT_CONNECTION_ID, &out);
	if (err == XOUS_OK)
		*cid = (xous_cid_t)out;
	return err;
}

xous_err_t xous_server_owner(const xous_sid_t *sid, xous_pid_t *pid)
{
	uint64_t out;
	xous_err_t err;

	if (sid == NULL || pid == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = sid_call(XOUS_SYS_SERVER_OWNER, NULL, sid, XOUS_RESULT_PROCESS_ID, &out);
	if (err == XOUS_OK)
		*pid = (xous_pid_t)out;
	return err;
}

/* Tell the broker the name sid is registered under (names_platform_label). */
__attribute__((visibility("default"))) xous_err_t xous_server_label(const xous_sid_t *sid,
                                                                    const void *name, size_t len)
{
	struct xh_call c;
	xous_err_t err;

	if (sid == NULL || (name == NULL && len > 0) || len > XH_INLINE_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	xh_call_init(&c, XOUS_SYS_SERVER_LABEL);
	for (int i = 0; i < 4; i++)
		c.w[1 + i] = sid->w[i];
	c.w[5] = len;
	c.out = name;
	c.out_len = len;
	err = xh_syscall(&c);
	return err == XOUS_OK ? xh_expect(&c, XOUS_RESULT_OK) : err;
}

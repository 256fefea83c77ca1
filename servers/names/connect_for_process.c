/*
 * xous_connect_for_process() for libxous-host: the one syscall only the name
 * server may make (ConnectForProcess, 30: a1 pid, a2..a5 sid -> a1 cid).
 * Lives beside the name server, its only user; compiled into libxous-host.
 */
#include "xous-host-internal.h"

xous_err_t xous_connect_for_process(xous_pid_t pid, const xous_sid_t *sid, xous_cid_t *cid)
{
	struct xh_call c;
	xous_err_t err;

	if (sid == NULL || cid == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	xh_call_init(&c, XOUS_SYS_CONNECT_FOR_PROCESS);
	c.w[1] = pid;
	for (int i = 0; i < 4; i++)
		c.w[2 + i] = sid->w[i];
	err = xh_syscall(&c);
	if (err == XOUS_OK)
		err = xh_expect(&c, XOUS_RESULT_CONNECTION_ID);
	if (err == XOUS_OK)
		*cid = (xous_cid_t)c.w[1];
	return err;
}

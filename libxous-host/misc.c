/*
 * misc.c - ids, names, yield, error strings and the task server's calls.
 */
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

#include "xous-host-internal.h"

#include "runtime.h" /* after <xous.h>, which the line above exports */

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

xous_err_t xous_process_name(xous_pid_t pid, char *buf, size_t len)
{
	struct xh_call c;

	if (buf == NULL || len == 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	buf[0] = '\0';
	xh_call_init(&c, XOUS_SYS_PROCESS_NAME);
	c.w[1] = pid;
	xous_err_t err = xh_syscall(&c);
	if (err == XOUS_OK)
		err = xh_expect(&c, XOUS_RESULT_SCALAR5);
	if (err != XOUS_OK)
		return err;
	xous_rt_name_from_words(buf, len, &c.w[1], 5 * sizeof(c.w[0]));
	return XOUS_OK;
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

/* The command line travels inline, after the frame (the broker splits it). */
xous_err_t xous_create_process(const char *cmdline, xous_pid_t *pid)
{
	struct xh_call c;
	size_t n;

	if (cmdline == NULL || pid == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	n = strnlen(cmdline, XOUS_CMDLINE_MAX + 1);
	if (n == 0 || n > XOUS_CMDLINE_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	xh_call_init(&c, XOUS_SYS_CREATE_PROCESS);
	c.w[2] = n;
	c.out = cmdline;
	c.out_len = n;
	xous_err_t err = xh_syscall(&c);
	if (err == XOUS_OK)
		err = xh_expect(&c, XOUS_RESULT_PROCESS_ID);
	if (err == XOUS_OK)
		*pid = (xous_pid_t)c.w[1];
	return err;
}

/* ---- the platform part of runtime/notify.c: the bytes travel in the frames ---- */

xous_err_t xous_rt_async_send(uint32_t dst, uint32_t opcode, const void *msg, size_t len)
{
	struct xh_call c;

	xh_call_init(&c, XOUS_SYS_ASYNC_SEND);
	c.w[1] = dst;
	c.w[2] = opcode;
	c.w[4] = len;
	c.out = msg;
	c.out_len = len;
	xous_err_t err = xh_syscall(&c);
	return err == XOUS_OK ? xh_expect(&c, XOUS_RESULT_OK) : err;
}

xous_err_t xous_rt_async_recv(uint32_t src, uint32_t *opcode, void *buf, size_t cap, size_t *len)
{
	struct xh_call c;

	xh_call_init(&c, XOUS_SYS_ASYNC_RECV);
	c.w[1] = src;
	c.w[3] = cap;
	c.in = buf;
	c.in_cap = cap;
	xous_err_t err = xh_syscall(&c);
	if (err == XOUS_OK)
		err = xh_expect(&c, XOUS_RESULT_SCALAR2);
	if (err == XOUS_OK && (c.w[2] > cap || c.in_len != c.w[2]))
		err = XH_ERR_TRANSPORT;
	if (err == XOUS_OK) {
		*opcode = (uint32_t)c.w[1];
		*len = (size_t)c.w[2];
	}
	return err;
}

xous_err_t xous_exit_notify(const xous_sid_t *sid, uint32_t id)
{
	struct xh_call c;

	if (sid == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	xh_call_init(&c, XOUS_SYS_EXIT_NOTIFY);
	for (int i = 0; i < 4; i++)
		c.w[1 + i] = sid->w[i];
	c.w[5] = id;
	xous_err_t err = xh_syscall(&c);
	return err == XOUS_OK ? xh_expect(&c, XOUS_RESULT_OK) : err;
}

static xous_err_t pid_hold(uint32_t op, xous_pid_t pid, uint32_t tag, xous_pid_t *out)
{
	struct xh_call c;

	xh_call_init(&c, XOUS_SYS_PID_HOLD);
	c.w[1] = op;
	c.w[2] = pid;
	xous_err_t err = xh_syscall(&c);
	if (err == XOUS_OK)
		err = xh_expect(&c, tag);
	if (err == XOUS_OK && out)
		*out = (xous_pid_t)c.w[1];
	return err;
}

xous_err_t xous_pid_reserve(xous_pid_t *pid)
{
	if (pid == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	return pid_hold(XOUS_PID_RESERVE, 0, XOUS_RESULT_PROCESS_ID, pid);
}

xous_err_t xous_pid_release(xous_pid_t pid)
{
	return pid_hold(XOUS_PID_RELEASE, pid, XOUS_RESULT_OK, NULL);
}

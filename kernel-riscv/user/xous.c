/*
 * xous.c - <xous.h> for kernel-riscv user programs: each call packs its
 * arguments into a0..a7 as docs/abi.md says and makes one ecall.
 */
#include <stdbool.h>
#include <string.h>
#include <stddef.h>

#include "runtime.h"
#include "syscall.h"

xous_err_t xrt_call(xrt_regs *r, uintptr_t n, uintptr_t a1, uintptr_t a2, uintptr_t a3,
                    uintptr_t a4, uintptr_t a5, uintptr_t a6, uintptr_t a7)
{
	*r = (xrt_regs){{n, a1, a2, a3, a4, a5, a6, a7}};
	xrt_ecall(r);
	return xrt_err(r);
}

static xous_err_t expect(const xrt_regs *r, uintptr_t tag)
{
	xous_err_t err = xrt_err(r);

	if (err)
		return err;
	return r->a[0] == tag ? XOUS_OK : XOUS_ERR_INTERNAL_ERROR;
}

/* ---- memory ---- */

xous_err_t xous_map_memory(size_t len, uint32_t flags, xous_range_t *out)
{
	xrt_regs r;
	size_t size = (len + XOUS_PAGE_SIZE - 1) & ~(size_t)(XOUS_PAGE_SIZE - 1);

	if (!out || len == 0 || (flags & ~(XOUS_MEM_R | XOUS_MEM_W | XOUS_MEM_X)))
		return XOUS_ERR_INVALID_ARGUMENT;
	if (size < len)
		return XOUS_ERR_OUT_OF_MEMORY;
	xrt_call(&r, XOUS_SYS_MAP_MEMORY, 0, 0, size, flags, 0, 0, 0);
	xous_err_t err = expect(&r, XOUS_RESULT_MEMORY_RANGE);
	if (err)
		return err;
	out->addr = (void *)r.a[1];
	out->len = r.a[2];
	return XOUS_OK;
}

xous_err_t xous_unmap_memory(xous_range_t range)
{
	xrt_regs r;

	return xrt_call(&r, XOUS_SYS_UNMAP_MEMORY, (uintptr_t)range.addr, range.len, 0, 0, 0, 0, 0);
}

/* ---- servers and connections ---- */

xous_sid_t xous_sid_from_name(const char name[16])
{
	xous_sid_t sid = {{0, 0, 0, 0}};

	if (!name)
		return sid;
	for (int i = 0; i < 16; i++)
		sid.w[i / 4] |= (uint32_t)(uint8_t)name[i] << (8 * (i % 4));
	return sid;
}

static xous_err_t sid_call(uintptr_t n, const xous_sid_t *sid, xrt_regs *r)
{
	if (!sid)
		return XOUS_ERR_INVALID_ARGUMENT;
	return xrt_call(r, n, sid->w[0], sid->w[1], sid->w[2], sid->w[3], 0, 0, 0);
}

xous_err_t xous_create_server(xous_sid_t *sid)
{
	xrt_regs r;

	if (!sid)
		return XOUS_ERR_INVALID_ARGUMENT;
	xrt_call(&r, XOUS_SYS_CREATE_SERVER, 0, 0, 0, 0, 0, 0, 0);
	xous_err_t err = expect(&r, XOUS_RESULT_NEW_SERVER_ID);
	if (err)
		return err;
	for (int i = 0; i < 4; i++)
		sid->w[i] = (uint32_t)r.a[1 + i];
	return XOUS_OK;
}

xous_err_t xous_create_server_with_address(const xous_sid_t *sid)
{
	xrt_regs r;
	xous_err_t err = sid_call(XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, sid, &r);

	return err ? err : expect(&r, XOUS_RESULT_NEW_SERVER_ID);
}

xous_err_t xous_destroy_server(const xous_sid_t *sid)
{
	xrt_regs r;

	return sid_call(XOUS_SYS_DESTROY_SERVER, sid, &r);
}

static xous_err_t connect(uintptr_t n, const xous_sid_t *sid, xous_cid_t *cid)
{
	xrt_regs r;

	if (!cid)
		return XOUS_ERR_INVALID_ARGUMENT;
	xous_err_t err = sid_call(n, sid, &r);
	if (!err)
		err = expect(&r, XOUS_RESULT_CONNECTION_ID);
	if (!err)
		*cid = (xous_cid_t)r.a[1];
	return err;
}

xous_err_t xous_connect(const xous_sid_t *sid, xous_cid_t *cid)
{
	return connect(XOUS_SYS_CONNECT, sid, cid);
}

xous_err_t xous_try_connect(const xous_sid_t *sid, xous_cid_t *cid)
{
	return connect(XOUS_SYS_TRY_CONNECT, sid, cid);
}

xous_err_t xous_connect_for_process(xous_pid_t pid, const xous_sid_t *sid, xous_cid_t *cid)
{
	xrt_regs r;

	if (!sid || !cid)
		return XOUS_ERR_INVALID_ARGUMENT;
	xrt_call(&r, XOUS_SYS_CONNECT_FOR_PROCESS, pid, sid->w[0], sid->w[1], sid->w[2], sid->w[3],
	         0, 0);
	xous_err_t err = expect(&r, XOUS_RESULT_CONNECTION_ID);
	if (!err)
		*cid = (xous_cid_t)r.a[1];
	return err;
}

xous_err_t xous_server_owner(const xous_sid_t *sid, xous_pid_t *pid)
{
	xrt_regs r;

	if (!sid || !pid)
		return XOUS_ERR_INVALID_ARGUMENT;
	xrt_call(&r, XOUS_SYS_SERVER_OWNER, sid->w[0], sid->w[1], sid->w[2], sid->w[3], 0, 0, 0);
	xous_err_t err = expect(&r, XOUS_RESULT_PROCESS_ID);
	if (!err)
		*pid = (xous_pid_t)r.a[1];
	return err;
}

xous_err_t xous_disconnect(xous_cid_t cid)
{
	xrt_regs r;

	return xrt_call(&r, XOUS_SYS_DISCONNECT, cid, 0, 0, 0, 0, 0, 0);
}

/* ---- caller side ---- */

xous_err_t xous_send_scalar(xous_cid_t cid, uint32_t id, uintptr_t a1, uintptr_t a2, uintptr_t a3,
                            uintptr_t a4)
{
	xrt_regs r;

	return xrt_call(&r, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_SCALAR, id, a1, a2, a3, a4);
}

xous_err_t xous_try_send_scalar(xous_cid_t cid, uint32_t id, uintptr_t a1, uintptr_t a2,
                                uintptr_t a3, uintptr_t a4)
{
	xrt_regs r;

	return xrt_call(&r, XOUS_SYS_TRY_SEND_MESSAGE, cid, XOUS_KIND_SCALAR, id, a1, a2, a3, a4);
}

xous_err_t xous_blocking_scalar(xous_cid_t cid, uint32_t id, uintptr_t a1, uintptr_t a2,
                                uintptr_t a3, uintptr_t a4, xous_scalar_reply_t *reply)
{
	xrt_regs r;
	xous_err_t err = xrt_call(&r, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_BLOCKING_SCALAR, id, a1,
	                          a2, a3, a4);
	uint32_t count;

	if (err)
		return err;
	switch (r.a[0]) {
	case XOUS_RESULT_SCALAR1:
		count = 1;
		break;
	case XOUS_RESULT_SCALAR2:
		count = 2;
		break;
	case XOUS_RESULT_SCALAR5:
		count = 5;
		break;
	default:
		return XOUS_ERR_INTERNAL_ERROR;
	}
	if (reply) {
		reply->count = count;
		for (int i = 0; i < 5; i++)
			reply->v[i] = i < (int)count ? r.a[1 + i] : 0;
	}
	return XOUS_OK;
}

static xous_err_t send_mem(uint32_t kind, xous_cid_t cid, uint32_t id, xous_range_t buf,
                           size_t offset, size_t valid, size_t *ret_offset, size_t *ret_valid)
{
	xrt_regs r;
	xous_err_t err = xrt_call(&r, XOUS_SYS_SEND_MESSAGE, cid, kind, id, (uintptr_t)buf.addr,
	                          buf.len, offset, valid);

	if (err || kind == XOUS_KIND_MOVE)
		return err;
	if ((err = expect(&r, XOUS_RESULT_MEMORY_RETURNED)))
		return err;
	if (ret_offset)
		*ret_offset = r.a[1];
	if (ret_valid)
		*ret_valid = r.a[2];
	return XOUS_OK;
}

xous_err_t xous_send_memory(xous_cid_t cid, uint32_t id, xous_range_t buf, size_t offset,
                            size_t valid)
{
	return send_mem(XOUS_KIND_MOVE, cid, id, buf, offset, valid, NULL, NULL);
}

xous_err_t xous_lend(xous_cid_t cid, uint32_t id, xous_range_t buf, size_t offset, size_t valid,
                     size_t *ret_offset, size_t *ret_valid)
{
	return send_mem(XOUS_KIND_BORROW, cid, id, buf, offset, valid, ret_offset, ret_valid);
}

xous_err_t xous_lend_mut(xous_cid_t cid, uint32_t id, xous_range_t buf, size_t offset, size_t valid,
                         size_t *ret_offset, size_t *ret_valid)
{
	return send_mem(XOUS_KIND_MUTABLE_BORROW, cid, id, buf, offset, valid, ret_offset,
	                ret_valid);
}

/* ---- server side ---- */

static bool kind_is_memory(uintptr_t kind)
{
	return kind == XOUS_KIND_MUTABLE_BORROW || kind == XOUS_KIND_BORROW ||
	       kind == XOUS_KIND_MOVE;
}

static xous_err_t envelope_from(const xrt_regs *r, xous_envelope_t *env)
{
	if (r->a[0] == XOUS_RESULT_NONE) {
		env->sender = 0;
		env->kind = XOUS_NO_MESSAGE;
		return XOUS_OK;
	}
	xous_err_t err = expect(r, XOUS_RESULT_MESSAGE_ENVELOPE);
	if (err)
		return err;
	env->sender = r->a[1];
	env->kind = (enum xous_kind)r->a[2];
	if (kind_is_memory(r->a[2])) {
		env->memory.id = (uint32_t)r->a[3];
		env->memory.buf.addr = (void *)r->a[4];
		env->memory.buf.len = r->a[5];
		env->memory.offset = r->a[6];
		env->memory.valid = r->a[7];
	} else {
		env->scalar.id = (uint32_t)r->a[3];
		for (int i = 0; i < 4; i++)
			env->scalar.arg[i] = r->a[4 + i];
	}
	xous_rt_hold(env, (xous_range_t){NULL, 0}); /* the kernel unmaps lent pages itself */
	return XOUS_OK;
}

static xous_err_t receive(uintptr_t n, const xous_sid_t *sid, xous_envelope_t *env)
{
	xrt_regs r;

	if (!env)
		return XOUS_ERR_INVALID_ARGUMENT;
	xous_err_t err = sid_call(n, sid, &r);
	return err ? err : envelope_from(&r, env);
}

xous_err_t xous_receive_message(const xous_sid_t *sid, xous_envelope_t *env)
{
	return receive(XOUS_SYS_RECEIVE_MESSAGE, sid, env);
}

xous_err_t xous_try_receive_message(const xous_sid_t *sid, xous_envelope_t *env)
{
	return receive(XOUS_SYS_TRY_RECEIVE_MESSAGE, sid, env);
}

/* A trap is cheap here: the kernel's ReceiveMany (kcore with
 * KC_RECEIVE_MANY 1) gives one envelope, in the registers. */
xous_err_t xous_receive_many(const xous_sid_t *sid, xous_envelope_t *envs, size_t max,
                             size_t *count)
{
	xrt_regs r;

	if (count)
		*count = 0;
	if (!sid || !envs || !count || max == 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	xous_err_t err = xrt_call(&r, XOUS_SYS_RECEIVE_MANY, sid->w[0], sid->w[1], sid->w[2],
	                          sid->w[3], 1, 0, 0);
	if (!err)
		err = envelope_from(&r, envs);
	if (!err)
		*count = 1;
	return err;
}

/* ---- the platform part of runtime/answer.c ---- */

xous_err_t xous_rt_call_ok(const uintptr_t a[8])
{
	xrt_regs r = {{a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]}};

	xrt_ecall(&r);
	return expect(&r, XOUS_RESULT_OK);
}

xous_err_t xous_rt_reply_receive(const xous_sid_t *sid, const uintptr_t reply[3],
                                 xous_envelope_t *env)
{
	xrt_regs r;
	xous_err_t err = xrt_call(&r, XOUS_SYS_REPLY_AND_RECEIVE_NEXT, sid->w[0], sid->w[1],
	                          sid->w[2], sid->w[3], reply[0], reply[1], reply[2]);

	return err ? err : envelope_from(&r, env);
}

/* Never called with pages: the kernel maps and unmaps lent pages itself. */
void xous_rt_unmap_pages(xous_range_t pages)
{
	(void)pages;
}

/* The kernel unmaps lent pages at the answer: no RPC channels. */
size_t xous_rt_channel_min(void)
{
	return 0;
}

/* ---- processes ---- */

/* A process's id never changes here (no fork): asked once. */
xous_pid_t xous_process_id(void)
{
	static xous_pid_t pid;
	xrt_regs r;

	if (pid == 0) {
		xrt_call(&r, XOUS_SYS_GET_PROCESS_ID, 0, 0, 0, 0, 0, 0, 0);
		pid = r.a[0] == XOUS_RESULT_PROCESS_ID ? (xous_pid_t)r.a[1] : 0;
	}
	return pid;
}

xous_err_t xous_process_name(xous_pid_t pid, char *buf, size_t len)
{
	xrt_regs r;

	if (!buf || !len)
		return XOUS_ERR_INVALID_ARGUMENT;
	buf[0] = '\0';
	xrt_call(&r, XOUS_SYS_PROCESS_NAME, pid, 0, 0, 0, 0, 0, 0);
	xous_err_t err = expect(&r, XOUS_RESULT_SCALAR5);
	if (err)
		return err;
	xous_rt_name_from_words(buf, len, &r.a[1], 5 * sizeof(r.a[0]));
	return XOUS_OK;
}

xous_tid_t xous_thread_id(void)
{
	xrt_regs r;

	xrt_call(&r, XOUS_SYS_GET_THREAD_ID, 0, 0, 0, 0, 0, 0, 0);
	return r.a[0] == XOUS_RESULT_THREAD_ID ? (xous_tid_t)r.a[1] : 0;
}

void xous_yield(void)
{
	xrt_regs r;

	xrt_call(&r, XOUS_SYS_YIELD, 0, 0, 0, 0, 0, 0, 0);
}

/* The command line is read by the kernel from this process's memory. */
xous_err_t xous_create_process(const char *cmdline, xous_pid_t *pid)
{
	xrt_regs r;
	size_t n;

	if (!cmdline || !pid)
		return XOUS_ERR_INVALID_ARGUMENT;
	n = strnlen(cmdline, XOUS_CMDLINE_MAX + 1);
	if (n == 0 || n > XOUS_CMDLINE_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	xrt_call(&r, XOUS_SYS_CREATE_PROCESS, (uintptr_t)cmdline, n, 0, 0, 0, 0, 0);
	xous_err_t err = expect(&r, XOUS_RESULT_PROCESS_ID);
	if (!err)
		*pid = (xous_pid_t)r.a[1];
	return err;
}

/* ---- the platform part of runtime/notify.c: the kernel reads and writes the bytes ---- */

xous_err_t xous_rt_async_send(uint32_t dst, uint32_t opcode, const void *msg, size_t len)
{
	xrt_regs r;

	xrt_call(&r, XOUS_SYS_ASYNC_SEND, dst, opcode, (uintptr_t)msg, len, 0, 0, 0);
	return expect(&r, XOUS_RESULT_OK);
}

xous_err_t xous_rt_async_recv(uint32_t src, uint32_t *opcode, void *buf, size_t cap, size_t *len)
{
	xrt_regs r;

	xrt_call(&r, XOUS_SYS_ASYNC_RECV, src, (uintptr_t)buf, cap, 0, 0, 0, 0);
	xous_err_t err = expect(&r, XOUS_RESULT_SCALAR2);
	if (err == XOUS_OK && r.a[2] > cap)
		err = XOUS_ERR_INTERNAL_ERROR;
	if (err == XOUS_OK) {
		*opcode = (uint32_t)r.a[1];
		*len = (size_t)r.a[2];
	}
	return err;
}

xous_err_t xous_exit_notify(const xous_sid_t *sid, uint32_t id)
{
	xrt_regs r;

	if (!sid)
		return XOUS_ERR_INVALID_ARGUMENT;
	xrt_call(&r, XOUS_SYS_EXIT_NOTIFY, sid->w[0], sid->w[1], sid->w[2], sid->w[3], id, 0, 0);
	return expect(&r, XOUS_RESULT_OK);
}

xous_err_t xous_pid_reserve(xous_pid_t *pid)
{
	xrt_regs r;

	if (!pid)
		return XOUS_ERR_INVALID_ARGUMENT;
	xrt_call(&r, XOUS_SYS_PID_HOLD, XOUS_PID_RESERVE, 0, 0, 0, 0, 0, 0);
	xous_err_t err = expect(&r, XOUS_RESULT_PROCESS_ID);
	if (!err)
		*pid = (xous_pid_t)r.a[1];
	return err;
}

xous_err_t xous_pid_release(xous_pid_t pid)
{
	xrt_regs r;

	xrt_call(&r, XOUS_SYS_PID_HOLD, XOUS_PID_RELEASE, pid, 0, 0, 0, 0, 0);
	return expect(&r, XOUS_RESULT_OK);
}

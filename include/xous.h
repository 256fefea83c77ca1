/*
 * <xous.h> - the C API every server and client is written against
 * (docs/contract.md section 2). Implemented by libxous-host on Linux and by the
 * kernel-riscv user runtime on RV32. Nothing here aborts on bad input: every
 * call checks its arguments and returns an xous_err_t (0 is success).
 */
#ifndef XOUS_H
#define XOUS_H

#include <stddef.h>
#include <stdint.h>

#include <xous/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t xous_err_t;
typedef struct {
	uint32_t w[4];
} xous_sid_t;
typedef uint32_t xous_cid_t, xous_pid_t, xous_tid_t;
typedef uintptr_t xous_sender_t; /* names one received message until it is answered */
typedef struct {
	void *addr;
	size_t len;
} xous_range_t;

/* Memory that can be lent: page-aligned, page-multiple, zero-filled. */
xous_err_t xous_map_memory(size_t len, uint32_t flags, xous_range_t *out);
xous_err_t xous_unmap_memory(xous_range_t range);

/* Servers and connections. */
xous_err_t xous_create_server(xous_sid_t *sid); /* random id */
xous_err_t xous_create_server_with_address(const xous_sid_t *sid);
xous_err_t xous_destroy_server(const xous_sid_t *sid);
xous_err_t xous_connect(const xous_sid_t *sid, xous_cid_t *cid);     /* waits until it exists */
xous_err_t xous_try_connect(const xous_sid_t *sid, xous_cid_t *cid); /* ServerNotFound at once */
xous_err_t xous_disconnect(xous_cid_t cid);
/* The name server's alone (AccessDenied for others): connect process pid to sid
 * and give the cid valid in that process (an extension; see docs/abi.md). */
xous_err_t xous_connect_for_process(xous_pid_t pid, const xous_sid_t *sid, xous_cid_t *cid);
/* The name server's alone too: the pid of the process that created sid
 * (SERVER_NOT_FOUND if there is no such server; an extension). */
xous_err_t xous_server_owner(const xous_sid_t *sid, xous_pid_t *pid);
xous_sid_t xous_sid_from_name(const char name[16]);

/* Caller side. */
typedef struct {
	uint32_t count;
	uintptr_t v[5];
} xous_scalar_reply_t;
xous_err_t xous_send_scalar(xous_cid_t cid, uint32_t id, uintptr_t a1, uintptr_t a2, uintptr_t a3,
                            uintptr_t a4);
xous_err_t xous_try_send_scalar(xous_cid_t cid, uint32_t id, uintptr_t a1, uintptr_t a2,
                                uintptr_t a3, uintptr_t a4);
xous_err_t xous_blocking_scalar(xous_cid_t cid, uint32_t id, uintptr_t a1, uintptr_t a2,
                                uintptr_t a3, uintptr_t a4, xous_scalar_reply_t *reply);
/* Move */
xous_err_t xous_send_memory(xous_cid_t cid, uint32_t id, xous_range_t buf, size_t offset,
                            size_t valid);
/* Borrow */
xous_err_t xous_lend(xous_cid_t cid, uint32_t id, xous_range_t buf, size_t offset, size_t valid,
                     size_t *ret_offset, size_t *ret_valid);
/* MutableBorrow */
xous_err_t xous_lend_mut(xous_cid_t cid, uint32_t id, xous_range_t buf, size_t offset, size_t valid,
                         size_t *ret_offset, size_t *ret_valid);

/* Server side. */
enum xous_kind {
	XOUS_NO_MESSAGE = 0,
	XOUS_MUTABLE_BORROW = 1,
	XOUS_BORROW = 2,
	XOUS_MOVE = 3,
	XOUS_SCALAR = 4,
	XOUS_BLOCKING_SCALAR = 5
};
typedef struct {
	xous_sender_t sender;
	enum xous_kind kind;
	union {
		struct {
			uint32_t id;
			uintptr_t arg[4];
		} scalar;
		struct {
			uint32_t id;
			xous_range_t buf;
			size_t offset, valid;
		} memory;
	};
} xous_envelope_t;
xous_err_t xous_receive_message(const xous_sid_t *sid, xous_envelope_t *env);
/* kind NO_MESSAGE if none */
xous_err_t xous_try_receive_message(const xous_sid_t *sid, xous_envelope_t *env);
xous_err_t xous_return_scalar(xous_sender_t sender, uintptr_t v1);
xous_err_t xous_return_scalar2(xous_sender_t sender, uintptr_t v1, uintptr_t v2);
xous_err_t xous_return_scalar5(xous_sender_t sender, uintptr_t v1, uintptr_t v2, uintptr_t v3,
                               uintptr_t v4, uintptr_t v5);
xous_err_t xous_return_memory(xous_sender_t sender, size_t offset, size_t valid);
/* C's stand-in for Xous's return-on-Drop. A BlockingScalar that was never
 * answered makes its caller's xous_blocking_scalar() return
 * XOUS_ERR_UNAVAILABLE, which no reply can produce. */
xous_err_t xous_envelope_done(xous_envelope_t *env);
/* Answer env as xous_envelope_done would, then fill it with the next message. */
xous_err_t xous_reply_and_receive_next(const xous_sid_t *sid, xous_envelope_t *env);
/* The scalar form (an extension of the contract): answer env, a BlockingScalar
 * not yet answered, with Scalar2(v1, v2), then fill env with the next message,
 * all in one syscall. Any other envelope is answered as by
 * xous_reply_and_receive_next. The hot loop of a scalar server. */
xous_err_t xous_return_scalar2_and_receive_next(const xous_sid_t *sid, xous_envelope_t *env,
                                                uintptr_t v1, uintptr_t v2);

/* Receive like xous_receive_message, and when the first message is a Scalar
 * or BlockingScalar, also the Scalars and BlockingScalars queued right
 * behind it, up to max (at most XOUS_RECEIVE_MANY_MAX; kernel-riscv gives
 * one), in one syscall (an extension, syscall 1101). envs[0..*count) are
 * envelopes as xous_receive_message gives: answer each that needs it. The
 * throughput loop of a server that takes many one-way Scalars. */
#define XOUS_RECEIVE_MANY_MAX 32
xous_err_t xous_receive_many(const xous_sid_t *sid, xous_envelope_t *envs, size_t max,
                             size_t *count);

/* The pid of the process that sent a message, stamped by the kernel into its
 * sender token (an extension of the contract; see docs/abi.md). */
static inline xous_pid_t xous_sender_pid(xous_sender_t sender)
{
	return (xous_pid_t)((sender >> XOUS_SENDER_PID_SHIFT) &
	                    (((xous_sender_t)1 << XOUS_SENDER_PID_BITS) - 1));
}

/* Threads and processes. */
xous_err_t xous_create_thread(void *(*entry)(void *), void *arg, xous_tid_t *tid);
xous_err_t xous_join_thread(xous_tid_t tid, void **result);
xous_pid_t xous_process_id(void);
/* The name the kernel knows process pid by (its program's name), stamped by
 * the kernel rather than claimed by the process (an extension): at most
 * len - 1 bytes and a NUL. The kernel keeps the first 20 bytes of a name on
 * RV32 and the first 31 on Linux. */
xous_err_t xous_process_name(xous_pid_t pid, char *buf, size_t len);
xous_tid_t xous_thread_id(void);
void xous_yield(void);

/* The task server's calls (extensions, syscalls 21, 1104, 1106; see
 * docs/abi.md): only the holder of the role XOUS_NAME_TASK may make them,
 * anyone else gets ACCESS_DENIED. Other programs use <resea/task.h>. */
/* Start the program named by the first word of cmdline ("prog arg1 arg2",
 * split on spaces, no quoting) with those words as its argv. */
xous_err_t xous_create_process(const char *cmdline, xous_pid_t *pid);
/* Whenever a process ends, sid (a server of the caller's) gets
 * Scalar(id, pid, status, 0, 0) from pid 1. */
xous_err_t xous_exit_notify(const xous_sid_t *sid, uint32_t id);
/* Reserve a pid no process has (none gets it until released); release a
 * reserved pid, or the kept pid of a process xous_create_process made. */
xous_err_t xous_pid_reserve(xous_pid_t *pid);
xous_err_t xous_pid_release(xous_pid_t pid);
const char *xous_strerror(xous_err_t err);

#ifdef __cplusplus
}
#endif

#endif /* XOUS_H */

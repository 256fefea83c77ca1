/*
 * <xous/serve.h> - the server side: the one receive loop, the answers a
 * dispatch function returns, and the io table that answers parked callers.
 *
 * A server is a dispatch function and one call of xous_serve(). The
 * dispatch function gets its state and one envelope and RETURNS the answer;
 * the loop gives that answer to the kernel and takes the next message in
 * the same syscall (ReplyAndReceiveNext). Only a Scalar5 answer, which one
 * syscall cannot carry with a receive, goes out first on its own.
 *
 * A call the server cannot answer yet (a sleeper, a lock waiter) is kept:
 * dispatch copies the envelope, returns xous_answer_deferred(), and answers
 * it later through an io table (xous_io_answer(), or the table's own
 * calls). The kernel's table is xous_server_io_kernel; unit tests pass a
 * table that records, so a dispatch function runs without a kernel.
 * Portable C: the same code runs under xous-hostd and on kernel-riscv.
 */
#ifndef XOUS_SERVE_H
#define XOUS_SERVE_H

#include <stddef.h>
#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * What a dispatch function answers. An answer that does not fit the
 * envelope's kind is taken as XOUS_ANSWER_NONE (so a scalar answer to a
 * Scalar, which nobody waits for, goes nowhere).
 */
enum xous_answer_kind {
	/* As xous_envelope_done(): a lend goes back with the offset and valid
	 * of the envelope, a BlockingScalar fails UNAVAILABLE, a Move's pages
	 * are unmapped; what was answered already is left alone. */
	XOUS_ANSWER_NONE = 0,
	XOUS_ANSWER_SCALAR1, /* a BlockingScalar: Scalar1(v[0]) */
	XOUS_ANSWER_SCALAR2, /* a BlockingScalar: Scalar2(v[0], v[1]) */
	XOUS_ANSWER_SCALAR5, /* a BlockingScalar: Scalar5(v[0] .. v[4]) */
	XOUS_ANSWER_MEMORY,  /* a Borrow or MutableBorrow: offset v[0], valid v[1] */
	/* Nothing now: the server kept the envelope (a parked caller it answers
	 * later, or a Move whose pages it keeps). */
	XOUS_ANSWER_DEFERRED,
};

typedef struct {
	enum xous_answer_kind kind;
	uintptr_t v[5];
} xous_answer_t;

static inline xous_answer_t xous_answer_none(void)
{
	xous_answer_t a = {XOUS_ANSWER_NONE, {0, 0, 0, 0, 0}};
	return a;
}

static inline xous_answer_t xous_answer_deferred(void)
{
	xous_answer_t a = {XOUS_ANSWER_DEFERRED, {0, 0, 0, 0, 0}};
	return a;
}

static inline xous_answer_t xous_answer_scalar1(uintptr_t v1)
{
	xous_answer_t a = {XOUS_ANSWER_SCALAR1, {v1, 0, 0, 0, 0}};
	return a;
}

static inline xous_answer_t xous_answer_scalar2(uintptr_t v1, uintptr_t v2)
{
	xous_answer_t a = {XOUS_ANSWER_SCALAR2, {v1, v2, 0, 0, 0}};
	return a;
}

static inline xous_answer_t xous_answer_scalar5(uintptr_t v1, uintptr_t v2, uintptr_t v3,
                                                uintptr_t v4, uintptr_t v5)
{
	xous_answer_t a = {XOUS_ANSWER_SCALAR5, {v1, v2, v3, v4, v5}};
	return a;
}

static inline xous_answer_t xous_answer_memory(size_t offset, size_t valid)
{
	xous_answer_t a = {XOUS_ANSWER_MEMORY, {offset, valid, 0, 0, 0}};
	return a;
}

/* A server's dispatch function: serve env and return its answer. */
typedef xous_answer_t (*xous_dispatch_t)(void *state, xous_envelope_t *env);

/*
 * Serve sid, a server this process created: receive, dispatch, answer and
 * receive the next message in one syscall, for as long as the server is
 * there. A message that cannot be received (its pages cannot be mapped) or
 * an answer the kernel refuses is reported on stderr and serving goes on.
 * Returns only when there is no server to receive on: it is gone
 * (SERVER_NOT_FOUND), not this process's (ACCESS_DENIED), the kernel cannot
 * be reached (INTERNAL_ERROR), or sid or dispatch is NULL (INVALID_ARGUMENT).
 */
xous_err_t xous_serve(const xous_sid_t *sid, xous_dispatch_t dispatch, void *state);

/*
 * A server program's last call: create the server at address sid (when
 * create is nonzero; else the process created it already), serve it with
 * xous_serve(), and once there is nothing left to serve, say why on stderr
 * (begun with the process's name and pid) and return the exit status, 1.
 */
int xous_serve_program(const xous_sid_t *sid, int create, xous_dispatch_t dispatch, void *state);

/*
 * How a server answers outside the loop (parked callers) and how tools
 * interpose on it. Members may be added at the end.
 */
struct xous_server_io {
	xous_err_t (*return_scalar)(xous_sender_t sender, uintptr_t v1);
	xous_err_t (*return_scalar2)(xous_sender_t sender, uintptr_t v1, uintptr_t v2);
	xous_err_t (*return_memory)(xous_sender_t sender, size_t offset, size_t valid);
	xous_err_t (*envelope_done)(xous_envelope_t *env);
	xous_err_t (*connect_for_process)(xous_pid_t pid, const xous_sid_t *sid, xous_cid_t *cid);
	xous_err_t (*disconnect)(xous_cid_t cid);
	xous_pid_t (*process_id)(void);
	xous_err_t (*return_scalar5)(xous_sender_t sender, uintptr_t v1, uintptr_t v2, uintptr_t v3,
	                             uintptr_t v4, uintptr_t v5);
	xous_err_t (*server_owner)(const xous_sid_t *sid, xous_pid_t *pid);
};

/* The table that answers through the kernel (libxous-host, kernel-riscv). */
extern const struct xous_server_io xous_server_io_kernel;

/* Answer env through io as the loop would answer it with a (DEFERRED: nothing). */
xous_err_t xous_io_answer(const struct xous_server_io *io, xous_envelope_t *env, xous_answer_t a);

#ifdef __cplusplus
}
#endif

#endif /* XOUS_SERVE_H */

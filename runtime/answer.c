/*
 * answer.c - answering received messages, the same on both kernels: the
 * answers of <xous.h>, what xous_envelope_done sends per kind (CONTRACT
 * section 2) and the answer half of ReplyAndReceiveNext.
 *
 * Rules (docs/abi.md, "Sender tokens" and "Unanswered BlockingScalar"):
 * - a message stops being held once the kernel took its answer, or said
 *   that it is not there to answer (DOUBLE_FREE): then it never is again;
 *   an answer the kernel refuses otherwise (a scalar answer to a memory
 *   message) leaves it held;
 * - a memory message's pages leave this process before its answer goes;
 * - xous_envelope_done answers only what is still held, and returns the
 *   kernel's error as it is (DOUBLE_FREE if the kernel ended the message
 *   itself, as when its server was destroyed); a BlockingScalar gets the
 *   "dropped" answer, ReturnMemory, which its caller sees as UNAVAILABLE;
 * - a Move's pages are the server's: done with, they are unmapped if the
 *   process still has them all; pages it moved on or unmapped are nothing
 *   to do.
 */
#include "export.h"
#include "runtime.h"

/* What finishing an envelope answers: nothing (sender 0) or ReturnMemory. */
struct answer {
	xous_sender_t sender;
	xous_range_t pages;
	size_t offset, valid;
};

static xous_err_t answer_scalar(uintptr_t nr, xous_sender_t s, uintptr_t v1, uintptr_t v2,
                                uintptr_t v3, uintptr_t v4, uintptr_t v5)
{
	const uintptr_t a[8] = {nr, s, v1, v2, v3, v4, v5, 0};
	xous_err_t err = xous_rt_call_ok(a);

	if (err == XOUS_OK || err == XOUS_ERR_DOUBLE_FREE)
		xous_rt_unhold(s, NULL);
	return err;
}

XOUS_EXPORT xous_err_t xous_return_scalar(xous_sender_t sender, uintptr_t v1)
{
	return answer_scalar(XOUS_SYS_RETURN_SCALAR1, sender, v1, 0, 0, 0, 0);
}

XOUS_EXPORT xous_err_t xous_return_scalar2(xous_sender_t sender, uintptr_t v1, uintptr_t v2)
{
	return answer_scalar(XOUS_SYS_RETURN_SCALAR2, sender, v1, v2, 0, 0, 0);
}

XOUS_EXPORT xous_err_t xous_return_scalar5(xous_sender_t sender, uintptr_t v1, uintptr_t v2,
                                           uintptr_t v3, uintptr_t v4, uintptr_t v5)
{
	return answer_scalar(XOUS_SYS_RETURN_SCALAR5, sender, v1, v2, v3, v4, v5);
}

/* ReturnMemory; a2, a3 name the pages that left this process (if any). */
static xous_err_t answer_memory(const struct answer *ans)
{
	const uintptr_t a[8] = {XOUS_SYS_RETURN_MEMORY, ans->sender, (uintptr_t)ans->pages.addr,
	                        ans->pages.len,         ans->offset, ans->valid};

	return xous_rt_call_ok(a);
}

XOUS_EXPORT xous_err_t xous_return_memory(xous_sender_t sender, size_t offset, size_t valid)
{
	struct answer ans = {sender, {NULL, 0}, offset, valid};

	xous_rt_unhold(sender, &ans.pages);
	return answer_memory(&ans);
}

/* A Move done with: unmapped if this process still has all its pages. */
static xous_err_t move_done(const xous_envelope_t *env)
{
	xous_err_t err = xous_unmap_memory(env->memory.buf);

	return err == XOUS_ERR_BAD_ADDRESS ? XOUS_OK : err;
}

/* Finish env's message: a Move is unmapped; a message still held stops
 * being held and *ans says its answer (ans->sender 0: none is due). */
static xous_err_t finish(const xous_envelope_t *env, struct answer *ans)
{
	*ans = (struct answer){0, {NULL, 0}, 0, 0};
	switch ((int)env->kind) {
	case XOUS_NO_MESSAGE:
	case XOUS_SCALAR:
		return XOUS_OK;
	case XOUS_MOVE:
		return move_done(env);
	case XOUS_BORROW:
	case XOUS_MUTABLE_BORROW:
	case XOUS_BLOCKING_SCALAR:
		if (!xous_rt_unhold(env->sender, &ans->pages))
			return XOUS_OK;
		ans->sender = env->sender;
		if (env->kind != XOUS_BLOCKING_SCALAR) {
			ans->offset = env->memory.offset;
			ans->valid = env->memory.valid;
		}
		return XOUS_OK;
	default:
		return XOUS_ERR_INVALID_ARGUMENT;
	}
}

XOUS_EXPORT xous_err_t xous_envelope_done(xous_envelope_t *env)
{
	struct answer ans;
	xous_err_t err;

	if (env == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = finish(env, &ans);
	if (err == XOUS_OK && ans.sender != 0)
		err = answer_memory(&ans);
	if (err == XOUS_OK || err == XOUS_ERR_DOUBLE_FREE)
		env->kind = XOUS_NO_MESSAGE;
	return err;
}

/* The receive goes ahead whatever finishing env gave: a Move that cannot
 * be unmapped stays the process's, as it would after xous_envelope_done. */
XOUS_EXPORT xous_err_t xous_reply_and_receive_next(const xous_sid_t *sid, xous_envelope_t *env)
{
	struct answer ans;

	if (sid == NULL || env == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	finish(env, &ans);
	env->kind = XOUS_NO_MESSAGE;
	return xous_rt_reply_receive(sid, (const uintptr_t[3]){ans.sender, ans.offset, ans.valid},
	                             env);
}

xous_err_t xous_rt_scalar_and_receive_next(const xous_sid_t *sid, xous_envelope_t *env, int count,
                                           uintptr_t v1, uintptr_t v2)
{
	uintptr_t reply[3] = {0, v1, count == 1 ? 0 : v2};

	if (sid == NULL || env == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (env->kind != XOUS_BLOCKING_SCALAR)
		return xous_reply_and_receive_next(sid, env);
	if (xous_rt_unhold(env->sender, NULL))
		reply[0] = env->sender | XOUS_SENDER_SCALAR_ANSWER |
		           (count == 1 ? XOUS_SENDER_SCALAR1_ANSWER : 0);
	env->kind = XOUS_NO_MESSAGE;
	return xous_rt_reply_receive(sid, reply, env);
}

XOUS_EXPORT xous_err_t xous_return_scalar2_and_receive_next(const xous_sid_t *sid,
                                                            xous_envelope_t *env, uintptr_t v1,
                                                            uintptr_t v2)
{
	return xous_rt_scalar_and_receive_next(sid, env, 2, v1, v2);
}

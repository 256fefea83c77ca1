/*
 * bench_server.c - the other end of rv-bench: answers every message at once.
 * Opcode 3 is answered the fastest way the ABI offers: ReplyAndReceiveNext
 * with the sender's top bit set answers a BlockingScalar with Scalar2 and
 * takes the next message in the same syscall (docs/abi.md).
 */
#include <xous.h>

/* ReplyAndReceiveNext answering `sender` with Scalar2(v1, v2); fills env. */
static xous_err_t answer_scalar_and_receive(const xous_sid_t *sid, xous_sender_t sender,
                                            uintptr_t v1, xous_envelope_t *env)
{
	register uintptr_t a0 asm("a0") = XOUS_SYS_REPLY_AND_RECEIVE_NEXT;
	register uintptr_t a1 asm("a1") = sid->w[0], a2 asm("a2") = sid->w[1],
	                      a3 asm("a3") = sid->w[2], a4 asm("a4") = sid->w[3],
	                      a5 asm("a5") = sender | ((uintptr_t)1 << 31), a6 asm("a6") = v1,
	                      a7 asm("a7") = 0;

	asm volatile("ecall"
	             : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6),
	               "+r"(a7)
	             :
	             : "memory");
	if (a0 != XOUS_RESULT_MESSAGE_ENVELOPE)
		return a0 == XOUS_RESULT_ERROR ? (xous_err_t)a1 : XOUS_ERR_INTERNAL_ERROR;
	env->sender = a1;
	env->kind = (enum xous_kind)a2;
	if (a2 == XOUS_KIND_SCALAR || a2 == XOUS_KIND_BLOCKING_SCALAR) {
		env->scalar.id = (uint32_t)a3;
		env->scalar.arg[0] = a4;
		env->scalar.arg[1] = a5;
		env->scalar.arg[2] = a6;
		env->scalar.arg[3] = a7;
	} else {
		env->memory.id = (uint32_t)a3;
		env->memory.buf.addr = (void *)a4;
		env->memory.buf.len = a5;
		env->memory.offset = a6;
		env->memory.valid = a7;
	}
	return XOUS_OK;
}

int main(void)
{
	xous_sid_t sid = xous_sid_from_name("rv-bench-server!");
	xous_envelope_t env = {0};
	xous_err_t err;

	if (xous_create_server_with_address(&sid) != XOUS_OK)
		return 1;
	if (xous_receive_message(&sid, &env) != XOUS_OK)
		return 2;
	for (;;) {
		if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == 0)
			break;
		if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == 3) {
			err = answer_scalar_and_receive(&sid, env.sender, env.scalar.arg[0] + 1,
			                                &env);
			if (err)
				return 3;
			continue;
		}
		if (env.kind == XOUS_BLOCKING_SCALAR)
			xous_return_scalar(env.sender, env.scalar.arg[0] + 1);
		else if (env.kind == XOUS_MUTABLE_BORROW) {
			((volatile uint8_t *)env.memory.buf.addr)[0]++;
			env.memory.valid = 1;
		}
		if (xous_reply_and_receive_next(&sid, &env) != XOUS_OK)
			return 4;
	}
	xous_return_scalar(env.sender, 0);
	return 0;
}

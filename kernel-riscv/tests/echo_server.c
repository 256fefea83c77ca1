/*
 * echo_server.c - a well-behaved server for the isolation test. OP_HOLD
 * messages are kept unanswered; OP_RELEASE answers every held one and
 * returns how many of those answers failed (a caller that died meanwhile
 * must not make its answer fail).
 */
#include <xous.h>

enum { OP_ECHO = 1, OP_HOLD, OP_RELEASE };

int main(void)
{
	xous_sid_t sid = xous_sid_from_name("rv-echo-server!!");
	xous_sender_t held[8];
	xous_envelope_t env;
	int nheld = 0;

	if (xous_create_server_with_address(&sid) != XOUS_OK)
		return 1;
	for (;;) {
		if (xous_receive_message(&sid, &env) != XOUS_OK)
			return 2;
		if (env.kind != XOUS_BLOCKING_SCALAR)
			continue;
		if (env.scalar.id == OP_HOLD && nheld < 8) {
			held[nheld++] = env.sender;
			continue;
		}
		if (env.scalar.id == OP_RELEASE) {
			uintptr_t failed = 0;
			for (int i = 0; i < nheld; i++)
				failed += xous_return_scalar(held[i], 7) != XOUS_OK;
			xous_return_scalar2(env.sender, failed, (uintptr_t)nheld);
			nheld = 0;
			continue;
		}
		xous_return_scalar(env.sender, env.scalar.arg[0] + 1);
	}
}

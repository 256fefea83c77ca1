/* bench_server.c - the other end of rv-bench: answers every message at once. */
#include <xous.h>

int main(void)
{
	xous_sid_t sid = xous_sid_from_name("rv-bench-server!");
	xous_envelope_t env = {0};

	if (xous_create_server_with_address(&sid) != XOUS_OK)
		return 1;
	if (xous_receive_message(&sid, &env) != XOUS_OK)
		return 2;
	for (;;) {
		if (env.kind == XOUS_BLOCKING_SCALAR) {
			if (env.scalar.id == 0)
				break;
			xous_return_scalar(env.sender, env.scalar.arg[0] + 1);
		} else if (env.kind == XOUS_MUTABLE_BORROW) {
			((volatile uint8_t *)env.memory.buf.addr)[0]++;
			env.memory.valid = 1;
		}
		if (xous_reply_and_receive_next(&sid, &env) != XOUS_OK)
			return 3;
	}
	xous_return_scalar(env.sender, 0);
	return 0;
}

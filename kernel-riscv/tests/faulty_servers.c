/*
 * faulty_servers.c - servers that misbehave, for the isolation test. Built
 * twice: -DBORROW_WRITER writes into a Borrowed page (a fault: Borrow is
 * read-only); -DPARTIAL_WRITER writes half of a MutableBorrow, then
 * dereferences NULL. Either way the kernel must end only this process.
 */
#include <xous.h>

int main(void)
{
#ifdef BORROW_WRITER
	xous_sid_t sid = xous_sid_from_name("rv-borrow-write!");
#else
	xous_sid_t sid = xous_sid_from_name("rv-partial-write");
#endif
	xous_envelope_t env;

	if (xous_create_server_with_address(&sid) != XOUS_OK)
		return 1;
	for (;;) {
		if (xous_receive_message(&sid, &env) != XOUS_OK)
			return 2;
		volatile uint8_t *p = env.memory.buf.addr;
#ifdef BORROW_WRITER
		if (env.kind == XOUS_BORROW)
			p[0] = 1; /* faults */
#else
		if (env.kind == XOUS_MUTABLE_BORROW) {
			for (size_t i = 0; i < env.memory.buf.len / 2; i++)
				p[i] = 0xab;
			*(volatile int *)(uintptr_t)env.memory.valid = 1; /* valid is 0: faults */
		}
#endif
		xous_envelope_done(&env);
	}
}

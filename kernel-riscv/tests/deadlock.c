/* deadlock.c - waits for a message nobody sends: the kernel must say so and stop. */
#include <xous.h>

int main(void)
{
	xous_sid_t sid;
	xous_envelope_t env;

	if (xous_create_server(&sid) != XOUS_OK)
		return 1;
	xous_receive_message(&sid, &env);
	return 2;
}

/*
 * dying_caller.c - a process whose thread waits on the echo server while
 * its main thread faults: the process ends with a message held by the server.
 */
#include <xous.h>

static xous_cid_t cid;

static void *hold(void *arg)
{
	xous_scalar_reply_t r;

	(void)arg;
	xous_blocking_scalar(cid, 2 /* OP_HOLD */, 0, 0, 0, 0, &r);
	return NULL;
}

int main(void)
{
	xous_sid_t echo = xous_sid_from_name("rv-echo-server!!");
	xous_sid_t mine = xous_sid_from_name("rv-dying-caller!");
	xous_tid_t t;

	if (xous_create_server_with_address(&mine) || xous_connect(&echo, &cid) ||
	    xous_create_thread(hold, NULL, &t))
		return 1;
	for (int i = 0; i < 20; i++)
		xous_yield();
	*(volatile int *)0 = 1; /* dies, its server with it */
	return 0;
}

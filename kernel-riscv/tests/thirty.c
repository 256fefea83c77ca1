/*
 * thirty.c - 30 processes, the default fleet included, alive at once in
 * the RAM the test boots with (--mem 16M). The main program launches a
 * chain of THIRTY_RESIDENTS residents (this file with RESIDENT; the task
 * server lets one client launch 8 at most, so each resident launches the
 * next), each of which takes heap (malloc) and stack as a small server
 * would, says it is up and stays blocked on its own server. The kernel prints its free RAM at boot and
 * when the main program ends: docs/kernel-riscv.md's memory budget.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <resea/task.h>

#include "../../tests/conformance/conf.h"

#define READY      1
#define HEAP_BYTES (16 * 1024)
#define STACK_USE  (8 * 1024)

#ifdef RESIDENT
/* argv[1]: how many residents come after this one; argv[2..5]: the main
 * program's server id, in hex words. */
int main(int argc, char **argv)
{
	xous_sid_t main_sid, own;
	xous_cid_t cid;
	xous_envelope_t env;
	volatile char stack[STACK_USE];
	char *heap = malloc(HEAP_BYTES), line[96];
	task_t t;

	if (argc != 6 || !heap)
		return 2;
	for (int i = 0; i < 4; i++)
		main_sid.w[i] = (uint32_t)strtoul(argv[2 + i], NULL, 16);
	if (atoi(argv[1]) > 0) {
		snprintf(line, sizeof(line), "rv-thirty-resident %d %s %s %s %s", atoi(argv[1]) - 1,
		         argv[2], argv[3], argv[4], argv[5]);
		CHECK_OK(task_launch(line, &t));
	}
	memset(heap, 1, HEAP_BYTES);
	stack[0] = stack[STACK_USE - 1] = 1;
	CHECK_OK(xous_create_server(&own));
	CHECK_OK(xous_connect(&main_sid, &cid));
	CHECK_OK(xous_send_scalar(cid, READY, (uintptr_t)heap[HEAP_BYTES - 1] + stack[0], 0, 0, 0));
	xous_receive_message(&own, &env); /* nobody sends: it stays until the end */
	return conf_failures ? 1 : 0;
}
#else
int main(void)
{
	xous_sid_t sid;
	xous_envelope_t env;
	char line[96];
	task_t t;

	CHECK_OK(xous_create_server(&sid));
	snprintf(line, sizeof(line), "rv-thirty-resident %d %lx %lx %lx %lx", THIRTY_RESIDENTS - 1,
	         (unsigned long)sid.w[0], (unsigned long)sid.w[1], (unsigned long)sid.w[2],
	         (unsigned long)sid.w[3]);
	CHECK_OK(task_launch(line, &t));
	for (int i = 0; i < THIRTY_RESIDENTS; i++) {
		CHECK_OK(xous_receive_message(&sid, &env));
		CHECK(env.kind == XOUS_SCALAR && env.scalar.id == READY && env.scalar.arg[0] == 2);
	}
	printf("thirty: %d processes alive: the fleet of %d, this program and %d residents\n",
	       THIRTY_FLEET + 1 + THIRTY_RESIDENTS, THIRTY_FLEET, THIRTY_RESIDENTS);
	return conf_end("thirty");
}
#endif

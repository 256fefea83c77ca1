/*
 * task_table.c - CreateProcess into a full process table. The image has no
 * task server, so its main program holds the task role. A launched pid is
 * kept until released, so launching without releasing fills the table:
 * OutOfMemory (or, should the pages run out first, the same), and once
 * every notice is read and its pid released, exactly as many fit again,
 * round after round: nothing is left behind (table slots, pages). A command
 * line that is not the caller's memory is BadAddress, not a crash.
 */
#include "../../tests/conformance/conf.h"

#define NOTICE 3
#define ROUNDS 3

static uintptr_t create_raw(uintptr_t addr, uintptr_t len, uintptr_t *code)
{
	register uintptr_t r0 asm("a0") = XOUS_SYS_CREATE_PROCESS, r1 asm("a1") = addr,
	                      r2 asm("a2") = len;

	asm volatile("ecall"
	             : "+r"(r0), "+r"(r1), "+r"(r2)
	             :
	             : "memory", "a3", "a4", "a5", "a6", "a7");
	*code = r1;
	return r0;
}

/* Launch until the table is full; read every notice and release its pid. */
static unsigned fill_and_release(const xous_sid_t *sid)
{
	xous_pid_t pid;
	xous_err_t err = XOUS_OK;
	unsigned n;

	for (n = 0; n <= 1024 && err == XOUS_OK; n++)
		err = xous_create_process("conformance-task-helper 5", &pid);
	n--;
	CHECK(err == XOUS_ERR_OUT_OF_MEMORY);
	for (unsigned i = 0; i < n; i++) {
		xous_envelope_t env;

		CHECK(xous_receive_message(sid, &env) == XOUS_OK);
		CHECK(env.kind == XOUS_SCALAR && env.scalar.id == NOTICE && env.scalar.arg[1] == 5);
		CHECK(xous_sender_pid(env.sender) == 1);
		CHECK(xous_pid_release((xous_pid_t)env.scalar.arg[0]) == XOUS_OK);
	}
	return n;
}

int main(void)
{
	uintptr_t code;
	xous_sid_t sid;
	unsigned first = 0;

	CHECK(xous_create_server(&sid) == XOUS_OK);
	CHECK(xous_exit_notify(&sid, NOTICE) == XOUS_OK);
	CHECK(create_raw(0x10, 5, &code) == XOUS_RESULT_ERROR && code == XOUS_ERR_BAD_ADDRESS);
	CHECK(create_raw((uintptr_t) "x", 0, &code) == XOUS_RESULT_ERROR &&
	      code == XOUS_ERR_INVALID_ARGUMENT);
	CHECK(create_raw((uintptr_t) "x", XOUS_CMDLINE_MAX + 1, &code) == XOUS_RESULT_ERROR &&
	      code == XOUS_ERR_INVALID_ARGUMENT);
	for (unsigned round = 0; round < ROUNDS; round++) {
		unsigned n = fill_and_release(&sid);

		printf("task_table: round %u: %u processes launched before the table was full\n",
		       round, n);
		CHECK(n > 0);
		if (round == 0)
			first = n;
		CHECK(n == first);
	}
	return conf_end("task_table");
}

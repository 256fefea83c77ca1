/*
 * task_launch: CreateProcess on the broker, as the task server makes it.
 * Under --no-fleet PROGRAM holds the task role (no fleet server declares
 * it), so this program calls the kernel's task calls itself: a program is
 * found beside PROGRAM and in --path (ctest passes a directory holding
 * conformance-task-helper2, a link to the helper), never in $PATH; it runs
 * under the fleet's default sandbox and is not restarted; the exit notice
 * carries the real exit status or 256 + the signal, and a death by a fault
 * comes first as an exception (the ExitNotify server is the default pager,
 * docs/resea-pager.md); a launched pid is kept until released.
 */
#include <string.h>
#include <resea/global.h>

#include "itest.h"

#define NOTICE 9

static xous_sid_t sid;

/* Launch line; its notice must carry status. Returns its pid. */
static xous_pid_t run(const char *line, uint32_t status)
{
	xous_envelope_t env;
	xous_pid_t pid = 0;

	CHECK_ERR(xous_create_process(line, &pid), XOUS_OK, "launch '%s'", line);
	CHECK_ERR(xous_receive_message(&sid, &env), XOUS_OK, "a notice for '%s'", line);
	if (status >= 256) { /* a fault: the default pager hears of it first */
		CHECK(env.kind == XOUS_SCALAR && env.scalar.id == GLOBAL_EXCEPTION &&
		              env.scalar.arg[0] == pid && env.scalar.arg[1] != 0,
		      "'%s' is reported as an exception first", line);
		CHECK_ERR(xous_receive_message(&sid, &env), XOUS_OK, "a notice for '%s'", line);
	}
	CHECK(env.kind == XOUS_SCALAR && env.scalar.id == NOTICE &&
	              xous_sender_pid(env.sender) == 1,
	      "the notice is a Scalar from the kernel");
	CHECK(env.scalar.arg[0] == pid && env.scalar.arg[1] == status,
	      "'%s' (pid %u) ended with %u, want %u", line, pid, (unsigned)env.scalar.arg[1],
	      status);
	return pid;
}

int main(void)
{
	xous_pid_t pid, again;
	char name[32];

	REQUIRE(xous_create_server(&sid) == XOUS_OK, "a server for the notices");
	CHECK_ERR(xous_pid_reserve(&pid), XOUS_ERR_SERVER_NOT_FOUND, "PidHold needs ExitNotify");
	REQUIRE(xous_exit_notify(&sid, NOTICE) == XOUS_OK, "PROGRAM holds the task role");
	pid = run("conformance-task-helper 3 a b", 3);
	CHECK_ERR(xous_process_name(pid, name, sizeof(name)), XOUS_ERR_PROCESS_NOT_FOUND,
	          "it ended for good: not restarted");
	again = run("conformance-task-helper 0", 0);
	CHECK(again != pid, "a launched pid is kept until released (%u, %u)", again, pid);
	CHECK_ERR(xous_pid_release(pid), XOUS_OK, "release it");
	CHECK_ERR(xous_pid_release(pid), XOUS_ERR_NOT_FOUND, "released once");
	CHECK_ERR(xous_pid_release(xous_process_id()), XOUS_ERR_INVALID_ARGUMENT, "in use");
	run("conformance-task-helper2 4", 4); /* found in --path */
	run("conformance-task-helper fault", 256 + 11);
	run("conformance-task-helper open", 256 + 31); /* the default sandbox: SIGSYS */
	CHECK_ERR(xous_create_process("sh -c true", &pid), XOUS_ERR_NOT_FOUND, "never $PATH");
	CHECK_ERR(xous_create_process("true", &pid), XOUS_ERR_NOT_FOUND, "never $PATH");
	CHECK_ERR(xous_create_process("./conformance-task-helper 1", &pid), XOUS_ERR_NOT_FOUND,
	          "no paths");
	CHECK_ERR(xous_create_process("conformance-task-helper 1\n", &pid),
	          XOUS_ERR_INVALID_ARGUMENT, "no control bytes");
	CHECK_ERR(xous_create_process("", &pid), XOUS_ERR_INVALID_ARGUMENT, "empty");
	return itest_done();
}

/*
 * task: the task server (<resea/task.h>) on both kernels. It launches
 * conformance-task-helper by name with a chosen exit code and watches it;
 * a fault's status; a task gone before its watch; the errors of a bad
 * command line, an unknown program, unknown and unreserved ids; and the
 * kernel's task calls refused to anyone but the task server.
 */
#include <string.h>

#include <resea/task.h>

#include "conf.h"

#define EXITED 0x51
#define HELPER "conformance-task-helper"

/* The next message on sid is the exited notice of task with status. */
static void expect_exited(const xous_sid_t *sid, task_t task, uint32_t status)
{
	xous_envelope_t env;

	CHECK_OK(xous_receive_message(sid, &env));
	CHECK(env.kind == XOUS_SCALAR);
	CHECK(env.scalar.id == EXITED);
	CHECK(env.scalar.arg[0] == task);
	if (env.scalar.arg[1] != status)
		printf("FAIL task %u: status %u, want %u\n", (unsigned)task,
		       (unsigned)env.scalar.arg[1], (unsigned)status);
	conf_failures += env.scalar.arg[1] != status;
}

/* The status of a store fault: SIGSEGV on Linux, scause 15 on RV32. */
#ifdef __riscv
#define FAULT_STATUS (256 + 15)
#else
#define FAULT_STATUS (256 + 11)
#endif

static void launched_tasks_report_their_exit(const xous_sid_t *sid)
{
	task_t a, b, c;

	CHECK_OK(task_launch(HELPER " 42 a b", &a));
	CHECK_OK(task_watch(a, sid, EXITED));
	expect_exited(sid, a, 42);
	CHECK_OK(task_launch(HELPER " fault", &c));
	CHECK_OK(task_watch(c, sid, EXITED));
	expect_exited(sid, c, FAULT_STATUS);
	/* a is gone once b, launched after it, ended: its watch is told at once */
	CHECK_OK(task_launch(HELPER " 0", &a));
	CHECK_OK(task_launch("  " HELPER "   7  ", &b));
	CHECK(a != b);
	CHECK_OK(task_watch(b, sid, EXITED));
	expect_exited(sid, b, 7);
	CHECK_OK(task_watch(a, sid, EXITED));
	expect_exited(sid, a, 0);
	/* told once: its id is free, and a watch now finds nothing */
	CHECK_ERR(task_watch(a, sid, EXITED), XOUS_ERR_NOT_FOUND);
	CHECK_OK(task_launch(HELPER " 255", &a));
	CHECK_OK(task_watch(a, sid, EXITED));
	expect_exited(sid, a, 255);
	/* a live task the server did not launch: this program */
	CHECK_OK(task_watch(xous_process_id(), sid, EXITED));
	CHECK_OK(task_unwatch(xous_process_id()));
	CHECK_ERR(task_unwatch(xous_process_id()), XOUS_ERR_NOT_FOUND);
}

static void bad_command_lines_and_programs(void)
{
	char many[40 * 2 + sizeof(HELPER)] = HELPER;
	task_t t;

	CHECK_ERR(task_launch("no-such-program 1", &t), XOUS_ERR_NOT_FOUND);
	CHECK_ERR(task_launch("../" HELPER " 1", &t), XOUS_ERR_NOT_FOUND);
	CHECK_ERR(task_launch("bin/" HELPER, &t), XOUS_ERR_NOT_FOUND);
	CHECK_ERR(task_launch("", &t), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(task_launch("   ", &t), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(task_launch(HELPER "\t1", &t), XOUS_ERR_INVALID_ARGUMENT);
	for (int i = 0; i < 40; i++)
		strcat(many, " x");
	CHECK_ERR(task_launch(many, &t), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(task_launch(NULL, &t), XOUS_ERR_INVALID_ARGUMENT);
}

static void ids_and_their_errors(const xous_sid_t *sid)
{
	task_t r, r2;

	CHECK_ERR(task_watch(1000, sid, EXITED), XOUS_ERR_NOT_FOUND);
	CHECK_ERR(task_unwatch(1000), XOUS_ERR_NOT_FOUND);
	CHECK_ERR(task_free(1000), XOUS_ERR_NOT_FOUND);
	CHECK_ERR(task_free(xous_process_id()), XOUS_ERR_INVALID_ARGUMENT); /* in use */
	CHECK_OK(task_alloc(xous_process_id(), &r));
	CHECK_OK(task_alloc(xous_process_id(), &r2));
	CHECK(r != r2 && r > 1 && r != xous_process_id());
	CHECK_ERR(task_watch(r, sid, EXITED), XOUS_ERR_NOT_FOUND); /* no task yet */
	CHECK_OK(task_free(r));
	CHECK_ERR(task_free(r), XOUS_ERR_NOT_FOUND);
	CHECK_OK(task_free(r2));
}

/* CreateProcess and the kernel's task calls are the task server's alone. */
static void kernel_calls_are_the_task_servers(const xous_sid_t *sid)
{
	xous_pid_t pid;

	CHECK_ERR(xous_create_process(HELPER " 0", &pid), XOUS_ERR_ACCESS_DENIED);
	CHECK_ERR(xous_exit_notify(sid, 1), XOUS_ERR_ACCESS_DENIED);
	CHECK_ERR(xous_pid_reserve(&pid), XOUS_ERR_ACCESS_DENIED);
	CHECK_ERR(xous_pid_release(2), XOUS_ERR_ACCESS_DENIED);
}

int main(void)
{
	xous_sid_t sid;

	CHECK_OK(xous_create_server(&sid));
	launched_tasks_report_their_exit(&sid);
	bad_command_lines_and_programs();
	ids_and_their_errors(&sid);
	kernel_calls_are_the_task_servers(&sid);
	return conf_end("task");
}

/*
 * abi_hook_run.c - PROGRAM of abi_hook.sh under xous-hostd --disk: runs
 * each argument as a task (task_launch), one after the other, each waited
 * for by its exited notice, so that the tasks' output on the broker's
 * stdout is theirs alone and in order. Exits 1 if a task ended with a
 * status other than 0 (said on stderr). First, on stderr only, what the
 * hook refuses: an unknown hook server, a hook prefix without a program,
 * and the hook's calls made by a process that is no hook; and a hook
 * server that dies holding a call (role dying-hook, a second process) ends
 * its task (SIGKILL) and nothing else.
 */
#include <resea/abi_hook.h>
#include <resea/fshook.h>
#include <resea/task.h>
#include <stdio.h>
#include <string.h>
#include <xous/names.h>

#include "itest.h"

#define EXITED 0x48

static int failures;

static void expect(xous_err_t got, xous_err_t want, const char *what)
{
	if (got == want)
		return;
	fprintf(stderr, "abi_hook_run: FAIL %s: %s, want %s\n", what, xous_strerror(got),
	        xous_strerror(want));
	failures++;
}

static void refusals(void)
{
	uint32_t task, me = xous_process_id();
	char byte;
	size_t n;
	int fd;

	expect(task_launch("abi-hook=no-such-hook /usr/bin/cat /fs/x", &task),
	       XOUS_ERR_SERVER_NOT_FOUND, "a hook that is not registered");
	expect(task_launch("abi-hook=fshook", &task), XOUS_ERR_INVALID_ARGUMENT,
	       "a hook without a program");
	expect(fshook_launch("/no/such/program", &task), XOUS_ERR_NOT_FOUND, "a missing program");
	expect(abi_hook_read(me, (uintptr_t)&byte, &byte, 1, &n), XOUS_ERR_PROCESS_NOT_FOUND,
	       "AbiHookRead of a task that is not hooked");
	expect(abi_hook_fd(me, 0, &fd), XOUS_ERR_PROCESS_NOT_FOUND,
	       "AbiHookFd of a task that is not hooked");
}

/* The dying-hook role: takes the first call of its task and ends. */
static int dying_hook(void)
{
	xous_envelope_t env;
	xous_sid_t sid;
	xous_err_t err = xns_register_name("dying-hook", 0, &sid);

	if (!err)
		err = xous_receive_message(&sid, &env);
	return err ? 1 : 0;
}

/* Launch cmdline and wait for its end; its status. */
static uint32_t run(const xous_sid_t *sid, const char *cmdline)
{
	xous_envelope_t env;
	task_t task;
	xous_err_t err = task_launch(cmdline, &task);

	if (!err)
		err = task_watch(task, sid, EXITED);
	if (err) {
		fprintf(stderr, "abi_hook_run: %s: %s\n", cmdline, xous_strerror(err));
		return 1;
	}
	do
		err = xous_receive_message(sid, &env);
	while (!err &&
	       !(env.kind == XOUS_SCALAR && env.scalar.id == EXITED && env.scalar.arg[0] == task));
	return err ? 1 : (uint32_t)env.scalar.arg[1];
}

/* A hook server that dies while it holds the first call of its task. */
static void dying(const xous_sid_t *sid)
{
	pid_t hook = itest_spawn("dying-hook", NULL, NULL);
	xous_cid_t cid;

	if (hook < 0 || xns_request_connection_blocking("dying-hook", &cid) ||
	    run(sid, "abi-hook=dying-hook /usr/bin/true") != XOUS_STATUS_SIGNALED + 9) {
		fprintf(stderr, "abi_hook_run: FAIL a task whose hook died was not killed\n");
		failures++;
	}
	if (hook >= 0 && itest_wait(hook) != 0) {
		fprintf(stderr, "abi_hook_run: FAIL the dying hook did not end well\n");
		failures++;
	}
}

int main(int argc, char **argv)
{
	xous_sid_t sid;
	xous_cid_t cid;
	xous_err_t err;

	if (argc >= 2 && !strcmp(argv[1], "dying-hook"))
		return dying_hook();
	err = xns_request_connection_blocking("fshook", &cid);
	if (err || (err = xous_create_server(&sid))) {
		fprintf(stderr, "abi_hook_run: %s\n", xous_strerror(err));
		return 1;
	}
	refusals();
	dying(&sid);
	for (int i = 1; i < argc; i++) {
		uint32_t status = run(&sid, argv[i]);

		fflush(stdout);
		if (status) {
			fprintf(stderr, "abi_hook_run: FAIL %s: status %u\n", argv[i], status);
			failures++;
		}
	}
	return failures ? 1 : 0;
}

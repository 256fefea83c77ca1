/*
 * sandbox.c - the default seccomp policy, live (CONTRACT section 4.13).
 *
 * Run under the broker: `xous-hostd --no-fleet -- rel_sandbox`. Each case is
 * a child process started with XOUS_SANDBOX=default (the filter is in place
 * before its main() runs) that attaches to the broker like a fleet server:
 *   - one forbidden call each (open, socket, connect, execve, ptrace, kill of
 *     another process, sendto with an address): the child must die by
 *     SIGSYS, and the broker must
 *     carry on (a later call through it still works);
 *   - what a server needs: threads, memory, clocks, its stdout, and the
 *     broker itself (a server, a message to it): the child must exit 0.
 *
 * Role "fleet-client" is the PROGRAM of a fleet whose server "rel-sigsys"
 * (role "fleet-serve", sandbox=default) calls socket() when asked: the
 * caller gets SERVER_NOT_FOUND and the broker reports the death as SIGSYS
 * (ctest reliability.sandbox_fleet checks the broker's words).
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xous/names.h>

#include "rel.h"

static const char *const forbidden[] = {"open",   "socket", "connect", "execve",
                                        "ptrace", "kill",   "sendto"};

/* The forbidden call named by what; returns only if it was allowed. */
static int try_forbidden(const char *what)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX, .sun_path = "/nonexistent"};
	char *const argv[] = {"true", NULL};

	if (strcmp(what, "open") == 0)
		return open("/etc/hostname", O_RDONLY);
	if (strcmp(what, "socket") == 0)
		return socket(AF_INET, SOCK_STREAM, 0);
	if (strcmp(what, "connect") == 0)
		return connect(1, (struct sockaddr *)&a, sizeof(a));
	if (strcmp(what, "execve") == 0)
		return execve("/bin/true", argv, NULL);
	if (strcmp(what, "ptrace") == 0)
		return (int)ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	if (strcmp(what, "kill") == 0)
		return kill(getppid(), 0); /* signal 0: harmless if it were allowed */
	if (strcmp(what, "sendto") ==
	    0) /* the library's plain send() is allowed; an address is not */
		return (int)sendto(1, "x", 1, 0, (struct sockaddr *)&a, sizeof(a));
	return -1;
}

static void *thread_main(void *arg)
{
	*(int *)arg += 1;
	return arg;
}

/* Everything a server needs; 0 if all of it worked. */
static int allowed_things(void)
{
	struct timespec t, nap = {0, 1000 * 1000};
	xous_range_t r;
	xous_tid_t tid;
	pthread_t pt;
	xous_sid_t s;
	xous_cid_t cid;
	xous_envelope_t env;
	int n = 0;
	char *big;

	if (xous_create_thread(thread_main, &n, &tid) || xous_join_thread(tid, NULL))
		return 10;
	if (pthread_create(&pt, NULL, thread_main, &n) || pthread_join(pt, NULL) || n != 2)
		return 11;
	if (xous_map_memory(1 << 20, XOUS_MEM_R | XOUS_MEM_W, &r))
		return 12;
	memset(r.addr, 7, r.len);
	if (xous_unmap_memory(r))
		return 13;
	big = malloc(16 << 20); /* large enough for its own mmap */
	if (!big)
		return 14;
	memset(big, 1, 16 << 20);
	free(big);
	if (clock_gettime(CLOCK_MONOTONIC, &t) || clock_gettime(CLOCK_REALTIME, &t) ||
	    nanosleep(&nap, NULL))
		return 15;
	if (xous_create_server(&s) || xous_try_connect(&s, &cid) ||
	    xous_send_scalar(cid, 1, 2, 3, 4, 5) || xous_receive_message(&s, &env) ||
	    env.scalar.arg[0] != 2)
		return 16;
	if (printf("sandboxed server: threads, memory, clocks, messages and stdout work\n") < 0 ||
	    fflush(stdout))
		return 17;
	return 0;
}

static void case_forbidden(const char *what)
{
	pid_t pid = itest_spawn_env("XOUS_SANDBOX=default", what, NULL, NULL);
	int status;

	REQUIRE(pid > 0, "start the %s case", what);
	status = itest_wait(pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS,
	      "a sandboxed server that calls %s dies by SIGSYS (%s)", what,
	      itest_status_str(status));
}

/* A fleet server that breaks its sandbox when asked. */
static int fleet_serve(void)
{
	xous_envelope_t env;
	xous_sid_t sid;

	if (xns_register_name("rel-sigsys", 0, &sid))
		return 2;
	while (xous_receive_message(&sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == 1)
			xous_return_scalar(env.sender, (uintptr_t)getpid());
		else
			socket(AF_INET, SOCK_STREAM, 0); /* never returns: SIGSYS */
	}
	return 3;
}

static int fleet_client(void)
{
	xous_scalar_reply_t r;
	xous_cid_t cid;

	struct timespec nap = {0, 5 * 1000 * 1000};
	char proc[64];
	int i;

	REQUIRE(xns_request_connection_blocking("rel-sigsys", &cid) == XOUS_OK &&
	                xous_blocking_scalar(cid, 1, 0, 0, 0, 0, &r) == XOUS_OK,
	        "connect to the fleet server through the name server; it tells its Linux pid");
	snprintf(proc, sizeof(proc), "/proc/%lu", (unsigned long)r.v[0]);
	CHECK_ERR(xous_blocking_scalar(cid, 2, 0, 0, 0, 0, &r), XOUS_ERR_SERVER_NOT_FOUND,
	          "a fleet server that calls socket() dies; its caller gets an error");
	/* Stay until the broker has reaped (and reported) it: a broker shutting
	 * down for our exit no longer reports its servers' ends. */
	for (i = 0; i < 4000 && access(proc, F_OK) == 0; i++)
		nanosleep(&nap, NULL);
	return itest_done();
}

int main(int argc, char **argv)
{
	const char *role = itest_role(argc, argv);
	xous_sid_t s;
	xous_cid_t cid;
	size_t i;
	pid_t pid;
	int status;

	if (role && strcmp(role, "allowed") == 0)
		return allowed_things();
	if (role && strcmp(role, "fleet-serve") == 0)
		return fleet_serve();
	if (role && strcmp(role, "fleet-client") == 0)
		return fleet_client();
	if (role) {
		try_forbidden(role);
		return 0; /* it was allowed: the parent's check fails */
	}
	for (i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++)
		case_forbidden(forbidden[i]);
	pid = itest_spawn_env("XOUS_SANDBOX=default", "allowed", NULL, NULL);
	REQUIRE(pid > 0, "start the allowed case");
	status = itest_wait(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a sandboxed server uses threads, memory, clocks, the broker and stdout (%s)",
	      itest_status_str(status));
	CHECK(xous_create_server(&s) == XOUS_OK && xous_try_connect(&s, &cid) == XOUS_OK &&
	              xous_send_scalar(cid, 1, 0, 0, 0, 0) == XOUS_OK,
	      "the broker carries on after the SIGSYS deaths");
	return itest_done();
}

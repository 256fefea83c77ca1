/*
 * servers.fleet_names: the name server under the broker, with many clients
 * at once: threads and forked processes waiting for a name that comes late
 * all wake and reach the server; a connection limit holds across processes;
 * every bad name is refused; a name is registered only for the server's
 * owner; a process registers at most its quota of names; the names of
 * processes that died are given back, however full they left the table.
 */
#include <stdatomic.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xous/names.h>
#include <xous/rpc.h>
#include <xous/ticktimer.h>

#include "fleet.h"
#include "names.h"

#define THREADS  8
#define CHILDREN 4
#define OP_PING  1

static xous_sid_t late_sid;
static atomic_int pings;

/* Serves pings on late_sid until told to stop (ping with 0). */
static void *echo(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&late_sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == OP_PING) {
			xous_return_scalar(env.sender, env.scalar.arg[0] + 1);
			if (env.scalar.arg[0] == 0)
				break;
			atomic_fetch_add(&pings, 1);
		}
		xous_envelope_done(&env);
	}
	return NULL;
}

/* Wait for "fleet.late", then ping its server: 0 on success. */
static int wait_and_ping(uintptr_t n)
{
	xous_scalar_reply_t r;
	xous_cid_t cid;

	if (xns_request_connection_blocking("fleet.late", &cid) != XOUS_OK)
		return 1;
	if (xous_blocking_scalar(cid, OP_PING, n, 0, 0, 0, &r) != XOUS_OK)
		return 2;
	return r.v[0] == n + 1 ? 0 : 3;
}

static void *waiter(void *arg)
{
	return (void *)(intptr_t)wait_and_ping((uintptr_t)arg);
}

static pid_t spawn(int (*fn)(uintptr_t), uintptr_t arg)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	EXPECT(pid > 0);
	return pid;
}

static int exit_code(pid_t pid)
{
	int status;

	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void bad_names(void)
{
	xous_sid_t sid;
	xous_cid_t cid;
	char long64[65];
	const char *bad[] = {"", "\xff\xfe", "\xc0\xaf", "\xed\xb0\x80", long64};

	memset(long64, 'n', 64), long64[64] = '\0';
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_ERR(xns_register_name(bad[i], 0, &sid), XOUS_ERR_INVALID_STRING);
		EXPECT_ERR(xns_request_connection(bad[i], &cid), XOUS_ERR_INVALID_STRING);
		EXPECT_ERR(xns_request_connection_blocking(bad[i], &cid), XOUS_ERR_INVALID_STRING);
	}
	EXPECT_ERR(xns_register_name(NULL, 0, &sid), XOUS_ERR_INVALID_STRING);
	long64[63] = '\0';
	EXPECT_ERR(xns_register_name(long64, 0, &sid), XOUS_OK);
	EXPECT_ERR(xns_register_name(long64, 0, &sid), XOUS_ERR_SERVER_EXISTS);
	EXPECT_ERR(xns_unregister(&sid), XOUS_OK);
	EXPECT_ERR(xns_unregister(&sid), XOUS_ERR_SERVER_NOT_FOUND);
	EXPECT_ERR(xns_request_connection(long64, &cid), XOUS_ERR_SERVER_NOT_FOUND);
}

static int try_limited(uintptr_t unused)
{
	xous_cid_t cid;
	xous_err_t err = xns_request_connection("fleet.lim", &cid);

	(void)unused;
	return err == XOUS_OK ? 0 : err == XOUS_ERR_ACCESS_DENIED ? 10 : 20;
}

static void limits(void)
{
	pid_t kids[CHILDREN];
	int ok = 0, denied = 0;
	xous_sid_t sid;

	EXPECT_ERR(xns_register_name("fleet.lim", 2, &sid), XOUS_OK);
	for (int i = 0; i < CHILDREN; i++)
		kids[i] = spawn(try_limited, 0);
	for (int i = 0; i < CHILDREN; i++) {
		int code = exit_code(kids[i]);

		ok += code == 0;
		denied += code == 10;
	}
	if (ok != 2 || denied != CHILDREN - 2)
		FAIL("limit 2: %d connected, %d denied", ok, denied);
}

static void late_name(void)
{
	xous_tid_t tids[THREADS], server;
	pid_t kids[CHILDREN];
	xous_scalar_reply_t r;
	xous_cid_t cid;

	for (int i = 0; i < THREADS; i++)
		EXPECT_ERR(xous_create_thread(waiter, (void *)(uintptr_t)(i + 1), &tids[i]),
		           XOUS_OK);
	for (int i = 0; i < CHILDREN; i++)
		kids[i] = spawn(wait_and_ping, 100 + i);
	EXPECT_ERR(xns_request_connection("fleet.late", &cid), XOUS_ERR_SERVER_NOT_FOUND);
	EXPECT_ERR(tt_sleep_ms(100), XOUS_OK); /* let the waiters park */
	EXPECT_ERR(xns_register_name("fleet.late", 0, &late_sid), XOUS_OK);
	EXPECT_ERR(xous_create_thread(echo, NULL, &server), XOUS_OK);
	for (int i = 0; i < THREADS; i++) {
		void *res = (void *)1;

		EXPECT_ERR(xous_join_thread(tids[i], &res), XOUS_OK);
		if (res != NULL)
			FAIL("waiter thread %d: step %d failed", i, (int)(intptr_t)res);
	}
	for (int i = 0; i < CHILDREN; i++)
		if (exit_code(kids[i]) != 0)
			FAIL("waiter process %d failed", i);
	EXPECT(atomic_load(&pings) == THREADS + CHILDREN);
	EXPECT_ERR(xns_request_connection("fleet.late", &cid), XOUS_OK);
	EXPECT_ERR(xous_blocking_scalar(cid, OP_PING, 0, 0, 0, 0, &r), XOUS_OK);
	EXPECT_ERR(xous_join_thread(server, NULL), XOUS_OK);
}

static int wait_for_ghost(uintptr_t unused)
{
	xous_cid_t cid;

	(void)unused;
	xns_request_connection_blocking("fleet.ghost", &cid);
	return 0;
}

/* A waiter killed while parked is dropped: the name server carries on. */
static void dead_waiter(void)
{
	pid_t kid = spawn(wait_for_ghost, 0);
	xous_sid_t sid;
	xous_cid_t cid;
	int status;

	EXPECT_ERR(tt_sleep_ms(50), XOUS_OK);
	EXPECT(kill(kid, SIGKILL) == 0);
	EXPECT(waitpid(kid, &status, 0) == kid);
	EXPECT_ERR(xns_register_name("fleet.ghost", 1, &sid), XOUS_OK);
	EXPECT_ERR(xns_request_connection("fleet.ghost", &cid), XOUS_OK);
	EXPECT_ERR(xns_request_connection("fleet.ghost", &cid), XOUS_ERR_ACCESS_DENIED);
}

static int register_and_exit(uintptr_t unused)
{
	xous_sid_t sid;

	(void)unused;
	return xns_register_name("fleet.gone", 0, &sid) == XOUS_OK ? 0 : 1;
}

/* A name outlives its server only until someone asks: then it is free again. */
static void dead_server(void)
{
	xous_sid_t sid;
	xous_cid_t cid;

	EXPECT(exit_code(spawn(register_and_exit, 0)) == 0);
	EXPECT_ERR(xns_request_connection("fleet.gone", &cid), XOUS_ERR_SERVER_NOT_FOUND);
	EXPECT_ERR(xns_register_name("fleet.gone", 0, &sid), XOUS_OK);
	EXPECT(exit_code(spawn(register_and_exit, 0)) == 1); /* taken by a live server now */
}

/* Register name for sid with the name server as it comes, not as
 * xns_register_name would (it registers only a server it just made). */
static xous_err_t register_raw(const char *name, const xous_sid_t *sid)
{
	xous_sid_t ns_sid = xous_sid_from_name(NAMES_SERVER_NAME);
	NamesPb__RegisterRequest r = NAMES_PB__REGISTER_REQUEST__INIT;
	xous_cid_t ns;

	EXPECT_ERR(xous_connect(&ns_sid, &ns), XOUS_OK);
	r.name.data = (uint8_t *)name;
	r.name.len = strlen(name);
	r.sid0 = sid->w[0], r.sid1 = sid->w[1], r.sid2 = sid->w[2], r.sid3 = sid->w[3];
	return xous_rpc_call(ns, NAMES_OP_REGISTER, &r.base, NULL, NULL);
}

/* Only the process that made a server may give it a name. */
static void foreign_sids(void)
{
	xous_sid_t made_up = {{0x6d616465, 0x2d75702d, 0x7369642e, 0x2e2e2e2e}};
	xous_sid_t ticktimer = xous_sid_from_name("ticktimer-server");
	xous_sid_t mine;
	xous_cid_t cid;

	EXPECT_ERR(register_raw("fleet.made-up", &made_up), XOUS_ERR_SERVER_NOT_FOUND);
	EXPECT_ERR(register_raw("fleet.made-up", &ticktimer), XOUS_ERR_ACCESS_DENIED);
	EXPECT_ERR(xns_request_connection("fleet.made-up", &cid), XOUS_ERR_SERVER_NOT_FOUND);
	EXPECT_ERR(xous_create_server(&mine), XOUS_OK);
	EXPECT_ERR(register_raw("fleet.made-up", &mine), XOUS_OK);
	EXPECT_ERR(xns_unregister(&mine), XOUS_OK);
	EXPECT_ERR(xous_destroy_server(&mine), XOUS_OK);
}

/* A child of fill_round: registers names until refused, says how many on
 * fd out, then lives until the parent kills it. */
static int register_until_refused(int out)
{
	char name[NAMES_MAX_NAME_LEN];
	xous_sid_t sid;
	xous_err_t err = XOUS_OK;
	int n;

	for (n = 0; err == XOUS_OK; n += err == XOUS_OK) {
		snprintf(name, sizeof(name), "fleet.fill.%d.%d", (int)getpid(), n);
		err = xns_register_name(name, 0, &sid);
	}
	if (err != XOUS_ERR_OUT_OF_MEMORY || write(out, &n, sizeof(n)) != (ssize_t)sizeof(n))
		return 1;
	for (;;)
		pause();
}

#define FILLERS (NAMES_MAX_ENTRIES / NAMES_MAX_PER_PROCESS + 1)

/* One process after another registers all it can, until the table is full;
 * then they are all killed. Returns the names they had, all together, once
 * the broker has seen every one of them die. */
static int fill_round(void)
{
	pid_t kids[FILLERS];
	xous_cid_t first[FILLERS];
	int fds[2], total = 0;
	xous_sid_t sid;

	EXPECT(pipe(fds) == 0);
	for (int i = 0; i < FILLERS; i++) {
		char name[NAMES_MAX_NAME_LEN];
		int n = -1;

		kids[i] = fork();
		if (kids[i] == 0)
			_exit(register_until_refused(fds[1]));
		EXPECT(kids[i] > 0);
		EXPECT(read(fds[0], &n, sizeof(n)) == (ssize_t)sizeof(n));
		if (n > NAMES_MAX_PER_PROCESS || (i < FILLERS - 2 && n != NAMES_MAX_PER_PROCESS))
			FAIL("process %d of the round registered %d names", i, n);
		total += n;
		snprintf(name, sizeof(name), "fleet.fill.%d.0", (int)kids[i]);
		first[i] = 0;
		if (n > 0)
			EXPECT_ERR(xns_request_connection(name, &first[i]), XOUS_OK);
	}
	EXPECT(total < FILLERS * NAMES_MAX_PER_PROCESS); /* the table filled up */
	EXPECT_ERR(xns_register_name("fleet.full", 0, &sid), XOUS_ERR_OUT_OF_MEMORY);
	for (int i = 0; i < FILLERS; i++) {
		int status;

		EXPECT(kill(kids[i], SIGKILL) == 0);
		EXPECT(waitpid(kids[i], &status, 0) == kids[i]);
	}
	/* a call to each one's server ends when the broker has seen it die */
	for (int i = 0; i < FILLERS; i++) {
		xous_scalar_reply_t r;

		if (first[i])
			EXPECT_ERR(xous_blocking_scalar(first[i], 0, 0, 0, 0, 0, &r),
			           XOUS_ERR_SERVER_NOT_FOUND);
	}
	close(fds[0]);
	close(fds[1]);
	return total;
}

/* The names of processes that died are given back: the table holds as
 * many again, and then has room for this process. */
static void dead_processes(void)
{
	int first = fill_round(), again = fill_round();
	xous_sid_t sid;

	if (again != first)
		FAIL("the table held %d names, then %d", first, again);
	EXPECT_ERR(xns_register_name("fleet.after", 0, &sid), XOUS_OK);
}

int main(void)
{
	int done = 0;

	bad_names();
	limits();
	late_name();
	dead_waiter();
	dead_server();
	foreign_sids();
	dead_processes();
	EXPECT_ERR(xns_trusted_init_done(&done), XOUS_OK);
	EXPECT(done == 1); /* fleet.lim's two slots are used up */
	printf("PASS fleet_names\n");
	return 0;
}

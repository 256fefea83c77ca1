/*
 * load.c - many client processes making mixed calls on the default fleet.
 *
 * Run under the broker with its default fleet:
 *   xous-hostd -- rel_load [PROCS CALLS]     (ctest: 16 x 200; full: 256 x 1000)
 * This process registers an echo server with the name server; PROCS client
 * processes each make CALLS calls, picked at random: the ticktimer's
 * elapsed_ms, a BlockingScalar the echo server adds up, MutableBorrows and
 * Borrows of 4 KiB to 256 KiB whose contents both sides check, a connect
 * through the name server, a Scalar the echo server counts. Every call must
 * succeed with the right answer, and no Scalar may be lost (each client
 * ends by asking how many of its Scalars arrived). The broker's fds must be
 * back at their count once the clients are gone; its memory is reported.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xous/names.h>
#include <xous/ticktimer.h>

#include "rel.h"

#define ECHO_NAME "rel-load-echo"
#define MAX_PID   4096
#define NSIZES    4

enum { OP_ADD = 1, OP_MUT, OP_BORROW, OP_COUNT, OP_DONE, OP_STOP, OP_HELLO };

static const size_t sizes[NSIZES] = {4096, 16384, 65536, 262144};

/* ---- the echo server (a thread of this process) ---- */

static xous_sid_t g_sid;
static unsigned g_counts[MAX_PID]; /* Scalars received per caller pid */

static void serve_memory(const xous_envelope_t *env)
{
	uint64_t *w = env->memory.buf.addr;
	size_t len = env->memory.buf.len, n = len / 8;

	if (env->memory.id == OP_MUT && env->kind == XOUS_MUTABLE_BORROW) {
		w[n - 1] = ~w[0]; /* the caller checks it */
		xous_return_memory(env->sender, 8, len);
	} else {
		xous_return_memory(env->sender, 0, w[0] == w[n - 1] ? len / 2 : 0);
	}
}

static void *echo_main(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&g_sid, &env) == XOUS_OK) {
		xous_pid_t pid = xous_sender_pid(env.sender) % MAX_PID;

		if (env.kind == XOUS_SCALAR && env.scalar.id == OP_STOP)
			break;
		if (env.kind == XOUS_SCALAR && env.scalar.id == OP_COUNT)
			g_counts[pid]++;
		else if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == OP_ADD)
			xous_return_scalar(env.sender, env.scalar.arg[0] + env.scalar.arg[1]);
		else if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == OP_DONE)
			xous_return_scalar(env.sender, g_counts[pid] == env.scalar.arg[0]);
		else if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == OP_HELLO) {
			g_counts[pid] = 0; /* pids are reused: a new client starts from 0 */
			xous_return_scalar(env.sender, 0);
		} else if (env.kind == XOUS_MUTABLE_BORROW || env.kind == XOUS_BORROW)
			serve_memory(&env);
		xous_envelope_done(&env);
	}
	return NULL;
}

/* ---- a client process; its exit status names the first failure ---- */

static int client_call(xous_cid_t cid, xous_range_t *bufs, unsigned *scalars, uint64_t *last_ms)
{
	uint32_t x = rel_rand();
	xous_range_t b = bufs[x % NSIZES];
	uint64_t *w = b.addr, ms;
	size_t n = b.len / 8, off = 0, valid = 0;
	xous_scalar_reply_t r;
	xous_cid_t c2;

	switch ((x >> 8) % 6) {
	case 0:
		if (tt_elapsed_ms(&ms) || ms < *last_ms)
			return 10;
		*last_ms = ms;
		return 0;
	case 1:
		if (xous_blocking_scalar(cid, OP_ADD, x, 7, 0, 0, &r) || r.v[0] != (uintptr_t)x + 7)
			return 11;
		return 0;
	case 2:
		w[0] = x;
		if (xous_lend_mut(cid, OP_MUT, b, 0, b.len, &off, &valid) || off != 8 ||
		    valid != b.len || w[n - 1] != ~(uint64_t)x)
			return 12;
		return 0;
	case 3:
		w[0] = w[n - 1] = x;
		if (xous_lend(cid, OP_BORROW, b, 0, b.len, &off, &valid) || valid != b.len / 2)
			return 13;
		return 0;
	case 4:
		if (xns_request_connection(ECHO_NAME, &c2) || c2 != cid)
			return 14;
		return 0;
	default:
		if (xous_send_scalar(cid, OP_COUNT, 0, 0, 0, 0))
			return 15;
		(*scalars)++;
		return 0;
	}
}

static int role_client(const char *calls_str, const char *seed_str)
{
	xous_range_t bufs[NSIZES];
	unsigned scalars = 0;
	uint64_t last_ms = 0;
	xous_scalar_reply_t r;
	xous_cid_t cid;
	long i, calls = atol(calls_str);
	int rc;

	setenv("XOUS_REL_SEED", seed_str, 1);
	rel_seed_init();
	if (xns_request_connection_blocking(ECHO_NAME, &cid) ||
	    xous_blocking_scalar(cid, OP_HELLO, 0, 0, 0, 0, &r))
		return 2;
	for (i = 0; i < NSIZES; i++)
		if (xous_map_memory(sizes[i], XOUS_MEM_R | XOUS_MEM_W, &bufs[i]))
			return 3;
	for (i = 0; i < calls; i++)
		if ((rc = client_call(cid, bufs, &scalars, &last_ms)) != 0)
			return rc;
	if (xous_blocking_scalar(cid, OP_DONE, scalars, 0, 0, 0, &r) || r.v[0] != 1)
		return 16; /* a Scalar was lost */
	return 0;
}

/* ---- the parent ---- */

static long broker_rss_kb(pid_t pid)
{
	char path[64];
	long pages = 0, rss = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = -1;
	fclose(f);
	return rss < 0 ? -1 : rss * (sysconf(_SC_PAGESIZE) / 1024);
}

int main(int argc, char **argv)
{
	const char *role = itest_role(argc, argv);
	int procs = 16, calls = 200, i, bad = 0, fds, memfds, got, gotm, ok;
	pid_t broker = getppid(), *pids;
	char calls_str[16], seed_str[16];
	long rss0, rss1;
	xous_tid_t echo;
	xous_cid_t self;
	double t0;

	if (role && strcmp(role, "client") == 0 && argc >= 4)
		return role_client(argv[2], argv[3]);
	if (role && argc >= 3) {
		procs = atoi(argv[1]);
		calls = atoi(argv[2]);
		REQUIRE(procs > 0 && calls > 0, "usage: rel_load [PROCS CALLS]");
	}
	itest_note("%d client processes x %d calls, XOUS_REL_SEED=%u", procs, calls,
	           rel_seed_init());
	REQUIRE(xns_register_name(ECHO_NAME, 0, &g_sid) == XOUS_OK, "register the echo server");
	REQUIRE(xous_create_thread(echo_main, NULL, &echo) == XOUS_OK, "start the echo server");
	REQUIRE(xous_try_connect(&g_sid, &self) == XOUS_OK, "connect to it");
	fds = rel_fds(broker, &memfds);
	rss0 = broker_rss_kb(broker);
	pids = calloc((size_t)procs, sizeof(*pids));
	REQUIRE(pids != NULL && fds > 0, "the broker's fds are readable");
	snprintf(calls_str, sizeof(calls_str), "%d", calls);
	t0 = rel_now_ms();
	for (i = 0; i < procs; i++) {
		snprintf(seed_str, sizeof(seed_str), "%u", rel_rand() | 1);
		if ((pids[i] = itest_spawn("client", calls_str, seed_str)) <= 0)
			REQUIRE(0, "start client %d", i);
	}
	for (i = 0; i < procs; i++) {
		int status = itest_wait(pids[i]);

		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			bad++;
			itest_note("client %d: %s", i, itest_status_str(status));
		}
	}
	itest_note("%d x %d calls in %.0f ms", procs, calls, rel_now_ms() - t0);
	CHECK(bad == 0, "all %d clients got every answer right and lost no Scalar", procs);
	ok = rel_settle(broker, fds, memfds, &got, &gotm);
	CHECK(ok, "broker fds %d and memfds %d back to %d and %d", got, gotm, fds, memfds);
	rss1 = broker_rss_kb(broker);
	itest_note("broker resident memory: %ld KiB before, %ld KiB after", rss0, rss1);
	xous_send_scalar(self, OP_STOP, 0, 0, 0, 0);
	xous_join_thread(echo, NULL);
	free(pids);
	return itest_done();
}

/*
 * quotas.c - one process cannot take a shared table (CONTRACT promise 12,
 * docs/security.md "Memory and quotas").
 *
 * For each quota a hog process (role "hog") takes all it can of one table:
 * servers (made and their cids given back), queued messages, queued Moves
 * (the broker holds an fd and a copy for each), threads, attached
 * processes. It stops at its quota with the documented error and tells the
 * test how far it got, then waits. Meanwhile a new process attaches,
 * connects and is served, and the test itself still gets what the hog was
 * refused. When the hog dies its share comes back: a second hog gets exactly
 * as far, and the broker holds no more fds than before.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "itest.h"
#include "raw.h"

enum quota { Q_SERVERS = 1, Q_MSGS, Q_MOVES, Q_THREADS, Q_ATTACH, Q_COUNT };
enum { OP_HELLO = 100 };

#define TRIES       20000 /* more than any table: a missing quota fails, not hangs */
#define MSG_QUEUES  16    /* servers whose queues hold more than the message quota */
#define MOVE_QUEUES 8     /* servers whose queues hold more than the Move quota */

static const char *const names[Q_COUNT] = {
        "", "servers", "queued messages", "queued Moves", "threads", "attached processes"};
static const xous_err_t refusal[Q_COUNT] = {0,
                                            XOUS_ERR_OUT_OF_MEMORY,
                                            XOUS_ERR_SERVER_QUEUE_FULL,
                                            XOUS_ERR_OUT_OF_MEMORY,
                                            XOUS_ERR_THREAD_NOT_AVAILABLE,
                                            XOUS_ERR_OUT_OF_MEMORY};

/* ---- the hog ---- */

static int take_servers(xous_err_t *err)
{
	xous_sid_t sid;
	xous_cid_t cid;
	int n = 0;

	while (n < TRIES && (*err = xous_create_server(&sid)) == XOUS_OK) {
		xous_connect(&sid, &cid); /* the creator's own cid */
		xous_disconnect(cid);
		n++;
	}
	return n;
}

static xous_sid_t first_sid;

/* Servers of its own that never receive, each with a cid. */
static void own_servers(xous_cid_t *cids, int n)
{
	xous_sid_t sid;

	for (int i = 0; i < n; i++) {
		if (xous_create_server(&sid) != XOUS_OK || xous_connect(&sid, &cids[i]) != XOUS_OK)
			exit(2);
		if (i == 0)
			first_sid = sid;
	}
}

static int take_msgs(xous_err_t *err)
{
	xous_cid_t cids[MSG_QUEUES];
	xous_envelope_t env;
	int n = 0;

	own_servers(cids, MSG_QUEUES);
	while (n < TRIES &&
	       (*err = xous_try_send_scalar(cids[n % MSG_QUEUES], 1, 0, 0, 0, 0)) == XOUS_OK)
		n++;
	/* room for exactly one more message: the report */
	if (xous_receive_message(&first_sid, &env) != XOUS_OK)
		exit(2);
	return n;
}

static int take_moves(xous_err_t *err)
{
	xous_cid_t cids[MOVE_QUEUES];
	xous_range_t page;
	int n = 0;

	own_servers(cids, MOVE_QUEUES);
	while (n < TRIES && (*err = xous_map_memory(XOUS_PAGE_SIZE, 0, &page)) == XOUS_OK &&
	       (*err = xous_send_memory(cids[n % MOVE_QUEUES], 1, page, 0, 0)) == XOUS_OK)
		n++;
	return n;
}

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;

static void *parked(void *arg)
{
	pthread_mutex_lock(&gate_mu);
	for (;;)
		pthread_cond_wait(&gate_cv, &gate_mu); /* until the process ends */
	return arg;
}

static int take_threads(xous_err_t *err)
{
	xous_tid_t tid;
	int n = 0;

	while (n < TRIES && (*err = xous_create_thread(parked, NULL, &tid)) == XOUS_OK)
		n++;
	return n;
}

static int take_attaches(xous_err_t *err)
{
	struct xh_frame r = {0};
	uint64_t key[2];
	int n = 0, s;

	if (raw_key(key) != 0)
		exit(2);
	while (n < TRIES && (s = raw_hello(key, &r)) >= 0 && r.w[0] == XOUS_RESULT_PROCESS_ID)
		n++; /* its socket stays open: the process lives */
	*err = s < 0 ? XOUS_ERR_INTERNAL_ERROR : (xous_err_t)r.w[1];
	return n;
}

/* Role "hog" Q REPORT: take quota q, report (n, error), wait for the answer. */
static int hog_main(const char *q_str, const char *report_hex)
{
	int (*const take[Q_COUNT])(xous_err_t *) = {NULL,       take_servers, take_msgs,
	                                            take_moves, take_threads, take_attaches};
	int q = atoi(q_str), n;
	xous_err_t err = XOUS_OK;
	xous_scalar_reply_t rep;
	struct rlimit rl;
	xous_sid_t report;
	xous_cid_t cid;

	if (q <= 0 || q >= Q_COUNT || itest_sid_parse(report_hex, &report) ||
	    xous_connect(&report, &cid) != XOUS_OK)
		return 2;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) { /* a socket per thread and per process */
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	n = take[q](&err);
	xous_blocking_scalar(cid, (uint32_t)q, (uintptr_t)n, err, 0, 0, &rep);
	_exit(0); /* everything it took goes with it */
}

/* Role "client" REPORT: a new process, served. */
static int client_main(const char *report_hex)
{
	xous_scalar_reply_t rep = {0};
	xous_sid_t report;
	xous_cid_t cid;

	if (itest_sid_parse(report_hex, &report) || xous_connect(&report, &cid) != XOUS_OK ||
	    xous_blocking_scalar(cid, OP_HELLO, 0, 0, 0, 0, &rep) != XOUS_OK)
		return 2;
	return rep.v[0] == OP_HELLO ? 0 : 3;
}

/* ---- the test ---- */

static xous_sid_t report_sid;
static char report_hex[33];
static int base_fds;

/* The next message on the report server (a hog's or a client's). */
static xous_envelope_t next_report(void)
{
	xous_envelope_t env;

	REQUIRE(xous_receive_message(&report_sid, &env) == XOUS_OK &&
	                env.kind == XOUS_BLOCKING_SCALAR,
	        "a report comes");
	return env;
}

/* A new process attaches, connects and is served while the hog holds its share. */
static void new_client_served(enum quota q)
{
	pid_t pid = itest_spawn("client", report_hex, NULL);
	REQUIRE(pid > 0, "start a client");
	xous_envelope_t env = next_report();
	CHECK(env.scalar.id == OP_HELLO, "%s: a new client attaches, connects and sends", names[q]);
	xous_return_scalar(env.sender, OP_HELLO);
	int status = itest_wait(pid);
	CHECK(status == 0, "%s: and is served (%s)", names[q], itest_status_str(status));
}

static void *quick(void *arg)
{
	return arg;
}

/* What the hog was refused, the test itself still gets. */
static void we_still_get(enum quota q)
{
	xous_err_t err = XOUS_OK;
	xous_sid_t sid;
	xous_cid_t cid;
	xous_tid_t tid;
	xous_range_t page;

	REQUIRE(xous_create_server(&sid) == XOUS_OK && xous_connect(&sid, &cid) == XOUS_OK,
	        "%s: we still create a server", names[q]);
	switch (q) {
	case Q_MSGS:
		err = xous_try_send_scalar(cid, 1, 0, 0, 0, 0);
		break;
	case Q_MOVES:
		err = xous_map_memory(XOUS_PAGE_SIZE, 0, &page);
		if (err == XOUS_OK)
			err = xous_send_memory(cid, 1, page, 0, 0);
		break;
	case Q_THREADS:
		err = xous_create_thread(quick, NULL, &tid);
		if (err == XOUS_OK)
			xous_join_thread(tid, NULL);
		break;
	default:
		break;
	}
	CHECK_ERR(err, XOUS_OK, "%s: we still get one", names[q]);
	xous_destroy_server(&sid); /* its queued messages go with it */
	xous_disconnect(cid);
}

static void fds_back(enum quota q)
{
	int now = itest_broker_fds();

	for (int i = 0; i < 200 && now > base_fds; i++) {
		usleep(20000);
		now = itest_broker_fds();
	}
	CHECK(now <= base_fds, "%s: once the hog is gone the broker holds no more fds (%d, %d)",
	      names[q], base_fds, now);
}

/* One hog takes its share; returns how much it got. */
static int one_hog(enum quota q, int peak_fds)
{
	char q_str[16];

	snprintf(q_str, sizeof q_str, "%d", (int)q);
	pid_t pid = itest_spawn("hog", q_str, report_hex);
	REQUIRE(pid > 0, "start a hog");
	xous_envelope_t env = next_report();
	REQUIRE(env.scalar.id == (uint32_t)q, "the hog reports");
	int n = (int)env.scalar.arg[0];
	CHECK_ERR((xous_err_t)env.scalar.arg[1], refusal[q], "%s: the hog is refused after %d",
	          names[q], n);
	CHECK(n > 0 && n < TRIES, "%s: at a quota (%d)", names[q], n);
	if (peak_fds)
		CHECK(itest_broker_fds() <= base_fds + peak_fds + 16,
		      "%s: the broker holds at most an fd per queued Move (%d, %d)", names[q],
		      itest_broker_fds() - base_fds, peak_fds);
	new_client_served(q);
	we_still_get(q);
	xous_return_scalar(env.sender, 0);
	int status = itest_wait(pid);
	CHECK(status == 0, "%s: the hog ends (%s)", names[q], itest_status_str(status));
	fds_back(q);
	return n;
}

int main(int argc, char **argv)
{
	const char *role = itest_role(argc, argv);
	struct rlimit rl;

	if (role && argc > 3 && strcmp(role, "hog") == 0)
		return hog_main(argv[2], argv[3]);
	if (role && argc > 2 && strcmp(role, "client") == 0)
		return client_main(argv[2]);
	if (role)
		return 2;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	REQUIRE(xous_create_server(&report_sid) == XOUS_OK, "a server for the reports");
	itest_sid_str(&report_sid, report_hex);
	base_fds = itest_broker_fds();
	for (int q = Q_SERVERS; q < Q_COUNT; q++) {
		int first = one_hog((enum quota)q, 0);
		int second = one_hog((enum quota)q, q == Q_MOVES ? first : 0);
		CHECK(second == first, "%s: a second hog gets as far as the first (%d, %d)",
		      names[q], first, second);
	}
	return itest_done();
}

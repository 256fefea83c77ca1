/*
 * api.threads: xous_create_thread / xous_join_thread, thread ids (reused,
 * no cap of 31 as in Xous's hosted mode), process and thread ids, yield, and
 * many threads calling one server at once without their answers crossing.
 */
#include <stdatomic.h>

#include "itest.h"

#define MANY  64
#define CALLS 200

static xous_sid_t sid;
static xous_cid_t cid;

static void *report_ids(void *arg)
{
	xous_tid_t *out = arg;

	out[0] = xous_thread_id();
	out[1] = xous_process_id();
	xous_yield();
	return (void *)0x5eed;
}

static void *nothing(void *arg)
{
	return arg;
}

static void ids(void)
{
	xous_tid_t seen[2] = {0}, tid, again;
	void *res = NULL;

	CHECK(xous_process_id() >= 2, "process_id: 2 or more, 1 is the kernel (%u)",
	      xous_process_id());
	CHECK(xous_thread_id() == 1, "thread_id of the main thread is 1 (%u)", xous_thread_id());
	xous_yield();
	CHECK(1, "yield returns");
	CHECK_ERR(xous_create_thread(report_ids, seen, &tid), XOUS_OK, "create_thread");
	CHECK_ERR(xous_join_thread(tid, &res), XOUS_OK, "join_thread");
	CHECK(res == (void *)0x5eed, "join passes the thread's result");
	CHECK(seen[0] == tid && tid >= 2, "the thread's own thread_id is the tid returned (%u)",
	      tid);
	CHECK(seen[1] == xous_process_id(), "and its process_id is ours");
	CHECK_ERR(xous_create_thread(nothing, NULL, &again), XOUS_OK, "create another");
	CHECK(again == tid, "a joined thread's id is reused (lowest free: %u)", again);
	CHECK_ERR(xous_join_thread(again, NULL), XOUS_OK, "join it with a NULL result");
	CHECK(xous_join_thread(again, NULL) != XOUS_OK, "joining it twice is an error");
	CHECK(xous_join_thread(9999, NULL) != XOUS_OK, "joining a tid never given is an error");
	CHECK(xous_join_thread(xous_thread_id(), NULL) != XOUS_OK,
	      "a thread joining itself is an error");
	CHECK(xous_create_thread(NULL, NULL, &tid) != XOUS_OK, "create_thread(NULL entry)");
}

static atomic_int crossed;

/* Each caller sends its own numbers and checks each answer is its own. */
static void *caller(void *arg)
{
	uintptr_t me = (uintptr_t)arg;
	xous_scalar_reply_t r;

	for (uintptr_t i = 0; i < CALLS; i++) {
		uintptr_t v = me << 20 | i;
		if (xous_blocking_scalar(cid, 1, v, me, 0, 0, &r) != XOUS_OK || r.v[0] != v + 1)
			atomic_fetch_add(&crossed, 1);
	}
	return (void *)me;
}

static void many_threads(void)
{
	xous_tid_t tids[MANY];
	xous_envelope_t env;
	int ok = 1, distinct = 1;

	REQUIRE(xous_create_server(&sid) == XOUS_OK && xous_connect(&sid, &cid) == XOUS_OK,
	        "create a server");
	for (uintptr_t i = 0; i < MANY; i++) {
		ok &= xous_create_thread(caller, (void *)i, &tids[i]) == XOUS_OK;
		for (uintptr_t j = 0; ok && j < i; j++)
			distinct &= tids[j] != tids[i];
	}
	CHECK(ok, "%d threads at once (more than Xous hosted mode's 31)", MANY);
	CHECK(distinct, "with distinct thread ids");
	for (int n = 0; n < MANY * CALLS; n++) {
		if (xous_receive_message(&sid, &env) != XOUS_OK)
			break;
		xous_return_scalar(env.sender, env.scalar.arg[0] + 1);
	}
	for (uintptr_t i = 0; i < MANY; i++) {
		void *res = NULL;
		ok &= xous_join_thread(tids[i], &res) == XOUS_OK && res == (void *)i;
	}
	CHECK(ok, "all joined with their results");
	CHECK(atomic_load(&crossed) == 0,
	      "%d concurrent blocking calls each got their own answer (%d did not)", MANY * CALLS,
	      atomic_load(&crossed));
}

/* Several threads receive on one server: each message is delivered once. */
#define RECEIVERS 4
#define SENDERS   6
#define EACH      300

static xous_sid_t shared_sid;
static xous_cid_t shared_cid;
static atomic_int seen[SENDERS * EACH];

static void *shared_receiver(void *arg)
{
	xous_envelope_t env;
	long n = 0;

	(void)arg;
	while (xous_receive_message(&shared_sid, &env) == XOUS_OK) {
		uintptr_t v = env.scalar.arg[0];
		if (v == (uintptr_t)-1)
			break;
		if (v < SENDERS * EACH)
			atomic_fetch_add(&seen[v], 1);
		if (env.kind == XOUS_BLOCKING_SCALAR)
			xous_return_scalar(env.sender, v);
		n++;
	}
	return (void *)n;
}

static void *shared_sender(void *arg)
{
	uintptr_t base = (uintptr_t)arg * EACH;
	xous_scalar_reply_t r;
	int bad = 0;

	for (uintptr_t i = 0; i < EACH; i++) {
		if (i % 2)
			bad += xous_send_scalar(shared_cid, 1, base + i, 0, 0, 0) != XOUS_OK;
		else
			bad += xous_blocking_scalar(shared_cid, 2, base + i, 0, 0, 0, &r) !=
			               XOUS_OK ||
			       r.v[0] != base + i;
	}
	return (void *)(uintptr_t)bad;
}

static void shared_server(void)
{
	xous_tid_t rx[RECEIVERS], tx[SENDERS];
	long received = 0;
	int bad = 0, once = 1;

	REQUIRE(xous_create_server(&shared_sid) == XOUS_OK &&
	                xous_connect(&shared_sid, &shared_cid) == XOUS_OK,
	        "create a server");
	for (uintptr_t i = 0; i < RECEIVERS; i++)
		REQUIRE(xous_create_thread(shared_receiver, NULL, &rx[i]) == XOUS_OK, "receiver");
	for (uintptr_t i = 0; i < SENDERS; i++)
		REQUIRE(xous_create_thread(shared_sender, (void *)i, &tx[i]) == XOUS_OK, "sender");
	for (int i = 0; i < SENDERS; i++) {
		void *res = (void *)1;
		xous_join_thread(tx[i], &res);
		bad += (int)(uintptr_t)res;
	}
	for (int i = 0; i < RECEIVERS; i++)
		xous_send_scalar(shared_cid, 3, (uintptr_t)-1, 0, 0, 0);
	for (int i = 0; i < RECEIVERS; i++) {
		void *res = NULL;
		xous_join_thread(rx[i], &res);
		received += (long)res;
	}
	for (int i = 0; i < SENDERS * EACH; i++)
		once &= atomic_load(&seen[i]) == 1;
	CHECK(bad == 0, "%d senders, %d receiver threads on one server: every call answered right",
	      SENDERS, RECEIVERS);
	CHECK(once && received == SENDERS * EACH,
	      "each of %d messages delivered exactly once (%ld)", SENDERS * EACH, received);
	xous_destroy_server(&shared_sid);
}

int main(void)
{
	ids();
	many_threads();
	shared_server();
	return itest_done();
}

/*
 * Promise 2: Scalar and Move return once the message is queued. A full queue
 * makes SendMessage wait and TrySendMessage fail with ServerQueueFull.
 *
 * Nobody receives until the queue is full, so every send that returned did
 * so without the server. Then a thread's send_scalar (and another's
 * blocking_scalar) waits for space; one receive makes room, and the waiting
 * messages arrive after everything that was queued before them.
 */
#include <stdatomic.h>
#include <stdio.h>

#include "itest.h"

#define MARK_SEND     0xbee1
#define MARK_BLOCKING 0xbee2
#define FIRST         10 /* scalars sent before the Move */

static xous_sid_t sid;
static xous_cid_t cid;
static atomic_int send_returned, blocking_returned;

static void *waiting_sender(void *arg)
{
	xous_err_t err = xous_send_scalar(cid, MARK_SEND, 0, 0, 0, 0);

	(void)arg;
	atomic_store(&send_returned, 1);
	return (void *)(uintptr_t)err;
}

static void *waiting_caller(void *arg)
{
	xous_scalar_reply_t r = {0};
	xous_err_t err = xous_blocking_scalar(cid, MARK_BLOCKING, 0, 0, 0, 0, &r);

	(void)arg;
	atomic_store(&blocking_returned, 1);
	return (void *)(uintptr_t)(err ? 1000 + err : r.v[0] == 77 ? 0 : 1);
}

/* Fill the queue with try_send; returns how many fitted. */
static int fill_queue(xous_err_t *last)
{
	int n = 0;

	while ((*last = xous_try_send_scalar(cid, 1000 + n, n, 0, 0, 0)) == XOUS_OK && n < 1000000)
		n++;
	return n;
}

static void sends_return_at_once(void)
{
	xous_range_t page;
	int ok = 1;

	for (int i = 0; i < FIRST; i++)
		ok &= xous_send_scalar(cid, i, i, 0, 0, 0) == XOUS_OK;
	CHECK(ok, "%d send_scalar calls return with no receiver running", FIRST);
	REQUIRE(xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page) == XOUS_OK, "map");
	CHECK_ERR(xous_send_memory(cid, FIRST, page, 0, 1), XOUS_OK,
	          "send_memory (Move) returns with no receiver running");
}

/* Drain everything; the two waiting messages must come last, in any order. */
static void drain_in_order(int queued)
{
	xous_envelope_t env;
	int bad = 0, marks = 0;

	for (int i = 0; i < queued + 2; i++) {
		if (xous_receive_message(&sid, &env) != XOUS_OK) {
			bad++;
			break;
		}
		if (env.kind == XOUS_MOVE)
			xous_unmap_memory(env.memory.buf);
		uint32_t id = env.kind == XOUS_MOVE ? env.memory.id : env.scalar.id;
		if (id == MARK_SEND || id == MARK_BLOCKING) {
			marks++;
			bad += i < queued; /* queued behind all the others */
			if (env.kind == XOUS_BLOCKING_SCALAR)
				xous_return_scalar(env.sender, 77);
		}
	}
	CHECK(marks == 2 && bad == 0, "the waiting messages arrive after those queued before them");
}

int main(void)
{
	xous_tid_t t_send, t_block;
	xous_envelope_t env;
	xous_err_t last;
	void *res;

	REQUIRE(xous_create_server(&sid) == XOUS_OK && xous_connect(&sid, &cid) == XOUS_OK,
	        "create a server and connect");
	sends_return_at_once();
	int filled = fill_queue(&last);
	CHECK_ERR(last, XOUS_ERR_SERVER_QUEUE_FULL, "try_send on a full queue (after %d more)",
	          filled);
	itest_note("queue depth seen: %d", FIRST + 1 + filled);

	REQUIRE(xous_create_thread(waiting_sender, NULL, &t_send) == XOUS_OK, "thread 1");
	REQUIRE(xous_create_thread(waiting_caller, NULL, &t_block) == XOUS_OK, "thread 2");
	for (int i = 0; i < 50; i++)
		xous_yield();
	CHECK(!atomic_load(&send_returned), "send_scalar on a full queue has not returned");
	CHECK(!atomic_load(&blocking_returned), "blocking_scalar on a full queue has not returned");
	CHECK_ERR(xous_try_send_scalar(cid, 5, 0, 0, 0, 0), XOUS_ERR_SERVER_QUEUE_FULL,
	          "try_send still fails while others wait for space");

	REQUIRE(xous_receive_message(&sid, &env) == XOUS_OK, "receive one message");
	CHECK(env.kind == XOUS_SCALAR && env.scalar.id == 0,
	      "the first message queued comes first");
	drain_in_order(FIRST + filled);
	CHECK_ERR(xous_join_thread(t_send, &res), XOUS_OK, "join thread 1");
	CHECK(res == NULL, "the waiting send_scalar succeeded once there was space");
	CHECK_ERR(xous_join_thread(t_block, &res), XOUS_OK, "join thread 2");
	CHECK(res == NULL, "the waiting blocking_scalar was delivered and answered");
	return itest_done();
}

/*
 * Promise 3: BlockingScalar, Borrow and MutableBorrow block the calling thread
 * until the server answers.
 *
 * The server thread records "answered N" just before it answers message N;
 * each call must find that record when it returns. Then a caller whose
 * message the server parks (deferred response) stays blocked while the server
 * answers others, and returns only when the parked message is answered.
 */
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>

#include "itest.h"

enum { OP_PARK = 100, OP_PING = 101, OP_RELEASE = 102, OP_QUIT = 103 };

static xous_sid_t sid;
static xous_cid_t cid;
static atomic_uint answered;       /* id of the last message answered */
static atomic_int parked_returned; /* the parked caller came back */
static sem_t parked;               /* posted when the server holds OP_PARK */

static void answer(xous_envelope_t *env, xous_sender_t *held)
{
	uint32_t id = env->kind == XOUS_BLOCKING_SCALAR || env->kind == XOUS_SCALAR
	                      ? env->scalar.id
	                      : env->memory.id;

	if (id == OP_PARK) {
		*held = env->sender;
		sem_post(&parked);
		return;
	}
	if (id == OP_RELEASE) {
		atomic_store(&answered, OP_PARK);
		xous_return_scalar(*held, 4242);
		return;
	}
	if (env->kind == XOUS_SCALAR)
		return;
	atomic_store(&answered, id);
	if (env->kind == XOUS_BLOCKING_SCALAR)
		xous_return_scalar(env->sender, id * 2);
	else
		xous_return_memory(env->sender, 0, id);
}

static void *server(void *arg)
{
	xous_sender_t held = 0;
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_SCALAR && env.scalar.id == OP_QUIT)
			break;
		answer(&env, &held);
	}
	return NULL;
}

static void *parked_caller(void *arg)
{
	xous_scalar_reply_t r = {0};
	xous_err_t err = xous_blocking_scalar(cid, OP_PARK, 0, 0, 0, 0, &r);

	(void)arg;
	atomic_store(&parked_returned, 1);
	return (void *)(err ? (uintptr_t)-1 : r.v[0]);
}

static void each_kind_blocks(void)
{
	xous_scalar_reply_t r;
	xous_range_t page;
	size_t off, valid;

	REQUIRE(xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page) == XOUS_OK, "map");
	for (uint32_t id = 1; id <= 30; id++) {
		xous_err_t err;
		if (id % 3 == 0)
			err = xous_blocking_scalar(cid, id, 0, 0, 0, 0, &r);
		else if (id % 3 == 1)
			err = xous_lend(cid, id, page, 0, 0, &off, &valid);
		else
			err = xous_lend_mut(cid, id, page, 0, 0, &off, &valid);
		if (err || atomic_load(&answered) != id) {
			CHECK(0, "call %u returned %u before its answer", id, err);
			return;
		}
	}
	CHECK(1, "30 BlockingScalar/Borrow/MutableBorrow calls each returned after their answer");
}

static void deferred_answer(void)
{
	xous_scalar_reply_t r = {0};
	xous_tid_t tid;
	void *res = NULL;

	REQUIRE(xous_create_thread(parked_caller, NULL, &tid) == XOUS_OK, "start a caller");
	sem_wait(&parked);
	CHECK_ERR(xous_blocking_scalar(cid, OP_PING, 0, 0, 0, 0, &r), XOUS_OK,
	          "the server answers another caller while one is parked");
	CHECK(r.v[0] == OP_PING * 2, "with the right value");
	CHECK(!atomic_load(&parked_returned), "the parked caller is still blocked");
	CHECK_ERR(xous_send_scalar(cid, OP_RELEASE, 0, 0, 0, 0), XOUS_OK, "release it");
	CHECK_ERR(xous_join_thread(tid, &res), XOUS_OK, "join the parked caller");
	CHECK(res == (void *)4242, "the parked caller got the deferred answer");
}

int main(void)
{
	xous_tid_t srv;

	sem_init(&parked, 0, 0);
	REQUIRE(xous_create_server(&sid) == XOUS_OK && xous_connect(&sid, &cid) == XOUS_OK,
	        "create a server and connect");
	REQUIRE(xous_create_thread(server, NULL, &srv) == XOUS_OK, "start the server thread");
	each_kind_blocks();
	deferred_answer();
	xous_send_scalar(cid, OP_QUIT, 0, 0, 0, 0);
	CHECK_ERR(xous_join_thread(srv, NULL), XOUS_OK, "join the server");
	return itest_done();
}

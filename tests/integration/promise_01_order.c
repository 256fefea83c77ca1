/*
 * Promise 1: messages from one thread to one server arrive in the order sent.
 *
 * Three sender threads each send a numbered run of messages of every kind
 * (Scalar, Move, BlockingScalar, Borrow) to one server; the server checks that
 * each thread's numbers arrive without a gap or a swap. The runs are longer
 * than any queue, so senders also wait for space on the way.
 */
#include <stdio.h>
#include <string.h>

#include "itest.h"

#define SENDERS    3
#define PER_SENDER 600

static xous_sid_t sid;
static xous_cid_t cid;

/* id = sender << 16 | sequence number; the kind cycles with the number. */
static void *sender(void *arg)
{
	uint32_t who = (uint32_t)(uintptr_t)arg;
	xous_scalar_reply_t r;
	xous_range_t page;
	size_t off, valid;
	xous_err_t err = XOUS_OK;

	for (uint32_t i = 0; i < PER_SENDER && err == XOUS_OK; i++) {
		uint32_t id = who << 16 | i;
		switch (i % 10) {
		case 3: /* Move */
			err = xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page);
			if (!err)
				err = xous_send_memory(cid, id, page, 0, 0);
			break;
		case 6:
			err = xous_blocking_scalar(cid, id, i, 0, 0, 0, &r);
			break;
		case 9: /* Borrow */
			err = xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page);
			if (!err)
				err = xous_lend(cid, id, page, 0, 0, &off, &valid);
			if (!err)
				err = xous_unmap_memory(page);
			break;
		default:
			err = xous_send_scalar(cid, id, i, 0, 0, 0);
		}
	}
	return (void *)(uintptr_t)err;
}

static uint32_t env_id(const xous_envelope_t *env)
{
	return env->kind == XOUS_SCALAR || env->kind == XOUS_BLOCKING_SCALAR ? env->scalar.id
	                                                                     : env->memory.id;
}

/* Answer (or free) one message; 0 if it came as another kind than sent. */
static int answer(xous_envelope_t *env, uint32_t seq)
{
	switch (env->kind) {
	case XOUS_MOVE:
		xous_unmap_memory(env->memory.buf);
		return seq % 10 == 3;
	case XOUS_BLOCKING_SCALAR:
		xous_return_scalar(env->sender, seq);
		return seq % 10 == 6;
	case XOUS_BORROW:
		xous_return_memory(env->sender, 0, 0);
		return seq % 10 == 9;
	case XOUS_SCALAR:
		return env->scalar.arg[0] == seq;
	default:
		xous_envelope_done(env);
		return 0;
	}
}

int main(void)
{
	uint32_t next[SENDERS] = {0};
	int out_of_order = 0, wrong_kind = 0, total = 0;
	xous_tid_t tids[SENDERS];
	xous_envelope_t env;

	REQUIRE(xous_create_server(&sid) == XOUS_OK, "create a server");
	REQUIRE(xous_connect(&sid, &cid) == XOUS_OK, "connect to it");
	for (uintptr_t s = 0; s < SENDERS; s++)
		REQUIRE(xous_create_thread(sender, (void *)s, &tids[s]) == XOUS_OK,
		        "start sender thread %u", (unsigned)s);

	while (total < SENDERS * PER_SENDER) {
		if (xous_receive_message(&sid, &env) != XOUS_OK)
			break;
		uint32_t id = env_id(&env), who = id >> 16, seq = id & 0xffff;
		if (who >= SENDERS || seq != next[who])
			out_of_order++;
		else
			next[who]++;
		wrong_kind += !answer(&env, seq);
		total++;
	}
	CHECK(out_of_order == 0,
	      "%d messages from 3 threads: each thread's arrive in order (%d not)", total,
	      out_of_order);
	CHECK(wrong_kind == 0, "every message arrives as the kind it was sent (%d not)",
	      wrong_kind);
	for (int s = 0; s < SENDERS; s++) {
		void *res = (void *)1;
		CHECK_ERR(xous_join_thread(tids[s], &res), XOUS_OK, "join sender %d", s);
		CHECK(res == NULL, "sender %d: all %d sends succeeded", s, PER_SENDER);
	}
	CHECK_ERR(xous_try_receive_message(&sid, &env), XOUS_OK,
	          "try_receive on the drained queue");
	CHECK(env.kind == XOUS_NO_MESSAGE, "nothing more arrived than was sent");
	return itest_done();
}

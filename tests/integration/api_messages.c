/*
 * api.messages: every message call of CONTRACT section 2, caller and server
 * side.
 *
 * send_scalar / try_send_scalar, blocking_scalar answered by return_scalar,
 * return_scalar2 and return_scalar5, send_memory (Move), lend (Borrow),
 * lend_mut (MutableBorrow) answered by return_memory, receive /
 * try_receive, envelope_done on each kind, reply_and_receive_next; and the
 * extension receive_many (batches of queued Scalars and BlockingScalars).
 *
 * The server is a thread of this process that runs whatever the test named
 * in the message's id asks for.
 */
#include <string.h>

#include "itest.h"

#define NMANY 40 /* more than one batch holds */

enum op {
	OP_RET1 = 1,
	OP_RET2,
	OP_RET5,
	OP_DONE,       /* answer with envelope_done */
	OP_MEM,        /* return_memory(offset 3, valid 9) after adding 1 to each byte */
	OP_DONE_EDIT,  /* envelope_done after changing offset and valid */
	OP_RARN_START, /* switch to a reply_and_receive_next loop */
	OP_RARN_STOP,
	OP_QUIT,
};

static xous_sid_t sid;
static xous_cid_t cid;

static void serve_memory(xous_envelope_t *env)
{
	unsigned char *p = env->memory.buf.addr;

	if (env->memory.id == OP_MEM) {
		if (env->kind == XOUS_MUTABLE_BORROW)
			for (size_t i = 0; i < env->memory.buf.len; i++)
				p[i]++;
		xous_return_memory(env->sender, 3, 9);
	} else if (env->memory.id == OP_DONE_EDIT) {
		env->memory.offset = 5;
		env->memory.valid = 11;
		xous_envelope_done(env);
	} else {
		xous_envelope_done(env);
	}
}

static void serve_scalar(xous_envelope_t *env)
{
	uintptr_t *a = env->scalar.arg;

	if (env->kind != XOUS_BLOCKING_SCALAR)
		return;
	if (env->scalar.id == OP_RET1)
		xous_return_scalar(env->sender, a[0] + a[1] + a[2] + a[3]);
	else if (env->scalar.id == OP_RET2)
		xous_return_scalar2(env->sender, a[0] * 2, a[1] * 2);
	else if (env->scalar.id == OP_RET5)
		xous_return_scalar5(env->sender, a[0], a[1], a[2], a[3], 0x5555);
	else
		xous_envelope_done(env);
}

/* Answer everything with reply_and_receive_next until OP_RARN_STOP. */
static void rarn_loop(xous_envelope_t *env)
{
	/* The Scalar that started us needs no answer; the first call takes the next. */
	while (xous_reply_and_receive_next(&sid, env) == XOUS_OK) {
		if (env->kind == XOUS_SCALAR && env->scalar.id == OP_RARN_STOP)
			return;
		if (env->kind == XOUS_MUTABLE_BORROW) {
			memset(env->memory.buf.addr, 0x77, env->memory.buf.len);
			env->memory.valid = 1;
		}
	}
}

static void *server(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_SCALAR && env.scalar.id == OP_QUIT)
			break;
		if (env.kind == XOUS_SCALAR && env.scalar.id == OP_RARN_START)
			rarn_loop(&env);
		else if (env.kind == XOUS_SCALAR || env.kind == XOUS_BLOCKING_SCALAR)
			serve_scalar(&env);
		else
			serve_memory(&env);
	}
	return NULL;
}

static void scalars_received(void)
{
	xous_envelope_t env;

	CHECK_ERR(xous_try_receive_message(&sid, &env), XOUS_OK, "try_receive on an empty queue");
	CHECK(env.kind == XOUS_NO_MESSAGE, "gives kind NO_MESSAGE");
	CHECK_ERR(xous_send_scalar(cid, 0x1234, 1, 2, 3, 4), XOUS_OK, "send_scalar");
	CHECK_ERR(xous_try_send_scalar(cid, 0x5678, 5, 6, 7, 8), XOUS_OK, "try_send_scalar");
	CHECK(xous_try_receive_message(&sid, &env) == XOUS_OK && env.kind == XOUS_SCALAR &&
	              env.scalar.id == 0x1234 && env.scalar.arg[0] == 1 && env.scalar.arg[3] == 4,
	      "try_receive gets the Scalar with its id and four words");
	CHECK(env.sender != 0, "with a sender token");
	CHECK(xous_sender_pid(env.sender) == xous_process_id(), "naming our pid as the caller");
	CHECK(xous_receive_message(&sid, &env) == XOUS_OK && env.kind == XOUS_SCALAR &&
	              env.scalar.id == 0x5678 && env.scalar.arg[1] == 6,
	      "receive gets the second");
	CHECK_ERR(xous_envelope_done(&env), XOUS_OK, "envelope_done on a Scalar does nothing");
	uintptr_t big = (uintptr_t)-1;
	xous_send_scalar(cid, 1, big, big - 1, 0, big);
	CHECK(xous_receive_message(&sid, &env) == XOUS_OK && env.scalar.arg[0] == big &&
	              env.scalar.arg[1] == big - 1 && env.scalar.arg[3] == big,
	      "full-width words arrive unchanged");
}

static void *blocking_caller(void *arg)
{
	xous_scalar_reply_t r = {0};
	xous_err_t err = xous_blocking_scalar(cid, 0xb1, 0, 0, 0, 0, &r);

	(void)arg;
	return (void *)(uintptr_t)(err ? 1000 + err : r.v[0]);
}

/* Batches come in order, hold at most max (and XOUS_RECEIVE_MANY_MAX), carry
 * BlockingScalars that are answered like any, and stop before a memory
 * message, which comes alone. */
static void receive_many(void)
{
	xous_envelope_t envs[XOUS_RECEIVE_MANY_MAX + 1];
	xous_range_t page;
	size_t n = 99, got = 0;
	int in_order = 1, at_most = 1, batches = 0;
	xous_tid_t t;
	void *res = NULL;

	CHECK_ERR(xous_receive_many(&sid, envs, 0, &n), XOUS_ERR_INVALID_ARGUMENT, "max 0");
	CHECK(n == 0, "counts nothing");
	CHECK_ERR(xous_receive_many(&sid, NULL, 4, &n), XOUS_ERR_INVALID_ARGUMENT, "no envelopes");
	for (int i = 0; i < NMANY; i++)
		xous_send_scalar(cid, 0xa0, (uintptr_t)i, 0, 0, 0);
	while (got < NMANY) {
		REQUIRE(xous_receive_many(&sid, envs, 7, &n) == XOUS_OK && n >= 1, "receive_many");
		at_most &= n <= 7;
		for (size_t k = 0; k < n; k++, got++)
			in_order &= envs[k].kind == XOUS_SCALAR && envs[k].scalar.arg[0] == got;
		batches++;
	}
	CHECK(got == NMANY && in_order && at_most,
	      "%d Scalars arrive in order, at most 7 a time, in %d batches", NMANY, batches);
	for (int i = 0; i < NMANY; i++)
		xous_send_scalar(cid, 0xa0, (uintptr_t)i, 0, 0, 0);
	CHECK(xous_receive_many(&sid, envs, 1000, &n) == XOUS_OK && n == XOUS_RECEIVE_MANY_MAX,
	      "a max above XOUS_RECEIVE_MANY_MAX gives that many (%zu)", n);
	while (xous_try_receive_message(&sid, &envs[0]) == XOUS_OK &&
	       envs[0].kind != XOUS_NO_MESSAGE)
		;
	REQUIRE(xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page) == XOUS_OK, "map");
	xous_send_scalar(cid, 0xa1, 1, 0, 0, 0);
	REQUIRE(xous_create_thread(blocking_caller, NULL, &t) == XOUS_OK, "a thread calls");
	CHECK_ERR(xous_send_memory(cid, 0xa4, page, 0, 0), XOUS_OK, "queue a Move");
	/* The caller's BlockingScalar lands before or after the Move. */
	int answered = 0, moved = 0, shared = 1;
	while (!answered || !moved) {
		REQUIRE(xous_receive_many(&sid, envs, 8, &n) == XOUS_OK && n >= 1, "receive_many");
		for (size_t k = 0; k < n; k++) {
			if (envs[k].kind == XOUS_BLOCKING_SCALAR)
				answered += xous_return_scalar(envs[k].sender, 42) == XOUS_OK;
			if (envs[k].kind == XOUS_MOVE) {
				shared &= n == 1;
				moved += xous_envelope_done(&envs[k]) == XOUS_OK;
			}
		}
	}
	CHECK(answered == 1, "a BlockingScalar taken by receive_many is answered");
	CHECK(moved == 1 && shared, "a Move comes alone");
	xous_join_thread(t, &res);
	CHECK((uintptr_t)res == 42, "its caller got the answer (%lu)",
	      (unsigned long)(uintptr_t)res);
}

static void blocking_scalars(void)
{
	xous_scalar_reply_t r;

	CHECK_ERR(xous_blocking_scalar(cid, OP_RET1, 1, 2, 3, 4, &r), XOUS_OK, "blocking_scalar");
	CHECK(r.count == 1 && r.v[0] == 10, "return_scalar: 1 value (count %u, %lu)", r.count,
	      (unsigned long)r.v[0]);
	CHECK_ERR(xous_blocking_scalar(cid, OP_RET2, 20, 30, 0, 0, &r), XOUS_OK, "blocking_scalar");
	CHECK(r.count == 2 && r.v[0] == 40 && r.v[1] == 60, "return_scalar2: 2 values");
	CHECK_ERR(xous_blocking_scalar(cid, OP_RET5, 1, 2, 3, 4, &r), XOUS_OK, "blocking_scalar");
	CHECK(r.count == 5 && r.v[0] == 1 && r.v[3] == 4 && r.v[4] == 0x5555,
	      "return_scalar5: 5 values");
	CHECK_ERR(xous_blocking_scalar(cid, OP_RET1, 1, 0, 0, 0, NULL), XOUS_OK,
	          "blocking_scalar with no place for the reply (NULL)");
	CHECK_ERR(xous_blocking_scalar(cid, OP_DONE, 0, 0, 0, 0, &r), XOUS_ERR_UNAVAILABLE,
	          "a BlockingScalar ended by envelope_done, unanswered");
}

static void memory_messages(void)
{
	xous_range_t buf;
	size_t off = 0, valid = 0;
	unsigned long long ino = 0, ioff;
	unsigned char *p;

	REQUIRE(xous_map_memory(2 * XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &buf) == XOUS_OK,
	        "map_memory 2 pages");
	p = buf.addr;
	memset(p, 0x10, buf.len);
	CHECK_ERR(xous_lend(cid, OP_MEM, buf, 0, 100, &off, &valid), XOUS_OK, "lend");
	CHECK(off == 3 && valid == 9, "return_memory's offset and valid reach the lender");
	CHECK(p[0] == 0x10, "a Borrow comes back unchanged");
	CHECK_ERR(xous_lend_mut(cid, OP_MEM, buf, 0, 100, &off, &valid), XOUS_OK, "lend_mut");
	CHECK(p[0] == 0x11 && p[buf.len - 1] == 0x11 && off == 3 && valid == 9,
	      "a MutableBorrow comes back with the server's writes, offset and valid");
	CHECK_ERR(xous_lend(cid, OP_DONE, buf, 7, 70, &off, &valid), XOUS_OK,
	          "lend answered by envelope_done");
	CHECK(off == 7 && valid == 70, "gets back the envelope's offset and valid (%zu, %zu)", off,
	      valid);
	CHECK_ERR(xous_lend_mut(cid, OP_DONE_EDIT, buf, 0, 0, &off, &valid), XOUS_OK,
	          "lend_mut answered by envelope_done after the server edits them");
	CHECK(off == 5 && valid == 11, "gets back the edited offset and valid (%zu, %zu)", off,
	      valid);
	itest_backing(buf.addr, &ino, &ioff);
	CHECK_ERR(xous_send_memory(cid, OP_DONE, buf, 0, 0), XOUS_OK,
	          "send_memory (Move), freed by the server's envelope_done");
	CHECK(itest_gone(buf.addr, ino), "the moved pages left the caller");
}

static void reply_and_receive_next(void)
{
	xous_range_t buf;
	size_t off, valid = 0;
	int ok = 1;

	REQUIRE(xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &buf) == XOUS_OK, "map");
	CHECK_ERR(xous_send_scalar(cid, OP_RARN_START, 0, 0, 0, 0), XOUS_OK,
	          "switch the server to reply_and_receive_next");
	for (int i = 0; i < 50; i++) {
		memset(buf.addr, 0, buf.len);
		ok &= xous_lend_mut(cid, 1, buf, 0, 0, &off, &valid) == XOUS_OK && valid == 1 &&
		      ((unsigned char *)buf.addr)[100] == 0x77;
		ok &= xous_lend(cid, 2, buf, 0, 4, &off, &valid) == XOUS_OK && valid == 4;
	}
	CHECK(ok, "100 lends answered by reply_and_receive_next, writes and valid returned");
	CHECK_ERR(xous_send_scalar(cid, OP_RARN_STOP, 0, 0, 0, 0), XOUS_OK, "back to receive");
	xous_unmap_memory(buf);
}

int main(void)
{
	xous_tid_t tid;

	REQUIRE(xous_create_server(&sid) == XOUS_OK && xous_connect(&sid, &cid) == XOUS_OK,
	        "create a server and connect");
	scalars_received();
	receive_many();
	REQUIRE(xous_create_thread(server, NULL, &tid) == XOUS_OK, "start the server thread");
	blocking_scalars();
	memory_messages();
	reply_and_receive_next();
	CHECK_ERR(xous_send_scalar(cid, OP_QUIT, 0, 0, 0, 0), XOUS_OK, "stop the server");
	CHECK_ERR(xous_join_thread(tid, NULL), XOUS_OK, "join it");
	return itest_done();
}

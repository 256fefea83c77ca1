/*
 * api.errors: the bad cases of the message calls (docs/abi.md "Sender
 * tokens", "cids"): bad connection ids, double answers, answers to messages
 * never received, answers of the wrong kind, receiving on a server that does
 * not exist, NULL arguments. Each is an error code, never a crash.
 * (Receiving on another process's server: promise.08_ownership.)
 */
#include <stdlib.h>

#include "itest.h"

static xous_sid_t sid;
static xous_cid_t cid;

static void bad_cids(void)
{
	static const xous_cid_t bad[] = {0, 200, 4000, 0xffffffffu};
	xous_scalar_reply_t r;
	xous_range_t buf;
	size_t off, valid;

	REQUIRE(xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &buf) == XOUS_OK, "map");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		xous_cid_t c = bad[i];
		CHECK(xous_send_scalar(c, 1, 0, 0, 0, 0) != XOUS_OK, "send_scalar on cid %u", c);
		CHECK(xous_try_send_scalar(c, 1, 0, 0, 0, 0) != XOUS_OK, "try_send on cid %u", c);
		CHECK(xous_blocking_scalar(c, 1, 0, 0, 0, 0, &r) != XOUS_OK,
		      "blocking_scalar on cid %u", c);
		CHECK(xous_lend(c, 1, buf, 0, 0, &off, &valid) != XOUS_OK, "lend on cid %u", c);
		CHECK(xous_lend_mut(c, 1, buf, 0, 0, &off, &valid) != XOUS_OK, "lend_mut on cid %u",
		      c);
		CHECK(xous_send_memory(c, 1, buf, 0, 0) != XOUS_OK, "send_memory on cid %u", c);
	}
	CHECK(itest_faults(buf.addr, 1) == 0, "the buffer of the refused sends is still ours");
	xous_unmap_memory(buf);
}

static void *caller(void *arg)
{
	xous_scalar_reply_t r = {0};
	size_t off = 0, valid = 0;
	xous_range_t buf;
	xous_err_t err;

	if (arg) {
		err = xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &buf);
		if (!err)
			err = xous_lend_mut(cid, 2, buf, 0, 0, &off, &valid);
		return (void *)(uintptr_t)(err ? err : valid == 33 ? 0 : 1000);
	}
	err = xous_blocking_scalar(cid, 1, 0, 0, 0, 0, &r);
	return (void *)(uintptr_t)(err ? err : r.v[0] == 11 ? 0 : 1000);
}

static void double_answers(void)
{
	xous_envelope_t env;
	xous_tid_t tid;
	void *res = NULL;

	REQUIRE(xous_create_thread(caller, NULL, &tid) == XOUS_OK, "a BlockingScalar caller");
	REQUIRE(xous_receive_message(&sid, &env) == XOUS_OK, "receive it");
	xous_sender_t s = env.sender;
	CHECK_ERR(xous_return_memory(s, 0, 0), XOUS_OK,
	          "return_memory on a BlockingScalar (the unanswered answer)");
	CHECK_ERR(xous_return_scalar(s, 11), XOUS_ERR_DOUBLE_FREE, "then return_scalar");
	CHECK_ERR(xous_join_thread(tid, &res), XOUS_OK, "join the caller");
	CHECK_ERR((xous_err_t)(uintptr_t)res, XOUS_ERR_UNAVAILABLE,
	          "the caller was told its call went unanswered");

	REQUIRE(xous_create_thread(caller, NULL, &tid) == XOUS_OK, "another caller");
	REQUIRE(xous_receive_message(&sid, &env) == XOUS_OK, "receive it");
	CHECK_ERR(xous_return_scalar(env.sender, 11), XOUS_OK, "answer it");
	CHECK_ERR(xous_return_scalar(env.sender, 12), XOUS_ERR_DOUBLE_FREE, "answer it twice");
	CHECK_ERR(xous_return_scalar2(env.sender, 1, 2), XOUS_ERR_DOUBLE_FREE, "return_scalar2");
	CHECK_ERR(xous_return_memory(env.sender, 0, 0), XOUS_ERR_DOUBLE_FREE, "return_memory");
	CHECK_ERR(xous_envelope_done(&env), XOUS_OK,
	          "envelope_done after an answer does nothing (it answers only what was not)");
	xous_join_thread(tid, &res);
	CHECK(res == NULL, "the caller got the first answer only");
}

static void wrong_kinds(void)
{
	xous_envelope_t env;
	xous_tid_t tid;
	void *res = (void *)1;

	REQUIRE(xous_create_thread(caller, (void *)1, &tid) == XOUS_OK, "a MutableBorrow caller");
	REQUIRE(xous_receive_message(&sid, &env) == XOUS_OK && env.kind == XOUS_MUTABLE_BORROW,
	        "receive it");
	CHECK_ERR(xous_return_scalar(env.sender, 1), XOUS_ERR_INVALID_ARGUMENT,
	          "return_scalar on a memory message");
	CHECK_ERR(xous_return_scalar5(env.sender, 1, 2, 3, 4, 5), XOUS_ERR_INVALID_ARGUMENT,
	          "return_scalar5 on it");
	CHECK_ERR(xous_return_memory(env.sender, 0, 33), XOUS_OK,
	          "the message stayed held: return_memory answers it");
	xous_join_thread(tid, &res);
	CHECK(res == NULL, "the caller got valid 33");

	xous_send_scalar(cid, 3, 0, 0, 0, 0);
	REQUIRE(xous_receive_message(&sid, &env) == XOUS_OK, "receive a Scalar");
	CHECK_ERR(xous_return_scalar(env.sender, 1), XOUS_ERR_DOUBLE_FREE,
	          "answering a Scalar, which needs no answer");
	CHECK_ERR(xous_return_scalar(0, 1), XOUS_ERR_INVALID_ARGUMENT, "answering token 0");
	CHECK_ERR(xous_return_scalar((xous_sender_t)1 << (sizeof(xous_sender_t) * 8 - 1), 1),
	          XOUS_ERR_INVALID_ARGUMENT, "answering a token with the top bit set");
}

static void bad_receives(void)
{
	xous_sid_t nobody = itest_random_sid();
	xous_envelope_t env;

	CHECK_ERR(xous_receive_message(&nobody, &env), XOUS_ERR_SERVER_NOT_FOUND,
	          "receive on a server that does not exist");
	CHECK_ERR(xous_try_receive_message(&nobody, &env), XOUS_ERR_SERVER_NOT_FOUND,
	          "try_receive on it");
	CHECK(xous_receive_message(NULL, &env) != XOUS_OK, "receive(NULL, ..)");
	CHECK(xous_receive_message(&sid, NULL) != XOUS_OK, "receive(.., NULL)");
	CHECK(xous_try_receive_message(&sid, NULL) != XOUS_OK, "try_receive(.., NULL)");
	CHECK(xous_envelope_done(NULL) != XOUS_OK, "envelope_done(NULL)");
	CHECK(xous_reply_and_receive_next(&sid, NULL) != XOUS_OK,
	      "reply_and_receive_next(.., NULL)");
	CHECK_ERR(xous_send_scalar(cid, 9, 0, 0, 0, 0), XOUS_OK,
	          "after all that, the server works");
	CHECK(xous_receive_message(&sid, &env) == XOUS_OK && env.scalar.id == 9, "round trip");
}

/* Random tokens and cids: every one an error, none a crash. */
static void garbage(void)
{
	unsigned seed = 777;
	int answered = 0, sent = 0;

	for (int i = 0; i < 2000; i++) {
		uintptr_t token = (uintptr_t)rand_r(&seed) << 31 ^ (uintptr_t)rand_r(&seed);
		answered += xous_return_scalar(token, 1) == XOUS_OK;
		answered += xous_return_memory(token, 0, 0) == XOUS_OK;
		sent += xous_send_scalar((xous_cid_t)rand_r(&seed) + 300, 1, 0, 0, 0, 0) == XOUS_OK;
	}
	CHECK(answered == 0, "2000 random sender tokens: none answers anything");
	CHECK(sent == 0, "2000 random cids: none sends");
}

int main(void)
{
	REQUIRE(xous_create_server(&sid) == XOUS_OK && xous_connect(&sid, &cid) == XOUS_OK,
	        "create a server and connect");
	bad_cids();
	double_answers();
	wrong_kinds();
	bad_receives();
	garbage();
	return itest_done();
}

/*
 * runtime.serve.*: the server loop (runtime/serve.c) against a scripted
 * kernel: which call carries each returned answer, what it carries, and
 * which receive errors end the loop. The fakes below stand in for the
 * runtime's calls; each receive takes the next step of the script.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <xous/serve.h>

#include "runtime.h"

enum call_kind { C_REPLY, C_SCALAR, C_SCALAR5 };

struct call {
	enum call_kind kind;
	enum xous_kind env_kind; /* the envelope handed in: what is answered */
	xous_sender_t sender;
	int count;
	uintptr_t v1, v2;
	size_t offset, valid;
};

struct step {
	xous_err_t err;      /* the call's result */
	xous_envelope_t env; /* the next message, when err is OK */
};

static const struct step *script;
static size_t nsteps, at;
static struct call calls[16];
static size_t ncalls;
static xous_answer_t answers[16]; /* what dispatch returns, in turn */
static size_t dispatched;

static void record(struct call c)
{
	ck_assert_uint_lt(ncalls, 16);
	calls[ncalls++] = c;
}

/* The kernel's side of a receive: the next step of the script. */
static xous_err_t next_step(xous_envelope_t *env)
{
	ck_assert_uint_lt(at, nsteps); /* the loop must not receive past the script */
	env->kind = XOUS_NO_MESSAGE;
	if (script[at].err == XOUS_OK)
		*env = script[at].env;
	return script[at++].err;
}

xous_err_t xous_reply_and_receive_next(const xous_sid_t *sid, xous_envelope_t *env)
{
	(void)sid;
	record((struct call){C_REPLY, env->kind, env->sender, 0, 0, 0, env->memory.offset,
	                     env->memory.valid});
	return next_step(env);
}

xous_err_t xous_rt_scalar_and_receive_next(const xous_sid_t *sid, xous_envelope_t *env, int count,
                                           uintptr_t v1, uintptr_t v2)
{
	(void)sid;
	record((struct call){C_SCALAR, env->kind, env->sender, count, v1, v2, 0, 0});
	return next_step(env);
}

xous_err_t xous_return_scalar5(xous_sender_t sender, uintptr_t v1, uintptr_t v2, uintptr_t v3,
                               uintptr_t v4, uintptr_t v5)
{
	(void)v3, (void)v4, (void)v5;
	record((struct call){C_SCALAR5, XOUS_BLOCKING_SCALAR, sender, 5, v1, v2, 0, 0});
	return v1 == 666 ? XOUS_ERR_DOUBLE_FREE : XOUS_OK;
}

static xous_err_t create_result; /* what creating the server answers */
static int created;

xous_err_t xous_create_server_with_address(const xous_sid_t *sid)
{
	(void)sid;
	created++;
	return create_result;
}

xous_pid_t xous_process_id(void)
{
	return 2;
}

xous_err_t xous_process_name(xous_pid_t pid, char *buf, size_t len)
{
	(void)pid;
	strncpy(buf, "test_serve", len);
	return XOUS_OK;
}

static xous_answer_t dispatch(void *state, xous_envelope_t *env)
{
	(void)state, (void)env;
	ck_assert_uint_lt(dispatched, 16);
	return answers[dispatched++];
}

static xous_envelope_t blocking(xous_sender_t sender)
{
	xous_envelope_t e = {.sender = sender, .kind = XOUS_BLOCKING_SCALAR};

	return e;
}

static xous_envelope_t lend(enum xous_kind kind, xous_sender_t sender)
{
	xous_envelope_t e = {.sender = sender, .kind = kind};

	e.memory.offset = 1;
	e.memory.valid = 2;
	return e;
}

/* Serve the script out; the loop's result. */
static xous_err_t run(const struct step *s, size_t n)
{
	static const xous_sid_t sid = {{1, 2, 3, 4}};

	script = s;
	nsteps = n;
	return xous_serve(&sid, dispatch, NULL);
}

static void setup(void)
{
	at = ncalls = dispatched = 0;
	created = 0;
	create_result = XOUS_OK;
	memset(calls, 0, sizeof(calls));
	memset(answers, 0, sizeof(answers));
}

START_TEST(scalar_answers_travel_with_the_next_receive)
{
	const struct step s[] = {{XOUS_OK, blocking(11)},
	                         {XOUS_OK, blocking(12)},
	                         {XOUS_ERR_SERVER_NOT_FOUND, {0}},
	                         {XOUS_ERR_SERVER_NOT_FOUND, {0}}};

	answers[0] = xous_answer_scalar1(41);
	answers[1] = xous_answer_scalar2(42, 43);
	ck_assert_uint_eq(run(s, 4), XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(ncalls, 4);
	ck_assert_int_eq(calls[0].kind, C_REPLY); /* the first: nothing to answer */
	ck_assert_int_eq(calls[0].env_kind, XOUS_NO_MESSAGE);
	ck_assert_int_eq(calls[1].kind, C_SCALAR);
	ck_assert_uint_eq(calls[1].sender, 11);
	ck_assert_int_eq(calls[1].count, 1); /* the caller gets a Scalar1 */
	ck_assert_uint_eq(calls[1].v1, 41);
	ck_assert_int_eq(calls[2].kind, C_SCALAR);
	ck_assert_int_eq(calls[2].count, 2);
	ck_assert_uint_eq(calls[2].v1, 42);
	ck_assert_uint_eq(calls[2].v2, 43);
	/* that call carried an answer: only a plain receive's error ends the loop */
	ck_assert_int_eq(calls[3].env_kind, XOUS_NO_MESSAGE);
}
END_TEST

START_TEST(a_memory_answer_is_the_lends_offset_and_valid)
{
	const struct step s[] = {{XOUS_OK, lend(XOUS_MUTABLE_BORROW, 21)},
	                         {XOUS_OK, lend(XOUS_MOVE, 22)},
	                         {XOUS_ERR_ACCESS_DENIED, {0}},
	                         {XOUS_ERR_ACCESS_DENIED, {0}}};

	answers[0] = xous_answer_memory(7, 9);
	answers[1] = xous_answer_memory(7, 9); /* fits no Move: given back as received */
	ck_assert_uint_eq(run(s, 4), XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(calls[1].kind, C_REPLY);
	ck_assert_int_eq(calls[1].env_kind, XOUS_MUTABLE_BORROW);
	ck_assert_uint_eq(calls[1].sender, 21);
	ck_assert_uint_eq(calls[1].offset, 7);
	ck_assert_uint_eq(calls[1].valid, 9);
	ck_assert_int_eq(calls[2].env_kind, XOUS_MOVE);
	ck_assert_uint_eq(calls[2].offset, 1);
	ck_assert_uint_eq(calls[2].valid, 2);
}
END_TEST

START_TEST(a_deferred_call_is_left_to_the_server)
{
	const struct step s[] = {{XOUS_OK, blocking(31)},
	                         {XOUS_OK, lend(XOUS_BORROW, 32)},
	                         {XOUS_OK, blocking(33)},
	                         {XOUS_ERR_SERVER_NOT_FOUND, {0}}};

	answers[0] = xous_answer_deferred();
	answers[1] = xous_answer_none();
	answers[2] = xous_answer_deferred();
	ck_assert_uint_eq(run(s, 4), XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(calls[1].kind, C_REPLY);
	ck_assert_int_eq(calls[1].env_kind, XOUS_NO_MESSAGE); /* nothing answered */
	/* NONE: the lend goes back as it came (what xous_envelope_done does) */
	ck_assert_int_eq(calls[2].env_kind, XOUS_BORROW);
	ck_assert_uint_eq(calls[2].offset, 1);
	ck_assert_uint_eq(calls[2].valid, 2);
	/* after a deferred call the receive is plain: its error is the end */
	ck_assert_int_eq(calls[3].env_kind, XOUS_NO_MESSAGE);
	ck_assert_uint_eq(ncalls, 4);
}
END_TEST

START_TEST(a_scalar5_answer_goes_first_on_its_own)
{
	const struct step s[] = {{XOUS_OK, blocking(41)},
	                         {XOUS_OK, blocking(42)},
	                         {XOUS_ERR_INTERNAL_ERROR, {0}},
	                         {XOUS_ERR_INTERNAL_ERROR, {0}}};

	answers[0] = xous_answer_scalar5(1, 2, 3, 4, 5);
	answers[1] = xous_answer_scalar5(666, 0, 0, 0, 0); /* refused: DOUBLE_FREE */
	ck_assert_uint_eq(run(s, 4), XOUS_ERR_INTERNAL_ERROR);
	ck_assert_int_eq(calls[1].kind, C_SCALAR5);
	ck_assert_uint_eq(calls[1].sender, 41);
	ck_assert_uint_eq(calls[1].v1, 1);
	ck_assert_int_eq(calls[2].kind, C_REPLY); /* then the receive */
	ck_assert_int_eq(calls[2].env_kind, XOUS_BLOCKING_SCALAR);
	ck_assert_int_eq(calls[3].kind, C_SCALAR5); /* a refused answer: serving goes on */
	ck_assert_int_eq(calls[4].kind, C_REPLY);
	ck_assert_uint_eq(ncalls, 6);
}
END_TEST

START_TEST(a_message_that_cannot_be_received_does_not_end_the_loop)
{
	const struct step s[] = {{XOUS_ERR_OUT_OF_MEMORY, {0}},
	                         {XOUS_ERR_BAD_ADDRESS, {0}},
	                         {XOUS_OK, blocking(51)},
	                         {XOUS_ERR_OUT_OF_MEMORY, {0}},
	                         {XOUS_ERR_SERVER_NOT_FOUND, {0}}};

	answers[0] = xous_answer_scalar1(5);
	ck_assert_uint_eq(run(s, 5), XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(dispatched, 1);
	ck_assert_int_eq(calls[3].kind, C_SCALAR);
	ck_assert_int_eq(calls[4].kind, C_REPLY); /* after an error: a plain receive */
	ck_assert_int_eq(calls[4].env_kind, XOUS_NO_MESSAGE);
}
END_TEST

START_TEST(null_arguments_are_invalid_argument)
{
	static const xous_sid_t sid = {{1, 2, 3, 4}};

	ck_assert_uint_eq(xous_serve(NULL, dispatch, NULL), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xous_serve(&sid, NULL, NULL), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(ncalls, 0);
}
END_TEST

START_TEST(a_program_that_cannot_create_its_server_exits_1_without_serving)
{
	static const xous_sid_t sid = {{1, 2, 3, 4}};

	create_result = XOUS_ERR_SERVER_EXISTS;
	ck_assert_int_eq(xous_serve_program(&sid, 1, dispatch, NULL), 1);
	ck_assert_int_eq(created, 1);
	ck_assert_uint_eq(ncalls, 0);
}
END_TEST

START_TEST(a_program_serves_until_no_server_is_left_then_exits_1)
{
	static const xous_sid_t sid = {{1, 2, 3, 4}};
	/* the answer's receive fails, then the plain receive says it is gone */
	const struct step s[] = {{XOUS_OK, blocking(51)},
	                         {XOUS_ERR_SERVER_NOT_FOUND, {0}},
	                         {XOUS_ERR_SERVER_NOT_FOUND, {0}}};

	script = s;
	nsteps = 3;
	answers[0] = xous_answer_scalar1(5);
	ck_assert_int_eq(xous_serve_program(&sid, 0, dispatch, NULL), 1);
	ck_assert_int_eq(created, 0); /* the process made it already */
	ck_assert_uint_eq(dispatched, 1);
	ck_assert_uint_eq(at, 3);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
	        scalar_answers_travel_with_the_next_receive,
	        a_memory_answer_is_the_lends_offset_and_valid,
	        a_deferred_call_is_left_to_the_server,
	        a_scalar5_answer_goes_first_on_its_own,
	        a_message_that_cannot_be_received_does_not_end_the_loop,
	        null_arguments_are_invalid_argument,
	        a_program_that_cannot_create_its_server_exits_1_without_serving,
	        a_program_serves_until_no_server_is_left_then_exits_1,
	};
	Suite *s = suite_create("runtime.serve");
	TCase *tc = tcase_create("serve");
	SRunner *sr = srunner_create(s);
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		tcase_add_test(tc, tests[i]);
	suite_add_tcase(s, tc);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

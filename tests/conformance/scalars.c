/*
 * scalars: Scalar and BlockingScalar with 1, 2 and 5 return values, order of
 * arrival, a BlockingScalar dropped unanswered, a deferred answer, double
 * answers, reply_and_receive_next and its scalar form
 * (xous_return_scalar2_and_receive_next).
 */
#include "conf.h"

enum {
	OP_ADD = 1,
	OP_PAIR,
	OP_FIVE,
	OP_DROP,
	OP_NOTE,
	OP_NOTES,
	OP_DEFER,
	OP_HOLDING,
	OP_RELEASE,
	OP_FAST,
	OP_QUIT
};

static xous_sid_t sid;
static xous_err_t second_answer = XOUS_OK, bogus_answer = XOUS_OK;

static void handle(xous_envelope_t *env, uintptr_t *notes, xous_envelope_t *deferred)
{
	uintptr_t *a = env->scalar.arg;

	switch (env->scalar.id) {
	case OP_ADD:
		xous_return_scalar(env->sender, a[0] + a[1] + a[2] + a[3]);
		second_answer = xous_return_scalar(env->sender, 0);
		break;
	case OP_PAIR:
		xous_return_scalar2(env->sender, a[0] * 2, a[0] * 3);
		break;
	case OP_FIVE:
		xous_return_scalar5(env->sender, a[0] + 1, a[0] + 2, a[0] + 3, a[0] + 4, a[0] + 5);
		break;
	case OP_NOTE: /* notes must arrive in the order sent: 1, 2, 3, ... */
		if (a[0] == *notes + 1)
			*notes = a[0];
		break;
	case OP_NOTES:
		xous_return_scalar(env->sender, *notes);
		break;
	case OP_DEFER: /* answered when OP_RELEASE comes */
		*deferred = *env;
		env->kind = XOUS_NO_MESSAGE;
		break;
	case OP_HOLDING: /* 1 once a deferred message is held */
		xous_return_scalar(env->sender, deferred->kind == XOUS_BLOCKING_SCALAR);
		break;
	case OP_RELEASE:
		xous_return_scalar(deferred->sender, 4242);
		deferred->kind = XOUS_NO_MESSAGE;
		xous_return_scalar(env->sender, 1);
		break;
	default: /* OP_DROP: left to envelope_done */
		break;
	}
}

static void *server(void *arg)
{
	xous_envelope_t env = {0}, deferred = {0};
	uintptr_t notes = 0;

	(void)arg;
	bogus_answer = xous_return_scalar((xous_sender_t)12345, 1);
	if (xous_receive_message(&sid, &env) != XOUS_OK)
		return (void *)1;
	for (;;) {
		if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == OP_QUIT) {
			xous_return_scalar(env.sender, 0);
			return NULL;
		}
		if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == OP_FAST) {
			/* answer and take the next message in one syscall */
			uintptr_t v = env.scalar.arg[0];
			if (xous_return_scalar2_and_receive_next(&sid, &env, v + 1, v + 2) !=
			    XOUS_OK)
				return (void *)3;
			continue;
		}
		if (env.kind == XOUS_SCALAR || env.kind == XOUS_BLOCKING_SCALAR)
			handle(&env, &notes, &deferred);
		/* answers what handle() left unanswered, then waits for the next */
		if (xous_reply_and_receive_next(&sid, &env) != XOUS_OK)
			return (void *)2;
	}
}

static void *deferred_caller(void *arg)
{
	xous_cid_t cid = (xous_cid_t)(uintptr_t)arg;
	xous_scalar_reply_t r = {0};

	if (xous_blocking_scalar(cid, OP_DEFER, 0, 0, 0, 0, &r) != XOUS_OK)
		return (void *)0;
	return (void *)r.v[0];
}

int main(void)
{
	xous_scalar_reply_t r;
	xous_cid_t cid;
	xous_tid_t t, td;
	void *ret;

	CHECK_OK(xous_create_server(&sid));
	CHECK_OK(xous_connect(&sid, &cid));
	CHECK_OK(xous_create_thread(server, NULL, &t));

	CHECK_OK(xous_blocking_scalar(cid, OP_ADD, 1, 2, 3, 4, &r));
	CHECK(r.count == 1 && r.v[0] == 10);
	CHECK_OK(xous_blocking_scalar(cid, OP_PAIR, 7, 0, 0, 0, &r));
	CHECK(r.count == 2 && r.v[0] == 14 && r.v[1] == 21);
	CHECK_OK(xous_blocking_scalar(cid, OP_FIVE, 10, 0, 0, 0, &r));
	CHECK(r.count == 5 && r.v[0] == 11 && r.v[4] == 15);
	CHECK_ERR(xous_blocking_scalar(cid, OP_DROP, 0, 0, 0, 0, &r), XOUS_ERR_UNAVAILABLE);
	for (uintptr_t i = 0; i < 3; i++) {
		CHECK_OK(xous_blocking_scalar(cid, OP_FAST, 100 + i, 0, 0, 0, &r));
		CHECK(r.count == 2 && r.v[0] == 101 + i && r.v[1] == 102 + i);
	}

	for (uintptr_t i = 1; i <= 20; i++)
		CHECK_OK(xous_send_scalar(cid, OP_NOTE, i, 0, 0, 0));
	CHECK_OK(xous_try_send_scalar(cid, OP_NOTE, 21, 0, 0, 0));
	CHECK_OK(xous_blocking_scalar(cid, OP_NOTES, 0, 0, 0, 0, &r));
	CHECK(r.v[0] == 21);

	/* a deferred answer: the server serves others while it holds the message */
	CHECK_OK(xous_create_thread(deferred_caller, (void *)(uintptr_t)cid, &td));
	r.v[0] = 0;
	for (int i = 0; i < 100000 && r.v[0] == 0; i++) {
		xous_yield();
		CHECK_OK(xous_blocking_scalar(cid, OP_HOLDING, 0, 0, 0, 0, &r));
	}
	CHECK(r.v[0] == 1);
	CHECK_OK(xous_blocking_scalar(cid, OP_ADD, 1, 1, 1, 1, &r));
	CHECK(r.v[0] == 4);
	CHECK_OK(xous_blocking_scalar(cid, OP_RELEASE, 0, 0, 0, 0, &r));
	CHECK_OK(xous_join_thread(td, &ret));
	CHECK((uintptr_t)ret == 4242);

	CHECK_OK(xous_blocking_scalar(cid, OP_QUIT, 0, 0, 0, 0, &r));
	CHECK_OK(xous_join_thread(t, &ret));
	CHECK(ret == NULL);
	CHECK_ERR(second_answer, XOUS_ERR_DOUBLE_FREE);
	CHECK_ERR(bogus_answer, XOUS_ERR_INVALID_ARGUMENT);
	CHECK_OK(xous_destroy_server(&sid));
	CHECK_ERR(xous_blocking_scalar(cid, OP_ADD, 0, 0, 0, 0, &r), XOUS_ERR_SERVER_NOT_FOUND);
	return conf_end("scalars");
}

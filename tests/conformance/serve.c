/*
 * serve: the server loop of <xous/serve.h>. Each answer a dispatch function
 * returns reaches its caller as that result (Scalar1 with count 1, Scalar2,
 * Scalar5, a lend's offset and valid, the dropped answer, a lend given back
 * as received), a deferred call is answered later through the io table, an
 * answer the kernel refuses does not end the loop, and the loop ends with
 * SERVER_NOT_FOUND once its server is destroyed.
 */
#include <string.h>
#include <xous/serve.h>

#include "conf.h"

enum { OP_ONE = 1, OP_TWO, OP_FIVE, OP_NONE, OP_UPPER, OP_DEFER, OP_RELEASE, OP_TWICE };

struct state {
	xous_envelope_t parked;
	int holding;
};

static xous_sid_t sid;

static xous_answer_t scalar(struct state *st, xous_envelope_t *env)
{
	uintptr_t v = env->scalar.arg[0];

	switch (env->scalar.id) {
	case OP_ONE:
		return xous_answer_scalar1(v + 1);
	case OP_TWO:
		return xous_answer_scalar2(v + 1, v + 2);
	case OP_FIVE:
		return xous_answer_scalar5(v + 1, v + 2, v + 3, v + 4, v + 5);
	case OP_DEFER:
		st->parked = *env;
		st->holding = 1;
		return xous_answer_deferred();
	case OP_RELEASE:
		if (!st->holding)
			return xous_answer_scalar1(0);
		st->holding = 0;
		return xous_answer_scalar1(xous_io_answer(&xous_server_io_kernel, &st->parked,
		                                          xous_answer_scalar1(4242)) == XOUS_OK);
	case OP_TWICE: /* answered now, and again by the loop: the kernel refuses that */
		xous_return_scalar(env->sender, 7);
		return xous_answer_scalar5(1, 2, 3, 4, 5);
	default: /* OP_NONE */
		return xous_answer_none();
	}
}

static xous_answer_t upper(xous_envelope_t *env)
{
	char *text = env->memory.buf.addr;

	if (env->kind != XOUS_MUTABLE_BORROW)
		return xous_answer_none();
	for (size_t i = 0; i < env->memory.valid; i++)
		if (text[i] >= 'a' && text[i] <= 'z')
			text[i] = (char)(text[i] - 'a' + 'A');
	return xous_answer_memory(3, env->memory.valid);
}

static xous_answer_t dispatch(void *state, xous_envelope_t *env)
{
	if (env->kind == XOUS_SCALAR || env->kind == XOUS_BLOCKING_SCALAR)
		return scalar(state, env);
	if (env->memory.id == OP_UPPER)
		return upper(env);
	return xous_answer_none();
}

static void *server(void *arg)
{
	static struct state st;

	(void)arg;
	return (void *)(uintptr_t)xous_serve(&sid, dispatch, &st);
}

static void *deferred_caller(void *arg)
{
	xous_scalar_reply_t r = {0};

	if (xous_blocking_scalar((xous_cid_t)(uintptr_t)arg, OP_DEFER, 0, 0, 0, 0, &r) != XOUS_OK ||
	    r.count != 1)
		return (void *)0;
	return (void *)r.v[0];
}

/* Each returned answer reaches its caller as that result. */
static void answers(xous_cid_t cid)
{
	static const struct {
		uint32_t op, count;
		uintptr_t arg, first, last;
	} want[] = {{OP_ONE, 1, 41, 42, 42}, {OP_TWO, 2, 10, 11, 12}, {OP_FIVE, 5, 20, 21, 25}};
	xous_scalar_reply_t r = {0};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		CHECK_OK(xous_blocking_scalar(cid, want[i].op, want[i].arg, 0, 0, 0, &r));
		CHECK(r.count == want[i].count && r.v[0] == want[i].first &&
		      r.v[want[i].count - 1] == want[i].last);
	}
	CHECK_ERR(xous_blocking_scalar(cid, OP_NONE, 0, 0, 0, 0, &r), XOUS_ERR_UNAVAILABLE);
	CHECK_OK(xous_send_scalar(cid, OP_ONE, 0, 0, 0, 0)); /* its answer goes nowhere */
}

static void lends(xous_cid_t cid)
{
	xous_range_t page;
	size_t off = 0, valid = 0;

	CHECK_OK(xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page));
	memcpy(page.addr, "hello", 5);
	CHECK_OK(xous_lend_mut(cid, OP_UPPER, page, 0, 5, &off, &valid));
	CHECK(off == 3 && valid == 5 && memcmp(page.addr, "HELLO", 5) == 0);
	/* a Borrow it does not answer comes back as it went */
	CHECK_OK(xous_lend(cid, OP_UPPER, page, 1, 4, &off, &valid));
	CHECK(off == 1 && valid == 4);
	CHECK_OK(xous_send_memory(cid, OP_NONE, page, 0, 5));
}

/* A deferred call: the loop serves others while it is parked. */
static void deferred(xous_cid_t cid)
{
	xous_scalar_reply_t r = {0};
	xous_tid_t td;
	void *ret = NULL;

	CHECK_OK(xous_create_thread(deferred_caller, (void *)(uintptr_t)cid, &td));
	for (int i = 0; i < 100000 && r.v[0] == 0; i++) {
		xous_yield();
		CHECK_OK(xous_blocking_scalar(cid, OP_RELEASE, 0, 0, 0, 0, &r));
	}
	CHECK(r.count == 1 && r.v[0] == 1);
	CHECK_OK(xous_join_thread(td, &ret));
	CHECK((uintptr_t)ret == 4242);
}

/* The loop's own answer is refused (DOUBLE_FREE): reported, serving goes on. */
static void refused(xous_cid_t cid)
{
	xous_scalar_reply_t r = {0};

	CHECK_OK(xous_blocking_scalar(cid, OP_TWICE, 0, 0, 0, 0, &r));
	CHECK(r.count == 1 && r.v[0] == 7);
	CHECK_OK(xous_blocking_scalar(cid, OP_ONE, 1, 0, 0, 0, &r));
	CHECK(r.count == 1 && r.v[0] == 2);
}

int main(void)
{
	xous_cid_t cid;
	xous_tid_t t;
	void *ret = NULL;

	CHECK_OK(xous_create_server(&sid));
	CHECK_OK(xous_connect(&sid, &cid));
	CHECK_OK(xous_create_thread(server, NULL, &t));
	answers(cid);
	lends(cid);
	deferred(cid);
	refused(cid);
	/* the loop ends when its server is gone */
	CHECK_OK(xous_destroy_server(&sid));
	CHECK_OK(xous_join_thread(t, &ret));
	CHECK_ERR((xous_err_t)(uintptr_t)ret, XOUS_ERR_SERVER_NOT_FOUND);
	return conf_end("serve");
}

/*
 * lendon: a server lends on what it has borrowed, and pages already lent
 * cannot be lent again.
 *
 * The caller C lends to a middle server M, which lends the same pages on to
 * a third server T: as a Borrow, as a MutableBorrow (T's writes reach C
 * through M), a MutableBorrow on as a Borrow; T's offset and valid travel
 * back unchanged. M cannot Move pages it borrowed (MEMORY_IN_USE: they are
 * C's). When M answers C while T still holds the pages M lent on, C gets
 * its pages back and T's later writes never reach them. A page lent and not
 * yet answered cannot be lent or moved again (SHARE_VIOLATION), and a
 * refused lend leaves the other pages of its range usable.
 */
#include <string.h>

#include "conf.h"

enum { T_CHECK = 1, T_FILL, T_HOLD, T_RELEASE, T_QUIT };
enum { M_FWD_CHECK = 1, M_FWD_FILL, M_FWD_AS_BORROW, M_MOVE_ON, M_HOLD_ON, M_QUIT };

#define PAGE    4096
#define T_VALID 0xabc00000u /* T's valid: this plus the pages it saw */

static xous_sid_t sid_t, sid_m;
static xous_cid_t cid_t; /* M's and C's connection to T */
static int t_holding;    /* T holds a T_HOLD message */
static int helper_done;  /* an onward or direct T_HOLD lend came back */
static xous_err_t helper_err;
static size_t helper_off, helper_valid;

static int flag_get(const int *f)
{
	return __atomic_load_n(f, __ATOMIC_SEQ_CST);
}

static void flag_set(int *f, int v)
{
	__atomic_store_n(f, v, __ATOMIC_SEQ_CST);
}

static void wait_flag(const int *f)
{
	while (!flag_get(f))
		xous_yield();
}

/* T: T_CHECK answers (1 if the bytes have the seed in the caller's offset,
 * T_VALID + pages); T_FILL writes seed 5; T_HOLD keeps the message until
 * T_RELEASE, then writes seed 9 into it and answers (11, 12). */
static void *server_t(void *arg)
{
	xous_envelope_t env, held = {0};

	(void)arg;
	for (;;) {
		if (xous_receive_message(&sid_t, &env) != XOUS_OK)
			return (void *)1;
		if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == T_RELEASE) {
			conf_fill(held.memory.buf.addr, held.memory.buf.len, 9);
			held.memory.offset = 11;
			held.memory.valid = 12;
			flag_set(&t_holding, 0);
			xous_envelope_done(&held);
			xous_return_scalar(env.sender, 0);
			continue;
		}
		if (env.kind == XOUS_BLOCKING_SCALAR) {
			xous_return_scalar(env.sender, 0);
			return NULL;
		}
		if (env.kind != XOUS_BORROW && env.kind != XOUS_MUTABLE_BORROW) {
			xous_envelope_done(&env); /* a Move: unmapped */
			continue;
		}
		size_t len = env.memory.buf.len;
		size_t ok = conf_has(env.memory.buf.addr, len, (unsigned)env.memory.offset);
		if (env.memory.id == T_HOLD) {
			held = env;
			flag_set(&t_holding, 1);
			continue;
		}
		if (env.memory.id == T_FILL && env.kind == XOUS_MUTABLE_BORROW)
			conf_fill(env.memory.buf.addr, len, 5);
		env.memory.offset = ok;
		env.memory.valid = T_VALID + len / PAGE;
		xous_envelope_done(&env);
	}
}

/* M's helper: lends on (M_HOLD_ON) or lends directly (C), to T_HOLD. */
static void *hold_on(void *arg)
{
	xous_range_t *buf = arg;

	helper_err = xous_lend_mut(cid_t, T_HOLD, *buf, 0, 0, &helper_off, &helper_valid);
	flag_set(&helper_done, 1);
	return NULL;
}

/* M: lends on what it receives, and answers C with T's words (or the error
 * in offset, 0xe0000000 + err). */
static void *server_m(void *arg)
{
	static xous_range_t onward;
	xous_envelope_t env;
	xous_tid_t tid;
	void *ret;

	(void)arg;
	for (;;) {
		if (xous_receive_message(&sid_m, &env) != XOUS_OK)
			return (void *)1;
		if (env.kind == XOUS_BLOCKING_SCALAR) {
			xous_return_scalar(env.sender, 0);
			return NULL;
		}
		if (env.kind != XOUS_BORROW && env.kind != XOUS_MUTABLE_BORROW) {
			xous_envelope_done(&env);
			continue;
		}
		xous_range_t buf = env.memory.buf;
		size_t seed = env.memory.offset, off = 0, valid = 0;
		xous_err_t err = XOUS_OK;
		switch (env.memory.id) {
		case M_FWD_CHECK:
		case M_FWD_FILL:
			if (env.kind == XOUS_BORROW)
				err = xous_lend(cid_t, T_CHECK, buf, seed, 0, &off, &valid);
			else
				err = xous_lend_mut(cid_t,
				                    env.memory.id == M_FWD_FILL ? T_FILL : T_CHECK,
				                    buf, seed, 0, &off, &valid);
			break;
		case M_FWD_AS_BORROW:
			err = xous_lend(cid_t, T_CHECK, buf, seed, 0, &off, &valid);
			break;
		case M_MOVE_ON:
			err = xous_send_memory(cid_t, T_CHECK, buf, 0, 0);
			break;
		case M_HOLD_ON: /* answer C while T still holds what M lent on */
			onward = buf;
			flag_set(&helper_done, 0);
			if (xous_create_thread(hold_on, &onward, &tid) != XOUS_OK) {
				err = XOUS_ERR_INTERNAL_ERROR;
				break;
			}
			wait_flag(&t_holding);
			xous_return_memory(env.sender, 21, 22);
			xous_join_thread(tid, &ret);
			continue;
		default:
			break;
		}
		if (err != XOUS_OK) {
			off = 0xe0000000u + err;
			valid = 0;
		}
		xous_return_memory(env.sender, off, valid);
	}
}

/* C lends buf (holding seed 1) through M every way. */
static void through_m(xous_cid_t cid_m, xous_range_t buf)
{
	size_t pages = buf.len / PAGE, off = 99, valid = 99;

	conf_fill(buf.addr, buf.len, 1);
	CHECK_OK(xous_lend(cid_m, M_FWD_CHECK, buf, 1, 0, &off, &valid));
	CHECK(off == 1 && valid == T_VALID + pages); /* T saw C's bytes; its words came back */
	CHECK(conf_has(buf.addr, buf.len, 1));

	CHECK_OK(xous_lend_mut(cid_m, M_FWD_CHECK, buf, 1, 0, &off, &valid));
	CHECK(off == 1 && valid == T_VALID + pages);
	CHECK(conf_has(buf.addr, buf.len, 1));

	CHECK_OK(xous_lend_mut(cid_m, M_FWD_FILL, buf, 1, 0, &off, &valid));
	CHECK(off == 1 && valid == T_VALID + pages);
	CHECK(conf_has(buf.addr, buf.len, 5)); /* T's writes reached C through M */

	CHECK_OK(xous_lend_mut(cid_m, M_FWD_AS_BORROW, buf, 5, 0, &off, &valid));
	CHECK(off == 1 && valid == T_VALID + pages);
	CHECK(conf_has(buf.addr, buf.len, 5));

	CHECK_OK(xous_lend(cid_m, M_MOVE_ON, buf, 0, 0, &off, &valid));
	CHECK_ERR(off - 0xe0000000u, XOUS_ERR_MEMORY_IN_USE);
	CHECK(conf_has(buf.addr, buf.len, 5));
}

int main(void)
{
	xous_range_t one, many, b, r2;
	xous_scalar_reply_t rep;
	size_t off = 99, valid = 99;
	xous_cid_t cid_m;
	xous_tid_t tt, tm, th;
	void *ret;

	CHECK_OK(xous_create_server(&sid_t));
	CHECK_OK(xous_create_server(&sid_m));
	CHECK_OK(xous_connect(&sid_t, &cid_t));
	CHECK_OK(xous_connect(&sid_m, &cid_m));
	CHECK_OK(xous_create_thread(server_t, NULL, &tt));
	CHECK_OK(xous_create_thread(server_m, NULL, &tm));

	CHECK_OK(xous_map_memory(PAGE, 0, &one));
	through_m(cid_m, one);
	CHECK_OK(xous_map_memory(16 * PAGE, 0, &many)); /* on Linux: shared, not copied */
	through_m(cid_m, many);

	/* M answers C while T holds what M lent on: C's pages come back, and
	 * T's later writes do not reach them */
	CHECK_OK(xous_map_memory(2 * PAGE, 0, &b));
	conf_fill(b.addr, b.len, 1);
	CHECK_OK(xous_lend_mut(cid_m, M_HOLD_ON, b, 0, 0, &off, &valid));
	CHECK(off == 21 && valid == 22);
	CHECK(conf_has(b.addr, b.len, 1));
	CHECK_OK(xous_blocking_scalar(cid_t, T_RELEASE, 0, 0, 0, 0, &rep));
	wait_flag(&helper_done);
	CHECK_OK(helper_err);
	CHECK(helper_off == 11 && helper_valid == 12);
	CHECK(conf_has(b.addr, b.len, 1));
	conf_fill(b.addr, b.len, 2); /* and they are C's to write */
	CHECK(conf_has(b.addr, b.len, 2));

	/* a page lent and not answered cannot be lent or moved again */
	CHECK_OK(xous_map_memory(2 * PAGE, 0, &r2));
	conf_fill(r2.addr, r2.len, 1);
	xous_range_t first = {r2.addr, PAGE};
	flag_set(&helper_done, 0);
	CHECK_OK(xous_create_thread(hold_on, &first, &th));
	wait_flag(&t_holding);
	CHECK_ERR(xous_lend(cid_t, T_CHECK, first, 1, 0, &off, &valid), XOUS_ERR_SHARE_VIOLATION);
	CHECK_ERR(xous_lend_mut(cid_t, T_CHECK, first, 1, 0, &off, &valid),
	          XOUS_ERR_SHARE_VIOLATION);
	CHECK_ERR(xous_send_memory(cid_t, T_CHECK, first, 0, 0), XOUS_ERR_SHARE_VIOLATION);
	CHECK_ERR(xous_lend(cid_t, T_CHECK, r2, 1, 0, &off, &valid), XOUS_ERR_SHARE_VIOLATION);
	CHECK_ERR(xous_send_memory(cid_t, T_CHECK, r2, 0, 0), XOUS_ERR_SHARE_VIOLATION);
	uint8_t *second = (uint8_t *)r2.addr + PAGE;
	CHECK(conf_has(second, PAGE, 1)); /* still the caller's (PAGE * 7 is 0 mod 256) */
	conf_fill(second, PAGE, 3);
	CHECK_OK(xous_blocking_scalar(cid_t, T_RELEASE, 0, 0, 0, 0, &rep));
	CHECK_OK(xous_join_thread(th, &ret));
	CHECK_OK(helper_err);
	CHECK(helper_off == 11 && helper_valid == 12);
	CHECK(conf_has(first.addr, PAGE, 9)); /* T's writes came back */
	CHECK(conf_has(second, PAGE, 3));
	CHECK_OK(xous_lend(cid_t, T_CHECK, r2, 1, 0, &off, &valid)); /* free to lend again */
	CHECK(off == 0 && valid == T_VALID + 2);

	CHECK_OK(xous_blocking_scalar(cid_m, M_QUIT, 0, 0, 0, 0, &rep));
	CHECK_OK(xous_blocking_scalar(cid_t, T_QUIT, 0, 0, 0, 0, &rep));
	CHECK_OK(xous_join_thread(tm, &ret));
	CHECK(ret == NULL);
	CHECK_OK(xous_join_thread(tt, &ret));
	CHECK(ret == NULL);
	return conf_end("lendon");
}

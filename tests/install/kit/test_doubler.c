/* The doubler's dispatch, driven with the installed recording io table. */
#include <check.h>

#include "doubler.h"
#include "recorder.h"

static struct doubler_state st;

static void setup(void)
{
	rec_reset();
	doubler_init(&st);
}

static const struct rec_answer *twice(int64_t n)
{
	DoublerPb__Num req = DOUBLER_PB__NUM__INIT;
	xous_envelope_t e;

	req.n = n;
	e = rec_memory(XOUS_MUTABLE_BORROW, 5, 0, DOUBLER_OP_TWICE, &req.base, NULL, 0);
	rec_dispatched(&e, doubler_dispatch(&st, &e));
	return rec_find(e.sender);
}

START_TEST(doubles)
{
	const struct rec_answer *a = twice(21);

	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->kind, REC_MEMORY);
	ck_assert_uint_eq(a->v1, XOUS_OK);
	ck_assert_uint_eq(st.served, 1);
}
END_TEST

START_TEST(overflow_refused)
{
	const struct rec_answer *a = twice(INT64_MAX);

	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->v1, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(st.served, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("doubler");

	ADD(s, doubles);
	ADD(s, overflow_refused);
	return rec_run(s);
}

/* servers.shm_test.*: shm_test_dispatch over the region it made. */
#include <check.h>

#include "recorder.h"
#include "shm_testsrv.h"

static struct shm_test_state st;

static void setup(void)
{
	rec_reset();
	st.err = XOUS_OK;
	st.id = 7;
}

static xous_answer_t read_id(uint32_t op)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 1, op, 0, 0, 0);

	return rec_dispatched(&e, shm_test_dispatch(&st, &e));
}

START_TEST(read_answers_the_region_id)
{
	xous_answer_t a = read_id(SHM_TEST_OP_READ);

	ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR2);
	ck_assert_uint_eq(a.v[0], XOUS_OK);
	ck_assert_uint_eq(a.v[1], 7);
	ck_assert_uint_eq(rec_n, 1);
}
END_TEST

START_TEST(no_region_is_unavailable)
{
	st.err = XOUS_ERR_OUT_OF_MEMORY;
	ck_assert_uint_eq(read_id(SHM_TEST_OP_READ).v[0], XOUS_ERR_UNAVAILABLE);
}
END_TEST

START_TEST(other_opcodes_and_kinds_are_ignored)
{
	xous_envelope_t e = rec_scalar(XOUS_SCALAR, 5, 1, SHM_TEST_OP_READ, 0, 0, 0);

	ck_assert_int_eq(read_id(9).kind, XOUS_ANSWER_NONE);
	ck_assert_int_eq(shm_test_dispatch(&st, &e).kind, XOUS_ANSWER_NONE);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("servers.shm_test");

	ADD(s, read_answers_the_region_id);
	ADD(s, no_region_is_unavailable);
	ADD(s, other_opcodes_and_kinds_are_ignored);
	return rec_run(s);
}

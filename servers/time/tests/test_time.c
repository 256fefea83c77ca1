/* servers.time.*: the time server's dispatch, the host clock an argument. */
#include <check.h>
#include <stdlib.h>

#include "recorder.h"
#include "timesrv.h"

#define HOST 1700000000123ull
static struct time_state st;

static void setup(void)
{
	rec_reset();
	time_init(&st);
}

/* A BlockingScalar's answer, as the loop gives it to the kernel. */
static const struct rec_answer *ask(uint32_t op, uintptr_t a1, uintptr_t a2, uintptr_t a3)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 1, op, a1, a2, a3);
	size_t before = rec_n;

	rec_dispatched(&e, time_dispatch(&st, &e, HOST));
	ck_assert_uint_eq(rec_n, before + 1); /* one answer, the returned one */
	ck_assert_int_eq(rec_last()->returned, 1);
	return rec_last();
}

static uint64_t as64(const struct rec_answer *a)
{
	ck_assert_uint_eq(a->kind, REC_SCALAR2);
	return (uint64_t)(uint32_t)a->v1 | (uint64_t)(uint32_t)a->v2 << 32;
}

/* A Scalar1 answer's value. */
static uintptr_t v1(const struct rec_answer *a)
{
	ck_assert_uint_eq(a->kind, REC_SCALAR1);
	return a->v1;
}

START_TEST(utc_is_the_host_clock_low_word_first)
{
	ck_assert_uint_eq(as64(ask(TIME_OP_GET_UTC_TIME_MS, 0, 0, 0)), HOST);
}
END_TEST

START_TEST(local_time_adds_the_zone_offset)
{
	int64_t off = -5 * 3600 * 1000;

	ck_assert_uint_eq(v1(ask(TIME_OP_SET_TZ_OFFSET_MS, (uint32_t)((uint64_t)off >> 32),
	                         (uint32_t)off, TIME_ARG_TWO_WORDS)),
	                  0);
	ck_assert_uint_eq(as64(ask(TIME_OP_GET_LOCAL_TIME_MS, 0, 0, 0)), HOST + off);
	ck_assert_uint_eq(as64(ask(TIME_OP_GET_UTC_TIME_MS, 0, 0, 0)), HOST);
}
END_TEST

START_TEST(zone_offsets_beyond_two_days_are_invalid_argument)
{
	int64_t max = TIME_MAX_TZ_OFFSET_MS;

	ck_assert_uint_eq(v1(ask(TIME_OP_SET_TZ_OFFSET_MS, 0, (uint32_t)max, 1)), 0);
	ck_assert_uint_eq(v1(ask(TIME_OP_SET_TZ_OFFSET_MS, 0, (uint32_t)(max + 1), 1)),
	                  XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(v1(ask(TIME_OP_SET_TZ_OFFSET_MS, 0xffffffffu, (uint32_t)-max, 1)), 0);
	ck_assert_uint_eq(v1(ask(TIME_OP_SET_TZ_OFFSET_MS, 0xffffffffu, (uint32_t)(-max - 1), 1)),
	                  XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(v1(ask(TIME_OP_SET_TZ_OFFSET_MS, 7, 0, 1)), XOUS_ERR_INVALID_ARGUMENT);
	/* the refused offsets left the last good one in place */
	ck_assert_uint_eq(as64(ask(TIME_OP_GET_LOCAL_TIME_MS, 0, 0, 0)), HOST - max);
}
END_TEST

START_TEST(one_word_arguments_are_signed_values)
{
	ck_assert_uint_eq(v1(ask(TIME_OP_SET_TZ_OFFSET_MS, (uintptr_t)(intptr_t)-3600000, 0, 0)),
	                  0);
	ck_assert_uint_eq(as64(ask(TIME_OP_GET_LOCAL_TIME_MS, 0, 0, 0)), HOST - 3600000);
	ck_assert_int_eq(time_arg64(0, 1000, 0), 1000);
	ck_assert_int_eq(time_arg64(1, 0, TIME_ARG_TWO_WORDS), 1ll << 32);
	ck_assert_int_eq(time_arg64(0xffffffffu, 0xfffffc18u, 0), -1000);
}
END_TEST

START_TEST(set_utc_moves_the_wall_clock)
{
	uint64_t want = 1800000000000ull;

	ck_assert_uint_eq(v1(ask(TIME_OP_SET_UTC_TIME_MS, (uint32_t)(want >> 32), (uint32_t)want,
	                         TIME_ARG_TWO_WORDS)),
	                  0);
	ck_assert_uint_eq(as64(ask(TIME_OP_GET_UTC_TIME_MS, 0, 0, 0)), want);
}
END_TEST

START_TEST(the_wall_clock_is_initialised)
{
	const struct rec_answer *a = ask(TIME_OP_WALL_CLOCK_TIME_INIT, 0, 0, 0);

	ck_assert_uint_eq(a->kind, REC_SCALAR1);
	ck_assert_uint_eq(a->v1, 1);
}
END_TEST

START_TEST(unknown_opcodes_and_memory_are_refused)
{
	xous_envelope_t e =
	        rec_memory(XOUS_MUTABLE_BORROW, 5, 1, TIME_OP_GET_UTC_TIME_MS, NULL, "", 0);

	ck_assert_uint_eq(ask(TIME_OP_HW_SYNC, 0, 0, 0)->kind, REC_DONE);
	ck_assert_uint_eq(ask(99, 0, 0, 0)->kind, REC_DONE);
	ck_assert_int_eq(time_dispatch(&st, &e, HOST).kind, XOUS_ANSWER_NONE);
	ck_assert_uint_eq(rec_n, 2);
}
END_TEST

START_TEST(non_blocking_setters_need_no_answer)
{
	xous_envelope_t e = rec_scalar(XOUS_SCALAR, 5, 1, TIME_OP_SET_TZ_OFFSET_MS, 0, 60000, 1);
	xous_answer_t a = time_dispatch(&st, &e, HOST);

	/* its Scalar1(0) goes nowhere: a Scalar's sender waits for nothing */
	ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR1);
	ck_assert_uint_eq(rec_n, 0);
	ck_assert_uint_eq(as64(ask(TIME_OP_GET_LOCAL_TIME_MS, 0, 0, 0)), HOST + 60000);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("servers.time");

	ADD(s, utc_is_the_host_clock_low_word_first);
	ADD(s, local_time_adds_the_zone_offset);
	ADD(s, zone_offsets_beyond_two_days_are_invalid_argument);
	ADD(s, one_word_arguments_are_signed_values);
	ADD(s, set_utc_moves_the_wall_clock);
	ADD(s, the_wall_clock_is_initialised);
	ADD(s, unknown_opcodes_and_memory_are_refused);
	ADD(s, non_blocking_setters_need_no_answer);
	return rec_run(s);
}

/* servers.resea_time.*: Resea's time server's dispatch, the clock an argument. */
#include <check.h>
#include <stdlib.h>

#include "recorder.h"
#include "rtime.h"

static void setup(void)
{
	rec_reset();
}

/* The seconds a BlockingScalar GetTimeOfDay answers at clock now. */
static uint64_t ask(uint64_t now)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 1, RTIME_OP_GETTIMEOFDAY, 0, 0, 0);
	size_t before = rec_n;

	rec_dispatched(&e, rtime_dispatch(&e, now));
	ck_assert_uint_eq(rec_n, before + 1);
	ck_assert_uint_eq(rec_last()->kind, REC_SCALAR2);
	ck_assert_uint_eq(rec_last()->sender, e.sender);
	return (uint64_t)(uint32_t)rec_last()->v1 | (uint64_t)(uint32_t)rec_last()->v2 << 32;
}

START_TEST(gettimeofday_is_the_clock_low_word_first)
{
	ck_assert_uint_eq(ask(1605830400), 1605830400);
	ck_assert_uint_eq(ask(0), 0);
}
END_TEST

START_TEST(times_past_2106_need_the_high_word)
{
	ck_assert_uint_eq(ask(4294967295u), 4294967295u);
	ck_assert_uint_eq(ask(4294967296u), 4294967296u);
	ck_assert_uint_eq(ask(253402300799u), 253402300799u);
	ck_assert_uint_eq(ask(UINT64_MAX), UINT64_MAX);
}
END_TEST

START_TEST(unknown_opcodes_and_memory_are_refused)
{
	xous_envelope_t b = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 1, 7, 0, 0, 0);
	xous_envelope_t m = rec_memory(XOUS_BORROW, 5, 3, RTIME_OP_GETTIMEOFDAY, NULL, "", 0);

	rec_dispatched(&b, rtime_dispatch(&b, 1));
	ck_assert_uint_eq(rec_last()->kind, REC_DONE); /* the caller fails, UNAVAILABLE */
	rec_dispatched(&m, rtime_dispatch(&m, 1));
	ck_assert_uint_eq(rec_last()->kind, REC_DONE); /* the lend goes back as it came */
	ck_assert_uint_eq(rec_n, 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("servers.resea_time");

	ADD(s, gettimeofday_is_the_clock_low_word_first);
	ADD(s, times_past_2106_need_the_high_word);
	ADD(s, unknown_opcodes_and_memory_are_refused);
	return rec_run(s);
}

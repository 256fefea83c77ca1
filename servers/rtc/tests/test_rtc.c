/* servers.rtc.*: the date conversion and the rtc server's dispatch, the clock an argument. */
#include <check.h>
#include <stdlib.h>

#include "recorder.h"
#include "rtc.h"

static void setup(void)
{
	rec_reset();
}

/* t's date must be y-mo-d h:mi:s, day of week w (0 Sunday). */
static void date_is(int64_t t, uint32_t y, int mo, int d, int h, int mi, int s, int w)
{
	struct rtc_date x;

	ck_assert_int_eq(rtc_date_from_unix(t, &x), 0);
	ck_assert_uint_eq(x.year, y);
	ck_assert_uint_eq(x.month, mo);
	ck_assert_uint_eq(x.day, d);
	ck_assert_uint_eq(x.hour, h);
	ck_assert_uint_eq(x.minute, mi);
	ck_assert_uint_eq(x.second, s);
	ck_assert_uint_eq(x.day_of_week, w);
}

START_TEST(resea_dates)
{
	date_is(0, 1970, 1, 1, 0, 0, 0, 4);
	date_is(1582979696, 2020, 2, 29, 12, 34, 56, 6);
	date_is(1605830400, 2020, 11, 20, 0, 0, 0, 5);
}
END_TEST

START_TEST(centuries_are_leap_years_only_every_400_years)
{
	date_is(-2203891201, 1900, 2, 28, 23, 59, 59, 3); /* 1900: not a leap year */
	date_is(-2203891200, 1900, 3, 1, 0, 0, 0, 4);
	date_is(951782400, 2000, 2, 29, 0, 0, 0, 2); /* 2000: a leap year */
	date_is(951782400 + 86400, 2000, 3, 1, 0, 0, 0, 3);
	date_is(4107542399, 2100, 2, 28, 23, 59, 59, 0); /* 2100: not a leap year */
	date_is(4107542400, 2100, 3, 1, 0, 0, 0, 1);
	date_is(1582934400 - 86400, 2020, 2, 28, 0, 0, 0, 5); /* 2020: a leap year */
}
END_TEST

START_TEST(year_ends)
{
	date_is(-1, 1969, 12, 31, 23, 59, 59, 3);
	date_is(946684799, 1999, 12, 31, 23, 59, 59, 5);
	date_is(946684800, 2000, 1, 1, 0, 0, 0, 6);
	date_is(1609459199, 2020, 12, 31, 23, 59, 59, 4); /* day 366 of a leap year */
	date_is(253402300799, 9999, 12, 31, 23, 59, 59, 5);
}
END_TEST

START_TEST(thirty_two_bit_limits)
{
	date_is(2147483647, 2038, 1, 19, 3, 14, 7, 2);
	date_is(2147483648, 2038, 1, 19, 3, 14, 8, 2);
	date_is(4294967295, 2106, 2, 7, 6, 28, 15, 0);
	date_is(4294967296, 2106, 2, 7, 6, 28, 16, 0);
}
END_TEST

START_TEST(the_calendar_ends_where_a_year_fits_32_bits)
{
	struct rtc_date x;

	date_is(RTC_MAX_UNIX, 4294967295u, 12, 31, 23, 59, 59, 6);
	date_is(RTC_MIN_UNIX, 0, 1, 1, 0, 0, 0, 6);
	date_is(-62135596800, 1, 1, 1, 0, 0, 0, 1);
	ck_assert_int_eq(rtc_date_from_unix(RTC_MAX_UNIX + 1, &x), -1);
	ck_assert_int_eq(rtc_date_from_unix(RTC_MIN_UNIX - 1, &x), -1);
	ck_assert_int_eq(rtc_date_from_unix(INT64_MAX, &x), -1);
	ck_assert_int_eq(rtc_date_from_unix(INT64_MIN, &x), -1);
}
END_TEST

/* Every day from 0000-01-01 to 2800-12-31 against a walk through the
 * calendar one day at a time: the dates follow each other, the days of the
 * week cycle. */
START_TEST(every_day_follows_the_one_before)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	uint32_t y = 0;
	int mo = 1, d = 1, w = 6;

	for (int64_t t = RTC_MIN_UNIX; y <= 2800; t += 86400) {
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		struct rtc_date x;

		if (rtc_date_from_unix(t + 86399, &x) != 0 || x.year != y || x.month != mo ||
		    x.day != d || x.day_of_week != w)
			ck_abort_msg("t %lld: %u-%u-%u (%u), want %u-%d-%d (%d)", (long long)t,
			             x.year, x.month, x.day, x.day_of_week, y, mo, d, w);
		w = (w + 1) % 7;
		if (++d > mdays[mo - 1] + (mo == 2 && leap)) {
			d = 1;
			if (++mo > 12)
				mo = 1, y++;
		}
	}
}
END_TEST

START_TEST(read_answers_the_date_in_five_words)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 1, RTC_OP_READ, 0, 0, 0);
	xous_answer_t a = rec_dispatched(&e, rtc_dispatch(&e, 1582979696));

	ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR5);
	ck_assert_uint_eq(a.v[0], 2020);
	ck_assert_uint_eq(a.v[1], 2);
	ck_assert_uint_eq(a.v[2], 29);
	ck_assert_uint_eq(a.v[3], 6);
	ck_assert_uint_eq(a.v[4], 12u << 16 | 34u << 8 | 56u);
	ck_assert_uint_eq(rec_n, 1);
	ck_assert_uint_eq(rec_last()->kind, REC_SCALAR5);
	ck_assert_uint_eq(rec_last()->sender, e.sender);
}
END_TEST

START_TEST(a_clock_outside_the_calendar_reads_month_zero)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 1, RTC_OP_READ, 0, 0, 0);
	xous_answer_t a = rtc_dispatch(&e, RTC_MIN_UNIX - 1);

	ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR5);
	ck_assert_uint_eq(a.v[1], 0);
}
END_TEST

START_TEST(unknown_opcodes_and_memory_are_refused)
{
	xous_envelope_t b = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 1, 1, 0, 0, 0);
	xous_envelope_t m = rec_memory(XOUS_MUTABLE_BORROW, 5, 3, RTC_OP_READ, NULL, "", 0);

	rec_dispatched(&b, rtc_dispatch(&b, 0));
	ck_assert_uint_eq(rec_last()->kind, REC_DONE); /* the caller fails, UNAVAILABLE */
	rec_dispatched(&m, rtc_dispatch(&m, 0));
	ck_assert_uint_eq(rec_last()->kind, REC_DONE); /* the lend goes back as it came */
	ck_assert_uint_eq(rec_n, 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("servers.rtc");

	ADD(s, resea_dates);
	ADD(s, centuries_are_leap_years_only_every_400_years);
	ADD(s, year_ends);
	ADD(s, thirty_two_bit_limits);
	ADD(s, the_calendar_ends_where_a_year_fits_32_bits);
	ADD(s, every_day_follows_the_one_before);
	ADD(s, read_answers_the_date_in_five_words);
	ADD(s, a_clock_outside_the_calendar_reads_month_zero);
	ADD(s, unknown_opcodes_and_memory_are_refused);
	return rec_run(s);
}

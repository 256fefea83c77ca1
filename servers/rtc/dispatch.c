/*
 * The rtc server's dispatch: the clock's seconds as a calendar date.
 *
 * The calendar is the proleptic Gregorian one: a year is a leap year when
 * divisible by 4, except centuries not divisible by 400. Every 400 years
 * (146097 days) it repeats, and so do the days of the week.
 */
#include "rtc.h"

#define DAY_S          86400
#define DAYS_400Y      146097
#define DAYS_100Y      36524
#define DAYS_4Y        1461
#define DAYS_1Y        365
#define DAYS_1_TO_1970 719162 /* from 0001-01-01 to 1970-01-01 */

static int leap(int64_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* How many whole periods of len days fit in *days (at most max), taken off. */
static int64_t take(int64_t *days, int64_t len, int64_t max)
{
	int64_t n = *days / len;

	if (n > max)
		n = max;
	*days -= n * len;
	return n;
}

int rtc_date_from_unix(int64_t t, struct rtc_date *out)
{
	static const uint8_t month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t days, secs, d, year;
	int m;

	if (t < RTC_MIN_UNIX || t > RTC_MAX_UNIX)
		return -1;
	days = t / DAY_S - (t % DAY_S < 0); /* rounded down */
	secs = t - days * DAY_S;
	/* Days since -0399-01-01: a 400-year cycle begins there (cycles of
	 * 0001..0400, whose last century and last year are the long ones). */
	d = days + DAYS_1_TO_1970 + DAYS_400Y;
	year = -399 + 400 * take(&d, DAYS_400Y, INT64_MAX);
	year += 100 * take(&d, DAYS_100Y, 3);
	year += 4 * take(&d, DAYS_4Y, 24);
	year += take(&d, DAYS_1Y, 3);
	for (m = 0; m < 11; m++) {
		int64_t len = month_days[m] + (m == 1 && leap(year));

		if (d < len)
			break;
		d -= len;
	}
	out->year = (uint32_t)year;
	out->month = (uint8_t)(m + 1);
	out->day = (uint8_t)(d + 1);
	out->day_of_week = (uint8_t)(((days % 7) + 7 + 4) % 7); /* 1970-01-01: a Thursday */
	out->hour = (uint8_t)(secs / 3600);
	out->minute = (uint8_t)(secs / 60 % 60);
	out->second = (uint8_t)(secs % 60);
	return 0;
}

/* A scalar answer to a Scalar goes nowhere: nobody waits for it. */
xous_answer_t rtc_dispatch(xous_envelope_t *env, int64_t unix_now)
{
	struct rtc_date d;

	if ((env->kind != XOUS_SCALAR && env->kind != XOUS_BLOCKING_SCALAR) ||
	    env->scalar.id != RTC_OP_READ)
		return xous_answer_none();
	if (rtc_date_from_unix(unix_now, &d) != 0)
		return xous_answer_scalar5(0, 0, 0, 0, 0);
	return xous_answer_scalar5(d.year, d.month, d.day, d.day_of_week,
	                           (uintptr_t)d.hour << 16 | (uintptr_t)d.minute << 8 | d.second);
}

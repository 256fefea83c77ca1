/*
 * rtc: Resea's rtc and time servers (needs the default fleet): the date is
 * a calendar date after 2020, and rtc_read, time_gettimeofday and
 * timeserverpublic's xtime_utc_ms read one clock: each read lies between
 * the reads taken before and after it.
 */
#include <resea/rtc.h>
#include <resea/time.h>
#include <xous/time.h>

#include "conf.h"

#define SLACK 2 /* seconds: a clock stepped between two reads */

static int leap(uint32_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Seconds since 1970 of d (a date from 1970 on), counted the long way. */
static uint64_t seconds_of(const struct rtc_date *d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	uint64_t days = 0;

	for (uint32_t y = 1970; y < d->year; y++)
		days += 365u + (uint64_t)leap(y);
	for (int m = 1; m < d->month; m++)
		days += mdays[m - 1] + (m == 2 && leap(d->year));
	days += d->day - 1u;
	return days * 86400 + d->hour * 3600u + d->minute * 60u + d->second;
}

/* x was read between before and after (seconds), give or take SLACK. */
static int between(uint64_t before, uint64_t x, uint64_t after)
{
	return x + SLACK >= before && x <= after + SLACK;
}

int main(void)
{
	struct rtc_date d = {0};
	uint64_t t0 = 0, t1 = 0, t2 = 0, ms = 0, rtc_s;

	CHECK_OK(time_gettimeofday(&t0));
	CHECK_OK(rtc_read(&d));
	CHECK_OK(xtime_utc_ms(&ms));
	CHECK_OK(time_gettimeofday(&t1));
	CHECK_OK(rtc_read(&d));
	CHECK_OK(time_gettimeofday(&t2));

	CHECK(t0 > 1577836800u); /* 2020-01-01 */
	CHECK(t0 <= t1 && t1 <= t2);
	CHECK(d.year >= 2020 && d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31);
	CHECK(d.hour <= 23 && d.minute <= 59 && d.second <= 59 && d.day_of_week <= 6);
	rtc_s = seconds_of(&d);
	CHECK(d.day_of_week == (rtc_s / 86400 + 4) % 7); /* 1970-01-01: a Thursday */
	CHECK(between(t1, rtc_s, t2));
	CHECK(between(t0, ms / 1000, t1));
	printf("rtc: %04u-%02u-%02uT%02u:%02u:%02uZ, time %llu, xtime %llu ms\n", (unsigned)d.year,
	       d.month, d.day, d.hour, d.minute, d.second, (unsigned long long)t2,
	       (unsigned long long)ms);

	CHECK_ERR(rtc_read(NULL), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(time_gettimeofday(NULL), XOUS_ERR_INVALID_ARGUMENT);
	return conf_end("rtc");
}

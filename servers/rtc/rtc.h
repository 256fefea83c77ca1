/*
 * The rtc server as a pure dispatch function: rtc_dispatch(env, now)
 * returns its answer; the clock (seconds since 1970 UTC) is an argument.
 */
#ifndef XOUS_RTC_SERVER_H
#define XOUS_RTC_SERVER_H

#include <resea/rtc.h>
#include <stdint.h>
#include <xous/serve.h>

#include "api.h"

/* The calendar rtc_date holds: 0000-01-01T00:00:00 .. 4294967295-12-31T23:59:59. */
#define RTC_MIN_UNIX (-62167219200LL)
#define RTC_MAX_UNIX 135536014634284799LL

/* The UTC date of t (seconds since 1970-01-01, proleptic Gregorian
 * calendar): 0, or -1 outside RTC_MIN_UNIX .. RTC_MAX_UNIX. */
int rtc_date_from_unix(int64_t t, struct rtc_date *out);

xous_answer_t rtc_dispatch(xous_envelope_t *env, int64_t unix_now);

/* Platform (platform_host.c: CLOCK_REALTIME; RV32: the board's RTC). */
int64_t rtc_platform_unix_now(void);

#endif

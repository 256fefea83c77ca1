/*
 * The rtc server's opcode ("rtc", registered with the name server), a plain
 * scalar:
 *
 *  0 Read   BlockingScalar -> Scalar5(year, month, day, day_of_week,
 *           hour << 16 | minute << 8 | second), UTC; month 0: the clock
 *           reads a time outside the calendar rtc_date holds
 */
#ifndef XOUS_RTC_API_H
#define XOUS_RTC_API_H

#define RTC_SERVER_NAME "rtc"

enum rtc_opcode {
	RTC_OP_READ = 0,
};

#endif

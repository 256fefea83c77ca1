/*
 * <resea/rtc.h> - the real-time clock's calendar date (CONTRACT section 5),
 * served by "rtc": UTC from the same clock as timeserverpublic's
 * (<xous/time.h>) and Resea's time (<resea/time.h>): the host's clock on
 * Linux, the board's RTC on kernel-riscv. docs/resea-discovery-clock.md
 * has the errors and an example.
 */
#ifndef RESEA_RTC_H
#define RESEA_RTC_H

#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A UTC date: month 1..12, day 1..31, day_of_week 0 (Sunday) .. 6,
 * hour 0..23, minute 0..59, second 0..59. */
struct rtc_date {
	uint32_t year;
	uint8_t month, day, day_of_week, hour, minute, second;
};

/* The date now. XOUS_ERR_INVALID_ARGUMENT if out is NULL. */
xous_err_t rtc_read(struct rtc_date *out);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_RTC_H */

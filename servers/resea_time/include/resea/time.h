/*
 * <resea/time.h> - Resea's time (CONTRACT section 5), served by "time":
 * seconds since 1970-01-01 UTC, from the same clock as timeserverpublic's
 * (<xous/time.h>) and the rtc's (<resea/rtc.h>): the host's clock on Linux,
 * the board's RTC on kernel-riscv. docs/resea-discovery-clock.md has the
 * errors and an example.
 */
#ifndef RESEA_TIME_H
#define RESEA_TIME_H

#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Seconds since 1970-01-01 UTC. XOUS_ERR_INVALID_ARGUMENT if unixtime is NULL. */
xous_err_t time_gettimeofday(uint64_t *unixtime);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_TIME_H */

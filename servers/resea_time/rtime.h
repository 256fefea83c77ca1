/*
 * Resea's time server as a pure dispatch function: rtime_dispatch(env, now)
 * returns its answer; the clock (seconds since 1970 UTC) is an argument.
 */
#ifndef XOUS_RESEA_TIME_SERVER_H
#define XOUS_RESEA_TIME_SERVER_H

#include <stdint.h>
#include <xous/serve.h>

#include "api.h"

xous_answer_t rtime_dispatch(xous_envelope_t *env, uint64_t unix_now);

/* Platform (platform_host.c: CLOCK_REALTIME; RV32: the board's RTC). */
uint64_t rtime_platform_unix_now(void);

#endif

/*
 * The time server as a pure dispatch function: time_dispatch(state, env,
 * now) returns its answer; the host clock is an argument.
 */
#ifndef XOUS_TIME_SERVER_H
#define XOUS_TIME_SERVER_H

#include <stdint.h>
#include <xous/serve.h>

#include "api.h"

struct time_state {
	int64_t utc_adjust_ms; /* SetUtcTimeMs: reported UTC minus the host clock */
	int64_t tz_offset_ms;
};

void time_init(struct time_state *st);
xous_answer_t time_dispatch(struct time_state *st, xous_envelope_t *env, uint64_t host_utc_ms);
/* A 64-bit argument as the opcodes take it (see api.h). */
int64_t time_arg64(uintptr_t a1, uintptr_t a2, uintptr_t a3);

/* Platform (platform_host.c: CLOCK_REALTIME; RV32: the RTC). */
uint64_t time_platform_utc_ms(void);

#endif

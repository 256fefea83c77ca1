/*
 * fuzz_srv_rtc.c - fuzz target `srv_rtc`: rtc_dispatch() with the checking
 * io table of fuzz_server.h (the rtc server has no state and never parks),
 * on clocks the input moves: the date of every clock from 0000 to the
 * calendar's end is a calendar date. Seeds: a read, time passing, another
 * read (seed-read); a Scalar, an unknown opcode, the server's own call
 * (seed-refused); a lend and a Move (seed-memory).
 */
#include "fuzz_server.h"
#include "rtc.h"

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	int64_t t =
	        RTC_MIN_UNIX + (int64_t)(now * 1000003u % (uint64_t)(RTC_MAX_UNIX - RTC_MIN_UNIX));
	xous_answer_t a = rtc_dispatch(env, t);

	if (a.kind == XOUS_ANSWER_SCALAR5) {
		FZ_CHECK(a.v[1] >= 1 && a.v[1] <= 12 && a.v[2] >= 1 && a.v[2] <= 31 && a.v[3] <= 6);
		FZ_CHECK(a.v[4] >> 16 <= 23 && (a.v[4] >> 8 & 0xff) <= 59 && (a.v[4] & 0xff) <= 59);
	}
	return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {.dispatch = dispatch};

	return fsrv_run(&t, data, size);
}

/*
 * The time server's opcodes ("timeserverpublic"), numbered as Xous's; all
 * plain scalars.
 *
 *  2 SetUtcTimeMs(hi, lo)    the wall clock now reads this; BlockingScalar -> Scalar1(0),
 *                            or Scalar1(XOUS_ERR_INVALID_ARGUMENT) outside 1970..9999
 *  3 GetUtcTimeMs            BlockingScalar -> Scalar2(lo, hi) ms since 1970 UTC
 *  4 GetLocalTimeMs          BlockingScalar -> Scalar2(lo, hi), UTC + the offset
 *                            (Xous answers this one high word first; here both
 *                            answers are low word first)
 *  5 SetTzOffsetMs(hi, lo)   signed ms, within +-2 days; BlockingScalar ->
 *                            Scalar1(0) or Scalar1(XOUS_ERR_INVALID_ARGUMENT)
 *  6 WallClockTimeInit       BlockingScalar -> Scalar1(1): on the host the
 *                            wall clock is the host's, always set
 *
 * 64-bit arguments come as Xous sends them, high word in a1, low word in a2.
 * With a3 = TIME_ARG_TWO_WORDS (1) that is always how they are read; else,
 * when a2 = 0, a1 alone is the whole (signed) value.
 */
#ifndef XOUS_TIME_API_H
#define XOUS_TIME_API_H

#define TIME_SERVER_NAME "timeserverpublic"

enum time_opcode {
	TIME_OP_HW_SYNC = 0, /* Xous only; not served here */
	TIME_OP_SUS_RES = 1, /* Xous only; not served here */
	TIME_OP_SET_UTC_TIME_MS = 2,
	TIME_OP_GET_UTC_TIME_MS = 3,
	TIME_OP_GET_LOCAL_TIME_MS = 4,
	TIME_OP_SET_TZ_OFFSET_MS = 5,
	TIME_OP_WALL_CLOCK_TIME_INIT = 6,
};

#define TIME_ARG_TWO_WORDS    1
#define TIME_MAX_TZ_OFFSET_MS (2LL * 24 * 3600 * 1000)
#define TIME_MAX_UTC_MS       253402300799999LL /* 9999-12-31 23:59:59.999 */

#endif

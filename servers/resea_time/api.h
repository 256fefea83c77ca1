/*
 * Resea's time server's opcode ("time", registered with the name server),
 * a plain scalar:
 *
 *  0 GetTimeOfDay   BlockingScalar -> Scalar2(lo, hi): seconds since
 *                   1970-01-01 UTC, low word first
 */
#ifndef XOUS_RESEA_TIME_API_H
#define XOUS_RESEA_TIME_API_H

#define RTIME_SERVER_NAME "time"

enum rtime_opcode {
	RTIME_OP_GETTIMEOFDAY = 0,
};

#endif

/* Resea's time server's clock on Linux: the real-time clock, as timeserverpublic's. */
#include <time.h>

#include "rtime.h"

uint64_t rtime_platform_unix_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec > 0 ? (uint64_t)ts.tv_sec : 0;
}

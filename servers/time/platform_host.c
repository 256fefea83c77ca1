/* The time server's platform code on Linux: the real-time clock. */
#include <time.h>

#include "timesrv.h"

uint64_t time_platform_utc_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

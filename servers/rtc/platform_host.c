/* The rtc server's clock on Linux: the real-time clock, as timeserverpublic's. */
#include <time.h>

#include "rtc.h"

int64_t rtc_platform_unix_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

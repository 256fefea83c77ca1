/* The fs server's platform code on Linux: the time from the host's clock. */
#include <time.h>

#include "fssrv.h"

uint64_t fs_platform_now(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	return clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec > 0 ? (uint64_t)ts.tv_sec : 0;
}

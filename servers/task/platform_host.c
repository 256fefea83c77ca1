/* The task server's platform code on Linux: the monotonic clock. */
#include <time.h>

#include "task.h"

uint64_t task_platform_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

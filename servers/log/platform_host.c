/* The log server's platform code on Linux: stdout and the real-time clock. */
#include <time.h>
#include <unistd.h>

#include "logsrv.h"

void log_platform_write(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(1, buf, len);

		if (n <= 0)
			return; /* nowhere to complain to: the log is the complaint */
		buf += n;
		len -= (size_t)n;
	}
}

uint64_t log_platform_utc_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/*
 * servers.fleet_log_time: the log and time servers under the broker: many
 * threads log at once (the test also matches one of their lines in the
 * broker's output), bad levels are refused, and the time server's clock
 * and zone offset behave.
 */
#include <time.h>
#include <xous/log.h>
#include <xous/time.h>

#include "fleet.h"

#define LOGGERS 8

static void *logger(void *arg)
{
	int n = (int)(uintptr_t)arg;

	for (int level = XLOG_ERROR; level <= XLOG_TRACE; level++)
		if (xlog(level, "record from thread %d at level %d", n, level))
			return (void *)1;
	return NULL;
}

static uint64_t host_utc_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void logs(void)
{
	xous_tid_t tids[LOGGERS];

	EXPECT_ERR(xlog(0, "x"), XOUS_ERR_INVALID_ARGUMENT);
	EXPECT_ERR(xlog(6, "x"), XOUS_ERR_INVALID_ARGUMENT);
	EXPECT_ERR(xlog(XLOG_INFO, NULL), XOUS_ERR_INVALID_ARGUMENT);
	EXPECT_ERR(xlog_stream(3, "x", 1), XOUS_ERR_INVALID_ARGUMENT);
	EXPECT_ERR(xlog_stream(1, "stream line from the test\n", 26), XOUS_OK);
	for (int i = 0; i < LOGGERS; i++)
		EXPECT_ERR(xous_create_thread(logger, (void *)(uintptr_t)i, &tids[i]), XOUS_OK);
	for (int i = 0; i < LOGGERS; i++) {
		void *res = (void *)1;

		EXPECT_ERR(xous_join_thread(tids[i], &res), XOUS_OK);
		EXPECT(res == NULL);
	}
}

static void times(void)
{
	const int64_t two_days = 2LL * 24 * 3600 * 1000;
	uint64_t before, utc, local, after;
	int init = 0;

	before = host_utc_ms();
	EXPECT_ERR(xtime_utc_ms(&utc), XOUS_OK);
	after = host_utc_ms();
	EXPECT(before <= utc && utc <= after);
	EXPECT_ERR(xtime_utc_ms(NULL), XOUS_ERR_INVALID_ARGUMENT);
	EXPECT_ERR(xtime_wall_clock_init(&init), XOUS_OK);
	EXPECT(init == 1);
	EXPECT_ERR(xtime_set_tz_offset_ms(two_days + 1), XOUS_ERR_INVALID_ARGUMENT);
	EXPECT_ERR(xtime_set_tz_offset_ms(-two_days - 1), XOUS_ERR_INVALID_ARGUMENT);
	EXPECT_ERR(xtime_set_tz_offset_ms(-two_days), XOUS_OK);
	EXPECT_ERR(xtime_set_tz_offset_ms(two_days), XOUS_OK);
	EXPECT_ERR(xtime_set_tz_offset_ms(-3600000), XOUS_OK);
	before = host_utc_ms();
	EXPECT_ERR(xtime_local_ms(&local), XOUS_OK);
	after = host_utc_ms();
	EXPECT(before - 3600000 <= local && local <= after - 3600000);
	EXPECT_ERR(xtime_set_tz_offset_ms(0), XOUS_OK);
}

int main(void)
{
	logs();
	times();
	printf("PASS fleet_log_time\n");
	return 0;
}

/*
 * clocks: the ticktimer and time servers (needs the default fleet): elapsed
 * time never goes back, a sleep lasts at least as long as asked, sleepers in
 * several threads all wake, and UTC is after 2020.
 */
#include <xous/ticktimer.h>
#include <xous/time.h>

#include "conf.h"

static void *sleeper(void *arg)
{
	return (void *)(uintptr_t)tt_sleep_ms((uint32_t)(uintptr_t)arg);
}

int main(void)
{
	uint64_t t0 = 0, t1 = 0, t2 = 0, utc = 0;
	xous_tid_t tids[3];
	void *ret;

	CHECK_OK(tt_elapsed_ms(&t0));
	CHECK_OK(tt_sleep_ms(30));
	CHECK_OK(tt_elapsed_ms(&t1));
	CHECK(t1 >= t0 + 30);
	CHECK_OK(tt_sleep_ms(0));

	/* sleepers with different deadlines, armed out of order, all wake */
	for (int i = 0; i < 3; i++)
		CHECK_OK(xous_create_thread(sleeper, (void *)(uintptr_t)(40 - 10 * i), &tids[i]));
	for (int i = 0; i < 3; i++) {
		CHECK_OK(xous_join_thread(tids[i], &ret));
		CHECK_ERR((uintptr_t)ret, XOUS_OK);
	}
	CHECK_OK(tt_elapsed_ms(&t2));
	CHECK(t2 >= t1 + 20);

	CHECK_OK(xtime_utc_ms(&utc));
	CHECK(utc > 1577836800000ull); /* 2020-01-01 */
	CHECK_ERR(tt_elapsed_ms(NULL), XOUS_ERR_INVALID_ARGUMENT);
	return conf_end("clocks");
}

/*
 * servers.fleet_ticktimer: the ticktimer under the broker with many threads
 * at once: concurrent sleepers each sleep at least what they asked; a
 * server-side mutex keeps a non-atomic counter exact; condition waiters are
 * all woken by notifies and a wait with a timeout times out.
 */
#include <stdatomic.h>
#include <string.h>
#include <xous/ticktimer.h>

#include "fleet.h"

#define SLEEPERS 16
#define LOCKERS  8
#define ROUNDS   100
#define WAITERS  6

static volatile unsigned long counter; /* guarded by the ticktimer's mutex 0x10 */
static atomic_int woken;

static void *sleeper(void *arg)
{
	uint32_t ms = (uint32_t)(uintptr_t)arg;
	uint64_t t0, t1;

	if (tt_elapsed_ms(&t0) || tt_sleep_ms(ms) || tt_elapsed_ms(&t1))
		return (void *)1;
	return t1 - t0 >= ms ? NULL : (void *)2;
}

static void *locker(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		unsigned long v;

		if (tt_lock_mutex(0x10))
			return (void *)1;
		v = counter;
		xous_yield(); /* invite a race the mutex must prevent */
		counter = v + 1;
		if (tt_unlock_mutex(0x10))
			return (void *)2;
	}
	return NULL;
}

static void *cond_waiter(void *arg)
{
	int timed_out = -1;

	(void)arg;
	if (tt_wait_condition(0x20, 0, &timed_out) || timed_out != 0)
		return (void *)1;
	atomic_fetch_add(&woken, 1);
	return NULL;
}

static void join_all(xous_tid_t *tids, int n, const char *what)
{
	for (int i = 0; i < n; i++) {
		void *res = (void *)1;

		EXPECT_ERR(xous_join_thread(tids[i], &res), XOUS_OK);
		if (res != NULL)
			FAIL("%s thread %d: step %d failed", what, i, (int)(intptr_t)res);
	}
}

static void run(void *(*fn)(void *), int n, uintptr_t (*arg)(int), const char *what)
{
	xous_tid_t tids[SLEEPERS];

	for (int i = 0; i < n; i++)
		EXPECT_ERR(xous_create_thread(fn, (void *)(arg ? arg(i) : 0), &tids[i]), XOUS_OK);
	join_all(tids, n, what);
}

static uintptr_t sleep_ms_of(int i)
{
	return (uintptr_t)(SLEEPERS - i) * 7;
}

static void conditions(void)
{
	xous_tid_t tids[WAITERS];
	uint32_t n = 0, total = 0;
	int timed_out = -1;

	for (int i = 0; i < WAITERS; i++)
		EXPECT_ERR(xous_create_thread(cond_waiter, NULL, &tids[i]), XOUS_OK);
	/* waiters park at their own pace: notify until every one has been woken */
	while (total < WAITERS) {
		EXPECT_ERR(tt_sleep_ms(10), XOUS_OK);
		EXPECT_ERR(tt_notify_condition(0x20, 0, &n), XOUS_OK);
		total += n;
	}
	join_all(tids, WAITERS, "condition");
	EXPECT(atomic_load(&woken) == WAITERS);
	EXPECT_ERR(tt_wait_condition(0x21, 30, &timed_out), XOUS_OK);
	EXPECT(timed_out == 1);
	EXPECT_ERR(tt_notify_condition(0x21, 0, &n), XOUS_OK);
	EXPECT(n == 0);
	EXPECT_ERR(tt_free_condition(0x20), XOUS_OK);
}

int main(void)
{
	char version[64];
	uint64_t a, b;

	EXPECT_ERR(tt_elapsed_ms(NULL), XOUS_ERR_INVALID_ARGUMENT);
	EXPECT_ERR(tt_elapsed_ms(&a), XOUS_OK);
	EXPECT_ERR(tt_elapsed_ms(&b), XOUS_OK);
	EXPECT(b >= a);
	EXPECT_ERR(tt_sleep_ms(0), XOUS_OK);
	EXPECT_ERR(tt_get_version(version, sizeof(version)), XOUS_OK);
	EXPECT(strncmp(version, "xous-host ", 10) == 0);
	run(sleeper, SLEEPERS, sleep_ms_of, "sleeper");
	run(locker, LOCKERS, NULL, "locker");
	if (counter != LOCKERS * ROUNDS)
		FAIL("counter %lu, want %d", counter, LOCKERS * ROUNDS);
	EXPECT_ERR(tt_free_mutex(0x10), XOUS_OK);
	conditions();
	printf("PASS fleet_ticktimer\n");
	return 0;
}

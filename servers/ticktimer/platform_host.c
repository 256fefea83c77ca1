/*
 * The ticktimer's platform code on Linux: CLOCK_MONOTONIC, and the wake-up
 * thread's wait, a condition variable on the same clock so that an earlier
 * deadline can cut a long wait short.
 */
#include <pthread.h>
#include <time.h>

#include "ticktimer.h"

static pthread_mutex_t arm_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t arm_cond;
static pthread_once_t arm_once = PTHREAD_ONCE_INIT;
static int armed;
static uint64_t armed_deadline;

uint64_t tt_platform_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void arm_setup(void)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&arm_cond, &attr);
	pthread_condattr_destroy(&attr);
}

/* The wake-up thread hears only of a change: the server arms after every
 * message, and an unchanged deadline is one it waits for already. */
void tt_platform_arm(int any, uint64_t deadline_ms)
{
	pthread_once(&arm_once, arm_setup);
	pthread_mutex_lock(&arm_lock);
	if (armed != any || (any && armed_deadline != deadline_ms)) {
		armed = any;
		armed_deadline = deadline_ms;
		pthread_cond_signal(&arm_cond);
	}
	pthread_mutex_unlock(&arm_lock);
}

void tt_platform_wait(void)
{
	struct timespec ts;

	pthread_once(&arm_once, arm_setup);
	pthread_mutex_lock(&arm_lock);
	for (;;) {
		if (!armed) {
			pthread_cond_wait(&arm_cond, &arm_lock);
			continue;
		}
		if (tt_platform_now_ms() >= armed_deadline)
			break;
		ts.tv_sec = (time_t)(armed_deadline / 1000u);
		ts.tv_nsec = (long)(armed_deadline % 1000u) * 1000000L;
		pthread_cond_timedwait(&arm_cond, &arm_lock, &ts);
	}
	armed = 0; /* the server re-arms once it has expired what is due */
	pthread_mutex_unlock(&arm_lock);
}

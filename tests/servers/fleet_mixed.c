/*
 * servers.fleet_mixed: every well-known server at once, from several
 * processes with several threads each: name lookups, elapsed time, short
 * sleeps, filtered log records, time reads and per-process mutexes, all
 * answered correctly while the others run.
 */
#include <sys/wait.h>
#include <unistd.h>
#include <xous/log.h>
#include <xous/names.h>
#include <xous/ticktimer.h>
#include <xous/time.h>

#include "fleet.h"

#define PROCS   4
#define THREADS 4
#define ROUNDS  25

static volatile unsigned long shared; /* per process, guarded by mutex 7 */

static void *worker(void *arg)
{
	uint64_t last = 0, now, utc;
	xous_cid_t cid;

	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		unsigned long v;

		if (xns_request_connection("fleet.mixed", &cid) != XOUS_OK)
			return (void *)1;
		if (tt_elapsed_ms(&now) != XOUS_OK || now < last)
			return (void *)2;
		last = now;
		if (tt_sleep_ms(1) != XOUS_OK)
			return (void *)3;
		if (xlog(XLOG_TRACE, "filtered out %d", i) != XOUS_OK)
			return (void *)4;
		if (xtime_utc_ms(&utc) != XOUS_OK || utc == 0)
			return (void *)5;
		if (tt_lock_mutex(7) != XOUS_OK)
			return (void *)6;
		v = shared;
		xous_yield();
		shared = v + 1;
		if (tt_unlock_mutex(7) != XOUS_OK)
			return (void *)7;
	}
	return NULL;
}

/* One process: THREADS workers; exit status 0 if all went well. */
static int process(void)
{
	xous_tid_t tids[THREADS];
	int bad = 0;

	for (int i = 0; i < THREADS; i++)
		if (xous_create_thread(worker, NULL, &tids[i]) != XOUS_OK)
			return 10;
	for (int i = 0; i < THREADS; i++) {
		void *res = (void *)1;

		if (xous_join_thread(tids[i], &res) != XOUS_OK || res != NULL) {
			fprintf(stderr, "pid %u thread %d: step %d failed\n",
			        (unsigned)xous_process_id(), i, (int)(intptr_t)res);
			bad = 1;
		}
	}
	if (shared != THREADS * ROUNDS)
		return 11;
	return bad;
}

int main(void)
{
	pid_t kids[PROCS];
	xous_sid_t sid;

	EXPECT_ERR(xns_register_name("fleet.mixed", 0, &sid), XOUS_OK);
	for (int i = 0; i < PROCS; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			_exit(process());
		EXPECT(kids[i] > 0);
	}
	for (int i = 0; i < PROCS; i++) {
		int status;

		EXPECT(waitpid(kids[i], &status, 0) == kids[i]);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			FAIL("process %d: status %#x", i, status);
	}
	printf("PASS fleet_mixed\n");
	return 0;
}

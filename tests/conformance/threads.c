/*
 * threads: create and join threads, their return values and ids; ids are
 * reused; threads that use the heap at the same time do not corrupt it.
 */
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#define N 8

static xous_tid_t seen_tid[N];

static void *worker(void *arg)
{
	uintptr_t i = (uintptr_t)arg;

	seen_tid[i] = xous_thread_id();
	for (int k = 0; k < 3; k++)
		xous_yield();
	return (void *)(i * 2 + 1);
}

static volatile int stop_spinning;

/* never yields: the others run only if threads are preempted */
static void *spinner(void *arg)
{
	unsigned long spins = 0;

	(void)arg;
	while (!stop_spinning)
		spins++;
	return (void *)(uintptr_t)(spins != 0);
}

/* malloc and free in a loop, checking every block still holds its own bytes */
static void *heap_user(void *arg)
{
	uintptr_t seed = (uintptr_t)arg, bad = 0;
	unsigned char *blocks[16] = {0};

	for (int round = 0; round < 200; round++) {
		int i = round % 16;
		if (blocks[i]) {
			for (int k = 0; k < 64 + i; k++)
				bad |= blocks[i][k] != (unsigned char)(seed + i);
			free(blocks[i]);
		}
		blocks[i] = malloc(64 + i);
		if (!blocks[i])
			return (void *)1;
		memset(blocks[i], (int)(seed + i), 64 + i);
		if (round % 7 == 0)
			xous_yield();
	}
	for (int i = 0; i < 16; i++)
		free(blocks[i]);
	return (void *)bad;
}

int main(void)
{
	xous_tid_t tids[N], main_tid = xous_thread_id(), spin;
	void *ret;

	CHECK_OK(xous_create_thread(spinner, NULL, &spin));

	CHECK(xous_process_id() > 1);
	CHECK(main_tid != 0);
	for (uintptr_t i = 0; i < N; i++) {
		CHECK_OK(xous_create_thread(worker, (void *)i, &tids[i]));
		CHECK(tids[i] != main_tid);
		for (uintptr_t j = 0; j < i; j++)
			CHECK(tids[i] != tids[j]);
	}
	for (int i = 0; i < N; i++) {
		ret = NULL;
		CHECK_OK(xous_join_thread(tids[i], &ret));
		CHECK((uintptr_t)ret == (uintptr_t)i * 2 + 1);
		CHECK(seen_tid[i] == tids[i]);
	}
	/* every thread has been joined: a new one reuses a freed id */
	xous_tid_t again;
	CHECK_OK(xous_create_thread(worker, (void *)0, &again));
	int reused = 0;
	for (int i = 0; i < N; i++)
		reused |= again == tids[i];
	CHECK(reused);
	CHECK_OK(xous_join_thread(again, &ret));
	CHECK(xous_join_thread(again, &ret) != XOUS_OK);
	CHECK(xous_create_thread(NULL, NULL, &again) != XOUS_OK);

	xous_tid_t heap_tids[4];
	for (uintptr_t i = 0; i < 4; i++)
		CHECK_OK(xous_create_thread(heap_user, (void *)(i * 40 + 1), &heap_tids[i]));
	for (int i = 0; i < 4; i++) {
		CHECK_OK(xous_join_thread(heap_tids[i], &ret));
		CHECK(ret == NULL);
	}
	stop_spinning = 1;
	CHECK_OK(xous_join_thread(spin, &ret));
	CHECK((uintptr_t)ret == 1);

	/* many short-lived threads: nothing of theirs may be left behind */
	xous_err_t cycle_err = XOUS_OK;
	for (int i = 0; i < 600 && cycle_err == XOUS_OK; i++) {
		xous_tid_t t;
		cycle_err = xous_create_thread(worker, (void *)(uintptr_t)(i % N), &t);
		if (cycle_err == XOUS_OK)
			cycle_err = xous_join_thread(t, &ret);
	}
	CHECK_OK(cycle_err);
	return conf_end("threads");
}

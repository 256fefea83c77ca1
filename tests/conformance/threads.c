/* threads: create and join threads, their return values and ids; ids are reused. */
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

int main(void)
{
	xous_tid_t tids[N], main_tid = xous_thread_id();
	void *ret;

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
	return conf_end("threads");
}

/* hello: the smallest program: it runs, knows its ids, and prints (pids from 2, main tid 1). */
#include "conf.h"

int main(void)
{
	xous_pid_t pid = xous_process_id();
	xous_tid_t tid = xous_thread_id();

	printf("hello from pid %lu tid %lu\n", (unsigned long)pid, (unsigned long)tid);
	CHECK(pid >= 2);
	CHECK(tid == 1);
	CHECK(xous_process_id() == pid);
	CHECK(xous_strerror(XOUS_ERR_SERVER_NOT_FOUND) != NULL);
	return conf_end("hello");
}

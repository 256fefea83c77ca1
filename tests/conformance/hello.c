/* hello: the smallest program: it runs, knows its ids and the name the kernel
 * gives it, and prints (pids from 2, main tid 1). */
#include <string.h>

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

	/* the kernel names us after our program (the log server shows it) */
	char name[48];
	CHECK_OK(xous_process_name(pid, name, sizeof(name)));
	printf("the kernel calls pid %lu \"%s\"\n", (unsigned long)pid, name);
	CHECK(strstr(name, "hello") != NULL);
	char tiny[4];
	CHECK_OK(xous_process_name(pid, tiny, sizeof(tiny)));
	CHECK(strlen(tiny) == 3);
	CHECK_ERR(xous_process_name(1000, name, sizeof(name)), XOUS_ERR_PROCESS_NOT_FOUND);
	CHECK_ERR(xous_process_name(pid, NULL, 8), XOUS_ERR_INVALID_ARGUMENT);
	return conf_end("hello");
}

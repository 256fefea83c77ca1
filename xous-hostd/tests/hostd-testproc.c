/*
 * hostd-testproc - a process for the broker's tests, speaking raw frames on
 * the connection the broker gave it ($XOUS_FD).
 *
 *   wait CODE                 print "ready", wait for EOF on stdin, exit CODE
 *   server NAME16 [SANDBOX]   make the server NAME16 (exit 9 unless
 *                             $XOUS_SANDBOX is SANDBOX, if given), print
 *                             "server LINUXPID", then answer BlockingScalars
 *                             with a1 + 1 until the broker goes away
 *   fail-once MARKER NAME16   exit 3 if MARKER does not exist (creating it),
 *                             else as server
 *   exit CODE                 exit at once
 *   connect CODE NAME16...    exit CODE if every server NAME16 exists, else 11
 *   envcheck SOCKET           exit 0 if the environment is as promised
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rawxh.h"

static int proc_fd(void)
{
	const char *s = getenv(XH_ENV_FD);

	return s ? atoi(s) : -1;
}

static int mode_wait(int code)
{
	char buf[64];

	printf("ready\n");
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	return code;
}

static int serve(int fd, const uint64_t sid[4])
{
	for (;;) {
		uint64_t w[8] = {XOUS_SYS_RECEIVE_MESSAGE, sid[0], sid[1], sid[2], sid[3]};

		if (rx_call(fd, w, -1, NULL, NULL) != 1)
			return 0;
		/* id 99 is held unanswered, so a caller stays blocked on us */
		if (w[0] != XOUS_RESULT_MESSAGE_ENVELOPE || w[2] != XOUS_KIND_BLOCKING_SCALAR ||
		    w[3] == 99)
			continue;
		uint64_t a[8] = {XOUS_SYS_RETURN_SCALAR1, w[1], w[4] + 1};
		if (rx_call(fd, a, -1, NULL, NULL) != 1)
			return 0;
	}
}

static int mode_server(const char *name, const char *sandbox)
{
	const char *have = getenv(XH_ENV_SANDBOX);
	uint64_t sid[4], w[8] = {XOUS_SYS_CREATE_SERVER_WITH_ADDRESS};
	int fd = proc_fd();

	if (strlen(name) != 16)
		return 8;
	if (sandbox && (!have || strcmp(have, sandbox)))
		return 9;
	rx_sid(name, sid);
	memcpy(&w[1], sid, sizeof(sid));
	if (rx_call(fd, w, -1, NULL, NULL) != 1 || w[0] != XOUS_RESULT_NEW_SERVER_ID)
		return 10;
	printf("server %d\n", (int)getpid());
	fflush(stdout);
	return serve(fd, sid);
}

static int mode_fail_once(const char *marker, const char *name)
{
	if (access(marker, F_OK) < 0) {
		int fd = open(marker, O_WRONLY | O_CREAT, 0600);
		if (fd >= 0)
			close(fd);
		return 3;
	}
	return mode_server(name, NULL);
}

/* Only 0, 1, 2 and the process socket are open. */
static int fds_ok(int sock)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int bad = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		int n = atoi(e->d_name);
		if (e->d_name[0] != '.' && n > 2 && n != sock && n != dirfd(d))
			bad = 1;
	}
	closedir(d);
	return !bad;
}

static int mode_envcheck(const char *sock)
{
	const char *fdenv = getenv(XH_ENV_FD), *path = getenv(XH_ENV_SOCKET);
	int type = 0;
	socklen_t len = sizeof(type);
	uint64_t w[8] = {XOUS_SYS_GET_PROCESS_ID};

	if (!fdenv || strcmp(fdenv, "3"))
		return 20;
	if (!path || strcmp(path, sock))
		return 21;
	if (getenv(XH_ENV_SANDBOX) || getenv(XH_ENV_KEY))
		return 22;
	if (getsockopt(3, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_SEQPACKET)
		return 23;
	if (!fds_ok(3))
		return 24;
	if (rx_call(3, w, -1, NULL, NULL) != 1 || w[0] != XOUS_RESULT_PROCESS_ID || w[1] < 2)
		return 25;
	return 0;
}

static int mode_connect(int code, char **names, int n)
{
	for (int i = 0; i < n; i++) {
		uint64_t sid[4], w[8] = {XOUS_SYS_TRY_CONNECT};

		if (strlen(names[i]) != 16)
			return 8;
		rx_sid(names[i], sid);
		memcpy(&w[1], sid, sizeof(sid));
		if (rx_call(proc_fd(), w, -1, NULL, NULL) != 1 || w[0] != XOUS_RESULT_CONNECTION_ID)
			return 11;
	}
	return code;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "wait"))
		return mode_wait(atoi(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "server"))
		return mode_server(argv[2], argc >= 4 ? argv[3] : NULL);
	if (argc >= 4 && !strcmp(argv[1], "fail-once"))
		return mode_fail_once(argv[2], argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "connect"))
		return mode_connect(atoi(argv[2]), argv + 3, argc - 3);
	if (argc >= 3 && !strcmp(argv[1], "envcheck"))
		return mode_envcheck(argv[2]);
	fprintf(stderr, "usage: hostd-testproc wait|server|fail-once|exit|connect|envcheck ...\n");
	return 2;
}

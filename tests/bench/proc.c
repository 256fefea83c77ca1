/*
 * proc.c - the child processes of one run. Each is recorded, so that every
 * way out of xous-bench (normal end, error, signal) kills and reaps them
 * all: a benchmark must never leave brokers or servers behind.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define MAX_CHILDREN 2048

static pid_t children[MAX_CHILDREN];
static int nchildren;
static pid_t owner;

void bench_track(pid_t pid)
{
	if (!owner)
		owner = getpid();
	if (nchildren < MAX_CHILDREN)
		children[nchildren++] = pid;
}

void bench_untrack(pid_t pid)
{
	int i;

	for (i = 0; i < nchildren; i++)
		if (children[i] == pid)
			children[i] = 0;
}

/* Children die with us even if we are killed with SIGKILL; a parent that
 * died before the prctl took effect is caught by the getppid check. */
static void child_setup(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	signal(SIGINT, SIG_DFL); /* the parent's handlers clean up the parent's run */
	signal(SIGTERM, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	alarm(0);
	nchildren = 0;
	owner = getpid();
	bench_pin_self();
}

pid_t bench_fork(void)
{
	pid_t pid, parent = getpid();

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("xous-bench: fork");
		return -1;
	}
	if (pid == 0) {
		child_setup(parent);
		return 0;
	}
	bench_track(pid);
	return pid;
}

/* fork + exec with stdin/stdout/stderr redirected (-1 keeps ours). */
pid_t bench_spawn(char *const argv[], int in_fd, int out_fd, int err_fd)
{
	pid_t pid = bench_fork();

	if (pid != 0)
		return pid;
	if (in_fd >= 0 && dup2(in_fd, 0) < 0)
		_exit(127);
	if (out_fd >= 0 && dup2(out_fd, 1) < 0)
		_exit(127);
	if (err_fd >= 0 && dup2(err_fd, 2) < 0)
		_exit(127);
	execv(argv[0], argv);
	fprintf(stderr, "xous-bench: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* SIGTERM first so that a broker removes its socket files, then SIGKILL. */
void bench_kill_all(void)
{
	int i, status, tries;

	if (owner != getpid())
		return;
	for (i = nchildren - 1; i >= 0; i--)
		if (children[i] > 0) /* never kill(0): that is our process group */
			kill(children[i], SIGTERM);
	for (tries = 0; tries < 100; tries++) {
		int alive = 0;
		for (i = 0; i < nchildren; i++) {
			if (children[i] <= 0)
				continue;
			if (waitpid(children[i], &status, WNOHANG) == 0)
				alive++;
			else
				children[i] = 0;
		}
		if (!alive)
			break;
		usleep(10000);
	}
	for (i = 0; i < nchildren; i++) {
		if (children[i] > 0) {
			kill(children[i], SIGKILL);
			waitpid(children[i], &status, 0);
		}
	}
	nchildren = 0;
}

int bench_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int bench_read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * attempt.c - one call a sandbox must deny (or, for a few, allow), by name.
 * Each returns REL_WENT_THROUGH if the call worked, REL_REFUSED if it
 * answered EPERM, REL_FAILED otherwise; under a filter that denies it the
 * process dies by SIGSYS first.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "attempt.h"

#define PAGE 4096

static int thread_fn(void *arg)
{
	(void)arg;
	return 0;
}

/* A thread in a new network namespace: clone's flags, which a filter can
 * read (glibc's clone() makes no clone3 call). */
static int netns_thread(void)
{
	static char stack[16 * 1024] __attribute__((aligned(16)));
	int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
	            CLONE_SYSVSEM | CLONE_NEWNET;

	return clone(thread_fn, stack + sizeof(stack), flags, NULL);
}

static int outcome(int rc)
{
	if (rc >= 0)
		return REL_WENT_THROUGH;
	return errno == EPERM ? REL_REFUSED : REL_FAILED;
}

static int try_mremap(size_t old_size, size_t new_size)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return REL_FAILED;
	return outcome(mremap(p, old_size, new_size, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0);
}

static int try_exec_map(int memfd)
{
	int fd = memfd ? memfd_create("attempt", MFD_CLOEXEC) : -1;

	if (memfd && (fd < 0 || ftruncate(fd, PAGE) < 0))
		return REL_FAILED;
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_EXEC,
	               memfd ? MAP_SHARED : MAP_PRIVATE | MAP_ANONYMOUS, fd, 0);
	return outcome(p == MAP_FAILED ? -1 : 0);
}

static int try_exec_protect(int pkey)
{
	void *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return REL_FAILED;
	if (pkey)
		return outcome((int)syscall(SYS_pkey_mprotect, p, PAGE, PROT_READ | PROT_EXEC, 0));
	return outcome(mprotect(p, PAGE, PROT_READ | PROT_EXEC));
}

static int try_net(const char *what)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX, .sun_path = "/nonexistent"};
	int sv[2];

	if (!strcmp(what, "socket"))
		return outcome(socket(AF_INET, SOCK_STREAM, 0));
	if (!strcmp(what, "unix-socket"))
		return outcome(socket(AF_UNIX, SOCK_DGRAM, 0));
	if (!strcmp(what, "connect"))
		return outcome(connect(1, (struct sockaddr *)&a, sizeof(a)));
	if (!strcmp(what, "sendto")) /* the library's plain send() is allowed; an address is not */
		return outcome((int)sendto(1, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)));
	if (!strcmp(what, "dgram-pair"))
		return outcome(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	return REL_UNKNOWN;
}

static int try_process(const char *what)
{
	char *const argv[] = {"true", NULL};
	pid_t pid;

	if (!strcmp(what, "execve"))
		return outcome(execve("/bin/true", argv, NULL));
	if (!strcmp(what, "ptrace"))
		return outcome((int)ptrace(PTRACE_TRACEME, 0, NULL, NULL));
	if (!strcmp(what, "kill"))
		return outcome(kill(getppid(), 0)); /* signal 0: harmless if it were allowed */
	if (!strcmp(what, "fork")) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		return outcome(pid);
	}
	if (!strcmp(what, "netns-thread"))
		return outcome(netns_thread());
	return REL_UNKNOWN;
}

static int try_files(const char *what)
{
	char buf[64];
	int fd;

	if (!strcmp(what, "open")) { /* read-only: the loader's, so the baseline allows it */
		fd = open("/etc/passwd", O_RDONLY);
		return outcome(fd >= 0 && read(fd, buf, sizeof(buf)) > 0 ? 0 : -1);
	}
	if (!strcmp(what, "open-write"))
		return outcome(open("/dev/null", O_WRONLY));
	if (!strcmp(what, "open-create"))
		return outcome(open("/nonexistent/xous-attempt", O_RDONLY | O_CREAT, 0600));
	if (!strcmp(what, "stdout"))
		return outcome(printf("sandboxed: stdout works\n") > 0 && fflush(stdout) == 0 ? 0
		                                                                              : -1);
	return REL_UNKNOWN;
}

static int try_memory(const char *what)
{
	if (!strcmp(what, "exec-anon"))
		return try_exec_map(0);
	if (!strcmp(what, "exec-memfd"))
		return try_exec_map(1);
	if (!strcmp(what, "exec-mprotect"))
		return try_exec_protect(0);
	if (!strcmp(what, "exec-pkey"))
		return try_exec_protect(1);
	if (!strcmp(what, "hugetlb"))
		return outcome(memfd_create("attempt", MFD_HUGETLB));
	if (!strcmp(what, "mremap-grow"))
		return try_mremap(PAGE, 2 * PAGE);
	if (!strcmp(what, "mremap-alias"))
		return try_mremap(0, PAGE);
	return REL_UNKNOWN;
}

int rel_attempt(const char *what)
{
	int (*const groups[])(const char *) = {try_net, try_process, try_files, try_memory};
	int r = REL_UNKNOWN;

	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]) && r == REL_UNKNOWN; i++)
		r = groups[i](what);
	return r;
}

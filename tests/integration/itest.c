/*
 * itest.c - the shared harness of the integration programs (see itest.h).
 */
#include "itest.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static atomic_int passed, failed;

static void vline(const char *tag, const char *file, int line, const char *fmt, va_list ap)
{
	char msg[512], out[700];

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (file)
		snprintf(out, sizeof out, "%s %s  (%s:%d)\n", tag, msg, file, line);
	else
		snprintf(out, sizeof out, "%s %s\n", tag, msg);
	/* One write per line, so lines of concurrent threads never interleave. */
	fputs(out, stdout);
	fflush(stdout);
}

void itest_check(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add(ok ? &passed : &failed, 1);
	va_start(ap, fmt);
	vline(ok ? "ok  " : "FAIL", ok ? NULL : file, line, fmt, ap);
	va_end(ap);
}

void itest_check_err(xous_err_t got, xous_err_t want, const char *file, int line, const char *fmt,
                     ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (got == want)
		itest_check(1, file, line, "%s: %u %s", what, got, xous_strerror(got));
	else
		itest_check(0, file, line, "%s: got %u %s, want %u %s", what, got,
		            xous_strerror(got), want, xous_strerror(want));
}

void itest_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline("#   ", NULL, 0, fmt, ap);
	va_end(ap);
}

int itest_done(void)
{
	int p = atomic_load(&passed), f = atomic_load(&failed);

	printf("%d passed, %d failed\n", p, f);
	fflush(stdout);
	return f == 0 && p > 0 ? 0 : 1;
}

_Noreturn void itest_abort(void)
{
	printf("stopping: a required check failed\n");
	itest_done();
	exit(1);
}

/* environ without XOUS_FD (the child attaches by hand through $XOUS_HOSTD),
 * plus `extra` if not NULL. */
static char **child_env(const char *extra)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof *env);
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "XOUS_FD=", 8) != 0)
			env[k++] = environ[i];
	if (extra)
		env[k++] = (char *)extra;
	return env;
}

pid_t itest_spawn(const char *role, const char *arg1, const char *arg2)
{
	return itest_spawn_env(NULL, role, arg1, arg2);
}

pid_t itest_spawn_env(const char *extra_env, const char *role, const char *arg1, const char *arg2)
{
	char *argv[5] = {"itest-child", (char *)role, (char *)arg1, (char *)arg2, NULL};
	struct rlimit nocore = {0, 0};
	char **env = child_env(extra_env);
	pid_t pid;

	if (!env)
		return -1;
	pid = fork();
	if (pid == 0) {
		/* Only async-signal-safe calls between fork and exec. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		setrlimit(RLIMIT_CORE, &nocore); /* some cases die by a fault on purpose */
		close_range(3, ~0u, 0);
		execve("/proc/self/exe", argv, env);
		_exit(127);
	}
	free(env);
	return pid;
}

const char *itest_role(int argc, char **argv)
{
	return argc >= 2 ? argv[1] : NULL;
}

int itest_wait(pid_t pid)
{
	int status = -1;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

const char *itest_status_str(int status)
{
	static __thread char buf[32];

	if (WIFEXITED(status))
		snprintf(buf, sizeof buf, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof buf, "signal %d", WTERMSIG(status));
	else
		snprintf(buf, sizeof buf, "status %#x", status);
	return buf;
}

void itest_sid_str(const xous_sid_t *sid, char out[33])
{
	for (int i = 0; i < 4; i++)
		snprintf(out + 8 * i, 9, "%08x", sid->w[i]);
}

int itest_sid_parse(const char *s, xous_sid_t *sid)
{
	char word[9];

	if (!s || strlen(s) != 32)
		return -1;
	for (int i = 0; i < 4; i++) {
		memcpy(word, s + 8 * i, 8);
		word[8] = 0;
		sid->w[i] = (uint32_t)strtoul(word, NULL, 16);
	}
	return 0;
}

xous_sid_t itest_random_sid(void)
{
	xous_sid_t sid;

	if (getrandom(&sid, sizeof sid, 0) != sizeof sid)
		abort();
	return sid;
}

/*
 * Put the default action back for the fault signals, so that a fault kills
 * the process with the signal even under a sanitizer runtime, whose own
 * handler would exit with a report instead. The raw syscall bypasses the
 * sanitizer's interception of sigaction().
 */
void itest_default_fault_signals(void)
{
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		uint64_t mask;
	} dfl = {SIG_DFL, 0, NULL, 0};

	syscall(SYS_rt_sigaction, SIGSEGV, &dfl, NULL, sizeof dfl.mask);
	syscall(SYS_rt_sigaction, SIGBUS, &dfl, NULL, sizeof dfl.mask);
}

int itest_faults(const void *addr, int write)
{
	struct rlimit nocore = {0, 0};
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		setrlimit(RLIMIT_CORE, &nocore);
		itest_default_fault_signals();
		/* Write back what is there: shared pages are shared with the copy. */
		if (write)
			*(volatile char *)addr = *(volatile const char *)addr;
		else
			(void)*(volatile const char *)addr;
		_exit(0);
	}
	status = itest_wait(pid);
	if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGBUS))
		return 1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	return -1;
}

static uint8_t pattern(size_t i, uint32_t seed)
{
	uint32_t x = (uint32_t)i * 2654435761u + seed;

	return (uint8_t)(x ^ (x >> 13) ^ (x >> 24));
}

void itest_fill(void *buf, size_t len, uint32_t seed)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < len; i++)
		p[i] = pattern(i, seed);
}

int itest_verify(const void *buf, size_t len, uint32_t seed)
{
	const uint8_t *p = buf;

	for (size_t i = 0; i < len; i++)
		if (p[i] != pattern(i, seed))
			return 0;
	return 1;
}

int itest_broker_fds(void)
{
	char path[64], comm[64] = "";
	struct dirent *de;
	FILE *f;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof path, "/proc/%d/comm", (int)getppid());
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(comm, sizeof comm, f))
		comm[0] = 0;
	fclose(f);
	if (strncmp(comm, "xous-hostd", 10) != 0)
		return -1;
	snprintf(path, sizeof path, "/proc/%d/fd", (int)getppid());
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

int itest_strict_lend(void)
{
	const char *s = getenv("ITEST_STRICT_LEND");

	return s && strcmp(s, "1") == 0;
}

int itest_backing(const void *addr, unsigned long long *inode, unsigned long long *offset)
{
	unsigned long long lo, hi, off, ino;
	unsigned dmaj, dmin;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	while (f && !found && fgets(line, sizeof line, f)) {
		if (sscanf(line, "%llx-%llx %*s %llx %x:%x %llu", &lo, &hi, &off, &dmaj, &dmin,
		           &ino) != 6)
			continue;
		if ((uintptr_t)addr >= lo && (uintptr_t)addr < hi) {
			*inode = ino;
			*offset = off + ((uintptr_t)addr - lo);
			found = ino != 0;
		}
	}
	if (f)
		fclose(f);
	return found;
}

int itest_gone(const void *addr, unsigned long long inode)
{
	unsigned long long ino = 0, off;

	if (itest_faults(addr, 0) == 1)
		return 1;
	/* Mapped again since, by someone else (a thread stack, a sanitizer)? */
	return !itest_backing(addr, &ino, &off) || ino != inode;
}

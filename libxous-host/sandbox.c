/*
 * sandbox.c - the seccomp allow-list a fleet server runs under (CONTRACT
 * section 4.13), installed before main() when $XOUS_SANDBOX names a policy:
 *
 *   default  talk to the broker over the sockets it already has (and make
 *            socketpairs for its threads' connections), manage its own
 *            memory (memfds included) and threads, read clocks and sleep,
 *            write to the stdout and stderr it inherited; nothing else.
 *   host     default plus file I/O, for servers that need the host.
 *   none     no filter.
 *
 * Anything outside the list kills the whole process (SCMP_ACT_KILL_PROCESS)
 * so the broker sees a SIGSYS death. Two calls answer an error instead of
 * killing, because libc makes them on its own: clone3 (ENOSYS makes glibc
 * fall back to clone, whose flags can be checked) and the fstat family
 * (stdio asks about stdout before its first write and copes with EPERM).
 *
 * Under AddressSanitizer the runtime needs a few more calls (listed below);
 * LeakSanitizer's exit-time check needs clone() and ptrace and cannot run
 * sandboxed, so a sandboxed process turns it off (__lsan_is_turned_off).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xous-host-internal.h"

/* Allowed with any arguments, in every policy. */
static const int g_base[] = {
        /* the broker: the connections it already gave us */
        SCMP_SYS(sendmsg),
        SCMP_SYS(recvmsg),
        SCMP_SYS(close),
        /* memory */
        SCMP_SYS(mmap),
        SCMP_SYS(munmap),
        SCMP_SYS(mprotect),
        SCMP_SYS(madvise),
        SCMP_SYS(brk),
        SCMP_SYS(mremap),
        SCMP_SYS(memfd_create),
        SCMP_SYS(ftruncate),
        /* threads */
        SCMP_SYS(futex),
        SCMP_SYS(set_robust_list),
        SCMP_SYS(get_robust_list),
        SCMP_SYS(rseq),
        SCMP_SYS(exit),
        SCMP_SYS(exit_group),
        SCMP_SYS(sched_yield),
        SCMP_SYS(sched_getaffinity),
        SCMP_SYS(set_tid_address),
        SCMP_SYS(restart_syscall),
        /* clocks */
        SCMP_SYS(clock_gettime),
        SCMP_SYS(clock_getres),
        SCMP_SYS(clock_nanosleep),
        SCMP_SYS(nanosleep),
        SCMP_SYS(gettimeofday),
        SCMP_SYS(time),
        /* self */
        SCMP_SYS(getpid),
        SCMP_SYS(gettid),
        SCMP_SYS(rt_sigprocmask),
        SCMP_SYS(rt_sigreturn),
        SCMP_SYS(rt_sigaction), /* glibc's first pthread_create installs SIGRT_1 */
        SCMP_SYS(sigaltstack),
        SCMP_SYS(getrandom),
};

/* Added by "host": file I/O on the host's file system. */
static const int g_host[] = {
        SCMP_SYS(openat),     SCMP_SYS(open),       SCMP_SYS(creat),      SCMP_SYS(read),
        SCMP_SYS(readv),      SCMP_SYS(write),      SCMP_SYS(writev),     SCMP_SYS(pread64),
        SCMP_SYS(pwrite64),   SCMP_SYS(lseek),      SCMP_SYS(fstat),      SCMP_SYS(newfstatat),
        SCMP_SYS(statx),      SCMP_SYS(stat),       SCMP_SYS(lstat),      SCMP_SYS(access),
        SCMP_SYS(faccessat),  SCMP_SYS(faccessat2), SCMP_SYS(getdents64), SCMP_SYS(readlink),
        SCMP_SYS(readlinkat), SCMP_SYS(mkdir),      SCMP_SYS(mkdirat),    SCMP_SYS(unlink),
        SCMP_SYS(unlinkat),   SCMP_SYS(rename),     SCMP_SYS(renameat),   SCMP_SYS(renameat2),
        SCMP_SYS(fsync),      SCMP_SYS(fdatasync),  SCMP_SYS(dup),        SCMP_SYS(dup2),
        SCMP_SYS(dup3),       SCMP_SYS(fcntl),      SCMP_SYS(flock),      SCMP_SYS(getcwd),
        SCMP_SYS(poll),       SCMP_SYS(ppoll),      SCMP_SYS(fallocate),  SCMP_SYS(truncate),
};

#ifdef __SANITIZE_ADDRESS__
/* What the ASan/UBSan runtime calls after start-up in a sandboxed process
 * (opening files stays forbidden: a report is written to stderr unsymbolized). */
static const int g_asan[] = {
        SCMP_SYS(prctl),   SCMP_SYS(getrlimit),      SCMP_SYS(prlimit64),
        SCMP_SYS(getppid), SCMP_SYS(sched_getparam),
};

static int g_sandboxed;

/* LeakSanitizer's exit-time check stops the world with clone() and ptrace,
 * which no policy allows; it asks this hook first (exported, see
 * xous-host.map), so a sandboxed process simply skips it. */
__attribute__((visibility("default"))) int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
	return g_sandboxed;
}
#endif

static int allow_all(scmp_filter_ctx ctx, const int *nrs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nrs[i], 0);
		/* -EDOM/-EFAULT: the call does not exist on this architecture. */
		if (rc < 0 && rc != -EDOM && rc != -EFAULT && rc != -EEXIST)
			return rc;
	}
	return 0;
}

/* Rules with argument checks, for the default policy only ("host" allows
 * these calls whole). */
static int default_narrow(scmp_filter_ctx ctx)
{
	static const int out_calls[] = {SCMP_SYS(write), SCMP_SYS(writev)};
	static const int fcntl_cmds[] = {F_ADD_SEALS, F_GET_SEALS,     F_GETFD,
	                                 F_SETFD,     F_DUPFD_CLOEXEC, F_GETFL};
	int rc = 0;

	for (size_t i = 0; i < 2 && rc == 0; i++)
		for (int fd = 1; fd <= 2 && rc == 0; fd++)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, out_calls[i], 1,
			                      SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd));
	for (size_t i = 0; i < sizeof fcntl_cmds / sizeof fcntl_cmds[0] && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1,
		                      SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)fcntl_cmds[i]));
	/* The library copies lent buffers through its own memfds (fd >= 3). */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(pwrite64), 1,
		                      SCMP_A0(SCMP_CMP_GE, 3));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(pread64), 1,
		                      SCMP_A0(SCMP_CMP_GE, 3));
	for (int i = 0; i < 2 && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
		                      i ? SCMP_SYS(statx) : SCMP_SYS(newfstatat), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(fstat), 0);
	return rc;
}

/* Rules every policy shares: threads only (no new processes), socketpairs
 * only of AF_UNIX, and send/recv (the library's fd-less frames) only without
 * an address, so only on sockets that are connected already. */
static int common_narrow(scmp_filter_ctx ctx)
{
	int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	                          SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));

	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sendto), 1,
		                      SCMP_A4(SCMP_CMP_EQ, 0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(recvfrom), 1,
		                      SCMP_A4(SCMP_CMP_EQ, 0));

	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socketpair), 1,
		                      SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
	return rc;
}

static int build(scmp_filter_ctx ctx, bool host)
{
	int rc = allow_all(ctx, g_base, sizeof g_base / sizeof g_base[0]);

	if (rc == 0)
		rc = common_narrow(ctx);
	if (rc == 0 && host)
		rc = allow_all(ctx, g_host, sizeof g_host / sizeof g_host[0]);
	if (rc == 0 && host)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
		                      SCMP_A1(SCMP_CMP_EQ, TCGETS));
#ifdef __SANITIZE_ADDRESS__
	if (rc == 0 && !host)
		rc = allow_all(ctx, g_asan, sizeof g_asan / sizeof g_asan[0]);
#endif
	if (rc == 0 && !host)
		rc = default_narrow(ctx);
	return rc;
}

/* The filter of a named policy, built but not loaded; NULL with *err set
 * (and NULL with XOUS_OK for "none", which has no filter). */
static scmp_filter_ctx policy_filter(const char *policy, xous_err_t *err)
{
	bool host;

	*err = XOUS_OK;
	if (policy == NULL || (strcmp(policy, "default") != 0 && strcmp(policy, "host") != 0 &&
	                       strcmp(policy, "none") != 0)) {
		*err = XOUS_ERR_INVALID_ARGUMENT;
		return NULL;
	}
	if (strcmp(policy, "none") == 0)
		return NULL;
	host = strcmp(policy, "host") == 0;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (ctx == NULL || build(ctx, host) != 0) {
		seccomp_release(ctx);
		*err = XOUS_ERR_INTERNAL_ERROR;
		return NULL;
	}
	return ctx;
}

xous_err_t xh_sandbox_install(const char *policy)
{
	xous_err_t err;
	scmp_filter_ctx ctx = policy_filter(policy, &err);

	if (ctx == NULL)
		return err;
	int rc = seccomp_load(ctx);
	seccomp_release(ctx);
#ifdef __SANITIZE_ADDRESS__
	g_sandboxed = rc == 0;
#endif
	return rc == 0 ? XOUS_OK : XOUS_ERR_INTERNAL_ERROR;
}

/* The policy's filter as libseccomp's PFC text, for the golden-file test. */
xous_err_t xh_sandbox_export_pfc(const char *policy, int fd)
{
	xous_err_t err;
	scmp_filter_ctx ctx = policy_filter(policy, &err);

	if (ctx == NULL)
		return err == XOUS_OK ? XOUS_ERR_INVALID_ARGUMENT : err; /* "none" has no filter */
	int rc = seccomp_export_pfc(ctx, fd);
	seccomp_release(ctx);
	return rc == 0 ? XOUS_OK : XOUS_ERR_INTERNAL_ERROR;
}

/* After conn.c's constructor (101): a process that attaches by hand does
 * so now, while connect() is still allowed. A policy that cannot be
 * installed stops the process: it must never run unconfined by mistake. */
__attribute__((constructor(102))) static void sandbox_init(void)
{
	const char *policy = xh_getenv(XH_ENV_SANDBOX);

	if (policy == NULL)
		return;
	if (strcmp(policy, "none") != 0)
		xh_conn_ensure_process();
	xous_err_t err = xh_sandbox_install(policy);
	if (err == XOUS_ERR_INVALID_ARGUMENT) {
		fprintf(stderr,
		        "libxous-host: unknown sandbox policy \"%s\" in %s "
		        "(known: default, host, none)\n",
		        policy, XH_ENV_SANDBOX);
		_exit(126);
	}
	if (err != XOUS_OK) {
		fprintf(stderr, "libxous-host: cannot install sandbox policy \"%s\"\n", policy);
		_exit(126);
	}
}

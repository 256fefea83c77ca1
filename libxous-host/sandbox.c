/*
 * sandbox.c - the narrowing of the sandbox (CONTRACT section 4.13): before
 * main(), when $XOUS_SANDBOX names a policy, the policy's narrow filter
 * (policy.c) is stacked on the baseline the broker installed before exec,
 * widened by the system calls $XOUS_SANDBOX_ALLOW names (the fleet file's
 * allow=). A process started by hand with $XOUS_SANDBOX has no baseline
 * and gets the narrow filter alone.
 *
 * A call the narrow filter denies traps (SECCOMP_RET_TRAP): the SIGSYS
 * handler installed here says on stderr which call it was and the fleet
 * option that would allow it; then, with SIGSYS at its default, it sends
 * itself SIGSYS (a filter that denies kill forces it instead), so the
 * process dies by SIGSYS as the baseline's kill would have killed it, and
 * the broker reports that death. The names are looked up when the sandbox
 * is installed: the handler itself only writes (the report, and the exception for the
 * pager: pager.c).
 *
 * Under AddressSanitizer, LeakSanitizer's exit-time check needs clone() and
 * ptrace and cannot run sandboxed, so a sandboxed process turns it off
 * (__lsan_is_turned_off).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "policy.h"
#include "xous-host-internal.h"

#ifdef __SANITIZE_ADDRESS__
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

#define SANDBOX_NAMED 512 /* system call numbers named in the report */

static char g_names[SANDBOX_NAMED][24];
static char g_policy[32];

/* Write s to stderr, as a signal handler may. */
static void say(const char *s)
{
	ssize_t n = write(STDERR_FILENO, s, strlen(s));

	(void)n;
}

static void sandbox_sigsys(int sig, siginfo_t *si, void *uc)
{
	int nr = si->si_syscall;
	char num[16], *p = num + sizeof num;
	const char *name = nr >= 0 && nr < SANDBOX_NAMED && g_names[nr][0] ? g_names[nr] : NULL;
	unsigned v = (unsigned)nr;

	(void)uc;
	*--p = 0;
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0 && p > num);
	say("libxous-host: ");
	say(program_invocation_short_name);
	say(": the sandbox (");
	say(g_policy);
	say(") denied system call ");
	say(name ? name : p);
	say(" (");
	say(p);
	say("); allow=");
	say(name ? name : p);
	say(" on the server's fleet line would permit it\n");
	sigset_t sys;

	xh_pager_exception(XOUS_EXC_SANDBOX, (uint64_t)(unsigned)nr,
	                   (uint64_t)(uintptr_t)si->si_call_addr);
	signal(sig, SIG_DFL);
	sigemptyset(&sys);
	sigaddset(&sys, SIGSYS);
	/* SIGSYS again, now deadly: sent (if kill is allowed, it waits for the
	 * unblocking) or forced by the filter (if kill is denied) */
	syscall(SYS_kill, getpid(), SIGSYS);
	sigprocmask(SIG_UNBLOCK, &sys, NULL);
	_exit(128 + SIGSYS);
}

/* The names of the calls, and the handler, before the filter that traps. */
static void sandbox_trap_init(const char *policy)
{
	struct sigaction sa = {.sa_sigaction = sandbox_sigsys, .sa_flags = SA_SIGINFO};

	snprintf(g_policy, sizeof g_policy, "%s", policy);
	for (int nr = 0; nr < SANDBOX_NAMED; nr++) {
		char *n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

		if (n)
			snprintf(g_names[nr], sizeof g_names[nr], "%s", n);
		free(n);
	}
	sigaction(SIGSYS, &sa, NULL);
}

xous_err_t xh_sandbox_install(const char *policy, const char *allow)
{
	struct xh_allow extra = {.n = 0};
	char bad[128];
	int p = xh_policy_find(policy);

	if (p < 0 || (allow && xh_policy_allow_parse(allow, &extra, bad, sizeof bad) < 0))
		return XOUS_ERR_INVALID_ARGUMENT;
	if (p == XH_POLICY_NONE)
		return XOUS_OK;
	sandbox_trap_init(policy);
	scmp_filter_ctx ctx = xh_policy_filter(p, XH_STAGE_NARROW, &extra);
	if (ctx == NULL)
		return XOUS_ERR_INTERNAL_ERROR;
	int rc = xh_policy_load(ctx, &extra);
	seccomp_release(ctx);
#ifdef __SANITIZE_ADDRESS__
	g_sandboxed = rc == 0;
#endif
	return rc == 0 ? XOUS_OK : XOUS_ERR_INTERNAL_ERROR;
}

/* After conn.c's constructor (101): a process that attaches by hand does
 * so now, while connect() is still allowed. A policy that cannot be
 * installed stops the process: it must never run unconfined by mistake. */
__attribute__((constructor(102))) static void sandbox_init(void)
{
	const char *policy = xh_getenv(XH_ENV_SANDBOX);
	const char *allow = xh_getenv(XH_ENV_SANDBOX_ALLOW);

	if (policy == NULL)
		return;
	if (strcmp(policy, "none") != 0)
		xh_conn_ensure_process();
	xous_err_t err = xh_sandbox_install(policy, allow);
	if (err == XOUS_ERR_INVALID_ARGUMENT) {
		fprintf(stderr,
		        "libxous-host: bad sandbox \"%s\" in %s or \"%s\" in %s "
		        "(policies: default, host, none; allow: system call names)\n",
		        policy, XH_ENV_SANDBOX, allow ? allow : "", XH_ENV_SANDBOX_ALLOW);
		_exit(126);
	}
	if (err != XOUS_OK) {
		fprintf(stderr, "libxous-host: cannot install sandbox policy \"%s\"\n", policy);
		_exit(126);
	}
}

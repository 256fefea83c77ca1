/*
 * sandbox.c - the narrowing of the sandbox (CONTRACT section 4.13): before
 * main(), when $XOUS_SANDBOX names a policy, the policy's narrow filter
 * (policy.c) is stacked on the baseline the broker installed before exec,
 * widened by the system calls $XOUS_SANDBOX_ALLOW names (the fleet file's
 * allow=). A process started by hand with $XOUS_SANDBOX has no baseline
 * and gets the narrow filter alone.
 *
 * Under AddressSanitizer, LeakSanitizer's exit-time check needs clone() and
 * ptrace and cannot run sandboxed, so a sandboxed process turns it off
 * (__lsan_is_turned_off).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

xous_err_t xh_sandbox_install(const char *policy, const char *allow)
{
	struct xh_allow extra = {.n = 0};
	char bad[128];
	int p = xh_policy_find(policy);

	if (p < 0 || (allow && xh_policy_allow_parse(allow, &extra, bad, sizeof bad) < 0))
		return XOUS_ERR_INVALID_ARGUMENT;
	if (p == XH_POLICY_NONE)
		return XOUS_OK;
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

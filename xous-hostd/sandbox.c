/*
 * sandbox.c - a fleet server's baseline filter (CONTRACT section 4.13).
 *
 * The broker builds it before fork from the server's sandbox= and allow=
 * (the policies are libxous-host's policy.c), and the child installs it
 * between fork and exec, so the program runs confined whether or not it
 * links libxous-host; the library narrows it before main(). A call outside
 * it kills the process by SIGSYS, which the reaper reports. A server whose
 * filter cannot be built or installed is not started: nothing runs
 * unconfined by mistake.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostd.h"
#include "policy.h"

struct hostd_sandbox {
	scmp_filter_ctx ctx;
	struct xh_allow allow;
};

/* 0 with *out the filter to install (NULL for sandbox=none), -1 if it
 * cannot be built. The fleet file's words were checked when it was read. */
int hostd_sandbox_new(const char *policy, const char *allow, struct hostd_sandbox **out)
{
	struct hostd_sandbox *sb;
	char err[128];
	int p = xh_policy_find(policy);

	*out = NULL;
	if (p == XH_POLICY_NONE)
		return 0;
	sb = calloc(1, sizeof(*sb));
	if (!sb || p < 0 ||
	    (allow[0] && xh_policy_allow_parse(allow, &sb->allow, err, sizeof(err)) < 0)) {
		free(sb);
		return -1;
	}
	sb->ctx = xh_policy_filter(p, XH_STAGE_BASELINE, &sb->allow);
	if (!sb->ctx) {
		free(sb);
		return -1;
	}
	*out = sb;
	return 0;
}

/* In the child, just before exec: 0 or a negative errno. */
int hostd_sandbox_enter(struct hostd_sandbox *sb)
{
#ifdef __SANITIZE_ADDRESS__
	/* LeakSanitizer's exit-time check needs clone() and ptrace, which no
	 * baseline allows; a sanitized program started here skips it. */
	const char *o = getenv("ASAN_OPTIONS");
	char opts[1024];

	snprintf(opts, sizeof(opts), "%s%sdetect_leaks=0", o ? o : "", o && *o ? ":" : "");
	setenv("ASAN_OPTIONS", opts, 1);
#endif
	return xh_policy_load(sb->ctx, &sb->allow);
}

void hostd_sandbox_free(struct hostd_sandbox *sb)
{
	if (sb)
		seccomp_release(sb->ctx);
	free(sb);
}

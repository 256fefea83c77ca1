/*
 * policy.h - the sandbox policies of CONTRACT section 4.13, built by the
 * broker (the baseline, installed between fork and exec) and by
 * libxous-host (the narrowed filter, installed before main()). One module,
 * so the narrowed filter is the baseline minus what only start-up needs.
 */
#ifndef XH_POLICY_H
#define XH_POLICY_H

#include <stddef.h>

#include <linux/filter.h>
#include <seccomp.h>

enum xh_policy { XH_POLICY_NONE, XH_POLICY_DEFAULT, XH_POLICY_HOST };

/* BASELINE: what the dynamic loader and libc's start-up need, plus the
 * runtime list; NARROW: the runtime list alone. */
enum xh_stage { XH_STAGE_BASELINE, XH_STAGE_NARROW };

#define XH_ALLOW_MAX 64 /* syscalls one server's allow= may name */

/* System calls a fleet file adds to a server's policy (allow=). */
struct xh_allow {
	int nr[XH_ALLOW_MAX];
	size_t n;
};

/* The policy NAME names ("default", "host", "none"), or -1. */
int xh_policy_find(const char *name);

/* Parse LIST, system call names separated by commas, into *out: 0, or -1
 * with the first word that names no system call of this machine (or says
 * why the list is bad) in bad. */
int xh_policy_allow_parse(const char *list, struct xh_allow *out, char *bad, size_t badlen);

/* The policy's filter at stage s, widened by allow (may be NULL); built,
 * not loaded. NULL for XH_POLICY_NONE or if libseccomp fails. */
scmp_filter_ctx xh_policy_filter(enum xh_policy p, enum xh_stage s, const struct xh_allow *allow);

/* Load the filter into the calling thread: the stacked mremap program
 * (below) first, unless allow names mremap, then ctx. 0 or a negative
 * errno. Sets no_new_privs; allocates (libseccomp builds the program). */
int xh_policy_load(scmp_filter_ctx ctx, const struct xh_allow *allow);

/* Write ctx as libseccomp's PFC text, then the stacked program, to fd (the
 * golden-file test). 0 or a negative errno. */
int xh_policy_export(scmp_filter_ctx ctx, const struct xh_allow *allow, int fd);

#endif

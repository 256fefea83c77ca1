/*
 * attempt.h - the calls a sandboxed process tries, by name, shared by the
 * library's narrow filter tests (sandbox.c, children that link
 * libxous-host) and the broker's baseline tests (plain.c, which does not).
 */
#ifndef REL_ATTEMPT_H
#define REL_ATTEMPT_H

#define REL_WENT_THROUGH 10 /* the call was allowed and worked */
#define REL_REFUSED      0  /* it answered EPERM */
#define REL_FAILED       3  /* it failed another way */
#define REL_UNKNOWN      2  /* no such attempt */

/* Try WHAT (see attempt.c); a denied call kills the process by SIGSYS
 * before this returns. */
int rel_attempt(const char *what);

#endif

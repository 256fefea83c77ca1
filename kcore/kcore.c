/*
 * kcore.c - the portable message-passing semantics (see kcore.h and
 * docs/abi.md, which decide every behaviour implemented here).
 *
 * Rule: kcore is one translation unit (a unity build). Every build that
 * compiles kcore (the broker's library, the unit tests, the fuzz target,
 * the RV32 kernel and its compile check) compiles this file and only this
 * file; the sections below are included here and never compiled alone.
 * So every helper stays static, and the compiler sees the whole hot path
 * (send, deliver, answer, wake across four files) and inlines it in every
 * build that optimises, whether or not its toolchain and flags do LTO
 * (the host builds, the sanitizer build and the fuzzers do not).
 */
#define KCORE_UNITY
#include "kcore-internal.h"

#include "core.c"
#include "messages.c"
#include "send.c"
#include "servers.c"
#include "tasks.c"
#include "pager.c"
#include "phys.c"
#include "notify.c"
#include "inspect.c"

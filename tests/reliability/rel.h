/*
 * rel.h - helpers the reliability programs share (on top of the
 * integration harness, tests/integration/itest.h).
 */
#ifndef REL_H
#define REL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "itest.h"

/* Open fds of a process and how many of them are memfds; -1 if unreadable. */
int rel_fds(pid_t pid, int *memfds);

/*
 * Wait until the broker's fds and memfds are back at (fds, memfds): the
 * broker handles a death or a thread's end on its own time, so a count may
 * lag the event a caller saw. Gives up after a generous bound (a hang
 * guard, not a timing check) and returns 0 then; 1 once they match.
 */
int rel_settle(pid_t pid, int fds, int memfds, int *got_fds, int *got_memfds);

/* Word pattern of a seed: fill, and the number of leading bytes that match. */
void rel_fill(void *buf, size_t len, uint32_t seed);
size_t rel_match(const void *buf, size_t len, uint32_t seed);
/* The same from byte from (a multiple of 8): the offset of the first mismatch, or len. */
size_t rel_match_at(const void *buf, size_t from, size_t len, uint32_t seed);

/* Monotonic milliseconds. */
double rel_now_ms(void);

/* A small deterministic random generator (the seed is printed, so a failing
 * run can be repeated with XOUS_REL_SEED). */
uint32_t rel_rand(void);
uint32_t rel_seed_init(void);

#endif

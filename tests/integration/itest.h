/*
 * itest.h - the small harness every integration program shares.
 *
 * Each program runs as one process under the broker (ctest starts
 * `xous-hostd --no-fleet -- PROGRAM`), prints one line per check and a final
 * "N passed, N failed" line, and exits 0 only if every check passed.
 *
 * Why not `check`: its fork mode runs each test in a forked copy of the
 * process, and a forked copy shares the parent's broker connection, so the
 * broker would see two Linux processes speaking as one Xous process. Cases
 * that need a second Xous process start one with itest_spawn(), which execs
 * this same program with a role name; the child attaches by hand through
 * $XOUS_HOSTD (docs/abi.md "Attaching by hand").
 */
#ifndef ITEST_H
#define ITEST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <xous.h>

void itest_check(int ok, const char *file, int line, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
void itest_check_err(xous_err_t got, xous_err_t want, const char *file, int line, const char *fmt,
                     ...) __attribute__((format(printf, 5, 6)));
/* Prints the summary line; returns the process exit status (0 = all passed). */
int itest_done(void);
/* A message that is not a check (what flows, a measurement). */
void itest_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define CHECK(cond, ...)          itest_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_ERR(got, want, ...) itest_check_err((got), (want), __FILE__, __LINE__, __VA_ARGS__)
/* A failed REQUIRE ends the program: what follows depends on it. */
#define REQUIRE(cond, ...)                                                                         \
	do {                                                                                       \
		int itest_ok_ = !!(cond);                                                          \
		itest_check(itest_ok_, __FILE__, __LINE__, __VA_ARGS__);                           \
		if (!itest_ok_)                                                                    \
			itest_abort();                                                             \
	} while (0)
_Noreturn void itest_abort(void);

/*
 * Second processes. itest_spawn() starts this program again as
 * `PROGRAM ROLE ARGS...` in a new Linux process that attaches to the broker by
 * hand; the child dies with its parent (PR_SET_PDEATHSIG), so call it from the
 * main thread. itest_role() returns the role in argv, or NULL for the parent.
 */
pid_t itest_spawn(const char *role, const char *arg1, const char *arg2);
/* The same with one more environment entry ("NAME=value") for the child. */
pid_t itest_spawn_env(const char *extra_env, const char *role, const char *arg1, const char *arg2);
const char *itest_role(int argc, char **argv);
/* waitpid() for a spawned child; returns the raw wait status. */
int itest_wait(pid_t pid);
/* "exit N" or "signal N" for a wait status, for messages. */
const char *itest_status_str(int status);

/* Server ids as 32 hex digits, to pass one on a command line. */
void itest_sid_str(const xous_sid_t *sid, char out[33]);
int itest_sid_parse(const char *s, xous_sid_t *sid);
/* A fresh random sid that no server has yet. */
xous_sid_t itest_random_sid(void);

/*
 * Touch addr in a forked copy of this process: 1 if the access faults
 * (SIGSEGV/SIGBUS), 0 if it does not, -1 if the probe itself failed. The copy
 * only touches memory and _exits, so the broker never hears from it. A write
 * probe stores the byte it read, so shared pages keep their contents.
 */
int itest_faults(const void *addr, int write);

/* Fault signals kill with the signal again, even under ASan (for children
 * that are meant to die by a fault). */
void itest_default_fault_signals(void);

/* A byte pattern that depends on the position and a seed. */
void itest_fill(void *buf, size_t len, uint32_t seed);
/* 1 if buf holds the pattern of itest_fill(seed). */
int itest_verify(const void *buf, size_t len, uint32_t seed);

/* The file (inode) and file offset that back addr, from /proc/self/maps;
 * 0 if addr is not mapped from a file. */
int itest_backing(const void *addr, unsigned long long *inode, unsigned long long *offset);
/* 1 if addr no longer maps the file `inode`: it faults, or the address was
 * reused since by an unrelated mapping. */
int itest_gone(const void *addr, unsigned long long inode);

/* Open fds of the broker (our parent), or -1 if the parent is not xous-hostd. */
int itest_broker_fds(void);

/* 1 if the broker runs with --strict-lend (ctest's *.strict variants set
 * ITEST_STRICT_LEND=1), else 0. */
int itest_strict_lend(void);

#endif /* ITEST_H */

/*
 * Helpers of the servers.fleet_* programs: each runs under
 * `xous-hostd -- PROGRAM` with the default fleet, prints "PASS <name>" and
 * exits 0, or names the first thing that went wrong and exits 1.
 */
#ifndef TESTS_SERVERS_FLEET_H
#define TESTS_SERVERS_FLEET_H

#include <stdio.h>
#include <stdlib.h>
#include <xous.h>

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                    \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fputc('\n', stderr);                                                               \
		exit(1);                                                                           \
	} while (0)

/* expr must give want (an xous_err_t). */
#define EXPECT_ERR(expr, want)                                                                     \
	do {                                                                                       \
		xous_err_t got_ = (expr);                                                          \
		if (got_ != (xous_err_t)(want))                                                    \
			FAIL("%s: got %s, want %s", #expr, xous_strerror(got_),                    \
			     xous_strerror(want));                                                 \
	} while (0)

#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond))                                                                       \
			FAIL("expected %s", #cond);                                                \
	} while (0)

#endif

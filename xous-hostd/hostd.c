/*
 * hostd.c - the broker's one state (struct hostd) and what every role
 * uses to report: warnings, fatal errors, the clock.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "hostd.h"

struct hostd hostd;

/* One line on stderr: the broker's prefix, what (a kind, or ""), the message. */
static void say(const char *what, const char *fmt, va_list ap)
{
	fprintf(stderr, "xous-hostd: %s", what);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
}

void hostd_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("", fmt, ap);
	va_end(ap);
}

/* An internal invariant is broken: stop the fleet and fail hard. */
void hostd_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("fatal: ", fmt, ap);
	va_end(ap);
	hostd_proc_signal_all(SIGKILL);
	hostd_attach_close();
	exit(1);
}

uint64_t hostd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

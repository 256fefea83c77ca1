/*
 * hostd.c - the broker's one state (struct hostd) and what every role
 * uses to report: warnings, fatal errors, the clock.
 *
 * A warning a process can cause (hostd_warn_limited) is printed at most
 * HOSTD_WARN_PER_SEC times a second per kind; the others in that second
 * are counted and summarized in one line when the second ends (or at
 * exit), so that no process can flood the broker's log.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <event2/event.h>

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

static const char *const warn_kind_name[HOSTD_WARN_KINDS] = {
        [HOSTD_WARN_THREAD] = "thread connection refused",
        [HOSTD_WARN_ATTACH] = "attach refused",
        [HOSTD_WARN_CONN] = "connection not set up",
        [HOSTD_WARN_LIBEVENT] = "libevent",
};

static struct {
	uint64_t since_ms; /* the second being counted began */
	unsigned said, quiet;
	struct event *flush;
} warn_limit[HOSTD_WARN_KINDS];

static void warn_summary(enum hostd_warn_kind kind)
{
	if (warn_limit[kind].quiet)
		fprintf(stderr, "xous-hostd: %u more warnings (%s) in one second\n",
		        warn_limit[kind].quiet, warn_kind_name[kind]);
	warn_limit[kind].quiet = 0;
	warn_limit[kind].said = 0;
}

static void warn_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	warn_summary((enum hostd_warn_kind)(intptr_t)arg);
}

void hostd_warn_limited(enum hostd_warn_kind kind, const char *fmt, ...)
{
	uint64_t now = hostd_now_ms();
	va_list ap;

	if (now - warn_limit[kind].since_ms >= 1000) {
		if (warn_limit[kind].flush)
			evtimer_del(warn_limit[kind].flush);
		warn_summary(kind);
		warn_limit[kind].since_ms = now;
	}
	if (warn_limit[kind].said < HOSTD_WARN_PER_SEC) {
		warn_limit[kind].said++;
		va_start(ap, fmt);
		say("", fmt, ap);
		va_end(ap);
		return;
	}
	if (warn_limit[kind].quiet++ == 0 && hostd.base) {
		struct timeval tv = {0, (suseconds_t)(1000 - (now - warn_limit[kind].since_ms)) *
		                                1000};

		if (!warn_limit[kind].flush)
			warn_limit[kind].flush =
			        evtimer_new(hostd.base, warn_flush_cb, (void *)(intptr_t)kind);
		if (warn_limit[kind].flush)
			evtimer_add(warn_limit[kind].flush, &tv);
	}
}

static void warn_libevent(int severity, const char *msg)
{
	if (severity >= EVENT_LOG_WARN)
		hostd_warn_limited(HOSTD_WARN_LIBEVENT, "libevent: %s", msg);
}

void hostd_warn_init(void)
{
	event_set_log_callback(warn_libevent);
}

/* Print what is still counted and free the timers (at exit). */
void hostd_warn_flush(void)
{
	for (int k = 0; k < HOSTD_WARN_KINDS; k++) {
		warn_summary((enum hostd_warn_kind)k);
		if (warn_limit[k].flush)
			event_free(warn_limit[k].flush);
		warn_limit[k].flush = NULL;
	}
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

uint64_t hostd_coarse_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t hostd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * waits.c - threads that wait too long, and cycles of waits (deadlocks).
 *
 * Rules: a thread that blocks is stamped (hostd_waits_blocked, from
 * conn.c); one timer of the event loop is armed when a thread starts a
 * wait (for an answer, queue room, a server id to exist, or a join; a
 * server waiting for messages is not waiting) and no timer is pending. When
 * it fires it looks at the waits then open: one waiting WAITS_DEADLOCK_MS
 * gets a deadlock check, one waiting hostd.wait_warn_ms is reported once;
 * the timer is re-armed for the next such moment, or not at all when
 * nothing waits. So an idle fleet costs nothing and a busy one one look
 * every WAITS_DEADLOCK_MS at most.
 *
 * A deadlock: a set of processes none of whose threads runs or receives,
 * each thread of which waits for an answer from, or room in, a server of
 * a process in the set (or joins a thread of its own): no process outside
 * the set can end any of these waits, and nothing inside can run. The
 * broker reports it once (as kernel-riscv reports a system where no
 * thread can run) and keeps serving the others.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "hostd.h"

#define WAITS_DEADLOCK_MS 1000

static struct event *waits_timer;
static bool waits_armed;
static uint64_t waits_due; /* when the armed timer fires (hostd_coarse_ms) */

static bool is_wait(enum kc_wait w)
{
	return w == KC_WAIT_REPLY || w == KC_WAIT_SEND || w == KC_WAIT_CONNECT || w == KC_WAIT_JOIN;
}

static void waits_fire(evutil_socket_t fd, short what, void *arg);

static void waits_arm(uint64_t now, uint64_t ms)
{
	struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};

	if (!waits_timer)
		waits_timer = evtimer_new(hostd.base, waits_fire, NULL);
	if (waits_timer && evtimer_add(waits_timer, &tv) == 0) {
		waits_armed = true;
		waits_due = now + ms;
	}
}

/* The first moment a new wait needs a look. */
static uint64_t waits_first(void)
{
	return hostd.wait_warn_ms && hostd.wait_warn_ms < WAITS_DEADLOCK_MS ? hostd.wait_warn_ms
	                                                                    : WAITS_DEADLOCK_MS;
}

void hostd_waits_blocked(struct hostd_conn *c)
{
	uint64_t now = hostd_coarse_ms();

	c->wait_ms = now;
	c->wait_warned = false;
	c->wait_checked = false;
	c->wait_deadlock = false;
	if ((!waits_armed || waits_due > now + waits_first()) &&
	    is_wait(kc_thread_wait(hostd.kc, c->t)))
		waits_arm(now, waits_first());
}

static void waits_warn(const struct hostd_conn *c, uint64_t age)
{
	struct kc_thread_info ti;
	char target[HOSTD_LABEL_MAX + 40];

	if (!kc_thread_info(hostd.kc, c->t, &ti))
		return;
	hostd_wait_target(&ti, target, sizeof(target));
	hostd_warn("%s(%u): thread %u has waited %llu ms %s %s%s%s (opcode %llu); "
	           "xousctl threads %u shows it",
	           c->proc->name, ti.pid, ti.tid, (unsigned long long)age,
	           ti.wait == KC_WAIT_REPLY     ? "for an answer from"
	           : ti.wait == KC_WAIT_SEND    ? "for queue room in"
	           : ti.wait == KC_WAIT_CONNECT ? "for a server to exist:"
	                                        : "to join",
	           target, ti.owner && ti.wait != KC_WAIT_JOIN ? " of " : "",
	           ti.owner && ti.wait != KC_WAIT_JOIN ? hostd_proc_name(ti.owner) : "",
	           (unsigned long long)ti.id, ti.pid);
}

/* ---- deadlocks ---- */

/* in[pid]: in the candidate set (every thread waits on the set). */
static bool waits_proc_stuck(const struct hostd_proc *p, const bool *in)
{
	const struct hostd_conn *c;
	struct kc_thread_info ti;
	bool any = false;

	LIST_FOREACH(c, &p->conns, link)
	{
		if (!kc_thread_info(hostd.kc, c->t, &ti))
			continue;
		any = true;
		if (ti.wait == KC_WAIT_JOIN)
			continue;
		if (ti.wait != KC_WAIT_REPLY && ti.wait != KC_WAIT_SEND)
			return false;
		if (ti.server == KC_NIL || ti.owner < 2 || ti.owner > KC_MAX_PROCS || !in[ti.owner])
			return false;
	}
	return any;
}

static void waits_report(const bool *in)
{
	char line[1024];
	size_t n = 0;

	for (uint32_t pid = 2; pid <= KC_MAX_PROCS; pid++) {
		const struct hostd_conn *c;
		struct kc_thread_info ti;

		if (!in[pid])
			continue;
		LIST_FOREACH(c, &hostd.procs[pid].conns, link)
		{
			char target[HOSTD_LABEL_MAX + 40];

			if (!kc_thread_info(hostd.kc, c->t, &ti) || n >= sizeof(line) - 1)
				continue;
			hostd_wait_target(&ti, target, sizeof(target));
			n += (size_t)snprintf(
			        line + n, sizeof(line) - n, "%s%s(%u) thread %u -> %s%s%s",
			        n ? "; " : "", hostd.procs[pid].name, pid, ti.tid, target,
			        ti.owner ? " of " : "", ti.owner ? hostd_proc_name(ti.owner) : "");
			if (n >= sizeof(line))
				n = sizeof(line) - 1;
		}
	}
	hostd_warn("deadlock: these waits can never end: %s", line);
}

/* Shrink "every process with a thread that waits" to the processes that
 * wait only on each other; report what is left, if it is new. */
static void waits_deadlock(void)
{
	bool *in = calloc(KC_MAX_PROCS + 1, sizeof(bool));
	bool changed = true, any = false, fresh = false;

	if (!in)
		return;
	for (uint32_t pid = 2; pid <= KC_MAX_PROCS; pid++)
		in[pid] = hostd.procs[pid].alive;
	while (changed) {
		changed = false;
		for (uint32_t pid = 2; pid <= KC_MAX_PROCS; pid++)
			if (in[pid] && !waits_proc_stuck(&hostd.procs[pid], in)) {
				in[pid] = false;
				changed = true;
			}
	}
	for (uint32_t pid = 2; pid <= KC_MAX_PROCS; pid++) {
		struct hostd_conn *c;

		if (!in[pid])
			continue;
		any = true;
		LIST_FOREACH(c, &hostd.procs[pid].conns, link)
		{
			fresh = fresh || !c->wait_deadlock;
			c->wait_deadlock = true;
			c->wait_warned = true; /* reported here, not again as a long wait */
		}
	}
	if (any && fresh)
		waits_report(in);
	free(in);
}

static void waits_fire(evutil_socket_t fd, short what, void *arg)
{
	uint64_t now = hostd_coarse_ms(), next = UINT64_MAX;
	bool check = false;

	(void)fd;
	(void)what;
	(void)arg;
	waits_armed = false;
	for (kc_thread t = 0; t < KC_MAX_THREADS; t++) {
		struct hostd_conn *c = hostd.by_thread[t];
		uint64_t age;

		if (!c || !is_wait(kc_thread_wait(hostd.kc, t)))
			continue;
		age = now - c->wait_ms;
		if (!c->wait_checked && age >= WAITS_DEADLOCK_MS) {
			c->wait_checked = true;
			check = true;
		} else if (!c->wait_checked && c->wait_ms + WAITS_DEADLOCK_MS < next) {
			next = c->wait_ms + WAITS_DEADLOCK_MS;
		}
		if (!hostd.wait_warn_ms || c->wait_warned)
			continue;
		if (age >= hostd.wait_warn_ms) {
			c->wait_warned = true;
			waits_warn(c, age);
		} else if (c->wait_ms + hostd.wait_warn_ms < next) {
			next = c->wait_ms + hostd.wait_warn_ms;
		}
	}
	if (check)
		waits_deadlock();
	if (next != UINT64_MAX)
		waits_arm(now, next > now ? next - now : 1);
}

void hostd_waits_close(void)
{
	if (waits_timer)
		event_free(waits_timer);
	waits_timer = NULL;
	waits_armed = false;
}

/*
 * monitor.c - the live stream of messages (xousctl monitor and trace).
 *
 * Rule: the message path calls in here only while hostd.watch is set (a
 * monitor listens), behind that one branch; with no monitor nothing here
 * runs and nothing is kept. Events: a SEND when a thread sends, a RECEIVE
 * when a server thread takes the message, an ANSWER (or FAIL) when the
 * caller gets its result; the three of one call share a flow number. Each
 * event is one Reply packet to every monitor whose filters it passes; a
 * monitor that cannot take it now misses it, and hears how many it missed
 * (DROPPED) with the next one that goes.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "control.pb-c.h"
#include "hostd.h"

/* What a thread's last syscall was, while monitors listen. */
struct mon_thread {
	uint64_t flow, t0_us;
	uint32_t server; /* SEND: the server; RECEIVE: the server received on (KC_NIL: none) */
	uint32_t kind, id;
	bool sent;   /* its last syscall was a send whose result it waits for */
	bool blocks; /* that send waits for an answer, not just for queue room */
};

static struct hostd_ctl_conns mon_watchers = LIST_HEAD_INITIALIZER(mon_watchers);
static struct mon_thread *mon_threads; /* KC_MAX_THREADS, while hostd.watch */
static uint64_t mon_flows;
static kc_thread mon_current = KC_NO_THREAD; /* whose syscall the broker handles */

static uint64_t mon_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

void hostd_monitor_watch(struct hostd_ctl *k, const ControlPb__Request *q)
{
	ControlPb__Reply r = CONTROL_PB__REPLY__INIT;

	if (!mon_threads && !(mon_threads = calloc(KC_MAX_THREADS, sizeof(*mon_threads)))) {
		r.error = XOUS_ERR_OUT_OF_MEMORY;
		hostd_control_send(k, &r);
		return;
	}
	if (!k->watching)
		LIST_INSERT_HEAD(&mon_watchers, k, watch_link);
	k->watching = true;
	k->pid = q->pid;
	k->kind = q->kind;
	snprintf(k->server, sizeof(k->server), "%.*s", (int)q->server.len,
	         q->server.data ? (const char *)q->server.data : "");
	hostd.watch = true;
	hostd_control_send(k, &r); /* started */
}

void hostd_monitor_unwatch(struct hostd_ctl *k)
{
	if (!k->watching)
		return;
	LIST_REMOVE(k, watch_link);
	k->watching = false;
	if (!LIST_EMPTY(&mon_watchers))
		return;
	hostd.watch = false;
	free(mon_threads);
	mon_threads = NULL;
}

static bool mon_wanted(const struct hostd_ctl *k, const ControlPb__Event *e)
{
	if (k->pid && k->pid != e->from_pid && k->pid != e->to_pid)
		return false;
	if (k->kind && k->kind != e->kind)
		return false;
	return !k->server[0] || !strcmp(k->server, e->server);
}

static void mon_emit(ControlPb__Event *e)
{
	ControlPb__Reply r = CONTROL_PB__REPLY__INIT;
	ControlPb__Event lost = CONTROL_PB__EVENT__INIT;
	ControlPb__Event *ev[2];
	struct hostd_ctl *k, *next;

	e->time_us = mon_now_us();
	e->from_name = (char *)hostd_proc_name(e->from_pid);
	e->to_name = (char *)hostd_proc_name(e->to_pid);
	r.events = ev;
	for (k = LIST_FIRST(&mon_watchers); k; k = next) {
		next = LIST_NEXT(k, watch_link);
		if (!mon_wanted(k, e))
			continue;
		r.n_events = 0;
		if (k->dropped) {
			lost.type = CONTROL_PB__EVENT_TYPE__DROPPED;
			lost.time_us = e->time_us;
			lost.count = k->dropped;
			ev[r.n_events++] = &lost;
		}
		ev[r.n_events++] = e;
		if (hostd_control_send(k, &r) == 0)
			k->dropped = 0;
		else
			k->dropped++;
	}
}

/* The server behind slot s: its name into buf (or its id in hex), its owner. */
static const char *mon_server(uint32_t s, char *buf, uint32_t *owner)
{
	struct kc_server_info si;
	char name[HOSTD_LABEL_MAX];
	const char *n;

	*owner = 0;
	if (s == KC_NIL || !kc_server_info(hostd.kc, s, &si))
		return "";
	*owner = si.owner;
	n = hostd_server_name(s, si.sid, name);
	if (*n)
		snprintf(buf, HOSTD_LABEL_MAX, "%s", n);
	else
		snprintf(buf, HOSTD_LABEL_MAX, "%08x%08x%08x%08x", si.sid[0], si.sid[1], si.sid[2],
		         si.sid[3]);
	return buf;
}

static bool kind_is_memory(kc_word kind)
{
	return kind == XOUS_KIND_MUTABLE_BORROW || kind == XOUS_KIND_BORROW ||
	       kind == XOUS_KIND_MOVE;
}

static void mon_send(const struct hostd_conn *c, const kc_regs *r, struct mon_thread *mt)
{
	ControlPb__Event e = CONTROL_PB__EVENT__INIT;
	char server[HOSTD_LABEL_MAX];
	uint64_t words[4];

	mt->server = kc_conn_slot(hostd.kc, c->proc->pid, r->a[1]);
	mt->kind = (uint32_t)r->a[2];
	mt->id = (uint32_t)r->a[3];
	mt->flow = ++mon_flows;
	mt->t0_us = mon_now_us();
	mt->sent = true;
	mt->blocks = r->a[2] != XOUS_KIND_SCALAR && r->a[2] != XOUS_KIND_MOVE;
	e.type = CONTROL_PB__EVENT_TYPE__SEND;
	e.from_pid = c->proc->pid;
	e.from_tid = kc_thread_tid(hostd.kc, c->t);
	e.server = (char *)mon_server(mt->server, server, &e.to_pid);
	e.kind = mt->kind;
	e.opcode = mt->id;
	e.flow = mt->flow;
	if (kind_is_memory(r->a[2])) {
		e.size = r->a[5];
	} else {
		for (int i = 0; i < 4; i++)
			words[i] = r->a[4 + i];
		e.words = words;
		e.n_words = 4;
	}
	mon_emit(&e);
}

/* A thread makes syscall r: a send is an event; a receive says on which
 * server. c NULL: the syscall has been handled. */
void hostd_monitor_syscall(const struct hostd_conn *c, const kc_regs *r)
{
	struct mon_thread *mt;
	uint32_t sid[4];

	mon_current = c && mon_threads ? c->t : KC_NO_THREAD;
	if (mon_current == KC_NO_THREAD)
		return;
	mt = &mon_threads[c->t];
	mt->sent = false;
	switch (r->a[0]) {
	case XOUS_SYS_SEND_MESSAGE:
	case XOUS_SYS_TRY_SEND_MESSAGE:
		mon_send(c, r, mt);
		break;
	case XOUS_SYS_RECEIVE_MESSAGE:
	case XOUS_SYS_TRY_RECEIVE_MESSAGE:
	case XOUS_SYS_RECEIVE_MANY:
	case XOUS_SYS_REPLY_AND_RECEIVE_NEXT:
		for (int i = 0; i < 4; i++)
			sid[i] = (uint32_t)r->a[1 + i];
		mt->server = kc_server_slot(hostd.kc, sid);
		break;
	}
}

/* Thread t gets the result r: the answer or failure of its send, if it was one. */
void hostd_monitor_result(kc_thread t, const kc_regs *r)
{
	struct mon_thread *mt = &mon_threads[t];
	ControlPb__Event e = CONTROL_PB__EVENT__INIT;
	char server[HOSTD_LABEL_MAX];
	uint64_t words[5];
	bool failed = r->a[0] == XOUS_RESULT_ERROR;

	if (!mt->sent || (!mt->blocks && !failed))
		return;
	mt->sent = false;
	e.type = failed ? CONTROL_PB__EVENT_TYPE__FAIL : CONTROL_PB__EVENT_TYPE__ANSWER;
	e.to_pid = kc_thread_pid(hostd.kc, t);
	e.to_tid = kc_thread_tid(hostd.kc, t);
	e.server = (char *)mon_server(mt->server, server, &e.from_pid);
	if (mon_current != t && mon_current != KC_NO_THREAD) { /* a server thread answered */
		e.from_pid = kc_thread_pid(hostd.kc, mon_current);
		e.from_tid = kc_thread_tid(hostd.kc, mon_current);
	} else if (failed) { /* the kernel refused it */
		e.from_pid = 1;
	}
	e.kind = mt->kind;
	e.opcode = mt->id;
	e.flow = mt->flow;
	e.duration_us = mon_now_us() - mt->t0_us;
	if (failed) {
		e.error = (uint32_t)r->a[1];
	} else {
		for (int i = 0; i < 5; i++)
			words[i] = r->a[1 + i];
		e.words = words;
		e.n_words = r->a[0] == XOUS_RESULT_SCALAR1   ? 1
		            : r->a[0] == XOUS_RESULT_SCALAR5 ? 5
		            : r->a[0] == XOUS_RESULT_OK      ? 0
		                                             : 2;
	}
	mon_emit(&e);
}

/* Server thread t takes the message env (m: its memory, if any). */
void hostd_monitor_envelope(kc_thread t, const kc_regs *env, const kc_mem *m)
{
	ControlPb__Event e = CONTROL_PB__EVENT__INIT;
	kc_thread caller = kc_sender_caller(hostd.kc, env->a[1]);
	char server[HOSTD_LABEL_MAX];
	uint32_t owner;

	e.type = CONTROL_PB__EVENT_TYPE__RECEIVE;
	e.from_pid = (uint32_t)((env->a[1] >> XOUS_SENDER_PID_SHIFT) &
	                        (((kc_word)1 << XOUS_SENDER_PID_BITS) - 1));
	/* delivered during its own send: kcore names no waiting caller yet */
	if (caller == KC_NO_THREAD && mon_current != KC_NO_THREAD &&
	    mon_threads[mon_current].sent && kc_thread_pid(hostd.kc, mon_current) == e.from_pid)
		caller = mon_current;
	if (caller != KC_NO_THREAD) {
		e.from_tid = kc_thread_tid(hostd.kc, caller);
		e.flow = mon_threads[caller].sent ? mon_threads[caller].flow : 0;
	}
	e.to_pid = kc_thread_pid(hostd.kc, t);
	e.to_tid = kc_thread_tid(hostd.kc, t);
	e.server = (char *)mon_server(mon_threads[t].server, server, &owner);
	e.kind = (uint32_t)env->a[2];
	e.opcode = (uint32_t)env->a[3];
	e.size = m ? m->len : 0;
	mon_emit(&e);
}

/*
 * inspect.c - kcore's read-only views for a platform's tools (the broker's
 * control socket): what a thread waits on, a server's queue, which server a
 * connection id or a sender token names. A section of kcore.c (one
 * translation unit). Nothing here changes state; callbacks may use it.
 */
#include "kcore-internal.h"

enum kc_wait kc_thread_wait(const struct kc *k, kc_thread t)
{
	if (t >= KC_MAX_THREADS)
		return KC_WAIT_NONE;
	switch (k->threads[t].state) {
	case KC_T_RUNNING:
		return KC_WAIT_RUNNING;
	case KC_T_RECV:
		return KC_WAIT_RECEIVE;
	case KC_T_REPLY:
		return KC_WAIT_REPLY;
	case KC_T_CONNECT:
		return KC_WAIT_CONNECT;
	case KC_T_SEND:
		return KC_WAIT_SEND;
	case KC_T_JOIN:
		return KC_WAIT_JOIN;
	default:
		return KC_WAIT_NONE;
	}
}

bool kc_thread_info(const struct kc *k, kc_thread t, struct kc_thread_info *out)
{
	const struct kc_thread_slot *th;

	kc_zero(out, sizeof(*out));
	out->server = KC_NIL;
	out->wait = kc_thread_wait(k, t);
	if (out->wait == KC_WAIT_NONE)
		return false;
	th = &k->threads[t];
	out->pid = th->pid;
	out->tid = th->tid;
	switch (out->wait) {
	case KC_WAIT_RECEIVE:
		out->server = th->wait;
		break;
	case KC_WAIT_REPLY:
	case KC_WAIT_SEND:
		if (th->wait < KC_MAX_MSGS) {
			const struct kc_msg *m = &k->msgs[th->wait];

			out->server = m->server;
			out->kind = m->kind;
			out->id = m->id;
		}
		break;
	case KC_WAIT_CONNECT:
		for (int i = 0; i < 4; i++)
			out->sid[i] = th->sid[i];
		break;
	case KC_WAIT_JOIN:
		out->id = th->wait;
		break;
	default:
		break;
	}
	if (out->server != KC_NIL && out->server < KC_MAX_SERVERS &&
	    k->servers[out->server].alive) {
		out->owner = k->servers[out->server].owner;
		for (int i = 0; i < 4; i++)
			out->sid[i] = k->servers[out->server].sid[i];
	} else if (out->wait != KC_WAIT_CONNECT) {
		out->server = KC_NIL;
	}
	return true;
}

static uint32_t list_len(const struct kc *k, const struct kc_list *l)
{
	uint32_t n = 0;

	for (uint32_t m = l->head; m != KC_NIL && n < KC_MAX_MSGS; m = k->msgs[m].next)
		n++;
	return n;
}

bool kc_server_info(const struct kc *k, uint32_t s, struct kc_server_info *out)
{
	const struct kc_server *sv;

	kc_zero(out, sizeof(*out));
	if (s >= KC_MAX_SERVERS || !k->servers[s].alive)
		return false;
	sv = &k->servers[s];
	for (int i = 0; i < 4; i++)
		out->sid[i] = sv->sid[i];
	out->owner = sv->owner;
	out->queued = sv->qcount;
	out->room = KC_QUEUE_DEPTH > sv->qcount + sv->reserved
	                    ? KC_QUEUE_DEPTH - sv->qcount - sv->reserved
	                    : 0;
	out->waiting = list_len(k, &sv->pending);
	out->held = list_len(k, &sv->held);
	for (uint32_t t = sv->receivers.head; t != KC_NIL && out->receivers < KC_MAX_THREADS;
	     t = k->threads[t].next)
		out->receivers++;
	for (uint32_t p = 0; p < KC_MAX_PROCS; p++) {
		if (!k->procs[p].alive)
			continue;
		for (uint32_t c = 0; c < KC_MAX_CONNS; c++)
			out->conns += k->procs[p].conns[c].server == s + 1 &&
			              k->procs[p].conns[c].gen == sv->gen;
	}
	return true;
}

uint32_t kc_server_slot(const struct kc *k, const uint32_t sid[4])
{
	return server_find(k, sid);
}

uint32_t kc_conn_slot(const struct kc *k, uint32_t pid, kc_word cid)
{
	return conn_server((struct kc *)k, pid, cid);
}

kc_thread kc_sender_caller(const struct kc *k, kc_word sender)
{
	kc_word slot = sender & KC_SLOT_MASK;
	const struct kc_msg *m;

	if (slot >= KC_MAX_MSGS)
		return KC_NO_THREAD;
	m = &k->msgs[slot];
	if (m->state == KC_M_FREE || m->gen != ((sender >> KC_SENDER_SLOT_BITS) & KC_GEN_MASK))
		return KC_NO_THREAD;
	return m->caller;
}

/*
 * control.c - the control socket: what xousctl asks of a running broker.
 *
 * A control connection is an attach connection whose first frame is
 * XH_CONTROL with the key (attach.c checks the peer's uid and the key, as
 * for XH_HELLO), so it shows only what the broker's owner, who holds the
 * key, may see. After it every packet is one message of idl/control.proto:
 * a Request in, one Reply out (a listing in pages of CTL_PAGE items), or,
 * for MONITOR, Replies with events until the connection closes
 * (monitor.c). Replies go out without blocking the broker: a client that
 * does not read its answers is closed.
 *
 * Names: a process by the program it runs (proc.c, attach.c); a server by
 * the name the name server registered it under (hostd_control_label), else
 * its well-known 16-byte name, else "" (its id is shown anyway).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "control.pb-c.h"
#include "hostd.h"

#define CTL_PAGE    64   /* listing items per Reply */
#define CTL_REQ_MAX 4096 /* the largest Request */

static struct hostd_ctl_conns ctl_conns = LIST_HEAD_INITIALIZER(ctl_conns);

/* Registered names, by server slot; each valid while its server has that id. */
static struct {
	uint32_t sid[4];
	char name[HOSTD_LABEL_MAX];
} * ctl_labels;

/* ---- names ---- */

static bool sid_same(const uint32_t a[4], const uint32_t b[4])
{
	return !memcmp(a, b, 4 * sizeof(uint32_t));
}

/* The name server registered sid under name (len bytes); len 0 forgets it.
 * A name names one server: a whole name (not cut at HOSTD_LABEL_MAX) leaves
 * every other server it labelled. */
void hostd_control_label(const uint32_t sid[4], const char *name, size_t len)
{
	uint32_t s = kc_server_slot(hostd.kc, sid);
	bool whole = len < HOSTD_LABEL_MAX;

	if (s == KC_NIL)
		return;
	if (!ctl_labels && !(ctl_labels = calloc(KC_MAX_SERVERS, sizeof(*ctl_labels))))
		return;
	if (len >= HOSTD_LABEL_MAX)
		len = HOSTD_LABEL_MAX - 1;
	memcpy(ctl_labels[s].sid, sid, sizeof(ctl_labels[s].sid));
	if (len)
		memcpy(ctl_labels[s].name, name, len);
	ctl_labels[s].name[len] = 0;
	for (uint32_t o = 0; whole && len && o < KC_MAX_SERVERS; o++)
		if (o != s && !strcmp(ctl_labels[o].name, ctl_labels[s].name))
			ctl_labels[o].name[0] = 0;
}

/* The server the name server registered under name, if it still exists. */
bool hostd_control_find(const char *name, uint32_t sid[4])
{
	for (uint32_t s = 0; ctl_labels && s < KC_MAX_SERVERS; s++)
		if (ctl_labels[s].name[0] && !strcmp(ctl_labels[s].name, name) &&
		    kc_server_slot(hostd.kc, ctl_labels[s].sid) == s) {
			memcpy(sid, ctl_labels[s].sid, sizeof(ctl_labels[s].sid));
			return true;
		}
	return false;
}

/* A server's name: registered, else well-known (printable ASCII ids), else "". */
const char *hostd_server_name(uint32_t s, const uint32_t sid[4], char buf[HOSTD_LABEL_MAX])
{
	const unsigned char *b = (const unsigned char *)sid;
	size_t n = 16;

	if (ctl_labels && s < KC_MAX_SERVERS && ctl_labels[s].name[0] &&
	    sid_same(ctl_labels[s].sid, sid))
		return ctl_labels[s].name;
	for (size_t i = 0; i < 16; i++)
		if (b[i] < 0x20 || b[i] > 0x7e)
			return "";
	while (n > 0 && b[n - 1] == ' ')
		n--;
	memcpy(buf, b, n);
	buf[n] = 0;
	return buf;
}

const char *hostd_proc_name(uint32_t pid)
{
	if (pid == 1)
		return "kernel";
	if (pid == 0 || pid > KC_MAX_PROCS || !hostd.procs[pid].alive)
		return "?";
	return hostd.procs[pid].name;
}

/* ---- sending ---- */

static void ctl_close(struct hostd_ctl *k)
{
	LIST_REMOVE(k, link);
	hostd_monitor_unwatch(k);
	event_free(k->ev);
	close(k->fd);
	free(k);
}

/* One Reply, without blocking; -1 (and errno) if it did not go. */
int hostd_control_send(struct hostd_ctl *k, ControlPb__Reply *r)
{
	size_t n;

	r->broker_pid = (uint32_t)getpid();
	n = control_pb__reply__get_packed_size(r);
	uint8_t small[2048], *buf = n <= sizeof(small) ? small : malloc(n);
	ssize_t sent;

	if (!buf)
		return -1;
	control_pb__reply__pack(r, buf);
	sent = send(k->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (buf != small)
		free(buf);
	return sent == (ssize_t)n ? 0 : -1;
}

static void ctl_reply(struct hostd_ctl *k, ControlPb__Reply *r)
{
	if (hostd_control_send(k, r) < 0)
		ctl_close(k);
}

static void ctl_error(struct hostd_ctl *k, uint32_t err, const char *msg)
{
	ControlPb__Reply r = CONTROL_PB__REPLY__INIT;

	r.error = err;
	r.message = (char *)msg;
	ctl_reply(k, &r);
}

/* ---- listings: each fills one page from offset and counts them all ---- */

struct ctl_page {
	uint32_t offset, total, n;
};

/* The next item is on the page: true, and it takes slot *i. */
static bool page_take(struct ctl_page *pg, uint32_t *i)
{
	uint32_t at = pg->total++;

	if (at < pg->offset || pg->n >= CTL_PAGE)
		return false;
	*i = pg->n++;
	return true;
}

/* running (a thread outside the broker), idle (every thread receives), waiting. */
static const char *proc_state(const struct hostd_proc *p)
{
	const struct hostd_conn *c;
	bool waiting = false;

	LIST_FOREACH(c, &p->conns, link)
	{
		enum kc_wait w = kc_thread_wait(hostd.kc, c->t);

		if (w == KC_WAIT_RUNNING)
			return "running";
		waiting = waiting || w != KC_WAIT_RECEIVE;
	}
	return waiting ? "waiting" : "idle";
}

static void fill_proc(ControlPb__Process *m, const struct hostd_proc *p)
{
	struct kc_usage u;
	const struct hostd_fleet_srv *f = p->child ? p->child->srv : NULL;

	kc_process_usage(hostd.kc, p->pid, &u);
	m->pid = p->pid;
	m->name = (char *)p->name;
	m->host_pid = p->lpid;
	m->threads = u.threads;
	m->state = (char *)proc_state(p);
	m->sandbox = (char *)(f ? f->sandbox : p->child ? "none" : "none (attached)");
	m->restarts = f ? f->restarts : 0;
	m->parent = p->parent;
	m->servers = u.servers;
	m->messages = u.msgs;
}

static void list_ps(struct hostd_ctl *k, struct ctl_page *pg, ControlPb__Reply *r)
{
	static ControlPb__Process items[CTL_PAGE];
	static ControlPb__Process *ptrs[CTL_PAGE];
	uint32_t i;

	for (uint32_t pid = 2; pid <= KC_MAX_PROCS; pid++)
		if (hostd.procs[pid].alive && page_take(pg, &i)) {
			control_pb__process__init(&items[i]);
			fill_proc(&items[i], &hostd.procs[pid]);
		}
	for (size_t f = 0; f < hostd.nfleet; f++) /* fleet servers not running now */
		if (!hostd.fleet[f].child && page_take(pg, &i)) {
			control_pb__process__init(&items[i]);
			items[i].name = hostd.fleet[f].name;
			items[i].state = hostd.fleet[f].gave_up ? "failed" : "restarting";
			items[i].sandbox = hostd.fleet[f].sandbox;
			items[i].restarts = hostd.fleet[f].restarts;
		}
	for (i = 0; i < pg->n; i++)
		ptrs[i] = &items[i];
	r->n_procs = pg->n;
	r->procs = ptrs;
	(void)k;
}

static void list_servers(struct hostd_ctl *k, struct ctl_page *pg, ControlPb__Reply *r)
{
	static ControlPb__Server items[CTL_PAGE];
	static ControlPb__Server *ptrs[CTL_PAGE];
	static char names[CTL_PAGE][HOSTD_LABEL_MAX];
	struct kc_server_info si;
	uint32_t i;

	for (uint32_t s = 0; s < KC_MAX_SERVERS; s++) {
		if (!kc_server_info(hostd.kc, s, &si) || !page_take(pg, &i))
			continue;
		ControlPb__Server *m = &items[i];

		control_pb__server__init(m);
		m->name = (char *)hostd_server_name(s, si.sid, names[i]);
		m->sid0 = si.sid[0];
		m->sid1 = si.sid[1];
		m->sid2 = si.sid[2];
		m->sid3 = si.sid[3];
		m->owner = si.owner;
		m->owner_name = (char *)hostd_proc_name(si.owner);
		m->queued = si.queued;
		m->room = si.room;
		m->held = si.held;
		m->waiting = si.waiting;
		m->receivers = si.receivers;
		m->connections = si.conns;
		ptrs[i] = m;
	}
	r->n_servers = pg->n;
	r->servers = ptrs;
	(void)k;
}

static bool pid_wanted(uint32_t want, uint32_t pid)
{
	return want == 0 || want == pid;
}

static void list_conns(struct hostd_ctl *k, struct ctl_page *pg, uint32_t want, ControlPb__Reply *r)
{
	static ControlPb__Conn items[CTL_PAGE];
	static ControlPb__Conn *ptrs[CTL_PAGE];
	static char names[CTL_PAGE][HOSTD_LABEL_MAX];
	struct kc_server_info si;
	uint32_t i;

	for (uint32_t pid = 2; pid <= KC_MAX_PROCS; pid++) {
		if (!hostd.procs[pid].alive || !pid_wanted(want, pid))
			continue;
		for (uint32_t cid = 1; cid <= KC_MAX_CONNS; cid++) {
			uint32_t s = kc_conn_slot(hostd.kc, pid, cid);

			if (s == KC_NIL || !kc_server_info(hostd.kc, s, &si) || !page_take(pg, &i))
				continue;
			control_pb__conn__init(&items[i]);
			items[i].pid = pid;
			items[i].name = hostd.procs[pid].name;
			items[i].cid = cid;
			items[i].server = (char *)hostd_server_name(s, si.sid, names[i]);
			items[i].server_owner = si.owner;
			items[i].owner_name = (char *)hostd_proc_name(si.owner);
			ptrs[i] = &items[i];
		}
	}
	r->n_conns = pg->n;
	r->conns = ptrs;
	(void)k;
}

static const char *const wait_names[] = {
        [KC_WAIT_NONE] = "none",   [KC_WAIT_RUNNING] = "running", [KC_WAIT_RECEIVE] = "receive",
        [KC_WAIT_REPLY] = "reply", [KC_WAIT_SEND] = "send",       [KC_WAIT_CONNECT] = "connect",
        [KC_WAIT_JOIN] = "join",
};

const char *hostd_wait_name(enum kc_wait w)
{
	return (unsigned)w < sizeof(wait_names) / sizeof(wait_names[0]) ? wait_names[w] : "?";
}

/* What thread t waits on, for a person: "xous-name-server", "id 1a2b...", "tid 3". */
void hostd_wait_target(const struct kc_thread_info *ti, char *buf, size_t len)
{
	char name[HOSTD_LABEL_MAX];

	if (ti->wait == KC_WAIT_JOIN)
		snprintf(buf, len, "tid %llu", (unsigned long long)ti->id);
	else if (ti->server != KC_NIL && ti->wait != KC_WAIT_CONNECT &&
	         *hostd_server_name(ti->server, ti->sid, name))
		snprintf(buf, len, "%s", hostd_server_name(ti->server, ti->sid, name));
	else if (ti->wait == KC_WAIT_CONNECT && *hostd_server_name(KC_NIL, ti->sid, name))
		snprintf(buf, len, "%s", name);
	else if (ti->wait == KC_WAIT_RUNNING)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "id %08x%08x%08x%08x", ti->sid[0], ti->sid[1], ti->sid[2],
		         ti->sid[3]);
}

static void fill_thread(ControlPb__Thread *m, kc_thread t, const struct kc_thread_info *ti,
                        char *target, size_t tlen, uint64_t now)
{
	const struct hostd_conn *c = hostd.by_thread[t];

	m->pid = ti->pid;
	m->name = (char *)hostd_proc_name(ti->pid);
	m->tid = ti->tid;
	m->state = (char *)hostd_wait_name(ti->wait);
	hostd_wait_target(ti, target, tlen);
	m->waits_on = target;
	m->waits_pid = ti->wait == KC_WAIT_JOIN ? ti->pid : ti->server != KC_NIL ? ti->owner : 0;
	m->since_ms = ti->wait != KC_WAIT_RUNNING && c && now > c->wait_ms ? now - c->wait_ms : 0;
	m->kind = ti->kind;
	m->opcode = (uint32_t)ti->id;
}

static void list_threads(struct hostd_ctl *k, struct ctl_page *pg, uint32_t want,
                         ControlPb__Reply *r)
{
	static ControlPb__Thread items[CTL_PAGE];
	static ControlPb__Thread *ptrs[CTL_PAGE];
	static char targets[CTL_PAGE][HOSTD_LABEL_MAX + 8];
	struct kc_thread_info ti;
	uint64_t now = hostd_coarse_ms();
	uint32_t i;

	for (kc_thread t = 0; t < KC_MAX_THREADS; t++) {
		if (!kc_thread_info(hostd.kc, t, &ti) || ti.pid < 2 || !pid_wanted(want, ti.pid) ||
		    !page_take(pg, &i))
			continue;
		control_pb__thread__init(&items[i]);
		fill_thread(&items[i], t, &ti, targets[i], sizeof(targets[i]), now);
		ptrs[i] = &items[i];
	}
	r->n_threads = pg->n;
	r->threads = ptrs;
	(void)k;
}

static void ctl_request(struct hostd_ctl *k, const ControlPb__Request *q)
{
	ControlPb__Reply r = CONTROL_PB__REPLY__INIT;
	struct ctl_page pg = {.offset = q->offset};

	switch (q->command) {
	case CONTROL_PB__COMMAND__PS:
		list_ps(k, &pg, &r);
		break;
	case CONTROL_PB__COMMAND__SERVERS:
		list_servers(k, &pg, &r);
		break;
	case CONTROL_PB__COMMAND__CONNS:
		list_conns(k, &pg, q->pid, &r);
		break;
	case CONTROL_PB__COMMAND__THREADS:
		list_threads(k, &pg, q->pid, &r);
		break;
	case CONTROL_PB__COMMAND__MONITOR:
		hostd_monitor_watch(k, q);
		return;
	default:
		ctl_error(k, XOUS_ERR_INVALID_ARGUMENT, "unknown command");
		return;
	}
	r.total = pg.total;
	ctl_reply(k, &r);
}

static void ctl_readable(evutil_socket_t fd, short what, void *arg)
{
	struct hostd_ctl *k = arg;
	uint8_t buf[CTL_REQ_MAX];
	ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	ControlPb__Request *q;

	(void)what;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		ctl_close(k);
		return;
	}
	if ((size_t)n > sizeof(buf) || !(q = control_pb__request__unpack(NULL, (size_t)n, buf))) {
		ctl_error(k, XOUS_ERR_SERIALIZATION_ERROR, "not a Request of idl/control.proto");
		return;
	}
	ctl_request(k, q);
	control_pb__request__free_unpacked(q, NULL);
}

/* attach.c proved fd's key: it is a control connection from now on. */
void hostd_control_adopt(int fd)
{
	struct hostd_ctl *k = calloc(1, sizeof(*k));

	if (!k || !(k->ev = event_new(hostd.base, fd, EV_READ | EV_PERSIST, ctl_readable, k)) ||
	    event_add(k->ev, NULL) < 0) {
		if (k && k->ev)
			event_free(k->ev);
		free(k);
		close(fd);
		hostd_warn_limited(HOSTD_WARN_CONN, "cannot set up a control connection");
		return;
	}
	k->fd = fd;
	LIST_INSERT_HEAD(&ctl_conns, k, link);
	ControlPb__Reply r = CONTROL_PB__REPLY__INIT;
	ctl_reply(k, &r); /* the hello's answer: an empty Reply */
}

/* At exit: close every control connection. */
void hostd_control_close(void)
{
	while (!LIST_EMPTY(&ctl_conns))
		ctl_close(LIST_FIRST(&ctl_conns));
	free(ctl_labels);
	ctl_labels = NULL;
}

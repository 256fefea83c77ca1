/*
 * watch.c - xousctl monitor and trace: the broker's stream of message
 * events (xous-hostd/monitor.c).
 *
 * monitor prints one line per event and flushes it, whatever stdout is.
 * trace writes Chrome Trace Event JSON (the format Perfetto's UI and
 * chrome://tracing open): a process per Xous process, a track per thread,
 * a slice per call on the caller's track (send to answer) and on the
 * server's (receive to answer), and flows from the send to the receive and
 * from the answer back to the caller. Both end with status 0 on SIGTERM or
 * SIGINT (trace also after --seconds N); the signals are blocked but
 * while waiting (ppoll), so none is lost between a check and the wait.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xous.h>

#include "xousctl.h"

static volatile sig_atomic_t watch_stop;

static void watch_on_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static void watch_signals(sigset_t *old)
{
	struct sigaction sa = {.sa_handler = watch_on_signal};
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, old);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
}

/* Start the stream with the filters of q; then each call gives the next
 * Reply, or NULL once a signal came or the broker is gone. */
static void watch_start(struct ctl *c, ControlPb__Request *q, sigset_t *old)
{
	q->command = CONTROL_PB__COMMAND__MONITOR;
	watch_signals(old);
	ctl_connect(c);
	if (ctl_send(c, q) < 0)
		ctl_die("%s: the broker closed the connection", c->socket);
	ControlPb__Reply *r = ctl_recv(c); /* started */
	if (!r)
		ctl_die("%s: the broker closed the connection", c->socket);
	control_pb__reply__free_unpacked(r, NULL);
}

static ControlPb__Reply *watch_next(struct ctl *c, const sigset_t *old)
{
	struct pollfd p = {.fd = c->fd, .events = POLLIN};

	while (!watch_stop) {
		int n = ppoll(&p, 1, NULL, old);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return NULL;
		return ctl_recv(c);
	}
	return NULL;
}

/* ---- monitor ---- */

static void when(char *buf, size_t len, uint64_t us)
{
	time_t s = (time_t)(us / 1000000);
	struct tm tm;

	localtime_r(&s, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%06u", tm.tm_hour, tm.tm_min, tm.tm_sec,
	         (unsigned)(us % 1000000));
}

static const char *event_name(ControlPb__EventType t)
{
	switch (t) {
	case CONTROL_PB__EVENT_TYPE__SEND:
		return "send";
	case CONTROL_PB__EVENT_TYPE__RECEIVE:
		return "receive";
	case CONTROL_PB__EVENT_TYPE__ANSWER:
		return "answer";
	case CONTROL_PB__EVENT_TYPE__FAIL:
		return "fail";
	default:
		return "dropped";
	}
}

/* "Name(op)" where the server's interface is known, else "op N". */
static void op_text(char *buf, size_t len, const ControlPb__Event *e)
{
	const char *n = opname(e->server, e->opcode);

	if (n)
		snprintf(buf, len, "%s(%u)", n, e->opcode);
	else
		snprintf(buf, len, "op %u", e->opcode);
}

static void print_event(const ControlPb__Event *e)
{
	char t[32], op[96];

	when(t, sizeof(t), e->time_us);
	if (e->type == CONTROL_PB__EVENT_TYPE__DROPPED) {
		printf("%s dropped %llu events (the monitor read too slowly)\n", t,
		       (unsigned long long)e->count);
		return;
	}
	op_text(op, sizeof(op), e);
	printf("%s %-7s %s(%u).%u -> %s(%u).%u %s %s %s", t, event_name(e->type), e->from_name,
	       e->from_pid, e->from_tid, e->to_name, e->to_pid, e->to_tid,
	       e->server[0] ? e->server : "-", ctl_kind_name(e->kind), op);
	if (e->size)
		printf(" size %llu", (unsigned long long)e->size);
	if (e->n_words)
		printf(" %s", e->type == CONTROL_PB__EVENT_TYPE__ANSWER ? "=" : "args");
	for (size_t i = 0; i < e->n_words; i++)
		printf(" %llu", (unsigned long long)e->words[i]);
	if (e->type == CONTROL_PB__EVENT_TYPE__FAIL)
		printf(" error %s (%u)", xous_strerror(e->error), e->error);
	if (e->duration_us)
		printf(" after %llu us", (unsigned long long)e->duration_us);
	if (e->flow)
		printf(" flow %llu", (unsigned long long)e->flow);
	printf("\n");
	fflush(stdout);
}

static void watch_filters(int argc, char **argv, ControlPb__Request *q)
{
	for (int i = 0; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			ctl_die("monitor: %s needs a value", argv[i]);
		if (!strcmp(argv[i], "--pid")) {
			q->pid = (uint32_t)strtoul(v, NULL, 0);
		} else if (!strcmp(argv[i], "--server")) {
			q->server.data = (uint8_t *)v;
			q->server.len = strlen(v);
		} else if (!strcmp(argv[i], "--kind")) {
			int k = ctl_kind_parse(v);
			if (k < 0)
				ctl_die("monitor: --kind: scalar, blocking-scalar, borrow, "
				        "mutable-borrow, move or 1..5, not '%s'",
				        v);
			q->kind = (uint32_t)k;
		} else {
			ctl_die("monitor: unknown option '%s'", argv[i]);
		}
		i++;
	}
}

int watch_monitor(struct ctl *c, int argc, char **argv)
{
	ControlPb__Request q = CONTROL_PB__REQUEST__INIT;
	ControlPb__Reply *r;
	sigset_t old;

	watch_filters(argc, argv, &q);
	watch_start(c, &q, &old);
	while ((r = watch_next(c, &old)) != NULL) {
		for (size_t i = 0; i < r->n_events; i++)
			print_event(r->events[i]);
		control_pb__reply__free_unpacked(r, NULL);
	}
	return 0;
}

/* ---- trace ---- */

/* A call whose answer has not come: where its slices begin. */
struct pending {
	uint64_t flow, send_us, recv_us;
	uint32_t caller_pid, caller_tid, server_pid, server_tid;
	bool received;
};

struct trace {
	FILE *fp;
	uint64_t t0;
	bool first;
	struct pending *calls;
	size_t ncalls, cap;
	struct {
		uint32_t pid;
		char name[64];
	} procs[512];
	size_t nprocs;
};

static void tr_begin(struct trace *tr, const char *ph, const char *name, uint32_t pid, uint32_t tid,
                     uint64_t us)
{
	fprintf(tr->fp, "%s\n{\"ph\":\"%s\",\"name\":", tr->first ? "" : ",", ph);
	out_json_str(tr->fp, name);
	fprintf(tr->fp, ",\"cat\":\"xous\",\"pid\":%u,\"tid\":%u,\"ts\":%llu", pid, tid,
	        (unsigned long long)(us - tr->t0));
	tr->first = false;
}

static void tr_slice(struct trace *tr, const char *name, uint32_t pid, uint32_t tid, uint64_t from,
                     uint64_t to)
{
	tr_begin(tr, "X", name, pid, tid, from);
	fprintf(tr->fp, ",\"dur\":%llu}", (unsigned long long)(to > from ? to - from : 1));
}

/* A flow from (pid, tid) at from to (pid2, tid2) at to; id even: the
 * request, odd: the answer. */
static void tr_flow(struct trace *tr, uint64_t id, uint32_t pid, uint32_t tid, uint64_t from,
                    uint32_t pid2, uint32_t tid2, uint64_t to)
{
	tr_begin(tr, "s", "message", pid, tid, from);
	fprintf(tr->fp, ",\"id\":%llu}", (unsigned long long)id);
	tr_begin(tr, "f", "message", pid2, tid2, to);
	fprintf(tr->fp, ",\"id\":%llu,\"bp\":\"e\"}", (unsigned long long)id);
}

static void tr_name(struct trace *tr, uint32_t pid, const char *name)
{
	for (size_t i = 0; i < tr->nprocs; i++)
		if (tr->procs[i].pid == pid)
			return;
	if (tr->nprocs < sizeof(tr->procs) / sizeof(tr->procs[0])) {
		tr->procs[tr->nprocs].pid = pid;
		snprintf(tr->procs[tr->nprocs++].name, sizeof(tr->procs[0].name), "%s", name);
	}
}

static struct pending *tr_find(struct trace *tr, uint64_t flow)
{
	for (size_t i = tr->ncalls; i-- > 0;)
		if (tr->calls[i].flow == flow)
			return &tr->calls[i];
	return NULL;
}

static void tr_forget(struct trace *tr, struct pending *p)
{
	*p = tr->calls[--tr->ncalls];
}

static void tr_send(struct trace *tr, const ControlPb__Event *e)
{
	if (tr->ncalls == tr->cap) {
		size_t cap = tr->cap ? tr->cap * 2 : 64;
		struct pending *n = realloc(tr->calls, cap * sizeof(*n));

		if (!n)
			ctl_die("out of memory");
		tr->calls = n;
		tr->cap = cap;
	}
	tr->calls[tr->ncalls++] = (struct pending){.flow = e->flow,
	                                           .send_us = e->time_us,
	                                           .caller_pid = e->from_pid,
	                                           .caller_tid = e->from_tid};
}

static void tr_event(struct trace *tr, const ControlPb__Event *e)
{
	struct pending *p = e->flow ? tr_find(tr, e->flow) : NULL;
	char op[128], name[160];

	if (!tr->t0)
		tr->t0 = e->time_us;
	tr_name(tr, e->from_pid, e->from_name);
	tr_name(tr, e->to_pid, e->to_name);
	op_text(op, sizeof(op), e);
	snprintf(name, sizeof(name), "%s %s", e->server[0] ? e->server : "?", op);
	if (e->type == CONTROL_PB__EVENT_TYPE__SEND && e->flow) {
		tr_send(tr, e);
	} else if (e->type == CONTROL_PB__EVENT_TYPE__RECEIVE && p) {
		p->received = true;
		p->recv_us = e->time_us;
		p->server_pid = e->to_pid;
		p->server_tid = e->to_tid;
		if (e->kind == XOUS_KIND_SCALAR ||
		    e->kind == XOUS_KIND_MOVE) { /* no answer comes */
			tr_slice(tr, name, p->caller_pid, p->caller_tid, p->send_us,
			         p->send_us + 1);
			tr_slice(tr, name, p->server_pid, p->server_tid, p->recv_us,
			         p->recv_us + 1);
			tr_flow(tr, 2 * p->flow, p->caller_pid, p->caller_tid, p->send_us,
			        p->server_pid, p->server_tid, p->recv_us);
			tr_forget(tr, p);
		}
	} else if ((e->type == CONTROL_PB__EVENT_TYPE__ANSWER ||
	            e->type == CONTROL_PB__EVENT_TYPE__FAIL) &&
	           p) {
		uint64_t end = e->time_us;

		tr_slice(tr, name, p->caller_pid, p->caller_tid, p->send_us, end);
		if (p->received) {
			tr_slice(tr, name, p->server_pid, p->server_tid, p->recv_us, end);
			tr_flow(tr, 2 * p->flow, p->caller_pid, p->caller_tid, p->send_us,
			        p->server_pid, p->server_tid, p->recv_us);
			tr_flow(tr, 2 * p->flow + 1, p->server_pid, p->server_tid,
			        end > p->recv_us ? end - 1 : end, p->caller_pid, p->caller_tid,
			        end);
		}
		tr_forget(tr, p);
	}
}

static void tr_end(struct trace *tr)
{
	for (size_t i = 0; i < tr->nprocs; i++) {
		fprintf(tr->fp,
		        "%s\n{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%u,\"args\":{"
		        "\"name\":",
		        tr->first ? "" : ",", tr->procs[i].pid);
		out_json_str(tr->fp, tr->procs[i].name);
		fprintf(tr->fp, "}}");
		tr->first = false;
	}
	fprintf(tr->fp, "\n],\"displayTimeUnit\":\"ns\"}\n");
	free(tr->calls);
}

int watch_trace(struct ctl *c, int argc, char **argv)
{
	ControlPb__Request q = CONTROL_PB__REQUEST__INIT;
	struct trace tr = {.first = true};
	const char *out = NULL;
	unsigned seconds = 0;
	ControlPb__Reply *r;
	sigset_t old;

	for (int i = 0; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--out"))
			out = argv[i + 1];
		else if (!strcmp(argv[i], "--seconds"))
			seconds = (unsigned)strtoul(argv[i + 1], NULL, 10);
		else
			ctl_die("trace: unknown option '%s'", argv[i]);
	}
	if (!out || argc % 2)
		ctl_die("trace --out FILE [--seconds N]");
	tr.fp = fopen(out, "w");
	if (!tr.fp)
		ctl_die("%s: %s", out, strerror(errno));
	fprintf(tr.fp, "{\"traceEvents\":[");
	watch_start(c, &q, &old);
	if (seconds)
		alarm(seconds);
	while ((r = watch_next(c, &old)) != NULL) {
		for (size_t i = 0; i < r->n_events; i++)
			tr_event(&tr, r->events[i]);
		control_pb__reply__free_unpacked(r, NULL);
	}
	tr_end(&tr);
	if (fclose(tr.fp) != 0)
		ctl_die("%s: %s", out, strerror(errno));
	return 0;
}

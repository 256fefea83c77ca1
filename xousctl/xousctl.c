/*
 * xousctl - look inside a running xous-hostd (CONTRACT section 8).
 *
 *   xousctl [--socket PATH] [--json] COMMAND
 *     ps | servers | conns [PID] | threads [PID]
 *     monitor [--pid N] [--server NAME] [--kind K]
 *     trace --out FILE [--seconds N]
 *     call NAME OPCODE [ARGS...]
 *
 * It talks to the broker's control socket: the attach socket PATH (default
 * $XOUS_HOSTD), first frame XH_CONTROL with the key ($XOUS_KEY, else
 * PATH.key), then messages of idl/control.proto. `call` instead attaches
 * as a process, as any program would, and makes one BlockingScalar.
 * Exit status: 0, 1 when the broker cannot be reached or refuses, 2 for
 * bad usage.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <xous.h>
#include <xous/host.h>
#include <xous/names.h>

#include "hostframe_io.h"
#include "xousctl.h"

#define CTL_PACKET_MAX (1u << 20)

static const char usage_text[] =
        "usage: xousctl [--socket PATH] [--json] COMMAND\n"
        "  ps                      processes: pid, program, host pid, threads, state, sandbox\n"
        "  servers                 servers: name, id, owner, queue, held messages, connections\n"
        "  conns [PID]             connection ids and the servers they name\n"
        "  threads [PID]           threads: what each waits on, and for how long\n"
        "  monitor [--pid N] [--server NAME] [--kind K]\n"
        "                          every message as it happens, one line each\n"
        "  trace --out FILE [--seconds N]\n"
        "                          messages as Chrome Trace Event JSON (Perfetto opens it)\n"
        "  call NAME OPCODE [ARGS...]\n"
        "                          a BlockingScalar to server NAME; prints the answer's words\n"
        "PATH defaults to $XOUS_HOSTD; the key comes from $XOUS_KEY or PATH.key.\n";

void ctl_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xousctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static void bad_usage(const char *what)
{
	fprintf(stderr, "xousctl: %s\n%s", what, usage_text);
	exit(2);
}

static const char *const kind_names[] = {"none", "mutable-borrow", "borrow",
                                         "move", "scalar",         "blocking-scalar"};

const char *ctl_kind_name(uint32_t kind)
{
	return kind < 6 ? kind_names[kind] : "?";
}

int ctl_kind_parse(const char *s)
{
	for (int k = 1; k < 6; k++)
		if (!strcmp(s, kind_names[k]))
			return k;
	return s[0] >= '1' && s[0] <= '5' && !s[1] ? s[0] - '0' : -1;
}

/* ---- the control connection ---- */

int ctl_connect(struct ctl *c)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_CONTROL};
	uint64_t key[2];
	char why[300];

	if (!c->socket)
		ctl_die("no broker named: give --socket PATH or set XOUS_HOSTD (xous-hostd prints "
		        "the path when it starts)");
	if (strlen(c->socket) >= sizeof(sa.sun_path))
		ctl_die("%s: the path is too long for a socket", c->socket);
	if (xh_key_read(c->socket, key, why, sizeof(why)) < 0)
		ctl_die("%s", why);
	strcpy(sa.sun_path, c->socket);
	c->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		ctl_die("%s: %s%s", c->socket, strerror(errno),
		        errno == ENOENT         ? " (is xous-hostd running?)"
		        : errno == ECONNREFUSED ? " (the broker that made it is gone)"
		                                : "");
	f.w[0] = key[0];
	f.w[1] = key[1];
	if (xh_frame_send(c->fd, &f, sizeof(f), NULL, 0, -1, 0) < 0)
		ctl_die("%s: %s", c->socket, strerror(errno));
	ControlPb__Reply *r = ctl_recv(c);
	if (!r)
		ctl_die("%s: the broker closed the connection", c->socket);
	control_pb__reply__free_unpacked(r, NULL);
	return 0;
}

int ctl_send(struct ctl *c, const ControlPb__Request *q)
{
	uint8_t buf[4096];
	size_t n = control_pb__request__get_packed_size(q);

	if (n > sizeof(buf))
		ctl_die("request too large");
	control_pb__request__pack(q, buf);
	return send(c->fd, buf, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

ControlPb__Reply *ctl_recv(struct ctl *c)
{
	static uint8_t *buf;
	const struct xh_frame *f;
	ControlPb__Reply *r;
	ssize_t n;

	if (!buf && !(buf = malloc(CTL_PACKET_MAX)))
		ctl_die("out of memory");
	n = recv(c->fd, buf, CTL_PACKET_MAX, 0);
	if (n <= 0) {
		if (n < 0 && errno != EINTR)
			fprintf(stderr, "xousctl: %s: %s\n", c->socket, strerror(errno));
		return NULL;
	}
	f = (const struct xh_frame *)buf;
	if (n == sizeof(*f) && f->magic == XH_MAGIC && f->type == XH_RESULT)
		ctl_die("%s: the broker refused: %s%s", c->socket,
		        xous_strerror((xous_err_t)f->w[1]),
		        f->w[1] == XOUS_ERR_ACCESS_DENIED ? " (a wrong key: another broker's?)"
		                                          : "");
	r = control_pb__reply__unpack(NULL, (size_t)n, buf);
	if (!r)
		ctl_die("%s: an answer that does not parse", c->socket);
	if (r->error)
		ctl_die("%s: %s: %s", c->socket, xous_strerror(r->error), r->message);
	return r;
}

/* ---- listings ---- */

static void row_proc(struct out *o, const ControlPb__Process *p)
{
	out_row(o);
	out_num(o, "pid", 5, p->pid);
	out_str(o, "name", 20, p->name);
	out_num(o, "host_pid", 8, (unsigned long long)(p->host_pid > 0 ? p->host_pid : 0));
	out_num(o, "threads", 7, p->threads);
	out_str(o, "state", 10, p->state);
	out_str(o, "sandbox", 16, p->sandbox);
	out_num(o, "restarts", 8, p->restarts);
	out_num(o, "servers", 7, p->servers);
	out_num(o, "parent", 6, p->parent);
	out_end_row(o);
}

static void sid_hex(char buf[33], uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	snprintf(buf, 33, "%08x%08x%08x%08x", a, b, c, d);
}

static void row_server(struct out *o, const ControlPb__Server *s)
{
	char sid[33];

	sid_hex(sid, s->sid0, s->sid1, s->sid2, s->sid3);
	out_row(o);
	out_str(o, "name", 20, s->name);
	out_str(o, "sid", 32, sid);
	out_num(o, "owner", 5, s->owner);
	out_str(o, "owner_name", 18, s->owner_name);
	out_num(o, "queued", 6, s->queued);
	out_num(o, "room", 4, s->room);
	out_num(o, "held", 4, s->held);
	out_num(o, "waiting", 7, s->waiting);
	out_num(o, "receivers", 9, s->receivers);
	out_num(o, "connections", 11, s->connections);
	out_end_row(o);
}

static void row_conn(struct out *o, const ControlPb__Conn *c)
{
	out_row(o);
	out_num(o, "pid", 5, c->pid);
	out_str(o, "name", 20, c->name);
	out_num(o, "cid", 4, c->cid);
	out_str(o, "server", 20, c->server);
	out_num(o, "owner", 5, c->server_owner);
	out_str(o, "owner_name", 18, c->owner_name);
	out_end_row(o);
}

static void row_thread(struct out *o, const ControlPb__Thread *t)
{
	out_row(o);
	out_num(o, "pid", 5, t->pid);
	out_str(o, "name", 20, t->name);
	out_num(o, "tid", 4, t->tid);
	out_str(o, "state", 8, t->state);
	out_str(o, "waits_on", 24, t->waits_on);
	out_num(o, "waits_pid", 9, t->waits_pid);
	out_num(o, "since_ms", 8, t->since_ms);
	out_str(o, "kind", 15, t->kind ? ctl_kind_name(t->kind) : "");
	out_num(o, "opcode", 6, t->opcode);
	out_end_row(o);
}

/* Print one item; a table's header first. */
#define EMIT(o, fn, item)                                                                          \
	do {                                                                                       \
		if (!(o)->json && !(o)->header_done) {                                             \
			(o)->header = true;                                                        \
			fn(o, item);                                                               \
			(o)->header = false;                                                       \
			(o)->header_done = true;                                                   \
		}                                                                                  \
		fn(o, item);                                                                       \
	} while (0)

static size_t emit_page(struct out *o, const ControlPb__Reply *r)
{
	for (size_t i = 0; i < r->n_procs; i++)
		EMIT(o, row_proc, r->procs[i]);
	for (size_t i = 0; i < r->n_servers; i++)
		EMIT(o, row_server, r->servers[i]);
	for (size_t i = 0; i < r->n_conns; i++)
		EMIT(o, row_conn, r->conns[i]);
	for (size_t i = 0; i < r->n_threads; i++)
		EMIT(o, row_thread, r->threads[i]);
	return r->n_procs + r->n_servers + r->n_conns + r->n_threads;
}

/* A listing, page after page until every item came. */
static int cmd_list(struct ctl *c, ControlPb__Command cmd, uint32_t pid)
{
	ControlPb__Request q = CONTROL_PB__REQUEST__INIT;
	struct out o;
	uint32_t got = 0, total;

	ctl_connect(c);
	out_begin(&o, stdout, c->json);
	do {
		ControlPb__Reply *r;
		size_t n;

		q.command = cmd;
		q.pid = pid;
		q.offset = got;
		if (ctl_send(c, &q) < 0 || !(r = ctl_recv(c)))
			ctl_die("%s: the broker closed the connection", c->socket);
		n = emit_page(&o, r);
		total = r->total;
		got += (uint32_t)n;
		control_pb__reply__free_unpacked(r, NULL);
		if (n == 0)
			break;
	} while (got < total);
	out_end(&o);
	return 0;
}

static uint32_t parse_u32(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || v > UINT32_MAX || s[0] == '-') {
		char msg[128];

		snprintf(msg, sizeof(msg), "%s: not a number: '%s'", what, s);
		bad_usage(msg);
	}
	return (uint32_t)v;
}

/* ---- call ---- */

/* A connection to NAME: registered with the name server, else the
 * well-known 16-byte name (padded with spaces). */
static xous_err_t call_connect(const char *name, xous_cid_t *cid)
{
	char wk[16];
	xous_err_t err = xns_request_connection(name, cid);
	size_t n = strlen(name);

	if (err != XOUS_ERR_SERVER_NOT_FOUND || n > 16)
		return err;
	memset(wk, ' ', sizeof(wk));
	memcpy(wk, name, n);
	xous_sid_t sid = xous_sid_from_name(wk);
	return xous_try_connect(&sid, cid);
}

static int cmd_call(struct ctl *c, int argc, char **argv)
{
	uintptr_t a[4] = {0};
	xous_scalar_reply_t reply;
	xous_cid_t cid;
	xous_err_t err;

	if (argc < 2 || argc > 6)
		bad_usage("call NAME OPCODE [ARGS...]: a name, an opcode and at most 4 words");
	uint32_t op = parse_u32(argv[1], "OPCODE");
	for (int i = 2; i < argc; i++)
		a[i - 2] = parse_u32(argv[i], "ARGS");
	if (!c->socket)
		ctl_die("no broker named: give --socket PATH or set XOUS_HOSTD");
	setenv(XH_ENV_SOCKET, c->socket, 1);
	err = call_connect(argv[0], &cid);
	if (err)
		ctl_die("%s: %s%s%s", argv[0], xous_strerror(err), xous_host_error() ? ": " : "",
		        xous_host_error() ? xous_host_error() : "");
	err = xous_blocking_scalar(cid, op, a[0], a[1], a[2], a[3], &reply);
	if (err)
		ctl_die("%s opcode %u: %s", argv[0], op, xous_strerror(err));
	if (c->json) {
		printf("{\"words\": [");
		for (uint32_t i = 0; i < reply.count && i < 5; i++)
			printf("%s%llu", i ? ", " : "", (unsigned long long)reply.v[i]);
		printf("]}\n");
	} else {
		for (uint32_t i = 0; i < reply.count && i < 5; i++)
			printf("%s%llu", i ? " " : "", (unsigned long long)reply.v[i]);
		printf("\n");
	}
	return 0;
}

/* ---- main ---- */

static uint32_t opt_pid(int argc, char **argv)
{
	if (argc > 1)
		bad_usage("one PID at most");
	return argc == 1 ? parse_u32(argv[0], "PID") : 0;
}

int main(int argc, char **argv)
{
	struct ctl c = {.socket = getenv(XH_ENV_SOCKET), .fd = -1};
	int i;

	if (c.socket && !*c.socket)
		c.socket = NULL;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--json")) {
			c.json = true;
		} else if (!strcmp(argv[i], "--socket") && i + 1 < argc) {
			c.socket = argv[++i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_text, stdout);
			return 0;
		} else {
			bad_usage("unknown option");
		}
	}
	if (i >= argc)
		bad_usage("no COMMAND");
	const char *cmd = argv[i++];
	int n = argc - i;
	char **rest = argv + i;

	if (!strcmp(cmd, "ps") && n == 0)
		return cmd_list(&c, CONTROL_PB__COMMAND__PS, 0);
	if (!strcmp(cmd, "servers") && n == 0)
		return cmd_list(&c, CONTROL_PB__COMMAND__SERVERS, 0);
	if (!strcmp(cmd, "conns"))
		return cmd_list(&c, CONTROL_PB__COMMAND__CONNS, opt_pid(n, rest));
	if (!strcmp(cmd, "threads"))
		return cmd_list(&c, CONTROL_PB__COMMAND__THREADS, opt_pid(n, rest));
	if (!strcmp(cmd, "monitor"))
		return watch_monitor(&c, n, rest);
	if (!strcmp(cmd, "trace"))
		return watch_trace(&c, n, rest);
	if (!strcmp(cmd, "call"))
		return cmd_call(&c, n, rest);
	bad_usage("unknown COMMAND, or arguments it does not take");
}

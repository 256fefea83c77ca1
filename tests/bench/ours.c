/*
 * ours.c - the outer side of "ours": a broker (xous-hostd --no-fleet
 * --socket PATH, or with its default fleet) per configuration, and server,
 * client and idle processes that are a xous-bench run with --inner ROLE,
 * attached by hand through $XOUS_HOSTD (docs/abi.md, "Attaching by hand").
 * A build (struct ours_build) names the broker and the xous-bench of one
 * build: this one, or with --compare the same source built against another
 * revision's library.
 *
 * Each configuration has its own broker so that configurations can be
 * measured in turn, A B A B: the broker with 500 idle processes and the one
 * with none both stay up for the whole run. A client process runs the timed
 * loop itself and reports the time on its control pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "inner.h"

#define MAX_FANIN        64
#define REPLY_TIMEOUT_MS 120000

struct ours {
	const struct ours_build *b;
	char sock[256];
	char sid[40];
	int nclients;
	/* the clients, then one more that never copies a lend
	 * (XOUS_INLINE_MAX=0): the mapped side of the crossover */
	int cin[MAX_FANIN + 1], cout[MAX_FANIN + 1];
};

static int nbrokers;
static int hostd_log = -1;

/* The brokers' own messages (listening on, fleet tables, shutting down) go
 * to one log in the run's temp dir, shown when a broker lets us down. */
static int log_fd(void)
{
	char path[512];

	if (hostd_log < 0) {
		snprintf(path, sizeof(path), "%s/hostd.log", bench_opts.tmpdir);
		hostd_log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	}
	return hostd_log;
}

void ours_show_log(void)
{
	char path[512], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/hostd.log", bench_opts.tmpdir);
	f = fopen(path, "r");
	if (!f)
		return;
	fprintf(stderr, "xous-bench: what the brokers said (%s):\n", path);
	while (fgets(line, sizeof(line), f))
		fputs(line, stderr);
	fclose(f);
}

/* Start-up only: the broker's key file says it listens. */
static int wait_for_file(const char *path, pid_t pid, int ms)
{
	struct stat st;
	int status;

	for (; ms > 0; ms -= 5) {
		if (stat(path, &st) == 0 && st.st_size > 0)
			return 0;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			bench_untrack(pid);
			return -1;
		}
		usleep(5000);
	}
	return -1;
}

/* The broker's stdout goes to our stderr, so --json output stays clean. */
static int start_broker(struct ours *o, int flags)
{
	char key[300];

	snprintf(o->sock, sizeof(o->sock), "%s/hostd-%d.sock", bench_opts.tmpdir, nbrokers++);
	char *argv[8] = {(char *)o->b->hostd, "--socket", o->sock};
	int n = 3;
	if (!(flags & OURS_FLEET))
		argv[n++] = "--no-fleet";
	if (flags & OURS_STRICT)
		argv[n++] = "--strict-lend";
	if (flags & OURS_DISK) {
		argv[n++] = "--disk";
		argv[n++] = (char *)bench_opts.disk;
	}
	pid_t pid = bench_spawn(argv, -1, 2, log_fd());

	if (pid < 0)
		return -1;
	snprintf(key, sizeof(key), "%s.key", o->sock);
	if (wait_for_file(key, pid, 10000) != 0) {
		fprintf(stderr, "xous-bench: %s did not appear; is the broker working?\n", key);
		return -1;
	}
	return 0;
}

static pid_t spawn_inner(struct ours *o, const char *role, int in_fd, int out_fd)
{
	char *argv[] = {(char *)o->b->self, "--inner", (char *)role, o->sid, NULL};

	setenv(XOUS_ENV_HOSTD, o->sock, 1);
	return bench_spawn(argv, in_fd, out_fd, -1);
}

static int wait_readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	if (poll(&p, 1, REPLY_TIMEOUT_MS) != 1) {
		fprintf(stderr, "xous-bench: no answer from an inner process in %d s\n",
		        REPLY_TIMEOUT_MS / 1000);
		return -1;
	}
	return 0;
}

static int read_timeout(int fd, void *buf, size_t len)
{
	return wait_readable(fd) == 0 ? bench_read_all(fd, buf, len) : -1;
}

/* One answer line of a client (inner.h); a byte at a time is fine, it is
 * read after the clock stopped. */
static int read_answer(int fd, struct inner_res *r)
{
	char line[INNER_LINE_MAX];
	unsigned long long ns;
	size_t n = 0;

	while (n < sizeof(line) - 1) {
		if (wait_readable(fd) != 0 || bench_read_all(fd, &line[n], 1) != 0)
			return -1;
		if (line[n++] == '\n')
			break;
	}
	line[n] = 0;
	memset(r, 0, sizeof(*r));
	if (sscanf(line, "%u %llu %47s", &r->err, &ns, r->what) != 3) {
		fprintf(stderr, "xous-bench: bad answer from an inner client: %s\n", line);
		return -1;
	}
	r->ns = ns;
	return 0;
}

static int start_client(struct ours *o, int i)
{
	int in[2], out[2];
	struct inner_res res;

	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)
		return -1;
	if (spawn_inner(o, "client", in[0], out[1]) < 0)
		return -1;
	close(in[0]);
	close(out[1]);
	o->cin[i] = in[1];
	o->cout[i] = out[0];
	/* the client answers once it is attached and connected */
	if (read_answer(o->cout[i], &res) != 0 || res.err != 0) {
		fprintf(stderr, "xous-bench: inner client did not connect\n");
		return -1;
	}
	return 0;
}

/* Idle processes: each attaches, creates a server and blocks receiving on
 * it, the way a quiet server waits; one byte on the pipe says it is there. */
static int start_idle(struct ours *o, int idle)
{
	int p[2], i;
	char c;

	if (idle <= 0)
		return 0;
	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	for (i = 0; i < idle; i++)
		if (spawn_inner(o, "idle", -1, p[1]) < 0)
			return -1;
	close(p[1]);
	for (i = 0; i < idle; i++) {
		if (read_timeout(p[0], &c, 1) != 0) {
			fprintf(stderr, "xous-bench: only %d of %d idle processes attached\n", i,
			        idle);
			close(p[0]);
			return -1;
		}
	}
	close(p[0]);
	return 0;
}

struct ours *ours_start(const struct ours_build *b, int idle, int fanin, int flags)
{
	struct ours *o = bench_calloc(sizeof(*o));
	uint32_t w[4];
	int i;

	if (!b->hostd)
		return NULL;
	o->b = b;
	if (fanin > MAX_FANIN)
		fanin = MAX_FANIN;
	if (getrandom(w, sizeof(w), 0) != sizeof(w))
		return NULL;
	snprintf(o->sid, sizeof(o->sid), "%08x%08x%08x%08x", w[0], w[1], w[2], w[3]);
	if (start_broker(o, flags) != 0)
		return NULL;
	if (spawn_inner(o, "server", -1, 2) < 0)
		return NULL;
	for (i = 0; i < fanin; i++) {
		if (start_client(o, i) != 0)
			return NULL;
		o->nclients++;
	}
	setenv("XOUS_INLINE_MAX", "0", 1);
	i = start_client(o, o->nclients);
	unsetenv("XOUS_INLINE_MAX");
	if (i != 0)
		return NULL;
	if (start_idle(o, idle) != 0)
		return NULL;
	return o;
}

static int command(struct ours *o, int i, char op, uint64_t size, long n)
{
	char line[INNER_LINE_MAX];
	int len = snprintf(line, sizeof(line), "%c %llu %ld\n", op, (unsigned long long)size, n);

	return bench_write_all(o->cin[i], line, (size_t)len);
}

static int result(struct ours *o, int i, uint64_t *ns)
{
	struct inner_res r;

	if (read_answer(o->cout[i], &r) != 0)
		return -1;
	if (r.err != 0) {
		fprintf(stderr, "xous-bench: inner client: %s (error %u)\n", r.what, r.err);
		return -1;
	}
	*ns = r.ns;
	return 0;
}

static int one_on(struct ours *o, int client, char op, uint64_t size, long n, double *ns)
{
	uint64_t t;

	if (command(o, client, op, size, n) != 0 || result(o, client, &t) != 0)
		return -1;
	*ns = (double)t / (double)n;
	return 0;
}

static int one(struct ours *o, char op, uint64_t size, long n, double *ns)
{
	return one_on(o, 0, op, size, n, ns);
}

int ours_rt(void *ctx, long n, double *ns, double *rate)
{
	(void)rate;
	return one(ctx, INNER_RT, 0, n, ns);
}

/* The two below need a broker with its default fleet. */
int ours_names_lookup(void *ctx, long n, double *ns, double *rate)
{
	(void)rate;
	return one(ctx, INNER_NAMES, 0, n, ns);
}

int ours_ticktimer(void *ctx, long n, double *ns, double *rate)
{
	(void)rate;
	return one(ctx, INNER_TICKTIMER, 0, n, ns);
}

int ours_oneway(void *ctx, long n, double *ns, double *rate)
{
	if (one(ctx, INNER_ONEWAY, 0, n, ns) != 0)
		return -1;
	*rate = 1e9 / *ns;
	return 0;
}

/* The same, but the server takes one message per receive. */
int ours_oneway_one(void *ctx, long n, double *ns, double *rate)
{
	if (one(ctx, INNER_ONEWAY, 1, n, ns) != 0)
		return -1;
	*rate = 1e9 / *ns;
	return 0;
}

int ours_lend(void *ctx, long n, double *ns, double *rate)
{
	struct ours_sized *os = ctx;

	(void)rate;
	return one(os->o, os->op, os->size, n, ns);
}

/* The same lend by the client that maps every lend, however small. */
int ours_lend_mapped(void *ctx, long n, double *ns, double *rate)
{
	struct ours_sized *os = ctx;

	(void)rate;
	return one_on(os->o, os->o->nclients, os->op, os->size, n, ns);
}

/* k clients at once (ctx is a struct ours_sized with size = k): ns is the
 * median client's time per round trip, rate the calls per second of all. */
int ours_fanin(void *ctx, long n, double *ns, double *rate)
{
	struct ours_sized *os = ctx;
	int k = (int)os->size, i;
	double per[MAX_FANIN];
	uint64_t t0 = bench_now_ns(), t;

	if (k > os->o->nclients)
		return -1;
	for (i = 0; i < k; i++)
		if (command(os->o, i, INNER_RT, 0, n) != 0)
			return -1;
	for (i = 0; i < k; i++) {
		if (result(os->o, i, &t) != 0)
			return -1;
		per[i] = (double)t / (double)n;
	}
	*rate = (double)k * (double)n * 1e9 / (double)(bench_now_ns() - t0);
	*ns = bench_median(per, k);
	return 0;
}

/* A build can run the default fleet when its broker is there; the broker
 * fails the run if a fleet server is missing beside it. */
int ours_fleet_available(const struct ours_build *b)
{
	return b->hostd && access(b->hostd, X_OK) == 0;
}

/* One fleet start per operation: xous-hostd -- xous-bench --inner ready.
 * The broker launches the program once every fleet server has registered;
 * the program prints CLOCK_MONOTONIC at its start, which is the end time. */
static int fleet_once(const struct ours_build *b, double *ns)
{
	char sock[300], buf[64];
	int p[2], status;
	uint64_t t0;
	ssize_t n;
	pid_t pid;

	snprintf(sock, sizeof(sock), "%s/fleet-%d.sock", bench_opts.tmpdir, nbrokers++);
	char *argv[] = {(char *)b->hostd, "--socket", sock, "--", (char *)b->self,
	                "--inner",        "ready",    "-",  NULL};
	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	t0 = bench_now_ns();
	pid = bench_spawn(argv, -1, p[1], log_fd());
	close(p[1]);
	n = pid < 0 ? -1 : read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	if (pid > 0 && waitpid(pid, &status, 0) == pid)
		bench_untrack(pid);
	if (n <= 0) {
		fprintf(stderr, "xous-bench: the fleet did not start\n");
		ours_show_log();
		return -1;
	}
	buf[n] = 0;
	*ns = (double)(strtoull(buf, NULL, 10) - t0);
	return 0;
}

int ours_fleet_start(void *ctx, long n, double *ns, double *rate)
{
	double v[BENCH_MAX_REPS];
	long i;

	(void)rate;
	if (n > BENCH_MAX_REPS)
		n = BENCH_MAX_REPS;
	for (i = 0; i < n; i++)
		if (fleet_once(ctx, &v[i]) != 0)
			return -1;
	*ns = bench_median(v, (int)n);
	return 0;
}

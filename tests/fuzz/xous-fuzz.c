/*
 * xous-fuzz - fuzz one server of a live fleet through the broker.
 *
 *   xous-fuzz NAME [--seconds S] [--count N] [--seed N] [--workers W]
 *                  [--max-size BYTES] [--timeout S]
 *
 * Runs as a client of a running broker: under it (`xous-hostd -- xous-fuzz
 * NAME`) or attached by hand (XOUS_HOSTD=PATH, docs/abi.md). NAME is a
 * name registered with the name server, or a 16-byte well-known name
 * (xous-name-server, ticktimer-server, ...), reached by its sid.
 *
 * W worker threads send random messages of every kind (Scalar,
 * BlockingScalar, Borrow, MutableBorrow, Move), opcodes (mostly small ones,
 * where the methods are), arguments and sizes (4 KiB up to --max-size, with
 * random bytes and random offset/valid). It reports:
 *   death  a call fails with SERVER_NOT_FOUND: the server is gone (exit 1);
 *   hang   no call completed for --timeout seconds and the server's queue
 *          stays full: it stopped receiving (exit 2);
 * and, as information, calls the server parks (answered later or never,
 * which a server may do on purpose, e.g. a ticktimer sleep).
 * The last messages sent are printed with a death or a hang; --seed repeats
 * a run's choices (thread timing aside).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xous.h>
#include <xous/names.h>

#define MAX_WORKERS 64
#define HISTORY     16
#define PROBE_ID    0x7fffffffu

struct msg_desc {
	int kind;
	uint32_t id;
	uintptr_t a[4]; /* args, or len, offset, valid */
};

struct worker {
	xous_tid_t thread;
	uint32_t rng;
	xous_range_t buf;
	atomic_int busy;         /* a call is in flight */
	atomic_llong since_ms;   /* when it started */
	struct msg_desc current; /* what it is */
};

static struct {
	xous_cid_t cid;
	size_t max_size;
	atomic_llong completed; /* calls that returned */
	atomic_int dead;
	atomic_int stop;
	atomic_llong sent[6], errors[XOUS_ERR_MAX + 1];
	pthread_mutex_t lock;
	struct msg_desc history[HISTORY];
	unsigned nhistory;
} G = {.lock = PTHREAD_MUTEX_INITIALIZER};

static const char *const kind_names[] = {"none", "MutableBorrow", "Borrow",
                                         "Move", "Scalar",        "BlockingScalar"};

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void describe(const struct msg_desc *m, char *out, size_t n)
{
	if (m->kind >= XOUS_SCALAR)
		snprintf(out, n, "%s id %u args %#lx %#lx %#lx %#lx", kind_names[m->kind], m->id,
		         (unsigned long)m->a[0], (unsigned long)m->a[1], (unsigned long)m->a[2],
		         (unsigned long)m->a[3]);
	else
		snprintf(out, n, "%s id %u len %lu offset %lu valid %lu", kind_names[m->kind],
		         m->id, (unsigned long)m->a[0], (unsigned long)m->a[1],
		         (unsigned long)m->a[2]);
}

static void remember(const struct msg_desc *m)
{
	pthread_mutex_lock(&G.lock);
	G.history[G.nhistory++ % HISTORY] = *m;
	pthread_mutex_unlock(&G.lock);
}

static void print_history(void)
{
	unsigned i, n = G.nhistory < HISTORY ? G.nhistory : HISTORY;
	char line[160];

	fprintf(stderr, "xous-fuzz: the last %u messages sent:\n", n);
	for (i = G.nhistory - n; i < G.nhistory; i++) {
		describe(&G.history[i % HISTORY], line, sizeof(line));
		fprintf(stderr, "  %s\n", line);
	}
}

/* ---- choosing a message ---- */

static uintptr_t pick_word(uint32_t *s)
{
	uint32_t r = rnd(s);

	switch (r % 4) {
	case 0:
		return r >> 28;
	case 1:
		return (r >> 8) % 4096;
	case 2:
		return rnd(s);
	default:
		return (uintptr_t)rnd(s) << 32 | rnd(s);
	}
}

static void pick(struct worker *w, struct msg_desc *m)
{
	uint32_t r = rnd(&w->rng);
	size_t len = XOUS_PAGE_SIZE;
	int i;

	m->kind = 1 + (int)(r % 5);
	r = rnd(&w->rng);
	m->id = r % 10 < 7 ? r % 16 : r % 10 < 9 ? r % 256 : rnd(&w->rng);
	if (m->kind >= XOUS_SCALAR) {
		for (i = 0; i < 4; i++)
			m->a[i] = pick_word(&w->rng);
		return;
	}
	while (len < G.max_size && rnd(&w->rng) % 2)
		len *= 2;
	m->a[0] = len;
	m->a[1] = rnd(&w->rng) % 4 ? 0 : rnd(&w->rng) % (len + 1);
	m->a[2] = rnd(&w->rng) % (len + 1);
	m->a[3] = 0;
}

static void fill_random(uint32_t *s, void *buf, size_t len)
{
	uint32_t *p = buf;
	size_t i;

	for (i = 0; i < len / 4; i++)
		p[i] = rnd(s);
}

/* ---- sending it ---- */

static xous_err_t send_move(struct worker *w, const struct msg_desc *m)
{
	xous_range_t r;
	xous_err_t err = xous_map_memory(m->a[0], XOUS_MEM_R | XOUS_MEM_W, &r);

	if (err)
		return err;
	fill_random(&w->rng, r.addr, r.len);
	err = xous_send_memory(G.cid, m->id, r, m->a[1], m->a[2]);
	if (err)
		xous_unmap_memory(r); /* still ours */
	return err;
}

static xous_err_t send_one(struct worker *w, const struct msg_desc *m)
{
	xous_range_t part = {w->buf.addr, m->a[0]};
	xous_scalar_reply_t reply;
	size_t off, valid;

	switch (m->kind) {
	case XOUS_SCALAR:
		return xous_send_scalar(G.cid, m->id, m->a[0], m->a[1], m->a[2], m->a[3]);
	case XOUS_BLOCKING_SCALAR:
		return xous_blocking_scalar(G.cid, m->id, m->a[0], m->a[1], m->a[2], m->a[3],
		                            &reply);
	case XOUS_MOVE:
		return send_move(w, m);
	case XOUS_BORROW:
		fill_random(&w->rng, part.addr, part.len);
		return xous_lend(G.cid, m->id, part, m->a[1], m->a[2], &off, &valid);
	default:
		fill_random(&w->rng, part.addr, part.len);
		return xous_lend_mut(G.cid, m->id, part, m->a[1], m->a[2], &off, &valid);
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	while (!atomic_load(&G.stop)) {
		struct msg_desc m;
		xous_err_t err;

		pick(w, &m);
		w->current = m;
		atomic_store(&w->since_ms, now_ms());
		atomic_store(&w->busy, 1);
		remember(&m);
		atomic_fetch_add(&G.sent[m.kind], 1);
		err = send_one(w, &m);
		atomic_store(&w->busy, 0);
		atomic_fetch_add(&G.completed, 1);
		atomic_fetch_add(&G.errors[err <= XOUS_ERR_MAX ? err : 0], 1);
		if (err == XOUS_ERR_SERVER_NOT_FOUND) {
			atomic_store(&G.dead, 1);
			break;
		}
	}
	return NULL;
}

/* ---- the watchdog ---- */

/* The server still receives: its queue does not stay full for a second. */
static int server_receives(void)
{
	int i;

	for (i = 0; i < 4096; i++) { /* fill the queue, if it can be filled */
		xous_err_t err = xous_try_send_scalar(G.cid, PROBE_ID, 0, 0, 0, 0);

		if (err == XOUS_ERR_SERVER_NOT_FOUND)
			return 0;
		if (err == XOUS_ERR_SERVER_QUEUE_FULL)
			break;
	}
	sleep(1);
	return xous_try_send_scalar(G.cid, PROBE_ID, 0, 0, 0, 0) == XOUS_OK;
}

static void report_parked(struct worker *ws, int n, long long timeout_ms)
{
	char line[160];
	int i;

	for (i = 0; i < n; i++) {
		if (!atomic_load(&ws[i].busy) ||
		    now_ms() - atomic_load(&ws[i].since_ms) < timeout_ms)
			continue;
		describe(&ws[i].current, line, sizeof(line));
		printf("xous-fuzz: parked for %lld ms (may be on purpose): %s\n",
		       now_ms() - atomic_load(&ws[i].since_ms), line);
	}
}

/* Returns 0 (ran out of time or count), 1 (death) or 2 (hang). */
static int watch(struct worker *ws, int n, long long end_ms, long long count, long long timeout_ms)
{
	long long last = -1, last_change = now_ms();

	for (;;) {
		long long c = atomic_load(&G.completed);
		struct timespec nap = {0, 50 * 1000 * 1000};

		if (atomic_load(&G.dead))
			return 1;
		if (now_ms() >= end_ms || (count > 0 && c >= count))
			return 0;
		if (c != last) {
			last = c;
			last_change = now_ms();
		} else if (now_ms() - last_change >= timeout_ms) {
			report_parked(ws, n, timeout_ms);
			if (!server_receives())
				return atomic_load(&G.dead) ? 1 : 2;
			printf("xous-fuzz: every worker waits on a parked call; the server still "
			       "receives: stopping\n");
			return 0;
		}
		nanosleep(&nap, NULL);
	}
}

/* ---- main ---- */

static int usage(FILE *f)
{
	fprintf(f, "usage: xous-fuzz NAME [--seconds S] [--count N] [--seed N] [--workers W] "
	           "[--max-size BYTES] [--timeout S]\n"
	           "       xous-fuzz --help | --version\n"
	           "Fuzzes the server NAME of a running fleet: run it under xous-hostd\n"
	           "(xous-hostd -- xous-fuzz NAME) or attached (XOUS_HOSTD=PATH).\n");
	return f == stdout ? 0 : 64;
}

static xous_err_t connect_to(const char *name)
{
	static const char *const known[] = {XOUS_NAME_NAMES, XOUS_NAME_TICKTIMER, XOUS_NAME_LOG,
	                                    XOUS_NAME_TIME};
	xous_sid_t sid;
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (strcmp(name, known[i]) == 0 ||
		    (strlen(name) == 15 && strncmp(name, known[i], 15) == 0)) {
			sid = xous_sid_from_name(known[i]);
			return xous_try_connect(&sid, &G.cid);
		}
	}
	/* Any other 16-byte name: a well-known server if one has that sid. */
	if (strlen(name) == 16) {
		sid = xous_sid_from_name(name);
		if (xous_try_connect(&sid, &G.cid) == XOUS_OK)
			return XOUS_OK;
	}
	return xns_request_connection(name, &G.cid);
}

static void summary(long long ms)
{
	int i;

	printf("xous-fuzz: %lld calls in %lld ms:", (long long)atomic_load(&G.completed), ms);
	for (i = 1; i <= 5; i++)
		printf(" %s %lld", kind_names[i], (long long)atomic_load(&G.sent[i]));
	printf("\nxous-fuzz: results:");
	for (i = 0; i <= XOUS_ERR_MAX; i++)
		if (atomic_load(&G.errors[i]))
			printf(" %s %lld", i ? xous_strerror((xous_err_t)i) : "ok",
			       (long long)atomic_load(&G.errors[i]));
	printf("\n");
}

int main(int argc, char **argv)
{
	static struct worker ws[MAX_WORKERS];
	long long seconds = 10, count = 0, timeout = 5, start;
	uint32_t seed = (uint32_t)time(NULL) ^ (uint32_t)getpid();
	int i, nworkers = 8, rc;
	const char *name;
	xous_err_t err;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return usage(stdout);
	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("xous-fuzz (xous-host) %s\n", XOUS_VERSION);
		return 0;
	}
	if (argc < 2 || argv[1][0] == '-')
		return usage(stderr);
	name = argv[1];
	G.max_size = 1 << 20;
	for (i = 2; i + 1 < argc; i += 2) {
		long long v = strtoll(argv[i + 1], NULL, 0);

		if (strcmp(argv[i], "--seconds") == 0 && v > 0)
			seconds = v;
		else if (strcmp(argv[i], "--count") == 0 && v > 0)
			count = v;
		else if (strcmp(argv[i], "--seed") == 0)
			seed = (uint32_t)v;
		else if (strcmp(argv[i], "--workers") == 0 && v > 0 && v <= MAX_WORKERS)
			nworkers = (int)v;
		else if (strcmp(argv[i], "--max-size") == 0 && v >= XOUS_PAGE_SIZE)
			G.max_size = (size_t)v;
		else if (strcmp(argv[i], "--timeout") == 0 && v > 0)
			timeout = v;
		else
			return usage(stderr);
	}
	if (i != argc)
		return usage(stderr);
	err = connect_to(name);
	if (err) {
		fprintf(stderr, "xous-fuzz: cannot connect to %s: %s\n", name, xous_strerror(err));
		return 3;
	}
	printf("xous-fuzz: %s, %d workers, seed %u\n", name, nworkers, seed);
	fflush(stdout);
	for (i = 0; i < nworkers; i++) {
		ws[i].rng = (seed + 0x9e3779b9u * (uint32_t)(i + 1)) | 1;
		if (xous_map_memory(G.max_size, XOUS_MEM_R | XOUS_MEM_W, &ws[i].buf) ||
		    xous_create_thread(worker_main, &ws[i], &ws[i].thread)) {
			fprintf(stderr, "xous-fuzz: cannot start worker %d\n", i);
			return 3;
		}
	}
	start = now_ms();
	rc = watch(ws, nworkers, start + seconds * 1000, count, timeout * 1000);
	atomic_store(&G.stop, 1);
	summary(now_ms() - start);
	if (rc == 1)
		fprintf(stderr, "xous-fuzz: DEATH: %s is gone (a call got SERVER_NOT_FOUND)\n",
		        name);
	if (rc == 2)
		fprintf(stderr,
		        "xous-fuzz: HANG: %s completed no call for %lld s and its queue stays "
		        "full\n",
		        name, timeout);
	if (rc)
		print_history();
	fflush(stdout);
	_exit(rc); /* workers may still wait on parked calls */
}

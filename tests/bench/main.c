/*
 * main.c - xous-bench: options, the peers and brokers of one run, the
 * scenarios in docs/benchmarks.md's order, then the table, JSON and plot.
 *
 *   xous-bench [--quick] [--reps N] [--json] [--plot FILE] [--cpu N]
 *              [--hostd PATH] [--only GROUPS] [--compare BENCH [--labels A,B]]
 * --compare runs the hot scenarios through this build and through another
 * (BENCH: a xous-bench built from this source against the other build's
 * library, its xous-hostd and fleet servers beside it), A B A B, and
 * prints both medians and their ratio (scripts/bench --compare REV).
 * --cpu N pins every process of the run to cpu N (default: the first cpu
 * this process may use, usually 0); --cpu -1 pins nothing. On a 2-vCPU VM an
 * unpinned run measures where the scheduler put each process more than it
 * measures the code.
 */
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "inner.h"

struct bench_opts bench_opts = {.cpu = -2};

static struct scenario scen[BENCH_MAX_SCENARIOS];
static int nscen;
static char tmpdir[] = "/tmp/xous-bench.XXXXXX";
static const char *only;

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: xous-bench [--quick] [--reps N] [--json] [--plot FILE] [--cpu N]\n"
	        "                  [--hostd PATH] [--only GROUP,...] [--compare BENCH]\n"
	        "Measures xous-hostd beside its peers (bare seqpacket, a forwarding process,\n"
	        "dbus-daemon, socket copies), A B A B, and prints medians and the targets.\n"
	        "  --quick       short batches and 2 repetitions (a smoke run)\n"
	        "  --reps N      repetitions per scenario (default 11, at most %d)\n"
	        "  --json        the results as JSON on stdout (the table goes to stderr)\n"
	        "  --plot FILE   a PNG of lend time by size (gnuplot)\n"
	        "  --cpu N       pin every process to cpu N (default: the first allowed);\n"
	        "                -1 pins nothing\n"
	        "  --hostd PATH  the broker (default: xous-hostd beside this program)\n"
	        "  --only LIST   some of: scalar,oneway,lend,fanin,idle,fleet,servers,\n"
	        "                benchmark,storage\n"
	        "  --compare BENCH  this build against another, A B A B: the blocking\n"
	        "                scalar, lend_mut 4 KiB and 16 MiB, lend 4 KiB, a names\n"
	        "                lookup, a ticktimer scalar (groups scalar,lend,servers);\n"
	        "                BENCH is a xous-bench built from this source against the\n"
	        "                other build, its xous-hostd and fleet servers beside it\n"
	        "  --labels A,B  names of this build and the other in the output\n",
	        BENCH_MAX_REPS);
}

static const char *groups[] = {"scalar", "oneway",  "lend",      "fanin",   "idle",
                               "fleet",  "servers", "benchmark", "storage", "net"};

/* Every name of a comma list must be a group. */
static int valid_only(const char *list)
{
	char buf[256], *save = NULL, *tok;
	size_t i;

	if (strlen(list) >= sizeof(buf))
		return 0;
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
			if (strcmp(tok, groups[i]) == 0)
				break;
		if (i == sizeof(groups) / sizeof(groups[0])) {
			fprintf(stderr, "xous-bench: --only: no group %s\n", tok);
			return 0;
		}
	}
	return 1;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void cleanup(void)
{
	bench_kill_all();
	nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void on_signal(int sig)
{
	static const char msg[] = "xous-bench: stopped (signal or time limit)\n";

	if (write(2, msg, sizeof(msg) - 1) < 0)
		sig = -sig;
	cleanup();
	_exit(sig == SIGALRM ? 3 : 128 + (sig > 0 ? sig : -sig));
}

/* The xous-hostd beside bench, as both are built into <build>/bin; NULL if
 * there is none. */
static const char *hostd_beside(const char *bench)
{
	char *hostd = bench_calloc(strlen(bench) + sizeof("xous-hostd"));
	char *slash;

	strcpy(hostd, bench);
	slash = strrchr(hostd, '/');
	if (!slash)
		return NULL;
	strcpy(slash + 1, "xous-hostd");
	return access(hostd, X_OK) == 0 ? hostd : NULL;
}

static void find_hostd(void)
{
	static char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return;
	self[n] = 0;
	bench_opts.ours.self = self;
	if (!bench_opts.ours.hostd)
		bench_opts.ours.hostd = hostd_beside(self);
}

/* --compare BENCH: the other build's xous-bench and the xous-hostd beside it. */
static int find_base(const char *bench)
{
	static char path[PATH_MAX];

	if (!realpath(bench, path) || access(path, X_OK) != 0) {
		fprintf(stderr, "xous-bench: --compare %s: not an executable\n", bench);
		return -1;
	}
	bench_opts.base.self = path;
	bench_opts.base.hostd = hostd_beside(path);
	if (!bench_opts.base.hostd) {
		fprintf(stderr, "xous-bench: --compare: no xous-hostd beside %s\n", path);
		return -1;
	}
	return 0;
}

/* --labels A,B */
static int parse_labels(char *arg)
{
	char *comma = strchr(arg, ',');

	if (!comma || comma == arg || !comma[1] || strchr(comma + 1, ',')) {
		fprintf(stderr, "xous-bench: --labels takes two names: THIS,OTHER\n");
		return -1;
	}
	*comma = 0;
	bench_opts.labels[0] = arg;
	bench_opts.labels[1] = comma + 1;
	return 0;
}

/* A whole decimal number, or INT_MIN for anything else. */
static int number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < -1000000 || v > 1000000)
		return INT_MIN;
	return (int)v;
}

static int parse(int argc, char **argv)
{
	static const struct option lo[] = {
	        {"quick", no_argument, 0, 'q'},        {"reps", required_argument, 0, 'r'},
	        {"json", no_argument, 0, 'j'},         {"plot", required_argument, 0, 'p'},
	        {"cpu", required_argument, 0, 'c'},    {"hostd", required_argument, 0, 'H'},
	        {"only", required_argument, 0, 'o'},   {"compare", required_argument, 0, 'C'},
	        {"labels", required_argument, 0, 'L'}, {"help", no_argument, 0, 'h'},
	        {"version", no_argument, 0, 'V'},      {0, 0, 0, 0}};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'q':
			bench_opts.quick = 1;
			break;
		case 'r':
			bench_opts.reps = number(optarg);
			break;
		case 'j':
			bench_opts.json = 1;
			break;
		case 'p':
			bench_opts.plot = optarg;
			break;
		case 'c':
			bench_opts.cpu = number(optarg) < -1 ? -3 : number(optarg);
			break;
		case 'H':
			bench_opts.ours.hostd = optarg;
			break;
		case 'o':
			only = optarg;
			break;
		case 'C':
			if (find_base(optarg) != 0)
				return -1;
			break;
		case 'L':
			if (parse_labels(optarg) != 0)
				return -1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("xous-bench (xous-host) %s\n", XOUS_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (only && !valid_only(only))
		return -1;
	if (bench_opts.ours.hostd && access(bench_opts.ours.hostd, X_OK) != 0) {
		fprintf(stderr, "xous-bench: --hostd %s: not an executable\n",
		        bench_opts.ours.hostd);
		return -1;
	}
	if (bench_opts.base.self && bench_opts.plot) {
		fprintf(stderr, "xous-bench: --plot draws the peers' lends, not --compare\n");
		return -1;
	}
	if (optind != argc || bench_opts.reps < 0 || bench_opts.reps > BENCH_MAX_REPS) {
		usage(stderr);
		return -1;
	}
	bench_opts.cpu = bench_choose_cpu(bench_opts.cpu);
	if (bench_opts.cpu == -3) {
		fprintf(stderr, "xous-bench: --cpu: not a cpu this process may run on\n");
		return -1;
	}
	if (!bench_opts.reps)
		bench_opts.reps = bench_opts.quick ? 2 : 11;
	return 0;
}

static int want(const char *group)
{
	return !only || strstr(only, group) != NULL;
}

/* Batch sizes: long enough to dwarf the clock, short enough for a shared
 * machine; --quick divides them by ten. */
static long ops(long n)
{
	n = bench_opts.quick ? n / 10 : n;
	return n > 0 ? n : 1;
}

static struct scenario *new_scenario(const char *name, const char *title, const char *unit)
{
	struct scenario *s = &scen[nscen++];

	snprintf(s->name, sizeof(s->name), "%s", name);
	s->title = title;
	s->unit = unit;
	return s;
}

static void progress(const char *what)
{
	static uint64_t t0;

	if (!t0)
		t0 = bench_now_ns();
	fprintf(stderr, "xous-bench: [%5.1f s] %s\n", (double)(bench_now_ns() - t0) / 1e9, what);
}

static void *sized(void *p, size_t size, char op)
{
	struct ours_sized *o = bench_calloc(sizeof(*o));

	o->o = p;
	o->size = size;
	o->op = op;
	return o;
}

struct peers {
	struct peer *bare, *forward, *forward_ack, *copy;
	struct dbus_peer *dbus;
	struct ours *ours, *strict, *fan, *idle[3], *fleet; /* strict: --strict-lend */
};

/* The hot paths, as --compare measures them; "servers" is measured in a
 * full run too, through a broker with its default fleet. */
static const struct hot {
	const char *group, *name, *title;
	bench_fn fn;
	char op; /* ours_lend's */
	size_t size;
	long n;
} hot[] = {
        {"scalar", "scalar_rt", "blocking scalar round trip", ours_rt, 0, 0, 2000},
        {"lend", "lend_mut_4k", "lend_mut round trip, 4 KiB", ours_lend, 'm', 4096, 2000},
        {"lend", "lend_mut_16m", "lend_mut round trip, 16 MiB", ours_lend, 'm', 16 << 20, 20},
        {"lend", "lend_4k", "lend round trip, 4 KiB", ours_lend, 'l', 4096, 2000},
        {"servers", "names_lookup", "name server lookup of a registered name", ours_names_lookup, 0,
         0, 1000},
        {"servers", "ticktimer_rt", "blocking scalar to the ticktimer (elapsed ms)", ours_ticktimer,
         0, 0, 2000},
};

/* The hot scenarios of group, each with one variant per broker o[i] (named
 * names[i]), A B A B. */
static void hot_scenarios(const char *group, struct ours *const o[], const char *const names[],
                          int nb)
{
	size_t i;
	int b;

	for (i = 0; i < sizeof(hot) / sizeof(hot[0]); i++) {
		const struct hot *h = &hot[i];
		struct scenario *s;
		if (strcmp(h->group, group) != 0 || !want(group))
			continue;
		s = new_scenario(h->name, h->title, "us");
		s->size = h->size;
		for (b = 0; b < nb; b++)
			bench_add(s, names[b], h->fn, h->op ? sized(o[b], h->size, h->op) : o[b],
			          ops(h->n));
		progress(h->title);
		bench_run_scenario(s, bench_opts.reps);
	}
}

static void scalar_scenarios(struct peers *p)
{
	struct scenario *s;

	if (want("scalar")) {
		s = new_scenario("scalar_rt", "blocking scalar round trip", "us");
		s->switches = 1;
		if (p->ours)
			bench_add(s, "ours", ours_rt, p->ours, ops(2000));
		if (p->strict)
			bench_add(s, "ours_strict", ours_rt, p->strict, ops(2000));
		bench_add(s, "bare", peer_rt, p->bare, ops(2000));
		bench_add(s, "forward", peer_rt, p->forward, ops(2000));
		if (p->dbus)
			bench_add(s, "dbus", dbus_rt, p->dbus, ops(1000));
		progress("blocking scalar round trip");
		bench_run_scenario(s, bench_opts.reps);
	}
	if (want("oneway")) {
		s = new_scenario("scalar_oneway", "non-blocking scalar throughput", "msg/s");
		if (p->ours)
			bench_add(s, "ours", ours_oneway, p->ours, ops(10000));
		if (p->ours)
			bench_add(s, "ours_one", ours_oneway_one, p->ours, ops(10000));
		bench_add(s, "bare", peer_oneway, p->bare, ops(10000));
		bench_add(s, "forward", peer_oneway, p->forward, ops(10000));
		bench_add(s, "forward_ack", peer_oneway, p->forward_ack, ops(10000));
		progress("non-blocking scalar throughput");
		bench_run_scenario(s, bench_opts.reps);
	}
}

static void lend_scenarios(struct peers *p)
{
	static const struct {
		const char *name;
		size_t size;
		long n;
	} sizes[] = {{"lend_4k", 4096, 2000},   {"lend_8k", 8192, 2000},
	             {"lend_16k", 16384, 2000}, {"lend_32k", 32768, 1000},
	             {"lend_64k", 65536, 1000}, {"lend_1m", 1 << 20, 200},
	             {"lend_16m", 16 << 20, 20}};
	size_t i;

	if (!want("lend"))
		return;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct scenario *s = new_scenario(sizes[i].name, "lend round trip by size", "us");
		struct peer_sized *ps = bench_calloc(sizeof(*ps));
		long n = ops(sizes[i].n);
		s->size = sizes[i].size;
		ps->p = p->copy;
		ps->size = sizes[i].size;
		if (p->ours) {
			bench_add(s, "lend_mut", ours_lend, sized(p->ours, s->size, 'm'), n);
			/* copied vs mapped: where small lends stop being copied */
			if (s->size <= 32768)
				bench_add(s, "lend_mut_mapped", ours_lend_mapped,
				          sized(p->ours, s->size, 'm'), n);
			bench_add(s, "lend_mut_cold", ours_lend, sized(p->ours, s->size, 'c'), n);
			bench_add(s, "lend_mut_fill", ours_lend, sized(p->ours, s->size, 'f'), n);
			bench_add(s, "lend", ours_lend, sized(p->ours, s->size, 'l'), n);
			bench_add(s, "move", ours_lend, sized(p->ours, s->size, 'v'), n);
		}
		if (p->strict) /* the isolation modes: every lend copied */
			bench_add(s, "lend_mut_strict", ours_lend, sized(p->strict, s->size, 'm'),
			          n);
		bench_add(s, "copy_both", peer_copy_both, ps, n);
		bench_add(s, "copy_there", peer_copy_there, ps, n);
		progress(sizes[i].name);
		bench_run_scenario(s, bench_opts.reps);
	}
}

static void scale_scenarios(struct peers *p)
{
	static char fnames[3][16], inames[3][16];
	struct scenario *s;
	int i;

	if (p->fan) {
		s = new_scenario("fanin", "clients on one server: round trip, calls/s", "us");
		for (i = 0; i < 3; i++) {
			snprintf(fnames[i], sizeof(fnames[i]), "clients%d",
			         bench_opts.fanin_levels[i]);
			bench_add(s, fnames[i], ours_fanin,
			          sized(p->fan, (size_t)bench_opts.fanin_levels[i], 0), ops(500));
		}
		progress("fan-in");
		bench_run_scenario(s, bench_opts.reps);
	}
	if (p->idle[0]) {
		s = new_scenario("idle", "round trip with idle connected processes", "us");
		for (i = 0; i < 3; i++) {
			if (!p->idle[i])
				continue;
			snprintf(inames[i], sizeof(inames[i]), "idle%d", bench_opts.idle_levels[i]);
			bench_add(s, inames[i], ours_rt, p->idle[i], ops(2000));
		}
		progress("idle scaling");
		bench_run_scenario(s, bench_opts.reps);
	}
}

/* Resea's benchmark server (a broker with its fleet): nop beside the
 * blocking scalar round trip; nop_with_ool beside what it costs at least,
 * a 4 KiB lend_mut round trip and the two copies of n bytes its API demands
 * (memcpy into warm memory), all measured in turn (report.c's targets). */
static void benchmark_scenarios(struct peers *p)
{
	static const struct {
		const char *name;
		size_t size;
		long n;
	} sizes[] = {{"bench_ool_3", 3, 2000},
	             {"bench_ool_4k", 4096, 2000},
	             {"bench_ool_1m", 1 << 20, 200},
	             {"bench_ool_16m", 16 << 20, 20}};
	struct scenario *s;

	if (!p->fleet || !want("benchmark"))
		return;
	s = new_scenario("bench_nop", "benchmark nop beside a blocking scalar round trip", "us");
	bench_add(s, "nop", ours_lend, sized(p->fleet, 0, INNER_BENCH_NOP), ops(2000));
	bench_add(s, "scalar_rt", ours_rt, p->fleet, ops(2000));
	progress("benchmark nop");
	bench_run_scenario(s, bench_opts.reps);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		long n = ops(sizes[i].n);
		s = new_scenario(sizes[i].name,
		                 "benchmark nop_with_ool beside lend_mut 4 KiB, memcpy", "us");
		s->size = sizes[i].size;
		bench_add(s, "nop_with_ool", ours_lend, sized(p->fleet, s->size, INNER_BENCH_OOL),
		          n);
		bench_add(s, "lend_mut_4k", ours_lend, sized(p->fleet, 4096, INNER_LEND_MUT),
		          ops(2000));
		bench_add(s, "memcpy", ours_lend, sized(p->fleet, s->size, INNER_MEMCPY), n);
		progress(sizes[i].name);
		bench_run_scenario(s, bench_opts.reps);
	}
}

/* fs on blk on an image file beside dd and pread on the same file: 64 MiB
 * written and read sequentially, 4 KiB read at random offsets. */
static void storage_scenarios(void)
{
	const long seq = bench_opts.quick ? 1 : 3;
	struct storage *img;
	struct ours *o;
	struct scenario *s;

	if (!bench_opts.ours.hostd || !want("storage") || !(img = storage_image()))
		return;
	progress("starting a broker with its fleet and --disk");
	if (!(o = ours_start(&bench_opts.ours, 0, 1, OURS_FLEET | OURS_DISK))) {
		fprintf(stderr, "xous-bench: the broker with --disk did not start\n");
		ours_show_log();
		return;
	}
	s = new_scenario("fs_write_64m", "64 MiB written in 16 MiB calls: fs beside dd", "ms");
	s->size = (size_t)STORAGE_FILE_MIB << 20;
	bench_add(s, "fs", ours_lend, sized(o, s->size, INNER_FS_WRITE), seq);
	bench_add(s, "dd", storage_dd_write, img, seq);
	progress("fs write 64 MiB");
	bench_run_scenario(s, bench_opts.reps);
	s = new_scenario("fs_read_64m", "64 MiB read in 16 MiB calls: fs beside dd", "ms");
	s->size = (size_t)STORAGE_FILE_MIB << 20;
	bench_add(s, "fs", ours_lend, sized(o, s->size, INNER_FS_READ), seq);
	bench_add(s, "dd", storage_dd_read, img, seq);
	progress("fs read 64 MiB");
	bench_run_scenario(s, bench_opts.reps);
	s = new_scenario("fs_rand_4k", "4 KiB reads at random offsets: fs beside pread", "msg/s");
	s->size = 4096;
	bench_add(s, "fs", storage_fs_random,
	          sized(o, (size_t)STORAGE_FILE_MIB << 20, INNER_FS_RANDOM), ops(2000));
	bench_add(s, "pread", storage_pread_random, img, ops(2000));
	progress("fs random 4 KiB reads");
	bench_run_scenario(s, bench_opts.reps);
}

static void fleet_scenarios(struct peers *p)
{
	static const char *const names[] = {"ours"};
	struct scenario *s;

	if (p->fleet)
		hot_scenarios("servers", &p->fleet, names, 1);
	benchmark_scenarios(p);
	if (!want("fleet"))
		return;
	if (!ours_fleet_available(&bench_opts.ours)) {
		progress("fleet start skipped: the default servers are not beside xous-hostd");
		return;
	}
	s = new_scenario("fleet_start", "start to every default server registered", "ms");
	bench_add(s, "ours", ours_fleet_start, &bench_opts.ours, bench_opts.quick ? 1 : 3);
	progress("fleet start");
	bench_run_scenario(s, bench_opts.quick ? 1 : 3);
}

/* Ping round trips through net and ip, beside the host's own to a veth peer. */
static void net_scenarios(void)
{
	char line[160];
	const char *why;
	struct scenario *s;

	if (!want("net") || !bench_opts.ours.hostd)
		return;
	progress("starting a broker with --net");
	why = net_bench_start(&bench_opts.ours);
	if (why) {
		snprintf(line, sizeof(line), "ping skipped: %s", why);
		progress(line);
		return;
	}
	s = new_scenario("net_ping", "ping round trip: through net and ip vs a veth peer", "us");
	bench_add(s, "ours", net_ping_ours, NULL, ops(200));
	bench_add(s, "veth", net_ping_veth, NULL, ops(200));
	progress("ping round trip");
	bench_run_scenario(s, bench_opts.quick ? 3 : bench_opts.reps);
}

/* Exit status: 1 when ours could not start or a variant failed midway (the
 * results of the others are still printed). */
static int all_ran(void)
{
	int i, j;

	if (strcmp(bench_opts.ours_status, "failed") == 0)
		return 0;
	for (i = 0; i < nscen; i++)
		for (j = 0; j < scen[i].nv; j++)
			if (scen[i].v[j].failed)
				return 0;
	return 1;
}

/* Peers first (forked, cheap), then one broker per configuration. */
static void start_all(struct peers *p)
{
	int i;

	progress("starting peers");
	p->bare = peer_bare_start();
	p->forward = peer_forward_start(0);
	p->forward_ack = peer_forward_start(1);
	p->copy = peer_copy_start();
	if (!p->bare || !p->forward || !p->forward_ack || !p->copy) {
		fprintf(stderr, "xous-bench: the socket peers did not start\n");
		exit(1);
	}
	if (want("scalar"))
		p->dbus = dbus_peer_start();
	if (!bench_opts.ours.hostd) {
		progress("ours skipped: no xous-hostd beside this program (or --hostd PATH)");
		return;
	}
	progress("starting brokers");
	p->ours = ours_start(&bench_opts.ours, 0, 1, 0);
	bench_opts.ours_status = p->ours ? "ok" : "failed";
	if (!p->ours) {
		fprintf(stderr, "xous-bench: ours did not start; peers only\n");
		ours_show_log();
	}
	if (p->ours && (want("scalar") || want("lend"))) {
		p->strict = ours_start(&bench_opts.ours, 0, 1, OURS_STRICT);
		if (!p->strict) {
			fprintf(stderr,
			        "xous-bench: the broker with --strict-lend did not start\n");
			ours_show_log();
			bench_opts.ours_status = "failed";
		}
	}
	if (p->ours && want("fanin"))
		p->fan = ours_start(&bench_opts.ours, 0, bench_opts.fanin_levels[2], 0);
	if (p->ours && want("idle")) {
		p->idle[0] = p->ours;
		for (i = 1; i < 3; i++)
			p->idle[i] = ours_start(&bench_opts.ours, bench_opts.idle_levels[i], 1, 0);
	}
	if (p->ours && (want("servers") || want("benchmark")) &&
	    ours_fleet_available(&bench_opts.ours)) {
		p->fleet = ours_start(&bench_opts.ours, 0, 1, OURS_FLEET);
		if (!p->fleet) {
			fprintf(stderr, "xous-bench: the broker with its fleet did not start\n");
			ours_show_log();
			bench_opts.ours_status = "failed";
		}
	}
}

/* --compare: a broker with its fleet for each build, then the hot
 * scenarios, this build and the other in turn. */
static int compare(void)
{
	static const char *const names[] = {"this", "base"};
	struct ours *o[2];

	if (!bench_opts.ours.hostd || !ours_fleet_available(&bench_opts.ours) ||
	    !ours_fleet_available(&bench_opts.base)) {
		fprintf(stderr, "xous-bench: --compare needs xous-hostd and the default servers "
		                "beside both xous-bench programs\n");
		return 1;
	}
	progress("starting the two brokers, each with its fleet");
	o[0] = ours_start(&bench_opts.ours, 0, 1, OURS_FLEET);
	o[1] = o[0] ? ours_start(&bench_opts.base, 0, 1, OURS_FLEET) : NULL;
	if (!o[1]) {
		fprintf(stderr, "xous-bench: the %s build did not start\n",
		        o[0] ? "other" : "this");
		ours_show_log();
		return 1;
	}
	hot_scenarios("scalar", o, names, 2);
	hot_scenarios("lend", o, names, 2);
	hot_scenarios("servers", o, names, 2);
	bench_kill_all();
	report_compare_table(scen, nscen);
	if (bench_opts.json)
		report_json(scen, nscen);
	return all_ran() ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct peers p = {0};

	if (argc >= 2 && strcmp(argv[1], "--inner") == 0)
		return inner_main(argc, argv);
	if (parse(argc, argv) != 0)
		return 2;
	if (!mkdtemp(tmpdir)) {
		perror("xous-bench: mkdtemp");
		return 1;
	}
	bench_opts.tmpdir = tmpdir;
	unsetenv("XOUS_FD"); /* our children attach by hand, never through ours */
	find_hostd();
	bench_opts.ours_status = bench_opts.ours.hostd ? "ok" : "not built";
	memcpy(bench_opts.idle_levels, bench_opts.quick ? (int[]){0, 10, 50} : (int[]){0, 100, 500},
	       sizeof(bench_opts.idle_levels));
	memcpy(bench_opts.fanin_levels, bench_opts.quick ? (int[]){1, 4, 8} : (int[]){1, 8, 64},
	       sizeof(bench_opts.fanin_levels));
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGALRM, on_signal);
	alarm(bench_opts.quick ? 600 : 3600); /* a stuck peer must not hang a CI run */
	atexit(cleanup);
	bench_pin_self();
	if (bench_opts.base.self)
		return compare();
	start_all(&p);
	scalar_scenarios(&p);
	lend_scenarios(&p);
	scale_scenarios(&p);
	fleet_scenarios(&p);
	storage_scenarios();
	net_scenarios();
	dbus_peer_stop(p.dbus);
	bench_kill_all(); /* their goodbyes go before the table, not into it */
	report_table(scen, nscen);
	if (bench_opts.json)
		report_json(scen, nscen);
	if (bench_opts.plot && report_plot(scen, nscen, bench_opts.plot) != 0)
		return 1;
	return all_ran() ? 0 : 1;
}

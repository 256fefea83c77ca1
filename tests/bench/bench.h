/*
 * bench.h - xous-bench: every scenario of docs/benchmarks.md beside its peers.
 *
 * A scenario is a set of variants (ours and its peers) measured in the same
 * run: each repetition runs one batch of every variant in turn (A B A B), so
 * drift on a shared machine hits all of them alike; the median of the
 * repetitions is what the table shows.
 */
#ifndef XOUS_BENCH_H
#define XOUS_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BENCH_MAX_VARIANTS  8
#define BENCH_MAX_REPS      64
#define BENCH_MAX_SCENARIOS 32

/* One batch: n operations; *ns is the time per operation, *rate the total
 * operations per second when the variant has several clients (else 0).
 * Returns 0, or -1 with a message already printed on stderr. */
typedef int (*bench_fn)(void *ctx, long n, double *ns, double *rate);

struct variant {
	const char *name; /* "ours", "bare", "forward", "dbus", "copy", ... */
	bench_fn run;
	void *ctx;
	long n; /* operations per batch */
	double ns[BENCH_MAX_REPS];
	double rate[BENCH_MAX_REPS];
	double sw[BENCH_MAX_REPS]; /* context switches per operation, if counted */
	int nsamples;
	int failed;
	double med_ns, med_rate, med_sw;
};

struct scenario {
	char name[48];     /* "scalar_rt", "lend_mut_4k", ... */
	const char *title; /* one line for the table */
	const char *unit;  /* "us" (per operation) or "msg/s" */
	struct variant v[BENCH_MAX_VARIANTS];
	int nv;
	size_t size;  /* bytes moved per operation, lend scenarios */
	int switches; /* count the context switches of every process of the run */
};

/* The programs of one build: its broker, with the fleet servers beside it,
 * and the xous-bench that runs its inner roles (linked with its library). */
struct ours_build {
	const char *hostd; /* NULL when ours is not built */
	const char *self;
};

struct bench_opts {
	int quick;
	int reps;
	int json;
	const char *plot;
	int cpu;                 /* -1: no pinning; else every process on this cpu */
	struct ours_build ours;  /* this executable and the xous-hostd beside it */
	struct ours_build base;  /* --compare: the other build (self NULL without) */
	const char *labels[2];   /* --compare: names of this build and the other */
	const char *tmpdir;      /* private temp dir of this run */
	const char *ours_status; /* "ok", "not built", "failed" */
	const char *disk;        /* the image of brokers started with OURS_DISK */
	int idle_levels[3];
	int fanin_levels[3];
};

extern struct bench_opts bench_opts;

/* stats.c */
uint64_t bench_now_ns(void);
double bench_median(const double *v, int n);
void bench_pin_self(void);
int bench_choose_cpu(int cpu);
void *bench_calloc(size_t size);
int bench_run_scenario(struct scenario *s, int reps);
struct variant *bench_add(struct scenario *s, const char *name, bench_fn fn, void *ctx, long n);

/* proc.c: child processes of this run, all killed and reaped at exit */
pid_t bench_fork(void);
pid_t bench_spawn(char *const argv[], int in_fd, int out_fd, int err_fd);
void bench_track(pid_t pid);
void bench_untrack(pid_t pid); /* reaped by the caller */
void bench_kill_all(void);
int bench_write_all(int fd, const void *buf, size_t len);
int bench_read_all(int fd, void *buf, size_t len);

/* peers.c: the bare seqpacket floor, the forwarding floors and socket copies */
struct peer;
struct peer *peer_bare_start(void);
struct peer *peer_forward_start(int ack);
struct peer *peer_copy_start(void);
int peer_rt(void *ctx, long n, double *ns, double *rate);
int peer_oneway(void *ctx, long n, double *ns, double *rate);
int peer_copy_both(void *ctx, long n, double *ns, double *rate); /* ctx: struct peer_sized */
int peer_copy_there(void *ctx, long n, double *ns, double *rate);
struct peer_sized {
	struct peer *p;
	size_t size;
};

/* dbus.c: a private dbus-daemon with sd-bus on both ends */
struct dbus_peer;
struct dbus_peer *dbus_peer_start(void);
int dbus_rt(void *ctx, long n, double *ns, double *rate);
void dbus_peer_stop(struct dbus_peer *d);

/* ours.c: the same scenarios through xous-hostd (absent if not built) */
struct ours;
/* flags: OURS_FLEET starts the default fleet; OURS_STRICT runs the broker
 * with --strict-lend (every lend and Move copied); OURS_DISK adds the disk
 * group on bench_opts.disk (--disk). */
enum { OURS_FLEET = 1, OURS_STRICT = 2, OURS_DISK = 4 };
struct ours *ours_start(const struct ours_build *b, int idle, int fanin, int flags);
int ours_rt(void *ctx, long n, double *ns, double *rate);
int ours_names_lookup(void *ctx, long n, double *ns, double *rate); /* fleet */
int ours_ticktimer(void *ctx, long n, double *ns, double *rate);    /* fleet */
int ours_oneway(void *ctx, long n, double *ns, double *rate);
int ours_oneway_one(void *ctx, long n, double *ns, double *rate);
int ours_fanin(void *ctx, long n, double *ns, double *rate);
struct ours_sized {
	struct ours *o;
	size_t size;
	char op; /* 'm' lend_mut, 'l' lend, 'v' move */
};
int ours_lend(void *ctx, long n, double *ns, double *rate);
int ours_lend_mapped(void *ctx, long n, double *ns, double *rate);
int ours_fleet_start(void *ctx, long n, double *ns, double *rate); /* ctx: ours_build */
int ours_fleet_available(const struct ours_build *b);
void ours_show_log(void);
int inner_main(int argc, char **argv);

/* storage.c: the fs scenarios' image and the host's peers on it */
struct storage;
struct storage *storage_image(void); /* sets bench_opts.disk */
int storage_dd_write(void *ctx, long n, double *ns, double *rate);
int storage_dd_read(void *ctx, long n, double *ns, double *rate);
int storage_pread_random(void *ctx, long n, double *ns, double *rate);
int storage_fs_random(void *ctx, long n, double *ns, double *rate); /* ctx: ours_sized */
/* net.c: ping through xous-hostd --net beside the host's own to a veth peer */
const char *net_bench_start(const struct ours_build *b); /* NULL, or why it cannot run */
int net_ping_ours(void *ctx, long n, double *ns, double *rate);
int net_ping_veth(void *ctx, long n, double *ns, double *rate);
int net_inner(void); /* xous-bench --inner net -: PROGRAM of xous-hostd --net */

/* report.c */
void report_table(struct scenario *s, int ns);
void report_json(struct scenario *s, int ns);
void report_compare_table(struct scenario *s, int ns);
double report_ratio(const struct variant *a, const struct variant *b, int use_rate);
int report_plot(struct scenario *s, int ns, const char *file);

#endif /* XOUS_BENCH_H */

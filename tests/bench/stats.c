/*
 * stats.c - clocks, medians, pinning, and the A B A B loop over variants.
 */
#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_median(const double *v, int n)
{
	double tmp[BENCH_MAX_REPS];

	if (n <= 0)
		return 0;
	memcpy(tmp, v, sizeof(double) * (size_t)n);
	qsort(tmp, (size_t)n, sizeof(double), cmp_double);
	if (n % 2)
		return tmp[n / 2];
	return (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

/* Every process of a run gets the same pinning, so peers and ours pay the
 * same wake-up costs (a wake-up across cores costs 10-15 us on its own). */
void bench_pin_self(void)
{
	cpu_set_t set;

	if (bench_opts.cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(bench_opts.cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		perror("xous-bench: sched_setaffinity");
}

/* -2 (not given): the first cpu we may run on; else it must be one of them. */
int bench_choose_cpu(int cpu)
{
	cpu_set_t set;
	int i;

	if (cpu == -1 || cpu < -2)
		return cpu == -1 ? -1 : -3;
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return cpu >= 0 ? cpu : -1;
	if (cpu >= 0)
		return cpu < CPU_SETSIZE && CPU_ISSET(cpu, &set) ? cpu : -3;
	for (i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &set))
			return i;
	return -1;
}

/* The set-up of a run allocates a few small blocks; without them there is
 * no run, so say so and stop (the exit handler cleans up). */
void *bench_calloc(size_t size)
{
	void *p = calloc(1, size);

	if (!p) {
		fprintf(stderr, "xous-bench: out of memory\n");
		exit(1);
	}
	return p;
}

struct variant *bench_add(struct scenario *s, const char *name, bench_fn fn, void *ctx, long n)
{
	struct variant *v;

	if (s->nv >= BENCH_MAX_VARIANTS)
		return NULL;
	v = &s->v[s->nv++];
	memset(v, 0, sizeof(*v));
	v->name = name;
	v->run = fn;
	v->ctx = ctx;
	v->n = n;
	return v;
}

static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	int ppid = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	/* pid (comm) state ppid ...: comm may hold spaces, so start after ')' */
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
		sscanf(p + 1, " %*c %d", &ppid);
	fclose(f);
	return ppid;
}

static int in_run(pid_t pid)
{
	for (int depth = 0; pid > 1 && depth < 16; depth++, pid = parent_of(pid))
		if (pid == getpid())
			return 1;
	return 0;
}

static long task_switches(const char *dir)
{
	char path[400], line[128];
	long v, sum = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/status", dir);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %ld", &v) == 1 ||
		    sscanf(line, "nonvoluntary_ctxt_switches: %ld", &v) == 1)
			sum += v;
	if (f)
		fclose(f);
	return sum;
}

/* Context switches so far of every thread of every process of this run
 * (this program and its descendants: peers, brokers, servers, clients,
 * dbus-daemon). A round trip's switches are what its time is mostly made
 * of, so the table shows them beside the times. */
static long run_switches(void)
{
	DIR *proc = opendir("/proc");
	struct dirent *e;
	long sum = 0;

	while (proc && (e = readdir(proc))) {
		pid_t pid = (pid_t)atoi(e->d_name);
		char tdir[64];
		DIR *tasks;
		struct dirent *t;
		if (pid <= 0 || !in_run(pid))
			continue;
		snprintf(tdir, sizeof(tdir), "/proc/%d/task", (int)pid);
		tasks = opendir(tdir);
		while (tasks && (t = readdir(tasks))) {
			char path[64 + sizeof(t->d_name)];
			if (t->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", tdir, t->d_name);
			sum += task_switches(path);
		}
		if (tasks)
			closedir(tasks);
	}
	if (proc)
		closedir(proc);
	return sum;
}

/* One warm-up batch of each variant, then reps rounds of one batch each,
 * variants in turn. A variant that fails is dropped from later rounds. */
int bench_run_scenario(struct scenario *s, int reps)
{
	double ns, rate;
	int r, i;

	if (reps > BENCH_MAX_REPS)
		reps = BENCH_MAX_REPS;
	for (i = 0; i < s->nv; i++) {
		long warm = s->v[i].n / 10 ? s->v[i].n / 10 : 1;
		if (s->v[i].run(s->v[i].ctx, warm, &ns, &rate) != 0)
			s->v[i].failed = 1;
	}
	for (r = 0; r < reps; r++) {
		for (i = 0; i < s->nv; i++) {
			struct variant *v = &s->v[i];
			if (v->failed)
				continue;
			ns = rate = 0;
			long sw = s->switches ? run_switches() : 0;
			if (v->run(v->ctx, v->n, &ns, &rate) != 0) {
				v->failed = 1;
				continue;
			}
			if (s->switches)
				v->sw[v->nsamples] = (double)(run_switches() - sw) / (double)v->n;
			v->ns[v->nsamples] = ns;
			v->rate[v->nsamples] = rate;
			v->nsamples++;
		}
	}
	for (i = 0; i < s->nv; i++) {
		s->v[i].med_ns = bench_median(s->v[i].ns, s->v[i].nsamples);
		s->v[i].med_rate = bench_median(s->v[i].rate, s->v[i].nsamples);
		s->v[i].med_sw = bench_median(s->v[i].sw, s->v[i].nsamples);
	}
	return 0;
}

/*
 * stats.c - clocks, medians, pinning, and the A B A B loop over variants.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
			if (v->run(v->ctx, v->n, &ns, &rate) != 0) {
				v->failed = 1;
				continue;
			}
			v->ns[v->nsamples] = ns;
			v->rate[v->nsamples] = rate;
			v->nsamples++;
		}
	}
	for (i = 0; i < s->nv; i++) {
		s->v[i].med_ns = bench_median(s->v[i].ns, s->v[i].nsamples);
		s->v[i].med_rate = bench_median(s->v[i].rate, s->v[i].nsamples);
	}
	return 0;
}

/*
 * report.c - the terminal table, the JSON document and the lend plot.
 * Every target of docs/benchmarks.md is a ratio of two medians of the
 * same run, judged here (PASS/MISS), never in a test.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

struct target {
	const char *label;
	const char *sc_num, *v_num, *sc_den, *v_den;
	int use_rate; /* compare operations per second instead of time */
	int le;       /* 1: ratio must be <= bar; 0: >= bar; -1: shown only */
	/* v_den "B+K*C": the denominator is variant B plus K times variant C of sc_den */
	double bar;
};

static char idle_hi[16], fan_hi[16];

static const struct target targets[] = {
        {"blocking scalar: ours / forwarding floor (b)", "scalar_rt", "ours", "scalar_rt",
         "forward", 0, 1, 1.2},
        {"blocking scalar: dbus-daemon (c) / ours", "scalar_rt", "dbus", "scalar_rt", "ours", 0, 0,
         2.0},
        {"blocking scalar: ours / bare ping-pong (a)", "scalar_rt", "ours", "scalar_rt", "bare", 0,
         -1, 0},
        {"lend_mut: 16 MiB / 4 KiB", "lend_16m", "lend_mut", "lend_4k", "lend_mut", 0, 1, 4.0},
        {"16 MiB: copy both ways / lend_mut", "lend_16m", "copy_both", "lend_16m", "lend_mut", 0, 0,
         20.0},
        {"lend: 16 MiB / 4 KiB", "lend_16m", "lend", "lend_4k", "lend", 0, -1, 0},
        {"move: 16 MiB / 4 KiB", "lend_16m", "move", "lend_4k", "move", 0, -1, 0},
        {"lend_mut of a buffer never written: 16 MiB / 4 KiB", "lend_16m", "lend_mut_cold",
         "lend_4k", "lend_mut_cold", 0, -1, 0},
        {"16 MiB: copy both ways / lend_mut, server writes all", "lend_16m", "copy_both",
         "lend_16m", "lend_mut_fill", 0, -1, 0},
        /* the isolation modes: --strict-lend copies every lend */
        {"--strict-lend / default: blocking scalar", "scalar_rt", "ours_strict", "scalar_rt",
         "ours", 0, -1, 0},
        {"--strict-lend / default: lend_mut 4 KiB", "lend_4k", "lend_mut_strict", "lend_4k",
         "lend_mut", 0, -1, 0},
        {"--strict-lend / default: lend_mut 1 MiB", "lend_1m", "lend_mut_strict", "lend_1m",
         "lend_mut", 0, -1, 0},
        {"--strict-lend / default: lend_mut 16 MiB", "lend_16m", "lend_mut_strict", "lend_16m",
         "lend_mut", 0, -1, 0},
        /* the crossover: a small lend copied (lend_mut) or mapped; > 1 means copying wins */
        {"4 KiB lend_mut: mapped / copied", "lend_4k", "lend_mut_mapped", "lend_4k", "lend_mut", 0,
         -1, 0},
        {"16 KiB lend_mut: mapped / copied", "lend_16k", "lend_mut_mapped", "lend_16k", "lend_mut",
         0, -1, 0},
        {"32 KiB lend_mut: mapped / lend_mut (mapped too)", "lend_32k", "lend_mut_mapped",
         "lend_32k", "lend_mut", 0, -1, 0},
        {"idle: round trip with most idle / with none", "idle", idle_hi, "idle", "idle0", 0, 1,
         1.1},
        {"fan-in calls/s: most clients / one client", "fanin", fan_hi, "fanin", "clients1", 1, -1,
         0},
        {"one-way scalars/s: ours / forwarding floor (b)", "scalar_oneway", "ours", "scalar_oneway",
         "forward", 1, 0, 0.5},
        {"one-way scalars/s: ours / acknowledging forwarder", "scalar_oneway", "ours",
         "scalar_oneway", "forward_ack", 1, -1, 0},
        {"one-way scalars/s: ours / bare floor (a)", "scalar_oneway", "ours", "scalar_oneway",
         "bare", 1, -1, 0},
        {"one-way, server takes one per receive: / floor (b)", "scalar_oneway", "ours_one",
         "scalar_oneway", "forward", 1, -1, 0},
        /* Resea's benchmark server: the copies its API demands and no more */
        {"benchmark nop / blocking scalar round trip", "bench_nop", "nop", "bench_nop", "scalar_rt",
         0, 1, 1.1},
        {"nop_with_ool 3 B / (lend_mut 4 KiB + 2 memcpy)", "bench_ool_3", "nop_with_ool",
         "bench_ool_3", "lend_mut_4k+2*memcpy", 0, 1, 1.2},
        {"nop_with_ool 4 KiB / (lend_mut 4 KiB + 2 memcpy)", "bench_ool_4k", "nop_with_ool",
         "bench_ool_4k", "lend_mut_4k+2*memcpy", 0, 1, 1.2},
        {"nop_with_ool 1 MiB / (lend_mut 4 KiB + 2 memcpy)", "bench_ool_1m", "nop_with_ool",
         "bench_ool_1m", "lend_mut_4k+2*memcpy", 0, 1, 1.2},
        {"nop_with_ool 16 MiB / (lend_mut 4 KiB + 2 memcpy)", "bench_ool_16m", "nop_with_ool",
         "bench_ool_16m", "lend_mut_4k+2*memcpy", 0, 1, 1.2},
        /* storage: fs on blk on an image file, the host's dd on the same file */
        {"64 MiB write, speed fs / dd (time dd / fs)", "fs_write_64m", "dd", "fs_write_64m", "fs",
         0, 0, 0.5},
        {"64 MiB read, speed fs / dd (time dd / fs)", "fs_read_64m", "dd", "fs_read_64m", "fs", 0,
         0, 0.5},
        {"4 KiB random reads/s: fs / pread", "fs_rand_4k", "fs", "fs_rand_4k", "pread", 1, -1, 0},
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static struct variant *find(struct scenario *s, int ns, const char *sc, const char *v)
{
	int i, j;

	for (i = 0; i < ns; i++) {
		if (strcmp(s[i].name, sc) != 0)
			continue;
		for (j = 0; j < s[i].nv; j++)
			if (strcmp(s[i].v[j].name, v) == 0 && s[i].v[j].nsamples > 0)
				return &s[i].v[j];
	}
	return NULL;
}

/* A ratio of two variants of one scenario is the median of the ratios of
 * each repetition (both ran within moments of each other, so a burst of
 * load on the shared machine hits both); across scenarios, or if a variant
 * missed a repetition, the ratio of the medians. */
double report_ratio(const struct variant *a, const struct variant *b, int use_rate)
{
	double r[BENCH_MAX_REPS];
	int i;

	for (i = 0; i < a->nsamples; i++) {
		double x = use_rate ? a->rate[i] : a->ns[i], y = use_rate ? b->rate[i] : b->ns[i];
		if (y <= 0)
			return NAN;
		r[i] = x / y;
	}
	return bench_median(r, a->nsamples);
}

/* a / (b + k c), per repetition (all three ran within moments of each
 * other), the median of those. */
static double sum_ratio(const struct variant *a, const struct variant *b, const struct variant *c,
                        double k)
{
	double r[BENCH_MAX_REPS];
	int i;

	if (a->nsamples != b->nsamples || a->nsamples != c->nsamples)
		return a->med_ns / (b->med_ns + k * c->med_ns);
	for (i = 0; i < a->nsamples; i++)
		r[i] = a->ns[i] / (b->ns[i] + k * c->ns[i]);
	return bench_median(r, a->nsamples);
}

static double target_ratio(struct scenario *s, int ns, const struct target *t)
{
	struct variant *a, *b, *c;
	char bname[48], cname[48];
	double k;

	snprintf(idle_hi, sizeof(idle_hi), "idle%d", bench_opts.idle_levels[2]);
	snprintf(fan_hi, sizeof(fan_hi), "clients%d", bench_opts.fanin_levels[2]);
	a = find(s, ns, t->sc_num, t->v_num);
	if (sscanf(t->v_den, "%47[^+]+%lf*%47s", bname, &k, cname) == 3) {
		b = find(s, ns, t->sc_den, bname);
		c = find(s, ns, t->sc_den, cname);
		return a && b && c ? sum_ratio(a, b, c, k) : NAN;
	}
	b = find(s, ns, t->sc_den, t->v_den);
	if (!a || !b)
		return NAN;
	if (strcmp(t->sc_num, t->sc_den) == 0 && a->nsamples == b->nsamples)
		return report_ratio(a, b, t->use_rate);
	if (t->use_rate)
		return b->med_rate > 0 ? a->med_rate / b->med_rate : NAN;
	return b->med_ns > 0 ? a->med_ns / b->med_ns : NAN;
}

static const char *verdict(const struct target *t, double r)
{
	if (t->le < 0)
		return "info";
	if (isnan(r))
		return "n/a";
	if (t->le)
		return r <= t->bar ? "PASS" : "MISS";
	return r >= t->bar ? "PASS" : "MISS";
}

static void machine(char *cpu, size_t len, struct utsname *u)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	snprintf(cpu, len, "unknown");
	uname(u);
	while (f && fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':');
		if (strncmp(line, "model name", 10) == 0 && c) {
			snprintf(cpu, len, "%s", c + 2);
			cpu[strcspn(cpu, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
}

static void today(char *buf, size_t len)
{
	time_t now = time(NULL);

	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
}

static void print_value(FILE *f, const struct scenario *s, const struct variant *v)
{
	if (v->nsamples == 0) {
		fprintf(f, "%12s", "failed");
		return;
	}
	if (strcmp(s->unit, "msg/s") == 0)
		fprintf(f, "%12.0f msg/s", v->med_rate);
	else if (strcmp(s->unit, "ms") == 0)
		fprintf(f, "%12.1f ms   ", v->med_ns / 1e6);
	else
		fprintf(f, "%12.2f us   ", v->med_ns / 1e3);
	if (v->med_rate > 0 && strcmp(s->unit, "msg/s") != 0)
		fprintf(f, "  %10.0f calls/s", v->med_rate);
	if (s->switches)
		fprintf(f, "  %5.2f switches/op", v->med_sw);
}

/* The first line of a table: when, where, how. */
static void table_header(FILE *f)
{
	char cpu[128], date[32];
	struct utsname u;

	machine(cpu, sizeof(cpu), &u);
	today(date, sizeof(date));
	fprintf(f, "\nxous-bench %s, %s, %ld cpus, Linux %s; median of %d runs, A B A B%s\n", date,
	        cpu, sysconf(_SC_NPROCESSORS_ONLN), u.release, bench_opts.reps,
	        bench_opts.cpu >= 0 ? ", all on one cpu" : "");
}

/* The table goes to stderr when --json owns stdout. */
void report_table(struct scenario *s, int ns)
{
	FILE *f = bench_opts.json ? stderr : stdout;
	int i, j;
	size_t k;

	table_header(f);
	fprintf(f, "%-14s %-13s %s\n", "scenario", "variant", "median per operation");
	for (i = 0; i < ns; i++) {
		for (j = 0; j < s[i].nv; j++) {
			fprintf(f, "%-14s %-13s", j ? "" : s[i].name, s[i].v[j].name);
			print_value(f, &s[i], &s[i].v[j]);
			fprintf(f, "\n");
		}
	}
	fprintf(f, "\ntargets (median of the per-repetition ratios of this run)\n");
	for (k = 0; k < NTARGETS; k++) {
		double r = target_ratio(s, ns, &targets[k]);
		char bar[16] = "";
		if (targets[k].le >= 0)
			snprintf(bar, sizeof(bar), "%s %.1f",
			         targets[k].le ? "<=" : ">=", targets[k].bar);
		if (isnan(r))
			fprintf(f, "  %-54s %8s  %-8s %s\n", targets[k].label, "n/a", bar,
			        verdict(&targets[k], r));
		else
			fprintf(f, "  %-54s %8.2f  %-8s %s\n", targets[k].label, r, bar,
			        verdict(&targets[k], r));
	}
	fflush(f);
}

/* --compare: variant 0 is this build, variant 1 the other; NAN unless both
 * ran every repetition. */
static double compare_ratio(const struct scenario *s)
{
	if (s->nv != 2 || s->v[0].nsamples == 0 || s->v[0].nsamples != s->v[1].nsamples)
		return NAN;
	return report_ratio(&s->v[0], &s->v[1], 0);
}

void report_compare_table(struct scenario *s, int ns)
{
	FILE *f = bench_opts.json ? stderr : stdout;
	const char *a = bench_opts.labels[0] ? bench_opts.labels[0] : "this";
	const char *b = bench_opts.labels[1] ? bench_opts.labels[1] : "base";
	int i, j;

	table_header(f);
	fprintf(f, "this: %s\nbase: %s\n", a, b);
	fprintf(f, "ratio: this / base, the median of the per-repetition ratios (< 1: this is "
	           "faster)\n");
	fprintf(f, "%-14s %12s %12s %10s\n", "scenario", "this (us)", "base (us)", "this/base");
	for (i = 0; i < ns; i++) {
		double r = compare_ratio(&s[i]);
		fprintf(f, "%-14s", s[i].name);
		for (j = 0; j < 2; j++) {
			if (j < s[i].nv && s[i].v[j].nsamples)
				fprintf(f, " %12.2f", s[i].v[j].med_ns / 1e3);
			else
				fprintf(f, " %12s", "failed");
		}
		if (isnan(r))
			fprintf(f, " %10s\n", "n/a");
		else
			fprintf(f, " %10.3f\n", r);
	}
	fflush(f);
}

static void json_fmt(const char *fmt, double v)
{
	if (isnan(v) || isinf(v))
		printf("null");
	else
		printf(fmt, v);
}

/* The characters of a JSON string (without its quotes). */
static void json_string(const char *v)
{
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			printf("\\%c", *v);
		else if ((unsigned char)*v < 0x20)
			printf("\\u%04x", (unsigned char)*v);
		else
			putchar(*v);
	}
}

static void json_num(double v)
{
	json_fmt("%.1f", v);
}

static void json_variant(const struct scenario *s, const struct variant *v)
{
	int k;

	printf("{\"name\": \"%s\", \"ops_per_batch\": %ld, \"ok\": %s, \"median_ns\": ", v->name,
	       v->n, v->nsamples ? "true" : "false");
	json_num(v->nsamples ? v->med_ns : NAN);
	printf(", \"median_per_s\": ");
	json_num(v->nsamples && v->med_rate > 0 ? v->med_rate : NAN);
	if (s->switches) {
		printf(", \"median_switches_per_op\": ");
		json_fmt("%.2f", v->nsamples ? v->med_sw : NAN);
	}
	printf(", \"samples_ns\": [");
	for (k = 0; k < v->nsamples; k++) {
		printf(k ? ", " : "");
		json_num(v->ns[k]);
	}
	printf("]}");
}

static void json_targets(struct scenario *s, int ns)
{
	size_t k;

	printf("  \"targets\": [\n");
	for (k = 0; k < NTARGETS; k++) {
		const struct target *t = &targets[k];
		double r = target_ratio(s, ns, t);
		const char *v = verdict(t, r);
		printf("    {\"name\": \"%s\", \"ratio\": ", t->label);
		json_fmt("%.3f", r);
		printf(", \"bar\": ");
		json_num(t->le >= 0 ? t->bar : NAN);
		printf(", \"op\": \"%s\", \"pass\": %s}%s\n",
		       t->le < 0 ? "info"
		       : t->le   ? "<="
		                 : ">=",
		       strcmp(v, "PASS") == 0   ? "true"
		       : strcmp(v, "MISS") == 0 ? "false"
		                                : "null",
		       k + 1 < NTARGETS ? "," : "");
	}
	printf("  ]\n");
}

void report_json(struct scenario *s, int ns)
{
	char cpu[128], date[32];
	struct utsname u;
	int i, j;

	machine(cpu, sizeof(cpu), &u);
	today(date, sizeof(date));
	printf("{\n  \"tool\": \"xous-bench\",\n  \"date\": \"%s\",\n", date);
	printf("  \"machine\": {\"cpu\": \"%s\", \"cpus\": %ld, \"kernel\": \"%s\"},\n", cpu,
	       sysconf(_SC_NPROCESSORS_ONLN), u.release);
	printf("  \"ours\": \"%s\",\n", bench_opts.ours_status);
	printf("  \"reps\": %d,\n  \"quick\": %s,\n  \"pinned_cpu\": %d,\n", bench_opts.reps,
	       bench_opts.quick ? "true" : "false", bench_opts.cpu);
	if (bench_opts.base.self) {
		printf("  \"compare\": {\"this\": \"");
		json_string(bench_opts.labels[0] ? bench_opts.labels[0] : bench_opts.ours.self);
		printf("\", \"base\": \"");
		json_string(bench_opts.labels[1] ? bench_opts.labels[1] : bench_opts.base.self);
		printf("\", \"ratio\": \"this / base, median of the per-repetition ratios\"},\n");
	}
	printf("  \"scenarios\": [\n");
	for (i = 0; i < ns; i++) {
		printf("    {\"name\": \"%s\", \"title\": \"%s\", \"unit\": \"%s\", \"bytes\": "
		       "%zu, ",
		       s[i].name, s[i].title, s[i].unit, s[i].size);
		if (bench_opts.base.self) {
			printf("\"ratio\": ");
			json_fmt("%.4f", compare_ratio(&s[i]));
			printf(", ");
		}
		printf("\"variants\": [\n");
		for (j = 0; j < s[i].nv; j++) {
			printf("      ");
			json_variant(&s[i], &s[i].v[j]);
			printf("%s\n", j + 1 < s[i].nv ? "," : "");
		}
		printf("    ]}%s\n", i + 1 < ns ? "," : "");
	}
	if (bench_opts.base.self) {
		printf("  ]\n}\n"); /* the targets compare peers, which --compare does not run */
		fflush(stdout);
		return;
	}
	printf("  ],\n");
	json_targets(s, ns);
	printf("}\n");
	fflush(stdout);
}

static const char *plot_series[] = {"lend_mut",  "lend_mut_cold", "lend_mut_fill",  "lend", "move",
                                    "copy_both", "copy_there",    "lend_mut_strict"};
#define NSERIES (sizeof(plot_series) / sizeof(plot_series[0]))

static int write_plot_data(struct scenario *s, int ns, const char *file)
{
	FILE *f = fopen(file, "w");
	int i, rows = 0;
	size_t k;

	if (!f)
		return -1;
	for (i = 0; i < ns; i++) {
		if (strncmp(s[i].name, "lend_", 5) != 0)
			continue;
		fprintf(f, "%zu", s[i].size / 1024);
		for (k = 0; k < NSERIES; k++) {
			struct variant *v = find(s, ns, s[i].name, plot_series[k]);
			if (v)
				fprintf(f, " %.3f", v->med_ns / 1e3);
			else
				fprintf(f, " ?");
		}
		fprintf(f, "\n");
		rows++;
	}
	fclose(f);
	return rows ? 0 : -1;
}

/* gnuplot reads the script on its stdin; log-log, one line per kind. */
int report_plot(struct scenario *s, int ns, const char *file)
{
	char data[512];
	int p[2], status;
	FILE *g;
	pid_t pid;
	size_t k;

	snprintf(data, sizeof(data), "%s/lend.dat", bench_opts.tmpdir);
	if (write_plot_data(s, ns, data) != 0) {
		fprintf(stderr, "xous-bench: no lend results to plot\n");
		return -1;
	}
	if (pipe(p) != 0)
		return -1;
	char *argv[] = {"gnuplot", NULL};
	pid = fork();
	if (pid == 0) {
		dup2(p[0], 0);
		dup2(2, 1);
		close(p[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "xous-bench: gnuplot not found (Debian: gnuplot-nox)\n");
		_exit(127);
	}
	close(p[0]);
	g = fdopen(p[1], "w");
	fprintf(g, "set terminal pngcairo size 900,560 noenhanced\nset output '%s'\n", file);
	fprintf(g, "set datafile missing '?'\nset logscale xy\nset grid\nset key left top\n"
	           "set xlabel 'buffer size (KiB)'\nset ylabel 'time per call (us)'\n"
	           "set title 'xous-bench: lend time by size, ours vs copying through a socket'\n"
	           "set xtics (4, 64, 1024, 16384)\nplot ");
	for (k = 0; k < NSERIES; k++)
		fprintf(g, "%s'%s' using 1:%zu with linespoints lw 2 dt %d title '%s%s'",
		        k ? ", " : "", data, k + 2, k < 5 ? 1 : 2, k < 5 ? "ours " : "peer ",
		        plot_series[k]);
	fprintf(g, "\n");
	fclose(g);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "xous-bench: gnuplot failed, no plot written\n");
		return -1;
	}
	return 0;
}

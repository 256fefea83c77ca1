/*
 * ool_crossover.c - xous-ool-crossover: how the copy crossover of the RPC
 * layer (XOUS_OOL_CROSSOVER, docs/performance.md) is measured.
 *
 * For a bytes value of n bytes it times, in this one process, what both
 * sides of benchmark_nop_with_ool do besides the lend: the client frames the
 * request, the server decodes it and frames its reply (the same bytes), the
 * client decodes the reply and frees it. Once with the value inside the
 * packed message (protobuf-c copies it on every pack and unpack) and once
 * out of line (the client copies it in, the server refers to it where it
 * is, the client copies it out). The lend costs the same either way (the
 * two frames differ by a few bytes), so out of line pays from the smallest
 * n where its column is the lower. Both run in turn, A B A B, timed in
 * CPU time of this thread (a shared machine's load does not count); the
 * table shows medians. Usage: xous-ool-crossover [REPETITIONS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "benchmark.pb-c.h"
#include "rpc_ool.h"

#define REGION (2u << 20)

static uint8_t *region;
struct bench_opts bench_opts; /* stats.c's; this tool uses its median only */

/* One nop_with_ool's framing and decoding, values of crossover bytes or
 * more out of line. */
static void one(const uint8_t *src, size_t n, size_t crossover)
{
	BenchmarkPb__Payload req = BENCHMARK_PB__PAYLOAD__INIT, out = BENCHMARK_PB__PAYLOAD__INIT;
	struct ool_received in, rep;
	struct ool_frame f;
	size_t valid = 0;

	req.data.data = (uint8_t *)src;
	req.data.len = n;
	if (ool_plan(&f, &req.base, NULL, 0, crossover) == XOUS_OK)
		valid = ool_write(&f, region, 1);
	ool_frame_free(&f);
	if (ool_receive(&benchmark_pb__payload__descriptor, region, valid, 1, OOL_IN_PLACE, &in))
		abort();
	out.data = ((BenchmarkPb__Payload *)in.msg)->data;
	if (ool_plan(&f, &out.base, region, REGION, crossover) == XOUS_OK)
		valid = ool_write(&f, region, 0);
	ool_frame_free(&f);
	ool_received_free(&in);
	if (ool_receive(&benchmark_pb__payload__descriptor, region, valid, 1, OOL_COPY, &rep) ||
	    ((BenchmarkPb__Payload *)rep.msg)->data.len != n)
		abort();
	ool_received_free(&rep);
}

/* CPU time of this thread: what a batch costs, whatever else the machine runs. */
static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double batch(const uint8_t *src, size_t n, size_t crossover, long iters)
{
	double t0 = cpu_ns();

	for (long i = 0; i < iters; i++)
		one(src, n, crossover);
	return (cpu_ns() - t0) / (double)iters;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = {64,   256,  512,  1024, 1280,  1536,  1792,
	                               2048, 3072, 4096, 8192, 16384, 65536, 262144};
	int reps = argc > 1 ? atoi(argv[1]) : 11;
	size_t only = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;
	uint8_t *src = malloc(1048576);

	region = aligned_alloc(4096, REGION);
	if (!src || !region || reps < 1 || reps > BENCH_MAX_REPS)
		return 2;
	memset(src, 0x5a, 1048576);
	memset(region, 0, REGION);
	printf("%10s %12s %12s %8s\n", "bytes", "inline ns", "out-of-line", "ratio");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		double in[BENCH_MAX_REPS], ool[BENCH_MAX_REPS];
		long iters = (long)(8u << 20) / (long)(sizes[i] + 256);
		if (only && sizes[i] != only)
			continue;
		for (int r = 0; r < reps; r++) {
			in[r] = batch(src, sizes[i], SIZE_MAX, iters);
			ool[r] = batch(src, sizes[i], 0, iters);
		}
		double a = bench_median(in, reps), b = bench_median(ool, reps);
		printf("%10zu %12.0f %12.0f %8.2f\n", sizes[i], a, b, b / a);
	}
	return 0;
}

/*
 * The benchmark server as a pure dispatch function: benchmark_dispatch(state,
 * env) returns its answer, so unit tests run it without a kernel.
 */
#ifndef XOUS_BENCHMARK_SERVER_H
#define XOUS_BENCHMARK_SERVER_H

#include <xous/rpc.h>

#include "api.h"
#include "benchmark.pb-c.h"

struct benchmark_state {
	BenchmarkPb__Benchmark_Service svc;
};

void benchmark_init(struct benchmark_state *st);
xous_answer_t benchmark_dispatch(struct benchmark_state *st, xous_envelope_t *env);

#endif

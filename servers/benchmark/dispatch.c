/* The benchmark server's dispatch: everything comes back as it came. */
#include <stdint.h>

#include "benchmark.h"

static void do_nop(BenchmarkPb__Benchmark_Service *svc, const BenchmarkPb__Value *in,
                   BenchmarkPb__Value_Closure closure, void *data)
{
	BenchmarkPb__Value out = BENCHMARK_PB__VALUE__INIT;

	(void)svc;
	out.value = in->value;
	closure(&out, data);
}

/* The reply's data is the request's, inside the lent region: it goes back
 * in place, untouched. */
static void do_nop_with_ool(BenchmarkPb__Benchmark_Service *svc, const BenchmarkPb__Payload *in,
                            BenchmarkPb__Payload_Closure closure, void *data)
{
	BenchmarkPb__Payload out = BENCHMARK_PB__PAYLOAD__INIT;

	(void)svc;
	out.data = in->data;
	closure(&out, data);
}

void benchmark_init(struct benchmark_state *st)
{
	benchmark_pb__benchmark__init(&st->svc, NULL);
	st->svc.nop = do_nop;
	st->svc.nop_with_ool = do_nop_with_ool;
}

/* A Scalar nop is answered by no one: nobody waits for it. */
xous_answer_t benchmark_dispatch(struct benchmark_state *st, xous_envelope_t *env)
{
	if (env->kind == XOUS_BLOCKING_SCALAR && env->scalar.id == BENCHMARK_OP_NOP)
		return xous_answer_scalar1(env->scalar.arg[0]);
	return xous_rpc_serve(&st->svc.base, env);
}

/*
 * The benchmark server's opcodes ("benchmark", registered with the name
 * server at start): the methods of service Benchmark in idl/benchmark.proto.
 *
 *  0 Nop         BlockingScalar(a1 = value) -> Scalar1(value), or Value{value}
 *                -> Value{value} as a memory call (<xous/rpc.h>)
 *  1 NopWithOol  Payload{data} -> Payload{the same data}: the reply refers to
 *                the request's bytes where they are in the lent region
 */
#ifndef XOUS_BENCHMARK_API_H
#define XOUS_BENCHMARK_API_H

#define BENCHMARK_SERVER_NAME "benchmark"

enum benchmark_opcode {
	BENCHMARK_OP_NOP = 0,
	BENCHMARK_OP_NOP_WITH_OOL = 1,
};

#endif

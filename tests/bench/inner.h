/*
 * inner.h - the control pipe between xous-bench and its inner processes
 * (the same executable run as `xous-bench --inner ROLE SID`).
 */
#ifndef XOUS_BENCH_INNER_H
#define XOUS_BENCH_INNER_H

#include <stdint.h>
#include <xous.h>

#define XOUS_ENV_HOSTD "XOUS_HOSTD" /* attach socket, docs/abi.md */

enum inner_op {
	INNER_RT = 'b',        /* n blocking scalar round trips */
	INNER_ONEWAY = 'o',    /* n scalars, then one blocking scalar to close the batch;
	                        * size 1: scalars the server takes one per receive */
	INNER_LEND_MUT = 'm',  /* n lend_mut of size bytes; the server writes one byte */
	INNER_LEND_FILL = 'f', /* n lend_mut; the server writes every page */
	INNER_LEND_COLD = 'c', /* n lend_mut of a buffer the client never wrote */
	INNER_LEND = 'l',      /* n lend of size bytes */
	INNER_MOVE = 'v',      /* n (map size bytes, move them), then one blocking scalar */
	/* to the default fleet's servers (a broker with its fleet) */
	INNER_NAMES = 'n',     /* n lookups of a name the client registered */
	INNER_TICKTIMER = 't', /* n tt_elapsed_ms: a blocking scalar to the ticktimer */
	INNER_BENCH_NOP = 'p', /* n benchmark_nop (<resea/benchmark.h>) */
	INNER_BENCH_OOL = 'w', /* n benchmark_nop_with_ool of size bytes of malloc'd memory */
	/* to the fs server (a broker with --disk; inner_fs.c) */
	INNER_FS_WRITE = 'W',  /* n times: BENCH_FS_FILE cut, then size bytes written */
	INNER_FS_READ = 'R',   /* n times: size bytes of BENCH_FS_FILE read */
	INNER_FS_RANDOM = 'K', /* n 4 KiB reads at random offsets of its size bytes */
	/* in the client alone */
	INNER_MEMCPY = 'y', /* n memcpy of size bytes between two warm buffers */
};

/* The control pipe is text, one line each way, so that a shell script can
 * drive a client too (tests/bench/trace-hops):
 *   command: "OP SIZE N\n"        e.g. "b 0 2000"
 *   answer:  "ERR NS WHAT\n"      ERR is an xous_err_t (0: NS is the time of
 *                                 the whole batch in nanoseconds) */
struct inner_cmd {
	char op;
	uint64_t size, n;
};

struct inner_res {
	uint32_t err;
	uint64_t ns;
	char what[48];
};

#define INNER_LINE_MAX 128

#define BENCH_FS_FILE    "/bench.bin"
#define BENCH_FS_CHUNK   (16u << 20) /* bytes per fs call (XOUS_OOL_MAX), dd's bs=16M */
#define STORAGE_FILE_MIB 64          /* the file of the sequential scenarios */

xous_err_t inner_fs_batch(char op, uint64_t size, uint64_t n);

#endif /* XOUS_BENCH_INNER_H */

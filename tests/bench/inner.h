/*
 * inner.h - the control pipe between xous-bench and its inner processes
 * (the same executable run as `xous-bench --inner ROLE SID`).
 */
#ifndef XOUS_BENCH_INNER_H
#define XOUS_BENCH_INNER_H

#include <stdint.h>

#define XOUS_ENV_HOSTD "XOUS_HOSTD" /* attach socket, proto/README.md */

enum inner_op {
	INNER_RT = 'b',       /* n blocking scalar round trips */
	INNER_ONEWAY = 'o',   /* n scalars, then one blocking scalar to close the batch */
	INNER_LEND_MUT = 'm', /* n lend_mut of size bytes */
	INNER_LEND = 'l',     /* n lend of size bytes */
	INNER_MOVE = 'v',     /* n (map size bytes, move them), then one blocking scalar */
};

struct inner_cmd {
	uint64_t op, size, n;
};

/* err is an xous_err_t (0: ns is the time of the whole batch) */
struct inner_res {
	uint32_t err;
	uint64_t ns;
	char what[48];
};

#endif /* XOUS_BENCH_INNER_H */

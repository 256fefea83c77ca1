/*
 * <resea/benchmark.h> - Resea's benchmark server's client ("benchmark",
 * CONTRACT section 5; docs/resea-ipc.md). Opcodes and their answers:
 * servers/benchmark/api.h.
 */
#ifndef RESEA_BENCHMARK_H
#define RESEA_BENCHMARK_H

#include <stddef.h>
#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

/* *out = value, as it is: one blocking scalar round trip. */
xous_err_t benchmark_nop(int32_t value, int32_t *out);

/*
 * Returns the same bytes: *out is malloc'd (the caller frees it) and holds
 * *out_len = len bytes; for len 0, *out is NULL. data may have any
 * alignment. len past XOUS_OOL_MAX (<xous/rpc.h>, 16 MiB by default):
 * XOUS_ERR_INVALID_ARGUMENT, nothing sent.
 */
xous_err_t benchmark_nop_with_ool(const void *data, size_t len, void **out, size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_BENCHMARK_H */

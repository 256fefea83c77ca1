/*
 * <resea/shm_test.h> - the "shm_test" server's client (CONTRACT section
 * 5): a region made by another task, for a cross-task read.
 * docs/resea-memory.md.
 */
#ifndef RESEA_SHM_TEST_H
#define RESEA_SHM_TEST_H

#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The id of a region the shm_test process created and wrote: it begins
 * with "hello task\0". Map it with shm_map(). UNAVAILABLE if the server
 * could not make it at start. */
xous_err_t shm_test_read(int32_t *shm_id);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_SHM_TEST_H */

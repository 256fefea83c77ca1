/*
 * <resea/shm.h> - the "shm" server's client (CONTRACT section 5): shared
 * memory regions built on vm's pages. Calls, errors and an example:
 * docs/resea-memory.md.
 */
#ifndef RESEA_SHM_H
#define RESEA_SHM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A new zeroed region of size bytes (1 .. 16 MiB, whole pages), named by
 * *shm_id. INVALID_ARGUMENT (size), OUT_OF_MEMORY (64 regions, 16 of them
 * the caller's, or vm's pool is full). */
xous_err_t shm_create(size_t size, int32_t *shm_id);
/* Map the whole region into the caller, writable or read-only (a write
 * then faults), at *vaddr; any process given the id may. NOT_FOUND: an
 * unknown or closed id. */
xous_err_t shm_map(int32_t shm_id, bool writable, void **vaddr);
/* The id goes (NOT_FOUND afterwards); the memory goes with the last
 * process that maps it. Only its creator closes it (ACCESS_DENIED). */
xous_err_t shm_close(int32_t shm_id);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_SHM_H */

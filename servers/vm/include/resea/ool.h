/*
 * <resea/ool.h> - the "ool" server's client (CONTRACT section 5): Resea's
 * out-of-line payloads, served by the vm process. The protocol, errors and
 * an example: docs/resea-memory.md.
 */
#ifndef RESEA_OOL_H
#define RESEA_OOL_H

#include <stddef.h>
#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t task_t;

/* Register buf (page aligned, len bytes, 1 .. 16 MiB) to receive one
 * payload. BAD_ALIGNMENT, INVALID_ARGUMENT (len), ALREADY_EXISTS (buf is
 * registered), OUT_OF_MEMORY (8 buffers registered already). */
xous_err_t ool_recv(void *buf, size_t len);
/* Stage len bytes of data (0 .. 16 MiB) for task dst, in a free buffer dst
 * registered that holds them; *id names the payload (its address in dst).
 * NO_SPACE: dst has no free buffer of len bytes (none registered, all too
 * small or full); OUT_OF_MEMORY: the caller has 32 MiB staged already. */
xous_err_t ool_send(task_t dst, const void *data, size_t len, uintptr_t *id);
/* Take the payload src staged for the caller as id, of len bytes: it is in
 * the caller's buffer at *received_at (== id) on return, and that buffer is
 * no longer registered (one buffer, one payload). NOT_FOUND: no payload from src with that id; INVALID_ARGUMENT:
 * len is not the payload's length (the payload stays staged). */
xous_err_t ool_verify(task_t src, uintptr_t id, size_t len, void **received_at);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_OOL_H */

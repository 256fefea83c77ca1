/*
 * runtime.h - private to the two user runtimes (see runtime.c). In
 * libxous-host, include it after xous-host-internal.h, which declares
 * <xous.h> with default visibility (the exported API).
 */
#ifndef XOUS_RUNTIME_H
#define XOUS_RUNTIME_H

#include <stddef.h>
#include <xous.h>

/* The NUL-padded name in a ProcessName result's words (nbytes of them) into
 * buf: at most len - 1 bytes and a NUL (len > 0). */
void xous_rt_name_from_words(char *buf, size_t len, const void *words, size_t nbytes);

/*
 * Each runtime's own: ReplyAndReceiveNext answering env, a BlockingScalar
 * not yet answered, with Scalar1(v1) (count 1) or Scalar2(v1, v2) (count
 * 2), then env is the next message; one syscall. Any other envelope is
 * answered as by xous_reply_and_receive_next.
 */
xous_err_t xous_rt_scalar_and_receive_next(const xous_sid_t *sid, xous_envelope_t *env, int count,
                                           uintptr_t v1, uintptr_t v2);

#endif /* XOUS_RUNTIME_H */

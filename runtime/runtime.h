/*
 * runtime.h - private to the two user runtimes (libxous-host on Linux, the
 * kernel-riscv user runtime): what they share (runtime.c, held.c,
 * answer.c, serve.c) and the platform part each supplies for it. In
 * libxous-host, include it after xous-host-internal.h, which declares
 * <xous.h> with default visibility (the exported API).
 */
#ifndef XOUS_RUNTIME_H
#define XOUS_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <xous.h>

#include <xous.h>

/* The NUL-padded name in a ProcessName result's words (nbytes of them) into
 * buf: at most len - 1 bytes and a NUL (len > 0). */
void xous_rt_name_from_words(char *buf, size_t len, const void *words, size_t nbytes);

/* ---- held.c: the received messages that still need an answer ---- */

/* env was just received: hold it if its kind needs an answer. pages are
 * what this process must unmap itself once it is answered (none where the
 * kernel takes them back). */
void xous_rt_hold(const xous_envelope_t *env, xous_range_t pages);
/* s stops being held: its pages are unmapped (and given in *pages, if
 * pages). False if s was not held (answered, or never a held message). */
bool xous_rt_unhold(xous_sender_t s, xous_range_t *pages);
/* s's pages stay mapped once it is answered: *pages are this process's to
 * unmap (an RPC channel, <xous/rpc.h>). False if s is not held or its pages
 * are not mapped by this process alone for it (a pool slot; kernel-riscv,
 * whose kernel takes lent pages back). */
bool xous_rt_keep_pages(xous_sender_t s, xous_range_t *pages);
/* Whether [addr, addr+len) overlaps a lend this process holds unanswered:
 * those pages are their lender's (they cannot be moved on). */
bool xous_rt_held_overlaps(uintptr_t addr, size_t len);
/* Forget every held message (a forked child; only one thread runs). */
void xous_rt_held_forget(void);

/* ---- answer.c ---- */

/* ReplyAndReceiveNext answering env, a BlockingScalar not yet answered,
 * with Scalar1(v1) (count 1) or Scalar2(v1, v2) (count 2), then env is the
 * next message; one syscall. Any other envelope is answered as by
 * xous_reply_and_receive_next. */
xous_err_t xous_rt_scalar_and_receive_next(const xous_sid_t *sid, xous_envelope_t *env, int count,
                                           uintptr_t v1, uintptr_t v2);

/* ---- rpc_client.c ---- */

/* cid is being disconnected: the regions bound to it (<xous/rpc.h>
 * channels) are unmapped, so that a connection that gets the same id later
 * never receives them. */
void xous_rt_rpc_unbind(xous_cid_t cid);

/* ---- the platform part, supplied by each runtime ---- */

/* Make syscall a[0] with a[1..7], whose result is Ok: its error. */
xous_err_t xous_rt_call_ok(const uintptr_t a[8]);
/* ReplyAndReceiveNext on sid with a5..a7 = reply[0..2], then fill env with
 * the message received as xous_receive_message does. */
xous_err_t xous_rt_reply_receive(const xous_sid_t *sid, const uintptr_t reply[3],
                                 xous_envelope_t *env);
/* AsyncSend (xous/abi.h) of len bytes at msg, len at most XOUS_ASYNC_MAX:
 * its error. */
xous_err_t xous_rt_async_send(uint32_t dst, uint32_t opcode, const void *msg, size_t len);
/* AsyncRecv from src into buf (room for cap bytes, at most XOUS_ASYNC_MAX):
 * *opcode and *len, or its error. */
xous_err_t xous_rt_async_recv(uint32_t src, uint32_t *opcode, void *buf, size_t cap, size_t *len);
/* Unmap pages this process mapped for a received message. */
void xous_rt_unmap_pages(xous_range_t pages);
/* The smallest region the RPC client makes a channel of (<xous/rpc.h>):
 * where a lend would map the pages in the server; 0 for never. */
size_t xous_rt_channel_min(void);

#endif /* XOUS_RUNTIME_H */

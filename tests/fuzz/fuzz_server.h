/*
 * fuzz_server.h - the harness shared by the server dispatch targets.
 *
 * A target feeds its server's dispatch function envelopes built from the
 * input. The answer dispatch returns must fit the envelope (a scalar answer
 * for a scalar message, a memory answer for a lend) and is given as
 * xous_serve gives it, through a checking io table, the same table that
 * answers parked callers: every BlockingScalar, Borrow and MutableBorrow
 * must be answered exactly once (never with the wrong kind of answer, never
 * after it was answered), a Move must be given back once, and a lent buffer
 * is unmapped the moment it is answered, so a server that touches it
 * afterwards (or writes a Borrow) crashes the target. After every record
 * the calls still unanswered must be exactly the ones the server says it
 * has parked (answered DEFERRED).
 *
 * Envelope record: kind, caller pid, opcode, then 4 scalar arguments, or a
 * memory payload: either raw bytes or a message built field by field from
 * the input with the method's protobuf-c descriptor (so the fuzzer reaches
 * the handlers, not only the decoder).
 */
#ifndef FUZZ_SERVER_H
#define FUZZ_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <xous.h>
#include <xous/rpc.h>
#include <xous/serve.h>

#include "fuzz_input.h"

#define FSRV_SELF_PID 1 /* the server's own pid */

extern const struct xous_server_io fsrv_io;

/* Forget every message of the previous input (unmapping its buffers). */
void fsrv_reset(void);
/* Build the next envelope from the input; svc is the server's protobuf
 * service (NULL for scalar-only servers). Returns 0 when the input ended. */
int fsrv_envelope(struct fz *f, const ProtobufCServiceDescriptor *svc, xous_envelope_t *env);
/* Calls still owed an answer (or Moves not given back). */
size_t fsrv_open(void);
/* Check that a, dispatch's answer to env, fits it, and give it as the loop does. */
void fsrv_answer(xous_envelope_t *env, xous_answer_t a);
/* A caller process died: ConnectForProcess to it now fails, and its
 * servers are gone (a server's owner is the pid in its sid's first word). */
void fsrv_kill_pid(xous_pid_t pid);
/* Deterministic "random" words, small so that an input can guess them. */
void fsrv_random(uint32_t *words, size_t n);

/* One server under test. */
struct fsrv_target {
	const ProtobufCServiceDescriptor *svc; /* NULL: scalar opcodes only */
	void (*init)(uint64_t now_ms);
	xous_answer_t (*dispatch)(xous_envelope_t *env, uint64_t now_ms);
	size_t (*waiting)(void);       /* calls the server has parked (NULL: it never parks) */
	void (*tick)(uint64_t now_ms); /* time passes (NULL: the server has no timers) */
};

/*
 * The whole run of one input. Records: op % 8 < 6 one envelope dispatched;
 * 6 time passes (u16 ms); 7 a caller pid dies. After each record, and once
 * more after all time has passed, open calls must equal parked calls.
 */
int fsrv_run(const struct fsrv_target *t, const uint8_t *data, size_t size);

#endif

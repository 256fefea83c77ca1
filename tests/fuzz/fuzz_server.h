/*
 * fuzz_server.h - the harness of every server's fuzz target: one server's
 * dispatch function driven through the real semantics module (kcore) in one
 * process, by scripted clients.
 *
 * The harness is a small platform of its own around kcore: the server
 * process (pid FSRV_SELF_PID, one serving thread), FSRV_CLIENTS client
 * processes with a few threads each, connections made with Connect, and
 * every message a real kcore syscall: Scalars and BlockingScalars, Borrows,
 * MutableBorrows and Moves of 1 to 4 pages (SendMessage or TrySendMessage,
 * so full queues block or refuse), received with TryReceiveMessage and
 * handed to dispatch as xous_serve hands them. Answers, now or deferred,
 * go back through kcore (ReturnScalar1/2/5, ReturnMemory) by way of the io
 * table fsrv_io, the table a server that parks callers answers them with.
 * Lent pages are copied into pages of the server's own, read-only for a
 * Borrow, unmapped once kcore is done with them (a late touch crashes), and
 * a MutableBorrow's pages are copied back when its answer is given.
 *
 * Invariants, after every record: every result kcore gives reaches a thread
 * inside a syscall, once; the calls the server holds unanswered (and the
 * Moves it has not given back) are exactly the ones it says it parked, and
 * kcore holds the same; an answer names a call the server holds, fits its
 * kind and is taken by kcore. After the input: every client dies, then the
 * server: every lend came back through kcore exactly once, nothing is left
 * mapped, and kcore's tables are back at their baseline.
 *
 * Input: records until it ends (fuzz_input.h; every byte string is valid).
 * The record layout is fsrv_read_record()'s, which the structure-aware
 * mutator (fuzz_mutator.c) shares.
 */
#ifndef FUZZ_SERVER_H
#define FUZZ_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <xous.h>
#include <xous/rpc.h>
#include <xous/serve.h>

#include "fuzz_input.h"

#define FSRV_SELF_PID 2 /* the server's own pid (kcore's first process) */
#define FSRV_CLIENTS  4 /* client processes alive at once */

/* The io table that answers parked callers through kcore. */
extern const struct xous_server_io fsrv_io;

/* Deterministic "random" words, small so that an input can guess them. */
void fsrv_random(uint32_t *words, size_t n);

/* One server under test. */
struct fsrv_target {
	const ProtobufCServiceDescriptor *svc; /* NULL: scalar opcodes only */
	void (*init)(uint64_t now_ms);         /* NULL: the server has no state */
	xous_answer_t (*dispatch)(xous_envelope_t *env, uint64_t now_ms);
	size_t (*waiting)(void);       /* calls the server has parked (NULL: it never parks) */
	void (*tick)(uint64_t now_ms); /* time passes (NULL: the server has no timers) */
};

/*
 * One record of the input:
 *   op % 8 < 5  a message: kind byte (kind 1 + b % 5; bit 0x20 TrySendMessage,
 *               bit 0x40 left queued), caller byte (0xff: a second thread of
 *               the server itself, else client b % FSRV_CLIENTS), opcode byte
 *               (below 0xf0: b % 24 for scalars, b % 12 for lends; else a u32
 *               follows); then 4 scalar words, or a lend: mode byte (bit 0 the
 *               request is built field by field from the input with the method's
 *               input descriptor: per field a byte, bit 0 set, then its value;
 *               bit 7 the payload is that request packed, which the mutator
 *               decodes, mutates and packs again; bit 1 valid claims the whole
 *               lend; bit 2 an offset byte follows the payload; bit 3 offset
 *               XOUS_RPC_FRAMED_OFFSET; bits 4-5 pages - 1), then but for bit 0
 *               a u16 payload length and the payload
 *   op % 8 == 5  the server serves every message queued
 *   op % 8 == 6  time passes (u16 ms)
 *   op % 8 == 7  a client dies (its selector byte); a new process takes its place
 */
enum fsrv_op { FSRV_OP_SERVE = 5, FSRV_OP_TIME = 6, FSRV_OP_DEATH = 7 };
struct fsrv_record {
	uint8_t op, kind, flags, caller, mode;
	uint32_t id;
	uintptr_t arg[4];
	uint16_t value;            /* TIME: ms; DEATH: selector; a lend: its offset byte */
	const uint8_t *payload;    /* a lend's payload (in the input) */
	size_t payload_len;        /* as read (the input may end sooner than said) */
	size_t payload_at, len_at; /* offsets in the input of the payload and its u16 length */
};
#define FSRV_TRY         0x20
#define FSRV_QUEUED      0x40
#define FSRV_MODE_FIELDS 1
#define FSRV_MODE_PROTO  0x80
#define FSRV_MODE_VALID  2
#define FSRV_MODE_OFFSET 4
#define FSRV_MODE_FRAMED 8

/* Read the next record of f (base: the input's start) for the target
 * fsrv_current; 0 once it ended. */
int fsrv_read_record(struct fz *f, const uint8_t *base, struct fsrv_record *r);

/* The whole run of one input. */
int fsrv_run(const struct fsrv_target *t, const uint8_t *data, size_t size);

/* The target fsrv_run last ran (the mutator reads its service). */
extern const struct fsrv_target *fsrv_current;

#endif

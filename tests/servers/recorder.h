/*
 * The answer table the unit tests hand to a dispatch function: it records
 * every answer instead of making a syscall, so a test reads exactly what the
 * server said and to whom: the answers dispatch returns (rec_dispatched, as
 * xous_serve gives them to the kernel) and those it makes through the io
 * table (parked callers). ConnectForProcess gives cid 100 + pid, or
 * PROCESS_NOT_FOUND for a pid marked dead, SERVER_NOT_FOUND for a server
 * marked dead. The server's own pid is REC_SELF_PID. ServerOwner knows the
 * servers a test made with rec_server(), SERVER_NOT_FOUND for any other,
 * for the one marked dead and for those of the pid marked dead.
 */
#ifndef TESTS_SERVERS_RECORDER_H
#define TESTS_SERVERS_RECORDER_H

#include <stddef.h>
#include <stdint.h>
#include <check.h>
#include <xous/rpc.h>
#include <xous/serve.h>

enum rec_kind { REC_SCALAR1 = 1, REC_SCALAR2, REC_MEMORY, REC_DONE, REC_SCALAR5 };

struct rec_answer {
	enum rec_kind kind;
	xous_sender_t sender;
	uintptr_t v1, v2; /* scalars (the first two); or offset (the status) and valid */
	int returned;     /* returned by dispatch (1), or made through the io table (0) */
};

#define REC_MAX 4096

extern const struct xous_server_io rec_io;
extern struct rec_answer rec[REC_MAX];
extern size_t rec_n;
extern xous_pid_t rec_dead_pid;
extern xous_pid_t rec_cfp_pid[REC_MAX];
extern xous_sid_t rec_cfp_sid[REC_MAX];
extern size_t rec_cfp_n;
extern size_t rec_disconnects;
extern xous_sid_t rec_dead_sid;  /* ConnectForProcess to it: SERVER_NOT_FOUND */
extern size_t rec_owner_queries; /* ServerOwner calls */
#define REC_SELF_PID 1

void rec_reset(void);
/* The kernel now has server sid, created by owner (again: re-created). */
void rec_server(const xous_sid_t *sid, xous_pid_t owner);
/* Every server pid created is gone (the process ended). */
void rec_servers_end(xous_pid_t pid);
/* A sender token naming slot for pid, as the kernel would stamp it. */
xous_sender_t rec_sender(xous_pid_t pid, uint32_t slot);
xous_envelope_t rec_scalar(enum xous_kind kind, xous_pid_t pid, uint32_t slot, uint32_t id,
                           uintptr_t a1, uintptr_t a2, uintptr_t a3);
/* A memory envelope over a fresh page holding msg packed (msg may be NULL:
 * raw bytes, len n, are copied instead). The page is freed by rec_reset. */
xous_envelope_t rec_memory(enum xous_kind kind, xous_pid_t pid, uint32_t slot, uint32_t id,
                           const ProtobufCMessage *msg, const void *raw, size_t n);
/* The last answer recorded; the first one to sender s (NULL: none). */
const struct rec_answer *rec_last(void);
const struct rec_answer *rec_find(xous_sender_t s);
/* Record a, the answer dispatch returned for env, as xous_serve answers it
 * (xous_io_answer: DEFERRED records nothing, an answer that does not fit
 * env's kind is REC_DONE). Returns a. */
xous_answer_t rec_dispatched(xous_envelope_t *env, xous_answer_t a);

/* The suites' scaffolding: each test its own case with the suite's setup
 * fixture (so CK_RUN_CASE picks one; the CMake file finds the ADD lines),
 * and a runner that turns failures into the exit status. */
void rec_add_case(Suite *s, const char *name, SFun setup, const TTest *test);
int rec_run(Suite *s);
#define ADD(s, name) rec_add_case((s), #name, setup, name)

#endif

/*
 * The ticktimer as a pure dispatch function: tt_dispatch(state, env, now)
 * returns its answer, parked callers are answered through state->io, and
 * time is an argument, so unit tests drive it without a kernel and without
 * waiting.
 */
#ifndef XOUS_TICKTIMER_SERVER_H
#define XOUS_TICKTIMER_SERVER_H

#include <stdint.h>
#include <xous/serve.h>

#include "api.h"

#define TT_MAX_WAITERS 1024 /* sleepers + mutex waiters + condition waiters */
#define TT_MAX_MUTEXES 1024

/* TT_WAIT_NOTIFY: a task's timer (NotifyAfterMs), nobody waits for an answer. */
enum tt_wait_kind { TT_WAIT_NONE, TT_WAIT_SLEEP, TT_WAIT_MUTEX, TT_WAIT_COND, TT_WAIT_NOTIFY };

struct tt_waiter {
	enum tt_wait_kind kind;
	xous_sender_t sender;
	xous_pid_t pid;
	uintptr_t key; /* mutex or condition id */
	int has_deadline;
	uint64_t deadline; /* ms, the server's clock */
	uint64_t seq;      /* arrival order */
};

struct tt_mutex {
	int used;
	int locked;
	xous_pid_t pid;
	uintptr_t key;
};

struct tt_state {
	const struct xous_server_io *io;
	uint64_t start_ms;
	uint64_t seq;
	const char *version;
	/* how an expired timer notifies its task (global_notify; NULL: nobody) */
	xous_err_t (*notify)(uint32_t task, uint32_t bits);
	struct tt_waiter waiters[TT_MAX_WAITERS];
	struct tt_mutex mutexes[TT_MAX_MUTEXES];
};

void tt_init(struct tt_state *st, const struct xous_server_io *io, uint64_t now_ms,
             const char *version);
/* Serve env at time now_ms and return its answer; first answer every wait
 * whose deadline passed. */
xous_answer_t tt_dispatch(struct tt_state *st, xous_envelope_t *env, uint64_t now_ms);
/* Answer every wait whose deadline is <= now_ms, earliest first. */
void tt_expire(struct tt_state *st, uint64_t now_ms);
/* The earliest pending deadline: 1 and *deadline_ms, or 0 if none. */
int tt_next_deadline(const struct tt_state *st, uint64_t *deadline_ms);
size_t tt_waiting(const struct tt_state *st);

/* Platform (platform_host.c: CLOCK_MONOTONIC; kernel-riscv: the machine timer). */
uint64_t tt_platform_now_ms(void);
/* Tell the wake-up thread the next deadline (any = 0: none). */
void tt_platform_arm(int any, uint64_t deadline_ms);
/* The wake-up thread: block until the armed deadline has passed. */
void tt_platform_wait(void);

#endif

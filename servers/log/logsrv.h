/*
 * The log server as a pure dispatch function: log_dispatch(state, env)
 * returns its answer and writes through state->out, so unit tests capture
 * its output without a kernel.
 */
#ifndef XOUS_LOG_SERVER_H
#define XOUS_LOG_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <xous/rpc.h>

#include "api.h"
#include "log.pb-c.h"

#define LOG_MAX_PROGRAMS 256

struct log_program {
	int used;
	xous_pid_t pid;
	char name[LOG_MAX_NAME + 1];
};

struct log_state {
	LogPb__Log_Service svc; /* first: handlers find the state from it */
	int level;              /* records above this level are dropped */
	void (*out)(const char *buf, size_t len);
	uint64_t (*now_ms)(void); /* UTC ms */
	struct log_program programs[LOG_MAX_PROGRAMS];
	unsigned next_evict;
	/* The kernel's name for a pid (xous_process_name), set by the loop; NULL
	 * in unit tests without a kernel. Preferred to what a process claims. */
	xous_err_t (*name_of)(xous_pid_t pid, char *buf, size_t len);
};

void log_init(struct log_state *st, int level, void (*out)(const char *buf, size_t len),
              uint64_t (*now_ms)(void));
xous_answer_t log_dispatch(struct log_state *st, xous_envelope_t *env);
/* "1".."5" or a level's name (error, warn, info, debug, trace): 1..5, else 0. */
int log_parse_level(const char *s);

/* Platform (platform_host.c: stdout and CLOCK_REALTIME; RV32: a UART). */
void log_platform_write(const char *buf, size_t len);
uint64_t log_platform_utc_ms(void);

#endif

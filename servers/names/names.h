/*
 * The name server as a pure dispatch function: names_dispatch(state, env)
 * returns its answer and reaches the kernel (connections, parked callers)
 * through state->io only, so unit tests drive it without a kernel. The
 * discovery server, served by the same process on its own server id, has
 * its dispatch function on the same state: discovery_dispatch(state, env).
 */
#ifndef XOUS_NAMES_SERVER_H
#define XOUS_NAMES_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <xous/rpc.h>

#include "api.h"
#include "discovery.pb-c.h"
#include "names.pb-c.h"

/* The quotas, as <xous/names.h> and docs/security.md give them. */
#define NAMES_MAX_ENTRIES     256 /* registered names */
#define NAMES_MAX_PER_PROCESS 32  /* registered names of one process */
#define NAMES_MAX_WAITERS     256 /* parked BlockingConnect calls */

struct names_entry {
	int used;
	uint8_t name[NAMES_MAX_NAME_LEN];
	size_t len;
	xous_sid_t sid;
	xous_pid_t owner;
	uint32_t limit; /* 0 = none */
	uint32_t conns; /* connections brokered and not given back */
	uint32_t token[4];
};

struct names_waiter {
	int used;
	uint8_t name[NAMES_MAX_NAME_LEN];
	size_t len;
	xous_envelope_t env; /* the parked call, answered when the name comes */
};

struct names_state {
	NamesPb__Names_Service svc;               /* first: handlers find the state from it */
	DiscoveryPb__Discovery_Service discovery; /* the second server's interface */
	const struct xous_server_io *io;
	void (*random)(uint32_t *words, size_t n);
	/* told each name registered, and len 0 for one given back (names_platform_label), or NULL */
	void (*label)(const xous_sid_t *sid, const uint8_t *name, size_t len);
	struct names_entry entries[NAMES_MAX_ENTRIES];
	struct names_waiter waiters[NAMES_MAX_WAITERS];
};

void names_init(struct names_state *st, const struct xous_server_io *io,
                void (*random)(uint32_t *words, size_t n));
xous_answer_t names_dispatch(struct names_state *st, xous_envelope_t *env);
/* Serve discovery on sid, a server of this process: its name, "discovery",
 * goes in the table (XOUS_ERR_SERVER_EXISTS if a live server has it). */
xous_err_t names_serve_discovery(struct names_state *st, const xous_sid_t *sid);
/* The dispatch of the discovery server (idl/discovery.proto). */
xous_answer_t discovery_dispatch(struct names_state *st, xous_envelope_t *env);
/* 1 if the bytes are a valid name: 1..63 bytes of well-formed UTF-8. */
int names_valid(const uint8_t *name, size_t len);
size_t names_waiting(const struct names_state *st);
/* Entries in the table (stale ones too, until they are forgotten). */
size_t names_registered(const struct names_state *st);

/* Platform (platform_host.c on Linux): fill words from the kernel's random source. */
void names_platform_random(uint32_t *words, size_t n);
/* The lock the names and discovery threads take around their dispatch. */
void names_platform_lock(void);
void names_platform_unlock(void);
/* Platform: tell the kernel the name sid is registered under, for its tools
 * (Linux: xousctl's listings; kernel-riscv keeps none). */
void names_platform_label(const xous_sid_t *sid, const uint8_t *name, size_t len);

#endif

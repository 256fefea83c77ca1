/*
 * The ip server as a pure dispatch function over its protocol core
 * (ipcore.h): frames from net and the timer's ticks go in, the answers to
 * its clients come out; callers of Wait are parked until a lease arrives
 * (at most IP_MAX_WAITERS, more: OUT_OF_MEMORY as Scalar5's first word 0).
 */
#ifndef XOUS_IP_SERVER_H
#define XOUS_IP_SERVER_H

#include <xous/serve.h>

#include "api.h"
#include "ipcore.h"

#define IP_MAX_WAITERS 16

struct ip_srv {
	struct ip_core core;
	const struct xous_server_io *io; /* answers to parked callers */
	uint64_t (*now_ms)(void);
	xous_envelope_t waiters[IP_MAX_WAITERS];
	size_t nwaiters;
};

void ip_init(struct ip_srv *st, const struct ip_core_ops *ops, const uint8_t mac[6], uint32_t seed,
             const struct xous_server_io *io, uint64_t (*now_ms)(void));
xous_answer_t ip_dispatch(struct ip_srv *st, xous_envelope_t *env);

#endif

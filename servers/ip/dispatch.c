/*
 * The ip server's dispatch: frames (Rx) and ticks drive the protocol core;
 * Info, Wait and Count read it. A Wait is answered by the message that
 * brings the lease, or at once if the stack holds one.
 */
#include <string.h>

#include "ip.h"

void ip_init(struct ip_srv *st, const struct ip_core_ops *ops, const uint8_t mac[6], uint32_t seed,
             const struct xous_server_io *io, uint64_t (*now_ms)(void))
{
	memset(st, 0, sizeof(*st));
	ip_core_init(&st->core, ops, mac, seed);
	st->io = io;
	st->now_ms = now_ms;
}

static xous_answer_t info(const struct ip_core *c)
{
	return xous_answer_scalar5(c->state, c->addr, c->netmask, c->router, c->lease_s);
}

/* Once there is a lease, every parked Wait hears it. */
static void wake(struct ip_srv *st)
{
	if (!ip_core_leased(&st->core))
		return;
	for (size_t i = 0; i < st->nwaiters; i++)
		xous_io_answer(st->io, &st->waiters[i], info(&st->core));
	st->nwaiters = 0;
}

static xous_answer_t wait_lease(struct ip_srv *st, xous_envelope_t *env)
{
	if (ip_core_leased(&st->core))
		return info(&st->core);
	if (st->nwaiters == IP_MAX_WAITERS)
		return xous_answer_scalar5(0, 0, 0, 0, 0);
	st->waiters[st->nwaiters++] = *env;
	return xous_answer_deferred();
}

xous_answer_t ip_dispatch(struct ip_srv *st, xous_envelope_t *env)
{
	bool blocking = env->kind == XOUS_BLOCKING_SCALAR;
	uintptr_t which = env->scalar.arg[0];

	switch (env->scalar.id) { /* the id is at the same place for every kind */
	case IP_OP_RX:
		if (env->kind == XOUS_MOVE && env->memory.offset == 0 &&
		    env->memory.valid <= env->memory.buf.len)
			ip_core_input(&st->core, env->memory.buf.addr, env->memory.valid,
			              st->now_ms());
		break;
	case IP_OP_TICK:
		if (env->kind == XOUS_SCALAR)
			ip_core_tick(&st->core, st->now_ms());
		break;
	case IP_OP_INFO:
		if (blocking)
			return info(&st->core);
		break;
	case IP_OP_WAIT:
		if (blocking)
			return wait_lease(st, env);
		break;
	case IP_OP_COUNT:
		if (blocking && which < IP_NCOUNTS)
			return xous_answer_scalar2(XOUS_OK, (uintptr_t)st->core.count[which]);
		if (blocking)
			return xous_answer_scalar2(XOUS_ERR_INVALID_ARGUMENT, 0);
		break;
	default:
		break;
	}
	wake(st);
	return xous_answer_none();
}

/*
 * Answering an envelope through an io table as xous_serve() answers it
 * (<xous/serve.h>). Pure: no kernel calls but through the table, so the
 * servers' unit tests and fuzz targets link it without a kernel.
 */
#include <xous/serve.h>

#include "export.h"

static int fits(const xous_envelope_t *env, enum xous_answer_kind kind)
{
	switch (kind) {
	case XOUS_ANSWER_SCALAR1:
	case XOUS_ANSWER_SCALAR2:
	case XOUS_ANSWER_SCALAR5:
		return env->kind == XOUS_BLOCKING_SCALAR;
	case XOUS_ANSWER_MEMORY:
		return env->kind == XOUS_BORROW || env->kind == XOUS_MUTABLE_BORROW;
	default:
		return 0;
	}
}

XOUS_EXPORT xous_err_t xous_io_answer(const struct xous_server_io *io, xous_envelope_t *env,
                                      xous_answer_t a)
{
	if (io == NULL || env == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (a.kind == XOUS_ANSWER_DEFERRED)
		return XOUS_OK;
	if (!fits(env, a.kind))
		return io->envelope_done(env);
	switch (a.kind) {
	case XOUS_ANSWER_SCALAR1:
		return io->return_scalar(env->sender, a.v[0]);
	case XOUS_ANSWER_SCALAR2:
		return io->return_scalar2(env->sender, a.v[0], a.v[1]);
	case XOUS_ANSWER_SCALAR5:
		if (io->return_scalar5 == NULL)
			return XOUS_ERR_INVALID_ARGUMENT;
		return io->return_scalar5(env->sender, a.v[0], a.v[1], a.v[2], a.v[3], a.v[4]);
	default:
		return io->return_memory(env->sender, a.v[0], a.v[1]);
	}
}

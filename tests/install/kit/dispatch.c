/* The doubler's dispatch: one method, Twice. */
#include <stdint.h>

#include "doubler.h"

static void do_twice(DoublerPb__Doubler_Service *svc, const DoublerPb__Num *in,
                     DoublerPb__Num_Closure closure, void *data)
{
	struct doubler_state *st = (struct doubler_state *)svc;
	DoublerPb__Num out = DOUBLER_PB__NUM__INIT;

	if (in->n > INT64_MAX / 2 || in->n < INT64_MIN / 2) {
		xous_rpc_fail(data, XOUS_ERR_INVALID_ARGUMENT);
		return;
	}
	out.n = in->n * 2;
	st->served++;
	closure(&out, data);
}

void doubler_init(struct doubler_state *st)
{
	doubler_pb__doubler__init(&st->svc, NULL);
	st->svc.twice = do_twice;
	st->served = 0;
}

xous_answer_t doubler_dispatch(struct doubler_state *st, xous_envelope_t *env)
{
	return xous_rpc_serve(&st->svc.base, env);
}

/* The doubler server: its state and dispatch, and its name. */
#ifndef DOUBLER_H
#define DOUBLER_H

#include <xous/rpc.h>
#include <xous/serve.h>

#include "doubler.pb-c.h"

#define DOUBLER_NAME     "doubler"
#define DOUBLER_OP_TWICE 0

struct doubler_state {
	DoublerPb__Doubler_Service svc;
	uint32_t served;
};

void doubler_init(struct doubler_state *st);
xous_answer_t doubler_dispatch(struct doubler_state *st, xous_envelope_t *env);

#endif

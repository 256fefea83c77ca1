/* xous-doubler: registers "doubler" with the name server and serves it. */
#include <stdio.h>
#include <xous/names.h>

#include "doubler.h"

static struct doubler_state state;

static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	return doubler_dispatch(st, env);
}

int main(void)
{
	xous_sid_t sid;
	xous_err_t err;

	doubler_init(&state);
	err = xns_register_name(DOUBLER_NAME, 0, &sid);
	if (err) {
		fprintf(stderr, "xous-doubler: cannot register: %s\n", xous_strerror(err));
		return 1;
	}
	return xous_serve_program(&sid, 0, serve, &state);
}

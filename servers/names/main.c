/* xous-names: names_dispatch() served by xous_serve(). */
#include <xous/serve.h>

#include "names.h"

static struct names_state state; /* large: keep it off the stack */

static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	return names_dispatch(st, env);
}

int main(void)
{
	xous_sid_t sid = xous_sid_from_name(NAMES_SERVER_NAME);

	names_init(&state, &xous_server_io_kernel, names_platform_random);
	state.label = names_platform_label;
	return xous_serve_program(&sid, 1, serve, &state);
}

/* xous-names: names_dispatch() served by xous_serve(). */
#include <stdio.h>
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
	xous_err_t err;

	names_init(&state, &xous_server_io_kernel, names_platform_random);
	err = xous_create_server_with_address(&sid);
	if (err) {
		fprintf(stderr, "xous-names: cannot create %s: %s\n", NAMES_SERVER_NAME,
		        xous_strerror(err));
		return 1;
	}
	err = xous_serve(&sid, serve, &state);
	fprintf(stderr, "xous-names: %s\n", xous_strerror(err));
	return 1;
}

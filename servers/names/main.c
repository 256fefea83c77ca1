/* xous-names: the thin loop around names_dispatch(). */
#include <stdio.h>
#include <stdlib.h>

#include "names.h"

static struct names_state state; /* large: keep it off the stack */

int main(void)
{
	xous_sid_t sid = xous_sid_from_name(NAMES_SERVER_NAME);
	xous_envelope_t env;
	xous_err_t err;

	names_init(&state, &xous_server_io_kernel, names_platform_random);
	err = xous_create_server_with_address(&sid);
	if (err) {
		fprintf(stderr, "xous-names: cannot create %s: %s\n", NAMES_SERVER_NAME,
		        xous_strerror(err));
		return 1;
	}
	for (;;) {
		err = xous_receive_message(&sid, &env);
		if (err) {
			fprintf(stderr, "xous-names: receive: %s\n", xous_strerror(err));
			return 1;
		}
		names_dispatch(&state, &env);
	}
}

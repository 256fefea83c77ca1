/* xous-time: the thin loop around time_dispatch(). */
#include <stdio.h>

#include "timesrv.h"

int main(void)
{
	xous_sid_t sid = xous_sid_from_name(TIME_SERVER_NAME);
	struct time_state state;
	xous_envelope_t env;
	xous_err_t err;

	time_init(&state, &xous_server_io_kernel);
	err = xous_create_server_with_address(&sid);
	if (err) {
		fprintf(stderr, "xous-time: cannot create server: %s\n", xous_strerror(err));
		return 1;
	}
	for (;;) {
		err = xous_receive_message(&sid, &env);
		if (err) {
			fprintf(stderr, "xous-time: receive: %s\n", xous_strerror(err));
			return 1;
		}
		time_dispatch(&state, &env, time_platform_utc_ms());
	}
}

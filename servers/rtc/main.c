/* xous-rtc: rtc_dispatch() served by xous_serve() as "rtc", on the platform's clock. */
#include <xous/names.h>
#include <xous/serve.h>

#include "rtc.h"

static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	(void)st;
	return rtc_dispatch(env, rtc_platform_unix_now());
}

int main(void)
{
	return xns_serve_program(RTC_SERVER_NAME, serve, NULL);
}

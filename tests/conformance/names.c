/*
 * names: the name server and the log server (needs the default fleet): a
 * registered name is found, connected to and served; an absent name is
 * ServerNotFound at once; a blocking request waits until the name appears;
 * unregistering removes it; bad names are refused; log records go out.
 */
#include <string.h>

#include <xous/log.h>
#include <xous/names.h>

#include "conf.h"

static xous_sid_t echo_sid;

static void *echo_server(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&echo_sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_BLOCKING_SCALAR) {
			uintptr_t v = env.scalar.arg[0];
			xous_return_scalar(env.sender, v + 1);
			if (v == 0)
				return NULL;
		}
		xous_envelope_done(&env);
	}
	return (void *)1;
}

static void *late_lookup(void *arg)
{
	xous_cid_t cid = 0;

	(void)arg;
	if (xns_request_connection_blocking("conformance.late", &cid) != XOUS_OK)
		return NULL;
	return (void *)(uintptr_t)cid;
}

int main(void)
{
	xous_scalar_reply_t r;
	xous_sid_t late_sid;
	xous_cid_t cid = 0;
	xous_tid_t t, tl;
	void *ret;

	CHECK_OK(xns_register_name("conformance.echo", 0, &echo_sid));
	CHECK_OK(xous_create_thread(echo_server, NULL, &t));
	CHECK_OK(xns_request_connection("conformance.echo", &cid));
	CHECK(cid != 0);
	CHECK_OK(xous_blocking_scalar(cid, 1, 41, 0, 0, 0, &r));
	CHECK(r.v[0] == 42);

	CHECK_ERR(xns_request_connection("conformance.absent", &cid), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK(xns_register_name("", 0, &late_sid) != XOUS_OK);
	char long_name[80];
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = 0;
	CHECK(xns_register_name(long_name, 0, &late_sid) != XOUS_OK);

	/* a blocking request waits for the name */
	CHECK_OK(xous_create_thread(late_lookup, NULL, &tl));
	for (int i = 0; i < 10; i++)
		xous_yield();
	CHECK_OK(xns_register_name("conformance.late", 0, &late_sid));
	CHECK_OK(xous_join_thread(tl, &ret));
	CHECK(ret != NULL);
	CHECK_OK(xns_unregister(&late_sid));
	CHECK_ERR(xns_request_connection("conformance.late", &cid), XOUS_ERR_SERVER_NOT_FOUND);

	CHECK_OK(xlog(XLOG_INFO, "conformance: names checked, %d failures so far", conf_failures));
	CHECK_OK(xns_request_connection("conformance.echo", &cid));
	CHECK_OK(xous_blocking_scalar(cid, 1, 0, 0, 0, 0, &r));
	CHECK_OK(xous_join_thread(t, &ret));
	CHECK(ret == NULL);
	return conf_end("names");
}

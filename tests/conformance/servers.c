/* servers: create (random and with an address), destroy, connect that waits, try_connect. */
#include <string.h>

#include "conf.h"

static xous_sid_t late_sid;
static xous_cid_t late_cid;

static void *late_connector(void *arg)
{
	(void)arg;
	return (void *)(uintptr_t)xous_connect(&late_sid, &late_cid); /* waits for the server */
}

int main(void)
{
	xous_sid_t a, b, named;
	xous_cid_t cid, cid2;
	xous_tid_t t;
	void *ret;

	CHECK_OK(xous_create_server(&a));
	CHECK_OK(xous_create_server(&b));
	CHECK(memcmp(&a, &b, sizeof(a)) != 0);
	CHECK_ERR(xous_create_server_with_address(&a), XOUS_ERR_SERVER_EXISTS);

	named = xous_sid_from_name("conformance-test");
	CHECK(named.w[0] == ('c' | 'o' << 8 | 'n' << 16 | (uint32_t)'f' << 24));
	CHECK_ERR(xous_try_connect(&named, &cid), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_OK(xous_create_server_with_address(&named));
	CHECK_OK(xous_try_connect(&named, &cid));
	CHECK(cid != 0);
	CHECK_OK(xous_connect(&named, &cid2));
	CHECK(cid2 == cid); /* one cid per server and process */
	CHECK_OK(xous_destroy_server(&named));
	CHECK_ERR(xous_destroy_server(&named), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_ERR(xous_send_scalar(cid, 1, 0, 0, 0, 0), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_ERR(xous_try_connect(&named, &cid), XOUS_ERR_SERVER_NOT_FOUND);

	/* connect waits until the server exists */
	late_sid = xous_sid_from_name("late-server-0001");
	CHECK_OK(xous_create_thread(late_connector, NULL, &t));
	for (int i = 0; i < 10; i++)
		xous_yield();
	CHECK_OK(xous_create_server_with_address(&late_sid));
	CHECK_OK(xous_join_thread(t, &ret));
	CHECK_ERR((uintptr_t)ret, XOUS_OK);
	CHECK(late_cid != 0);
	CHECK_OK(xous_disconnect(late_cid));
	CHECK(xous_disconnect(late_cid) != XOUS_OK);
	CHECK_OK(xous_destroy_server(&late_sid));

	CHECK_OK(xous_destroy_server(&a));
	CHECK_OK(xous_destroy_server(&b));
	CHECK_ERR(xous_create_server(NULL), XOUS_ERR_INVALID_ARGUMENT);
	return conf_end("servers");
}

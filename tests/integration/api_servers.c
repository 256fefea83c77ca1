/*
 * api.servers: servers and connections (CONTRACT section 2).
 *
 * xous_create_server, xous_create_server_with_address, xous_destroy_server,
 * xous_connect (including one that waits for a server another thread
 * creates later), xous_try_connect, xous_disconnect, xous_sid_from_name,
 * xous_strerror, and bad arguments to each.
 */
#include <string.h>

#include "itest.h"

static void random_servers(void)
{
	xous_sid_t a, b, zero = {{0}};
	xous_cid_t ca, ca2, cb;

	CHECK_ERR(xous_create_server(&a), XOUS_OK, "create_server");
	CHECK_ERR(xous_create_server(&b), XOUS_OK, "create_server again");
	CHECK(memcmp(&a, &b, sizeof a) != 0 && memcmp(&a, &zero, sizeof a) != 0,
	      "two random server ids differ and are not zero");
	CHECK_ERR(xous_connect(&a, &ca), XOUS_OK, "connect");
	CHECK(ca != 0, "connection ids start from 1 (got %u)", ca);
	CHECK_ERR(xous_connect(&a, &ca2), XOUS_OK, "connect again");
	CHECK(ca2 == ca, "connecting twice to one server gives the same cid");
	CHECK_ERR(xous_try_connect(&b, &cb), XOUS_OK, "try_connect to an existing server");
	CHECK(cb != 0 && cb != ca, "a different server gets a different cid (%u, %u)", ca, cb);
	CHECK_ERR(xous_send_scalar(cb, 1, 0, 0, 0, 0), XOUS_OK, "send on it");
	CHECK_ERR(xous_disconnect(cb), XOUS_OK, "disconnect");
	CHECK(xous_send_scalar(cb, 1, 0, 0, 0, 0) != XOUS_OK, "a disconnected cid cannot send");
	CHECK(xous_disconnect(cb) != XOUS_OK, "disconnecting it twice is an error");
	CHECK_ERR(xous_destroy_server(&a), XOUS_OK, "destroy_server");
	CHECK_ERR(xous_destroy_server(&a), XOUS_ERR_SERVER_NOT_FOUND, "destroy it twice");
	CHECK_ERR(xous_try_connect(&a, &ca), XOUS_ERR_SERVER_NOT_FOUND,
	          "try_connect after destroy");
	CHECK_ERR(xous_send_scalar(ca2, 1, 0, 0, 0, 0), XOUS_ERR_SERVER_NOT_FOUND,
	          "a cid whose server is gone");
	CHECK_ERR(xous_destroy_server(&b), XOUS_OK, "destroy the other");
}

static void addressed_servers(void)
{
	xous_sid_t s = itest_random_sid(), named = xous_sid_from_name("itest-api-srvrs!");
	xous_envelope_t env;
	xous_cid_t cid;

	CHECK_ERR(xous_try_connect(&s, &cid), XOUS_ERR_SERVER_NOT_FOUND,
	          "try_connect to a server that does not exist yet");
	CHECK_ERR(xous_create_server_with_address(&s), XOUS_OK, "create_server_with_address");
	CHECK_ERR(xous_create_server_with_address(&s), XOUS_ERR_SERVER_EXISTS, "the same id again");
	CHECK_ERR(xous_try_connect(&s, &cid), XOUS_OK, "try_connect now");
	CHECK_ERR(xous_send_scalar(cid, 5, 6, 7, 8, 9), XOUS_OK, "send to it");
	CHECK(xous_receive_message(&s, &env) == XOUS_OK && env.kind == XOUS_SCALAR &&
	              env.scalar.id == 5 && env.scalar.arg[3] == 9,
	      "receive on it");
	CHECK_ERR(xous_create_server_with_address(&named), XOUS_OK, "a server named by 16 bytes");
	CHECK_ERR(xous_destroy_server(&named), XOUS_OK, "destroy it");
	CHECK_ERR(xous_destroy_server(&s), XOUS_OK, "destroy the other");
	CHECK_ERR(xous_create_server_with_address(&s), XOUS_OK, "its id can be used again");
	CHECK_ERR(xous_destroy_server(&s), XOUS_OK, "destroy");
}

static xous_sid_t later;

static void *connect_later(void *arg)
{
	xous_cid_t cid = 0;
	xous_err_t err = xous_connect(&later, &cid);

	(void)arg;
	if (!err)
		err = xous_send_scalar(cid, 77, 0, 0, 0, 0);
	return (void *)(uintptr_t)err;
}

static void connect_waits(void)
{
	xous_envelope_t env;
	xous_tid_t tid;
	void *res = (void *)1;

	later = itest_random_sid();
	REQUIRE(xous_create_thread(connect_later, NULL, &tid) == XOUS_OK,
	        "a thread connects to a server nobody has created");
	for (int i = 0; i < 20; i++)
		xous_yield();
	CHECK_ERR(xous_create_server_with_address(&later), XOUS_OK, "create that server now");
	CHECK(xous_receive_message(&later, &env) == XOUS_OK && env.scalar.id == 77,
	      "the waiting connect returned and its message arrived");
	CHECK(xous_join_thread(tid, &res) == XOUS_OK && res == NULL, "the thread saw no error");
	xous_destroy_server(&later);
}

static void names_and_errors(void)
{
	xous_sid_t t = xous_sid_from_name(XOUS_NAME_TICKTIMER);
	xous_sid_t l = xous_sid_from_name(XOUS_NAME_LOG);

	CHECK(t.w[0] == 0x6b636974 && t.w[1] == 0x656d6974 && t.w[2] == 0x65732d72 &&
	              t.w[3] == 0x72657672,
	      "sid_from_name(\"ticktimer-server\") is four little-endian words");
	CHECK(l.w[3] == 0x20726576, "\"xous-log-server \" keeps its trailing space");
	int ok = 1;
	for (xous_err_t e = 0; e <= XOUS_ERR_MAX + 5; e++)
		ok &= xous_strerror(e) != NULL && xous_strerror(e)[0] != 0;
	ok &= xous_strerror(0xffffffffu) != NULL;
	CHECK(ok, "strerror names every code, and unknown ones too");
	CHECK(strcmp(xous_strerror(XOUS_ERR_SERVER_QUEUE_FULL), xous_strerror(XOUS_OK)) != 0,
	      "strerror tells codes apart");
}

static void bad_arguments(void)
{
	xous_sid_t s = itest_random_sid();
	xous_cid_t cid;

	CHECK(xous_create_server(NULL) != XOUS_OK, "create_server(NULL) is an error");
	CHECK(xous_create_server_with_address(NULL) != XOUS_OK, "create_server_with_address(NULL)");
	CHECK(xous_destroy_server(NULL) != XOUS_OK, "destroy_server(NULL)");
	CHECK(xous_connect(NULL, &cid) != XOUS_OK, "connect(NULL, ...)");
	CHECK(xous_try_connect(&s, NULL) != XOUS_OK, "try_connect(..., NULL)");
	CHECK(xous_disconnect(0) != XOUS_OK, "disconnect(0)");
	CHECK(xous_disconnect(4000) != XOUS_OK, "disconnect(4000), never given");
}

int main(void)
{
	random_servers();
	addressed_servers();
	connect_waits();
	names_and_errors();
	bad_arguments();
	return itest_done();
}

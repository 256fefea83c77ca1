/*
 * names: the name server and the log server (needs the default fleet): a
 * registered name is found, connected to and served; an absent name is
 * ServerNotFound at once; a blocking request waits until the name appears;
 * unregistering removes it; bad names are refused; a name is registered
 * only for a server the caller made (the kernel tells the name server who
 * made it, and tells nobody else); log records go out.
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

/* Register name for sid as the name server's protocol has it, not as
 * xns_register_name does (it registers only a server it just made): a
 * RegisterRequest of idl/names.proto (field 1 the name, 2..5 the sid's
 * words as fixed32) lent to opcode 0; the status comes back as the offset. */
static xous_err_t register_raw(const char *name, const xous_sid_t *sid)
{
	xous_sid_t ns_sid = xous_sid_from_name("xous-name-server");
	size_t len = strlen(name), n = 0, offset = 0, valid = 0;
	xous_range_t buf;
	xous_cid_t ns;
	uint8_t *p;
	xous_err_t err = xous_connect(&ns_sid, &ns);

	if (err == XOUS_OK)
		err = xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &buf);
	if (err)
		return err;
	p = buf.addr;
	p[n++] = 0x0a;
	p[n++] = (uint8_t)len;
	memcpy(p + n, name, len);
	n += len;
	for (unsigned i = 0; i < 4; i++) {
		p[n++] = (uint8_t)((2 + i) << 3 | 5);
		for (unsigned b = 0; b < 4; b++)
			p[n++] = (uint8_t)(sid->w[i] >> (8 * b));
	}
	err = xous_lend_mut(ns, 0, buf, 0, n, &offset, &valid);
	if (err == XOUS_OK)
		err = (xous_err_t)offset;
	xous_unmap_memory(buf);
	return err;
}

/* Only the process that made a server may give it a name. */
static void foreign_sids(void)
{
	xous_sid_t made_up = {{0x6d616465, 0x2d75702d, 0x7369642e, 0x2e2e2e2e}};
	xous_sid_t ticktimer = xous_sid_from_name("ticktimer-server");
	xous_sid_t mine;
	xous_pid_t owner = 0;
	xous_cid_t cid = 0;

	CHECK_ERR(register_raw("conformance.foreign", &made_up), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_ERR(register_raw("conformance.foreign", &ticktimer), XOUS_ERR_ACCESS_DENIED);
	CHECK_ERR(xns_request_connection("conformance.foreign", &cid), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_OK(xous_create_server(&mine));
	CHECK_OK(register_raw("conformance.foreign", &mine));
	CHECK_OK(xns_request_connection("conformance.foreign", &cid));
	/* who owns a server is the name server's to ask, nobody else's */
	CHECK_ERR(xous_server_owner(&mine, &owner), XOUS_ERR_ACCESS_DENIED);
	CHECK_ERR(xous_server_owner(&ticktimer, &owner), XOUS_ERR_ACCESS_DENIED);
	CHECK(owner == 0);
	CHECK_OK(xns_unregister(&mine));
	CHECK_OK(xous_destroy_server(&mine));
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

	foreign_sids();

	CHECK_OK(xlog(XLOG_INFO, "conformance: names checked, %d failures so far", conf_failures));
	CHECK_OK(xns_request_connection("conformance.echo", &cid));
	CHECK_OK(xous_blocking_scalar(cid, 1, 0, 0, 0, 0, &r));
	CHECK_OK(xous_join_thread(t, &ret));
	CHECK(ret == NULL);
	return conf_end("names");
}

/*
 * discovery: Resea's service discovery beside the name server (needs the
 * default fleet). A name served with discovery_serve is found by
 * discovery_lookup and by xns_request_connection; one registered with
 * xns_register_name is found by discovery_lookup; a lookup of a name not
 * yet served waits until another thread serves it (it is answered when the
 * name comes: no polling); the serving task is the process that owns the
 * server; bad names, bad arguments, a name served twice and a process's
 * 33rd name are refused.
 */
#include <string.h>

#include <resea/discovery.h>
#include <xous/names.h>

#include "conf.h"

#define MAX_NAMES 32 /* names one process may have */

/* Serve sid until a call asks with 0: answer each BlockingScalar a + 1. */
static void *echo(void *arg)
{
	xous_sid_t *sid = arg;
	xous_envelope_t env;

	while (xous_receive_message(sid, &env) == XOUS_OK) {
		uintptr_t v = env.scalar.arg[0];

		if (env.kind == XOUS_BLOCKING_SCALAR)
			xous_return_scalar(env.sender, v + 1);
		xous_envelope_done(&env);
		if (v == 0)
			return NULL;
	}
	return (void *)1;
}

/* cid reaches an echo server: it answers 41 + 1. */
static int echoes(xous_cid_t cid)
{
	xous_scalar_reply_t r;

	return xous_blocking_scalar(cid, 1, 41, 0, 0, 0, &r) == XOUS_OK && r.v[0] == 42;
}

struct found {
	const char *name;
	xous_err_t err;
	task_t task;
	xous_cid_t cid;
};

static void *lookup_thread(void *arg)
{
	struct found *f = arg;

	f->err = discovery_lookup(f->name, &f->task, &f->cid);
	return NULL;
}

/* A name served one way is found both ways. */
static void both_ways(void)
{
	static xous_sid_t served, registered;
	xous_tid_t t1, t2;
	task_t task = 0;
	xous_cid_t cid = 0, cid2 = 0;
	void *ret;

	CHECK_OK(discovery_serve("conformance.served", &served));
	CHECK_OK(xous_create_thread(echo, &served, &t1));
	CHECK_OK(discovery_lookup("conformance.served", &task, &cid));
	CHECK(task == xous_process_id());
	CHECK(echoes(cid));
	CHECK_OK(xns_request_connection("conformance.served", &cid2));
	CHECK(echoes(cid2));

	CHECK_OK(xns_register_name("conformance.registered", 0, &registered));
	CHECK_OK(xous_create_thread(echo, &registered, &t2));
	task = 0;
	CHECK_OK(discovery_lookup("conformance.registered", &task, &cid));
	CHECK(task == xous_process_id());
	CHECK(echoes(cid));

	/* discovery itself is a name of the name server's */
	CHECK_OK(xns_request_connection("discovery", &cid2));

	CHECK_OK(xous_blocking_scalar(cid, 1, 0, 0, 0, 0, &(xous_scalar_reply_t){0}));
	CHECK_OK(xns_request_connection("conformance.served", &cid));
	CHECK_OK(xous_blocking_scalar(cid, 1, 0, 0, 0, 0, &(xous_scalar_reply_t){0}));
	CHECK_OK(xous_join_thread(t1, &ret));
	CHECK(ret == NULL);
	CHECK_OK(xous_join_thread(t2, &ret));
	CHECK(ret == NULL);
	CHECK_OK(xous_destroy_server(&served));
	CHECK_OK(xous_destroy_server(&registered));
}

/* A lookup waits for the name, served afterwards by serve(name, &sid). */
static void waits_for(const char *name, xous_err_t (*serve)(const char *, xous_sid_t *))
{
	struct found f = {name, XOUS_ERR_INTERNAL_ERROR, 0, 0};
	xous_sid_t sid;
	xous_tid_t t;

	CHECK_OK(xous_create_thread(lookup_thread, &f, &t));
	for (int i = 0; i < 10; i++) /* give the lookup time to be parked */
		xous_yield();
	CHECK(f.task == 0); /* it waits: nothing answered it */
	CHECK_OK(serve(name, &sid));
	CHECK_OK(xous_join_thread(t, NULL));
	CHECK_OK(f.err);
	CHECK(f.task == xous_process_id());
	CHECK(f.cid != 0);
	CHECK_OK(xous_destroy_server(&sid));
}

static xous_err_t register_name(const char *name, xous_sid_t *sid)
{
	return xns_register_name(name, 0, sid);
}

static void errors(void)
{
	char long_name[65];
	xous_sid_t sid, first;
	xous_sid_t many[MAX_NAMES + 1];
	task_t task;
	xous_cid_t cid;
	int n = 0;

	memset(long_name, 'x', 64);
	long_name[64] = 0;
	CHECK_ERR(discovery_serve("", &sid), XOUS_ERR_INVALID_STRING);
	CHECK_ERR(discovery_serve(long_name, &sid), XOUS_ERR_INVALID_STRING);
	CHECK_ERR(discovery_serve("bad\xff", &sid), XOUS_ERR_INVALID_STRING);
	CHECK_ERR(discovery_serve(NULL, &sid), XOUS_ERR_INVALID_STRING);
	CHECK_ERR(discovery_serve("conformance.x", NULL), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(discovery_lookup(long_name, &task, &cid), XOUS_ERR_INVALID_STRING);
	CHECK_ERR(discovery_lookup("\xc0\x80", &task, &cid), XOUS_ERR_INVALID_STRING);
	CHECK_ERR(discovery_lookup("conformance.x", NULL, &cid), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(discovery_lookup("conformance.x", &task, NULL), XOUS_ERR_INVALID_ARGUMENT);

	/* a name is served once; both ways refuse a second server */
	CHECK_OK(discovery_serve("conformance.once", &first));
	CHECK_ERR(discovery_serve("conformance.once", &sid), XOUS_ERR_SERVER_EXISTS);
	CHECK_ERR(xns_register_name("conformance.once", 0, &sid), XOUS_ERR_SERVER_EXISTS);

	/* 32 names a process; its 33rd is refused until one is given back */
	for (char name[32]; n <= MAX_NAMES; n++) {
		snprintf(name, sizeof(name), "conformance.many.%d", n);
		if (discovery_serve(name, &many[n]) != XOUS_OK)
			break;
	}
	CHECK(n == MAX_NAMES - 1); /* with conformance.once */
	CHECK_ERR(discovery_serve("conformance.one-more", &sid), XOUS_ERR_OUT_OF_MEMORY);
	CHECK_OK(xous_destroy_server(&first));
	CHECK_OK(discovery_serve("conformance.one-more", &sid));
	CHECK_OK(xous_destroy_server(&sid));
	while (n-- > 0)
		CHECK_OK(xous_destroy_server(&many[n]));
}

int main(void)
{
	both_ways();
	waits_for("conformance.late.served", discovery_serve);
	waits_for("conformance.late.registered", register_name);
	errors();
	return conf_end("discovery");
}

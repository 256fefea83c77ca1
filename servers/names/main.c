/*
 * xous-names: the name server and Resea's discovery, one process serving
 * two servers on one table. Each server has its thread running xous_serve()
 * (the kernel receives on one server per call); the two dispatch functions
 * take turns under the platform's lock.
 */
#include <stdio.h>
#include <xous/serve.h>

#include "names.h"

static struct names_state state; /* large: keep it off the stack */
static xous_sid_t discovery_sid;

/* One of the process's two servers: its dispatch function on the table. */
struct server {
	xous_answer_t (*dispatch)(struct names_state *st, xous_envelope_t *env);
};

static const struct server names_server = {names_dispatch};
static const struct server discovery_server = {discovery_dispatch};

static xous_answer_t serve(void *server, xous_envelope_t *env)
{
	const struct server *s = server;
	xous_answer_t a;

	names_platform_lock();
	a = s->dispatch(&state, env);
	names_platform_unlock();
	return a;
}

static void *discovery_thread(void *arg)
{
	xous_err_t err = xous_serve(&discovery_sid, serve, arg);

	fprintf(stderr, "xous-names: discovery: %s; no longer served\n", xous_strerror(err));
	return NULL;
}

/* Create the discovery server, list it as "discovery" and serve it. */
static xous_err_t start_discovery(void)
{
	xous_tid_t tid;
	xous_err_t err = xous_create_server(&discovery_sid);

	if (err == XOUS_OK)
		err = names_serve_discovery(&state, &discovery_sid);
	if (err == XOUS_OK)
		err = xous_create_thread(discovery_thread, (void *)&discovery_server, &tid);
	return err;
}

/* The name server's server first: the broker counts a fleet server ready
 * once it has made a server, and the name server is what it waits for. */
int main(void)
{
	xous_sid_t sid = xous_sid_from_name(NAMES_SERVER_NAME);
	xous_err_t err;

	names_init(&state, &xous_server_io_kernel, names_platform_random);
	state.label = names_platform_label;
	err = xous_create_server_with_address(&sid);
	if (err) {
		fprintf(stderr, "xous-names: cannot create its server: %s\n", xous_strerror(err));
		return 1;
	}
	err = start_discovery();
	if (err)
		fprintf(stderr, "xous-names: cannot serve discovery: %s\n", xous_strerror(err));
	return xous_serve_program(&sid, 0, serve, (void *)&names_server);
}

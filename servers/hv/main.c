/*
 * xous-hv: hv_dispatch() served by xous_serve() as "hv", and hv_notice()
 * on a private server (a random id only the task server is given) in a
 * second thread; one lock keeps them one at a time. Launched as
 * HV_VCPU_ARG it is a guest's vCPU task instead.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <xous/names.h>

#include "platform.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct hv_host host;
static struct hv_platform platform;
static struct hv_state state;

/* f's answer to env, one message at a time across both servers. */
static xous_answer_t locked(xous_answer_t (*f)(struct hv_state *, xous_envelope_t *),
                            xous_envelope_t *env)
{
	xous_answer_t a;

	pthread_mutex_lock(&lock);
	a = f(&state, env);
	pthread_mutex_unlock(&lock);
	return a;
}

static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	(void)st;
	return locked(hv_dispatch, env);
}

static xous_answer_t serve_notice(void *st, xous_envelope_t *env)
{
	(void)st;
	return locked(hv_notice, env);
}

static void *notices(void *arg)
{
	(void)arg;
	xous_serve(&host.notice, serve_notice, &state);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	xous_err_t err;

	if (argc == 2 && !strcmp(argv[1], HV_VCPU_ARG))
		return hv_vcpu_main();
	hv_host_platform(&host, &platform);
	hv_init(&state, &platform, &xous_server_io_kernel);
	err = xous_create_server(&host.notice);
	if (err || pthread_create(&t, NULL, notices, NULL)) {
		fprintf(stderr, "xous-hv: cannot make its private server: %s\n",
		        xous_strerror(err));
		return 1;
	}
	return xns_serve_program(HV_SERVER_NAME, serve, &state);
}

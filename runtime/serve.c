/*
 * The one server loop (<xous/serve.h>): dispatch returns the answer, and
 * the answer travels with the receive of the next message.
 */
#include <stdio.h>
#include <xous/serve.h>

#include "export.h"
#include "runtime.h"

/* The errors of a plain receive that leave nothing to receive on. */
static int no_server(xous_err_t err)
{
	return err == XOUS_ERR_SERVER_NOT_FOUND || err == XOUS_ERR_ACCESS_DENIED ||
	       err == XOUS_ERR_INTERNAL_ERROR || err == XOUS_ERR_INVALID_ARGUMENT;
}

/* One line on stderr, begun with the name the kernel knows this process by. */
static void say(const char *what, xous_err_t err, const char *then)
{
	xous_pid_t pid = xous_process_id();
	char name[48];

	if (xous_process_name(pid, name, sizeof(name)) != XOUS_OK)
		name[0] = '\0';
	fprintf(stderr, "%s(%u): %s: %s%s\n", name[0] ? name : "server", (unsigned)pid, what,
	        xous_strerror(err), then);
}

static void report(xous_err_t err)
{
	say("xous_serve", err, "; serving on");
}

/* Answer env with a and make env the next message: one syscall, but for a
 * Scalar5, which goes out first on its own. */
static xous_err_t answer_and_receive(const xous_sid_t *sid, xous_envelope_t *env,
                                     const xous_answer_t *a)
{
	xous_err_t err;

	switch (a->kind) {
	case XOUS_ANSWER_SCALAR1:
	case XOUS_ANSWER_SCALAR2:
		return xous_rt_scalar_and_receive_next(
		        sid, env, a->kind == XOUS_ANSWER_SCALAR1 ? 1 : 2, a->v[0], a->v[1]);
	case XOUS_ANSWER_SCALAR5:
		if (env->kind != XOUS_BLOCKING_SCALAR)
			break;
		err = xous_return_scalar5(env->sender, a->v[0], a->v[1], a->v[2], a->v[3], a->v[4]);
		if (err != XOUS_OK)
			report(err);
		break;
	case XOUS_ANSWER_MEMORY:
		if (env->kind == XOUS_BORROW || env->kind == XOUS_MUTABLE_BORROW) {
			env->memory.offset = a->v[0];
			env->memory.valid = a->v[1];
		}
		break;
	case XOUS_ANSWER_DEFERRED: /* the server keeps it */
		env->kind = XOUS_NO_MESSAGE;
		break;
	default:
		break;
	}
	return xous_reply_and_receive_next(sid, env);
}

XOUS_EXPORT xous_err_t xous_serve(const xous_sid_t *sid, xous_dispatch_t dispatch, void *state)
{
	xous_envelope_t env = {.kind = XOUS_NO_MESSAGE};
	xous_answer_t a = xous_answer_none();

	if (sid == NULL || dispatch == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	for (;;) {
		int plain = env.kind == XOUS_NO_MESSAGE || a.kind == XOUS_ANSWER_DEFERRED;
		xous_err_t err = answer_and_receive(sid, &env, &a);

		if (err == XOUS_OK) {
			a = dispatch(state, &env);
			continue;
		}
		/* A failed answer receives nothing: the next call is a plain
		 * receive, and only a plain receive's error can end the loop. */
		if (!no_server(err))
			report(err);
		else if (plain)
			return err;
		env.kind = XOUS_NO_MESSAGE;
		a = xous_answer_none();
	}
}

XOUS_EXPORT int xous_serve_program(const xous_sid_t *sid, int create, xous_dispatch_t dispatch,
                                   void *state)
{
	xous_err_t err = XOUS_OK;

	if (create && sid != NULL)
		err = xous_create_server_with_address(sid);
	if (err != XOUS_OK) {
		say("cannot create its server", err, "");
		return 1;
	}
	say("xous_serve", xous_serve(sid, dispatch, state), "; no server left to serve");
	return 1;
}

/*
 * errors: bad connection ids, answers to messages never received or
 * answered twice, receiving on servers one does not have, bad arguments.
 * Each is an error, never a crash.
 */
#include "conf.h"

static xous_sid_t sid;

static void *answer_twice(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	if (xous_receive_message(&sid, &env) != XOUS_OK)
		return (void *)1;
	if (xous_return_scalar2(env.sender, 1, 2) != XOUS_OK)
		return (void *)2;
	if (xous_return_scalar(env.sender, 3) != XOUS_ERR_DOUBLE_FREE)
		return (void *)3;
	if (xous_return_memory(env.sender, 0, 0) != XOUS_ERR_DOUBLE_FREE)
		return (void *)4;
	if (xous_envelope_done(&env) != XOUS_OK) /* answered already: nothing to do */
		return (void *)5;
	return NULL;
}

int main(void)
{
	xous_scalar_reply_t r;
	xous_envelope_t env;
	xous_sid_t other;
	xous_range_t mem;
	xous_cid_t cid;
	xous_tid_t t;
	size_t off, valid;
	void *ret;

	/* connection ids never given */
	CHECK_ERR(xous_send_scalar(0, 1, 0, 0, 0, 0), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_ERR(xous_send_scalar(7777, 1, 0, 0, 0, 0), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_ERR(xous_try_send_scalar(12, 1, 0, 0, 0, 0), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_ERR(xous_blocking_scalar(3, 1, 0, 0, 0, 0, &r), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_OK(xous_map_memory(4096, 0, &mem));
	CHECK_ERR(xous_lend(99, 1, mem, 0, 0, &off, &valid), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_ERR(xous_disconnect(4242), XOUS_ERR_SERVER_NOT_FOUND);

	/* answers to nothing */
	CHECK_ERR(xous_return_scalar(0, 1), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(xous_return_scalar((xous_sender_t)12345, 1), XOUS_ERR_INVALID_ARGUMENT);

	/* servers one does not have */
	other = xous_sid_from_name("no-such-server!!");
	CHECK_ERR(xous_receive_message(&other, &env), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_ERR(xous_try_receive_message(&other, &env), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_ERR(xous_destroy_server(&other), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_ERR(xous_receive_message(NULL, &env), XOUS_ERR_INVALID_ARGUMENT);

	/* answering twice */
	CHECK_OK(xous_create_server(&sid));
	CHECK_OK(xous_connect(&sid, &cid));
	CHECK_OK(xous_create_thread(answer_twice, NULL, &t));
	CHECK_OK(xous_blocking_scalar(cid, 1, 0, 0, 0, 0, &r));
	CHECK(r.count == 2 && r.v[0] == 1 && r.v[1] == 2);
	CHECK_OK(xous_join_thread(t, &ret));
	CHECK_ERR((uintptr_t)ret, 0);

	/* after a disconnect the cid is no longer ours */
	CHECK_OK(xous_disconnect(cid));
	CHECK_ERR(xous_send_scalar(cid, 1, 0, 0, 0, 0), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_OK(xous_destroy_server(&sid));
	CHECK_OK(xous_unmap_memory(mem));
	CHECK(xous_unmap_memory(mem) != XOUS_OK);
	return conf_end("errors");
}

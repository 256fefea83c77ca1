/*
 * queue: a server's queue is bounded. TrySendMessage on a full queue fails
 * with ServerQueueFull; SendMessage waits until there is room; messages from
 * one thread arrive in the order sent, also when taken several at a time
 * with xous_receive_many (one at a time on kernel-riscv).
 */
#include "conf.h"

enum { OP_NOTE = 1, OP_LATE, OP_QUIT };

static xous_sid_t sid;
static xous_cid_t cid;

static void *late_sender(void *arg)
{
	(void)arg;
	/* the queue is full: this waits until the receiver makes room */
	return (void *)(uintptr_t)xous_send_scalar(cid, OP_LATE, 0, 0, 0, 0);
}

int main(void)
{
	xous_envelope_t env;
	unsigned long n = 0;
	xous_err_t err = XOUS_OK;
	xous_tid_t t;
	void *ret;

	CHECK_OK(xous_create_server(&sid));
	CHECK_OK(xous_connect(&sid, &cid));
	while (n < 100000 && (err = xous_try_send_scalar(cid, OP_NOTE, n, 0, 0, 0)) == XOUS_OK)
		n++;
	CHECK_ERR(err, XOUS_ERR_SERVER_QUEUE_FULL);
	CHECK(n > 0 && n < 100000);
	printf("queue depth %lu\n", n);

	CHECK_OK(xous_create_thread(late_sender, NULL, &t));
	for (int i = 0; i < 10; i++)
		xous_yield();

	/* in order, then the late message once room was made */
	unsigned long i = 0;
	int late = 0;
	while (i < n && !conf_failures) {
		xous_envelope_t batch[8];
		size_t got = 0;

		CHECK_OK(xous_receive_many(&sid, batch, 8, &got));
		CHECK(got >= 1 && got <= 8);
		for (size_t k = 0; k < got; k++, i++) {
			CHECK(batch[k].kind == XOUS_SCALAR);
			if (i < n)
				CHECK(batch[k].scalar.id == OP_NOTE && batch[k].scalar.arg[0] == i);
			else
				late += batch[k].scalar.id == OP_LATE;
		}
	}
	if (!late) {
		CHECK_OK(xous_receive_message(&sid, &env));
		CHECK(env.kind == XOUS_SCALAR && env.scalar.id == OP_LATE);
	}
	CHECK_OK(xous_join_thread(t, &ret));
	CHECK_ERR((uintptr_t)ret, XOUS_OK);

	CHECK_OK(xous_try_receive_message(&sid, &env));
	CHECK(env.kind == XOUS_NO_MESSAGE);
	return conf_end("queue");
}

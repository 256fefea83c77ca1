/*
 * global: the kernel's global messages of <resea/global.h> on both
 * kernels (CONTRACT section 7): notification bits merged and delivered
 * once, ahead of queued messages, to a receiver already waiting too; the
 * timer's notification (tt_notify_after_ms); async messages queued per
 * sender and pulled, from this task and from a launched task that has
 * ended; a lend of pages that cannot be lent answered BAD_ADDRESS while
 * its server receives GLOBAL_INVALID and goes on; the calls' errors.
 */
#include <stdio.h>
#include <string.h>

#include <resea/global.h>
#include <resea/task.h>
#include <xous/ticktimer.h>

#include "conf.h"

#define HELPER "conformance-global-helper"

static xous_sid_t notify_sid;

/* The next message on the notify server is Scalar(GLOBAL_NOTIFICATIONS, bits). */
static void expect_bits(uint32_t bits)
{
	xous_envelope_t env;

	CHECK_OK(xous_receive_message(&notify_sid, &env));
	CHECK(env.kind == XOUS_SCALAR);
	CHECK(env.scalar.id == GLOBAL_NOTIFICATIONS);
	if (env.scalar.arg[0] != bits)
		printf("FAIL notification bits 0x%lx, want 0x%lx\n",
		       (unsigned long)env.scalar.arg[0], (unsigned long)bits);
	conf_failures += env.scalar.arg[0] != bits;
}

/* Notifications until all of mask came (another task's bits arrive as it
 * makes them pending, in one notification or several). */
static void wait_bits(uint32_t mask)
{
	xous_envelope_t env;
	uint32_t got = 0;

	while ((got & mask) != mask && conf_failures == 0) {
		CHECK_OK(xous_receive_message(&notify_sid, &env));
		CHECK(env.kind == XOUS_SCALAR && env.scalar.id == GLOBAL_NOTIFICATIONS);
		CHECK((env.scalar.arg[0] & ~mask) == 0);
		got |= (uint32_t)env.scalar.arg[0];
	}
}

static void nothing_pending(void)
{
	xous_envelope_t env;

	CHECK_OK(xous_try_receive_message(&notify_sid, &env));
	CHECK(env.kind == XOUS_NO_MESSAGE);
}

static void *notifier(void *arg)
{
	(void)arg;
	return (void *)(uintptr_t)global_notify(xous_process_id(), 0x400);
}

static void notifications_merge(void)
{
	xous_envelope_t env;
	xous_cid_t cid;
	xous_tid_t tid;
	void *res = NULL;

	CHECK_OK(global_notify(xous_process_id(), 0x100));
	CHECK_OK(global_notify(xous_process_id(), 0x200));
	CHECK_OK(global_notify(xous_process_id(), 0x100));
	expect_bits(0x300);
	nothing_pending();
	/* ahead of a queued message */
	CHECK_OK(xous_connect(&notify_sid, &cid));
	CHECK_OK(xous_send_scalar(cid, 5, 1, 2, 3, 4));
	CHECK_OK(global_notify(xous_process_id(), 0x1000));
	expect_bits(0x1000);
	CHECK_OK(xous_receive_message(&notify_sid, &env));
	CHECK(env.kind == XOUS_SCALAR && env.scalar.id == 5 && env.scalar.arg[3] == 4);
	/* to a receiver that waits already */
	CHECK_OK(xous_create_thread(notifier, NULL, &tid));
	expect_bits(0x400);
	CHECK_OK(xous_join_thread(tid, &res));
	CHECK((uintptr_t)res == XOUS_OK);
	nothing_pending();
	CHECK_OK(xous_disconnect(cid));
}

static void timer_notification(void)
{
	CHECK_OK(tt_notify_after_ms(1000000)); /* replaced by the next one */
	CHECK_OK(tt_notify_after_ms(5));
	expect_bits(NOTIFY_TIMER);
	nothing_pending();
}

static void async_to_self(void)
{
	static char big[4096], got[4096 + 8];
	uint32_t op = 0;
	size_t len = 0;
	task_t me = xous_process_id();

	CHECK_OK(global_async_send(me, 7, "hello", 5));
	conf_fill(big, sizeof(big), 3);
	CHECK_OK(global_async_send(me, 8, big, sizeof(big)));
	CHECK_OK(global_async_send(me, 9, NULL, 0));
	expect_bits(NOTIFY_ASYNC); /* one notification for the three */
	CHECK_OK(global_async_recv(me, &op, got, sizeof(got), &len));
	CHECK(op == 7 && len == 5 && memcmp(got, "hello", 5) == 0);
	CHECK_ERR(global_async_recv(me, &op, got, 100, &len), XOUS_ERR_NO_SPACE);
	CHECK_OK(global_async_recv(me, &op, got + 1, sizeof(big), &len)); /* any alignment */
	CHECK(op == 8 && len == sizeof(big) && conf_has(got + 1, sizeof(big), 3));
	CHECK_OK(global_async_recv(me, &op, NULL, 0, &len));
	CHECK(op == 9 && len == 0);
	CHECK_ERR(global_async_recv(me, &op, got, sizeof(got), &len), XOUS_ERR_NOT_FOUND);
	CHECK_ERR(global_async_send(me, 1, big, sizeof(big) + 1), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(global_async_send(0, 1, "x", 1), XOUS_ERR_PROCESS_NOT_FOUND);
	CHECK_ERR(global_async_recv(me, NULL, got, 1, &len), XOUS_ERR_INVALID_ARGUMENT);
	nothing_pending();
}

/* A launched task queues two messages, notifies and ends; both wait for us. */
static void async_from_a_task_that_ended(void)
{
	char cmd[64], got[16];
	task_t helper;
	uint32_t op = 0;
	size_t len = 0;

	snprintf(cmd, sizeof(cmd), HELPER " %u", (unsigned)xous_process_id());
	CHECK_OK(task_launch(cmd, &helper));
	wait_bits(NOTIFY_ASYNC | 0x800);
	CHECK_OK(global_async_recv(helper, &op, got, sizeof(got), &len));
	CHECK(op == 21 && len == 3 && memcmp(got, "one", 3) == 0);
	CHECK_OK(global_async_recv(helper, &op, got, sizeof(got), &len));
	CHECK(op == 22 && len == 3 && memcmp(got, "two", 3) == 0);
	CHECK_ERR(global_async_recv(helper, &op, got, sizeof(got), &len), XOUS_ERR_NOT_FOUND);
}

static const uint8_t rodata[4096] __attribute__((aligned(4096))) = {1};

/* The next message on sid is GLOBAL_INVALID for opcode from this task. */
static void expect_invalid(const xous_sid_t *sid, uint32_t opcode)
{
	xous_envelope_t env;

	CHECK_OK(xous_receive_message(sid, &env));
	CHECK(env.kind == XOUS_SCALAR);
	CHECK(env.scalar.id == GLOBAL_INVALID);
	CHECK(env.scalar.arg[0] == opcode);
	CHECK(env.scalar.arg[1] == xous_process_id());
}

static void invalid_lends(void)
{
	xous_sid_t sid;
	xous_cid_t cid;
	xous_range_t r, ro = {(void *)rodata, sizeof(rodata)};
	xous_envelope_t env;
	size_t off = 0, valid = 0;

	CHECK_OK(xous_create_server(&sid));
	CHECK_OK(xous_connect(&sid, &cid));
	CHECK_OK(xous_map_memory(4096, XOUS_MEM_R | XOUS_MEM_W, &r));
	CHECK_OK(xous_unmap_memory(r)); /* its pages are gone */
	CHECK_ERR(xous_lend(cid, 0x77, r, 0, 0, &off, &valid), XOUS_ERR_BAD_ADDRESS);
	expect_invalid(&sid, 0x77);
	CHECK_ERR(xous_lend_mut(cid, 0x78, ro, 0, 0, &off, &valid), XOUS_ERR_BAD_ADDRESS);
	expect_invalid(&sid, 0x78);
	CHECK(rodata[0] == 1);
	/* the server goes on */
	CHECK_OK(xous_send_scalar(cid, 3, 0, 0, 0, 0));
	CHECK_OK(xous_receive_message(&sid, &env));
	CHECK(env.kind == XOUS_SCALAR && env.scalar.id == 3);
	CHECK_OK(xous_disconnect(cid));
	CHECK_OK(xous_destroy_server(&sid));
}

static void errors(void)
{
	xous_sid_t tt = xous_sid_from_name("ticktimer-server"), gone;

	CHECK_ERR(global_set_notify_server(NULL), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(global_set_notify_server(&tt), XOUS_ERR_ACCESS_DENIED);
	CHECK_OK(xous_create_server(&gone));
	CHECK_OK(xous_destroy_server(&gone));
	CHECK_ERR(global_set_notify_server(&gone), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_ERR(global_notify(0, 1), XOUS_ERR_PROCESS_NOT_FOUND);
	CHECK_ERR(global_notify(1, 1), XOUS_ERR_PROCESS_NOT_FOUND); /* the kernel */
}

int main(void)
{
	CHECK_OK(xous_create_server(&notify_sid));
	/* bits made pending before there is a notify server wait for it */
	CHECK_OK(global_notify(xous_process_id(), 0x10));
	CHECK_OK(global_set_notify_server(&notify_sid));
	expect_bits(0x10);
	notifications_merge();
	timer_notification();
	async_to_self();
	async_from_a_task_that_ended();
	invalid_lends();
	errors();
	return conf_end("global");
}

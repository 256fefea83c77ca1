/*
 * death: a server that goes away (DestroyServer) while callers wait on it.
 * Every caller whose message it held gets ServerNotFound at once; a
 * MutableBorrow it held comes back with the server's partial writes; later
 * sends on the same cid fail the same way.
 */
#include <string.h>

#include "conf.h"

enum { OP_HOLD = 1 };

static xous_sid_t sid;
static xous_cid_t cid;
static xous_range_t page;

static void *blocked_caller(void *arg)
{
	xous_scalar_reply_t r;

	(void)arg;
	return (void *)(uintptr_t)xous_blocking_scalar(cid, OP_HOLD, 0, 0, 0, 0, &r);
}

static void *lending_caller(void *arg)
{
	size_t off, valid;

	(void)arg;
	return (void *)(uintptr_t)xous_lend_mut(cid, OP_HOLD, page, 0, 0, &off, &valid);
}

int main(void)
{
	xous_envelope_t held_scalar, held_lend, queued;
	xous_tid_t t1, t2, t3;
	void *ret;

	CHECK_OK(xous_create_server(&sid));
	CHECK_OK(xous_connect(&sid, &cid));
	CHECK_OK(xous_map_memory(4096, 0, &page));
	memset(page.addr, 0x11, 4096);

	/* receive three messages and keep them, unanswered */
	CHECK_OK(xous_create_thread(blocked_caller, NULL, &t1));
	CHECK_OK(xous_receive_message(&sid, &held_scalar));
	CHECK(held_scalar.kind == XOUS_BLOCKING_SCALAR);
	CHECK_OK(xous_create_thread(lending_caller, NULL, &t2));
	CHECK_OK(xous_receive_message(&sid, &held_lend));
	CHECK(held_lend.kind == XOUS_MUTABLE_BORROW && held_lend.memory.buf.len == 4096);
	memset(held_lend.memory.buf.addr, 0x22, 100); /* partial writes */
	CHECK_OK(xous_create_thread(blocked_caller, NULL, &t3));
	for (int i = 0; i < 100000; i++) { /* until the third caller has sent */
		CHECK_OK(xous_try_receive_message(&sid, &queued));
		if (queued.kind != XOUS_NO_MESSAGE)
			break;
		xous_yield();
	}
	CHECK(queued.kind == XOUS_BLOCKING_SCALAR);

	CHECK_OK(xous_destroy_server(&sid));
	CHECK_OK(xous_join_thread(t1, &ret));
	CHECK_ERR((uintptr_t)ret, XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_OK(xous_join_thread(t2, &ret));
	CHECK_ERR((uintptr_t)ret, XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_OK(xous_join_thread(t3, &ret));
	CHECK_ERR((uintptr_t)ret, XOUS_ERR_SERVER_NOT_FOUND);

	/* the lent page is the caller's again, with the server's writes */
	uint8_t *p = page.addr;
	CHECK(p[0] == 0x22 && p[99] == 0x22 && p[100] == 0x11 && p[4095] == 0x11);
	p[4095] = 0x33; /* and writable */
	CHECK(p[4095] == 0x33);

	/* answering what died with its server is an error, not a crash */
	CHECK(xous_return_scalar(held_scalar.sender, 1) != XOUS_OK);
	CHECK_ERR(xous_send_scalar(cid, OP_HOLD, 0, 0, 0, 0), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_OK(xous_unmap_memory(page));
	return conf_end("death");
}

/*
 * answers: answering a message twice, and finishing a Move.
 *
 * The second answer to a message gets DOUBLE_FREE and changes nothing
 * else: its caller keeps the first answer, and the other messages the
 * server holds stay held (one of them in the slot the answered message
 * had, as the kernel reuses a freed slot first), so xous_envelope_done
 * still answers them. A message the kernel ended itself (its server was
 * destroyed) is answered already too: xous_envelope_done says DOUBLE_FREE.
 *
 * A Move's pages are the server's until it finishes the Move: it reads
 * and writes them, keeps them while it serves other messages and lends
 * them onward. xous_envelope_done (or ReplyAndReceiveNext) unmaps them;
 * after that they are gone (unmapping them is BAD_ADDRESS; touching or
 * lending them is a fault), and finishing the Move again does nothing.
 * Pages the server unmapped itself leave xous_envelope_done nothing to do.
 */
#include <string.h>

#include "conf.h"

enum { OP_SCALAR = 1, OP_BORROW, OP_MOVE, OP_CHECK, OP_QUIT };

#define PAGE 4096

static xous_sid_t sid, onward_sid;
static xous_cid_t cid, onward_cid;

/* One call made by a thread of its own, so that main can serve it. */
struct call {
	uint32_t op;
	xous_cid_t cid;
	xous_tid_t tid;
	xous_err_t err;
	xous_scalar_reply_t r;
	size_t off, valid;
	xous_range_t buf;
};

static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 13 + 5);
}

static int has_pattern(const uint8_t *p, size_t from, size_t len)
{
	for (size_t i = from; i < len; i++)
		if (p[i] != pattern(i))
			return 0;
	return 1;
}

static void *caller(void *arg)
{
	struct call *c = arg;

	switch (c->op) {
	case OP_SCALAR:
		c->err = xous_blocking_scalar(c->cid, OP_SCALAR, 0, 0, 0, 0, &c->r);
		break;
	case OP_BORROW:
		c->err = xous_lend(c->cid, OP_BORROW, c->buf, 0, 0, &c->off, &c->valid);
		break;
	default:
		c->err = xous_send_memory(c->cid, OP_MOVE, c->buf, 0, c->buf.len);
		break;
	}
	return NULL;
}

/* Start c's call (memory kinds: pages pages of the pattern) and receive it. */
static void call_start(struct call *c, uint32_t op, size_t pages, xous_envelope_t *env)
{
	memset(c, 0, sizeof *c);
	c->op = op;
	c->cid = cid;
	if (pages) {
		CHECK_OK(xous_map_memory(pages * PAGE, XOUS_MEM_R | XOUS_MEM_W, &c->buf));
		for (size_t i = 0; i < c->buf.len; i++)
			((uint8_t *)c->buf.addr)[i] = pattern(i);
	}
	CHECK_OK(xous_create_thread(caller, c, &c->tid));
	CHECK_OK(xous_receive_message(&sid, env));
}

static void call_join(struct call *c)
{
	void *ret;

	CHECK_OK(xous_join_thread(c->tid, &ret));
}

/* The onward server: answers a Borrow with offset 1 if its first byte is
 * 0xab and the rest holds the pattern. */
static void *onward(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&onward_sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_BLOCKING_SCALAR) {
			xous_return_scalar(env.sender, 0);
			return NULL;
		}
		const uint8_t *p = env.memory.buf.addr;
		env.memory.offset = p[0] == 0xab && has_pattern(p, 1, env.memory.buf.len);
		xous_envelope_done(&env);
	}
	return (void *)1;
}

static void scalar_answered_twice(void)
{
	struct call a, b, c;
	xous_envelope_t ea, eb, ec;

	call_start(&a, OP_SCALAR, 0, &ea);
	call_start(&b, OP_SCALAR, 0, &eb);
	CHECK_OK(xous_return_scalar(ea.sender, 10));
	call_join(&a);
	CHECK_OK(a.err);
	CHECK(a.r.count == 1 && a.r.v[0] == 10);

	call_start(&c, OP_SCALAR, 0, &ec); /* likely in the slot a had */
	CHECK_ERR(xous_return_scalar(ea.sender, 11), XOUS_ERR_DOUBLE_FREE);
	CHECK_ERR(xous_return_scalar5(ea.sender, 1, 2, 3, 4, 5), XOUS_ERR_DOUBLE_FREE);
	CHECK_ERR(xous_return_memory(ea.sender, 0, 0), XOUS_ERR_DOUBLE_FREE);
	CHECK_OK(xous_envelope_done(&ea)); /* answered already: nothing to send */
	CHECK(ea.kind == XOUS_NO_MESSAGE);

	/* b and c are held as they were */
	CHECK_OK(xous_return_scalar(eb.sender, 20));
	CHECK_OK(xous_envelope_done(&ec)); /* c's "dropped" answer */
	CHECK_ERR(xous_return_scalar(ec.sender, 30), XOUS_ERR_DOUBLE_FREE);
	CHECK_ERR(xous_return_scalar(eb.sender, 21), XOUS_ERR_DOUBLE_FREE);
	call_join(&b);
	CHECK_OK(b.err);
	CHECK(b.r.count == 1 && b.r.v[0] == 20);
	call_join(&c);
	CHECK_ERR(c.err, XOUS_ERR_UNAVAILABLE);
}

/* The kernel ends a held message when its server is destroyed: answering
 * it then, xous_envelope_done too, is DOUBLE_FREE, and the envelope is
 * finished. */
static void held_when_its_server_is_destroyed(void)
{
	struct call h;
	xous_envelope_t eh;
	xous_sid_t gone;

	memset(&h, 0, sizeof h);
	h.op = OP_SCALAR;
	CHECK_OK(xous_create_server(&gone));
	CHECK_OK(xous_connect(&gone, &h.cid));
	CHECK_OK(xous_create_thread(caller, &h, &h.tid));
	CHECK_OK(xous_receive_message(&gone, &eh));
	CHECK_OK(xous_destroy_server(&gone));
	call_join(&h);
	CHECK_ERR(h.err, XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_ERR(xous_envelope_done(&eh), XOUS_ERR_DOUBLE_FREE);
	CHECK(eh.kind == XOUS_NO_MESSAGE);
	CHECK_OK(xous_envelope_done(&eh));
	CHECK_ERR(xous_return_scalar(eh.sender, 1), XOUS_ERR_DOUBLE_FREE);
	CHECK_OK(xous_disconnect(h.cid));
}

static void borrow_answered_twice(void)
{
	struct call d;
	xous_envelope_t ed;

	call_start(&d, OP_BORROW, 1, &ed);
	CHECK(ed.kind == XOUS_BORROW && has_pattern(ed.memory.buf.addr, 0, PAGE));
	CHECK_OK(xous_return_memory(ed.sender, 1, 2));
	CHECK_ERR(xous_return_memory(ed.sender, 3, 4), XOUS_ERR_DOUBLE_FREE);
	CHECK_ERR(xous_return_scalar(ed.sender, 5), XOUS_ERR_DOUBLE_FREE);
	ed.memory.offset = 6;
	CHECK_OK(xous_envelope_done(&ed)); /* answered already: nothing to send */
	call_join(&d);
	CHECK_OK(d.err);
	CHECK(d.off == 1 && d.valid == 2);
	CHECK(has_pattern(d.buf.addr, 0, PAGE));
	CHECK_OK(xous_unmap_memory(d.buf));
}

static void move_finished(void)
{
	struct call m, a;
	xous_envelope_t em, ea, kept;
	size_t off = 0, valid = 0;

	call_start(&m, OP_MOVE, 2, &em);
	call_join(&m);
	CHECK_OK(m.err);
	CHECK(em.kind == XOUS_MOVE && em.memory.buf.len == 2 * PAGE);
	uint8_t *p = em.memory.buf.addr;
	CHECK(has_pattern(p, 0, 2 * PAGE));
	p[0] = 0xab; /* writable: the pages are the server's */

	/* kept while another message is served */
	call_start(&a, OP_SCALAR, 0, &ea);
	CHECK_OK(xous_return_scalar(ea.sender, 1));
	call_join(&a);
	CHECK(p[0] == 0xab && has_pattern(p, 1, 2 * PAGE));

	/* lent onward as the server's own */
	CHECK_OK(xous_lend(onward_cid, OP_CHECK, em.memory.buf, 0, 0, &off, &valid));
	CHECK(off == 1);

	kept = em;
	CHECK_OK(xous_envelope_done(&em));
	CHECK(em.kind == XOUS_NO_MESSAGE);
	CHECK_ERR(xous_unmap_memory(kept.memory.buf), XOUS_ERR_BAD_ADDRESS);
	CHECK_OK(xous_envelope_done(&kept)); /* finished already: nothing to do */
}

static void move_unmapped_by_the_server(void)
{
	struct call m;
	xous_envelope_t em;

	call_start(&m, OP_MOVE, 1, &em);
	call_join(&m);
	CHECK_OK(xous_unmap_memory(em.memory.buf));
	CHECK_OK(xous_envelope_done(&em));
	CHECK(em.kind == XOUS_NO_MESSAGE);
}

static void move_finished_by_reply_and_receive(void)
{
	struct call m, a;
	xous_envelope_t em, kept;

	call_start(&m, OP_MOVE, 1, &em);
	call_join(&m);
	kept = em;
	memset(&a, 0, sizeof a);
	a.op = OP_SCALAR;
	a.cid = cid;
	CHECK_OK(xous_create_thread(caller, &a, &a.tid));
	CHECK_OK(xous_reply_and_receive_next(&sid, &em));
	CHECK(em.kind == XOUS_BLOCKING_SCALAR);
	CHECK_ERR(xous_unmap_memory(kept.memory.buf), XOUS_ERR_BAD_ADDRESS);
	CHECK_OK(xous_return_scalar(em.sender, 2));
	call_join(&a);
	CHECK(a.r.v[0] == 2);
}

int main(void)
{
	xous_scalar_reply_t r;
	xous_tid_t t;
	void *ret;

	CHECK_OK(xous_create_server(&sid));
	CHECK_OK(xous_connect(&sid, &cid));
	CHECK_OK(xous_create_server(&onward_sid));
	CHECK_OK(xous_connect(&onward_sid, &onward_cid));
	CHECK_OK(xous_create_thread(onward, NULL, &t));

	scalar_answered_twice();
	borrow_answered_twice();
	held_when_its_server_is_destroyed();
	move_finished();
	move_unmapped_by_the_server();
	move_finished_by_reply_and_receive();

	CHECK_OK(xous_blocking_scalar(onward_cid, OP_QUIT, 0, 0, 0, 0, &r));
	CHECK_OK(xous_join_thread(t, &ret));
	CHECK(ret == NULL);
	CHECK_OK(xous_destroy_server(&onward_sid));
	CHECK_OK(xous_destroy_server(&sid));
	return conf_end("answers");
}

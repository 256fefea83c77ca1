/*
 * memory: Borrow, MutableBorrow and Move with their contents checked, the
 * returned offset and valid, lends of several pages and of a page-aligned
 * buffer that is not from xous_map_memory, and the alignment rules.
 */
#include <string.h>

#include "conf.h"

enum { OP_CHECK = 1, OP_FILL, OP_TAKE, OP_MOVES_OK, OP_QUIT };

#define PAGE 4096

static xous_sid_t sid;
static uint8_t aligned_buf[2 * PAGE] __attribute__((aligned(PAGE)));

static uint8_t pattern(size_t i, unsigned seed)
{
	return (uint8_t)(i * 7 + seed);
}

static int buf_has(const uint8_t *p, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != pattern(i, seed))
			return 0;
	return 1;
}

static void *server(void *arg)
{
	xous_envelope_t env;
	uintptr_t moves_ok = 0;

	(void)arg;
	for (;;) {
		if (xous_receive_message(&sid, &env) != XOUS_OK)
			return (void *)1;
		uint8_t *p = env.memory.buf.addr;
		size_t len = env.memory.buf.len;
		switch (env.kind) {
		case XOUS_BORROW: /* OP_CHECK: offset = 1 if the bytes are the caller's, valid = len/PAGE */
			env.memory.offset = buf_has(p, len, env.memory.id == OP_CHECK ? 1 : 0);
			env.memory.valid = len / PAGE;
			break;
		case XOUS_MUTABLE_BORROW: /* OP_FILL: write pattern 2 and answer offset 3, valid 100 */
			if (!buf_has(p, len, 1))
				memset(p, 0, len);
			else
				for (size_t i = 0; i < len; i++)
					p[i] = pattern(i, 2);
			env.memory.offset = 3;
			env.memory.valid = 100;
			break;
		case XOUS_MOVE: /* OP_TAKE: the pages are ours now */
			moves_ok += buf_has(p, len, 1) && env.memory.offset == 5 &&
			            env.memory.valid == 6;
			p[0] = 0xff; /* writable: they belong to the server */
			break;
		case XOUS_BLOCKING_SCALAR:
			if (env.scalar.id == OP_QUIT) {
				xous_return_scalar(env.sender, 0);
				return NULL;
			}
			xous_return_scalar(env.sender, moves_ok);
			break;
		default:
			break;
		}
		xous_envelope_done(&env);
	}
}

static void fill(void *p, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		((uint8_t *)p)[i] = pattern(i, seed);
}

int main(void)
{
	xous_range_t one, many, moved;
	xous_scalar_reply_t r;
	size_t off = 99, valid = 99;
	xous_cid_t cid;
	xous_tid_t t;
	void *ret;

	CHECK_OK(xous_create_server(&sid));
	CHECK_OK(xous_connect(&sid, &cid));
	CHECK_OK(xous_create_thread(server, NULL, &t));

	CHECK_OK(xous_map_memory(100, XOUS_MEM_R | XOUS_MEM_W, &one));
	CHECK(one.len == PAGE && ((uintptr_t)one.addr & (PAGE - 1)) == 0);
	CHECK(buf_has(one.addr, 0, 0));
	uint8_t zero = 0;
	for (size_t i = 0; i < one.len; i++)
		zero |= ((uint8_t *)one.addr)[i];
	CHECK(zero == 0); /* fresh memory is zero-filled */

	/* Borrow: the server reads the caller's bytes */
	fill(one.addr, one.len, 1);
	CHECK_OK(xous_lend(cid, OP_CHECK, one, 0, one.len, &off, &valid));
	CHECK(off == 1 && valid == 1);
	CHECK(buf_has(one.addr, one.len, 1)); /* the pages are back, unchanged */

	/* MutableBorrow: the server's writes and its offset/valid reach the caller */
	CHECK_OK(xous_lend_mut(cid, OP_FILL, one, 0, 10, &off, &valid));
	CHECK(off == 3 && valid == 100);
	CHECK(buf_has(one.addr, one.len, 2));

	/* several pages */
	CHECK_OK(xous_map_memory(16 * PAGE, 0, &many));
	fill(many.addr, many.len, 1);
	CHECK_OK(xous_lend(cid, OP_CHECK, many, 0, many.len, &off, &valid));
	CHECK(off == 1 && valid == 16);
	CHECK_OK(xous_lend_mut(cid, OP_FILL, many, 0, many.len, &off, &valid));
	CHECK(buf_has(many.addr, many.len, 2));

	/* a page-aligned buffer that is not from xous_map_memory */
	fill(aligned_buf, sizeof(aligned_buf), 1);
	xous_range_t stat = {aligned_buf, sizeof(aligned_buf)};
	CHECK_OK(xous_lend(cid, OP_CHECK, stat, 0, 0, &off, &valid));
	CHECK(off == 1 && valid == 2);
	CHECK_OK(xous_lend_mut(cid, OP_FILL, stat, 0, 0, &off, &valid));
	CHECK(buf_has(aligned_buf, sizeof(aligned_buf), 2));

	/* Move: the pages go to the server with their offset and valid */
	CHECK_OK(xous_map_memory(3 * PAGE, XOUS_MEM_R | XOUS_MEM_W, &moved));
	fill(moved.addr, moved.len, 1);
	CHECK_OK(xous_send_memory(cid, OP_TAKE, moved, 5, 6));
	CHECK_OK(xous_blocking_scalar(cid, OP_MOVES_OK, 0, 0, 0, 0, &r));
	CHECK(r.v[0] == 1);

	/* lending rules: page-aligned and page-multiple, offset and valid within */
	xous_range_t bad = {(uint8_t *)one.addr + 8, PAGE};
	CHECK_ERR(xous_lend(cid, OP_CHECK, bad, 0, 0, &off, &valid), XOUS_ERR_BAD_ALIGNMENT);
	bad = (xous_range_t){one.addr, 100};
	CHECK_ERR(xous_lend_mut(cid, OP_FILL, bad, 0, 0, &off, &valid), XOUS_ERR_BAD_ALIGNMENT);
	CHECK_ERR(xous_send_memory(cid, OP_TAKE, bad, 0, 0), XOUS_ERR_BAD_ALIGNMENT);
	bad = (xous_range_t){one.addr, 0};
	CHECK_ERR(xous_lend(cid, OP_CHECK, bad, 0, 0, &off, &valid), XOUS_ERR_BAD_ALIGNMENT);
	CHECK_ERR(xous_lend(cid, OP_CHECK, one, PAGE + 1, 0, &off, &valid),
	          XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(xous_lend(cid, OP_CHECK, one, 0, PAGE + 1, &off, &valid),
	          XOUS_ERR_INVALID_ARGUMENT);
	CHECK(buf_has(one.addr, one.len, 2)); /* failed lends leave the pages in place */

	/* holes left by unmapping are found again, and come back zeroed */
	xous_range_t pieces[32], two;
	for (int i = 0; i < 32; i++) {
		CHECK_OK(xous_map_memory(PAGE, 0, &pieces[i]));
		memset(pieces[i].addr, 0xee, PAGE);
	}
	for (int i = 0; i < 32; i += 2)
		CHECK_OK(xous_unmap_memory(pieces[i]));
	for (int i = 0; i < 8; i++) {
		CHECK_OK(xous_map_memory(2 * PAGE, 0, &two));
		CHECK(buf_has(two.addr, 0, 0) && ((uint8_t *)two.addr)[0] == 0 &&
		      ((uint8_t *)two.addr)[2 * PAGE - 1] == 0);
		CHECK_OK(xous_unmap_memory(two));
	}
	for (int i = 1; i < 32; i += 2)
		CHECK_OK(xous_unmap_memory(pieces[i]));

	CHECK_ERR(xous_map_memory(0, 0, &one), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_OK(xous_unmap_memory(many));

	CHECK_OK(xous_blocking_scalar(cid, OP_QUIT, 0, 0, 0, 0, &r));
	CHECK_OK(xous_join_thread(t, &ret));
	CHECK(ret == NULL);
	return conf_end("memory");
}

/*
 * retwords: the offset and valid a server answers a Borrow or MutableBorrow
 * with reach the caller unchanged, whatever their value (two free return
 * words, as in Xous: CONTRACT 4.4), through each way of answering
 * (xous_return_memory, xous_envelope_done, xous_reply_and_receive_next) and
 * each way a lend travels (one page, part of a region, many pages, a buffer
 * not from xous_map_memory). Only the lent pages come back written: a valid
 * past the end never widens what a MutableBorrow returns.
 */
#include <stdbool.h>
#include <string.h>

#include "conf.h"

enum { OP_READ = 1, OP_WRITE, OP_QUIT };

#define PAGE 4096

/* The words the server answers with: all past any lent length. */
#define W_OFFSET 0x12345678u
#define W_VALID  0xfedcba98u

static xous_sid_t sid;
static uint8_t static_buf[2 * PAGE] __attribute__((aligned(PAGE)));

/*
 * The words depend on the message: memory.id selects the way of answering
 * (id % 3: return_memory, envelope_done, reply_and_receive_next) and the
 * caller's own offset picks the pair (0: W_OFFSET/W_VALID, 1: all ones,
 * 2: the lent length plus one and zero).
 */
static void words_for(const xous_envelope_t *env, size_t *off, size_t *valid)
{
	switch (env->memory.offset) {
	case 0:
		*off = W_OFFSET;
		*valid = W_VALID;
		break;
	case 1:
		*off = (size_t)-1;
		*valid = (size_t)-1;
		break;
	default:
		*off = env->memory.buf.len + 1;
		*valid = 0;
		break;
	}
}

static void *server(void *arg)
{
	xous_envelope_t env;
	bool have = false;

	(void)arg;
	for (;;) {
		xous_err_t err = have ? xous_reply_and_receive_next(&sid, &env)
		                      : xous_receive_message(&sid, &env);
		if (err != XOUS_OK)
			return (void *)1;
		have = false;
		if (env.kind == XOUS_BLOCKING_SCALAR) {
			xous_return_scalar(env.sender, 0);
			return NULL;
		}
		if (env.kind != XOUS_BORROW && env.kind != XOUS_MUTABLE_BORROW) {
			xous_envelope_done(&env);
			continue;
		}
		uint32_t op = env.memory.id / 3, how = env.memory.id % 3;
		size_t off, valid;
		words_for(&env, &off, &valid);
		if (op == OP_WRITE && env.kind == XOUS_MUTABLE_BORROW)
			conf_fill(env.memory.buf.addr, env.memory.buf.len, 7);
		else if (op == OP_READ && !conf_has(env.memory.buf.addr, env.memory.buf.len, 1))
			off = valid = 0; /* the caller sees the mismatch */
		env.memory.offset = off;
		env.memory.valid = valid;
		if (how == 0)
			xous_return_memory(env.sender, off, valid);
		else if (how == 1)
			xous_envelope_done(&env);
		else
			have = true; /* answered by the next reply_and_receive_next */
	}
}

/* Lend buf every way (3 answers x 3 word pairs) and check the words came back. */
static void lend_all(xous_cid_t cid, xous_range_t buf, bool mut)
{
	for (uint32_t how = 0; how < 3; how++) {
		for (size_t pick = 0; pick < 3; pick++) {
			size_t off = 99, valid = 99, want_off, want_valid;
			uint32_t id = (mut ? OP_WRITE : OP_READ) * 3 + how;
			xous_envelope_t probe = {.memory = {.buf = buf, .offset = pick}};

			words_for(&probe, &want_off, &want_valid);
			if (mut)
				CHECK_OK(xous_lend_mut(cid, id, buf, pick, 0, &off, &valid));
			else
				CHECK_OK(xous_lend(cid, id, buf, pick, 0, &off, &valid));
			if (off != want_off || valid != want_valid)
				printf("FAIL lend of %lu bytes (mut %d, answer %lu, pair %lu): "
				       "offset %#lx valid %#lx, want %#lx %#lx\n",
				       (unsigned long)buf.len, mut, (unsigned long)how,
				       (unsigned long)pick, (unsigned long)off,
				       (unsigned long)valid, (unsigned long)want_off,
				       (unsigned long)want_valid);
			CHECK(off == want_off && valid == want_valid);
		}
	}
}

int main(void)
{
	xous_range_t region, many;
	xous_scalar_reply_t r;
	xous_cid_t cid;
	xous_tid_t t;
	void *ret;

	CHECK_OK(xous_create_server(&sid));
	CHECK_OK(xous_connect(&sid, &cid));
	CHECK_OK(xous_create_thread(server, NULL, &t));

	/* one page in the middle of a three-page region, between two guards */
	CHECK_OK(xous_map_memory(3 * PAGE, 0, &region));
	uint8_t *base = region.addr;
	xous_range_t mid = {base + PAGE, PAGE};
	conf_fill(base, PAGE, 3);
	conf_fill(base + 2 * PAGE, PAGE, 4);
	conf_fill(mid.addr, PAGE, 1);
	lend_all(cid, mid, false);
	CHECK(conf_has(mid.addr, PAGE, 1));
	lend_all(cid, mid, true);
	CHECK(conf_has(mid.addr, PAGE, 7));
	CHECK(conf_has(base, PAGE, 3));            /* a valid past the end wrote nothing before */
	CHECK(conf_has(base + 2 * PAGE, PAGE, 4)); /* ... nor after */

	/* many pages (on Linux: shared, not copied) */
	CHECK_OK(xous_map_memory(16 * PAGE, 0, &many));
	conf_fill(many.addr, many.len, 1);
	lend_all(cid, many, false);
	lend_all(cid, many, true);
	CHECK(conf_has(many.addr, many.len, 7));

	/* a page-aligned buffer that is not from xous_map_memory */
	xous_range_t stat = {static_buf, sizeof(static_buf)};
	conf_fill(static_buf, sizeof(static_buf), 1);
	lend_all(cid, stat, false);
	lend_all(cid, stat, true);
	CHECK(conf_has(static_buf, sizeof(static_buf), 7));

	CHECK_OK(xous_blocking_scalar(cid, OP_QUIT, 0, 0, 0, 0, &r));
	CHECK_OK(xous_join_thread(t, &ret));
	CHECK(ret == NULL);
	CHECK_OK(xous_unmap_memory(many));
	CHECK_OK(xous_unmap_memory(region));
	return conf_end("retwords");
}

/*
 * inner.c - the processes of "ours", written against <xous.h> only:
 *   server SID   creates the server SID and answers every kind of message
 *   client SID   connects to SID, then runs timed batches on command
 *   idle SID     creates a server of its own and waits on it forever
 *   ready -      prints CLOCK_MONOTONIC and exits (the fleet-start probe)
 * A client and the server are separate processes, so one round trip is
 * client -> xous-hostd -> server -> xous-hostd -> client, as in real use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "inner.h"

#ifdef XOUS_BENCH_OURS
#include <xous.h>

static int parse_sid(const char *s, xous_sid_t *sid)
{
	if (!s || strlen(s) != 32)
		return -1;
	return sscanf(s, "%8x%8x%8x%8x", &sid->w[0], &sid->w[1], &sid->w[2], &sid->w[3]) == 4 ? 0
	                                                                                      : -1;
}

/* Answer a message and take the next one: a BlockingScalar needs its value
 * (one ReturnScalar, then a receive); everything else goes back as
 * xous_envelope_done would, in the one ReplyAndReceiveNext syscall. */
static xous_err_t serve_one(const xous_sid_t *sid, xous_envelope_t *env)
{
	xous_err_t err;
	volatile char *p;

	switch (env->kind) {
	case XOUS_BLOCKING_SCALAR:
		err = xous_return_scalar(env->sender, env->scalar.arg[0] + 1);
		if (err)
			return err;
		return xous_receive_message(sid, env);
	case XOUS_MUTABLE_BORROW:
		p = env->memory.buf.addr;
		p[0] = (char)(p[0] + 1); /* the caller sees the server's write */
		break;
	case XOUS_BORROW:
		p = env->memory.buf.addr;
		(void)p[0];
		break;
	default:
		break;
	}
	return xous_reply_and_receive_next(sid, env);
}

static int role_server(const xous_sid_t *sid)
{
	xous_envelope_t env;
	xous_err_t err = xous_create_server_with_address(sid);

	if (!err)
		err = xous_receive_message(sid, &env);
	while (!err)
		err = serve_one(sid, &env);
	fprintf(stderr, "xous-bench server: %s\n", xous_strerror(err));
	return 1;
}

struct client {
	xous_cid_t cid;
	xous_range_t buf;
};

static xous_err_t batch_rt(struct client *c, uint64_t n)
{
	xous_scalar_reply_t r;
	xous_err_t err;
	uint64_t i;

	for (i = 0; i < n; i++) {
		err = xous_blocking_scalar(c->cid, 1, (uintptr_t)i, 0, 0, 0, &r);
		if (err)
			return err;
		if (r.v[0] != (uintptr_t)i + 1)
			return XOUS_ERR_INTERNAL_ERROR;
	}
	return XOUS_OK;
}

static xous_err_t batch_oneway(struct client *c, uint64_t n)
{
	xous_err_t err;
	uint64_t i;

	for (i = 0; i < n; i++) {
		err = xous_send_scalar(c->cid, 2, (uintptr_t)i, 0, 0, 0);
		if (err)
			return err;
	}
	/* messages of one thread arrive in order: this answer closes the batch */
	return batch_rt(c, 1);
}

/* One buffer per size, kept between batches, as a real client would. */
static xous_err_t client_buf(struct client *c, size_t size)
{
	xous_err_t err;

	if (c->buf.addr && c->buf.len == size)
		return XOUS_OK;
	if (c->buf.addr)
		xous_unmap_memory(c->buf);
	c->buf.addr = NULL;
	err = xous_map_memory(size, XOUS_MEM_R | XOUS_MEM_W, &c->buf);
	if (err)
		c->buf.addr = NULL;
	return err;
}

static xous_err_t batch_lend(struct client *c, int mut, size_t size, uint64_t n)
{
	size_t ro, rv;
	xous_err_t err = client_buf(c, size);
	uint64_t i;

	for (i = 0; !err && i < n; i++) {
		if (mut)
			err = xous_lend_mut(c->cid, 3, c->buf, 0, size, &ro, &rv);
		else
			err = xous_lend(c->cid, 4, c->buf, 0, size, &ro, &rv);
	}
	return err;
}

/* A Move gives the pages away, so every operation maps fresh ones. */
static xous_err_t batch_move(struct client *c, size_t size, uint64_t n)
{
	xous_range_t r;
	xous_err_t err = XOUS_OK;
	uint64_t i;

	for (i = 0; !err && i < n; i++) {
		err = xous_map_memory(size, XOUS_MEM_R | XOUS_MEM_W, &r);
		if (!err)
			err = xous_send_memory(c->cid, 5, r, 0, size);
	}
	return err ? err : batch_rt(c, 1);
}

static xous_err_t run_cmd(struct client *c, const struct inner_cmd *cmd)
{
	switch (cmd->op) {
	case INNER_RT:
		return batch_rt(c, cmd->n);
	case INNER_ONEWAY:
		return batch_oneway(c, cmd->n);
	case INNER_LEND_MUT:
		return batch_lend(c, 1, cmd->size, cmd->n);
	case INNER_LEND:
		return batch_lend(c, 0, cmd->size, cmd->n);
	case INNER_MOVE:
		return batch_move(c, cmd->size, cmd->n);
	}
	return XOUS_ERR_INVALID_ARGUMENT;
}

static int reply(struct inner_res *r)
{
	return bench_write_all(1, r, sizeof(*r));
}

static int role_client(const xous_sid_t *sid)
{
	struct client c = {0};
	struct inner_cmd cmd;
	struct inner_res r = {0};
	uint64_t t0;

	r.err = xous_connect(sid, &c.cid);
	snprintf(r.what, sizeof(r.what), "connect: %s", xous_strerror(r.err));
	if (reply(&r) != 0 || r.err)
		return 1;
	while (bench_read_all(0, &cmd, sizeof(cmd)) == 0) {
		memset(&r, 0, sizeof(r));
		t0 = bench_now_ns();
		r.err = run_cmd(&c, &cmd);
		r.ns = bench_now_ns() - t0;
		snprintf(r.what, sizeof(r.what), "op %c: %s", (char)cmd.op, xous_strerror(r.err));
		if (reply(&r) != 0)
			return 1;
	}
	return 0;
}

static int role_idle(void)
{
	xous_sid_t sid;
	xous_envelope_t env;
	xous_err_t err = xous_create_server(&sid);

	if (err || write(1, "I", 1) != 1) {
		fprintf(stderr, "xous-bench idle: %s\n", xous_strerror(err));
		return 1;
	}
	close(1);
	err = xous_receive_message(&sid, &env);
	return err ? 1 : 0;
}

int inner_main(int argc, char **argv)
{
	xous_sid_t sid;
	char buf[32];
	int n;

	if (argc == 4 && strcmp(argv[2], "ready") == 0) {
		n = snprintf(buf, sizeof(buf), "%llu\n", (unsigned long long)bench_now_ns());
		return bench_write_all(1, buf, (size_t)n) == 0 ? 0 : 1;
	}
	if (argc == 4 && strcmp(argv[2], "idle") == 0)
		return role_idle();
	if (argc != 4 || parse_sid(argv[3], &sid) != 0) {
		fprintf(stderr, "usage: xous-bench --inner server|client|idle|ready SID\n");
		return 2;
	}
	/* pinning, if any, came with fork and exec */
	if (strcmp(argv[2], "server") == 0)
		return role_server(&sid);
	if (strcmp(argv[2], "client") == 0)
		return role_client(&sid);
	fprintf(stderr, "xous-bench: unknown inner role %s\n", argv[2]);
	return 2;
}

#else /* !XOUS_BENCH_OURS */

int inner_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "xous-bench: built without libxous-host, no inner roles\n");
	return 2;
}

#endif

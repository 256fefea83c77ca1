/*
 * inner.c - the processes of "ours", written against <xous.h> only:
 *   server SID   creates the server SID and answers every kind of message
 *   client SID   connects to SID, then runs timed batches on command (also
 *                to the default fleet's name server, ticktimer and benchmark)
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

#include <xous.h>
#include <xous/names.h>
#include <xous/ticktimer.h>
/* --compare builds this file against revisions older than the benchmark
 * server too; there its batches answer SERVER_NOT_FOUND (--compare never
 * asks for them). */
#if __has_include(<resea/benchmark.h>)
#include <resea/benchmark.h>
#else
#define benchmark_nop(v, o)                XOUS_ERR_SERVER_NOT_FOUND
#define benchmark_nop_with_ool(d, n, o, l) ((void)(o), XOUS_ERR_SERVER_NOT_FOUND)
#endif

static int parse_sid(const char *s, xous_sid_t *sid)
{
	if (!s || strlen(s) != 32)
		return -1;
	return sscanf(s, "%8x%8x%8x%8x", &sid->w[0], &sid->w[1], &sid->w[2], &sid->w[3]) == 4 ? 0
	                                                                                      : -1;
}

/* Message ids: the server needs only ID_FILL; the others name the traffic
 * in a broker trace. */
enum { ID_RT = 1, ID_ONEWAY = 2, ID_LEND_MUT = 3, ID_LEND = 4, ID_MOVE = 5, ID_FILL = 6 };
/* A one-way Scalar the server takes one receive at a time (no batches):
 * the "ours_one" variant, for comparison. */
enum { ID_ONEWAY_ONE = 7 };

/* A server that produces a whole buffer (a read into it, say) touches
 * every page of the lend: what that costs is the other half of zero-copy. */
static void fill_pages(volatile char *p, size_t len)
{
	size_t off;

	for (off = 0; off < len; off += 4096)
		p[off] = 1;
}

/* Answer a message and take the next one: a BlockingScalar needs its value
 * (one ReturnScalar, then a receive); everything else goes back as
 * xous_envelope_done would, in the one ReplyAndReceiveNext syscall. */
static xous_err_t serve_one(const xous_sid_t *sid, xous_envelope_t *env)
{
	volatile char *p;

	switch (env->kind) {
	case XOUS_BLOCKING_SCALAR:
		/* the scalar server's hot loop: answer and take the next, one syscall */
		return xous_return_scalar2_and_receive_next(sid, env, env->scalar.arg[0] + 1, 0);
	case XOUS_MUTABLE_BORROW:
		p = env->memory.buf.addr;
		p[0] = (char)(p[0] + 1); /* the caller sees the server's write */
		if (env->memory.id == ID_FILL)
			fill_pages(p, env->memory.buf.len);
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

/* Answer a message that came in a batch, on its own. */
static xous_err_t serve_alone(xous_envelope_t *env)
{
	if (env->kind == XOUS_BLOCKING_SCALAR)
		return xous_return_scalar2(env->sender, env->scalar.arg[0] + 1, 0);
	return xous_envelope_done(env);
}

/*
 * The loop of a server that takes one-way traffic: after a Scalar (nothing
 * to answer) it takes whatever is queued in one xous_receive_many; after
 * anything else it answers and takes the next in one syscall (serve_one).
 * Only the last of a batch can be a memory message (they come alone).
 */
static int role_server(const xous_sid_t *sid)
{
	xous_envelope_t batch[XOUS_RECEIVE_MANY_MAX];
	size_t n = 0, i;
	xous_err_t err = xous_create_server_with_address(sid);

	if (!err)
		err = xous_receive_many(sid, batch, XOUS_RECEIVE_MANY_MAX, &n);
	while (!err) {
		for (i = 0; i + 1 < n && !err; i++)
			err = serve_alone(&batch[i]);
		if (err)
			break;
		batch[0] = batch[n - 1];
		n = 1;
		if (batch[0].kind == XOUS_SCALAR && batch[0].scalar.id != ID_ONEWAY_ONE)
			err = xous_receive_many(sid, batch, XOUS_RECEIVE_MANY_MAX, &n);
		else
			err = serve_one(sid, &batch[0]);
	}
	fprintf(stderr, "xous-bench server: %s\n", xous_strerror(err));
	return 1;
}

struct client {
	xous_cid_t cid;
	xous_range_t buf;   /* written once: its page tables are populated */
	xous_range_t cold;  /* never written by the client */
	char name[32];      /* the name it registered, for lookups ("" before) */
	uint8_t *src, *dst; /* size bytes each, written once: warm */
	size_t size;
};

static xous_err_t batch_rt(struct client *c, uint64_t n)
{
	xous_scalar_reply_t r;
	xous_err_t err;
	uint64_t i;

	for (i = 0; i < n; i++) {
		err = xous_blocking_scalar(c->cid, ID_RT, (uintptr_t)i, 0, 0, 0, &r);
		if (err)
			return err;
		if (r.v[0] != (uintptr_t)i + 1)
			return XOUS_ERR_INTERNAL_ERROR;
	}
	return XOUS_OK;
}

static xous_err_t batch_oneway(struct client *c, uint32_t id, uint64_t n)
{
	xous_err_t err;
	uint64_t i;

	for (i = 0; i < n; i++) {
		err = xous_send_scalar(c->cid, id, (uintptr_t)i, 0, 0, 0);
		if (err)
			return err;
	}
	/* messages of one thread arrive in order: this answer closes the batch */
	return batch_rt(c, 1);
}

/* One buffer per size, kept between batches, as a real client would, and
 * written once so that its pages are present: lending a buffer whose page
 * tables are populated is the realistic case (mprotect walks them). */
static xous_err_t client_buf(struct client *c, size_t size)
{
	xous_err_t err;

	if (c->buf.addr && c->buf.len == size)
		return XOUS_OK;
	if (c->buf.addr)
		xous_unmap_memory(c->buf);
	c->buf.addr = NULL;
	err = xous_map_memory(size, XOUS_MEM_R | XOUS_MEM_W, &c->buf);
	if (err) {
		c->buf.addr = NULL;
		return err;
	}
	memset(c->buf.addr, 0xa5, size);
	return XOUS_OK;
}

/* A buffer of the caller's that it never wrote: no page of it is present
 * in the caller, which is what makes its protection while lent cheap. */
static xous_err_t cold_buf(struct client *c, size_t size)
{
	xous_err_t err;

	if (c->cold.addr && c->cold.len == size)
		return XOUS_OK;
	if (c->cold.addr)
		xous_unmap_memory(c->cold);
	err = xous_map_memory(size, XOUS_MEM_R | XOUS_MEM_W, &c->cold);
	if (err)
		c->cold.addr = NULL;
	return err;
}

static xous_err_t batch_lend(struct client *c, uint32_t id, xous_range_t buf, size_t size,
                             uint64_t n)
{
	size_t ro, rv;
	xous_err_t err = XOUS_OK;
	uint64_t i;

	if (!buf.addr || buf.len != size)
		return XOUS_ERR_INTERNAL_ERROR; /* prepared before the clock started */
	for (i = 0; !err && i < n; i++) {
		if (id == ID_LEND)
			err = xous_lend(c->cid, id, buf, 0, size, &ro, &rv);
		else
			err = xous_lend_mut(c->cid, id, buf, 0, size, &ro, &rv);
	}
	return err;
}

/* A name of the client's own for the lookups, registered once (a server
 * no one receives on: a lookup only connects to it). */
static xous_err_t client_name(struct client *c)
{
	xous_sid_t sid;
	xous_err_t err;

	if (c->name[0])
		return XOUS_OK;
	snprintf(c->name, sizeof(c->name), "xous-bench-%u", (unsigned)xous_process_id());
	err = xns_register_name(c->name, 0, &sid);
	if (err)
		c->name[0] = 0;
	return err;
}

/* A name server lookup: the request goes as a protobuf message in a lend,
 * the name server connects the caller to the name's server and answers. */
static xous_err_t batch_lookup(struct client *c, uint64_t n)
{
	xous_cid_t cid;
	xous_err_t err = XOUS_OK;
	uint64_t i;

	for (i = 0; !err && i < n; i++)
		err = xns_request_connection(c->name, &cid);
	return err;
}

static xous_err_t batch_ticktimer(uint64_t n)
{
	uint64_t ms;
	xous_err_t err = XOUS_OK;
	uint64_t i;

	for (i = 0; !err && i < n; i++)
		err = tt_elapsed_ms(&ms);
	return err;
}

/* Two buffers of size bytes of ordinary memory, written once. */
static xous_err_t client_bytes(struct client *c, size_t size)
{
	if (c->src && c->size == size)
		return XOUS_OK;
	free(c->src);
	free(c->dst);
	c->src = malloc(size ? size : 1);
	c->dst = malloc(size ? size : 1);
	c->size = size;
	if (!c->src || !c->dst)
		return XOUS_ERR_OUT_OF_MEMORY;
	memset(c->src, 0x5a, size);
	memset(c->dst, 0xa5, size);
	return XOUS_OK;
}

static xous_err_t batch_bench_nop(uint64_t n)
{
	xous_err_t err = XOUS_OK;
	int32_t out = 0;

	for (uint64_t i = 0; !err && i < n; i++) {
		err = benchmark_nop((int32_t)i, &out);
		if (!err && out != (int32_t)i)
			err = XOUS_ERR_INTERNAL_ERROR;
	}
	return err;
}

/* What the API demands of a caller: its bytes in, a malloc'd copy out. */
static xous_err_t batch_bench_ool(struct client *c, uint64_t n)
{
	xous_err_t err = XOUS_OK;
	size_t len = 0;
	void *out;

	for (uint64_t i = 0; !err && i < n; i++) {
		out = NULL;
		err = benchmark_nop_with_ool(c->src, c->size, &out, &len);
		if (!err && len != c->size)
			err = XOUS_ERR_INTERNAL_ERROR;
		free(out);
	}
	return err;
}

static xous_err_t batch_memcpy(struct client *c, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		memcpy(c->dst, c->src, c->size);
		__asm__ volatile("" : : "r"(c->dst) : "memory"); /* the copy is used */
	}
	return XOUS_OK;
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
			err = xous_send_memory(c->cid, ID_MOVE, r, 0, size);
	}
	return err ? err : batch_rt(c, 1);
}

static xous_err_t run_cmd(struct client *c, const struct inner_cmd *cmd)
{
	switch (cmd->op) {
	case INNER_RT:
		return batch_rt(c, cmd->n);
	case INNER_ONEWAY:
		return batch_oneway(c, cmd->size ? ID_ONEWAY_ONE : ID_ONEWAY, cmd->n);
	case INNER_LEND_MUT:
		return batch_lend(c, ID_LEND_MUT, c->buf, cmd->size, cmd->n);
	case INNER_LEND_FILL:
		return batch_lend(c, ID_FILL, c->buf, cmd->size, cmd->n);
	case INNER_LEND_COLD:
		return batch_lend(c, ID_LEND_MUT, c->cold, cmd->size, cmd->n);
	case INNER_LEND:
		return batch_lend(c, ID_LEND, c->buf, cmd->size, cmd->n);
	case INNER_MOVE:
		return batch_move(c, cmd->size, cmd->n);
	case INNER_NAMES:
		return batch_lookup(c, cmd->n);
	case INNER_TICKTIMER:
		return batch_ticktimer(cmd->n);
	case INNER_BENCH_NOP:
		return batch_bench_nop(cmd->n);
	case INNER_BENCH_OOL:
		return batch_bench_ool(c, cmd->n);
	case INNER_MEMCPY:
		return batch_memcpy(c, cmd->n);
	case INNER_FS_WRITE:
	case INNER_FS_READ:
	case INNER_FS_RANDOM:
		return inner_fs_batch(cmd->op, cmd->size, cmd->n);
	}
	return XOUS_ERR_INVALID_ARGUMENT;
}

static int reply(const struct inner_res *r)
{
	char line[INNER_LINE_MAX];
	int n = snprintf(line, sizeof(line), "%u %llu %s\n", r->err, (unsigned long long)r->ns,
	                 r->what);

	return bench_write_all(1, line, (size_t)n);
}

static int next_cmd(FILE *in, struct inner_cmd *cmd)
{
	char line[INNER_LINE_MAX];
	unsigned long long size, n;

	if (!fgets(line, sizeof(line), in))
		return -1;
	if (sscanf(line, " %c %llu %llu", &cmd->op, &size, &n) != 3)
		return -1;
	cmd->size = size;
	cmd->n = n ? n : 1;
	return 0;
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
	while (next_cmd(stdin, &cmd) == 0) {
		memset(&r, 0, sizeof(r));
		if (cmd.op == INNER_LEND_MUT || cmd.op == INNER_LEND || cmd.op == INNER_LEND_FILL)
			r.err = client_buf(&c, cmd.size);
		if (cmd.op == INNER_LEND_COLD)
			r.err = cold_buf(&c, cmd.size);
		if (cmd.op == INNER_NAMES)
			r.err = client_name(&c);
		if (cmd.op == INNER_BENCH_OOL || cmd.op == INNER_MEMCPY)
			r.err = client_bytes(&c, cmd.size);
		t0 = bench_now_ns();
		if (!r.err)
			r.err = run_cmd(&c, &cmd);
		r.ns = bench_now_ns() - t0;
		snprintf(r.what, sizeof(r.what), "op-%c:%s", cmd.op, xous_strerror(r.err));
		for (char *p = r.what; *p; p++)
			if (*p == ' ')
				*p = '_';
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
	if (argc == 4 && strcmp(argv[2], "net") == 0)
		return net_inner();
	if (argc != 4 || parse_sid(argv[3], &sid) != 0) {
		fprintf(stderr, "usage: xous-bench --inner server|client|idle|ready|net SID\n");
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

/*
 * idiom_async.c - caller idiom 3: asynchronous, with a return token.
 *
 * The caller does not block. It runs a small server of its own (the
 * "callback server") and sends the worker a request carrying a return token:
 * its callback server's id and the opcode it wants the answer under. The
 * request itself is non-synchronizing (a Move here), so the caller goes on
 * with other work. When the worker is done it connects to the callback server
 * and pushes a notification back: a Scalar with the result, and a Move with a
 * report. The caller picks those up from its own receive loop.
 *
 * Run: xous-hostd --no-fleet -- idiom_async
 */
#include <stdio.h>
#include <string.h>

#include <xous.h>

enum worker_op { OP_SQUARE_LATER = 1, OP_QUIT = 2 };

/* The request, in the page the client moves to the worker. */
struct square_request {
	xous_sid_t reply_sid; /* the return token: where to push the answer ... */
	uint32_t reply_op;    /* ... and under which opcode */
	uint32_t value;
};

enum callback_op { CB_SQUARE_DONE = 100, CB_REPORT = 101 };

static xous_sid_t worker_sid;

static void push_answer(const struct square_request *rq)
{
	xous_cid_t back;
	xous_range_t report;

	/* The token names the client's server: connect to it like any other. */
	if (xous_connect(&rq->reply_sid, &back))
		return;
	printf("server: pushing %u*%u back under opcode %u\n", rq->value, rq->value, rq->reply_op);
	xous_send_scalar(back, rq->reply_op, (uintptr_t)rq->value * rq->value, rq->value, 0, 0);
	if (xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &report) == XOUS_OK) {
		snprintf(report.addr, report.len, "squared %u for you", rq->value);
		xous_send_memory(back, CB_REPORT, report, 0, strlen(report.addr) + 1);
	}
}

static void *worker(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&worker_sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_SCALAR && env.scalar.id == OP_QUIT)
			break;
		if (env.kind != XOUS_MOVE || env.memory.id != OP_SQUARE_LATER ||
		    env.memory.buf.len < sizeof(struct square_request)) {
			xous_envelope_done(&env);
			continue;
		}
		struct square_request rq;
		memcpy(&rq, env.memory.buf.addr, sizeof rq);
		xous_unmap_memory(env.memory.buf); /* a Move's pages are ours to free */
		printf("server: got OP_SQUARE_LATER(%u), will answer later\n", rq.value);
		push_answer(&rq);
	}
	return NULL;
}

/* The client's own loop: wait for the two pushes of the worker. */
static int await_answers(const xous_sid_t *cb_sid, uint32_t value)
{
	xous_envelope_t env;
	int got = 0, ok = 1;

	while (got < 2 && xous_receive_message(cb_sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_SCALAR && env.scalar.id == CB_SQUARE_DONE) {
			printf("client: notification CB_SQUARE_DONE = %lu\n",
			       (unsigned long)env.scalar.arg[0]);
			ok &= env.scalar.arg[0] == (uintptr_t)value * value;
			got++;
		} else if (env.kind == XOUS_MOVE && env.memory.id == CB_REPORT) {
			printf("client: notification CB_REPORT \"%s\"\n",
			       (char *)env.memory.buf.addr);
			xous_unmap_memory(env.memory.buf);
			got++;
		} else {
			xous_envelope_done(&env);
		}
	}
	return ok && got == 2;
}

int main(void)
{
	struct square_request rq = {.reply_op = CB_SQUARE_DONE, .value = 12};
	xous_range_t page;
	xous_tid_t tid;
	xous_cid_t cid;
	int ok;

	if (xous_create_server(&worker_sid) || xous_connect(&worker_sid, &cid) ||
	    xous_create_thread(worker, NULL, &tid))
		return 1;
	/* The client's callback server: this is where answers will arrive. */
	if (xous_create_server(&rq.reply_sid) ||
	    xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page))
		return 1;
	memcpy(page.addr, &rq, sizeof rq);
	printf("client: send_memory OP_SQUARE_LATER(12) with return token -> server\n");
	if (xous_send_memory(cid, OP_SQUARE_LATER, page, 0, sizeof rq))
		return 1;
	printf("client: not blocked, doing other work meanwhile\n");

	ok = await_answers(&rq.reply_sid, rq.value);
	xous_send_scalar(cid, OP_QUIT, 0, 0, 0, 0);
	xous_join_thread(tid, NULL);
	printf("client: done\n");
	return ok ? 0 : 1;
}

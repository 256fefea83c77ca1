/*
 * idiom_deferred.c - caller idiom 4: deferred response.
 *
 * The caller blocks (BlockingScalar or lend_mut) but the server must not: it
 * parks the message - the sender token of a scalar, the whole envelope of a
 * memory message - serves other callers meanwhile, and answers the parked
 * message later. In Xous this is the Option<MessageEnvelope> kept outside the
 * loop; in C the server simply keeps the envelope and calls
 * xous_return_scalar / xous_return_memory / xous_envelope_done on it later.
 *
 * Here two client threads wait for an "event" that a third client fires.
 *
 * Run: xous-hostd --no-fleet -- idiom_deferred
 */
#include <stdio.h>
#include <string.h>

#include <xous.h>

enum opcode { OP_WAIT_EVENT = 1, OP_FILL_ON_EVENT = 2, OP_PING = 3, OP_FIRE = 4, OP_QUIT = 5 };

static xous_sid_t sid;

struct parked {
	int have_scalar, have_memory, fired;
	xous_sender_t scalar_sender; /* parked BlockingScalar: its token is enough */
	xous_envelope_t memory_env;  /* parked lend_mut: keep the whole envelope */
	uintptr_t event;
};

/* Answer whatever is parked, once the event has fired. */
static void answer_parked(struct parked *p)
{
	if (!p->fired)
		return;
	if (p->have_scalar) {
		printf("server: answering the parked blocking_scalar with %lu\n",
		       (unsigned long)p->event);
		xous_return_scalar(p->scalar_sender, p->event);
		p->have_scalar = 0;
	}
	if (p->have_memory) {
		xous_envelope_t *env = &p->memory_env;
		int n = snprintf(env->memory.buf.addr, env->memory.buf.len, "event %lu",
		                 (unsigned long)p->event);
		printf("server: filling the parked lend_mut and returning it\n");
		env->memory.valid = (size_t)n; /* envelope_done returns offset and valid */
		xous_envelope_done(env);
		p->have_memory = 0;
	}
}

static void serve_one(struct parked *p, xous_envelope_t *env)
{
	if (env->kind == XOUS_BLOCKING_SCALAR && env->scalar.id == OP_WAIT_EVENT) {
		printf("server: parking a blocking_scalar\n");
		p->scalar_sender = env->sender;
		p->have_scalar = 1;
	} else if (env->kind == XOUS_MUTABLE_BORROW && env->memory.id == OP_FILL_ON_EVENT) {
		printf("server: parking a lend_mut envelope\n");
		p->memory_env = *env;
		p->have_memory = 1;
	} else if (env->kind == XOUS_BLOCKING_SCALAR && env->scalar.id == OP_PING) {
		printf("server: serving OP_PING while others are parked\n");
		xous_return_scalar(env->sender, env->scalar.arg[0] + 1);
	} else if (env->kind == XOUS_SCALAR && env->scalar.id == OP_FIRE) {
		printf("server: OP_FIRE(%lu)\n", (unsigned long)env->scalar.arg[0]);
		p->fired = 1;
		p->event = env->scalar.arg[0];
	} else {
		xous_envelope_done(env);
	}
	answer_parked(p); /* a waiter that comes after the event is answered at once */
}

static void *server(void *arg)
{
	struct parked p = {0};
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_SCALAR && env.scalar.id == OP_QUIT)
			break;
		serve_one(&p, &env);
	}
	return NULL;
}

static xous_cid_t cid;

static void *scalar_waiter(void *arg)
{
	xous_scalar_reply_t r;

	(void)arg;
	printf("client A: blocking_scalar OP_WAIT_EVENT -> server, waiting\n");
	if (xous_blocking_scalar(cid, OP_WAIT_EVENT, 0, 0, 0, 0, &r))
		return (void *)0;
	printf("client A: <- event %lu\n", (unsigned long)r.v[0]);
	return (void *)r.v[0];
}

static void *memory_waiter(void *arg)
{
	xous_range_t page;
	size_t off, valid;

	(void)arg;
	if (xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page))
		return (void *)0;
	printf("client B: lend_mut OP_FILL_ON_EVENT %zu bytes -> server, waiting\n", page.len);
	if (xous_lend_mut(cid, OP_FILL_ON_EVENT, page, 0, 0, &off, &valid))
		return (void *)0;
	printf("client B: <- \"%.*s\"\n", (int)valid, (char *)page.addr);
	return (void *)(uintptr_t)(strcmp(page.addr, "event 7") == 0);
}

int main(void)
{
	xous_tid_t srv, a, b;
	xous_scalar_reply_t r;
	void *ra = NULL, *rb = NULL;

	if (xous_create_server(&sid) || xous_connect(&sid, &cid) ||
	    xous_create_thread(server, NULL, &srv) || xous_create_thread(scalar_waiter, NULL, &a) ||
	    xous_create_thread(memory_waiter, NULL, &b))
		return 1;
	/* The server is not stuck on the waiters: it answers others meanwhile. */
	printf("client C: blocking_scalar OP_PING(41) -> server\n");
	if (xous_blocking_scalar(cid, OP_PING, 41, 0, 0, 0, &r))
		return 1;
	printf("client C: <- %lu\n", (unsigned long)r.v[0]);
	printf("client C: send_scalar OP_FIRE(7) -> server\n");
	xous_send_scalar(cid, OP_FIRE, 7, 0, 0, 0);
	xous_join_thread(a, &ra);
	xous_join_thread(b, &rb);
	xous_send_scalar(cid, OP_QUIT, 0, 0, 0, 0);
	xous_join_thread(srv, NULL);
	return r.v[0] == 42 && ra == (void *)7 && rb == (void *)1 ? 0 : 1;
}

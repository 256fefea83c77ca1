/*
 * idiom_sync.c - caller idiom 2: synchronous.
 *
 * The caller blocks until the server answers: a BlockingScalar gets up to
 * five words back; a lend (Borrow) shows the server the caller's pages
 * read-only; a lend_mut (MutableBorrow) lets the server write them. The
 * pages come back to the caller, with the server's writes and the returned
 * offset and valid length, when the call returns.
 *
 * Run: xous-hostd --no-fleet -- idiom_sync
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <xous.h>

enum opcode { OP_ADD = 1, OP_STRLEN = 2, OP_UPPERCASE = 3, OP_QUIT = 4 };

static xous_sid_t sid;

static void serve_one(xous_envelope_t *env)
{
	char *text = env->memory.buf.addr;

	switch (env->kind == XOUS_BLOCKING_SCALAR ? env->scalar.id : env->memory.id) {
	case OP_ADD:
		printf("server: OP_ADD(%lu, %lu)\n", (unsigned long)env->scalar.arg[0],
		       (unsigned long)env->scalar.arg[1]);
		xous_return_scalar(env->sender, env->scalar.arg[0] + env->scalar.arg[1]);
		break;
	case OP_STRLEN: /* Borrow: read only; the answer is the "valid" length */
		printf("server: OP_STRLEN reads \"%s\"\n", text);
		xous_return_memory(env->sender, 0, strnlen(text, env->memory.buf.len));
		break;
	case OP_UPPERCASE: /* MutableBorrow: the server writes the caller's pages */
		for (size_t i = 0; i < env->memory.valid; i++)
			text[i] = (char)toupper((unsigned char)text[i]);
		printf("server: OP_UPPERCASE wrote \"%s\"\n", text);
		xous_return_memory(env->sender, 0, env->memory.valid);
		break;
	default:
		/* Anything else: answer it the way Xous's Drop would. */
		xous_envelope_done(env);
	}
}

static void *server(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_SCALAR && env.scalar.id == OP_QUIT)
			return NULL;
		serve_one(&env);
	}
	return NULL;
}

int main(void)
{
	xous_scalar_reply_t sum;
	xous_range_t page;
	size_t off, valid;
	xous_tid_t tid;
	xous_cid_t cid;
	int ok = 1;

	if (xous_create_server(&sid) || xous_connect(&sid, &cid) ||
	    xous_create_thread(server, NULL, &tid) ||
	    xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page))
		return 1;

	printf("client: blocking_scalar OP_ADD(2, 3) -> server, waiting\n");
	if (xous_blocking_scalar(cid, OP_ADD, 2, 3, 0, 0, &sum))
		return 1;
	printf("client: <- %lu (%u value)\n", (unsigned long)sum.v[0], sum.count);
	ok &= sum.count == 1 && sum.v[0] == 5;

	strcpy(page.addr, "lend me");
	printf("client: lend %zu bytes -> server, waiting\n", page.len);
	if (xous_lend(cid, OP_STRLEN, page, 0, 8, &off, &valid))
		return 1;
	printf("client: <- pages back, valid = %zu\n", valid);
	ok &= valid == 7;

	printf("client: lend_mut %zu bytes -> server, waiting\n", page.len);
	if (xous_lend_mut(cid, OP_UPPERCASE, page, 0, 7, &off, &valid))
		return 1;
	printf("client: <- pages back, they now read \"%s\"\n", (char *)page.addr);
	ok &= strcmp(page.addr, "LEND ME") == 0;

	xous_send_scalar(cid, OP_QUIT, 0, 0, 0, 0);
	xous_join_thread(tid, NULL);
	return ok ? 0 : 1;
}

/*
 * idiom_nonsync.c - caller idiom 1: non-synchronizing ("fire and forget").
 *
 * The caller sends and goes on at once: a Scalar carries four words in
 * registers, a Move hands whole pages to the server for good. The send returns
 * as soon as the message is queued; nothing tells the caller when (or whether)
 * the server has looked at it.
 *
 * Both sides live in this one program: the server is a thread with its own
 * server id; the client is the main thread.
 *
 * Run: xous-hostd --no-fleet -- idiom_nonsync
 */
#include <stdio.h>
#include <string.h>

#include <xous.h>

enum opcode { OP_LOG_VALUE = 1, OP_TAKE_BUFFER = 2, OP_QUIT = 3 };

static xous_sid_t sid;

/* The server: an event loop that takes a message, matches its opcode, runs it. */
static void *server(void *arg)
{
	xous_envelope_t env;
	long handled = 0;

	(void)arg;
	for (;;) {
		if (xous_receive_message(&sid, &env) != XOUS_OK)
			return (void *)-1L;
		if (env.kind == XOUS_SCALAR && env.scalar.id == OP_LOG_VALUE) {
			printf("server: scalar OP_LOG_VALUE(%lu, %lu)\n",
			       (unsigned long)env.scalar.arg[0], (unsigned long)env.scalar.arg[1]);
			handled++;
		} else if (env.kind == XOUS_MOVE && env.memory.id == OP_TAKE_BUFFER) {
			/* The pages are ours now; we unmap them when done. */
			printf("server: moved %zu bytes in, they read \"%s\"\n", env.memory.buf.len,
			       (char *)env.memory.buf.addr);
			xous_unmap_memory(env.memory.buf);
			handled++;
		} else if (env.kind == XOUS_SCALAR && env.scalar.id == OP_QUIT) {
			printf("server: OP_QUIT, leaving the loop\n");
			return (void *)handled;
		}
	}
}

int main(void)
{
	xous_tid_t tid;
	xous_cid_t cid;
	xous_range_t page;
	void *handled = NULL;

	if (xous_create_server(&sid) || xous_connect(&sid, &cid) ||
	    xous_create_thread(server, NULL, &tid))
		return 1;

	/* Scalar: four words in registers; returns once queued. */
	printf("client: send_scalar OP_LOG_VALUE(42, 7) -> server\n");
	if (xous_send_scalar(cid, OP_LOG_VALUE, 42, 7, 0, 0))
		return 1;

	/* Move: lendable pages (page-aligned, page-multiple) change owner. */
	if (xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &page))
		return 1;
	strcpy(page.addr, "hello from the client");
	printf("client: send_memory (Move) %zu bytes -> server\n", page.len);
	if (xous_send_memory(cid, OP_TAKE_BUFFER, page, 0, 22))
		return 1;
	printf("client: both sends returned at once; the page is no longer mine\n");

	/* Messages from one thread arrive in order, so QUIT comes last. */
	if (xous_send_scalar(cid, OP_QUIT, 0, 0, 0, 0) || xous_join_thread(tid, &handled))
		return 1;
	printf("client: server handled %ld messages\n", (long)handled);
	return handled == (void *)2L ? 0 : 1;
}

/*
 * broker_smoke.c - libxous-host through a real xous-hostd, every call once:
 * a server on a joinable xous thread, the main thread as its client, and a
 * plain pthread that attaches its own connection. Run as
 *   xous-hostd --no-fleet -- broker_smoke
 * It prints one line per step and "broker smoke: ok" at the end; any
 * failure prints what and exits 1.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xous.h>

#define PAGE XOUS_PAGE_SIZE

enum op {
	OP_SCALAR = 1,
	OP_SUM,
	OP_PAIR,
	OP_FIVE,
	OP_READ,
	OP_WRITE,
	OP_TAKE,
	OP_PASS_ON,
	OP_DROP,
	OP_QUIT
};

static unsigned char g_plain[2 * PAGE] __attribute__((aligned(PAGE)));
static uintptr_t g_last_scalar;
static xous_cid_t g_cid; /* the server's own connection to itself */
static int g_taken;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "broker smoke: %s:%d: %s\n", __FILE__, __LINE__, #cond);   \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

#define OK(call)                                                                                   \
	do {                                                                                       \
		xous_err_t e_ = (call);                                                            \
		if (e_ != XOUS_OK) {                                                               \
			fprintf(stderr, "broker smoke: %s:%d: %s: %s\n", __FILE__, __LINE__,       \
			        #call, xous_strerror(e_));                                         \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

static bool all_bytes(const void *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] != v)
			return false;
	return true;
}

/* Answers what needs answering itself; the rest goes back through
 * xous_reply_and_receive_next. */
static bool serve(xous_envelope_t *env)
{
	switch (env->kind == XOUS_SCALAR || env->kind == XOUS_BLOCKING_SCALAR ? env->scalar.id
	                                                                      : env->memory.id) {
	case OP_SCALAR:
		g_last_scalar = env->scalar.arg[0];
		break;
	case OP_SUM:
		OK(xous_return_scalar(env->sender, env->scalar.arg[0] + env->scalar.arg[1]));
		break;
	case OP_PAIR:
		OK(xous_return_scalar2(env->sender, env->scalar.arg[0], g_last_scalar));
		break;
	case OP_FIVE:
		OK(xous_return_scalar5(env->sender, 1, 2, 3, 4, 5));
		break;
	case OP_READ:
		CHECK(env->kind == XOUS_BORROW);
		CHECK(all_bytes(env->memory.buf.addr, env->memory.buf.len, 0x11));
		env->memory.valid = 7;
		break; /* answered by reply_and_receive_next with offset/valid */
	case OP_WRITE:
		CHECK(env->kind == XOUS_MUTABLE_BORROW);
		memset(env->memory.buf.addr, 0x22, env->memory.buf.len);
		OK(xous_return_memory(env->sender, 3, env->memory.buf.len));
		break;
	case OP_TAKE:
		CHECK(env->kind == XOUS_MOVE);
		CHECK(all_bytes(env->memory.buf.addr, env->memory.buf.len, 0x33));
		g_taken++;
		break; /* unmapped by reply_and_receive_next */
	case OP_PASS_ON:
		/* pages received by a Move are this process's: they move on as they are */
		CHECK(env->kind == XOUS_MOVE);
		OK(xous_send_memory(g_cid, OP_TAKE, env->memory.buf, 0, 0));
		CHECK(xous_unmap_memory(env->memory.buf) == XOUS_ERR_BAD_ADDRESS);
		break;
	case OP_DROP:
		break; /* a BlockingScalar left unanswered */
	case OP_QUIT:
		OK(xous_return_scalar(env->sender, 0));
		return false;
	}
	return true;
}

static void *server_main(void *arg)
{
	const xous_sid_t *sid = arg;
	xous_envelope_t env = {0};

	OK(xous_receive_message(sid, &env));
	while (serve(&env))
		OK(xous_reply_and_receive_next(sid, &env));
	return (void *)(uintptr_t)0x5eed;
}

static void *attached_main(void *arg)
{
	xous_cid_t cid = *(xous_cid_t *)arg;
	xous_scalar_reply_t r;

	CHECK(xous_thread_id() > 1);
	OK(xous_blocking_scalar(cid, OP_SUM, 40, 2, 0, 0, &r));
	CHECK(r.count == 1 && r.v[0] == 42);
	return NULL;
}

/* Many threads at once, each on its own connection. */
static void *busy_main(void *arg)
{
	xous_cid_t cid = *(xous_cid_t *)arg;
	xous_scalar_reply_t r;
	xous_range_t m;

	if (xous_map_memory(PAGE, 0, &m) != XOUS_OK)
		return (void *)1;
	for (uintptr_t i = 0; i < 50; i++) {
		if (xous_blocking_scalar(cid, OP_SUM, i, 1, 0, 0, &r) != XOUS_OK || r.v[0] != i + 1)
			return (void *)2;
		if (xous_lend_mut(cid, OP_WRITE, m, 0, 0, NULL, NULL) != XOUS_OK ||
		    !all_bytes(m.addr, m.len, 0x22))
			return (void *)3;
		memset(m.addr, 0, m.len);
	}
	return xous_unmap_memory(m) == XOUS_OK ? NULL : (void *)4;
}

static void busy(xous_cid_t cid)
{
	enum { N = 8 };
	pthread_t t[N];
	void *ret;

	for (int i = 0; i < N; i++)
		CHECK(pthread_create(&t[i], NULL, busy_main, &cid) == 0);
	for (int i = 0; i < N; i++) {
		CHECK(pthread_join(t[i], &ret) == 0);
		CHECK(ret == NULL);
	}
	printf("broker smoke: %d threads at once ok\n", N);
}

static void scalars(xous_cid_t cid)
{
	xous_scalar_reply_t r;

	OK(xous_send_scalar(cid, OP_SCALAR, 99, 0, 0, 0));
	OK(xous_try_send_scalar(cid, OP_SCALAR, 98, 0, 0, 0));
	OK(xous_blocking_scalar(cid, OP_SUM, 3, 4, 0, 0, &r));
	CHECK(r.count == 1 && r.v[0] == 7);
	OK(xous_blocking_scalar(cid, OP_PAIR, 5, 0, 0, 0, &r));
	CHECK(r.count == 2 && r.v[0] == 5 && r.v[1] == 98);
	OK(xous_blocking_scalar(cid, OP_FIVE, 0, 0, 0, 0, &r));
	CHECK(r.count == 5 && r.v[4] == 5);
	CHECK(xous_blocking_scalar(cid, OP_DROP, 0, 0, 0, 0, &r) == XOUS_ERR_UNAVAILABLE);
	printf("broker smoke: scalars ok\n");
}

static void lends(xous_cid_t cid)
{
	xous_range_t m;
	size_t off, valid;

	OK(xous_map_memory(2 * PAGE, XOUS_MEM_R | XOUS_MEM_W, &m));
	memset(m.addr, 0x11, m.len);
	OK(xous_lend(cid, OP_READ, m, 0, 5, &off, &valid));
	CHECK(off == 0 && valid == 7);
	OK(xous_lend_mut(cid, OP_WRITE, m, 0, 0, &off, &valid));
	CHECK(off == 3 && valid == m.len && all_bytes(m.addr, m.len, 0x22));
	memset(g_plain, 0x11, sizeof g_plain);
	xous_range_t plain = {g_plain, sizeof g_plain};
	OK(xous_lend(cid, OP_READ, plain, 0, 0, &off, &valid));
	OK(xous_lend_mut(cid, OP_WRITE, plain, 0, 0, &off, &valid));
	CHECK(all_bytes(g_plain, sizeof g_plain, 0x22));
	memset(m.addr, 0x33, m.len);
	OK(xous_send_memory(cid, OP_TAKE, m, 0, m.len));
	CHECK(xous_unmap_memory(m) == XOUS_ERR_BAD_ADDRESS); /* no longer the caller's */
	memset(g_plain, 0x33, sizeof g_plain);
	OK(xous_send_memory(cid, OP_TAKE, plain, 0, 0));
	CHECK(all_bytes(g_plain, sizeof g_plain, 0x33)); /* a bounced Move leaves a copy */
	OK(xous_map_memory(PAGE, 0, &m));
	memset(m.addr, 0x33, m.len);
	OK(xous_send_memory(cid, OP_PASS_ON, m, 0, 0));
	/* the passed-on Move is queued once PASS_ON was served, before the 2nd sum */
	OK(xous_blocking_scalar(cid, OP_SUM, 0, 0, 0, 0, NULL));
	OK(xous_blocking_scalar(cid, OP_SUM, 0, 0, 0, 0, NULL));
	CHECK(g_taken == 3);
	printf("broker smoke: lends ok\n");
}

/* A forked child must not speak on its parent's connection: it attaches as
 * a process of its own through $XOUS_HOSTD (which the broker exports). */
static void forked_child(void)
{
	xous_pid_t parent = xous_process_id();
	int st;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		xous_pid_t mine = xous_process_id();
		_exit(mine != 0 && mine != parent ? 0 : 1);
	}
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(xous_process_id() == parent);
	printf("broker smoke: forked child attached as its own process ok\n");
}

int main(void)
{
	xous_sid_t sid;
	xous_cid_t cid;
	xous_tid_t stid;
	xous_scalar_reply_t r;
	xous_envelope_t env;
	pthread_t pt;
	void *ret;

	CHECK(xous_process_id() >= 2);
	CHECK(xous_thread_id() == 1);
	OK(xous_create_server(&sid));
	OK(xous_connect(&sid, &cid));
	g_cid = cid;
	OK(xous_create_thread(server_main, &sid, &stid));
	CHECK(stid > 1);
	scalars(cid);
	lends(cid);
	CHECK(pthread_create(&pt, NULL, attached_main, &cid) == 0);
	CHECK(pthread_join(pt, NULL) == 0);
	printf("broker smoke: attached thread ok\n");
	busy(cid);
	forked_child();
	OK(xous_blocking_scalar(cid, OP_QUIT, 0, 0, 0, 0, &r));
	OK(xous_join_thread(stid, &ret));
	CHECK(ret == (void *)(uintptr_t)0x5eed);
	OK(xous_try_receive_message(&sid, &env));
	CHECK(env.kind == XOUS_NO_MESSAGE);
	OK(xous_destroy_server(&sid));
	CHECK(xous_try_connect(&sid, &cid) == XOUS_ERR_SERVER_NOT_FOUND);
	/* a lend that fails still gives the pages back */
	xous_range_t m;
	OK(xous_map_memory(PAGE, 0, &m));
	CHECK(xous_lend_mut(g_cid, OP_WRITE, m, 0, 0, NULL, NULL) == XOUS_ERR_SERVER_NOT_FOUND);
	memset(m.addr, 1, m.len);
	OK(xous_unmap_memory(m));
	printf("broker smoke: ok\n");
	return 0;
}

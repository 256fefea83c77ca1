/*
 * copied.c - small lends travel by copy through the receiver's pool
 * (docs/abi.md, "Copied lends"); these cases reach its edges through the
 * real broker:
 *   - a server with several receiving threads gets its first copied lends
 *     at once: only one envelope brings the pool, and every thread must
 *     still see the bytes (the others wait for the mapping);
 *   - a server holds more copied lends than its pool has slots: the rest
 *     come in memfds of their own, Borrows read-only, and every
 *     MutableBorrow's writes still come back; afterwards the broker holds
 *     no more fds than before; the same with 300 lends, past the buffers
 *     the broker keeps.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itest.h"

#define PAGE    XOUS_PAGE_SIZE
#define RACERS  4   /* receiving threads of the racing server, and callers */
#define ROUNDS  8   /* fresh servers, each getting its first lends at once */
#define HOLDING 70  /* more than the pool's 64 slots */
#define BURST   300 /* more than the broker keeps buffers for (256) */

enum { OP_QUIT = 9 };

/* Role "racer" S: RACERS threads receive on S; a MutableBorrow gets every
 * byte flipped; OP_QUIT ends the process. */
static void *racer_thread(void *arg)
{
	const xous_sid_t *s = arg;
	xous_envelope_t env = {0};

	for (;;) {
		if (xous_receive_message(s, &env) != XOUS_OK)
			continue;
		if (env.kind == XOUS_SCALAR && env.scalar.id == OP_QUIT)
			_exit(0);
		if (env.kind == XOUS_MUTABLE_BORROW) {
			unsigned char *b = env.memory.buf.addr;
			for (size_t i = 0; i < env.memory.buf.len; i++)
				b[i] ^= 0xff;
		}
		xous_envelope_done(&env);
	}
	return NULL;
}

static int racer_main(const char *s_hex)
{
	static xous_sid_t s;
	pthread_t t;

	if (itest_sid_parse(s_hex, &s) || xous_create_server_with_address(&s))
		return 2;
	for (int i = 1; i < RACERS; i++)
		if (pthread_create(&t, NULL, racer_thread, &s) != 0)
			return 2;
	racer_thread(&s);
	return 0;
}

/* Role "holder" S N: hold N lends, check each is all its first byte,
 * write byte+1 into every MutableBorrow, answer them all, exit 0 if every
 * lend read right. */
static int holder_main(const char *s_hex, const char *n_str)
{
	static xous_envelope_t env[BURST];
	int n = atoi(n_str), bad = 0;
	xous_sid_t s;

	if (n <= 0 || n > BURST || itest_sid_parse(s_hex, &s) ||
	    xous_create_server_with_address(&s))
		return 2;
	for (int i = 0; i < n; i++)
		if (xous_receive_message(&s, &env[i]) != XOUS_OK)
			return 2;
	for (int i = 0; i < n; i++) {
		unsigned char *b = env[i].memory.buf.addr;
		for (size_t j = 0; j < env[i].memory.buf.len; j++)
			bad |= b[j] != b[0];
		if (env[i].kind == XOUS_MUTABLE_BORROW)
			memset(b, b[0] + 1, env[i].memory.buf.len);
		bad |= xous_envelope_done(&env[i]) != XOUS_OK;
	}
	return bad ? 3 : 0;
}

struct caller {
	xous_cid_t cid;
	bool mut;
	unsigned char v;
	xous_range_t buf;
	xous_err_t err;
};

static void *caller_thread(void *arg)
{
	struct caller *c = arg;

	memset(c->buf.addr, c->v, c->buf.len);
	c->err = c->mut ? xous_lend_mut(c->cid, 1, c->buf, 0, 0, NULL, NULL)
	                : xous_lend(c->cid, 1, c->buf, 0, 0, NULL, NULL);
	return NULL;
}

static bool all_bytes(const xous_range_t *r, unsigned char v)
{
	const unsigned char *b = r->addr;

	for (size_t i = 0; i < r->len; i++)
		if (b[i] != v)
			return false;
	return true;
}

/* Start role on a fresh sid (arg: its second argument), connect; returns its pid. */
static pid_t start(const char *role, const char *arg, xous_cid_t *cid)
{
	xous_sid_t s = itest_random_sid();
	char s_hex[33];

	itest_sid_str(&s, s_hex);
	pid_t pid = itest_spawn(role, s_hex, arg);
	REQUIRE(pid > 0, "start a %s process", role);
	REQUIRE(xous_connect(&s, cid) == XOUS_OK, "connect to it");
	return pid;
}

static void run_callers(struct caller *c, int n)
{
	static pthread_t t[BURST];

	int made = 0;

	while (made < n && pthread_create(&t[made], NULL, caller_thread, &c[made]) == 0)
		made++;
	REQUIRE(made == n, "%d caller threads", n);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}

static int base_fds; /* the broker's, before any case */

/* The broker's fds are no more than base_fds once the gone threads and
 * processes are handled (it may take it a moment; at the start it may
 * still have held one it was about to close). */
static void fds_back(const char *what, int n)
{
	int now = itest_broker_fds();

	for (int i = 0; i < 100 && now > base_fds; i++) {
		usleep(20000);
		now = itest_broker_fds();
	}
	CHECK(now <= base_fds, "after %d %s: the broker holds no more fds than before (%d, %d)", n,
	      what, base_fds, now);
}

static void first_lends_at_once(void)
{
	struct caller c[RACERS];
	int ok = 0;

	for (int i = 0; i < RACERS; i++)
		REQUIRE(xous_map_memory(PAGE, 0, &c[i].buf) == XOUS_OK, "map");
	for (int round = 0; round < ROUNDS; round++) {
		xous_cid_t cid;
		pid_t pid = start("racer", NULL, &cid);
		for (int i = 0; i < RACERS; i++)
			c[i] = (struct caller){cid, true, (unsigned char)(0x10 + i), c[i].buf, 0};
		run_callers(c, RACERS);
		for (int i = 0; i < RACERS; i++)
			ok += c[i].err == XOUS_OK && all_bytes(&c[i].buf, (unsigned char)~c[i].v);
		xous_send_scalar(cid, OP_QUIT, 0, 0, 0, 0);
		itest_wait(pid);
		xous_disconnect(cid);
	}
	fds_back("racing servers", ROUNDS);
	CHECK(ok == RACERS * ROUNDS,
	      "%d servers with %d receiving threads: all %d first lends came back written (%d)",
	      ROUNDS, RACERS, RACERS * ROUNDS, ok);
}

/* n lends held at once by one server (more than its pool has slots). */
static void more_than_the_pool(int n)
{
	static struct caller c[BURST];
	char n_str[16];
	xous_cid_t cid;
	int ok = 0;

	snprintf(n_str, sizeof n_str, "%d", n);
	int mapped = 0;

	while (mapped < n && xous_map_memory(2 * PAGE, 0, &c[mapped].buf) == XOUS_OK)
		mapped++;
	REQUIRE(mapped == n, "map %d buffers", n);
	pid_t pid = start("holder", n_str, &cid);
	for (int i = 0; i < n; i++)
		c[i] = (struct caller){cid, i % 2 == 0, (unsigned char)(i + 1), c[i].buf, 0};
	run_callers(c, n);
	for (int i = 0; i < n; i++)
		ok += c[i].err == XOUS_OK &&
		      all_bytes(&c[i].buf, (unsigned char)(c[i].mut ? c[i].v + 1 : c[i].v));
	CHECK(ok == n,
	      "%d lends held at once (pool: 64 slots): every one answered, MutableBorrows written, "
	      "Borrows intact (%d)",
	      n, ok);
	int status = itest_wait(pid);
	CHECK(status == 0, "the server read every lend right (%s)", itest_status_str(status));
	xous_disconnect(cid);
	fds_back("lends held", n);
	for (int i = 0; i < n; i++)
		xous_unmap_memory(c[i].buf);
}

int main(int argc, char **argv)
{
	const char *role = itest_role(argc, argv);

	if (role && argc > 2 && strcmp(role, "racer") == 0)
		return racer_main(argv[2]);
	if (role && argc > 3 && strcmp(role, "holder") == 0)
		return holder_main(argv[2], argv[3]);
	if (role)
		return 2;
	base_fds = itest_broker_fds();
	first_lends_at_once();
	more_than_the_pool(HOLDING);
	more_than_the_pool(BURST); /* and more than the broker keeps buffers for */
	return itest_done();
}

/*
 * crash.c - the crash promises (CONTRACT section 4, 9 and 10) under attack.
 *
 * Run under the broker: `xous-hostd --no-fleet -- rel_crash [ROUNDS]`
 * (ctest runs 3 rounds; the full form is 100).
 *
 * Server deaths: 64 caller threads call one server process (blocking
 * scalars, Borrows and MutableBorrows of 4 KiB to 16 MiB; the server holds
 * every call it receives and writes the first half of each MutableBorrow);
 * after a random number of calls has been received (0..64, plus a random
 * pause) the server is killed with SIGKILL. Every caller must get
 * SERVER_NOT_FOUND; its lent pages must be its own again, a Borrow's
 * unchanged, a MutableBorrow's holding a prefix of the server's writes and
 * the caller's bytes after it; the broker's fds and memfds return to their
 * count before the round.
 *
 * Caller deaths: caller processes block on a server of this process with
 * the same kinds of call, are killed while some calls are held and some
 * queued; every later answer must succeed quietly, the queue must empty,
 * and the broker's and this process's fds return to their counts.
 *
 * The seed of the random moments is printed (XOUS_REL_SEED repeats a run).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rel.h"

#define CALLERS      64
#define SERVER_SEED  0x5e5e
#define CALLER_PROCS 4
#define CALLS_EACH   4 /* per caller process: 3 threads and its main thread */
#define DEATH_BUF    (16 * XOUS_PAGE_SIZE)

enum { OP_UP = 1, OP_HELD = 2, OP_CALL = 7 };
enum call_kind { K_SCALAR, K_BORROW, K_MUTABLE };

struct caller {
	int i;
	enum call_kind kind;
	xous_cid_t cid;
	xous_range_t buf;
	uint32_t seed;
	xous_err_t err;
	double done_ms;
};

static int g_full;
static pid_t g_broker;

/* ---- the server that gets killed ---- */

static int role_server(const char *s_hex, const char *c_hex)
{
	xous_sid_t s, c;
	xous_cid_t ctl;
	xous_envelope_t env;

	if (itest_sid_parse(s_hex, &s) || itest_sid_parse(c_hex, &c) ||
	    xous_create_server_with_address(&s) || xous_connect(&c, &ctl) ||
	    xous_send_scalar(ctl, OP_UP, 0, 0, 0, 0))
		return 2;
	for (;;) { /* hold everything; the parent kills us */
		if (xous_receive_message(&s, &env))
			return 3;
		if (env.kind == XOUS_MUTABLE_BORROW)
			rel_fill(env.memory.buf.addr, env.memory.buf.len / 2, SERVER_SEED);
		xous_send_scalar(ctl, OP_HELD, 0, 0, 0, 0);
	}
}

/* ---- callers ---- */

static size_t buf_size(int i)
{
	static const size_t fast[] = {4096, 16384, 65536, 262144};
	static const size_t full[] = {4096, 65536, 1 << 20, 16 << 20};

	return g_full ? full[(i / 3) % 4] : fast[(i / 3) % 4];
}

static void *caller_main(void *arg)
{
	struct caller *c = arg;
	xous_scalar_reply_t r;
	size_t off, valid;

	if (c->kind == K_SCALAR)
		c->err = xous_blocking_scalar(c->cid, OP_CALL, (uintptr_t)c->i, 0, 0, 0, &r);
	else if (c->kind == K_BORROW)
		c->err = xous_lend(c->cid, OP_CALL, c->buf, 0, c->buf.len, &off, &valid);
	else
		c->err = xous_lend_mut(c->cid, OP_CALL, c->buf, 0, c->buf.len, &off, &valid);
	c->done_ms = rel_now_ms();
	return NULL;
}

/* What a caller finds after the server died under it. */
static int caller_ok(const struct caller *c)
{
	size_t len = c->buf.len, p;

	if (c->err != XOUS_ERR_SERVER_NOT_FOUND)
		return 0;
	if (c->kind == K_SCALAR)
		return 1;
	if (itest_faults(c->buf.addr, 1) != 0 ||
	    itest_faults((char *)c->buf.addr + len - XOUS_PAGE_SIZE, 1) != 0)
		return 0; /* the pages are not the caller's again */
	if (c->kind == K_BORROW)
		return rel_match(c->buf.addr, len, c->seed) == len;
	p = rel_match(c->buf.addr, len / 2, SERVER_SEED); /* the server's partial writes */
	return p <= len / 2 && rel_match_at(c->buf.addr, p, len, c->seed) == len;
}

/* Wait for n messages op on ctl (a dead server's unread ones are dropped). */
static void wait_ctl(const xous_sid_t *ctl, uintptr_t op, int n)
{
	xous_envelope_t env;

	while (n > 0) {
		if (xous_receive_message(ctl, &env) != XOUS_OK)
			REQUIRE(0, "receive on the control server");
		if (env.kind == XOUS_SCALAR && env.scalar.id == op)
			n--;
	}
}

struct totals {
	int kills, bad_callers, peak_fds, peak_memfds;
	double worst_ms;
};

static void kill_round(const xous_sid_t *ctl, struct caller *cs, int r, struct totals *t)
{
	xous_sid_t s = itest_random_sid();
	char s_hex[33], c_hex[33];
	int i, held = (int)(rel_rand() % (CALLERS + 1)), fds, memfds, got, gotm, bad = 0, ok;
	xous_tid_t tids[CALLERS];
	double killed, last = 0;
	xous_cid_t cid;
	pid_t pid;

	fds = rel_fds(g_broker, &memfds);
	itest_sid_str(&s, s_hex);
	itest_sid_str(ctl, c_hex);
	pid = itest_spawn_env(NULL, "server", s_hex, c_hex);
	REQUIRE(pid > 0, "round %d: start the server", r);
	wait_ctl(ctl, OP_UP, 1);
	REQUIRE(xous_connect(&s, &cid) == XOUS_OK, "round %d: connect", r);
	for (i = 0; i < CALLERS; i++) {
		cs[i].cid = cid;
		cs[i].seed = (uint32_t)(r * 1000 + i);
		cs[i].err = XOUS_OK;
		if (cs[i].kind != K_SCALAR)
			rel_fill(cs[i].buf.addr, cs[i].buf.len, cs[i].seed);
		if (xous_create_thread(caller_main, &cs[i], &tids[i]) != XOUS_OK)
			REQUIRE(0, "round %d: caller thread %d", r, i);
	}
	wait_ctl(ctl, OP_HELD, held);
	if (rel_rand() % 2)
		usleep(rel_rand() % 2000);
	got = rel_fds(g_broker, &gotm); /* what the broker holds for this round */
	if (got > t->peak_fds)
		t->peak_fds = got;
	if (gotm > t->peak_memfds)
		t->peak_memfds = gotm;
	killed = rel_now_ms();
	kill(pid, SIGKILL);
	for (i = 0; i < CALLERS; i++) {
		xous_join_thread(tids[i], NULL);
		if (cs[i].done_ms > last)
			last = cs[i].done_ms;
		if (!caller_ok(&cs[i])) {
			bad++;
			itest_note("round %d caller %d (kind %d, %zu bytes): %s", r, i, cs[i].kind,
			           cs[i].buf.len, xous_strerror(cs[i].err));
		}
	}
	itest_wait(pid);
	t->kills++;
	t->bad_callers += bad;
	if (last - killed > t->worst_ms)
		t->worst_ms = last - killed;
	CHECK(bad == 0,
	      "round %d (server killed after %d held calls): all %d callers got "
	      "SERVER_NOT_FOUND and their memory back as promised",
	      r, held, CALLERS);
	ok = rel_settle(g_broker, fds, memfds, &got, &gotm);
	CHECK(ok, "round %d: broker fds %d and memfds %d back to %d and %d", r, got, gotm, fds,
	      memfds);
	xous_disconnect(cid);
}

static void server_deaths(int rounds)
{
	static struct caller cs[CALLERS];
	struct totals t = {0};
	xous_sid_t ctl;
	int i, r;

	REQUIRE(xous_create_server(&ctl) == XOUS_OK, "create the control server");
	for (i = 0; i < CALLERS; i++) {
		cs[i].i = i;
		cs[i].kind = (enum call_kind)(i % 3);
		if (cs[i].kind != K_SCALAR &&
		    xous_map_memory(buf_size(i), XOUS_MEM_R | XOUS_MEM_W, &cs[i].buf) != XOUS_OK)
			REQUIRE(0, "map %zu bytes for caller %d", buf_size(i), i);
	}
	i = rel_fds(getpid(), &r);
	itest_note("this process: %d fds, %d of them memfds", i, r);
	for (r = 1; r <= rounds; r++)
		kill_round(&ctl, cs, r, &t);
	itest_note("server kills survived: %d, callers failed: %d, slowest error after the kill: "
	           "%.1f ms, broker peak before a kill: %d fds, %d memfds",
	           t.kills, t.bad_callers, t.worst_ms, t.peak_fds, t.peak_memfds);
	for (i = 0; i < CALLERS; i++)
		if (cs[i].kind != K_SCALAR)
			xous_unmap_memory(cs[i].buf);
	xous_destroy_server(&ctl);
}

/* ---- caller deaths ---- */

static void *death_call(void *arg)
{
	struct caller *c = arg;

	caller_main(c);
	return NULL;
}

/* Role "caller" S: CALLS_EACH blocking calls to S, from 3 threads and main. */
static int role_caller(const char *s_hex)
{
	static struct caller cs[CALLS_EACH];
	xous_tid_t tid;
	xous_sid_t s;
	xous_cid_t cid;
	int i;

	if (itest_sid_parse(s_hex, &s) || xous_connect(&s, &cid))
		return 2;
	for (i = 0; i < CALLS_EACH; i++) {
		cs[i].cid = cid;
		cs[i].kind = (enum call_kind)(i % 3);
		if (cs[i].kind != K_SCALAR &&
		    xous_map_memory(DEATH_BUF, XOUS_MEM_R | XOUS_MEM_W, &cs[i].buf))
			return 3;
		if (i + 1 < CALLS_EACH && xous_create_thread(death_call, &cs[i], &tid))
			return 4;
	}
	death_call(&cs[CALLS_EACH - 1]);
	return 5; /* only a broken server answers */
}

/* Answer env as its kind wants; returns the answer's error. */
static xous_err_t answer(const xous_envelope_t *env)
{
	if (env->kind == XOUS_BLOCKING_SCALAR)
		return xous_return_scalar(env->sender, 1);
	if (env->kind == XOUS_MUTABLE_BORROW || env->kind == XOUS_BORROW)
		return xous_return_memory(env->sender, 0, 0);
	return XOUS_OK;
}

static void death_round(const xous_sid_t *s, int r, int *quiet, int *loud)
{
	static xous_envelope_t held[CALLER_PROCS * CALLS_EACH];
	int i, n = 0, want = (int)(rel_rand() % (CALLER_PROCS * CALLS_EACH + 1));
	int fds, memfds, my, mym, got, gotm, ok;
	pid_t pids[CALLER_PROCS];
	xous_envelope_t env;
	char s_hex[33];

	fds = rel_fds(g_broker, &memfds);
	my = rel_fds(getpid(), &mym);
	itest_sid_str(s, s_hex);
	for (i = 0; i < CALLER_PROCS; i++)
		if ((pids[i] = itest_spawn("caller", s_hex, NULL)) <= 0)
			REQUIRE(0, "round %d: start caller process %d", r, i);
	while (n < want) /* hold some calls; the rest stay queued */
		if (xous_receive_message(s, &held[n++]) != XOUS_OK)
			REQUIRE(0, "round %d: receive", r);
	for (i = 0; i < CALLER_PROCS; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < CALLER_PROCS; i++)
		itest_wait(pids[i]);
	for (i = 0; i < n; i++)
		(answer(&held[i]) == XOUS_OK ? (*quiet)++ : (*loud)++);
	/* Queued calls of dead callers are dropped; one we still get is answered quietly. */
	while (xous_try_receive_message(s, &env) == XOUS_OK && env.kind != XOUS_NO_MESSAGE)
		(answer(&env) == XOUS_OK ? (*quiet)++ : (*loud)++);
	CHECK(*loud == 0,
	      "round %d: %d calls held when %d callers died: every answer succeeded "
	      "quietly",
	      r, n, CALLER_PROCS);
	ok = rel_settle(g_broker, fds, memfds, &got, &gotm);
	CHECK(ok, "round %d: broker fds %d and memfds %d back to %d and %d", r, got, gotm, fds,
	      memfds);
	ok = rel_settle(getpid(), my, mym, &got, &gotm);
	CHECK(ok, "round %d: the server's own fds %d and memfds %d back to %d and %d", r, got, gotm,
	      my, mym);
}

static void caller_deaths(int rounds)
{
	int r, quiet = 0, loud = 0;
	xous_sid_t s;

	REQUIRE(xous_create_server(&s) == XOUS_OK, "create a server for the callers");
	for (r = 1; r <= rounds; r++)
		death_round(&s, r, &quiet, &loud);
	itest_note("caller processes killed: %d, answers to dead callers: %d quiet, %d not",
	           rounds * CALLER_PROCS, quiet, loud);
	xous_destroy_server(&s);
}

int main(int argc, char **argv)
{
	const char *role = itest_role(argc, argv);
	int rounds = 3;
	uint32_t seed;

	if (role && strcmp(role, "server") == 0 && argc >= 4)
		return role_server(argv[2], argv[3]);
	if (role && strcmp(role, "caller") == 0 && argc >= 3)
		return role_caller(argv[2]);
	if (role) {
		rounds = atoi(role);
		REQUIRE(rounds > 0, "usage: rel_crash [ROUNDS]");
	}
	g_full = rounds >= 20;
	g_broker = getppid();
	seed = rel_seed_init();
	itest_note("%d rounds, XOUS_REL_SEED=%u", rounds, seed);
	REQUIRE(rel_fds(g_broker, NULL) > 0, "the broker's fds are readable through /proc");
	server_deaths(rounds);
	caller_deaths(rounds);
	return itest_done();
}

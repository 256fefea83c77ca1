/*
 * Send-ahead slots through the real broker (kcore/kcore.h, kc_send_ahead):
 * the Scalars a thread sends on slots keep every promise a waited-for
 * Scalar keeps.
 *
 * 1. Death is news to slot holders first: a thread that holds slots on a
 *    server sends again after another thread has learnt (from the broker)
 *    that the server died; that send fails, as promise 9 says, though it
 *    would otherwise have gone ahead without asking (the withdrawals
 *    counter moved, so the library reads its socket and finds the news).
 * 2. "Notify, then exit": a process whose second thread sends a burst of
 *    Scalars (almost all ahead) and which then exits at once; every one
 *    arrives, in order. And the same by hand on the wire, with the broker
 *    stopped while a raw process sends TerminateProcess on its process
 *    connection and then Scalars ahead on its thread's: the broker hears of
 *    the end first and must still deliver what was sent ahead.
 * 3. Promise 2 holds with slots: a queue filled by send_scalar alone (which
 *    takes slots) still takes exactly its depth, and then try_send fails.
 */
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"
#include "raw.h"

enum { OP_READY = 1, OP_BURST = 2 };
#define BURST 100

static xous_cid_t cid;

/* Role "sink" S C: create S, tell C, never receive. */
static int sink_main(const char *s_hex, const char *c_hex)
{
	xous_sid_t s, c;
	xous_cid_t cid_c;

	if (itest_sid_parse(s_hex, &s) || itest_sid_parse(c_hex, &c) ||
	    xous_create_server_with_address(&s) || xous_connect(&c, &cid_c))
		return 2;
	xous_send_scalar(cid_c, OP_READY, 0, 0, 0, 0);
	for (;;)
		pause();
}

static void *burst_thread(void *arg)
{
	xous_err_t err = XOUS_OK;

	(void)arg;
	for (uintptr_t i = 0; i < BURST && err == XOUS_OK; i++)
		err = xous_send_scalar(cid, OP_BURST, i, 0, 0, 0);
	return (void *)(uintptr_t)err;
}

/* Role "burst" S: a thread sends BURST Scalars to S, then the process exits. */
static int burst_main(const char *s_hex)
{
	xous_sid_t s;
	xous_tid_t t;
	void *res = NULL;

	if (itest_sid_parse(s_hex, &s) || xous_connect(&s, &cid) ||
	    xous_create_thread(burst_thread, NULL, &t) || xous_join_thread(t, &res))
		return 2;
	return res == NULL ? 0 : 3;
}

static sem_t go, done;
static xous_err_t second_err;

/* Waits (not in a syscall) until told, then calls the dead server. */
static void *blocking_call(void *arg)
{
	xous_scalar_reply_t r;

	(void)arg;
	sem_wait(&go);
	second_err = xous_blocking_scalar(cid, 9, 0, 0, 0, 0, &r);
	sem_post(&done);
	return NULL;
}

static void death_is_news_to_slot_holders_first(const xous_sid_t *ctl)
{
	xous_sid_t s = itest_random_sid();
	char s_hex[33], c_hex[33];
	xous_envelope_t env;
	xous_tid_t t;

	itest_sid_str(&s, s_hex);
	itest_sid_str(ctl, c_hex);
	pid_t pid = itest_spawn("sink", s_hex, c_hex);
	REQUIRE(pid > 0, "start a server that never receives");
	REQUIRE(xous_receive_message(ctl, &env) == XOUS_OK && env.scalar.id == OP_READY,
	        "it is ready");
	REQUIRE(xous_connect(&s, &cid) == XOUS_OK, "connect to it");
	/* A first grant brings the broker's withdrawals page: then the fast
	 * path (no socket read while its counter stands still) is what runs. */
	xous_cid_t self;
	REQUIRE(xous_connect(ctl, &self) == XOUS_OK &&
	                xous_send_scalar(self, 0, 0, 0, 0, 0) == XOUS_OK &&
	                xous_receive_message(ctl, &env) == XOUS_OK,
	        "a Scalar to ourselves first");
	sem_init(&go, 0, 0);
	sem_init(&done, 0, 0);
	REQUIRE(xous_create_thread(blocking_call, NULL, &t) == XOUS_OK, "start a second thread");
	/* From here the main thread makes no syscall until its send: only the
	 * check before a send ahead can tell it of the death. */
	CHECK_ERR(xous_send_scalar(cid, 1, 0, 0, 0, 0), XOUS_OK,
	          "a send_scalar to an empty queue (its OK grants this thread slots)");
	kill(pid, SIGKILL);
	sem_post(&go);
	sem_wait(&done);
	CHECK_ERR(second_err, XOUS_ERR_SERVER_NOT_FOUND,
	          "the second thread learns that the server is dead");
	CHECK_ERR(xous_send_scalar(cid, 2, 0, 0, 0, 0), XOUS_ERR_SERVER_NOT_FOUND,
	          "then the slot holder's next send_scalar fails too");
	CHECK_ERR(xous_try_send_scalar(cid, 3, 0, 0, 0, 0), XOUS_ERR_SERVER_NOT_FOUND,
	          "and its try_send");
	xous_join_thread(t, NULL);
	itest_wait(pid);
}

static void notify_then_exit_keeps_every_scalar(void)
{
	xous_sid_t s;
	char s_hex[33];
	xous_envelope_t env;
	int in_order = 1, got = 0;

	REQUIRE(xous_create_server(&s) == XOUS_OK, "create a server");
	itest_sid_str(&s, s_hex);
	pid_t pid = itest_spawn("burst", s_hex, NULL);
	REQUIRE(pid > 0, "start a process that sends %d Scalars and exits", BURST);
	int status = itest_wait(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "it sent them all and exited (%s)",
	      itest_status_str(status));
	alarm(20); /* a lost message would make the receive wait forever */
	for (; got < BURST; got++) {
		if (xous_receive_message(&s, &env) != XOUS_OK || env.kind != XOUS_SCALAR)
			break;
		in_order &= env.scalar.arg[0] == (uintptr_t)got;
	}
	alarm(0);
	CHECK(got == BURST && in_order, "all %d arrive, in order (%d did)", BURST, got);
	xous_destroy_server(&s);
}

/* Wait until process pid is stopped (state T in /proc/pid/stat). */
static int stopped(pid_t pid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 10000; i++) {
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;

		if (f)
			fclose(f);
		buf[n] = 0;
		p = strrchr(buf, ')');
		if (p && p[1] == ' ' && p[2] == 'T')
			return 1;
		usleep(1000);
	}
	return 0;
}

static int ahead_frame(int fd, uint64_t cid_raw, uint64_t id)
{
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_SYSCALL, .flags = XH_F_AHEAD};

	f.w[0] = XOUS_SYS_SEND_MESSAGE;
	f.w[1] = cid_raw;
	f.w[2] = XOUS_KIND_SCALAR;
	f.w[3] = OP_BURST;
	f.w[4] = id;
	return raw_send(fd, &f, sizeof f, -1);
}

static void terminate_first_then_ahead_frames_still_arrive(void)
{
	uint64_t key[2], w[8] = {0};
	struct xh_frame out;
	xous_sid_t s;
	xous_envelope_t env;
	pid_t broker = getppid();
	int sv[2], got = 0, in_order = 1;

	REQUIRE(xous_create_server(&s) == XOUS_OK, "create a server");
	REQUIRE(raw_key(key) == 0, "the attach key");
	int p = raw_hello(key, &out);
	REQUIRE(p >= 0 && out.w[0] == XOUS_RESULT_PROCESS_ID, "attach a raw process");
	w[0] = XOUS_SYS_CONNECT;
	for (int i = 0; i < 4; i++)
		w[1 + i] = s.w[i];
	REQUIRE(raw_syscall(p, w, -1, &out) == 1 && out.w[0] == XOUS_RESULT_CONNECTION_ID,
	        "it connects to the server");
	uint64_t rcid = out.w[1];
	REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0, "socketpair");
	memset(w, 0, sizeof w);
	REQUIRE(raw_frame(p, XH_ATTACH_THREAD, 0, w, sv[1]) == 0, "attach a thread");
	close(sv[1]);
	uint64_t send[8] = {XOUS_SYS_SEND_MESSAGE, rcid, XOUS_KIND_SCALAR, OP_BURST, 0};
	REQUIRE(raw_syscall(sv[0], send, -1, &out) == 1 && out.w[0] == XOUS_RESULT_OK,
	        "its thread sends a Scalar and waits");
	uint64_t slots = out.w[1];
	CHECK(slots > 0, "the OK grants %llu slots", (unsigned long long)slots);
	REQUIRE(kill(broker, SIGSTOP) == 0 && stopped(broker), "stop the broker");
	memset(w, 0, sizeof w);
	w[0] = XOUS_SYS_TERMINATE_PROCESS;
	int ok = raw_frame(p, XH_SYSCALL, 0, w, -1) == 0;
	for (uint64_t i = 1; i <= slots; i++)
		ok &= ahead_frame(sv[0], rcid, i) == 0;
	kill(broker, SIGCONT);
	REQUIRE(ok, "TerminateProcess on the process connection, then the slots' Scalars");
	alarm(20);
	for (; got < (int)slots + 1; got++) {
		if (xous_receive_message(&s, &env) != XOUS_OK || env.kind != XOUS_SCALAR)
			break;
		in_order &= env.scalar.arg[0] == (uintptr_t)got;
	}
	alarm(0);
	CHECK(got == (int)slots + 1 && in_order, "every Scalar arrives, in order (%d of %d)", got,
	      (int)slots + 1);
	CHECK(raw_recv(p, &out) == 0 && raw_recv(sv[0], &out) == 0,
	      "and the process is gone: the broker closed both connections");
	close(p);
	close(sv[0]);
	xous_destroy_server(&s);
}

static void queue_takes_its_depth_with_slots(void)
{
	xous_sid_t s;
	xous_envelope_t env;
	xous_err_t err;
	int sent = 0, tried = 0, received = 0;

	REQUIRE(xous_create_server(&s) == XOUS_OK && xous_connect(&s, &cid) == XOUS_OK,
	        "create a server and connect to it");
	while ((err = xous_try_send_scalar(cid, 7, sent, 0, 0, 0)) == XOUS_OK && sent < 100000)
		sent++;
	CHECK_ERR(err, XOUS_ERR_SERVER_QUEUE_FULL, "try_send fills the queue (%d fit)", sent);
	REQUIRE(xous_receive_message(&s, &env) == XOUS_OK, "receive one");
	received++;
	CHECK_ERR(xous_send_scalar(cid, 7, sent, 0, 0, 0), XOUS_OK,
	          "one send_scalar fits in the room made");
	while (xous_try_send_scalar(cid, 7, 0, 0, 0, 0) == XOUS_OK && tried < 100000)
		tried++;
	CHECK(tried == 0, "and then the queue is full again (%d more fitted)", tried);
	while (xous_try_receive_message(&s, &env) == XOUS_OK && env.kind == XOUS_SCALAR)
		received++;
	CHECK(received == sent + 1, "the server gets every one (%d of %d)", received, sent + 1);
	xous_disconnect(cid);
	xous_destroy_server(&s);
}

int main(int argc, char **argv)
{
	const char *role = itest_role(argc, argv);
	xous_sid_t ctl;

	if (role && argc > 3 && strcmp(role, "sink") == 0)
		return sink_main(argv[2], argv[3]);
	if (role && argc > 2 && strcmp(role, "burst") == 0)
		return burst_main(argv[2]);
	if (role)
		return 2;
	REQUIRE(xous_create_server(&ctl) == XOUS_OK, "create a control server");
	death_is_news_to_slot_holders_first(&ctl);
	notify_then_exit_keeps_every_scalar();
	terminate_first_then_ahead_frames_still_arrive();
	queue_takes_its_depth_with_slots();
	return itest_done();
}

/*
 * rpc_channel.c - channels of <xous/rpc.h> (runtime/rpc_client.c,
 * runtime/rpc_serve.c): a region of a mapped size that a server keeps
 * serves that caller's next calls without a lend. What must hold:
 *   - the replies are right, through a channel and after one is lost;
 *   - a server's pointer into its channel, kept after the answer, reaches
 *     nothing of the caller's calls to another server (the caller lends a
 *     channel's region to no one else), and what it writes there reaches
 *     neither the caller's buffers nor its later calls;
 *   - another process cannot use a caller's channel (the server checks the
 *     pid the kernel stamped), whatever handle and stamp it tries;
 *   - a server that dies fails the call through its channel at once;
 *   - with --strict-lend a server gets a copy, so channels turn off.
 * Servers are roles (other processes) serving the benchmark service.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xous/rpc.h>
#include <xous/serve.h>

#include "benchmark.pb-c.h"
#include "itest.h"

#define SIZE      (1u << 20)
#define OP_OOL    1u /* NopWithOol */
#define OP_KIND   1000u
#define OP_COUNT  1001u
#define OP_SCRIBE 1002u
#define OP_QUIT   1003u

/* ---- the server role ---- */

static const uint8_t *stale; /* the last request's bytes, kept past the answer */
static size_t stale_len;
static uintptr_t last_kind;

/* The echo, and the request's bytes remembered. */
static void do_ool(BenchmarkPb__Benchmark_Service *svc, const BenchmarkPb__Payload *in,
                   BenchmarkPb__Payload_Closure closure, void *data)
{
	BenchmarkPb__Payload out = {.base = in->base, .data = in->data};

	(void)svc;
	stale = in->data.data;
	stale_len = in->data.len;
	closure(&out, data);
}

/* In a forked copy (a fault kills only it): count the bytes b at the stale
 * pointer, or (b > 255) write 0xee over them. 0 none, 1 some (or written),
 * 2 the access faulted. */
static uintptr_t touch_stale(uintptr_t b)
{
	int status;
	pid_t pid;

	if (stale == NULL)
		return 2;
	pid = fork();
	if (pid == 0) {
		size_t n = 0;
		itest_default_fault_signals();
		if (b > 255) {
			memset((void *)stale, 0xee, stale_len);
			_exit(1);
		}
		for (size_t i = 0; i < stale_len; i++)
			n += stale[i] == b;
		_exit(n > 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 3;
	return WIFEXITED(status) ? (uintptr_t)WEXITSTATUS(status) : 2;
}

static xous_answer_t role_dispatch(void *state, xous_envelope_t *env)
{
	if (env->kind == XOUS_SCALAR && env->scalar.id == OP_QUIT)
		exit(0);
	if (env->kind == XOUS_BLOCKING_SCALAR && env->scalar.id == OP_KIND)
		return xous_answer_scalar1(last_kind);
	if (env->kind == XOUS_BLOCKING_SCALAR && env->scalar.id == OP_COUNT)
		return xous_answer_scalar1(touch_stale(env->scalar.arg[0]));
	if (env->kind == XOUS_BLOCKING_SCALAR && env->scalar.id == OP_SCRIBE)
		return xous_answer_scalar1(touch_stale(256));
	last_kind = (uintptr_t)env->kind;
	return xous_rpc_serve(state, env);
}

static int server_main(const char *sid_hex)
{
	BenchmarkPb__Benchmark_Service svc;
	xous_sid_t s;

	if (itest_sid_parse(sid_hex, &s) || xous_create_server_with_address(&s))
		return 2;
	benchmark_pb__benchmark__init(&svc, NULL); /* Nop is not called */
	svc.nop_with_ool = do_ool;
	xous_serve(&s, role_dispatch, &svc.base);
	return 3;
}

/* Role "forger" SID: tries channel calls on a caller's channels with every
 * handle of the first generation and the first stamps; exits 0 if every
 * one was refused without running anything. */
static int forger_main(const char *sid_hex)
{
	xous_scalar_reply_t r;
	xous_cid_t cid;
	xous_sid_t s;
	int refused = 0, tried = 0;

	if (itest_sid_parse(sid_hex, &s) || xous_connect(&s, &cid) != XOUS_OK)
		return 2;
	for (uintptr_t h = 1; h <= 16; h++) {
		for (uintptr_t stamp = 0; stamp < 64; stamp++) {
			tried++;
			if (xous_blocking_scalar(cid, XOUS_RPC_CHANNEL_ID | OP_OOL, h, 64, stamp, 0,
			                         &r) == XOUS_OK &&
			    r.count == 2 && r.v[0] == XOUS_RPC_CHANNEL_LOST)
				refused++;
		}
	}
	return refused == tried ? 0 : 1;
}

/* ---- the caller ---- */

/* One NopWithOol of n bytes of b through cid; 1 if the reply is the same. */
static int ool_call(xous_cid_t cid, uint8_t b, size_t n)
{
	static uint8_t buf[SIZE];
	BenchmarkPb__Payload req = BENCHMARK_PB__PAYLOAD__INIT;
	ProtobufCMessage *reply = NULL;
	int ok;

	memset(buf, b, n);
	req.data.data = buf;
	req.data.len = n;
	if (xous_rpc_call_sized(cid, OP_OOL, &req.base, &benchmark_pb__payload__descriptor, &reply,
	                        n) != XOUS_OK)
		return 0;
	BenchmarkPb__Payload *r = (BenchmarkPb__Payload *)reply;
	ok = r->data.len == n;
	for (size_t i = 0; ok && i < n; i++)
		ok = r->data.data[i] == b;
	for (size_t i = 0; ok && i < n; i++)
		ok = buf[i] == b; /* the caller's own buffer */
	protobuf_c_message_free_unpacked(reply, NULL);
	return ok;
}

static uintptr_t ask(xous_cid_t cid, uint32_t op, uintptr_t arg)
{
	xous_scalar_reply_t r = {0};

	return xous_blocking_scalar(cid, op, arg, 0, 0, 0, &r) == XOUS_OK ? r.v[0] : 99;
}

/* A server role at a fresh sid, and a connection to it. */
static pid_t start(xous_sid_t *s, xous_cid_t *cid)
{
	char hex[33];
	pid_t pid;

	*s = itest_random_sid();
	itest_sid_str(s, hex);
	pid = itest_spawn("server", hex, NULL);
	REQUIRE(pid > 0 && xous_connect(s, cid) == XOUS_OK, "start a server and connect");
	return pid;
}

int main(int argc, char **argv)
{
	const char *role = itest_role(argc, argv);
	int strict = itest_strict_lend();
	xous_sid_t sa, sb;
	xous_cid_t a, b;

	if (role && argc > 2 && strcmp(role, "server") == 0)
		return server_main(argv[2]);
	if (role && argc > 2 && strcmp(role, "forger") == 0)
		return forger_main(argv[2]);
	if (role)
		return 2;
	pid_t pa = start(&sa, &a), pb = start(&sb, &b);

	CHECK(ool_call(a, 0xaa, SIZE), "1 MiB to server A comes back");
	CHECK(ool_call(a, 0xab, SIZE), "and again");
	if (strict)
		CHECK(ask(a, OP_KIND, 0) == XOUS_MUTABLE_BORROW,
		      "--strict-lend: the server's copy is no channel, the call was lent");
	else
		CHECK(ask(a, OP_KIND, 0) == XOUS_BLOCKING_SCALAR,
		      "the second call came through A's channel");
	CHECK(ool_call(b, 0xbb, SIZE), "1 MiB to server B comes back");
	CHECK(ool_call(b, 0xbc, SIZE), "and again");
	CHECK(ask(a, OP_COUNT, 0xbb) != 1 && ask(a, OP_COUNT, 0xbc) != 1,
	      "A's pointer kept past its answer shows nothing of the calls to B");
	uintptr_t w = ask(a, OP_SCRIBE, 0);
	itest_note("A writing through that pointer after its answer: %s",
	           w == 1 ? "lands in A's channel" : "faults (nothing kept)");
	CHECK(ool_call(b, 0xbd, SIZE), "B's next call is untouched by it");
	CHECK(ool_call(a, 0xac, SIZE), "so is A's next call");
	CHECK(ool_call(a, 0x11, 3 * 4096), "a call of a copied size to A comes back");

	char hex[33];
	itest_sid_str(&sa, hex);
	pid_t forger = itest_spawn("forger", hex, NULL);
	int fs = itest_wait(forger);
	CHECK(WIFEXITED(fs) && WEXITSTATUS(fs) == 0,
	      "another process's channel calls to A with every handle and stamp tried are "
	      "refused (%s)",
	      itest_status_str(fs));
	CHECK(ool_call(a, 0xad, SIZE), "and A still serves its caller");

	kill(pb, SIGKILL);
	itest_wait(pb);
	CHECK(!ool_call(b, 0xbe, SIZE), "a call to B after it died fails at once");
	xous_send_scalar(a, OP_QUIT, 0, 0, 0, 0);
	int st = itest_wait(pa);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "A ended (%s)", itest_status_str(st));
	return itest_done();
}

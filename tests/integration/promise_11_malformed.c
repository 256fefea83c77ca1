/*
 * Promise 11: malformed frames, unknown syscalls, bad ids, bad lengths get an
 * error reply, or, for a frame the broker cannot parse, that one process is
 * disconnected. The broker never crashes and never trusts identity carried in
 * a frame: the connection says who is speaking.
 *
 * This program attaches extra "processes" by hand on the attach socket and
 * speaks raw frames (include/xous/hostframe.h) on them, while its own library
 * connection keeps working throughout.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "itest.h"
#include "raw.h"

static uint64_t key[2];
static xous_sid_t sid; /* a server of ours, for the raw processes to use */
static xous_cid_t own_cid;

static int attach(uint32_t *pid)
{
	struct xh_frame r;
	int fd = raw_hello(key, &r);

	if (fd >= 0 && (r.type != XH_RESULT || r.w[0] != XOUS_RESULT_PROCESS_ID)) {
		close(fd);
		fd = -1;
	}
	if (pid)
		*pid = fd >= 0 ? (uint32_t)r.w[1] : 0;
	return fd;
}

/* The answer to w: its error code, 0 for a non-error tag, -1 if disconnected. */
static long answer(int fd, const uint64_t w[8], int pass_fd, struct xh_frame *r)
{
	int got = raw_syscall(fd, w, pass_fd, r);

	if (got <= 0)
		return -1;
	return r->w[0] == XOUS_RESULT_ERROR ? (long)r->w[1] : 0;
}

static void bad_syscalls(int fd, uint32_t pid)
{
	struct xh_frame r;

	uint64_t w99[8] = {99}, w0[8] = {0}, wbig[8] = {0xffffffffffull};
	CHECK(answer(fd, w99, -1, &r) == XOUS_ERR_INVALID_SYSCALL, "syscall 99: InvalidSyscall");
	CHECK(answer(fd, w0, -1, &r) == XOUS_ERR_INVALID_SYSCALL, "syscall 0: InvalidSyscall");
	CHECK(answer(fd, wbig, -1, &r) == XOUS_ERR_INVALID_SYSCALL,
	      "syscall 2^40-1: InvalidSyscall");
	uint64_t w9[8] = {XOUS_SYS_WAIT_EVENT}, w21[8] = {XOUS_SYS_CREATE_PROCESS};
	CHECK(answer(fd, w9, -1, &r) == XOUS_ERR_UNHANDLED_SYSCALL, "WaitEvent: UnhandledSyscall");
	CHECK(answer(fd, w21, -1, &r) == XOUS_ERR_ACCESS_DENIED,
	      "CreateProcess: AccessDenied (the task server's alone)");
	uint64_t w23[8] = {XOUS_SYS_SHUTDOWN};
	long e = answer(fd, w23, -1, &r);
	CHECK(e == XOUS_ERR_UNHANDLED_SYSCALL || e == XOUS_ERR_ACCESS_DENIED,
	      "Shutdown from a process is refused (%ld)", e);
	uint64_t wpid[8] = {XOUS_SYS_GET_PROCESS_ID, 1, 1, 1};
	CHECK(answer(fd, wpid, -1, &r) == 0 && r.w[0] == XOUS_RESULT_PROCESS_ID && r.w[1] == pid,
	      "after all that the connection still works and is still pid %u", pid);
	uint64_t wsend[8] = {XOUS_SYS_SEND_MESSAGE, 77, XOUS_KIND_SCALAR, 1};
	e = answer(fd, wsend, -1, &r);
	CHECK(e > 0, "SendMessage on cid 77, never given: error %ld", e);
	uint64_t wjoin[8] = {XOUS_SYS_JOIN_THREAD, 999};
	e = answer(fd, wjoin, -1, &r);
	CHECK(e > 0, "JoinThread of tid 999: error %ld", e);
	uint64_t wret[8] = {XOUS_SYS_RETURN_SCALAR1, 12345, 1};
	e = answer(fd, wret, -1, &r);
	CHECK(e > 0, "ReturnScalar1 on a made-up sender: error %ld", e);
}

/* A memfd of `pages` pages, sealed or not, holding "raw!". */
static int memfd(size_t pages, int seal)
{
	int fd = memfd_create("itest", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0 || ftruncate(fd, pages * XOUS_PAGE_SIZE) < 0 || pwrite(fd, "raw!", 4, 0) != 4)
		return -1;
	if (seal)
		fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	return fd;
}

/* The shape of a raw Move: memfd offset, length, offset and valid. */
struct move {
	uint64_t aux, len, offset, valid;
};
#define GOOD_MOVE ((struct move){0, XOUS_PAGE_SIZE, 0, 4})

static long move_with(int fd, uint64_t cid, int mfd, struct move m)
{
	uint64_t w[8] = {
	        XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MOVE, 7, 0x10000, m.len, m.offset, m.valid};
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_SYSCALL, .aux = m.aux, .flags = XH_F_FD};
	struct xh_frame r;

	memcpy(f.w, w, sizeof w);
	if (raw_send(fd, &f, sizeof f, mfd) < 0 || raw_recv(fd, &r) <= 0)
		return -1;
	return r.w[0] == XOUS_RESULT_ERROR ? (long)r.w[1] : 0;
}

/* Bad lengths that the library would never send: the broker checks them too. */
static void bad_lengths(int fd, uint64_t cid, int good)
{
	struct move m = GOOD_MOVE;

	m.len = 100;
	CHECK(move_with(fd, cid, good, m) == XOUS_ERR_BAD_ALIGNMENT, "raw Move of 100 bytes");
	m.len = 0;
	CHECK(move_with(fd, cid, good, m) == XOUS_ERR_BAD_ALIGNMENT, "raw Move of 0 bytes");
	m = GOOD_MOVE;
	m.offset = 2 * XOUS_PAGE_SIZE;
	CHECK(move_with(fd, cid, good, m) == XOUS_ERR_INVALID_ARGUMENT, "raw Move, offset > len");
	m = GOOD_MOVE;
	m.valid = XOUS_PAGE_SIZE + 1;
	CHECK(move_with(fd, cid, good, m) == XOUS_ERR_INVALID_ARGUMENT, "raw Move, valid > len");
	m = GOOD_MOVE;
	m.aux = (uint64_t)0 - XOUS_PAGE_SIZE;
	CHECK(move_with(fd, cid, good, m) > 0, "raw Move at memfd offset 2^64 - 4096: an error");
	m = GOOD_MOVE;
	m.len = (uint64_t)1 << 40;
	CHECK(move_with(fd, cid, good, m) > 0, "raw Move of 1 TiB from a 1-page memfd: an error");
}

static void bad_memory(int fd)
{
	struct xh_frame r;
	uint64_t wc[8] = {XOUS_SYS_CONNECT, sid.w[0], sid.w[1], sid.w[2], sid.w[3]};
	xous_envelope_t env;

	REQUIRE(answer(fd, wc, -1, &r) == 0 && r.w[0] == XOUS_RESULT_CONNECTION_ID,
	        "a raw process connects to our server");
	uint64_t cid = r.w[1];
	uint64_t wk[8] = {XOUS_SYS_SEND_MESSAGE, cid, 9, 1};
	CHECK(answer(fd, wk, -1, &r) > 0, "SendMessage of kind 9: an error");
	int unsealed = memfd(1, 0), small = memfd(1, 1), good = memfd(1, 1);
	int pipes[2];
	REQUIRE(unsealed >= 0 && small >= 0 && good >= 0 && pipe(pipes) == 0, "memfds and a pipe");
	struct move past = GOOD_MOVE, unaligned = GOOD_MOVE;
	past.aux = XOUS_PAGE_SIZE;
	unaligned.aux = 100;
	CHECK(move_with(fd, cid, unsealed, GOOD_MOVE) > 0, "Move of an unsealed memfd: an error");
	CHECK(move_with(fd, cid, small, past) > 0, "Move past the memfd's end: an error");
	CHECK(move_with(fd, cid, good, unaligned) > 0,
	      "Move at an unaligned memfd offset: an error");
	CHECK(move_with(fd, cid, pipes[0], GOOD_MOVE) > 0,
	      "Move of a pipe instead of a memfd: an error");
	bad_lengths(fd, cid, good);
	CHECK(move_with(fd, cid, good, GOOD_MOVE) == 0, "Move of a good sealed memfd: Ok");
	REQUIRE(xous_receive_message(&sid, &env) == XOUS_OK, "our server receives");
	CHECK(env.kind == XOUS_MOVE && env.memory.buf.len == XOUS_PAGE_SIZE &&
	              memcmp(env.memory.buf.addr, "raw!", 4) == 0,
	      "exactly the good Move, with its bytes");
	xous_envelope_done(&env);
	CHECK(xous_try_receive_message(&sid, &env) == XOUS_OK && env.kind == XOUS_NO_MESSAGE,
	      "and none of the bad ones");
	uint64_t wnofd[8] = {XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MOVE, 7, 0x10000, 4096, 0, 0};
	CHECK(answer(fd, wnofd, -1, &r) == -1, "Move without its fd: disconnected");
	close(unsealed);
	close(small);
	close(good);
	close(pipes[0]);
	close(pipes[1]);
}

/* Send raw bytes on a fresh process; 1 if the broker then hangs up. */
static int hangs_up_on(const void *buf, size_t len, int pass_fd)
{
	struct xh_frame r;
	int fd = attach(NULL), got;

	if (fd < 0)
		return 0;
	raw_send(fd, buf, len, pass_fd);
	got = raw_recv(fd, &r);
	close(fd);
	return got == 0;
}

static void unparseable(void)
{
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_SYSCALL};
	char big[120] = {0};

	f.w[0] = XOUS_SYS_GET_PROCESS_ID;
	CHECK(hangs_up_on(&f, 10, -1), "a 10-byte frame: disconnected");
	memcpy(big, &f, sizeof f);
	CHECK(hangs_up_on(big, sizeof big, -1), "a 120-byte frame: disconnected");
	f.magic = 0x12345678;
	CHECK(hangs_up_on(&f, sizeof f, -1), "a frame with a bad magic: disconnected");
	f.magic = XH_MAGIC;
	f.type = 77;
	CHECK(hangs_up_on(&f, sizeof f, -1), "a frame of unknown type 77: disconnected");
	f.type = XH_RESULT;
	CHECK(hangs_up_on(&f, sizeof f, -1), "a client sending a result frame: disconnected");
	f.type = XH_SYSCALL;
	f.flags = XH_F_FD;
	CHECK(hangs_up_on(&f, sizeof f, 0), "an fd with GetProcessId: disconnected");
}

static void second_hello(void)
{
	uint64_t w[8] = {key[0], key[1]};
	struct xh_frame r;
	int fd = attach(NULL);

	REQUIRE(fd >= 0, "attach");
	raw_frame(fd, XH_HELLO, 0, w, -1);
	int got = raw_recv(fd, &r);
	CHECK(got == 0 || (got == 1 && r.w[0] == XOUS_RESULT_ERROR),
	      "a second HELLO on a process: disconnected or refused");
	close(fd);
}

static void bad_hellos(void)
{
	uint64_t wrong[2] = {key[0] ^ 1, key[1]};
	struct xh_frame r;
	int fd = raw_hello(wrong, &r);

	CHECK(fd < 0 || r.w[0] != XOUS_RESULT_PROCESS_ID, "HELLO with a wrong key is refused");
	if (fd >= 0 && r.w[0] == XOUS_RESULT_ERROR)
		CHECK(r.w[1] == XOUS_ERR_ACCESS_DENIED, "with AccessDenied");
	if (fd >= 0)
		close(fd);
	fd = raw_connect();
	REQUIRE(fd >= 0, "connect to the attach socket");
	uint64_t w[8] = {XOUS_SYS_GET_PROCESS_ID};
	CHECK(raw_syscall(fd, w, -1, &r) == 0, "a syscall before HELLO: disconnected");
	close(fd);
}

static void *blocked_caller(void *arg)
{
	xous_scalar_reply_t rep = {0};
	xous_err_t err = xous_blocking_scalar(own_cid, 1, 0, 0, 0, 0, &rep);

	(void)arg;
	return (void *)(err ? (uintptr_t)-1 : rep.v[0]);
}

/* Words that name another process's message do not make us that process. */
static void no_impersonation(int fd)
{
	uint64_t wns[8] = {XOUS_SYS_CONNECT_FOR_PROCESS,
	                   xous_process_id(),
	                   sid.w[0],
	                   sid.w[1],
	                   sid.w[2],
	                   sid.w[3]};
	struct xh_frame r;
	xous_envelope_t env;
	xous_tid_t tid;
	void *res = NULL;

	CHECK(answer(fd, wns, -1, &r) == XOUS_ERR_ACCESS_DENIED,
	      "ConnectForProcess from a process that is not the name server: AccessDenied");
	REQUIRE(xous_create_thread(blocked_caller, NULL, &tid) == XOUS_OK, "a thread calls us");
	REQUIRE(xous_receive_message(&sid, &env) == XOUS_OK && env.kind == XOUS_BLOCKING_SCALAR,
	        "we hold its BlockingScalar");
	uint64_t wret[8] = {XOUS_SYS_RETURN_SCALAR1, env.sender, 666};
	CHECK(answer(fd, wret, -1, &r) == XOUS_ERR_ACCESS_DENIED,
	      "another process answering our message with our token: AccessDenied");
	CHECK_ERR(xous_return_scalar(env.sender, 7), XOUS_OK, "we answer it ourselves");
	xous_join_thread(tid, &res);
	CHECK(res == (void *)7, "the caller got our answer, not the forged one");
}

/*
 * Many random syscalls from attached processes: each gets an answer or ends
 * its process, and the broker lives on. Connect (17) is left out: to a
 * server that does not exist it waits, as it should. The seed is fixed, so a
 * failure replays.
 */
static void storm(void)
{
	static const uint64_t nums[] = {2,  3,  9,  12, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24, 25,
	                                26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 40, 41, 99};
	unsigned seed = 12345;
	int answered = 0, ended = 0, fd = -1;

	for (int i = 0; i < 3000; i++) {
		uint64_t w[8];
		struct xh_frame r;
		if (fd < 0 && (fd = attach(NULL)) < 0)
			break;
		for (int k = 0; k < 8; k++)
			w[k] = (uint64_t)rand_r(&seed) << 32 | (uint64_t)rand_r(&seed);
		w[0] = nums[w[0] % (sizeof nums / sizeof nums[0])];
		if (w[1] % 4 == 0)
			w[1] %= 8; /* small values too: cids, tids, kinds */
		if (raw_syscall(fd, w, -1, &r) == 1) {
			answered++;
		} else {
			ended++;
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	CHECK(answered + ended == 3000,
	      "3000 random syscalls: %d answered, %d ended their process (seed 12345)", answered,
	      ended);
}

int main(void)
{
	uint32_t pid;
	xous_envelope_t env;

	REQUIRE(raw_key(key) == 0, "read the broker's key ($XOUS_KEY or $XOUS_HOSTD.key)");
	REQUIRE(xous_create_server(&sid) == XOUS_OK && xous_connect(&sid, &own_cid) == XOUS_OK,
	        "create a server of our own");
	int fd = attach(&pid);
	REQUIRE(fd >= 0, "attach by hand with the key: pid %u", pid);
	CHECK(pid >= 2 && pid != xous_process_id(), "a new process, not us");
	bad_syscalls(fd, pid);
	no_impersonation(fd);
	bad_memory(fd);
	close(fd);
	unparseable();
	second_hello();
	bad_hellos();
	storm();
	CHECK_ERR(xous_send_scalar(own_cid, 3, 0, 0, 0, 0), XOUS_OK,
	          "after all that, our own connection still works");
	CHECK(xous_receive_message(&sid, &env) == XOUS_OK && env.scalar.id == 3, "round trip");
	fd = attach(&pid);
	CHECK(fd >= 0, "and a new process can still attach (pid %u)", pid);
	close(fd);
	return itest_done();
}

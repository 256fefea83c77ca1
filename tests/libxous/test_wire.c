/*
 * test_wire.c - the library's side of the wire format (include/xous/hostframe.h,
 * the register tables of docs/abi.md), checked against a scripted peer
 * in a thread of the test itself: it listens where $XOUS_HOSTD says, takes
 * the XH_HELLO, then answers each frame with what the test's script says.
 * The peer can send what no real broker would (bad magic, short frames,
 * stray fds) to show that the library answers an error and never crashes.
 * The real broker is exercised by libxous.broker_smoke and tests/integration.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <xous.h>

#include "hostframe_io.h"
#include "xous-host-internal.h"

#define PAGE XOUS_PAGE_SIZE

/* What the peer received, and what it answers. */
struct exchange {
	struct xh_frame req;
	int req_fd;                   /* kept open for the test to inspect */
	bool pages_mapped_at_request; /* for ReturnMemory: a2 still mapped? */
	struct xh_frame rep;          /* sent as is (magic/type included) */
	int rep_fd;                   /* sent with rep if >= 0 */
	int rep_fd2;                  /* a second fd, for stray-fd tests */
	size_t rep_len;               /* bytes of rep to send (80 normally) */
	bool hang_up;                 /* close the connection instead */
	const void *rep_bytes;        /* sent after rep (a copied lend's answer) */
	size_t rep_nbytes;
	unsigned char req_bytes[XH_INLINE_MAX]; /* what came after req */
	size_t req_nbytes;
};

#define MAX_EX 8 /* exchanges per test */
static struct exchange g_ex[MAX_EX];
static int g_nex;
static char g_path[108];
static uint64_t g_hello_key[2];
static pthread_t g_peer;

static struct xh_frame result(uint64_t tag)
{
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_RESULT};

	f.w[0] = tag;
	return f;
}

/* The next answer in the script. */
static struct exchange *script(struct xh_frame rep)
{
	struct exchange *e = &g_ex[g_nex++];

	e->rep = rep;
	e->rep_fd = -1;
	e->rep_fd2 = -1;
	e->req_fd = -1;
	e->rep_len = sizeof rep;
	return e;
}

/* One frame and the bytes after it (into bytes, *nbytes of them, if
 * bytes); its fd, -1, or -2 if no such packet came. */
static int recv_frame_bytes(int s, struct xh_frame *f, unsigned char *bytes, size_t *nbytes)
{
	struct xh_frame_fd in;
	size_t room = bytes ? XH_INLINE_MAX : 0;
	ssize_t n = xh_frame_recv(s, f, sizeof *f, bytes, room, 0, &in);

	if (n < (ssize_t)sizeof *f || (size_t)n > sizeof *f + room) {
		if (in.fd >= 0)
			close(in.fd);
		return -2;
	}
	if (nbytes != NULL)
		*nbytes = (size_t)n - sizeof *f;
	return in.fd;
}

static void send_reply(int s, const struct exchange *e)
{
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov[2] = {{(void *)&e->rep, e->rep_len},
	                       {(void *)e->rep_bytes, e->rep_nbytes}};
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = e->rep_nbytes ? 2 : 1};
	int fds[2] = {e->rep_fd, e->rep_fd2};
	int n = (e->rep_fd >= 0) + (e->rep_fd2 >= 0);

	if (n > 0) {
		memset(&u, 0, sizeof u);
		msg.msg_control = u.buf;
		msg.msg_controllen = CMSG_SPACE(n * sizeof(int));
		struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(n * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, n * sizeof(int));
	}
	sendmsg(s, &msg, MSG_NOSIGNAL);
}

static bool mapped(uintptr_t addr)
{
	unsigned char v;

	return addr != 0 && mincore((void *)(addr & ~(uintptr_t)(PAGE - 1)), PAGE, &v) == 0;
}

static void *peer_main(void *arg)
{
	int l = (int)(intptr_t)arg, s = accept(l, NULL, NULL);
	struct xh_frame f;

	if (s < 0 || recv_frame_bytes(s, &f, NULL, NULL) != -1 || f.type != XH_HELLO)
		return NULL;
	g_hello_key[0] = f.w[0];
	g_hello_key[1] = f.w[1];
	struct exchange hello = {.rep = result(XOUS_RESULT_PROCESS_ID),
	                         .rep_fd = -1,
	                         .rep_fd2 = -1,
	                         .rep_len = sizeof f};
	hello.rep.w[1] = 7;
	send_reply(s, &hello);
	for (int i = 0; i < g_nex; i++) {
		struct exchange *e = &g_ex[i];
		e->req_fd = recv_frame_bytes(s, &e->req, e->req_bytes, &e->req_nbytes);
		if (e->req_fd == -2)
			break;
		e->pages_mapped_at_request = mapped((uintptr_t)e->req.w[2]);
		if (e->hang_up)
			break;
		send_reply(s, e);
	}
	close(s);
	close(l);
	return NULL;
}

/* Listen at a fresh path, point the library at it, and start the peer with
 * the script built so far (build the script first). */
static void peer_start(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int l = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	snprintf(g_path, sizeof g_path, "/tmp/libxous-wire-%d.sock", (int)getpid());
	unlink(g_path);
	strcpy(sa.sun_path, g_path);
	ck_assert_int_ge(l, 0);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(l, 4), 0);
	setenv("XOUS_HOSTD", g_path, 1);
	setenv("XOUS_KEY", "0123456789abcdefFEDCBA9876543210", 1);
	ck_assert_int_eq(pthread_create(&g_peer, NULL, peer_main, (void *)(intptr_t)l), 0);
}

static void peer_join(void)
{
	pthread_join(g_peer, NULL);
	unlink(g_path);
}

static int open_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");

	while (d != NULL && readdir(d) != NULL)
		n++;
	if (d != NULL)
		closedir(d);
	return n;
}

/* A memfd of n pages holding byte v, as the broker would pass it. */
static int memfd_with(size_t n, unsigned char v)
{
	int fd = xh_memfd_new(n * PAGE);
	unsigned char *buf = malloc(n * PAGE);

	ck_assert_int_ge(fd, 0);
	memset(buf, v, n * PAGE);
	ck_assert_int_eq(pwrite(fd, buf, n * PAGE, 0), (ssize_t)(n * PAGE));
	free(buf);
	return fd;
}

static struct xh_frame envelope(uint32_t kind, xous_sender_t sender, uint64_t len)
{
	struct xh_frame f = result(XOUS_RESULT_MESSAGE_ENVELOPE);

	f.w[1] = sender;
	f.w[2] = kind;
	f.w[3] = 33; /* id */
	f.w[5] = len;
	f.w[6] = 1; /* offset */
	f.w[7] = 2; /* valid */
	return f;
}

START_TEST(hello_sends_the_key_and_the_calls_their_registers)
{
	static const xous_sid_t sid = {{0x11, 0x22, 0x33, 0x44}};
	xous_cid_t cid = 0;

	struct xh_frame r = result(XOUS_RESULT_CONNECTION_ID);
	r.w[1] = 5;
	script(r);
	script(result(XOUS_RESULT_OK));
	r = result(XOUS_RESULT_PROCESS_ID);
	r.w[1] = 7;
	script(r);
	peer_start();
	ck_assert_uint_eq(xous_connect(&sid, &cid), XOUS_OK);
	ck_assert_uint_eq(cid, 5);
	ck_assert_uint_eq(xous_send_scalar(5, 9, 1, 2, 3, 4), XOUS_OK);
	ck_assert_uint_eq(xous_process_id(), 7);
	ck_assert_uint_eq(xous_process_id(), 7); /* cached: no fourth frame */
	peer_join();
	ck_assert_uint_eq(g_hello_key[0], 0x0123456789abcdefull);
	ck_assert_uint_eq(g_hello_key[1], 0xfedcba9876543210ull);
	const uint64_t *w = g_ex[0].req.w;
	ck_assert_uint_eq(g_ex[0].req.magic, XH_MAGIC);
	ck_assert_uint_eq(g_ex[0].req.type, XH_SYSCALL);
	ck_assert_uint_eq(w[0], XOUS_SYS_CONNECT);
	ck_assert(w[1] == 0x11 && w[2] == 0x22 && w[3] == 0x33 && w[4] == 0x44);
	w = g_ex[1].req.w;
	ck_assert_uint_eq(w[0], XOUS_SYS_SEND_MESSAGE);
	ck_assert(w[1] == 5 && w[2] == XOUS_KIND_SCALAR && w[3] == 9);
	ck_assert(w[4] == 1 && w[5] == 2 && w[6] == 3 && w[7] == 4);
	ck_assert_uint_eq(g_ex[2].req.w[0], XOUS_SYS_GET_PROCESS_ID);
}
END_TEST

START_TEST(scalar_replies_and_errors_map_to_the_caller)
{
	xous_scalar_reply_t rep;
	struct xh_frame r = result(XOUS_RESULT_SCALAR2);

	r.w[1] = 10;
	r.w[2] = 20;
	script(r);
	r = result(XOUS_RESULT_SCALAR5);
	for (int i = 1; i <= 5; i++)
		r.w[i] = (uint64_t)i;
	script(r);
	r = result(XOUS_RESULT_ERROR);
	r.w[1] = XOUS_ERR_SERVER_NOT_FOUND;
	script(r);
	script(result(XOUS_RESULT_UNIMPLEMENTED));
	script(result(XOUS_RESULT_MEMORY_RANGE)); /* not an answer to this call */
	peer_start();
	ck_assert_uint_eq(xous_blocking_scalar(1, 2, 0, 0, 0, 0, &rep), XOUS_OK);
	ck_assert(rep.count == 2 && rep.v[0] == 10 && rep.v[1] == 20 && rep.v[2] == 0);
	ck_assert_uint_eq(xous_blocking_scalar(1, 2, 0, 0, 0, 0, &rep), XOUS_OK);
	ck_assert(rep.count == 5 && rep.v[4] == 5);
	ck_assert_uint_eq(xous_blocking_scalar(1, 2, 0, 0, 0, 0, &rep), XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(xous_disconnect(1), XOUS_ERR_UNHANDLED_SYSCALL);
	ck_assert_uint_eq(xous_blocking_scalar(1, 2, 0, 0, 0, 0, &rep), XOUS_ERR_INTERNAL_ERROR);
	peer_join();
	ck_assert_uint_eq(g_ex[0].req.w[2], XOUS_KIND_BLOCKING_SCALAR);
}
END_TEST

/* _i: 0 bad magic, 1 short frame, 2 wrong type, 3 hang up. */
START_TEST(malformed_replies_are_internal_errors)
{
	struct exchange *e = script(result(XOUS_RESULT_OK));

	if (_i == 0)
		e->rep.magic ^= 1;
	else if (_i == 1)
		e->rep_len = 40;
	else if (_i == 2)
		e->rep.type = XH_SYSCALL;
	else
		e->hang_up = true;
	peer_start();
	ck_assert_uint_eq(xous_disconnect(1), XOUS_ERR_INTERNAL_ERROR);
	peer_join();
	/* the connection is gone now: an error again, and no SIGPIPE */
	ck_assert_uint_eq(xous_disconnect(1), XOUS_ERR_INTERNAL_ERROR);
}
END_TEST

/* Stray fds are closed. Where an fd may come (a receive), a reply with two
 * breaks the wire's rule (at most one) and does not parse. */
START_TEST(stray_fds_in_replies_are_closed)
{
	script(result(XOUS_RESULT_OK));
	struct exchange *e = script(result(XOUS_RESULT_OK));

	e->rep_fd = memfd_with(1, 0);
	e->rep_fd2 = memfd_with(1, 0);
	e = script(envelope(XOUS_KIND_SCALAR, 9, 0));
	e->rep_fd = memfd_with(1, 0);
	e->rep_fd2 = memfd_with(1, 0);
	e = script(envelope(XOUS_KIND_SCALAR, 10, 0));
	e->rep_fd = memfd_with(1, 0);
	peer_start();
	xous_envelope_t env = {0};
	const xous_sid_t sid = {{1, 2, 3, 4}};
	ck_assert_uint_eq(xous_try_send_scalar(1, 1, 0, 0, 0, 0), XOUS_OK); /* connected now */
	int before = open_fds();
	ck_assert_uint_eq(xous_disconnect(1), XOUS_OK);
	ck_assert_uint_eq(xous_receive_message(&sid, &env), XOUS_ERR_INTERNAL_ERROR);
	ck_assert_uint_eq(env.kind, XOUS_NO_MESSAGE);
	ck_assert_uint_eq(xous_receive_message(&sid, &env), XOUS_OK);
	ck_assert_uint_eq(env.kind, XOUS_SCALAR);
	peer_join();
	ck_assert_int_eq(open_fds(), before - 2); /* less the peer's two sockets */
}
END_TEST

START_TEST(lend_passes_the_memfd_and_the_offset_and_takes_the_answer)
{
	setenv("XOUS_INLINE_MAX", "0", 1); /* no copied lends: the mapped path */
	xous_range_t m;
	size_t off = 0, valid = 0;
	struct xh_frame r = result(XOUS_RESULT_MEMORY_RETURNED);

	r.w[1] = 3;
	r.w[2] = 4;
	script(r);
	script(result(XOUS_RESULT_OK));
	peer_start();
	ck_assert_uint_eq(xous_map_memory(4 * PAGE, 0, &m), XOUS_OK);
	memset(m.addr, 0x44, m.len);
	xous_range_t mid = {(char *)m.addr + PAGE, 2 * PAGE};
	ck_assert_uint_eq(xous_lend_mut(6, 8, mid, 5, 6, &off, &valid), XOUS_OK);
	ck_assert(off == 3 && valid == 4);
	((char *)m.addr)[PAGE] = 1; /* ours again */
	xous_range_t last = {(char *)m.addr + 3 * PAGE, PAGE};
	ck_assert_uint_eq(xous_send_memory(6, 9, last, 0, PAGE), XOUS_OK);
	peer_join();
	const struct exchange *e = &g_ex[0];
	ck_assert_uint_eq(e->req.flags & XH_F_FD, XH_F_FD);
	ck_assert_uint_eq(e->req.aux, PAGE);
	ck_assert(e->req.w[1] == 6 && e->req.w[2] == XOUS_KIND_MUTABLE_BORROW && e->req.w[3] == 8);
	ck_assert(e->req.w[4] == (uintptr_t)mid.addr && e->req.w[5] == 2 * PAGE);
	ck_assert(e->req.w[6] == 5 && e->req.w[7] == 6);
	ck_assert_int_ge(e->req_fd, 0);
	int seals = fcntl(e->req_fd, F_GET_SEALS);
	ck_assert_int_eq(seals & (F_SEAL_SHRINK | F_SEAL_GROW), F_SEAL_SHRINK | F_SEAL_GROW);
	unsigned char b[2] = {0};
	ck_assert_int_eq(pread(e->req_fd, b, 2, (off_t)e->req.aux), 2);
	/* the very pages, not a copy: the caller's write after the lend shows */
	ck_assert(b[0] == 1 && b[1] == 0x44);
	e = &g_ex[1];
	ck_assert_uint_eq(e->req.w[2], XOUS_KIND_MOVE);
	ck_assert_uint_eq(e->req.aux, 3 * PAGE);
	ck_assert_uint_eq(xous_unmap_memory(last), XOUS_ERR_BAD_ADDRESS); /* moved away */
}
END_TEST

/* A small lend travels in the frame: no fd; the answer's bytes land in the
 * buffer for a MutableBorrow only, and only when all of them came. */
START_TEST(small_lend_is_copied_and_its_answer_copied_back)
{
	static unsigned char back[PAGE];
	xous_range_t m;
	size_t off = 0, valid = 0;
	struct xh_frame r = result(XOUS_RESULT_MEMORY_RETURNED);

	memset(back, 0x77, sizeof back);
	r.flags = XH_F_INLINE;
	r.w[1] = 3;
	r.w[2] = 4;
	struct exchange *e = script(r);
	e->rep_bytes = back;
	e->rep_nbytes = PAGE;
	e = script(r); /* a Borrow: the bytes that come back are not written */
	e->rep_bytes = back;
	e->rep_nbytes = PAGE;
	struct xh_frame err = result(XOUS_RESULT_ERROR);
	err.w[1] = XOUS_ERR_SERVER_NOT_FOUND;
	script(err);   /* an error without bytes: the buffer stays */
	e = script(r); /* too few bytes: not written either */
	e->rep_bytes = back;
	e->rep_nbytes = 100;
	peer_start();
	ck_assert_uint_eq(xous_map_memory(2 * PAGE, 0, &m), XOUS_OK);
	memset(m.addr, 0x44, m.len);
	xous_range_t first = {m.addr, PAGE};
	ck_assert_uint_eq(xous_lend_mut(6, 8, first, 5, 6, &off, &valid), XOUS_OK);
	ck_assert(off == 3 && valid == 4);
	ck_assert_uint_eq(((unsigned char *)m.addr)[PAGE - 1], 0x77);
	memset(m.addr, 0x44, PAGE);
	ck_assert_uint_eq(xous_lend(6, 8, first, 0, 0, NULL, NULL), XOUS_OK);
	ck_assert_uint_eq(xous_lend_mut(6, 8, first, 0, 0, NULL, NULL), XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(xous_lend_mut(6, 8, first, 0, 0, NULL, NULL), XOUS_OK);
	for (size_t i = 0; i < PAGE; i++)
		ck_assert_uint_eq(((unsigned char *)m.addr)[i], 0x44);
	peer_join();
	e = &g_ex[0];
	ck_assert_uint_eq(e->req.flags, XH_F_INLINE);
	ck_assert_int_eq(e->req_fd, -1);
	ck_assert(e->req.w[2] == XOUS_KIND_MUTABLE_BORROW && e->req.w[5] == PAGE);
	ck_assert(e->req.w[6] == 5 && e->req.w[7] == 6);
	ck_assert_uint_eq(e->req_nbytes, PAGE);
	ck_assert(e->req_bytes[0] == 0x44 && e->req_bytes[PAGE - 1] == 0x44);
	ck_assert_uint_eq(g_ex[1].req.w[2], XOUS_KIND_BORROW);
	ck_assert_uint_eq(g_ex[1].req.flags, XH_F_INLINE);
}
END_TEST

/* A pool of XH_POOL_SIZE bytes holding v at slot. */
static int pool_with(unsigned slot, unsigned char v)
{
	int fd = xh_memfd_new(XH_POOL_SIZE);
	unsigned char buf[PAGE];

	ck_assert_int_ge(fd, 0);
	memset(buf, v, sizeof buf);
	ck_assert_int_eq(pwrite(fd, buf, PAGE, (off_t)slot * XH_INLINE_MAX), PAGE);
	return fd;
}

/* The pool comes once with an fd; envelopes point into it (read-only for a
 * Borrow), and nothing is unmapped when they are answered. */
START_TEST(pooled_envelopes_point_into_the_pool)
{
	xous_envelope_t env = {0};
	struct exchange *e = script(envelope(XOUS_KIND_BORROW, 77, PAGE));
	int pool = pool_with(2, 0x5a);

	e->rep.flags = XH_F_POOL | XH_F_FD;
	e->rep.aux = 2 * XH_INLINE_MAX;
	e->rep_fd = dup(pool);
	e = script(envelope(XOUS_KIND_MUTABLE_BORROW, 78, PAGE));
	e->rep.flags = XH_F_POOL;
	e->rep.aux = 0;
	e = script(envelope(XOUS_KIND_MUTABLE_BORROW, 79, PAGE));
	e->rep.flags = XH_F_POOL; /* past the pool's end: refused back */
	e->rep.aux = XH_POOL_SIZE;
	script(result(XOUS_RESULT_OK));            /* the refusal's ReturnMemory */
	script(envelope(XOUS_KIND_SCALAR, 80, 0)); /* and the next receive goes on */
	script(result(XOUS_RESULT_OK));
	peer_start();
	ck_assert_uint_eq(xous_receive_message(&(xous_sid_t){{1, 2, 3, 4}}, &env), XOUS_OK);
	unsigned char *b = env.memory.buf.addr;
	ck_assert(b[0] == 0x5a && b[PAGE - 1] == 0x5a);
	ck_assert_uint_eq(xous_receive_message(&(xous_sid_t){{1, 2, 3, 4}}, &env), XOUS_OK);
	ck_assert_uint_eq(env.kind, XOUS_MUTABLE_BORROW);
	unsigned char *w = env.memory.buf.addr;
	memset(w, 0x61, PAGE);
	xous_envelope_t next = {0};
	ck_assert_uint_eq(xous_receive_message(&(xous_sid_t){{1, 2, 3, 4}}, &next), XOUS_OK);
	ck_assert(next.kind == XOUS_SCALAR &&
	          next.scalar.id == XOUS_GLOBAL_INVALID); /* 79 refused */
	ck_assert_uint_eq(next.scalar.arg[0], 33);
	ck_assert_uint_eq(xous_receive_message(&(xous_sid_t){{1, 2, 3, 4}}, &next), XOUS_OK);
	ck_assert(next.kind == XOUS_SCALAR && next.sender == 80);
	ck_assert_uint_eq(xous_envelope_done(&env), XOUS_OK);
	peer_join();
	ck_assert(mapped((uintptr_t)b) && mapped((uintptr_t)w));
	unsigned char got;
	ck_assert_int_eq(pread(pool, &got, 1, PAGE - 1), 1);
	ck_assert_uint_eq(got, 0x61); /* the server's writes are in the pool */
	ck_assert_uint_eq(g_ex[3].req.w[0], XOUS_SYS_RETURN_MEMORY);
	ck_assert_uint_eq(g_ex[3].req.w[1], 79);
	ck_assert_uint_eq(g_ex[3].req.w[6], XOUS_ERR_BAD_ADDRESS); /* the caller's error */
	ck_assert_uint_eq(g_ex[4].req.w[0], XOUS_SYS_RECEIVE_MESSAGE);
	ck_assert_uint_eq(g_ex[5].req.w[1], 78);
	close(pool);
}
END_TEST

START_TEST(a_server_writing_a_pooled_borrow_faults)
{
	xous_envelope_t env = {0};
	struct exchange *e = script(envelope(XOUS_KIND_BORROW, 77, PAGE));

	e->rep.flags = XH_F_POOL | XH_F_FD;
	e->rep_fd = pool_with(0, 0);
	peer_start();
	ck_assert_uint_eq(xous_receive_message(&(xous_sid_t){{1, 2, 3, 4}}, &env), XOUS_OK);
	((volatile char *)env.memory.buf.addr)[0] = 1; /* SIGSEGV expected */
}
END_TEST

START_TEST(received_borrow_is_mapped_read_only_and_unmapped_before_the_answer)
{
	xous_envelope_t env = {0};
	struct exchange *e = script(envelope(XOUS_KIND_BORROW, 77, 2 * PAGE));

	e->rep_fd = memfd_with(3, 0x5a);
	e->rep.aux = PAGE;
	script(result(XOUS_RESULT_OK));
	peer_start();
	ck_assert_uint_eq(xous_receive_message(&(xous_sid_t){{1, 2, 3, 4}}, &env), XOUS_OK);
	ck_assert_uint_eq(env.kind, XOUS_BORROW);
	ck_assert_uint_eq(env.sender, 77);
	ck_assert(env.memory.id == 33 && env.memory.offset == 1 && env.memory.valid == 2);
	ck_assert_uint_eq(env.memory.buf.len, 2 * PAGE);
	ck_assert_uint_eq(((unsigned char *)env.memory.buf.addr)[2 * PAGE - 1], 0x5a);
	uintptr_t addr = (uintptr_t)env.memory.buf.addr;
	env.memory.valid = 9;
	ck_assert_uint_eq(xous_envelope_done(&env), XOUS_OK);
	ck_assert_uint_eq(env.kind, XOUS_NO_MESSAGE);
	ck_assert_uint_eq(xous_envelope_done(&env), XOUS_OK); /* nothing more to do */
	peer_join();
	const uint64_t *w = g_ex[1].req.w;
	ck_assert_uint_eq(w[0], XOUS_SYS_RETURN_MEMORY);
	ck_assert(w[1] == 77 && w[2] == addr && w[3] == 2 * PAGE && w[4] == 1 && w[5] == 9);
	ck_assert(!g_ex[1].pages_mapped_at_request);
}
END_TEST

START_TEST(a_server_writing_a_borrow_faults)
{
	xous_envelope_t env = {0};
	struct exchange *e = script(envelope(XOUS_KIND_BORROW, 77, PAGE));

	e->rep_fd = memfd_with(1, 0);
	peer_start();
	ck_assert_uint_eq(xous_receive_message(&(xous_sid_t){{1, 2, 3, 4}}, &env), XOUS_OK);
	((volatile char *)env.memory.buf.addr)[0] = 1; /* SIGSEGV expected */
}
END_TEST

START_TEST(received_move_becomes_our_region)
{
	xous_envelope_t env = {0};
	struct exchange *e = script(envelope(XOUS_KIND_MOVE, 78, PAGE));

	e->rep_fd = memfd_with(1, 0x66);
	peer_start();
	ck_assert_uint_eq(xous_receive_message(&(xous_sid_t){{1, 2, 3, 4}}, &env), XOUS_OK);
	ck_assert_uint_eq(env.kind, XOUS_MOVE);
	unsigned char *p = env.memory.buf.addr;
	ck_assert_uint_eq(p[0], 0x66);
	p[0] = 1; /* writable: it is ours */
	ck_assert(xh_region_covers((uintptr_t)p, PAGE));
	peer_join();
	ck_assert_uint_eq(xous_envelope_done(&env), XOUS_OK); /* unmaps it */
	ck_assert(!mapped((uintptr_t)p));
}
END_TEST

START_TEST(unanswered_blocking_scalar_is_returned_as_dropped)
{
	xous_envelope_t env = {0};

	script(envelope(XOUS_KIND_BLOCKING_SCALAR, 79, 0));
	script(result(XOUS_RESULT_OK));
	script(envelope(XOUS_KIND_BLOCKING_SCALAR, 80, 0));
	script(result(XOUS_RESULT_OK));
	script(envelope(XOUS_KIND_SCALAR, 81, 0));
	peer_start();
	const xous_sid_t sid = {{1, 2, 3, 4}};
	ck_assert_uint_eq(xous_receive_message(&sid, &env), XOUS_OK);
	ck_assert_uint_eq(xous_envelope_done(&env), XOUS_OK);
	ck_assert_uint_eq(xous_receive_message(&sid, &env), XOUS_OK);
	ck_assert_uint_eq(xous_return_scalar(env.sender, 5), XOUS_OK);
	ck_assert_uint_eq(xous_reply_and_receive_next(&sid, &env), XOUS_OK);
	ck_assert_uint_eq(env.kind, XOUS_SCALAR);
	peer_join();
	const uint64_t *w = g_ex[1].req.w;
	ck_assert(w[0] == XOUS_SYS_RETURN_MEMORY && w[1] == 79 && w[2] == 0 && w[3] == 0);
	w = g_ex[3].req.w;
	ck_assert(w[0] == XOUS_SYS_RETURN_SCALAR1 && w[1] == 80 && w[2] == 5);
	w = g_ex[4].req.w; /* already answered: nothing to answer with the receive */
	ck_assert(w[0] == XOUS_SYS_REPLY_AND_RECEIVE_NEXT && w[1] == 1 && w[4] == 4 && w[5] == 0);
}
END_TEST

START_TEST(reply_and_receive_next_answers_a_borrow_in_the_same_frame)
{
	xous_envelope_t env = {0};
	struct exchange *e = script(envelope(XOUS_KIND_MUTABLE_BORROW, 90, PAGE));

	e->rep_fd = memfd_with(1, 0);
	script(result(XOUS_RESULT_NONE));
	peer_start();
	const xous_sid_t sid = {{1, 2, 3, 4}};
	ck_assert_uint_eq(xous_try_receive_message(&sid, &env), XOUS_OK);
	ck_assert_uint_eq(env.kind, XOUS_MUTABLE_BORROW);
	memset(env.memory.buf.addr, 0x77, PAGE);
	uintptr_t addr = (uintptr_t)env.memory.buf.addr;
	env.memory.offset = 10;
	env.memory.valid = 20;
	ck_assert_uint_eq(xous_reply_and_receive_next(&sid, &env), XOUS_OK);
	ck_assert_uint_eq(env.kind, XOUS_NO_MESSAGE);
	ck_assert(!mapped(addr));
	peer_join();
	const uint64_t *w = g_ex[1].req.w;
	ck_assert(w[0] == XOUS_SYS_REPLY_AND_RECEIVE_NEXT && w[5] == 90 && w[6] == 10 &&
	          w[7] == 20);
	unsigned char b = 0;
	ck_assert_int_eq(pread(g_ex[0].rep_fd, &b, 1, 0), 1);
	ck_assert_uint_eq(b, 0x77); /* the caller's pages got the writes */
}
END_TEST

/* The kernel gives a slot to a new message only once the one in it is
 * over (here: as if its server was destroyed): the old one's pages go, and
 * finishing it sends nothing. */
START_TEST(a_slot_given_to_a_new_message_ends_the_one_held_in_it)
{
	const xous_sender_t pid = (xous_sender_t)3 << XOUS_SENDER_PID_SHIFT;
	const xous_sender_t old = 5 | (xous_sender_t)1 << XOUS_SENDER_SLOT_BITS | pid;
	const xous_sender_t young = 5 | (xous_sender_t)2 << XOUS_SENDER_SLOT_BITS | pid;
	const xous_sid_t sid = {{1, 2, 3, 4}};
	xous_envelope_t e1 = {0}, e2 = {0};

	script(envelope(XOUS_KIND_BORROW, old, 2 * PAGE))->rep_fd = memfd_with(2, 1);
	script(envelope(XOUS_KIND_MUTABLE_BORROW, young, 2 * PAGE))->rep_fd = memfd_with(2, 2);
	script(result(XOUS_RESULT_OK));
	peer_start();
	ck_assert_uint_eq(xous_receive_message(&sid, &e1), XOUS_OK);
	ck_assert(mapped((uintptr_t)e1.memory.buf.addr));
	ck_assert_uint_eq(xous_receive_message(&sid, &e2), XOUS_OK);
	ck_assert(!mapped((uintptr_t)e1.memory.buf.addr));
	ck_assert_uint_eq(xous_envelope_done(&e1), XOUS_OK); /* no longer held: nothing sent */
	ck_assert_uint_eq(xous_envelope_done(&e2), XOUS_OK);
	peer_join();
	const uint64_t *w = g_ex[2].req.w;
	ck_assert(w[0] == XOUS_SYS_RETURN_MEMORY && w[1] == young);
	ck_assert_uint_eq(w[2], (uintptr_t)e2.memory.buf.addr);
}
END_TEST

START_TEST(memory_envelope_without_pages_is_refused_with_bad_address)
{
	xous_envelope_t env = {0};
	const xous_sender_t sender = 91 | (uint64_t)7 << XOUS_SENDER_PID_SHIFT;

	script(envelope(XOUS_KIND_MUTABLE_BORROW, sender, PAGE)); /* no fd */
	script(result(XOUS_RESULT_OK));
	script(result(XOUS_RESULT_NONE));
	peer_start();
	/* the server sees GLOBAL_INVALID with its opcode and caller's pid instead */
	ck_assert_uint_eq(xous_try_receive_message(&(xous_sid_t){{1, 2, 3, 4}}, &env), XOUS_OK);
	ck_assert_uint_eq(env.kind, XOUS_SCALAR);
	ck_assert_uint_eq(env.scalar.id, XOUS_GLOBAL_INVALID);
	ck_assert_uint_eq(env.scalar.arg[0], 33);
	ck_assert_uint_eq(env.scalar.arg[1], 7);
	ck_assert_uint_eq(xous_envelope_done(&env), XOUS_OK); /* it needs no answer */
	ck_assert_uint_eq(xous_try_receive_message(&(xous_sid_t){{1, 2, 3, 4}}, &env), XOUS_OK);
	ck_assert_uint_eq(env.kind, XOUS_NO_MESSAGE);
	peer_join();
	const uint64_t *w = g_ex[1].req.w;
	ck_assert(w[0] == XOUS_SYS_RETURN_MEMORY && w[1] == sender && w[6] == XOUS_ERR_BAD_ADDRESS);
	ck_assert_uint_eq(g_ex[2].req.w[0], XOUS_SYS_TRY_RECEIVE_MESSAGE);
}
END_TEST

static void *thread_entry(void *arg)
{
	return (void *)((uintptr_t)arg * 2);
}

START_TEST(create_thread_hands_over_a_connection_and_join_gets_the_value)
{
	void *res = NULL;
	xous_tid_t tid = 0;
	struct xh_frame r = result(XOUS_RESULT_THREAD_ID);

	r.w[1] = 4;
	script(r);
	r = result(XOUS_RESULT_SCALAR1);
	script(r);
	peer_start();
	ck_assert_uint_eq(xous_create_thread(thread_entry, (void *)21, &tid), XOUS_OK);
	ck_assert_uint_eq(tid, 4);
	ck_assert_uint_eq(xous_join_thread(4, &res), XOUS_OK);
	ck_assert_ptr_eq(res, (void *)42);
	peer_join();
	ck_assert_uint_eq(g_ex[0].req.w[0], XOUS_SYS_CREATE_THREAD);
	ck_assert_int_ge(g_ex[0].req_fd, 0);
	/* the thread has ended: its end of the connection is closed */
	char c;
	ck_assert_int_eq(recv(g_ex[0].req_fd, &c, 1, MSG_DONTWAIT), 0);
	ck_assert(g_ex[1].req.w[0] == XOUS_SYS_JOIN_THREAD && g_ex[1].req.w[1] == 4);
}
END_TEST

TCase *wire_tcase(void);
TCase *wire_tcase(void)
{
	TCase *tc = tcase_create("wire");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, hello_sends_the_key_and_the_calls_their_registers);
	tcase_add_test(tc, scalar_replies_and_errors_map_to_the_caller);
	tcase_add_loop_test(tc, malformed_replies_are_internal_errors, 0, 4);
	tcase_add_test(tc, stray_fds_in_replies_are_closed);
	tcase_add_test(tc, lend_passes_the_memfd_and_the_offset_and_takes_the_answer);
	tcase_add_test(tc, small_lend_is_copied_and_its_answer_copied_back);
	tcase_add_test(tc, pooled_envelopes_point_into_the_pool);
	tcase_add_test_raise_signal(tc, a_server_writing_a_pooled_borrow_faults, SIGSEGV);
	tcase_add_test(tc, received_borrow_is_mapped_read_only_and_unmapped_before_the_answer);
	tcase_add_test_raise_signal(tc, a_server_writing_a_borrow_faults, SIGSEGV);
	tcase_add_test(tc, received_move_becomes_our_region);
	tcase_add_test(tc, unanswered_blocking_scalar_is_returned_as_dropped);
	tcase_add_test(tc, reply_and_receive_next_answers_a_borrow_in_the_same_frame);
	tcase_add_test(tc, memory_envelope_without_pages_is_refused_with_bad_address);
	tcase_add_test(tc, a_slot_given_to_a_new_message_ends_the_one_held_in_it);
	tcase_add_test(tc, create_thread_hands_over_a_connection_and_join_gets_the_value);
	return tc;
}

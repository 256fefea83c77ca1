/*
 * isolation.c - what a hostile lender or server can do with lent memory,
 * through the real broker, in both lending modes (ctest runs it as
 * `isolation` and, under xous-hostd --strict-lend, `isolation.strict`):
 *   - a memfd that can still take seals (F_SEAL_FUTURE_WRITE added just
 *     after a MutableBorrow is sent) or that lives on hugetlbfs (its pages
 *     cannot be mapped) is refused with BadAddress, and the server serves on;
 *   - a message the server cannot map is refused with BadAddress to its
 *     sender; the server never gets an error for it, its receive takes the
 *     next message (a server here exits on a receive error, as fleet
 *     servers do);
 *   - a memfd handed to a server is mode 0400: a server that is not root
 *     cannot reopen a Borrow writable through /proc/self/fd;
 *   - a server that aliases a lend (mremap with old size 0) keeps the alias
 *     after answering: with --strict-lend the alias reaches nothing of the
 *     caller's; in the default mode it still does, as docs/security.md says
 *     (noted, not checked).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"
#include "raw.h"

#define MIB (1024u * 1024)

enum {
	OP_LEND = 1,
	OP_COUNT,
	OP_WARM,
	OP_ALIAS_MUT,
	OP_ALIAS_RO,
	OP_WRITE_NOW,
	OP_READ_NOW,
	OP_QUIT
};

/* ---- a server in this process, and a raw process that lends to it ---- */

static xous_sid_t served_sid;
static int served_lends;

static void *served(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&served_sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_SCALAR && env.scalar.id == OP_QUIT)
			break;
		served_lends += env.kind == XOUS_BORROW || env.kind == XOUS_MUTABLE_BORROW;
		xous_envelope_done(&env);
	}
	return NULL;
}

/* A memfd of len bytes sealed against shrinking and growing only (flags:
 * more memfd_create flags); -1 if the kernel cannot make one. */
static int sealable_memfd(unsigned flags, size_t len)
{
	int fd = memfd_create("attack", MFD_CLOEXEC | MFD_ALLOW_SEALING | flags);

	if (fd >= 0 && (ftruncate(fd, (off_t)len) < 0 ||
	                fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) < 0)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Lend memfd fd (len bytes) of kind from raw connection s to cid: the answer. */
static struct xh_frame raw_lend(int s, uint64_t cid, uint64_t kind, int fd, size_t len)
{
	uint64_t w[8] = {XOUS_SYS_SEND_MESSAGE, cid, kind, OP_LEND, 0x10000000, len, 0, 0};
	struct xh_frame r = {0};

	REQUIRE(raw_syscall(s, w, fd, &r) == 1, "the broker answers the lend");
	return r;
}

static int raw_attach(uint64_t *cid, const xous_sid_t *sid)
{
	uint64_t key[2];
	struct xh_frame r = {0};
	int s;

	REQUIRE(raw_key(key) == 0, "the broker's key");
	s = raw_hello(key, &r);
	REQUIRE(s >= 0 && r.w[0] == XOUS_RESULT_PROCESS_ID, "a raw process attaches");
	uint64_t w[8] = {XOUS_SYS_CONNECT, sid->w[0], sid->w[1], sid->w[2], sid->w[3]};
	REQUIRE(raw_syscall(s, w, -1, &r) == 1 && r.w[0] == XOUS_RESULT_CONNECTION_ID,
	        "it connects to the server");
	*cid = r.w[1];
	return s;
}

static void unsealable_memfds_are_refused(void)
{
	xous_tid_t tid;
	xous_cid_t cid;
	xous_range_t buf;
	uint64_t rcid;

	REQUIRE(xous_create_server(&served_sid) == XOUS_OK &&
	                xous_connect(&served_sid, &cid) == XOUS_OK,
	        "create a server");
	REQUIRE(xous_create_thread(served, NULL, &tid) == XOUS_OK, "serve it");
	int s = raw_attach(&rcid, &served_sid);
	int fd = sealable_memfd(0, 64 * 1024);
	REQUIRE(fd >= 0, "a memfd sealed against shrinking and growing only");
	struct xh_frame r = raw_lend(s, rcid, XOUS_KIND_MUTABLE_BORROW, fd, 64 * 1024);
	CHECK(r.w[0] == XOUS_RESULT_ERROR && r.w[1] == XOUS_ERR_BAD_ADDRESS,
	      "a MutableBorrow of a memfd that can still take F_SEAL_FUTURE_WRITE: BadAddress "
	      "(tag %llu, %llu)",
	      (unsigned long long)r.w[0], (unsigned long long)r.w[1]);
	close(fd);
	fd = sealable_memfd(MFD_HUGETLB, 2 * MIB);
	if (fd >= 0 && fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL) == 0) {
		r = raw_lend(s, rcid, XOUS_KIND_BORROW, fd, 2 * MIB);
		CHECK(r.w[0] == XOUS_RESULT_ERROR && r.w[1] == XOUS_ERR_BAD_ADDRESS,
		      "a Borrow of a sealed hugetlbfs memfd: BadAddress (tag %llu, %llu)",
		      (unsigned long long)r.w[0], (unsigned long long)r.w[1]);
	} else {
		itest_note("no hugetlbfs memfd on this kernel: that case is not run");
	}
	if (fd >= 0)
		close(fd);
	close(s);
	REQUIRE(xous_map_memory(MIB, 0, &buf) == XOUS_OK, "map 1 MiB");
	CHECK_ERR(xous_lend(cid, OP_LEND, buf, 0, 0, NULL, NULL), XOUS_OK,
	          "afterwards the server still serves a lend");
	CHECK(served_lends == 1, "and it saw only that one (%d)", served_lends);
	xous_send_scalar(cid, OP_QUIT, 0, 0, 0, 0);
	xous_join_thread(tid, NULL);
	xous_unmap_memory(buf);
	xous_disconnect(cid);
	xous_destroy_server(&served_sid);
}

/* ---- a server that cannot map what it is sent ---- */

/* A role's server, at the sid its command line names; 0 or -1. */
static int role_server(const char *sid_hex, xous_sid_t *s)
{
	return itest_sid_parse(sid_hex, s) || xous_create_server_with_address(s) ? -1 : 0;
}

/* A role's server is told to quit, must exit 0, and its cid goes. */
static void quit_role(xous_cid_t cid, pid_t pid, const char *what)
{
	xous_send_scalar(cid, OP_QUIT, 0, 0, 0, 0);
	int status = itest_wait(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s (%s)", what,
	      itest_status_str(status));
	xous_disconnect(cid);
}

/* Role "tight" SID: a server whose address space is full once warm; it
 * exits 3 on any receive error. */
static int tight_main(const char *sid_hex)
{
	xous_envelope_t env;
	unsigned long pages = 0;
	int mem = 0;
	xous_sid_t s;

	if (role_server(sid_hex, &s) < 0)
		return 2;
	for (;;) {
		if (xous_receive_message(&s, &env) != XOUS_OK)
			_exit(3);
		if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == OP_WARM) {
			FILE *f = fopen("/proc/self/statm", "r");
			if (!f || fscanf(f, "%lu", &pages) != 1)
				_exit(2);
			fclose(f);
			/* room for 64 KiB more, not for a 1 MiB lend */
			struct rlimit rl = {pages * 4096 + 64 * 1024, RLIM_INFINITY};
			xous_return_scalar(env.sender, setrlimit(RLIMIT_AS, &rl) == 0);
			continue;
		}
		if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == OP_COUNT) {
			xous_return_scalar(env.sender, (uintptr_t)mem);
			continue;
		}
		if (env.kind == XOUS_SCALAR && env.scalar.id == OP_QUIT)
			_exit(0); /* no leak check: it needs memory */
		mem += env.kind == XOUS_BORROW || env.kind == XOUS_MUTABLE_BORROW;
		xous_envelope_done(&env);
	}
}

static void unmappable_message_is_refused(void)
{
	xous_sid_t s = itest_random_sid();
	xous_scalar_reply_t rep = {0};
	xous_range_t buf;
	xous_cid_t cid;
	char hex[33];

	itest_sid_str(&s, hex);
	pid_t pid = itest_spawn("tight", hex, NULL);
	REQUIRE(pid > 0 && xous_connect(&s, &cid) == XOUS_OK, "start a server and connect");
	REQUIRE(xous_blocking_scalar(cid, OP_WARM, 0, 0, 0, 0, &rep) == XOUS_OK && rep.v[0] == 1,
	        "its address space is full");
	REQUIRE(xous_map_memory(MIB, 0, &buf) == XOUS_OK, "map 1 MiB");
	itest_fill(buf.addr, buf.len, 7);
	CHECK_ERR(xous_lend_mut(cid, OP_LEND, buf, 0, 0, NULL, NULL), XOUS_ERR_BAD_ADDRESS,
	          "a MutableBorrow the server cannot map is answered BadAddress");
	CHECK(itest_verify(buf.addr, buf.len, 7), "with the caller's bytes intact");
	CHECK_ERR(xous_blocking_scalar(cid, OP_COUNT, 0, 0, 0, 0, &rep), XOUS_OK,
	          "the server goes on: it answers the next message");
	CHECK(rep.v[0] == 0, "and never saw the lend (%lu)", (unsigned long)rep.v[0]);
	quit_role(cid, pid, "it never got a receive error");
	xous_unmap_memory(buf);
}

/* ---- a Borrow's memfd cannot be reopened writable ---- */

static xous_cid_t lend_cid;
static xous_range_t lend_buf;

static void *lender(void *arg)
{
	size_t off = 0, valid = 0;

	*(xous_err_t *)arg = xous_lend(lend_cid, OP_LEND, lend_buf, 0, 0, &off, &valid);
	return NULL;
}

/* In a child that is not root: can it open path read-write? */
static int reopen_writable_as_nobody(const char *path)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (geteuid() == 0 && (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		                       setresuid(65534, 65534, 65534)))
			_exit(2);
		prctl(PR_SET_DUMPABLE, 1); /* /proc/self stays ours after setuid */
		int fd = open(path, O_RDWR);
		_exit(fd >= 0 ? 1 : errno == EACCES ? 0 : 3);
	}
	int status = itest_wait(pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 4;
}

static void borrow_cannot_be_reopened_writable(void)
{
	uint64_t key[2];
	struct xh_frame r = {0};
	struct stat st;
	xous_err_t lent = 99;
	xous_tid_t tid;
	xous_sid_t sid;
	char path[64];
	int rfd = -1;

	REQUIRE(raw_key(key) == 0, "the broker's key");
	int s = raw_hello(key, &r);
	REQUIRE(s >= 0 && r.w[0] == XOUS_RESULT_PROCESS_ID, "a raw server process attaches");
	uint64_t w[8] = {XOUS_SYS_CREATE_SERVER};
	REQUIRE(raw_syscall(s, w, -1, &r) == 1 && r.w[0] == XOUS_RESULT_NEW_SERVER_ID,
	        "it creates a server");
	for (int i = 0; i < 4; i++)
		sid.w[i] = (uint32_t)r.w[1 + i];
	REQUIRE(xous_connect(&sid, &lend_cid) == XOUS_OK, "connect to it");
	REQUIRE(xous_map_memory(MIB, 0, &lend_buf) == XOUS_OK, "map 1 MiB");
	REQUIRE(xous_create_thread(lender, &lent, &tid) == XOUS_OK, "lend it (a Borrow)");
	uint64_t rw[8] = {XOUS_SYS_RECEIVE_MESSAGE, sid.w[0], sid.w[1], sid.w[2], sid.w[3]};
	REQUIRE(raw_frame(s, XH_SYSCALL, 0, rw, -1) == 0 && raw_recv_fd(s, &r, &rfd) == 1 &&
	                r.w[0] == XOUS_RESULT_MESSAGE_ENVELOPE && rfd >= 0,
	        "the server receives the Borrow with its fd");
	REQUIRE(fstat(rfd, &st) == 0, "fstat it");
	CHECK((st.st_mode & 0777) == 0400, "the memfd a server gets is mode 0400 (%o)",
	      (unsigned)(st.st_mode & 0777));
	CHECK((fcntl(rfd, F_GETFL) & O_ACCMODE) == O_RDONLY ||
	              (fcntl(rfd, F_GET_SEALS) & F_SEAL_WRITE),
	      "through a read-only fd, or sealed against writing (a copy)");
	snprintf(path, sizeof path, "/proc/self/fd/%d", rfd);
	int reopen = reopen_writable_as_nobody(path);
	CHECK(reopen == 0, "a server that is not root cannot reopen it read-write (%d)", reopen);
	close(rfd);
	uint64_t ret[8] = {XOUS_SYS_RETURN_MEMORY, r.w[1], 0, MIB, 0, 0};
	REQUIRE(raw_syscall(s, ret, -1, &r) == 1 && r.w[0] == XOUS_RESULT_OK, "it answers");
	xous_join_thread(tid, NULL);
	CHECK_ERR(lent, XOUS_OK, "the Borrow came back");
	close(s);
	xous_disconnect(lend_cid);
	xous_unmap_memory(lend_buf);
}

/* ---- a server that keeps an alias of a lend ---- */

/* Role "aliaser" SID: keeps an mremap alias of the lends it answers. */
static int aliaser_main(const char *sid_hex)
{
	volatile unsigned char *mut = NULL;
	volatile const uint64_t *ro = NULL;
	xous_envelope_t env;
	xous_sid_t s;

	if (role_server(sid_hex, &s) < 0)
		return 2;
	while (xous_receive_message(&s, &env) == XOUS_OK) {
		void *a = NULL;

		if (env.kind == XOUS_MUTABLE_BORROW || env.kind == XOUS_BORROW)
			a = mremap(env.memory.buf.addr, 0, env.memory.buf.len, MREMAP_MAYMOVE);
		if (a == MAP_FAILED)
			return 4;
		if (env.kind == XOUS_MUTABLE_BORROW)
			mut = a;
		else if (env.kind == XOUS_BORROW)
			ro = a;
		else if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == OP_WRITE_NOW && mut) {
			memset((void *)mut, 0xee, XOUS_PAGE_SIZE);
			xous_return_scalar(env.sender, 1);
		} else if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == OP_READ_NOW && ro) {
			xous_return_scalar(env.sender, (uintptr_t)ro[0]);
		} else if (env.kind == XOUS_SCALAR && env.scalar.id == OP_QUIT) {
			return 0;
		}
		xous_envelope_done(&env);
	}
	return 3;
}

static void aliases_after_the_answer(void)
{
	xous_sid_t s = itest_random_sid();
	xous_scalar_reply_t rep = {0};
	xous_range_t a, b;
	xous_cid_t cid;
	char hex[33];
	int strict = itest_strict_lend();

	itest_sid_str(&s, hex);
	pid_t pid = itest_spawn("aliaser", hex, NULL);
	REQUIRE(pid > 0 && xous_connect(&s, &cid) == XOUS_OK, "start a server and connect");
	REQUIRE(xous_map_memory(MIB, 0, &a) == XOUS_OK && xous_map_memory(MIB, 0, &b) == XOUS_OK,
	        "map 2 x 1 MiB");
	memset(a.addr, 0x11, a.len);
	CHECK_ERR(xous_lend_mut(cid, OP_ALIAS_MUT, a, 0, 0, NULL, NULL), XOUS_OK,
	          "a MutableBorrow the server aliases");
	REQUIRE(xous_blocking_scalar(cid, OP_WRITE_NOW, 0, 0, 0, 0, &rep) == XOUS_OK,
	        "the server writes through its alias after answering");
	int wrote = ((unsigned char *)a.addr)[0] == 0xee;
	*(uint64_t *)b.addr = 0x1111;
	CHECK_ERR(xous_lend(cid, OP_ALIAS_RO, b, 0, 0, NULL, NULL), XOUS_OK,
	          "a Borrow the server aliases");
	*(uint64_t *)b.addr = 0x2222; /* the caller's own again */
	REQUIRE(xous_blocking_scalar(cid, OP_READ_NOW, 0, 0, 0, 0, &rep) == XOUS_OK,
	        "the server reads through its alias after answering");
	int read = rep.v[0] == 0x2222;
	if (strict) {
		CHECK(!wrote, "--strict-lend: its writes after the answer do not reach the caller");
		CHECK(!read, "--strict-lend: it does not see what the caller writes afterwards");
	} else {
		itest_note("default mode: an alias kept after the answer %s the caller's pages and "
		           "%s (docs/security.md: Linux cannot revoke a mapping)",
		           wrote ? "writes" : "does not write",
		           read ? "reads them" : "does not read");
	}
	quit_role(cid, pid, "the aliasing server ended");
	xous_unmap_memory(a);
	xous_unmap_memory(b);
}

int main(int argc, char **argv)
{
	const char *role = itest_role(argc, argv);

	if (role && argc > 2 && strcmp(role, "tight") == 0)
		return tight_main(argv[2]);
	if (role && argc > 2 && strcmp(role, "aliaser") == 0)
		return aliaser_main(argv[2]);
	if (role)
		return 2;
	unsealable_memfds_are_refused();
	unmappable_message_is_refused();
	borrow_cannot_be_reopened_writable();
	aliases_after_the_answer();
	return itest_done();
}

/*
 * test_hostd.c - the broker's own behaviour, driven from outside.
 *
 * Each test starts a real xous-hostd on a private socket, with PROGRAM a
 * helper that says "ready" and lives until its stdin closes; the test then
 * attaches processes through the attach socket and speaks raw frames, so it
 * can misbehave in ways no library would. The broker's exit status is
 * checked at the end of every test: it must never crash.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hostframe_io.h"
#include "rawxh.h"

#define SRV_NAME "hostd-test-srv01"

struct broker {
	pid_t pid;
	int in;    /* PROGRAM's stdin */
	FILE *out; /* PROGRAM's (and the fleet's) stdout */
	char dir[64], sock[96], err[96];
	rlim_t nofile; /* if not 0: the broker's fd limit, soft and hard */
};

static void make_dir(struct broker *b)
{
	b->nofile = 0;
	snprintf(b->dir, sizeof(b->dir), "/tmp/hostd-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(b->dir));
	snprintf(b->sock, sizeof(b->sock), "%s/s", b->dir);
	snprintf(b->err, sizeof(b->err), "%s/err", b->dir);
}

/* Start xous-hostd ARGS... (ARGS end with NULL); PROGRAM's stdio are pipes. */
static void broker_spawn(struct broker *b, const char *const args[])
{
	int in[2], out[2];
	const char *argv[32];
	int n = 0;

	ck_assert_int_eq(pipe2(in, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	/* HOSTD_TEST_VALGRIND=PATH: run every broker under valgrind; an error
	 * or a definite leak makes it exit 99, which fails the test. */
	if (getenv("HOSTD_TEST_VALGRIND")) {
		argv[n++] = getenv("HOSTD_TEST_VALGRIND");
		argv[n++] = "-q";
		argv[n++] = "--error-exitcode=99";
		argv[n++] = "--leak-check=full";
		argv[n++] = "--errors-for-leak-kinds=definite";
	}
	argv[n++] = HOSTD_BIN;
	for (int i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	b->pid = fork();
	ck_assert_int_ge(b->pid, 0);
	if (b->pid == 0) {
		int e = open(b->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		struct rlimit rl = {b->nofile, b->nofile};
		if (b->nofile && setrlimit(RLIMIT_NOFILE, &rl) < 0)
			_exit(125);
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(e, 2);
		close_range(3, ~0u, 0); /* what the test harness left open */
		execv(argv[0], (char **)argv);
		_exit(126);
	}
	close(in[0]);
	close(out[1]);
	b->in = in[1];
	b->out = fdopen(out[0], "r");
}

/* Read the helpers' stdout until a line that starts with prefix. */
static bool broker_line(struct broker *b, const char *prefix, char *line, size_t len)
{
	while (fgets(line, (int)len, b->out))
		if (!strncmp(line, prefix, strlen(prefix)))
			return true;
	return false;
}

/* A broker with no fleet whose PROGRAM waits, with one more option (or
 * NULL); returns once it is up. */
static void broker_start_opt(struct broker *b, const char *opt)
{
	char line[128];

	const char *args[] = {"--no-fleet", "--socket", b->sock, "--", TESTPROC_BIN,
	                      "wait",       "0",        NULL,    NULL};
	if (opt) {
		memmove(&args[1], &args[0], 7 * sizeof(args[0]));
		args[0] = opt;
	}
	broker_spawn(b, args);
	ck_assert(broker_line(b, "ready", line, sizeof(line)));
}

static void broker_start_in(struct broker *b)
{
	broker_start_opt(b, NULL);
}

static void broker_start(struct broker *b)
{
	make_dir(b);
	broker_start_in(b);
}

static int status_code(int st)
{
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

static char *slurp(const char *path)
{
	static char buf[8192];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : 0;

	buf[n > 0 ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
	return buf;
}

static void clean_dir(struct broker *b)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", b->dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* End PROGRAM, wait for the broker; its exit status. */
static int broker_stop(struct broker *b)
{
	int st;

	close(b->in);
	ck_assert_int_eq(waitpid(b->pid, &st, 0), b->pid);
	fclose(b->out);
	return status_code(st);
}

static void broker_done(struct broker *b)
{
	ck_assert_int_eq(broker_stop(b), 0);
	clean_dir(b);
}

/* Run the broker in b's directory to its end with args; its status,
 * stderr in *err. */
static int broker_run_in(struct broker *b, const char *const args[], const char **err)
{
	int st;

	broker_spawn(b, args);
	close(b->in);
	while (fgetc(b->out) != EOF)
		;
	ck_assert_int_eq(waitpid(b->pid, &st, 0), b->pid);
	fclose(b->out);
	*err = slurp(b->err);
	return status_code(st);
}

static int broker_run(const char *const args[], const char **err)
{
	struct broker b;
	int st;

	make_dir(&b);
	st = broker_run_in(&b, args, err);
	clean_dir(&b);
	return st;
}

/* ---- raw helpers ---- */

static int attach(struct broker *b, uint32_t *pid)
{
	int fd = rx_attach(b->sock, pid);

	ck_assert_int_ge(fd, 0);
	return fd;
}

static void call(int fd, uint64_t w[8], int sendfd)
{
	ck_assert_int_eq(rx_call(fd, w, sendfd, NULL, NULL), 1);
}

static bool alive(int fd)
{
	uint64_t w[8] = {XOUS_SYS_GET_PROCESS_ID};

	return rx_call(fd, w, -1, NULL, NULL) == 1 && w[0] == XOUS_RESULT_PROCESS_ID;
}

static bool closed_by_broker(int fd)
{
	struct xh_frame f;

	return rx_recv(fd, &f, NULL) == 0;
}

static void make_server(int fd, uint64_t sid[4])
{
	uint64_t w[8] = {XOUS_SYS_CREATE_SERVER};

	call(fd, w, -1);
	ck_assert_uint_eq(w[0], XOUS_RESULT_NEW_SERVER_ID);
	memcpy(sid, &w[1], 4 * sizeof(uint64_t));
}

static uint64_t try_connect(int fd, const uint64_t sid[4])
{
	uint64_t w[8] = {XOUS_SYS_TRY_CONNECT, sid[0], sid[1], sid[2], sid[3]};

	call(fd, w, -1);
	return w[0] == XOUS_RESULT_CONNECTION_ID ? w[1] : 0;
}

/* Wait until the broker has seen the server with sid go. */
static void wait_server_gone(int s, const uint64_t sid[4])
{
	while (try_connect(s, sid) != 0)
		ck_assert(alive(s));
}

static uint64_t create_with_address(int s, const uint64_t sid[4])
{
	uint64_t w[8] = {XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, sid[0], sid[1], sid[2], sid[3]};

	call(s, w, -1);
	return w[0] == XOUS_RESULT_ERROR ? w[1] : w[0];
}

static void receive(int fd, const uint64_t sid[4], uint64_t w[8], int *rfd, uint64_t *aux)
{
	uint64_t r[8] = {XOUS_SYS_RECEIVE_MESSAGE, sid[0], sid[1], sid[2], sid[3]};

	ck_assert_int_eq(rx_call(fd, r, -1, aux, rfd), 1);
	memcpy(w, r, sizeof(r));
	ck_assert_uint_eq(w[0], XOUS_RESULT_MESSAGE_ENVELOPE);
}

static void expect_result(int fd, uint64_t tag, uint64_t a1)
{
	struct xh_frame f;

	ck_assert_int_eq(rx_recv(fd, &f, NULL), 1);
	ck_assert_uint_eq(f.w[0], tag);
	ck_assert_uint_eq(f.w[1], a1);
}

/* A server in process A and a connection to it from process B. */
struct pair {
	int a, b;
	uint32_t apid, bpid;
	uint64_t sid[4], cid;
};

static void make_pair(struct broker *br, struct pair *p)
{
	p->a = attach(br, &p->apid);
	p->b = attach(br, &p->bpid);
	make_server(p->a, p->sid);
	p->cid = try_connect(p->b, p->sid);
	ck_assert_uint_ne(p->cid, 0);
}

static void send_msg(int fd, uint64_t cid, uint64_t kind, uint64_t id, uint64_t a4, uint64_t a5,
                     uint64_t a6, uint64_t a7, uint64_t aux, int mfd)
{
	uint64_t w[8] = {XOUS_SYS_SEND_MESSAGE, cid, kind, id, a4, a5, a6, a7};

	ck_assert_int_eq(rx_send(fd, XH_SYSCALL, w, aux, mfd), 0);
}

/* ---- attach ---- */

START_TEST(attach_with_key_gives_a_new_process)
{
	struct broker b;
	uint32_t p1, p2;
	uint64_t w[8] = {XOUS_SYS_GET_PROCESS_ID};

	broker_start(&b);
	int s1 = attach(&b, &p1), s2 = attach(&b, &p2);
	ck_assert_uint_ge(p1, 2);
	ck_assert_uint_ne(p1, p2);
	call(s1, w, -1);
	ck_assert_uint_eq(w[0], XOUS_RESULT_PROCESS_ID);
	ck_assert_uint_eq(w[1], p1);
	close(s1);
	close(s2);
	broker_done(&b);
}
END_TEST

START_TEST(attach_with_a_bad_key_is_refused)
{
	struct broker b;
	uint64_t key[2], res[2];

	broker_start(&b);
	ck_assert_int_eq(rx_read_key(b.sock, key), 0);
	key[1] ^= 1;
	int s = rx_hello(b.sock, key, res);
	ck_assert_int_ge(s, 0);
	ck_assert_uint_eq(res[0], XOUS_RESULT_ERROR);
	ck_assert_uint_eq(res[1], XOUS_ERR_ACCESS_DENIED);
	ck_assert(closed_by_broker(s));
	close(s);
	broker_done(&b);
}
END_TEST

START_TEST(attach_without_hello_is_closed)
{
	struct broker b;
	uint32_t pid;

	broker_start(&b);
	int s = attach(&b, &pid);
	int t = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", b.sock);
	ck_assert_int_eq(connect(t, (struct sockaddr *)&sa, sizeof(sa)), 0);
	uint64_t w[8] = {XOUS_SYS_GET_PROCESS_ID};
	ck_assert_int_eq(rx_send(t, XH_SYSCALL, w, 0, -1), 0);
	ck_assert(closed_by_broker(t));
	ck_assert(alive(s));
	close(t);
	close(s);
	broker_done(&b);
}
END_TEST

START_TEST(socket_and_key_are_private_and_removed_at_exit)
{
	struct broker b;
	struct stat st;
	char key[128];

	broker_start(&b);
	snprintf(key, sizeof(key), "%s.key", b.sock);
	ck_assert_int_eq(lstat(b.sock, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(lstat(key, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(broker_stop(&b), 0);
	ck_assert_int_ne(access(b.sock, F_OK), 0);
	ck_assert_int_ne(access(key, F_OK), 0);
	clean_dir(&b);
}
END_TEST

START_TEST(attach_from_another_uid_is_refused)
{
	struct broker b;
	int st;

	broker_start(&b);
	ck_assert_int_eq(chmod(b.sock, 0666), 0);
	ck_assert_int_eq(chmod(b.dir, 0755), 0);
	pid_t pid = fork();
	if (pid == 0) {
		uint64_t key[2] = {0}, res[2];
		if (setgid(65534) || setuid(65534))
			_exit(3);
		/* Knowing the key does not help: the broker checks the uid first. */
		_exit(rx_hello(b.sock, key, res) < 0 ? 0 : 4);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(status_code(st), 0);
	broker_done(&b);
}
END_TEST

/* A connection to the attach socket that says nothing. */
static int connect_only(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int t = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ck_assert_int_eq(connect(t, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return t;
}

START_TEST(an_attach_that_never_says_hello_is_closed)
{
	struct broker b;

	broker_start(&b);
	int t = connect_only(b.sock);
	ck_assert(closed_by_broker(t)); /* it waits for the broker's timeout */
	close(t);
	broker_done(&b);
}
END_TEST

/* Idle connections never lock others out: past the limit the oldest go. */
START_TEST(idle_attach_connections_do_not_lock_others_out)
{
	static int idle[300];
	struct broker b;
	uint32_t pid;

	broker_start(&b);
	for (int i = 0; i < 300; i++)
		idle[i] = connect_only(b.sock);
	int s = attach(&b, &pid);
	ck_assert(alive(s));
	ck_assert(closed_by_broker(idle[0])); /* the oldest made room */
	for (int i = 0; i < 300; i++)
		close(idle[i]);
	close(s);
	broker_done(&b);
}
END_TEST

/* Without --socket: the socket and its key in a new 0700 directory under
 * $XDG_RUNTIME_DIR, printed, given to PROGRAM, removed at exit. */
START_TEST(without_socket_the_files_live_in_a_private_directory)
{
	struct broker b;
	char line[128], path[256] = "", dir[256];
	struct stat st;

	make_dir(&b);
	setenv("XDG_RUNTIME_DIR", b.dir, 1);
	const char *a[] = {"--no-fleet", "--", TESTPROC_BIN, "wait", "0", NULL};
	broker_spawn(&b, a);
	ck_assert(broker_line(&b, "ready", line, sizeof(line)));
	char *at = strstr(slurp(b.err), "listening on ");
	ck_assert_ptr_nonnull(at);
	sscanf(at + strlen("listening on "), "%255s", path);
	snprintf(dir, sizeof(dir), "%s", path);
	ck_assert_ptr_nonnull(strrchr(dir, '/'));
	*strrchr(dir, '/') = 0;
	ck_assert_int_eq(strncmp(dir, b.dir, strlen(b.dir)), 0);
	ck_assert_int_eq(lstat(dir, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0700);
	ck_assert_uint_eq(st.st_uid, geteuid());
	int s = rx_attach(path, NULL);
	ck_assert_int_ge(s, 0);
	ck_assert(alive(s));
	close(s);
	ck_assert_int_eq(broker_stop(&b), 0);
	ck_assert_int_ne(access(dir, F_OK), 0);
	clean_dir(&b);
}
END_TEST

/* --socket PATH where another uid made PATH.key first: a clear error, and
 * the file is left alone. */
START_TEST(a_key_file_that_is_not_ours_is_refused)
{
	struct broker b;
	const char *err;
	char key[128], target[128];
	struct stat st;

	make_dir(&b);
	ck_assert_int_eq(chmod(b.dir, 01777), 0);
	snprintf(key, sizeof(key), "%s.key", b.sock);
	snprintf(target, sizeof(target), "%s/elsewhere", b.dir);
	if (_i == 0) {
		int fd = open(key, O_WRONLY | O_CREAT | O_EXCL, 0644);
		ck_assert_int_ge(fd, 0);
		close(fd);
		ck_assert_int_eq(lchown(key, 65534, 65534), 0);
	} else {
		ck_assert_int_eq(symlink(target, key), 0);
	}
	const char *a[] = {"--no-fleet", "--socket", b.sock, "--", "/bin/true", NULL};
	ck_assert_int_eq(broker_run_in(&b, a, &err), 1);
	ck_assert_msg(strstr(err, "is not our key file"), "got: %s", err);
	ck_assert_int_eq(lstat(key, &st), 0);
	ck_assert(_i == 0 ? S_ISREG(st.st_mode) && st.st_uid == 65534 : S_ISLNK(st.st_mode));
	ck_assert_int_ne(access(target, F_OK), 0);
	clean_dir(&b);
}
END_TEST

/* ---- misbehaving peers ---- */

enum garbage {
	G_SHORT,
	G_LONG,
	G_MAGIC,
	G_TYPE,
	G_RESULT,
	G_HELLO,
	G_FD_ON_SCALAR_CALL,
	G_MEMORY_WITHOUT_FD,
	G_FLAG_WITHOUT_FD,
	G_FD_WITHOUT_FLAG,
	G_WHILE_BLOCKED,
	G_TWO_FDS,
	G_ATTACH_WITHOUT_FD,
	G_CREATE_THREAD_WITHOUT_FD,
	G_COUNT
};

static void send_two_fds(int s)
{
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_SYSCALL, .flags = XH_F_FD};
	int fds[2] = {0, 1};
	union {
		char buf[CMSG_SPACE(sizeof(fds))];
		struct cmsghdr align;
	} u = {0};
	struct iovec iov = {&f, sizeof(f)};
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = u.buf,
	                     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	f.w[0] = XOUS_SYS_CREATE_THREAD;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	ck_assert_int_eq(sendmsg(s, &msg, 0), (ssize_t)sizeof(f));
}

static void send_garbage(int s, int kind, const uint64_t sid[4])
{
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_SYSCALL};
	char big[100] = {0};
	uint64_t w[8] = {XOUS_SYS_GET_PROCESS_ID};

	f.w[0] = XOUS_SYS_GET_PROCESS_ID;
	switch (kind) {
	case G_SHORT:
		ck_assert_int_eq(send(s, &f, 10, 0), 10);
		return;
	case G_LONG:
		memcpy(big, &f, sizeof(f));
		ck_assert_int_eq(send(s, big, sizeof(big), 0), (ssize_t)sizeof(big));
		return;
	case G_MAGIC:
		f.magic ^= 0x01000000;
		break;
	case G_TYPE:
		f.type = 99;
		break;
	case G_RESULT:
		f.type = XH_RESULT;
		break;
	case G_HELLO:
		f.type = XH_HELLO;
		break;
	case G_FD_ON_SCALAR_CALL:
		ck_assert_int_eq(rx_send(s, XH_SYSCALL, w, 0, 0), 0);
		return;
	case G_MEMORY_WITHOUT_FD:
		f.w[0] = XOUS_SYS_SEND_MESSAGE;
		f.w[1] = 1;
		f.w[2] = XOUS_KIND_BORROW;
		f.w[4] = 0x10000;
		f.w[5] = 4096;
		break;
	case G_FLAG_WITHOUT_FD:
		f.flags = XH_F_FD;
		break;
	case G_FD_WITHOUT_FLAG: {
		ck_assert_int_eq(rx_send(s, XH_SYSCALL, w, 0, 0), 0);
		return;
	}
	case G_WHILE_BLOCKED: {
		uint64_t r[8] = {XOUS_SYS_RECEIVE_MESSAGE, sid[0], sid[1], sid[2], sid[3]};
		ck_assert_int_eq(rx_send(s, XH_SYSCALL, r, 0, -1), 0);
		break;
	}
	case G_TWO_FDS:
		send_two_fds(s);
		return;
	case G_ATTACH_WITHOUT_FD:
		f.type = XH_ATTACH_THREAD;
		break;
	case G_CREATE_THREAD_WITHOUT_FD:
		f.w[0] = XOUS_SYS_CREATE_THREAD;
		break;
	}
	ck_assert_int_eq(send(s, &f, sizeof(f), 0), (ssize_t)sizeof(f));
}

START_TEST(garbage_disconnects_only_the_sender)
{
	struct broker b;
	struct pair p;
	uint64_t bsid[4];
	uint32_t cpid;

	broker_start(&b);
	make_pair(&b, &p);
	make_server(p.b, bsid);
	if (_i == G_FD_WITHOUT_FLAG) {
		/* rx_send always sets the flag with an fd: this frame has none. */
		struct xh_frame f = {.magic = XH_MAGIC, .type = XH_SYSCALL};
		f.w[0] = XOUS_SYS_GET_PROCESS_ID;
		ck_assert_int_eq(xh_frame_send(p.b, &f, sizeof(f), NULL, 0, 0, 0), 0);
	} else {
		send_garbage(p.b, _i, bsid);
	}
	ck_assert(closed_by_broker(p.b));
	/* Nobody else noticed: A still serves, a newcomer still attaches, and
	 * the sender's server went with it. */
	ck_assert(alive(p.a));
	int c = attach(&b, &cpid);
	ck_assert_uint_ne(try_connect(c, p.sid), 0);
	ck_assert_uint_eq(try_connect(c, bsid), 0);
	close(c);
	close(p.a);
	close(p.b);
	broker_done(&b);
}
END_TEST

START_TEST(unknown_and_refused_syscalls_answer_errors)
{
	struct broker b;
	uint32_t pid;

	broker_start(&b);
	int s = attach(&b, &pid);
	uint64_t w[8] = {99};
	call(s, w, -1);
	ck_assert_uint_eq(w[0], XOUS_RESULT_ERROR);
	ck_assert_uint_eq(w[1], XOUS_ERR_INVALID_SYSCALL);
	uint64_t sd[8] = {XOUS_SYS_SHUTDOWN};
	call(s, sd, -1);
	ck_assert_uint_eq(sd[0], XOUS_RESULT_ERROR);
	ck_assert_uint_eq(sd[1], XOUS_ERR_ACCESS_DENIED);
	ck_assert(alive(s));
	close(s);
	broker_done(&b);
}
END_TEST

/* ---- lending checks ---- */

static bool same_file(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* A memfd of n pages, page i filled with 'a' + i. */
static int paged_memfd(int n)
{
	int fd = rx_memfd((size_t)n * 4096, 0);
	char *m = mmap(NULL, (size_t)n * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	ck_assert_ptr_ne(m, MAP_FAILED);
	for (int i = 0; i < n; i++)
		memset(m + (size_t)i * 4096, 'a' + i, 4096);
	munmap(m, (size_t)n * 4096);
	return fd;
}

/* The byte at page i of fd. */
static char page_byte(int fd, int i)
{
	char c = 0;

	ck_assert_int_eq(pread(fd, &c, 1, (off_t)i * 4096), 1);
	return c;
}

/* A broker (with one more option, or NULL) and a pair in it. */
static void pair_up(struct broker *b, struct pair *p, const char *opt)
{
	make_dir(b);
	broker_start_opt(b, opt);
	make_pair(b, p);
}

static void pair_down(struct broker *b, struct pair *p)
{
	close(p->a);
	close(p->b);
	broker_done(b);
}

/* Answer the memory message w with ReturnMemory; the caller hears it. */
static void answer_memory(struct pair *p, const uint64_t w[8])
{
	uint64_t r[8] = {XOUS_SYS_RETURN_MEMORY, w[1], 0, w[5], 0, 0};

	call(p->a, r, -1);
	ck_assert_uint_eq(r[0], XOUS_RESULT_OK);
	expect_result(p->b, XOUS_RESULT_MEMORY_RETURNED, 0);
}

enum bad_lend {
	L_PIPE,
	L_UNSEALED,
	L_TOO_SMALL,
	L_AUX_UNALIGNED,
	L_MUT_READONLY,
	L_MOVE_READONLY,
	L_LEN_UNALIGNED,
	L_SEALABLE, /* shrink and grow sealed, more seals may come (F_SEAL_FUTURE_WRITE later) */
	L_HUGETLB,  /* sealed, but on hugetlbfs: not every server can map it */
	L_COUNT
};

/* A memfd of len bytes sealed against shrinking and growing only. */
static int sealable_memfd(unsigned flags, size_t len)
{
	int fd = memfd_create("x", MFD_ALLOW_SEALING | flags);

	if (fd >= 0 && (ftruncate(fd, (off_t)len) < 0 ||
	                fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) < 0)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int bad_lend_fd(int kind, uint64_t *mkind, uint64_t *aux, uint64_t *len, uint32_t *err)
{
	int fd = -1, p[2];
	char path[64];

	*mkind = XOUS_KIND_BORROW;
	*aux = 0;
	*len = 4096;
	*err = XOUS_ERR_BAD_ADDRESS;
	switch (kind) {
	case L_PIPE:
		ck_assert_int_eq(pipe(p), 0);
		close(p[1]);
		return p[0];
	case L_UNSEALED:
		fd = memfd_create("x", MFD_ALLOW_SEALING);
		ck_assert_int_eq(ftruncate(fd, 8192), 0);
		return fd;
	case L_TOO_SMALL:
		*len = 8192;
		*aux = 4096;
		return rx_memfd(8192, 0);
	case L_AUX_UNALIGNED:
		*aux = 100;
		return rx_memfd(16384, 0);
	case L_MUT_READONLY:
	case L_MOVE_READONLY:
		*mkind = kind == L_MUT_READONLY ? XOUS_KIND_MUTABLE_BORROW : XOUS_KIND_MOVE;
		*err = XOUS_ERR_ACCESS_DENIED;
		fd = rx_memfd(8192, 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		p[0] = open(path, O_RDONLY);
		close(fd);
		return p[0];
	case L_LEN_UNALIGNED:
		*len = 100;
		*err = XOUS_ERR_BAD_ALIGNMENT;
		return rx_memfd(8192, 0);
	case L_SEALABLE:
		return sealable_memfd(0, 8192);
	case L_HUGETLB:
		/* A kernel without hugetlbfs: the L_SEALABLE case once more. */
		*len = 2 << 20;
		fd = sealable_memfd(MFD_HUGETLB, 2 << 20);
		if (fd < 0)
			return sealable_memfd(0, 2 << 20);
		ck_assert_int_eq(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL), 0);
		return fd;
	}
	return -1;
}

START_TEST(bad_lent_memory_answers_an_error)
{
	struct broker b;
	struct pair p;
	uint64_t mkind, aux, len;
	uint32_t err;

	broker_start(&b);
	make_pair(&b, &p);
	int fd = bad_lend_fd(_i, &mkind, &aux, &len, &err);
	ck_assert_int_ge(fd, 0);
	send_msg(p.b, p.cid, mkind, 1, 0x10000, len, 0, len, aux, fd);
	close(fd);
	expect_result(p.b, XOUS_RESULT_ERROR, err);
	/* Both still alive, nothing reached the server. */
	ck_assert(alive(p.b));
	uint64_t w[8] = {XOUS_SYS_TRY_RECEIVE_MESSAGE, p.sid[0], p.sid[1], p.sid[2], p.sid[3]};
	call(p.a, w, -1);
	ck_assert_uint_eq(w[0], XOUS_RESULT_NONE);
	close(p.a);
	close(p.b);
	broker_done(&b);
}
END_TEST

START_TEST(borrow_gives_the_server_a_read_only_fd)
{
	struct broker b;
	struct pair p;
	struct stat st;
	uint64_t w[8], aux = 99;
	int rfd = -1;

	broker_start(&b);
	make_pair(&b, &p);
	int fd = rx_memfd(4096, 'x');
	send_msg(p.b, p.cid, XOUS_KIND_BORROW, 7, 0x10000, 4096, 0, 4096, 0, fd);
	receive(p.a, p.sid, w, &rfd, &aux);
	ck_assert_uint_eq(w[2], XOUS_KIND_BORROW);
	ck_assert_uint_eq(w[3], 7);
	ck_assert_uint_eq(w[5], 4096);
	ck_assert_uint_eq(aux, 0);
	ck_assert_int_ge(rfd, 0);
	ck_assert_int_eq(fcntl(rfd, F_GETFL) & O_ACCMODE, O_RDONLY);
	/* the caller's own pages (a whole memfd), which no open can make writable */
	ck_assert_int_eq(fstat(rfd, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0400);
	ck_assert(same_file(rfd, fd));
	char *m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, rfd, (off_t)aux);
	ck_assert_ptr_ne(m, MAP_FAILED);
	ck_assert_int_eq(m[0], 'x');
	ck_assert_ptr_eq(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0), MAP_FAILED);
	munmap(m, 4096);
	close(rfd);
	uint64_t r[8] = {XOUS_SYS_RETURN_MEMORY, w[1], 0, 4096, 5, 6};
	call(p.a, r, -1);
	ck_assert_uint_eq(r[0], XOUS_RESULT_OK);
	struct xh_frame f;
	ck_assert_int_eq(rx_recv(p.b, &f, NULL), 1);
	ck_assert_uint_eq(f.w[0], XOUS_RESULT_MEMORY_RETURNED);
	ck_assert_uint_eq(f.w[1], 5);
	ck_assert_uint_eq(f.w[2], 6);
	close(fd);
	close(p.a);
	close(p.b);
	broker_done(&b);
}
END_TEST

START_TEST(mutable_borrow_writes_reach_the_caller)
{
	struct broker b;
	struct pair p;
	uint64_t w[8], aux = 0;
	int rfd = -1;

	broker_start(&b);
	make_pair(&b, &p);
	int fd = rx_memfd(2 * 4096, 'x');
	send_msg(p.b, p.cid, XOUS_KIND_MUTABLE_BORROW, 8, 0x10000, 4096, 0, 4096, 4096, fd);
	receive(p.a, p.sid, w, &rfd, &aux);
	ck_assert_int_eq(fcntl(rfd, F_GETFL) & O_ACCMODE, O_RDWR);
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, (off_t)aux);
	ck_assert_ptr_ne(m, MAP_FAILED);
	memset(m, 'y', 4096);
	munmap(m, 4096);
	close(rfd);
	uint64_t r[8] = {XOUS_SYS_RETURN_MEMORY, w[1], 0, 4096, 0, 100};
	call(p.a, r, -1);
	expect_result(p.b, XOUS_RESULT_MEMORY_RETURNED, 0);
	char *mine = mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, fd, 0);
	ck_assert_int_eq(mine[0], 'x');
	ck_assert_int_eq(mine[4096], 'y');
	ck_assert_int_eq(mine[2 * 4096 - 1], 'y');
	munmap(mine, 2 * 4096);
	close(fd);
	close(p.a);
	close(p.b);
	broker_done(&b);
}
END_TEST

START_TEST(move_returns_at_once_and_hands_over_the_pages)
{
	struct broker b;
	struct pair p;
	uint64_t w[8], aux = 0;
	int rfd = -1;

	broker_start(&b);
	make_pair(&b, &p);
	int fd = rx_memfd(4096, 'm');
	send_msg(p.b, p.cid, XOUS_KIND_MOVE, 9, 0x10000, 4096, 0, 10, 0, fd);
	close(fd);
	expect_result(p.b, XOUS_RESULT_OK, 0);
	receive(p.a, p.sid, w, &rfd, &aux);
	ck_assert_uint_eq(w[2], XOUS_KIND_MOVE);
	ck_assert_uint_eq(w[7], 10);
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	ck_assert_int_eq(m[0], 'm');
	munmap(m, 4096);
	close(rfd);
	close(p.a);
	close(p.b);
	broker_done(&b);
}
END_TEST

/* Part of a memfd reaches the server as a copy of exactly that part: no
 * page outside it is in the file the server gets (CONTRACT promise 6). */
START_TEST(part_of_a_memfd_is_copied_exactly)
{
	struct broker b;
	struct pair p;
	struct stat st;
	uint64_t w[8], aux = 99;
	int rfd = -1;

	pair_up(&b, &p, NULL);
	int fd = paged_memfd(8);
	send_msg(p.b, p.cid, XOUS_KIND_BORROW, 1, 0x10000, 5 * 4096, 0, 0, 2 * 4096, fd);
	receive(p.a, p.sid, w, &rfd, &aux);
	ck_assert_int_ge(rfd, 0);
	ck_assert(!same_file(rfd, fd));
	ck_assert_int_eq(fstat(rfd, &st), 0);
	ck_assert_int_eq(st.st_size, 5 * 4096);
	ck_assert_uint_eq(st.st_mode & 0777, 0400);
	ck_assert_uint_eq(aux, 0);
	ck_assert_int_eq(page_byte(rfd, 0), 'c');
	ck_assert_int_eq(page_byte(rfd, 4), 'g');
	ck_assert(fcntl(rfd, F_GET_SEALS) & F_SEAL_WRITE); /* a Borrow: nobody writes it */
	ck_assert_ptr_eq(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0), MAP_FAILED);
	close(rfd);
	answer_memory(&p, w);
	/* a MutableBorrow of a part: the server's writes come back into that part only */
	send_msg(p.b, p.cid, XOUS_KIND_MUTABLE_BORROW, 2, 0x10000, 5 * 4096, 0, 0, 4096, fd);
	receive(p.a, p.sid, w, &rfd, &aux);
	ck_assert_int_eq(fstat(rfd, &st), 0);
	ck_assert_int_eq(st.st_size, 5 * 4096);
	char *m = mmap(NULL, 5 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	ck_assert_int_eq(m[0], 'b');
	memset(m, 'z', 5 * 4096);
	answer_memory(&p, w);
	memset(m, 'Z', 5 * 4096); /* after the answer: reaches nobody */
	munmap(m, 5 * 4096);
	close(rfd);
	ck_assert_int_eq(page_byte(fd, 0), 'a');
	for (int i = 1; i <= 5; i++)
		ck_assert_int_eq(page_byte(fd, i), 'z');
	ck_assert_int_eq(page_byte(fd, 6), 'g');
	ck_assert_int_eq(page_byte(fd, 7), 'h');
	close(fd);
	pair_down(&b, &p);
}
END_TEST

/* A Move is a copy the caller never had: writing its memfd afterwards
 * changes nothing the server has. */
START_TEST(moved_pages_are_out_of_the_callers_reach)
{
	struct broker b;
	struct pair p;
	uint64_t w[8], aux = 0;
	int rfd = -1;

	pair_up(&b, &p, NULL);
	int fd = paged_memfd(6);
	send_msg(p.b, p.cid, XOUS_KIND_MOVE, 1, 0x10000, 6 * 4096, 0, 0, 0, fd);
	expect_result(p.b, XOUS_RESULT_OK, 0);
	ck_assert_int_eq(pwrite(fd, "MM", 2, 0), 2); /* the caller keeps its memfd and writes */
	receive(p.a, p.sid, w, &rfd, &aux);
	ck_assert(!same_file(rfd, fd));
	ck_assert_int_eq(page_byte(rfd, 0), 'a');
	ck_assert_int_eq(page_byte(rfd, 5), 'f');
	ck_assert_int_eq(fcntl(rfd, F_GETFL) & O_ACCMODE, O_RDWR); /* the server's now */
	close(rfd);
	close(fd);
	pair_down(&b, &p);
}
END_TEST

/* --strict-lend: even a whole memfd is copied, and copied back. */
START_TEST(strict_lend_copies_every_lend)
{
	struct broker b;
	struct pair p;
	struct stat st;
	uint64_t w[8], aux = 0;
	int rfd = -1;

	pair_up(&b, &p, "--strict-lend");
	int fd = paged_memfd(8);
	send_msg(p.b, p.cid, XOUS_KIND_MUTABLE_BORROW, 1, 0x10000, 8 * 4096, 0, 0, 0, fd);
	receive(p.a, p.sid, w, &rfd, &aux);
	ck_assert(!same_file(rfd, fd));
	char *m = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	ck_assert_int_eq(m[7 * 4096], 'h');
	m[3 * 4096] = 'Q';
	answer_memory(&p, w);
	m[4 * 4096] = 'R'; /* after the answer: reaches nobody */
	munmap(m, 8 * 4096);
	close(rfd);
	ck_assert_int_eq(page_byte(fd, 3), 'Q');
	ck_assert_int_eq(page_byte(fd, 4), 'e');
	close(fd);
	/* a sparse Borrow stays sparse: 1 GiB holding one page costs one page */
	fd = rx_memfd((size_t)1 << 30, 0);
	ck_assert_int_eq(pwrite(fd, "s", 1, 512 << 20), 1);
	send_msg(p.b, p.cid, XOUS_KIND_BORROW, 2, 0x10000, (size_t)1 << 30, 0, 0, 0, fd);
	receive(p.a, p.sid, w, &rfd, &aux);
	ck_assert(!same_file(rfd, fd));
	ck_assert_int_eq(fstat(rfd, &st), 0);
	ck_assert_int_eq(st.st_size, (off_t)1 << 30);
	ck_assert_int_le(st.st_blocks * 512, 1 << 20);
	ck_assert_int_eq(page_byte(rfd, (512 << 20) / 4096), 's');
	close(rfd);
	answer_memory(&p, w);
	close(fd);
	pair_down(&b, &p);
}
END_TEST

/* ---- death ---- */

START_TEST(server_death_fails_its_blocked_and_queued_callers)
{
	struct broker b;
	struct pair p;
	uint32_t cpid;
	uint64_t w[8];

	broker_start(&b);
	make_pair(&b, &p);
	int c = attach(&b, &cpid);
	uint64_t ccid = try_connect(c, p.sid);
	send_msg(p.b, p.cid, XOUS_KIND_BLOCKING_SCALAR, 1, 41, 0, 0, 0, 0, -1);
	receive(p.a, p.sid, w, NULL, NULL);                                 /* held by A */
	send_msg(c, ccid, XOUS_KIND_BLOCKING_SCALAR, 2, 0, 0, 0, 0, 0, -1); /* queued */
	close(p.a);
	expect_result(p.b, XOUS_RESULT_ERROR, XOUS_ERR_SERVER_NOT_FOUND);
	expect_result(c, XOUS_RESULT_ERROR, XOUS_ERR_SERVER_NOT_FOUND);
	uint64_t s[8] = {XOUS_SYS_TRY_SEND_MESSAGE, p.cid, XOUS_KIND_SCALAR, 3};
	call(p.b, s, -1);
	ck_assert_uint_eq(s[0], XOUS_RESULT_ERROR);
	ck_assert_uint_eq(s[1], XOUS_ERR_SERVER_NOT_FOUND);
	close(c);
	close(p.b);
	broker_done(&b);
}
END_TEST

START_TEST(server_death_returns_lent_memory_with_its_writes)
{
	struct broker b;
	struct pair p;
	uint64_t w[8], aux;
	int rfd;

	broker_start(&b);
	make_pair(&b, &p);
	int fd = rx_memfd(4096, 'x');
	send_msg(p.b, p.cid, XOUS_KIND_MUTABLE_BORROW, 1, 0x10000, 4096, 0, 4096, 0, fd);
	receive(p.a, p.sid, w, &rfd, &aux);
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	m[0] = 'p';
	close(p.a);
	expect_result(p.b, XOUS_RESULT_ERROR, XOUS_ERR_SERVER_NOT_FOUND);
	munmap(m, 4096);
	close(rfd);
	char *mine = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	ck_assert_int_eq(mine[0], 'p');
	ck_assert_int_eq(mine[1], 'x');
	munmap(mine, 4096);
	close(fd);
	close(p.b);
	broker_done(&b);
}
END_TEST

START_TEST(caller_death_lets_the_answer_succeed_quietly)
{
	struct broker b;
	struct pair p;
	uint64_t w[8];

	broker_start(&b);
	make_pair(&b, &p);
	send_msg(p.b, p.cid, XOUS_KIND_BLOCKING_SCALAR, 1, 41, 0, 0, 0, 0, -1);
	receive(p.a, p.sid, w, NULL, NULL);
	close(p.b);
	/* Make sure the broker saw B go: a later attach is served after it. */
	uint32_t cpid;
	int c = attach(&b, &cpid);
	ck_assert(alive(c));
	uint64_t r[8] = {XOUS_SYS_RETURN_SCALAR1, w[1], 42};
	call(p.a, r, -1);
	ck_assert_uint_eq(r[0], XOUS_RESULT_OK);
	ck_assert(alive(p.a));
	close(c);
	close(p.a);
	broker_done(&b);
}
END_TEST

START_TEST(terminate_process_ends_it_and_its_servers)
{
	struct broker b;
	struct pair p;

	broker_start(&b);
	make_pair(&b, &p);
	uint64_t t[8] = {XOUS_SYS_TERMINATE_PROCESS, 3};
	ck_assert_int_eq(rx_send(p.a, XH_SYSCALL, t, 0, -1), 0);
	ck_assert(closed_by_broker(p.a));
	ck_assert_uint_eq(try_connect(p.b, p.sid), 0);
	close(p.a);
	close(p.b);
	broker_done(&b);
}
END_TEST

START_TEST(killed_child_fails_its_callers_and_sets_the_exit_status)
{
	struct broker b;
	char line[128];
	uint32_t pid;
	uint64_t sid[4];

	make_dir(&b);
	const char *args[] = {"--no-fleet", "--socket", b.sock,   "--",
	                      TESTPROC_BIN, "server",   SRV_NAME, NULL};
	broker_spawn(&b, args);
	ck_assert(broker_line(&b, "server ", line, sizeof(line)));
	pid_t lpid = atoi(line + 7);
	int s = attach(&b, &pid);
	rx_sid(SRV_NAME, sid);
	uint64_t cid = try_connect(s, sid);
	ck_assert_uint_ne(cid, 0);
	uint64_t w[8] = {XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_BLOCKING_SCALAR, 1, 41};
	call(s, w, -1);
	ck_assert_uint_eq(w[0], XOUS_RESULT_SCALAR1);
	ck_assert_uint_eq(w[1], 42);
	/* Blocked on the server when it is killed (the server holds id 99). */
	send_msg(s, cid, XOUS_KIND_BLOCKING_SCALAR, 99, 0, 0, 0, 0, 0, -1);
	ck_assert_int_eq(kill(lpid, SIGKILL), 0);
	expect_result(s, XOUS_RESULT_ERROR, XOUS_ERR_SERVER_NOT_FOUND);
	close(s);
	ck_assert_int_eq(broker_stop(&b), 128 + SIGKILL);
	clean_dir(&b);
}
END_TEST

static int count_fds(pid_t pid)
{
	char path[64];
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	DIR *d = opendir(path);
	ck_assert_ptr_nonnull(d);
	for (struct dirent *e = readdir(d); e; e = readdir(d))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Lends held and queued, threads, deaths of both sides: afterwards the broker
 * holds exactly the fds it held before. */
static void churn(struct broker *b)
{
	struct pair p;
	uint64_t w[8], aux;
	int rfd, t[2];

	make_pair(b, &p);
	int m1 = rx_memfd(4096, 'a'), m2 = rx_memfd(4096, 'b');
	send_msg(p.b, p.cid, XOUS_KIND_BORROW, 1, 0x10000, 4096, 0, 4096, 0, m1);
	receive(p.a, p.sid, w, &rfd, &aux); /* held by A, its fd given away */
	close(rfd);
	int c = attach(b, NULL);
	uint64_t ccid = try_connect(c, p.sid);
	send_msg(c, ccid, XOUS_KIND_MUTABLE_BORROW, 2, 0x10000, 4096, 0, 4096, 0, m2); /* queued */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, t), 0);
	ck_assert_int_eq(rx_send(p.a, XH_ATTACH_THREAD, NULL, 0, t[1]), 0);
	close(t[1]);
	ck_assert(alive(t[0]));
	close(p.b); /* a caller dies while its lend is held */
	close(p.a); /* the server dies with a queued lend */
	expect_result(c, XOUS_RESULT_ERROR, XOUS_ERR_SERVER_NOT_FOUND);
	close(t[0]);
	close(c);
	close(m1);
	close(m2);
}

START_TEST(no_fd_stays_behind_when_processes_die)
{
	struct broker b;

	broker_start(&b);
	/* Once a process attached, the broker has finished starting PROGRAM. */
	int s = attach(&b, NULL), before = count_fds(b.pid), now = 0;
	for (int i = 0; i < 3; i++)
		churn(&b);
	/* The broker handles the last EOFs in its own time: ask until it has. */
	for (int i = 0; i < 10000 && (now = count_fds(b.pid)) != before; i++)
		ck_assert(alive(s));
	ck_assert_int_eq(now, before);
	close(s);
	broker_done(&b);
}
END_TEST

/* ---- scale ---- */

#define SCALE_PROCS   1000
#define SCALE_THREADS 10 /* more connections per process: 11,000 in all */

static void raise_fd_limit(rlim_t need)
{
	struct rlimit rl;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_max < need) { /* as root we may lift the hard limit too */
		struct rlimit more = {need, need};
		if (setrlimit(RLIMIT_NOFILE, &more) == 0)
			return;
	}
	ck_assert_msg(rl.rlim_max >= need, "fd hard limit %ld too low", (long)rl.rlim_max);
	rl.rlim_cur = rl.rlim_max;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
}

START_TEST(holds_a_thousand_processes_and_ten_thousand_connections)
{
	static int proc[SCALE_PROCS], thr[SCALE_PROCS][SCALE_THREADS];
	static uint32_t pid[SCALE_PROCS];
	struct broker b;
	int t[2];

	raise_fd_limit(SCALE_PROCS * (SCALE_THREADS + 1) + 100);
	broker_start(&b);
	int s = attach(&b, NULL), before = count_fds(b.pid), now = 0;
	for (int i = 0; i < SCALE_PROCS; i++) {
		proc[i] = attach(&b, &pid[i]);
		for (int j = 0; j < SCALE_THREADS; j++) {
			ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, t), 0);
			ck_assert_int_eq(rx_send(proc[i], XH_ATTACH_THREAD, NULL, 0, t[1]), 0);
			close(t[1]);
			thr[i][j] = t[0];
		}
	}
	/* Every connection answers as its own thread of its own process. */
	for (int i = 0; i < SCALE_PROCS; i++) {
		for (int j = 0; j < SCALE_THREADS; j++) {
			uint64_t w[8] = {XOUS_SYS_GET_PROCESS_ID};
			call(thr[i][j], w, -1);
			ck_assert_uint_eq(w[1], pid[i]);
			uint64_t v[8] = {XOUS_SYS_GET_THREAD_ID};
			call(thr[i][j], v, -1);
			ck_assert_uint_eq(v[1], (uint64_t)j + 2);
		}
	}
	ck_assert_int_eq(count_fds(b.pid), before + SCALE_PROCS * (SCALE_THREADS + 1));
	for (int i = 0; i < SCALE_PROCS; i++) {
		for (int j = 0; j < SCALE_THREADS; j++)
			close(thr[i][j]);
		close(proc[i]);
	}
	for (int i = 0; i < 10000 && (now = count_fds(b.pid)) != before; i++)
		ck_assert(alive(s));
	ck_assert_int_eq(now, before);
	close(s);
	broker_done(&b);
}
END_TEST

START_TEST(out_of_fds_answers_errors_and_recovers)
{
	static int proc[64];
	struct broker b;
	int n = 0, t[2];

	make_dir(&b);
	b.nofile = 40;
	broker_start_in(&b);
	/* Fill the broker's fd table with processes, one fd each. */
	while (count_fds(b.pid) < (int)b.nofile) {
		ck_assert_int_lt(n, 64);
		proc[n++] = attach(&b, NULL);
	}
	int s = proc[0];
	/* A thread's connection cannot arrive: the thread sees EOF. */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, t), 0);
	ck_assert_int_eq(rx_send(s, XH_ATTACH_THREAD, NULL, 0, t[1]), 0);
	close(t[1]);
	ck_assert(closed_by_broker(t[0]));
	close(t[0]);
	/* Calls that carry an fd fail with OutOfMemory, and nothing else happens. */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, t), 0);
	uint64_t c[8] = {XOUS_SYS_CREATE_THREAD};
	call(s, c, t[1]);
	ck_assert_uint_eq(c[0], XOUS_RESULT_ERROR);
	ck_assert_uint_eq(c[1], XOUS_ERR_OUT_OF_MEMORY);
	close(t[0]);
	close(t[1]);
	uint64_t sid[4];
	make_server(proc[1], sid);
	uint64_t cid = try_connect(s, sid);
	int m = rx_memfd(4096, 'z');
	send_msg(s, cid, XOUS_KIND_BORROW, 1, 0x10000, 4096, 0, 4096, 0, m);
	expect_result(s, XOUS_RESULT_ERROR, XOUS_ERR_OUT_OF_MEMORY);
	close(m);
	ck_assert(alive(s));
	/* An attach now waits (the broker cannot accept) until one process is
	 * gone and its fd free; then it goes through. */
	pid_t kid = fork();
	if (kid == 0) {
		for (int i = 0; i < n; i++) /* or the broker never sees them close */
			close(proc[i]);
		int again = rx_attach(b.sock, NULL);
		_exit(again >= 0 && alive(again) ? 0 : 1);
	}
	ck_assert(alive(s));
	close(proc[--n]);
	int st;
	ck_assert_int_eq(waitpid(kid, &st, 0), kid);
	ck_assert_int_eq(status_code(st), 0);
	while (n > 0)
		close(proc[--n]);
	broker_done(&b);
}
END_TEST

/* ---- threads ---- */

START_TEST(attached_and_created_threads_get_their_own_tids)
{
	struct broker b;
	uint32_t pid;
	int t[2], u[2];

	broker_start(&b);
	int s = attach(&b, &pid);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, t), 0);
	ck_assert_int_eq(rx_send(s, XH_ATTACH_THREAD, NULL, 0, t[1]), 0);
	close(t[1]);
	uint64_t w[8] = {XOUS_SYS_GET_THREAD_ID};
	call(t[0], w, -1);
	ck_assert_uint_eq(w[0], XOUS_RESULT_THREAD_ID);
	ck_assert_uint_eq(w[1], 2);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, u), 0);
	uint64_t c[8] = {XOUS_SYS_CREATE_THREAD};
	call(s, c, u[1]);
	close(u[1]);
	ck_assert_uint_eq(c[0], XOUS_RESULT_THREAD_ID);
	ck_assert_uint_eq(c[1], 3);
	uint64_t p[8] = {XOUS_SYS_GET_PROCESS_ID};
	call(u[0], p, -1);
	ck_assert_uint_eq(p[1], pid);
	close(u[0]); /* the joinable thread ends */
	uint64_t j[8] = {XOUS_SYS_JOIN_THREAD, 3};
	call(s, j, -1);
	ck_assert_uint_eq(j[0], XOUS_RESULT_SCALAR1);
	ck_assert(alive(t[0]));
	close(t[0]);
	close(s);
	broker_done(&b);
}
END_TEST

START_TEST(a_thread_blocked_in_receive_ends_cleanly)
{
	struct broker b;
	struct pair p;
	int t[2];

	broker_start(&b);
	make_pair(&b, &p);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, t), 0);
	uint64_t c[8] = {XOUS_SYS_CREATE_THREAD};
	call(p.a, c, t[1]);
	close(t[1]);
	uint64_t r[8] = {XOUS_SYS_RECEIVE_MESSAGE, p.sid[0], p.sid[1], p.sid[2], p.sid[3]};
	ck_assert_int_eq(rx_send(t[0], XH_SYSCALL, r, 0, -1), 0);
	close(t[0]);
	/* Joined once the broker has seen it end, blocked as it was. */
	uint64_t j[8] = {XOUS_SYS_JOIN_THREAD, c[1]};
	call(p.a, j, -1);
	ck_assert_uint_eq(j[0], XOUS_RESULT_SCALAR1);
	/* The next message goes to the thread that is still there. */
	uint64_t w[8];
	send_msg(p.b, p.cid, XOUS_KIND_BLOCKING_SCALAR, 1, 5, 0, 0, 0, 0, -1);
	receive(p.a, p.sid, w, NULL, NULL);
	ck_assert_uint_eq(w[4], 5);
	uint64_t a[8] = {XOUS_SYS_RETURN_SCALAR1, w[1], 6};
	call(p.a, a, -1);
	expect_result(p.b, XOUS_RESULT_SCALAR1, 6);
	close(p.a);
	close(p.b);
	broker_done(&b);
}
END_TEST

/* A process gives the broker its own process socket as a thread's, then
 * exits: the broker must still see it go (it refuses that socket). */
START_TEST(a_process_that_gives_away_its_own_socket_still_dies)
{
	struct broker b;
	uint64_t sid[4];

	broker_start(&b);
	int c = attach(&b, NULL), before = count_fds(b.pid);
	int s = attach(&b, NULL), i;
	make_server(s, sid);
	ck_assert_int_eq(rx_send(s, XH_ATTACH_THREAD, NULL, 0, s), 0);
	close(s);
	/* The broker handles the EOF in its own time: ask until it has. */
	for (i = 0; i < 10000 && try_connect(c, sid) != 0; i++)
		;
	ck_assert_msg(i < 10000, "the process never died");
	int now = 0;
	for (i = 0; i < 10000 && (now = count_fds(b.pid)) != before; i++)
		ck_assert(alive(c));
	ck_assert_int_eq(now, before);
	close(c);
	broker_done(&b);
}
END_TEST

/* A connected SOCK_SEQPACKET socket made by another Linux process. */
static int foreign_socket(void)
{
	int ctl[2], sv[2], fd = -1, st;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte;
	struct iovec iov = {&byte, 1};
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = u.buf,
	                     .msg_controllen = sizeof(u.buf)};

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, ctl), 0);
	pid_t kid = fork();
	if (kid == 0) {
		struct cmsghdr *cm;

		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0)
			_exit(1);
		memset(&u, 0, sizeof(u));
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &sv[1], sizeof(int));
		_exit(sendmsg(ctl[1], &msg, 0) == 1 ? 0 : 1);
	}
	ck_assert_int_eq(recvmsg(ctl[0], &msg, 0), 1);
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
	ck_assert_int_eq(waitpid(kid, &st, 0), kid);
	close(ctl[0]);
	close(ctl[1]);
	return fd;
}

enum bad_thread { T_PIPE, T_DEVNULL, T_STREAM, T_UNCONNECTED, T_FOREIGN, T_TWICE, T_OWN, T_COUNT };

/* An fd of the kind asked for, and the error a CreateThread with it gets. */
static int bad_thread_fd(int kind, int s, uint32_t *err)
{
	int fd = -1, t[2];

	*err = XOUS_ERR_INVALID_ARGUMENT;
	switch (kind) {
	case T_PIPE:
		ck_assert_int_eq(pipe(t), 0);
		close(t[0]);
		return t[1];
	case T_DEVNULL:
		return open("/dev/null", O_RDWR);
	case T_STREAM:
		ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, t), 0);
		close(t[0]);
		return t[1];
	case T_UNCONNECTED:
		return socket(AF_UNIX, SOCK_SEQPACKET, 0);
	case T_FOREIGN:
		*err = XOUS_ERR_ACCESS_DENIED;
		return foreign_socket();
	case T_TWICE: /* a thread's socket the broker already has */
		ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, t), 0);
		ck_assert_int_eq(rx_send(s, XH_ATTACH_THREAD, NULL, 0, t[1]), 0);
		ck_assert(alive(t[0]));
		return t[1];
	case T_OWN:
		*err = XOUS_ERR_ACCESS_DENIED;
		fd = dup(s);
		break;
	}
	return fd;
}

START_TEST(a_thread_connection_must_be_the_processs_own)
{
	struct broker b;
	uint32_t err;

	broker_start(&b);
	int s = attach(&b, NULL);
	int fd = bad_thread_fd(_i, s, &err);
	ck_assert_int_ge(fd, 0);
	uint64_t w[8] = {XOUS_SYS_CREATE_THREAD};
	call(s, w, fd);
	ck_assert_uint_eq(w[0], XOUS_RESULT_ERROR);
	ck_assert_uint_eq(w[1], err);
	ck_assert(alive(s));
	close(fd);
	close(s);
	broker_done(&b);
}
END_TEST

static int count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int n = 0, ch;

	ck_assert_ptr_nonnull(f);
	while ((ch = fgetc(f)) != EOF)
		n += ch == '\n';
	fclose(f);
	return n;
}

/* 2,000 refused CreateThreads: the broker warns a few times a second and
 * sums up the rest, whatever the machine's speed. */
START_TEST(refused_thread_fds_do_not_flood_the_log)
{
	struct broker b;
	struct timespec t0, t1;
	const int frames = 2000;

	broker_start(&b);
	int s = attach(&b, NULL), fd = open("/dev/null", O_RDWR);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < frames; i++) {
		uint64_t w[8] = {XOUS_SYS_CREATE_THREAD};
		call(s, w, fd);
		ck_assert_uint_eq(w[1], XOUS_ERR_INVALID_ARGUMENT);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(fd);
	close(s);
	ck_assert_int_eq(broker_stop(&b), 0);
	long seconds = (long)(t1.tv_sec - t0.tv_sec) + 2; /* windows the frames touched */
	int lines = count_lines(b.err);
	ck_assert_msg(lines <= 6 * seconds + 5, "%d lines of log for %d frames in %ld s", lines,
	              frames, seconds);
	ck_assert_ptr_nonnull(strstr(slurp(b.err), "more warnings (thread connection refused)"));
	clean_dir(&b);
}
END_TEST

/* ---- command line, exit status, environment ---- */

START_TEST(exit_status_is_programs)
{
	const char *err;
	const char *a[] = {"--no-fleet", "--", "/bin/sh", "-c", "exit 7", NULL};
	const char *k[] = {"--no-fleet", "--", "/bin/sh", "-c", "kill -9 $$", NULL};
	const char *n[] = {"--no-fleet", "--", "/nonexistent/program", NULL};

	ck_assert_int_eq(broker_run(a, &err), 7);
	ck_assert_int_eq(broker_run(k, &err), 128 + SIGKILL);
	ck_assert_int_eq(broker_run(n, &err), 127);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/program"));
}
END_TEST

START_TEST(bad_options_print_usage_and_exit_2)
{
	const char *err;
	const char *cases[][4] = {
	        {"--bogus", NULL},
	        {"--", NULL},
	        {"--fleet", NULL},
	        {"--socket", NULL},
	        {"--no-fleet", "--fleet", "x", NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(broker_run(cases[i], &err), 2);
		ck_assert_ptr_nonnull(strstr(err, "usage: xous-hostd"));
	}
}
END_TEST

START_TEST(program_gets_fd_3_and_the_environment)
{
	struct broker b;
	const char *err;

	make_dir(&b);
	const char *a[] = {"--no-fleet", "--socket", b.sock, "--",
	                   TESTPROC_BIN, "envcheck", b.sock, NULL};
	ck_assert_int_eq(broker_run(a, &err), 0);
	clean_dir(&b);
}
END_TEST

START_TEST(sigterm_without_program_exits_0_and_cleans_up)
{
	struct broker b;
	int st, e[2];
	char buf[512] = {0};

	make_dir(&b);
	ck_assert_int_eq(pipe(e), 0);
	b.pid = fork();
	if (b.pid == 0) {
		dup2(e[1], 2);
		execl(HOSTD_BIN, HOSTD_BIN, "--no-fleet", "--socket", b.sock, (char *)NULL);
		_exit(126);
	}
	close(e[1]);
	/* It says where it listens once it does. */
	size_t n = 0;
	while (!strstr(buf, "listening") && n < sizeof(buf) - 1) {
		ssize_t r = read(e[0], buf + n, sizeof(buf) - 1 - n);
		ck_assert_int_gt(r, 0);
		n += (size_t)r;
	}
	uint32_t pid;
	int s = attach(&b, &pid);
	ck_assert_int_eq(kill(b.pid, SIGTERM), 0);
	ck_assert_int_eq(waitpid(b.pid, &st, 0), b.pid);
	ck_assert_int_eq(status_code(st), 0);
	ck_assert(closed_by_broker(s));
	ck_assert_int_ne(access(b.sock, F_OK), 0);
	close(s);
	close(e[0]);
	clean_dir(&b);
}
END_TEST

START_TEST(a_socket_in_use_is_not_taken_over)
{
	struct broker b;
	const char *err;

	broker_start(&b);
	const char *a[] = {"--no-fleet", "--socket", b.sock, "--", "/bin/true", NULL};
	ck_assert_int_eq(broker_run(a, &err), 1);
	ck_assert_ptr_nonnull(strstr(err, "cannot listen"));
	uint32_t pid;
	int s = attach(&b, &pid);
	close(s);
	broker_done(&b);
}
END_TEST

/* ---- fleet ---- */

static const char *write_fleet(struct broker *b, const char *text)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/fleet", b->dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static const struct {
	const char *text;
	int line;
	const char *what;
} bad_fleets[] = {
        {"# fleet\nbogus x y\n", 2, "unknown directive"},
        {"server\n", 1, "needs a name"},
        {"server a\n", 1, "has no program"},
        {"server a restart=never\n", 1, "has no program"},
        {"server a /bin/true\nserver a /bin/true\n", 2, "already defined on line 1"},
        {"server a /bin/true restart=sometimes\n", 1, "restart must be"},
        {"server a /bin/true\n\tbackoff=fast\n", 2, "backoff must be"},
        {"server a /bin/true\n\tbackoff=0\n", 2, "backoff must be"},
        {"server a /bin/true\n  color=red\n", 2, "unknown option"},
        {"  restart=always\nserver a /bin/true\n", 1, "must follow a 'server' line"},
        {"server a /bin/true sandbox=Bad!\n", 1, "sandbox policy"},
        {"server a /bin/true sandbox=loose\n", 1, "sandbox policy 'loose' is unknown"},
        {"server a /bin/true allow=openat,nosuchcall\n", 1, "'nosuchcall' is not a system call"},
        {"server a /bin/true allow=openat,\n", 1, "'' is not a system call name"},
        {"server a /bin/true sandbox=none\n\tallow=openat\n", 2, "sandbox=none has no sandbox"},
        {"server a /bin/true restart=never\n restart=always\n", 2, "given twice"},
        {"server bad/name /bin/true\n", 1, "is not a name"},
        {"server a /bin/true wellknown=seventeen-bytes-x\n", 1, "well-known name"},
        {"server a /bin/true wellknown=x\nserver b /bin/true\n\twellknown=x\n", 3,
         "is already server a's (line 1)"},
        {"server a /bin/true wellknown=xous-name-server\nserver b /x/xous-names\n", 2,
         "is already server a's (line 1)"},
        {"physmem 0\n", 1, "physmem 0: a size in whole pages"},
        {"physmem 3000\n", 1, "a size in whole pages"},
        {"physmem 2G\n", 1, "at most 1G"},
        {"physmem 64Q\n", 1, "a size in whole pages"},
        {"physmem 17179869184G\n", 1, "at most 1G"},
        {"physmem\n", 1, "needs one size"},
        {"physmem 1M\nphysmem 2M\n", 2, "given twice"},
        {"server a /bin/true phys=gpu\n", 1, "phys=gpu: expected pool"},
        {"server a /bin/true file=/nonexistent/disk.img\n", 1, "No such file or directory"},
        {"server a /bin/true file=/dev/null\n", 1, "not a regular file or a block device"},
        {"server a /bin/true file=/\n", 1, "file=/: "},
};

/* --disk IMAGE: the group's lines are checked as a fleet file's. */
START_TEST(disk_option_checks_its_image)
{
	struct broker b;
	const char *err;

	make_dir(&b);
	const char *a[] = {"--disk", "/nonexistent/disk.img", "--socket", b.sock, "--", "/bin/true",
	                   NULL};
	ck_assert_int_eq(broker_run(a, &err), 2);
	ck_assert_msg(strstr(err, "--disk /nonexistent/disk.img: file=/nonexistent/disk.img: No "
	                          "such file"),
	              "got: %s", err);
	const char *twice[] = {"--disk", "/a", "--disk", "/b", "--", "/bin/true", NULL};
	ck_assert_int_eq(broker_run(twice, &err), 2);
	ck_assert_msg(strstr(err, "--disk is given twice"), "got: %s", err);
	clean_dir(&b);
}
END_TEST

START_TEST(bad_fleet_files_name_the_line)
{
	struct broker b;
	const char *err;
	char want[160];

	make_dir(&b);
	const char *path = write_fleet(&b, bad_fleets[_i].text);
	const char *a[] = {"--fleet", path, "--socket", b.sock, "--", "/bin/true", NULL};
	ck_assert_int_eq(broker_run(a, &err), 2);
	snprintf(want, sizeof(want), "%s:%d: ", path, bad_fleets[_i].line);
	ck_assert_msg(strstr(err, want) && strstr(err, bad_fleets[_i].what), "got: %s", err);
	clean_dir(&b);
}
END_TEST

START_TEST(a_missing_fleet_file_exits_2)
{
	const char *err;
	const char *a[] = {"--fleet", "/nonexistent/fleet", "--", "/bin/true", NULL};

	ck_assert_int_eq(broker_run(a, &err), 2);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/fleet"));
}
END_TEST

START_TEST(program_starts_once_the_fleet_is_ready)
{
	struct broker b;
	const char *err;
	char text[512];

	make_dir(&b);
	snprintf(text, sizeof(text),
	         "# two servers, then PROGRAM\n"
	         "server one %s server hostd-test-srv01 default\n"
	         "\n"
	         "server two %s server hostd-test-srv02 host\n"
	         "\trestart=on-failure backoff=50\n"
	         "\tsandbox=host\n",
	         TESTPROC_BIN, TESTPROC_BIN);
	const char *path = write_fleet(&b, text);
	/* PROGRAM checks that both servers exist: TryConnect finds them at once. */
	const char *a[] = {"--fleet",
	                   path,
	                   "--socket",
	                   b.sock,
	                   "--",
	                   TESTPROC_BIN,
	                   "connect",
	                   "5",
	                   "hostd-test-srv01",
	                   "hostd-test-srv02",
	                   NULL};
	ck_assert_int_eq(broker_run(a, &err), 5);
	ck_assert_msg(strstr(err, "fleet ready") && strstr(err, "one") && strstr(err, "two"),
	              "got: %s", err);
	clean_dir(&b);
}
END_TEST

START_TEST(a_server_that_ends_before_ready_stops_the_broker)
{
	struct broker b;
	const char *err;
	char text[256];

	make_dir(&b);
	snprintf(text, sizeof(text), "server early %s exit 4\n", TESTPROC_BIN);
	const char *path = write_fleet(&b, text);
	const char *a[] = {"--fleet", path, "--socket", b.sock, "--", "/bin/true", NULL};
	ck_assert_int_eq(broker_run(a, &err), 1);
	ck_assert_msg(strstr(err, "early exited with status 4") &&
	                      strstr(err, "before the fleet was ready") &&
	                      !strstr(err, "fleet ready\n"),
	              "got: %s", err);
	clean_dir(&b);
}
END_TEST

START_TEST(a_wrong_sandbox_name_shows_in_the_server)
{
	struct broker b;
	const char *err;
	char text[256];

	make_dir(&b);
	/* The helper exits 9 unless XOUS_SANDBOX is what it expects. */
	snprintf(text, sizeof(text), "server s %s server hostd-test-srv01 default sandbox=host\n",
	         TESTPROC_BIN);
	const char *path = write_fleet(&b, text);
	const char *a[] = {"--fleet", path, "--socket", b.sock, "--", "/bin/true", NULL};
	ck_assert_int_eq(broker_run(a, &err), 1);
	ck_assert_msg(strstr(err, "exited with status 9"), "got: %s", err);
	clean_dir(&b);
}
END_TEST

START_TEST(restart_on_failure_brings_a_server_back)
{
	struct broker b;
	const char *err;
	char text[512];

	make_dir(&b);
	snprintf(text, sizeof(text),
	         "server flaky %s fail-once %s/marker hostd-test-srv01 restart=on-failure "
	         "backoff=10 allow=openat\n",
	         TESTPROC_BIN, b.dir);
	const char *path = write_fleet(&b, text);
	const char *a[] = {"--fleet", path, "--socket", b.sock, "--",
	                   "/bin/sh", "-c", "exit 6",   NULL};
	ck_assert_int_eq(broker_run(a, &err), 6);
	ck_assert_msg(strstr(err, "flaky exited with status 3") &&
	                      strstr(err, "restarting flaky") && strstr(err, "fleet ready"),
	              "got: %s", err);
	clean_dir(&b);
}
END_TEST

/* A fleet server's well-known id is its role: nobody else creates it, not
 * even once that server is dead and not restarted. */
START_TEST(a_fleet_servers_wellknown_id_is_its_alone)
{
	struct broker b;
	char text[256], line[128];
	uint64_t sid[4], other[4];
	uint32_t pid;

	make_dir(&b);
	snprintf(text, sizeof(text), "server s %s server %s wellknown=%s\n", TESTPROC_BIN, SRV_NAME,
	         SRV_NAME);
	const char *path = write_fleet(&b, text);
	const char *a[] = {"--fleet",    path,   "--socket", b.sock, "--",
	                   TESTPROC_BIN, "wait", "0",        NULL};
	broker_spawn(&b, a);
	ck_assert(broker_line(&b, "server ", line, sizeof(line)));
	pid_t lpid = atoi(line + 7);
	ck_assert(broker_line(&b, "ready", line, sizeof(line)));
	int s = attach(&b, &pid);
	rx_sid(SRV_NAME, sid);
	ck_assert_uint_eq(create_with_address(s, sid), XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(kill(lpid, SIGKILL), 0);
	wait_server_gone(s, sid);
	ck_assert_uint_eq(create_with_address(s, sid), XOUS_ERR_ACCESS_DENIED);
	rx_sid("hostd-test-srv02", other); /* no role: anyone's */
	ck_assert_uint_eq(create_with_address(s, other), XOUS_RESULT_NEW_SERVER_ID);
	close(s);
	broker_done(&b);
}
END_TEST

#ifdef NAMES_BIN
/* A fleet file that runs the default fleet's name server under its own
 * program name gives it its role without saying so. */
START_TEST(a_default_fleet_program_keeps_its_registry_name)
{
	struct broker b;
	const char *err;
	char text[256];

	make_dir(&b);
	snprintf(text, sizeof(text), "server names %s\n", NAMES_BIN);
	const char *path = write_fleet(&b, text);
	const char *a[] = {"--fleet", path, "--socket",         b.sock, "--", TESTPROC_BIN,
	                   "connect", "5",  "xous-name-server", NULL};
	ck_assert_int_eq(broker_run(a, &err), 5);
	clean_dir(&b);
}
END_TEST
#endif

#ifdef NAMES_BIN
/* MapMemory with a physical address under a pool of 1 MiB: hostd-phys's
 * attacks are all refused, the broker lives on, a dead process's pages
 * are free again; without phys=pool the vm server grants nothing. */
START_TEST(phys_attacks_are_refused_and_the_broker_survives)
{
	static const char *const phys[] = {"", "phys=none"};
	struct broker b;
	const char *err;
	char text[512];

	make_dir(&b);
	snprintf(text, sizeof(text), "physmem 1M\nserver names %s\nserver vm %s %s\n", NAMES_BIN,
	         VM_BIN, phys[_i]);
	const char *path = write_fleet(&b, text);
	const char *a[] = {"--fleet", path, "--socket", b.sock, "--", PHYS_BIN, NULL};
	ck_assert_int_eq(broker_run(a, &err), _i == 0 ? 0 : 1);
	clean_dir(&b);
}
END_TEST

/* The Linux pid of fleet server name in the broker's process table, or -1. */
static pid_t fleet_lpid(const char *err, const char *name)
{
	for (const char *l = err; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		char nm[64];
		unsigned pid;
		int lpid;

		if (sscanf(l, "xous-hostd: %u %63s %d", &pid, nm, &lpid) == 3 && !strcmp(nm, name))
			return lpid;
	}
	return -1;
}

/* What a process of the same uid can take from pid: a bit per way in. */
static int ways_in(pid_t pid, int fd)
{
	char path[64];
	struct stat st;
	int ways = 0, pfd = (int)syscall(SYS_pidfd_open, pid, 0), got;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if (stat(path, &st) == 0 && st.st_uid == geteuid())
		ways |= 1; /* its fd directory is ours, not root's: it is dumpable */
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	got = open(path, O_RDONLY | O_NONBLOCK);
	if (got >= 0) {
		ways |= 2;
		close(got);
	}
	got = pfd >= 0 ? (int)syscall(SYS_pidfd_getfd, pfd, fd, 0) : -1;
	if (got >= 0) {
		ways |= 4;
		close(got);
	}
	if (pfd >= 0)
		close(pfd);
	return ways;
}

/*
 * Another process of the same uid may not take the broker's or a fleet
 * server's fds (a fleet server's fd 3 is its identity). The whole system
 * runs as nobody, started by a process of nobody that then tries every way
 * in: as its ancestor no ptrace scope rule could stand in the way, so only
 * the processes' own undumpable flag keeps it out.
 */
START_TEST(the_broker_and_its_fleet_servers_are_not_dumpable)
{
	struct broker b;
	char text[256];
	int st;

	make_dir(&b);
	ck_assert_int_eq(chmod(b.dir, 0777), 0);
	snprintf(text, sizeof(text), "server names %s\n", NAMES_BIN);
	const char *path = write_fleet(&b, text);
	pid_t p = fork();
	if (p == 0) {
		char line[128];
		const char *a[] = {"--fleet",    path,   "--socket", b.sock, "--",
		                   TESTPROC_BIN, "wait", "0",        NULL};

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(100);
		if (access(NAMES_BIN, X_OK) != 0)
			_exit(99); /* the build lies where nobody may not go */
		broker_spawn(&b, a);
		if (!broker_line(&b, "ready", line, sizeof(line)))
			_exit(101);
		pid_t names = fleet_lpid(slurp(b.err), "names");
		if (names < 0)
			_exit(102);
		int ways = ways_in(b.pid, 0) | ways_in(names, 3) << 3;
		close(b.in);
		waitpid(b.pid, &st, 0);
		_exit(ways);
	}
	ck_assert_int_eq(waitpid(p, &st, 0), p);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 99) {
		fprintf(stderr, "not dumpable: not checked, the user nobody cannot run %s\n",
		        NAMES_BIN);
		clean_dir(&b);
		return;
	}
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	              "ways in (bits 0-2 the broker's, 3-5 the name server's): %d",
	              status_code(st));
	clean_dir(&b);
}
END_TEST
#endif

#ifdef SANDBOXED_BIN
START_TEST(a_server_killed_by_its_sandbox_is_reported)
{
	static const char *const policy[] = {"default", "none"};
	static const char *const want[] = {"server s killed by signal 31 (SIGSYS)",
	                                   "server s exited with status 0"};
	struct broker b;
	const char *err;
	char text[256];

	/* It opens a file: its sandbox kills it, unless it has none. */
	make_dir(&b);
	snprintf(text, sizeof(text), "server s %s sandbox=%s\n", SANDBOXED_BIN, policy[_i]);
	const char *path = write_fleet(&b, text);
	const char *a[] = {"--fleet", path, "--socket", b.sock, "--", "/bin/true", NULL};
	ck_assert_int_eq(broker_run(a, &err), 1);
	ck_assert_msg(strstr(err, want[_i]), "got: %s", err);
	clean_dir(&b);
}
END_TEST
#endif

START_TEST(a_socket_path_too_long_is_refused)
{
	const char *err;
	char path[300];

	memset(path, 'x', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = 0;
	const char *a[] = {"--no-fleet", "--socket", path, "--", "/bin/true", NULL};
	ck_assert_int_eq(broker_run(a, &err), 1);
	ck_assert_ptr_nonnull(strstr(err, "File name too long"));
}
END_TEST

START_TEST(processes_do_not_outlive_a_killed_broker)
{
	struct broker b;
	char text[256], line[128];
	int st;

	make_dir(&b);
	snprintf(text, sizeof(text), "server s %s server hostd-test-srv01\n", TESTPROC_BIN);
	const char *path = write_fleet(&b, text);
	const char *a[] = {"--fleet",    path,   "--socket", b.sock, "--",
	                   TESTPROC_BIN, "wait", "0",        NULL};
	broker_spawn(&b, a);
	ck_assert(broker_line(&b, "ready", line, sizeof(line)));
	ck_assert_int_eq(kill(b.pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(b.pid, &st, 0), b.pid);
	/* PROGRAM and the fleet server hold the other end of this pipe: EOF
	 * comes once both are gone (b.in stays open, so PROGRAM would wait). */
	while (fgets(line, sizeof(line), b.out))
		;
	close(b.in);
	fclose(b.out);
	clean_dir(&b);
}
END_TEST

static Suite *hostd_suite(void)
{
	Suite *s = suite_create("hostd");
	TCase *t;

	t = tcase_create("attach");
	tcase_set_timeout(t, 30);
	tcase_add_test(t, attach_with_key_gives_a_new_process);
	tcase_add_test(t, attach_with_a_bad_key_is_refused);
	tcase_add_test(t, attach_without_hello_is_closed);
	tcase_add_test(t, socket_and_key_are_private_and_removed_at_exit);
	tcase_add_test(t, an_attach_that_never_says_hello_is_closed);
	tcase_add_test(t, idle_attach_connections_do_not_lock_others_out);
	tcase_add_test(t, without_socket_the_files_live_in_a_private_directory);
	if (geteuid() == 0) {
		tcase_add_test(t, attach_from_another_uid_is_refused);
		tcase_add_loop_test(t, a_key_file_that_is_not_ours_is_refused, 0, 2);
	}
	suite_add_tcase(s, t);

	t = tcase_create("frames");
	tcase_set_timeout(t, 30);
	tcase_add_loop_test(t, garbage_disconnects_only_the_sender, 0, G_COUNT);
	tcase_add_test(t, unknown_and_refused_syscalls_answer_errors);
	suite_add_tcase(s, t);

	t = tcase_create("lend");
	tcase_set_timeout(t, 30);
	tcase_add_loop_test(t, bad_lent_memory_answers_an_error, 0, L_COUNT);
	tcase_add_test(t, borrow_gives_the_server_a_read_only_fd);
	tcase_add_test(t, mutable_borrow_writes_reach_the_caller);
	tcase_add_test(t, move_returns_at_once_and_hands_over_the_pages);
	tcase_add_test(t, part_of_a_memfd_is_copied_exactly);
	tcase_add_test(t, moved_pages_are_out_of_the_callers_reach);
	tcase_add_test(t, strict_lend_copies_every_lend);
	suite_add_tcase(s, t);

	t = tcase_create("death");
	tcase_set_timeout(t, 30);
	tcase_add_test(t, server_death_fails_its_blocked_and_queued_callers);
	tcase_add_test(t, server_death_returns_lent_memory_with_its_writes);
	tcase_add_test(t, caller_death_lets_the_answer_succeed_quietly);
	tcase_add_test(t, terminate_process_ends_it_and_its_servers);
	tcase_add_test(t, killed_child_fails_its_callers_and_sets_the_exit_status);
	tcase_add_test(t, no_fd_stays_behind_when_processes_die);
	suite_add_tcase(s, t);

	t = tcase_create("scale");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, holds_a_thousand_processes_and_ten_thousand_connections);
	tcase_add_test(t, out_of_fds_answers_errors_and_recovers);
	suite_add_tcase(s, t);

	t = tcase_create("threads");
	tcase_set_timeout(t, 30);
	tcase_add_test(t, attached_and_created_threads_get_their_own_tids);
	tcase_add_test(t, a_thread_blocked_in_receive_ends_cleanly);
	tcase_add_test(t, a_process_that_gives_away_its_own_socket_still_dies);
	tcase_add_loop_test(t, a_thread_connection_must_be_the_processs_own, 0, T_COUNT);
	tcase_add_test(t, refused_thread_fds_do_not_flood_the_log);
	suite_add_tcase(s, t);

	t = tcase_create("cli");
	tcase_set_timeout(t, 30);
	tcase_add_test(t, exit_status_is_programs);
	tcase_add_test(t, bad_options_print_usage_and_exit_2);
	tcase_add_test(t, program_gets_fd_3_and_the_environment);
	tcase_add_test(t, sigterm_without_program_exits_0_and_cleans_up);
	tcase_add_test(t, a_socket_in_use_is_not_taken_over);
	tcase_add_test(t, a_socket_path_too_long_is_refused);
	suite_add_tcase(s, t);

	t = tcase_create("fleet");
	tcase_set_timeout(t, 30);
	tcase_add_test(t, disk_option_checks_its_image);
	tcase_add_loop_test(t, bad_fleet_files_name_the_line, 0,
	                    (int)(sizeof(bad_fleets) / sizeof(bad_fleets[0])));
	tcase_add_test(t, a_missing_fleet_file_exits_2);
	tcase_add_test(t, program_starts_once_the_fleet_is_ready);
	tcase_add_test(t, a_server_that_ends_before_ready_stops_the_broker);
	tcase_add_test(t, a_wrong_sandbox_name_shows_in_the_server);
	tcase_add_test(t, restart_on_failure_brings_a_server_back);
	tcase_add_test(t, processes_do_not_outlive_a_killed_broker);
	tcase_add_test(t, a_fleet_servers_wellknown_id_is_its_alone);
#ifdef NAMES_BIN
	tcase_add_test(t, a_default_fleet_program_keeps_its_registry_name);
	tcase_add_loop_test(t, phys_attacks_are_refused_and_the_broker_survives, 0, 2);
	if (geteuid() == 0)
		tcase_add_test(t, the_broker_and_its_fleet_servers_are_not_dumpable);
#endif
#ifdef SANDBOXED_BIN
	tcase_add_loop_test(t, a_server_killed_by_its_sandbox_is_reported, 0, 2);
#endif
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hostd_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

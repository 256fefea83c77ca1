/*
 * sandbox.c - the sandbox, live (CONTRACT section 4.13).
 *
 * Run under the broker: `xous-hostd --no-fleet -- rel_sandbox`.
 *
 * The library's narrow filter: each case is a child started with
 * XOUS_SANDBOX=default (the filter is in place before its main() runs)
 * that attaches to the broker like a fleet server and makes one attempt
 * (attempt.c): a forbidden call must kill it by SIGSYS, an mremap that
 * grows or aliases must answer EPERM; what a server needs (threads,
 * memory, lends, clocks, stdout, the broker) must work, and the broker
 * must carry on. A datagram address given to sendmsg on the seqpacket
 * socketpair a sandboxed process may make goes to the peer, never to the
 * address (nor does the fd sent with it).
 *
 * The broker's baseline: each case runs a broker of its own whose fleet is
 * one program that does not link libxous-host (rel_plain) making one
 * attempt; the broker must report the SIGSYS death (or the exit status of
 * what the baseline allows), and allow= on the fleet line must widen the
 * sandbox, for rel_plain and for a program that links the library.
 *
 * Role "fleet-client" is the PROGRAM of a fleet whose server "rel-sigsys"
 * (role "fleet-serve", sandbox=default) calls socket() when asked: the
 * caller gets SERVER_NOT_FOUND and the broker reports the death as SIGSYS
 * (ctest reliability.sandbox_fleet checks the broker's words).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xous/names.h>

#include "attempt.h"
#include "rel.h"

#define KILLED -1 /* want: killed by SIGSYS */

/* What the library's narrow default filter does with each attempt. */
static const struct {
	const char *what;
	int want; /* KILLED or the exit status */
} narrow_cases[] = {
        {"open", KILLED},
        {"open-write", KILLED},
        {"socket", KILLED},
        {"unix-socket", KILLED},
        {"connect", KILLED},
        {"sendto", KILLED},
        {"dgram-pair", KILLED},
        {"execve", KILLED},
        {"ptrace", KILLED},
        {"kill", KILLED},
        {"fork", KILLED},
        {"netns-thread", KILLED},
        {"exec-anon", KILLED},
        {"exec-memfd", KILLED},
        {"exec-mprotect", KILLED},
        {"exec-pkey", KILLED},
        {"hugetlb", KILLED},
        {"mremap-grow", REL_REFUSED},
        {"mremap-alias", REL_REFUSED},
        {"stdout", REL_WENT_THROUGH},
};

/* What the broker's baseline does with each attempt of rel_plain: it keeps
 * what the loader needs (read-only open, file mappings with PROT_EXEC,
 * mprotect) and denies the rest as the narrow filter does. */
static const struct {
	const char *what;
	int want;
} baseline_cases[] = {
        {"open", REL_WENT_THROUGH},
        {"stdout", REL_WENT_THROUGH},
        {"exec-memfd", REL_WENT_THROUGH},
        {"exec-mprotect", REL_WENT_THROUGH},
        {"open-write", KILLED},
        {"open-create", KILLED},
        {"socket", KILLED},
        {"unix-socket", KILLED},
        {"connect", KILLED},
        {"sendto", KILLED},
        {"dgram-pair", KILLED},
        {"ptrace", KILLED},
        {"kill", KILLED},
        {"fork", KILLED},
        {"netns-thread", KILLED},
        {"exec-anon", KILLED},
        {"exec-pkey", KILLED},
        {"hugetlb", KILLED},
        {"mremap-grow", REL_REFUSED},
        {"mremap-alias", REL_REFUSED},
};

static void *thread_main(void *arg)
{
	*(int *)arg += 1;
	return arg;
}

/* Answer one Borrow with its last byte as the offset. */
static void *serve_borrow(void *arg)
{
	xous_envelope_t env;

	if (xous_receive_message(arg, &env) == XOUS_OK && env.kind == XOUS_BORROW)
		xous_return_memory(env.sender,
		                   ((unsigned char *)env.memory.buf.addr)[env.memory.buf.len - 1],
		                   0);
	return NULL;
}

/* A lend large enough to hide the caller's pages with mremap, to a thread
 * of this process; 0 if it was answered. */
static int lend_to_self(xous_sid_t *s, xous_cid_t cid)
{
	xous_range_t r;
	xous_tid_t tid;
	size_t off = 0, valid = 0;

	if (xous_map_memory(1 << 20, XOUS_MEM_R | XOUS_MEM_W, &r))
		return 1;
	memset(r.addr, 9, r.len);
	if (xous_create_thread(serve_borrow, s, &tid) ||
	    xous_lend(cid, 1, r, 0, r.len, &off, &valid) || xous_join_thread(tid, NULL) ||
	    off != 9 || ((char *)r.addr)[0] != 9)
		return 1;
	return xous_unmap_memory(r) ? 1 : 0;
}

/* glibc's realloc of a large block tries mremap to grow it; refused, it
 * copies. 0 if the contents came through. */
static int realloc_grows(void)
{
	char *p = malloc(1 << 20), *q;

	if (!p)
		return 1;
	memset(p, 5, 1 << 20);
	q = realloc(p, 4 << 20);
	if (!q)
		return 1;
	int ok = q[0] == 5 && q[(1 << 20) - 1] == 5;
	free(q);
	return ok ? 0 : 1;
}

/* Everything a server needs; 0 if all of it worked. */
static int allowed_things(void)
{
	struct timespec t, nap = {0, 1000 * 1000};
	xous_range_t r;
	xous_tid_t tid;
	pthread_t pt;
	xous_sid_t s;
	xous_cid_t cid;
	xous_envelope_t env;
	int n = 0;
	char *big;

	if (xous_create_thread(thread_main, &n, &tid) || xous_join_thread(tid, NULL))
		return 10;
	if (pthread_create(&pt, NULL, thread_main, &n) || pthread_join(pt, NULL) || n != 2)
		return 11;
	if (xous_map_memory(1 << 20, XOUS_MEM_R | XOUS_MEM_W, &r))
		return 12;
	memset(r.addr, 7, r.len);
	if (xous_unmap_memory(r))
		return 13;
	big = malloc(16 << 20); /* large enough for its own mmap */
	if (!big)
		return 14;
	memset(big, 1, 16 << 20);
	free(big);
	if (clock_gettime(CLOCK_MONOTONIC, &t) || clock_gettime(CLOCK_REALTIME, &t) ||
	    nanosleep(&nap, NULL))
		return 15;
	if (xous_create_server(&s) || xous_try_connect(&s, &cid) ||
	    xous_send_scalar(cid, 1, 2, 3, 4, 5) || xous_receive_message(&s, &env) ||
	    env.scalar.arg[0] != 2)
		return 16;
	if (lend_to_self(&s, cid))
		return 17;
	if (realloc_grows())
		return 18;
	if (printf("sandboxed server: threads, memory, lends, clocks, messages and stdout "
	           "work\n") < 0 ||
	    fflush(stdout))
		return 19;
	return 0;
}

static bool status_is(int status, int want)
{
	if (want == KILLED)
		return WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS;
	return WIFEXITED(status) && WEXITSTATUS(status) == want;
}

static const char *want_str(int want)
{
	switch (want) {
	case KILLED:
		return "dies by SIGSYS";
	case REL_REFUSED:
		return "gets EPERM";
	default:
		return "may do it";
	}
}

static void case_narrow(const char *what, int want)
{
	pid_t pid = itest_spawn_env("XOUS_SANDBOX=default", "attempt", what, NULL);
	int status;

	REQUIRE(pid > 0, "start the %s case", what);
	status = itest_wait(pid);
	CHECK(status_is(status, want), "library filter: a sandboxed server that tries %s %s (%s)",
	      what, want_str(want), itest_status_str(status));
}

/* A datagram address and an fd given to sendmsg on a seqpacket socketpair
 * (the only sockets a sandboxed process can make) go to the peer; the
 * address, bound here outside the sandbox, gets nothing. */
static int msgname_child(const char *name)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	char cbuf[CMSG_SPACE(sizeof(int))] = {0}, data = 'x';
	struct iovec io = {&data, 1};
	struct msghdr m = {.msg_name = &a,
	                   .msg_namelen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	                                              strlen(name)),
	                   .msg_iov = &io,
	                   .msg_iovlen = 1,
	                   .msg_control = cbuf,
	                   .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	int sv[2], fd = 3;

	memcpy(a.sun_path + 1, name, strlen(name));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 ||
	    sendmsg(sv[0], &m, 0) != 1)
		return 3;
	return recv(sv[1], &data, 1, MSG_DONTWAIT) == 1 ? 0 : 4;
}

static void case_msgname(void)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	char name[64], buf[8];
	int d = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), status;

	snprintf(name, sizeof(name), "xous-rel-sandbox.%d", (int)getpid());
	memcpy(a.sun_path + 1, name, strlen(name));
	REQUIRE(d >= 0 && bind(d, (struct sockaddr *)&a,
	                       (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	                                   strlen(name))) == 0,
	        "bind an abstract datagram socket outside the sandbox");
	pid_t pid = itest_spawn_env("XOUS_SANDBOX=default", "msgname", name, NULL);
	REQUIRE(pid > 0, "start the msg_name case");
	status = itest_wait(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "sendmsg with msg_name and SCM_RIGHTS on a seqpacket socketpair reaches its peer "
	      "(%s)",
	      itest_status_str(status));
	CHECK(recv(d, buf, sizeof(buf), MSG_DONTWAIT) < 0 && errno == EAGAIN,
	      "the address named in msg_name gets nothing");
	close(d);
}

/* Run a broker of our own whose fleet is the server LINE (and PROGRAM
 * /bin/true); 1 if what it says on stderr holds want. */
static int fleet_says(const char *line, const char *want, char *out, size_t len)
{
	char dir[] = "/tmp/rel-sandbox.XXXXXX", fleet[64], sock[64];
	size_t n = 0;
	ssize_t got;
	int pfd[2];
	FILE *f;

	out[0] = 0;
	if (!mkdtemp(dir) || pipe2(pfd, O_CLOEXEC) < 0)
		return 0;
	snprintf(fleet, sizeof(fleet), "%s/fleet", dir);
	snprintf(sock, sizeof(sock), "%s/sock", dir);
	f = fopen(fleet, "w");
	if (!f || fprintf(f, "server %s\n", line) < 0 || fclose(f) != 0)
		return 0;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 2);
		execl(XOUS_HOSTD_BIN, "xous-hostd", "--fleet", fleet, "--socket", sock, "--",
		      "/bin/true", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	while (n + 1 < len && (got = read(pfd[0], out + n, len - 1 - n)) > 0)
		n += (size_t)got;
	out[n] = 0;
	close(pfd[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	unlink(fleet);
	rmdir(dir);
	return strstr(out, want) != NULL;
}

static void case_fleet(const char *name, const char *prog, const char *args, int want)
{
	char line[512], msg[128], out[8192];

	snprintf(line, sizeof(line), "%s %s %s", name, prog, args);
	if (want == KILLED)
		snprintf(msg, sizeof(msg), "server %s killed by signal 31 (SIGSYS)", name);
	else
		snprintf(msg, sizeof(msg), "server %s exited with status %d", name, want);
	CHECK(fleet_says(line, msg, out, sizeof(out)), "broker's baseline: server %s: %s", line,
	      msg);
	if (want == KILLED)
		CHECK(strstr(out, "made a system call its sandbox (default) denies"),
		      "the broker says the sandbox killed it");
}

static void baseline_cases_run(void)
{
	char args[64], self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	REQUIRE(n > 0, "find this program");
	self[n] = 0;

	for (size_t i = 0; i < sizeof(baseline_cases) / sizeof(baseline_cases[0]); i++) {
		snprintf(args, sizeof(args), "%s sandbox=default", baseline_cases[i].what);
		case_fleet("plain", REL_PLAIN_BIN, args, baseline_cases[i].want);
	}
	/* allow= widens both filters, for a plain program and one that links
	 * the library (which reads a file: openat and read) */
	case_fleet("plain", REL_PLAIN_BIN, "socket allow=socket", REL_WENT_THROUGH);
	case_fleet("lib", self, "attempt open", KILLED);
	case_fleet("lib", self, "attempt open allow=openat,read", REL_WENT_THROUGH);
}

/* A fleet server that breaks its sandbox when asked. */
static int fleet_serve(void)
{
	xous_envelope_t env;
	xous_sid_t sid;

	if (xns_register_name("rel-sigsys", 0, &sid))
		return 2;
	while (xous_receive_message(&sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_BLOCKING_SCALAR && env.scalar.id == 1)
			xous_return_scalar(env.sender, (uintptr_t)getpid());
		else
			socket(AF_INET, SOCK_STREAM, 0); /* never returns: SIGSYS */
	}
	return 3;
}

static int fleet_client(void)
{
	xous_scalar_reply_t r;
	xous_cid_t cid;

	struct timespec nap = {0, 5 * 1000 * 1000};
	char proc[64];
	int i;

	REQUIRE(xns_request_connection_blocking("rel-sigsys", &cid) == XOUS_OK &&
	                xous_blocking_scalar(cid, 1, 0, 0, 0, 0, &r) == XOUS_OK,
	        "connect to the fleet server through the name server; it tells its Linux pid");
	snprintf(proc, sizeof(proc), "/proc/%lu", (unsigned long)r.v[0]);
	CHECK_ERR(xous_blocking_scalar(cid, 2, 0, 0, 0, 0, &r), XOUS_ERR_SERVER_NOT_FOUND,
	          "a fleet server that calls socket() dies; its caller gets an error");
	/* Stay until the broker has reaped (and reported) it: a broker shutting
	 * down for our exit no longer reports its servers' ends. */
	for (i = 0; i < 4000 && access(proc, F_OK) == 0; i++)
		nanosleep(&nap, NULL);
	return itest_done();
}

int main(int argc, char **argv)
{
	const char *role = itest_role(argc, argv);
	xous_sid_t s;
	xous_cid_t cid;
	size_t i;
	pid_t pid;
	int status;

	if (role && strcmp(role, "allowed") == 0)
		return allowed_things();
	if (role && strcmp(role, "fleet-serve") == 0)
		return fleet_serve();
	if (role && strcmp(role, "fleet-client") == 0)
		return fleet_client();
	if (role && strcmp(role, "msgname") == 0 && argc > 2)
		return msgname_child(argv[2]);
	if (role && strcmp(role, "attempt") == 0 && argc > 2)
		return rel_attempt(argv[2]);
	if (role)
		return REL_UNKNOWN;
	for (i = 0; i < sizeof(narrow_cases) / sizeof(narrow_cases[0]); i++)
		case_narrow(narrow_cases[i].what, narrow_cases[i].want);
	case_msgname();
	pid = itest_spawn_env("XOUS_SANDBOX=default", "allowed", NULL, NULL);
	REQUIRE(pid > 0, "start the allowed case");
	status = itest_wait(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a sandboxed server uses threads, memory, lends, clocks, the broker and stdout (%s)",
	      itest_status_str(status));
	CHECK(xous_create_server(&s) == XOUS_OK && xous_try_connect(&s, &cid) == XOUS_OK &&
	              xous_send_scalar(cid, 1, 0, 0, 0, 0) == XOUS_OK,
	      "the broker carries on after the SIGSYS deaths");
	baseline_cases_run();
	return itest_done();
}

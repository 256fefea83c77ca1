/*
 * net.c - the ping scenario (group "net"): ping's round trip from the
 * broker's network namespace (xous-hostd --net) to the ip server, through
 * the TAP device, net and ip ("ours"), beside the host's own ping, in the
 * same run, from that namespace to a veth peer in a namespace of its own,
 * where the kernel alone answers ("veth"). Both are iputils ping in
 * adaptive mode (-A: one probe in flight); a batch's time is ping's
 * average round trip.
 *
 * The broker runs `xous-bench --inner net -` as PROGRAM: in the namespace
 * it starts dnsmasq (so that ip gets 10.0.2.15) and makes the veth pair
 * (10.0.3.1 here, 10.0.3.2 in the peer's namespace), waits for ip's lease,
 * prints the namespace's path, and stays until the broker ends it. Needs
 * root, /dev/net/tun, nsenter, dnsmasq, ping and ip; without them the
 * scenario is skipped with the reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <resea/ip.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../integration/net_dnsmasq.h"
#include "bench.h"

#define NET_LEASED NET_DNSMASQ_LEASED
#define NET_HERE   "10.0.3.1"
#define NET_PEER   "10.0.3.2"
#define NET_NS_MAX 64

struct net_bench {
	char ns[NET_NS_MAX];
	const char *addr; /* what the variant pings */
};

static struct net_bench net_ours, net_veth;

/* Run argv in namespace ns (nsenter); its stdout into out (len bytes), if
 * out. The exit status, or -1. */
static int net_run(const char *ns, char *const argv[], char *out, size_t len)
{
	char opt[NET_NS_MAX + 8];
	char *v[24] = {"nsenter", opt};
	int p[2], n = 2, status;
	size_t got = 0;
	pid_t pid;

	snprintf(opt, sizeof(opt), "--net=%s", ns);
	for (int i = 0; argv[i] && n < 23; i++)
		v[n++] = argv[i];
	v[n] = NULL;
	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (out && dup2(p[1], 1) < 0)
			_exit(127);
		execvp("nsenter", v);
		_exit(127);
	}
	close(p[1]);
	while (out && pid > 0 && got + 1 < len) {
		ssize_t r = read(p[0], out + got, len - 1 - got);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (out)
		out[got] = 0;
	close(p[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int net_ping(void *ctx, long n, double *ns, double *rate)
{
	struct net_bench *b = ctx;
	char count[24], out[2048], *rtt;
	char *argv[] = {"ping", "-A", "-q", "-W", "5", "-c", count, (char *)b->addr, NULL};
	double min, avg;

	(void)rate;
	snprintf(count, sizeof(count), "%ld", n);
	if (net_run(b->ns, argv, out, sizeof(out)) != 0 ||
	    !(rtt = strstr(out, "rtt min/avg/max/mdev = ")) ||
	    sscanf(rtt, "rtt min/avg/max/mdev = %lf/%lf/", &min, &avg) != 2) {
		fprintf(stderr, "xous-bench: ping %s failed:\n%s", b->addr, out);
		return -1;
	}
	*ns = avg * 1e6;
	return 0;
}

int net_ping_ours(void *ctx, long n, double *ns, double *rate)
{
	return net_ping(ctx ? ctx : &net_ours, n, ns, rate);
}

int net_ping_veth(void *ctx, long n, double *ns, double *rate)
{
	return net_ping(ctx ? ctx : &net_veth, n, ns, rate);
}

/* Why the scenario cannot run here (NULL: it can). */
static const char *net_missing(void)
{
	static const char *const tools[] = {"nsenter", "dnsmasq", "ping", "ip"};
	static char why[96];

	if (geteuid() != 0)
		return "it needs root (a network namespace)";
	if (access("/dev/net/tun", R_OK | W_OK) != 0)
		return "it needs /dev/net/tun";
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		char cmd[64];

		snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tools[i]);
		if (system(cmd) != 0) {
			snprintf(why, sizeof(why), "it needs %s (scripts/deps bench test)",
			         tools[i]);
			return why;
		}
	}
	return NULL;
}

/* The broker's stdout, where the log server writes too: kept open (and
 * not read past the namespace's line) while the broker runs. */
static FILE *net_out;

const char *net_bench_start(const struct ours_build *b)
{
	const char *why = net_missing();
	char *argv[] = {(char *)b->hostd, "--net", "--", (char *)b->self,
	                "--inner",        "net",   "-",  NULL};
	char line[512];
	int p[2];

	if (why)
		return why;
	if (pipe2(p, O_CLOEXEC) != 0)
		return "pipe failed";
	if (bench_spawn(argv, -1, p[1], -1) < 0)
		return "xous-hostd --net did not start";
	close(p[1]);
	net_out = fdopen(p[0], "r");
	while (net_out && fgets(line, sizeof(line), net_out))
		if (strncmp(line, "/proc/", 6) == 0 && strlen(line) < NET_NS_MAX) {
			line[strcspn(line, "\n")] = 0;
			snprintf(net_ours.ns, sizeof(net_ours.ns), "%s", line);
			memcpy(net_veth.ns, net_ours.ns, sizeof(net_veth.ns));
			net_ours.addr = NET_LEASED;
			net_veth.addr = NET_PEER;
			return NULL;
		}
	return "the fleet with --net did not come up (no lease)";
}

/* ---- the inner role, PROGRAM of xous-hostd --net ---- */

static pid_t net_spawn(char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* A process in a network namespace of its own, until we end. */
static pid_t net_peer(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare(CLONE_NEWNET) != 0)
			_exit(1);
		pause();
		_exit(0);
	}
	return pid;
}

int net_inner(void)
{
	const char *ns = getenv("XOUS_NETNS");
	char opt[NET_NS_MAX + 8], peer_ns[64], peer[16];
	struct ip_info info;
	pid_t peer_pid;

	if (!ns)
		return 2;
	snprintf(opt, sizeof(opt), "--net=%s", ns);
	char *dnsmasq[] = {"nsenter", opt, NET_DNSMASQ_ARGS("12h"), "--quiet-dhcp", NULL};
	if (net_spawn(dnsmasq) < 0 || (peer_pid = net_peer()) < 0)
		return 1;
	snprintf(peer, sizeof(peer), "%d", (int)peer_pid);
	snprintf(peer_ns, sizeof(peer_ns), "/proc/%d/ns/net", (int)peer_pid);
	char *link[] = {"ip",   "link", "add", "xb0",   "type", "veth",
	                "peer", "name", "xb1", "netns", peer,   NULL};
	char *here[] = {"ip", "addr", "add", NET_HERE "/24", "dev", "xb0", NULL};
	char *up[] = {"ip", "link", "set", "xb0", "up", NULL};
	char *there[] = {"ip", "addr", "add", NET_PEER "/24", "dev", "xb1", NULL};
	char *there_up[] = {"ip", "link", "set", "xb1", "up", NULL};
	if (net_run(ns, link, NULL, 0) != 0 || net_run(ns, here, NULL, 0) != 0 ||
	    net_run(ns, up, NULL, 0) != 0 || net_run(peer_ns, there, NULL, 0) != 0 ||
	    net_run(peer_ns, there_up, NULL, 0) != 0) {
		fprintf(stderr, "xous-bench: the veth pair could not be made\n");
		return 1;
	}
	if (ip_wait_lease(&info) != XOUS_OK)
		return 1;
	printf("%s\n", ns);
	fflush(stdout);
	for (;;) /* until the broker ends us; our children die with us */
		pause();
}

/*
 * main.c - xous-hostd: the Xous kernel as a Linux broker.
 *
 *   xous-hostd [--no-fleet] [--fleet FILE] [--socket PATH] [--strict-lend]
 *              [--path DIR]... [--wait-warn MS] [--disk IMAGE] [--net]
 *              [-- PROGRAM [ARGS...]]
 *
 * --disk, --net and any other optional fleet group of the server registry
 * (its GROUP lines) add the group's servers to the fleet.
 *
 * Set-up in order, then one libevent loop until shutdown. The exit status is
 * PROGRAM's (128+signal if it was killed), 0 without PROGRAM, 1 if the
 * fleet could not start, 2 for bad options or a bad fleet file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <event2/event.h>

#include "hostd.h"

#define HOSTD_GROUPS_MAX 8

struct hostd_opts {
	const char *groups[HOSTD_GROUPS_MAX]; /* optional fleet groups, in the order given */
	const char *values[HOSTD_GROUPS_MAX]; /* their values (NULL: none) */
	int ngroups;
	const char *wait_warn;
	bool no_fleet;
	const char *fleet;
	const char *socket;
	char **program;
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: xous-hostd [--no-fleet] [--fleet FILE] [--socket PATH] "
	            "[--strict-lend] [--path DIR]... [--wait-warn MS]");
	hostd_fleet_groups_usage(fp);
	fprintf(fp, " [-- PROGRAM [ARGS...]]\n"
	            "  --disk IMAGE, --net, ...  add the servers of that group of the server\n"
	            "              registry to the fleet (blk and fs on the image file IMAGE)\n"
	            "  --path DIR  where the task server's task_launch looks for programs, after\n"
	            "              the fleet's programs and the directories of FILE and PROGRAM\n"
	            "              (may be given more than once)\n"
	            "  --wait-warn MS  report a thread that waits this long (default 5000; 0: "
	            "never)\n");
}

static void bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "xous-hostd: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	usage(stderr);
	exit(2);
}

static const char *opt_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc || argv[*i + 1][0] == '\0')
		bad_usage("%s needs a value", argv[*i]);
	return argv[++*i];
}

/* A number of milliseconds, 0 .. one day; bad usage otherwise. */
static unsigned ms_value(const char *what, const char *v)
{
	char *end;
	unsigned long ms = strtoul(v, &end, 10);

	if (end == v || *end || ms > 86400000ul || v[0] == '-')
		bad_usage("%s: a number of milliseconds (0: off) is wanted", what);
	return (unsigned)ms;
}

/* --G [VALUE]: an optional fleet group of the registry, once. */
static void group_opt(int argc, char **argv, int *i, struct hostd_opts *o)
{
	const char *group = argv[*i] + 2;
	char name[32];

	hostd_fleet_group_value(group, name, sizeof(name));
	for (int g = 0; g < o->ngroups; g++)
		if (!strcmp(o->groups[g], group))
			bad_usage("%s is given twice", argv[*i]);
	if (o->ngroups == HOSTD_GROUPS_MAX)
		bad_usage("%s: too many groups", argv[*i]);
	o->groups[o->ngroups] = group;
	o->values[o->ngroups++] = name[0] ? opt_value(argc, argv, i) : NULL;
}

static void parse_opts(int argc, char **argv, struct hostd_opts *o)
{
	char name[32];
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			if (i + 1 >= argc)
				bad_usage("%s needs a PROGRAM after it", "--");
			o->program = &argv[i + 1];
			break;
		} else if (!strcmp(argv[i], "--no-fleet")) {
			o->no_fleet = true;
		} else if (!strcmp(argv[i], "--fleet")) {
			o->fleet = opt_value(argc, argv, &i);
		} else if (!strcmp(argv[i], "--socket")) {
			o->socket = opt_value(argc, argv, &i);
		} else if (!strcmp(argv[i], "--path")) {
			hostd_task_path_add(opt_value(argc, argv, &i));
		} else if (!strcmp(argv[i], "--wait-warn")) {
			o->wait_warn = opt_value(argc, argv, &i);
		} else if (!strncmp(argv[i], "--", 2) &&
		           hostd_fleet_group_value(argv[i] + 2, name, sizeof(name)) == 0) {
			group_opt(argc, argv, &i, o);
		} else if (!strcmp(argv[i], "--strict-lend")) {
			hostd.strict_lend = true; /* every lend and Move copied (lend.c) */
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			printf("The Xous kernel as a Linux broker: starts the default\n"
			       "fleet (or the --fleet FILE's, xous-fleet(5)), then\n"
			       "PROGRAM, and exits with PROGRAM's status.\n"
			       "--version prints the version. See xous-hostd(8).\n");
			exit(0);
		} else if (!strcmp(argv[i], "--version")) {
			printf("xous-hostd (xous-host) %s\n", XOUS_VERSION);
			exit(0);
		} else {
			bad_usage("unknown argument '%s'", argv[i]);
		}
	}
	if (o->no_fleet && o->fleet)
		bad_usage("%s: --no-fleet and --fleet exclude each other", "--fleet");
}

/* Children inherit 0, 1 and 2: make sure they are open, so no socket lands there. */
static void setup_stdio(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int n = open("/dev/null", O_RDWR);
		if (n >= 0 && n != fd) {
			dup2(n, fd);
			close(n);
		}
	}
}

/* Scale: 1,000 processes and 10,000 connections need more than 1,024 fds.
 * Each connection is one fd, and lends in flight hold one each. */
#define HOSTD_WANT_FDS 32768

static void setup_limits(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < HOSTD_WANT_FDS) {
		struct rlimit more = {HOSTD_WANT_FDS, HOSTD_WANT_FDS};
		if (setrlimit(RLIMIT_NOFILE, &more) == 0) /* only with CAP_SYS_RESOURCE */
			return;
	}
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			hostd_warn("cannot raise the fd limit: %s", strerror(errno));
	}
	if (rl.rlim_max < HOSTD_WANT_FDS)
		hostd_warn("fd limit %lu: past it, new connections and lends get errors",
		           (unsigned long)rl.rlim_max);
}

static void setup_exe_dir(void)
{
	ssize_t n = readlink("/proc/self/exe", hostd.exe_dir, sizeof(hostd.exe_dir) - 1);
	char *slash;

	if (n <= 0) {
		hostd.exe_dir[0] = 0;
		return;
	}
	hostd.exe_dir[n] = 0;
	slash = strrchr(hostd.exe_dir, '/');
	if (slash)
		*slash = 0;
	else
		hostd.exe_dir[0] = 0;
}

static void on_sigchld(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	(void)arg;
	hostd_proc_reap();
	hostd_run_pending();
	hostd_gc();
}

static void on_sigterm(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	(void)arg;
	if (hostd.shutting_down) /* a second ^C: stop waiting for stragglers */
		hostd_proc_signal_all(SIGKILL);
	hostd_warn("%s: shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
	hostd_shutdown(0);
}

static struct event *setup_signal(int sig, event_callback_fn cb)
{
	struct event *ev = evsignal_new(hostd.base, sig, cb, NULL);

	if (!ev || event_add(ev, NULL) < 0)
		hostd_fatal("cannot watch signal %d", sig);
	return ev;
}

/* Free what is left, so that leak checkers see a clean exit. */
static void teardown(struct event *sigs[], int n)
{
	for (uint32_t pid = 0; pid <= KC_MAX_PROCS; pid++)
		while (!LIST_EMPTY(&hostd.procs[pid].conns))
			hostd_conn_close(LIST_FIRST(&hostd.procs[pid].conns));
	while (!LIST_EMPTY(&hostd.hellos))
		hostd_conn_close(LIST_FIRST(&hostd.hellos));
	hostd_gc();
	hostd_control_close();
	hostd_waits_close();
	hostd_fleet_close();
	hostd_netns_close();
	hostd_attach_close();
	hostd_hook_close();
	hostd_warn_flush();
	for (int i = 0; i < n; i++)
		event_free(sigs[i]);
	for (size_t i = 0; i < hostd.nfleet; i++) {
		if (hostd.fleet[i].file_fd >= 0)
			close(hostd.fleet[i].file_fd);
		for (char **a = hostd.fleet[i].argv; *a; a++)
			free(*a);
		free(hostd.fleet[i].argv);
		if (hostd.fleet[i].timer)
			event_free(hostd.fleet[i].timer);
	}
	free(hostd.fleet);
	free(hostd.paths);
	while (!LIST_EMPTY(&hostd.children)) {
		struct hostd_child *ch = LIST_FIRST(&hostd.children);

		LIST_REMOVE(ch, link);
		free(ch);
	}
	if (hostd.kill_timer)
		event_free(hostd.kill_timer);
	event_base_free(hostd.base);
	free(hostd.kc);
	free(hostd.by_thread);
	free(hostd.procs);
}

int main(int argc, char **argv)
{
	struct hostd_opts o = {0};
	struct event *sigs[3];

	parse_opts(argc, argv, &o);
	hostd_warn_init();
	/* No other process of our uid may read our memory or take our fds. */
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		hostd_warn("cannot make the broker undumpable: %s", strerror(errno));
	setup_stdio();
	setup_limits();
	setup_exe_dir();
	signal(SIGPIPE, SIG_IGN);
	/* Orphans of our processes stay in our tree: an attach they make is
	 * charged to a quota (attach.c), and we reap them. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	hostd.listen_fd = -1;
	hostd.trace = getenv("XOUS_HOSTD_TRACE") && *getenv("XOUS_HOSTD_TRACE");
	if (!o.wait_warn)
		o.wait_warn = getenv("XOUS_WAIT_WARN_MS");
	hostd.wait_warn_ms = o.wait_warn ? ms_value("XOUS_WAIT_WARN_MS", o.wait_warn) : 5000;
	hostd.program = o.program;
	hostd.fleet_file = o.fleet;
	hostd.base = event_base_new();
	if (!hostd.base)
		hostd_fatal("cannot create an event loop");
	hostd_route_init();
	if (o.fleet && hostd_fleet_load(o.fleet) < 0)
		return 2;
	if (!o.fleet && !o.no_fleet)
		hostd_fleet_default();
	for (int g = 0; g < o.ngroups; g++)
		if (hostd_fleet_group(o.groups[g], o.values[g]) < 0)
			return 2;
	hostd_phys_init();
	if (hostd_attach_open(o.socket) < 0)
		return 1;
	/* where to attach, every time: XOUS_HOSTD=PATH, xousctl --socket PATH */
	hostd_warn("listening on %s (key in %s)", hostd.sock_path, hostd.key_path);
	sigs[0] = setup_signal(SIGCHLD, on_sigchld);
	sigs[1] = setup_signal(SIGINT, on_sigterm);
	sigs[2] = setup_signal(SIGTERM, on_sigterm);
	hostd_fleet_start();
	hostd_run_pending();
	hostd_gc();
	if (!hostd.shutting_down || !LIST_EMPTY(&hostd.children))
		event_base_dispatch(hostd.base);
	teardown(sigs, 3);
	return hostd.exit_status;
}

/*
 * proc.c - processes: launch with a pre-connected socket, reap, and the one
 * death path.
 *
 * A Xous process and the Linux child that runs it are two records: the
 * process ends when its connection closes, it calls TerminateProcess, it
 * breaks the protocol, or its child is reaped, whichever comes first, and
 * all of these go through hostd_proc_dead() exactly once. The child record
 * stays until waitpid() collects its status (the exit status of PROGRAM, the
 * restart decision of a fleet server).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hostd.h"

#define PROC_CHILD_FD 3

static pid_t hostd_pid; /* ours, for the children to check their parent */

struct hostd_proc *hostd_proc_register(uint32_t pid, const char *name)
{
	struct hostd_proc *p = &hostd.procs[pid];

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->alive = true;
	snprintf(p->name, sizeof(p->name), "%s", name);
	return p;
}

/* In the child: the socket at fd 3, the host file (if any) at fd 4,
 * nothing else open but stdio, the sandbox's baseline (sb, if any), then
 * exec. file_fd is above 4 (fleet.c). A hooked task (hook) gets no socket:
 * fd 3 hands the hook's listener to the broker, and closes on exec. */
static void proc_child(char *const argv[], int sock, const char *sandbox, const char *allow,
                       const char *debug, unsigned log_level, int file_fd, struct hostd_sandbox *sb,
                       struct hostd_hook *hook)
{
	char level[16];

	sigset_t none;
	int err;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	/* The broker's processes do not outlive it, even if it is SIGKILLed. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != hostd_pid)
		_exit(127);
	if (hook) {
		if (hostd_hook_child_fd(hook) < 0)
			_exit(127);
	} else if (sock != PROC_CHILD_FD) {
		if (dup2(sock, PROC_CHILD_FD) < 0)
			_exit(127);
	} else if (fcntl(sock, F_SETFD, 0) < 0) {
		_exit(127);
	}
	if (file_fd >= 0 && dup2(file_fd, HOSTD_FILE_FD) < 0)
		_exit(127);
	close_range(file_fd >= 0 ? HOSTD_FILE_FD + 1 : PROC_CHILD_FD + 1, ~0u, 0);
	if (hook)
		unsetenv(XH_ENV_FD);
	else
		setenv(XH_ENV_FD, "3", 1);
	if (file_fd >= 0)
		setenv(XH_ENV_FILE, "4", 1);
	else
		unsetenv(XH_ENV_FILE);
	setenv(XH_ENV_SOCKET, hostd.sock_path, 1);
	unsetenv(XH_ENV_KEY);
	if (log_level) { /* the fleet file's log=; else the broker's own $XOUS_LOG_LEVEL */
		snprintf(level, sizeof(level), "%u", log_level);
		setenv("XOUS_LOG_LEVEL", level, 1);
	}
	if (sandbox)
		setenv(XH_ENV_SANDBOX, sandbox, 1);
	else
		unsetenv(XH_ENV_SANDBOX);
	if (allow && allow[0])
		setenv(XH_ENV_SANDBOX_ALLOW, allow, 1);
	else
		unsetenv(XH_ENV_SANDBOX_ALLOW);
	if (debug)
		setenv(XH_ENV_DEBUG, debug, 1);
	else
		unsetenv(XH_ENV_DEBUG);
	if (sb && (err = hostd_sandbox_enter(sb)) < 0) {
		fprintf(stderr, "xous-hostd: cannot sandbox %s: %s\n", argv[0], strerror(-err));
		_exit(127);
	}
	if (hook && (err = hostd_hook_child()) < 0) {
		fprintf(stderr, "xous-hostd: cannot hook %s: %s\n", argv[0], strerror(-err));
		_exit(127);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "xous-hostd: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static struct hostd_child *proc_fork(char *const argv[], int sv[2], const char *sandbox,
                                     const char *allow, const char *debug, unsigned log_level,
                                     int file_fd, struct hostd_sandbox *sb, struct hostd_hook *hook)
{
	struct hostd_child *ch;
	pid_t lpid;

	fflush(NULL);
	hostd_pid = getpid();
	lpid = fork();
	if (lpid == 0)
		proc_child(argv, sv[1], sandbox, allow, debug, log_level, file_fd, sb, hook);
	/* a hooked task's other end is the broker's (hook.c) */
	if (!hook || lpid < 0)
		close(sv[1]);
	if (lpid < 0) {
		hostd_warn("fork: %s", strerror(errno));
		return NULL;
	}
	if (hook && hostd_hook_started(hook, sv[1]) < 0) {
		hostd_warn("cannot hook %s (above)", argv[0]);
		close(sv[1]);
		kill(lpid, SIGKILL);
		waitpid(lpid, NULL, 0);
		return NULL;
	}
	/* allocated here, not before fork(): the child must not inherit it */
	ch = calloc(1, sizeof(*ch));
	if (!ch) {
		hostd_warn("out of memory");
		kill(lpid, SIGKILL);
		waitpid(lpid, NULL, 0);
		return NULL;
	}
	ch->lpid = lpid;
	LIST_INSERT_HEAD(&hostd.children, ch, link);
	return ch;
}

/*
 * Start argv as a new Xous process: a fleet server or a task confined by
 * its sandbox policy and allow list (CONTRACT 4.13), or PROGRAM unconfined
 * (sandbox NULL). With debug (the tool's name), argv runs a debugging tool
 * that runs the server: the tool gets no baseline filter, the server only
 * the library's, and $XOUS_DEBUG keeps it dumpable. by: the task server's
 * thread whose CreateProcess this is (kc_process_launch), or KC_NO_THREAD
 * for the broker's own. file_fd: a host file it gets as fd 4 (file=), or
 * -1. hook: a task whose system calls go to its hook server (hook.c),
 * or NULL. NULL if it could not be started, with the error in *err.
 */
struct hostd_child *hostd_proc_launch(char *const argv[], const char *name, const char *sandbox,
                                      const char *allow, const char *debug, unsigned log_level,
                                      int file_fd, kc_thread by, struct hostd_hook *hook,
                                      uint32_t *err)
{
	struct hostd_sandbox *sb = NULL;
	uint32_t pid;
	kc_thread t;
	int sv[2];

	*err = XOUS_ERR_INTERNAL_ERROR;
	if (sandbox && !debug && hostd_sandbox_new(sandbox, allow ? allow : "", &sb) < 0) {
		hostd_warn("cannot start %s: cannot build its sandbox %s", name, sandbox);
		return NULL;
	}
	*err = by == KC_NO_THREAD ? kc_process_create(hostd.kc, &pid, &t)
	                          : kc_process_launch(hostd.kc, by, &pid, &t);
	if (*err) {
		hostd_warn("cannot start %s: no room for a process (error %u)", name, *err);
		hostd_sandbox_free(sb);
		return NULL;
	}
	*err = XOUS_ERR_INTERNAL_ERROR;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		hostd_warn("cannot start %s: socketpair: %s", name, strerror(errno));
		kc_process_exit(hostd.kc, pid);
		hostd_sandbox_free(sb);
		return NULL;
	}
	struct hostd_child *ch =
	        proc_fork(argv, sv, sandbox, allow, debug, log_level, file_fd, sb, hook);
	hostd_sandbox_free(sb);
	if (!ch) {
		close(sv[0]);
		kc_process_exit(hostd.kc, pid);
		return NULL;
	}
	*err = XOUS_OK;
	ch->pid = pid;
	struct hostd_proc *p = hostd_proc_register(pid, name);
	ch->proc = p;
	p->child = ch;
	p->lpid = ch->lpid;
	p->uid = geteuid();
	p->debug = debug != NULL;
	p->pconn = hostd_conn_new(sv[0], HOSTD_CONN_PROC, p, t);
	if (!p->pconn)
		hostd_proc_doom(p, true);
	return ch;
}

/* Queue p for the death path (kill: SIGKILL its child first). */
void hostd_proc_doom(struct hostd_proc *p, bool kill)
{
	if (!p->alive)
		return;
	if (kill)
		p->kill = true;
	if (p->doomed)
		return;
	p->doomed = true;
	SLIST_INSERT_HEAD(&hostd.pending_procs, p, pending_link);
}

/* The one death path; call it only when kcore is not running. */
void hostd_proc_dead(struct hostd_proc *p)
{
	if (!p->alive)
		return;
	if (!p->kill) { /* a process dropped for breaking the protocol keeps nothing */
		struct hostd_conn *c;

		LIST_FOREACH(c, &p->conns, link)
		hostd_conn_drain_ahead(c);
	}
	p->alive = false;
	if (!p->child)
		hostd_pager_report(p, p->status);
	if (p->kill && p->child)
		kill(p->child->lpid, SIGKILL);
	/* our child's status is its wait status, told once it is reaped */
	kc_process_exit_status(hostd.kc, p->pid, p->child ? KC_STATUS_LATER : p->status);
	hostd_inline_proc_gone(p);
	while (!LIST_EMPTY(&p->conns))
		hostd_conn_close(LIST_FIRST(&p->conns));
	p->pconn = NULL;
	if (p->child)
		p->child->proc = NULL;
	p->child = NULL;
}

static struct hostd_child *proc_find(pid_t lpid)
{
	struct hostd_child *ch;

	LIST_FOREACH(ch, &hostd.children, link)
	if (ch->lpid == lpid)
		return ch;
	return NULL;
}

/* A wait status as an exit notice's: the exit code, or 256 + the signal. */
static uint32_t proc_status(int status)
{
	if (WIFSIGNALED(status))
		return XOUS_STATUS_SIGNALED + (uint32_t)WTERMSIG(status);
	return (uint32_t)WEXITSTATUS(status);
}

/* SIGCHLD: collect every child that ended. */
void hostd_proc_reap(void)
{
	pid_t lpid;
	int status;

	while ((lpid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct hostd_child *ch = proc_find(lpid);

		if (!ch)
			continue;
		LIST_REMOVE(ch, link);
		if (ch->proc) {
			ch->proc->child = NULL;
			ch->proc->status = proc_status(status);
			hostd_proc_doom(ch->proc, false);
			ch->proc = NULL;
		} else {
			hostd_pager_report(&hostd.procs[ch->pid], proc_status(status));
			kc_process_status(hostd.kc, ch->pid, proc_status(status));
		}
		hostd_fleet_child_exit(ch, status);
		free(ch);
	}
}

void hostd_proc_signal_all(int sig)
{
	struct hostd_child *ch;

	LIST_FOREACH(ch, &hostd.children, link)
	kill(ch->lpid, sig);
}

/* A fleet program: by path if it has a slash, else beside xous-hostd, else $PATH. */
const char *hostd_proc_resolve(const char *prog, char *buf, size_t len)
{
	if (strchr(prog, '/') || !hostd.exe_dir[0])
		return prog;
	if ((size_t)snprintf(buf, len, "%s/%s", hostd.exe_dir, prog) < len &&
	    access(buf, X_OK) == 0)
		return buf;
	return prog;
}

/*
 * task.c - CreateProcess: the task server starts a program by name.
 *
 * Rules (docs/abi.md, CONTRACT section 5):
 * - Only the task server may (kcore's role check comes first).
 * - The command line comes inline in the frame (w[2] its length) and is
 *   split by kcore (kc_cmdline_split): no quoting.
 * - An absolute path names the file itself. Another name is looked up,
 *   in order, among the fleet's programs (their file names), in the
 *   directory of the fleet file, in the directory of PROGRAM, then in each
 *   --path DIR: a regular executable file. Never in $PATH. Not found:
 *   NOT_FOUND.
 * - A first word "abi-hook=NAME" launches the rest as a foreign binary
 *   whose system calls go to the server registered as NAME (hook.c); its
 *   sandbox is the host policy's baseline with HOOK_ALLOW, as a Linux
 *   program's file I/O needs. No such server: SERVER_NOT_FOUND.
 * - The program runs as a fleet server would (the default sandbox, fd 3,
 *   the same environment), is not restarted, and counts as the task
 *   server's child.
 * - The hv server's vCPU task (servers/hv/api.h: "xous-hv --vcpu", the
 *   program found as above) alone also gets /dev/kvm, opened read-write, as
 *   fd 4 ($XOUS_FILE_FD) and ioctl in its sandbox; where /dev/kvm cannot be
 *   opened it runs without them and tells the hv server so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostd.h"

#define TASK_HOOK_PREFIX "abi-hook="
/* What a hooked foreign binary needs beyond the host policy's baseline:
 * coreutils' fadvise, copy_file_range and terminal check, libselinux's
 * statfs. */
#define HOOK_ALLOW "fadvise64,ioctl,copy_file_range,statfs"

void hostd_task_path_add(const char *dir)
{
	char **p = realloc(hostd.paths, (hostd.npaths + 1) * sizeof(*p));

	if (!p)
		hostd_fatal("out of memory");
	hostd.paths = p;
	hostd.paths[hostd.npaths++] = (char *)dir;
}

/* path, if it is a regular file we may run. */
static bool task_runnable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* name in the directory of file (nothing if file has no directory part). */
static bool task_beside(const char *file, const char *name, char *out, size_t len)
{
	const char *slash = file ? strrchr(file, '/') : NULL;

	if (!slash)
		return false;
	return (size_t)snprintf(out, len, "%.*s/%s", (int)(slash - file), file, name) < len &&
	       task_runnable(out);
}

/* A fleet server whose program's file name is name, where it runs from. */
static bool task_fleet_program(const char *name, char *out, size_t len)
{
	for (size_t i = 0; i < hostd.nfleet; i++) {
		const char *prog = hostd.fleet[i].argv[0], *base = strrchr(prog, '/');

		if (strcmp(base ? base + 1 : prog, name))
			continue;
		prog = hostd_proc_resolve(prog, out, len);
		if (strchr(prog, '/') && task_runnable(prog)) {
			if (prog != out)
				snprintf(out, len, "%s", prog);
			return true;
		}
	}
	return false;
}

static bool task_find(const char *name, char *out, size_t len)
{
	if (name[0] == '/')
		return (size_t)snprintf(out, len, "%s", name) < len && task_runnable(out);
	if (task_fleet_program(name, out, len) || task_beside(hostd.fleet_file, name, out, len) ||
	    (hostd.program && task_beside(hostd.program[0], name, out, len)))
		return true;
	for (size_t i = 0; i < hostd.npaths; i++)
		if ((size_t)snprintf(out, len, "%s/%s", hostd.paths[i], name) < len &&
		    task_runnable(out))
			return true;
	return false;
}

/* /dev/kvm for the hv server's vCPU task (argv as launched), else -1. */
static int task_kvm_fd(char *const argv[], uint32_t argc)
{
	if (argc != 2 || strcmp(argv[0], "xous-hv") || strcmp(argv[1], "--vcpu"))
		return -1;
	return open("/dev/kvm", O_RDWR | O_CLOEXEC);
}

void hostd_task_create(struct hostd_conn *c, const kc_regs *r, const void *payload, size_t plen)
{
	char line[XOUS_CMDLINE_MAX + 1], path[4096], *words[XOUS_CMDLINE_ARGS + 1], **argv = words;
	uint32_t argc, err = kc_task_check(hostd.kc, c->t);
	struct hostd_hook *hook = NULL;
	struct hostd_child *ch;

	if (!err && (plen > XOUS_CMDLINE_MAX || r->a[2] != plen))
		err = XOUS_ERR_INVALID_ARGUMENT;
	if (!err) {
		if (plen)
			memcpy(line, payload, plen);
		err = kc_cmdline_split(line, plen, argv, XOUS_CMDLINE_ARGS, &argc);
	}
	if (!err && !strncmp(argv[0], TASK_HOOK_PREFIX, strlen(TASK_HOOK_PREFIX))) {
		hook = hostd_hook_new(argv[0] + strlen(TASK_HOOK_PREFIX), &err);
		argv++;
		if (!err && --argc == 0)
			err = XOUS_ERR_INVALID_ARGUMENT;
	}
	if (!err && !task_find(argv[0], path, sizeof(path)))
		err = XOUS_ERR_NOT_FOUND;
	if (err) {
		if (hook)
			hostd_hook_run(hook, NULL);
		hostd_conn_error(c, err);
		return;
	}
	argv[argc] = NULL;
	char *name = argv[0][0] == '/' ? strrchr(argv[0], '/') + 1 : argv[0];
	int kvm = hook ? -1 : task_kvm_fd(argv, argc);
	const char *allow = hook ? HOOK_ALLOW : kvm >= 0 ? "ioctl" : "";
	argv[0] = path;
	ch = hostd_proc_launch(argv, name, hook ? "host" : "default", allow, NULL, 0, kvm, c->t,
	                       hook, &err);
	if (kvm >= 0)
		close(kvm);
	if (hook)
		hostd_hook_run(hook, ch);
	if (!ch) {
		hostd_conn_error(c, err);
		return;
	}
	kc_regs res = {{XOUS_RESULT_PROCESS_ID, ch->pid}};
	hostd_conn_result(c, &res);
}

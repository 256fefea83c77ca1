/*
 * Who a process is, for servers that keep state per process and must drop
 * it when the process is gone (ool, shm): its pid and the kernel's name
 * for it, so that a pid taken over by another program after a death is not
 * mistaken for the one that died.
 */
#ifndef XOUS_VM_WHO_H
#define XOUS_VM_WHO_H

#include <stdbool.h>
#include <string.h>
#include <xous.h>

#define WHO_NAME_MAX 24

struct who {
	xous_pid_t pid;
	char name[WHO_NAME_MAX];
};

/* The kernel's name of a live process (xous_process_name). */
typedef xous_err_t (*who_name_fn)(xous_pid_t pid, char *buf, size_t len);

/* Who pid is now; false if it is gone. */
static inline bool who_now(who_name_fn name, xous_pid_t pid, struct who *w)
{
	memset(w, 0, sizeof(*w));
	w->pid = pid;
	return name(pid, w->name, sizeof(w->name)) == XOUS_OK;
}

/* w is still there: the same pid under the same name. */
static inline bool who_alive(who_name_fn name, const struct who *w)
{
	struct who now;

	return who_now(name, w->pid, &now) && strcmp(now.name, w->name) == 0;
}

#endif

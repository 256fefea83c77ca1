/*
 * Roles (CONTRACT promise 8): under the default fleet, a well-known server
 * id can be created only by the fleet server the broker started for it, and
 * ConnectForProcess is the fleet's name server's alone.
 *
 * Runs as `xous-hostd -- itest_roles` (the default fleet, restart=never).
 * PROGRAM may not create any of the fleet's well-known ids nor call
 * ConnectForProcess; then it kills the name server (same uid) and, once the
 * broker has seen it go, still may not take its place: the id stays kept
 * for the role while nobody holds it. The rest of the fleet still answers.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xous/names.h>
#include <xous/ticktimer.h>

#include "itest.h"

/* The Linux pid of the broker's child running program (comm), or -1. */
static pid_t fleet_child(const char *program)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t found = -1;

	if (!d)
		return -1;
	while ((e = readdir(d)) && found < 0) {
		char path[300], buf[512], comm[64];
		int pid, ppid;
		FILE *f;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f) &&
		    sscanf(buf, "%d (%63[^)]) %*c %d", &pid, comm, &ppid) == 3 &&
		    ppid == getppid() && strcmp(comm, program) == 0)
			found = pid;
		fclose(f);
	}
	closedir(d);
	return found;
}

static void nobody_else_may(const char *when)
{
	static const char *const names[] = {XOUS_NAME_NAMES, XOUS_NAME_TICKTIMER, XOUS_NAME_LOG,
	                                    XOUS_NAME_TIME};
	xous_sid_t d, sid;
	xous_cid_t cid;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		sid = xous_sid_from_name(names[i]);
		CHECK_ERR(xous_create_server_with_address(&sid), XOUS_ERR_ACCESS_DENIED,
		          "%s: create \"%s\" (the fleet's role)", when, names[i]);
	}
	REQUIRE(xous_create_server(&d) == XOUS_OK, "create a server of our own");
	CHECK_ERR(xous_connect_for_process(xous_process_id(), &d, &cid), XOUS_ERR_ACCESS_DENIED,
	          "%s: connect_for_process", when);
	xous_destroy_server(&d);
}

int main(void)
{
	xous_sid_t names = xous_sid_from_name(XOUS_NAME_NAMES);
	xous_cid_t cid;
	uint64_t ms;

	REQUIRE(xous_try_connect(&names, &cid) == XOUS_OK, "the fleet's name server runs");
	nobody_else_may("with the fleet up");

	pid_t ns = fleet_child("xous-names");
	REQUIRE(ns > 0, "find the name server's Linux process");
	REQUIRE(kill(ns, SIGKILL) == 0, "kill it (pid %d)", (int)ns);
	/* Its server goes when the broker has seen it die. */
	while (xous_try_connect(&names, &cid) == XOUS_OK)
		xous_yield();
	nobody_else_may("the name server dead");
	CHECK_ERR(tt_elapsed_ms(&ms), XOUS_OK, "the ticktimer still answers");
	return itest_done();
}

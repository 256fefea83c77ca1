/*
 * hostd-sandboxed - a fleet server for the broker's tests that links
 * libxous-host (so $XOUS_SANDBOX is installed before main) and then tries
 * what the default policy forbids: opening a file. Under "default" it dies
 * of SIGSYS; under "none" it exits 0.
 */
#include <fcntl.h>
#include <unistd.h>

#include <xous.h>

int main(void)
{
	/* a call into the library, so that the linker keeps it (and its sandbox) */
	if (xous_process_id() < 2)
		return 3;
	int fd = open("/dev/null", O_RDONLY);

	if (fd >= 0)
		close(fd);
	return 0;
}

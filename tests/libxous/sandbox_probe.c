/*
 * sandbox_probe.c - a program linked with libxous-host, run by
 * test_libxous with $XOUS_SANDBOX set: by the time main() runs, the filter
 * must be in place. argv[1] says what to try: "open" (killed by the default
 * policy) or "print" (allowed).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <xous.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (strcmp(argv[1], "open") == 0) {
		int fd = open("/etc/hostname", O_RDONLY);
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (strcmp(argv[1], "print") == 0) {
		printf("sandbox probe: %s\n", xous_strerror(XOUS_OK));
		return 0;
	}
	return 2;
}

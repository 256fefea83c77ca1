/*
 * options.c - --help and --version of every Linux server program xous-NAME,
 * linked into each by the registry (cmake/XousServers.cmake), so no
 * server's main() handles them. It runs as a constructor, before main():
 * an argument -h, --help or --version prints and exits 0, so the server
 * never starts. The registry defines XOUS_SERVER_PROGRAM ("xous-NAME"),
 * XOUS_SERVER_NAME (what clients reach it by, or ""), XOUS_SERVER_USAGE
 * (its own options, or "") and XOUS_VERSION.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void server_help(void)
{
	printf("usage: %s [--help] [--version]%s%s\n"
	       "A server of xous-host%s%s%s; xous-hostd starts it, in its default fleet\n"
	       "or from a fleet file's line 'server NAME %s' (xous-fleet(5)).\n"
	       "  --help     this text\n"
	       "  --version  the version of xous-host it belongs to\n",
	       XOUS_SERVER_PROGRAM, XOUS_SERVER_USAGE[0] ? " " : "", XOUS_SERVER_USAGE,
	       XOUS_SERVER_NAME[0] ? " (\"" : "", XOUS_SERVER_NAME,
	       XOUS_SERVER_NAME[0] ? "\")" : "", XOUS_SERVER_PROGRAM);
}

/* glibc passes argc and argv to the constructors of the executable. */
__attribute__((constructor)) static void server_options(int argc, char **argv)
{
	for (int i = 1; i < argc && argv; i++) {
		if (!strcmp(argv[i], "--"))
			return;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			server_help();
			exit(0);
		}
		if (!strcmp(argv[i], "--version")) {
			printf("%s (xous-host) %s\n", XOUS_SERVER_PROGRAM, XOUS_VERSION);
			exit(0);
		}
	}
}

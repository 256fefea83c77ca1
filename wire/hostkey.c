/*
 * hostkey.c - the attach key of a broker (CONTRACT section 3): 32 hex
 * digits, from $XOUS_KEY or else the file PATH.key beside the socket.
 * libxous-host (XH_HELLO) and xousctl (XH_CONTROL) read it here.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "hostframe_io.h"

static int hex_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	for (int i = 0; i < 16; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
		        : c >= 'a' && c <= 'f' ? c - 'a' + 10
		        : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                               : -1;
		if (d < 0)
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return 0;
}

/* w[0] is the number the first 16 digits spell, w[1] the last 16. */
int xh_key_read(const char *path, uint64_t key[2], char *why, size_t whylen)
{
	char buf[80] = {0};
	const char *s = getenv(XH_ENV_KEY), *from = XH_ENV_KEY;

	if (s == NULL || *s == '\0') {
		char kpath[sizeof(((struct sockaddr_un *)0)->sun_path) + 8];

		if (snprintf(kpath, sizeof kpath, "%s.key", path) >= (int)sizeof kpath) {
			snprintf(why, whylen, "the socket path %s is too long", path);
			return -1;
		}
		int fd = open(kpath, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(why, whylen, "no key: %s is not set and %s cannot be read (%s)",
			         XH_ENV_KEY, kpath, strerror(errno));
			return -1;
		}
		ssize_t n = read(fd, buf, sizeof buf - 1);
		close(fd);
		s = buf;
		from = "the key file";
		if (n < 0)
			n = 0;
		buf[n] = 0;
	}
	if (strlen(s) < 32 || (s[32] != '\0' && s[32] != '\n') || hex_u64(s, &key[0]) ||
	    hex_u64(s + 16, &key[1])) {
		snprintf(why, whylen, "a malformed key in %s: 32 hex digits are wanted", from);
		return -1;
	}
	return 0;
}

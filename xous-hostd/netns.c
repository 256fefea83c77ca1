/*
 * netns.c - the network of xous-hostd --net: a network namespace of its own
 * with one TAP device, whose descriptor the net server gets.
 *
 * The broker makes the namespace once, when the first server with tap=yes
 * starts: it steps into a new namespace (unshare), brings up lo and the
 * TAP device HOSTD_NETNS_TAP with HOSTD_NETNS_ADDR/24 (the address of
 * qemu's user-network gateway, so both kernels see the same network),
 * keeps descriptors of the namespace and the device, and steps back. The
 * host's own network is never touched. The namespace lives as long as the
 * broker (or a process still inside it): it is reached as
 * /proc/BROKER/fd/N, which the broker prints and gives every process it
 * starts in $XOUS_NETNS (nsenter --net=$XOUS_NETNS CMD runs CMD in it).
 * A server with tap=yes gets the device as a file= server gets its file:
 * at fd 4, named by $XOUS_FILE_FD (a copy of the broker's, kept for every
 * run of the server). Making a namespace needs CAP_SYS_ADMIN and
 * /dev/net/tun: without them the server is not started, with a message.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hostd.h"

#define HOSTD_NETNS_TAP      "xous0"
#define HOSTD_NETNS_ADDR     "10.0.2.2"
#define HOSTD_NETNS_MASK     "255.255.255.0"
#define HOSTD_NETNS_ENV      "XOUS_NETNS"
#define HOSTD_NETNS_FD_FLOOR 64 /* the broker's copies sit above a child's fds */

static int netns_fd = -1, netns_tap = -1;

/* Set flags on interface name (and its address, if addr). */
static int netns_if_up(int s, const char *name, const char *addr, const char *mask)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (addr) {
		sin->sin_family = AF_INET;
		inet_pton(AF_INET, addr, &sin->sin_addr);
		if (ioctl(s, SIOCSIFADDR, &ifr) < 0)
			return -1;
		inet_pton(AF_INET, mask, &sin->sin_addr);
		if (ioctl(s, SIOCSIFNETMASK, &ifr) < 0)
			return -1;
	}
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	ifr.ifr_flags |= IFF_UP;
	return ioctl(s, SIOCSIFFLAGS, &ifr);
}

/* In the new namespace: lo, and the TAP device with its address, up. */
static int netns_devices(const char **what)
{
	struct ifreq ifr;
	int s, fd;

	*what = "open /dev/net/tun";
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", HOSTD_NETNS_TAP);
	*what = "make the TAP device";
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		close(fd);
		return -1;
	}
	netns_tap = fcntl(fd, F_DUPFD_CLOEXEC, HOSTD_NETNS_FD_FLOOR);
	close(fd);
	*what = "configure the namespace's interfaces";
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (netns_tap < 0 || s < 0 || netns_if_up(s, "lo", NULL, NULL) < 0 ||
	    netns_if_up(s, HOSTD_NETNS_TAP, HOSTD_NETNS_ADDR, HOSTD_NETNS_MASK) < 0) {
		int e = errno;

		if (s >= 0)
			close(s);
		errno = e;
		return -1;
	}
	close(s);
	return 0;
}

/* Make the namespace and its device (once): 0, or -1 with a message. */
static int netns_open(void)
{
	const char *what = "open /proc/self/ns/net";
	int home, r = -1, fd;
	char path[64];

	if (netns_fd >= 0)
		return 0;
	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home >= 0 && (what = "make a network namespace", unshare(CLONE_NEWNET) == 0)) {
		fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		netns_fd = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, HOSTD_NETNS_FD_FLOOR);
		if (fd >= 0)
			close(fd);
		r = netns_fd < 0 ? -1 : netns_devices(&what);
		if (setns(home, CLONE_NEWNET) < 0)
			hostd_fatal("cannot return to the host's network namespace: %s",
			            strerror(errno));
	}
	if (r < 0) {
		hostd_warn("net: cannot %s: %s (a TAP device in a network namespace needs root "
		           "(CAP_SYS_ADMIN, CAP_NET_ADMIN) and /dev/net/tun)",
		           what, strerror(errno));
		hostd_netns_close();
	} else {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)getpid(), netns_fd);
		setenv(HOSTD_NETNS_ENV, path, 1);
		hostd_warn("net: TAP device %s (%s/24) in network namespace %s (enter it: "
		           "nsenter --net=%s)",
		           HOSTD_NETNS_TAP, HOSTD_NETNS_ADDR, path, path);
	}
	if (home >= 0)
		close(home);
	return r;
}

int hostd_netns_prepare(struct hostd_fleet_srv *f)
{
	if (!f->tap || f->file_fd >= 0)
		return 0;
	if (netns_open() < 0)
		return -1;
	/* above the fds a child is given, as file= does */
	f->file_fd = fcntl(netns_tap, F_DUPFD_CLOEXEC, HOSTD_FILE_FD + 1);
	if (f->file_fd < 0) {
		hostd_warn("net: cannot hand the TAP device to %s: %s", f->name, strerror(errno));
		return -1;
	}
	return 0;
}

void hostd_netns_close(void)
{
	if (netns_tap >= 0)
		close(netns_tap);
	if (netns_fd >= 0)
		close(netns_fd);
	netns_tap = netns_fd = -1;
}

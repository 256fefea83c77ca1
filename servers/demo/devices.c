/*
 * devices.c - the demo's part for the optional groups: with --disk, a file
 * written through fs and read back; with --net, a DHCP lease taken by ip
 * from a dnsmasq the demo starts in the broker's network namespace.
 */
#include "demo.h"
#include "net_dnsmasq.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <resea/fs.h>
#include <resea/ip.h>

int demo_disk(void)
{
	static const char text[] = "written by xous-demo through fs and blk\n";
	char back[sizeof(text)] = {0};
	fs_handle_t h;
	uint64_t size;
	size_t got;

	SAY("\nthe disk (xous-hostd --disk): fs on blk on the image file\n");
	if (check("fs_create", fs_create("/demo.txt", true, &h)) ||
	    check("fs_write", fs_write(h, 0, text, sizeof(text) - 1)) ||
	    check("fs_close", fs_close(h)))
		return 1;
	SAY("-> fs: /demo.txt written (%zu bytes)\n", sizeof(text) - 1);
	if (check("fs_open", fs_open("/demo.txt", &h)) ||
	    check("fs_read", fs_read(h, 0, sizeof(back) - 1, back, &got)) ||
	    check("fs_close", fs_close(h)) || check("fs_stat", fs_stat("/demo.txt", &size)))
		return 1;
	SAY("<- fs: read back %zu bytes, stat says %llu: %s", got, (unsigned long long)size, back);
	SAY("   (mtools reads it too: mtype -i IMAGE ::demo.txt)\n");
	return 0;
}

/* dnsmasq in the namespace $XOUS_NETNS names; its pid, or -1. */
static pid_t dnsmasq_start(const char *netns)
{
	char *argv[] = {NET_DNSMASQ_ARGS("1h"), NULL};
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(netns, O_RDONLY | O_CLOEXEC);

		if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
			perror("demo: the broker's network namespace");
			_exit(126);
		}
		setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
		execvp(argv[0], argv);
		perror("demo: dnsmasq (scripts/deps demo)");
		_exit(127);
	}
	return pid;
}

int demo_net(void)
{
	const char *netns = getenv("XOUS_NETNS");
	struct ip_info info;
	pid_t dnsmasq;
	xous_err_t err;

	SAY("\nthe network (xous-hostd --net): net on a TAP device, ip on net\n");
	if (!netns) {
		SAY("demo: no $XOUS_NETNS: run under xous-hostd --net\n");
		return 1;
	}
	if ((dnsmasq = dnsmasq_start(netns)) < 0)
		return check("fork", XOUS_ERR_INTERNAL_ERROR);
	SAY("-> dnsmasq in the broker's namespace offers " NET_DNSMASQ_LEASED
	    "; ip asks by DHCP\n");
	err = ip_wait_lease(&info);
	kill(dnsmasq, SIGTERM);
	waitpid(dnsmasq, NULL, 0);
	if (check("ip_wait_lease", err))
		return 1;
	SAY("<- ip: leased %u.%u.%u.%u/%u.%u.%u.%u for %u s (ping it from the namespace: "
	    "nsenter --net=$XOUS_NETNS ping " NET_DNSMASQ_LEASED ")\n",
	    info.addr[0], info.addr[1], info.addr[2], info.addr[3], info.netmask[0],
	    info.netmask[1], info.netmask[2], info.netmask[3], (unsigned)info.lease_s);
	return 0;
}

/*
 * The net server's device on Linux: a TAP device in the network namespace
 * the broker made for xous-hostd --net (xous-hostd/netns.c), handed over
 * open at the descriptor $XOUS_FILE_FD (the fleet line's tap=yes). A thread of its own reads
 * frames; the server's loop writes them. The address is qemu's default
 * one, as a guest's card on qemu's user network has.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"

#define NET_TAP_ENV "XOUS_FILE_FD" /* as the broker hands over a file= */

static const uint8_t net_host_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static int tap_fd = -1;
static pthread_mutex_t tap_lock = PTHREAD_MUTEX_INITIALIZER;

static xous_err_t tap_tx(void *ctx, const void *frame, size_t len)
{
	(void)ctx;
	return write(tap_fd, frame, len) == (ssize_t)len ? XOUS_OK : XOUS_ERR_INTERNAL_ERROR;
}

static void tap_lock_take(void *ctx)
{
	(void)ctx;
	pthread_mutex_lock(&tap_lock);
}

static void tap_lock_give(void *ctx)
{
	(void)ctx;
	pthread_mutex_unlock(&tap_lock);
}

int net_platform_init(struct net_ops *ops, uint8_t mac[6])
{
	const char *s = getenv(NET_TAP_ENV);
	char *end;
	long fd = s ? strtol(s, &end, 10) : -1;

	if (!s || *s < '0' || *s > '9' || *end || fd < 3 || fd > 1024) {
		fprintf(stderr,
		        "xous-net: no TAP device: $%s is not set (start the fleet with "
		        "xous-hostd --net, or give the server tap=yes on its fleet line)\n",
		        NET_TAP_ENV);
		return -1;
	}
	tap_fd = (int)fd;
	memcpy(mac, net_host_mac, 6);
	ops->tx = tap_tx;
	ops->lock = tap_lock_take;
	ops->unlock = tap_lock_give;
	return 0;
}

void *net_platform_receive(void *arg)
{
	struct net_srv *st = arg;
	static uint8_t frame[NET_FRAME_MAX + 1];

	for (;;) {
		ssize_t n = read(tap_fd, frame, sizeof(frame));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "xous-net: reading the TAP device: %s\n", strerror(errno));
			exit(1);
		}
		if (n >= NET_FRAME_MIN && n <= NET_FRAME_MAX)
			net_deliver(st, frame, (size_t)n);
	}
	return NULL;
}

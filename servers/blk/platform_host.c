/*
 * The blk server's device on Linux: the raw image file the broker opened
 * for it (the fleet file's file=, xous-hostd --disk IMAGE) and handed over
 * as the fd in $XOUS_FILE_FD. pread/pwrite of whole sectors; a flush is
 * fsync. The device is the image's whole sectors (a partial last sector is
 * not part of it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xous/hostframe.h>

#include "blk.h"

static xous_err_t host_read(void *ctx, uint64_t sector, void *buf, size_t len)
{
	int fd = *(int *)ctx;
	off_t at = (off_t)(sector * BLK_SECTOR_SIZE);

	for (size_t done = 0; done < len;) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, at + (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) /* an error, or the image shrank under us */
			return XOUS_ERR_STORAGE_ERROR;
		done += (size_t)n;
	}
	return XOUS_OK;
}

static xous_err_t host_write(void *ctx, uint64_t sector, const void *data, size_t len)
{
	int fd = *(int *)ctx;
	off_t at = (off_t)(sector * BLK_SECTOR_SIZE);

	for (size_t done = 0; done < len;) {
		ssize_t n = pwrite(fd, (const char *)data + done, len - done, at + (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return XOUS_ERR_STORAGE_ERROR;
		done += (size_t)n;
	}
	return XOUS_OK;
}

static xous_err_t host_flush(void *ctx)
{
	return fsync(*(int *)ctx) == 0 ? XOUS_OK : XOUS_ERR_STORAGE_ERROR;
}

xous_err_t blk_platform_open(struct blk_device *dev)
{
	static int fd;
	const char *v = getenv(XH_ENV_FILE);
	char *end;
	long n = v ? strtol(v, &end, 10) : -1;
	off_t size;

	if (!v || *end || n < 3 || n > 1023) {
		fprintf(stderr, "xous-blk: no image file: run it with a fleet line's file=IMAGE "
		                "(xous-hostd --disk IMAGE)\n");
		return XOUS_ERR_NOT_FOUND;
	}
	fd = (int)n;
	size = lseek(fd, 0, SEEK_END);
	if (size < 0) {
		fprintf(stderr, "xous-blk: the image file (fd %d): %s\n", fd, strerror(errno));
		return XOUS_ERR_STORAGE_ERROR;
	}
	dev->ctx = &fd;
	dev->num_sectors = (uint64_t)size / BLK_SECTOR_SIZE;
	dev->read = host_read;
	dev->write = host_write;
	dev->flush = host_flush;
	return XOUS_OK;
}

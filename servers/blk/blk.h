/*
 * The blk server as a pure dispatch function over a device: blk_dispatch(st,
 * env) returns its answer, so unit tests run it on a device in memory
 * without a kernel. The platform gives the device (platform_host.c: an
 * image file; platform_rv32.c: a virtio-blk device).
 */
#ifndef XOUS_BLK_SERVER_H
#define XOUS_BLK_SERVER_H

#include <resea/blk.h>
#include <xous/rpc.h>

#include "api.h"
#include "blk.pb-c.h"

/* A device of num_sectors sectors. read/write move whole sectors inside it
 * (the core checked the range); each returns 0 or an xous_err_t (a device
 * error: XOUS_ERR_STORAGE_ERROR). */
struct blk_device {
	void *ctx;
	uint64_t num_sectors;
	xous_err_t (*read)(void *ctx, uint64_t sector, void *buf, size_t len);
	xous_err_t (*write)(void *ctx, uint64_t sector, const void *data, size_t len);
	xous_err_t (*flush)(void *ctx);
};

struct blk_state {
	BlkPb__Blk_Service svc;
	const struct blk_device *dev;
};

void blk_init(struct blk_state *st, const struct blk_device *dev);
xous_answer_t blk_dispatch(struct blk_state *st, xous_envelope_t *env);

/* 0 if [sector, sector + len bytes) is a transfer the device takes: whole
 * sectors, at least one, at most XOUS_OOL_MAX bytes, inside the device;
 * else XOUS_ERR_INVALID_ARGUMENT. */
xous_err_t blk_range_check(const struct blk_device *dev, uint64_t sector, uint64_t len);

/* The platform's device, opened once at start (0, or a message on stderr
 * and an error). */
xous_err_t blk_platform_open(struct blk_device *dev);

#endif

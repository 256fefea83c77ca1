/*
 * fuzz_srv_blk.c - fuzz target `srv_blk`: blk_dispatch() with the checking
 * io table of fuzz_server.h (it never parks) on a device of 64 sectors in
 * memory that checks every transfer it is handed is whole sectors inside
 * it, and fails every seventh one. Seeds (tests/fuzz/seeds.py): a write and
 * a read back, reads and writes past the end, flush and capacity.
 */
#include <string.h>

#include "blk.h"
#include "fuzz_server.h"

#define FZ_SECTORS 64u

static uint8_t disk[FZ_SECTORS * BLK_SECTOR_SIZE];
static unsigned calls;
static struct blk_device dev;
static struct blk_state st;

static xous_err_t transfer(uint64_t sector, size_t len)
{
	FZ_CHECK(len > 0 && len % BLK_SECTOR_SIZE == 0 && sector < FZ_SECTORS &&
	         len / BLK_SECTOR_SIZE <= FZ_SECTORS - sector);
	return ++calls % 7 == 0 ? XOUS_ERR_STORAGE_ERROR : XOUS_OK;
}

static xous_err_t f_read(void *ctx, uint64_t sector, void *buf, size_t len)
{
	xous_err_t err = transfer(sector, len);

	(void)ctx;
	memcpy(buf, disk + sector * BLK_SECTOR_SIZE, len);
	return err;
}

static xous_err_t f_write(void *ctx, uint64_t sector, const void *data, size_t len)
{
	xous_err_t err = transfer(sector, len);

	(void)ctx;
	memcpy(disk + sector * BLK_SECTOR_SIZE, data, len);
	return err;
}

static xous_err_t f_flush(void *ctx)
{
	(void)ctx;
	return ++calls % 7 == 0 ? XOUS_ERR_STORAGE_ERROR : XOUS_OK;
}

static void init(uint64_t now)
{
	(void)now;
	calls = 0;
	dev = (struct blk_device){
	        .num_sectors = FZ_SECTORS, .read = f_read, .write = f_write, .flush = f_flush};
	blk_init(&st, &dev);
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	(void)now;
	return blk_dispatch(&st, env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {
	        .svc = &blk_pb__blk__descriptor,
	        .init = init,
	        .dispatch = dispatch,
	};

	return fsrv_run(&t, data, size);
}

/*
 * xous-fs: the FAT volume on the blk server, served by fs_dispatch() under
 * the name "fs" (registered with the name server). A disk without a volume
 * it can mount still gets the server: every call answers StorageError.
 */
#include <resea/blk.h>
#include <stdio.h>
#include <xous/names.h>
#include <xous/rpc.h>
#include <xous/serve.h>

#include "fssrv.h"

#define FS_BLK_STEP (XOUS_OOL_MAX / BLK_SECTOR_SIZE) /* sectors per blk call at most */

static xous_err_t dev_read(void *ctx, uint64_t sector, size_t count, void *buf)
{
	xous_err_t err = XOUS_OK;

	(void)ctx;
	for (size_t k; count && err == XOUS_OK; count -= k, sector += k) {
		k = count < FS_BLK_STEP ? count : FS_BLK_STEP;
		err = blk_read(sector, k, buf);
		buf = (uint8_t *)buf + k * BLK_SECTOR_SIZE;
	}
	return err;
}

static xous_err_t dev_write(void *ctx, uint64_t sector, size_t count, const void *data)
{
	xous_err_t err = XOUS_OK;

	(void)ctx;
	for (size_t k; count && err == XOUS_OK; count -= k, sector += k) {
		k = count < FS_BLK_STEP ? count : FS_BLK_STEP;
		err = blk_write(sector, data, k * BLK_SECTOR_SIZE);
		data = (const uint8_t *)data + k * BLK_SECTOR_SIZE;
	}
	return err;
}

static xous_err_t dev_flush(void *ctx)
{
	(void)ctx;
	return blk_flush();
}

static xous_answer_t serve(void *st, xous_envelope_t *env)
{
	return fs_dispatch(st, env);
}

int main(void)
{
	static const struct fat_dev dev = {NULL, dev_read, dev_write, dev_flush, fs_platform_now};
	static struct fat_vol vol;
	static struct fs_state state;
	uint64_t sectors = 0;
	xous_sid_t sid;
	xous_err_t err = blk_capacity(&sectors);

	if (err == XOUS_OK)
		err = fat_mount(&vol, &dev, sectors);
	if (err)
		fprintf(stderr, "xous-fs: no FAT volume on blk (%s): every call fails\n",
		        xous_strerror(err));
	fs_init(&state, err ? NULL : &vol, xous_process_name);
	if ((err = xns_register_name(FS_SERVER_NAME, 0, &sid))) {
		fprintf(stderr, "xous-fs: registering \"%s\": %s\n", FS_SERVER_NAME,
		        xous_strerror(err));
		return 1;
	}
	return xous_serve_program(&sid, 0, serve, &state);
}

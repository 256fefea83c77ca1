/*
 * blk.c - conformance of the "blk" server (<resea/blk.h>, CONTRACT section
 * 6), run with a disk (xous-hostd --disk IMAGE; xous-riscv-run --disk
 * IMAGE, a virtio-blk device): reads and writes of one sector to 16 MiB
 * read back, the bounds answered InvalidArgument, flush. It writes only in
 * the last 16 MiB + 64 sectors of the disk and puts back what was there, so
 * a file system on the image stays as it was.
 */
#include <resea/blk.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#define BIG (16u << 20) /* XOUS_OOL_MAX: the most one call moves */

/* Write n sectors of seed's bytes at sector, read them back, restore. */
static void round_trip(uint64_t sector, size_t n, unsigned seed)
{
	size_t len = n * BLK_SECTOR_SIZE;
	uint8_t *orig = malloc(len), *buf = malloc(len + 1);

	CHECK(orig && buf);
	if (!orig || !buf)
		goto out;
	CHECK_OK(blk_read(sector, n, orig));
	conf_fill(buf + 1, len, seed); /* any alignment */
	CHECK_OK(blk_write(sector, buf + 1, len));
	memset(buf, 0, len + 1);
	CHECK_OK(blk_read(sector, n, buf + 1));
	CHECK(conf_has(buf + 1, len, seed));
	CHECK_OK(blk_write(sector, orig, len));
out:
	free(orig);
	free(buf);
}

int main(void)
{
	uint8_t s[2 * BLK_SECTOR_SIZE];
	uint64_t n = 0;

	CHECK_OK(blk_capacity(&n));
	CHECK(n >= (BIG / BLK_SECTOR_SIZE) * 2);
	if (n < (BIG / BLK_SECTOR_SIZE) * 2)
		return conf_end("blk");
	round_trip(n - 1, 1, 1);
	round_trip(n - 9, 8, 2);
	round_trip(n - 64, 33, 3);
	round_trip(n - 64 - BIG / BLK_SECTOR_SIZE, BIG / BLK_SECTOR_SIZE, 4);

	CHECK_ERR(blk_read(n, 1, s), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(blk_read(n - 1, 2, s), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(blk_read(UINT64_MAX, 1, s), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(blk_read(0, 0, s), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(blk_read(0, BIG / BLK_SECTOR_SIZE + 1, s), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(blk_write(n, s, BLK_SECTOR_SIZE), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(blk_write(n - 1, s, 2 * BLK_SECTOR_SIZE), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(blk_write(0, s, 100), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(blk_write(0, s, 0), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(blk_write(0, s, BIG + BLK_SECTOR_SIZE), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_OK(blk_flush());
	return conf_end("blk");
}

/*
 * <resea/blk.h> - Resea's block device client ("blk", CONTRACT section 6;
 * docs/resea-blk.md). Opcodes and their answers: servers/blk/api.h.
 *
 * Sectors are BLK_SECTOR_SIZE bytes, numbered from 0. A transfer covers
 * whole sectors inside the device, at most XOUS_OOL_MAX bytes (16 MiB by
 * default) in one call; anything else is XOUS_ERR_INVALID_ARGUMENT (a
 * transfer too large is refused before anything is sent). A device that
 * fails answers XOUS_ERR_STORAGE_ERROR. Buffers may have any alignment.
 */
#ifndef RESEA_BLK_H
#define RESEA_BLK_H

#include <stddef.h>
#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BLK_SECTOR_SIZE 512

/* Read num_sectors sectors from sector on into buf (num_sectors * 512 bytes). */
xous_err_t blk_read(uint64_t sector, size_t num_sectors, void *buf);

/* Write len bytes (whole sectors) from sector on; the device has them when
 * it returns (a host crash may still lose them until blk_flush). */
xous_err_t blk_write(uint64_t sector, const void *data, size_t len);

/* Everything written so far is on stable storage when it returns (Linux:
 * fsync of the image; virtio-blk: a flush request). */
xous_err_t blk_flush(void);

/* The device's size in sectors. */
xous_err_t blk_capacity(uint64_t *num_sectors);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_BLK_H */

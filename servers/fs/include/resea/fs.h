/*
 * <resea/fs.h> - Resea's file system client ("fs", CONTRACT section 6;
 * docs/resea-storage.md): a FAT12/16/32 volume with long names on "blk".
 * Opcodes and their answers: servers/fs/api.h.
 *
 * Paths are absolute, '/' separated, UTF-8; a name is 1 to 255 UTF-16
 * units without control characters nor " * / : < > ? \ |, and does not
 * end in a dot or a space (else XOUS_ERR_INVALID_ARGUMENT). Names compare
 * without ASCII/Latin-1 case. A handle belongs to the process that opened
 * it and closes when that process ends; anyone else's handle, or a closed
 * one: XOUS_ERR_INVALID_ARGUMENT. Files hold at most 4 GiB - 1 bytes.
 * A call that returned has written what it changed to blk (write-through:
 * a kill of the fs server loses none of it); fs_sync makes it survive a
 * host crash too. Buffers may have any alignment; one read or write moves
 * at most XOUS_OOL_MAX bytes (16 MiB by default; more:
 * XOUS_ERR_INVALID_ARGUMENT, nothing sent). A failing device or a broken
 * volume: XOUS_ERR_STORAGE_ERROR.
 */
#ifndef RESEA_FS_H
#define RESEA_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t fs_handle_t;

/* An existing file: NotFound if absent; a directory: InvalidArgument. */
xous_err_t fs_open(const char *path, fs_handle_t *h);
/* A new empty file: AlreadyExists if present; with exist_ok an existing
 * file opens unchanged. NotFound: no parent directory. */
xous_err_t fs_create(const char *path, bool exist_ok, fs_handle_t *h);
xous_err_t fs_close(fs_handle_t h);
/* Up to len bytes from offset: *got of them, 0 at (or past) the end. */
xous_err_t fs_read(fs_handle_t h, uint64_t offset, size_t len, void *buf, size_t *got);
/* len bytes at offset; a gap past the end reads as zeros. NoSpace when
 * the volume cannot hold it: then nothing was written. */
xous_err_t fs_write(fs_handle_t h, uint64_t offset, const void *data, size_t len);
/* The size of a file (0 for a directory). */
xous_err_t fs_stat(const char *path, uint64_t *size);

/* Beyond CONTRACT section 6: */

#define FS_NAME_MAX 765 /* bytes of a name's UTF-8 */

struct fs_dirent {
	char name[FS_NAME_MAX + 1];
	uint64_t size;
	bool is_dir;
};

/* A new directory: AlreadyExists, NotFound (no parent), NoSpace. */
xous_err_t fs_mkdir(const char *path);
/* The entries of a directory, from the index-th on (0: the first; "." and
 * ".." are not listed), at most max; *count < max when the listing ended. */
xous_err_t fs_list(const char *path, uint32_t index, struct fs_dirent *out, size_t max,
                   size_t *count);
/* Name, size and kind of one path. */
xous_err_t fs_info(const char *path, struct fs_dirent *out);
/* A file no process has open (else ShareViolation), or an empty directory
 * (else InvalidArgument). */
xous_err_t fs_remove(const char *path);
/* Across directories too; to must not exist (AlreadyExists) unless it is
 * from itself with other case; a directory cannot move into itself
 * (InvalidArgument). Open handles follow the file. */
xous_err_t fs_rename(const char *from, const char *to);
/* The file becomes size bytes long: cut, or grown with zeros (NoSpace). */
xous_err_t fs_truncate(fs_handle_t h, uint64_t size);
/* Everything written so far is on stable storage (blk_flush). */
xous_err_t fs_sync(void);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_FS_H */

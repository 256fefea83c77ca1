/*
 * inner_fs.c - the fs batches of an inner client (<resea/fs.h>, a broker
 * with --disk): one file, BENCH_FS_FILE, written and read in calls of
 * BENCH_FS_CHUNK bytes, as dd does with bs=16M.
 */
#include <stdlib.h>

#include "bench.h"
#include "inner.h"

#include <xous.h>
/* --compare builds this file against revisions older than the fs server
 * too; there its batches answer SERVER_NOT_FOUND (--compare never asks). */
#if __has_include(<resea/fs.h>)
#include <resea/fs.h>
#define HAVE_FS 1
#endif

#ifdef HAVE_FS
static uint8_t *chunk;

/* n times: the file cut to nothing, then size bytes written afresh. */
static xous_err_t fs_write_file(uint64_t size, uint64_t n)
{
	xous_err_t err = XOUS_OK;
	fs_handle_t h;

	for (uint64_t i = 0; !err && i < n; i++) {
		if ((err = fs_create(BENCH_FS_FILE, true, &h)))
			break;
		err = fs_truncate(h, 0);
		for (uint64_t off = 0; !err && off < size; off += BENCH_FS_CHUNK)
			err = fs_write(h, off, chunk, BENCH_FS_CHUNK);
		fs_close(h);
	}
	return err;
}

/* n times: the whole file read from its start. */
static xous_err_t fs_read_file(uint64_t size, uint64_t n)
{
	xous_err_t err = XOUS_OK;
	fs_handle_t h;
	size_t got;

	for (uint64_t i = 0; !err && i < n; i++) {
		if ((err = fs_open(BENCH_FS_FILE, &h)))
			break;
		for (uint64_t off = 0; !err && off < size; off += got) {
			err = fs_read(h, off, BENCH_FS_CHUNK, chunk, &got);
			if (!err && got == 0)
				err = XOUS_ERR_INTERNAL_ERROR; /* shorter than it was written */
		}
		fs_close(h);
	}
	return err;
}

/* n reads of 4 KiB at random 4 KiB-aligned offsets of the file's size bytes. */
static xous_err_t fs_read_random(uint64_t size, uint64_t n)
{
	xous_err_t err;
	fs_handle_t h;
	size_t got;

	if ((err = fs_open(BENCH_FS_FILE, &h)))
		return err;
	for (uint64_t i = 0; !err && i < n; i++) {
		uint64_t off = (uint64_t)(random() % (long)(size / 4096)) * 4096;
		err = fs_read(h, off, 4096, chunk, &got);
		if (!err && got != 4096)
			err = XOUS_ERR_INTERNAL_ERROR;
	}
	fs_close(h);
	return err;
}
#endif

xous_err_t inner_fs_batch(char op, uint64_t size, uint64_t n)
{
#ifdef HAVE_FS
	if (!chunk && !(chunk = calloc(1, BENCH_FS_CHUNK)))
		return XOUS_ERR_OUT_OF_MEMORY;
	if (op == INNER_FS_WRITE)
		return fs_write_file(size, n);
	if (op == INNER_FS_READ)
		return fs_read_file(size, n);
	if (op == INNER_FS_RANDOM && size >= 4096)
		return fs_read_random(size, n);
	return XOUS_ERR_INVALID_ARGUMENT;
#else
	(void)op, (void)size, (void)n;
	return XOUS_ERR_SERVER_NOT_FOUND;
#endif
}

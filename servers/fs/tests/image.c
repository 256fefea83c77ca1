/* The fs tests' images and witnesses (image.h). */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "image.h"

struct fat_vol img_vol;
char img_path[256];
char img_dir[200];
size_t img_writes_left = SIZE_MAX;
static int img_fd = -1;

static xous_err_t dev_read(void *ctx, uint64_t sector, size_t count, void *buf)
{
	size_t len = count * FAT_SECTOR;

	(void)ctx;
	return pread(img_fd, buf, len, (off_t)(sector * FAT_SECTOR)) == (ssize_t)len
	               ? XOUS_OK
	               : XOUS_ERR_STORAGE_ERROR;
}

static xous_err_t dev_write(void *ctx, uint64_t sector, size_t count, const void *data)
{
	size_t len = count * FAT_SECTOR;

	(void)ctx;
	if (img_writes_left == 0)
		return XOUS_ERR_STORAGE_ERROR;
	if (img_writes_left != SIZE_MAX)
		img_writes_left--;
	return pwrite(img_fd, data, len, (off_t)(sector * FAT_SECTOR)) == (ssize_t)len
	               ? XOUS_OK
	               : XOUS_ERR_STORAGE_ERROR;
}

static xous_err_t dev_flush(void *ctx)
{
	(void)ctx;
	return fsync(img_fd) == 0 ? XOUS_OK : XOUS_ERR_STORAGE_ERROR;
}

static uint64_t dev_now(void *ctx)
{
	(void)ctx;
	return 1700000000u; /* 2023-11-14 */
}

static const struct fat_dev img_dev = {NULL, dev_read, dev_write, dev_flush, dev_now};

int img_sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

void img_remount(void)
{
	struct stat sb;

	if (img_fd >= 0)
		close(img_fd);
	img_fd = open(img_path, O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(img_fd, 0);
	ck_assert_int_eq(fstat(img_fd, &sb), 0);
	ck_assert_int_eq(fat_mount(&img_vol, &img_dev, (uint64_t)sb.st_size / FAT_SECTOR), XOUS_OK);
}

static void img_cleanup(void)
{
	if (img_dir[0])
		img_sh("rm -rf %s", img_dir);
}

void img_make(int fat, unsigned mib, const char *extra)
{
	snprintf(img_dir, sizeof(img_dir), "%s/xous-fs-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(img_dir));
	atexit(img_cleanup);
	snprintf(img_path, sizeof(img_path), "%s/disk.img", img_dir);
	if (img_sh("command -v mkfs.fat >/dev/null && command -v mcopy >/dev/null") != 0)
		ck_abort_msg("mkfs.fat and mtools are needed (scripts/deps test installs them)");
	ck_assert_int_eq(img_sh("truncate -s %uM %s && mkfs.fat -F %d %s %s >/dev/null", mib,
	                        img_path, fat, extra ? extra : "", img_path),
	                 0);
	img_writes_left = SIZE_MAX;
	img_remount();
}

void img_fsck_clean(void)
{
	int st = img_sh("fsck.fat -n %s >%s/fsck.out 2>&1", img_path, img_dir);

	if (st != 0)
		img_sh("cat %s/fsck.out >&2", img_dir);
	ck_assert_msg(st == 0, "fsck.fat -n finds the volume broken");
}

uint8_t *img_mcopy_out(const char *path, size_t *len)
{
	char out[300];
	uint8_t *buf;
	struct stat sb;
	int fd;

	snprintf(out, sizeof(out), "%s/out.bin", img_dir);
	ck_assert_msg(img_sh("mcopy -n -i %s '::%s' %s", img_path, path, out) == 0,
	              "mcopy cannot read %s", path);
	fd = open(out, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &sb), 0);
	*len = (size_t)sb.st_size;
	buf = malloc(*len + 1);
	ck_assert(read(fd, buf, *len) == (ssize_t)*len);
	close(fd);
	unlink(out);
	return buf;
}

void img_mcopy_in(const char *path, const void *data, size_t len)
{
	char in[300];
	int fd;

	snprintf(in, sizeof(in), "%s/in.bin", img_dir);
	fd = open(in, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert(write(fd, data, len) == (ssize_t)len);
	close(fd);
	ck_assert_msg(img_sh("mcopy -i %s %s '::%s'", img_path, in, path) == 0,
	              "mcopy cannot write %s", path);
	unlink(in);
	img_remount(); /* the volume changed under the mounted one */
}

void img_pattern(uint8_t *buf, size_t len, uint32_t seed, uint64_t from)
{
	for (size_t i = 0; i < len; i++) {
		uint64_t x = (from + i) * 2654435761u + seed;
		buf[i] = (uint8_t)(x >> 13 ^ x >> 5);
	}
}

uint8_t *img_read_all(const char *path, size_t *len)
{
	struct fat_node *n;
	uint8_t *buf;
	size_t got;

	ck_assert_int_eq(fat_open(&img_vol, path, false, false, &n), XOUS_OK);
	buf = malloc(n->size + 1);
	ck_assert_int_eq(fat_read(&img_vol, n, 0, n->size, buf, &got), XOUS_OK);
	ck_assert_uint_eq(got, n->size);
	*len = got;
	fat_close(&img_vol, n);
	return buf;
}

void img_write_all(const char *path, const void *data, size_t len)
{
	struct fat_node *n;

	ck_assert_int_eq(fat_open(&img_vol, path, true, false, &n), XOUS_OK);
	ck_assert_int_eq(fat_truncate(&img_vol, n, 0), XOUS_OK);
	ck_assert_int_eq(fat_write(&img_vol, n, 0, data, len), XOUS_OK);
	fat_close(&img_vol, n);
}

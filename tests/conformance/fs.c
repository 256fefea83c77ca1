/*
 * fs.c - conformance of the "fs" server (<resea/fs.h>, CONTRACT section 6),
 * run with a disk made by mkfs.fat (xous-hostd --disk IMAGE;
 * xous-riscv-run --disk IMAGE): files created, written at offsets and read
 * back, stat sizes, AlreadyExists, NotFound, NoSpace, 16 MiB in one call,
 * long names, directories, rename, remove, sync. It leaves its files on the
 * image, which fsck.fat -n checks afterwards (with_disk.sh).
 */
#include <resea/fs.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#define BIG (16u << 20) /* XOUS_OOL_MAX: the most one call moves */

static void files_at_offsets(void)
{
	uint8_t buf[300];
	fs_handle_t h, h2;
	uint64_t size = 1;
	size_t got = 1;

	CHECK_ERR(fs_open("/conf.txt", &h), XOUS_ERR_NOT_FOUND);
	CHECK_ERR(fs_stat("/conf.txt", &size), XOUS_ERR_NOT_FOUND);
	CHECK_OK(fs_create("/conf.txt", false, &h));
	CHECK_ERR(fs_create("/conf.txt", false, &h2), XOUS_ERR_ALREADY_EXISTS);
	CHECK_OK(fs_stat("/conf.txt", &size));
	CHECK(size == 0);
	CHECK_OK(fs_read(h, 0, sizeof(buf), buf, &got));
	CHECK(got == 0);
	conf_fill(buf, 100, 1);
	CHECK_OK(fs_write(h, 0, buf, 100));
	conf_fill(buf, 50, 2);
	CHECK_OK(fs_write(h, 1000, buf, 50)); /* past the end: a gap of zeros */
	CHECK_OK(fs_stat("/conf.txt", &size));
	CHECK(size == 1050);
	CHECK_OK(fs_create("/conf.txt", true, &h2)); /* exist_ok: opens unchanged */
	CHECK_OK(fs_stat("/conf.txt", &size));
	CHECK(size == 1050);
	CHECK_OK(fs_read(h2, 0, 100, buf + 1, &got)); /* any alignment */
	CHECK(got == 100 && conf_has(buf + 1, 100, 1));
	CHECK_OK(fs_read(h2, 990, 300, buf, &got));
	CHECK(got == 60);
	CHECK(buf[0] == 0 && buf[9] == 0 && conf_has(buf + 10, 50, 2));
	CHECK_OK(fs_read(h2, 1050, 10, buf, &got));
	CHECK(got == 0);
	CHECK_OK(fs_read(h2, 5000, 10, buf, &got));
	CHECK(got == 0);
	CHECK_OK(fs_close(h2));
	CHECK_ERR(fs_close(h2), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(fs_read(h2, 0, 10, buf, &got), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_OK(fs_close(h));
	CHECK_ERR(fs_open("/no/such/dir/file", &h), XOUS_ERR_NOT_FOUND);
	CHECK_ERR(fs_create("/no/such/dir/file", false, &h), XOUS_ERR_NOT_FOUND);
	CHECK_ERR(fs_create("relative", false, &h), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(fs_create("/bad*name", false, &h), XOUS_ERR_INVALID_ARGUMENT);
}

static void big_in_one_call(void)
{
	uint8_t *data = malloc(BIG + 1), *back = malloc(BIG);
	fs_handle_t h;
	uint64_t size = 0;
	size_t got = 0;

	CHECK(data && back);
	if (!data || !back)
		goto out;
	conf_fill(data + 1, BIG, 3);
	CHECK_OK(fs_create("/A big file with a long name.bin", false, &h));
	CHECK_OK(fs_write(h, 0, data + 1, BIG));
	CHECK_OK(fs_read(h, 0, BIG, back, &got));
	CHECK(got == BIG && memcmp(back, data + 1, BIG) == 0);
	CHECK_OK(fs_stat("/a big file with a LONG name.bin", &size));
	CHECK(size == BIG);
	CHECK_ERR(fs_write(h, 0, data, BIG + 1), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(fs_read(h, 0, BIG + 1, back, &got), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_OK(fs_close(h));
out:
	free(data);
	free(back);
}

static void no_space(void)
{
	fs_handle_t h;
	uint64_t size = 1;

	CHECK_OK(fs_create("/huge", false, &h));
	CHECK_ERR(fs_truncate(h, 3ull << 30), XOUS_ERR_NO_SPACE);
	CHECK_ERR(fs_write(h, 3ull << 30, "x", 1), XOUS_ERR_NO_SPACE);
	CHECK_OK(fs_stat("/huge", &size));
	CHECK(size == 0); /* nothing of it happened */
	CHECK_OK(fs_truncate(h, 10000));
	CHECK_OK(fs_stat("/huge", &size));
	CHECK(size == 10000);
	CHECK_OK(fs_close(h));
}

static void directories(void)
{
	struct fs_dirent *e = malloc(4 * sizeof(*e));
	fs_handle_t h;
	size_t n = 0;

	CHECK(e != NULL);
	if (e == NULL)
		return;
	CHECK_OK(fs_mkdir("/dir"));
	CHECK_ERR(fs_mkdir("/dir"), XOUS_ERR_ALREADY_EXISTS);
	CHECK_OK(fs_mkdir("/dir/Sub Directory"));
	CHECK_OK(fs_create("/dir/Sub Directory/na\xc3\xafve.txt", false, &h));
	CHECK_OK(fs_write(h, 0, "hello", 5));
	CHECK_OK(fs_close(h));
	CHECK_ERR(fs_open("/dir", &h), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_OK(fs_list("/dir/Sub Directory", 0, e, 4, &n));
	CHECK(n == 1 && strcmp(e[0].name, "na\xc3\xafve.txt") == 0 && e[0].size == 5 &&
	      !e[0].is_dir);
	CHECK_OK(fs_rename("/dir/Sub Directory/na\xc3\xafve.txt", "/moved.txt"));
	CHECK_OK(fs_info("/MOVED.TXT", &e[0]));
	CHECK(strcmp(e[0].name, "moved.txt") == 0 && e[0].size == 5);
	CHECK_ERR(fs_remove("/dir"), XOUS_ERR_INVALID_ARGUMENT); /* not empty */
	CHECK_OK(fs_remove("/dir/Sub Directory"));
	CHECK_OK(fs_list("/dir", 0, e, 4, &n));
	CHECK(n == 0);
	CHECK_OK(fs_create("/gone", false, &h));
	CHECK_ERR(fs_remove("/gone"), XOUS_ERR_SHARE_VIOLATION); /* open */
	CHECK_OK(fs_close(h));
	CHECK_OK(fs_remove("/gone"));
	CHECK_ERR(fs_remove("/gone"), XOUS_ERR_NOT_FOUND);
	free(e);
}

int main(void)
{
	files_at_offsets();
	big_in_one_call();
	no_space();
	directories();
	CHECK_OK(fs_sync());
	return conf_end("fs");
}

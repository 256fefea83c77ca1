/* servers.fs.*: the FAT core on images made by mkfs.fat, with fsck.fat -n
 * and mtools as witnesses after every test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "recorder.h"

void fat_cases(Suite *s, SFun setup);

static const int types[] = {12, 16, 32};
static const unsigned sizes[] = {4, 16, 64}; /* MiB: what mkfs.fat allows per type */

/* fsck.fat's count of free clusters. */
static uint32_t fsck_free(void)
{
	char cmd[600], line[256];
	unsigned used = 0, total = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "fsck.fat -n %s", img_path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while (fgets(line, sizeof(line), p)) {
		char *at = strstr(line, " files, ");
		if (at)
			ck_assert_int_eq(sscanf(at, " files, %u/%u clusters", &used, &total), 2);
	}
	pclose(p);
	ck_assert_uint_gt(total, 0);
	return total - used;
}

static void expect_file(const char *path, const uint8_t *want, size_t len)
{
	size_t got_len;
	uint8_t *got = img_mcopy_out(path, &got_len);

	ck_assert_uint_eq(got_len, len);
	ck_assert(len == 0 || memcmp(got, want, len) == 0);
	free(got);
}

START_TEST(volumes_of_every_type_mount)
{
	for (size_t i = 0; i < 3; i++) {
		img_make(types[i], sizes[i], NULL);
		ck_assert_int_eq(img_vol.type, types[i]);
		ck_assert_uint_eq(img_vol.free_count, fsck_free());
		img_fsck_clean();
	}
	/* FAT32 by its BPB with fewer clusters than the spec's minimum, as
	 * mkfs.fat -F 32 makes it on 32 MiB (Linux and fsck.fat take it;
	 * mtools does not) */
	img_make(32, 32, NULL);
	ck_assert_int_eq(img_vol.type, 32);
	ck_assert_uint_lt(img_vol.clusters, 65525);
	img_write_all("/small fat32.txt", "x", 1);
	img_remount();
	size_t len;
	uint8_t *got = img_read_all("/small fat32.txt", &len);
	ck_assert(len == 1 && got[0] == 'x');
	free(got);
	img_fsck_clean();
}
END_TEST

START_TEST(files_written_by_fs_read_back_with_mcopy)
{
	static const char *names[] = {"/hello.txt",
	                              "/A Long File Name With Spaces.txt",
	                              "/Mixed.Case",
	                              "/dir/sub/deep file.data",
	                              "/dir/na\xc3\xafve \xe2\x9c\x93.txt",
	                              "/UPPER.TXT"};
	size_t big = (1u << 20) + 1000;
	uint8_t *data = malloc(big);

	for (size_t t = 0; t < 3; t++) {
		img_make(types[t], sizes[t], NULL);
		ck_assert_int_eq(fat_mkdir(&img_vol, "/dir"), XOUS_OK);
		ck_assert_int_eq(fat_mkdir(&img_vol, "/dir/sub"), XOUS_OK);
		for (size_t i = 0; i < 6; i++) {
			size_t len = i == 1 ? big : 100 * i + 3;
			img_pattern(data, len, (uint32_t)i, 0);
			img_write_all(names[i], data, len);
		}
		img_fsck_clean();
		for (size_t i = 0; i < 6; i++) {
			size_t len = i == 1 ? big : 100 * i + 3;
			img_pattern(data, len, (uint32_t)i, 0);
			expect_file(names[i], data, len);
		}
		ck_assert_uint_eq(img_vol.free_count, fsck_free());
	}
	free(data);
}
END_TEST

START_TEST(files_put_with_mcopy_read_back_through_fs)
{
	static const char *names[] = {"/short.txt", "/Another rather long name.dat",
	                              "/m/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.txt", "/m/x"};
	uint8_t data[70000];
	struct fat_stat st[8];
	size_t n, len;

	for (size_t t = 0; t < 3; t++) {
		img_make(types[t], sizes[t], NULL);
		ck_assert_int_eq(img_sh("mmd -i %s ::/m", img_path), 0);
		for (size_t i = 0; i < 4; i++) {
			img_pattern(data, sizeof(data) - i * 1000, (uint32_t)(i + 7), 0);
			img_mcopy_in(names[i], data, sizeof(data) - i * 1000);
		}
		for (size_t i = 0; i < 4; i++) {
			uint8_t *got = img_read_all(names[i], &len);
			img_pattern(data, sizeof(data) - i * 1000, (uint32_t)(i + 7), 0);
			ck_assert_uint_eq(len, sizeof(data) - i * 1000);
			ck_assert(memcmp(got, data, len) == 0);
			free(got);
		}
		ck_assert_int_eq(fat_list(&img_vol, "/m", 0, st, 8, &n), XOUS_OK);
		ck_assert_uint_eq(n, 2);
		ck_assert_str_eq(st[0].name, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.txt");
		ck_assert_str_eq(st[1].name, "x");
		ck_assert_int_eq(fat_list(&img_vol, "/", 0, st, 8, &n), XOUS_OK);
		ck_assert_uint_eq(n, 3);
		ck_assert_str_eq(st[0].name, "m");
		ck_assert(st[0].is_dir && !st[1].is_dir && !st[2].is_dir);
		img_fsck_clean();
	}
}
END_TEST

START_TEST(long_names_get_unique_short_names)
{
	struct fat_stat st;
	char path[64];

	img_make(16, 16, NULL);
	ck_assert_int_eq(fat_mkdir(&img_vol, "/d"), XOUS_OK);
	for (int i = 0; i < 30; i++) {
		snprintf(path, sizeof(path), "/d/long file name %02d.txt", i);
		img_write_all(path, path, strlen(path));
	}
	img_write_all("/d/LONGFI~1.TX", "x", 1); /* a short name that looks like a tail */
	ck_assert_int_eq(fat_stat(&img_vol, "/d/LONGFI~1.TXT", &st), XOUS_OK);
	ck_assert_str_eq(st.name, "long file name 00.txt");
	ck_assert_int_eq(fat_stat(&img_vol, "/d/longfi~9.txt", &st), XOUS_OK);
	ck_assert_str_eq(st.name, "long file name 08.txt");
	ck_assert_int_eq(fat_stat(&img_vol, "/d/LONG FILE NAME 29.TXT", &st), XOUS_OK);
	img_fsck_clean();
	for (int i = 0; i < 30; i++) {
		snprintf(path, sizeof(path), "/d/long file name %02d.txt", i);
		expect_file(path, (const uint8_t *)path, strlen(path));
	}
	/* the mtools listing shows each short name once */
	ck_assert_int_eq(img_sh("mdir -i %s ::/d | awk 'NF>4 && $1 ~ /~/ {print $1 $2}' | sort | "
	                        "uniq -d | grep -q . && exit 1 || exit 0",
	                        img_path),
	                 0);
}
END_TEST

START_TEST(a_full_volume_answers_no_space_and_stays_consistent)
{
	size_t chunk = 1u << 20, written = 0;
	uint8_t *data = malloc(chunk);
	struct fat_node *n;
	uint32_t free_before, size_before;
	xous_err_t err;

	img_make(16, 8, "-s 1");
	ck_assert_int_eq(fat_open(&img_vol, "/fill.bin", true, true, &n), XOUS_OK);
	for (;;) {
		img_pattern(data, chunk, 3, written);
		free_before = img_vol.free_count;
		size_before = n->size;
		err = fat_write(&img_vol, n, written, data, chunk);
		if (err)
			break;
		written += chunk;
	}
	ck_assert_int_eq(err, XOUS_ERR_NO_SPACE);
	ck_assert_uint_eq(n->size, size_before); /* nothing of it happened */
	ck_assert_uint_eq(img_vol.free_count, free_before);
	/* what still fits goes in, then not a byte more */
	size_t rest = (size_t)img_vol.free_count * img_vol.cluster_bytes;
	img_pattern(data, rest, 3, written);
	ck_assert_int_eq(fat_write(&img_vol, n, written, data, rest), XOUS_OK);
	written += rest;
	ck_assert_uint_eq(img_vol.free_count, 0);
	ck_assert_int_eq(fat_write(&img_vol, n, written, data, 1), XOUS_ERR_NO_SPACE);
	ck_assert_int_eq(fat_truncate(&img_vol, n, written + 1), XOUS_ERR_NO_SPACE);
	ck_assert_int_eq(fat_mkdir(&img_vol, "/d"), XOUS_ERR_NO_SPACE);
	fat_close(&img_vol, n);
	img_fsck_clean();
	ck_assert_uint_eq(fsck_free(), 0);
	size_t len;
	uint8_t *got = img_mcopy_out("/fill.bin", &len);
	ck_assert_uint_eq(len, written);
	for (size_t off = 0; off < written; off += chunk) {
		size_t k = written - off < chunk ? written - off : chunk;
		img_pattern(data, k, 3, off);
		ck_assert(memcmp(got + off, data, k) == 0);
	}
	free(got);
	free(data);
}
END_TEST

START_TEST(a_full_root_directory_answers_no_space)
{
	char path[64];
	struct fat_node *n;
	xous_err_t err = XOUS_OK;
	int i;

	img_make(16, 16, "-r 64");
	for (i = 0; i < 100 && err == XOUS_OK; i++) {
		snprintf(path, sizeof(path), "/f%d", i);
		if ((err = fat_open(&img_vol, path, true, true, &n)) == XOUS_OK)
			fat_close(&img_vol, n);
	}
	ck_assert_int_eq(err, XOUS_ERR_NO_SPACE);
	ck_assert_int_eq(i, 65); /* 64 entries, the 65th does not fit */
	img_fsck_clean();
}
END_TEST

START_TEST(gaps_read_as_zeros_and_truncate_cuts_and_grows)
{
	uint8_t data[10000], want[30000];
	struct fat_node *n;
	size_t got;

	for (size_t t = 0; t < 3; t++) {
		img_make(types[t], sizes[t], NULL);
		img_pattern(data, sizeof(data), 9, 0);
		ck_assert_int_eq(fat_open(&img_vol, "/g", true, true, &n), XOUS_OK);
		ck_assert_int_eq(fat_write(&img_vol, n, 0, data, 100), XOUS_OK);
		ck_assert_int_eq(fat_write(&img_vol, n, 20000, data, sizeof(data)), XOUS_OK);
		memset(want, 0, sizeof(want));
		memcpy(want, data, 100);
		memcpy(want + 20000, data, sizeof(data));
		expect_file("/g", want, 30000);
		ck_assert_int_eq(fat_read(&img_vol, n, 29990, 100, data, &got), XOUS_OK);
		ck_assert_uint_eq(got, 10);
		ck_assert_int_eq(fat_read(&img_vol, n, 30000, 100, data, &got), XOUS_OK);
		ck_assert_uint_eq(got, 0);
		ck_assert_int_eq(fat_truncate(&img_vol, n, 50), XOUS_OK);
		expect_file("/g", want, 50);
		ck_assert_int_eq(fat_truncate(&img_vol, n, 9000), XOUS_OK);
		memset(want + 50, 0, 9000 - 50);
		expect_file("/g", want, 9000);
		ck_assert_int_eq(fat_truncate(&img_vol, n, 0), XOUS_OK);
		ck_assert_uint_eq(n->first, 0);
		expect_file("/g", want, 0);
		fat_close(&img_vol, n);
		img_fsck_clean();
		ck_assert_uint_eq(img_vol.free_count, fsck_free());
	}
}
END_TEST

START_TEST(rename_moves_files_and_directories)
{
	struct fat_node *n;
	struct fat_stat st;

	for (size_t t = 0; t < 3; t++) {
		img_make(types[t], sizes[t], NULL);
		ck_assert_int_eq(fat_mkdir(&img_vol, "/a"), XOUS_OK);
		ck_assert_int_eq(fat_mkdir(&img_vol, "/a/inner"), XOUS_OK);
		ck_assert_int_eq(fat_mkdir(&img_vol, "/b"), XOUS_OK);
		img_write_all("/a/inner/file one.txt", "one", 3);
		ck_assert_int_eq(fat_open(&img_vol, "/a/inner/file one.txt", false, false, &n),
		                 XOUS_OK);
		ck_assert_int_eq(fat_rename(&img_vol, "/a/inner", "/b/moved dir"), XOUS_OK);
		ck_assert_int_eq(fat_rename(&img_vol, "/b/moved dir/file one.txt", "/renamed.TXT"),
		                 XOUS_OK);
		/* the open file followed its entry */
		ck_assert_int_eq(fat_write(&img_vol, n, 3, "two", 3), XOUS_OK);
		fat_close(&img_vol, n);
		expect_file("/renamed.TXT", (const uint8_t *)"onetwo", 6);
		ck_assert_int_eq(fat_rename(&img_vol, "/renamed.TXT", "/Renamed.txt"), XOUS_OK);
		ck_assert_int_eq(fat_stat(&img_vol, "/renamed.txt", &st), XOUS_OK);
		ck_assert_str_eq(st.name, "Renamed.txt");
		ck_assert_int_eq(fat_rename(&img_vol, "/Renamed.txt", "/b"),
		                 XOUS_ERR_ALREADY_EXISTS);
		ck_assert_int_eq(fat_rename(&img_vol, "/b", "/b/moved dir/b"),
		                 XOUS_ERR_INVALID_ARGUMENT);
		ck_assert_int_eq(fat_rename(&img_vol, "/nothing", "/x"), XOUS_ERR_NOT_FOUND);
		ck_assert_int_eq(fat_rename(&img_vol, "/b", "/nodir/x"), XOUS_ERR_NOT_FOUND);
		ck_assert_int_eq(fat_stat(&img_vol, "/a/inner", &st), XOUS_ERR_NOT_FOUND);
		ck_assert_int_eq(fat_stat(&img_vol, "/b/moved dir", &st), XOUS_OK);
		ck_assert(st.is_dir);
		img_fsck_clean(); /* ".." of the moved directory names its new parent */
	}
}
END_TEST

START_TEST(remove_takes_files_and_empty_directories)
{
	struct fat_node *n;
	uint32_t free0;

	for (size_t t = 0; t < 3; t++) {
		img_make(types[t], sizes[t], NULL);
		free0 = img_vol.free_count;
		ck_assert_int_eq(fat_mkdir(&img_vol, "/d"), XOUS_OK);
		img_write_all("/d/some file", "0123456789", 10);
		ck_assert_int_eq(fat_open(&img_vol, "/d/some file", false, false, &n), XOUS_OK);
		ck_assert_int_eq(fat_remove(&img_vol, "/d/some file"), XOUS_ERR_SHARE_VIOLATION);
		fat_close(&img_vol, n);
		ck_assert_int_eq(fat_remove(&img_vol, "/d"), XOUS_ERR_INVALID_ARGUMENT);
		ck_assert_int_eq(fat_remove(&img_vol, "/d/some file"), XOUS_OK);
		ck_assert_int_eq(fat_remove(&img_vol, "/d/some file"), XOUS_ERR_NOT_FOUND);
		ck_assert_int_eq(fat_remove(&img_vol, "/d"), XOUS_OK);
		ck_assert_int_eq(fat_remove(&img_vol, "/"), XOUS_ERR_INVALID_ARGUMENT);
		ck_assert_uint_eq(img_vol.free_count, free0);
		img_fsck_clean();
		ck_assert_uint_eq(fsck_free(), free0);
	}
}
END_TEST

START_TEST(names_and_paths_are_checked)
{
	static const char *bad[] = {"/a*b",     "/trailing.", "/trailing ", "/..",     "/.",
	                            "relative", "/a:b",       "/tab\there", "/x/../y", ""};
	char longest[300] = "/";
	struct fat_node *n;
	struct fat_stat st;

	img_make(32, 64, NULL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(fat_open(&img_vol, bad[i], true, true, &n) ==
		                      XOUS_ERR_INVALID_ARGUMENT,
		              "%s", bad[i]);
	memset(longest + 1, 'n', 255);
	ck_assert_int_eq(fat_open(&img_vol, longest, true, true, &n), XOUS_OK);
	fat_close(&img_vol, n);
	longest[256] = 'n';
	ck_assert_int_eq(fat_open(&img_vol, longest, true, true, &n), XOUS_ERR_INVALID_ARGUMENT);
	longest[256] = '\0';
	ck_assert_int_eq(fat_open(&img_vol, "/", false, false, &n), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(fat_open(&img_vol, "/missing/file", true, false, &n), XOUS_ERR_NOT_FOUND);
	ck_assert_int_eq(fat_stat(&img_vol, "//", &st), XOUS_OK);
	ck_assert(st.is_dir);
	img_write_all("/f", "", 0);
	ck_assert_int_eq(fat_open(&img_vol, "/f", true, true, &n), XOUS_ERR_ALREADY_EXISTS);
	ck_assert_int_eq(fat_open(&img_vol, "/F", false, false, &n), XOUS_OK);
	fat_close(&img_vol, n);
	ck_assert_int_eq(fat_open(&img_vol, "/f/under", true, false, &n), XOUS_ERR_NOT_FOUND);
	ck_assert_int_eq(fat_mkdir(&img_vol, "/f"), XOUS_ERR_ALREADY_EXISTS);
	img_fsck_clean();
	expect_file(longest, (const uint8_t *)"", 0);
}
END_TEST

START_TEST(a_write_that_returned_is_on_the_device)
{
	uint8_t data[5000], *got;
	struct fat_node *n;
	size_t len;

	img_make(32, 64, NULL);
	img_pattern(data, sizeof(data), 5, 0);
	ck_assert_int_eq(fat_open(&img_vol, "/kept.bin", true, true, &n), XOUS_OK);
	ck_assert_int_eq(fat_write(&img_vol, n, 0, data, sizeof(data)), XOUS_OK);
	/* no close, no sync: a fresh mount and mtools see it all */
	img_remount();
	got = img_read_all("/kept.bin", &len);
	ck_assert_uint_eq(len, sizeof(data));
	ck_assert(memcmp(got, data, len) == 0);
	free(got);
	expect_file("/kept.bin", data, sizeof(data));
	img_fsck_clean();
	ck_assert_int_eq(fat_sync(&img_vol), XOUS_OK);
}
END_TEST

START_TEST(a_directory_grows_past_one_cluster)
{
	struct fat_stat *st = calloc(400, sizeof(*st));
	char path[80];
	size_t n, total = 0;

	img_make(32, 64, NULL);
	ck_assert_int_eq(fat_mkdir(&img_vol, "/many"), XOUS_OK);
	for (int i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "/many/a file with a long name number %03d", i);
		img_write_all(path, path, 4);
	}
	for (uint32_t at = 0;; at += 128) {
		ck_assert_int_eq(fat_list(&img_vol, "/many", at, st + total, 128, &n), XOUS_OK);
		total += n;
		if (n < 128)
			break;
	}
	ck_assert_uint_eq(total, 300);
	ck_assert_str_eq(st[299].name, "a file with a long name number 299");
	img_fsck_clean();
	ck_assert_int_eq(img_sh("test $(mdir -i %s -b ::/many | wc -l) -eq 300", img_path), 0);
	free(st);
}
END_TEST

START_TEST(broken_volumes_fail_cleanly)
{
	uint8_t *buf = malloc(1u << 20);
	struct fat_dev dev;
	struct fat_node *n;
	uint32_t c;
	size_t got;

	img_make(16, 16, NULL);
	img_write_all("/f", "abcdefgh", 8);
	ck_assert_int_eq(fat_open(&img_vol, "/f", false, false, &n), XOUS_OK);
	c = n->first;
	n->first = img_vol.clusters + 10; /* a cluster outside the volume */
	ck_assert_int_eq(fat_read(&img_vol, n, 0, 8, buf, &got), XOUS_ERR_STORAGE_ERROR);
	fat_close(&img_vol, n);
	/* a chain that loops: the file's cluster points at itself */
	ck_assert_int_eq(img_sh("printf '\\%03o\\%03o' | dd of=%s bs=1 seek=%u conv=notrunc "
	                        "2>/dev/null",
	                        c & 0xff, c >> 8, img_path, img_vol.fat_start * FAT_SECTOR + c * 2),
	                 0);
	img_remount();
	ck_assert_int_eq(fat_open(&img_vol, "/f", false, false, &n), XOUS_OK);
	n->size = 1u << 20; /* a read goes round the loop, bounded; growing finds it */
	fat_read(&img_vol, n, 0, 1u << 20, buf, &got);
	ck_assert_int_eq(fat_write(&img_vol, n, 1u << 20, "x", 1), XOUS_ERR_STORAGE_ERROR);
	fat_close(&img_vol, n);
	/* a boot sector that is not FAT's */
	ck_assert_int_eq(
	        img_sh("head -c 512 /dev/zero | dd of=%s conv=notrunc 2>/dev/null", img_path), 0);
	dev = img_vol.dev;
	ck_assert_int_eq(fat_mount(&img_vol, &dev, 0), XOUS_ERR_STORAGE_ERROR);
	free(buf);
}
END_TEST

START_TEST(device_errors_are_storage_errors)
{
	struct fat_node *n;

	img_make(16, 16, NULL);
	ck_assert_int_eq(fat_open(&img_vol, "/f", true, true, &n), XOUS_OK);
	img_writes_left = 0;
	ck_assert_int_eq(fat_write(&img_vol, n, 0, "x", 1), XOUS_ERR_STORAGE_ERROR);
	ck_assert_int_eq(fat_mkdir(&img_vol, "/d"), XOUS_ERR_STORAGE_ERROR);
	ck_assert_int_eq(fat_sync(&img_vol), XOUS_ERR_STORAGE_ERROR);
	fat_close(&img_vol, n);
}
END_TEST

void fat_cases(Suite *s, SFun setup)
{
	ADD(s, volumes_of_every_type_mount);
	ADD(s, files_written_by_fs_read_back_with_mcopy);
	ADD(s, files_put_with_mcopy_read_back_through_fs);
	ADD(s, long_names_get_unique_short_names);
	ADD(s, a_full_volume_answers_no_space_and_stays_consistent);
	ADD(s, a_full_root_directory_answers_no_space);
	ADD(s, gaps_read_as_zeros_and_truncate_cuts_and_grows);
	ADD(s, rename_moves_files_and_directories);
	ADD(s, remove_takes_files_and_empty_directories);
	ADD(s, names_and_paths_are_checked);
	ADD(s, a_write_that_returned_is_on_the_device);
	ADD(s, a_directory_grows_past_one_cluster);
	ADD(s, broken_volumes_fail_cleanly);
	ADD(s, device_errors_are_storage_errors);
}

/*
 * fs_clients.c - the fs server under xous-hostd --disk with many clients
 * (fs_disk.sh makes the image, puts a file in with mcopy, and checks the
 * image with mtools and fsck.fat -n afterwards):
 *   (no role)          a file put in with mcopy reads back; four writer
 *                      processes at once, each on a file of its own and on
 *                      its own range of one shared file, in pieces out of
 *                      order: every byte where it was put; a process that
 *                      ends with handles open holds nothing up
 *   writer I           writer I's part
 *   holder             opens a file several times and ends without closing
 *   keep FIFO          writes /kept.bin, then says so on FIFO and waits
 *                      (fs_disk.sh kills the fs server and the broker)
 *   pattern SEED LEN   prints the test bytes (no broker), for cmp
 */
#include <fcntl.h>
#include <resea/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itest.h"

#define WRITERS     4
#define PIECE       8192
#define PIECES      64
#define SHARED_PART (256u << 10)
#define FROM_MTOOLS 300000
#define KEPT        (1u << 20)

static uint8_t *pattern(uint32_t seed, size_t len)
{
	uint8_t *p = malloc(len);

	if (p)
		itest_fill(p, len, seed);
	return p;
}

/* The whole of path through fs equals the pattern of seed. */
static int fs_has(const char *path, uint32_t seed, size_t len)
{
	uint8_t *want = pattern(seed, len), *got = malloc(len + 1);
	fs_handle_t h;
	size_t n = 0;
	int ok = want && got && fs_open(path, &h) == XOUS_OK;

	if (ok) {
		ok = fs_read(h, 0, len + 1, got, &n) == XOUS_OK && n == len &&
		     memcmp(got, want, len) == 0;
		fs_close(h);
	}
	free(want);
	free(got);
	return ok;
}

static int writer(int idx)
{
	char path[32];
	uint8_t *mine = pattern(100 + (uint32_t)idx, PIECE * PIECES);
	uint8_t *shared = pattern(200, (size_t)SHARED_PART * WRITERS);
	fs_handle_t h, hs;
	xous_err_t err = XOUS_OK;

	snprintf(path, sizeof(path), "/writer %d.bin", idx);
	if (!mine || !shared || fs_create(path, false, &h) || fs_create("/shared.bin", true, &hs)) {
		free(mine);
		free(shared);
		return 1;
	}
	/* pieces in a shuffled order: odd ones first, each from the end */
	for (int k = PIECES - 1; k >= 0 && !err; k -= 2)
		err = fs_write(h, (uint64_t)k * PIECE, mine + (size_t)k * PIECE, PIECE);
	for (int k = PIECES - 2; k >= 0 && !err; k -= 2)
		err = fs_write(h, (uint64_t)k * PIECE, mine + (size_t)k * PIECE, PIECE);
	for (size_t off = 0; off < SHARED_PART && !err; off += 4096) {
		size_t at = (size_t)idx * SHARED_PART + off;
		err = fs_write(hs, at, shared + at, 4096);
	}
	fs_close(h);
	fs_close(hs);
	free(mine);
	free(shared);
	return err ? 1 : 0;
}

static int holder(void)
{
	fs_handle_t h;

	for (int i = 0; i < 5; i++)
		if (fs_open("/held.bin", &h))
			return 1;
	return 0; /* ends with five handles open */
}

static int keep(const char *fifo)
{
	uint8_t *data = pattern(5, KEPT);
	xous_sid_t sid;
	xous_envelope_t env;
	fs_handle_t h;
	int fd;

	if (!data || fs_create("/kept.bin", false, &h) || fs_write(h, 0, data, KEPT))
		return 1;
	fd = open(fifo, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "written\n", 8) != 8)
		return 1;
	close(fd);
	/* no close, no sync: wait to be killed */
	if (xous_create_server(&sid) == XOUS_OK)
		xous_receive_message(&sid, &env);
	return 1;
}

int main(int argc, char **argv)
{
	const char *role = itest_role(argc, argv);
	pid_t kids[WRITERS];
	fs_handle_t h;

	if (argc == 4 && strcmp(argv[1], "pattern") == 0) {
		size_t len = strtoul(argv[3], NULL, 0);
		uint8_t *p = pattern((uint32_t)strtoul(argv[2], NULL, 0), len);
		int ok = p && fwrite(p, 1, len, stdout) == len;

		free(p);
		return ok ? 0 : 1;
	}
	if (role && strcmp(role, "writer") == 0)
		return writer(atoi(argv[2]));
	if (role && strcmp(role, "holder") == 0)
		return holder();
	if (role && strcmp(role, "keep") == 0 && argc >= 3)
		return keep(argv[2]);

	CHECK(fs_has("/from mtools.bin", 77, FROM_MTOOLS), "a file put in with mcopy reads back");
	for (int i = 0; i < WRITERS; i++) {
		char idx[8];
		snprintf(idx, sizeof(idx), "%d", i);
		kids[i] = itest_spawn("writer", idx, NULL);
	}
	for (int i = 0; i < WRITERS; i++) {
		int st = itest_wait(kids[i]);
		CHECK(st == 0, "writer %d: %s", i, itest_status_str(st));
	}
	for (int i = 0; i < WRITERS; i++) {
		char path[32];
		snprintf(path, sizeof(path), "/writer %d.bin", i);
		CHECK(fs_has(path, 100 + (uint32_t)i, PIECE * PIECES), "%s: every byte in place",
		      path);
	}
	CHECK(fs_has("/shared.bin", 200, (size_t)SHARED_PART * WRITERS),
	      "the shared file: each writer's range in place");

	REQUIRE(fs_create("/held.bin", false, &h) == XOUS_OK, "create /held.bin");
	fs_close(h);
	int st = itest_wait(itest_spawn("holder", NULL, NULL));
	CHECK(st == 0, "holder: %s", itest_status_str(st));
	CHECK_ERR(fs_remove("/held.bin"), XOUS_OK,
	          "a file held by a process that ended is removed");
	CHECK_ERR(fs_sync(), XOUS_OK, "sync");
	return itest_done();
}

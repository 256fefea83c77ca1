/*
 * Promise 5: Move - the pages leave the caller and belong to the server until
 * it unmaps them.
 *
 * The receiving side is this same process (main thread receives after the
 * sends returned): the moved pages must be gone from the sender's address,
 * present at the envelope's address with the sender's bytes, writable, and
 * gone again after the server unmaps them. Moving part of a mapped region
 * leaves the rest of it to the caller. A page-aligned buffer that does not
 * come from xous_map_memory is moved as a copy and stays (docs/abi.md).
 * A caller that still holds the memfd behind a moved part (it keeps the
 * rest of the region) and writes through it reaches nothing of the server's.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "itest.h"

static xous_sid_t sid;
static xous_cid_t cid;

static int receive_move(uint32_t id, xous_envelope_t *env)
{
	return xous_receive_message(&sid, env) == XOUS_OK && env->kind == XOUS_MOVE &&
	       env->memory.id == id;
}

static void move_whole_region(void)
{
	unsigned long long ino = 0, off;
	xous_range_t buf;
	xous_envelope_t env;

	REQUIRE(xous_map_memory(3 * XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &buf) == XOUS_OK,
	        "map 3 pages");
	itest_fill(buf.addr, buf.len, 11);
	itest_backing(buf.addr, &ino, &off);
	CHECK_ERR(xous_send_memory(cid, 1, buf, 4, 500), XOUS_OK, "Move 3 pages");
	CHECK(itest_gone(buf.addr, ino), "the moved pages are gone from the caller");
	CHECK(itest_gone((char *)buf.addr + 2 * XOUS_PAGE_SIZE, ino), "all of them");
	REQUIRE(receive_move(1, &env), "the server receives a Move");
	CHECK(env.memory.buf.len == buf.len && env.memory.offset == 4 && env.memory.valid == 500,
	      "with the length, offset and valid sent");
	CHECK(itest_verify(env.memory.buf.addr, env.memory.buf.len, 11), "and the caller's bytes");
	CHECK(itest_faults(env.memory.buf.addr, 1) == 0, "the server can write its new pages");
	CHECK_ERR(xous_unmap_memory(env.memory.buf), XOUS_OK, "the server unmaps them");
	CHECK(itest_gone(env.memory.buf.addr, ino), "after which they are gone");
}

/* An fd of ours open on the file with this inode, or -1. */
static int fd_of_inode(unsigned long long ino)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	struct stat st;
	int found = -1;

	while (d && found < 0 && (de = readdir(d))) {
		int fd = atoi(de->d_name);

		if (de->d_name[0] != '.' && fd != dirfd(d) && fstat(fd, &st) == 0 &&
		    (unsigned long long)st.st_ino == ino)
			found = fd;
	}
	if (d)
		closedir(d);
	return found;
}

static void move_part_of_region(void)
{
	xous_range_t buf, mid;
	xous_envelope_t env;
	char *p, *expect;
	unsigned long long ino = 0, off;

	REQUIRE(xous_map_memory(4 * XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &buf) == XOUS_OK,
	        "map 4 pages");
	p = buf.addr;
	itest_fill(p, buf.len, 12);
	mid.addr = p + XOUS_PAGE_SIZE;
	mid.len = 2 * XOUS_PAGE_SIZE;
	expect = malloc(mid.len);
	REQUIRE(expect != NULL, "malloc");
	memcpy(expect, mid.addr, mid.len);
	itest_backing(p, &ino, &off);
	CHECK_ERR(xous_send_memory(cid, 2, mid, 0, mid.len), XOUS_OK,
	          "Move the middle 2 of 4 pages");
	CHECK(itest_gone(p + XOUS_PAGE_SIZE, ino) && itest_gone(p + 2 * XOUS_PAGE_SIZE, ino),
	      "the middle pages are gone");
	CHECK(itest_faults(p, 1) == 0 && itest_faults(p + 3 * XOUS_PAGE_SIZE, 1) == 0,
	      "the first and last pages are still the caller's");
	CHECK(itest_verify(p, XOUS_PAGE_SIZE, 12), "with their bytes");
	int fd = fd_of_inode(ino);
	REQUIRE(fd >= 0, "the caller still holds the memfd behind them (it keeps 2 pages)");
	char junk[2 * XOUS_PAGE_SIZE];
	memset(junk, 0x5a, sizeof junk);
	CHECK(pwrite(fd, junk, sizeof junk, (off_t)(off + XOUS_PAGE_SIZE)) == (ssize_t)sizeof junk,
	      "and writes the moved pages' place in it");
	REQUIRE(receive_move(2, &env), "the server receives the Move");
	CHECK(env.memory.buf.len == mid.len, "of 2 pages");
	CHECK(memcmp(env.memory.buf.addr, expect, mid.len) == 0,
	      "with the middle pages' bytes as moved: the caller's write reached nothing");
	free(expect);
	xous_unmap_memory(env.memory.buf);
	buf.len = XOUS_PAGE_SIZE;
	CHECK_ERR(xous_unmap_memory(buf), XOUS_OK, "the caller unmaps its first page");
	buf.addr = p + 3 * XOUS_PAGE_SIZE;
	CHECK_ERR(xous_unmap_memory(buf), XOUS_OK, "and its last page");
}

static void move_plain_buffer(void)
{
	xous_range_t buf = {aligned_alloc(XOUS_PAGE_SIZE, 2 * XOUS_PAGE_SIZE), 2 * XOUS_PAGE_SIZE};
	unsigned long long ino = 0, off;
	xous_envelope_t env;

	REQUIRE(buf.addr != NULL, "a page-aligned buffer from aligned_alloc");
	itest_fill(buf.addr, buf.len, 13);
	CHECK_ERR(xous_send_memory(cid, 3, buf, 0, buf.len), XOUS_OK,
	          "Move of a buffer not from xous_map_memory");
	CHECK(itest_faults(buf.addr, 1) == 0 && itest_verify(buf.addr, buf.len, 13),
	      "leaves the caller's copy in place");
	REQUIRE(receive_move(3, &env), "the server receives it");
	itest_backing(env.memory.buf.addr, &ino, &off);
	CHECK(itest_verify(env.memory.buf.addr, env.memory.buf.len, 13), "with the bytes");
	CHECK_ERR(xous_envelope_done(&env), XOUS_OK, "envelope_done on a Move");
	CHECK(itest_gone(env.memory.buf.addr, ino), "unmaps it");
	free(buf.addr);
}

int main(void)
{
	REQUIRE(xous_create_server(&sid) == XOUS_OK && xous_connect(&sid, &cid) == XOUS_OK,
	        "create a server and connect");
	move_whole_region();
	move_part_of_region();
	move_plain_buffer();
	return itest_done();
}
